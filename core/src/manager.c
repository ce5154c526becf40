/* manager.c - the manager: its threads, its queue of jobs, job lookup. */
#include "internal.h"
#include "platform.h"

#include <stdlib.h>
#include <string.h>

static uv_once_t std_fds_once = UV_ONCE_INIT;

static void ensure_std_fds(void)
{
    /* A failure (no /dev/null) leaves the process as it was started; the
     * manager still works, only with the hazard described in platform.h. */
    (void)bgc_platform_ensure_std_fds();
}

bgcopy_hr bgcopy_manager_open(const bgcopy_manager_options *opts, bgcopy_manager **out)
{
    if (!out)
        return BGCOPY_E_INVALIDARG;
    *out = NULL;
    if (opts && opts->stall_timeout_s > 86400)
        return BGCOPY_E_INVALIDARG;
    /* Before the loop and the transport open their descriptors, so that
     * none of them can become 0, 1 or 2 in a process started with those
     * closed (docs/security.md). */
    uv_once(&std_fds_once, ensure_std_fds);
    bgcopy_manager *m = calloc(1, sizeof *m);
    if (!m)
        return BGCOPY_E_OUTOFMEMORY;
    atomic_init(&m->refs, 1);
    m->timers.by_timer = 1;
    m->inactive_next_ms = UINT64_MAX;
    /* Read once, before any thread starts: m->policy never changes after. */
    if (bgc_policy_load(opts ? opts->policy_file : NULL, &m->policy) != 0) {
        free(m);
        return BGCOPY_E_INVALIDARG;
    }
    if (opts) {
        m->clock_ms = opts->clock_ms;
        m->clock_ctx = opts->clock_ctx;
        m->manual_dispatch = opts->manual_dispatch != 0;  /* no dispatcher threads: bgcopy_manager_pump */
        m->stall_timeout_s = opts->stall_timeout_s;
        if (opts->state_dir && !(m->state_dir = bgc_strdup(opts->state_dir))) {
            free(m);
            return BGCOPY_E_OUTOFMEMORY;
        }
    }
    /* Resolved once, so later changes to the environment do not move the
     * queue under a running manager; NULL (no home at all) is reported by
     * bgcopy_manager_get_state_dir rather than failing the open. */
    if (!m->state_dir)
        m->state_dir = bgc_default_state_dir();
    if (uv_mutex_init(&m->lock) != 0) {
        free(m->state_dir);
        free(m);
        return BGCOPY_E_FAIL;
    }
    if (uv_cond_init(&m->idle) != 0 || uv_cond_init(&m->notify_cond) != 0) {
        /* uv_cond_init failing leaves nothing to destroy on the platforms we build for */
        uv_mutex_destroy(&m->lock);
        free(m->state_dir);
        free(m);
        return BGCOPY_E_FAIL;
    }
    if (bgc_loop_start(m) != 0) {
        uv_cond_destroy(&m->idle);
        uv_cond_destroy(&m->notify_cond);
        uv_mutex_destroy(&m->lock);
        free(m->state_dir);
        free(m);
        return BGCOPY_E_FAIL;
    }
    if (bgc_dispatch_start(m) != 0) {
        bgc_loop_stop(m);
        uv_cond_destroy(&m->idle);
        uv_cond_destroy(&m->notify_cond);
        uv_mutex_destroy(&m->lock);
        free(m->state_dir);
        free(m);
        return BGCOPY_E_FAIL;
    }
    *out = m;
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_manager_get_state_dir(bgcopy_manager *m, char **out)
{
    if (out)
        *out = NULL;
    if (!m || !out)
        return BGCOPY_E_INVALIDARG;
    if (!m->state_dir)
        return BGCOPY_E_FAIL;
    *out = bgc_strdup(m->state_dir);
    return *out ? BGCOPY_S_OK : BGCOPY_E_OUTOFMEMORY;
}

void bgc_manager_unref(bgcopy_manager *m)
{
    if (atomic_fetch_sub(&m->refs, 1) != 1)
        return;
    uv_cond_destroy(&m->idle);
    uv_cond_destroy(&m->notify_cond);
    uv_mutex_destroy(&m->lock);
    bgc_sched_free(m);
    free(m->orphans);
    free(m->state_dir);
    free(m);
}

void bgcopy_manager_close(bgcopy_manager *m)
{
    if (!m)
        return;
    uv_mutex_lock(&m->lock);
    if (m->closed) {
        uv_mutex_unlock(&m->lock);
        return;
    }
    m->closed = 1;
    uv_mutex_unlock(&m->lock);

    /* Transfers stop first so no more events are produced, then the
     * dispatcher, then sinks are released outside the lock (their release
     * may run arbitrary client code). */
    bgc_loop_stop(m);
    bgc_dispatch_stop(m);

    /* The queue empties in one go; each job's queue reference moves to
     * this thread, which releases it with the sink outside the lock. */
    uv_mutex_lock(&m->lock);
    bgcopy_job *jobs = m->queue_head;
    m->queue_head = m->queue_tail = NULL;
    m->job_count = 0;
    for (bgcopy_job *j = jobs; j; j = j->queue_next) {
        j->queued = 0;
        bgc_sched_update(j);
    }
    uv_mutex_unlock(&m->lock);

    while (jobs) {
        bgcopy_job *j = jobs;
        jobs = j->queue_next;
        /* queued == 0: nobody else follows these links any more. */
        j->queue_prev = j->queue_next = NULL;
        uv_mutex_lock(&m->lock);
        bgc_notify sink = j->notify;
        memset(&j->notify, 0, sizeof j->notify);
        uv_mutex_unlock(&m->lock);
        if (sink.cb.release)
            sink.cb.release(sink.ctx);
        bgcopy_job_release(j);
    }
    bgc_groups_close(m);
    /* Marks nobody drained die with the manager (record.h, R2). */
    bgc_record_close(m);
    bgc_manager_unref(m);
}

void bgcopy_manager_clock_changed(bgcopy_manager *m)
{
    if (!m)
        return;
    uv_mutex_lock(&m->lock);
    bgc_notify_clock_changed(m);
    uv_mutex_unlock(&m->lock);
    bgc_kick(m);
}

/* Lock held.  Appends at the tail: the list stays in creation order. */
static bgcopy_hr queue_add(bgcopy_manager *m, bgcopy_job *job)
{
    if (bgc_sched_reserve(m, m->job_count + 1) != 0)
        return BGCOPY_E_OUTOFMEMORY;
    job->queue_prev = m->queue_tail;
    job->queue_next = NULL;
    if (m->queue_tail)
        m->queue_tail->queue_next = job;
    else
        m->queue_head = job;
    m->queue_tail = job;
    m->job_count++;
    job->queued = 1;
    bgc_sched_update(job);
    return BGCOPY_S_OK;
}

/* The queue's reference is dropped by the caller after unlocking, because
 * the final release may free the job (and take no lock itself). */
void bgc_queue_remove(bgcopy_manager *m, bgcopy_job *job)
{
    if (!job->queued)
        return;
    bgc_notify_job_leaving(job);
    if (job->queue_prev)
        job->queue_prev->queue_next = job->queue_next;
    else
        m->queue_head = job->queue_next;
    if (job->queue_next)
        job->queue_next->queue_prev = job->queue_prev;
    else
        m->queue_tail = job->queue_prev;
    job->queue_prev = job->queue_next = NULL;
    m->job_count--;
    job->queued = 0;
    bgc_sched_update(job);
}

bgcopy_hr bgcopy_manager_create_job(bgcopy_manager *m, const char *display_name,
                                    bgcopy_job_type type, bgcopy_guid *out_id,
                                    bgcopy_job **out_job)
{
    if (out_job)
        *out_job = NULL;
    if (!m || !display_name)
        return BGCOPY_E_INVALIDARG;
    size_t len = bgc_utf8_length(display_name);
    if (len == SIZE_MAX || len > BGCOPY_MAX_DISPLAY_NAME)
        return BGCOPY_E_INVALIDARG;
    if (type == BGCOPY_JOB_TYPE_UPLOAD || type == BGCOPY_JOB_TYPE_UPLOAD_REPLY)
        return BGCOPY_E_NOTIMPL;
    if (type != BGCOPY_JOB_TYPE_DOWNLOAD)
        return BGCOPY_E_INVALIDARG;

    bgcopy_job *job = calloc(1, sizeof *job);
    if (!job)
        return BGCOPY_E_OUTOFMEMORY;
    if (bgc_rec_job_init(job, type, display_name) != BGCOPY_S_OK) {
        free(job);
        return BGCOPY_E_OUTOFMEMORY;
    }
    atomic_init(&job->refs, 1); /* the queue's */
    job->m = m;
    job->fd = -1;
    job->rq_set = -1;

    uv_mutex_lock(&m->lock);
    if (m->closed) {
        uv_mutex_unlock(&m->lock);
        bgc_rec_job_free(job);
        free(job);
        return BGCOPY_E_INVALID_STATE;
    }
    /* The queue holds exactly the non-final jobs (I1), all of this user's:
     * MaxJobsPerUser counts them, for root too (docs/policy.md). */
    bgcopy_hr hr = m->job_count >= m->policy.max_jobs_per_user ? BGCOPY_E_TOO_MANY_JOBS_PER_USER
                                                                : queue_add(m, job);
    if (hr == BGCOPY_S_OK) {
        atomic_fetch_add(&m->refs, 1);
        bgc_rec_job_set_seq(job, m->next_seq++);
        job->active_ms = bgc_now_ms(m);
        uint64_t deadline = job->active_ms + bgc_inactivity_ms(m);
        if (deadline < m->inactive_next_ms) {
            m->inactive_next_ms = deadline;  /* S1; the loop arms its timer for it */
            bgc_kick_locked(m);
        }
        if (out_job) {
            atomic_fetch_add(&job->refs, 1);
            *out_job = job;
        }
        if (out_id)
            *out_id = job->id;
    }
    uv_mutex_unlock(&m->lock);
    if (hr != BGCOPY_S_OK) {
        bgc_rec_job_free(job);
        free(job);
    }
    return hr;
}

bgcopy_hr bgcopy_manager_get_job(bgcopy_manager *m, const bgcopy_guid *id, bgcopy_job **out_job)
{
    if (!out_job)
        return BGCOPY_E_INVALIDARG;
    *out_job = NULL;
    if (!m || !id)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = BGCOPY_E_NOT_FOUND;
    /* A scan of the queue, O(n): GetJob is not on any per-event path. */
    uv_mutex_lock(&m->lock);
    for (bgcopy_job *j = m->queue_head; j; j = j->queue_next) {
        if (memcmp(&j->id, id, sizeof *id) == 0) {
            atomic_fetch_add(&j->refs, 1);
            *out_job = j;
            hr = BGCOPY_S_OK;
            break;
        }
    }
    uv_mutex_unlock(&m->lock);
    return hr;
}

bgcopy_hr bgcopy_manager_enum_jobs(bgcopy_manager *m, uint32_t flags, bgcopy_job ***out_jobs,
                                   size_t *out_count)
{
    if (out_jobs)
        *out_jobs = NULL;
    if (out_count)
        *out_count = 0;
    if (!m || !out_jobs || !out_count || (flags & ~BGCOPY_JOB_ENUM_ALL_USERS))
        return BGCOPY_E_INVALIDARG;
    uv_mutex_lock(&m->lock);
    size_t n = m->job_count;
    bgcopy_job **list = malloc((n ? n : 1) * sizeof *list);
    if (!list) {
        uv_mutex_unlock(&m->lock);
        return BGCOPY_E_OUTOFMEMORY;
    }
    size_t i = 0;
    for (bgcopy_job *j = m->queue_head; j; j = j->queue_next) {
        list[i++] = j;
        atomic_fetch_add(&j->refs, 1);
    }
    uv_mutex_unlock(&m->lock);
    *out_jobs = list;
    *out_count = n;
    return BGCOPY_S_OK;
}

void bgcopy_job_list_free(bgcopy_job **jobs, size_t count)
{
    if (!jobs)
        return;
    for (size_t i = 0; i < count; i++)
        bgcopy_job_release(jobs[i]);
    free(jobs);
}

void bgcopy_job_addref(bgcopy_job *job)
{
    if (job)
        atomic_fetch_add(&job->refs, 1);
}

void bgcopy_job_release(bgcopy_job *job)
{
    if (!job)
        return;
    if (atomic_fetch_sub(&job->refs, 1) != 1)
        return;
    bgcopy_manager *m = job->m;
    bgc_job_free(job);
    bgc_manager_unref(m);
}
