# Tests of the Windows-named compat headers (compat/include) and of the mini
# COM runtime (compat/src/com_runtime.c, class_registry.c, guids.c).
# Included from tests/CMakeLists.txt, so CMAKE_CURRENT_SOURCE_DIR is tests/.
#
# These tests link the runtime's own sources plus test bodies of its two
# hooks (tests/compat/com_runtime_hooks.c) instead of libbgcopy, so they
# observe exactly what the runtime passes to the class constructor and when
# it calls bgcopy_compat_on_last_uninitialize, and they keep building while
# the COM objects and the engine are under construction.  The COM-objects
# tests cover the same entry points through libbgcopy.

set(_ch_dir ${CMAKE_CURRENT_SOURCE_DIR}/compat)

add_library(bgcopy_com_runtime_under_test STATIC
  ${PROJECT_SOURCE_DIR}/compat/src/com_runtime.c
  ${PROJECT_SOURCE_DIR}/compat/src/apartment.c
  ${PROJECT_SOURCE_DIR}/compat/src/class_registry.c
  ${PROJECT_SOURCE_DIR}/compat/src/guids.c
  ${PROJECT_SOURCE_DIR}/compat/src/qmgr_guids.c
  ${_ch_dir}/com_runtime_hooks.c)
target_include_directories(bgcopy_com_runtime_under_test
  PUBLIC ${PROJECT_SOURCE_DIR}/compat/include ${_ch_dir}
  PRIVATE ${PROJECT_SOURCE_DIR}/compat/src)
# The runtime's locks are libuv's; on Windows COM itself is ole32/oleaut32.
target_link_libraries(bgcopy_com_runtime_under_test PUBLIC ${BGCOPY_UV_TARGET}
  ${BGCOPY_SYSTEM_LIBS})

function(bgcopy_headers_test name)
  cmake_parse_arguments(T "" "" "SOURCES" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/support)
  target_link_libraries(${name} PRIVATE bgcopy_com_runtime_under_test Threads::Threads)
  # SDK opt-ins of C clients (const vtables, IUnknown_* macros); bgcopy's
  # headers behave as if both were defined, so they matter on Windows only.
  target_compile_definitions(${name} PRIVATE CONST_VTABLE COBJMACROS)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT 60 LABELS compat)
endfunction()

bgcopy_headers_test(compat_headers_c SOURCES ${_ch_dir}/headers_c.c)

# C++: the same headers from C++17 (the project default) and C++11.
# -fno-sanitize=vptr: these programs call C-implemented objects through C++
# interfaces, which have no C++ type information for UBSan to check; every
# C++ client of bgcopy built with -fsanitize=undefined needs the same flag.
foreach(std 17 11)
  bgcopy_headers_test(compat_headers_cpp${std}
    SOURCES ${_ch_dir}/headers_cpp.cpp ${_ch_dir}/headers_ccall.c)
  set_target_properties(compat_headers_cpp${std} PROPERTIES
    CXX_STANDARD ${std} CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
  if(BGCOPY_SANITIZE MATCHES "undefined|vptr")
    target_compile_options(compat_headers_cpp${std} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fno-sanitize=vptr>)
  endif()
endforeach()

bgcopy_headers_test(compat_com_runtime SOURCES ${_ch_dir}/com_runtime.c)
