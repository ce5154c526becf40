/*
 * qmgr_group.c - IBackgroundCopyGroup (BITS 1.0 QMGR, spec §4.2/§4.3) and
 * the status/progress derivations shared with IBackgroundCopyJob1.
 *
 * The object holds the group's GUID and an IBackgroundCopyManager; every
 * method looks the group up in the table (qmgr_groups.c), so a group object
 * of a cancelled group answers QM_E_ITEM_NOT_FOUND.
 */
#include "qmgr_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <wchar.h>

typedef struct qm_group_obj {
    IBackgroundCopyGroup iface;
    _Atomic ULONG ref;
    IBackgroundCopyManager *mgr;
    GUID id;
} qm_group_obj;

static qm_group_obj *impl(IBackgroundCopyGroup *iface)
{
    return BGC_IMPL_FROM(qm_group_obj, iface, iface);
}

/* ---------------------------------------------------------- derivations */

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

static int state_running(BG_JOB_STATE s)
{
    return s == BG_JOB_STATE_QUEUED || s == BG_JOB_STATE_CONNECTING ||
           s == BG_JOB_STATE_TRANSFERRING || s == BG_JOB_STATE_TRANSIENT_ERROR;
}

HRESULT qm_status_locked(IBackgroundCopyManager *mgr, const qm_group *g, DWORD *group_status,
                         DWORD *job_status, DWORD *win32, DWORD *http, DWORD *retries,
                         DWORD *file_index)
{
    DWORD gs = 0, js = 0, w = 0, h = 0, r = 0, fi = (DWORD)-1;
    if (g->done) {
        /* Finished groups are auto-suspended (spec §4.2). */
        gs = QM_STATUS_GROUP_COMPLETE | QM_STATUS_GROUP_SUSPENDED;
        js = QM_STATUS_JOB_COMPLETE;
    } else {
        IBackgroundCopyJob *job;
        HRESULT hr = qm_job_locked(mgr, g, &job);
        if (FAILED(hr))
            return hr;
        BG_JOB_STATE st = BG_JOB_STATE_SUSPENDED;
        job->lpVtbl->GetState(job, &st);
        if (st == BG_JOB_STATE_TRANSFERRED || st == BG_JOB_STATE_ACKNOWLEDGED) {
            gs = QM_STATUS_GROUP_COMPLETE;
            js = QM_STATUS_JOB_COMPLETE;
        } else {
            gs = QM_STATUS_GROUP_INCOMPLETE;
            js = QM_STATUS_JOB_INCOMPLETE;
            if (!state_running(st))
                gs |= QM_STATUS_GROUP_SUSPENDED;
            if (st == BG_JOB_STATE_ERROR) {
                gs |= QM_STATUS_GROUP_ERROR;
                js |= QM_STATUS_JOB_ERROR;
                IBackgroundCopyError *err = NULL;
                if (SUCCEEDED(job->lpVtbl->GetError(job, &err)) && err) {
                    BG_ERROR_CONTEXT ctx;
                    HRESULT code = S_OK;
                    err->lpVtbl->GetError(err, &ctx, &code);
                    qm_split_error(code, &w, &h);
                    IBackgroundCopyFile *f = NULL;
                    if (SUCCEEDED(err->lpVtbl->GetFile(err, &f)) && f) {
                        /* Index of the failing file: match its local name. */
                        LPWSTR local = NULL;
                        if (SUCCEEDED(f->lpVtbl->GetLocalName(f, &local)) && local) {
                            for (uint32_t i = 0; i < g->file_count; i++) {
                                if (wcscmp(g->files[i].local, local) == 0) {
                                    fi = i;
                                    break;
                                }
                            }
                            CoTaskMemFree(local);
                        }
                        f->lpVtbl->Release(f);
                    }
                    err->lpVtbl->Release(err);
                }
                ULONG n = 0;
                job->lpVtbl->GetErrorCount(job, &n);
                r = n;
            }
        }
        job->lpVtbl->Release(job);
    }
    if (g->foreground)
        gs |= QM_STATUS_GROUP_FOREGROUND;
    if (group_status)
        *group_status = gs;
    if (job_status)
        *job_status = js;
    if (win32)
        *win32 = w;
    if (http)
        *http = h;
    if (retries)
        *retries = r;
    if (file_index)
        *file_index = fi;
    return S_OK;
}

/* Bytes total (UINT64_MAX unknown) and transferred of group |g|. */
static HRESULT bytes_locked(IBackgroundCopyManager *mgr, const qm_group *g, uint64_t *total,
                            uint64_t *done)
{
    if (g->done) {
        *total = g->done_bytes;
        *done = g->done_bytes;
        return S_OK;
    }
    IBackgroundCopyJob *job;
    HRESULT hr = qm_job_locked(mgr, g, &job);
    if (FAILED(hr))
        return hr;
    BG_JOB_PROGRESS p;
    memset(&p, 0, sizeof p);
    hr = job->lpVtbl->GetProgress(job, &p);
    job->lpVtbl->Release(job);
    *total = p.BytesTotal;
    *done = p.BytesTransferred;
    return hr;
}

HRESULT qm_progress_locked(IBackgroundCopyManager *mgr, const qm_group *g, DWORD flags,
                           DWORD *out)
{
    if (!out)
        return E_INVALIDARG;
    *out = 0;
    if (flags == QM_PROGRESS_TIME_DONE)
        return E_NOTIMPL;
    if (flags != QM_PROGRESS_PERCENT_DONE && flags != QM_PROGRESS_SIZE_DONE)
        return E_INVALIDARG;
    uint64_t total, done;
    HRESULT hr = bytes_locked(mgr, g, &total, &done);
    if (FAILED(hr))
        return hr;
    if (flags == QM_PROGRESS_SIZE_DONE) {
        *out = done > 0xFFFFFFFFu ? 0xFFFFFFFFu : (DWORD)done; /* a DWORD: clamp */
    } else if (g->done) {
        *out = 100;
    } else if (total != BG_SIZE_UNKNOWN && total > 0) {
        *out = (DWORD)(done * 100u / total);
    }
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
        free(o);
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

/* IBackgroundCopyGroup::GetProp.  *pvarVal is overwritten (not cleared:
 * it is an [out] parameter); VT_BSTR results belong to the caller
 * (VariantClear).  E_NOTIMPL for the properties Windows does not support
 * (user ids/passwords, PROGRESSSIZE/PERCENT/TIME) and unknown ids. */
static HRESULT STDMETHODCALLTYPE g_GetProp(IBackgroundCopyGroup *iface, GROUPPROP propID,
                                           VARIANT *pvarVal)
{
    qm_group_obj *o = impl(iface);
    if (!pvarVal)
        return E_INVALIDARG;
    VariantInit(pvarVal);
    HRESULT hr = S_OK;
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    if (!g) {
        qm_unlock();
        return QM_E_ITEM_NOT_FOUND;
    }
    switch ((int)propID) {
    case GROUPPROP_PRIORITY:
        pvarVal->vt = VT_I4;
        pvarVal->lVal = 1; /* the only priority */
        break;
    case GROUPPROP_PROTOCOLFLAGS:
        pvarVal->vt = VT_I4;
        pvarVal->lVal = (LONG)g->protocol_flags;
        break;
    case GROUPPROP_NOTIFYFLAGS:
        pvarVal->vt = VT_I4;
        pvarVal->lVal = (LONG)g->notify_flags;
        break;
    case GROUPPROP_NOTIFYCLSID: {
        WCHAR text[40];
        StringFromGUID2(g->has_clsid ? &g->clsid : &GUID_NULL, text, 40);
        hr = bstr_out(pvarVal, text);
        break;
    }
    case GROUPPROP_DISPLAYNAME:
        hr = bstr_out(pvarVal, g->display_name);
        break;
    case GROUPPROP_DESCRIPTION:
        hr = bstr_out(pvarVal, g->description);
        break;
    default:
        hr = E_NOTIMPL;
        break;
    }
    qm_unlock();
    return hr;
}

/* Set a string property: |max| characters, VT_BSTR only. */
static HRESULT set_text_locked(IBackgroundCopyManager *mgr, qm_group *g, WCHAR **slot,
                               const VARIANT *v, size_t max, int is_name)
{
    if (v->vt != VT_BSTR)
        return E_INVALIDARG;
    const WCHAR *s = v->bstrVal ? v->bstrVal : L"";
    if (qm_wcslen(s) > max)
        return E_INVALIDARG;
    WCHAR *copy = qm_wcsdup(s);
    if (!copy)
        return E_OUTOFMEMORY;
    free(*slot);
    *slot = copy;
    if (!g->done) { /* mirror it on the modern job, for modern clients */
        IBackgroundCopyJob *job;
        if (SUCCEEDED(qm_job_locked(mgr, g, &job))) {
            if (is_name)
                job->lpVtbl->SetDisplayName(job, copy);
            else
                job->lpVtbl->SetDescription(job, copy);
            job->lpVtbl->Release(job);
        }
    }
    return S_OK;
}

/* IBackgroundCopyGroup::SetProp.  Integer properties take VT_I4, VT_I2,
 * VT_UI4, VT_UI2, VT_INT or VT_UINT; string ones VT_BSTR; another type is
 * E_INVALIDARG, as is a value outside the property's range (PRIORITY must
 * be 1, PROTOCOLFLAGS QM_PROTOCOL_HTTP, NOTIFYFLAGS only QM_NOTIFY_* bits,
 * NOTIFYCLSID a "{...}" CLSID string, DISPLAYNAME <= 256 and DESCRIPTION
 * <= 1024 characters).  Setting NOTIFYCLSID delivers notifications still
 * owed to the group (a restarted client). */
static HRESULT STDMETHODCALLTYPE g_SetProp(IBackgroundCopyGroup *iface, GROUPPROP propID,
                                           VARIANT *pvarVal)
{
    qm_group_obj *o = impl(iface);
    if (!pvarVal)
        return E_INVALIDARG;
    switch ((int)propID) {
    case GROUPPROP_PRIORITY: case GROUPPROP_PROTOCOLFLAGS: case GROUPPROP_NOTIFYFLAGS:
    case GROUPPROP_NOTIFYCLSID: case GROUPPROP_DISPLAYNAME: case GROUPPROP_DESCRIPTION:
        break;
    default:
        return E_NOTIMPL;
    }
    HRESULT hr = S_OK;
    int kick = 0;
    LONG n = 0;
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    if (!g) {
        qm_unlock();
        return QM_E_ITEM_NOT_FOUND;
    }
    switch ((int)propID) {
    case GROUPPROP_PRIORITY:
        if (!variant_int(pvarVal, &n) || n != 1)
            hr = E_INVALIDARG;
        break;
    case GROUPPROP_PROTOCOLFLAGS:
        if (!variant_int(pvarVal, &n) || n != QM_PROTOCOL_HTTP)
            hr = E_INVALIDARG;
        break;
    case GROUPPROP_NOTIFYFLAGS: {
        const DWORD known = QM_NOTIFY_FILE_DONE | QM_NOTIFY_JOB_DONE | QM_NOTIFY_GROUP_DONE |
                            QM_NOTIFY_DISABLE_NOTIFY | QM_NOTIFY_USE_PROGRESSEX;
        if (!variant_int(pvarVal, &n) || ((DWORD)n & ~known))
            hr = E_INVALIDARG;
        else
            g->notify_flags = (DWORD)n;
        break;
    }
    case GROUPPROP_NOTIFYCLSID: {
        CLSID c;
        if (pvarVal->vt != VT_BSTR || !pvarVal->bstrVal ||
            FAILED(CLSIDFromString(pvarVal->bstrVal, &c))) {
            hr = E_INVALIDARG;
        } else {
            g->has_clsid = !IsEqualGUID(&c, &GUID_NULL);
            g->clsid = c;
            kick = g->has_clsid;
        }
        break;
    }
    case GROUPPROP_DISPLAYNAME:
        hr = set_text_locked(o->mgr, g, &g->display_name, pvarVal, BGCOPY_MAX_DISPLAY_NAME, 1);
        break;
    case GROUPPROP_DESCRIPTION:
        hr = set_text_locked(o->mgr, g, &g->description, pvarVal, BGCOPY_MAX_DESCRIPTION, 0);
        break;
    }
    qm_unlock();
    if (kick)
        qm_kick(o->mgr, &o->id);
    return hr;
}

/* ------------------------------------------------------- state, progress */

/* IBackgroundCopyGroup::GetProgress: QM_PROGRESS_PERCENT_DONE (0-100) or
 * QM_PROGRESS_SIZE_DONE (bytes, clamped to a DWORD); E_NOTIMPL for
 * QM_PROGRESS_TIME_DONE, E_INVALIDARG for other values. */
static HRESULT STDMETHODCALLTYPE g_GetProgress(IBackgroundCopyGroup *iface, DWORD dwFlags,
                                               DWORD *pdwProgress)
{
    qm_group_obj *o = impl(iface);
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    HRESULT hr = g ? qm_progress_locked(o->mgr, g, dwFlags, pdwProgress) : QM_E_ITEM_NOT_FOUND;
    qm_unlock();
    return hr;
}

/* IBackgroundCopyGroup::GetStatus: QM_STATUS_GROUP_* bits; the job index is
 * always 0 (a group has one job). */
static HRESULT STDMETHODCALLTYPE g_GetStatus(IBackgroundCopyGroup *iface, DWORD *pdwStatus,
                                             DWORD *pdwJobIndex)
{
    qm_group_obj *o = impl(iface);
    if (!pdwStatus || !pdwJobIndex)
        return E_INVALIDARG;
    *pdwJobIndex = 0;
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    HRESULT hr = g ? qm_status_locked(o->mgr, g, pdwStatus, NULL, NULL, NULL, NULL, NULL)
                   : QM_E_ITEM_NOT_FOUND;
    qm_unlock();
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
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    int found = g && g->has_job1 && IsEqualGUID(&g->job1_id, &jobID);
    qm_unlock();
    if (!found)
        return QM_E_ITEM_NOT_FOUND;
    return qm_job1_create(o->mgr, &o->id, ppJob);
}

/* Run |op| (0 suspend, 1 resume) on the group's modern job. */
static HRESULT run_job_op(qm_group_obj *o, int op)
{
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    HRESULT hr = S_OK;
    if (!g) {
        hr = QM_E_ITEM_NOT_FOUND;
    } else if (!g->done) {
        IBackgroundCopyJob *job;
        hr = qm_job_locked(o->mgr, g, &job);
        if (SUCCEEDED(hr)) {
            hr = op ? job->lpVtbl->Resume(job) : job->lpVtbl->Suspend(job);
            job->lpVtbl->Release(job);
            if (hr == BG_E_EMPTY)
                hr = QM_E_INVALID_STATE; /* nothing to download yet */
        }
    }
    qm_unlock();
    return hr;
}

/* IBackgroundCopyGroup::SuspendGroup: stop the transfer; bytes are kept.
 * S_OK also for a complete group. */
static HRESULT STDMETHODCALLTYPE g_SuspendGroup(IBackgroundCopyGroup *iface)
{
    return run_job_op(impl(iface), 0);
}

/* IBackgroundCopyGroup::ResumeGroup: queue the group (also after an error,
 * which retries it).  QM_E_INVALID_STATE when it has no files yet; S_OK
 * with nothing to do for a complete group. */
static HRESULT STDMETHODCALLTYPE g_ResumeGroup(IBackgroundCopyGroup *iface)
{
    return run_job_op(impl(iface), 1);
}

/* IBackgroundCopyGroup::CancelGroup: remove the group (irreversible).
 * Unlike the modern Cancel, files that finished downloading keep their
 * bytes: they get their local names (the modern Complete does exactly
 * that); unfinished ones are deleted. */
static HRESULT STDMETHODCALLTYPE g_CancelGroup(IBackgroundCopyGroup *iface)
{
    qm_group_obj *o = impl(iface);
    IBackgroundCopyCallback1 *sink = NULL;
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    if (!g) {
        qm_unlock();
        return QM_E_ITEM_NOT_FOUND;
    }
    if (!g->done) {
        IBackgroundCopyJob *job;
        if (SUCCEEDED(qm_job_locked(o->mgr, g, &job))) {
            job->lpVtbl->SetNotifyInterface(job, NULL);
            HRESULT hr = job->lpVtbl->Complete(job);
            if (FAILED(hr))
                hr = job->lpVtbl->Cancel(job);
            job->lpVtbl->Release(job);
        }
    }
    qm_remove_locked(&o->id, &sink);
    qm_unlock();
    if (sink)
        sink->lpVtbl->Release(sink);
    return S_OK;
}

/* IBackgroundCopyGroup::get_Size: total bytes of the group's files, 0 while
 * any size is unknown (clamped to a DWORD). */
static HRESULT STDMETHODCALLTYPE g_get_Size(IBackgroundCopyGroup *iface, DWORD *pdwSize)
{
    qm_group_obj *o = impl(iface);
    if (!pdwSize)
        return E_INVALIDARG;
    *pdwSize = 0;
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    HRESULT hr = QM_E_ITEM_NOT_FOUND;
    if (g) {
        uint64_t total = 0, done = 0;
        hr = bytes_locked(o->mgr, g, &total, &done);
        if (SUCCEEDED(hr) && total != BG_SIZE_UNKNOWN)
            *pdwSize = total > 0xFFFFFFFFu ? 0xFFFFFFFFu : (DWORD)total;
    }
    qm_unlock();
    return hr;
}

/* IBackgroundCopyGroup::get_GroupID. */
static HRESULT STDMETHODCALLTYPE g_get_GroupID(IBackgroundCopyGroup *iface, GUID *pguidGroupID)
{
    if (!pguidGroupID)
        return E_INVALIDARG;
    *pguidGroupID = impl(iface)->id;
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
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    HRESULT hr = S_OK;
    if (!g) {
        hr = QM_E_ITEM_NOT_FOUND;
    } else if (g->has_job1) {
        hr = E_NOTIMPL;
    } else if (g->done) {
        hr = QM_E_INVALID_STATE;
    } else {
        IBackgroundCopyJob *job;
        hr = qm_job_locked(o->mgr, g, &job);
        if (SUCCEEDED(hr)) {
            BG_JOB_STATE st = BG_JOB_STATE_SUSPENDED;
            job->lpVtbl->GetState(job, &st);
            job->lpVtbl->Release(job);
            if (state_running(st)) {
                hr = QM_E_INVALID_STATE;
            } else {
                g->has_job1 = 1;
                g->job1_id = guidJobID;
            }
        }
    }
    qm_unlock();
    if (FAILED(hr))
        return hr;
    return qm_job1_create(o->mgr, &o->id, ppJob);
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
    GUID *ids = malloc(sizeof *ids);
    if (!ids)
        return E_OUTOFMEMORY;
    ULONG n = 0;
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    if (g && g->has_job1)
        ids[n++] = g->job1_id;
    qm_unlock();
    if (!g) {
        free(ids);
        return QM_E_ITEM_NOT_FOUND;
    }
    return qm_enum_jobs1_create(ids, n, ppEnumJobs);
}

/* IBackgroundCopyGroup::SwitchToForeground: download at foreground
 * priority (the modern BG_JOB_PRIORITY_FOREGROUND); the group then reports
 * QM_STATUS_GROUP_FOREGROUND. */
static HRESULT STDMETHODCALLTYPE g_SwitchToForeground(IBackgroundCopyGroup *iface)
{
    qm_group_obj *o = impl(iface);
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    HRESULT hr = S_OK;
    if (!g) {
        hr = QM_E_ITEM_NOT_FOUND;
    } else {
        g->foreground = 1;
        IBackgroundCopyJob *job;
        if (!g->done && SUCCEEDED(qm_job_locked(o->mgr, g, &job))) {
            job->lpVtbl->SetPriority(job, BG_JOB_PRIORITY_FOREGROUND);
            job->lpVtbl->Release(job);
        }
    }
    qm_unlock();
    return hr;
}

/* IBackgroundCopyGroup::QueryNewJobInterface ("internal use only" on
 * Windows; UNCONFIRMED).  bgcopy: the modern job behind the group, as
 * |iid| (IID_IBackgroundCopyJob or IID_IUnknown...).  E_NOINTERFACE when
 * the job has no such interface; QM_E_ITEM_NOT_FOUND once the group is
 * complete (its job left the queue). */
static HRESULT STDMETHODCALLTYPE g_QueryNewJobInterface(IBackgroundCopyGroup *iface, REFIID iid,
                                                        IUnknown **pUnk)
{
    qm_group_obj *o = impl(iface);
    if (!pUnk || !iid)
        return E_INVALIDARG;
    *pUnk = NULL;
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    HRESULT hr = QM_E_ITEM_NOT_FOUND;
    if (g && !g->done) {
        IBackgroundCopyJob *job;
        hr = qm_job_locked(o->mgr, g, &job);
        if (SUCCEEDED(hr)) {
            hr = job->lpVtbl->QueryInterface(job, iid, (void **)pUnk);
            job->lpVtbl->Release(job);
        }
    }
    qm_unlock();
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
    qm_lock();
    qm_group *g = qm_find_locked(&o->id);
    IBackgroundCopyCallback1 *old = NULL;
    if (g) {
        old = g->direct;
        g->direct = cb;
    } else {
        old = cb;
    }
    qm_unlock();
    if (old)
        old->lpVtbl->Release(old);
    if (!g)
        return QM_E_ITEM_NOT_FOUND;
    if (cb)
        qm_kick(o->mgr, &o->id);
    return S_OK;
}

static const IBackgroundCopyGroupVtbl group_vtbl = {
    g_QueryInterface, g_AddRef, g_Release,
    g_GetProp, g_SetProp, g_GetProgress, g_GetStatus, g_GetJob,
    g_SuspendGroup, g_ResumeGroup, g_CancelGroup, g_get_Size, g_get_GroupID,
    g_CreateJob, g_EnumJobs, g_SwitchToForeground, g_QueryNewJobInterface,
    g_SetNotificationPointer,
};

HRESULT qm_group_create(IBackgroundCopyManager *mgr, const GUID *id, IBackgroundCopyGroup **out)
{
    *out = NULL;
    qm_group_obj *o = calloc(1, sizeof *o);
    if (!o)
        return E_OUTOFMEMORY;
    BGC_SET_VTBL(&o->iface, &group_vtbl);
    atomic_init(&o->ref, 1);
    mgr->lpVtbl->AddRef(mgr);
    o->mgr = mgr;
    o->id = *id;
    *out = &o->iface;
    return S_OK;
}
