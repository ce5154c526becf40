# Fuzz targets (tests/fuzz/, docs/fuzzing.md): one parser of untrusted bytes
# per target.  Included from tests/CMakeLists.txt, so CMAKE_CURRENT_SOURCE_DIR
# is tests/.
#
# bgcopy_add_fuzzer(NAME SOURCES file.c... CORPUS dir [DICT file] [LIBS lib...])
#   Every build: the executable fuzz_<NAME>_replay (tests/fuzz/replay_main.c,
#   no libFuzzer) and the ctest fuzz_corpus_<NAME>, which runs the checked-in
#   seeds of CORPUS through LLVMFuzzerTestOneInput, so the release, asan and
#   tsan stages replay every corpus.
#   With -DBGCOPY_FUZZ=ON (clang): also the libFuzzer executable
#   <build>/fuzz/fuzz_<NAME>, built by the target bgcopy_fuzzers, and a line
#   "NAME<TAB>executable<TAB>corpus<TAB>dict" in <build>/fuzz/targets.tsv,
#   which scripts/test.sh's fuzz stage reads.
# Every target sees transport/, core/src/ (bgc_* internals) and the public
# headers; LIBS adds more (e.g. bgcopy_bitsadmin_lib).
set(BGCOPY_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
set(BGCOPY_FUZZ_MANIFEST ${CMAKE_BINARY_DIR}/fuzz/targets.tsv)
if(BGCOPY_FUZZ)
  file(WRITE ${BGCOPY_FUZZ_MANIFEST} "")
  add_custom_target(bgcopy_fuzzers)
endif()

function(bgcopy_add_fuzzer name)
  cmake_parse_arguments(F "" "CORPUS;DICT" "SOURCES;LIBS" ${ARGN})
  if(NOT F_SOURCES OR NOT F_CORPUS)
    message(FATAL_ERROR "bgcopy_add_fuzzer(${name}): SOURCES and CORPUS are required")
  endif()
  set(_inc ${PROJECT_SOURCE_DIR}/transport ${PROJECT_SOURCE_DIR}/core/src ${BGCOPY_FUZZ_DIR})
  add_executable(fuzz_${name}_replay ${BGCOPY_FUZZ_DIR}/replay_main.c ${F_SOURCES})
  target_include_directories(fuzz_${name}_replay PRIVATE ${_inc})
  target_link_libraries(fuzz_${name}_replay PRIVATE ${F_LIBS} bgcopy_static)
  # Relative to the test's working directory: under wine an absolute Linux
  # path is not a Windows path, a relative one with '/' is.
  file(RELATIVE_PATH _rel ${CMAKE_CURRENT_BINARY_DIR} ${F_CORPUS})
  add_test(NAME fuzz_corpus_${name} COMMAND fuzz_${name}_replay ${_rel}
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(fuzz_corpus_${name} PROPERTIES TIMEOUT 60 LABELS fuzz)
  if(BGCOPY_TEST_ENVIRONMENT)
    set_tests_properties(fuzz_corpus_${name} PROPERTIES ENVIRONMENT "${BGCOPY_TEST_ENVIRONMENT}")
  endif()
  if(BGCOPY_FUZZ)
    add_executable(fuzz_${name} ${F_SOURCES})
    target_include_directories(fuzz_${name} PRIVATE ${_inc})
    target_link_libraries(fuzz_${name} PRIVATE ${F_LIBS} bgcopy_static)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(fuzz_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
    add_dependencies(bgcopy_fuzzers fuzz_${name})
    file(APPEND ${BGCOPY_FUZZ_MANIFEST}
      "${name}\t${CMAKE_BINARY_DIR}/fuzz/fuzz_${name}\t${F_CORPUS}\t${F_DICT}\n")
  endif()
endfunction()

# transport/bgt_headers.h: what an HTTP server says.
bgcopy_add_fuzzer(status_line SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_status_line.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/status_line DICT ${BGCOPY_FUZZ_DIR}/http.dict)
bgcopy_add_fuzzer(header_line SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_header_line.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/header_line DICT ${BGCOPY_FUZZ_DIR}/http.dict)
bgcopy_add_fuzzer(content_length SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_content_length.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/content_length)
bgcopy_add_fuzzer(content_range SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_content_range.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/content_range DICT ${BGCOPY_FUZZ_DIR}/http.dict)
bgcopy_add_fuzzer(http_date SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_http_date.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/http_date DICT ${BGCOPY_FUZZ_DIR}/http_date.dict)
bgcopy_add_fuzzer(check_response SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_check_response.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/check_response DICT ${BGCOPY_FUZZ_DIR}/http.dict)
# core: what clients hand the engine.
bgcopy_add_fuzzer(cmdline_split SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_cmdline_split.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/cmdline_split)
bgcopy_add_fuzzer(guid SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_guid.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/guid)
bgcopy_add_fuzzer(utf8_length SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_utf8_length.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/utf8_length)
# compat/bitsadmin: the command line.
if(TARGET bgcopy_bitsadmin_lib)
  bgcopy_add_fuzzer(bitsadmin_args SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_bitsadmin_args.c
    CORPUS ${BGCOPY_FUZZ_DIR}/corpus/bitsadmin_args DICT ${BGCOPY_FUZZ_DIR}/bitsadmin.dict
    LIBS bgcopy_bitsadmin_lib)
endif()
# transport/bgt.h: remote names from clients (AddFile, SetRemoteName).
bgcopy_add_fuzzer(remote_name SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_remote_name.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/remote_name)
# transport/bgt_internal.h: a server's Location, before it may become a remote name.
bgcopy_add_fuzzer(redirect_target SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_redirect_target.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/redirect_target DICT ${BGCOPY_FUZZ_DIR}/http.dict)
# transport/bgt_proxy.c: a client's BITS proxy and bypass lists.
bgcopy_add_fuzzer(proxy_pick SOURCES ${BGCOPY_FUZZ_DIR}/fuzz_proxy_pick.c
  CORPUS ${BGCOPY_FUZZ_DIR}/corpus/proxy_pick)
