# check_record_writer.cmake - core/src/record.c is the only writer of the job
# record (core/src/record.h, R1; docs/architecture.md, "The job record").
#
#   cmake -DSOURCE_DIR=<repo> -P check_record_writer.cmake
#
# Outside record.c the record's fields are const, so an assignment fails to
# compile under -Werror.  What the compiler cannot see is checked here: the
# writable view (rec_w_) is named only by record.c and by the two unions
# that declare it in internal.h; nobody casts a record pointer to a
# writable one; and the unions still declare the read view const.

cmake_minimum_required(VERSION 3.20)

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repo> -P check_record_writer.cmake")
endif()

file(GLOB_RECURSE sources
  ${SOURCE_DIR}/core/*.c ${SOURCE_DIR}/core/*.h
  ${SOURCE_DIR}/compat/*.c ${SOURCE_DIR}/compat/*.h ${SOURCE_DIR}/compat/*.cpp
  ${SOURCE_DIR}/transport/*.c ${SOURCE_DIR}/transport/*.h
  ${SOURCE_DIR}/bench/*.c)
set(bad "")
foreach(f IN LISTS sources)
  file(RELATIVE_PATH rel ${SOURCE_DIR} ${f})
  file(READ ${f} text)
  string(REGEX MATCHALL "rec_w_" uses "${text}")
  list(LENGTH uses n)
  if(rel STREQUAL "core/src/record.c")
    continue()
  elseif(rel STREQUAL "core/src/internal.h")
    if(NOT n EQUAL 2)
      string(APPEND bad "  ${rel}: rec_w_ named ${n} times (expected 2: the job's and the file's union)\n")
    endif()
  elseif(rel STREQUAL "core/src/record.h")
    # its comment explains the name
  elseif(n GREATER 0)
    string(APPEND bad "  ${rel}: names rec_w_ (only core/src/record.c may write the record)\n")
  endif()
  if(text MATCHES "\\([ \t]*(struct[ \t]+)?bgc_(job|file)_record[ \t]*\\*[ \t]*\\)")
    string(APPEND bad "  ${rel}: casts to a writable record pointer\n")
  endif()
endforeach()

file(READ ${SOURCE_DIR}/core/src/internal.h internal)
foreach(kind JOB FILE)
  if(NOT internal MATCHES "struct { BGC_${kind}_RECORD_FIELDS\\(const\\) };")
    string(APPEND bad "  core/src/internal.h: the ${kind} record's read view is not const\n")
  endif()
endforeach()

if(bad)
  message(FATAL_ERROR "record writers outside core/src/record.c:\n${bad}")
endif()
list(LENGTH sources count)
message(STATUS "record writer: only core/src/record.c (${count} files checked)")
