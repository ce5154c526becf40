/*
 * com_runtime - the mini COM runtime on its own (compat/src/com_runtime.c,
 * class_registry.c, guids.c), linked with test bodies of its two hooks
 * (com_runtime_hooks.c) so every path can be observed:
 *  - CoInitializeEx / CoInitialize / CoUninitialize: per-thread counts and
 *    return codes (S_OK, S_FALSE, RPC_E_CHANGED_MODE), the process-wide
 *    count across threads and the single last-uninitialize hook call;
 *  - CoCreateInstance: CO_E_NOTINITIALIZED per thread, E_POINTER,
 *    E_INVALIDARG, REGDB_E_CLASSNOTREG (unknown and versioned CLSIDs),
 *    CLASS_E_NOAGGREGATION, E_NOINTERFACE, success; BgCopyCreateInstance
 *    without CoInitialize;
 *  - CoTaskMem*, StringFromGUID2, CLSIDFromString, IIDFromString;
 *  - many threads initialising and creating at once (for TSan).
 * Threads are synchronised by pthread_join only.
 *
 * On Windows the same program runs against ole32/oleaut32, which are the
 * COM runtime there (bgcopy compiles only BgCopyCreateInstance): the
 * documented answers must be the system's too, which checks that bgcopy's
 * runtime answers like the real one.  What differs, by design:
 *  - bgcopy's classes are created with BgCopyCreateInstance (CREATE below):
 *    the system's CoCreateInstance would reach the system's BITS;
 *  - the last-uninitialize hook is never called (ole32 knows nothing of
 *    bgcopy: the engine stays until the process exits), so the expected
 *    hook count does not move (UNINIT_STEP);
 *  - an uninitialised thread of a process that has an MTA is implicitly in
 *    it (Windows 7 and later), so it is not CO_E_NOTINITIALIZED there;
 *  - calls the SDK documents as invalid (a NULL output buffer) are not
 *    made.
 */
#include <windows.h>
#include <objbase.h>
#include <bits10_3.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "com_runtime_hooks.h"

#ifdef _WIN32
#  define CREATE BgCopyCreateInstance
#  define UNINIT_STEP 0
#else
#  define CREATE CoCreateInstance
#  define UNINIT_STEP 1
#endif

static void *const GARBAGE = (void *)(uintptr_t)0xdeadbeef;

static void test_not_initialized(void)
{
    void *p = GARBAGE;
    CHECK_EQ_HR(CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, &p),
                CO_E_NOTINITIALIZED);
    CHECK(p == NULL);
    CHECK_EQ_HR(CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown, NULL),
                E_POINTER);
    CHECK(hooks_create_calls() == 0);
    /* Unbalanced CoUninitialize is ignored: no hook, no underflow. */
    CoUninitialize();
    CHECK(hooks_last_uninit_calls() == 0);
}

static void test_init_counts(void)
{
    int hooks = hooks_last_uninit_calls();
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_FALSE);
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED | COINIT_DISABLE_OLE1DDE), S_FALSE);
    /* A different model is refused and not counted. */
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), RPC_E_CHANGED_MODE);
    CHECK_EQ_HR(CoInitialize(NULL), RPC_E_CHANGED_MODE);
    CoUninitialize();
    CoUninitialize();
    CHECK(hooks_last_uninit_calls() == hooks);
    CoUninitialize(); /* the third successful call undone: count is 0 */
    CHECK(hooks_last_uninit_calls() == hooks + UNINIT_STEP);
    CoUninitialize(); /* unbalanced */
    CHECK(hooks_last_uninit_calls() == hooks + UNINIT_STEP);

    /* Once fully uninitialised the thread may pick the other model. */
    CHECK_EQ_HR(CoInitialize(NULL), S_OK);
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), S_FALSE);
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), RPC_E_CHANGED_MODE);
    CoUninitialize();
    CoUninitialize();
    CHECK(hooks_last_uninit_calls() == hooks + 2 * UNINIT_STEP);
    void *p = GARBAGE;
    CHECK_EQ_HR(CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_ALL, &IID_IUnknown, &p),
                CO_E_NOTINITIALIZED);
    CHECK(p == NULL);
}

static void test_create(void)
{
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), S_OK);
    int creates = hooks_create_calls();
    void *p = GARBAGE;

    CHECK_EQ_HR(CREATE(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown, NULL),
                E_POINTER);
    CHECK_EQ_HR(CREATE(NULL, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown, &p), E_INVALIDARG);
    CHECK(p == NULL);
    p = GARBAGE;
    CHECK_EQ_HR(CREATE(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, NULL, &p), E_INVALIDARG);
    CHECK(p == NULL);

    /* Unknown classes, including the versioned managers bgcopy does not
     * register (above 10.1): the BITS version probe must see "not installed". */
    static const GUID unknown = {0x12345678, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
    const CLSID *absent[] = {&unknown,
                             &GUID_NULL,
                             &IID_IBackgroundCopyManager, /* an IID is not a CLSID */
                             &CLSID_BackgroundCopyManager10_2,
                             &CLSID_BackgroundCopyManager10_3};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        p = GARBAGE;
        CHECK_EQ_HR(CREATE(absent[i], NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown, &p), REGDB_E_CLASSNOTREG);
        CHECK(p == NULL);
    }

    /* Aggregation is refused before the class constructor runs. */
    IUnknown *outer = (IUnknown *)GARBAGE;
    p = GARBAGE;
    CHECK_EQ_HR(CREATE(&CLSID_BackgroundCopyManager, outer, CLSCTX_INPROC_SERVER, &IID_IUnknown, &p),
                CLASS_E_NOAGGREGATION);
    CHECK(p == NULL);
    CHECK(hooks_create_calls() == creates);

    /* The registered class: constructor called with the caller's riid. */
    IUnknown *unk = NULL;
    CHECK_EQ_HR(CREATE(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown,
                                 (void **)&unk),
                S_OK);
    CHECK(unk != NULL && hooks_create_calls() == creates + 1 && hooks_live_objects() == 1);
    CHECK(IUnknown_Release(unk) == 0);
    CHECK(hooks_live_objects() == 0);

    /* The constructor's failure comes back unchanged, *ppv NULL, no leak. */
    p = GARBAGE;
    CHECK_EQ_HR(CREATE(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyJob, &p),
                E_NOINTERFACE);
    CHECK(p == NULL && hooks_live_objects() == 0);

    CHECK_EQ_HR(CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                                     RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, 0),
                S_OK);
    CoUninitialize();
}

/* ---- per-thread state and the process-wide count ---- */

static void *thread_not_initialized(void *arg)
{
    (void)arg;
#ifndef _WIN32 /* Windows: implicitly in the main thread's MTA */
    void *p = GARBAGE;
    /* The main thread is initialised; this one is not. */
    CHECK_EQ_HR(CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown, &p),
                CO_E_NOTINITIALIZED);
    CHECK(p == NULL);
#endif
    /* Its own model is independent of the main thread's. */
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), S_OK);
    IUnknown *unk = NULL;
    CHECK_EQ_HR(CREATE(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown,
                       (void **)&unk),
                S_OK);
    IUnknown_Release(unk);
    CoUninitialize();
    return NULL;
}

static void *thread_bgcopy_create(void *arg)
{
    (void)arg;
    IUnknown *unk = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown,
                                     (void **)&unk),
                S_OK);
    IUnknown_Release(unk);
    void *p = GARBAGE;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager10_2, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown,
                                     &p),
                REGDB_E_CLASSNOTREG);
    CHECK(p == NULL);
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown, NULL),
                E_POINTER);
    return NULL;
}

static void test_threads(void)
{
    int hooks = hooks_last_uninit_calls();
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, thread_not_initialized, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    /* The other thread's last CoUninitialize is not the process's last. */
    CHECK(hooks_last_uninit_calls() == hooks);
    CoUninitialize();
    CHECK(hooks_last_uninit_calls() == hooks + UNINIT_STEP);

    /* BgCopyCreateInstance needs no CoInitialize and does not count as one. */
    CHECK(pthread_create(&t, NULL, thread_bgcopy_create, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(hooks_last_uninit_calls() == hooks + UNINIT_STEP && hooks_live_objects() == 0);
}

#define STRESS_THREADS 8
#define STRESS_ROUNDS 200

static void *thread_stress(void *arg)
{
    DWORD model = (uintptr_t)arg % 2 ? COINIT_APARTMENTTHREADED : COINIT_MULTITHREADED;
    for (int i = 0; i < STRESS_ROUNDS; i++) {
        CHECK_EQ_HR(CoInitializeEx(NULL, model), S_OK);
        CHECK_EQ_HR(CoInitializeEx(NULL, model), S_FALSE);
        IUnknown *unk = NULL;
        CHECK_EQ_HR(CREATE(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown,
                           (void **)&unk),
                    S_OK);
        IUnknown_AddRef(unk);
        IUnknown_Release(unk);
        IUnknown_Release(unk);
        CoUninitialize();
        CoUninitialize();
    }
    return NULL;
}

static void test_stress(void)
{
    int hooks = hooks_last_uninit_calls();
    pthread_t t[STRESS_THREADS];
    for (uintptr_t i = 0; i < STRESS_THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, thread_stress, (void *)i) == 0);
    for (int i = 0; i < STRESS_THREADS; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    /* At least the last 1 -> 0 step called the hook, and the count is back
     * at zero: one more init/uninit pair calls it exactly once more. */
    int after = hooks_last_uninit_calls();
    if (UNINIT_STEP)
        CHECK(after > hooks && after <= hooks + STRESS_THREADS * STRESS_ROUNDS);
    else
        CHECK(after == hooks);
    CHECK(hooks_live_objects() == 0);
    CHECK_EQ_HR(CoInitialize(NULL), S_OK);
    CoUninitialize();
    CHECK(hooks_last_uninit_calls() == after + UNINIT_STEP);
}

/* ---- allocator ---- */

static void test_task_mem(void)
{
    void *z = CoTaskMemAlloc(0);
    CHECK(z != NULL); /* not to be mistaken for out-of-memory */
    CoTaskMemFree(z);
    CoTaskMemFree(NULL);

    char *p = CoTaskMemAlloc(16);
    CHECK(p != NULL);
    memcpy(p, "0123456789abcde", 16);
    p = CoTaskMemRealloc(p, 1 << 20);
    CHECK(p != NULL && memcmp(p, "0123456789abcde", 16) == 0);
    p[(1 << 20) - 1] = 'x';
    p = CoTaskMemRealloc(p, 8);
    CHECK(p != NULL && memcmp(p, "01234567", 8) == 0);
    CHECK(CoTaskMemRealloc(p, 0) == NULL); /* frees p */
    p = CoTaskMemRealloc(NULL, 32);
    CHECK(p != NULL);
    CoTaskMemFree(p);
}

/* ---- GUID strings ---- */

static void test_guid_strings(void)
{
    WCHAR buf[64];
    CHECK(StringFromGUID2(&IID_IBackgroundCopyJob, buf, 38) == 0); /* no room for the NUL */
#ifndef _WIN32 /* the SDK requires a buffer; bgcopy answers 0 */
    CHECK(StringFromGUID2(&IID_IBackgroundCopyJob, NULL, 64) == 0);
#endif
    CHECK(StringFromGUID2(&IID_IBackgroundCopyJob, buf, 64) == 39);
    CHECK(wcscmp(buf, L"{37668D37-507E-4160-9316-26306D150B12}") == 0);

    CLSID c;
    CHECK_EQ_HR(CLSIDFromString(L"{4991d34b-80a1-4291-83b6-3328366b9097}", &c), S_OK);
    CHECK(IsEqualCLSID(&c, &CLSID_BackgroundCopyManager));
    CHECK_EQ_HR(CLSIDFromString(L"{4991D34B-80A1-4291-83B6-3328366B9097}", &c), S_OK);
    CHECK(IsEqualCLSID(&c, &CLSID_BackgroundCopyManager));
    CHECK_EQ_HR(CLSIDFromString(NULL, &c), S_OK);
    CHECK(IsEqualCLSID(&c, &CLSID_NULL));
    CHECK_EQ_HR(CLSIDFromString(L"{4991d34b-80a1-4291-83b6-3328366b9097}", NULL), E_INVALIDARG);

    /* IIDFromString tells a wrong length (E_INVALIDARG) from a malformed
     * GUID of the right length (CO_E_IIDSTRING), as ole32 does. */
    static const struct {
        const WCHAR *text;
        HRESULT iid_hr;
    } bad[] = {
        {L"4991d34b-80a1-4291-83b6-3328366b9097", E_INVALIDARG},    /* no braces */
        {L"{4991d34b-80a1-4291-83b6-3328366b9097", E_INVALIDARG},   /* no closing brace */
        {L"{4991d34b-80a1-4291-83b6-3328366b9097}x", E_INVALIDARG}, /* trailing text */
        {L"{4991d34b_80a1-4291-83b6-3328366b9097}", CO_E_IIDSTRING}, /* wrong separator */
        {L"{4991d34g-80a1-4291-83b6-3328366b9097}", CO_E_IIDSTRING}, /* not hex */
        {L"{4991d34b-80a1-4291-83b6-3328366b909}", E_INVALIDARG},   /* short */
        {L"", E_INVALIDARG},
        {L"BITS.BackgroundCopyManager", E_INVALIDARG}, /* ProgIDs need a registry */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = CLSID_BackgroundCopyManager;
        CHECK_EQ_HR(CLSIDFromString(bad[i].text, &c), CO_E_CLASSSTRING);
        IID iid = IID_IUnknown;
        CHECK_EQ_HR(IIDFromString(bad[i].text, &iid), bad[i].iid_hr);
#ifndef _WIN32 /* bgcopy clears both; the SDK leaves the output undocumented */
        CHECK(IsEqualCLSID(&c, &GUID_NULL));
        CHECK(IsEqualIID(&iid, &GUID_NULL));
#endif
    }
}

int main(void)
{
    test_not_initialized();
    test_task_mem();
    test_guid_strings();
    test_init_counts();
    test_create();
    test_threads();
    test_stress();
    printf("com_runtime: ok\n");
    return 0;
}
