/*
 * v2_callback_levels - which callback interface the notification bridge
 * (compat/src/notify_bridge.c) calls, decided by QueryInterface on the
 * registered sink at delivery time: Callback3 > Callback2 > Callback.
 *  a. a sink answering IBackgroundCopyCallback3 only (plus IUnknown) gets
 *     FileTransferred and JobTransferred through its Callback3 vtable, the
 *     first IID asked is Callback3, FileTransferred comes first and its
 *     pFile answers IBackgroundCopyFile3 (spec §6.4, §3.11);
 *  b. a sink answering only IBackgroundCopyCallback gets JobTransferred and
 *     no FileTransferred even with BG_NOTIFY_FILE_TRANSFERRED set (it has
 *     no such method), and the job is not held up by it.
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>
#include <bits10_1.h>

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

#define FILE_SIZE 60000u

enum { ANSWERS_CALLBACK = 1, ANSWERS_CALLBACK3 = 4 };

typedef struct sink {
    IBackgroundCopyCallback3 iface;
    LONG ref;
    int answers;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char order[16];       /* F(ileTransferred), T(JobTransferred), R(anges) */
    int first_qi_is_cb3;  /* the first callback IID asked was Callback3 */
    int qi_seen;
    int file_has_file3;
    int done;
} sink;

static sink *sink_from(IBackgroundCopyCallback3 *This)
{
    return (sink *)(void *)This;
}

static void record(sink *s, char c)
{
    size_t n = strlen(s->order);
    if (n + 1 < sizeof s->order)
        s->order[n] = c;
}

static HRESULT STDMETHODCALLTYPE s_QueryInterface(IBackgroundCopyCallback3 *This, REFIID riid,
                                                  void **ppv)
{
    sink *s = sink_from(This);
    int is_cb = IsEqualIID(riid, &IID_IBackgroundCopyCallback);
    int is_cb2 = IsEqualIID(riid, &IID_IBackgroundCopyCallback2);
    int is_cb3 = IsEqualIID(riid, &IID_IBackgroundCopyCallback3);
    if (is_cb || is_cb2 || is_cb3) {
        pthread_mutex_lock(&s->lock);
        if (!s->qi_seen++)
            s->first_qi_is_cb3 = is_cb3;
        pthread_mutex_unlock(&s->lock);
    }
    if (IsEqualIID(riid, &IID_IUnknown) || (is_cb && (s->answers & ANSWERS_CALLBACK)) ||
        (is_cb3 && (s->answers & ANSWERS_CALLBACK3))) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE s_AddRef(IBackgroundCopyCallback3 *This)
{
    return (ULONG)InterlockedIncrement(&sink_from(This)->ref);
}

static ULONG STDMETHODCALLTYPE s_Release(IBackgroundCopyCallback3 *This)
{
    return (ULONG)InterlockedDecrement(&sink_from(This)->ref);
}

static HRESULT STDMETHODCALLTYPE s_JobTransferred(IBackgroundCopyCallback3 *This,
                                                  IBackgroundCopyJob *pJob)
{
    sink *s = sink_from(This);
    HRESULT hr = IBackgroundCopyJob_Complete(pJob);
    CHECK_EQ_HR(hr, S_OK);
    pthread_mutex_lock(&s->lock);
    record(s, 'T');
    s->done = 1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE s_JobError(IBackgroundCopyCallback3 *This,
                                            IBackgroundCopyJob *pJob,
                                            IBackgroundCopyError *pError)
{
    (void)This;
    (void)pJob;
    HRESULT code = S_OK;
    BG_ERROR_CONTEXT ctx;
    IBackgroundCopyError_GetError(pError, &ctx, &code);
    CHECK_FAIL("unexpected JobError 0x%08X", (unsigned)code);
}

static HRESULT STDMETHODCALLTYPE s_JobModification(IBackgroundCopyCallback3 *This,
                                                   IBackgroundCopyJob *pJob, DWORD dwReserved)
{
    (void)This;
    (void)pJob;
    (void)dwReserved;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE s_FileTransferred(IBackgroundCopyCallback3 *This,
                                                   IBackgroundCopyJob *pJob,
                                                   IBackgroundCopyFile *pFile)
{
    sink *s = sink_from(This);
    (void)pJob;
    IBackgroundCopyFile3 *f3 = NULL;
    HRESULT hr = IBackgroundCopyFile_QueryInterface(pFile, &IID_IBackgroundCopyFile3, (void **)&f3);
    if (SUCCEEDED(hr))
        IBackgroundCopyFile3_Release(f3);
    pthread_mutex_lock(&s->lock);
    record(s, 'F');
    s->file_has_file3 = SUCCEEDED(hr) && f3 == (IBackgroundCopyFile3 *)(void *)pFile;
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE s_FileRangesTransferred(IBackgroundCopyCallback3 *This,
                                                         IBackgroundCopyJob *job,
                                                         IBackgroundCopyFile *file,
                                                         DWORD rangeCount,
                                                         const BG_FILE_RANGE ranges[])
{
    (void)job;
    (void)file;
    (void)rangeCount;
    (void)ranges;
    sink *s = sink_from(This);
    pthread_mutex_lock(&s->lock);
    record(s, 'R'); /* not an on-demand job: must not happen */
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

static const IBackgroundCopyCallback3Vtbl sink_vtbl = {
    s_QueryInterface, s_AddRef,          s_Release,         s_JobTransferred,
    s_JobError,       s_JobModification, s_FileTransferred, s_FileRangesTransferred,
};

static void run(const ts_server *server, const char *dir, sink *s, const char *want_order)
{
    char local[4200];
    snprintf(local, sizeof local, "%s/levels_%d.bin", dir, s->answers);
    wchar_t wl[4200], wu[256];
    swprintf(wl, 4200, L"%s", local);
    swprintf(wu, 256, L"%s/gen/%u?id=%d", server->base_url, FILE_SIZE, s->answers);

    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager10_1, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);
    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"levels", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_AddFile(job, wu, wl), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyFlags(job, BG_NOTIFY_JOB_TRANSFERRED |
                                                           BG_NOTIFY_JOB_ERROR |
                                                           BG_NOTIFY_FILE_TRANSFERRED),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)&s->iface), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(job), S_OK);

    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 60;
    pthread_mutex_lock(&s->lock);
    while (!s->done) {
        if (pthread_cond_timedwait(&s->cond, &s->lock, &deadline) == ETIMEDOUT)
            break;
    }
    CHECK_MSG(s->done, "no JobTransferred within 60 s (calls: \"%s\")", s->order);
    CHECK_EQ_STR(s->order, want_order);
    CHECK_EQ_INT(s->first_qi_is_cb3, 1);
    pthread_mutex_unlock(&s->lock);
    CHECK(ts_file_matches_gen(local, FILE_SIZE));
    CHECK_EQ_INT(IBackgroundCopyJob_Release(job), 0);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
}

static sink g_cb3_only = {
    .iface = {&sink_vtbl},
    .ref = 1,
    .answers = ANSWERS_CALLBACK3,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .cond = PTHREAD_COND_INITIALIZER,
};

static sink g_cb1_only = {
    .iface = {&sink_vtbl},
    .ref = 1,
    .answers = ANSWERS_CALLBACK,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .cond = PTHREAD_COND_INITIALIZER,
};

int main(void)
{
    ts_server server;
    CHECK_EQ_INT(ts_server_start(&server, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);

    run(&server, dir, &g_cb3_only, "FT");
    CHECK_EQ_INT(g_cb3_only.file_has_file3, 1);
    run(&server, dir, &g_cb1_only, "T");

    CoUninitialize();
    CHECK_SINK_RELEASED(&g_cb3_only.ref);
    CHECK_SINK_RELEASED(&g_cb1_only.ref);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&server), 0);
    printf("v2_callback_levels: ok\n");
    return 0;
}
