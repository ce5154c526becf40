/*
 * job_http_options.c - the job object's side interfaces:
 * IBackgroundCopyJobHttpOptions (BITS 2.5) and IBitsTokenOptions (4.0).
 *
 * Both are embedded in the job object (compat_objects.h, struct bgc_job)
 * and forward IUnknown to it, so they share its reference count and a QI
 * from either reaches every job interface.  Each method mirrors the BITS
 * method of the same name; unless its comment says otherwise it returns the
 * native call's HRESULT, E_INVALIDARG for a NULL [out] pointer, and may be
 * called from any thread, including inside a notification callback.
 */
#include "compat_objects.h"

#include <stdlib.h>

/* -------------------------------------------- IBackgroundCopyJobHttpOptions */

static bgc_job *impl_from_http(IBackgroundCopyJobHttpOptions *iface)
{
    return BGC_IMPL_FROM(bgc_job, http, iface);
}

static HRESULT STDMETHODCALLTYPE http_QueryInterface(IBackgroundCopyJobHttpOptions *iface,
                                                     REFIID riid, void **ppv)
{
    IBackgroundCopyJob5 *job = &impl_from_http(iface)->iface;
    return job->lpVtbl->QueryInterface(job, riid, ppv);
}

static ULONG STDMETHODCALLTYPE http_AddRef(IBackgroundCopyJobHttpOptions *iface)
{
    IBackgroundCopyJob5 *job = &impl_from_http(iface)->iface;
    return job->lpVtbl->AddRef(job);
}

static ULONG STDMETHODCALLTYPE http_Release(IBackgroundCopyJobHttpOptions *iface)
{
    IBackgroundCopyJob5 *job = &impl_from_http(iface)->iface;
    return job->lpVtbl->Release(job);
}

/* SetClientCertificateByID / ByName / RemoveClientCertificate /
 * GetClientCertificate: E_NOTIMPL -- there is no Windows certificate store
 * to name a certificate in (client certificates are not implemented). */
static HRESULT STDMETHODCALLTYPE http_SetClientCertificateByID(
    IBackgroundCopyJobHttpOptions *iface, BG_CERT_STORE_LOCATION StoreLocation,
    LPCWSTR StoreName, BYTE *pCertHashBlob)
{
    (void)iface;
    (void)StoreLocation;
    (void)StoreName;
    (void)pCertHashBlob;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE http_SetClientCertificateByName(
    IBackgroundCopyJobHttpOptions *iface, BG_CERT_STORE_LOCATION StoreLocation,
    LPCWSTR StoreName, LPCWSTR SubjectName)
{
    (void)iface;
    (void)StoreLocation;
    (void)StoreName;
    (void)SubjectName;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE http_RemoveClientCertificate(IBackgroundCopyJobHttpOptions *iface)
{
    (void)iface;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE http_GetClientCertificate(IBackgroundCopyJobHttpOptions *iface,
                                                           BG_CERT_STORE_LOCATION *pStoreLocation,
                                                           LPWSTR *pStoreName,
                                                           BYTE **ppCertHashBlob,
                                                           LPWSTR *pSubjectName)
{
    (void)iface;
    (void)pStoreLocation;
    (void)pStoreName;
    (void)ppCertHashBlob;
    (void)pSubjectName;
    return E_NOTIMPL;
}

/* IBackgroundCopyJobHttpOptions::SetCustomHeaders: "Name: value\r\n" each,
 * at most 16 383 characters; NULL removes them.  Errors:
 * BG_E_STRING_TOO_LONG, E_INVALIDARG (malformed), BG_E_INVALID_STATE. */
static HRESULT STDMETHODCALLTYPE http_SetCustomHeaders(IBackgroundCopyJobHttpOptions *iface,
                                                       LPCWSTR RequestHeaders)
{
    char *s = NULL;
    HRESULT hr = S_OK;
    if (RequestHeaders)
        hr = bgc_wstr_to_utf8(RequestHeaders, &s);
    if (SUCCEEDED(hr))
        hr = bgcopy_job_set_custom_headers(impl_from_http(iface)->h, s);
    free(s);
    return hr;
}

/* IBackgroundCopyJobHttpOptions::GetCustomHeaders: the headers,
 * CoTaskMemAlloc'ed; S_FALSE with *pRequestHeaders NULL when none set. */
static HRESULT STDMETHODCALLTYPE http_GetCustomHeaders(IBackgroundCopyJobHttpOptions *iface,
                                                       LPWSTR *pRequestHeaders)
{
    if (!pRequestHeaders)
        return E_INVALIDARG;
    *pRequestHeaders = NULL;
    char *s = NULL;
    HRESULT hr = bgcopy_job_get_custom_headers(impl_from_http(iface)->h, &s);
    if (hr == S_OK && s)
        hr = bgc_utf8_to_cotask_wstr(s, pRequestHeaders);
    else if (SUCCEEDED(hr))
        hr = S_FALSE;
    bgcopy_free(s);
    return hr;
}

/* IBackgroundCopyJobHttpOptions::SetSecurityFlags: BG_SSL_* (0x1F), the
 * redirect policy (0x0700 field) and ALLOW_HTTPS_TO_HTTP (0x0800).
 * Errors: E_NOTIMPL (unknown bits), BG_E_INVALID_STATE. */
static HRESULT STDMETHODCALLTYPE http_SetSecurityFlags(IBackgroundCopyJobHttpOptions *iface,
                                                       ULONG Flags)
{
    return bgcopy_job_set_security_flags(impl_from_http(iface)->h, (uint32_t)Flags);
}

/* IBackgroundCopyJobHttpOptions::GetSecurityFlags: 0 by default. */
static HRESULT STDMETHODCALLTYPE http_GetSecurityFlags(IBackgroundCopyJobHttpOptions *iface,
                                                       ULONG *pFlags)
{
    if (!pFlags)
        return E_INVALIDARG;
    uint32_t f = 0;
    HRESULT hr = bgcopy_job_get_security_flags(impl_from_http(iface)->h, &f);
    if (SUCCEEDED(hr))
        *pFlags = f;
    return hr;
}

const IBackgroundCopyJobHttpOptionsVtbl bgc_job_http_vtbl = {
    http_QueryInterface,
    http_AddRef,
    http_Release,
    http_SetClientCertificateByID,
    http_SetClientCertificateByName,
    http_RemoveClientCertificate,
    http_GetClientCertificate,
    http_SetCustomHeaders,
    http_GetCustomHeaders,
    http_SetSecurityFlags,
    http_GetSecurityFlags,
};

/* ------------------------------------------------------ IBitsTokenOptions */

static bgc_job *impl_from_token(IBitsTokenOptions *iface)
{
    return BGC_IMPL_FROM(bgc_job, token, iface);
}

static HRESULT STDMETHODCALLTYPE token_QueryInterface(IBitsTokenOptions *iface, REFIID riid,
                                                      void **ppv)
{
    IBackgroundCopyJob5 *job = &impl_from_token(iface)->iface;
    return job->lpVtbl->QueryInterface(job, riid, ppv);
}

static ULONG STDMETHODCALLTYPE token_AddRef(IBitsTokenOptions *iface)
{
    IBackgroundCopyJob5 *job = &impl_from_token(iface)->iface;
    return job->lpVtbl->AddRef(job);
}

static ULONG STDMETHODCALLTYPE token_Release(IBitsTokenOptions *iface)
{
    IBackgroundCopyJob5 *job = &impl_from_token(iface)->iface;
    return job->lpVtbl->Release(job);
}

/* IBitsTokenOptions (helper tokens for network/local access under another
 * identity): every method E_NOTIMPL.  POSIX has no impersonation tokens and
 * every job runs as the user of this process.  The interface is answered
 * so that BITS 4.0's interface set is complete (the version probe of
 * CLSID_BackgroundCopyManager4_0 and later); docs/conformance.md says so. */
static HRESULT STDMETHODCALLTYPE token_SetHelperTokenFlags(IBitsTokenOptions *iface,
                                                           DWORD UsageFlags)
{
    (void)iface;
    (void)UsageFlags;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE token_GetHelperTokenFlags(IBitsTokenOptions *iface,
                                                           DWORD *pFlags)
{
    (void)iface;
    (void)pFlags;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE token_SetHelperToken(IBitsTokenOptions *iface)
{
    (void)iface;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE token_ClearHelperToken(IBitsTokenOptions *iface)
{
    (void)iface;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE token_GetHelperTokenSid(IBitsTokenOptions *iface, LPWSTR *pSid)
{
    (void)iface;
    if (pSid)
        *pSid = NULL;
    return E_NOTIMPL;
}

const IBitsTokenOptionsVtbl bgc_job_token_vtbl = {
    token_QueryInterface,
    token_AddRef,
    token_Release,
    token_SetHelperTokenFlags,
    token_GetHelperTokenFlags,
    token_SetHelperToken,
    token_ClearHelperToken,
    token_GetHelperTokenSid,
};
