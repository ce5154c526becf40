/*
 * apartment.h - single-threaded apartments for compat/ (internal; not
 * installed): how a call to an object of an STA reaches the STA's thread.
 * docs/notifications.md, "Apartments", says what a client sees.
 *
 * Non-Windows (apartment.c): every thread that uses a message function of
 * winuser.h, or calls CoInitialize(Ex) as STA, has a message queue; an STA
 * is a queue plus the calls waiting for its thread.  Windows
 * (the _WIN32 part of apartment.c): an STA is ole32's; calls are posted to a hidden
 * message-only window of the STA thread and run when its loop dispatches.
 */
#ifndef BGCOPY_COMPAT_APARTMENT_H
#define BGCOPY_COMPAT_APARTMENT_H

#include "bgc_sync.h" /* before bgcopy_win32.h: uv.h needs winsock2.h first */

#include "bgcopy_win32.h"

typedef struct bgc_apartment bgc_apartment;

/* A call carried to an apartment's thread: exactly one of invoke (on that
 * thread, from its message loop, no lock held) or disconnect (the apartment
 * ended first: on the thread ending it) is called, once, after a successful
 * bgc_apartment_post.  Either may free the call. */
typedef struct bgc_apt_call {
    void (*invoke)(struct bgc_apt_call *c);
    void (*disconnect)(struct bgc_apt_call *c);
    struct bgc_apt_call *next; /* owned by the apartment while queued */
} bgc_apt_call;

/* The single-threaded apartment of the calling thread, referenced for the
 * caller (bgc_apartment_release), or NULL when the thread is in the
 * multithreaded apartment or has no COM (those keep free-threaded calls).
 * Thread-safe. */
bgc_apartment *bgc_apartment_current(void);

/* Nonzero when the calling thread is |a|'s thread and |a| is still alive:
 * a call can be made directly. */
int bgc_apartment_is_current(const bgc_apartment *a);

void bgc_apartment_release(bgc_apartment *a);

/* Queue |c| for |a|'s thread and wake it.  S_OK: invoke or disconnect will
 * be called.  RPC_E_DISCONNECTED: the apartment has ended (CoUninitialize or
 * thread exit); neither will be called.  Any
 * thread. */
HRESULT bgc_apartment_post(bgc_apartment *a, bgc_apt_call *c);

#ifndef _WIN32
/* com_runtime.c: the calling thread's STA begins (first CoInitialize(Ex)
 * as STA) or ends (its last CoUninitialize): the end disconnects every
 * call still waiting. */
void bgc_apartment_sta_begin(void);
void bgc_apartment_sta_end(void);
#endif

#endif
