/*
 * winuser.h - bgcopy's stand-in for the Windows SDK header of the same name:
 * the thread message queue a single-threaded (STA) COM client pumps.
 *
 * On non-Windows platforms a BITS client that calls CoInitialize(NULL)
 * receives its IBackgroundCopyCallback calls on its own thread while it
 * waits in one of the functions below, as on Windows (docs/notifications.md,
 * "Apartments").  There are no windows: every message is a thread message
 * (hwnd NULL).  Implementation: compat/src/apartment.c.  <windows.h>
 * includes this header.
 *
 * On Windows the SDK's own <winuser.h> is used (GCC-family compilers are
 * forwarded to it; other compilers stop with an error), as for windows.h.
 */
#ifdef _WIN32
#  if defined(__GNUC__)
#    include_next <winuser.h>
#  else
#    error "bgcopy compat/include/winuser.h is for non-Windows builds: list the Windows SDK include directories before bgcopy's compat/include"
#  endif
#else
#  ifndef BGCOPY_WRAP_WINUSER_H
#  define BGCOPY_WRAP_WINUSER_H
#  include "bgcopy_win32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct HWND__ *HWND;
typedef uintptr_t WPARAM;
typedef intptr_t LPARAM;
typedef intptr_t LRESULT;

typedef struct tagPOINT {
    LONG x;
    LONG y;
} POINT, *PPOINT, *LPPOINT;

/* One posted message.  |time| is the milliseconds counter of the moment it
 * was posted (GetTickCount's); |pt| is always 0,0 (no mouse). */
typedef struct tagMSG {
    HWND hwnd;
    UINT message;
    WPARAM wParam;
    LPARAM lParam;
    DWORD time;
    POINT pt;
} MSG, *PMSG, *LPMSG;

#define WM_NULL 0x0000
#define WM_QUIT 0x0012
#define WM_USER 0x0400
#define WM_APP 0x8000

#define PM_NOREMOVE 0x0000
#define PM_REMOVE 0x0001
#define PM_NOYIELD 0x0002

#define QS_KEY 0x0001
#define QS_MOUSEMOVE 0x0002
#define QS_MOUSEBUTTON 0x0004
#define QS_POSTMESSAGE 0x0008
#define QS_TIMER 0x0010
#define QS_PAINT 0x0020
#define QS_SENDMESSAGE 0x0040
#define QS_HOTKEY 0x0080
#define QS_ALLPOSTMESSAGE 0x0100
#define QS_RAWINPUT 0x0400
#define QS_MOUSE (QS_MOUSEMOVE | QS_MOUSEBUTTON)
#define QS_INPUT (QS_MOUSE | QS_KEY | QS_RAWINPUT)
#define QS_ALLEVENTS (QS_INPUT | QS_POSTMESSAGE | QS_TIMER | QS_PAINT | QS_HOTKEY)
#define QS_ALLINPUT (QS_INPUT | QS_POSTMESSAGE | QS_TIMER | QS_PAINT | QS_HOTKEY | QS_SENDMESSAGE)

#define MWMO_WAITALL 0x0001
#define MWMO_ALERTABLE 0x0002
#define MWMO_INPUTAVAILABLE 0x0004

#ifndef INFINITE
#  define INFINITE 0xFFFFFFFFu
#endif
#ifndef WAIT_OBJECT_0
#  define WAIT_OBJECT_0 0x00000000u
#endif
#ifndef WAIT_TIMEOUT
#  define WAIT_TIMEOUT 0x00000102u
#endif
#ifndef WAIT_FAILED
#  define WAIT_FAILED 0xFFFFFFFFu
#endif

/* Every function below is thread-safe.  The calling thread's message queue
 * is created by its first call of any of them (or by CoInitialize(Ex) with
 * COINIT_APARTMENTTHREADED), as Windows creates it on the first USER call,
 * and is freed when the thread exits.  "Pending calls" are the COM calls
 * other threads made to objects of this thread's single-threaded apartment
 * (notification sinks registered from it): GetMessage, PeekMessage,
 * MsgWaitForMultipleObjects(Ex) and WaitMessage run them on the calling
 * thread, before looking at posted messages, the way Windows processes sent
 * messages there; they never appear as a MSG. */

/* Mirrors GetCurrentThreadId: a number naming the calling thread, unique
 * among the threads alive in the process; the id PostThreadMessage takes. */
BGCOPY_COMPAT_API DWORD GetCurrentThreadId(void);

/* Mirrors GetMessageW (GetMessageA is the same: messages carry no text).
 * Runs pending calls and waits until a posted message matches the filter,
 * then removes it into *lpMsg.  Filter: hWnd NULL = every message of the
 * thread, (HWND)-1 = messages posted with hwnd NULL, another window = none
 * (there are no windows: returns -1); wMsgFilterMin..Max inclusive, 0 and 0
 * = all; WM_QUIT matches every filter.  WM_QUIT from PostQuitMessage comes
 * only when no other posted message is waiting.  Returns 0 for WM_QUIT
 * (wParam = the exit code), -1 for lpMsg NULL or a window handle, else
 * nonzero. */
BGCOPY_COMPAT_API BOOL GetMessageW(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax);
BGCOPY_COMPAT_API BOOL GetMessageA(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax);

/* Mirrors PeekMessageW / PeekMessageA: runs pending calls, then copies the
 * first matching posted message (filter as GetMessage) into *lpMsg without
 * waiting; |wRemoveMsg| PM_REMOVE takes it off the queue, PM_NOREMOVE
 * leaves it (PM_NOYIELD is ignored).  Returns nonzero when a message was
 * copied (WM_QUIT included), 0 when none (or lpMsg NULL). */
BGCOPY_COMPAT_API BOOL PeekMessageW(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax,
                                    UINT wRemoveMsg);
BGCOPY_COMPAT_API BOOL PeekMessageA(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax,
                                    UINT wRemoveMsg);

/* Mirrors TranslateMessage: there are no keyboard messages to translate;
 * returns FALSE. */
BGCOPY_COMPAT_API BOOL TranslateMessage(const MSG *lpMsg);

/* Mirrors DispatchMessageW / DispatchMessageA: there are no window
 * procedures (thread messages are not dispatched on Windows either);
 * returns 0. */
BGCOPY_COMPAT_API LRESULT DispatchMessageW(const MSG *lpMsg);
BGCOPY_COMPAT_API LRESULT DispatchMessageA(const MSG *lpMsg);

/* Mirrors PostMessageW / PostMessageA: hWnd NULL posts to the calling
 * thread's queue (as PostThreadMessage(GetCurrentThreadId(), ...)); a
 * window handle fails (there are no windows).  Returns FALSE on failure
 * (a window handle, the queue holds 10000 messages, out of memory). */
BGCOPY_COMPAT_API BOOL PostMessageW(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam);
BGCOPY_COMPAT_API BOOL PostMessageA(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam);

/* Mirrors PostThreadMessageW / PostThreadMessageA: appends a message with
 * hwnd NULL to the queue of thread |idThread| and wakes it.  FALSE when that
 * thread has no message queue (it never called a function of this header
 * nor CoInitialize as STA, or it exited), the queue holds 10000 messages,
 * or out of memory. */
BGCOPY_COMPAT_API BOOL PostThreadMessageW(DWORD idThread, UINT Msg, WPARAM wParam, LPARAM lParam);
BGCOPY_COMPAT_API BOOL PostThreadMessageA(DWORD idThread, UINT Msg, WPARAM wParam, LPARAM lParam);

/* Mirrors PostQuitMessage: asks the calling thread's loop to end.  A flag,
 * not a queued message: GetMessage / PeekMessage report WM_QUIT (wParam =
 * nExitCode) once no other posted message is waiting; reporting it with
 * removal clears the flag. */
BGCOPY_COMPAT_API void PostQuitMessage(int nExitCode);

/* Mirrors WaitMessage: runs pending calls, then waits until a posted
 * message (or WM_QUIT) is waiting or a new call arrives (and runs it).
 * Returns TRUE. */
BGCOPY_COMPAT_API BOOL WaitMessage(void);

/* Mirrors MsgWaitForMultipleObjectsEx.  There are no waitable kernel
 * objects on this platform, so nCount must be 0 (else WAIT_FAILED).  Runs
 * pending calls, then waits up to dwMilliseconds (INFINITE: no limit) for a
 * posted message or WM_QUIT; a call that arrives meanwhile is run and
 * counts as input when dwWakeMask has QS_SENDMESSAGE.  Returns
 * WAIT_OBJECT_0 + nCount when there is input, WAIT_TIMEOUT otherwise.
 * dwFlags: MWMO_* (accepted; ignored). */
BGCOPY_COMPAT_API DWORD MsgWaitForMultipleObjectsEx(DWORD nCount, const HANDLE *pHandles,
                                                    DWORD dwMilliseconds, DWORD dwWakeMask,
                                                    DWORD dwFlags);

/* Mirrors MsgWaitForMultipleObjects: as the Ex function with dwFlags 0
 * (fWaitAll is meaningless without objects). */
BGCOPY_COMPAT_API DWORD MsgWaitForMultipleObjects(DWORD nCount, const HANDLE *pHandles,
                                                  BOOL fWaitAll, DWORD dwMilliseconds,
                                                  DWORD dwWakeMask);

#ifdef UNICODE
#  define GetMessage GetMessageW
#  define PeekMessage PeekMessageW
#  define DispatchMessage DispatchMessageW
#  define PostMessage PostMessageW
#  define PostThreadMessage PostThreadMessageW
#else
#  define GetMessage GetMessageA
#  define PeekMessage PeekMessageA
#  define DispatchMessage DispatchMessageA
#  define PostMessage PostMessageA
#  define PostThreadMessage PostThreadMessageA
#endif

#ifdef __cplusplus
}
#endif

#  endif /* BGCOPY_WRAP_WINUSER_H */
#endif
