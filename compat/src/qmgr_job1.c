/*
 * qmgr_job1.c - IBackgroundCopyJob1, the one job (file list) of a BITS 1.0
 * group (spec §4.2), over the native group API: like the group object it
 * holds a bgcopy_group handle; the file list is the group's job's.
 */
#include "qmgr_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <wchar.h>

typedef struct qm_job1_obj {
    IBackgroundCopyJob1 iface;
    _Atomic ULONG ref;
    IBackgroundCopyManager *mgr; /* NULL for an object made for a notification */
    bgcopy_group *g;
} qm_job1_obj;

static qm_job1_obj *impl(IBackgroundCopyJob1 *iface)
{
    return BGC_IMPL_FROM(qm_job1_obj, iface, iface);
}

static HRESULT STDMETHODCALLTYPE j_QueryInterface(IBackgroundCopyJob1 *iface, REFIID riid,
                                                  void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IBackgroundCopyJob1)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE j_AddRef(IBackgroundCopyJob1 *iface)
{
    return atomic_fetch_add(&impl(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE j_Release(IBackgroundCopyJob1 *iface)
{
    qm_job1_obj *o = impl(iface);
    ULONG left = atomic_fetch_sub(&o->ref, 1) - 1;
    if (left == 0) {
        IBackgroundCopyManager *mgr = o->mgr;
        bgcopy_group_release(o->g);
        free(o);
        if (mgr)
            mgr->lpVtbl->Release(mgr);
    }
    return left;
}

/* S_OK while the group exists and has its job (CreateJob was called),
 * else QM_E_ITEM_NOT_FOUND. */
static HRESULT check_job1(qm_job1_obj *o)
{
    bgcopy_guid id;
    return bgcopy_group_get_job_id(o->g, &id) == BGCOPY_S_OK ? S_OK : QM_E_ITEM_NOT_FOUND;
}

/* IBackgroundCopyJob1::CancelJob: documented by Windows as not
 * implemented; returns E_NOTIMPL (UNCONFIRMED code; cancel the group). */
static HRESULT STDMETHODCALLTYPE j_CancelJob(IBackgroundCopyJob1 *iface)
{
    (void)iface;
    return E_NOTIMPL;
}

/* IBackgroundCopyJob1::GetProgress: as IBackgroundCopyGroup::GetProgress
 * (the job is the group's only one). */
static HRESULT STDMETHODCALLTYPE j_GetProgress(IBackgroundCopyJob1 *iface, DWORD dwFlags,
                                               DWORD *pdwProgress)
{
    qm_job1_obj *o = impl(iface);
    HRESULT hr = check_job1(o);
    if (FAILED(hr))
        return hr;
    return qm_progress(o->g, dwFlags, pdwProgress);
}

/* IBackgroundCopyJob1::GetStatus: QM_STATUS_JOB_* bits; with
 * QM_STATUS_JOB_ERROR also the Win32 result, the HTTP status (0 when the
 * error is not an HTTP status) and the retry count (times the job went into
 * error), else those three are 0.  QM_STATUS_JOB_FOREGROUND is never set
 * ("not supported" on Windows). */
static HRESULT STDMETHODCALLTYPE j_GetStatus(IBackgroundCopyJob1 *iface, DWORD *pdwStatus,
                                             DWORD *pdwWin32Result, DWORD *pdwTransportResult,
                                             DWORD *pdwNumOfRetries)
{
    qm_job1_obj *o = impl(iface);
    if (!pdwStatus || !pdwWin32Result || !pdwTransportResult || !pdwNumOfRetries)
        return E_INVALIDARG;
    HRESULT hr = check_job1(o);
    bgcopy_group_status st;
    if (SUCCEEDED(hr))
        hr = qm_hr(bgcopy_group_get_status(o->g, &st));
    if (FAILED(hr))
        return hr;
    *pdwStatus = st.job_status;
    *pdwWin32Result = *pdwTransportResult = *pdwNumOfRetries = 0;
    if (st.job_status & QM_STATUS_JOB_ERROR) {
        qm_split_error(st.error, pdwWin32Result, pdwTransportResult);
        *pdwNumOfRetries = st.error_count;
    }
    return S_OK;
}

/* IBackgroundCopyJob1::AddFiles: |ppFileSet| is an array of |cFileCount|
 * pointers to FILESETINFO (the MIDL shape of [size_is] FILESETINFO**).
 * Checked per file in order: E_INVALIDARG for a NULL entry or name, an
 * unsupported protocol (only http:// and https://, QM_PROTOCOL_HTTP) or a
 * bad local name; the modern AddFile's errors otherwise (E_ACCESSDENIED,
 * ...).  Files before a failing one stay added.  QM_E_INVALID_STATE for a
 * complete group.  dwSizeHint is ignored (not supported on Windows
 * either). */
static HRESULT STDMETHODCALLTYPE j_AddFiles(IBackgroundCopyJob1 *iface, ULONG cFileCount,
                                            FILESETINFO **ppFileSet)
{
    qm_job1_obj *o = impl(iface);
    if (cFileCount == 0)
        return S_OK;
    if (!ppFileSet)
        return E_INVALIDARG;
    HRESULT hr = check_job1(o);
    for (ULONG i = 0; SUCCEEDED(hr) && i < cFileCount; i++) {
        const FILESETINFO *fs = ppFileSet[i];
        char *remote = NULL, *local = NULL;
        if (!fs || !fs->bstrRemoteFile || !fs->bstrLocalFile) {
            /* a complete group refuses first, whatever the files */
            hr = qm_hr(bgcopy_group_add_file(o->g, NULL, NULL));
            break;
        }
        hr = bgc_wstr_to_utf8(fs->bstrRemoteFile, &remote);
        if (SUCCEEDED(hr))
            hr = bgc_wstr_to_utf8(fs->bstrLocalFile, &local);
        if (SUCCEEDED(hr))
            hr = qm_hr(bgcopy_group_add_file(o->g, remote, local));
        else if (hr != E_OUTOFMEMORY)
            hr = E_INVALIDARG;
        bgcopy_free(remote);
        bgcopy_free(local);
    }
    return hr;
}

/* IBackgroundCopyJob1::GetFile: file |cFileIndex| (0-based) as two new
 * BSTRs the caller frees with SysFreeString; dwSizeHint 0.
 * QM_E_ITEM_NOT_FOUND when the index is past the end. */
static HRESULT STDMETHODCALLTYPE j_GetFile(IBackgroundCopyJob1 *iface, ULONG cFileIndex,
                                           FILESETINFO *pFileInfo)
{
    qm_job1_obj *o = impl(iface);
    if (!pFileInfo)
        return E_INVALIDARG;
    memset(pFileInfo, 0, sizeof *pFileInfo);
    HRESULT hr = check_job1(o);
    if (FAILED(hr))
        return hr;
    bgcopy_job *job = NULL;
    bgcopy_group_get_job(o->g, &job);
    bgcopy_file_info fi;
    memset(&fi, 0, sizeof fi);
    uint32_t count = 0;
    hr = bgcopy_job_get_file_count(job, &count);
    if (SUCCEEDED(hr) && cFileIndex >= count)
        hr = QM_E_ITEM_NOT_FOUND;
    if (SUCCEEDED(hr))
        hr = bgcopy_job_get_file(job, (uint32_t)cFileIndex, &fi);
    WCHAR *remote = NULL, *local = NULL;
    if (SUCCEEDED(hr))
        hr = bgc_utf8_to_wstr_alloc(fi.remote_name, malloc, &remote);
    if (SUCCEEDED(hr))
        hr = bgc_utf8_to_wstr_alloc(fi.local_name, malloc, &local);
    if (SUCCEEDED(hr)) {
        pFileInfo->bstrRemoteFile = SysAllocString(remote);
        pFileInfo->bstrLocalFile = SysAllocString(local);
        if (!pFileInfo->bstrRemoteFile || !pFileInfo->bstrLocalFile) {
            SysFreeString(pFileInfo->bstrRemoteFile);
            SysFreeString(pFileInfo->bstrLocalFile);
            memset(pFileInfo, 0, sizeof *pFileInfo);
            hr = E_OUTOFMEMORY;
        }
    }
    free(remote);
    free(local);
    bgcopy_file_info_clear(&fi);
    bgcopy_job_release(job);
    return hr;
}

/* IBackgroundCopyJob1::GetFileCount. */
static HRESULT STDMETHODCALLTYPE j_GetFileCount(IBackgroundCopyJob1 *iface, DWORD *pdwFileCount)
{
    qm_job1_obj *o = impl(iface);
    if (!pdwFileCount)
        return E_INVALIDARG;
    *pdwFileCount = 0;
    HRESULT hr = check_job1(o);
    if (FAILED(hr))
        return hr;
    bgcopy_job *job = NULL;
    bgcopy_group_get_job(o->g, &job);
    uint32_t n = 0;
    hr = bgcopy_job_get_file_count(job, &n);
    bgcopy_job_release(job);
    *pdwFileCount = n;
    return hr;
}

/* IBackgroundCopyJob1::SwitchToForeground: documented as not implemented;
 * E_NOTIMPL (use IBackgroundCopyGroup::SwitchToForeground). */
static HRESULT STDMETHODCALLTYPE j_SwitchToForeground(IBackgroundCopyJob1 *iface)
{
    (void)iface;
    return E_NOTIMPL;
}

/* IBackgroundCopyJob1::get_JobID: the GUID given to CreateJob. */
static HRESULT STDMETHODCALLTYPE j_get_JobID(IBackgroundCopyJob1 *iface, GUID *pguidJobID)
{
    qm_job1_obj *o = impl(iface);
    if (!pguidJobID)
        return E_INVALIDARG;
    bgcopy_guid id;
    if (bgcopy_group_get_job_id(o->g, &id) != BGCOPY_S_OK)
        return QM_E_ITEM_NOT_FOUND;
    memcpy(pguidJobID, &id, sizeof id);
    return S_OK;
}

static const IBackgroundCopyJob1Vtbl job1_vtbl = {
    j_QueryInterface, j_AddRef, j_Release,
    j_CancelJob, j_GetProgress, j_GetStatus, j_AddFiles, j_GetFile, j_GetFileCount,
    j_SwitchToForeground, j_get_JobID,
};

HRESULT qm_job1_create(IBackgroundCopyManager *mgr, bgcopy_group *g, IBackgroundCopyJob1 **out)
{
    *out = NULL;
    qm_job1_obj *o = calloc(1, sizeof *o);
    if (!o)
        return E_OUTOFMEMORY;
    BGC_SET_VTBL(&o->iface, &job1_vtbl);
    atomic_init(&o->ref, 1);
    if (mgr)
        mgr->lpVtbl->AddRef(mgr);
    o->mgr = mgr;
    bgcopy_group_addref(g);
    o->g = g;
    *out = &o->iface;
    return S_OK;
}
