/*
 * job.c - the job object: IBackgroundCopyJob slots 0..34, QueryInterface for
 * every job-side interface, over a native bgcopy_job handle.
 *
 * Each method converts WCHAR <-> UTF-8 and maps structures; the state rules
 * (which call is legal in which state, defaults, limits) live in core, so
 * the answers here are core's answers.  A job object is one client handle:
 * its final Release returns 0 and drops the handle, but never removes the
 * job from the queue (only Complete and Cancel do), as in BITS.
 *
 * Each job_<Method> below mirrors IBackgroundCopyJob::<Method>; unless its
 * comment says otherwise it returns the native call's HRESULT unchanged,
 * E_INVALIDARG for a NULL pointer argument, and may be called from any
 * thread, including from inside a notification callback.
 *
 * QueryInterface answers IUnknown, IBackgroundCopyJob, Job2, Job3, Job4 and
 * Job5 (one Job5 vtable; slots 35..54 live in job_v2.c), and the side
 * interfaces IBackgroundCopyJobHttpOptions and IBitsTokenOptions
 * (job_http_options.c).  IBackgroundCopyJobHttpOptions2/3 (BITS 10.2/10.3)
 * get E_NOINTERFACE: the custom HTTP method and the server-certificate
 * callback do not exist, and answering them would make a version probe
 * claim 10.2.  docs/conformance.md lists every slot's status.
 */
#include "compat_objects.h"

#include <stdatomic.h>
#include <stdlib.h>

static bgc_job *impl_from_IBackgroundCopyJob(IBackgroundCopyJob5 *iface)
{
    return bgc_job_from_iface(iface);
}

static HRESULT STDMETHODCALLTYPE job_QueryInterface(IBackgroundCopyJob5 *iface, REFIID riid,
                                                    void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    bgc_job *j = impl_from_IBackgroundCopyJob(iface);
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IBackgroundCopyJob) ||
        bgc_iid_eq(riid, &IID_IBackgroundCopyJob2) || bgc_iid_eq(riid, &IID_IBackgroundCopyJob3) ||
        bgc_iid_eq(riid, &IID_IBackgroundCopyJob4) || bgc_iid_eq(riid, &IID_IBackgroundCopyJob5)) {
        *ppv = &j->iface;
    } else if (bgc_iid_eq(riid, &IID_IBackgroundCopyJobHttpOptions)) {
        *ppv = &j->http;
    } else if (bgc_iid_eq(riid, &IID_IBitsTokenOptions)) {
        *ppv = &j->token;
    } else {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    atomic_fetch_add(&j->ref, 1);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE job_AddRef(IBackgroundCopyJob5 *iface)
{
    return atomic_fetch_add(&impl_from_IBackgroundCopyJob(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE job_Release(IBackgroundCopyJob5 *iface)
{
    bgc_job *j = impl_from_IBackgroundCopyJob(iface);
    ULONG left = atomic_fetch_sub(&j->ref, 1) - 1;
    if (left == 0) {
        int counted = j->counted;
        bgcopy_job_release(j->h);
        free(j);
        if (counted)
            bgc_live_release();
    }
    return left;
}

/* ------------------------------------------------------------------ files */

/* IBackgroundCopyJob::AddFile. */
static HRESULT STDMETHODCALLTYPE job_AddFile(IBackgroundCopyJob5 *iface, LPCWSTR RemoteUrl,
                                             LPCWSTR LocalName)
{
    bgc_job *j = impl_from_IBackgroundCopyJob(iface);
    if (!RemoteUrl || !LocalName)
        return E_INVALIDARG;
    char *url = NULL, *local = NULL;
    HRESULT hr = bgc_wstr_to_utf8(RemoteUrl, &url);
    if (SUCCEEDED(hr))
        hr = bgc_wstr_to_utf8(LocalName, &local);
    if (SUCCEEDED(hr))
        hr = bgcopy_job_add_file(j->h, url, local);
    free(url);
    free(local);
    return hr;
}

/* IBackgroundCopyJob::AddFileSet.  Everything that can be checked without
 * touching the job is checked first, so these errors add no file: NULL
 * names or array, malformed text (E_INVALIDARG) and the MaxFilesPerJob
 * policy (BG_E_TOO_MANY_FILES_IN_JOB, docs/policy.md).  The files are then added in order; an
 * error from the engine on file k (bad scheme, missing directory...) leaves
 * files 0..k-1 added and is returned. */
static HRESULT STDMETHODCALLTYPE job_AddFileSet(IBackgroundCopyJob5 *iface, ULONG cFileCount,
                                                BG_FILE_INFO *pFileSet)
{
    bgc_job *j = impl_from_IBackgroundCopyJob(iface);
    if (cFileCount == 0)
        return S_OK;
    if (!pFileSet)
        return E_INVALIDARG;
    uint32_t have = 0;
    bgcopy_policy policy;
    HRESULT hr = bgcopy_job_get_file_count(j->h, &have);
    if (SUCCEEDED(hr))
        hr = bgcopy_job_get_policy(j->h, &policy);
    if (FAILED(hr))
        return hr;
    if ((uint64_t)have + cFileCount > policy.max_files_per_job)
        return BG_E_TOO_MANY_FILES_IN_JOB;
    char **names = calloc((size_t)cFileCount * 2, sizeof *names);
    if (!names)
        return E_OUTOFMEMORY;
    for (ULONG i = 0; i < cFileCount && SUCCEEDED(hr); i++) {
        if (!pFileSet[i].RemoteName || !pFileSet[i].LocalName) {
            hr = E_INVALIDARG;
            break;
        }
        hr = bgc_wstr_to_utf8(pFileSet[i].RemoteName, &names[2 * i]);
        if (SUCCEEDED(hr))
            hr = bgc_wstr_to_utf8(pFileSet[i].LocalName, &names[2 * i + 1]);
    }
    for (ULONG i = 0; i < cFileCount && SUCCEEDED(hr); i++)
        hr = bgcopy_job_add_file(j->h, names[2 * i], names[2 * i + 1]);
    for (size_t i = 0; i < (size_t)cFileCount * 2; i++)
        free(names[i]);
    free(names);
    return hr;
}

/* IBackgroundCopyJob::EnumFiles: snapshot of the job's files. */
static HRESULT STDMETHODCALLTYPE job_EnumFiles(IBackgroundCopyJob5 *iface,
                                               IEnumBackgroundCopyFiles **pEnum)
{
    bgc_job *j = impl_from_IBackgroundCopyJob(iface);
    if (!pEnum)
        return E_INVALIDARG;
    return bgc_enum_files_create(j->h, !bgc_in_notification(), pEnum);
}

/* ------------------------------------------------------------- life cycle */

static HRESULT STDMETHODCALLTYPE job_Suspend(IBackgroundCopyJob5 *iface)
{
    return bgcopy_job_suspend(impl_from_IBackgroundCopyJob(iface)->h);
}

static HRESULT STDMETHODCALLTYPE job_Resume(IBackgroundCopyJob5 *iface)
{
    return bgcopy_job_resume(impl_from_IBackgroundCopyJob(iface)->h);
}

static HRESULT STDMETHODCALLTYPE job_Cancel(IBackgroundCopyJob5 *iface)
{
    return bgcopy_job_cancel(impl_from_IBackgroundCopyJob(iface)->h);
}

static HRESULT STDMETHODCALLTYPE job_Complete(IBackgroundCopyJob5 *iface)
{
    return bgcopy_job_complete(impl_from_IBackgroundCopyJob(iface)->h);
}

/* ------------------------------------------------------------- properties */

static HRESULT STDMETHODCALLTYPE job_GetId(IBackgroundCopyJob5 *iface, GUID *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    bgcopy_guid id;
    HRESULT hr = bgcopy_job_get_id(impl_from_IBackgroundCopyJob(iface)->h, &id);
    if (SUCCEEDED(hr))
        memcpy(pVal, &id, sizeof id);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetType(IBackgroundCopyJob5 *iface, BG_JOB_TYPE *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    bgcopy_job_type t;
    HRESULT hr = bgcopy_job_get_type(impl_from_IBackgroundCopyJob(iface)->h, &t);
    if (SUCCEEDED(hr))
        *pVal = (BG_JOB_TYPE)t;
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetProgress(IBackgroundCopyJob5 *iface,
                                                 BG_JOB_PROGRESS *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    bgcopy_job_progress p;
    HRESULT hr = bgcopy_job_get_progress(impl_from_IBackgroundCopyJob(iface)->h, &p);
    if (SUCCEEDED(hr)) {
        pVal->BytesTotal = p.bytes_total;
        pVal->BytesTransferred = p.bytes_transferred;
        pVal->FilesTotal = p.files_total;
        pVal->FilesTransferred = p.files_transferred;
    }
    return hr;
}

static FILETIME filetime_from_ticks(uint64_t t)
{
    FILETIME ft;
    ft.dwLowDateTime = (DWORD)(t & 0xFFFFFFFFu);
    ft.dwHighDateTime = (DWORD)(t >> 32);
    return ft;
}

static HRESULT STDMETHODCALLTYPE job_GetTimes(IBackgroundCopyJob5 *iface, BG_JOB_TIMES *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    bgcopy_job_times t;
    HRESULT hr = bgcopy_job_get_times(impl_from_IBackgroundCopyJob(iface)->h, &t);
    if (SUCCEEDED(hr)) {
        pVal->CreationTime = filetime_from_ticks(t.creation_time);
        pVal->ModificationTime = filetime_from_ticks(t.modification_time);
        pVal->TransferCompletionTime = filetime_from_ticks(t.transfer_completion_time);
    }
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetState(IBackgroundCopyJob5 *iface, BG_JOB_STATE *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    bgcopy_job_state s;
    HRESULT hr = bgcopy_job_get_state(impl_from_IBackgroundCopyJob(iface)->h, &s);
    if (SUCCEEDED(hr))
        *pVal = (BG_JOB_STATE)s;
    return hr;
}

/* IBackgroundCopyJob::GetError: BG_E_ERROR_INFORMATION_UNAVAILABLE (and
 * *ppError NULL) when the job has no current error. */
static HRESULT STDMETHODCALLTYPE job_GetError(IBackgroundCopyJob5 *iface,
                                              IBackgroundCopyError **ppError)
{
    bgc_job *j = impl_from_IBackgroundCopyJob(iface);
    if (!ppError)
        return E_INVALIDARG;
    *ppError = NULL;
    bgcopy_job_error err;
    HRESULT hr = bgcopy_job_get_error(j->h, &err);
    if (FAILED(hr))
        return hr;
    return bgc_error_create(j->h, &err, !bgc_in_notification(), ppError);
}

/* Copy a native string getter's result out as a CoTaskMemAlloc'ed WCHAR string. */
static HRESULT string_out(HRESULT hr, char *s, LPWSTR *out)
{
    if (SUCCEEDED(hr))
        hr = bgc_utf8_to_cotask_wstr(s, out);
    bgcopy_free(s);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetOwner(IBackgroundCopyJob5 *iface, LPWSTR *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    *pVal = NULL;
    char *s = NULL;
    HRESULT hr = bgcopy_job_get_owner(impl_from_IBackgroundCopyJob(iface)->h, &s);
    return string_out(hr, s, pVal);
}

/* Shared by SetDisplayName and SetDescription. */
static HRESULT set_string(bgcopy_job *h, LPCWSTR Val,
                          bgcopy_hr (*setter)(bgcopy_job *, const char *))
{
    if (!Val)
        return E_INVALIDARG;
    char *s = NULL;
    HRESULT hr = bgc_wstr_to_utf8(Val, &s);
    if (SUCCEEDED(hr))
        hr = setter(h, s);
    free(s);
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_SetDisplayName(IBackgroundCopyJob5 *iface, LPCWSTR Val)
{
    return set_string(impl_from_IBackgroundCopyJob(iface)->h, Val, bgcopy_job_set_display_name);
}

static HRESULT STDMETHODCALLTYPE job_GetDisplayName(IBackgroundCopyJob5 *iface, LPWSTR *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    *pVal = NULL;
    char *s = NULL;
    HRESULT hr = bgcopy_job_get_display_name(impl_from_IBackgroundCopyJob(iface)->h, &s);
    return string_out(hr, s, pVal);
}

static HRESULT STDMETHODCALLTYPE job_SetDescription(IBackgroundCopyJob5 *iface, LPCWSTR Val)
{
    return set_string(impl_from_IBackgroundCopyJob(iface)->h, Val, bgcopy_job_set_description);
}

static HRESULT STDMETHODCALLTYPE job_GetDescription(IBackgroundCopyJob5 *iface, LPWSTR *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    *pVal = NULL;
    char *s = NULL;
    HRESULT hr = bgcopy_job_get_description(impl_from_IBackgroundCopyJob(iface)->h, &s);
    return string_out(hr, s, pVal);
}

/* IBackgroundCopyJob::SetPriority: E_NOTIMPL for a value outside
 * BG_JOB_PRIORITY (checked here so no out-of-range enum reaches core). */
static HRESULT STDMETHODCALLTYPE job_SetPriority(IBackgroundCopyJob5 *iface, BG_JOB_PRIORITY Val)
{
    int p = (int)Val;
    if (p < BG_JOB_PRIORITY_FOREGROUND || p > BG_JOB_PRIORITY_LOW)
        return E_NOTIMPL;
    return bgcopy_job_set_priority(impl_from_IBackgroundCopyJob(iface)->h,
                                   (bgcopy_job_priority)p);
}

static HRESULT STDMETHODCALLTYPE job_GetPriority(IBackgroundCopyJob5 *iface,
                                                 BG_JOB_PRIORITY *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    bgcopy_job_priority p;
    HRESULT hr = bgcopy_job_get_priority(impl_from_IBackgroundCopyJob(iface)->h, &p);
    if (SUCCEEDED(hr))
        *pVal = (BG_JOB_PRIORITY)p;
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_SetNotifyFlags(IBackgroundCopyJob5 *iface, ULONG Val)
{
    return bgcopy_job_set_notify_flags(impl_from_IBackgroundCopyJob(iface)->h, (uint32_t)Val);
}

static HRESULT STDMETHODCALLTYPE job_GetNotifyFlags(IBackgroundCopyJob5 *iface, ULONG *pVal)
{
    if (!pVal)
        return E_INVALIDARG;
    uint32_t f;
    HRESULT hr = bgcopy_job_get_notify_flags(impl_from_IBackgroundCopyJob(iface)->h, &f);
    if (SUCCEEDED(hr))
        *pVal = f;
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_SetNotifyInterface(IBackgroundCopyJob5 *iface, IUnknown *Val)
{
    return bgc_notify_set(impl_from_IBackgroundCopyJob(iface)->h, Val);
}

static HRESULT STDMETHODCALLTYPE job_GetNotifyInterface(IBackgroundCopyJob5 *iface,
                                                        IUnknown **pVal)
{
    return bgc_notify_get(impl_from_IBackgroundCopyJob(iface)->h, pVal);
}

static HRESULT STDMETHODCALLTYPE job_SetMinimumRetryDelay(IBackgroundCopyJob5 *iface,
                                                          ULONG Seconds)
{
    return bgcopy_job_set_minimum_retry_delay(impl_from_IBackgroundCopyJob(iface)->h,
                                              (uint32_t)Seconds);
}

static HRESULT STDMETHODCALLTYPE job_GetMinimumRetryDelay(IBackgroundCopyJob5 *iface,
                                                          ULONG *Seconds)
{
    if (!Seconds)
        return E_INVALIDARG;
    uint32_t v;
    HRESULT hr = bgcopy_job_get_minimum_retry_delay(impl_from_IBackgroundCopyJob(iface)->h, &v);
    if (SUCCEEDED(hr))
        *Seconds = v;
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_SetNoProgressTimeout(IBackgroundCopyJob5 *iface,
                                                          ULONG Seconds)
{
    return bgcopy_job_set_no_progress_timeout(impl_from_IBackgroundCopyJob(iface)->h,
                                              (uint32_t)Seconds);
}

static HRESULT STDMETHODCALLTYPE job_GetNoProgressTimeout(IBackgroundCopyJob5 *iface,
                                                          ULONG *Seconds)
{
    if (!Seconds)
        return E_INVALIDARG;
    uint32_t v;
    HRESULT hr = bgcopy_job_get_no_progress_timeout(impl_from_IBackgroundCopyJob(iface)->h, &v);
    if (SUCCEEDED(hr))
        *Seconds = v;
    return hr;
}

static HRESULT STDMETHODCALLTYPE job_GetErrorCount(IBackgroundCopyJob5 *iface, ULONG *Errors)
{
    if (!Errors)
        return E_INVALIDARG;
    uint32_t v;
    HRESULT hr = bgcopy_job_get_error_count(impl_from_IBackgroundCopyJob(iface)->h, &v);
    if (SUCCEEDED(hr))
        *Errors = v;
    return hr;
}

/* IBackgroundCopyJob::SetProxySettings: bgcopy_job_set_proxy_settings
 * (docs/http.md, "Proxies"); a usage outside BG_JOB_PROXY_USAGE is
 * E_NOTIMPL before any conversion. */
static HRESULT STDMETHODCALLTYPE job_SetProxySettings(IBackgroundCopyJob5 *iface,
                                                      BG_JOB_PROXY_USAGE ProxyUsage,
                                                      const WCHAR *ProxyList,
                                                      const WCHAR *ProxyBypassList)
{
    int u = (int)ProxyUsage;
    if (u < BG_JOB_PROXY_USAGE_PRECONFIG || u > BG_JOB_PROXY_USAGE_AUTODETECT)
        return E_NOTIMPL;
    char *list = NULL, *bypass = NULL;
    HRESULT hr = S_OK;
    if (ProxyList)
        hr = bgc_wstr_to_utf8(ProxyList, &list);
    if (SUCCEEDED(hr) && ProxyBypassList)
        hr = bgc_wstr_to_utf8(ProxyBypassList, &bypass);
    if (SUCCEEDED(hr))
        hr = bgcopy_job_set_proxy_settings(impl_from_IBackgroundCopyJob(iface)->h,
                                           (bgcopy_proxy_usage)u, list, bypass);
    free(list);
    free(bypass);
    return hr;
}

/* IBackgroundCopyJob::GetProxySettings: the lists CoTaskMemAlloc'ed, NULL
 * when not set (every usage but OVERRIDE). */
static HRESULT STDMETHODCALLTYPE job_GetProxySettings(IBackgroundCopyJob5 *iface,
                                                      BG_JOB_PROXY_USAGE *pProxyUsage,
                                                      LPWSTR *pProxyList,
                                                      LPWSTR *pProxyBypassList)
{
    if (!pProxyUsage || !pProxyList || !pProxyBypassList)
        return E_INVALIDARG;
    *pProxyList = NULL;
    *pProxyBypassList = NULL;
    bgcopy_proxy_usage u;
    char *list = NULL, *bypass = NULL;
    HRESULT hr = bgcopy_job_get_proxy_settings(impl_from_IBackgroundCopyJob(iface)->h, &u, &list,
                                               &bypass);
    if (SUCCEEDED(hr) && list)
        hr = bgc_utf8_to_cotask_wstr(list, pProxyList);
    if (SUCCEEDED(hr) && bypass)
        hr = bgc_utf8_to_cotask_wstr(bypass, pProxyBypassList);
    if (SUCCEEDED(hr)) {
        *pProxyUsage = (BG_JOB_PROXY_USAGE)u;
    } else {
        CoTaskMemFree(*pProxyList);
        *pProxyList = NULL;
    }
    bgcopy_free(list);
    bgcopy_free(bypass);
    return hr;
}

/* IBackgroundCopyJob::TakeOwnership: not implemented (E_NOTIMPL); every job
 * here belongs to the one user running the process. */
static HRESULT STDMETHODCALLTYPE job_TakeOwnership(IBackgroundCopyJob5 *iface)
{
    (void)iface;
    return E_NOTIMPL;
}

static const IBackgroundCopyJob5Vtbl job_vtbl = {
    job_QueryInterface,
    job_AddRef,
    job_Release,
    job_AddFileSet,
    job_AddFile,
    job_EnumFiles,
    job_Suspend,
    job_Resume,
    job_Cancel,
    job_Complete,
    job_GetId,
    job_GetType,
    job_GetProgress,
    job_GetTimes,
    job_GetState,
    job_GetError,
    job_GetOwner,
    job_SetDisplayName,
    job_GetDisplayName,
    job_SetDescription,
    job_GetDescription,
    job_SetPriority,
    job_GetPriority,
    job_SetNotifyFlags,
    job_GetNotifyFlags,
    job_SetNotifyInterface,
    job_GetNotifyInterface,
    job_SetMinimumRetryDelay,
    job_GetMinimumRetryDelay,
    job_SetNoProgressTimeout,
    job_GetNoProgressTimeout,
    job_GetErrorCount,
    job_SetProxySettings,
    job_GetProxySettings,
    job_TakeOwnership,
    /* IBackgroundCopyJob2 */
    bgc_job_SetNotifyCmdLine,
    bgc_job_GetNotifyCmdLine,
    bgc_job_GetReplyProgress,
    bgc_job_GetReplyData,
    bgc_job_SetReplyFileName,
    bgc_job_GetReplyFileName,
    bgc_job_SetCredentials,
    bgc_job_RemoveCredentials,
    /* IBackgroundCopyJob3 */
    bgc_job_ReplaceRemotePrefix,
    bgc_job_AddFileWithRanges,
    bgc_job_SetFileACLFlags,
    bgc_job_GetFileACLFlags,
    /* IBackgroundCopyJob4 */
    bgc_job_SetPeerCachingFlags,
    bgc_job_GetPeerCachingFlags,
    bgc_job_GetOwnerIntegrityLevel,
    bgc_job_GetOwnerElevationState,
    bgc_job_SetMaximumDownloadTime,
    bgc_job_GetMaximumDownloadTime,
    /* IBackgroundCopyJob5 */
    bgc_job_SetProperty,
    bgc_job_GetProperty,
};

HRESULT bgc_job_create(bgcopy_job *handle, int counted, IBackgroundCopyJob **out)
{
    if (out)
        *out = NULL;
    if (!handle || !out) {
        if (handle)
            bgcopy_job_release(handle);
        return E_INVALIDARG;
    }
    bgc_job *j = calloc(1, sizeof *j);
    if (!j) {
        bgcopy_job_release(handle);
        return E_OUTOFMEMORY;
    }
    BGC_SET_VTBL(&j->iface, &job_vtbl);
    BGC_SET_VTBL(&j->http, &bgc_job_http_vtbl);
    BGC_SET_VTBL(&j->token, &bgc_job_token_vtbl);
    atomic_init(&j->ref, 1);
    j->h = handle;
    j->counted = counted;
    if (counted)
        bgc_live_add();
    /* Job5's vtable starts with Job's slots: the same pointer is both. */
    *out = (IBackgroundCopyJob *)(void *)&j->iface;
    return S_OK;
}
