/*
 * com_engine_lifetime - the shared engine (the in-process stand-in for the
 * BITS service) opens on the first activation, and the platform's rule of
 * when it closes (bgcopy_win32.h, docs/architecture.md):
 *  - Linux (bgcopy's own COM runtime): after the last CoUninitialize once no
 *    live COM object remains -- also when that last object is released from
 *    inside a notification callback, where closing must not wait for the
 *    very thread it runs on;
 *  - Windows (ole32's CoUninitialize cannot be hooked): never before the
 *    process exits, so the queued jobs stay reachable across CoInitialize
 *    cycles, as the BITS service keeps them -- also when the last object is
 *    released inside a callback.
 *
 * The engine's closing is observed through a callback object registered on
 * a queued job: the engine drops its reference on it only when it closes.
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <wchar.h>

#include "check.h"
#include "harness.h"
#include "sink_refs.h"

#ifdef _WIN32
#  define ENGINE_CLOSES 0 /* open until the process exits */
#else
#  define ENGINE_CLOSES 1 /* closes at the last CoUninitialize + last object */
#endif

typedef struct sink {
    IBackgroundCopyCallback iface;
    LONG ref;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int transferred;
    IBackgroundCopyJob *release_in_callback; /* a client object to drop there */
} sink;

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
    return (ULONG)InterlockedIncrement(&((sink *)(void *)This)->ref);
}

static ULONG STDMETHODCALLTYPE s_Release(IBackgroundCopyCallback *This)
{
    return (ULONG)InterlockedDecrement(&((sink *)(void *)This)->ref);
}

static HRESULT STDMETHODCALLTYPE s_JobTransferred(IBackgroundCopyCallback *This,
                                                  IBackgroundCopyJob *pJob)
{
    sink *s = (sink *)(void *)This;
    CHECK_EQ_HR(IBackgroundCopyJob_Complete(pJob), S_OK);
    pthread_mutex_lock(&s->lock);
    IBackgroundCopyJob *drop = s->release_in_callback;
    s->release_in_callback = NULL;
    pthread_mutex_unlock(&s->lock);
    if (drop) /* the last live object: the engine must close, not deadlock */
        IBackgroundCopyJob_Release(drop);
    pthread_mutex_lock(&s->lock);
    s->transferred++;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE s_JobError(IBackgroundCopyCallback *This,
                                            IBackgroundCopyJob *pJob, IBackgroundCopyError *pError)
{
    (void)This;
    (void)pJob;
    (void)pError;
    CHECK_FAIL("unexpected JobError");
}

static HRESULT STDMETHODCALLTYPE s_JobModification(IBackgroundCopyCallback *This,
                                                   IBackgroundCopyJob *pJob, DWORD dwReserved)
{
    (void)This;
    (void)pJob;
    (void)dwReserved;
    return S_OK;
}

static const IBackgroundCopyCallbackVtbl s_vtbl = {
    s_QueryInterface, s_AddRef, s_Release, s_JobTransferred, s_JobError, s_JobModification,
};

static sink g_watch = {{&s_vtbl}, 1, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, NULL};
static sink g_done = {{&s_vtbl}, 1, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, NULL};

static LONG refs(sink *s) { return InterlockedExchangeAdd(&s->ref, 0); }

/* The references on g_watch while the engine is open: its own, plus one per
 * watch job queued in the current engine. */
static LONG g_watch_open_refs = 1;
/* Ids of those watch jobs. */
static GUID g_watch_ids[8];
static int g_watch_count;

static int watch_released(void *arg)
{
    (void)arg;
    return refs(&g_watch) == 1;
}

/* The engine has just been left without a CoInitialize count and without
 * live objects: Linux closed it (the watch jobs went with it, no
 * persistence yet); on Windows it is still open and serves every watch job
 * to a new manager object. */
static void check_engine_after_last_release(void)
{
    if (ENGINE_CLOSES) {
        CHECK_EQ_INT(refs(&g_watch), 1);
        g_watch_open_refs = 1;
        g_watch_count = 0;
        return;
    }
    CHECK_EQ_INT(refs(&g_watch), g_watch_open_refs);
    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                     &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);
    for (int i = 0; i < g_watch_count; i++) {
        IBackgroundCopyJob *job = NULL;
        CHECK_EQ_HR(IBackgroundCopyManager_GetJob(mgr, &g_watch_ids[i], &job), S_OK);
        BG_JOB_STATE st;
        CHECK_EQ_HR(IBackgroundCopyJob_GetState(job, &st), S_OK);
        CHECK_EQ_INT(st, BG_JOB_STATE_SUSPENDED);
        CHECK_EQ_INT(IBackgroundCopyJob_Release(job), 0);
    }
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CHECK_EQ_INT(refs(&g_watch), g_watch_open_refs);
}

static IBackgroundCopyManager *open_manager(void)
{
    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);
    return mgr;
}

/* A suspended job holding a reference on g_watch until the engine closes. */
static void queue_watch_job(IBackgroundCopyManager *mgr)
{
    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"watch", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)&g_watch.iface), S_OK);
    CHECK_EQ_INT(refs(&g_watch), g_watch_open_refs + 1);
    g_watch_open_refs++;
    CHECK(g_watch_count < (int)(sizeof g_watch_ids / sizeof g_watch_ids[0]));
    g_watch_ids[g_watch_count++] = id;
    CHECK_EQ_INT(IBackgroundCopyJob_Release(job), 0);
}

int main(void)
{
    ts_server server;
    CHECK_EQ_INT(ts_server_start(&server, NULL), 0);
    char *dir = ts_mkdtemp();

    /* 1. A job object held across the last CoUninitialize keeps the engine
     *    open and usable; its Release then closes the engine (Linux). */
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    IBackgroundCopyManager *mgr = open_manager();
    queue_watch_job(mgr);
    GUID id;
    IBackgroundCopyJob *held = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"held", BG_JOB_TYPE_DOWNLOAD, &id, &held),
                S_OK);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CoUninitialize();
    CHECK_EQ_INT(refs(&g_watch), g_watch_open_refs); /* engine still open */
    CHECK_EQ_HR(IBackgroundCopyJob_SetDescription(held, L"still served"), S_OK);
    CHECK_EQ_INT(IBackgroundCopyJob_Release(held), 0);
    check_engine_after_last_release(); /* Linux: closed inline by that Release */

    /* 2. With nothing alive, the last CoUninitialize closes at once (Linux). */
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    mgr = open_manager();
    queue_watch_job(mgr);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CHECK_EQ_INT(refs(&g_watch), g_watch_open_refs);
    CoUninitialize();
    check_engine_after_last_release();

    /* 3. The last live object is released inside JobTransferred, on the
     *    dispatcher thread: the close happens (on the closer thread; Linux),
     *    and nothing deadlocks. */
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    mgr = open_manager();
    queue_watch_job(mgr);
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"released in callback",
                                                 BG_JOB_TYPE_DOWNLOAD, &id, &job),
                S_OK);
    wchar_t url[256], local[4200];
    swprintf(url, 256, L"%s/gen/4096", server.base_url);
    swprintf(local, 4200, L"%s/lifetime.bin", dir);
    CHECK_EQ_HR(IBackgroundCopyJob_AddFile(job, url, local), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)&g_done.iface), S_OK);
    pthread_mutex_lock(&g_done.lock);
    g_done.release_in_callback = job; /* ownership passes to the callback */
    pthread_mutex_unlock(&g_done.lock);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CoUninitialize(); /* the job object is alive: close deferred */
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(job), S_OK); /* still ours until the callback */

    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 60;
    pthread_mutex_lock(&g_done.lock);
    while (g_done.transferred == 0) {
        if (pthread_cond_timedwait(&g_done.cond, &g_done.lock, &deadline) == ETIMEDOUT)
            break;
    }
    int transferred = g_done.transferred;
    pthread_mutex_unlock(&g_done.lock);
    CHECK_MSG(transferred == 1, "no JobTransferred within 60 s");
    if (ENGINE_CLOSES) {
        CHECK_MSG(ts_wait_until(watch_released, NULL, 30000),
                  "engine not closed after the last object was released in a callback");
        g_watch_open_refs = 1;
        g_watch_count = 0;
    } else {
        check_engine_after_last_release();
    }
    char path[4300];
    snprintf(path, sizeof path, "%s/lifetime.bin", dir);
    CHECK(ts_file_matches_gen(path, 4096)); /* Complete ran in the callback */

    /* 4. A new CoInitialize cycle gets a working engine (Linux: a fresh one,
     *    after waiting for the closer thread's close to finish). */
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    mgr = open_manager();
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"fresh", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Cancel(job), S_OK);
    CHECK_EQ_INT(IBackgroundCopyJob_Release(job), 0);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CoUninitialize();
    CHECK_SINK_RELEASED(&g_done.ref); /* the acknowledged job let its callback go */
    check_engine_after_last_release();

    CHECK_EQ_INT(ts_server_stop(&server), 0);
    ts_rmtree(dir);
    free(dir);
    printf("com_engine_lifetime: ok\n");
    return 0;
}
