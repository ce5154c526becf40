# libbgcopy.so exports only the public API (docs/building.md): the names a
# public header declares with BGCOPY_API / BGCOPY_COMPAT_API, checked against
# the library's dynamic symbol table.  Linux (ELF) only: on Windows the
# library is static, so the test is skipped (exit 77).
if(TARGET bgcopy AND CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_NM)
  add_test(NAME symbols_exports
    COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DLIB=$<TARGET_FILE:bgcopy>
      -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_SOURCE_DIR}/symbols/check_exports.cmake)
  set_tests_properties(symbols_exports PROPERTIES TIMEOUT 60 LABELS packaging)
else()
  bgcopy_add_test(symbols_exports SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/symbols/skip.c
    TIMEOUT 60 LABELS packaging)
endif()
