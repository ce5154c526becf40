/*
 * apartment.c - thread message queues and single-threaded apartments on
 * non-Windows platforms (declarations: compat/include/winuser.h for the
 * Win32 functions, apartment.h for compat's side; what a client sees:
 * docs/notifications.md, "Apartments").
 *
 * A thread's message queue (msgq) is created by its first message function
 * or by CoInitialize(Ex) as STA, and dies with the thread (a C11 tss
 * destructor, since libuv's uv_key has none).  An STA (bgc_apartment) is a
 * queue plus the calls other threads made to its objects and not yet run.
 * The message functions run those calls on the queue's own thread, before
 * they look at posted messages, the way Windows processes sent messages
 * there; the calls never appear as a MSG.
 *
 * Invariants (q->lock protects a queue, its STA's call list and the STA's
 * |connected|):
 *  A1. q->sta is written only by q's own thread (STA begin and end, thread
 *      exit), under q->lock; other threads read it under q->lock.
 *  A2. A call is on exactly one list, its apartment's, from a successful
 *      bgc_apartment_post until it is popped to be invoked (q's thread) or
 *      taken by the STA's end to be disconnected: exactly one of the two.
 *  A3. A disconnected apartment (connected == 0) never takes a call again.
 *  A4. References: the thread holds one on its queue (dropped at exit), an
 *      apartment one on its queue; the queue holds one on its current STA;
 *      every bridge registered from the STA holds one on it.  The registry
 *      of queues (for PostThreadMessage) holds none: a queue leaves it
 *      before its thread's reference goes.
 *  A5. Locks: the registry lock may be taken before a queue's lock, never
 *      after; no lock is held while a call runs or is disconnected.
 */
#include "apartment.h"

#ifndef _WIN32

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "winuser.h"

/* Windows' default quota of posted messages per queue
 * (USERPostMessageLimit): PostMessage fails beyond it. */
#define BGC_POSTED_LIMIT 10000u

typedef struct posted {
    MSG msg;
    struct posted *next;
} posted;

typedef struct msgq {
    _Atomic unsigned ref;
    uv_mutex_t lock;
    uv_cond_t cond;              /* a message, a call or the quit flag arrived */
    DWORD tid;
    posted *head, *tail;
    unsigned count;
    int quit, quit_code;         /* PostQuitMessage's flag and exit code */
    int alive;                   /* the thread has not exited */
    bgc_apartment *sta;          /* A1; referenced */
    struct msgq *next;           /* in g_queues, under g_queues_lock */
} msgq;

struct bgc_apartment {
    _Atomic unsigned ref;
    msgq *q;                     /* referenced */
    int connected;               /* A3 */
    bgc_apt_call *head, *tail;   /* A2 */
};

BGC_STATIC_MUTEX(g_queues_lock)
static msgq *g_queues;
static _Atomic DWORD g_next_tid = 1;
static _Thread_local DWORD t_tid;
static _Thread_local msgq *t_q;

static tss_t g_exit_key;
static int g_exit_key_ok;
static uv_once_t g_exit_once = UV_ONCE_INIT;

static void queue_release(msgq *q)
{
    if (atomic_fetch_sub(&q->ref, 1) != 1)
        return;
    for (posted *p = q->head, *n; p; p = n) {
        n = p->next;
        free(p);
    }
    uv_cond_destroy(&q->cond);
    uv_mutex_destroy(&q->lock);
    free(q);
}

void bgc_apartment_release(bgc_apartment *a)
{
    if (!a || atomic_fetch_sub(&a->ref, 1) != 1)
        return;
    queue_release(a->q);
    free(a);
}

/* Own thread: the STA of |q| ends; its waiting calls are disconnected. */
static void sta_end(msgq *q)
{
    uv_mutex_lock(&q->lock);
    bgc_apartment *a = q->sta;
    bgc_apt_call *calls = NULL;
    q->sta = NULL;
    if (a) {
        a->connected = 0;
        calls = a->head;
        a->head = a->tail = NULL;
    }
    uv_mutex_unlock(&q->lock);
    for (bgc_apt_call *c = calls, *n; c; c = n) {
        n = c->next;
        c->disconnect(c);
    }
    bgc_apartment_release(a);
}

/* tss destructor: the thread exits.  Its STA ends (as if CoUninitialize:
 * waiting calls fail) and its queue leaves the registry. */
static void on_thread_exit(void *arg)
{
    msgq *q = arg;
    sta_end(q);
    uv_mutex_lock(g_queues_lock());
    for (msgq **pp = &g_queues; *pp; pp = &(*pp)->next) {
        if (*pp == q) {
            *pp = q->next;
            break;
        }
    }
    uv_mutex_unlock(g_queues_lock());
    uv_mutex_lock(&q->lock);
    q->alive = 0;
    uv_mutex_unlock(&q->lock);
    t_q = NULL;
    queue_release(q);
}

static void exit_key_init(void)
{
    g_exit_key_ok = tss_create(&g_exit_key, on_thread_exit) == thrd_success;
}

BGCOPY_COMPAT_API DWORD GetCurrentThreadId(void)
{
    if (!t_tid)
        t_tid = atomic_fetch_add(&g_next_tid, 1);
    return t_tid;
}

/* The calling thread's queue, created on first use; NULL when out of
 * memory. */
static msgq *my_queue(void)
{
    if (t_q)
        return t_q;
    uv_once(&g_exit_once, exit_key_init);
    if (!g_exit_key_ok)
        return NULL;
    msgq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    if (uv_mutex_init(&q->lock) != 0) {
        free(q);
        return NULL;
    }
    if (uv_cond_init(&q->cond) != 0) {
        uv_mutex_destroy(&q->lock);
        free(q);
        return NULL;
    }
    atomic_init(&q->ref, 1);
    q->tid = GetCurrentThreadId();
    q->alive = 1;
    if (tss_set(g_exit_key, q) != thrd_success) {
        queue_release(q);
        return NULL;
    }
    uv_mutex_lock(g_queues_lock());
    q->next = g_queues;
    g_queues = q;
    uv_mutex_unlock(g_queues_lock());
    t_q = q;
    return q;
}

void bgc_apartment_sta_begin(void)
{
    msgq *q = my_queue();
    bgc_apartment *a = q ? calloc(1, sizeof *a) : NULL;
    if (!a)
        return; /* out of memory: the thread's sinks stay free-threaded */
    atomic_init(&a->ref, 1);
    atomic_fetch_add(&q->ref, 1);
    a->q = q;
    a->connected = 1;
    uv_mutex_lock(&q->lock);
    q->sta = a;
    uv_mutex_unlock(&q->lock);
}

void bgc_apartment_sta_end(void)
{
    if (t_q)
        sta_end(t_q);
}

bgc_apartment *bgc_apartment_current(void)
{
    msgq *q = t_q;
    if (!q)
        return NULL;
    uv_mutex_lock(&q->lock);
    bgc_apartment *a = q->sta;
    if (a)
        atomic_fetch_add(&a->ref, 1);
    uv_mutex_unlock(&q->lock);
    return a;
}

int bgc_apartment_is_current(const bgc_apartment *a)
{
    /* q->sta is written only by this very thread (A1): no lock needed. */
    return t_q && t_q->sta == a;
}

HRESULT bgc_apartment_post(bgc_apartment *a, bgc_apt_call *c)
{
    msgq *q = a->q;
    uv_mutex_lock(&q->lock);
    if (!a->connected) {
        uv_mutex_unlock(&q->lock);
        return RPC_E_DISCONNECTED;
    }
    c->next = NULL;
    if (a->tail)
        a->tail->next = c;
    else
        a->head = c;
    a->tail = c;
    uv_cond_broadcast(&q->cond);
    uv_mutex_unlock(&q->lock);
    return S_OK;
}

/* Own thread: run the calls waiting for this thread's STA, oldest first.
 * Returns how many ran.  A call may pump again (reentrancy, as in a
 * Windows STA): the nested loop runs the next ones. */
static int run_calls(msgq *q)
{
    int n = 0;
    for (;;) {
        uv_mutex_lock(&q->lock);
        bgc_apartment *a = q->sta;
        bgc_apt_call *c = a ? a->head : NULL;
        if (c) {
            a->head = c->next;
            if (!a->head)
                a->tail = NULL;
        }
        uv_mutex_unlock(&q->lock);
        if (!c)
            return n;
        c->invoke(c);
        n++;
    }
}

/* Lock held: calls waiting to run on this thread. */
static int calls_waiting(const msgq *q)
{
    return q->sta && q->sta->head;
}

static DWORD tick_ms(void)
{
    return (DWORD)(uv_hrtime() / 1000000u);
}

/* A filter naming a window matches nothing: there are no windows. */
static int bad_window(HWND h)
{
    return h != NULL && h != (HWND)(intptr_t)-1;
}

/* Lock held: the first posted message matching the filter into *m (taken
 * off the queue when |remove|), else WM_QUIT when PostQuitMessage's flag
 * is set.  Returns 1 when *m was filled. */
static int peek_locked(msgq *q, MSG *m, UINT lo, UINT hi, int remove)
{
    for (posted *prev = NULL, *p = q->head; p; prev = p, p = p->next) {
        UINT msg = p->msg.message;
        if (msg != WM_QUIT && !(lo == 0 && hi == 0) && (msg < lo || msg > hi))
            continue;
        *m = p->msg;
        if (remove) {
            if (prev)
                prev->next = p->next;
            else
                q->head = p->next;
            if (q->tail == p)
                q->tail = prev;
            q->count--;
            free(p);
        }
        return 1;
    }
    if (q->quit) {
        memset(m, 0, sizeof *m);
        m->message = WM_QUIT;
        m->wParam = (WPARAM)(intptr_t)q->quit_code;
        m->time = tick_ms();
        if (remove)
            q->quit = 0;
        return 1;
    }
    return 0;
}

static BOOL get_message(LPMSG m, HWND h, UINT lo, UINT hi)
{
    msgq *q = m && !bad_window(h) ? my_queue() : NULL;
    if (!q)
        return -1;
    for (;;) {
        run_calls(q);
        uv_mutex_lock(&q->lock);
        int got = peek_locked(q, m, lo, hi, 1);
        if (!got && !calls_waiting(q))
            uv_cond_wait(&q->cond, &q->lock);
        uv_mutex_unlock(&q->lock);
        if (got)
            return m->message != WM_QUIT;
    }
}

BGCOPY_COMPAT_API BOOL GetMessageW(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax)
{
    return get_message(lpMsg, hWnd, wMsgFilterMin, wMsgFilterMax);
}

BGCOPY_COMPAT_API BOOL GetMessageA(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax)
{
    return get_message(lpMsg, hWnd, wMsgFilterMin, wMsgFilterMax);
}

static BOOL peek_message(LPMSG m, HWND h, UINT lo, UINT hi, UINT remove)
{
    msgq *q = m && !bad_window(h) ? my_queue() : NULL;
    if (!q)
        return FALSE;
    run_calls(q);
    uv_mutex_lock(&q->lock);
    int got = peek_locked(q, m, lo, hi, (remove & PM_REMOVE) != 0);
    uv_mutex_unlock(&q->lock);
    return got;
}

BGCOPY_COMPAT_API BOOL PeekMessageW(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax,
                                    UINT wRemoveMsg)
{
    return peek_message(lpMsg, hWnd, wMsgFilterMin, wMsgFilterMax, wRemoveMsg);
}

BGCOPY_COMPAT_API BOOL PeekMessageA(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax,
                                    UINT wRemoveMsg)
{
    return peek_message(lpMsg, hWnd, wMsgFilterMin, wMsgFilterMax, wRemoveMsg);
}

BGCOPY_COMPAT_API BOOL TranslateMessage(const MSG *lpMsg)
{
    (void)lpMsg;
    return FALSE;
}

BGCOPY_COMPAT_API LRESULT DispatchMessageW(const MSG *lpMsg)
{
    (void)lpMsg;
    return 0;
}

BGCOPY_COMPAT_API LRESULT DispatchMessageA(const MSG *lpMsg)
{
    (void)lpMsg;
    return 0;
}

/* Append a message to |q| (any thread).  FALSE when the thread exited, the
 * quota is used up, or out of memory. */
static BOOL post_to(msgq *q, UINT msg, WPARAM w, LPARAM l)
{
    posted *p = malloc(sizeof *p);
    if (!p)
        return FALSE;
    memset(p, 0, sizeof *p);
    p->msg.message = msg;
    p->msg.wParam = w;
    p->msg.lParam = l;
    p->msg.time = tick_ms();
    uv_mutex_lock(&q->lock);
    int ok = q->alive && q->count < BGC_POSTED_LIMIT;
    if (ok) {
        if (q->tail)
            q->tail->next = p;
        else
            q->head = p;
        q->tail = p;
        q->count++;
        uv_cond_broadcast(&q->cond);
    }
    uv_mutex_unlock(&q->lock);
    if (!ok)
        free(p);
    return ok;
}

static BOOL post_thread(DWORD tid, UINT msg, WPARAM w, LPARAM l)
{
    msgq *q = NULL;
    uv_mutex_lock(g_queues_lock());
    for (msgq *it = g_queues; it && !q; it = it->next) {
        if (it->tid == tid) {
            q = it;
            atomic_fetch_add(&q->ref, 1);
        }
    }
    uv_mutex_unlock(g_queues_lock());
    if (!q)
        return FALSE;
    BOOL ok = post_to(q, msg, w, l);
    queue_release(q);
    return ok;
}

static BOOL post_message(HWND h, UINT msg, WPARAM w, LPARAM l)
{
    if (h != NULL)
        return FALSE; /* a window handle: there are no windows */
    msgq *q = my_queue();
    return q ? post_to(q, msg, w, l) : FALSE;
}

BGCOPY_COMPAT_API BOOL PostMessageW(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam)
{
    return post_message(hWnd, Msg, wParam, lParam);
}

BGCOPY_COMPAT_API BOOL PostMessageA(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam)
{
    return post_message(hWnd, Msg, wParam, lParam);
}

BGCOPY_COMPAT_API BOOL PostThreadMessageW(DWORD idThread, UINT Msg, WPARAM wParam, LPARAM lParam)
{
    return post_thread(idThread, Msg, wParam, lParam);
}

BGCOPY_COMPAT_API BOOL PostThreadMessageA(DWORD idThread, UINT Msg, WPARAM wParam, LPARAM lParam)
{
    return post_thread(idThread, Msg, wParam, lParam);
}

BGCOPY_COMPAT_API void PostQuitMessage(int nExitCode)
{
    msgq *q = my_queue();
    if (!q)
        return;
    uv_mutex_lock(&q->lock);
    q->quit = 1;
    q->quit_code = nExitCode;
    uv_cond_broadcast(&q->cond);
    uv_mutex_unlock(&q->lock);
}

BGCOPY_COMPAT_API DWORD MsgWaitForMultipleObjectsEx(DWORD nCount, const HANDLE *pHandles,
                                                    DWORD dwMilliseconds, DWORD dwWakeMask,
                                                    DWORD dwFlags)
{
    (void)pHandles;
    (void)dwFlags;
    msgq *q = nCount == 0 ? my_queue() : NULL;
    if (!q)
        return WAIT_FAILED; /* no waitable objects on this platform */
    const DWORD posted_bits = QS_POSTMESSAGE | QS_ALLPOSTMESSAGE;
    /* On Windows a call into an STA arrives as a message posted to a COM
     * window: it wakes a loop that waits for posted or sent messages. */
    const DWORD call_bits = posted_bits | QS_SENDMESSAGE;
    uint64_t deadline = dwMilliseconds == INFINITE ? UINT64_MAX
                                                   : uv_hrtime() + (uint64_t)dwMilliseconds * 1000000u;
    for (;;) {
        if (run_calls(q) && (dwWakeMask & call_bits))
            return WAIT_OBJECT_0 + nCount;
        uv_mutex_lock(&q->lock);
        int input = (q->head || q->quit) && (dwWakeMask & posted_bits);
        int timed_out = 0;
        if (!input && !calls_waiting(q)) {
            if (deadline == UINT64_MAX) {
                uv_cond_wait(&q->cond, &q->lock);
            } else {
                uint64_t now = uv_hrtime();
                if (now >= deadline)
                    timed_out = 1;
                else
                    (void)uv_cond_timedwait(&q->cond, &q->lock, deadline - now);
            }
        }
        uv_mutex_unlock(&q->lock);
        if (input)
            return WAIT_OBJECT_0 + nCount;
        if (timed_out)
            return WAIT_TIMEOUT;
    }
}

BGCOPY_COMPAT_API DWORD MsgWaitForMultipleObjects(DWORD nCount, const HANDLE *pHandles,
                                                  BOOL fWaitAll, DWORD dwMilliseconds,
                                                  DWORD dwWakeMask)
{
    (void)fWaitAll;
    return MsgWaitForMultipleObjectsEx(nCount, pHandles, dwMilliseconds, dwWakeMask, 0);
}

BGCOPY_COMPAT_API BOOL WaitMessage(void)
{
    (void)MsgWaitForMultipleObjectsEx(0, NULL, INFINITE, QS_ALLINPUT, 0);
    return TRUE;
}

#else /* _WIN32 */

/*
 * Windows: the STA is ole32's.  An apartment here is the STA thread's
 * hidden message-only window (created on the thread, so its messages are
 * dispatched by that thread's loop, as ole32's own OleMainThreadWndClass
 * window is) plus the calls waiting for it.  Posting a call appends it and
 * posts a wake-up message to the window; the window procedure runs every
 * call waiting.  The STA's end is seen with an IInitializeSpy
 * (PostUninitialize with no initialisation left) and with an FLS callback
 * at thread exit; either disconnects the waiting calls.  Invariants A2, A3,
 * A5 above hold with a->lock in place of q->lock.
 */
#include <stdatomic.h>
#include <stdlib.h>

#define BGC_WM_CALL (WM_APP + 0x0b17)

struct bgc_apartment {
    _Atomic unsigned ref;
    uv_mutex_t lock;
    HWND hwnd;                   /* the thread's; destroyed by the thread at the end */
    int connected;               /* A3 */
    bgc_apt_call *head, *tail;   /* A2 */
    IInitializeSpy spy;          /* sees the thread's last CoUninitialize */
    ULARGE_INTEGER spy_cookie;
    int spy_registered;
};

static _Thread_local bgc_apartment *t_apt;
static DWORD g_fls = FLS_OUT_OF_INDEXES;
static ATOM g_class;
static uv_once_t g_once = UV_ONCE_INIT;

void bgc_apartment_release(bgc_apartment *a)
{
    if (!a || atomic_fetch_sub(&a->ref, 1) != 1)
        return;
    uv_mutex_destroy(&a->lock);
    free(a);
}

static void run_calls(bgc_apartment *a)
{
    for (;;) {
        uv_mutex_lock(&a->lock);
        bgc_apt_call *c = a->head;
        if (c) {
            a->head = c->next;
            if (!a->head)
                a->tail = NULL;
        }
        uv_mutex_unlock(&a->lock);
        if (!c)
            return;
        c->invoke(c);
    }
}

/* Own thread: the STA ends; waiting calls are disconnected. */
static void sta_end(bgc_apartment *a)
{
    if (t_apt != a)
        return;
    t_apt = NULL;
    uv_mutex_lock(&a->lock);
    a->connected = 0;
    bgc_apt_call *calls = a->head;
    a->head = a->tail = NULL;
    uv_mutex_unlock(&a->lock);
    for (bgc_apt_call *c = calls, *n; c; c = n) {
        n = c->next;
        c->disconnect(c);
    }
    if (a->hwnd)
        DestroyWindow(a->hwnd);
    a->hwnd = NULL;
    if (a->spy_registered)
        CoRevokeInitializeSpy(a->spy_cookie);
    a->spy_registered = 0;
    if (g_fls != FLS_OUT_OF_INDEXES)
        FlsSetValue(g_fls, NULL);
    bgc_apartment_release(a);      /* the thread's reference */
}

static LRESULT CALLBACK wnd_proc(HWND hwnd, UINT msg, WPARAM w, LPARAM l)
{
    if (msg == BGC_WM_CALL) {
        bgc_apartment *a = (bgc_apartment *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
        if (a)
            run_calls(a);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, w, l);
}

static void NTAPI on_thread_exit(void *arg)
{
    if (arg && t_apt == arg)
        sta_end(arg);
}

static void once_init(void)
{
    g_fls = FlsAlloc(on_thread_exit);
    WNDCLASSEXW wc;
    memset(&wc, 0, sizeof wc);
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = wnd_proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"BgCopyApartmentWindow";
    g_class = RegisterClassExW(&wc);
}

static bgc_apartment *spy_from(IInitializeSpy *This)
{
    return (bgc_apartment *)(void *)((char *)This - offsetof(bgc_apartment, spy));
}

static HRESULT STDMETHODCALLTYPE spy_QueryInterface(IInitializeSpy *This, REFIID riid, void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IInitializeSpy)) {
        *ppv = This;
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

/* The spy lives as long as its apartment; COM's references are not counted. */
static ULONG STDMETHODCALLTYPE spy_AddRef(IInitializeSpy *This)
{
    (void)This;
    return 2;
}

static ULONG STDMETHODCALLTYPE spy_Release(IInitializeSpy *This)
{
    (void)This;
    return 1;
}

static HRESULT STDMETHODCALLTYPE spy_PreInitialize(IInitializeSpy *This, DWORD dwCoInit, DWORD refs)
{
    (void)This, (void)dwCoInit, (void)refs;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spy_PostInitialize(IInitializeSpy *This, HRESULT hr, DWORD dwCoInit,
                                                    DWORD refs)
{
    (void)This, (void)dwCoInit, (void)refs;
    return hr;
}

static HRESULT STDMETHODCALLTYPE spy_PreUninitialize(IInitializeSpy *This, DWORD refs)
{
    (void)This, (void)refs;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE spy_PostUninitialize(IInitializeSpy *This, DWORD refs)
{
    if (refs == 0)
        sta_end(spy_from(This));
    return S_OK;
}

static IInitializeSpyVtbl spy_vtbl = {
    spy_QueryInterface, spy_AddRef, spy_Release, spy_PreInitialize,
    spy_PostInitialize, spy_PreUninitialize, spy_PostUninitialize,
};

bgc_apartment *bgc_apartment_current(void)
{
    APTTYPE type;
    APTTYPEQUALIFIER qualifier;
    if (FAILED(CoGetApartmentType(&type, &qualifier)) ||
        (type != APTTYPE_STA && type != APTTYPE_MAINSTA))
        return NULL;
    if (!t_apt) {
        uv_once(&g_once, once_init);
        if (!g_class)
            return NULL; /* no window class: the thread's sinks stay free-threaded */
        bgc_apartment *a = calloc(1, sizeof *a);
        if (!a || uv_mutex_init(&a->lock) != 0) {
            free(a);
            return NULL;
        }
        atomic_init(&a->ref, 1);   /* the thread's, dropped at the STA's end */
        a->connected = 1;
        a->spy.lpVtbl = &spy_vtbl;
        a->hwnd = CreateWindowExW(0, L"BgCopyApartmentWindow", NULL, 0, 0, 0, 0, 0, HWND_MESSAGE,
                                  NULL, GetModuleHandleW(NULL), NULL);
        if (!a->hwnd) {
            uv_mutex_destroy(&a->lock);
            free(a);
            return NULL;
        }
        SetWindowLongPtrW(a->hwnd, GWLP_USERDATA, (LONG_PTR)a);
        a->spy_registered = SUCCEEDED(CoRegisterInitializeSpy(&a->spy, &a->spy_cookie));
        if (g_fls != FLS_OUT_OF_INDEXES)
            FlsSetValue(g_fls, a);
        t_apt = a;
    }
    atomic_fetch_add(&t_apt->ref, 1);
    return t_apt;
}

int bgc_apartment_is_current(const bgc_apartment *a)
{
    return t_apt == a;
}

HRESULT bgc_apartment_post(bgc_apartment *a, bgc_apt_call *c)
{
    uv_mutex_lock(&a->lock);
    if (!a->connected) {
        uv_mutex_unlock(&a->lock);
        return RPC_E_DISCONNECTED;
    }
    c->next = NULL;
    if (a->tail)
        a->tail->next = c;
    else
        a->head = c;
    a->tail = c;
    HWND hwnd = a->hwnd;
    uv_mutex_unlock(&a->lock);
    if (PostMessageW(hwnd, BGC_WM_CALL, 0, 0))
        return S_OK;
    /* The window's queue is full or gone: take the call back unless the
     * thread already took it. */
    uv_mutex_lock(&a->lock);
    int taken_back = 0;
    for (bgc_apt_call **pp = &a->head, *prev = NULL; *pp; prev = *pp, pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            if (a->tail == c)
                a->tail = prev;
            taken_back = 1;
            break;
        }
    }
    uv_mutex_unlock(&a->lock);
    return taken_back ? RPC_E_DISCONNECTED : S_OK;
}

#endif /* _WIN32 */
