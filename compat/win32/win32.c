/*
 * win32.c - libbgcopy-win32: the Win32 calls BITS programs make around the
 * BITS calls (Sleep, GetTickCount, GetLastError, ...), for Linux.
 *
 * Declared in bgcopy_win32.h (reached through <windows.h>).  Kept out of
 * libbgcopy so that these common names are never exported by the BITS
 * library, where they would clash with other code; a BITS program links
 * this static library as well (docs/windows-programs.md).  Not built on
 * Windows, where the names are kernel32's.
 */
#include <windows.h>

#include <uv.h>

/* The calling thread's Win32 last-error code: one per thread, 0 at start,
 * as on Windows. */
static _Thread_local DWORD t_last_error;

void Sleep(DWORD dwMilliseconds)
{
    if (dwMilliseconds == INFINITE) {
        for (;;)
            uv_sleep(UINT32_MAX);
    }
    uv_sleep(dwMilliseconds);
}

ULONGLONG GetTickCount64(void)
{
    return uv_hrtime() / 1000000u;
}

DWORD GetTickCount(void)
{
    return (DWORD)GetTickCount64();
}

DWORD GetLastError(void)
{
    return t_last_error;
}

void SetLastError(DWORD dwErrCode)
{
    t_last_error = dwErrCode;
}
