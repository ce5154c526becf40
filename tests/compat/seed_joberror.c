/*
 * seed_joberror - issue 3's scenario in C through the COM vtables (the
 * JobError example of the founding document
 * /work/shared/seeds/001_fcee28533ab53c97.txt, spec §6.8):
 *   a background (NORMAL) job downloads from a server that ignores Range
 *   (/gen/N?norange=1) -> ERROR with BG_E_INSUFFICIENT_RANGE_SUPPORT,
 *   context BG_ERROR_CONTEXT_REMOTE_FILE, the file's BytesTotal known ->
 *   JobError switches the job to FOREGROUND and calls Resume -> the job
 *   fetches with one plain GET -> JobTransferred calls Complete -> the
 *   bytes are in place under the local name.
 * Checked: the callbacks' order, every value above, the requests the
 * server saw, the error count and the final state.
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "check.h"
#include "harness.h"
#include "sink_refs.h"

#define FILE_SIZE 300000u

typedef struct sink {
    IBackgroundCopyCallback iface;
    LONG ref;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char order[64];         /* one letter per call: E(rror), T(ransferred) */
    HRESULT code;
    BG_ERROR_CONTEXT context;
    UINT64 bytes_total;     /* of pError->GetFile at JobError */
    HRESULT set_priority_hr, resume_hr;
    BG_JOB_STATE state_after_resume;
    HRESULT complete_hr;
    int done;
} sink;

static sink *sink_from(IBackgroundCopyCallback *This)
{
    return (sink *)(void *)This;
}

static void record(sink *s, char c)
{
    size_t n = strlen(s->order);
    if (n + 1 < sizeof s->order)
        s->order[n] = c;
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

/* The seed's JobTransferred: Complete. */
static HRESULT STDMETHODCALLTYPE s_JobTransferred(IBackgroundCopyCallback *This,
                                                  IBackgroundCopyJob *pJob)
{
    sink *s = sink_from(This);
    HRESULT hr = IBackgroundCopyJob_Complete(pJob);
    pthread_mutex_lock(&s->lock);
    record(s, 'T');
    s->complete_hr = hr;
    s->done = 1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

/* The seed's JobError: on BG_E_INSUFFICIENT_RANGE_SUPPORT with a known
 * size of at most 2 GB, FOREGROUND + Resume. */
static HRESULT STDMETHODCALLTYPE s_JobError(IBackgroundCopyCallback *This,
                                            IBackgroundCopyJob *pJob,
                                            IBackgroundCopyError *pError)
{
    sink *s = sink_from(This);
    BG_ERROR_CONTEXT ctx = BG_ERROR_CONTEXT_NONE;
    HRESULT code = S_OK;
    CHECK_EQ_HR(IBackgroundCopyError_GetError(pError, &ctx, &code), S_OK);
    UINT64 total = 0;
    HRESULT prio_hr = E_FAIL, resume_hr = E_FAIL;
    BG_JOB_STATE after = BG_JOB_STATE_ERROR;
    if (code == BG_E_INSUFFICIENT_RANGE_SUPPORT) {
        IBackgroundCopyFile *file = NULL;
        CHECK_EQ_HR(IBackgroundCopyError_GetFile(pError, &file), S_OK);
        BG_FILE_PROGRESS p;
        CHECK_EQ_HR(IBackgroundCopyFile_GetProgress(file, &p), S_OK);
        IBackgroundCopyFile_Release(file);
        total = p.BytesTotal;
        if (total != BG_SIZE_UNKNOWN && total <= 2147483648ull) {
            prio_hr = IBackgroundCopyJob_SetPriority(pJob, BG_JOB_PRIORITY_FOREGROUND);
            resume_hr = IBackgroundCopyJob_Resume(pJob);
            CHECK_EQ_HR(IBackgroundCopyJob_GetState(pJob, &after), S_OK);
        }
    }
    pthread_mutex_lock(&s->lock);
    record(s, 'E');
    s->code = code;
    s->context = ctx;
    s->bytes_total = total;
    s->set_priority_hr = prio_hr;
    s->resume_hr = resume_hr;
    s->state_after_resume = after;
    if (prio_hr != S_OK || resume_hr != S_OK)
        s->done = 1; /* not the scenario: let main fail at once */
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE s_JobModification(IBackgroundCopyCallback *This,
                                                   IBackgroundCopyJob *pJob, DWORD dwReserved)
{
    (void)This;
    (void)pJob;
    (void)dwReserved;
    return S_OK;
}

static const IBackgroundCopyCallbackVtbl sink_vtbl = {
    s_QueryInterface, s_AddRef, s_Release, s_JobTransferred, s_JobError, s_JobModification,
};

static sink g_sink = {
    .iface = {&sink_vtbl},
    .ref = 1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .cond = PTHREAD_COND_INITIALIZER,
};

int main(void)
{
    ts_server server;
    CHECK_EQ_INT(ts_server_start(&server, NULL), 0);
    char *dir = ts_mkdtemp();
    char local[4200];
    snprintf(local, sizeof local, "%s/seed_joberror.bin", dir);
    wchar_t wlocal[4200], wurl[256];
    swprintf(wlocal, sizeof wlocal / sizeof wlocal[0], L"%s", local);
    swprintf(wurl, sizeof wurl / sizeof wurl[0], L"%s/gen/%u?norange=1", server.base_url,
             FILE_SIZE);

    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);
    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"seed JobError", BG_JOB_TYPE_DOWNLOAD,
                                                 &id, &job),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_AddFile(job, wurl, wlocal), S_OK);
    BG_JOB_PRIORITY prio;
    CHECK_EQ_HR(IBackgroundCopyJob_GetPriority(job, &prio), S_OK);
    CHECK_EQ_INT(prio, BG_JOB_PRIORITY_NORMAL);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)&g_sink.iface), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(job), S_OK);

    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 60;
    pthread_mutex_lock(&g_sink.lock);
    while (!g_sink.done) {
        if (pthread_cond_timedwait(&g_sink.cond, &g_sink.lock, &deadline) == ETIMEDOUT)
            break;
    }
    /* Checked under the lock (a failing CHECK exits with it held). */
    const sink *s = &g_sink;
    CHECK_MSG(s->done, "no JobTransferred within 60 s (calls so far: \"%s\")", s->order);
    CHECK_EQ_STR(s->order, "ET");
    CHECK_EQ_HR(s->code, BG_E_INSUFFICIENT_RANGE_SUPPORT);
    CHECK_EQ_INT(s->context, BG_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_U64(s->bytes_total, FILE_SIZE);
    CHECK_EQ_HR(s->set_priority_hr, S_OK);
    CHECK_EQ_HR(s->resume_hr, S_OK);
    CHECK_MSG(s->state_after_resume != BG_JOB_STATE_ERROR, "still ERROR after Resume");
    CHECK_EQ_HR(s->complete_hr, S_OK);
    pthread_mutex_unlock(&g_sink.lock);

    CHECK(ts_file_matches_gen(local, FILE_SIZE));
    BG_JOB_STATE state;
    CHECK_EQ_HR(IBackgroundCopyJob_GetState(job, &state), S_OK);
    CHECK_EQ_INT(state, BG_JOB_STATE_ACKNOWLEDGED);
    ULONG errors = 0;
    CHECK_EQ_HR(IBackgroundCopyJob_GetErrorCount(job, &errors), S_OK);
    CHECK_EQ_INT(errors, 1);

    /* Background: ranged GETs, answered 200 (Range ignored).  Foreground:
     * exactly one plain GET, answered 200. */
    char target[128];
    snprintf(target, sizeof target, "GET\t/gen/%u?norange=1\t", FILE_SIZE);
    char needle[160];
    snprintf(needle, sizeof needle, "%sbytes=", target);
    CHECK_GE_U64((uint64_t)ts_server_log_count(&server, needle), 1);
    snprintf(needle, sizeof needle, "%s-\t200", target);
    CHECK_EQ_INT(ts_server_log_count(&server, needle), 1);

    CHECK_EQ_INT(IBackgroundCopyJob_Release(job), 0);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CoUninitialize();
    CHECK_SINK_RELEASED(&g_sink.ref); /* the engine released the sink */
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&server), 0);
    printf("seed_joberror: ok\n");
    return 0;
}
