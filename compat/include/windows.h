/*
 * windows.h - bgcopy's stand-in for the Windows SDK header of the same name.
 *
 * On non-Windows platforms BITS client code includes <windows.h>; everything
 * it needs from it lives in bgcopy_win32.h, which this file includes.
 *
 * On Windows the SDK's own <windows.h> must be used.  Include order there: put
 * the SDK include directories BEFORE bgcopy's compat/include (or do not add
 * this directory's Windows-named wrappers at all).  GCC-family compilers
 * (mingw-w64) are forwarded to the next <windows.h> on the search path; other
 * compilers stop with an error that says so.
 */
#ifdef _WIN32
#  if defined(__GNUC__)
#    include_next <windows.h>
#  else
#    error "bgcopy compat/include/windows.h is for non-Windows builds: list the Windows SDK include directories before bgcopy's compat/include"
#  endif
#else
#  ifndef BGCOPY_WRAP_WINDOWS_H
#  define BGCOPY_WRAP_WINDOWS_H
#  include "bgcopy_win32.h"
#  include "winuser.h"
#  endif
#endif
