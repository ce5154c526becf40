/*
 * v2_on_demand - BITS 10.1 random access through the COM vtables:
 * IBackgroundCopyJob5 property ON_DEMAND_MODE, IBackgroundCopyFile6
 * (RequestFileRanges, GetFilledFileRanges, UpdateDownloadPosition) and
 * IBackgroundCopyCallback3::FileRangesTransferred delivered by the bridge
 * with the native ranges converted to BG_FILE_RANGE (spec §3.9, §3.11,
 * §6.9, §5.3).
 *  - only the requested bytes are fetched, at their own offsets of the
 *    temporary file (checked byte by byte);
 *  - FileRangesTransferred reports them (pFile answers File6), and the
 *    union of the reported ranges covers what was asked;
 *  - GetFilledFileRanges gives them sorted, CoTaskMemAlloc'ed;
 *  - a range beyond the known size is BG_E_INVALID_RANGE; a job that is
 *    not on-demand answers BG_E_RANDOM_ACCESS_NOT_SUPPORTED; the property
 *    is read-only after Resume.
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>
#include <bits10_1.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "check.h"
#include "harness.h"
#include "sink_refs.h"

#define RES_SIZE 300000u
#define MAX_SEEN 256

typedef struct sink {
    IBackgroundCopyCallback3 iface;
    LONG ref;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    BG_FILE_RANGE seen[MAX_SEEN]; /* every range FileRangesTransferred reported */
    int nseen;
    int calls;
    int file_is_file6;
    int errors;
} sink;

static sink *sink_from(IBackgroundCopyCallback3 *This)
{
    return (sink *)(void *)This;
}

static HRESULT STDMETHODCALLTYPE s_QueryInterface(IBackgroundCopyCallback3 *This, REFIID riid,
                                                  void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IBackgroundCopyCallback) ||
        IsEqualIID(riid, &IID_IBackgroundCopyCallback2) ||
        IsEqualIID(riid, &IID_IBackgroundCopyCallback3)) {
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
    (void)This;
    (void)pJob;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE s_JobError(IBackgroundCopyCallback3 *This,
                                            IBackgroundCopyJob *pJob,
                                            IBackgroundCopyError *pError)
{
    sink *s = sink_from(This);
    (void)pJob;
    BG_ERROR_CONTEXT ctx;
    HRESULT code = S_OK;
    IBackgroundCopyError_GetError(pError, &ctx, &code);
    fprintf(stderr, "v2_on_demand: JobError 0x%08X\n", (unsigned)code);
    pthread_mutex_lock(&s->lock);
    s->errors++;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return S_OK;
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
    (void)This;
    (void)pJob;
    (void)pFile;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE s_FileRangesTransferred(IBackgroundCopyCallback3 *This,
                                                         IBackgroundCopyJob *job,
                                                         IBackgroundCopyFile *file,
                                                         DWORD rangeCount,
                                                         const BG_FILE_RANGE ranges[])
{
    sink *s = sink_from(This);
    (void)job;
    IBackgroundCopyFile6 *f6 = NULL;
    HRESULT hr = IBackgroundCopyFile_QueryInterface(file, &IID_IBackgroundCopyFile6, (void **)&f6);
    if (SUCCEEDED(hr))
        IBackgroundCopyFile6_Release(f6);
    pthread_mutex_lock(&s->lock);
    s->calls++;
    s->file_is_file6 = SUCCEEDED(hr);
    for (DWORD i = 0; i < rangeCount && s->nseen < MAX_SEEN; i++)
        s->seen[s->nseen++] = ranges[i];
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return S_OK;
}

static const IBackgroundCopyCallback3Vtbl sink_vtbl = {
    s_QueryInterface, s_AddRef,          s_Release,         s_JobTransferred,
    s_JobError,       s_JobModification, s_FileTransferred, s_FileRangesTransferred,
};

static sink g_sink = {
    .iface = {&sink_vtbl},
    .ref = 1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .cond = PTHREAD_COND_INITIALIZER,
};

/* Bytes of [off, off+len) covered by the ranges reported so far (lock held). */
static uint64_t covered_locked(uint64_t off, uint64_t len)
{
    uint64_t n = 0;
    for (uint64_t b = off; b < off + len; b++) {
        for (int i = 0; i < g_sink.nseen; i++) {
            if (b >= g_sink.seen[i].InitialOffset &&
                b - g_sink.seen[i].InitialOffset < g_sink.seen[i].Length) {
                n++;
                break;
            }
        }
    }
    return n;
}

/* Wait (bounded) until every range of |want| was reported. */
static void wait_reported(const BG_FILE_RANGE *want, int n)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 60;
    pthread_mutex_lock(&g_sink.lock);
    for (;;) {
        int all = 1;
        for (int i = 0; i < n && all; i++)
            all = covered_locked(want[i].InitialOffset, want[i].Length) == want[i].Length;
        CHECK_MSG(g_sink.errors == 0, "JobError during the on-demand transfer");
        if (all)
            break;
        CHECK_MSG(pthread_cond_timedwait(&g_sink.cond, &g_sink.lock, &deadline) != ETIMEDOUT,
                  "requested ranges not reported within 60 s (%d calls)", g_sink.calls);
    }
    CHECK_EQ_INT(g_sink.file_is_file6, 1);
    pthread_mutex_unlock(&g_sink.lock);
}

static int job_suspended(void *arg)
{
    BG_JOB_STATE s;
    CHECK_EQ_HR(IBackgroundCopyJob5_GetState((IBackgroundCopyJob5 *)arg, &s), S_OK);
    return s == BG_JOB_STATE_SUSPENDED;
}

static void check_bytes(const unsigned char *data, size_t len, uint64_t off, uint64_t n)
{
    CHECK_LE_U64(off + n, len);
    for (uint64_t k = 0; k < n; k++)
        CHECK_MSG(data[off + k] == ts_gen_byte(off + k), "byte %llu",
                  (unsigned long long)(off + k));
}

int main(void)
{
    ts_server server;
    CHECK_EQ_INT(ts_server_start(&server, NULL), 0);
    char *dir = ts_mkdtemp();
    char local[4200];
    snprintf(local, sizeof local, "%s/on_demand.bin", dir);
    wchar_t wl[4200], wu[256];
    swprintf(wl, 4200, L"%s", local);
    swprintf(wu, 256, L"%s/gen/%u", server.base_url, RES_SIZE);

    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager10_1, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);
    GUID id;
    IBackgroundCopyJob *j1 = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"on demand", BG_JOB_TYPE_DOWNLOAD, &id, &j1),
                S_OK);
    IBackgroundCopyJob5 *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob_QueryInterface(j1, &IID_IBackgroundCopyJob5, (void **)&job),
                S_OK);
    IBackgroundCopyJob_Release(j1);
    CHECK_EQ_HR(IBackgroundCopyJob5_AddFile(job, wu, wl), S_OK);
    IEnumBackgroundCopyFiles *e = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob5_EnumFiles(job, &e), S_OK);
    IBackgroundCopyFile *f = NULL;
    CHECK_EQ_HR(IEnumBackgroundCopyFiles_Next(e, 1, &f, NULL), S_OK);
    IEnumBackgroundCopyFiles_Release(e);
    IBackgroundCopyFile6 *file = NULL;
    CHECK_EQ_HR(IBackgroundCopyFile_QueryInterface(f, &IID_IBackgroundCopyFile6, (void **)&file),
                S_OK);
    IBackgroundCopyFile_Release(f);

    /* Not on-demand yet: random access is refused. */
    BG_FILE_RANGE want[2] = {{1000, 500}, {200000, 100}};
    CHECK_EQ_HR(IBackgroundCopyFile6_RequestFileRanges(file, 2, want),
                BG_E_RANDOM_ACCESS_NOT_SUPPORTED);
    CHECK_EQ_HR(IBackgroundCopyFile6_UpdateDownloadPosition(file, 10),
                BG_E_RANDOM_ACCESS_NOT_SUPPORTED);
    CHECK_EQ_HR(IBackgroundCopyFile6_RequestFileRanges(file, 0, want), E_INVALIDARG);

    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0, sizeof v);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetProperty(job, BITS_JOB_PROPERTY_ON_DEMAND_MODE, &v), S_OK);
    CHECK_EQ_INT(v.Enable, FALSE);
    v.Enable = TRUE;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(job, BITS_JOB_PROPERTY_ON_DEMAND_MODE, v), S_OK);
    memset(&v, 0, sizeof v);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetProperty(job, BITS_JOB_PROPERTY_ON_DEMAND_MODE, &v), S_OK);
    CHECK_EQ_INT(v.Enable, TRUE);

    CHECK_EQ_HR(IBackgroundCopyJob5_SetNotifyFlags(job, BG_NOTIFY_JOB_TRANSFERRED |
                                                            BG_NOTIFY_JOB_ERROR |
                                                            BG_NOTIFY_FILE_RANGES_TRANSFERRED),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetNotifyInterface(job, (IUnknown *)&g_sink.iface), S_OK);
    CHECK_EQ_HR(IBackgroundCopyFile6_RequestFileRanges(file, 2, want), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_Resume(job), S_OK);
    v.Enable = FALSE;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(job, BITS_JOB_PROPERTY_ON_DEMAND_MODE, v),
                BG_E_READ_ONLY_PROPERTY_AFTER_RESUME);

    wait_reported(want, 2);
    CHECK_MSG(ts_wait_until(job_suspended, job, 60000), "not SUSPENDED once the ranges are in");

    /* Filled: exactly the two ranges, sorted. */
    DWORD n = 0;
    BG_FILE_RANGE *filled = NULL;
    CHECK_EQ_HR(IBackgroundCopyFile6_GetFilledFileRanges(file, &n, &filled), S_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_NOT_NULL(filled);
    CHECK_EQ_U64(filled[0].InitialOffset, 1000);
    CHECK_EQ_U64(filled[0].Length, 500);
    CHECK_EQ_U64(filled[1].InitialOffset, 200000);
    CHECK_EQ_U64(filled[1].Length, 100);
    CoTaskMemFree(filled);

    /* The size is known now: beyond it is an invalid range. */
    BG_FILE_RANGE beyond = {RES_SIZE + 10, 10};
    CHECK_EQ_HR(IBackgroundCopyFile6_RequestFileRanges(file, 1, &beyond), BG_E_INVALID_RANGE);

    /* UpdateDownloadPosition: the rest of the file from there. */
    CHECK_EQ_HR(IBackgroundCopyFile6_UpdateDownloadPosition(file, RES_SIZE - 2000), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_Resume(job), S_OK);
    BG_FILE_RANGE tail = {RES_SIZE - 2000, 2000};
    wait_reported(&tail, 1);

    LPWSTR tmp = NULL;
    CHECK_EQ_HR(IBackgroundCopyFile6_GetTemporaryName(file, &tmp), S_OK);
    char tmp8[4200];
    CHECK(wcstombs(tmp8, tmp, sizeof tmp8) < sizeof tmp8);
    CoTaskMemFree(tmp);
    size_t len = 0;
    unsigned char *data = (unsigned char *)ts_read_file(tmp8, &len);
    CHECK_NOT_NULL(data);
    check_bytes(data, len, 1000, 500);
    check_bytes(data, len, 200000, 100);
    check_bytes(data, len, RES_SIZE - 2000, 2000);
    free(data);

    /* Only the asked-for bytes came over the wire (no full GET). */
    char needle[128];
    snprintf(needle, sizeof needle, "GET\t/gen/%u\t-\t", RES_SIZE);
    CHECK_EQ_INT(ts_server_log_count(&server, needle), 0);

    IBackgroundCopyFile6_Release(file);
    CHECK_EQ_HR(IBackgroundCopyJob5_Cancel(job), S_OK);
    CHECK_EQ_INT(IBackgroundCopyJob5_Release(job), 0);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CoUninitialize();
    CHECK_SINK_RELEASED(&g_sink.ref);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&server), 0);
    printf("v2_on_demand: ok\n");
    return 0;
}
