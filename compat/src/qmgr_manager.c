/*
 * qmgr_manager.c - IBackgroundCopyQMgr (CLSID_BackgroundCopyQMgr), the BITS
 * 1.0 queue manager (spec §4.2), over the shared engine: the object holds an
 * IBackgroundCopyManager (so it is a live object of the engine and both
 * APIs see one queue); the groups are the engine's (bgcopy_group).
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
 * |guidGroupID| (by value), with a modern download job behind it
 * (bgcopy_manager_create_group).  E_INVALIDARG when a group with that GUID
 * exists. */
static HRESULT STDMETHODCALLTYPE q_CreateGroup(IBackgroundCopyQMgr *iface, GUID guidGroupID,
                                               IBackgroundCopyGroup **ppGroup)
{
    qm_qmgr *q = impl(iface);
    if (!ppGroup)
        return E_INVALIDARG;
    *ppGroup = NULL;
    bgcopy_guid id;
    memcpy(&id, &guidGroupID, sizeof id);
    bgcopy_group *g = NULL;
    HRESULT hr = bgcopy_manager_create_group(bgc_manager_engine(q->mgr), &id, &g);
    if (FAILED(hr))
        return hr;
    hr = qm_group_create(q->mgr, g, ppGroup);
    bgcopy_group_release(g);
    return hr;
}

/* IBackgroundCopyQMgr::GetGroup: a new object for group |groupID| (by
 * value).  QM_E_ITEM_NOT_FOUND when there is no such group (also when its
 * job was cancelled behind its back, or the engine was closed: the queue
 * is not persisted yet).  Every group belongs to the calling user, so the
 * ownership transfer of Windows is a no-op. */
static HRESULT STDMETHODCALLTYPE q_GetGroup(IBackgroundCopyQMgr *iface, GUID groupID,
                                            IBackgroundCopyGroup **ppGroup)
{
    qm_qmgr *q = impl(iface);
    if (!ppGroup)
        return E_INVALIDARG;
    *ppGroup = NULL;
    bgcopy_guid id;
    memcpy(&id, &groupID, sizeof id);
    bgcopy_group *g = NULL;
    HRESULT hr = qm_hr(bgcopy_manager_get_group(bgc_manager_engine(q->mgr), &id, &g));
    if (FAILED(hr))
        return hr;
    hr = qm_group_create(q->mgr, g, ppGroup);
    bgcopy_group_release(g);
    return hr;
}

/* IBackgroundCopyQMgr::EnumGroups: a snapshot of the GUIDs of all groups
 * (all belong to the calling user), oldest first.  dwFlags must be 0,
 * else E_NOTIMPL. */
static HRESULT STDMETHODCALLTYPE q_EnumGroups(IBackgroundCopyQMgr *iface, DWORD dwFlags,
                                              IEnumBackgroundCopyGroups **ppEnumGroups)
{
    qm_qmgr *q = impl(iface);
    if (!ppEnumGroups)
        return E_INVALIDARG;
    *ppEnumGroups = NULL;
    if (dwFlags != 0)
        return E_NOTIMPL;
    bgcopy_group **list = NULL;
    size_t n = 0;
    HRESULT hr = bgcopy_manager_enum_groups(bgc_manager_engine(q->mgr), &list, &n);
    if (FAILED(hr))
        return hr;
    GUID *ids = malloc((n ? n : 1) * sizeof *ids);
    for (size_t i = 0; ids && i < n; i++) {
        bgcopy_guid id;
        bgcopy_group_get_id(list[i], &id);
        memcpy(&ids[i], &id, sizeof id);
    }
    bgcopy_group_list_free(list, n);
    if (!ids)
        return E_OUTOFMEMORY;
    return qm_enum_groups_create(ids, (ULONG)n, ppEnumGroups);
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
    hr = qm_notify_register(bgc_manager_engine(mgr));
    if (FAILED(hr)) {
        free(q);
        mgr->lpVtbl->Release(mgr);
        return hr;
    }
    BGC_SET_VTBL(&q->iface, &qmgr_vtbl);
    atomic_init(&q->ref, 1);
    q->mgr = mgr;
    hr = q_QueryInterface(&q->iface, riid, ppv);
    q_Release(&q->iface);
    return hr;
}
