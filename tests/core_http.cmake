# Core HTTP behaviour (issue 3): validators, redirects and HTTP options,
# AddFileWithRanges, dynamic content, a > 4 GiB download; hostile answers (issue 10).
foreach(t http_validators http_redirects http_ranges http_dynamic http_ondemand http_tls http_hostile http_auth)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/core/${t}.c)
    bgcopy_add_test(core_${t} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/${t}.c LABELS core http)
  endif()
endforeach()
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/core/http_large.c)
  bgcopy_add_test(core_http_large SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/http_large.c
                  TIMEOUT 600 LABELS core http)
endif()
if(TEST core_http_large)
  set_tests_properties(core_http_large PROPERTIES SKIP_RETURN_CODE 77)
endif()
if(TEST core_http_tls)
  set_tests_properties(core_http_tls PROPERTIES SKIP_RETURN_CODE 77)
endif()
