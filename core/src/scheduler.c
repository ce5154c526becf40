/*
 * scheduler.c - the loop thread: decides which jobs run, walks each running
 * job through its files (HEAD probe, then GETs), and turns transport
 * results into BITS states and errors.
 *
 * Scheduling rule (spec 6.6): every FOREGROUND job runs at once, plus one
 * background job: the highest priority (lowest value), preferring the one
 * already running, then the oldest.  A background job that loses its place
 * to a higher-priority one goes back to QUEUED.  Time slices among equal
 * priorities are not implemented yet: the oldest runs to the end.
 *
 * Request rule (spec 6.8): a FOREGROUND job fetches a file of at most 2 GB
 * that it has not started with one plain GET; everything else is fetched
 * with Range requests of at most 2 GB, and a server that does not honour
 * them fails the job with BG_E_INSUFFICIENT_RANGE_SUPPORT.
 *
 * Locking: the loop thread never holds m->lock while calling the transport,
 * and never calls user code.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TWO_GB 2147483648ull

static void sched_pass(bgcopy_manager *m);

/* ------------------------------------------------------------- wakeups */

void bgc_kick_locked(bgcopy_manager *m)
{
    if (!m->loop_dead && !m->stopping)
        uv_async_send(&m->wake);
}

void bgc_kick(bgcopy_manager *m)
{
    uv_mutex_lock(&m->lock);
    bgc_kick_locked(m);
    uv_mutex_unlock(&m->lock);
}

void bgc_wait_idle(bgcopy_manager *m, bgcopy_job *job)
{
    if (!job->running)
        return;
    bgc_kick_locked(m);
    while (job->running && !m->loop_dead)
        uv_cond_wait(&m->idle, &m->lock);
}

/* ------------------------------------------------------------ classify */

typedef struct {
    bgcopy_hr hr;
    bgcopy_error_context ctx;
    int transient;
} outcome;

/* Which failures are worth retrying follows Microsoft's guidance: "server
 * unavailable" kinds are transient, "access denied" kinds are fatal.  The
 * exact table is documented in docs/http.md. */
static outcome classify(bgt_status st, const bgt_response *r, int sys_errno)
{
    outcome o = {BGCOPY_E_FAIL, BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT, 1};
    switch (st) {
    case BGT_OK:
        o.hr = BGCOPY_S_OK;
        break;
    case BGT_ERR_HTTP_STATUS: {
        long s = r ? r->http_status : 0;
        o.hr = BGCOPY_E_HTTP_ERROR(s);
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        o.transient = s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
        break;
    }
    case BGT_ERR_RANGE_IGNORED:
    case BGT_ERR_RANGE_MISMATCH:
        o.hr = BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT;
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        o.transient = 0;
        break;
    case BGT_ERR_SIZE_MISMATCH:
        o.hr = BGCOPY_E_INVALID_SERVER_RESPONSE;
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        break;
    case BGT_ERR_RESOLVE:
        o.hr = BGCOPY_E_WINHTTP_NAME_NOT_RESOLVED;
        break;
    case BGT_ERR_CONNECT:
        o.hr = BGCOPY_E_WINHTTP_CANNOT_CONNECT;
        break;
    case BGT_ERR_TIMEOUT:
        o.hr = BGCOPY_E_WINHTTP_TIMEOUT;
        break;
    case BGT_ERR_CONNECTION_CLOSED:
        o.hr = BGCOPY_E_WINHTTP_CONNECTION_ERROR;
        break;
    case BGT_ERR_TLS:
        o.hr = BGCOPY_E_WINHTTP_SECURE_FAILURE;
        o.transient = 0;
        break;
    case BGT_ERR_LOCAL_WRITE:
        o.hr = bgc_hr_from_errno(sys_errno);
        o.ctx = BGCOPY_ERROR_CONTEXT_LOCAL_FILE;
        o.transient = sys_errno == ENOSPC; /* space can be freed; a permission cannot fix itself */
        break;
    case BGT_ERR_SOURCE_NOT_FOUND:
        o.hr = BGCOPY_E_FILE_NOT_FOUND;
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        o.transient = 0;
        break;
    case BGT_ERR_SOURCE_ACCESS:
        o.hr = BGCOPY_E_ACCESSDENIED;
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        o.transient = 0;
        break;
    case BGT_ERR_BAD_URL:
        o.hr = BGCOPY_E_WINHTTP_INVALID_URL;
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        o.transient = 0;
        break;
    case BGT_ERR_OTHER:
    default:
        break;
    }
    return o;
}

static int running_state(bgcopy_job_state s)
{
    return s == BGCOPY_JOB_STATE_CONNECTING || s == BGCOPY_JOB_STATE_TRANSFERRING;
}

/* --------------------------------------------------- parking and aborts */

static void close_fd(bgcopy_job *job)
{
    if (job->fd >= 0) {
        close(job->fd);
        job->fd = -1;
    }
}

/* Loop thread, lock not held: the job stops owning a step (I2).  Its place
 * may go to another job, so another pass follows (a pass with nothing to do
 * parks nobody, so this cannot loop). */
static void park(bgcopy_manager *m, bgcopy_job *job)
{
    close_fd(job);
    uv_mutex_lock(&m->lock);
    job->running = 0;
    uv_cond_broadcast(&m->idle);
    bgc_kick_locked(m);
    uv_mutex_unlock(&m->lock);
}

static void abort_step(bgcopy_manager *m, bgcopy_job *job)
{
    uint64_t written = bgt_abort(job->xfer);
    close_fd(job);
    uv_mutex_lock(&m->lock);
    job->xfer = NULL;
    if (!job->xfer_is_probe && job->xfer_file < job->file_count)
        job->files[job->xfer_file].bytes_transferred = job->xfer_base + written;
    job->running = 0;
    uv_cond_broadcast(&m->idle);
    bgc_kick_locked(m);
    uv_mutex_unlock(&m->lock);
}

/* -------------------------------------------------- transport callbacks */

static int str_differs(const char *pinned, const char *now)
{
    /* Only a validator both sides know can tell a change. */
    return pinned && *pinned && now && *now && strcmp(pinned, now) != 0;
}

static void on_probe_done(bgt_transfer *t, bgt_status st, const bgt_response *r,
                          uint64_t written, int curl_code, int sys_errno, const char *msg, void *user)
{
    (void)t; (void)written; (void)curl_code; (void)msg;
    bgcopy_job *job = user;
    bgcopy_manager *m = job->m;
    uv_mutex_lock(&m->lock);
    job->xfer = NULL;
    bgc_file *f = &job->files[job->xfer_file];
    if (running_state(job->state) && !job->hold) {
        if (st != BGT_OK) {
            outcome o = classify(st, r, sys_errno);
            bgc_job_set_error(job, o.hr, o.ctx, (int32_t)job->xfer_file, o.transient);
        } else if (r->resource_size == BGT_UNKNOWN) {
            bgc_job_set_error(job, BGCOPY_E_MISSING_FILE_SIZE, BGCOPY_ERROR_CONTEXT_REMOTE_FILE,
                              (int32_t)job->xfer_file, 0);
        } else {
            int changed = f->bytes_total != BGCOPY_SIZE_UNKNOWN &&
                          (f->bytes_total != r->resource_size ||
                           str_differs(f->etag, r->etag) ||
                           str_differs(f->last_modified, r->last_modified));
            if (changed) {
                /* Never stitch two versions together (I4): start this file over. */
                f->bytes_transferred = 0;
                f->finished = 0;
            }
            f->bytes_total = r->resource_size;
            free(f->etag);
            free(f->last_modified);
            f->etag = r->etag[0] ? bgc_strdup(r->etag) : NULL;
            f->last_modified = r->last_modified[0] ? bgc_strdup(r->last_modified) : NULL;
            f->last_modified_unix = r->last_modified_unix;
            f->need_probe = 0;
            bgc_job_touch(job);
        }
    }
    uv_mutex_unlock(&m->lock);
    bgc_kick(m);  /* never re-enter the transport from its own callback */
}

static void on_get_progress(bgt_transfer *t, uint64_t written, void *user)
{
    (void)t;
    bgcopy_job *job = user;
    bgcopy_manager *m = job->m;
    uv_mutex_lock(&m->lock);
    bgc_file *f = &job->files[job->xfer_file];
    f->bytes_transferred = job->xfer_base + written;
    if (written > 0) {
        job->no_progress_since_ms = 0;
        if (job->state == BGCOPY_JOB_STATE_CONNECTING)
            bgc_job_set_state(job, BGCOPY_JOB_STATE_TRANSFERRING);
        else
            bgc_job_touch(job);
    }
    uv_mutex_unlock(&m->lock);
}

/* HTTP downloads take the server's modification time (spec 6.3). */
static void set_file_time(uv_file fd, int64_t unix_time)
{
    if (fd < 0 || unix_time < 0)
        return;
    struct timespec ts[2];
    ts[0].tv_sec = ts[1].tv_sec = (time_t)unix_time;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    (void)futimens(fd, ts);
}

static void on_get_done(bgt_transfer *t, bgt_status st, const bgt_response *r,
                        uint64_t written, int curl_code, int sys_errno, const char *msg, void *user)
{
    (void)t; (void)curl_code; (void)msg;
    bgcopy_job *job = user;
    bgcopy_manager *m = job->m;
    int finished = 0;
    uv_mutex_lock(&m->lock);
    job->xfer = NULL;
    bgc_file *f = &job->files[job->xfer_file];
    f->bytes_transferred = job->xfer_base + written;
    if (written > 0)
        job->no_progress_since_ms = 0;
    if (running_state(job->state) && !job->hold) {
        if (st == BGT_OK) {
            if (job->state == BGCOPY_JOB_STATE_CONNECTING)
                bgc_job_set_state(job, BGCOPY_JOB_STATE_TRANSFERRING);
            if (f->bytes_transferred >= f->bytes_total) {
                f->finished = 1;
                finished = 1;
                bgc_notify_file_done(job, job->xfer_file);
            }
            bgc_job_touch(job);
        } else {
            outcome o = classify(st, r, sys_errno);
            bgc_job_set_error(job, o.hr, o.ctx, (int32_t)job->xfer_file, o.transient);
        }
    }
    int64_t mtime = f->last_modified_unix;
    uv_mutex_unlock(&m->lock);
    if (finished) {
        set_file_time(job->fd, mtime);
        close_fd(job);
    }
    bgc_kick(m);  /* never re-enter the transport from its own callback */
}

/* ---------------------------------------------------------------- steps */

/* Open (creating on first use, exclusively) the file's temporary file.
 * Returns 0 or an errno. */
static int open_temp(bgcopy_manager *m, bgcopy_job *job, uint32_t idx, uint64_t *offset)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        uv_mutex_lock(&m->lock);
        bgc_file *f = &job->files[idx];
        char *path = bgc_strdup(f->temporary_name);
        int create = !f->temp_created;
        uv_mutex_unlock(&m->lock);
        if (!path)
            return ENOMEM;
        int flags = O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0);
        int fd = open(path, flags, 0666);
        int err = fd < 0 ? errno : 0;
        free(path);
        if (fd < 0 && create && err == EEXIST) {
            /* Someone else's file has our proposed name: propose another. */
            uv_mutex_lock(&m->lock);
            char *other = bgc_make_temp_name(job->files[idx].local_name);
            if (other) {
                free(job->files[idx].temporary_name);
                job->files[idx].temporary_name = other;
            }
            uv_mutex_unlock(&m->lock);
            continue;
        }
        if (fd < 0 && !create && err == ENOENT) {
            /* The temporary file vanished: recreate it and start over. */
            uv_mutex_lock(&m->lock);
            job->files[idx].temp_created = 0;
            job->files[idx].bytes_transferred = 0;
            uv_mutex_unlock(&m->lock);
            *offset = 0;
            continue;
        }
        if (fd < 0)
            return err;
        struct stat st;
        uv_mutex_lock(&m->lock);
        bgc_file *f2 = &job->files[idx];
        f2->temp_created = 1;
        if (fstat(fd, &st) == 0 && (uint64_t)st.st_size < f2->bytes_transferred)
            f2->bytes_transferred = (uint64_t)st.st_size;  /* trust only what is on disk */
        *offset = f2->bytes_transferred;
        uv_mutex_unlock(&m->lock);
        if (*offset == 0 && ftruncate(fd, 0) != 0) {
            err = errno;
            close(fd);
            return err;
        }
        job->fd = fd;
        return 0;
    }
    return EEXIST;
}

static void fail_locked(bgcopy_job *job, uint32_t idx, bgcopy_hr hr, bgcopy_error_context ctx,
                        int transient)
{
    bgc_job_set_error(job, hr, ctx, (int32_t)idx, transient);
}

/* Loop thread, lock not held.  Start the next step of a running job, or
 * finish it, or park it when it may no longer run. */
static void advance(bgcopy_manager *m, bgcopy_job *job)
{
    uv_mutex_lock(&m->lock);
    if (!running_state(job->state) || job->hold || m->stopping) {
        uv_mutex_unlock(&m->lock);
        park(m, job);
        return;
    }
    uint32_t idx = 0;
    while (idx < job->file_count && job->files[idx].finished)
        idx++;
    if (idx == job->file_count) {
        bgc_job_set_state(job, BGCOPY_JOB_STATE_TRANSFERRED);
        uv_mutex_unlock(&m->lock);
        park(m, job);
        return;
    }
    bgc_file *f = &job->files[idx];
    int probe = f->need_probe || f->bytes_total == BGCOPY_SIZE_UNKNOWN;
    char *url = bgc_strdup(f->remote_name);
    uint64_t total = f->bytes_total;
    int foreground = job->priority == BGCOPY_JOB_PRIORITY_FOREGROUND;
    if (!url) {
        fail_locked(job, idx, BGCOPY_E_OUTOFMEMORY, BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, 1);
        uv_mutex_unlock(&m->lock);
        park(m, job);
        return;
    }
    uv_mutex_unlock(&m->lock);

    if (job->fd >= 0 && job->xfer_file != idx)
        close_fd(job);

    bgt_request req;
    memset(&req, 0, sizeof req);
    req.url = url;
    req.fd = -1;
    req.follow_redirects = 1;
    req.user = job;
    job->xfer_file = idx;

    if (probe) {
        req.method = BGT_HEAD;
        req.on_done = on_probe_done;
        job->xfer_is_probe = 1;
    } else {
        uint64_t offset = 0;
        int err = job->fd >= 0 ? 0 : open_temp(m, job, idx, &offset);
        if (job->fd >= 0 && err == 0) {
            uv_mutex_lock(&m->lock);
            offset = job->files[idx].bytes_transferred;
            uv_mutex_unlock(&m->lock);
        }
        if (err) {
            uv_mutex_lock(&m->lock);
            fail_locked(job, idx, bgc_hr_from_errno(err), BGCOPY_ERROR_CONTEXT_LOCAL_FILE,
                        err == ENOSPC);
            uv_mutex_unlock(&m->lock);
            free(url);
            park(m, job);
            return;
        }
        if (offset >= total) {
            /* Nothing to fetch (an empty resource, or every byte already here). */
            uv_mutex_lock(&m->lock);
            job->files[idx].finished = 1;
            bgc_notify_file_done(job, idx);
            int64_t mtime = job->files[idx].last_modified_unix;
            bgc_job_touch(job);
            uv_mutex_unlock(&m->lock);
            set_file_time(job->fd, mtime);
            close_fd(job);
            free(url);
            bgc_kick(m);
            return;
        }
        int plain = foreground && offset == 0 && total <= TWO_GB;
        req.method = BGT_GET;
        req.ranged = !plain;
        req.range_first = offset;
        req.range_length = plain ? BGT_UNKNOWN : (total - offset < TWO_GB ? total - offset : TWO_GB);
        req.fd = job->fd;
        req.file_offset = offset;
        req.on_progress = on_get_progress;
        req.on_done = on_get_done;
        job->xfer_is_probe = 0;
        job->xfer_base = offset;
    }

    bgt_transfer *xfer = NULL;
    int rc = bgt_start(m->transport, &req, &xfer);
    free(url);
    uv_mutex_lock(&m->lock);
    if (rc != 0) {
        fail_locked(job, idx, BGCOPY_E_OUTOFMEMORY, BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, 1);
        uv_mutex_unlock(&m->lock);
        park(m, job);
        return;
    }
    job->xfer = xfer;
    uv_mutex_unlock(&m->lock);
}

/* ---------------------------------------------------------------- pass */

typedef struct {
    bgcopy_job **v;
    size_t n, cap;
} job_list;

static void list_push(job_list *l, bgcopy_job *job)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        bgcopy_job **p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return;                          /* the next pass retries */
        l->v = p;
        l->cap = cap;
    }
    atomic_fetch_add(&job->refs, 1);
    l->v[l->n++] = job;
}

static void list_drain(job_list *l, void (*fn)(bgcopy_manager *, bgcopy_job *), bgcopy_manager *m)
{
    for (size_t i = 0; i < l->n; i++) {
        fn(m, l->v[i]);
        bgcopy_job_release(l->v[i]);
    }
    free(l->v);
}

static void on_timer(uv_timer_t *h)
{
    sched_pass(h->data);
}

static void sched_pass(bgcopy_manager *m)
{
    job_list to_abort = {0}, to_park = {0}, to_advance = {0};
    uint64_t next = UINT64_MAX;

    uv_mutex_lock(&m->lock);
    if (m->stopping) {
        uv_mutex_unlock(&m->lock);
        return;
    }
    uint64_t now = bgc_now_ms(m);

    /* Retry and no-progress timers of TRANSIENT_ERROR jobs (spec 6.5). */
    for (size_t i = 0; i < m->job_count; i++) {
        bgcopy_job *job = m->jobs[i];
        if (job->state != BGCOPY_JOB_STATE_TRANSIENT_ERROR)
            continue;
        uint64_t give_up = job->no_progress_since_ms + (uint64_t)job->no_progress_timeout_s * 1000u;
        if (now >= give_up) {
            bgc_job_set_state(job, BGCOPY_JOB_STATE_ERROR);
        } else if (now >= job->retry_at_ms) {
            for (uint32_t k = 0; k < job->file_count; k++)
                job->files[k].need_probe = 1;
            bgc_job_set_state(job, BGCOPY_JOB_STATE_QUEUED);
        } else {
            uint64_t d = job->retry_at_ms < give_up ? job->retry_at_ms : give_up;
            if (d < next)
                next = d;
        }
    }

    /* The one background job allowed to run. */
    bgcopy_job *bg = NULL;
    for (size_t i = 0; i < m->job_count; i++) {
        bgcopy_job *job = m->jobs[i];
        if (!bgc_is_active(job->state) || job->hold || job->priority == BGCOPY_JOB_PRIORITY_FOREGROUND)
            continue;
        if (!bg || job->priority < bg->priority ||
            (job->priority == bg->priority && job->running && !bg->running))
            bg = job;
    }

    for (size_t i = 0; i < m->job_count; i++) {
        bgcopy_job *job = m->jobs[i];
        int runnable = bgc_is_active(job->state) && !job->hold &&
                       (job->priority == BGCOPY_JOB_PRIORITY_FOREGROUND || job == bg);
        if (job->running) {
            if (!runnable) {
                if (running_state(job->state) && !job->hold)
                    bgc_job_set_state(job, BGCOPY_JOB_STATE_QUEUED);  /* preempted */
                list_push(job->xfer ? &to_abort : &to_park, job);
            } else if (!job->xfer) {
                /* Between two steps; it may have been re-queued meanwhile
                 * (e.g. Resume from inside JobError before we parked it). */
                if (job->state == BGCOPY_JOB_STATE_QUEUED)
                    bgc_job_set_state(job, BGCOPY_JOB_STATE_CONNECTING);
                list_push(&to_advance, job);
            }
        } else if (runnable) {
            job->running = 1;
            if (job->state == BGCOPY_JOB_STATE_QUEUED)
                bgc_job_set_state(job, BGCOPY_JOB_STATE_CONNECTING);
            list_push(&to_advance, job);
        }
    }
    uv_mutex_unlock(&m->lock);

    list_drain(&to_abort, abort_step, m);
    list_drain(&to_park, park, m);
    list_drain(&to_advance, advance, m);

    if (next != UINT64_MAX)
        uv_timer_start(&m->timer, on_timer, next > now ? next - now : 0, 0);
    else
        uv_timer_stop(&m->timer);
}

/* ------------------------------------------------------- loop lifecycle */

static void shutdown_loop(bgcopy_manager *m)
{
    job_list running = {0};
    uv_mutex_lock(&m->lock);
    for (size_t i = 0; i < m->job_count; i++)
        if (m->jobs[i]->running)
            list_push(&running, m->jobs[i]);
    uv_mutex_unlock(&m->lock);
    for (size_t i = 0; i < running.n; i++) {
        bgcopy_job *job = running.v[i];
        if (job->xfer)
            abort_step(m, job);
        else
            park(m, job);
        bgcopy_job_release(job);
    }
    free(running.v);
    bgt_engine_close(m->transport);
    uv_close((uv_handle_t *)&m->wake, NULL);
    uv_close((uv_handle_t *)&m->timer, NULL);
}

static void on_wake(uv_async_t *h)
{
    bgcopy_manager *m = h->data;
    uv_mutex_lock(&m->lock);
    int stopping = m->stopping;
    uv_mutex_unlock(&m->lock);
    if (stopping)
        shutdown_loop(m);
    else
        sched_pass(m);
}

static void loop_main(void *arg)
{
    bgcopy_manager *m = arg;
    uv_run(&m->loop, UV_RUN_DEFAULT);
}

int bgc_loop_start(bgcopy_manager *m)
{
    if (uv_loop_init(&m->loop) != 0)
        return -1;
    m->wake.data = m;
    m->timer.data = m;
    if (uv_async_init(&m->loop, &m->wake, on_wake) != 0)
        goto fail_loop;
    if (uv_timer_init(&m->loop, &m->timer) != 0)
        goto fail_async;
    if (bgt_engine_init(&m->transport, &m->loop) != 0)
        goto fail_timer;
    if (uv_thread_create(&m->loop_thread, loop_main, m) != 0)
        goto fail_engine;
    return 0;
fail_engine:
    bgt_engine_close(m->transport);
fail_timer:
    uv_close((uv_handle_t *)&m->timer, NULL);
fail_async:
    uv_close((uv_handle_t *)&m->wake, NULL);
    uv_run(&m->loop, UV_RUN_DEFAULT);
fail_loop:
    uv_loop_close(&m->loop);
    return -1;
}

void bgc_loop_stop(bgcopy_manager *m)
{
    uv_mutex_lock(&m->lock);
    if (m->loop_dead) {
        uv_mutex_unlock(&m->lock);
        return;
    }
    uv_async_send(&m->wake);
    m->stopping = 1;                         /* after the send: bgc_kick_locked stops sending */
    uv_mutex_unlock(&m->lock);
    uv_thread_join(&m->loop_thread);
    uv_loop_close(&m->loop);
    uv_mutex_lock(&m->lock);
    m->loop_dead = 1;
    uv_cond_broadcast(&m->idle);
    uv_mutex_unlock(&m->lock);
}
