/*
 * qmgr_group - the BITS 1.0 Queue Manager (qmgr.h) through its C vtables
 * against bgcopy-testserver: every method of IBackgroundCopyQMgr,
 * IBackgroundCopyGroup, IBackgroundCopyJob1, both GUID enumerators and
 * IBackgroundCopyCallback1 (activated from GROUPPROP_NOTIFYCLSID through
 * CoRegisterClassObject), with the Windows rules of spec §4.2-4.5, the
 * error case with its Win32 and HTTP codes, re-delivery of a failing
 * OnStatus, a "restarted" client that sets NOTIFYCLSID again, and the
 * opt-in progress of bgcopy_qmgr.h.
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>
#include <oleauto.h>
#include <qmgr.h>
#include <bgcopy_qmgr.h>

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include "check.h"
#include "harness.h"

/* Vtable slot orders of spec §4.2 (slot n at n pointers). */
#define SLOT(vtbl, m, n) _Static_assert(offsetof(vtbl, m) == (n) * sizeof(void *), #vtbl "::" #m)
SLOT(IBackgroundCopyQMgrVtbl, CreateGroup, 3);
SLOT(IBackgroundCopyQMgrVtbl, GetGroup, 4);
SLOT(IBackgroundCopyQMgrVtbl, EnumGroups, 5);
SLOT(IBackgroundCopyGroupVtbl, GetProp, 3);
SLOT(IBackgroundCopyGroupVtbl, SetProp, 4);
SLOT(IBackgroundCopyGroupVtbl, GetProgress, 5);
SLOT(IBackgroundCopyGroupVtbl, GetStatus, 6);
SLOT(IBackgroundCopyGroupVtbl, GetJob, 7);
SLOT(IBackgroundCopyGroupVtbl, SuspendGroup, 8);
SLOT(IBackgroundCopyGroupVtbl, ResumeGroup, 9);
SLOT(IBackgroundCopyGroupVtbl, CancelGroup, 10);
SLOT(IBackgroundCopyGroupVtbl, get_Size, 11);
SLOT(IBackgroundCopyGroupVtbl, get_GroupID, 12);
SLOT(IBackgroundCopyGroupVtbl, CreateJob, 13);
SLOT(IBackgroundCopyGroupVtbl, EnumJobs, 14);
SLOT(IBackgroundCopyGroupVtbl, SwitchToForeground, 15);
SLOT(IBackgroundCopyGroupVtbl, QueryNewJobInterface, 16);
SLOT(IBackgroundCopyGroupVtbl, SetNotificationPointer, 17);
SLOT(IBackgroundCopyJob1Vtbl, CancelJob, 3);
SLOT(IBackgroundCopyJob1Vtbl, GetProgress, 4);
SLOT(IBackgroundCopyJob1Vtbl, GetStatus, 5);
SLOT(IBackgroundCopyJob1Vtbl, AddFiles, 6);
SLOT(IBackgroundCopyJob1Vtbl, GetFile, 7);
SLOT(IBackgroundCopyJob1Vtbl, GetFileCount, 8);
SLOT(IBackgroundCopyJob1Vtbl, SwitchToForeground, 9);
SLOT(IBackgroundCopyJob1Vtbl, get_JobID, 10);
SLOT(IEnumBackgroundCopyGroupsVtbl, Next, 3);
SLOT(IEnumBackgroundCopyGroupsVtbl, GetCount, 7);
SLOT(IEnumBackgroundCopyJobs1Vtbl, Next, 3);
SLOT(IEnumBackgroundCopyJobs1Vtbl, Clone, 6);
SLOT(IEnumBackgroundCopyJobs1Vtbl, GetCount, 7);
SLOT(IBackgroundCopyCallback1Vtbl, OnStatus, 3);
SLOT(IBackgroundCopyCallback1Vtbl, OnProgress, 4);
SLOT(IBackgroundCopyCallback1Vtbl, OnProgressEx, 5);
_Static_assert(QM_E_ITEM_NOT_FOUND == (HRESULT)0x81001004, "QM_E_ITEM_NOT_FOUND");
_Static_assert(QM_E_INVALID_STATE == (HRESULT)0x81001001, "QM_E_INVALID_STATE");
_Static_assert(GROUPPROP_DESCRIPTION == 12 && QM_NOTIFY_USE_PROGRESSEX == 0x80, "values");

static ts_server g_server;
static char *g_dir;

/* ------------------------------------------------- the callback class */

typedef struct record {
    GUID group;
    int has_job;
    DWORD index, status, retries, win32, http;
} record;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static record g_status[64];
static int g_nstatus;
static int g_fail_next;      /* OnStatus answers E_FAIL this many times */
static int g_progress, g_progress_ex;
static DWORD g_last_progress_type, g_last_progress_value;
static int g_instances;      /* objects the factory created */

typedef struct cb_obj {
    IBackgroundCopyCallback1 iface;
    LONG ref;
} cb_obj;

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
    return (ULONG)__atomic_add_fetch(&((cb_obj *)(void *)This)->ref, 1, __ATOMIC_SEQ_CST);
}
static ULONG STDMETHODCALLTYPE cb_Release(IBackgroundCopyCallback1 *This)
{
    LONG left = __atomic_sub_fetch(&((cb_obj *)(void *)This)->ref, 1, __ATOMIC_SEQ_CST);
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
    (void)This;
    record r = {.index = dwFileIndex, .status = dwStatus, .retries = dwNumOfRetries,
                .win32 = dwWin32Result, .http = dwTransportResult, .has_job = pJob != NULL};
    CHECK_EQ_HR(IBackgroundCopyGroup_get_GroupID(pGroup, &r.group), S_OK);
    HRESULT hr = S_OK;
    pthread_mutex_lock(&g_lock);
    if (g_fail_next > 0) {
        g_fail_next--;
        hr = E_FAIL;
    }
    if (g_nstatus < 64)
        g_status[g_nstatus++] = r;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
    return hr;
}
static HRESULT STDMETHODCALLTYPE cb_OnProgress(IBackgroundCopyCallback1 *This, DWORD type,
                                               IBackgroundCopyGroup *g, IBackgroundCopyJob1 *j,
                                               DWORD idx, DWORD value)
{
    (void)This, (void)g, (void)j, (void)idx;
    pthread_mutex_lock(&g_lock);
    g_progress++;
    g_last_progress_type = type;
    g_last_progress_value = value;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE cb_OnProgressEx(IBackgroundCopyCallback1 *This, DWORD type,
                                                 IBackgroundCopyGroup *g, IBackgroundCopyJob1 *j,
                                                 DWORD idx, DWORD value, DWORD n, BYTE *p)
{
    (void)This, (void)g, (void)j, (void)idx, (void)n, (void)p;
    pthread_mutex_lock(&g_lock);
    g_progress_ex++;
    g_last_progress_type = type;
    g_last_progress_value = value;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
    return S_OK;
}
static const IBackgroundCopyCallback1Vtbl cb_vtbl = {
    cb_QueryInterface, cb_AddRef, cb_Release, cb_OnStatus, cb_OnProgress, cb_OnProgressEx,
};

/* The class factory (a static object). */
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
    cb_obj *o = calloc(1, sizeof *o);
    o->iface.lpVtbl = &cb_vtbl;
    o->ref = 1;
    HRESULT hr = cb_QueryInterface(&o->iface, riid, ppv);
    cb_Release(&o->iface);
    pthread_mutex_lock(&g_lock);
    g_instances++;
    pthread_mutex_unlock(&g_lock);
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

/* The class object of a client that is going away: CreateInstance fails
 * (counted), as activation would once its process is gone. */
static int g_dead_calls;
static HRESULT STDMETHODCALLTYPE dead_CreateInstance(IClassFactory *This, IUnknown *outer,
                                                     REFIID riid, void **ppv)
{
    (void)This, (void)outer, (void)riid;
    *ppv = NULL;
    pthread_mutex_lock(&g_lock);
    g_dead_calls++;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
    return E_FAIL;
}
static const IClassFactoryVtbl dead_vtbl = {cf_QueryInterface, cf_AddRef, cf_Release,
                                            dead_CreateInstance, cf_LockServer};
static IClassFactory g_dead_factory = {&dead_vtbl};

/* {5e0b2f1a-7c55-4a0e-9d7b-1c2a3b4c5d6e} and a second class. */
static const CLSID CLSID_Cb = {0x5e0b2f1a, 0x7c55, 0x4a0e, {0x9d, 0x7b, 0x1c, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e}};
static const WCHAR *CLSID_Cb_str = L"{5E0B2F1A-7C55-4A0E-9D7B-1C2A3B4C5D6E}";
static const CLSID CLSID_Cb2 = {0x5e0b2f1a, 0x7c55, 0x4a0e, {0x9d, 0x7b, 0x1c, 0x2a, 0x3b, 0x4c, 0x5d, 0x6f}};
static const WCHAR *CLSID_Cb2_str = L"{5E0B2F1A-7C55-4A0E-9D7B-1C2A3B4C5D6F}";

/* ---------------------------------------------------------------- helpers */

static GUID mkguid(uint32_t n)
{
    GUID g = {0x9a000000u + n, 0x1111, 0x2222, {0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa}};
    return g;
}

/* Wait (up to 30 s) for an OnStatus of |group| beyond the first |skip|. */
static record wait_status(GUID group, int skip)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 30;
    pthread_mutex_lock(&g_lock);
    for (;;) {
        int seen = 0;
        for (int i = 0; i < g_nstatus; i++) {
            if (IsEqualGUID(&g_status[i].group, &group) && seen++ == skip) {
                record r = g_status[i];
                pthread_mutex_unlock(&g_lock);
                return r;
            }
        }
        if (pthread_cond_timedwait(&g_cond, &g_lock, &ts) != 0)
            break;
    }
    pthread_mutex_unlock(&g_lock);
    CHECK_FAIL("no OnStatus for group %08x (skip %d)", (unsigned)group.Data1, skip);
    record none = {0};
    return none;
}

static int count_status(GUID group)
{
    int n = 0;
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < g_nstatus; i++)
        n += IsEqualGUID(&g_status[i].group, &group);
    pthread_mutex_unlock(&g_lock);
    return n;
}

static void set_int(IBackgroundCopyGroup *g, GROUPPROP p, LONG v, HRESULT expect)
{
    VARIANT var;
    VariantInit(&var);
    var.vt = VT_I4;
    var.lVal = v;
    CHECK_EQ_HR(IBackgroundCopyGroup_SetProp(g, p, &var), expect);
}

static void set_str(IBackgroundCopyGroup *g, GROUPPROP p, const WCHAR *s, HRESULT expect)
{
    VARIANT var;
    VariantInit(&var);
    var.vt = VT_BSTR;
    var.bstrVal = SysAllocString(s);
    CHECK_EQ_HR(IBackgroundCopyGroup_SetProp(g, p, &var), expect);
    VariantClear(&var);
}

static void add_file(IBackgroundCopyJob1 *job, const char *path, const char *local, HRESULT expect)
{
    char *url = ts_url(&g_server, "%s", path);
    WCHAR wurl[512], wlocal[512];
    swprintf(wurl, 512, L"%s", url);
    swprintf(wlocal, 512, L"%s/%s", g_dir, local);
    FILESETINFO fs = {SysAllocString(wurl), SysAllocString(wlocal), 0};
    FILESETINFO *arr[1] = {&fs};
    CHECK_EQ_HR(IBackgroundCopyJob1_AddFiles(job, 1, arr), expect);
    SysFreeString(fs.bstrRemoteFile);
    SysFreeString(fs.bstrLocalFile);
    free(url);
}

static char *local_path(const char *name)
{
    size_t n = strlen(g_dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", g_dir, name);
    return p;
}

typedef struct status_wait {
    IBackgroundCopyGroup *g;
    DWORD bits;
} status_wait;

static int has_status(void *arg)
{
    status_wait *w = arg;
    DWORD st = 0, idx = 9;
    IBackgroundCopyGroup_GetStatus(w->g, &st, &idx);
    return (st & w->bits) == w->bits;
}

typedef struct size_wait {
    IBackgroundCopyGroup *g;
    DWORD bytes;
} size_wait;

static int has_bytes(void *arg)
{
    size_wait *w = arg;
    DWORD v = 0;
    IBackgroundCopyGroup_GetProgress(w->g, QM_PROGRESS_SIZE_DONE, &v);
    return v >= w->bytes;
}

/* ------------------------------------------------------------------ tests */

static void test_bstr_variant(void)
{
    BSTR b = SysAllocString(L"abc");
    CHECK_EQ_INT(SysStringLen(b), 3);
    CHECK_EQ_INT(SysStringByteLen(b), 3 * sizeof(WCHAR));
    CHECK(wcscmp(b, L"abc") == 0);
    SysFreeString(b);
    b = SysAllocStringLen(L"a\0b", 3);
    CHECK_EQ_INT(SysStringLen(b), 3);
    CHECK(b[1] == 0 && b[2] == L'b' && b[3] == 0);
    SysFreeString(b);
    CHECK(SysAllocString(NULL) == NULL);
    CHECK_EQ_INT(SysStringLen(NULL), 0);
    SysFreeString(NULL);
    VARIANT v;
    VariantInit(&v);
    CHECK_EQ_INT(v.vt, VT_EMPTY);
    v.vt = VT_BSTR;
    v.bstrVal = SysAllocString(L"x");
    CHECK_EQ_HR(VariantClear(&v), S_OK); /* frees the BSTR (ASan would see a leak) */
    CHECK_EQ_INT(v.vt, VT_EMPTY);
#ifndef _WIN32 /* bgcopy's own VariantClear; oleaut32's does not check for NULL */
    CHECK_EQ_HR(VariantClear(NULL), E_INVALIDARG);
#endif
}

static void test_class_objects(void)
{
    DWORD cookie = 0;
    CHECK_EQ_HR(CoRegisterClassObject(&CLSID_Cb, NULL, CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE,
                                      &cookie), E_INVALIDARG);
    CHECK_EQ_HR(CoRegisterClassObject(&CLSID_Cb, (IUnknown *)&g_factory, CLSCTX_INPROC_SERVER,
                                      REGCLS_MULTIPLEUSE, &cookie), S_OK);
    CHECK(cookie != 0);
    /* CoCreateInstance now finds the class. */
    IBackgroundCopyCallback1 *cb = NULL;
    CHECK_EQ_HR(CoCreateInstance(&CLSID_Cb, NULL, CLSCTX_INPROC_SERVER,
                                 &IID_IBackgroundCopyCallback1, (void **)&cb), S_OK);
    CHECK(cb != NULL);
    IBackgroundCopyCallback1_Release(cb);
    CHECK_EQ_HR(CoRevokeClassObject(cookie), S_OK);
#ifdef _WIN32
    /* The SDK documents no error code for a stale cookie; ole32 (wine)
     * answers E_INVALIDARG. */
    CHECK(FAILED(CoRevokeClassObject(cookie)));
#else
    CHECK_EQ_HR(CoRevokeClassObject(cookie), CO_E_OBJNOTREG);
#endif
    CHECK_EQ_HR(CoCreateInstance(&CLSID_Cb, NULL, CLSCTX_INPROC_SERVER,
                                 &IID_IBackgroundCopyCallback1, (void **)&cb), REGDB_E_CLASSNOTREG);
}

static void test_properties(IBackgroundCopyQMgr *qm)
{
    IBackgroundCopyGroup *g = NULL;
    CHECK_EQ_HR(IBackgroundCopyQMgr_CreateGroup(qm, mkguid(1), &g), S_OK);
    IBackgroundCopyGroup *dup = NULL;
    CHECK_EQ_HR(IBackgroundCopyQMgr_CreateGroup(qm, mkguid(1), &dup), E_INVALIDARG);
    CHECK(dup == NULL);
    GUID id;
    CHECK_EQ_HR(IBackgroundCopyGroup_get_GroupID(g, &id), S_OK);
    GUID want = mkguid(1);
    CHECK(IsEqualGUID(&id, &want));

    VARIANT v;
    /* PRIORITY: only 1, integer types */
    set_int(g, GROUPPROP_PRIORITY, 1, S_OK);
    set_int(g, GROUPPROP_PRIORITY, 2, E_INVALIDARG);
    VariantInit(&v);
    v.vt = VT_UI2;
    v.uiVal = 1;
    CHECK_EQ_HR(IBackgroundCopyGroup_SetProp(g, GROUPPROP_PRIORITY, &v), S_OK);
    set_str(g, GROUPPROP_PRIORITY, L"1", E_INVALIDARG);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProp(g, GROUPPROP_PRIORITY, &v), S_OK);
    CHECK_EQ_INT(v.vt, VT_I4);
    CHECK_EQ_INT(v.lVal, 1);
    /* PROTOCOLFLAGS: only HTTP */
    set_int(g, GROUPPROP_PROTOCOLFLAGS, QM_PROTOCOL_HTTP, S_OK);
    set_int(g, GROUPPROP_PROTOCOLFLAGS, QM_PROTOCOL_FTP, E_INVALIDARG);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProp(g, GROUPPROP_PROTOCOLFLAGS, &v), S_OK);
    CHECK_EQ_INT(v.lVal, QM_PROTOCOL_HTTP);
    /* NOTIFYFLAGS */
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProp(g, GROUPPROP_NOTIFYFLAGS, &v), S_OK);
    CHECK_EQ_INT(v.lVal, 0);
    set_int(g, GROUPPROP_NOTIFYFLAGS, QM_NOTIFY_GROUP_DONE, S_OK);
    set_int(g, GROUPPROP_NOTIFYFLAGS, 0x100000, E_INVALIDARG);
    set_str(g, GROUPPROP_NOTIFYFLAGS, L"4", E_INVALIDARG);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProp(g, GROUPPROP_NOTIFYFLAGS, &v), S_OK);
    CHECK_EQ_INT(v.lVal, QM_NOTIFY_GROUP_DONE);
    /* NOTIFYCLSID: a CLSID string */
    set_str(g, GROUPPROP_NOTIFYCLSID, L"not a clsid", E_INVALIDARG);
    set_int(g, GROUPPROP_NOTIFYCLSID, 1, E_INVALIDARG);
    set_str(g, GROUPPROP_NOTIFYCLSID, CLSID_Cb2_str, S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProp(g, GROUPPROP_NOTIFYCLSID, &v), S_OK);
    CHECK_EQ_INT(v.vt, VT_BSTR);
    CHECK(wcscmp(v.bstrVal, CLSID_Cb2_str) == 0);
    VariantClear(&v);
    /* DISPLAYNAME <= 256, DESCRIPTION <= 1024 */
    set_str(g, GROUPPROP_DISPLAYNAME, L"my group", S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProp(g, GROUPPROP_DISPLAYNAME, &v), S_OK);
    CHECK(v.vt == VT_BSTR && wcscmp(v.bstrVal, L"my group") == 0);
    VariantClear(&v);
    WCHAR longs[1100];
    for (int i = 0; i < 1099; i++)
        longs[i] = L'x';
    longs[257] = 0;
    set_str(g, GROUPPROP_DISPLAYNAME, longs, E_INVALIDARG);
    longs[257] = L'x';
    longs[1025] = 0;
    set_str(g, GROUPPROP_DESCRIPTION, longs, E_INVALIDARG);
    longs[1024] = 0;
    set_str(g, GROUPPROP_DESCRIPTION, longs, S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProp(g, GROUPPROP_DESCRIPTION, &v), S_OK);
    CHECK_EQ_INT(SysStringLen(v.bstrVal), 1024);
    VariantClear(&v);
    set_int(g, GROUPPROP_DISPLAYNAME, 3, E_INVALIDARG);
    /* the unsupported ones */
    GROUPPROP unsupported[] = {GROUPPROP_REMOTEUSERID, GROUPPROP_REMOTEUSERPWD,
                               GROUPPROP_LOCALUSERID, GROUPPROP_LOCALUSERPWD,
                               GROUPPROP_PROGRESSSIZE, GROUPPROP_PROGRESSPERCENT,
                               GROUPPROP_PROGRESSTIME};
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
        CHECK_EQ_HR(IBackgroundCopyGroup_GetProp(g, unsupported[i], &v), E_NOTIMPL);
        set_int(g, unsupported[i], 1, E_NOTIMPL);
    }

    /* a new group: incomplete and suspended, job index 0 */
    DWORD st = 0, idx = 7;
    CHECK_EQ_HR(IBackgroundCopyGroup_GetStatus(g, &st, &idx), S_OK);
    CHECK_EQ_INT(st, QM_STATUS_GROUP_INCOMPLETE | QM_STATUS_GROUP_SUSPENDED);
    CHECK_EQ_INT(idx, 0);
    DWORD size = 9;
    CHECK_EQ_HR(IBackgroundCopyGroup_get_Size(g, &size), S_OK);
    CHECK_EQ_INT(size, 0);
    /* a group without files cannot be resumed */
    CHECK_EQ_HR(IBackgroundCopyGroup_ResumeGroup(g), QM_E_INVALID_STATE);

    /* the one job */
    IEnumBackgroundCopyJobs1 *ej = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_EnumJobs(g, 1, &ej), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyGroup_EnumJobs(g, 0, &ej), S_OK);
    ULONG n = 9;
    CHECK_EQ_HR(IEnumBackgroundCopyJobs1_GetCount(ej, &n), S_OK);
    CHECK_EQ_INT(n, 0);
    IEnumBackgroundCopyJobs1_Release(ej);
    IBackgroundCopyJob1 *job = NULL, *job2 = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_CreateJob(g, mkguid(101), &job), S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_CreateJob(g, mkguid(102), &job2), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetJob(g, mkguid(102), &job2), QM_E_ITEM_NOT_FOUND);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetJob(g, mkguid(101), &job2), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob1_get_JobID(job2, &id), S_OK);
    want = mkguid(101);
    CHECK(IsEqualGUID(&id, &want));
    IBackgroundCopyJob1_Release(job2);
    CHECK_EQ_HR(IBackgroundCopyGroup_EnumJobs(g, 0, &ej), S_OK);
    GUID got[2];
    ULONG fetched = 9;
    CHECK_EQ_HR(IEnumBackgroundCopyJobs1_Next(ej, 2, got, &fetched), S_FALSE);
    CHECK_EQ_INT(fetched, 1);
    CHECK(IsEqualGUID(&got[0], &want));
    CHECK_EQ_HR(IEnumBackgroundCopyJobs1_Reset(ej), S_OK);
    CHECK_EQ_HR(IEnumBackgroundCopyJobs1_Skip(ej, 1), S_OK);
    CHECK_EQ_HR(IEnumBackgroundCopyJobs1_Skip(ej, 1), S_FALSE);
    IEnumBackgroundCopyJobs1 *ej2 = NULL;
    CHECK_EQ_HR(IEnumBackgroundCopyJobs1_Reset(ej), S_OK);
    CHECK_EQ_HR(IEnumBackgroundCopyJobs1_Clone(ej, &ej2), S_OK);
    CHECK_EQ_HR(IEnumBackgroundCopyJobs1_Next(ej2, 1, got, NULL), S_OK);
    CHECK(IsEqualGUID(&got[0], &want));
    IEnumBackgroundCopyJobs1_Release(ej2);
    IEnumBackgroundCopyJobs1_Release(ej);

    /* files: FILESETINFO, MIDL shape; only HTTP */
    add_file(job, "/gen/10", "p0.bin", S_OK);
    {
        WCHAR wlocal[512];
        swprintf(wlocal, 512, L"%s/p1.bin", g_dir);
        FILESETINFO fs = {SysAllocString(L"ftp://127.0.0.1/x"), SysAllocString(wlocal), 0};
        FILESETINFO *arr[1] = {&fs};
        CHECK_EQ_HR(IBackgroundCopyJob1_AddFiles(job, 1, arr), E_INVALIDARG);
        SysFreeString(fs.bstrRemoteFile);
        fs.bstrRemoteFile = SysAllocString(L"http://127.0.0.1/x");
        SysFreeString(fs.bstrLocalFile);
        fs.bstrLocalFile = SysAllocString(L"relative.bin");
        CHECK_EQ_HR(IBackgroundCopyJob1_AddFiles(job, 1, arr), E_INVALIDARG);
        SysFreeString(fs.bstrRemoteFile);
        SysFreeString(fs.bstrLocalFile);
    }
    DWORD count = 0;
    CHECK_EQ_HR(IBackgroundCopyJob1_GetFileCount(job, &count), S_OK);
    CHECK_EQ_INT(count, 1);
    FILESETINFO fi;
    CHECK_EQ_HR(IBackgroundCopyJob1_GetFile(job, 0, &fi), S_OK);
    CHECK(wcsstr(fi.bstrRemoteFile, L"/gen/10") != NULL);
    CHECK(wcsstr(fi.bstrLocalFile, L"p0.bin") != NULL);
    CHECK_EQ_INT(SysStringLen(fi.bstrLocalFile), wcslen(fi.bstrLocalFile));
    SysFreeString(fi.bstrRemoteFile);
    SysFreeString(fi.bstrLocalFile);
    CHECK_EQ_HR(IBackgroundCopyJob1_GetFile(job, 1, &fi), QM_E_ITEM_NOT_FOUND);
    CHECK_EQ_HR(IBackgroundCopyJob1_CancelJob(job), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyJob1_SwitchToForeground(job), E_NOTIMPL);
    DWORD p = 9;
    CHECK_EQ_HR(IBackgroundCopyJob1_GetProgress(job, QM_PROGRESS_TIME_DONE, &p), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProgress(g, QM_PROGRESS_TIME_DONE, &p), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProgress(g, QM_PROGRESS_PERCENT_DONE, &p), S_OK);
    CHECK_EQ_INT(p, 0);
    DWORD js = 0, w = 9, h = 9, r = 9;
    CHECK_EQ_HR(IBackgroundCopyJob1_GetStatus(job, &js, &w, &h, &r), S_OK);
    CHECK_EQ_INT(js, QM_STATUS_JOB_INCOMPLETE);
    CHECK_EQ_INT(w, 0);
    CHECK_EQ_INT(h, 0);
    CHECK_EQ_INT(r, 0);

    /* QueryNewJobInterface: the modern job behind the group */
    IBackgroundCopyJob *modern = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_QueryNewJobInterface(g, &IID_IBackgroundCopyJob,
                                                          (IUnknown **)&modern), S_OK);
    ULONG mcount = 0;
    IEnumBackgroundCopyFiles *ef = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob_EnumFiles(modern, &ef), S_OK);
    CHECK_EQ_HR(IEnumBackgroundCopyFiles_GetCount(ef, &mcount), S_OK);
    CHECK_EQ_INT(mcount, 1);
    IEnumBackgroundCopyFiles_Release(ef);
    IBackgroundCopyJob_Release(modern);
    IUnknown *unk = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_QueryNewJobInterface(g, &IID_IBackgroundCopyQMgr, &unk),
                E_NOINTERFACE);
    /* SetNotificationPointer wants IID_IBackgroundCopyCallback1 */
    CHECK_EQ_HR(IBackgroundCopyGroup_SetNotificationPointer(g, &IID_IUnknown, NULL), E_NOINTERFACE);
    CHECK_EQ_HR(IBackgroundCopyGroup_SetNotificationPointer(g, &IID_IBackgroundCopyCallback1, NULL),
                S_OK);

    /* the QMgr finds and enumerates it */
    IBackgroundCopyGroup *again = NULL;
    CHECK_EQ_HR(IBackgroundCopyQMgr_GetGroup(qm, mkguid(1), &again), S_OK);
    IBackgroundCopyGroup_Release(again);
    CHECK_EQ_HR(IBackgroundCopyQMgr_GetGroup(qm, mkguid(999), &again), QM_E_ITEM_NOT_FOUND);
    IEnumBackgroundCopyGroups *eg = NULL;
    CHECK_EQ_HR(IBackgroundCopyQMgr_EnumGroups(qm, 1, &eg), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyQMgr_EnumGroups(qm, 0, &eg), S_OK);
    CHECK_EQ_HR(IEnumBackgroundCopyGroups_GetCount(eg, &n), S_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_HR(IEnumBackgroundCopyGroups_Next(eg, 1, got, &fetched), S_OK);
    want = mkguid(1);
    CHECK(IsEqualGUID(&got[0], &want));
    CHECK_EQ_HR(IEnumBackgroundCopyGroups_Next(eg, 1, got, &fetched), S_FALSE);
    CHECK_EQ_INT(fetched, 0);
    IEnumBackgroundCopyGroups *eg2 = NULL;
    CHECK_EQ_HR(IEnumBackgroundCopyGroups_Reset(eg), S_OK);
    CHECK_EQ_HR(IEnumBackgroundCopyGroups_Skip(eg, 2), S_FALSE);
    CHECK_EQ_HR(IEnumBackgroundCopyGroups_Clone(eg, &eg2), S_OK);
    CHECK_EQ_HR(IEnumBackgroundCopyGroups_GetCount(eg2, &n), S_OK);
    CHECK_EQ_INT(n, 1);
    IEnumBackgroundCopyGroups_Release(eg2);
    IEnumBackgroundCopyGroups_Release(eg);

    CHECK_EQ_HR(IBackgroundCopyGroup_CancelGroup(g), S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetStatus(g, &st, &idx), QM_E_ITEM_NOT_FOUND);
    CHECK_EQ_HR(IBackgroundCopyQMgr_GetGroup(qm, mkguid(1), &again), QM_E_ITEM_NOT_FOUND);
    IBackgroundCopyJob1_Release(job);
    IBackgroundCopyGroup_Release(g);
}

/* Two files, completion notification through the registered class, opt-in
 * progress. */
static void test_complete(IBackgroundCopyQMgr *qm)
{
    IBackgroundCopyGroup *g = NULL;
    CHECK_EQ_HR(IBackgroundCopyQMgr_CreateGroup(qm, mkguid(2), &g), S_OK);
    set_int(g, GROUPPROP_NOTIFYFLAGS, QM_NOTIFY_GROUP_DONE, S_OK);
    set_str(g, GROUPPROP_NOTIFYCLSID, CLSID_Cb_str, S_OK);
    IBackgroundCopyJob1 *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_CreateJob(g, mkguid(201), &job), S_OK);
    add_file(job, "/gen/1000", "c0.bin", S_OK);
    add_file(job, "/gen/3000", "c1.bin", S_OK);
    CHECK_EQ_HR(BgCopyQMgrSetProgressGranularity(g, 1, 0, 0), S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_ResumeGroup(g), S_OK);
    record r = wait_status(mkguid(2), 0);
    CHECK_EQ_INT(r.status & (QM_STATUS_GROUP_COMPLETE | QM_STATUS_GROUP_ERROR),
                 QM_STATUS_GROUP_COMPLETE);
    CHECK(r.has_job);
    /* the files have their names when OnStatus says complete */
    char *p0 = local_path("c0.bin"), *p1 = local_path("c1.bin");
    CHECK(ts_file_matches_gen(p0, 1000));
    CHECK(ts_file_matches_gen(p1, 3000));
    DWORD st = 0, idx = 9;
    CHECK_EQ_HR(IBackgroundCopyGroup_GetStatus(g, &st, &idx), S_OK);
    CHECK(st & QM_STATUS_GROUP_COMPLETE);
    DWORD v = 0;
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProgress(g, QM_PROGRESS_PERCENT_DONE, &v), S_OK);
    CHECK_EQ_INT(v, 100);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetProgress(g, QM_PROGRESS_SIZE_DONE, &v), S_OK);
    CHECK_EQ_INT(v, 4000);
    CHECK_EQ_HR(IBackgroundCopyJob1_GetProgress(job, QM_PROGRESS_SIZE_DONE, &v), S_OK);
    CHECK_EQ_INT(v, 4000);
    CHECK_EQ_HR(IBackgroundCopyGroup_get_Size(g, &v), S_OK);
    CHECK_EQ_INT(v, 4000);
    DWORD js = 0, w, h, rr;
    CHECK_EQ_HR(IBackgroundCopyJob1_GetStatus(job, &js, &w, &h, &rr), S_OK);
    CHECK_EQ_INT(js, QM_STATUS_JOB_COMPLETE);
    /* a complete group accepts no new job and no files */
    add_file(job, "/gen/5", "c2.bin", QM_E_INVALID_STATE);
    /* opt-in progress: at least the final call, SIZE_DONE = all bytes */
    pthread_mutex_lock(&g_lock);
    CHECK(g_progress >= 1);
    CHECK_EQ_INT(g_progress_ex, 0);
    CHECK_EQ_INT(g_last_progress_type, QM_PROGRESS_SIZE_DONE);
    CHECK_EQ_INT(g_last_progress_value, 4000);
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ_HR(BgCopyQMgrSetProgressGranularity(g, 1, 0, 0), QM_E_INVALID_STATE);
    CHECK_EQ_HR(IBackgroundCopyGroup_CancelGroup(g), S_OK);
    /* CancelGroup of a complete group keeps its files */
    CHECK(ts_file_matches_gen(p0, 1000));
    free(p0);
    free(p1);
    IBackgroundCopyJob1_Release(job);
    IBackgroundCopyGroup_Release(g);
}

/* OnProgressEx with QM_NOTIFY_USE_PROGRESSEX and a percent granularity;
 * without opt-in no progress call at all (what Windows does). */
static void test_progress_ex(IBackgroundCopyQMgr *qm)
{
    pthread_mutex_lock(&g_lock);
    int before = g_progress;
    pthread_mutex_unlock(&g_lock);
    IBackgroundCopyGroup *g = NULL;
    CHECK_EQ_HR(IBackgroundCopyQMgr_CreateGroup(qm, mkguid(3), &g), S_OK);
    set_int(g, GROUPPROP_NOTIFYFLAGS, QM_NOTIFY_GROUP_DONE | QM_NOTIFY_USE_PROGRESSEX, S_OK);
    set_str(g, GROUPPROP_NOTIFYCLSID, CLSID_Cb_str, S_OK);
    IBackgroundCopyJob1 *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_CreateJob(g, mkguid(301), &job), S_OK);
    add_file(job, "/gen/2000", "e0.bin", S_OK);
    CHECK_EQ_HR(BgCopyQMgrSetProgressGranularity(g, 0, 10, 0), S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_ResumeGroup(g), S_OK);
    (void)wait_status(mkguid(3), 0);
    pthread_mutex_lock(&g_lock);
    CHECK(g_progress_ex >= 1);
    CHECK_EQ_INT(g_progress, before); /* OnProgress not used with USE_PROGRESSEX */
    CHECK_EQ_INT(g_last_progress_type, QM_PROGRESS_PERCENT_DONE);
    CHECK_EQ_INT(g_last_progress_value, 100);
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ_HR(IBackgroundCopyGroup_CancelGroup(g), S_OK);
    IBackgroundCopyJob1_Release(job);
    IBackgroundCopyGroup_Release(g);

    /* default: no progress calls */
    pthread_mutex_lock(&g_lock);
    int ex_before = g_progress_ex;
    before = g_progress;
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ_HR(IBackgroundCopyQMgr_CreateGroup(qm, mkguid(4), &g), S_OK);
    set_int(g, GROUPPROP_NOTIFYFLAGS, QM_NOTIFY_GROUP_DONE, S_OK);
    set_str(g, GROUPPROP_NOTIFYCLSID, CLSID_Cb_str, S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_CreateJob(g, mkguid(401), &job), S_OK);
    add_file(job, "/gen/2000", "d0.bin", S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_ResumeGroup(g), S_OK);
    (void)wait_status(mkguid(4), 0);
    pthread_mutex_lock(&g_lock);
    CHECK_EQ_INT(g_progress, before);
    CHECK_EQ_INT(g_progress_ex, ex_before);
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ_HR(IBackgroundCopyGroup_CancelGroup(g), S_OK);
    IBackgroundCopyJob1_Release(job);
    IBackgroundCopyGroup_Release(g);
}

/* An HTTP 404: OnStatus with GROUP_ERROR, index, retries, Win32 2 and HTTP
 * 404 without any NOTIFYFLAGS; a failing OnStatus is called again. */
static void test_error(IBackgroundCopyQMgr *qm)
{
    IBackgroundCopyGroup *g = NULL;
    CHECK_EQ_HR(IBackgroundCopyQMgr_CreateGroup(qm, mkguid(5), &g), S_OK);
    set_str(g, GROUPPROP_NOTIFYCLSID, CLSID_Cb_str, S_OK);
    IBackgroundCopyJob1 *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_CreateJob(g, mkguid(501), &job), S_OK);
    add_file(job, "/gen/10", "x0.bin", S_OK);
    add_file(job, "/gen/10?status=404", "x1.bin", S_OK);
    /* re-delivery interval: the job's minimum retry delay (5 s is the least) */
    IBackgroundCopyJob *modern = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_QueryNewJobInterface(g, &IID_IBackgroundCopyJob,
                                                          (IUnknown **)&modern), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetMinimumRetryDelay(modern, 5), S_OK);
    IBackgroundCopyJob_Release(modern);
    pthread_mutex_lock(&g_lock);
    g_fail_next = 1;
    pthread_mutex_unlock(&g_lock);
    uint64_t t0 = ts_now_ms();
    CHECK_EQ_HR(IBackgroundCopyGroup_ResumeGroup(g), S_OK);
    record r = wait_status(mkguid(5), 0);
    CHECK(r.status & QM_STATUS_GROUP_ERROR);
    CHECK(r.status & QM_STATUS_GROUP_INCOMPLETE);
    CHECK_EQ_INT(r.index, 1);
    CHECK_EQ_INT(r.http, 404);
    CHECK_EQ_INT(r.win32, 2); /* ERROR_FILE_NOT_FOUND */
    CHECK(r.retries >= 1);
    /* the first OnStatus failed: called again after the retry delay */
    record r2 = wait_status(mkguid(5), 1);
    CHECK(ts_now_ms() - t0 >= 4000);
    CHECK_EQ_INT(r2.http, 404);
    DWORD js = 0, w = 0, h = 0, rr = 0;
    CHECK_EQ_HR(IBackgroundCopyJob1_GetStatus(job, &js, &w, &h, &rr), S_OK);
    CHECK(js & QM_STATUS_JOB_ERROR);
    CHECK_EQ_INT(w, 2);
    CHECK_EQ_INT(h, 404);
    CHECK(rr >= 1);
    DWORD st = 0, idx;
    CHECK_EQ_HR(IBackgroundCopyGroup_GetStatus(g, &st, &idx), S_OK);
    CHECK_EQ_INT(st, QM_STATUS_GROUP_INCOMPLETE | QM_STATUS_GROUP_SUSPENDED | QM_STATUS_GROUP_ERROR);
    /* DISABLE_NOTIFY: a new registration re-delivers nothing any more */
    set_int(g, GROUPPROP_NOTIFYFLAGS, QM_NOTIFY_DISABLE_NOTIFY, S_OK);
    int n = count_status(mkguid(5));
    CHECK_EQ_HR(IBackgroundCopyGroup_CancelGroup(g), S_OK);
    CHECK_EQ_INT(count_status(mkguid(5)), n);
    /* CancelGroup keeps the finished first file, drops the failed one */
    char *p0 = local_path("x0.bin"), *p1 = local_path("x1.bin");
    CHECK(ts_file_matches_gen(p0, 10));
    struct stat sb;
    CHECK(stat(p1, &sb) != 0);
    free(p0);
    free(p1);
    IBackgroundCopyJob1_Release(job);
    IBackgroundCopyGroup_Release(g);
}

/* Suspend/Resume, SwitchToForeground, CreateJob on a running group. */
static void test_states(IBackgroundCopyQMgr *qm)
{
    IBackgroundCopyGroup *g = NULL;
    CHECK_EQ_HR(IBackgroundCopyQMgr_CreateGroup(qm, mkguid(6), &g), S_OK);
    /* a group running without its QMGR job (files added on the modern job) */
    IBackgroundCopyJob *modern = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_QueryNewJobInterface(g, &IID_IBackgroundCopyJob,
                                                          (IUnknown **)&modern), S_OK);
    char *url = ts_url(&g_server, "/gen/100000?stall=10");
    WCHAR wurl[512], wlocal[512];
    swprintf(wurl, 512, L"%s", url);
    swprintf(wlocal, 512, L"%s/s0.bin", g_dir);
    free(url);
    CHECK_EQ_HR(IBackgroundCopyJob_AddFile(modern, wurl, wlocal), S_OK);
    IBackgroundCopyJob_Release(modern);
    CHECK_EQ_HR(IBackgroundCopyGroup_SwitchToForeground(g), S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_ResumeGroup(g), S_OK);
    size_wait sw = {g, 10};
    CHECK(ts_wait_until(has_bytes, &sw, 20000));
    DWORD st = 0, idx;
    CHECK_EQ_HR(IBackgroundCopyGroup_GetStatus(g, &st, &idx), S_OK);
    CHECK_EQ_INT(st, QM_STATUS_GROUP_INCOMPLETE | QM_STATUS_GROUP_FOREGROUND);
    DWORD size = 0;
    CHECK_EQ_HR(IBackgroundCopyGroup_get_Size(g, &size), S_OK);
    CHECK_EQ_INT(size, 100000);
    IBackgroundCopyJob1 *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_CreateJob(g, mkguid(601), &job), QM_E_INVALID_STATE);
    CHECK_EQ_HR(IBackgroundCopyGroup_SuspendGroup(g), S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_GetStatus(g, &st, &idx), S_OK);
    CHECK_EQ_INT(st, QM_STATUS_GROUP_INCOMPLETE | QM_STATUS_GROUP_SUSPENDED |
                         QM_STATUS_GROUP_FOREGROUND);
    CHECK_EQ_HR(IBackgroundCopyGroup_CreateJob(g, mkguid(601), &job), S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_ResumeGroup(g), S_OK);
    status_wait w = {g, 0};
    CHECK(has_status(&w));
    CHECK_EQ_HR(IBackgroundCopyGroup_CancelGroup(g), S_OK);
    /* the unfinished file is deleted */
    char *p = local_path("s0.bin");
    struct stat sb;
    CHECK(stat(p, &sb) != 0);
    free(p);
    IBackgroundCopyJob1_Release(job);
    IBackgroundCopyGroup_Release(g);
}

/* A client that "restarts": activating its class fails when the group
 * completes (its process is going away); the class is revoked and all QMGR
 * objects are released; a new QMgr, the class registered again and
 * NOTIFYCLSID set again deliver the owed OnStatus at once (the next
 * automatic retry is 600 s away, far beyond the wait). */
static void test_restart(IBackgroundCopyQMgr **pqm)
{
    IBackgroundCopyQMgr *qm = *pqm;
    IBackgroundCopyGroup *g = NULL;
    CHECK_EQ_HR(IBackgroundCopyQMgr_CreateGroup(qm, mkguid(7), &g), S_OK);
    set_int(g, GROUPPROP_NOTIFYFLAGS, QM_NOTIFY_GROUP_DONE, S_OK);
    DWORD dead = 0;
    CHECK_EQ_HR(CoRegisterClassObject(&CLSID_Cb2, (IUnknown *)&g_dead_factory,
                                      CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE, &dead), S_OK);
    set_str(g, GROUPPROP_NOTIFYCLSID, CLSID_Cb2_str, S_OK);
    IBackgroundCopyJob1 *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyGroup_CreateJob(g, mkguid(701), &job), S_OK);
    add_file(job, "/gen/500", "r0.bin", S_OK);
    CHECK_EQ_HR(IBackgroundCopyGroup_ResumeGroup(g), S_OK);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 30;
    pthread_mutex_lock(&g_lock);
    while (g_dead_calls == 0 && pthread_cond_timedwait(&g_cond, &g_lock, &ts) == 0)
        ;
    CHECK_EQ_INT(g_dead_calls, 1);
    pthread_mutex_unlock(&g_lock);
    CHECK_EQ_HR(CoRevokeClassObject(dead), S_OK);
    DWORD st = 0, idx;
    CHECK_EQ_HR(IBackgroundCopyGroup_GetStatus(g, &st, &idx), S_OK);
    CHECK_EQ_INT(st, QM_STATUS_GROUP_COMPLETE | QM_STATUS_GROUP_SUSPENDED);
    CHECK_EQ_INT(count_status(mkguid(7)), 0);
    IBackgroundCopyJob1_Release(job);
    IBackgroundCopyGroup_Release(g);
    IBackgroundCopyQMgr_Release(qm);

    DWORD cookie = 0;
    CHECK_EQ_HR(CoRegisterClassObject(&CLSID_Cb2, (IUnknown *)&g_factory, CLSCTX_INPROC_SERVER,
                                      REGCLS_MULTIPLEUSE, &cookie), S_OK);
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyQMgr, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyQMgr, (void **)&qm), S_OK);
    *pqm = qm;
    CHECK_EQ_HR(IBackgroundCopyQMgr_GetGroup(qm, mkguid(7), &g), S_OK);
    set_str(g, GROUPPROP_NOTIFYCLSID, CLSID_Cb2_str, S_OK);
    record r = wait_status(mkguid(7), 0);
    CHECK(r.status & QM_STATUS_GROUP_COMPLETE);
    CHECK(r.has_job);
    CHECK_EQ_HR(IBackgroundCopyGroup_CancelGroup(g), S_OK);
    IBackgroundCopyGroup_Release(g);
    CHECK_EQ_HR(CoRevokeClassObject(cookie), S_OK);
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_server, NULL), 0);
    g_dir = ts_mkdtemp();
    CHECK(g_dir != NULL);
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    test_bstr_variant();
    test_class_objects();

    IBackgroundCopyQMgr *qm = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyQMgr, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyQMgr, (void **)&qm), S_OK);
    DWORD cookie = 0;
    CHECK_EQ_HR(CoRegisterClassObject(&CLSID_Cb, (IUnknown *)&g_factory, CLSCTX_INPROC_SERVER,
                                      REGCLS_MULTIPLEUSE, &cookie), S_OK);
    test_properties(qm);
    test_complete(qm);
    test_progress_ex(qm);
    test_states(qm);
    test_restart(&qm);
    test_error(qm);
    IBackgroundCopyQMgr_Release(qm);
    CHECK_EQ_HR(CoRevokeClassObject(cookie), S_OK);
    CoUninitialize();
    CHECK_EQ_INT(ts_rmtree(g_dir), 0);
    free(g_dir);
    CHECK_EQ_INT(ts_server_stop(&g_server), 0);
    printf("qmgr_group: ok\n");
    return 0;
}
