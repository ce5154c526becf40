/* job_notify.c - the job's notification settings: notify flags, the sink
 * (SetNotifyInterface / GetNotifyInterface), the notification command line
 * (IBackgroundCopyJob2::Set/GetNotifyCmdLine) and the files' validation
 * state (IBackgroundCopyFile3::Set/GetValidationState).  Delivery is in
 * notify.c; see docs/notifications.md. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define BGC_NOTIFY_ALL 0x3Fu
#define BGC_MAX_PATH 260u            /* MAX_PATH: SetNotifyCmdLine's Program */
#define BGC_MAX_PARAMETERS 4000u     /* SetNotifyCmdLine's Parameters */

/* Unknown bits give E_NOTIMPL: Microsoft's SetNotifyFlags page lists
 * E_NOTIMPL for "The NotifyFlags value is not valid" (docs/notifications.md). */
bgcopy_hr bgcopy_job_set_notify_flags(bgcopy_job *job, uint32_t flags)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    if (flags & ~BGC_NOTIFY_ALL)
        return BGCOPY_E_NOTIMPL;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        bgc_rec_set_u32(job, BGC_REC_NOTIFY_FLAGS, flags);
        bgc_job_touch(job);
        bgc_notify_job_changed(job);             /* newly enabled events may be due */
    }
    UNLOCK(job);
    return hr;
}

/* SetNotifyInterface (bgcopy.h).  The sink is add_ref'ed outside the lock
 * and the old one released outside it, because both run client code.  The
 * new sink starts over: it gets the event of the job's current state
 * (level-triggered) and its own chance before any command-line fallback. */
bgcopy_hr bgcopy_job_set_notify(bgcopy_job *job, const bgcopy_notify_callbacks *cb, void *ctx)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    bgc_notify nn;
    BGC_SINK_TAKE(nn, cb, ctx);
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
        job->file_retry_at_ms = 0;
        job->cmd_fallback = 0;               /* the new sink gets its own chance */
        bgc_notify_job_changed(job);
    } else {
        old = nn;                            /* undo our add_ref below */
    }
    UNLOCK(job);
    BGC_SINK_DROP(old);
    return hr;
}

/* GetNotifyInterface (bgcopy.h). */
bgcopy_hr bgcopy_job_get_notify(bgcopy_job *job, bgcopy_notify_callbacks *out_cb, void **out_ctx)
{
    if (out_cb)
        memset(out_cb, 0, sizeof *out_cb);
    if (!job || !out_ctx)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    const bgcopy_notify_callbacks *cb = &job->notify.cb;
    int registered = cb->job_transferred || cb->job_error || cb->job_modification ||
                     cb->file_transferred || cb->file_ranges_transferred || job->notify.ctx;
    *out_ctx = registered ? job->notify.ctx : NULL;
    if (registered && out_cb)
        *out_cb = *cb;
    /* add_ref under the lock: a concurrent set_notify cannot release it first. */
    if (*out_ctx && cb->add_ref)
        cb->add_ref(*out_ctx);
    UNLOCK(job);
    return BGCOPY_S_OK;
}

/* Does the job have a sink method that handles its current TRANSFERRED or
 * ERROR event (lock held)?  Then a new command line is only the fallback. */
static int callback_handles_state(const bgcopy_job *job)
{
    const bgcopy_notify_callbacks *cb = &job->notify.cb;
    if (job->state == BGCOPY_JOB_STATE_TRANSFERRED)
        return cb->job_transferred != NULL;
    if (job->state == BGCOPY_JOB_STATE_ERROR)
        return cb->job_error != NULL;
    return 1;
}

/* IBackgroundCopyJob2::SetNotifyCmdLine (bgcopy.h; rules in
 * docs/notifications.md).  Lengths are checked and the strings copied
 * before taking the lock: no allocation happens under it. */
bgcopy_hr bgcopy_job_set_notify_cmdline(bgcopy_job *job, const char *program, const char *parameters)
{
    if (!job || (!program && parameters))
        return BGCOPY_E_INVALIDARG;
    if (program && *program == 0 && !parameters)
        program = NULL;                      /* "" clears, as NULL */
    if (program) {
        size_t n = bgc_utf8_length(program);
        size_t k = parameters ? bgc_utf8_length(parameters) : 0;
        if (n == SIZE_MAX || k == SIZE_MAX)
            return BGCOPY_E_INVALIDARG;
        if (n > BGC_MAX_PATH || k > BGC_MAX_PARAMETERS)
            return BGCOPY_E_STRING_TOO_LONG;
    }
    char *p = NULL, *a = NULL;
    if (program && (!(p = bgc_strdup(program)) || (parameters && !(a = bgc_strdup(parameters))))) {
        free(p);
        return BGCOPY_E_OUTOFMEMORY;
    }
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        p = bgc_rec_swap_string(job, BGC_REC_NOTIFY_PROGRAM, p);
        a = bgc_rec_swap_string(job, BGC_REC_NOTIFY_PARAMETERS, a);
        /* Runs also when set after the event: a command line that already
         * ran (or a callback that failed over to it) gets a fresh start. */
        if (job->notify_program && (!callback_handles_state(job) || job->cmd_fallback)) {
            if (job->state == BGCOPY_JOB_STATE_TRANSFERRED)
                job->transferred_delivered = 0;
            else if (job->state == BGCOPY_JOB_STATE_ERROR)
                job->error_delivered = 0;
            job->notify_retry_at_ms = 0;
        }
        bgc_job_touch(job);
        bgc_notify_job_changed(job);
    }
    UNLOCK(job);
    free(p);
    free(a);
    return hr;
}

/* IBackgroundCopyJob2::GetNotifyCmdLine (bgcopy.h): copies, NULL when unset. */
bgcopy_hr bgcopy_job_get_notify_cmdline(bgcopy_job *job, char **program, char **parameters)
{
    if (program)
        *program = NULL;
    if (parameters)
        *parameters = NULL;
    if (!job || !program || !parameters)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = BGCOPY_S_OK;
    LOCK(job);
    if (job->notify_program && !(*program = bgc_strdup(job->notify_program)))
        hr = BGCOPY_E_OUTOFMEMORY;
    if (hr == BGCOPY_S_OK && job->notify_parameters &&
        !(*parameters = bgc_strdup(job->notify_parameters)))
        hr = BGCOPY_E_OUTOFMEMORY;
    UNLOCK(job);
    if (hr != BGCOPY_S_OK) {
        free(*program);
        *program = NULL;
    }
    return hr;
}

/* IBackgroundCopyFile3::SetValidationState (bgcopy.h): E_INVALIDARG (bad
 * index), BG_E_INVALID_STATE (final states), E_PENDING (file not finished). */
bgcopy_hr bgcopy_job_set_file_validation_state(bgcopy_job *job, uint32_t index, int valid)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = index < job->file_count ? bgc_job_check_mutable(job) : BGCOPY_E_INVALIDARG;
    if (hr == BGCOPY_S_OK && !job->files[index].finished)
        hr = BGCOPY_E_PENDING;
    if (hr == BGCOPY_S_OK) {
        /* Only stored: without peer caching there is no cached copy to purge
         * (docs/notifications.md). */
        bgc_rec_file_set_validation(job, index, valid ? 1 : 0);
        bgc_job_touch(job);
    }
    UNLOCK(job);
    return hr;
}

/* IBackgroundCopyFile3::GetValidationState (bgcopy.h): 0 until set. */
bgcopy_hr bgcopy_job_get_file_validation_state(bgcopy_job *job, uint32_t index, int *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = index < job->file_count ? BGCOPY_S_OK : BGCOPY_E_INVALIDARG;
    if (hr == BGCOPY_S_OK)
        *out = job->files[index].validation_state;
    UNLOCK(job);
    return hr;
}

void bgc_notify_job_free(bgcopy_job *job)
{
    free(job->ranges_pending);
}
