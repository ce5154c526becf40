/*
 * error.c - IBackgroundCopyError (a job's error, as returned by
 * IBackgroundCopyJob::GetError and passed to JobError) and the error texts
 * shared with IBackgroundCopyManager::GetErrorDescription.
 *
 * The object holds a copy of the native bgcopy_job_error taken when it was
 * made, as BITS's error object describes the error that existed when it was
 * obtained, plus a job reference for GetFile.
 */
#include "compat_objects.h"

#include <stdatomic.h>
#include <stdlib.h>

#define BGC_LANG_PRIMARY(lang) ((lang) & 0x3FFu)
#define BGC_LANG_NEUTRAL 0x00u
#define BGC_LANG_ENGLISH 0x09u

int bgc_lang_supported(DWORD lang)
{
    if (lang > 0xFFFFu) /* not a LANGID */
        return 0;
    unsigned primary = BGC_LANG_PRIMARY((unsigned)lang);
    return primary == BGC_LANG_NEUTRAL || primary == BGC_LANG_ENGLISH;
}

HRESULT bgc_error_text(HRESULT hr, DWORD lang, LPWSTR *out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!bgc_lang_supported(lang))
        return BGC_E_RESOURCE_LANG_NOT_FOUND;
    const char *text = bgcopy_hr_description((bgcopy_hr)hr);
    if (!text)
        return BGC_E_MR_MID_NOT_FOUND;
    return bgc_utf8_to_cotask_wstr(text, out);
}

typedef struct bgc_error {
    IBackgroundCopyError iface;
    _Atomic ULONG ref;
    bgcopy_job *job;
    bgcopy_job_error err;
    int counted;
} bgc_error;

static bgc_error *impl_from_IBackgroundCopyError(IBackgroundCopyError *iface)
{
    return BGC_IMPL_FROM(bgc_error, iface, iface);
}

static HRESULT STDMETHODCALLTYPE error_QueryInterface(IBackgroundCopyError *iface, REFIID riid,
                                                      void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IBackgroundCopyError)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE error_AddRef(IBackgroundCopyError *iface)
{
    return atomic_fetch_add(&impl_from_IBackgroundCopyError(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE error_Release(IBackgroundCopyError *iface)
{
    bgc_error *e = impl_from_IBackgroundCopyError(iface);
    ULONG left = atomic_fetch_sub(&e->ref, 1) - 1;
    if (left == 0) {
        int counted = e->counted;
        bgcopy_job_release(e->job);
        free(e);
        if (counted)
            bgc_live_release();
    }
    return left;
}

/* IBackgroundCopyError::GetError: context and HRESULT of the error. */
static HRESULT STDMETHODCALLTYPE error_GetError(IBackgroundCopyError *iface,
                                                BG_ERROR_CONTEXT *pContext, HRESULT *pCode)
{
    bgc_error *e = impl_from_IBackgroundCopyError(iface);
    if (!pContext || !pCode)
        return E_INVALIDARG;
    *pContext = (BG_ERROR_CONTEXT)e->err.context;
    *pCode = (HRESULT)e->err.code;
    return S_OK;
}

/* IBackgroundCopyError::GetFile: the failing file, or BG_E_FILE_NOT_AVAILABLE
 * with *pVal NULL when the error is not tied to a file. */
static HRESULT STDMETHODCALLTYPE error_GetFile(IBackgroundCopyError *iface,
                                               IBackgroundCopyFile **pVal)
{
    bgc_error *e = impl_from_IBackgroundCopyError(iface);
    if (!pVal)
        return E_INVALIDARG;
    *pVal = NULL;
    if (e->err.file_index < 0)
        return BG_E_FILE_NOT_AVAILABLE;
    return bgc_file_create(e->job, (uint32_t)e->err.file_index, !bgc_in_notification(), pVal);
}

/* IBackgroundCopyError::GetErrorDescription: text of the error's HRESULT. */
static HRESULT STDMETHODCALLTYPE error_GetErrorDescription(IBackgroundCopyError *iface,
                                                           DWORD LanguageId,
                                                           LPWSTR *pErrorDescription)
{
    bgc_error *e = impl_from_IBackgroundCopyError(iface);
    return bgc_error_text((HRESULT)e->err.code, LanguageId, pErrorDescription);
}

/* IBackgroundCopyError::GetErrorContextDescription: text of the context. */
static HRESULT STDMETHODCALLTYPE error_GetErrorContextDescription(IBackgroundCopyError *iface,
                                                                  DWORD LanguageId,
                                                                  LPWSTR *pContextDescription)
{
    bgc_error *e = impl_from_IBackgroundCopyError(iface);
    if (!pContextDescription)
        return E_INVALIDARG;
    *pContextDescription = NULL;
    if (!bgc_lang_supported(LanguageId))
        return BGC_E_RESOURCE_LANG_NOT_FOUND;
    return bgc_utf8_to_cotask_wstr(bgcopy_error_context_description(e->err.context),
                                   pContextDescription);
}

/* IBackgroundCopyError::GetProtocol: L"http" (HTTP and HTTPS) or L"file";
 * BG_E_PROTOCOL_NOT_AVAILABLE with *pProtocol NULL when no protocol was
 * involved (e.g. a local file error before any transfer). */
static HRESULT STDMETHODCALLTYPE error_GetProtocol(IBackgroundCopyError *iface,
                                                   LPWSTR *pProtocol)
{
    bgc_error *e = impl_from_IBackgroundCopyError(iface);
    if (!pProtocol)
        return E_INVALIDARG;
    *pProtocol = NULL;
    char proto[sizeof e->err.protocol + 1];
    memcpy(proto, e->err.protocol, sizeof e->err.protocol);
    proto[sizeof e->err.protocol] = '\0';
    if (proto[0] == '\0')
        return BG_E_PROTOCOL_NOT_AVAILABLE;
    return bgc_utf8_to_cotask_wstr(proto, pProtocol);
}

static const IBackgroundCopyErrorVtbl error_vtbl = {
    error_QueryInterface,
    error_AddRef,
    error_Release,
    error_GetError,
    error_GetFile,
    error_GetErrorDescription,
    error_GetErrorContextDescription,
    error_GetProtocol,
};

HRESULT bgc_error_create(bgcopy_job *job, const bgcopy_job_error *err, int counted,
                         IBackgroundCopyError **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!job || !err)
        return E_INVALIDARG;
    bgc_error *e = calloc(1, sizeof *e);
    if (!e)
        return E_OUTOFMEMORY;
    BGC_SET_VTBL(&e->iface, &error_vtbl);
    atomic_init(&e->ref, 1);
    bgcopy_job_addref(job);
    e->job = job;
    e->err = *err;
    e->counted = counted;
    if (counted)
        bgc_live_add();
    *out = &e->iface;
    return S_OK;
}
