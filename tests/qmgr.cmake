# BITS 1.0 Queue Manager (qmgr.h): groups, Job1, enumerators, the callback
# class activated from GROUPPROP_NOTIFYCLSID, opt-in progress.
set(_qmgr_tests ${CMAKE_CURRENT_SOURCE_DIR}/compat)
bgcopy_add_test(qmgr_group SOURCES ${_qmgr_tests}/qmgr_group.c TIMEOUT 120 LABELS compat qmgr)

# qmgr.h / oleauto.h from C++ (C++17 and C++11).  C-implemented objects
# called through C++ interfaces trip UBSan's vptr check (no RTTI): leave it
# out, as every C++ client of bgcopy must.
foreach(std 17 11)
  bgcopy_add_test(qmgr_headers_cpp${std} SOURCES ${_qmgr_tests}/qmgr_headers.cpp TIMEOUT 30
                  LABELS compat qmgr)
  set_target_properties(qmgr_headers_cpp${std} PROPERTIES CXX_STANDARD ${std}
                        CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
  if(BGCOPY_SANITIZE MATCHES "undefined")
    target_compile_options(qmgr_headers_cpp${std} PRIVATE -fno-sanitize=vptr)
  endif()
endforeach()

# The documented example program, run against the test server.
if(TARGET qmgr-group)
  bgcopy_add_test(qmgr_example SOURCES ${_qmgr_tests}/qmgr_example.c TIMEOUT 60 LABELS compat qmgr)
  target_compile_definitions(qmgr_example PRIVATE QMGR_EXAMPLE="$<TARGET_FILE:qmgr-group>")
  add_dependencies(qmgr_example qmgr-group)
endif()

# The Windows SDK opt-ins these C clients rely on, as every C client of the
# SDK must: CONST_VTABLE (their vtables are static const) and COBJMACROS
# (IUnknown_Release(p) and friends).  bgcopy's own headers behave as if both
# were always defined, so on Linux they change nothing.
foreach(_t qmgr_group qmgr_headers_cpp17 qmgr_headers_cpp11 qmgr_example)
  if(TARGET ${_t})
    target_compile_definitions(${_t} PRIVATE CONST_VTABLE COBJMACROS)
  endif()
endforeach()
