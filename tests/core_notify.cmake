# Notification tests (docs/notifications.md): delivery rules, the pump,
# threading, the command line.  Included from tests/CMakeLists.txt.
foreach(t notify_files notify_cmdline notify_threads notify_ranges notify_scale)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/core/${t}.c)
    bgcopy_add_test(core_${t} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/${t}.c LABELS core notify)
  endif()
endforeach()
# The program core_notify_cmdline registers with SetNotifyCmdLine: an
# executable (on Windows it must be one), found by the test beside itself.
if(TARGET core_notify_cmdline)
  add_executable(core_notify_helper ${CMAKE_CURRENT_SOURCE_DIR}/core/notify_helper.c)
  target_link_libraries(core_notify_helper PRIVATE ${BGCOPY_UV_TARGET})
  add_dependencies(core_notify_cmdline core_notify_helper)
endif()
# The notification program inherits no descriptor but 0-2
# (docs/security.md); its program lists what it got.
bgcopy_add_test(core_notify_fds SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/notify_fds.c LABELS core notify)
add_executable(core_fd_list_helper ${CMAKE_CURRENT_SOURCE_DIR}/core/fd_list_helper.c)
add_dependencies(core_notify_fds core_fd_list_helper)
# notify_ranges drives the engine's internal hook (no on-demand transfers yet).
if(TARGET core_notify_ranges)
  target_include_directories(core_notify_ranges PRIVATE
    ${PROJECT_SOURCE_DIR}/core/src ${PROJECT_SOURCE_DIR}/transport)
endif()
# The callback latency benchmark (not a test): bench/callbacks/.
include(${PROJECT_SOURCE_DIR}/bench/callbacks/CMakeLists.txt OPTIONAL)
