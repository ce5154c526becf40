/*
 * file.c - the file object: IBackgroundCopyFile and File2..File6 (one File6
 * vtable serves all six, each version extending the previous one) for one
 * file of a job, named by (job handle, file index).  Files cannot be
 * removed from a job, so an index stays valid for the job's lifetime; every
 * getter reads the live values from the job.
 *
 * Each method mirrors the BITS method of the same name (spec §3.9); unless
 * its comment says otherwise it returns the native call's HRESULT,
 * E_INVALIDARG for a NULL [out] pointer, and may be called from any thread,
 * including from inside a notification callback.
 */
#include "compat_objects.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct bgc_file {
    IBackgroundCopyFile6 iface; /* also File, File2..File5 */
    _Atomic ULONG ref;
    bgcopy_job *job;
    uint32_t index;
    int counted;
} bgc_file;

static bgc_file *impl_from_IBackgroundCopyFile(IBackgroundCopyFile6 *iface)
{
    return BGC_IMPL_FROM(bgc_file, iface, iface);
}

static HRESULT STDMETHODCALLTYPE file_QueryInterface(IBackgroundCopyFile6 *iface, REFIID riid,
                                                     void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IBackgroundCopyFile) ||
        bgc_iid_eq(riid, &IID_IBackgroundCopyFile2) || bgc_iid_eq(riid, &IID_IBackgroundCopyFile3) ||
        bgc_iid_eq(riid, &IID_IBackgroundCopyFile4) || bgc_iid_eq(riid, &IID_IBackgroundCopyFile5) ||
        bgc_iid_eq(riid, &IID_IBackgroundCopyFile6)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE file_AddRef(IBackgroundCopyFile6 *iface)
{
    return atomic_fetch_add(&impl_from_IBackgroundCopyFile(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE file_Release(IBackgroundCopyFile6 *iface)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    ULONG left = atomic_fetch_sub(&f->ref, 1) - 1;
    if (left == 0) {
        int counted = f->counted;
        bgcopy_job_release(f->job);
        free(f);
        if (counted)
            bgc_live_release();
    }
    return left;
}

/* Shared by GetRemoteName and GetLocalName: one native copy, one string out. */
static HRESULT file_name(bgc_file *f, int remote, LPWSTR *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    *pVal = NULL;
    bgcopy_file_info info = {0};
    HRESULT hr = bgcopy_job_get_file(f->job, f->index, &info);
    if (FAILED(hr))
        return hr;
    hr = bgc_utf8_to_cotask_wstr(remote ? info.remote_name : info.local_name, pVal);
    bgcopy_file_info_clear(&info);
    return hr;
}

/* IBackgroundCopyFile::GetRemoteName: the URL (the final one after a
 * reported redirect), CoTaskMemAlloc'ed. */
static HRESULT STDMETHODCALLTYPE file_GetRemoteName(IBackgroundCopyFile6 *iface, LPWSTR *pVal)
{
    return file_name(impl_from_IBackgroundCopyFile(iface), 1, pVal);
}

/* IBackgroundCopyFile::GetLocalName: the absolute destination path. */
static HRESULT STDMETHODCALLTYPE file_GetLocalName(IBackgroundCopyFile6 *iface, LPWSTR *pVal)
{
    return file_name(impl_from_IBackgroundCopyFile(iface), 0, pVal);
}

/* IBackgroundCopyFile::GetProgress. */
static HRESULT STDMETHODCALLTYPE file_GetProgress(IBackgroundCopyFile6 *iface,
                                                  BG_FILE_PROGRESS *pVal)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    if (!pVal)
        return E_INVALIDARG;
    bgcopy_file_progress p;
    HRESULT hr = bgcopy_job_get_file_progress(f->job, f->index, &p);
    if (FAILED(hr))
        return hr;
    pVal->BytesTotal = p.bytes_total;
    pVal->BytesTransferred = p.bytes_transferred;
    pVal->Completed = p.completed ? TRUE : FALSE;
    return S_OK;
}

/* ------------------------------------------------- IBackgroundCopyFile2 */

/* Copy |n| native ranges into a CoTaskMemAlloc'ed BG_FILE_RANGE array
 * (*out NULL when n is 0).  E_OUTOFMEMORY. */
static HRESULT ranges_out(const bgcopy_file_range *r, uint32_t n, BG_FILE_RANGE **out)
{
    *out = NULL;
    if (n == 0)
        return S_OK;
    BG_FILE_RANGE *a = CoTaskMemAlloc((SIZE_T)n * sizeof *a);
    if (!a)
        return E_OUTOFMEMORY;
    for (uint32_t i = 0; i < n; i++) {
        a[i].InitialOffset = r[i].initial_offset;
        a[i].Length = r[i].length;
    }
    *out = a;
    return S_OK;
}

/* IBackgroundCopyFile2::GetFileRanges: the ranges given to
 * AddFileWithRanges, CoTaskMemAlloc'ed, in the caller's order; S_FALSE
 * with *RangeCount 0 and *Ranges NULL for a file without ranges. */
static HRESULT STDMETHODCALLTYPE file_GetFileRanges(IBackgroundCopyFile6 *iface, DWORD *RangeCount,
                                                    BG_FILE_RANGE **Ranges)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    if (!RangeCount || !Ranges)
        return E_INVALIDARG;
    *RangeCount = 0;
    *Ranges = NULL;
    bgcopy_file_range *r = NULL;
    uint32_t n = 0;
    HRESULT hr = bgcopy_job_get_file_ranges(f->job, f->index, &r, &n);
    if (hr == S_OK) {
        hr = ranges_out(r, n, Ranges);
        if (SUCCEEDED(hr))
            *RangeCount = n;
    }
    bgcopy_free(r);
    return hr;
}

/* IBackgroundCopyFile2::SetRemoteName: a new URL for this file (same rules
 * as AddFile).  Errors: E_INVALIDARG (NULL, bad or too long URL),
 * BG_E_INVALID_STATE. */
static HRESULT STDMETHODCALLTYPE file_SetRemoteName(IBackgroundCopyFile6 *iface, LPCWSTR Val)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    if (!Val)
        return E_INVALIDARG;
    char *url = NULL;
    HRESULT hr = bgc_wstr_to_utf8(Val, &url);
    if (SUCCEEDED(hr))
        hr = bgcopy_job_set_file_remote_name(f->job, f->index, url);
    free(url);
    return hr;
}

/* ------------------------------------------------- IBackgroundCopyFile3 */

/* IBackgroundCopyFile3::GetTemporaryName: absolute path of the hidden
 * temporary file, CoTaskMemAlloc'ed. */
static HRESULT STDMETHODCALLTYPE file_GetTemporaryName(IBackgroundCopyFile6 *iface,
                                                       LPWSTR *pFilename)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    if (!pFilename)
        return E_INVALIDARG;
    *pFilename = NULL;
    bgcopy_file_info info = {0};
    HRESULT hr = bgcopy_job_get_file(f->job, f->index, &info);
    if (SUCCEEDED(hr))
        hr = bgc_utf8_to_cotask_wstr(info.temporary_name ? info.temporary_name : "", pFilename);
    bgcopy_file_info_clear(&info);
    return hr;
}

/* IBackgroundCopyFile3::SetValidationState: TRUE accepts the file's
 * content, FALSE rejects it (the engine discards the bytes and fetches the
 * file again, spec §6.10).  Errors: E_PENDING (file not finished). */
static HRESULT STDMETHODCALLTYPE file_SetValidationState(IBackgroundCopyFile6 *iface, BOOL state)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    return bgcopy_job_set_file_validation_state(f->job, f->index, state ? 1 : 0);
}

/* IBackgroundCopyFile3::GetValidationState: the last state set, FALSE by
 * default. */
static HRESULT STDMETHODCALLTYPE file_GetValidationState(IBackgroundCopyFile6 *iface,
                                                         BOOL *pState)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    if (!pState)
        return E_INVALIDARG;
    int v = 0;
    HRESULT hr = bgcopy_job_get_file_validation_state(f->job, f->index, &v);
    if (SUCCEEDED(hr))
        *pState = v ? TRUE : FALSE;
    return hr;
}

/* IBackgroundCopyFile3::IsDownloadedFromPeer: always FALSE -- peer caching
 * and BranchCache do not exist here; every byte comes from the origin. */
static HRESULT STDMETHODCALLTYPE file_IsDownloadedFromPeer(IBackgroundCopyFile6 *iface,
                                                           BOOL *pVal)
{
    (void)iface;
    if (!pVal)
        return E_INVALIDARG;
    *pVal = FALSE;
    return S_OK;
}

/* ------------------------------------------------- IBackgroundCopyFile4 */

/* IBackgroundCopyFile4::GetPeerDownloadStats: *pFromOrigin = the bytes
 * transferred so far (all from the origin server), *pFromPeers = 0. */
static HRESULT STDMETHODCALLTYPE file_GetPeerDownloadStats(IBackgroundCopyFile6 *iface,
                                                           UINT64 *pFromOrigin,
                                                           UINT64 *pFromPeers)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    if (!pFromOrigin || !pFromPeers)
        return E_INVALIDARG;
    bgcopy_file_progress p;
    HRESULT hr = bgcopy_job_get_file_progress(f->job, f->index, &p);
    if (FAILED(hr))
        return hr;
    *pFromOrigin = p.bytes_transferred;
    *pFromPeers = 0;
    return S_OK;
}

/* ------------------------------------------------- IBackgroundCopyFile5 */

/* IBackgroundCopyFile5::SetProperty: the only file property BITS defines,
 * HTTP_RESPONSE_HEADERS, is read-only: BG_E_READ_ONLY_PROPERTY; any other
 * id BG_E_UNKNOWN_PROPERTY_ID. */
static HRESULT STDMETHODCALLTYPE file_SetProperty(IBackgroundCopyFile6 *iface,
                                                  BITS_FILE_PROPERTY_ID PropertyId,
                                                  BITS_FILE_PROPERTY_VALUE PropertyValue)
{
    (void)iface;
    (void)PropertyValue;
    return PropertyId == BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS ? BG_E_READ_ONLY_PROPERTY
                                                                     : BG_E_UNKNOWN_PROPERTY_ID;
}

/* IBackgroundCopyFile5::GetProperty: HTTP_RESPONSE_HEADERS is E_NOTIMPL
 * (the engine does not keep the last response's header block); any other
 * id BG_E_UNKNOWN_PROPERTY_ID; E_INVALIDARG for a NULL PropertyValue. */
static HRESULT STDMETHODCALLTYPE file_GetProperty(IBackgroundCopyFile6 *iface,
                                                  BITS_FILE_PROPERTY_ID PropertyId,
                                                  BITS_FILE_PROPERTY_VALUE *PropertyValue)
{
    (void)iface;
    if (!PropertyValue)
        return E_INVALIDARG;
    PropertyValue->String = NULL;
    return PropertyId == BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS ? E_NOTIMPL
                                                                     : BG_E_UNKNOWN_PROPERTY_ID;
}

/* ------------------------------------------------- IBackgroundCopyFile6 */

/* IBackgroundCopyFile6::UpdateDownloadPosition: an on-demand job fetches
 * from |offset| on next.  Errors: BG_E_RANDOM_ACCESS_NOT_SUPPORTED (job not
 * in ON_DEMAND_MODE or file not eligible), BG_E_INVALID_RANGE. */
static HRESULT STDMETHODCALLTYPE file_UpdateDownloadPosition(IBackgroundCopyFile6 *iface,
                                                             UINT64 offset)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    return bgcopy_job_update_download_position(f->job, f->index, offset);
}

/* IBackgroundCopyFile6::RequestFileRanges: ask an on-demand job for these
 * byte ranges of the file.  Errors: E_INVALIDARG (count 0 or NULL array),
 * BG_E_INVALID_RANGE (outside the file), BG_E_RANDOM_ACCESS_NOT_SUPPORTED. */
static HRESULT STDMETHODCALLTYPE file_RequestFileRanges(IBackgroundCopyFile6 *iface,
                                                        DWORD rangeCount,
                                                        const BG_FILE_RANGE ranges[])
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    if (rangeCount == 0 || !ranges)
        return E_INVALIDARG;
    bgcopy_file_range *r = malloc((size_t)rangeCount * sizeof *r);
    if (!r)
        return E_OUTOFMEMORY;
    for (DWORD i = 0; i < rangeCount; i++) {
        r[i].initial_offset = ranges[i].InitialOffset;
        r[i].length = ranges[i].Length;
    }
    HRESULT hr = bgcopy_job_request_file_ranges(f->job, f->index, r, (uint32_t)rangeCount);
    free(r);
    return hr;
}

/* IBackgroundCopyFile6::GetFilledFileRanges: the byte ranges of the file
 * already on disk, CoTaskMemAlloc'ed (*ranges NULL when none).  Errors:
 * E_OUTOFMEMORY, BG_E_RANDOM_ACCESS_NOT_SUPPORTED. */
static HRESULT STDMETHODCALLTYPE file_GetFilledFileRanges(IBackgroundCopyFile6 *iface,
                                                          DWORD *rangeCount,
                                                          BG_FILE_RANGE **ranges)
{
    bgc_file *f = impl_from_IBackgroundCopyFile(iface);
    if (!rangeCount || !ranges)
        return E_INVALIDARG;
    *rangeCount = 0;
    *ranges = NULL;
    bgcopy_file_range *r = NULL;
    uint32_t n = 0;
    HRESULT hr = bgcopy_job_get_filled_file_ranges(f->job, f->index, &r, &n);
    if (SUCCEEDED(hr)) {
        hr = ranges_out(r, n, ranges);
        if (SUCCEEDED(hr)) {
            *rangeCount = n;
            hr = S_OK;
        }
    }
    bgcopy_free(r);
    return hr;
}

static const IBackgroundCopyFile6Vtbl file_vtbl = {
    file_QueryInterface,
    file_AddRef,
    file_Release,
    file_GetRemoteName,
    file_GetLocalName,
    file_GetProgress,
    file_GetFileRanges,
    file_SetRemoteName,
    file_GetTemporaryName,
    file_SetValidationState,
    file_GetValidationState,
    file_IsDownloadedFromPeer,
    file_GetPeerDownloadStats,
    file_SetProperty,
    file_GetProperty,
    file_UpdateDownloadPosition,
    file_RequestFileRanges,
    file_GetFilledFileRanges,
};

HRESULT bgc_file_create(bgcopy_job *job, uint32_t index, int counted, IBackgroundCopyFile **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!job)
        return E_INVALIDARG;
    bgc_file *f = calloc(1, sizeof *f);
    if (!f)
        return E_OUTOFMEMORY;
    BGC_SET_VTBL(&f->iface, &file_vtbl);
    atomic_init(&f->ref, 1);
    bgcopy_job_addref(job);
    f->job = job;
    f->index = index;
    f->counted = counted;
    if (counted)
        bgc_live_add();
    /* File6's vtable starts with File's slots: the same pointer is both. */
    *out = (IBackgroundCopyFile *)(void *)&f->iface;
    return S_OK;
}
