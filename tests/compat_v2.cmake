# Tests of the BITS 1.5 ... 10.1 COM interfaces (compat/src job_v2.c,
# job_http_options.c, file.c, notify_bridge.c) and the seed samples run as
# tests.  Included from tests/CMakeLists.txt (CMAKE_CURRENT_SOURCE_DIR is
# tests/).

set(_compat_v2 ${CMAKE_CURRENT_SOURCE_DIR}/compat)

# QueryInterface graphs, versioned CLSIDs, E_NOTIMPL slots and stored-only
# values: needs no native function beyond the walking skeleton.
bgcopy_add_test(v2_interfaces SOURCES ${_compat_v2}/v2_interfaces.c TIMEOUT 120 LABELS compat)

# Microsoft's CNotifyInterface sample (the founding document), verbatim,
# driven through issue 3's scenario.  C++ over objects written in C: UBSan's
# vptr check must be off (see tests/compat.cmake).
bgcopy_add_test(seed_cnotify SOURCES ${_compat_v2}/seed_cnotify.cpp TIMEOUT 120 LABELS compat)
if(BGCOPY_SANITIZE MATCHES "undefined")
  target_compile_options(seed_cnotify PRIVATE -fno-sanitize=vptr)
endif()

# Issue 3's JobError scenario in C through the vtables.
bgcopy_add_test(seed_joberror SOURCES ${_compat_v2}/seed_joberror.c TIMEOUT 120 LABELS compat)

# The methods over the native functions of issues 3 and 4 (command line,
# HTTP options, dynamic content, ranges, remote names, validation state).
bgcopy_add_test(v2_native SOURCES ${_compat_v2}/v2_native.c TIMEOUT 120 LABELS compat)

# Callback3 > Callback2 > Callback: the level the bridge calls.
bgcopy_add_test(v2_callback_levels SOURCES ${_compat_v2}/v2_callback_levels.c TIMEOUT 120
                LABELS compat)

# BITS 10.1 random access: ON_DEMAND_MODE, IBackgroundCopyFile6 and
# IBackgroundCopyCallback3::FileRangesTransferred.
bgcopy_add_test(v2_on_demand SOURCES ${_compat_v2}/v2_on_demand.c TIMEOUT 120 LABELS compat)

# The Windows SDK opt-ins these C clients rely on, as every C client of the
# SDK must: CONST_VTABLE (their vtables are static const) and COBJMACROS
# (IUnknown_Release(p) and friends).  bgcopy's own headers behave as if both
# were always defined, so on Linux they change nothing.
foreach(_t v2_interfaces seed_cnotify seed_joberror v2_native v2_callback_levels v2_on_demand)
  if(TARGET ${_t})
    target_compile_definitions(${_t} PRIVATE CONST_VTABLE COBJMACROS)
  endif()
endforeach()
