/*
 * enum_files.c - IEnumBackgroundCopyFiles: the files a job had when
 * IBackgroundCopyJob::EnumFiles was called.  Files are never removed from a
 * job, so the snapshot is just (job handle, file count); each Next makes
 * file objects for the next indexes.  The cursor (enum_cursor.h) is shared
 * with the other enumerators.
 */
#include "compat_objects.h"
#include "enum_cursor.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct bgc_enum_files {
    IEnumBackgroundCopyFiles iface;
    _Atomic ULONG ref;
    bgcopy_job *job;
    bgc_cursor cursor;
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
        bgc_cursor_destroy(&e->cursor);
        free(e);
        if (counted)
            bgc_live_release();
    }
    return left;
}

typedef struct files_out {
    bgcopy_job *job;
    IBackgroundCopyFile **rgelt;
    int counted;
} files_out;

static HRESULT make_file(void *ctx, size_t index, ULONG slot)
{
    files_out *o = ctx;
    return bgc_file_create(o->job, (uint32_t)index, o->counted, &o->rgelt[slot]);
}

static void drop_file(void *ctx, ULONG slot)
{
    files_out *o = ctx;
    o->rgelt[slot]->lpVtbl->Release(o->rgelt[slot]);
    o->rgelt[slot] = NULL;
}

/* IEnumBackgroundCopyFiles::Next: up to |celt| new file objects.  S_OK when
 * celt were returned, S_FALSE when fewer remained.  pceltFetched may be NULL
 * only when celt == 1 (E_INVALIDARG otherwise); rgelt NULL is E_INVALIDARG.
 * On E_OUTOFMEMORY nothing is returned and the cursor does not move. */
static HRESULT STDMETHODCALLTYPE enumf_Next(IEnumBackgroundCopyFiles *iface, ULONG celt,
                                            IBackgroundCopyFile **rgelt, ULONG *pceltFetched)
{
    bgc_enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    files_out o = {e->job, rgelt, !bgc_in_notification()};
    return bgc_cursor_next(&e->cursor, celt, rgelt != NULL, pceltFetched, make_file, drop_file,
                           &o);
}

/* IEnumBackgroundCopyFiles::Skip: S_OK, or S_FALSE (cursor at the end)
 * when fewer than celt files remained. */
static HRESULT STDMETHODCALLTYPE enumf_Skip(IEnumBackgroundCopyFiles *iface, ULONG celt)
{
    return bgc_cursor_skip(&impl_from_IEnumBackgroundCopyFiles(iface)->cursor, celt);
}

/* IEnumBackgroundCopyFiles::Reset: cursor back to the first file.  S_OK. */
static HRESULT STDMETHODCALLTYPE enumf_Reset(IEnumBackgroundCopyFiles *iface)
{
    bgc_cursor_reset(&impl_from_IEnumBackgroundCopyFiles(iface)->cursor);
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
    return enum_files_new(e->job, (uint32_t)e->cursor.count,
                          (uint32_t)bgc_cursor_position(&e->cursor), !bgc_in_notification(), ppenum);
}

/* IEnumBackgroundCopyFiles::GetCount: number of files in the snapshot. */
static HRESULT STDMETHODCALLTYPE enumf_GetCount(IEnumBackgroundCopyFiles *iface, ULONG *puCount)
{
    bgc_enum_files *e = impl_from_IEnumBackgroundCopyFiles(iface);
    if (!puCount)
        return E_INVALIDARG;
    *puCount = (ULONG)e->cursor.count;
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
    if (bgc_cursor_init(&e->cursor, count, pos) != 0) {
        free(e);
        return E_OUTOFMEMORY;
    }
    BGC_SET_VTBL(&e->iface, &enum_files_vtbl);
    atomic_init(&e->ref, 1);
    bgcopy_job_addref(job);
    e->job = job;
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
