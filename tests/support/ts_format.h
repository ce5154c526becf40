/*
 * ts_format.h - TS_PRINTF_FORMAT, the format archetype for the printf-like
 * functions of check.h and harness.h: mingw's headers name the one that
 * matches the printf in use (gnu_printf with __USE_MINGW_ANSI_STDIO, else
 * msvcrt's ms_printf), so -Wformat checks what will really run.
 */
#ifndef BGCOPY_TEST_TS_FORMAT_H
#define BGCOPY_TEST_TS_FORMAT_H

#include <stdio.h> /* __MINGW_PRINTF_FORMAT */

#ifdef __MINGW_PRINTF_FORMAT
#define TS_PRINTF_FORMAT __MINGW_PRINTF_FORMAT
#else
#define TS_PRINTF_FORMAT printf
#endif

#endif /* BGCOPY_TEST_TS_FORMAT_H */
