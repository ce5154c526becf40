/*
 * qmgr_notify.c - how a BITS 1.0 group reports to its
 * IBackgroundCopyCallback1 (spec §4.5).  The engine decides what is told
 * and when (core/src/group.c: the error and completion OnStatus, the
 * re-delivery of a failing one on the manager's clock, opt-in progress);
 * this file is the COM end of it:
 *
 *  - the activator, registered as the engine's group sink
 *    (bgcopy_manager_set_group_notify): for a group whose
 *    GROUPPROP_NOTIFYCLSID is set it asks the class object the client
 *    registered (CoRegisterClassObject) for a new IBackgroundCopyCallback1
 *    per call.  No registered class (the client exited) = not delivered:
 *    the engine owes it and tries again later, and at once when a
 *    restarted client sets NOTIFYCLSID;
 *  - the direct sink: the object given to SetNotificationPointer, which
 *    the engine prefers while it is set;
 *  - both build the IBackgroundCopyGroup / IBackgroundCopyJob1 arguments
 *    and convert the status (Win32 result, HTTP status).
 * User code is always called with no lock held (the engine's rule).
 */
#include "qmgr_internal.h"
#include "class_registry.h"
#include "bgcopy_qmgr.h"

#include <stdatomic.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- target */

/* The class object of the group's GROUPPROP_NOTIFYCLSID class: S_OK with
 * *out AddRef'ed, or the activation error (REGDB_E_CLASSNOTREG when the
 * client has no registration now). */
static HRESULT get_class_object(const CLSID *c, IClassFactory **out)
{
#ifdef _WIN32
    /* The client registered its class with the system's COM runtime
     * (ole32's CoRegisterClassObject), so only ole32 can find it.  Every
     * thread that gets here (one of core's dispatcher threads) belongs
     * to bgcopy and joins the MTA once, for good:
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

/* A new object of group |g|'s NOTIFYCLSID class, or NULL with *why set
 * to the activation error (REGDB_E_CLASSNOTREG...). */
static IBackgroundCopyCallback1 *activate(bgcopy_group *g, HRESULT *why)
{
    bgcopy_guid id;
    *why = bgcopy_group_get_notify_clsid(g, &id);
    if (FAILED(*why))
        return NULL;
    CLSID c;
    memcpy(&c, &id, sizeof c);
    IClassFactory *f = NULL;
    *why = get_class_object(&c, &f);
    if (FAILED(*why))
        return NULL;
    IBackgroundCopyCallback1 *cb = NULL;
    *why = f->lpVtbl->CreateInstance(f, NULL, &IID_IBackgroundCopyCallback1, (void **)&cb);
    f->lpVtbl->Release(f);
    if (FAILED(*why) || !cb) {
        if (SUCCEEDED(*why))
            *why = E_NOINTERFACE;
        return NULL;
    }
    return cb;
}

/* The pGroup / pJob arguments of a call about |g|: objects that do not
 * keep the engine open (made for a notification); *job1 NULL while the
 * group has no IBackgroundCopyJob1. */
static HRESULT make_args(bgcopy_group *g, IBackgroundCopyGroup **grp, IBackgroundCopyJob1 **job1)
{
    *job1 = NULL;
    HRESULT hr = qm_group_create(NULL, g, grp);
    bgcopy_guid id;
    if (SUCCEEDED(hr) && bgcopy_group_get_job_id(g, &id) == BGCOPY_S_OK) {
        hr = qm_job1_create(NULL, g, job1);
        if (FAILED(hr))
            (*grp)->lpVtbl->Release(*grp);
    }
    return hr;
}

static HRESULT call_status(IBackgroundCopyCallback1 *cb, bgcopy_group *g,
                           const bgcopy_group_status *st)
{
    IBackgroundCopyGroup *grp = NULL;
    IBackgroundCopyJob1 *job1 = NULL;
    HRESULT hr = make_args(g, &grp, &job1);
    if (FAILED(hr))
        return hr;
    DWORD w = 0, h = 0, r = 0;
    if (st->group_status & QM_STATUS_GROUP_ERROR) {
        qm_split_error(st->error, &w, &h);
        r = st->error_count;
    }
    DWORD fi = st->error_file == UINT32_MAX ? (DWORD)-1 : (DWORD)st->error_file;
    hr = cb->lpVtbl->OnStatus(cb, grp, job1, fi, st->group_status, r, w, h);
    if (job1)
        job1->lpVtbl->Release(job1);
    grp->lpVtbl->Release(grp);
    return hr;
}

static void call_progress(IBackgroundCopyCallback1 *cb, bgcopy_group *g,
                          const bgcopy_group_progress_report *rep)
{
    uint32_t flags = 0;
    bgcopy_group_get_notify_flags(g, &flags);
    IBackgroundCopyGroup *grp = NULL;
    IBackgroundCopyJob1 *job1 = NULL;
    if (FAILED(make_args(g, &grp, &job1)))
        return;
    /* The return value is ignored: progress is never re-delivered. */
    if (flags & QM_NOTIFY_USE_PROGRESSEX)
        cb->lpVtbl->OnProgressEx(cb, rep->type, grp, job1, rep->file_index, rep->value, 0, NULL);
    else
        cb->lpVtbl->OnProgress(cb, rep->type, grp, job1, rep->file_index, rep->value);
    if (job1)
        job1->lpVtbl->Release(job1);
    grp->lpVtbl->Release(grp);
}

/* ------------------------------------------------ the activator (NOTIFYCLSID) */

static bgcopy_hr act_on_status(void *ctx, bgcopy_group *g, const bgcopy_group_status *st)
{
    (void)ctx;
    HRESULT hr;
    IBackgroundCopyCallback1 *cb = activate(g, &hr);
    if (!cb)
        return hr;
    hr = call_status(cb, g, st);
    cb->lpVtbl->Release(cb);
    return hr;
}

static void act_on_progress(void *ctx, bgcopy_group *g, const bgcopy_group_progress_report *rep)
{
    (void)ctx;
    HRESULT hr;
    IBackgroundCopyCallback1 *cb = activate(g, &hr);
    if (!cb)
        return;
    call_progress(cb, g, rep);
    cb->lpVtbl->Release(cb);
}

static const bgcopy_group_callbacks activator = {
    .on_status = act_on_status,
    .on_progress = act_on_progress,
};

HRESULT qm_notify_register(bgcopy_manager *engine)
{
    return bgcopy_manager_set_group_notify(engine, &activator, NULL);
}

/* --------------------------------------------- SetNotificationPointer */

/* The engine may take a reference with its lock held, so it never calls
 * the client's AddRef: it counts references on this holder, which
 * releases the client's object (outside any lock) with the last one. */
typedef struct qm_direct {
    _Atomic long refs;
    IBackgroundCopyCallback1 *cb;
} qm_direct;

static void direct_add_ref(void *ctx)
{
    atomic_fetch_add(&((qm_direct *)ctx)->refs, 1);
}

static void direct_release(void *ctx)
{
    qm_direct *d = ctx;
    if (atomic_fetch_sub(&d->refs, 1) == 1) {
        d->cb->lpVtbl->Release(d->cb);
        free(d);
    }
}

static bgcopy_hr direct_on_status(void *ctx, bgcopy_group *g, const bgcopy_group_status *st)
{
    return call_status(((qm_direct *)ctx)->cb, g, st);
}

static void direct_on_progress(void *ctx, bgcopy_group *g, const bgcopy_group_progress_report *rep)
{
    call_progress(((qm_direct *)ctx)->cb, g, rep);
}

static const bgcopy_group_callbacks direct = {
    .add_ref = direct_add_ref,
    .release = direct_release,
    .on_status = direct_on_status,
    .on_progress = direct_on_progress,
};

HRESULT qm_notify_set_direct(bgcopy_group *g, IBackgroundCopyCallback1 *cb)
{
    if (!cb)
        return bgcopy_group_set_notify(g, NULL, NULL);
    qm_direct *d = malloc(sizeof *d);
    if (!d)
        return E_OUTOFMEMORY;
    atomic_init(&d->refs, 1);
    cb->lpVtbl->AddRef(cb);
    d->cb = cb;
    HRESULT hr = bgcopy_group_set_notify(g, &direct, d); /* takes its own reference */
    direct_release(d);
    return hr;
}

/* ---------------------------------------------------- opt-in (public) */

BGCOPY_COMPAT_API HRESULT BgCopyQMgrSetProgressGranularity(IBackgroundCopyGroup *pGroup,
                                                           DWORD dwBytes, DWORD dwPercent,
                                                           DWORD dwSeconds)
{
    bgcopy_group *g = qm_group_handle(pGroup);
    if (!g)
        return E_INVALIDARG;
    return qm_hr(bgcopy_group_set_progress_granularity(g, dwBytes, dwPercent, dwSeconds));
}
