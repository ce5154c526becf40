/*
 * peercache.c - IBitsPeerCacheAdministration (BITS 3.0), a side interface of
 * the manager object, as BITS 4.0 and later answer it.
 *
 * Peer caching was replaced by BranchCache in BITS 4.0; since then every
 * method of the interface returns S_FALSE and does nothing (Microsoft's
 * IBitsPeerCacheAdministration page, docs/conformance.md).  bgcopy has no
 * peer cache either, so it answers the same way: a program written for BITS
 * 3.0 that configures peer caching keeps running instead of failing on
 * E_NOINTERFACE.  [out] values are cleared (0 or NULL) so that a caller that
 * reads them after the S_FALSE reads defined values.  No record, peer or
 * enumerator object is ever handed out, so IBitsPeerCacheRecord, IBitsPeer
 * and their enumerators have no implementation.
 *
 * The methods touch no state: thread-safe.
 */
#include "compat_objects.h"

static IBackgroundCopyManager *mgr(IBitsPeerCacheAdministration *iface)
{
    return bgc_manager_from_peercache(iface);
}

/* Identity, references: the manager's (one object, COM's QueryInterface
 * rules). */
static HRESULT STDMETHODCALLTYPE pc_QueryInterface(IBitsPeerCacheAdministration *iface,
                                                   REFIID riid, void **ppv)
{
    IBackgroundCopyManager *m = mgr(iface);
    return m->lpVtbl->QueryInterface(m, riid, ppv);
}

static ULONG STDMETHODCALLTYPE pc_AddRef(IBitsPeerCacheAdministration *iface)
{
    IBackgroundCopyManager *m = mgr(iface);
    return m->lpVtbl->AddRef(m);
}

static ULONG STDMETHODCALLTYPE pc_Release(IBitsPeerCacheAdministration *iface)
{
    IBackgroundCopyManager *m = mgr(iface);
    return m->lpVtbl->Release(m);
}

static HRESULT STDMETHODCALLTYPE pc_GetMaximumCacheSize(IBitsPeerCacheAdministration *iface,
                                                        DWORD *pBytes)
{
    (void)iface;
    if (pBytes)
        *pBytes = 0;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_SetMaximumCacheSize(IBitsPeerCacheAdministration *iface,
                                                        DWORD Bytes)
{
    (void)iface;
    (void)Bytes;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_GetMaximumContentAge(IBitsPeerCacheAdministration *iface,
                                                         ULONG *pSeconds)
{
    (void)iface;
    if (pSeconds)
        *pSeconds = 0;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_SetMaximumContentAge(IBitsPeerCacheAdministration *iface,
                                                         ULONG Seconds)
{
    (void)iface;
    (void)Seconds;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_GetConfigurationFlags(IBitsPeerCacheAdministration *iface,
                                                          DWORD *pFlags)
{
    (void)iface;
    if (pFlags)
        *pFlags = 0;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_SetConfigurationFlags(IBitsPeerCacheAdministration *iface,
                                                          DWORD Flags)
{
    (void)iface;
    (void)Flags;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_EnumRecords(IBitsPeerCacheAdministration *iface,
                                                IEnumBitsPeerCacheRecords **ppEnum)
{
    (void)iface;
    if (ppEnum)
        *ppEnum = NULL;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_GetRecord(IBitsPeerCacheAdministration *iface, REFGUID id,
                                              IBitsPeerCacheRecord **ppRecord)
{
    (void)iface;
    (void)id;
    if (ppRecord)
        *ppRecord = NULL;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_ClearRecords(IBitsPeerCacheAdministration *iface)
{
    (void)iface;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_DeleteRecord(IBitsPeerCacheAdministration *iface, REFGUID id)
{
    (void)iface;
    (void)id;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_DeleteUrl(IBitsPeerCacheAdministration *iface, LPCWSTR url)
{
    (void)iface;
    (void)url;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_EnumPeers(IBitsPeerCacheAdministration *iface,
                                              IEnumBitsPeers **ppEnum)
{
    (void)iface;
    if (ppEnum)
        *ppEnum = NULL;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_ClearPeers(IBitsPeerCacheAdministration *iface)
{
    (void)iface;
    return S_FALSE;
}

static HRESULT STDMETHODCALLTYPE pc_DiscoverPeers(IBitsPeerCacheAdministration *iface)
{
    (void)iface;
    return S_FALSE;
}

const IBitsPeerCacheAdministrationVtbl bgc_peercache_vtbl = {
    pc_QueryInterface,
    pc_AddRef,
    pc_Release,
    pc_GetMaximumCacheSize,
    pc_SetMaximumCacheSize,
    pc_GetMaximumContentAge,
    pc_SetMaximumContentAge,
    pc_GetConfigurationFlags,
    pc_SetConfigurationFlags,
    pc_EnumRecords,
    pc_GetRecord,
    pc_ClearRecords,
    pc_DeleteRecord,
    pc_DeleteUrl,
    pc_EnumPeers,
    pc_ClearPeers,
    pc_DiscoverPeers,
};
