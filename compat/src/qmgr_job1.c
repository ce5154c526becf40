/*
 * qmgr_job1.c - IBackgroundCopyJob1, the one job (file list) of a BITS 1.0
 * group (spec §4.2).  Like the group object it holds only the group's GUID
 * and looks the group up on every call.
 */
#include "qmgr_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <wchar.h>

typedef struct qm_job1_obj {
    IBackgroundCopyJob1 iface;
    _Atomic ULONG ref;
    IBackgroundCopyManager *mgr;
    GUID group;
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
        free(o);
        mgr->lpVtbl->Release(mgr);
    }
    return left;
}

/* The group of this job, lock held; NULL (and unlocked) when it is gone or
 * its job was never created. */
static qm_group *lock_group(qm_job1_obj *o)
{
    qm_lock();
    qm_group *g = qm_find_locked(&o->group);
    if (!g || !g->has_job1) {
        qm_unlock();
        return NULL;
    }
    return g;
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
    qm_group *g = lock_group(o);
    if (!g)
        return QM_E_ITEM_NOT_FOUND;
    HRESULT hr = qm_progress_locked(o->mgr, g, dwFlags, pdwProgress);
    qm_unlock();
    return hr;
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
    qm_group *g = lock_group(o);
    if (!g)
        return QM_E_ITEM_NOT_FOUND;
    HRESULT hr = qm_status_locked(o->mgr, g, NULL, pdwStatus, pdwWin32Result, pdwTransportResult,
                                  pdwNumOfRetries, NULL);
    qm_unlock();
    return hr;
}

/* 1 when |s| starts with the lower-case ASCII |prefix|, ignoring case. */
static int has_prefix_nocase(const WCHAR *s, const WCHAR *prefix)
{
    for (; *prefix; s++, prefix++) {
        WCHAR c = *s;
        if (c >= L'A' && c <= L'Z')
            c = (WCHAR)(c - L'A' + L'a');
        if (c != *prefix)
            return 0;
    }
    return 1;
}

/* IBackgroundCopyJob1::AddFiles: |ppFileSet| is an array of |cFileCount|
 * pointers to FILESETINFO (the MIDL shape of [size_is] FILESETINFO**).
 * All or nothing is checked per file in order: E_INVALIDARG for a NULL
 * entry or name, an unsupported protocol or a bad local name; the modern
 * AddFile's errors otherwise (E_ACCESSDENIED, ...).  Files before a failing
 * one stay added.  QM_E_INVALID_STATE for a complete group.  dwSizeHint is
 * ignored (not supported on Windows either). */
static HRESULT STDMETHODCALLTYPE j_AddFiles(IBackgroundCopyJob1 *iface, ULONG cFileCount,
                                            FILESETINFO **ppFileSet)
{
    qm_job1_obj *o = impl(iface);
    if (cFileCount == 0)
        return S_OK;
    if (!ppFileSet)
        return E_INVALIDARG;
    qm_group *g = lock_group(o);
    if (!g)
        return QM_E_ITEM_NOT_FOUND;
    HRESULT hr = S_OK;
    IBackgroundCopyJob *job = NULL;
    if (g->done)
        hr = QM_E_INVALID_STATE;
    else
        hr = qm_job_locked(o->mgr, g, &job);
    for (ULONG i = 0; SUCCEEDED(hr) && i < cFileCount; i++) {
        const FILESETINFO *fs = ppFileSet[i];
        if (!fs || !fs->bstrRemoteFile || !fs->bstrLocalFile) {
            hr = E_INVALIDARG;
            break;
        }
        /* Only HTTP(S) is a QM protocol (QM_PROTOCOL_HTTP). */
        if (!has_prefix_nocase(fs->bstrRemoteFile, L"http://") &&
            !has_prefix_nocase(fs->bstrRemoteFile, L"https://")) {
            hr = E_INVALIDARG;
            break;
        }
        qm_file *grown = realloc(g->files, (g->file_count + 1) * sizeof *grown);
        if (!grown) {
            hr = E_OUTOFMEMORY;
            break;
        }
        g->files = grown;
        qm_file f = {qm_wcsdup(fs->bstrRemoteFile), qm_wcsdup(fs->bstrLocalFile)};
        if (!f.remote || !f.local) {
            free(f.remote);
            free(f.local);
            hr = E_OUTOFMEMORY;
            break;
        }
        hr = job->lpVtbl->AddFile(job, f.remote, f.local);
        if (FAILED(hr)) {
            free(f.remote);
            free(f.local);
            break;
        }
        g->files[g->file_count++] = f;
    }
    if (job)
        job->lpVtbl->Release(job);
    qm_unlock();
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
    qm_group *g = lock_group(o);
    if (!g)
        return QM_E_ITEM_NOT_FOUND;
    HRESULT hr = S_OK;
    if (cFileIndex >= g->file_count) {
        hr = QM_E_ITEM_NOT_FOUND;
    } else {
        pFileInfo->bstrRemoteFile = SysAllocString(g->files[cFileIndex].remote);
        pFileInfo->bstrLocalFile = SysAllocString(g->files[cFileIndex].local);
        if (!pFileInfo->bstrRemoteFile || !pFileInfo->bstrLocalFile) {
            SysFreeString(pFileInfo->bstrRemoteFile);
            SysFreeString(pFileInfo->bstrLocalFile);
            memset(pFileInfo, 0, sizeof *pFileInfo);
            hr = E_OUTOFMEMORY;
        }
    }
    qm_unlock();
    return hr;
}

/* IBackgroundCopyJob1::GetFileCount. */
static HRESULT STDMETHODCALLTYPE j_GetFileCount(IBackgroundCopyJob1 *iface, DWORD *pdwFileCount)
{
    qm_job1_obj *o = impl(iface);
    if (!pdwFileCount)
        return E_INVALIDARG;
    *pdwFileCount = 0;
    qm_group *g = lock_group(o);
    if (!g)
        return QM_E_ITEM_NOT_FOUND;
    *pdwFileCount = g->file_count;
    qm_unlock();
    return S_OK;
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
    qm_group *g = lock_group(o);
    if (!g)
        return QM_E_ITEM_NOT_FOUND;
    *pguidJobID = g->job1_id;
    qm_unlock();
    return S_OK;
}

static const IBackgroundCopyJob1Vtbl job1_vtbl = {
    j_QueryInterface, j_AddRef, j_Release,
    j_CancelJob, j_GetProgress, j_GetStatus, j_AddFiles, j_GetFile, j_GetFileCount,
    j_SwitchToForeground, j_get_JobID,
};

HRESULT qm_job1_create(IBackgroundCopyManager *mgr, const GUID *id, IBackgroundCopyJob1 **out)
{
    *out = NULL;
    qm_job1_obj *o = calloc(1, sizeof *o);
    if (!o)
        return E_OUTOFMEMORY;
    BGC_SET_VTBL(&o->iface, &job1_vtbl);
    atomic_init(&o->ref, 1);
    mgr->lpVtbl->AddRef(mgr);
    o->mgr = mgr;
    o->group = *id;
    *out = &o->iface;
    return S_OK;
}
