/*
 * qmgr_manager.c - IBackgroundCopyQMgr (CLSID_BackgroundCopyQMgr), the BITS
 * 1.0 queue manager (spec §4.2), over the shared engine: the object holds an
 * IBackgroundCopyManager (so it is a live object of the engine and both
 * APIs see one queue) and the groups live in the process-wide table.
 */
#include "qmgr_internal.h"
#include "class_registry.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct qm_qmgr {
    IBackgroundCopyQMgr iface;
    _Atomic ULONG ref;
    IBackgroundCopyManager *mgr;
} qm_qmgr;

static qm_qmgr *impl(IBackgroundCopyQMgr *iface)
{
    return BGC_IMPL_FROM(qm_qmgr, iface, iface);
}

static HRESULT STDMETHODCALLTYPE q_QueryInterface(IBackgroundCopyQMgr *iface, REFIID riid,
                                                  void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IBackgroundCopyQMgr)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE q_AddRef(IBackgroundCopyQMgr *iface)
{
    return atomic_fetch_add(&impl(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE q_Release(IBackgroundCopyQMgr *iface)
{
    qm_qmgr *q = impl(iface);
    ULONG left = atomic_fetch_sub(&q->ref, 1) - 1;
    if (left == 0) {
        IBackgroundCopyManager *mgr = q->mgr;
        free(q);
        mgr->lpVtbl->Release(mgr);
    }
    return left;
}

/* IBackgroundCopyQMgr::CreateGroup: a new, suspended group named
 * |guidGroupID| (by value), with a modern download job behind it whose
 * notifications the queue manager receives.  E_INVALIDARG when a group
 * with that GUID exists. */
static HRESULT STDMETHODCALLTYPE q_CreateGroup(IBackgroundCopyQMgr *iface, GUID guidGroupID,
                                               IBackgroundCopyGroup **ppGroup)
{
    qm_qmgr *q = impl(iface);
    if (!ppGroup)
        return E_INVALIDARG;
    *ppGroup = NULL;
    qm_lock();
    if (qm_find_locked(&guidGroupID)) {
        qm_unlock();
        return E_INVALIDARG;
    }
    /* The modern job's display name is the group GUID until DISPLAYNAME is set. */
    WCHAR name[40];
    StringFromGUID2(&guidGroupID, name, 40);
    GUID job_id;
    IBackgroundCopyJob *job = NULL;
    HRESULT hr = q->mgr->lpVtbl->CreateJob(q->mgr, name, BG_JOB_TYPE_DOWNLOAD, &job_id, &job);
    qm_group *g = NULL;
    if (SUCCEEDED(hr))
        hr = qm_insert_locked(&guidGroupID, &job_id, &g);
    IUnknown *sink = NULL;
    if (SUCCEEDED(hr))
        hr = qm_sink_create(&guidGroupID, q->mgr, &sink);
    if (SUCCEEDED(hr))
        hr = job->lpVtbl->SetNotifyInterface(job, sink);
    if (SUCCEEDED(hr))
        job->lpVtbl->GetMinimumRetryDelay(job, &g->retry_delay_s);
    if (FAILED(hr)) {
        IBackgroundCopyCallback1 *none;
        if (g)
            qm_remove_locked(&guidGroupID, &none);
        if (job)
            job->lpVtbl->Cancel(job);
    }
    qm_unlock();
    if (sink)
        sink->lpVtbl->Release(sink);
    if (job)
        job->lpVtbl->Release(job);
    if (FAILED(hr))
        return hr;
    return qm_group_create(q->mgr, &guidGroupID, ppGroup);
}

/* IBackgroundCopyQMgr::GetGroup: a new object for group |groupID| (by
 * value).  QM_E_ITEM_NOT_FOUND when there is no such group, or when its
 * job is gone from the engine (the engine was closed: its queue is not
 * persisted), in which case the group is dropped.  Every group belongs to
 * the calling user, so the ownership transfer of Windows is a no-op. */
static HRESULT STDMETHODCALLTYPE q_GetGroup(IBackgroundCopyQMgr *iface, GUID groupID,
                                            IBackgroundCopyGroup **ppGroup)
{
    qm_qmgr *q = impl(iface);
    if (!ppGroup)
        return E_INVALIDARG;
    *ppGroup = NULL;
    IBackgroundCopyCallback1 *stale_sink = NULL;
    qm_lock();
    qm_group *g = qm_find_locked(&groupID);
    HRESULT hr = g ? S_OK : QM_E_ITEM_NOT_FOUND;
    if (g && !g->done) {
        IBackgroundCopyJob *job;
        hr = qm_job_locked(q->mgr, g, &job);
        if (SUCCEEDED(hr))
            job->lpVtbl->Release(job);
        else
            qm_remove_locked(&groupID, &stale_sink);
    }
    qm_unlock();
    if (stale_sink)
        stale_sink->lpVtbl->Release(stale_sink);
    if (FAILED(hr))
        return hr;
    return qm_group_create(q->mgr, &groupID, ppGroup);
}

/* IBackgroundCopyQMgr::EnumGroups: a snapshot of the GUIDs of all groups
 * (all belong to the calling user), oldest first.  dwFlags must be 0,
 * else E_NOTIMPL. */
static HRESULT STDMETHODCALLTYPE q_EnumGroups(IBackgroundCopyQMgr *iface, DWORD dwFlags,
                                              IEnumBackgroundCopyGroups **ppEnumGroups)
{
    (void)iface;
    if (!ppEnumGroups)
        return E_INVALIDARG;
    *ppEnumGroups = NULL;
    if (dwFlags != 0)
        return E_NOTIMPL;
    GUID *ids;
    ULONG n;
    HRESULT hr = qm_group_ids(&ids, &n);
    if (FAILED(hr))
        return hr;
    return qm_enum_groups_create(ids, n, ppEnumGroups);
}

static const IBackgroundCopyQMgrVtbl qmgr_vtbl = {
    q_QueryInterface, q_AddRef, q_Release, q_CreateGroup, q_GetGroup, q_EnumGroups,
};

/* Class entry of CLSID_BackgroundCopyQMgr (class_registry.c): a new queue
 * manager object answered as |riid| (IID_IUnknown or
 * IID_IBackgroundCopyQMgr, else E_NOINTERFACE).  Opens the shared engine if
 * needed (through the IBackgroundCopyManager constructor).  Errors also
 * E_OUTOFMEMORY and the engine's start errors.  Thread-safe. */
HRESULT bgcopy_compat_qmgr_create(REFIID riid, void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    *ppv = NULL;
    IBackgroundCopyManager *mgr = NULL;
    HRESULT hr = bgcopy_compat_manager_create(&IID_IBackgroundCopyManager, (void **)&mgr);
    if (FAILED(hr))
        return hr;
    qm_qmgr *q = calloc(1, sizeof *q);
    if (!q) {
        mgr->lpVtbl->Release(mgr);
        return E_OUTOFMEMORY;
    }
    BGC_SET_VTBL(&q->iface, &qmgr_vtbl);
    atomic_init(&q->ref, 1);
    q->mgr = mgr;
    hr = q_QueryInterface(&q->iface, riid, ppv);
    q_Release(&q->iface);
    return hr;
}
