/*
 * step.c - the per-file step machine of a running job (loop thread): the
 * HEAD probe, the GET requests, and turning transport results into BITS
 * states and errors (classify, fail_transfer).  Who runs is sched.c's
 * business; this unit only moves a job that sched.c started.
 *
 * Invariants:
 *  S1. A step exists only while job->running (I2): bgc_step_advance starts
 *      at most one transfer per job; bgc_step_park and bgc_step_abort are
 *      the only ways the loop gives a running job back to the scheduler
 *      (they clear |running| through bgc_sched_set_running and signal
 *      m->idle).
 *  S2. A step never continues a job that sched.c has stopped: every step
 *      and every transport result re-checks, under m->lock, that the job is
 *      CONNECTING or TRANSFERRING and not held (hold > 0) before it changes
 *      the job, and parks it otherwise.
 *  S3. The loop thread never holds m->lock while calling the transport or
 *      the file system, and never calls user code.  After a transport
 *      callback it only wakes the scheduler (bgc_kick), never re-enters the
 *      transport from inside its own callback.
 *
 * Request rule (docs/http.md, "Requests"): a FOREGROUND job fetches a file of at most 2 GB
 * that it has not started with one plain GET; everything else is fetched
 * with Range requests of at most 2 GB, and a server that does not honour
 * them fails the job with BG_E_INSUFFICIENT_RANGE_SUPPORT.
 */
#include "internal.h"
#include "platform.h"

#include <stdlib.h>
#include <string.h>
#define TWO_GB 2147483648ull

/* WinHTTP's ERROR_WINHTTP_REDIRECT_FAILED (12156): too many redirects, a
 * loop, an https -> http redirect the job does not allow, or a target that
 * is not an http(s) URL. */
#define HR_REDIRECT_FAILED ((bgcopy_hr)0x80072F7C)
/* HRESULT_FROM_WIN32 of an HTTP status: a redirect under the DISALLOW policy. */
#define HR_FROM_WIN32(code) ((bgcopy_hr)(0x80070000u | ((uint32_t)(code) & 0xFFFFu)))


/* A file whose remote version changes this many times within one run (one
 * Resume or retry) fails with BG_E_REMOTE_FILE_CHANGED instead of restarting
 * again: a server whose validators never hold still would otherwise make
 * the job loop for ever. */
#define MAX_RESTARTS 5u

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
        o.transient = sys_errno == -UV_ENOSPC; /* space can be freed; a permission cannot fix itself */
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
    case BGT_ERR_SOURCE_NOT_FILE:
        /* A FIFO or device is refused, not read (docs/http.md). */
        o.hr = BGCOPY_E_BAD_FILE_TYPE;
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        o.transient = 0;
        break;
    case BGT_ERR_BAD_URL:
        o.hr = BGCOPY_E_WINHTTP_INVALID_URL;
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        o.transient = 0;
        break;
    case BGT_ERR_REDIRECT:
        o.hr = HR_REDIRECT_FAILED;
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        o.transient = 0;
        break;
    case BGT_ERR_BAD_RESPONSE:
        /* The server broke HTTP itself; asking again gets the same answer,
         * so only the user (Resume) decides to try once more. */
        o.hr = BGCOPY_E_INVALID_SERVER_RESPONSE;
        o.ctx = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
        o.transient = 0;
        break;
    case BGT_ERR_PROXY_INFO:
        o.hr = BGCOPY_E_INVALID_PROXY_INFO;
        o.ctx = BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT;
        o.transient = 0;
        break;
    case BGT_ERR_OTHER:
    default:
        break;
    }
    return o;
}

/* --------------------------------------------------- parking and aborts */

static void close_fd(bgcopy_job *job)
{
    if (job->fd >= 0) {
        uv_fs_t req;
        (void)uv_fs_close(NULL, &req, job->fd, NULL);
        uv_fs_req_cleanup(&req);
        job->fd = -1;
    }
}

/* Loop thread, lock not held: the job stops owning a step (I2).  Its place
 * may go to another job, so another pass follows (a pass with nothing to do
 * parks nobody, so this cannot loop). */
void bgc_step_park(bgcopy_manager *m, bgcopy_job *job)
{
    close_fd(job);
    uv_mutex_lock(&m->lock);
    bgc_sched_set_running(m, job, 0);
    uv_cond_broadcast(&m->idle);
    bgc_kick_locked(m);
    uv_mutex_unlock(&m->lock);
}

void bgc_step_abort(bgcopy_manager *m, bgcopy_job *job)
{
    uint64_t written = bgt_abort(job->xfer);
    close_fd(job);
    uv_mutex_lock(&m->lock);
    job->xfer = NULL;
    if (!job->xfer_is_probe && job->xfer_file < job->file_count) {
        if (job->on_demand) {
            /* The bytes that arrived are of the pinned version: keep them. */
            bgc_rec_file_filled(job, job->xfer_file, job->xfer_offset, written);
        } else {
            bgc_rec_file_progress(job, job->xfer_file, job->xfer_base + written);
        }
    }
    bgc_sched_set_running(m, job, 0);
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

/* Lock held.  Length of range k of a ranged file once the size is pinned. */
static uint64_t range_len(const bgc_file *f, uint32_t k)
{
    const bgcopy_file_range *r = &f->ranges[k];
    return r->length == BGCOPY_LENGTH_TO_EOF ? f->remote_size - r->initial_offset : r->length;
}

/* Lock held.  Checks a ranged file's ranges against the pinned size and
 * sets BytesTotal to their sum.  Returns -1 when a range starts at or runs
 * past the end of the resource (BG_E_INVALID_RANGE). */
static int resolve_ranges(bgcopy_job *job, uint32_t idx)
{
    const bgc_file *f = &job->files[idx];
    uint64_t total = 0;
    for (uint32_t k = 0; k < f->range_count; k++) {
        const bgcopy_file_range *r = &f->ranges[k];
        if (r->initial_offset >= f->remote_size)
            return -1;
        if (r->length != BGCOPY_LENGTH_TO_EOF && r->length > f->remote_size - r->initial_offset)
            return -1;
        total += range_len(f, k);
    }
    bgc_rec_file_set_total(job, idx, total);
    return 0;
}

/* Lock held.  Does the version the server answered with differ from the
 * pinned one?  |with_size|: a different size counts too.  A 206 whose
 * Content-Range gives another size under the same ETag/Last-Modified is a
 * broken Content-Range, not a new version (BGT_ERR_RANGE_MISMATCH through
 * bgt_request.expect_total), so for those only the validators count. */
static int version_changed(const bgc_file *f, const bgt_response *r, int with_size)
{
    if (with_size && f->remote_size != BGCOPY_SIZE_UNKNOWN && r->resource_size != BGT_UNKNOWN &&
        r->resource_size != f->remote_size)
        return 1;
    return str_differs(f->etag, r->etag) || str_differs(f->last_modified, r->last_modified);
}

/* Lock held.  The remote resource changed under file idx: start that file
 * over from byte 0 (never stitch two versions, I4; earlier finished files
 * are kept, docs/http.md).  The caller closes the file descriptor so that the
 * next step reopens and truncates the temporary file.  After MAX_RESTARTS
 * in one run the job fails instead (BG_E_REMOTE_FILE_CHANGED, ERROR). */
static void restart_file(bgcopy_job *job, uint32_t idx)
{
    bgc_file *f = &job->files[idx];
    bgc_rec_file_restart(job, idx);
    f->need_probe = 1;
    if (++f->restarts > MAX_RESTARTS)
        bgc_job_set_error(job, BGCOPY_E_REMOTE_FILE_CHANGED, BGCOPY_ERROR_CONTEXT_REMOTE_FILE,
                          (int32_t)idx, 0);
    else
        bgc_job_touch(job);
}

/* Lock held.  Replace file idx's remote name (the redirect policies rewrite it).
 * A server's answer may only ever name another http(s) URL: a remote name
 * can also be a local path or a file:// URL, which would make the next
 * Resume copy a local file the server chose.  The transport never reports
 * such a target (bgt_response.redirect_url); this is the second wall. */
static void rewrite_remote_name(bgcopy_job *job, uint32_t idx, const char *url)
{
    bgc_file *f = &job->files[idx];
    if (!url || !*url || strcmp(url, f->remote_name) == 0)
        return;
    /* Second wall (the transport is the first, bgt_url_resolve_redirect):
     * a remote name taken from a server's answer must be one a client
     * could have added as an http(s) URL, never a local file (docs/security.md). */
    if (bgt_url_parse(url, NULL) != BGT_URL_HTTP)
        return;
    char *copy = bgc_strdup(url);
    if (!copy)
        return;                              /* keeps the old name; nothing else depends on it */
    bgc_rec_file_set_name(job, idx, BGC_REC_REMOTE_NAME, copy);
    bgc_job_touch(job);
}

/* Lock held.  ALLOW_REPORT: a followed redirect rewrites the remote name to
 * the final URL (docs/http.md, "Redirects and HTTP options"). */
static void report_redirect(bgcopy_job *job, uint32_t idx, const bgt_response *r)
{
    if ((job->security_flags & BGCOPY_HTTP_REDIRECT_POLICY_MASK) ==
            BGCOPY_HTTP_REDIRECT_POLICY_ALLOW_REPORT &&
        r->redirect_count > 0)
        rewrite_remote_name(job, idx, r->effective_url);
}

/* Lock held.  Turn a failed transfer into the job's error.  A 3xx is a
 * redirect that was not followed: under DISALLOW it is fatal with
 * HRESULT_FROM_WIN32(status) and the remote name becomes the redirect's
 * target (docs/http.md, "Redirects and HTTP options"); otherwise it was a loop, too many redirects (20) or a
 * refused https -> http downgrade: fatal ERROR_WINHTTP_REDIRECT_FAILED. */
static void fail_transfer(bgcopy_job *job, uint32_t idx, bgt_status st, const bgt_response *r,
                          int sys_errno)
{
    if (st == BGT_ERR_HTTP_STATUS && r && r->http_status >= 300 && r->http_status < 400) {
        int disallow = (job->security_flags & BGCOPY_HTTP_REDIRECT_POLICY_MASK) ==
                       BGCOPY_HTTP_REDIRECT_POLICY_DISALLOW;
        if (disallow)
            rewrite_remote_name(job, idx, r->redirect_url);
        bgc_job_set_error(job, disallow ? HR_FROM_WIN32(r->http_status) : HR_REDIRECT_FAILED,
                          BGCOPY_ERROR_CONTEXT_REMOTE_FILE, (int32_t)idx, 0);
        return;
    }
    outcome o = classify(st, r, sys_errno);
    bgc_job_set_error(job, o.hr, o.ctx, (int32_t)idx, o.transient);
}

static void on_probe_done(bgt_transfer *t, bgt_status st, const bgt_response *r,
                          uint64_t written, int curl_code, int sys_errno, const char *msg, void *user)
{
    (void)t; (void)written; (void)curl_code; (void)msg;
    bgcopy_job *job = user;
    bgcopy_manager *m = job->m;
    int reopen = 0;
    uv_mutex_lock(&m->lock);
    job->xfer = NULL;
    uint32_t idx = job->xfer_file;
    bgc_file *f = &job->files[idx];
    if (bgc_is_running(job->state) && !job->hold) {
        if (st != BGT_OK) {
            fail_transfer(job, idx, st, r, sys_errno);
        } else if (r->resource_size == BGT_UNKNOWN) {
            bgc_job_set_error(job, BGCOPY_E_MISSING_FILE_SIZE, BGCOPY_ERROR_CONTEXT_REMOTE_FILE,
                              (int32_t)idx, 0);
        } else {
            report_redirect(job, idx, r);
            if (f->remote_size != BGCOPY_SIZE_UNKNOWN && version_changed(f, r, 1)) {
                restart_file(job, idx);
                reopen = 1;
            }
            bgc_rec_file_pin(job, idx, r->resource_size, r->etag, r->last_modified,
                             r->last_modified_unix);
            f->need_probe = 0;
            if (!f->range_count)
                bgc_rec_file_set_total(job, idx, f->remote_size);
            else if (resolve_ranges(job, idx) != 0)
                bgc_job_set_error(job, BGCOPY_E_INVALID_RANGE, BGCOPY_ERROR_CONTEXT_REMOTE_FILE,
                                  (int32_t)idx, 0);
            if (job->on_demand && bgc_od_resolve(f) != 0)
                bgc_job_set_error(job, BGCOPY_E_INVALID_RANGE, BGCOPY_ERROR_CONTEXT_REMOTE_FILE,
                                  (int32_t)idx, 0);
            bgc_job_touch(job);
        }
    }
    uv_mutex_unlock(&m->lock);
    if (reopen)
        close_fd(job);
    bgc_kick(m);  /* never re-enter the transport from its own callback */
}

static void on_get_progress(bgt_transfer *t, uint64_t written, void *user)
{
    (void)t;
    bgcopy_job *job = user;
    bgcopy_manager *m = job->m;
    uv_mutex_lock(&m->lock);
    bgc_rec_file_progress(job, job->xfer_file, job->xfer_base + written);
    if (written > 0) {
        job->no_progress_since_ms = 0;
        if (job->state == BGCOPY_JOB_STATE_CONNECTING)
            bgc_job_set_state(job, BGCOPY_JOB_STATE_TRANSFERRING);
        else
            bgc_job_touch_progress(job);
    }
    uv_mutex_unlock(&m->lock);
}

/* HTTP downloads take the server's modification time (docs/http.md, "Files on disk"). */
static void set_file_time(uv_file fd, int64_t unix_time)
{
    if (fd < 0 || unix_time < 0)
        return;
    uv_fs_t req;
    (void)uv_fs_futime(NULL, &req, fd, (double)unix_time, (double)unix_time, NULL);
    uv_fs_req_cleanup(&req);
}

static void on_get_done(bgt_transfer *t, bgt_status st, const bgt_response *r,
                        uint64_t written, int curl_code, int sys_errno, const char *msg, void *user)
{
    (void)t; (void)curl_code; (void)msg;
    bgcopy_job *job = user;
    bgcopy_manager *m = job->m;
    int finished = 0, reopen = 0;
    uv_mutex_lock(&m->lock);
    job->xfer = NULL;
    uint32_t idx = job->xfer_file;
    bgc_file *f = &job->files[idx];
    bgc_rec_file_progress(job, idx, job->xfer_base + written);
    if (written > 0)
        job->no_progress_since_ms = 0;
    /* A 200 whose Content-Length differs from the pinned size is refused
     * by the transport before a byte is written (BGT_ERR_SIZE_MISMATCH);
     * it is still a new version, not an error. */
    int changed = ((st == BGT_OK || st == BGT_ERR_RANGE_IGNORED || st == BGT_ERR_SIZE_MISMATCH) &&
                   version_changed(f, r, 1)) ||
                  (st == BGT_ERR_RANGE_MISMATCH && version_changed(f, r, 0));
    if (job->on_demand && !changed) {
        /* Random access: these bytes sit at their own offset. */
        bgc_rec_file_filled(job, idx, job->xfer_offset, written);
        if (st == BGT_OK)
            bgc_notify_ranges_filled(job, idx, job->xfer_offset, written);
    }
    if (job->on_demand && bgc_is_running(job->state) && !job->hold) {
        if (changed) {
            restart_file(job, idx);
            reopen = 1;
        } else if (st != BGT_OK) {
            fail_transfer(job, idx, st, r, sys_errno);
        } else {
            if (job->state == BGCOPY_JOB_STATE_CONNECTING)
                bgc_job_set_state(job, BGCOPY_JOB_STATE_TRANSFERRING);
            if (bgc_od_complete(f)) {
                bgc_rec_file_finished(job, idx);
                finished = 1;
                bgc_notify_file_done(job, idx);
            }
            bgc_job_touch(job);
        }
    } else if (bgc_is_running(job->state) && !job->hold) {
        if (job->dynamic_content) {
            /* No size and no validators to resume against: the body is
             * whatever one GET returned, and any failure starts over. */
            if (st == BGT_OK) {
                bgc_rec_file_dynamic_done(job, idx, r->last_modified_unix);
                report_redirect(job, idx, r);
            } else {
                bgc_rec_file_progress(job, idx, 0);
                reopen = 1;
                fail_transfer(job, idx, st, r, sys_errno);
            }
        } else if (changed) {
            /* The server answered with another version (a 200 to If-Range,
             * or validators that moved between HEAD and GET): start over. */
            restart_file(job, idx);
            reopen = 1;
        } else if (st != BGT_OK) {
            fail_transfer(job, idx, st, r, sys_errno);
        } else {
            report_redirect(job, idx, r);
        }
        if (st == BGT_OK && !reopen) {
            if (job->state == BGCOPY_JOB_STATE_CONNECTING)
                bgc_job_set_state(job, BGCOPY_JOB_STATE_TRANSFERRING);
            if (f->bytes_transferred >= f->bytes_total) {
                bgc_rec_file_finished(job, idx);
                finished = 1;
                bgc_notify_file_done(job, idx);
            }
            bgc_job_touch(job);
        }
    }
    int64_t mtime = f->last_modified_unix;
    uv_mutex_unlock(&m->lock);
    if (finished)
        set_file_time(job->fd, mtime);
    if (finished || reopen)
        close_fd(job);
    bgc_kick(m);  /* never re-enter the transport from its own callback */
}

/* ---------------------------------------------------------------- steps */

/* Open (creating on first use, exclusively) the file's temporary file,
 * never through a name that no longer holds the file we created (tempfile.c).
 * Returns 0 or a libuv error code negated (errno on POSIX). */
static int open_temp(bgcopy_manager *m, bgcopy_job *job, uint32_t idx, uint64_t *offset,
                     int random_access)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        uv_mutex_lock(&m->lock);
        bgc_file *f = &job->files[idx];
        char *path = bgc_strdup(f->temporary_name);
        int create = !f->temp_created;
        bgc_temp_id id = f->temp_id;
        uv_mutex_unlock(&m->lock);
        if (!path)
            return -UV_ENOMEM;
        uv_file fd = -1;
        int rc = create ? bgc_temp_create(path, &fd, &id) : bgc_temp_reopen(path, &id, &fd);
        int err = rc < 0 ? -rc : 0;
        if (rc == 0 && create)
            (void)bgc_platform_set_hidden(path, 1);  /* BITS hides its BIT*.tmp files */
        free(path);
        if (create && err == -UV_EEXIST) {
            /* Someone else's file has our proposed name: propose another. */
            uv_mutex_lock(&m->lock);
            char *other = bgc_make_temp_name(job->files[idx].local_name);
            if (other)
                bgc_rec_file_set_name(job, idx, BGC_REC_TEMPORARY_NAME, other);
            uv_mutex_unlock(&m->lock);
            continue;
        }
        if (!create && err == -UV_ENOENT) {
            /* The temporary file vanished: recreate it and start over. */
            uv_mutex_lock(&m->lock);
            bgc_rec_file_temp_vanished(job, idx);
            uv_mutex_unlock(&m->lock);
            *offset = 0;
            continue;
        }
        if (!create && rc == BGC_TEMP_FOREIGN) {
            /* Someone put another file, a link or a FIFO in its place: that
             * name is not ours any more (T4); start over under a fresh one. */
            uv_mutex_lock(&m->lock);
            bgc_temp_abandon(job, idx);
            bgc_job_touch(job);
            uv_mutex_unlock(&m->lock);
            *offset = 0;
            continue;
        }
        if (rc != 0)
            return err;
        uv_fs_t req;
        uv_mutex_lock(&m->lock);
        bgc_file *f2 = &job->files[idx];
        bgc_rec_file_temp_created(job, idx, &id);
        if (random_access) {
            /* On-demand: filled ranges are anywhere; the file is sparse. */
            job->fd = fd;
            *offset = 0;
            uv_mutex_unlock(&m->lock);
            return 0;
        }
        int have_st = uv_fs_fstat(NULL, &req, fd, NULL) == 0;
        uint64_t size = have_st ? req.statbuf.st_size : 0;
        uv_fs_req_cleanup(&req);
        if (have_st && size < f2->bytes_transferred)
            bgc_rec_file_progress(job, idx, size);  /* trust only what is on disk */
        *offset = f2->bytes_transferred;
        uv_mutex_unlock(&m->lock);
        /* Truncate only a file with bytes in it: on ext4 (auto_da_alloc) a
         * truncate to 0 makes the next close() write back every delayed
         * block synchronously, on the loop thread (0.73 s per GiB measured,
         * bench/README.md), while a new temporary file is empty anyway. */
        if (*offset == 0 && (!have_st || size > 0)) {
            err = -uv_fs_ftruncate(NULL, &req, fd, 0, NULL);
            uv_fs_req_cleanup(&req);
            if (err != 0) {
                (void)uv_fs_close(NULL, &req, fd, NULL);
                uv_fs_req_cleanup(&req);
                return err;
            }
        }
        job->fd = fd;
        return 0;
    }
    return -UV_EEXIST;
}

static void fail_locked(bgcopy_job *job, uint32_t idx, bgcopy_hr hr, bgcopy_error_context ctx,
                        int transient)
{
    bgc_job_set_error(job, hr, ctx, (int32_t)idx, transient);
}

/* What a step needs from the job, copied under the lock so the transport
 * call runs without it. */
typedef struct {
    char *url;
    char *headers_buf;           /* custom headers, split in place */
    char **headers;              /* NULL-terminated list into headers_buf, or NULL */
    char *if_range;
    uint32_t security_flags;
    uint32_t proxy_usage;
    char *proxy_list, *proxy_bypass;
    bgt_auth auth[2];            /* server, proxy; strings owned (copies) */
} step_opts;

static void step_opts_free(step_opts *o)
{
    free(o->url);
    free(o->headers_buf);
    free(o->headers);
    free(o->if_range);
    free(o->proxy_list);
    free(o->proxy_bypass);
    for (int t = 0; t < 2; t++) {
        bgc_credential c = {0, (char *)o->auth[t].username, (char *)o->auth[t].password};
        bgc_credential_clear(&c);
    }
}

/* Lock held.  The job's credentials for one target as the transport takes
 * them: the strongest scheme set (NEGOTIATE, NTLM, DIGEST, BASIC, then
 * PASSPORT) gives the user name and password, and every other scheme set
 * with the same two joins it, so the server's offer picks among them
 * (docs/http.md).  Returns 0 or -1 (out of memory). */
static int copy_auth(const bgcopy_job *job, int target, bgt_auth *out)
{
    static const int order[] = {4, 3, 2, 1, 5};
    const bgc_credential *creds = &job->credentials[target * 5];
    const bgc_credential *best = NULL;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 5 && !best; i++)
        if (creds[order[i] - 1].set)
            best = &creds[order[i] - 1];
    if (!best)
        return 0;
    for (int s = 1; s <= 5; s++) {
        const bgc_credential *c = &creds[s - 1];
        int same = c->set && (c->user == NULL) == (best->user == NULL) &&
                   (c->user == NULL || (strcmp(c->user, best->user) == 0 &&
                                        strcmp(c->password, best->password) == 0));
        if (same)
            out->schemes |= 1u << s; /* BGT_AUTH_* is 1 << BG_AUTH_SCHEME */
    }
    if (best->user) {
        out->username = bgc_strdup(best->user);
        out->password = bgc_strdup(best->password);
        if (!out->username || !out->password)
            return -1;
    }
    return 0;
}

/* Lock held.  Proxy settings and credentials into o. */
static int copy_route(const bgcopy_job *job, step_opts *o)
{
    o->proxy_usage = job->proxy_usage;
    if (job->proxy_list && !(o->proxy_list = bgc_strdup(job->proxy_list)))
        return -1;
    if (job->proxy_bypass && !(o->proxy_bypass = bgc_strdup(job->proxy_bypass)))
        return -1;
    return copy_auth(job, 0, &o->auth[0]) || copy_auth(job, 1, &o->auth[1]) ? -1 : 0;
}

/* Lock held.  Split "Name: value\r\n..." into a NULL-terminated list for
 * the transport.  Returns 0 or -1 (out of memory). */
static int copy_headers(const char *text, step_opts *o)
{
    if (!text || !*text)
        return 0;
    o->headers_buf = bgc_strdup(text);
    if (!o->headers_buf)
        return -1;
    size_t n = 1;
    for (const char *p = text; (p = strstr(p, "\r\n")); p += 2)
        n++;
    o->headers = calloc(n + 1, sizeof *o->headers);
    if (!o->headers)
        return -1;
    size_t k = 0;
    for (char *p = o->headers_buf; p && *p;) {
        char *end = strstr(p, "\r\n");
        if (end) {
            *end = 0;
            end += 2;
        }
        if (*p)
            o->headers[k++] = p;
        p = end;
    }
    return 0;
}

/* Lock held.  The validator that pins the version a continued GET must
 * still be: a strong ETag, else the exact Last-Modified text (RFC 9110
 * If-Range takes either).  NULL when neither is known. */
static char *pick_if_range(const bgc_file *f)
{
    if (f->etag && *f->etag && strncmp(f->etag, "W/", 2) != 0)
        return bgc_strdup(f->etag);
    if (f->last_modified && *f->last_modified)
        return bgc_strdup(f->last_modified);
    return NULL;
}

/* Loop thread, lock not held.  Start the next step of a running job, or
 * finish it, or park it when it may no longer run. */
void bgc_step_advance(bgcopy_manager *m, bgcopy_job *job)
{
    uv_mutex_lock(&m->lock);
    if (!bgc_is_running(job->state) || job->hold || m->stopping) {
        uv_mutex_unlock(&m->lock);
        bgc_step_park(m, job);
        return;
    }
    uint32_t idx = 0;
    int od = job->on_demand;
    uint64_t gap_off = 0, gap_len = 0;
    if (od) {
        /* On-demand (docs/http.md, "On-demand mode"): probe every file, then fetch only the
         * wanted bytes that are missing, in request order. */
        for (; idx < job->file_count; idx++) {
            bgc_file *g = &job->files[idx];
            if (g->finished)
                continue;
            if (g->need_probe || g->remote_size == BGCOPY_SIZE_UNKNOWN)
                break;
            if (bgc_od_complete(g)) {
                bgc_rec_file_finished(job, idx);
                bgc_notify_file_done(job, idx);
                continue;
            }
            if (bgc_od_next_gap(g, &gap_off, &gap_len))
                break;
        }
        if (idx == job->file_count) {
            int all = 1;
            for (uint32_t k = 0; k < job->file_count; k++)
                all &= job->files[k].finished;
            /* Everything asked for is here: wait for more requests. */
            bgc_job_set_state(job, all ? BGCOPY_JOB_STATE_TRANSFERRED : BGCOPY_JOB_STATE_SUSPENDED);
            uv_mutex_unlock(&m->lock);
            bgc_step_park(m, job);
            return;
        }
    } else {
        while (idx < job->file_count && job->files[idx].finished)
            idx++;
        if (idx == job->file_count) {
            bgc_job_set_state(job, BGCOPY_JOB_STATE_TRANSFERRED);
            uv_mutex_unlock(&m->lock);
            bgc_step_park(m, job);
            return;
        }
    }
    bgc_file *f = &job->files[idx];
    int dynamic = job->dynamic_content;
    int probe = !dynamic && (f->need_probe || f->remote_size == BGCOPY_SIZE_UNKNOWN);
    if (dynamic)
        bgc_rec_file_progress(job, idx, 0);  /* nothing to resume against: always from zero */
    step_opts o;
    memset(&o, 0, sizeof o);
    o.url = bgc_strdup(f->remote_name);
    o.security_flags = job->security_flags;
    uint64_t total = f->bytes_total;
    int foreground = job->priority == BGCOPY_JOB_PRIORITY_FOREGROUND;
    if (!o.url || copy_headers(job->custom_headers, &o) != 0 || copy_route(job, &o) != 0) {
        fail_locked(job, idx, BGCOPY_E_OUTOFMEMORY, BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, 1);
        uv_mutex_unlock(&m->lock);
        step_opts_free(&o);
        bgc_step_park(m, job);
        return;
    }
    uv_mutex_unlock(&m->lock);

    if (job->fd >= 0 && (job->xfer_file != idx || dynamic))
        close_fd(job);

    bgt_request req;
    memset(&req, 0, sizeof req);
    req.url = o.url;
    req.fd = -1;
    req.follow_redirects = (o.security_flags & BGCOPY_HTTP_REDIRECT_POLICY_MASK) !=
                           BGCOPY_HTTP_REDIRECT_POLICY_DISALLOW;
    req.allow_https_to_http = (o.security_flags & BGCOPY_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP) != 0;
    req.tls_flags = o.security_flags &
                    (BGCOPY_SSL_ENABLE_CRL_CHECK | BGCOPY_SSL_IGNORE_CERT_CN_INVALID |
                     BGCOPY_SSL_IGNORE_CERT_DATE_INVALID | BGCOPY_SSL_IGNORE_UNKNOWN_CA |
                     BGCOPY_SSL_IGNORE_CERT_WRONG_USAGE);
    req.extra_headers = (const char *const *)o.headers;
    /* PRECONFIG and AUTODETECT (not implemented): libcurl's environment. */
    if (o.proxy_usage == BGCOPY_PROXY_USAGE_NO_PROXY)
        req.proxy = "";
    else if (o.proxy_usage == BGCOPY_PROXY_USAGE_OVERRIDE) {
        req.proxy_list = o.proxy_list;
        req.proxy_bypass_list = o.proxy_bypass;
    }
    req.server_auth = o.auth[0];
    req.proxy_auth = o.auth[1];
    req.stall_timeout_s = m->stall_timeout_s;
    req.user = job;
    job->xfer_file = idx;

    if (probe) {
        req.method = BGT_HEAD;
        req.on_done = on_probe_done;
        job->xfer_is_probe = 1;
    } else {
        uint64_t offset = 0;
        int err = job->fd >= 0 ? 0 : open_temp(m, job, idx, &offset, od);
        if (od && err == 0) {
            offset = gap_off;
        } else if (job->fd >= 0 && err == 0) {
            uv_mutex_lock(&m->lock);
            offset = job->files[idx].bytes_transferred;
            uv_mutex_unlock(&m->lock);
        }
        if (err) {
            uv_mutex_lock(&m->lock);
            fail_locked(job, idx, bgc_hr_from_errno(err), BGCOPY_ERROR_CONTEXT_LOCAL_FILE,
                        err == -UV_ENOSPC);
            uv_mutex_unlock(&m->lock);
            step_opts_free(&o);
            bgc_step_park(m, job);
            return;
        }
        if (!dynamic && !od && offset >= total) {
            /* Nothing to fetch (an empty resource, or every byte already here). */
            uv_mutex_lock(&m->lock);
            bgc_rec_file_finished(job, idx);
            bgc_notify_file_done(job, idx);
            int64_t mtime = job->files[idx].last_modified_unix;
            bgc_job_touch(job);
            uv_mutex_unlock(&m->lock);
            set_file_time(job->fd, mtime);
            close_fd(job);
            step_opts_free(&o);
            bgc_kick(m);
            return;
        }
        req.method = BGT_GET;
        uint64_t base = offset;
        if (od) {
            uv_mutex_lock(&m->lock);
            const bgc_file *cf = &job->files[idx];
            req.ranged = 1;
            req.range_first = gap_off;
            req.range_length = gap_len < TWO_GB ? gap_len : TWO_GB;
            req.expect_total = cf->remote_size;
            if (cf->od_filled_count)
                o.if_range = pick_if_range(cf);
            base = bgc_od_filled_bytes(cf);
            uv_mutex_unlock(&m->lock);
            req.if_range = o.if_range;
        } else if (dynamic) {
            req.ranged = 0;
            req.range_first = 0;
            req.range_length = BGT_UNKNOWN;
        } else {
            uv_mutex_lock(&m->lock);
            const bgc_file *cf = &job->files[idx];
            if (cf->range_count) {
                /* Local bytes are the ranges back to back: find the range
                 * the next local byte belongs to. */
                uint64_t within = offset;
                uint32_t k = 0;
                while (k + 1 < cf->range_count && within >= range_len(cf, k))
                    within -= range_len(cf, k++);
                uint64_t left = range_len(cf, k) - within;
                req.ranged = 1;
                req.range_first = cf->ranges[k].initial_offset + within;
                req.range_length = left < TWO_GB ? left : TWO_GB;
            } else {
                int plain = foreground && offset == 0 && total <= TWO_GB;
                req.ranged = !plain;
                req.range_first = offset;
                req.range_length = plain ? BGT_UNKNOWN
                                         : (total - offset < TWO_GB ? total - offset : TWO_GB);
            }
            req.expect_total = cf->remote_size != BGCOPY_SIZE_UNKNOWN ? cf->remote_size : 0;
            if (req.ranged && offset > 0)
                o.if_range = pick_if_range(cf);  /* continuing: the same version or a 200 */
            uv_mutex_unlock(&m->lock);
            req.if_range = o.if_range;
        }
        req.fd = job->fd;
        req.file_offset = offset;
        req.on_progress = on_get_progress;
        req.on_done = on_get_done;
        job->xfer_is_probe = 0;
        job->xfer_base = base;
        job->xfer_offset = offset;
    }

    bgt_transfer *xfer = NULL;
    int rc = bgt_start(m->transport, &req, &xfer);
    step_opts_free(&o);
    uv_mutex_lock(&m->lock);
    if (rc != 0) {
        fail_locked(job, idx, BGCOPY_E_OUTOFMEMORY, BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, 1);
        uv_mutex_unlock(&m->lock);
        bgc_step_park(m, job);
        return;
    }
    job->xfer = xfer;
    uv_mutex_unlock(&m->lock);
}
