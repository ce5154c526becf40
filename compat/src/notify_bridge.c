/*
 * notify_bridge.c - delivers native job notifications to a client's
 * IBackgroundCopyCallback (IBackgroundCopyJob::SetNotifyInterface).
 *
 * A bridge is a small refcounted object that holds the client's IUnknown.
 * It is the ctx of the native registration (bgcopy_job_set_notify), and
 * core manages its lifetime through add_ref/release: the IUnknown is
 * Released when the last reference goes (registration replaced or cleared,
 * job left the queue, engine closed).
 *
 * Delivery (on core's dispatcher thread, never the transfer thread):
 *  1. QueryInterface the IUnknown for the richest callback interface that
 *     has the event's method: Callback3 > Callback2 > Callback (JobTransferred,
 *     JobError, JobModification), Callback3 > Callback2 (FileTransferred),
 *     Callback3 (FileRangesTransferred) -- BITS also asks at delivery time,
 *     so a sink may register a plain IUnknown that grows the interface
 *     later.  A sink answering only a newer IID still gets every event its
 *     vtable has (each version extends the previous one);
 *  2. make fresh COM objects for pJob (and pError / pFile), one reference
 *     each, over handles of their own;
 *  3. call the method; the callee must not Release those arguments (it may
 *     AddRef them to keep them);
 *  4. Release our references and hand the sink's HRESULT back to core, which
 *     re-delivers JobTransferred / JobError / FileTransferred on failure.
 * A sink that answers neither interface gets E_NOINTERFACE returned to core.
 *
 * All live bridges are kept in a list so GetNotifyInterface can tell a
 * bridge ctx from a ctx registered through the native API on the same job
 * (which it must not dereference).
 */
#include "compat_objects.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct bgc_bridge {
    _Atomic unsigned ref;
    IUnknown *sink;
    struct bgc_bridge *next; /* in g_bridges, under g_bridges_lock */
} bgc_bridge;

BGC_STATIC_MUTEX(g_bridges_lock)
static bgc_bridge *g_bridges;

/* Depth of notification calls into user code on this thread. */
static _Thread_local int t_in_notification;

int bgc_in_notification(void)
{
    return t_in_notification > 0;
}

static void bridge_add_ref(void *ctx)
{
    bgc_bridge *b = ctx;
    atomic_fetch_add(&b->ref, 1);
}

static void bridge_release(void *ctx)
{
    bgc_bridge *b = ctx;
    if (atomic_fetch_sub(&b->ref, 1) != 1)
        return;
    uv_mutex_lock(g_bridges_lock());
    for (bgc_bridge **pp = &g_bridges; *pp; pp = &(*pp)->next) {
        if (*pp == b) {
            *pp = b->next;
            break;
        }
    }
    uv_mutex_unlock(g_bridges_lock());
    /* The sink's Release is user code and may release our objects; mark it
     * as notification-time so a resulting engine close never runs here if
     * this is the dispatcher thread. */
    t_in_notification++;
    b->sink->lpVtbl->Release(b->sink);
    t_in_notification--;
    free(b);
}

static int bridge_is_live(void *ctx)
{
    int found = 0;
    uv_mutex_lock(g_bridges_lock());
    for (bgc_bridge *b = g_bridges; b && !found; b = b->next)
        found = (b == ctx);
    uv_mutex_unlock(g_bridges_lock());
    return found;
}

/* Callback interfaces by level, richest first (see step 1 above). */
static const IID *const callback_iids[] = {
    &IID_IBackgroundCopyCallback3,
    &IID_IBackgroundCopyCallback2,
    &IID_IBackgroundCopyCallback,
};

/* Steps 1 and 2 of a delivery: the callback interface (the richest one the
 * sink answers among the first |levels| of callback_iids) and a job object.
 * The caller uses *cb only through the slots of the oldest interface among
 * those levels, which every richer version has at the same place. */
static HRESULT delivery_begin(bgc_bridge *b, bgcopy_job *job, size_t levels, void **cb,
                              IBackgroundCopyJob **pjob)
{
    *cb = NULL;
    *pjob = NULL;
    HRESULT hr = E_NOINTERFACE;
    for (size_t i = 0; i < levels && !*cb; i++) {
        hr = b->sink->lpVtbl->QueryInterface(b->sink, callback_iids[i], cb);
        if (FAILED(hr))
            *cb = NULL;
    }
    if (!*cb)
        return E_NOINTERFACE;
    bgcopy_job_addref(job);
    hr = bgc_job_create(job, 0, pjob);
    if (FAILED(hr)) {
        IUnknown *u = *cb;
        u->lpVtbl->Release(u);
        *cb = NULL;
    }
    return hr;
}

static bgcopy_hr bridge_job_transferred(void *ctx, bgcopy_job *job)
{
    IBackgroundCopyCallback *cb;
    IBackgroundCopyJob *pjob;
    t_in_notification++;
    HRESULT hr = delivery_begin(ctx, job, 3, (void **)&cb, &pjob);
    if (SUCCEEDED(hr)) {
        hr = cb->lpVtbl->JobTransferred(cb, pjob);
        pjob->lpVtbl->Release(pjob);
        cb->lpVtbl->Release(cb);
    }
    t_in_notification--;
    return hr;
}

static bgcopy_hr bridge_job_error(void *ctx, bgcopy_job *job, const bgcopy_job_error *error)
{
    IBackgroundCopyCallback *cb;
    IBackgroundCopyJob *pjob;
    IBackgroundCopyError *perr = NULL;
    t_in_notification++;
    HRESULT hr = delivery_begin(ctx, job, 3, (void **)&cb, &pjob);
    if (SUCCEEDED(hr)) {
        hr = bgc_error_create(job, error, 0, &perr);
        if (SUCCEEDED(hr)) {
            hr = cb->lpVtbl->JobError(cb, pjob, perr);
            perr->lpVtbl->Release(perr);
        }
        pjob->lpVtbl->Release(pjob);
        cb->lpVtbl->Release(cb);
    }
    t_in_notification--;
    return hr;
}

static bgcopy_hr bridge_job_modification(void *ctx, bgcopy_job *job)
{
    IBackgroundCopyCallback *cb;
    IBackgroundCopyJob *pjob;
    t_in_notification++;
    HRESULT hr = delivery_begin(ctx, job, 3, (void **)&cb, &pjob);
    if (SUCCEEDED(hr)) {
        hr = cb->lpVtbl->JobModification(cb, pjob, 0);
        pjob->lpVtbl->Release(pjob);
        cb->lpVtbl->Release(cb);
    }
    t_in_notification--;
    return hr;
}

/* IBackgroundCopyCallback2::FileTransferred.  A sink without Callback2 has
 * nothing to receive this event, which is success (not a reason to
 * re-deliver). */
static bgcopy_hr bridge_file_transferred(void *ctx, bgcopy_job *job, uint32_t file_index)
{
    IBackgroundCopyCallback2 *cb;
    IBackgroundCopyJob *pjob;
    IBackgroundCopyFile *pfile = NULL;
    t_in_notification++;
    HRESULT hr = delivery_begin(ctx, job, 2, (void **)&cb, &pjob);
    if (hr == E_NOINTERFACE) {
        hr = S_OK;
    } else if (SUCCEEDED(hr)) {
        hr = bgc_file_create(job, file_index, 0, &pfile);
        if (SUCCEEDED(hr)) {
            hr = cb->lpVtbl->FileTransferred(cb, pjob, pfile);
            pfile->lpVtbl->Release(pfile);
        }
        pjob->lpVtbl->Release(pjob);
        cb->lpVtbl->Release(cb);
    }
    t_in_notification--;
    return hr;
}

/* IBackgroundCopyCallback3::FileRangesTransferred: |ranges| converted to
 * BG_FILE_RANGE (a copy owned by the bridge, freed after the call, as BITS
 * owns the array it passes).  A sink without Callback3 has nothing to
 * receive this event, which is success. */
static bgcopy_hr bridge_file_ranges_transferred(void *ctx, bgcopy_job *job, uint32_t file_index,
                                                const bgcopy_file_range *ranges, uint32_t count)
{
    IBackgroundCopyCallback3 *cb;
    IBackgroundCopyJob *pjob;
    IBackgroundCopyFile *pfile = NULL;
    BG_FILE_RANGE *r = NULL;
    t_in_notification++;
    HRESULT hr = delivery_begin(ctx, job, 1, (void **)&cb, &pjob);
    if (hr == E_NOINTERFACE) {
        hr = S_OK;
    } else if (SUCCEEDED(hr)) {
        if (count > 0) {
            r = malloc((size_t)count * sizeof *r);
            if (!r)
                hr = E_OUTOFMEMORY;
            for (uint32_t i = 0; r && i < count; i++) {
                r[i].InitialOffset = ranges[i].initial_offset;
                r[i].Length = ranges[i].length;
            }
        }
        if (SUCCEEDED(hr))
            hr = bgc_file_create(job, file_index, 0, &pfile);
        if (SUCCEEDED(hr)) {
            hr = cb->lpVtbl->FileRangesTransferred(cb, pjob, pfile, (DWORD)count, r);
            pfile->lpVtbl->Release(pfile);
        }
        free(r);
        pjob->lpVtbl->Release(pjob);
        cb->lpVtbl->Release(cb);
    }
    t_in_notification--;
    return hr;
}

static const bgcopy_notify_callbacks bridge_callbacks = {
    .job_transferred = bridge_job_transferred,
    .job_error = bridge_job_error,
    .job_modification = bridge_job_modification,
    .file_transferred = bridge_file_transferred,
    .add_ref = bridge_add_ref,
    .release = bridge_release,
    .file_ranges_transferred = bridge_file_ranges_transferred,
};

HRESULT bgc_notify_set(bgcopy_job *job, IUnknown *sink)
{
    if (!sink)
        return bgcopy_job_set_notify(job, NULL, NULL);
    bgc_bridge *b = calloc(1, sizeof *b);
    if (!b)
        return E_OUTOFMEMORY;
    atomic_init(&b->ref, 1);
    sink->lpVtbl->AddRef(sink);
    b->sink = sink;
    uv_mutex_lock(g_bridges_lock());
    b->next = g_bridges;
    g_bridges = b;
    uv_mutex_unlock(g_bridges_lock());
    HRESULT hr = bgcopy_job_set_notify(job, &bridge_callbacks, b);
    bridge_release(b); /* core holds its own reference on success */
    return hr;
}

HRESULT bgc_notify_get(bgcopy_job *job, IUnknown **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    void *ctx = NULL;
    bgcopy_notify_callbacks cb;
    HRESULT hr = bgcopy_job_get_notify(job, &cb, &ctx);
    if (FAILED(hr) || !ctx)
        return hr;
    /* A sink registered through the native API has no IUnknown to hand
     * out: report none, and drop the reference core took for us. */
    if (cb.release != bridge_callbacks.release || !bridge_is_live(ctx)) {
        if (cb.release)
            cb.release(ctx);
        return S_OK;
    }
    bgc_bridge *b = ctx;
    b->sink->lpVtbl->AddRef(b->sink);
    *out = b->sink;
    bridge_release(b);
    return S_OK;
}
