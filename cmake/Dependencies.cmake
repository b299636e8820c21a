# Every external library Strata builds with, found once. core/ sees only the non-Qt ones.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(SQLite3 3.40 REQUIRED)
find_package(TBB 2021.5 REQUIRED)
find_package(tomlplusplus 3.3 REQUIRED)
find_package(simdjson 3.0 REQUIRED)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8>=10.40)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc>=2.6)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash>=0.8)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd>=1.5)

# LibTorch comes from the torch wheel that scripts/bootstrap installs; the Makefile passes its
# cmake prefix path. The CUDA build of torch needs the toolkit at configure time.
if(STRATA_WITH_CUDA AND NOT DEFINED CUDAToolkit_ROOT AND EXISTS /usr/local/cuda)
  set(CUDAToolkit_ROOT /usr/local/cuda)
  set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
endif()
# Naming the architectures skips torch's probe for installed GPUs (there may be none here).
# 9.0 is Hopper (H100/H200), the GPUs Strata's CUDA paths are checked on.
if(NOT DEFINED ENV{TORCH_CUDA_ARCH_LIST})
  set(ENV{TORCH_CUDA_ARCH_LIST} "9.0")
endif()
find_package(Torch 2.11 REQUIRED)
# LibTorch ships fmt 12 headers in its include folder; spdlog and Strata link Debian's fmt 9.
# A folder holding only a link to the system fmt, searched before torch's headers, keeps every
# translation unit on the fmt it links with.
find_path(STRATA_SYSTEM_FMT_PARENT fmt/format.h PATHS /usr/include NO_DEFAULT_PATH REQUIRED)
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/system-fmt)
file(CREATE_LINK ${STRATA_SYSTEM_FMT_PARENT}/fmt ${CMAKE_BINARY_DIR}/system-fmt/fmt SYMBOLIC)
include_directories(BEFORE SYSTEM ${CMAKE_BINARY_DIR}/system-fmt)
# LibTorch's Gloo process group is compiled into it, but its header includes Gloo's own.
find_path(STRATA_GLOO_INCLUDE_DIR gloo/context.h REQUIRED)
set(STRATA_TORCH_HAS_CUDA OFF)
if(TARGET torch_cuda)
  set(STRATA_TORCH_HAS_CUDA ON)
endif()

if(STRATA_BUILD_GUI)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Charts LinguistTools)
endif()
if(STRATA_BUILD_TESTS)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Test)
endif()
