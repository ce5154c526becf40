# Core engine tests: the native API against a real HTTP server on 127.0.0.1.
foreach(t download suspend_resume errors states local_sources callbacks retry scheduling
          temp_swap dest_type)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/core/${t}.c)
    bgcopy_add_test(core_${t} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/${t}.c LABELS core)
  endif()
endforeach()

# The engine where it meets the platform: the default queue directory, and
# local names, temporary files and Complete with each platform's paths.
# Local sources only, so no server is involved.
foreach(t state_dir paths local_special remote_names job_stored)
  bgcopy_add_test(core_${t} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/${t}.c TIMEOUT 60 LABELS core)
endforeach()

# Job lifetime under concurrency: 8 threads, 240 jobs, callbacks calling back
# into the API; the tsan stage checks it for races (docs/architecture.md).
bgcopy_add_test(core_race_stress SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/race_stress.c
  TIMEOUT 90 LABELS core notify)
# Complete and Cancel from two threads at once on one job: one winner, no
# temporary file left (the file work runs outside the engine lock).
bgcopy_add_test(core_finish_race SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/finish_race.c
  TIMEOUT 60 LABELS core)
# Thousands of jobs through the queue list and the scheduler's heaps.
bgcopy_add_test(core_queue_scale SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/queue_scale.c
  TIMEOUT 120 LABELS core)
# Processes started with stdin/stdout/stderr closed (docs/security.md).
bgcopy_add_test(core_closed_stdio SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/closed_stdio.c LABELS core)
# Passwords in URLs masked for display (docs/security.md); no server.
bgcopy_add_test(core_url_display SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/url_display.c TIMEOUT 30 LABELS core)
# BITS 1.0 groups through the native API, on an injected clock (docs/qmgr.md).
bgcopy_add_test(core_groups SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/groups.c TIMEOUT 120 LABELS core qmgr)
# Group Policy limits and JobInactivityTimeout (docs/policy.md): the
# defaults, a policy file raising them, malformed files, and the inactivity
# cancel on an injected clock.
bgcopy_add_test(core_policy SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/policy.c TIMEOUT 120 LABELS core)
# The job record's dirty marks (core/src/record.h): what API calls and
# transfers leave for the store to write; drives the engine's internal hook.
bgcopy_add_test(core_record_marks SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/core/record_marks.c
  TIMEOUT 60 LABELS core)
target_include_directories(core_record_marks PRIVATE
  ${PROJECT_SOURCE_DIR}/core/src ${PROJECT_SOURCE_DIR}/transport)
# record.c is the only writer of the job record: the compiler refuses
# assignments elsewhere; this refuses the writable view's name and casts.
add_test(NAME core_record_writer
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/core/check_record_writer.cmake)
set_tests_properties(core_record_writer PROPERTIES TIMEOUT 60 LABELS core)
