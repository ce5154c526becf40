# Texts of HRESULTs, error contexts and job states (core/src/hresult.c).
# The test also scans bgcopy.h so that every BGCOPY_E_*/BGCOPY_S_* constant
# added there later must get a name and description.
bgcopy_add_test(core_texts SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/texts.c)
target_compile_definitions(core_texts PRIVATE
  BGCOPY_HEADER_PATH="${PROJECT_SOURCE_DIR}/core/include/bgcopy.h")
