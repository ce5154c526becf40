/*
 * enum_jobs.c - IEnumBackgroundCopyJobs: a snapshot of the queue taken by
 * IBackgroundCopyManager::EnumJobs.  The list of jobs is fixed at creation
 * (jobs created or removed later are not seen) while each job's properties
 * stay live, as BITS documents.  Clones share the snapshot (refcounted) and
 * copy the cursor (enum_cursor.h, shared with the other enumerators).
 */
#include "compat_objects.h"
#include "enum_cursor.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct job_snapshot {
    _Atomic unsigned ref;
    bgcopy_job **jobs;
    size_t count;
} job_snapshot;

typedef struct bgc_enum_jobs {
    IEnumBackgroundCopyJobs iface;
    _Atomic ULONG ref;
    job_snapshot *snap;
    bgc_cursor cursor;
    int counted;
} bgc_enum_jobs;

static void snapshot_release(job_snapshot *s)
{
    if (atomic_fetch_sub(&s->ref, 1) == 1) {
        bgcopy_job_list_free(s->jobs, s->count);
        free(s);
    }
}

static bgc_enum_jobs *impl_from_IEnumBackgroundCopyJobs(IEnumBackgroundCopyJobs *iface)
{
    return BGC_IMPL_FROM(bgc_enum_jobs, iface, iface);
}

static HRESULT enum_jobs_new(job_snapshot *snap, size_t pos, int counted,
                             IEnumBackgroundCopyJobs **out);

static HRESULT STDMETHODCALLTYPE enumj_QueryInterface(IEnumBackgroundCopyJobs *iface,
                                                      REFIID riid, void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IEnumBackgroundCopyJobs)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE enumj_AddRef(IEnumBackgroundCopyJobs *iface)
{
    return atomic_fetch_add(&impl_from_IEnumBackgroundCopyJobs(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE enumj_Release(IEnumBackgroundCopyJobs *iface)
{
    bgc_enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    ULONG left = atomic_fetch_sub(&e->ref, 1) - 1;
    if (left == 0) {
        int counted = e->counted;
        snapshot_release(e->snap);
        bgc_cursor_destroy(&e->cursor);
        free(e);
        if (counted)
            bgc_live_release();
    }
    return left;
}

typedef struct jobs_out {
    job_snapshot *snap;
    IBackgroundCopyJob **rgelt;
    int counted;
} jobs_out;

static HRESULT make_job(void *ctx, size_t index, ULONG slot)
{
    jobs_out *o = ctx;
    bgcopy_job *h = o->snap->jobs[index];
    bgcopy_job_addref(h);                    /* the new object's handle */
    return bgc_job_create(h, o->counted, &o->rgelt[slot]);
}

static void drop_job(void *ctx, ULONG slot)
{
    jobs_out *o = ctx;
    o->rgelt[slot]->lpVtbl->Release(o->rgelt[slot]);
    o->rgelt[slot] = NULL;
}

/* IEnumBackgroundCopyJobs::Next: up to |celt| new job objects (each with one
 * reference for the caller).  S_OK when celt were returned, S_FALSE when
 * fewer remained.  pceltFetched may be NULL only when celt == 1
 * (E_INVALIDARG otherwise); rgelt NULL is E_INVALIDARG.  On E_OUTOFMEMORY
 * nothing is returned and the cursor does not move. */
static HRESULT STDMETHODCALLTYPE enumj_Next(IEnumBackgroundCopyJobs *iface, ULONG celt,
                                            IBackgroundCopyJob **rgelt, ULONG *pceltFetched)
{
    bgc_enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    jobs_out o = {e->snap, rgelt, !bgc_in_notification()};
    return bgc_cursor_next(&e->cursor, celt, rgelt != NULL, pceltFetched, make_job, drop_job, &o);
}

/* IEnumBackgroundCopyJobs::Skip: S_OK, or S_FALSE (cursor at the end) when
 * fewer than celt jobs remained. */
static HRESULT STDMETHODCALLTYPE enumj_Skip(IEnumBackgroundCopyJobs *iface, ULONG celt)
{
    return bgc_cursor_skip(&impl_from_IEnumBackgroundCopyJobs(iface)->cursor, celt);
}

/* IEnumBackgroundCopyJobs::Reset: cursor back to the first job.  S_OK. */
static HRESULT STDMETHODCALLTYPE enumj_Reset(IEnumBackgroundCopyJobs *iface)
{
    bgc_cursor_reset(&impl_from_IEnumBackgroundCopyJobs(iface)->cursor);
    return S_OK;
}

/* IEnumBackgroundCopyJobs::Clone: a new enumerator over the same snapshot
 * at the same position.  E_INVALIDARG (ppenum NULL), E_OUTOFMEMORY. */
static HRESULT STDMETHODCALLTYPE enumj_Clone(IEnumBackgroundCopyJobs *iface,
                                             IEnumBackgroundCopyJobs **ppenum)
{
    bgc_enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    if (!ppenum)
        return E_INVALIDARG;
    *ppenum = NULL;
    atomic_fetch_add(&e->snap->ref, 1);
    HRESULT hr = enum_jobs_new(e->snap, bgc_cursor_position(&e->cursor), !bgc_in_notification(),
                               ppenum);
    if (FAILED(hr))
        snapshot_release(e->snap);
    return hr;
}

/* IEnumBackgroundCopyJobs::GetCount: number of jobs in the snapshot. */
static HRESULT STDMETHODCALLTYPE enumj_GetCount(IEnumBackgroundCopyJobs *iface, ULONG *puCount)
{
    bgc_enum_jobs *e = impl_from_IEnumBackgroundCopyJobs(iface);
    if (!puCount)
        return E_INVALIDARG;
    *puCount = (ULONG)e->snap->count;
    return S_OK;
}

static const IEnumBackgroundCopyJobsVtbl enum_jobs_vtbl = {
    enumj_QueryInterface,
    enumj_AddRef,
    enumj_Release,
    enumj_Next,
    enumj_Skip,
    enumj_Reset,
    enumj_Clone,
    enumj_GetCount,
};

/* Takes over one reference on |snap| (kept on success only). */
static HRESULT enum_jobs_new(job_snapshot *snap, size_t pos, int counted,
                             IEnumBackgroundCopyJobs **out)
{
    bgc_enum_jobs *e = calloc(1, sizeof *e);
    if (!e)
        return E_OUTOFMEMORY;
    if (bgc_cursor_init(&e->cursor, snap->count, pos) != 0) {
        free(e);
        return E_OUTOFMEMORY;
    }
    BGC_SET_VTBL(&e->iface, &enum_jobs_vtbl);
    atomic_init(&e->ref, 1);
    e->snap = snap;
    e->counted = counted;
    if (counted)
        bgc_live_add();
    *out = &e->iface;
    return S_OK;
}

HRESULT bgc_enum_jobs_create(bgcopy_job **jobs, size_t count, int counted,
                             IEnumBackgroundCopyJobs **out)
{
    if (out)
        *out = NULL;
    if (!out || (!jobs && count > 0)) {
        bgcopy_job_list_free(jobs, count);
        return E_INVALIDARG;
    }
    job_snapshot *s = calloc(1, sizeof *s);
    if (!s) {
        bgcopy_job_list_free(jobs, count);
        return E_OUTOFMEMORY;
    }
    atomic_init(&s->ref, 1);
    s->jobs = jobs;
    s->count = count;
    HRESULT hr = enum_jobs_new(s, 0, counted, out);
    if (FAILED(hr))
        snapshot_release(s);
    return hr;
}
