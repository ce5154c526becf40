/*
 * manager.c - IBackgroundCopyManager over the native bgcopy_manager, and the
 * process-wide engine that stands in for the BITS service.
 *
 * Engine life cycle (the rule is stated in compat_objects.h and in
 * docs/conformance.md): opened by the first activation, closed after the
 * last CoUninitialize once no live COM object remains (on Windows: never
 * before the process exits, as ole32's CoUninitialize cannot be hooked).  All engine state
 * below is guarded by g_lock; bgcopy_manager_close() is always called with
 * g_lock released, because closing waits for the dispatcher thread, and a
 * callback running there may itself need g_lock (it may create objects).
 */
#include "bgc_sync.h"
#include "compat_objects.h"
#include "class_registry.h"

#include <stdatomic.h>
#include <stdlib.h>

_Static_assert(sizeof(GUID) == sizeof(bgcopy_guid), "GUID and bgcopy_guid must share a layout");

BGC_STATIC_MUTEX(g_lock)
BGC_STATIC_COND(g_closed_cond)
static bgcopy_manager *g_engine;    /* NULL when no engine is open */
static size_t g_live;               /* live COM objects (see compat_objects.h) */
static int g_close_requested;       /* last CoUninitialize seen while objects lived */
static int g_closing;               /* closes running outside g_lock */

static void engine_close_now(bgcopy_manager *m)
{
    bgcopy_manager_close(m);
    uv_mutex_lock(g_lock());
    g_closing--;
    uv_cond_broadcast(g_closed_cond());
    uv_mutex_unlock(g_lock());
}

/* Closes that must leave the dispatcher thread go to the closer: one thread,
 * started the first time it is needed, that then waits on g_closer_cond
 * until the process exits.  A
 * thread per close would end unjoined whenever the client exits right
 * after the callback -- libuv threads cannot be detached -- while an idle
 * thread costs nothing.  g_close_reqs and g_closer_started are guarded by
 * g_lock. */
typedef struct close_req {
    bgcopy_manager *m;
    struct close_req *next;
} close_req;

BGC_STATIC_COND(g_closer_cond)
static close_req *g_close_reqs;
static int g_closer_started;

static void closer_main(void *arg)
{
    (void)arg;
    uv_mutex_lock(g_lock());
    for (;;) {
        while (!g_close_reqs)
            uv_cond_wait(g_closer_cond(), g_lock());
        close_req *r = g_close_reqs;
        g_close_reqs = r->next;
        uv_mutex_unlock(g_lock());
        bgcopy_manager *m = r->m;
        free(r);
        engine_close_now(m);
        uv_mutex_lock(g_lock());
    }
}

/* Close |m| (already detached from g_engine, g_closing already counted).
 * On the dispatcher thread the close would wait for itself, so it is handed
 * to the closer thread there. */
static void engine_close(bgcopy_manager *m)
{
    if (bgc_in_notification()) {
        close_req *r = calloc(1, sizeof *r);
        uv_mutex_lock(g_lock());
        if (r && !g_closer_started) {
            static uv_thread_t closer; /* never joined: see above */
            if (uv_thread_create(&closer, closer_main, NULL) == 0)
                g_closer_started = 1;
        }
        if (r && g_closer_started) {
            r->m = m;
            r->next = g_close_reqs;
            g_close_reqs = r;
            uv_cond_signal(g_closer_cond());
        } else {
            free(r);
            /* No thread could be started: leaving the engine open (a leak)
             * is the only choice that cannot deadlock the dispatcher. */
            g_closing--;
            uv_cond_broadcast(g_closed_cond());
        }
        uv_mutex_unlock(g_lock());
        return;
    }
    engine_close_now(m);
}

/* Wait until closes started earlier are finished, so a new engine never
 * overlaps an old one (they would share the per-user state directory).
 * Skipped on the dispatcher thread, whose own engine may be the one being
 * closed.  Called with g_lock held. */
static void wait_for_closes_locked(void)
{
    if (bgc_in_notification())
        return;
    while (g_closing > 0)
        uv_cond_wait(g_closed_cond(), g_lock());
}

void bgc_live_add(void)
{
    uv_mutex_lock(g_lock());
    g_live++;
    uv_mutex_unlock(g_lock());
}

void bgc_live_release(void)
{
    bgcopy_manager *to_close = NULL;
    uv_mutex_lock(g_lock());
    if (g_live > 0)
        g_live--;
    if (g_live == 0 && g_close_requested && g_engine) {
        to_close = g_engine;
        g_engine = NULL;
        g_close_requested = 0;
        g_closing++;
    }
    uv_mutex_unlock(g_lock());
    if (to_close)
        engine_close(to_close);
}

/* Called by the COM runtime when the process-wide CoInitialize count drops
 * to zero: close the engine now, or once the last live object goes.  Waits
 * for the close to finish (except on the dispatcher thread), so no engine
 * thread outlives a client's final CoUninitialize unless objects are still
 * held.  Thread-safe. */
void bgcopy_compat_on_last_uninitialize(void)
{
    bgcopy_manager *to_close = NULL;
    uv_mutex_lock(g_lock());
    if (g_engine) {
        if (g_live == 0) {
            to_close = g_engine;
            g_engine = NULL;
            g_close_requested = 0;
            g_closing++;
        } else {
            g_close_requested = 1;
        }
    }
    uv_mutex_unlock(g_lock());
    if (to_close)
        engine_close(to_close);
    uv_mutex_lock(g_lock());
    wait_for_closes_locked();
    uv_mutex_unlock(g_lock());
}

/* Open the engine if needed and count the caller's new object as live. */
static HRESULT engine_acquire(bgcopy_manager **out)
{
    HRESULT hr = S_OK;
    uv_mutex_lock(g_lock());
    wait_for_closes_locked();
    if (!g_engine)
        hr = bgcopy_manager_open(NULL, &g_engine);
    if (SUCCEEDED(hr)) {
        /* A client that initializes COM again after its last CoUninitialize
         * keeps the engine it had. */
        g_close_requested = 0;
        g_live++;
        *out = g_engine;
    } else {
        g_engine = NULL;
    }
    uv_mutex_unlock(g_lock());
    return hr;
}

/* ------------------------------------------------------------ the object */

typedef struct bgc_manager {
    IBackgroundCopyManager iface;
    IBitsPeerCacheAdministration peercache; /* side interface: peercache.c */
    _Atomic ULONG ref;
    bgcopy_manager *engine;
} bgc_manager;

static bgc_manager *impl_from_IBackgroundCopyManager(IBackgroundCopyManager *iface)
{
    return BGC_IMPL_FROM(bgc_manager, iface, iface);
}

static HRESULT STDMETHODCALLTYPE manager_QueryInterface(IBackgroundCopyManager *iface,
                                                        REFIID riid, void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IBackgroundCopyManager)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    /* BITS 3.0's peer-cache administration, answered as BITS 4.0 and later
     * do (every method S_FALSE) so that programs configuring it do not fail
     * on E_NOINTERFACE. */
    if (bgc_iid_eq(riid, &IID_IBitsPeerCacheAdministration)) {
        *ppv = &impl_from_IBackgroundCopyManager(iface)->peercache;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE manager_AddRef(IBackgroundCopyManager *iface)
{
    bgc_manager *m = impl_from_IBackgroundCopyManager(iface);
    return atomic_fetch_add(&m->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE manager_Release(IBackgroundCopyManager *iface)
{
    bgc_manager *m = impl_from_IBackgroundCopyManager(iface);
    ULONG left = atomic_fetch_sub(&m->ref, 1) - 1;
    if (left == 0) {
        free(m);
        bgc_live_release();
    }
    return left;
}

IBackgroundCopyManager *bgc_manager_from_peercache(IBitsPeerCacheAdministration *iface)
{
    return &BGC_IMPL_FROM(bgc_manager, peercache, iface)->iface;
}

bgcopy_manager *bgc_manager_engine(IBackgroundCopyManager *iface)
{
    return impl_from_IBackgroundCopyManager(iface)->engine;
}

/* IBackgroundCopyManager::CreateJob.  Only BG_JOB_TYPE_DOWNLOAD jobs can be
 * created; upload types answer E_NOTIMPL. */
static HRESULT STDMETHODCALLTYPE manager_CreateJob(IBackgroundCopyManager *iface,
                                                   LPCWSTR DisplayName, BG_JOB_TYPE Type,
                                                   GUID *pJobId, IBackgroundCopyJob **ppJob)
{
    bgc_manager *m = impl_from_IBackgroundCopyManager(iface);
    if (ppJob)
        *ppJob = NULL;
    if (!DisplayName || !pJobId || !ppJob)
        return E_INVALIDARG;
    int type = (int)Type;
    if (type == BG_JOB_TYPE_UPLOAD || type == BG_JOB_TYPE_UPLOAD_REPLY)
        return E_NOTIMPL;
    if (type != BG_JOB_TYPE_DOWNLOAD)
        return E_INVALIDARG;
    /* BITS answers E_INVALIDARG (not BG_E_STRING_TOO_LONG) for a long name here. */
    if (bgc_wstr_codepoints(DisplayName) > BGCOPY_MAX_DISPLAY_NAME)
        return E_INVALIDARG;
    char *name = NULL;
    HRESULT hr = bgc_wstr_to_utf8(DisplayName, &name);
    if (FAILED(hr))
        return hr;
    bgcopy_guid id;
    bgcopy_job *job = NULL;
    hr = bgcopy_manager_create_job(m->engine, name, BGCOPY_JOB_TYPE_DOWNLOAD, &id, &job);
    free(name);
    if (FAILED(hr))
        return hr;
    hr = bgc_job_create(job, !bgc_in_notification(), ppJob);
    if (FAILED(hr))
        return hr;
    memcpy(pJobId, &id, sizeof id);
    return S_OK;
}

/* IBackgroundCopyManager::GetJob: a new job object for a queued job. */
static HRESULT STDMETHODCALLTYPE manager_GetJob(IBackgroundCopyManager *iface, REFGUID jobID,
                                                IBackgroundCopyJob **ppJob)
{
    bgc_manager *m = impl_from_IBackgroundCopyManager(iface);
    if (ppJob)
        *ppJob = NULL;
    if (!jobID || !ppJob)
        return E_INVALIDARG;
    bgcopy_guid id;
    memcpy(&id, jobID, sizeof id);
    bgcopy_job *job = NULL;
    HRESULT hr = bgcopy_manager_get_job(m->engine, &id, &job);
    if (FAILED(hr))
        return hr;
    return bgc_job_create(job, !bgc_in_notification(), ppJob);
}

/* IBackgroundCopyManager::EnumJobs: a snapshot of the queued jobs.  Every
 * job belongs to the calling user, so BG_JOB_ENUM_ALL_USERS lists the same
 * jobs (and needs no administrator rights). */
static HRESULT STDMETHODCALLTYPE manager_EnumJobs(IBackgroundCopyManager *iface, DWORD dwFlags,
                                                  IEnumBackgroundCopyJobs **ppEnum)
{
    bgc_manager *m = impl_from_IBackgroundCopyManager(iface);
    if (ppEnum)
        *ppEnum = NULL;
    if (!ppEnum)
        return E_INVALIDARG;
    bgcopy_job **jobs = NULL;
    size_t count = 0;
    HRESULT hr = bgcopy_manager_enum_jobs(m->engine, (uint32_t)dwFlags, &jobs, &count);
    if (FAILED(hr))
        return hr;
    return bgc_enum_jobs_create(jobs, count, !bgc_in_notification(), ppEnum);
}

/* IBackgroundCopyManager::GetErrorDescription. */
static HRESULT STDMETHODCALLTYPE manager_GetErrorDescription(IBackgroundCopyManager *iface,
                                                             HRESULT hResult, DWORD LanguageId,
                                                             LPWSTR *pErrorDescription)
{
    (void)iface;
    return bgc_error_text(hResult, LanguageId, pErrorDescription);
}

static const IBackgroundCopyManagerVtbl manager_vtbl = {
    manager_QueryInterface,
    manager_AddRef,
    manager_Release,
    manager_CreateJob,
    manager_GetJob,
    manager_EnumJobs,
    manager_GetErrorDescription,
};

/* Class factory entry for CLSID_BackgroundCopyManager (and its versioned
 * aliases), called by the COM runtime's class registry: opens the shared
 * engine if needed and returns a new manager object's |riid| interface in
 * *ppv.  Errors: E_INVALIDARG (ppv NULL), E_NOINTERFACE (riid is not
 * IUnknown or IBackgroundCopyManager; *ppv NULL), E_OUTOFMEMORY, E_FAIL
 * (engine could not start).  Mirrors CoCreateInstance of the BITS manager.
 * Thread-safe. */
HRESULT bgcopy_compat_manager_create(REFIID riid, void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    *ppv = NULL;
    bgcopy_manager *engine = NULL;
    HRESULT hr = engine_acquire(&engine);
    if (FAILED(hr))
        return hr;
    bgc_manager *m = calloc(1, sizeof *m);
    if (!m) {
        bgc_live_release();
        return E_OUTOFMEMORY;
    }
    BGC_SET_VTBL(&m->iface, &manager_vtbl);
    BGC_SET_VTBL(&m->peercache, &bgc_peercache_vtbl);
    atomic_init(&m->ref, 1);
    m->engine = engine;
    hr = manager_QueryInterface(&m->iface, riid, ppv);
    manager_Release(&m->iface);
    return hr;
}
