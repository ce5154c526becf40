/*
 * qmgr_notify.c - how a BITS 1.0 group reports to its
 * IBackgroundCopyCallback1 (spec §4.5):
 *
 *  - every group's modern job has a sink (an IBackgroundCopyCallback made
 *    here) registered with SetNotifyInterface; the engine calls it on its
 *    dispatcher thread;
 *  - JobError -> OnStatus with QM_STATUS_GROUP_ERROR, the failing file's
 *    index, the retry count, the Win32 result and the HTTP status, unless
 *    QM_NOTIFY_DISABLE_NOTIFY.  The OnStatus HRESULT goes back to the
 *    engine, which calls JobError again after the job's minimum retry delay
 *    while the job stays in ERROR: a failing OnStatus is called again;
 *  - JobTransferred -> the job is Complete'd (files get their local names),
 *    the group is complete, and with QM_NOTIFY_GROUP_DONE (and not
 *    DISABLE_NOTIFY) OnStatus(QM_STATUS_GROUP_COMPLETE) is owed.  The modern
 *    job is gone then, so an owed completion is re-delivered by this file:
 *    a small timer thread retries it after the minimum retry delay, and
 *    setting NOTIFYCLSID / SetNotificationPointer retries at once;
 *  - the target is the object set with SetNotificationPointer, else a new
 *    object of the GROUPPROP_NOTIFYCLSID class made through the class
 *    object the client registered (CoRegisterClassObject) for each
 *    delivery.  No registered class (the client exited) = not delivered:
 *    retried later, and at once when a restarted client sets NOTIFYCLSID;
 *  - opt-in progress (bgcopy_qmgr.h) rides on JobModification.
 * User code is always called with no lock held.
 */
#include "qmgr_internal.h"
#include "class_registry.h"
#include "bgcopy_qmgr.h"

#include <stdatomic.h>
#include <stdlib.h>

#define QM_CLAIMED UINT64_MAX /* pending_due_ms while a delivery runs */

/* ---------------------------------------------------------------- target */

/* The class object of the group's GROUPPROP_NOTIFYCLSID class: S_OK with
 * *out AddRef'ed, or the activation error (REGDB_E_CLASSNOTREG when the
 * client has no registration now). */
static HRESULT get_class_object(const CLSID *c, IClassFactory **out)
{
#ifdef _WIN32
    /* The client registered its class with the system's COM runtime
     * (ole32's CoRegisterClassObject), so only ole32 can find it.  Every
     * thread that gets here (core's dispatcher thread, the re-delivery
     * thread below) belongs to bgcopy and joins the MTA once, for good:
     * an in-process registration made from the client's MTA is then
     * handed over directly, without marshalling.  A thread already in an
     * STA (RPC_E_CHANGED_MODE) keeps it, as COM requires. */
    static _Thread_local int t_com_ready;
    if (!t_com_ready) {
        HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
        if (FAILED(hr) && hr != RPC_E_CHANGED_MODE)
            return hr;
        t_com_ready = 1;
    }
    *out = NULL;
    return CoGetClassObject(c, CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER, NULL,
                            &IID_IClassFactory, (void **)out);
#else
    return bgc_class_object_get(c, out);
#endif
}

/* The group's callback object, or NULL with *why: S_FALSE (no target set),
 * or the class activation error (REGDB_E_CLASSNOTREG...). */
static IBackgroundCopyCallback1 *get_target(const GUID *gid, int *has_job1, HRESULT *why)
{
    IBackgroundCopyCallback1 *cb = NULL;
    CLSID c;
    int has_clsid = 0;
    *why = S_FALSE;
    qm_lock();
    qm_group *g = qm_find_locked(gid);
    if (g) {
        cb = g->direct;
        if (cb)
            cb->lpVtbl->AddRef(cb);
        has_clsid = g->has_clsid;
        c = g->clsid;
        *has_job1 = g->has_job1;
    }
    qm_unlock();
    if (cb || !has_clsid)
        return cb;
    IClassFactory *f = NULL;
    *why = get_class_object(&c, &f);
    if (FAILED(*why))
        return NULL;
    *why = f->lpVtbl->CreateInstance(f, NULL, &IID_IBackgroundCopyCallback1, (void **)&cb);
    f->lpVtbl->Release(f);
    if (FAILED(*why) || !cb) {
        if (SUCCEEDED(*why))
            *why = E_NOINTERFACE;
        return NULL;
    }
    return cb;
}

/* Call OnStatus for group |gid| with its current status.  S_FALSE when it
 * has no target at all; else the target's (or activation's) HRESULT. */
static HRESULT deliver_status(const GUID *gid)
{
    int has_job1 = 0;
    HRESULT hr;
    IBackgroundCopyCallback1 *cb = get_target(gid, &has_job1, &hr);
    if (!cb)
        return hr;
    IBackgroundCopyManager *mgr = NULL;
    IBackgroundCopyGroup *grp = NULL;
    IBackgroundCopyJob1 *job1 = NULL;
    hr = bgcopy_compat_manager_create(&IID_IBackgroundCopyManager, (void **)&mgr);
    DWORD st = 0, w = 0, h = 0, r = 0, fi = (DWORD)-1;
    if (SUCCEEDED(hr)) {
        qm_lock();
        qm_group *g = qm_find_locked(gid);
        hr = g ? qm_status_locked(mgr, g, &st, NULL, &w, &h, &r, &fi) : QM_E_ITEM_NOT_FOUND;
        qm_unlock();
    }
    if (SUCCEEDED(hr))
        hr = qm_group_create(mgr, gid, &grp);
    if (SUCCEEDED(hr) && has_job1)
        hr = qm_job1_create(mgr, gid, &job1);
    if (hr == QM_E_ITEM_NOT_FOUND)
        hr = S_OK; /* cancelled meanwhile: nothing is owed any more */
    else if (SUCCEEDED(hr))
        hr = cb->lpVtbl->OnStatus(cb, grp, job1, fi, st, r, w, h);
    if (job1)
        job1->lpVtbl->Release(job1);
    if (grp)
        grp->lpVtbl->Release(grp);
    if (mgr)
        mgr->lpVtbl->Release(mgr);
    cb->lpVtbl->Release(cb);
    return hr;
}

/* ------------------------------------------ owed completion, timer thread */

BGC_STATIC_MUTEX(t_lock)
BGC_STATIC_COND(t_cond)
static int t_started;
static unsigned long t_gen;

static void timer_poke(void);

/* Deliver the owed completion of |gid| if it is owed and not being
 * delivered by another thread; on failure owe it again in retry_delay_s. */
static void try_pending(const GUID *gid)
{
    qm_lock();
    qm_group *g = qm_find_locked(gid);
    int go = g && g->done_pending && g->pending_due_ms != QM_CLAIMED;
    if (go)
        g->pending_due_ms = QM_CLAIMED;
    qm_unlock();
    if (!go)
        return;
    HRESULT hr = deliver_status(gid);
    qm_lock();
    g = qm_find_locked(gid);
    if (g) {
        if (hr == S_OK) {
            g->done_pending = 0;
        } else if (g->pending_kicked) {
            g->pending_due_ms = 0; /* a new target came meanwhile: try it now */
        } else {
            g->pending_due_ms = qm_now_ms() + (uint64_t)g->retry_delay_s * 1000u;
        }
        g->pending_kicked = 0;
    }
    qm_unlock();
    if (hr != S_OK)
        timer_poke();
}

static void timer_main(void *arg)
{
    (void)arg;
    uv_mutex_lock(t_lock());
    for (;;) {
        unsigned long gen = t_gen;
        uv_mutex_unlock(t_lock());
        GUID *ids = NULL;
        ULONG n = 0;
        uint64_t now = qm_now_ms(), next = UINT64_MAX;
        if (SUCCEEDED(qm_group_ids(&ids, &n))) {
            for (ULONG i = 0; i < n; i++) {
                qm_lock();
                qm_group *g = qm_find_locked(&ids[i]);
                int due = g && g->done_pending && g->pending_due_ms != QM_CLAIMED &&
                          g->pending_due_ms <= now;
                if (g && g->done_pending && g->pending_due_ms != QM_CLAIMED &&
                    g->pending_due_ms > now && g->pending_due_ms < next)
                    next = g->pending_due_ms;
                qm_unlock();
                if (due)
                    try_pending(&ids[i]);
            }
            free(ids);
        }
        uv_mutex_lock(t_lock());
        if (t_gen != gen)
            continue;
        if (next == UINT64_MAX)
            uv_cond_wait(t_cond(), t_lock());
        else /* a timeout or a poke: either way the loop looks again */
            (void)uv_cond_timedwait(t_cond(), t_lock(), (next - now) * 1000000u);
    }
}

/* Wake (starting it the first time) the thread that re-delivers owed
 * completions.  It lives until the process exits, idle on a condition
 * variable when nothing is owed. */
static void timer_poke(void)
{
    uv_mutex_lock(t_lock());
    if (!t_started) {
        /* The thread is never joined: it serves the whole process.  Its
         * handle is kept only because libuv has no detach. */
        static uv_thread_t t;
        if (uv_thread_create(&t, timer_main, NULL) == 0)
            t_started = 1;
    }
    t_gen++;
    if (t_started)
        uv_cond_broadcast(t_cond());
    uv_mutex_unlock(t_lock());
}

/* -------------------------------------------------------------- progress */

/* Opt-in progress of group |gid| from the modern job |job|; |final| forces
 * a last report (the group completed). */
static void report_progress(const GUID *gid, IBackgroundCopyJob *job, int final)
{
    BG_JOB_PROGRESS p;
    memset(&p, 0, sizeof p);
    if (FAILED(job->lpVtbl->GetProgress(job, &p)))
        return;
    DWORD type = 0, value = 0, index = 0;
    int ex = 0;
    qm_lock();
    qm_group *g = qm_find_locked(gid);
    if (g && (g->prog_bytes || g->prog_percent || g->prog_seconds) &&
        !(g->notify_flags & QM_NOTIFY_DISABLE_NOTIFY)) {
        uint64_t now = qm_now_ms();
        uint64_t bytes = p.BytesTransferred;
        DWORD pct = final ? 100
                    : (p.BytesTotal != BG_SIZE_UNKNOWN && p.BytesTotal > 0)
                        ? (DWORD)(bytes * 100u / p.BytesTotal)
                        : 0;
        int moved = bytes != g->prog_last_bytes || !g->prog_reported;
        int due = final ||
                  (g->prog_bytes && bytes - g->prog_last_bytes >= g->prog_bytes) ||
                  (g->prog_percent && pct >= g->prog_last_percent + g->prog_percent) ||
                  (g->prog_seconds && now - g->prog_last_ms >= (uint64_t)g->prog_seconds * 1000u);
        if (moved && due) {
            g->prog_last_bytes = bytes;
            g->prog_last_percent = pct;
            g->prog_last_ms = now;
            g->prog_reported = 1;
            type = g->prog_percent ? QM_PROGRESS_PERCENT_DONE : QM_PROGRESS_SIZE_DONE;
            value = type == QM_PROGRESS_PERCENT_DONE ? pct
                    : bytes > 0xFFFFFFFFu           ? 0xFFFFFFFFu
                                                    : (DWORD)bytes;
            index = p.FilesTransferred < g->file_count ? p.FilesTransferred
                    : g->file_count ? g->file_count - 1 : 0;
            ex = (g->notify_flags & QM_NOTIFY_USE_PROGRESSEX) != 0;
        }
    }
    qm_unlock();
    if (!type)
        return;
    int has_job1 = 0;
    HRESULT hr;
    IBackgroundCopyCallback1 *cb = get_target(gid, &has_job1, &hr);
    if (!cb)
        return;
    IBackgroundCopyManager *mgr = NULL;
    IBackgroundCopyGroup *grp = NULL;
    IBackgroundCopyJob1 *job1 = NULL;
    hr = bgcopy_compat_manager_create(&IID_IBackgroundCopyManager, (void **)&mgr);
    if (SUCCEEDED(hr))
        hr = qm_group_create(mgr, gid, &grp);
    if (SUCCEEDED(hr) && has_job1)
        hr = qm_job1_create(mgr, gid, &job1);
    if (SUCCEEDED(hr)) {
        /* The return value is ignored: progress is never re-delivered. */
        if (ex)
            cb->lpVtbl->OnProgressEx(cb, type, grp, job1, index, value, 0, NULL);
        else
            cb->lpVtbl->OnProgress(cb, type, grp, job1, index, value);
    }
    if (job1)
        job1->lpVtbl->Release(job1);
    if (grp)
        grp->lpVtbl->Release(grp);
    if (mgr)
        mgr->lpVtbl->Release(mgr);
    cb->lpVtbl->Release(cb);
}

/* ------------------------------------------------------------------ sink */

typedef struct qm_sink {
    IBackgroundCopyCallback iface;
    _Atomic ULONG ref;
    GUID group;
} qm_sink;

static qm_sink *sink_impl(IBackgroundCopyCallback *iface)
{
    return BGC_IMPL_FROM(qm_sink, iface, iface);
}

static HRESULT STDMETHODCALLTYPE s_QueryInterface(IBackgroundCopyCallback *iface, REFIID riid,
                                                  void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IBackgroundCopyCallback)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE s_AddRef(IBackgroundCopyCallback *iface)
{
    return atomic_fetch_add(&sink_impl(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE s_Release(IBackgroundCopyCallback *iface)
{
    qm_sink *s = sink_impl(iface);
    ULONG left = atomic_fetch_sub(&s->ref, 1) - 1;
    if (left == 0)
        free(s);
    return left;
}

/* The group is complete: final progress, Complete the job, owe OnStatus. */
static HRESULT STDMETHODCALLTYPE s_JobTransferred(IBackgroundCopyCallback *iface,
                                                  IBackgroundCopyJob *pJob)
{
    qm_sink *s = sink_impl(iface);
    report_progress(&s->group, pJob, 1);
    BG_JOB_PROGRESS p;
    memset(&p, 0, sizeof p);
    pJob->lpVtbl->GetProgress(pJob, &p);
    HRESULT hr = pJob->lpVtbl->Complete(pJob);
    if (FAILED(hr))
        return hr; /* e.g. a rename failed: the engine tries again later */
    int owe = 0;
    qm_lock();
    qm_group *g = qm_find_locked(&s->group);
    if (g && !g->done) {
        g->done = 1;
        g->done_bytes = p.BytesTransferred;
        owe = (g->notify_flags & QM_NOTIFY_GROUP_DONE) &&
              !(g->notify_flags & QM_NOTIFY_DISABLE_NOTIFY);
        g->done_pending = owe;
        g->pending_due_ms = 0;
    }
    qm_unlock();
    if (owe)
        try_pending(&s->group);
    return S_OK;
}

/* An error: OnStatus with GROUP_ERROR unless DISABLE_NOTIFY.  A failure is
 * handed back to the engine, which calls again after the retry delay. */
static HRESULT STDMETHODCALLTYPE s_JobError(IBackgroundCopyCallback *iface,
                                            IBackgroundCopyJob *pJob, IBackgroundCopyError *pError)
{
    (void)pJob, (void)pError; /* the status is read from the job by GUID */
    qm_sink *s = sink_impl(iface);
    qm_lock();
    qm_group *g = qm_find_locked(&s->group);
    int silent = !g || (g->notify_flags & QM_NOTIFY_DISABLE_NOTIFY);
    qm_unlock();
    if (silent)
        return S_OK;
    HRESULT hr = deliver_status(&s->group);
    return hr == S_FALSE ? S_OK : hr; /* no target at all: nobody to retry for */
}

static HRESULT STDMETHODCALLTYPE s_JobModification(IBackgroundCopyCallback *iface,
                                                   IBackgroundCopyJob *pJob, DWORD dwReserved)
{
    (void)dwReserved;
    report_progress(&sink_impl(iface)->group, pJob, 0);
    return S_OK;
}

static const IBackgroundCopyCallbackVtbl sink_vtbl = {
    s_QueryInterface, s_AddRef, s_Release, s_JobTransferred, s_JobError, s_JobModification,
};

HRESULT qm_sink_create(const GUID *id, IBackgroundCopyManager *mgr, IUnknown **out)
{
    (void)mgr; /* the sink holds no manager: it must not keep the engine open */
    *out = NULL;
    qm_sink *s = calloc(1, sizeof *s);
    if (!s)
        return E_OUTOFMEMORY;
    BGC_SET_VTBL(&s->iface, &sink_vtbl);
    atomic_init(&s->ref, 1);
    s->group = *id;
    *out = (IUnknown *)(void *)&s->iface;
    return S_OK;
}

void qm_kick(IBackgroundCopyManager *mgr, const GUID *id)
{
    /* An ERROR still held: register a fresh sink, the engine delivers the
     * current error again at once. */
    qm_lock();
    qm_group *g = qm_find_locked(id);
    IBackgroundCopyJob *job = NULL;
    if (g && !g->done && FAILED(qm_job_locked(mgr, g, &job)))
        job = NULL;
    if (g && g->done_pending) {
        if (g->pending_due_ms == QM_CLAIMED)
            g->pending_kicked = 1; /* the running delivery retries at once if it fails */
        else
            g->pending_due_ms = 0;
    }
    qm_unlock();
    if (job) {
        BG_JOB_STATE st = BG_JOB_STATE_SUSPENDED;
        job->lpVtbl->GetState(job, &st);
        if (st == BG_JOB_STATE_ERROR) {
            IUnknown *sink = NULL;
            if (SUCCEEDED(qm_sink_create(id, mgr, &sink))) {
                job->lpVtbl->SetNotifyInterface(job, sink);
                sink->lpVtbl->Release(sink);
            }
        }
        job->lpVtbl->Release(job);
    }
    /* An owed completion: the re-delivery thread makes the call, so the
     * client's SetProp never runs its own callback synchronously. */
    timer_poke();
}

/* ---------------------------------------------------- opt-in (public) */

BGCOPY_COMPAT_API HRESULT BgCopyQMgrSetProgressGranularity(IBackgroundCopyGroup *pGroup,
                                                           DWORD dwBytes, DWORD dwPercent,
                                                           DWORD dwSeconds)
{
    if (!pGroup)
        return E_INVALIDARG;
    GUID id;
    HRESULT hr = pGroup->lpVtbl->get_GroupID(pGroup, &id);
    if (FAILED(hr))
        return E_INVALIDARG;
    IBackgroundCopyJob *job = NULL;
    hr = pGroup->lpVtbl->QueryNewJobInterface(pGroup, &IID_IBackgroundCopyJob, (IUnknown **)&job);
    if (FAILED(hr)) {
        qm_lock();
        qm_group *g = qm_find_locked(&id);
        hr = !g ? QM_E_ITEM_NOT_FOUND : g->done ? QM_E_INVALID_STATE : hr;
        qm_unlock();
        return hr;
    }
    int on = dwBytes || dwPercent || dwSeconds;
    hr = job->lpVtbl->SetNotifyFlags(job, BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
                                              (on ? BG_NOTIFY_JOB_MODIFICATION : 0));
    job->lpVtbl->Release(job);
    if (FAILED(hr))
        return hr;
    qm_lock();
    qm_group *g = qm_find_locked(&id);
    if (g) {
        g->prog_bytes = dwBytes;
        g->prog_percent = dwPercent;
        g->prog_seconds = dwSeconds;
        g->prog_reported = 0;
        g->prog_last_bytes = 0;
        g->prog_last_percent = 0;
        g->prog_last_ms = qm_now_ms();
    }
    qm_unlock();
    return g ? S_OK : QM_E_ITEM_NOT_FOUND;
}
