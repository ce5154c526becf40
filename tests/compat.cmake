# Tests of the COM-layout objects over the native API (compat/src): C and C++
# BITS-style clients and the semantics seen through the vtables.  Included
# from tests/CMakeLists.txt, so CMAKE_CURRENT_SOURCE_DIR is tests/.
# (tests/compat/headers_* and com_runtime* are registered by compat_headers.cmake.)

set(_compat_tests ${CMAKE_CURRENT_SOURCE_DIR}/compat)

# Unit test of the WCHAR <-> UTF-8 layer; reaches into compat/src for wstr.h.
bgcopy_add_test(com_wstr SOURCES ${_compat_tests}/com_wstr.c TIMEOUT 30 LABELS compat)
target_include_directories(com_wstr PRIVATE ${PROJECT_SOURCE_DIR}/compat/src)

bgcopy_add_test(client_c SOURCES ${_compat_tests}/client_c.c TIMEOUT 120 LABELS compat)
bgcopy_add_test(client_cpp SOURCES ${_compat_tests}/client_cpp.cpp TIMEOUT 120 LABELS compat)
bgcopy_add_test(com_job_semantics SOURCES ${_compat_tests}/com_job_semantics.c TIMEOUT 120
                LABELS compat)
bgcopy_add_test(com_engine_lifetime SOURCES ${_compat_tests}/com_engine_lifetime.c TIMEOUT 120
                LABELS compat)

# bgcopy's COM objects are written in C: their vtables have the C++ layout
# but no RTTI in front, so UBSan's vptr check (part of "undefined"), which
# looks the dynamic type up through RTTI, flags every virtual call a C++
# client makes on them.  C++ clients built with UBSan must leave vptr out.
if(BGCOPY_SANITIZE MATCHES "undefined")
  target_compile_options(client_cpp PRIVATE -fno-sanitize=vptr)
endif()

bgcopy_add_test(com_notify_delivery SOURCES ${_compat_tests}/com_notify_delivery.c TIMEOUT 120
                LABELS compat)

# IBackgroundCopyError cases a real download does not produce; reaches into
# compat/src for the object constructor.
bgcopy_add_test(com_error_object SOURCES ${_compat_tests}/com_error_object.c TIMEOUT 30
                LABELS compat)
target_include_directories(com_error_object PRIVATE ${PROJECT_SOURCE_DIR}/compat/src)

# The Windows SDK opt-ins these C clients rely on, as every C client of the
# SDK must: CONST_VTABLE (their vtables are static const) and COBJMACROS
# (IUnknown_Release(p) and friends).  bgcopy's own headers behave as if both
# were always defined, so on Linux they change nothing.
foreach(_t com_wstr client_c client_cpp com_job_semantics com_engine_lifetime
         com_notify_delivery com_error_object)
  if(TARGET ${_t})
    target_compile_definitions(${_t} PRIVATE CONST_VTABLE COBJMACROS)
  endif()
endforeach()

# The Win32 surface of BITS programs (docs/windows-programs.md): mixed-case
# header spellings, the <bits.h> include chain, <sal.h>, <tchar.h>,
# libbgcopy-win32 (Sleep, GetTickCount, GetLastError, the wmain runner) and
# IBitsPeerCacheAdministration, from C and C++; then two console programs
# written as Microsoft's documentation writes them, run against the test
# server.  Linux only: on Windows all of this is the SDK's.
if(TARGET bgcopy_win32)
  foreach(_t win32_surface win32_surface_cpp)
    if(_t STREQUAL "win32_surface")
      add_executable(${_t} ${_compat_tests}/win32_surface.c)
    else()
      add_executable(${_t} ${_compat_tests}/win32_surface.cpp)
    endif()
    target_link_libraries(${_t} PRIVATE bgcopy_test_support bgcopy_static bgcopy_win32)
    target_compile_definitions(${_t} PRIVATE UNICODE _UNICODE COBJMACROS)
    # wmain gets one non-ASCII argument (UTF-8 bytes, "résumé-€"), decoded
    # by libbgcopy-win32's main; in the "C" locale, which it must handle.
    add_test(NAME ${_t} COMMAND ${_t} "résumé-€")
    set_tests_properties(${_t} PROPERTIES TIMEOUT 60 LABELS compat
      ENVIRONMENT "LC_ALL=C;LANG=C")
  endforeach()
  if(BGCOPY_SANITIZE MATCHES "undefined")
    target_compile_options(win32_surface_cpp PRIVATE -fno-sanitize=vptr)
  endif()
  if(TARGET bits-poll AND TARGET bits-props)
    bgcopy_add_test(win32_examples SOURCES ${_compat_tests}/win32_examples.c TIMEOUT 120
                    LABELS compat)
    target_compile_definitions(win32_examples PRIVATE
      BITS_POLL="$<TARGET_FILE:bits-poll>" BITS_PROPS="$<TARGET_FILE:bits-props>")
    add_dependencies(win32_examples bits-poll bits-props)
  endif()
endif()

# Single-threaded apartments: sinks registered from an STA are called on its
# thread from its message loop (docs/notifications.md, "Apartments").  The
# thread-exit case runs in its own process: that thread's COM
# initialisation stays counted, so the engine stays open.
bgcopy_add_test(com_sta SOURCES ${_compat_tests}/com_sta.c TIMEOUT 120 LABELS compat)
target_compile_definitions(com_sta PRIVATE CONST_VTABLE COBJMACROS)
add_test(NAME com_sta_thread_exit COMMAND com_sta thread-exit)
set_tests_properties(com_sta_thread_exit PROPERTIES TIMEOUT 120 LABELS compat)
if(BGCOPY_TEST_ENVIRONMENT)
  set_tests_properties(com_sta_thread_exit PROPERTIES ENVIRONMENT "${BGCOPY_TEST_ENVIRONMENT}")
endif()

# The STA console program of the documentation, run against the test server.
if(TARGET sta-download)
  bgcopy_add_test(sta_example SOURCES ${_compat_tests}/sta_example.c TIMEOUT 60 LABELS compat)
  target_compile_definitions(sta_example PRIVATE STA_EXAMPLE="$<TARGET_FILE:sta-download>")
  add_dependencies(sta_example sta-download)
endif()
