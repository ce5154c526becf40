# Transport tests (transport/bgt.h).  bgt.h and the internal headers are not
# public, so each test adds transport/ to its include path.
# Included from tests/CMakeLists.txt, so CMAKE_CURRENT_SOURCE_DIR is tests/.
set(BGT_TEST_DIR ${CMAKE_CURRENT_SOURCE_DIR}/transport)

# Pure functions: Content-Range, header lines, dates, the
# response check, curl error mapping.
bgcopy_add_test(transport_headers_unit
  SOURCES ${BGT_TEST_DIR}/headers_unit.c
  TIMEOUT 30
  LABELS transport unit)
target_include_directories(transport_headers_unit PRIVATE ${PROJECT_SOURCE_DIR}/transport)

# The one parser of remote names (bgt_url_parse): every rule, per platform.
bgcopy_add_test(transport_url_unit
  SOURCES ${BGT_TEST_DIR}/url_unit.c
  TIMEOUT 30
  LABELS transport unit)
target_include_directories(transport_url_unit PRIVATE ${PROJECT_SOURCE_DIR}/transport)

# Integration tests on a real loop against bgcopy-testserver, a scripted
# one-shot server (raw_responses) and nginx.
foreach(t http_get local_sources lifecycle raw_responses https_nginx auth_testserver auth_nginx auth_squid)
  bgcopy_add_test(transport_${t}
    SOURCES ${BGT_TEST_DIR}/${t}.c ${BGT_TEST_DIR}/bgt_test_util.c
    TIMEOUT 120
    LABELS transport)
  target_include_directories(transport_${t} PRIVATE ${PROJECT_SOURCE_DIR}/transport ${BGT_TEST_DIR})
endforeach()
# Exits 77 when nginx or openssl is not installed, and on Windows (no nginx there).
set_tests_properties(transport_https_nginx PROPERTIES SKIP_RETURN_CODE 77)
# Exits 77 when nginx, openssl or tinyproxy is not installed, and on Windows.
set_tests_properties(transport_auth_nginx PROPERTIES SKIP_RETURN_CODE 77)
# NTLM through Squid (ntlm_fake_auth); exits 77 without squid, and on Windows.
set_tests_properties(transport_auth_squid PROPERTIES SKIP_RETURN_CODE 77)

