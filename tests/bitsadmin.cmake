# bitsadmin tests: bitsadmin_run() in-process against one manager, and the
# real executable as a child process.  Included from tests/CMakeLists.txt,
# so CMAKE_CURRENT_SOURCE_DIR is tests/.
if(TARGET bgcopy_bitsadmin_lib)
  bgcopy_add_test(bitsadmin_inprocess
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_inprocess.c
    LIBS bgcopy_bitsadmin_lib
    TIMEOUT 120
    LABELS bitsadmin)

  bgcopy_add_test(bitsadmin_exe
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bitsadmin/bitsadmin_exe.c
    TIMEOUT 120
    LABELS bitsadmin)
  target_compile_definitions(bitsadmin_exe PRIVATE BITSADMIN_EXE="$<TARGET_FILE:bitsadmin>")
  add_dependencies(bitsadmin_exe bitsadmin)
endif()
