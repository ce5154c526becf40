/*
 * com_sta - single-threaded apartments (docs/notifications.md,
 * "Apartments"): a sink registered from a thread that called
 * CoInitialize(NULL) is called on that thread, from inside its message
 * loop, and only there.
 *
 *   queue:      the thread message queue itself (posted messages first,
 *               then PostQuitMessage's WM_QUIT; filters; timeouts).
 *   quit:       the main thread (STA) pumps GetMessage; JobTransferred
 *               calls Complete and PostQuitMessage, which ends the loop;
 *               every callback (JobModification too) ran on that thread.
 *   lazy:       an STA thread with six transferred jobs that does not pump
 *               (more jobs than dispatcher threads) delays only its own
 *               callbacks: the main STA's job and an MTA client's job get
 *               theirs meanwhile (the MTA's on a dispatcher thread), and the
 *               lazy STA gets all six, on its thread, once it pumps.
 *   redeliver:  a JobTransferred that fails in the STA is called again
 *               after the minimum retry delay, on the STA's thread again.
 *   uninit:     an STA that calls CoUninitialize with a call waiting never
 *               sees it; the call fails (RPC_E_DISCONNECTED), bgcopy lets go
 *               of the sink, and a sink registered afterwards gets the event.
 * With the argument "thread-exit": the same as uninit for an STA thread
 * that exits without CoUninitialize (a separate process, because that
 * thread's COM initialisation then stays counted and keeps the engine open).
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "check.h"
#include "harness.h"

#define LAZY_JOBS 6 /* more than the four dispatcher threads */

typedef struct sink {
    IBackgroundCopyCallback iface;
    LONG ref;
    DWORD home;                  /* the thread every call must run on; 0 = not checked */
    atomic_int *gate;            /* when set: a call while *gate == 0 is a violation */
    atomic_int transferred, modifications, errors, wrong_thread, early;
    atomic_ulong last_tid;       /* GetCurrentThreadId of the last call */
    int fail_first;              /* the first JobTransferred answers E_FAIL */
    int quit_after;              /* PostQuitMessage(7) at this many JobTransferred */
    uint64_t at[4];              /* ts_now_ms of the first JobTransferred calls */
} sink;

static sink *sink_from(IBackgroundCopyCallback *This)
{
    return (sink *)(void *)This;
}

static void seen(sink *s)
{
    DWORD me = GetCurrentThreadId();
    atomic_store(&s->last_tid, me);
    if (s->home && me != s->home)
        atomic_fetch_add(&s->wrong_thread, 1);
    if (s->gate && !atomic_load(s->gate))
        atomic_fetch_add(&s->early, 1);
}

static HRESULT STDMETHODCALLTYPE s_QueryInterface(IBackgroundCopyCallback *This, REFIID riid,
                                                  void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IBackgroundCopyCallback)) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE s_AddRef(IBackgroundCopyCallback *This)
{
    return (ULONG)InterlockedIncrement(&sink_from(This)->ref);
}

static ULONG STDMETHODCALLTYPE s_Release(IBackgroundCopyCallback *This)
{
    return (ULONG)InterlockedDecrement(&sink_from(This)->ref);
}

static HRESULT STDMETHODCALLTYPE s_JobTransferred(IBackgroundCopyCallback *This,
                                                  IBackgroundCopyJob *pJob)
{
    sink *s = sink_from(This);
    seen(s);
    int n = atomic_load(&s->transferred);
    if (n < 4)
        s->at[n] = ts_now_ms();
    if (s->fail_first && n == 0) {
        atomic_fetch_add(&s->transferred, 1);
        return E_FAIL;
    }
    CHECK_EQ_HR(IBackgroundCopyJob_Complete(pJob), S_OK);
    n = atomic_fetch_add(&s->transferred, 1) + 1;
    if (s->quit_after && n == s->quit_after)
        PostQuitMessage(7);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE s_JobError(IBackgroundCopyCallback *This,
                                            IBackgroundCopyJob *pJob,
                                            IBackgroundCopyError *pError)
{
    (void)pJob;
    (void)pError;
    sink *s = sink_from(This);
    seen(s);
    atomic_fetch_add(&s->errors, 1);
    PostQuitMessage(99);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE s_JobModification(IBackgroundCopyCallback *This,
                                                   IBackgroundCopyJob *pJob, DWORD dwReserved)
{
    (void)pJob;
    (void)dwReserved;
    sink *s = sink_from(This);
    seen(s);
    atomic_fetch_add(&s->modifications, 1);
    return S_OK;
}

static const IBackgroundCopyCallbackVtbl sink_vtbl = {
    s_QueryInterface, s_AddRef, s_Release, s_JobTransferred, s_JobError, s_JobModification,
};

static void sink_init(sink *s, DWORD home)
{
    memset(s, 0, sizeof *s);
    s->iface.lpVtbl = &sink_vtbl;
    s->ref = 1;
    s->home = home;
}

static ts_server g_server;
static char *g_dir;
static IBackgroundCopyManager *g_mgr;
static atomic_int g_file_no;

/* A job downloading /gen/<size> into a new file of g_dir, with |s| as its
 * sink (registered from the calling thread) and |flags|; resumed. */
static IBackgroundCopyJob *start_job(sink *s, unsigned size, ULONG flags)
{
    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);
    wchar_t wlocal[4200], wurl[256];
    swprintf(wlocal, sizeof wlocal / sizeof wlocal[0], L"%s/f%d.bin", g_dir,
             atomic_fetch_add(&g_file_no, 1));
    swprintf(wurl, sizeof wurl / sizeof wurl[0], L"%s/gen/%u", g_server.base_url, size);
    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"com_sta", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_AddFile(job, wurl, wlocal), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetPriority(job, BG_JOB_PRIORITY_FOREGROUND), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyFlags(job, flags), S_OK);
    if (s)
        CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)&s->iface), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(job), S_OK);
    IBackgroundCopyManager_Release(mgr);
    return job;
}

static BG_JOB_STATE state_of(IBackgroundCopyJob *job)
{
    BG_JOB_STATE st;
    CHECK_EQ_HR(IBackgroundCopyJob_GetState(job, &st), S_OK);
    return st;
}

static int is_transferred(void *arg)
{
    return state_of(arg) == BG_JOB_STATE_TRANSFERRED;
}

static int is_acknowledged(void *arg)
{
    return state_of(arg) == BG_JOB_STATE_ACKNOWLEDGED;
}

static int refs_back(void *arg)
{
    return __atomic_load_n(&((sink *)arg)->ref, __ATOMIC_SEQ_CST) == 1;
}

/* The calling thread's GetMessage loop until WM_QUIT; returns its wParam.
 * Fails the test after |timeout_ms| (a watchdog thread posts WM_QUIT 1234). */
typedef struct watchdog {
    DWORD tid;
    unsigned ms;
    atomic_int done;
} watchdog;

static void *watchdog_main(void *arg)
{
    watchdog *w = arg;
    uint64_t end = ts_now_ms() + w->ms;
    while (!atomic_load(&w->done) && ts_now_ms() < end)
        ts_sleep_ms(20);
    if (!atomic_load(&w->done))
        PostThreadMessageW(w->tid, WM_QUIT, 1234, 0);
    return NULL;
}

static WPARAM pump_until_quit(unsigned timeout_ms)
{
    watchdog w = {GetCurrentThreadId(), timeout_ms, 0};
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, watchdog_main, &w), 0);
    MSG msg;
    BOOL r;
    while ((r = GetMessageW(&msg, NULL, 0, 0)) != 0) {
        CHECK_NE_INT(r, -1);
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
    atomic_store(&w.done, 1);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_MSG(msg.wParam != 1234, "the message loop did not end within %u ms", timeout_ms);
    return msg.wParam;
}

/* ------------------------------------------------------------------ queue */

static void test_queue(void)
{
    MSG m;
    CHECK(!PeekMessageW(&m, NULL, 0, 0, PM_REMOVE));
    CHECK_EQ_INT(MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_ALLINPUT), WAIT_TIMEOUT);
    PostQuitMessage(3);
    CHECK(PostThreadMessageW(GetCurrentThreadId(), WM_APP + 1, 11, 12));
    CHECK(PostMessageW(NULL, WM_USER, 21, 22));
    CHECK(!PostMessageW((HWND)(intptr_t)0x1234, WM_USER, 0, 0)); /* no windows */
    CHECK(!PostThreadMessageW(0x7fffffff, WM_USER, 0, 0));       /* no such thread */
    CHECK_EQ_INT(MsgWaitForMultipleObjects(0, NULL, FALSE, INFINITE, QS_ALLINPUT), WAIT_OBJECT_0);
    /* Filter: WM_USER only; WM_QUIT always passes, but only once nothing
     * else waits. */
    CHECK(PeekMessageW(&m, NULL, WM_USER, WM_USER, PM_NOREMOVE));
    CHECK_EQ_INT(m.message, WM_USER);
    CHECK_EQ_INT(GetMessageW(&m, NULL, WM_USER, WM_USER), 1);
    CHECK_EQ_INT(m.message, WM_USER);
    CHECK_EQ_INT(m.wParam, 21);
    CHECK_EQ_INT(m.lParam, 22);
    CHECK(m.hwnd == NULL);
    CHECK_EQ_INT(GetMessageW(&m, NULL, 0, 0), 1);
    CHECK_EQ_INT(m.message, WM_APP + 1);
    CHECK_EQ_INT(m.wParam, 11);
    CHECK_EQ_INT(GetMessageW(&m, NULL, 0, 0), 0);
    CHECK_EQ_INT(m.message, WM_QUIT);
    CHECK_EQ_INT(m.wParam, 3);
    CHECK(!PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)); /* the flag was cleared */
    CHECK_EQ_INT(GetMessageW(&m, (HWND)(intptr_t)0x1234, 0, 0), -1);
#ifndef _WIN32
    /* bgcopy's queues have no kernel objects to wait for. */
    CHECK_EQ_INT(MsgWaitForMultipleObjects(1, NULL, FALSE, 0, QS_ALLINPUT), WAIT_FAILED);
#endif
}

/* ------------------------------------------------------------------- quit */

static void test_quit(void)
{
    sink s;
    sink_init(&s, GetCurrentThreadId());
    s.quit_after = 1;
    IBackgroundCopyJob *job = start_job(&s, 300000,
                                        BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
                                            BG_NOTIFY_JOB_MODIFICATION);
    CHECK_EQ_INT(pump_until_quit(60000), 7);
    CHECK_EQ_INT(atomic_load(&s.transferred), 1);
    CHECK_EQ_INT(atomic_load(&s.errors), 0);
    CHECK_GE_U64((uint64_t)atomic_load(&s.modifications), 1);
    CHECK_EQ_INT(atomic_load(&s.wrong_thread), 0);
    CHECK_EQ_INT(state_of(job), BG_JOB_STATE_ACKNOWLEDGED);
    IBackgroundCopyJob_Release(job);
    /* A JobModification still on its way when the loop ended runs here,
     * on this thread too. */
    MSG m;
    while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE))
        ;
    CHECK_EQ_INT(atomic_load(&s.wrong_thread), 0);
    CHECK(ts_wait_until(refs_back, &s, 10000));
}

/* ------------------------------------------------------------------- lazy */

typedef struct lazy_state {
    sink s;
    atomic_int pumping;          /* the gate: set just before the loop */
    atomic_int registered, go;
    IBackgroundCopyJob *jobs[LAZY_JOBS];
    WPARAM quit_code;
} lazy_state;

static void *lazy_main(void *arg)
{
    lazy_state *L = arg;
    CHECK_EQ_HR(CoInitialize(NULL), S_OK);
    sink_init(&L->s, GetCurrentThreadId());
    L->s.gate = &L->pumping;
    L->s.quit_after = LAZY_JOBS;
    for (int i = 0; i < LAZY_JOBS; i++)
        L->jobs[i] = start_job(&L->s, 1000 + (unsigned)i,
                               BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
                                   BG_NOTIFY_JOB_MODIFICATION);
    atomic_store(&L->registered, 1);
    while (!atomic_load(&L->go))
        ts_sleep_ms(10);         /* busy elsewhere: not pumping */
    atomic_store(&L->pumping, 1);
    L->quit_code = pump_until_quit(60000);
    for (int i = 0; i < LAZY_JOBS; i++)
        IBackgroundCopyJob_Release(L->jobs[i]);
    CoUninitialize();
    return NULL;
}

typedef struct mta_state {
    sink s;
    DWORD tid;
} mta_state;

static void *mta_main(void *arg)
{
    mta_state *M = arg;
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    M->tid = GetCurrentThreadId();
    sink_init(&M->s, 0);
    IBackgroundCopyJob *job = start_job(&M->s, 5000, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR);
    /* Never pumps: an MTA's sinks are called on bgcopy's threads. */
    CHECK_MSG(ts_wait_until(is_acknowledged, job, 60000), "MTA job not completed by its sink");
    IBackgroundCopyJob_Release(job);
    CoUninitialize();
    return NULL;
}

static int lazy_registered(void *arg)
{
    return atomic_load(&((lazy_state *)arg)->registered);
}

static void test_lazy(void)
{
    static lazy_state L;
    pthread_t lt;
    CHECK_EQ_INT(pthread_create(&lt, NULL, lazy_main, &L), 0);
    CHECK(ts_wait_until(lazy_registered, &L, 30000));
    for (int i = 0; i < LAZY_JOBS; i++)
        CHECK_MSG(ts_wait_until(is_transferred, L.jobs[i], 60000), "lazy job %d not transferred", i);
    ts_sleep_ms(300); /* the dispatchers have handed the six calls to the lazy STA */

    /* An MTA client: dispatcher threads, not its own, not waiting. */
    static mta_state M;
    pthread_t mt;
    CHECK_EQ_INT(pthread_create(&mt, NULL, mta_main, &M), 0);

    /* This STA: its own job's callback, on this thread, while the lazy STA
     * holds six calls. */
    sink s;
    sink_init(&s, GetCurrentThreadId());
    s.quit_after = 1;
    IBackgroundCopyJob *job = start_job(&s, 2000, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR);
    CHECK_EQ_INT(pump_until_quit(30000), 7);
    CHECK_EQ_INT(atomic_load(&s.transferred), 1);
    CHECK_EQ_INT(atomic_load(&s.wrong_thread), 0);
    IBackgroundCopyJob_Release(job);

    CHECK_EQ_INT(pthread_join(mt, NULL), 0);
    CHECK_EQ_INT(atomic_load(&M.s.transferred), 1);
    DWORD mta_cb = (DWORD)atomic_load(&M.s.last_tid);
    CHECK_MSG(mta_cb != M.tid && mta_cb != GetCurrentThreadId() && mta_cb != L.s.home,
              "MTA sink called on thread %u (MTA %u)", (unsigned)mta_cb, (unsigned)M.tid);

    CHECK_EQ_INT(atomic_load(&L.s.transferred), 0); /* still waiting for its loop */
    atomic_store(&L.go, 1);
    CHECK_EQ_INT(pthread_join(lt, NULL), 0);
    CHECK_EQ_INT(L.quit_code, 7);
    CHECK_EQ_INT(atomic_load(&L.s.transferred), LAZY_JOBS);
    CHECK_EQ_INT(atomic_load(&L.s.wrong_thread), 0);
    CHECK_EQ_INT(atomic_load(&L.s.early), 0);
    CHECK(ts_wait_until(refs_back, &L.s, 10000));
    CHECK(ts_wait_until(refs_back, &M.s, 10000));
}

/* -------------------------------------------------------------- redeliver */

static void test_redeliver(void)
{
    sink s;
    sink_init(&s, GetCurrentThreadId());
    s.fail_first = 1;
    s.quit_after = 2;
    IBackgroundCopyJob *job = start_job(&s, 4000, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR);
    CHECK_EQ_HR(IBackgroundCopyJob_SetMinimumRetryDelay(job, 5), S_OK);
    CHECK_EQ_INT(pump_until_quit(60000), 7);
    CHECK_EQ_INT(atomic_load(&s.transferred), 2);
    CHECK_EQ_INT(atomic_load(&s.wrong_thread), 0);
    CHECK_GE_U64(s.at[1] - s.at[0], 4500);
    CHECK_EQ_INT(state_of(job), BG_JOB_STATE_ACKNOWLEDGED);
    IBackgroundCopyJob_Release(job);
    CHECK(ts_wait_until(refs_back, &s, 10000));
}

/* ----------------------------------------------------------------- uninit */

typedef struct gone_state {
    sink s;
    IBackgroundCopyJob *job;
    int uninit;                  /* 1: CoUninitialize, 0: exit without it */
} gone_state;

static void *gone_main(void *arg)
{
    gone_state *G = arg;
    CHECK_EQ_HR(CoInitialize(NULL), S_OK);
    sink_init(&G->s, GetCurrentThreadId());
    G->job = start_job(&G->s, 3000, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR);
    CHECK(ts_wait_until(is_transferred, G->job, 60000));
    ts_sleep_ms(300); /* the call is waiting for this thread's loop */
    if (G->uninit)
        CoUninitialize();
    return NULL;
}

static void test_gone(int uninit)
{
    static gone_state G;
    memset(&G, 0, sizeof G);
    G.uninit = uninit;
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, gone_main, &G), 0);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_EQ_INT(atomic_load(&G.s.transferred), 0);
    CHECK_EQ_INT(state_of(G.job), BG_JOB_STATE_TRANSFERRED);

    /* A new sink, from this thread: it gets the event. */
    sink s;
    sink_init(&s, GetCurrentThreadId());
    s.quit_after = 1;
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(G.job, (IUnknown *)&s.iface), S_OK);
    /* The disconnected call gave its references back: bgcopy holds the old
     * sink no more. */
    CHECK_MSG(ts_wait_until(refs_back, &G.s, 10000), "old sink still referenced (%d)",
              (int)G.s.ref);
    CHECK_EQ_INT(pump_until_quit(30000), 7);
    CHECK_EQ_INT(atomic_load(&s.transferred), 1);
    CHECK_EQ_INT(atomic_load(&s.wrong_thread), 0);
    CHECK_EQ_INT(atomic_load(&G.s.transferred), 0);
    CHECK_EQ_INT(state_of(G.job), BG_JOB_STATE_ACKNOWLEDGED);
    IBackgroundCopyJob_Release(G.job);
    CHECK(ts_wait_until(refs_back, &s, 10000));
}

int main(int argc, char **argv)
{
    int thread_exit = argc > 1 && strcmp(argv[1], "thread-exit") == 0;
    CHECK_EQ_INT(ts_server_start(&g_server, NULL), 0);
    g_dir = ts_mkdtemp();
    CHECK(g_dir != NULL);
    CHECK_EQ_HR(CoInitialize(NULL), S_OK);
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&g_mgr),
                S_OK);
    if (thread_exit) {
        test_gone(0);
    } else {
        test_queue();
        test_quit();
        test_lazy();
        test_redeliver();
        test_gone(1);
    }
    CHECK_EQ_INT(IBackgroundCopyManager_Release(g_mgr), 0);
    CoUninitialize();
    CHECK_EQ_INT(ts_rmtree(g_dir), 0);
    free(g_dir);
    CHECK_EQ_INT(ts_server_stop(&g_server), 0);
    printf("com_sta%s: ok\n", thread_exit ? " thread-exit" : "");
    return 0;
}
