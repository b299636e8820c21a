# strata_add_test(NAME <name> SOURCES <files...> LIBS <targets...> [TORCH] [CUDA])
# One Qt Test executable per test file, registered with CTest under its path below tests/.
# Tests run with CUDA hidden (CUDA_VISIBLE_DEVICES empty): what they check is the CPU's behaviour
# (bit-exact resume, several ranks on one host), which "auto" devices would move to a GPU host's
# GPU. CUDA: the test checks CUDA paths and sees the host's GPUs (it skips without one).
# TORCH: the test includes LibTorch; it reuses a precompiled header shared by the torch tests of
# its folder (one per folder, because Qt Test defines QT_TESTCASE_BUILDDIR per folder and a
# header precompiled with another value is ignored).
function(strata_test_settings target)
  target_link_libraries(${target} PRIVATE Qt6::Core Qt6::Test)
  target_compile_definitions(${target} PRIVATE
    STRATA_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    STRATA_BINARY_DIR="${PROJECT_BINARY_DIR}"
    STRATA_CLI="$<TARGET_FILE:strata-cli>")
endfunction()

function(strata_add_test)
  cmake_parse_arguments(ARG "TORCH;CUDA" "NAME" "SOURCES;LIBS" ${ARGN})
  file(RELATIVE_PATH test_dir ${PROJECT_SOURCE_DIR}/tests ${CMAKE_CURRENT_SOURCE_DIR})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS})
  strata_test_settings(${ARG_NAME})
  if(ARG_TORCH)
    string(MAKE_C_IDENTIFIER "strata_test_torch_pch_${test_dir}" pch_host)
    if(NOT TARGET ${pch_host})
      add_library(${pch_host} OBJECT ${PROJECT_SOURCE_DIR}/tests/torch_pch_host.cpp)
      target_link_libraries(${pch_host} PRIVATE strata_common "${TORCH_LIBRARIES}")
      strata_test_settings(${pch_host})
      target_precompile_headers(${pch_host} PRIVATE <core/torch_pch.h> <QtTest>)
    endif()
    target_precompile_headers(${ARG_NAME} REUSE_FROM ${pch_host})
  endif()
  set_target_properties(${ARG_NAME} PROPERTIES AUTOMOC ON
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  set(test_name ${ARG_NAME})
  if(test_dir)
    set(test_name ${test_dir}/${ARG_NAME})
  endif()
  add_test(NAME ${test_name} COMMAND ${ARG_NAME})
  set(environment "QT_QPA_PLATFORM=offscreen")
  if(NOT ARG_CUDA)
    list(APPEND environment "CUDA_VISIBLE_DEVICES=")
  endif()
  set_tests_properties(${test_name} PROPERTIES TIMEOUT 300 ENVIRONMENT "${environment}")
endfunction()
