# strata_add_test(NAME <name> SOURCES <files...> LIBS <targets...>)
# One Qt Test executable per test file, registered with CTest under its path below tests/.
function(strata_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;LIBS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE Qt6::Core Qt6::Test ${ARG_LIBS})
  target_compile_definitions(${ARG_NAME} PRIVATE
    STRATA_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    STRATA_BINARY_DIR="${PROJECT_BINARY_DIR}"
    STRATA_CLI="$<TARGET_FILE:strata-cli>")
  set_target_properties(${ARG_NAME} PROPERTIES AUTOMOC ON
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  file(RELATIVE_PATH test_dir ${PROJECT_SOURCE_DIR}/tests ${CMAKE_CURRENT_SOURCE_DIR})
  add_test(NAME ${test_dir}/${ARG_NAME} COMMAND ${ARG_NAME})
  set_tests_properties(${test_dir}/${ARG_NAME} PROPERTIES TIMEOUT 300
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()
