# strata_add_test(NAME <name> SOURCES <files...> LIBS <targets...> [TORCH])
# One Qt Test executable per test file, registered with CTest under its path below tests/.
# TORCH: the test includes LibTorch; it reuses one precompiled header shared by all such tests.
function(strata_test_settings target)
  target_link_libraries(${target} PRIVATE Qt6::Core Qt6::Test)
  target_compile_definitions(${target} PRIVATE
    STRATA_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    STRATA_BINARY_DIR="${PROJECT_BINARY_DIR}"
    STRATA_CLI="$<TARGET_FILE:strata-cli>")
endfunction()

function(strata_add_test)
  cmake_parse_arguments(ARG "TORCH" "NAME" "SOURCES;LIBS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS})
  strata_test_settings(${ARG_NAME})
  if(ARG_TORCH)
    if(NOT TARGET strata_test_torch_pch)
      add_library(strata_test_torch_pch OBJECT ${PROJECT_SOURCE_DIR}/tests/torch_pch_host.cpp)
      target_link_libraries(strata_test_torch_pch PRIVATE strata_common "${TORCH_LIBRARIES}")
      strata_test_settings(strata_test_torch_pch)
      target_precompile_headers(strata_test_torch_pch PRIVATE ${PROJECT_SOURCE_DIR}/core/torch_pch.h <QtTest>)
    endif()
    target_precompile_headers(${ARG_NAME} REUSE_FROM strata_test_torch_pch)
  endif()
  set_target_properties(${ARG_NAME} PROPERTIES AUTOMOC ON
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  file(RELATIVE_PATH test_dir ${PROJECT_SOURCE_DIR}/tests ${CMAKE_CURRENT_SOURCE_DIR})
  add_test(NAME ${test_dir}/${ARG_NAME} COMMAND ${ARG_NAME})
  set_tests_properties(${test_dir}/${ARG_NAME} PROPERTIES TIMEOUT 300
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()
