/*
 * enum_files.c - IEnumBackgroundCopyFiles: the files a job had when
 * IBackgroundCopyJob::EnumFiles was called.  Files are never removed from a
 * job, so the snapshot is just (job handle, file count); each Next makes
 * file objects for the next indexes.  The cursor is mutex-guarded so one
 * enumerator shared between threads stays race-free.
 */
#include "compat_objects.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct bgc_enum_files {
    IEnumBackgroundCopyFiles iface;
    _Atomic ULONG ref;
    bgcopy_job *job;
    uint32_t count;
    pthread_mutex_t lock; /* guards pos */
    uint32_t pos;
    int counted;
} bgc_enum_files;

static bgc_enum_files *impl_from_IEnumBackgroundCopyFiles(IEnumBackgroundCopyFiles *iface)
{
    return BGC_IMPL_FROM(bgc_enum_files, iface, iface);
}

static HRESULT enum_files_new(bgcopy_job *job, uint32_t count, uint32_t pos, int counted,
                              IEnumBackgroundCopyFiles **out);

static HRESULT STDMETHODCALLTYPE enumf_QueryInterface(IEnumBackgroundCopyFiles *iface,
                                                      REFIID riid, void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IEnumBackgroundCopyFiles)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE enumf_AddRef(IEnumBackgroundCopyFiles *iface)
{
    return atomic_fetch_add(&impl_from_IEnumBackgroundCopyFiles(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE enumf_Release(IEnumBackgroundCopyFiles *iface)
{
    bgc_enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    ULONG left = atomic_fetch_sub(&e->ref, 1) - 1;
    if (left == 0) {
        int counted = e->counted;
        bgcopy_job_release(e->job);
        pthread_mutex_destroy(&e->lock);
        free(e);
        if (counted)
            bgc_live_release();
    }
    return left;
}

/* IEnumBackgroundCopyFiles::Next: up to |celt| new file objects.  S_OK when
 * celt were returned, S_FALSE when fewer remained.  pceltFetched may be NULL
 * only when celt == 1 (E_INVALIDARG otherwise); rgelt NULL is E_INVALIDARG.
 * On E_OUTOFMEMORY nothing is returned and the cursor does not move. */
static HRESULT STDMETHODCALLTYPE enumf_Next(IEnumBackgroundCopyFiles *iface, ULONG celt,
                                            IBackgroundCopyFile **rgelt, ULONG *pceltFetched)
{
    bgc_enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    if (!rgelt || (!pceltFetched && celt != 1))
        return E_INVALIDARG;
    if (pceltFetched)
        *pceltFetched = 0;
    int counted = !bgc_in_notification();
    pthread_mutex_lock(&e->lock);
    ULONG got = 0;
    while (got < celt && e->pos + got < e->count) {
        HRESULT hr = bgc_file_create(e->job, e->pos + got, counted, &rgelt[got]);
        if (FAILED(hr)) {
            while (got > 0) {
                got--;
                rgelt[got]->lpVtbl->Release(rgelt[got]);
                rgelt[got] = NULL;
            }
            pthread_mutex_unlock(&e->lock);
            return hr;
        }
        got++;
    }
    e->pos += got;
    pthread_mutex_unlock(&e->lock);
    if (pceltFetched)
        *pceltFetched = got;
    return got == celt ? S_OK : S_FALSE;
}

/* IEnumBackgroundCopyFiles::Skip: S_OK, or S_FALSE (cursor at the end)
 * when fewer than celt files remained. */
static HRESULT STDMETHODCALLTYPE enumf_Skip(IEnumBackgroundCopyFiles *iface, ULONG celt)
{
    bgc_enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    HRESULT hr = S_OK;
    pthread_mutex_lock(&e->lock);
    if (celt > e->count - e->pos) {
        e->pos = e->count;
        hr = S_FALSE;
    } else {
        e->pos += celt;
    }
    pthread_mutex_unlock(&e->lock);
    return hr;
}

/* IEnumBackgroundCopyFiles::Reset: cursor back to the first file.  S_OK. */
static HRESULT STDMETHODCALLTYPE enumf_Reset(IEnumBackgroundCopyFiles *iface)
{
    bgc_enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    pthread_mutex_lock(&e->lock);
    e->pos = 0;
    pthread_mutex_unlock(&e->lock);
    return S_OK;
}

/* IEnumBackgroundCopyFiles::Clone: same files, same position.
 * E_INVALIDARG (ppenum NULL), E_OUTOFMEMORY. */
static HRESULT STDMETHODCALLTYPE enumf_Clone(IEnumBackgroundCopyFiles *iface,
                                             IEnumBackgroundCopyFiles **ppenum)
{
    bgc_enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    if (!ppenum)
        return E_INVALIDARG;
    *ppenum = NULL;
    pthread_mutex_lock(&e->lock);
    uint32_t pos = e->pos;
    pthread_mutex_unlock(&e->lock);
    return enum_files_new(e->job, e->count, pos, !bgc_in_notification(), ppenum);
}

/* IEnumBackgroundCopyFiles::GetCount: number of files in the snapshot. */
static HRESULT STDMETHODCALLTYPE enumf_GetCount(IEnumBackgroundCopyFiles *iface, ULONG *puCount)
{
    bgc_enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    if (!puCount)
        return E_INVALIDARG;
    *puCount = e->count;
    return S_OK;
}

static const IEnumBackgroundCopyFilesVtbl enum_files_vtbl = {
    enumf_QueryInterface,
    enumf_AddRef,
    enumf_Release,
    enumf_Next,
    enumf_Skip,
    enumf_Reset,
    enumf_Clone,
    enumf_GetCount,
};

/* |job| is addref'ed for the new enumerator. */
static HRESULT enum_files_new(bgcopy_job *job, uint32_t count, uint32_t pos, int counted,
                              IEnumBackgroundCopyFiles **out)
{
    bgc_enum_files *e = calloc(1, sizeof *e);
    if (!e)
        return E_OUTOFMEMORY;
    if (pthread_mutex_init(&e->lock, NULL) != 0) {
        free(e);
        return E_OUTOFMEMORY;
    }
    BGC_SET_VTBL(&e->iface, &enum_files_vtbl);
    atomic_init(&e->ref, 1);
    bgcopy_job_addref(job);
    e->job = job;
    e->count = count;
    e->pos = pos;
    e->counted = counted;
    if (counted)
        bgc_live_add();
    *out = &e->iface;
    return S_OK;
}

HRESULT bgc_enum_files_create(bgcopy_job *job, int counted, IEnumBackgroundCopyFiles **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!job)
        return E_INVALIDARG;
    uint32_t count = 0;
    HRESULT hr = bgcopy_job_get_file_count(job, &count);
    if (FAILED(hr))
        return hr;
    return enum_files_new(job, count, 0, counted, out);
}
