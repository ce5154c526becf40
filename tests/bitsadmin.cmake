# bitsadmin tests: bitsadmin_run() in-process against one manager, and the
# real executable as a child process.  Included from tests/CMakeLists.txt,
# so CMAKE_CURRENT_SOURCE_DIR is tests/.
if(TARGET bgcopy_bitsadmin_lib)
  bgcopy_add_test(bitsadmin_inprocess
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_inprocess.c
            ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_capture.c
    LIBS bgcopy_bitsadmin_lib
    TIMEOUT 120
    LABELS bitsadmin)

  # Passwords in URLs are masked in every listing (docs/security.md).
  bgcopy_add_test(bitsadmin_secrets
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_secrets.c
            ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_capture.c
    LIBS bgcopy_bitsadmin_lib
    TIMEOUT 60
    LABELS bitsadmin)

  # MaxJobsPerUser and MaxFilesPerJob from the user's policy file, and the
  # error texts bitsadmin shows (docs/policy.md).
  bgcopy_add_test(bitsadmin_limits
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_limits.c
            ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_capture.c
    LIBS bgcopy_bitsadmin_lib
    TIMEOUT 60
    LABELS bitsadmin)

  bgcopy_add_test(bitsadmin_exe
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_exe.c
            ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_child.c
    TIMEOUT 120
    LABELS bitsadmin)
  # The executable is found relative to the test program at run time: an
  # absolute build path would be a Linux path that a Windows process (under
  # wine or after copying the tree) cannot use.
  get_target_property(_ba_dir bitsadmin BINARY_DIR)
  file(RELATIVE_PATH _ba_rel ${CMAKE_CURRENT_BINARY_DIR} ${_ba_dir})
  target_compile_definitions(bitsadmin_exe PRIVATE
    BITSADMIN_FROM_TESTS="${_ba_rel}/$<TARGET_FILE_NAME:bitsadmin>")
  add_dependencies(bitsadmin_exe bitsadmin)

  # Closed standard descriptors, SIGTERM/SIGHUP/SIGPIPE, passwords in URLs
  # (docs/security.md): the real executable again.
  bgcopy_add_test(bitsadmin_process
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_process.c
            ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_child.c
    TIMEOUT 120
    LABELS bitsadmin)
  target_compile_definitions(bitsadmin_process PRIVATE
    BITSADMIN_FROM_TESTS="${_ba_rel}/$<TARGET_FILE_NAME:bitsadmin>")
  add_dependencies(bitsadmin_process bitsadmin)
endif()
