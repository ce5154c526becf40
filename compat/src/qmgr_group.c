/*
 * qmgr_group.c - IBackgroundCopyGroup (BITS 1.0 QMGR, spec §4.2/§4.3) over
 * the native group API (bgcopy_group_*), and the status/progress
 * derivations shared with IBackgroundCopyJob1.
 *
 * The object holds a bgcopy_group handle; the group lives in the engine,
 * so a group object of a cancelled group answers QM_E_ITEM_NOT_FOUND.
 */
#include "qmgr_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <wchar.h>

typedef struct qm_group_obj {
    IBackgroundCopyGroup iface;
    _Atomic ULONG ref;
    IBackgroundCopyManager *mgr; /* NULL for an object made for a notification */
    bgcopy_group *g;
} qm_group_obj;

static const IBackgroundCopyGroupVtbl group_vtbl;

static qm_group_obj *impl(IBackgroundCopyGroup *iface)
{
    return BGC_IMPL_FROM(qm_group_obj, iface, iface);
}

bgcopy_group *qm_group_handle(IBackgroundCopyGroup *iface)
{
    if (!iface || (const void *)iface->lpVtbl != (const void *)&group_vtbl)
        return NULL;
    return impl(iface)->g;
}

/* ---------------------------------------------------------- derivations */

HRESULT qm_hr(bgcopy_hr hr)
{
    if (hr == BGCOPY_E_NOT_FOUND)
        return QM_E_ITEM_NOT_FOUND;
    if (hr == BGCOPY_E_INVALID_STATE || hr == BGCOPY_E_EMPTY)
        return QM_E_INVALID_STATE;
    return hr;
}

void qm_split_error(HRESULT hr, DWORD *win32, DWORD *http)
{
    uint32_t u = (uint32_t)hr;
    *http = 0;
    if ((u & 0xFFFF0000u) == 0x80070000u) {
        *win32 = u & 0xFFFFu; /* HRESULT_FROM_WIN32(e): e itself */
    } else if ((u & 0xFFFF0000u) == 0x80190000u) {
        /* BG_E_HTTP_ERROR_nnn: the server's status; the Win32 result is the
         * Win32 error closest to it (what WinINet-era BITS reported). */
        *http = u & 0xFFFFu;
        if (*http == 404 || *http == 410)
            *win32 = QM_ERROR_FILE_NOT_FOUND;
        else if (*http == 401 || *http == 403 || *http == 407)
            *win32 = QM_ERROR_ACCESS_DENIED;
        else
            *win32 = u;
    } else {
        *win32 = u; /* no Win32 code: the HRESULT as a DWORD */
    }
}

HRESULT qm_progress(bgcopy_group *g, DWORD flags, DWORD *out)
{
    if (!out)
        return E_INVALIDARG;
    *out = 0;
    if (flags == QM_PROGRESS_TIME_DONE)
        return E_NOTIMPL;
    if (flags != QM_PROGRESS_PERCENT_DONE && flags != QM_PROGRESS_SIZE_DONE)
        return E_INVALIDARG;
    bgcopy_group_progress p;
    HRESULT hr = qm_hr(bgcopy_group_get_progress(g, &p));
    if (FAILED(hr))
        return hr;
    if (flags == QM_PROGRESS_SIZE_DONE)
        *out = p.bytes_transferred > 0xFFFFFFFFu ? 0xFFFFFFFFu : (DWORD)p.bytes_transferred;
    else
        *out = p.percent;
    return S_OK;
}

/* ------------------------------------------------------------- IUnknown */

static HRESULT STDMETHODCALLTYPE g_QueryInterface(IBackgroundCopyGroup *iface, REFIID riid,
                                                  void **ppv)
{
    if (!ppv)
        return E_INVALIDARG;
    if (bgc_iid_eq(riid, &IID_IUnknown) || bgc_iid_eq(riid, &IID_IBackgroundCopyGroup)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE g_AddRef(IBackgroundCopyGroup *iface)
{
    return atomic_fetch_add(&impl(iface)->ref, 1) + 1;
}

static ULONG STDMETHODCALLTYPE g_Release(IBackgroundCopyGroup *iface)
{
    qm_group_obj *o = impl(iface);
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

/* ------------------------------------------------------------ properties */

static int variant_int(const VARIANT *v, LONG *out)
{
    switch (v->vt) {
    case VT_I4: *out = v->lVal; return 1;
    case VT_I2: *out = v->iVal; return 1;
    case VT_UI4: *out = (LONG)v->ulVal; return 1;
    case VT_UI2: *out = v->uiVal; return 1;
    case VT_INT: *out = v->intVal; return 1;
    case VT_UINT: *out = (LONG)v->uintVal; return 1;
    default: return 0;
    }
}

static HRESULT bstr_out(VARIANT *v, const WCHAR *s)
{
    BSTR b = SysAllocString(s ? s : L"");
    if (!b)
        return E_OUTOFMEMORY;
    v->vt = VT_BSTR;
    v->bstrVal = b;
    return S_OK;
}

/* A VT_BSTR holding UTF-8 |s| (NULL: empty); frees |s|. */
static HRESULT bstr_out_utf8(VARIANT *v, char *s, HRESULT hr)
{
    WCHAR *w = NULL;
    if (SUCCEEDED(hr))
        hr = bgc_utf8_to_wstr_alloc(s ? s : "", malloc, &w);
    bgcopy_free(s);
    if (SUCCEEDED(hr))
        hr = bstr_out(v, w);
    free(w);
    return hr;
}

/* IBackgroundCopyGroup::GetProp.  *pvarVal is overwritten (not cleared:
 * it is an [out] parameter); VT_BSTR results belong to the caller
 * (VariantClear).  E_NOTIMPL for the properties Windows does not support
 * (user ids/passwords, PROGRESSSIZE/PERCENT/TIME) and unknown ids. */
static HRESULT STDMETHODCALLTYPE g_GetProp(IBackgroundCopyGroup *iface, GROUPPROP propID,
                                           VARIANT *pvarVal)
{
    bgcopy_group *g = impl(iface)->g;
    if (!pvarVal)
        return E_INVALIDARG;
    VariantInit(pvarVal);
    HRESULT hr;
    uint32_t n = 0;
    char *text = NULL;
    switch ((int)propID) {
    case GROUPPROP_PRIORITY:
        hr = bgcopy_group_get_priority(g, &n);
        break;
    case GROUPPROP_PROTOCOLFLAGS:
        hr = bgcopy_group_get_protocol_flags(g, &n);
        break;
    case GROUPPROP_NOTIFYFLAGS:
        hr = bgcopy_group_get_notify_flags(g, &n);
        break;
    case GROUPPROP_NOTIFYCLSID: {
        bgcopy_guid c;
        hr = qm_hr(bgcopy_group_get_notify_clsid(g, &c));
        if (SUCCEEDED(hr)) {
            WCHAR buf[40];
            GUID cg;
            memcpy(&cg, &c, sizeof cg);
            StringFromGUID2(&cg, buf, 40);
            hr = bstr_out(pvarVal, buf);
        }
        return hr;
    }
    case GROUPPROP_DISPLAYNAME:
        hr = qm_hr(bgcopy_group_get_display_name(g, &text));
        return bstr_out_utf8(pvarVal, text, hr);
    case GROUPPROP_DESCRIPTION:
        hr = qm_hr(bgcopy_group_get_description(g, &text));
        return bstr_out_utf8(pvarVal, text, hr);
    default:
        return E_NOTIMPL;
    }
    hr = qm_hr(hr);
    if (SUCCEEDED(hr)) {
        pvarVal->vt = VT_I4;
        pvarVal->lVal = (LONG)n;
    }
    return hr;
}

/* A string property from a VT_BSTR (NULL: empty), E_INVALIDARG else. */
static HRESULT set_text(bgcopy_group *g, const VARIANT *v, int is_name)
{
    if (v->vt != VT_BSTR)
        return E_INVALIDARG;
    char *s = NULL;
    HRESULT hr = bgc_wstr_to_utf8(v->bstrVal ? v->bstrVal : L"", &s);
    if (FAILED(hr))
        return hr == E_OUTOFMEMORY ? hr : E_INVALIDARG;
    hr = is_name ? bgcopy_group_set_display_name(g, s) : bgcopy_group_set_description(g, s);
    bgcopy_free(s);
    return qm_hr(hr);
}

/* IBackgroundCopyGroup::SetProp.  Integer properties take VT_I4, VT_I2,
 * VT_UI4, VT_UI2, VT_INT or VT_UINT; string ones VT_BSTR; another type is
 * E_INVALIDARG, as is a value outside the property's range (PRIORITY must
 * be 1, PROTOCOLFLAGS QM_PROTOCOL_HTTP, NOTIFYFLAGS only QM_NOTIFY_* bits,
 * NOTIFYCLSID a "{...}" CLSID string, DISPLAYNAME <= 256 and DESCRIPTION
 * <= 1024 characters).  Setting NOTIFYCLSID delivers notifications still
 * owed to the group (a restarted client; the engine's rule). */
static HRESULT STDMETHODCALLTYPE g_SetProp(IBackgroundCopyGroup *iface, GROUPPROP propID,
                                           VARIANT *pvarVal)
{
    bgcopy_group *g = impl(iface)->g;
    if (!pvarVal)
        return E_INVALIDARG;
    LONG n = 0;
    int is_int = variant_int(pvarVal, &n);
    /* A value of the wrong type goes to the engine as one it refuses. */
    switch ((int)propID) {
    case GROUPPROP_PRIORITY:
        return qm_hr(bgcopy_group_set_priority(g, is_int ? (uint32_t)n : UINT32_MAX));
    case GROUPPROP_PROTOCOLFLAGS:
        return qm_hr(bgcopy_group_set_protocol_flags(g, is_int ? (uint32_t)n : UINT32_MAX));
    case GROUPPROP_NOTIFYFLAGS:
        return qm_hr(bgcopy_group_set_notify_flags(g, is_int ? (uint32_t)n : UINT32_MAX));
    case GROUPPROP_NOTIFYCLSID: {
        CLSID c;
        if (pvarVal->vt != VT_BSTR || !pvarVal->bstrVal ||
            FAILED(CLSIDFromString(pvarVal->bstrVal, &c)))
            return E_INVALIDARG;
        bgcopy_guid id;
        memcpy(&id, &c, sizeof id);
        return qm_hr(bgcopy_group_set_notify_clsid(g, &id));
    }
    case GROUPPROP_DISPLAYNAME:
        return set_text(g, pvarVal, 1);
    case GROUPPROP_DESCRIPTION:
        return set_text(g, pvarVal, 0);
    default:
        return E_NOTIMPL;
    }
}

/* ------------------------------------------------------- state, progress */

/* IBackgroundCopyGroup::GetProgress: QM_PROGRESS_PERCENT_DONE (0-100) or
 * QM_PROGRESS_SIZE_DONE (bytes, clamped to a DWORD); E_NOTIMPL for
 * QM_PROGRESS_TIME_DONE, E_INVALIDARG for other values. */
static HRESULT STDMETHODCALLTYPE g_GetProgress(IBackgroundCopyGroup *iface, DWORD dwFlags,
                                               DWORD *pdwProgress)
{
    return qm_progress(impl(iface)->g, dwFlags, pdwProgress);
}

/* IBackgroundCopyGroup::GetStatus: QM_STATUS_GROUP_* bits; the job index is
 * always 0 (a group has one job). */
static HRESULT STDMETHODCALLTYPE g_GetStatus(IBackgroundCopyGroup *iface, DWORD *pdwStatus,
                                             DWORD *pdwJobIndex)
{
    if (!pdwStatus || !pdwJobIndex)
        return E_INVALIDARG;
    *pdwJobIndex = 0;
    bgcopy_group_status st;
    HRESULT hr = qm_hr(bgcopy_group_get_status(impl(iface)->g, &st));
    if (SUCCEEDED(hr))
        *pdwStatus = st.group_status;
    return hr;
}

/* IBackgroundCopyGroup::GetJob: the group's job when |jobID| is its GUID,
 * else QM_E_ITEM_NOT_FOUND. */
static HRESULT STDMETHODCALLTYPE g_GetJob(IBackgroundCopyGroup *iface, GUID jobID,
                                          IBackgroundCopyJob1 **ppJob)
{
    qm_group_obj *o = impl(iface);
    if (!ppJob)
        return E_INVALIDARG;
    *ppJob = NULL;
    bgcopy_guid id;
    if (bgcopy_group_get_job_id(o->g, &id) != BGCOPY_S_OK || memcmp(&id, &jobID, sizeof id) != 0)
        return QM_E_ITEM_NOT_FOUND;
    return qm_job1_create(o->mgr, o->g, ppJob);
}

/* IBackgroundCopyGroup::SuspendGroup: stop the transfer; bytes are kept.
 * S_OK also for a complete group. */
static HRESULT STDMETHODCALLTYPE g_SuspendGroup(IBackgroundCopyGroup *iface)
{
    return qm_hr(bgcopy_group_suspend(impl(iface)->g));
}

/* IBackgroundCopyGroup::ResumeGroup: queue the group (also after an error,
 * which retries it).  QM_E_INVALID_STATE when it has no files yet; S_OK
 * with nothing to do for a complete group. */
static HRESULT STDMETHODCALLTYPE g_ResumeGroup(IBackgroundCopyGroup *iface)
{
    return qm_hr(bgcopy_group_resume(impl(iface)->g));
}

/* IBackgroundCopyGroup::CancelGroup: remove the group (irreversible).
 * Unlike the modern Cancel, files that finished downloading keep their
 * bytes under their local names; unfinished ones are deleted
 * (bgcopy_group_cancel). */
static HRESULT STDMETHODCALLTYPE g_CancelGroup(IBackgroundCopyGroup *iface)
{
    return qm_hr(bgcopy_group_cancel(impl(iface)->g));
}

/* IBackgroundCopyGroup::get_Size: total bytes of the group's files, 0 while
 * any size is unknown (clamped to a DWORD). */
static HRESULT STDMETHODCALLTYPE g_get_Size(IBackgroundCopyGroup *iface, DWORD *pdwSize)
{
    if (!pdwSize)
        return E_INVALIDARG;
    *pdwSize = 0;
    bgcopy_group_progress p;
    HRESULT hr = qm_hr(bgcopy_group_get_progress(impl(iface)->g, &p));
    if (SUCCEEDED(hr) && p.bytes_total != BGCOPY_SIZE_UNKNOWN)
        *pdwSize = p.bytes_total > 0xFFFFFFFFu ? 0xFFFFFFFFu : (DWORD)p.bytes_total;
    return hr;
}

/* IBackgroundCopyGroup::get_GroupID. */
static HRESULT STDMETHODCALLTYPE g_get_GroupID(IBackgroundCopyGroup *iface, GUID *pguidGroupID)
{
    if (!pguidGroupID)
        return E_INVALIDARG;
    bgcopy_guid id;
    bgcopy_group_get_id(impl(iface)->g, &id);
    memcpy(pguidGroupID, &id, sizeof id);
    return S_OK;
}

/* IBackgroundCopyGroup::CreateJob: the group's one job, named |guidJobID|.
 * E_NOTIMPL when the group already has it, QM_E_INVALID_STATE while the
 * group is running (queued or transferring) or complete. */
static HRESULT STDMETHODCALLTYPE g_CreateJob(IBackgroundCopyGroup *iface, GUID guidJobID,
                                             IBackgroundCopyJob1 **ppJob)
{
    qm_group_obj *o = impl(iface);
    if (!ppJob)
        return E_INVALIDARG;
    *ppJob = NULL;
    bgcopy_guid id;
    memcpy(&id, &guidJobID, sizeof id);
    HRESULT hr = qm_hr(bgcopy_group_create_job(o->g, &id));
    if (FAILED(hr))
        return hr;
    return qm_job1_create(o->mgr, o->g, ppJob);
}

/* IBackgroundCopyGroup::EnumJobs: the GUID of the group's job (0 or 1
 * element).  dwFlags must be 0, else E_NOTIMPL. */
static HRESULT STDMETHODCALLTYPE g_EnumJobs(IBackgroundCopyGroup *iface, DWORD dwFlags,
                                            IEnumBackgroundCopyJobs1 **ppEnumJobs)
{
    qm_group_obj *o = impl(iface);
    if (!ppEnumJobs)
        return E_INVALIDARG;
    *ppEnumJobs = NULL;
    if (dwFlags != 0)
        return E_NOTIMPL;
    bgcopy_guid id;
    HRESULT hr = qm_hr(bgcopy_group_get_job_id(o->g, &id));
    if (FAILED(hr))
        return hr;
    GUID *ids = malloc(sizeof *ids);
    if (!ids)
        return E_OUTOFMEMORY;
    ULONG n = 0;
    if (hr == S_OK)
        memcpy(&ids[n++], &id, sizeof id);
    return qm_enum_jobs1_create(ids, n, ppEnumJobs);
}

/* IBackgroundCopyGroup::SwitchToForeground: download at foreground
 * priority (the modern BG_JOB_PRIORITY_FOREGROUND); the group then reports
 * QM_STATUS_GROUP_FOREGROUND. */
static HRESULT STDMETHODCALLTYPE g_SwitchToForeground(IBackgroundCopyGroup *iface)
{
    return qm_hr(bgcopy_group_switch_to_foreground(impl(iface)->g));
}

/* IBackgroundCopyGroup::QueryNewJobInterface ("internal use only" on
 * Windows; UNCONFIRMED).  bgcopy: the modern job behind the group, as
 * |iid| (IID_IBackgroundCopyJob or IID_IUnknown...).  E_NOINTERFACE when
 * the job has no such interface; QM_E_ITEM_NOT_FOUND once the group is
 * complete (its job left the queue). */
static HRESULT STDMETHODCALLTYPE g_QueryNewJobInterface(IBackgroundCopyGroup *iface, REFIID iid,
                                                        IUnknown **pUnk)
{
    bgcopy_group *g = impl(iface)->g;
    if (!pUnk || !iid)
        return E_INVALIDARG;
    *pUnk = NULL;
    bgcopy_group_status st;
    HRESULT hr = qm_hr(bgcopy_group_get_status(g, &st));
    if (FAILED(hr))
        return hr;
    if (st.group_status & BGCOPY_GROUP_STATUS_COMPLETE)
        return QM_E_ITEM_NOT_FOUND;
    bgcopy_job *h = NULL;
    hr = bgcopy_group_get_job(g, &h);
    if (FAILED(hr))
        return hr;
    IBackgroundCopyJob *job = NULL;
    hr = bgc_job_create(h, !bgc_in_notification(), &job); /* takes over h */
    if (FAILED(hr))
        return hr;
    hr = job->lpVtbl->QueryInterface(job, iid, (void **)pUnk);
    job->lpVtbl->Release(job);
    return hr;
}

/* IBackgroundCopyGroup::SetNotificationPointer ("internal use only";
 * UNCONFIRMED).  bgcopy: register |pUnk| directly as the group's
 * IBackgroundCopyCallback1 (|iid| must be IID_IBackgroundCopyCallback1,
 * else E_NOINTERFACE); it is used instead of GROUPPROP_NOTIFYCLSID and is
 * AddRef'ed until replaced, cleared (pUnk NULL) or the group is cancelled.
 * Owed notifications are delivered at once. */
static HRESULT STDMETHODCALLTYPE g_SetNotificationPointer(IBackgroundCopyGroup *iface, REFIID iid,
                                                          IUnknown *pUnk)
{
    qm_group_obj *o = impl(iface);
    if (!iid || !bgc_iid_eq(iid, &IID_IBackgroundCopyCallback1))
        return E_NOINTERFACE;
    IBackgroundCopyCallback1 *cb = NULL;
    if (pUnk) {
        HRESULT hr = pUnk->lpVtbl->QueryInterface(pUnk, &IID_IBackgroundCopyCallback1, (void **)&cb);
        if (FAILED(hr) || !cb)
            return E_NOINTERFACE;
    }
    HRESULT hr = qm_notify_set_direct(o->g, cb);
    if (cb)
        cb->lpVtbl->Release(cb);
    return qm_hr(hr);
}

static const IBackgroundCopyGroupVtbl group_vtbl = {
    g_QueryInterface, g_AddRef, g_Release,
    g_GetProp, g_SetProp, g_GetProgress, g_GetStatus, g_GetJob,
    g_SuspendGroup, g_ResumeGroup, g_CancelGroup, g_get_Size, g_get_GroupID,
    g_CreateJob, g_EnumJobs, g_SwitchToForeground, g_QueryNewJobInterface,
    g_SetNotificationPointer,
};

HRESULT qm_group_create(IBackgroundCopyManager *mgr, bgcopy_group *g, IBackgroundCopyGroup **out)
{
    *out = NULL;
    qm_group_obj *o = calloc(1, sizeof *o);
    if (!o)
        return E_OUTOFMEMORY;
    BGC_SET_VTBL(&o->iface, &group_vtbl);
    atomic_init(&o->ref, 1);
    if (mgr)
        mgr->lpVtbl->AddRef(mgr);
    o->mgr = mgr;
    bgcopy_group_addref(g);
    o->g = g;
    *out = &o->iface;
    return S_OK;
}
