/*
 * qmgr-group.c - a BITS 1.0 Queue Manager client, as it would be written for
 * Windows XP, running on bgcopy: it creates a group with two files,
 * registers its own IBackgroundCopyCallback1 class with
 * CoRegisterClassObject, names that class in GROUPPROP_NOTIFYCLSID, and
 * prints every notification until the group completes or fails.
 *
 *   qmgr-group URL [URL2] [DIR]
 *
 * Both files are downloaded into DIR (default: a new temporary directory)
 * as file0 and file1; URL2 defaults to URL.  With --progress as the first
 * argument it also opts in to bgcopy's progress calls (bgcopy_qmgr.h),
 * which Windows never makes.  Exit status 0 when the group completed, 1 on
 * a group error, 2 on a usage or setup error.
 *
 * It builds unchanged on Linux and on Windows (mingw-w64).  What differs:
 * the manager is created with BgCopyCreateInstance, bgcopy's entry point,
 * because on Windows CoCreateInstance reaches the system's BITS service;
 * and main waits for OnStatus the platform's way (an event on Windows, a
 * condition variable elsewhere).
 */
/* The vtables below are const; the Windows SDK declares lpVtbl const only
 * when asked (bgcopy's headers always do). */
#define CONST_VTABLE
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include <qmgr.h>
#include <bgcopy_qmgr.h> /* bgcopy only: opt-in progress */

#ifndef _WIN32
#include <pthread.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* {d3c6f0a4-2b1e-4d8f-9a51-6c0e7b2a9f13}: our callback class. */
static const CLSID CLSID_MyCallback = {0xd3c6f0a4, 0x2b1e, 0x4d8f,
                                       {0x9a, 0x51, 0x6c, 0x0e, 0x7b, 0x2a, 0x9f, 0x13}};

#ifdef _WIN32
#define PATH_SEP_W L"\\"
#else
#define PATH_SEP_W L"/"
#endif

/* ---- how OnStatus (a queue manager thread) wakes main ---- */

static int g_finished; /* 1 complete, -1 error */
#ifdef _WIN32
static HANDLE g_done; /* manual-reset event, set once g_finished is */

static int init_wait(void)
{
    g_done = CreateEventW(NULL, TRUE, FALSE, NULL);
    return g_done != NULL;
}

static void set_finished(int result)
{
    g_finished = result;
    SetEvent(g_done);
}

static int wait_finished(void)
{
    WaitForSingleObject(g_done, INFINITE);
    return g_finished;
}
#else
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;

static int init_wait(void)
{
    return 1;
}

static void set_finished(int result)
{
    pthread_mutex_lock(&g_lock);
    g_finished = result;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static int wait_finished(void)
{
    pthread_mutex_lock(&g_lock);
    while (!g_finished)
        pthread_cond_wait(&g_cond, &g_lock);
    int result = g_finished;
    pthread_mutex_unlock(&g_lock);
    return result;
}
#endif

/* ---- the callback object (one per activation) ---- */

typedef struct callback {
    IBackgroundCopyCallback1 iface;
    LONG ref;
} callback;

static HRESULT STDMETHODCALLTYPE cb_QueryInterface(IBackgroundCopyCallback1 *This, REFIID riid,
                                                   void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IBackgroundCopyCallback1)) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cb_AddRef(IBackgroundCopyCallback1 *This)
{
    return (ULONG)__atomic_add_fetch(&((callback *)(void *)This)->ref, 1, __ATOMIC_SEQ_CST);
}

static ULONG STDMETHODCALLTYPE cb_Release(IBackgroundCopyCallback1 *This)
{
    LONG left = __atomic_sub_fetch(&((callback *)(void *)This)->ref, 1, __ATOMIC_SEQ_CST);
    if (left == 0)
        free(This);
    return (ULONG)left;
}

static HRESULT STDMETHODCALLTYPE cb_OnStatus(IBackgroundCopyCallback1 *This,
                                             IBackgroundCopyGroup *pGroup,
                                             IBackgroundCopyJob1 *pJob, DWORD dwFileIndex,
                                             DWORD dwStatus, DWORD dwNumOfRetries,
                                             DWORD dwWin32Result, DWORD dwTransportResult)
{
    (void)This, (void)pGroup, (void)pJob;
    int error = (dwStatus & QM_STATUS_GROUP_ERROR) != 0;
    if (error)
        printf("OnStatus: group error, file %ld, status 0x%lx, retries %lu, Win32 %lu, HTTP %lu\n",
               dwFileIndex == (DWORD)-1 ? -1L : (long)dwFileIndex, (unsigned long)dwStatus,
               (unsigned long)dwNumOfRetries, (unsigned long)dwWin32Result,
               (unsigned long)dwTransportResult);
    else
        printf("OnStatus: group complete, status 0x%lx\n", (unsigned long)dwStatus);
    fflush(stdout);
    set_finished(error ? -1 : 1);
    return S_OK; /* anything else: the queue manager calls again later */
}

static HRESULT STDMETHODCALLTYPE cb_OnProgress(IBackgroundCopyCallback1 *This, DWORD type,
                                               IBackgroundCopyGroup *g, IBackgroundCopyJob1 *j,
                                               DWORD index, DWORD value)
{
    (void)This, (void)g, (void)j;
    printf("OnProgress: file %lu, %lu %s\n", (unsigned long)index, (unsigned long)value,
           type == QM_PROGRESS_PERCENT_DONE ? "%" : "bytes");
    fflush(stdout);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cb_OnProgressEx(IBackgroundCopyCallback1 *This, DWORD type,
                                                 IBackgroundCopyGroup *g, IBackgroundCopyJob1 *j,
                                                 DWORD index, DWORD value, DWORD n, BYTE *p)
{
    (void)n, (void)p;
    return cb_OnProgress(This, type, g, j, index, value);
}

static const IBackgroundCopyCallback1Vtbl cb_vtbl = {
    cb_QueryInterface, cb_AddRef, cb_Release, cb_OnStatus, cb_OnProgress, cb_OnProgressEx,
};

/* ---- its class factory (a static object) ---- */

static HRESULT STDMETHODCALLTYPE cf_QueryInterface(IClassFactory *This, REFIID riid, void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory)) {
        *ppv = This;
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE cf_AddRef(IClassFactory *This) { (void)This; return 2; }
static ULONG STDMETHODCALLTYPE cf_Release(IClassFactory *This) { (void)This; return 1; }

static HRESULT STDMETHODCALLTYPE cf_CreateInstance(IClassFactory *This, IUnknown *outer,
                                                   REFIID riid, void **ppv)
{
    (void)This;
    *ppv = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    callback *c = calloc(1, sizeof *c);
    if (!c)
        return E_OUTOFMEMORY;
    c->iface.lpVtbl = &cb_vtbl;
    c->ref = 1;
    HRESULT hr = cb_QueryInterface(&c->iface, riid, ppv);
    cb_Release(&c->iface);
    return hr;
}

static HRESULT STDMETHODCALLTYPE cf_LockServer(IClassFactory *This, BOOL lock)
{
    (void)This, (void)lock;
    return S_OK;
}

static const IClassFactoryVtbl cf_vtbl = {cf_QueryInterface, cf_AddRef, cf_Release,
                                          cf_CreateInstance, cf_LockServer};
static IClassFactory g_factory = {&cf_vtbl};

/* ---- main ---- */

#define FAIL_IF(expr)                                                              \
    do {                                                                           \
        HRESULT hr_ = (expr);                                                      \
        if (FAILED(hr_)) {                                                         \
            fprintf(stderr, "%s failed: 0x%08lx\n", #expr, (unsigned long)hr_);    \
            return 2;                                                              \
        }                                                                          \
    } while (0)

static HRESULT set_bstr(IBackgroundCopyGroup *g, GROUPPROP prop, const WCHAR *s)
{
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_BSTR;
    v.bstrVal = SysAllocString(s);
    HRESULT hr = IBackgroundCopyGroup_SetProp(g, prop, &v);
    VariantClear(&v);
    return hr;
}

/* The command line's text as a WCHAR string (truncated to |n| - 1). */
static void widen(WCHAR *out, size_t n, const char *s)
{
#ifdef _WIN32
    /* argv is in the ANSI code page on Windows. */
    if (MultiByteToWideChar(CP_ACP, 0, s, -1, out, (int)n) == 0)
        out[0] = 0;
#else
    if (mbstowcs(out, s, n) == (size_t)-1)
        out[0] = 0;
#endif
    out[n - 1] = 0;
}

static HRESULT add_file(IBackgroundCopyJob1 *job, const char *url, const char *dir, int n)
{
    WCHAR wurl[2300], wdir[1024], wlocal[1100];
    widen(wurl, 2300, url);
    widen(wdir, 1024, dir);
    swprintf(wlocal, 1100, L"%ls" PATH_SEP_W L"file%d", wdir, n);
    FILESETINFO fs = {SysAllocString(wurl), SysAllocString(wlocal), 0};
    FILESETINFO *set[1] = {&fs};
    HRESULT hr = IBackgroundCopyJob1_AddFiles(job, 1, set);
    SysFreeString(fs.bstrRemoteFile);
    SysFreeString(fs.bstrLocalFile);
    return hr;
}

/* A new private directory in the system's temporary directory; |buf|
 * receives its path.  NULL on failure. */
static const char *make_temp_dir(char *buf, size_t len)
{
#ifdef _WIN32
    char base[MAX_PATH + 1];
    DWORD n = GetTempPathA(sizeof base, base); /* ends with a backslash */
    if (n == 0 || n >= sizeof base)
        return NULL;
    for (unsigned i = 0; i < 1000; i++) {
        snprintf(buf, len, "%sqmgr-group.%lu.%u", base, (unsigned long)GetCurrentProcessId(), i);
        if (CreateDirectoryA(buf, NULL))
            return buf;
        if (GetLastError() != ERROR_ALREADY_EXISTS)
            return NULL;
    }
    return NULL;
#else
    snprintf(buf, len, "/tmp/qmgr-group.XXXXXX");
    return mkdtemp(buf);
#endif
}

int main(int argc, char **argv)
{
    int progress = argc > 1 && strcmp(argv[1], "--progress") == 0;
    argv += progress;
    argc -= progress;
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: qmgr-group [--progress] URL [URL2] [DIR]\n");
        return 2;
    }
    const char *url1 = argv[1], *url2 = argc > 2 ? argv[2] : argv[1];
    char tmpdir[1024];
    const char *dir = argc > 3 ? argv[3] : make_temp_dir(tmpdir, sizeof tmpdir);
    if (!dir) {
        fprintf(stderr, "cannot create a temporary directory\n");
        return 2;
    }
    if (!init_wait()) {
        fprintf(stderr, "cannot create an event\n");
        return 2;
    }

    FAIL_IF(CoInitializeEx(NULL, COINIT_MULTITHREADED));
    DWORD cookie;
    FAIL_IF(CoRegisterClassObject(&CLSID_MyCallback, (IUnknown *)&g_factory, CLSCTX_INPROC_SERVER,
                                  REGCLS_MULTIPLEUSE, &cookie));
    IBackgroundCopyQMgr *qm;
    /* Where a Windows XP client calls CoCreateInstance: on Windows that
     * would reach the system's BITS service, so bgcopy's entry point is
     * used (on Linux the two are the same). */
    FAIL_IF(BgCopyCreateInstance(&CLSID_BackgroundCopyQMgr, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyQMgr, (void **)&qm));
    /* {4b1d0c3e-...}: a fixed group GUID is typical of QMGR clients. */
    GUID group_id = {0x4b1d0c3e, 0x5a6f, 0x4e21, {0x8c, 0x0d, 0x1e, 0x2f, 0x3a, 0x4b, 0x5c, 0x6d}};
    GUID job_id = {0x4b1d0c3f, 0x5a6f, 0x4e21, {0x8c, 0x0d, 0x1e, 0x2f, 0x3a, 0x4b, 0x5c, 0x6d}};
    IBackgroundCopyGroup *group;
    FAIL_IF(IBackgroundCopyQMgr_CreateGroup(qm, group_id, &group));
    FAIL_IF(set_bstr(group, GROUPPROP_DISPLAYNAME, L"qmgr-group example"));

    VARIANT flags;
    VariantInit(&flags);
    flags.vt = VT_I4;
    flags.lVal = QM_NOTIFY_GROUP_DONE; /* errors are reported anyway */
    FAIL_IF(IBackgroundCopyGroup_SetProp(group, GROUPPROP_NOTIFYFLAGS, &flags));
    WCHAR clsid[40];
    StringFromGUID2(&CLSID_MyCallback, clsid, 40);
    FAIL_IF(set_bstr(group, GROUPPROP_NOTIFYCLSID, clsid));

    IBackgroundCopyJob1 *job;
    FAIL_IF(IBackgroundCopyGroup_CreateJob(group, job_id, &job));
    FAIL_IF(add_file(job, url1, dir, 0));
    FAIL_IF(add_file(job, url2, dir, 1));
    if (progress)
        FAIL_IF(BgCopyQMgrSetProgressGranularity(group, 0, 10, 0));
    printf("downloading %s and %s into %s\n", url1, url2, dir);
    fflush(stdout);
    FAIL_IF(IBackgroundCopyGroup_ResumeGroup(group));

    int result = wait_finished();

    DWORD size = 0, done = 0;
    IBackgroundCopyGroup_get_Size(group, &size);
    IBackgroundCopyGroup_GetProgress(group, QM_PROGRESS_SIZE_DONE, &done);
    printf("%lu of %lu bytes\n", (unsigned long)done, (unsigned long)size);
    /* Done with the group: CancelGroup removes it; finished files stay. */
    IBackgroundCopyGroup_CancelGroup(group);
    IBackgroundCopyJob1_Release(job);
    IBackgroundCopyGroup_Release(group);
    IBackgroundCopyQMgr_Release(qm);
    CoRevokeClassObject(cookie);
    CoUninitialize();
    return result > 0 ? 0 : 1;
}
