/*
 * job_v2.c - IBackgroundCopyJob2..Job5 (vtable slots 35..54) of the job
 * object (job.c holds slots 0..34 and the vtable itself).
 *
 * Each method mirrors the BITS method of the same name (spec §3.5-§3.8);
 * unless its comment says otherwise it returns the native call's HRESULT
 * unchanged, E_INVALIDARG for a NULL [out] pointer, and may be called from
 * any thread, including from inside a notification callback.  Methods
 * whose feature does not exist in bgcopy return E_NOTIMPL and are listed in
 * docs/conformance.md.
 */
#include "compat_objects.h"

#include <stdlib.h>

/* --------------------------------------------------- IBackgroundCopyJob2 */

/* IBackgroundCopyJob2::SetNotifyCmdLine: the program (absolute path, at
 * most 260 characters) and its parameters (at most 4000, starting with
 * argv[0]) run when the job reaches TRANSFERRED or ERROR.  Both NULL
 * removes it; Program NULL with Parameters non-NULL is E_INVALIDARG.
 * Errors: BG_E_STRING_TOO_LONG, BG_E_INVALID_STATE (final states),
 * E_INVALIDARG (malformed text). */
HRESULT STDMETHODCALLTYPE bgc_job_SetNotifyCmdLine(IBackgroundCopyJob5 *iface, LPCWSTR Program,
                                                   LPCWSTR Parameters)
{
    bgc_job *j = bgc_job_from_iface(iface);
    char *prog = NULL, *params = NULL;
    HRESULT hr = S_OK;
    if (Program)
        hr = bgc_wstr_to_utf8(Program, &prog);
    if (SUCCEEDED(hr) && Parameters)
        hr = bgc_wstr_to_utf8(Parameters, &params);
    if (SUCCEEDED(hr))
        hr = bgcopy_job_set_notify_cmdline(j->h, prog, params);
    free(prog);
    free(params);
    return hr;
}

/* IBackgroundCopyJob2::GetNotifyCmdLine: both strings CoTaskMemAlloc'ed,
 * NULL when not set. */
HRESULT STDMETHODCALLTYPE bgc_job_GetNotifyCmdLine(IBackgroundCopyJob5 *iface, LPWSTR *pProgram,
                                                   LPWSTR *pParameters)
{
    if (!pProgram || !pParameters)
        return E_INVALIDARG;
    *pProgram = NULL;
    *pParameters = NULL;
    char *prog = NULL, *params = NULL;
    HRESULT hr = bgcopy_job_get_notify_cmdline(bgc_job_from_iface(iface)->h, &prog, &params);
    if (SUCCEEDED(hr) && prog)
        hr = bgc_utf8_to_cotask_wstr(prog, pProgram);
    if (SUCCEEDED(hr) && params)
        hr = bgc_utf8_to_cotask_wstr(params, pParameters);
    if (FAILED(hr)) {
        CoTaskMemFree(*pProgram);
        *pProgram = NULL;
    }
    bgcopy_free(prog);
    bgcopy_free(params);
    return SUCCEEDED(hr) ? S_OK : hr;
}

/* IBackgroundCopyJob2::GetReplyProgress / GetReplyData / SetReplyFileName /
 * GetReplyFileName: E_NOTIMPL.  They only apply to upload-reply jobs, and
 * E_NOTIMPL is what BITS answers for any other job type; bgcopy has only
 * download jobs. */
HRESULT STDMETHODCALLTYPE bgc_job_GetReplyProgress(IBackgroundCopyJob5 *iface,
                                                   BG_JOB_REPLY_PROGRESS *pProgress)
{
    (void)iface;
    (void)pProgress;
    return E_NOTIMPL;
}

HRESULT STDMETHODCALLTYPE bgc_job_GetReplyData(IBackgroundCopyJob5 *iface, byte **ppBuffer,
                                               UINT64 *pLength)
{
    (void)iface;
    (void)ppBuffer;
    (void)pLength;
    return E_NOTIMPL;
}

HRESULT STDMETHODCALLTYPE bgc_job_SetReplyFileName(IBackgroundCopyJob5 *iface,
                                                   LPCWSTR ReplyFileName)
{
    (void)iface;
    (void)ReplyFileName;
    return E_NOTIMPL;
}

HRESULT STDMETHODCALLTYPE bgc_job_GetReplyFileName(IBackgroundCopyJob5 *iface,
                                                   LPWSTR *pReplyFileName)
{
    (void)iface;
    if (pReplyFileName)
        *pReplyFileName = NULL;
    return E_NOTIMPL;
}

/* Overwrites a UTF-8 copy of a secret before freeing it. */
static void free_secret(char *s)
{
    if (s) {
        volatile char *v = s;
        while (*v)
            *v++ = 0;
        free(s);
    }
}

/* IBackgroundCopyJob2::SetCredentials: bgcopy_job_set_credentials (every
 * scheme's member of the union is Basic's user name and password). */
HRESULT STDMETHODCALLTYPE bgc_job_SetCredentials(IBackgroundCopyJob5 *iface,
                                                 BG_AUTH_CREDENTIALS *credentials)
{
    if (!credentials)
        return E_INVALIDARG;
    char *user = NULL, *password = NULL;
    HRESULT hr = S_OK;
    if (credentials->Credentials.Basic.UserName)
        hr = bgc_wstr_to_utf8(credentials->Credentials.Basic.UserName, &user);
    if (SUCCEEDED(hr) && credentials->Credentials.Basic.Password)
        hr = bgc_wstr_to_utf8(credentials->Credentials.Basic.Password, &password);
    if (SUCCEEDED(hr))
        hr = bgcopy_job_set_credentials(bgc_job_from_iface(iface)->h,
                                        (bgcopy_auth_target)(int)credentials->Target,
                                        (bgcopy_auth_scheme)(int)credentials->Scheme, user,
                                        password);
    free_secret(user);
    free_secret(password);
    return hr;
}

/* IBackgroundCopyJob2::RemoveCredentials: S_FALSE when the pair had none. */
HRESULT STDMETHODCALLTYPE bgc_job_RemoveCredentials(IBackgroundCopyJob5 *iface,
                                                    BG_AUTH_TARGET Target, BG_AUTH_SCHEME Scheme)
{
    return bgcopy_job_remove_credentials(bgc_job_from_iface(iface)->h,
                                         (bgcopy_auth_target)(int)Target,
                                         (bgcopy_auth_scheme)(int)Scheme);
}

/* --------------------------------------------------- IBackgroundCopyJob3 */

/* IBackgroundCopyJob3::ReplaceRemotePrefix: case-sensitive; S_FALSE when
 * no remote name starts with OldPrefix.  Errors: E_INVALIDARG (NULL or
 * empty prefix, resulting URL invalid or too long), BG_E_INVALID_STATE. */
HRESULT STDMETHODCALLTYPE bgc_job_ReplaceRemotePrefix(IBackgroundCopyJob5 *iface,
                                                      LPCWSTR OldPrefix, LPCWSTR NewPrefix)
{
    if (!OldPrefix || !NewPrefix)
        return E_INVALIDARG;
    char *o = NULL, *n = NULL;
    HRESULT hr = bgc_wstr_to_utf8(OldPrefix, &o);
    if (SUCCEEDED(hr))
        hr = bgc_wstr_to_utf8(NewPrefix, &n);
    if (SUCCEEDED(hr))
        hr = bgcopy_job_replace_remote_prefix(bgc_job_from_iface(iface)->h, o, n);
    free(o);
    free(n);
    return hr;
}

/* IBackgroundCopyJob3::AddFileWithRanges: |Ranges| (RangeCount of them,
 * 1..MaxRangesPerFile, docs/policy.md) are fetched and written back to back into LocalName in the
 * caller's order.  Errors: E_INVALIDARG (RangeCount 0, NULL or bad names),
 * BG_E_INVALID_RANGE, BG_E_OVERLAPPING_RANGES, BG_E_TOO_MANY_RANGES_IN_FILE,
 * the errors of AddFile. */
HRESULT STDMETHODCALLTYPE bgc_job_AddFileWithRanges(IBackgroundCopyJob5 *iface, LPCWSTR RemoteUrl,
                                                    LPCWSTR LocalName, DWORD RangeCount,
                                                    BG_FILE_RANGE Ranges[])
{
    if (!RemoteUrl || !LocalName || RangeCount == 0 || !Ranges)
        return E_INVALIDARG;
    bgcopy_policy policy;
    HRESULT hr = bgcopy_job_get_policy(bgc_job_from_iface(iface)->h, &policy);
    if (FAILED(hr))
        return hr;
    if (RangeCount > policy.max_ranges_per_file)
        return BG_E_TOO_MANY_RANGES_IN_FILE;    /* before copying a huge array */
    bgcopy_file_range *r = malloc((size_t)RangeCount * sizeof *r);
    if (!r)
        return E_OUTOFMEMORY;
    for (DWORD i = 0; i < RangeCount; i++) {
        r[i].initial_offset = Ranges[i].InitialOffset;
        r[i].length = Ranges[i].Length;
    }
    char *url = NULL, *local = NULL;
    hr = bgc_wstr_to_utf8(RemoteUrl, &url);
    if (SUCCEEDED(hr))
        hr = bgc_wstr_to_utf8(LocalName, &local);
    if (SUCCEEDED(hr))
        hr = bgcopy_job_add_file_with_ranges(bgc_job_from_iface(iface)->h, url, local, r,
                                             (uint32_t)RangeCount);
    free(url);
    free(local);
    free(r);
    return hr;
}

/* IBackgroundCopyJob3::SetFileACLFlags: BG_COPY_FILE_* (OWNER 1, GROUP 2,
 * DACL 4, SACL 8), a native job property (bgcopy_job_set_file_acl_flags:
 * stored and handed back, bgcopy has no SMB transport).  Errors:
 * E_INVALIDARG (bits outside 0xF), BG_E_INVALID_STATE (job TRANSFERRED or
 * final). */
HRESULT STDMETHODCALLTYPE bgc_job_SetFileACLFlags(IBackgroundCopyJob5 *iface, DWORD Flags)
{
    return bgcopy_job_set_file_acl_flags(bgc_job_from_iface(iface)->h, Flags);
}

/* IBackgroundCopyJob3::GetFileACLFlags: the last value set, 0 by default. */
HRESULT STDMETHODCALLTYPE bgc_job_GetFileACLFlags(IBackgroundCopyJob5 *iface, DWORD *Flags)
{
    uint32_t v;
    if (!Flags)
        return E_INVALIDARG;
    HRESULT hr = bgcopy_job_get_file_acl_flags(bgc_job_from_iface(iface)->h, &v);
    if (SUCCEEDED(hr))
        *Flags = v;
    return hr;
}

/* --------------------------------------------------- IBackgroundCopyJob4 */

/* IBackgroundCopyJob4::SetPeerCachingFlags: BG_JOB_ENABLE_PEERCACHING_CLIENT
 * 1, _SERVER 2, BG_JOB_DISABLE_BRANCH_CACHE 4, a native job property
 * (bgcopy_job_set_peer_caching_flags: stored and handed back).  Errors:
 * E_INVALIDARG (bits outside 0x7), BG_E_INVALID_STATE (job TRANSFERRED or
 * final). */
HRESULT STDMETHODCALLTYPE bgc_job_SetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD Flags)
{
    return bgcopy_job_set_peer_caching_flags(bgc_job_from_iface(iface)->h, Flags);
}

/* IBackgroundCopyJob4::GetPeerCachingFlags: the last value set, 0 by default. */
HRESULT STDMETHODCALLTYPE bgc_job_GetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD *pFlags)
{
    uint32_t v;
    if (!pFlags)
        return E_INVALIDARG;
    HRESULT hr = bgcopy_job_get_peer_caching_flags(bgc_job_from_iface(iface)->h, &v);
    if (SUCCEEDED(hr))
        *pFlags = v;
    return hr;
}

/* SECURITY_MANDATORY_MEDIUM_RID / _HIGH_RID (winnt.h). */
#define BGC_MANDATORY_MEDIUM_RID 0x2000u
#define BGC_MANDATORY_HIGH_RID 0x3000u

/* 1 when the job's owner, the user running this process, is an elevated
 * administrator.  Windows: the process token is elevated (TokenElevation;
 * BITS reads the owner's token too).  POSIX has no elevation, so root
 * (effective uid 0, which uv_os_get_passwd reports) stands for it. */
static int bgc_owner_elevated(void)
{
#ifdef _WIN32
    HANDLE token = NULL;
    TOKEN_ELEVATION elevation = {0};
    DWORD got = 0;
    int elevated = 0;
    if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
        if (GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &got))
            elevated = elevation.TokenIsElevated != 0;
        CloseHandle(token);
    }
    return elevated;
#else
    uv_passwd_t pw;
    if (uv_os_get_passwd(&pw) != 0)
        return 0;
    int elevated = pw.uid == 0;
    uv_os_free_passwd(&pw);
    return elevated;
#endif
}

/* IBackgroundCopyJob4::GetOwnerIntegrityLevel: an elevated owner (see
 * bgc_owner_elevated) maps to SECURITY_MANDATORY_HIGH_RID (0x3000), every
 * other owner to SECURITY_MANDATORY_MEDIUM_RID (0x2000, a standard user). */
HRESULT STDMETHODCALLTYPE bgc_job_GetOwnerIntegrityLevel(IBackgroundCopyJob5 *iface,
                                                         ULONG *pLevel)
{
    (void)iface;
    if (!pLevel)
        return E_INVALIDARG;
    *pLevel = bgc_owner_elevated() ? BGC_MANDATORY_HIGH_RID : BGC_MANDATORY_MEDIUM_RID;
    return S_OK;
}

/* IBackgroundCopyJob4::GetOwnerElevationState: TRUE for an elevated owner
 * (see bgc_owner_elevated), FALSE otherwise; same mapping as
 * GetOwnerIntegrityLevel. */
HRESULT STDMETHODCALLTYPE bgc_job_GetOwnerElevationState(IBackgroundCopyJob5 *iface,
                                                         BOOL *pElevated)
{
    (void)iface;
    if (!pElevated)
        return E_INVALIDARG;
    *pElevated = bgc_owner_elevated() ? TRUE : FALSE;
    return S_OK;
}

/* IBackgroundCopyJob4::SetMaximumDownloadTime / GetMaximumDownloadTime:
 * E_NOTIMPL -- the engine has no overall download deadline (only the
 * no-progress timeout), and storing a value that is never enforced would
 * pretend otherwise. */
HRESULT STDMETHODCALLTYPE bgc_job_SetMaximumDownloadTime(IBackgroundCopyJob5 *iface,
                                                         ULONG Timeout)
{
    (void)iface;
    (void)Timeout;
    return E_NOTIMPL;
}

HRESULT STDMETHODCALLTYPE bgc_job_GetMaximumDownloadTime(IBackgroundCopyJob5 *iface,
                                                         ULONG *pTimeout)
{
    (void)iface;
    (void)pTimeout;
    return E_NOTIMPL;
}

/* --------------------------------------------------- IBackgroundCopyJob5 */

/* 1 for an id BITS defines (1-5, 7, 9, 10). */
static int property_id_known(BITS_JOB_PROPERTY_ID id)
{
    switch ((int)id) {
    case BITS_JOB_PROPERTY_ID_COST_FLAGS:
    case BITS_JOB_PROPERTY_NOTIFICATION_CLSID:
    case BITS_JOB_PROPERTY_DYNAMIC_CONTENT:
    case BITS_JOB_PROPERTY_HIGH_PERFORMANCE:
    case BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE:
    case BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS:
    case BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS:
    case BITS_JOB_PROPERTY_ON_DEMAND_MODE:
        return 1;
    default:
        return 0;
    }
}

/* IBackgroundCopyJob5::SetProperty (value BY VALUE, spec §3.8/§5.3):
 *  - DYNAMIC_CONTENT (Enable), ON_DEMAND_MODE (Enable): the native
 *    setters; only before the first Resume
 *    (BG_E_READ_ONLY_PROPERTY_AFTER_RESUME), not together with ranges;
 *  - MAX_DOWNLOAD_SIZE: 0 is BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE, any
 *    other value E_NOTIMPL (no cap is enforced);
 *  - USE_STORED_CREDENTIALS: a target other than BG_AUTH_TARGET_PROXY is
 *    BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED, PROXY is E_NOTIMPL;
 *  - COST_FLAGS, NOTIFICATION_CLSID (needs the persistent queue and
 *    out-of-process activation), HIGH_PERFORMANCE,
 *    MINIMUM_NOTIFICATION_INTERVAL_MS: E_NOTIMPL;
 *  - any other id: BG_E_UNKNOWN_PROPERTY_ID. */
HRESULT STDMETHODCALLTYPE bgc_job_SetProperty(IBackgroundCopyJob5 *iface,
                                              BITS_JOB_PROPERTY_ID PropertyId,
                                              BITS_JOB_PROPERTY_VALUE PropertyValue)
{
    bgcopy_job *h = bgc_job_from_iface(iface)->h;
    switch ((int)PropertyId) {
    case BITS_JOB_PROPERTY_DYNAMIC_CONTENT:
        return bgcopy_job_set_dynamic_content(h, PropertyValue.Enable ? 1 : 0);
    case BITS_JOB_PROPERTY_ON_DEMAND_MODE:
        return bgcopy_job_set_on_demand(h, PropertyValue.Enable ? 1 : 0);
    case BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE:
        return PropertyValue.Uint64 == 0 ? BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE : E_NOTIMPL;
    case BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS:
        return PropertyValue.Target != BG_AUTH_TARGET_PROXY
                   ? BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED
                   : E_NOTIMPL;
    default:
        return property_id_known(PropertyId) ? E_NOTIMPL : BG_E_UNKNOWN_PROPERTY_ID;
    }
}

/* IBackgroundCopyJob5::GetProperty: DYNAMIC_CONTENT and ON_DEMAND_MODE
 * (Enable TRUE/FALSE); the ids SetProperty does not implement are
 * E_NOTIMPL; unknown ids BG_E_UNKNOWN_PROPERTY_ID; E_INVALIDARG for a NULL
 * PropertyValue.  The whole union is zeroed before the member is set. */
HRESULT STDMETHODCALLTYPE bgc_job_GetProperty(IBackgroundCopyJob5 *iface,
                                              BITS_JOB_PROPERTY_ID PropertyId,
                                              BITS_JOB_PROPERTY_VALUE *PropertyValue)
{
    if (!PropertyValue)
        return E_INVALIDARG;
    bgcopy_job *h = bgc_job_from_iface(iface)->h;
    int on = 0;
    HRESULT hr;
    switch ((int)PropertyId) {
    case BITS_JOB_PROPERTY_DYNAMIC_CONTENT:
        hr = bgcopy_job_get_dynamic_content(h, &on);
        break;
    case BITS_JOB_PROPERTY_ON_DEMAND_MODE:
        hr = bgcopy_job_get_on_demand(h, &on);
        break;
    default:
        return property_id_known(PropertyId) ? E_NOTIMPL : BG_E_UNKNOWN_PROPERTY_ID;
    }
    if (SUCCEEDED(hr)) {
        memset(PropertyValue, 0, sizeof *PropertyValue);
        PropertyValue->Enable = on ? TRUE : FALSE;
    }
    return hr;
}
