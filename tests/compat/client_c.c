/*
 * client_c - a BITS client written in plain C against <bits.h>, the way a
 * Windows program would be: COM initialisation, CoCreateInstance of the
 * manager, a download job with one file from the test server, a C callback
 * object (its own lpVtbl) receiving JobTransferred on a thread that is not
 * the main thread, Complete, and a byte-for-byte check of the result.
 *
 * It also checks reference discipline: after the last CoUninitialize the
 * engine has closed and dropped every reference it took on the callback.
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <wchar.h>

#include "check.h"
#include "harness.h"
#include "sink_refs.h"

#define FILE_SIZE 1048583u /* a little over 1 MiB, not a multiple of any buffer */

/* ---- the callback object ---- */

typedef struct notify_sink {
    IBackgroundCopyCallback iface;
    LONG ref;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int transferred;          /* JobTransferred calls */
    int errors;               /* JobError calls */
    pthread_t callback_thread;
} notify_sink;

static notify_sink *sink_from(IBackgroundCopyCallback *iface)
{
    return (notify_sink *)(void *)iface; /* iface is the first member */
}

static HRESULT STDMETHODCALLTYPE sink_QueryInterface(IBackgroundCopyCallback *This, REFIID riid,
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

static ULONG STDMETHODCALLTYPE sink_AddRef(IBackgroundCopyCallback *This)
{
    return (ULONG)InterlockedIncrement(&sink_from(This)->ref);
}

static ULONG STDMETHODCALLTYPE sink_Release(IBackgroundCopyCallback *This)
{
    /* Statically allocated: the count is only checked, never frees. */
    return (ULONG)InterlockedDecrement(&sink_from(This)->ref);
}

static HRESULT STDMETHODCALLTYPE sink_JobTransferred(IBackgroundCopyCallback *This,
                                                     IBackgroundCopyJob *pJob)
{
    notify_sink *s = sink_from(This);
    BG_JOB_STATE state = BG_JOB_STATE_QUEUED;
    CHECK_EQ_HR(IBackgroundCopyJob_GetState(pJob, &state), S_OK);
    CHECK_EQ_INT(state, BG_JOB_STATE_TRANSFERRED);
    pthread_mutex_lock(&s->lock);
    s->transferred++;
    s->callback_thread = pthread_self();
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sink_JobError(IBackgroundCopyCallback *This,
                                               IBackgroundCopyJob *pJob,
                                               IBackgroundCopyError *pError)
{
    notify_sink *s = sink_from(This);
    BG_ERROR_CONTEXT ctx;
    HRESULT code = S_OK;
    (void)pJob;
    IBackgroundCopyError_GetError(pError, &ctx, &code);
    fprintf(stderr, "client_c: unexpected JobError 0x%08X (context %d)\n", (unsigned)code,
            (int)ctx);
    pthread_mutex_lock(&s->lock);
    s->errors++;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sink_JobModification(IBackgroundCopyCallback *This,
                                                      IBackgroundCopyJob *pJob, DWORD dwReserved)
{
    (void)This;
    (void)pJob;
    (void)dwReserved;
    return S_OK;
}

static const IBackgroundCopyCallbackVtbl sink_vtbl = {
    sink_QueryInterface, sink_AddRef,  sink_Release,
    sink_JobTransferred, sink_JobError, sink_JobModification,
};

static notify_sink g_sink = {
    .iface = {&sink_vtbl},
    .ref = 1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .cond = PTHREAD_COND_INITIALIZER,
};

/* Wait (bounded) until the job was transferred or failed. */
static void wait_for_notification(int seconds)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += seconds;
    pthread_mutex_lock(&g_sink.lock);
    while (g_sink.transferred == 0 && g_sink.errors == 0) {
        int rc = pthread_cond_timedwait(&g_sink.cond, &g_sink.lock, &deadline);
        if (rc == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&g_sink.lock);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int main(void)
{
    ts_server server;
    CHECK_EQ_INT(ts_server_start(&server, NULL), 0);
    char *dir = ts_mkdtemp();
    char local[4200];
    snprintf(local, sizeof local, "%s/client_c.bin", dir);
    wchar_t wlocal[4200], wurl[256];
    swprintf(wlocal, sizeof wlocal / sizeof wlocal[0], L"%s", local);
    swprintf(wurl, sizeof wurl / sizeof wurl[0], L"%s/gen/%u", server.base_url, FILE_SIZE);

    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);

    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);
    CHECK_NOT_NULL(mgr);

    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"client_c download", BG_JOB_TYPE_DOWNLOAD,
                                                 &id, &job),
                S_OK);
    CHECK_NOT_NULL(job);
    CHECK_EQ_HR(IBackgroundCopyJob_AddFile(job, wurl, wlocal), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)&g_sink.iface), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(job), S_OK);

    wait_for_notification(60);
    pthread_mutex_lock(&g_sink.lock);
    int transferred = g_sink.transferred, errors = g_sink.errors;
    pthread_t cb_thread = g_sink.callback_thread;
    pthread_mutex_unlock(&g_sink.lock);
    CHECK_EQ_INT(errors, 0);
    CHECK_MSG(transferred >= 1, "no JobTransferred within 60 s");
    CHECK_MSG(!pthread_equal(cb_thread, pthread_self()),
              "JobTransferred ran on the main thread");

    /* BITS semantics: the data is invisible under its own name until Complete. */
    CHECK(!exists(local));
    BG_JOB_PROGRESS progress;
    CHECK_EQ_HR(IBackgroundCopyJob_GetProgress(job, &progress), S_OK);
    CHECK_EQ_U64(progress.BytesTotal, FILE_SIZE);
    CHECK_EQ_U64(progress.BytesTransferred, FILE_SIZE);
    CHECK_EQ_U64(progress.FilesTotal, 1);
    CHECK_EQ_U64(progress.FilesTransferred, 1);

    CHECK_EQ_HR(IBackgroundCopyJob_Complete(job), S_OK);
    CHECK(ts_file_matches_gen(local, FILE_SIZE));
    BG_JOB_STATE state;
    CHECK_EQ_HR(IBackgroundCopyJob_GetState(job, &state), S_OK);
    CHECK_EQ_INT(state, BG_JOB_STATE_ACKNOWLEDGED);

    CHECK_EQ_INT(IBackgroundCopyJob_Release(job), 0);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CoUninitialize();

    /* Every reference bgcopy took on the sink has been given back. */
    CHECK_SINK_RELEASED(&g_sink.ref);

    CHECK_EQ_INT(ts_server_stop(&server), 0);
    ts_rmtree(dir);
    free(dir);
    printf("client_c: ok\n");
    return 0;
}
