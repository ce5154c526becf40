/*
 * notify.c - the dispatcher thread: delivers JobTransferred, JobError and
 * JobModification to each job's sink with BITS's rules (spec 6.4):
 *  - level-triggered: a job in TRANSFERRED (ERROR) whose sink has not yet
 *    accepted JobTransferred (JobError) for this entry into the state gets
 *    it, also when the sink was registered after the event;
 *  - a callback that returns anything but S_OK is called again after the
 *    job's minimum retry delay, while the job stays in that state;
 *  - JobModification is coalesced per job and sent at most once per 500 ms;
 *  - BG_NOTIFY_DISABLE silences everything.
 * User code runs with no lock held, so it may call any bgcopy_* function;
 * the job and the sink are referenced for the duration of the call, so a
 * concurrent SetNotifyInterface or Release cannot free them under it.
 */
#include "internal.h"

#include <string.h>

#define MODIFICATION_INTERVAL_MS 500u

enum event { EV_NONE, EV_TRANSFERRED, EV_ERROR, EV_MODIFICATION };

/* Lock held.  The next event due for |job| at |now|, or EV_NONE; lowers
 * *next to the time a later event becomes due. */
static enum event due_event(bgcopy_job *job, uint64_t now, uint64_t *next)
{
    uint32_t fl = job->notify_flags;
    const bgcopy_notify_callbacks *cb = &job->notify.cb;
    if (fl & BGCOPY_NOTIFY_DISABLE) {
        job->modification_pending = 0;
        return EV_NONE;
    }
    int retry_due = now >= job->notify_retry_at_ms;
    if (job->state == BGCOPY_JOB_STATE_TRANSFERRED && !job->transferred_delivered &&
        (fl & BGCOPY_NOTIFY_JOB_TRANSFERRED) && cb->job_transferred) {
        if (retry_due)
            return EV_TRANSFERRED;
        if (job->notify_retry_at_ms < *next)
            *next = job->notify_retry_at_ms;
    }
    if (job->state == BGCOPY_JOB_STATE_ERROR && !job->error_delivered &&
        (fl & BGCOPY_NOTIFY_JOB_ERROR) && cb->job_error) {
        if (retry_due)
            return EV_ERROR;
        if (job->notify_retry_at_ms < *next)
            *next = job->notify_retry_at_ms;
    }
    if (job->modification_pending) {
        if (!(fl & BGCOPY_NOTIFY_JOB_MODIFICATION) || !cb->job_modification) {
            job->modification_pending = 0;   /* nobody listens: nothing to coalesce */
        } else {
            uint64_t at = job->last_modification_ms ? job->last_modification_ms + MODIFICATION_INTERVAL_MS : 0;
            if (now >= at)
                return EV_MODIFICATION;
            if (at < *next)
                *next = at;
        }
    }
    return EV_NONE;
}

static void dispatch_main(void *arg)
{
    bgcopy_manager *m = arg;
    uv_mutex_lock(&m->lock);
    while (!m->dispatch_stop) {
        uint64_t now = bgc_now_ms(m);
        uint64_t next = UINT64_MAX;
        bgcopy_job *job = NULL;
        enum event ev = EV_NONE;
        for (size_t i = 0; i < m->job_count && ev == EV_NONE; i++) {
            ev = due_event(m->jobs[i], now, &next);
            if (ev != EV_NONE)
                job = m->jobs[i];
        }
        if (ev == EV_NONE) {
            if (next == UINT64_MAX) {
                uv_cond_wait(&m->notify_cond, &m->lock);
            } else {
                uint64_t ms = next > now ? next - now : 0;
                (void)uv_cond_timedwait(&m->notify_cond, &m->lock, ms * 1000000u);
            }
            continue;
        }

        bgc_notify sink = job->notify;
        bgcopy_job_error err = job->error;
        bgcopy_job_state state_at_call = job->state;
        atomic_fetch_add(&job->refs, 1);
        if (sink.cb.add_ref)
            sink.cb.add_ref(sink.ctx);
        if (ev == EV_MODIFICATION) {
            job->modification_pending = 0;
            job->last_modification_ms = now ? now : 1;
        }
        job->delivering = 1;
        uv_mutex_unlock(&m->lock);

        bgcopy_hr hr = BGCOPY_S_OK;
        switch (ev) {
        case EV_TRANSFERRED: hr = sink.cb.job_transferred(sink.ctx, job); break;
        case EV_ERROR: hr = sink.cb.job_error(sink.ctx, job, &err); break;
        case EV_MODIFICATION: (void)sink.cb.job_modification(sink.ctx, job); break;
        default: break;
        }

        uv_mutex_lock(&m->lock);
        job->delivering = 0;
        /* The answer counts only for the entry into the state it was about
         * and for the sink that gave it. */
        int same = job->state == state_at_call && job->notify.ctx == sink.ctx &&
                   memcmp(&job->notify.cb, &sink.cb, sizeof sink.cb) == 0;
        if (same && (ev == EV_TRANSFERRED || ev == EV_ERROR)) {
            if (hr == BGCOPY_S_OK) {
                if (ev == EV_TRANSFERRED)
                    job->transferred_delivered = 1;
                else
                    job->error_delivered = 1;
            } else {
                job->notify_retry_at_ms = bgc_now_ms(m) + (uint64_t)job->min_retry_delay_s * 1000u;
            }
        }
        uv_mutex_unlock(&m->lock);
        if (sink.cb.release)
            sink.cb.release(sink.ctx);
        bgcopy_job_release(job);
        uv_mutex_lock(&m->lock);
    }
    uv_mutex_unlock(&m->lock);
}

void bgc_notify_file_done(bgcopy_job *job, uint32_t idx)
{
    (void)job;
    (void)idx;
}

void bgc_notify_ranges_filled(bgcopy_job *job, uint32_t idx, uint64_t offset, uint64_t length)
{
    (void)job;
    (void)idx;
    (void)offset;
    (void)length;
}

void bgc_notify_wake(bgcopy_manager *m)
{
    uv_cond_signal(&m->notify_cond);
}

int bgc_dispatch_start(bgcopy_manager *m)
{
    return uv_thread_create(&m->dispatch_thread, dispatch_main, m) == 0 ? 0 : -1;
}

void bgc_dispatch_stop(bgcopy_manager *m)
{
    uv_mutex_lock(&m->lock);
    m->dispatch_stop = 1;
    uv_cond_signal(&m->notify_cond);
    uv_mutex_unlock(&m->lock);
    uv_thread_join(&m->dispatch_thread);
}
