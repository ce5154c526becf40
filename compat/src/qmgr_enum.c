/*
 * qmgr_enum.c - IEnumBackgroundCopyGroups and IEnumBackgroundCopyJobs1:
 * enumerators over a snapshot of GUIDs (spec §4.2: they yield GUIDs, not
 * interface pointers).  One implementation, instantiated for both
 * interfaces by a macro so each vtable has functions of its exact type.
 *
 * Next(celt, rgelt, pceltFetched): copies up to celt GUIDs; S_OK when celt
 * were copied, S_FALSE when fewer; pceltFetched may be NULL only when celt
 * is 1 (else E_INVALIDARG).  Skip: S_FALSE when fewer remained.  Clone: a
 * copy at the same position.  GetCount: the number of elements.
 * The cursor is guarded by a mutex, so one enumerator may be shared by
 * threads.
 */
#include "qmgr_internal.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct qm_guid_enum {
    union {
        IEnumBackgroundCopyGroups groups;
        IEnumBackgroundCopyJobs1 jobs;
    } iface;
    _Atomic ULONG ref;
    uv_mutex_t lock;
    GUID *ids;
    ULONG count;
    ULONG pos;
} qm_guid_enum;

static HRESULT enum_new(GUID *ids, ULONG count, ULONG pos, const void *vtbl, qm_guid_enum **out)
{
    *out = NULL;
    qm_guid_enum *e = calloc(1, sizeof *e);
    if (!e) {
        free(ids);
        return E_OUTOFMEMORY;
    }
    /* Both interfaces are one lpVtbl pointer; set it through the one we have. */
    e->iface.groups.lpVtbl = (void *)vtbl; /* const cast: see BGC_SET_VTBL */
    atomic_init(&e->ref, 1);
    if (uv_mutex_init(&e->lock) != 0) {
        free(ids);
        free(e);
        return E_OUTOFMEMORY;
    }
    e->ids = ids;
    e->count = count;
    e->pos = pos;
    *out = e;
    return S_OK;
}

static void enum_free(qm_guid_enum *e)
{
    uv_mutex_destroy(&e->lock);
    free(e->ids);
    free(e);
}

static HRESULT enum_next(qm_guid_enum *e, ULONG celt, GUID *rgelt, ULONG *fetched)
{
    if (!rgelt || (!fetched && celt != 1))
        return E_INVALIDARG;
    uv_mutex_lock(&e->lock);
    ULONG n = 0;
    while (n < celt && e->pos < e->count)
        rgelt[n++] = e->ids[e->pos++];
    uv_mutex_unlock(&e->lock);
    if (fetched)
        *fetched = n;
    return n == celt ? S_OK : S_FALSE;
}

static HRESULT enum_skip(qm_guid_enum *e, ULONG celt)
{
    uv_mutex_lock(&e->lock);
    ULONG left = e->count - e->pos;
    ULONG n = celt < left ? celt : left;
    e->pos += n;
    uv_mutex_unlock(&e->lock);
    return n == celt ? S_OK : S_FALSE;
}

static HRESULT enum_clone(qm_guid_enum *e, qm_guid_enum **out)
{
    uv_mutex_lock(&e->lock);
    ULONG pos = e->pos;
    uv_mutex_unlock(&e->lock);
    GUID *ids = malloc((e->count ? e->count : 1) * sizeof *ids);
    if (!ids)
        return E_OUTOFMEMORY;
    if (e->count)
        memcpy(ids, e->ids, e->count * sizeof *ids);
    return enum_new(ids, e->count, pos, e->iface.groups.lpVtbl, out);
}

#define QM_ENUM_IMPL(P, IFACE, MEMBER, IID_)                                                   \
    static qm_guid_enum *P##_impl(IFACE *iface)                                                \
    {                                                                                          \
        return BGC_IMPL_FROM(qm_guid_enum, iface.MEMBER, iface);                               \
    }                                                                                          \
    static HRESULT STDMETHODCALLTYPE P##_QueryInterface(IFACE *iface, REFIID riid, void **ppv) \
    {                                                                                          \
        if (!ppv)                                                                              \
            return E_INVALIDARG;                                                               \
        if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_)) {                      \
            *ppv = iface;                                                                      \
            iface->lpVtbl->AddRef(iface);                                                      \
            return S_OK;                                                                       \
        }                                                                                      \
        *ppv = NULL;                                                                           \
        return E_NOINTERFACE;                                                                  \
    }                                                                                          \
    static ULONG STDMETHODCALLTYPE P##_AddRef(IFACE *iface)                                    \
    {                                                                                          \
        return atomic_fetch_add(&P##_impl(iface)->ref, 1) + 1;                                 \
    }                                                                                          \
    static ULONG STDMETHODCALLTYPE P##_Release(IFACE *iface)                                   \
    {                                                                                          \
        qm_guid_enum *e = P##_impl(iface);                                                     \
        ULONG left = atomic_fetch_sub(&e->ref, 1) - 1;                                         \
        if (left == 0)                                                                         \
            enum_free(e);                                                                      \
        return left;                                                                           \
    }                                                                                          \
    static HRESULT STDMETHODCALLTYPE P##_Next(IFACE *iface, ULONG celt, GUID *rgelt,           \
                                              ULONG *fetched)                                  \
    {                                                                                          \
        return enum_next(P##_impl(iface), celt, rgelt, fetched);                               \
    }                                                                                          \
    static HRESULT STDMETHODCALLTYPE P##_Skip(IFACE *iface, ULONG celt)                        \
    {                                                                                          \
        return enum_skip(P##_impl(iface), celt);                                               \
    }                                                                                          \
    static HRESULT STDMETHODCALLTYPE P##_Reset(IFACE *iface)                                   \
    {                                                                                          \
        qm_guid_enum *e = P##_impl(iface);                                                     \
        uv_mutex_lock(&e->lock);                                                               \
        e->pos = 0;                                                                            \
        uv_mutex_unlock(&e->lock);                                                             \
        return S_OK;                                                                           \
    }                                                                                          \
    static HRESULT STDMETHODCALLTYPE P##_Clone(IFACE *iface, IFACE **out)                      \
    {                                                                                          \
        if (!out)                                                                              \
            return E_INVALIDARG;                                                               \
        *out = NULL;                                                                           \
        qm_guid_enum *c;                                                                       \
        HRESULT hr = enum_clone(P##_impl(iface), &c);                                          \
        if (SUCCEEDED(hr))                                                                     \
            *out = &c->iface.MEMBER;                                                           \
        return hr;                                                                             \
    }                                                                                          \
    static HRESULT STDMETHODCALLTYPE P##_GetCount(IFACE *iface, ULONG *puCount)                \
    {                                                                                          \
        if (!puCount)                                                                          \
            return E_INVALIDARG;                                                               \
        *puCount = P##_impl(iface)->count;                                                     \
        return S_OK;                                                                           \
    }                                                                                          \
    static const IFACE##Vtbl P##_vtbl = {                                                      \
        P##_QueryInterface, P##_AddRef, P##_Release, P##_Next,                                 \
        P##_Skip,           P##_Reset,  P##_Clone,   P##_GetCount,                             \
    };

QM_ENUM_IMPL(eg, IEnumBackgroundCopyGroups, groups, IID_IEnumBackgroundCopyGroups)
QM_ENUM_IMPL(ej, IEnumBackgroundCopyJobs1, jobs, IID_IEnumBackgroundCopyJobs1)

HRESULT qm_enum_groups_create(GUID *ids, ULONG count, IEnumBackgroundCopyGroups **out)
{
    qm_guid_enum *e;
    HRESULT hr = enum_new(ids, count, 0, &eg_vtbl, &e);
    *out = SUCCEEDED(hr) ? &e->iface.groups : NULL;
    return hr;
}

HRESULT qm_enum_jobs1_create(GUID *ids, ULONG count, IEnumBackgroundCopyJobs1 **out)
{
    qm_guid_enum *e;
    HRESULT hr = enum_new(ids, count, 0, &ej_vtbl, &e);
    *out = SUCCEEDED(hr) ? &e->iface.jobs : NULL;
    return hr;
}
