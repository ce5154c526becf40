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
 * Delivery (on core's dispatcher thread, never the transfer thread; for a
 * sink registered from a single-threaded apartment, on that apartment's
 * thread from its message loop: "calls into an STA" below):
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

#include "apartment.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct bgc_bridge {
    _Atomic unsigned ref;
    IUnknown *sink;
    bgc_apartment *apt;      /* the STA it was registered from (referenced), or NULL */
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
    bgc_apartment_release(b->apt);
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

static HRESULT call_job_transferred(bgc_bridge *ctx, bgcopy_job *job)
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

static HRESULT call_job_error(bgc_bridge *ctx, bgcopy_job *job, const bgcopy_job_error *error)
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

static HRESULT call_job_modification(bgc_bridge *ctx, bgcopy_job *job)
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
static HRESULT call_file_transferred(bgc_bridge *ctx, bgcopy_job *job, uint32_t file_index)
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
static HRESULT call_file_ranges_transferred(bgc_bridge *ctx, bgcopy_job *job, uint32_t file_index,
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

/* ------------------------------------------------ calls into an STA
 *
 * A sink registered from a single-threaded apartment is called on the
 * apartment's thread, from its message loop (apartment.h).  The dispatcher
 * thread does not wait for it: it defers the delivery
 * (bgcopy_notify_defer), queues a call for the apartment and goes on with
 * other jobs, so an STA that stops pumping delays only its own sinks.  The
 * call completes the delivery with the sink's HRESULT, which drives
 * redelivery exactly as a direct call's; an apartment that ended first
 * (CoUninitialize, thread exit) completes it with RPC_E_DISCONNECTED. */

enum sta_event { STA_TRANSFERRED, STA_ERROR, STA_MODIFICATION, STA_FILE, STA_RANGES };

typedef struct sta_call {
    bgc_apt_call base;           /* first: the apartment hands it back */
    enum sta_event ev;
    bgc_bridge *b;               /* referenced */
    bgcopy_job *job;             /* referenced */
    bgcopy_job_error err;        /* STA_ERROR */
    uint32_t file;               /* STA_FILE, STA_RANGES */
    bgcopy_file_range *ranges;   /* STA_RANGES: a copy; the caller's is valid only during the call */
    uint32_t count;
    bgcopy_notify_pending *token;
} sta_call;

static void sta_call_free(sta_call *c)
{
    bgcopy_job_release(c->job);
    bridge_release(c->b);
    free(c->ranges);
    free(c);
}

/* On the STA's thread, from its message loop. */
static void sta_invoke(bgc_apt_call *base)
{
    sta_call *c = (sta_call *)base;
    HRESULT hr = S_OK;
    switch (c->ev) {
    case STA_TRANSFERRED: hr = call_job_transferred(c->b, c->job); break;
    case STA_ERROR: hr = call_job_error(c->b, c->job, &c->err); break;
    case STA_MODIFICATION: hr = call_job_modification(c->b, c->job); break;
    case STA_FILE: hr = call_file_transferred(c->b, c->job, c->file); break;
    case STA_RANGES: hr = call_file_ranges_transferred(c->b, c->job, c->file, c->ranges, c->count); break;
    }
    bgcopy_notify_complete(c->token, hr);
    sta_call_free(c);
}

/* The apartment ended with the call still waiting: the sink is gone, as a
 * proxy to an uninitialised apartment is on Windows. */
static void sta_disconnect(bgc_apt_call *base)
{
    sta_call *c = (sta_call *)base;
    bgcopy_notify_complete(c->token, RPC_E_DISCONNECTED);
    sta_call_free(c);
}

/* Inside a core callback on a delivering thread: when |b| belongs to an
 * STA other than this thread's, carry the event there and return 1 with
 * *hr the answer for core (ignored once deferred); else return 0: call the
 * sink here. */
static int sta_forward(bgc_bridge *b, enum sta_event ev, bgcopy_job *job,
                       const bgcopy_job_error *err, uint32_t file,
                       const bgcopy_file_range *ranges, uint32_t count, HRESULT *hr)
{
    if (!b->apt || bgc_apartment_is_current(b->apt))
        return 0;
    *hr = E_OUTOFMEMORY;
    sta_call *c = calloc(1, sizeof *c);
    if (!c)
        return 1;
    if (count > 0) {
        c->ranges = malloc((size_t)count * sizeof *c->ranges);
        if (!c->ranges) {
            free(c);
            return 1;
        }
        memcpy(c->ranges, ranges, (size_t)count * sizeof *c->ranges);
        c->count = count;
    }
    *hr = bgcopy_notify_defer(&c->token);
    if (FAILED(*hr)) {
        free(c->ranges);
        free(c);
        return 1;
    }
    c->base.invoke = sta_invoke;
    c->base.disconnect = sta_disconnect;
    c->ev = ev;
    bridge_add_ref(b);
    c->b = b;
    bgcopy_job_addref(job);
    c->job = job;
    if (err)
        c->err = *err;
    c->file = file;
    HRESULT post = bgc_apartment_post(b->apt, &c->base);
    if (FAILED(post)) {
        bgcopy_notify_complete(c->token, post);
        sta_call_free(c);
    }
    *hr = S_OK;
    return 1;
}

static bgcopy_hr bridge_job_transferred(void *ctx, bgcopy_job *job)
{
    HRESULT hr;
    if (sta_forward(ctx, STA_TRANSFERRED, job, NULL, 0, NULL, 0, &hr))
        return hr;
    return call_job_transferred(ctx, job);
}

static bgcopy_hr bridge_job_error(void *ctx, bgcopy_job *job, const bgcopy_job_error *error)
{
    HRESULT hr;
    if (sta_forward(ctx, STA_ERROR, job, error, 0, NULL, 0, &hr))
        return hr;
    return call_job_error(ctx, job, error);
}

static bgcopy_hr bridge_job_modification(void *ctx, bgcopy_job *job)
{
    HRESULT hr;
    if (sta_forward(ctx, STA_MODIFICATION, job, NULL, 0, NULL, 0, &hr))
        return hr;
    return call_job_modification(ctx, job);
}

static bgcopy_hr bridge_file_transferred(void *ctx, bgcopy_job *job, uint32_t file_index)
{
    HRESULT hr;
    if (sta_forward(ctx, STA_FILE, job, NULL, file_index, NULL, 0, &hr))
        return hr;
    return call_file_transferred(ctx, job, file_index);
}

static bgcopy_hr bridge_file_ranges_transferred(void *ctx, bgcopy_job *job, uint32_t file_index,
                                                const bgcopy_file_range *ranges, uint32_t count)
{
    HRESULT hr;
    if (sta_forward(ctx, STA_RANGES, job, NULL, file_index, ranges, count, &hr))
        return hr;
    return call_file_ranges_transferred(ctx, job, file_index, ranges, count);
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
    b->apt = bgc_apartment_current();
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
