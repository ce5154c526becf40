/* job_notify.c - the job's notification settings: notify flags, the sink
 * (SetNotifyInterface / GetNotifyInterface). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define LOCK(job) uv_mutex_lock(&(job)->m->lock)
#define UNLOCK(job) uv_mutex_unlock(&(job)->m->lock)

#define BGC_NOTIFY_ALL 0x3Fu

bgcopy_hr bgcopy_job_set_notify_flags(bgcopy_job *job, uint32_t flags)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    if (flags & ~BGC_NOTIFY_ALL)
        return BGCOPY_E_NOTIMPL;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        job->notify_flags = flags;
        bgc_job_touch(job);
        bgc_notify_wake(job->m);             /* newly enabled events may be due */
    }
    UNLOCK(job);
    return hr;
}

bgcopy_hr bgcopy_job_set_notify(bgcopy_job *job, const bgcopy_notify_callbacks *cb, void *ctx)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    bgc_notify nn;
    memset(&nn, 0, sizeof nn);
    if (cb) {
        nn.cb = *cb;
        nn.ctx = ctx;
        if (nn.cb.add_ref)
            nn.cb.add_ref(ctx);
    }
    bgc_notify old;
    memset(&old, 0, sizeof old);
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        old = job->notify;
        job->notify = nn;
        /* A new sink is told about the state the job is in (level-triggered). */
        job->transferred_delivered = 0;
        job->error_delivered = 0;
        job->notify_retry_at_ms = 0;
        bgc_notify_wake(job->m);
    } else {
        old = nn;                            /* undo our add_ref below */
    }
    UNLOCK(job);
    if (old.cb.release)
        old.cb.release(old.ctx);
    return hr;
}

bgcopy_hr bgcopy_job_get_notify(bgcopy_job *job, bgcopy_notify_callbacks *out_cb, void **out_ctx)
{
    if (out_cb)
        memset(out_cb, 0, sizeof *out_cb);
    if (!job || !out_ctx)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    const bgcopy_notify_callbacks *cb = &job->notify.cb;
    int registered = cb->job_transferred || cb->job_error || cb->job_modification ||
                     cb->file_transferred || job->notify.ctx;
    *out_ctx = registered ? job->notify.ctx : NULL;
    if (registered && out_cb)
        *out_cb = *cb;
    /* add_ref under the lock: a concurrent set_notify cannot release it first. */
    if (*out_ctx && cb->add_ref)
        cb->add_ref(*out_ctx);
    UNLOCK(job);
    return BGCOPY_S_OK;
}


void bgc_notify_job_free(bgcopy_job *job)
{
    free(job->notify_program);
    free(job->notify_parameters);
}
