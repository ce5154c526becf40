# The test HTTP server (bgcopy-testserver) and the test support library
# (bgcopy_test_support) every other area's tests link.  Included from
# tests/CMakeLists.txt, so CMAKE_CURRENT_SOURCE_DIR is tests/.
# See docs/testserver.md.

set(_ts_dir ${CMAKE_CURRENT_SOURCE_DIR})

add_executable(bgcopy-testserver
  ${_ts_dir}/server/testserver.c
  ${_ts_dir}/server/ts_log.c
  ${_ts_dir}/server/ts_range.c
  ${_ts_dir}/server/ts_conditional.c
  ${_ts_dir}/server/ts_options.c
  ${_ts_dir}/server/ts_body.c
  ${_ts_dir}/server/ts_state.c
  ${_ts_dir}/server/ts_serve.c
  ${_ts_dir}/server/ts_routes.c
  ${_ts_dir}/server/ts_respond.c
  ${_ts_dir}/server/ts_auth.c)
target_include_directories(bgcopy-testserver PRIVATE ${_ts_dir}/server ${_ts_dir}/support)
# libuv for threads, locks, files, signals and time, so one source serves
# Linux and Windows; shell32 for the UTF-8 command line on Windows.
target_link_libraries(bgcopy-testserver PRIVATE ${BGCOPY_MHD_TARGET} ${BGCOPY_UV_TARGET}
  Threads::Threads)
if(WIN32)
  target_link_libraries(bgcopy-testserver PRIVATE shell32)
endif()
# Optimised even in Debug builds: tests rely on it serving > 1 GB/s.
target_compile_options(bgcopy-testserver PRIVATE -O2)

# Static, and independent of bgcopy itself: the harness must keep working
# while the library under test is broken.
add_library(bgcopy_test_support STATIC
  ${_ts_dir}/support/server_process.c
  ${_ts_dir}/support/files.c
  ${_ts_dir}/support/run_capture.c
  ${_ts_dir}/support/ports.c
  ${_ts_dir}/support/wait.c)
target_include_directories(bgcopy_test_support PUBLIC ${_ts_dir}/support)
target_compile_definitions(bgcopy_test_support PRIVATE
  BGCOPY_TESTSERVER_PATH="$<TARGET_FILE:bgcopy-testserver>")
if(MINGW)
  # Tests print with C99 formats (%zu, %lld, PRIu64): mingw's own stdio has
  # them on every Windows, msvcrt's printf does not.
  target_compile_definitions(bgcopy_test_support PUBLIC __USE_MINGW_ANSI_STDIO=1)
  target_compile_definitions(bgcopy-testserver PRIVATE __USE_MINGW_ANSI_STDIO=1)
endif()
# libuv: spawning and watching the server, files and time on both platforms.
target_link_libraries(bgcopy_test_support PUBLIC ${BGCOPY_UV_TARGET} Threads::Threads)
# Optimised even in Debug builds: verifying multi-GiB files must stay fast.
target_compile_options(bgcopy_test_support PRIVATE -O2)
add_dependencies(bgcopy_test_support bgcopy-testserver)

# Self-test of server + harness.  Not via bgcopy_add_test: it must not need
# bgcopy_static, which may be mid-construction.
add_executable(testserver_selftest ${_ts_dir}/server/selftest.c)
target_link_libraries(testserver_selftest PRIVATE bgcopy_test_support ${BGCOPY_CURL_TARGET})
add_test(NAME testserver_selftest COMMAND testserver_selftest)
set_tests_properties(testserver_selftest PROPERTIES TIMEOUT 120 LABELS "server")
if(BGCOPY_TEST_ENVIRONMENT)
  set_tests_properties(testserver_selftest PROPERTIES ENVIRONMENT "${BGCOPY_TEST_ENVIRONMENT}")
endif()
