# Install-time script (packaging/CMakeLists.txt includes it from install(CODE)): copies into
# <prefix>/<STRATA_BUNDLE_DESTINATION> every shared library the executables load that no Debian
# package provides, which is LibTorch and, with a CUDA build of torch, the CUDA libraries of the
# wheel's nvidia-* packages. The installed executables find them through their RUNPATH.
# It does not patch the copied libraries: torch's own RPATH ends in $ORIGIN, so each finds its
# siblings in the one folder.
#
# Inputs:
#   STRATA_BUNDLE_EXECUTABLES   the executables as built (their build RPATH leads to the wheel)
#   STRATA_BUNDLE_DESTINATION   the private library folder, relative to the install prefix
#
# The set is what the dynamic loader would load, found the way it finds it (NEEDED entries
# through each file's RPATH), plus the libraries torch and cuDNN open later with dlopen(), which
# no NEEDED entry names. Libraries under /lib and /usr/lib come from Debian packages: the
# package depends on those (dpkg-shlibdeps) instead of carrying them.

set(system_library_regexes "^/lib/" "^/lib64/" "^/usr/lib/" "^/usr/lib64/")
# The NVIDIA driver's libraries belong to the installed driver, whose version they must match;
# no application may carry them. Without a driver, CUDA reports no device and torch runs on the CPU.
set(driver_library_regexes "^libcuda\\.so" "^libnvidia-")
# Opened with dlopen() on first use, so found by name beside the libraries that open them:
#   libtorch_cuda_linalg.so      CUDA linear algebra (cuSOLVER), loaded on the first such call
#   libcaffe2_nvrtc.so, libnvrtc, libnvrtc-builtins
#                                NVRTC, for the kernels torch and cuDNN compile at run time
#   libcudnn_*.so.N              cuDNN 9's engines and graph API, opened by libcudnn.so.N
set(dlopened_patterns
  libtorch_cuda_linalg.so
  libcaffe2_nvrtc.so
  libnvrtc.so.*
  libnvrtc-builtins.so.*
  libcudnn_*.so.*)

# resolve_bundled(<out> EXECUTABLES... | LIBRARIES...): the non-system libraries those files
# load, directly or through each other, as lexically normal paths.
function(resolve_bundled out)
  file(GET_RUNTIME_DEPENDENCIES ${ARGN}
    RESOLVED_DEPENDENCIES_VAR resolved
    UNRESOLVED_DEPENDENCIES_VAR unresolved
    CONFLICTING_DEPENDENCIES_PREFIX conflicting
    PRE_EXCLUDE_REGEXES ${driver_library_regexes}
    POST_EXCLUDE_REGEXES ${system_library_regexes})
  if(unresolved)
    message(FATAL_ERROR "strata package: cannot find ${unresolved}, needed by ${ARGN}; "
      "run `make build` first so the build tree points at the torch that scripts/bootstrap installs")
  endif()
  if(conflicting_FILENAMES)
    message(FATAL_ERROR "strata package: ${conflicting_FILENAMES} resolve to different files "
      "from different libraries; they cannot share one folder")
  endif()
  set(normal "")
  foreach(library IN LISTS resolved)
    cmake_path(NORMAL_PATH library)
    list(APPEND normal "${library}")
  endforeach()
  set(${out} "${normal}" PARENT_SCOPE)
endfunction()

resolve_bundled(loaded EXECUTABLES ${STRATA_BUNDLE_EXECUTABLES})

set(search_dirs "")
foreach(library IN LISTS loaded)
  cmake_path(GET library PARENT_PATH dir)
  list(APPEND search_dirs "${dir}")
endforeach()
list(REMOVE_DUPLICATES search_dirs)
set(opened "")
foreach(dir IN LISTS search_dirs)
  foreach(pattern IN LISTS dlopened_patterns)
    file(GLOB found LIST_DIRECTORIES false "${dir}/${pattern}")
    list(APPEND opened ${found})
  endforeach()
endforeach()
set(opened_needs "")
if(opened)
  resolve_bundled(opened_needs LIBRARIES ${opened})
endif()

set(bundled ${loaded} ${opened} ${opened_needs})
list(REMOVE_DUPLICATES bundled)
# One flat folder: two different files under one name would silently lose one of them.
set(names "")
set(num_bytes 0)
foreach(library IN LISTS bundled)
  cmake_path(GET library FILENAME name)
  list(FIND names "${name}" index)  # not IN_LIST: install scripts run without the project's policies
  if(NOT index EQUAL -1)
    message(FATAL_ERROR "strata package: two different libraries are named ${name}: ${bundled}")
  endif()
  list(APPEND names "${name}")
  file(REAL_PATH "${library}" real)
  file(SIZE "${real}" size)
  math(EXPR num_bytes "${num_bytes} + ${size}")
endforeach()
list(LENGTH bundled num_libraries)
math(EXPR num_mebibytes "${num_bytes} / 1048576")
message(STATUS "Bundling ${num_libraries} libraries (${num_mebibytes} MiB) into "
  "${STRATA_BUNDLE_DESTINATION}")

file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/${STRATA_BUNDLE_DESTINATION}"
  TYPE SHARED_LIBRARY FOLLOW_SYMLINK_CHAIN FILES ${bundled})
