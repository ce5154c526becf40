# Notification tests (docs/notifications.md): delivery rules, the pump,
# threading, the command line.  Included from tests/CMakeLists.txt.
foreach(t notify_files notify_cmdline notify_threads notify_ranges)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/core/${t}.c)
    bgcopy_add_test(core_${t} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/${t}.c LABELS core notify)
  endif()
endforeach()
# notify_ranges drives the engine's internal hook (no on-demand transfers yet).
if(TARGET core_notify_ranges)
  target_include_directories(core_notify_ranges PRIVATE
    ${PROJECT_SOURCE_DIR}/core/src ${PROJECT_SOURCE_DIR}/transport)
endif()
# The callback latency benchmark (not a test): bench/callbacks/.
include(${PROJECT_SOURCE_DIR}/bench/callbacks/CMakeLists.txt OPTIONAL)
