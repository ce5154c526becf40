/*
 * com_notify_delivery - how notifications reach an IBackgroundCopyCallback
 * through the bridge (compat/src/notify_bridge.c), with BITS's rules
 * (spec §6.4):
 *  - the sink's HRESULT goes back to the engine: a failing JobTransferred is
 *    called again later (after the minimum retry delay, 5 s here);
 *  - a sink that does not (yet) answer IID_IBackgroundCopyCallback is asked
 *    again later too, and BITS asks at delivery time, not at registration;
 *  - registering after the job was transferred still delivers JobTransferred;
 *  - JobModification arrives when BG_NOTIFY_JOB_MODIFICATION is set;
 *  - pJob is a fresh object for the same job, and the callee may keep it
 *    with AddRef and use it after the callback returned.
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

enum mode {
    MODE_FAIL_FIRST,    /* JobTransferred answers E_FAIL once, then S_OK */
    MODE_NO_IFACE_FIRST, /* QueryInterface(Callback) fails once, then works */
    MODE_PLAIN,         /* S_OK at once; keeps pJob with AddRef */
};

typedef struct sink {
    IBackgroundCopyCallback iface;
    LONG ref;
    enum mode mode;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int qi_callback;      /* QueryInterface calls for IID_IBackgroundCopyCallback */
    int transferred;      /* JobTransferred calls */
    int modifications;    /* JobModification calls */
    uint64_t first_ms, last_ms;
    IBackgroundCopyJob *kept; /* MODE_PLAIN: pJob kept with AddRef */
} sink;

static HRESULT STDMETHODCALLTYPE s_QueryInterface(IBackgroundCopyCallback *This, REFIID riid,
                                                  void **ppv)
{
    sink *s = (sink *)(void *)This;
    if (IsEqualIID(riid, &IID_IBackgroundCopyCallback)) {
        pthread_mutex_lock(&s->lock);
        int n = ++s->qi_callback;
        pthread_mutex_unlock(&s->lock);
        if (s->mode == MODE_NO_IFACE_FIRST && n == 1) {
            *ppv = NULL;
            return E_NOINTERFACE;
        }
    }
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
    pthread_mutex_lock(&s->lock);
    int n = ++s->transferred;
    uint64_t now = ts_now_ms();
    if (n == 1)
        s->first_ms = now;
    s->last_ms = now;
    if (s->mode == MODE_PLAIN && !s->kept) {
        IBackgroundCopyJob_AddRef(pJob);
        s->kept = pJob;
    }
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return (s->mode == MODE_FAIL_FIRST && n == 1) ? E_FAIL : S_OK;
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
    sink *s = (sink *)(void *)This;
    (void)pJob;
    CHECK_EQ_INT(dwReserved, 0);
    pthread_mutex_lock(&s->lock);
    s->modifications++;
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

static const IBackgroundCopyCallbackVtbl s_vtbl = {
    s_QueryInterface, s_AddRef, s_Release, s_JobTransferred, s_JobError, s_JobModification,
};

static void sink_init(sink *s, enum mode mode)
{
    memset(s, 0, sizeof *s);
    s->iface.lpVtbl = &s_vtbl;
    s->ref = 1;
    s->mode = mode;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
}

/* Wait until the sink saw |calls| JobTransferred calls (bounded). */
static int wait_transferred(sink *s, int calls, int seconds)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += seconds;
    pthread_mutex_lock(&s->lock);
    while (s->transferred < calls) {
        if (pthread_cond_timedwait(&s->cond, &s->lock, &deadline) == ETIMEDOUT)
            break;
    }
    int got = s->transferred;
    pthread_mutex_unlock(&s->lock);
    return got;
}

static ts_server g_server;
static char *g_dir;

static IBackgroundCopyJob *download_job(IBackgroundCopyManager *mgr, const char *name,
                                        const char *query)
{
    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"delivery", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                S_OK);
    wchar_t url[256], local[4200];
    swprintf(url, 256, L"%s/gen/65536%s", g_server.base_url, query);
    swprintf(local, 4200, L"%s/%s", g_dir, name);
    CHECK_EQ_HR(IBackgroundCopyJob_AddFile(job, url, local), S_OK);
    /* Foreground jobs all run at once (spec §6.6), so the waits below overlap. */
    CHECK_EQ_HR(IBackgroundCopyJob_SetPriority(job, BG_JOB_PRIORITY_FOREGROUND), S_OK);
    return job;
}

static int job_is_transferred(void *arg)
{
    BG_JOB_STATE st;
    CHECK_EQ_HR(IBackgroundCopyJob_GetState((IBackgroundCopyJob *)arg, &st), S_OK);
    return st == BG_JOB_STATE_TRANSFERRED;
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_server, NULL), 0);
    g_dir = ts_mkdtemp();
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);

    sink fail_first, no_iface_first, plain, mod;
    sink_init(&fail_first, MODE_FAIL_FIRST);
    sink_init(&no_iface_first, MODE_NO_IFACE_FIRST);
    sink_init(&plain, MODE_PLAIN);
    sink_init(&mod, MODE_PLAIN);

    /* Four jobs in parallel, so the two 5 s redeliveries overlap. */
    IBackgroundCopyJob *a = download_job(mgr, "a.bin", "");
    IBackgroundCopyJob *b = download_job(mgr, "b.bin", "");
    IBackgroundCopyJob *c = download_job(mgr, "c.bin", "");
    /* d is throttled (~1 s) so that it has progress to report. */
    IBackgroundCopyJob *d = download_job(mgr, "d.bin", "?rate=65536");
    CHECK_EQ_HR(IBackgroundCopyJob_SetMinimumRetryDelay(a, 5), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetMinimumRetryDelay(b, 5), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(a, (IUnknown *)&fail_first.iface), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(b, (IUnknown *)&no_iface_first.iface), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyFlags(d, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
                                                         BG_NOTIFY_JOB_MODIFICATION),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(d, (IUnknown *)&mod.iface), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(a), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(b), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(c), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(d), S_OK);

    /* c: register only after it has been transferred (level-triggered). */
    CHECK_MSG(ts_wait_until(job_is_transferred, c, 60000), "job c not transferred in 60 s");
    CHECK_EQ_INT(plain.transferred, 0);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(c, (IUnknown *)&plain.iface), S_OK);
    CHECK_EQ_INT(wait_transferred(&plain, 1, 60), 1);

    /* a: E_FAIL from JobTransferred -> called again, not before the delay. */
    CHECK_EQ_INT(wait_transferred(&fail_first, 2, 60), 2);
    pthread_mutex_lock(&fail_first.lock);
    uint64_t gap = fail_first.last_ms - fail_first.first_ms;
    pthread_mutex_unlock(&fail_first.lock);
    CHECK_MSG(gap >= 4500, "redelivered after %llu ms, before the 5 s retry delay",
              (unsigned long long)gap);

    /* b: QueryInterface failed once (E_NOINTERFACE to the engine), then the
     * event was delivered on a later attempt. */
    CHECK_EQ_INT(wait_transferred(&no_iface_first, 1, 60), 1);
    pthread_mutex_lock(&no_iface_first.lock);
    CHECK_GE_U64(no_iface_first.qi_callback, 2);
    pthread_mutex_unlock(&no_iface_first.lock);

    /* The kept pJob still works after its callback returned, names the same
     * job, and is a separate object from the client's. */
    pthread_mutex_lock(&plain.lock);
    IBackgroundCopyJob *kept = plain.kept;
    plain.kept = NULL;
    pthread_mutex_unlock(&plain.lock);
    CHECK_NOT_NULL(kept);
    CHECK(kept != c);
    GUID g1, g2;
    CHECK_EQ_HR(IBackgroundCopyJob_GetId(kept, &g1), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_GetId(c, &g2), S_OK);
    CHECK(IsEqualGUID(&g1, &g2));
    CHECK_EQ_HR(IBackgroundCopyJob_Complete(kept), S_OK);
    CHECK_EQ_INT(IBackgroundCopyJob_Release(kept), 0);

    /* d had BG_NOTIFY_JOB_MODIFICATION set: its ~1 s of state changes and
     * progress was reported (coalesced, so the count is not fixed; c, with
     * the default flags, got none). */
    CHECK_EQ_INT(wait_transferred(&mod, 1, 60), 1);
    pthread_mutex_lock(&mod.lock);
    int mods = mod.modifications;
    kept = mod.kept;
    mod.kept = NULL;
    pthread_mutex_unlock(&mod.lock);
    CHECK_GE_U64(mods, 1);
    CHECK_EQ_INT(plain.modifications, 0);
    CHECK_EQ_HR(IBackgroundCopyJob_Complete(kept), S_OK);
    CHECK_EQ_INT(IBackgroundCopyJob_Release(kept), 0);

    CHECK_EQ_HR(IBackgroundCopyJob_Complete(a), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Complete(b), S_OK);
    char path[4300];
    snprintf(path, sizeof path, "%s/a.bin", g_dir);
    CHECK(ts_file_matches_gen(path, 65536));
    snprintf(path, sizeof path, "%s/b.bin", g_dir);
    CHECK(ts_file_matches_gen(path, 65536));
    snprintf(path, sizeof path, "%s/c.bin", g_dir);
    CHECK(ts_file_matches_gen(path, 65536));
    snprintf(path, sizeof path, "%s/d.bin", g_dir);
    CHECK(ts_file_matches_gen(path, 65536));

    IBackgroundCopyJob_Release(a);
    IBackgroundCopyJob_Release(b);
    IBackgroundCopyJob_Release(c);
    IBackgroundCopyJob_Release(d);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CoUninitialize();
    CHECK_SINK_RELEASED(&fail_first.ref);
    CHECK_SINK_RELEASED(&no_iface_first.ref);
    CHECK_SINK_RELEASED(&plain.ref);
    CHECK_SINK_RELEASED(&mod.ref);
    CHECK_EQ_INT(ts_server_stop(&g_server), 0);
    ts_rmtree(g_dir);
    free(g_dir);
    printf("com_notify_delivery: ok\n");
    return 0;
}
