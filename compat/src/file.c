/*
 * file.c - IBackgroundCopyFile: one file of a job, named by (job handle,
 * file index).  Files cannot be removed from a job, so an index stays valid
 * for the job's lifetime; every getter reads the live values from the job.
 */
#include "compat_objects.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct bgc_file {
    IBackgroundCopyFile iface;
    _Atomic ULONG ref;
    bgcopy_job *job;
    uint32_t index;
    int counted;
} bgc_file;

static bgc_file *impl_from_IBackgroundCopyFile(IBackgroundCopyFile *iface)
{
    return BGC_IMPL_FROM(bgc_file, iface, iface);
}

static HRESULT STDMETHODCALLTYPE file_QueryInterface(IBackgroundCopyFile *iface, REFIID riid,
                                                     void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IBackgroundCopyFile)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE file_AddRef(IBackgroundCopyFile *iface)
{
    return atomic_fetch_add(&impl_from_IBackgroundCopyFile(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE file_Release(IBackgroundCopyFile *iface)
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
static HRESULT STDMETHODCALLTYPE file_GetRemoteName(IBackgroundCopyFile *iface, LPWSTR *pVal)
{
    return file_name(impl_from_IBackgroundCopyFile(iface), 1, pVal);
}

/* IBackgroundCopyFile::GetLocalName: the absolute destination path. */
static HRESULT STDMETHODCALLTYPE file_GetLocalName(IBackgroundCopyFile *iface, LPWSTR *pVal)
{
    return file_name(impl_from_IBackgroundCopyFile(iface), 0, pVal);
}

/* IBackgroundCopyFile::GetProgress. */
static HRESULT STDMETHODCALLTYPE file_GetProgress(IBackgroundCopyFile *iface,
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

static const IBackgroundCopyFileVtbl file_vtbl = {
    file_QueryInterface,
    file_AddRef,
    file_Release,
    file_GetRemoteName,
    file_GetLocalName,
    file_GetProgress,
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
    *out = &f->iface;
    return S_OK;
}
