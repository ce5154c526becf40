/* job.c - the job API: properties, files, and the life-cycle calls
 * (Resume, Suspend, Cancel, Complete) with the legality rules of BITS. */
#include "internal.h"
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h> /* S_IFMT and friends for libuv's st_mode, on Windows too */

/* uv_fs_access's mode bits: access(2)'s values, which uv/win.h also uses. */
#ifndef W_OK
#define W_OK 2
#endif
#ifndef X_OK
#define X_OK 1
#endif

/* A job may be changed unless it reached a final state, Complete or Cancel
 * is finishing it (its files are being renamed or deleted outside the
 * lock), or its manager is closing (nothing would run the change). */
bgcopy_hr bgc_job_check_mutable(bgcopy_job *job)
{
    if (bgc_is_final(job->state) || job->finishing || job->m->closed)
        return BGCOPY_E_INVALID_STATE;
    return BGCOPY_S_OK;
}

void bgc_job_free(bgcopy_job *job)
{
    bgc_notify_job_free(job);
    bgc_ranges_job_free(job);
    bgc_rec_job_free(job);
    free(job);
}

static void touch(bgcopy_job *job, uint32_t what)
{
    bgc_rec_touch(job, what);
    job->active_ms = bgc_now_ms(job->m);     /* JobInactivityTimeout restarts (docs/policy.md) */
    if (!job->modification_pending) {
        job->modification_pending = 1;
        if (job->notify.cb.job_modification && (job->notify_flags & BGCOPY_NOTIFY_JOB_MODIFICATION))
            bgc_notify_job_changed(job);
    }
}

void bgc_job_touch(bgcopy_job *job)
{
    touch(job, BGC_DIRTY_JOB);
}

void bgc_job_touch_progress(bgcopy_job *job)
{
    touch(job, BGC_DIRTY_PROGRESS);
}

void bgc_job_set_state(bgcopy_job *job, bgcopy_job_state s)
{
    if (job->state == s)
        return;
    bgc_rec_set_state(job, s);
    bgc_sched_update(job);
    job->active_ms = bgc_now_ms(job->m);
    switch (s) {
    case BGCOPY_JOB_STATE_TRANSFERRED:
        /* Level-triggered: every entry into TRANSFERRED earns a delivery. */
        job->transferred_delivered = 0;
        job->notify_retry_at_ms = 0;
        bgc_notify_job_changed(job);
        break;
    case BGCOPY_JOB_STATE_ERROR:
        job->error_delivered = 0;
        job->notify_retry_at_ms = 0;
        bgc_notify_job_changed(job);
        break;
    default:
        bgc_job_touch(job);
        break;
    }
}

void bgc_job_set_error(bgcopy_job *job, bgcopy_hr code, bgcopy_error_context ctx,
                       int32_t file_index, int transient)
{
    bgcopy_manager *m = job->m;
    bgc_rec_set_error(job, code, ctx, file_index);

    uint64_t now = bgc_now_ms(m);
    if (transient) {
        if (job->no_progress_since_ms == 0)
            job->no_progress_since_ms = now ? now : 1;
        uint64_t timeout_ms = (uint64_t)job->no_progress_timeout_s * 1000u;
        uint64_t delay_ms = (uint64_t)job->min_retry_delay_s * 1000u;
        /* A retry that could only happen after the no-progress timeout is no retry. */
        if (job->no_progress_timeout_s == 0 || now - job->no_progress_since_ms >= timeout_ms ||
            delay_ms > timeout_ms)
            transient = 0;
        else
            job->retry_at_ms = now + delay_ms;
    }
    bgc_job_set_state(job, transient ? BGCOPY_JOB_STATE_TRANSIENT_ERROR : BGCOPY_JOB_STATE_ERROR);
    bgc_sched_update(job);                   /* a new retry time in the same state */
}

/* ------------------------------------------------------------------ files */

/* Synchronous stat (no loop needed without a callback): 0 and the file
 * type bits, or a negative libuv error code. */
static int stat_type(const char *path, uint64_t *type)
{
    uv_fs_t req;
    int rc = uv_fs_stat(NULL, &req, path, NULL);
    *type = rc == 0 ? (req.statbuf.st_mode & S_IFMT) : 0;
    uv_fs_req_cleanup(&req);
    return rc;
}

static bgcopy_hr check_local_name(const char *local)
{
    if (!bgt_path_is_absolute(local))
        return BGCOPY_E_INVALIDARG;          /* relative paths are rejected, as BITS does */
    size_t len = strlen(local);
    if (bgt_path_is_sep(local[len - 1]) || len >= 4096)
        return BGCOPY_E_INVALIDARG;
    /* Only nothing or a regular file may be replaced by Complete (T5 in
     * tempfile.c): a directory, link, FIFO, device or socket never is. */
    if (bgc_dest_check(local) == BGC_DEST_NOT_REGULAR)
        return BGCOPY_E_INVALIDARG;
    uint64_t type;
    char *dir = bgc_strdup(local);
    if (!dir)
        return BGCOPY_E_OUTOFMEMORY;
    char *slash = (char *)bgt_path_last_sep(dir);
    /* The root keeps its separator: "/f" lives in "/", "C:\f" in "C:\". */
    *slash = 0;
    if (!bgt_path_is_absolute(dir)) {
        *slash = *(local + (slash - dir));
        slash[1] = 0;
    }
    bgcopy_hr hr = BGCOPY_S_OK;
    int rc = stat_type(dir, &type);
    if (rc != 0) {
        hr = rc == UV_ENOENT || rc == UV_ENOTDIR ? BGCOPY_E_PATH_NOT_FOUND : bgc_hr_from_errno(-rc);
    } else if (type != S_IFDIR) {
        hr = BGCOPY_E_PATH_NOT_FOUND;
    } else {
        /* On Windows this can only see a read-only attribute, which
         * directories ignore; creating the temporary file is the real test
         * there. */
        uv_fs_t req;
        if (uv_fs_access(NULL, &req, dir, W_OK | X_OK, NULL) != 0)
            hr = BGCOPY_E_ACCESSDENIED;
        uv_fs_req_cleanup(&req);
    }
    free(dir);
    return hr;
}

bgcopy_hr bgcopy_job_add_file(bgcopy_job *job, const char *remote_url, const char *local_name)
{
    return bgc_job_add_file_ex(job, remote_url, local_name, NULL, 0);
}

bgcopy_hr bgc_job_add_file_ex(bgcopy_job *job, const char *remote_url, const char *local_name,
                              const bgcopy_file_range *ranges, uint32_t range_count)
{
    if (!job || !remote_url || !local_name || !*remote_url || !*local_name)
        return BGCOPY_E_INVALIDARG;
    size_t ulen = bgc_utf8_length(remote_url);
    if (ulen == SIZE_MAX || ulen > BGCOPY_MAX_URL || bgc_utf8_length(local_name) == SIZE_MAX)
        return BGCOPY_E_INVALIDARG;
    int http;
    bgcopy_hr hr = bgc_check_remote_name(remote_url, &http);
    if (hr != BGCOPY_S_OK)
        return hr;
    hr = check_local_name(local_name);
    if (hr != BGCOPY_S_OK)
        return hr;

    bgc_file_record nf;
    memset(&nf, 0, sizeof nf);
    nf.remote_name = bgc_strdup(remote_url);
    nf.local_name = bgc_strdup(local_name);
    nf.temporary_name = bgc_make_temp_name(local_name);
    if (range_count) {
        nf.ranges = malloc(range_count * sizeof *nf.ranges);
        if (nf.ranges)
            memcpy(nf.ranges, ranges, range_count * sizeof *nf.ranges);
        nf.range_count = range_count;
    }
    if (!nf.remote_name || !nf.local_name || !nf.temporary_name || (range_count && !nf.ranges)) {
        free(nf.remote_name);
        free(nf.local_name);
        free(nf.temporary_name);
        free(nf.ranges);
        return BGCOPY_E_OUTOFMEMORY;
    }

    LOCK(job);
    hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK && job->on_demand && !http)
        hr = BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED;  /* on-demand jobs take random-access files only */
    if (hr == BGCOPY_S_OK && job->file_count >= job->m->policy.max_files_per_job)
        hr = BGCOPY_E_TOO_MANY_FILES_IN_JOB;
    if (hr == BGCOPY_S_OK)
        hr = bgc_rec_add_file(job, &nf);
    if (hr == BGCOPY_S_OK)
        bgc_job_touch(job);
    UNLOCK(job);
    if (hr != BGCOPY_S_OK) {
        free(nf.remote_name);
        free(nf.local_name);
        free(nf.temporary_name);
        free(nf.ranges);
    }
    return hr;
}

bgcopy_hr bgcopy_job_get_file_count(bgcopy_job *job, uint32_t *out_count)
{
    if (!job || !out_count)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    *out_count = job->file_count;
    UNLOCK(job);
    return BGCOPY_S_OK;
}

static void file_progress(const bgc_file *f, bgcopy_file_progress *out)
{
    out->bytes_total = f->bytes_total;
    out->bytes_transferred = f->bytes_transferred;
    out->completed = f->completed;
}

bgcopy_hr bgcopy_job_get_file(bgcopy_job *job, uint32_t index, bgcopy_file_info *out)
{
    if (!out)
        return BGCOPY_E_INVALIDARG;
    memset(out, 0, sizeof *out);
    if (!job)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = BGCOPY_S_OK;
    LOCK(job);
    if (index >= job->file_count) {
        hr = BGCOPY_E_INVALIDARG;
    } else {
        const bgc_file *f = &job->files[index];
        out->remote_name = bgc_strdup(f->remote_name);
        out->local_name = bgc_strdup(f->local_name);
        out->temporary_name = bgc_strdup(f->temporary_name);
        file_progress(f, &out->progress);
        if (!out->remote_name || !out->local_name || !out->temporary_name)
            hr = BGCOPY_E_OUTOFMEMORY;
    }
    UNLOCK(job);
    if (hr != BGCOPY_S_OK)
        bgcopy_file_info_clear(out);
    return hr;
}

bgcopy_hr bgcopy_job_get_file_progress(bgcopy_job *job, uint32_t index, bgcopy_file_progress *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = BGCOPY_S_OK;
    LOCK(job);
    if (index >= job->file_count)
        hr = BGCOPY_E_INVALIDARG;
    else
        file_progress(&job->files[index], out);
    UNLOCK(job);
    return hr;
}

void bgcopy_file_info_clear(bgcopy_file_info *info)
{
    if (!info)
        return;
    free(info->remote_name);
    free(info->local_name);
    free(info->temporary_name);
    memset(info, 0, sizeof *info);
}

/* ------------------------------------------------------------- life cycle */

static int has_unfinished_file(const bgcopy_job *job)
{
    for (uint32_t i = 0; i < job->file_count; i++)
        if (!job->files[i].finished)
            return 1;
    return 0;
}

bgcopy_hr bgcopy_job_resume(bgcopy_job *job)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK && job->file_count == 0)
        hr = BGCOPY_E_EMPTY;
    if (hr == BGCOPY_S_OK) {
        switch (job->state) {
        case BGCOPY_JOB_STATE_TRANSFERRED:
            if (!has_unfinished_file(job))
                break;                       /* nothing left to do: stays TRANSFERRED */
            /* fall through */
        case BGCOPY_JOB_STATE_SUSPENDED:
        case BGCOPY_JOB_STATE_ERROR:
        case BGCOPY_JOB_STATE_TRANSIENT_ERROR:
            /* A fresh start: validators are checked again before more bytes
             * are appended (I4), and the no-progress clock restarts. */
            for (uint32_t i = 0; i < job->file_count; i++) {
                job->files[i].need_probe = 1;
                job->files[i].restarts = 0;
            }
            job->no_progress_since_ms = 0;
            bgc_rec_set_u32(job, BGC_REC_EVER_RESUMED, 1);
            bgc_job_set_state(job, BGCOPY_JOB_STATE_QUEUED);
            break;
        default:
            break;                           /* already active */
        }
    }
    UNLOCK(job);
    if (hr == BGCOPY_S_OK)
        bgc_kick(job->m);
    return hr;
}

bgcopy_hr bgcopy_job_suspend(bgcopy_job *job)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK && job->state != BGCOPY_JOB_STATE_SUSPENDED) {
        bgc_job_set_state(job, BGCOPY_JOB_STATE_SUSPENDED);
        /* Wait so that BytesTransferred is stable once Suspend returns. */
        bgc_wait_idle(job->m, job);
    }
    UNLOCK(job);
    return hr;
}

/* Lock held.  Complete found file idx's temporary name holding something
 * else (T4): the file downloads again under a fresh name.  A job that was
 * done goes back to QUEUED to fetch it, as Resume would queue it; any other
 * state is kept (a SUSPENDED job stays suspended until the caller resumes). */
static void restart_replaced(bgcopy_job *job, uint32_t idx)
{
    bgc_file *f = &job->files[idx];
    bgc_temp_abandon(job, idx);
    f->need_probe = 1;
    f->restarts = 0;
    if (job->state == BGCOPY_JOB_STATE_TRANSFERRED) {
        job->no_progress_since_ms = 0;
        bgc_job_set_state(job, BGCOPY_JOB_STATE_QUEUED);
    }
}

/* A job in a final state notifies nobody: it gives up its sink, which is
 * released outside the lock because release may run client code. */
static bgc_notify take_sink(bgcopy_job *job)
{
    bgc_notify sink = job->notify;
    memset(&job->notify, 0, sizeof job->notify);
    return sink;
}

static void drop_sink(bgc_notify *sink)
{
    BGC_SINK_DROP(*sink);
}

/* One file's part of Complete or Cancel, done outside m->lock: the names
 * are copies, so nothing of the job is read while the lock is free. */
typedef struct {
    uint32_t idx;
    int finished;                /* Complete renames it; else its temporary file goes */
    int created;                 /* temp_created when planned */
    bgc_temp_id id;
    char *temp;
    char *local;
    int done;                    /* renamed (finished) or removed */
} file_op;

static void ops_free(file_op *ops, uint32_t n)
{
    for (uint32_t i = 0; ops && i < n; i++) {
        free(ops[i].temp);
        free(ops[i].local);
    }
    free(ops);
}

/* Lock held, the job held or final.  Plans the files not yet completed;
 * |with_local|: Complete needs the destination names too.  NULL on out of
 * memory (*n = 0). */
static file_op *plan_ops(bgcopy_job *job, int with_local, uint32_t *n)
{
    *n = 0;
    file_op *ops = calloc(job->file_count ? job->file_count : 1, sizeof *ops);
    if (!ops)
        return NULL;
    for (uint32_t i = 0; i < job->file_count; i++) {
        const bgc_file *f = &job->files[i];
        if (f->completed)
            continue;
        file_op *o = &ops[(*n)++];
        o->idx = i;
        o->finished = f->finished;
        o->created = f->temp_created;
        o->id = f->temp_id;
        o->temp = bgc_strdup(f->temporary_name);
        o->local = with_local ? bgc_strdup(f->local_name) : NULL;
        if (!o->temp || (with_local && !o->local)) {
            ops_free(ops, *n);
            *n = 0;
            return NULL;
        }
    }
    return ops;
}

/* Delete the temporary file of |o| if we created it, and only that file
 * (T3): a link or another file in its place is left alone and counts as
 * undeletable.  No lock.  0 or -1. */
static int remove_op(file_op *o)
{
    if (!o->created)
        return 0;
    if (bgc_temp_remove(o->temp, &o->id) != 0)
        return -1;
    o->done = 1;
    return 0;
}

/* Lock held on entry, released on return; the job was just made
 * CANCELLED by the caller.  Deletes its temporary files, takes it out of
 * the queue and hands its sink to *sink (to release without the lock).
 * S_OK or BG_S_UNABLE_TO_DELETE_FILES. */
static bgcopy_hr cancel_cancelled(bgcopy_job *job, bgc_notify *sink_out)
{
    bgcopy_manager *m = job->m;
    bgcopy_hr hr = BGCOPY_S_OK;
    bgc_wait_idle(m, job);
    uint32_t n;
    file_op *ops = plan_ops(job, 0, &n);
    if (!ops) {
        /* No memory for the names: delete under the lock as a last resort. */
        for (uint32_t i = 0; i < job->file_count; i++) {
            bgc_file *f = &job->files[i];
            if (f->completed || !f->temp_created)
                continue;
            if (bgc_temp_remove(f->temporary_name, &f->temp_id) != 0)
                hr = BGCOPY_S_UNABLE_TO_DELETE_FILES;
            else
                bgc_rec_file_temp_removed(job, i, 0);
        }
    }
    /* bgcopy_manager_close may have emptied the queue while we waited. */
    int was_queued = job->queued;
    bgc_queue_remove(m, job);
    *sink_out = take_sink(job);
    UNLOCK(job);

    /* The unlinks run without the lock: a slow disk stalls neither the
     * loop nor other callers. */
    for (uint32_t i = 0; i < n; i++)
        if (remove_op(&ops[i]) != 0)
            hr = BGCOPY_S_UNABLE_TO_DELETE_FILES;
    if (n) {
        LOCK(job);
        for (uint32_t i = 0; i < n; i++)
            if (ops[i].done)
                bgc_rec_file_temp_removed(job, ops[i].idx, 0);
        UNLOCK(job);
    }
    ops_free(ops, n);
    if (was_queued)
        bgcopy_job_release(job);             /* the queue's reference (I1) */
    return hr;
}

bgcopy_hr bgcopy_job_cancel(bgcopy_job *job)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr != BGCOPY_S_OK) {
        UNLOCK(job);
        return hr;
    }
    /* CANCELLED is final: from here on no caller may change the job and
     * the loop never runs it again, so its files are ours alone. */
    bgc_job_set_state(job, BGCOPY_JOB_STATE_CANCELLED);
    bgc_notify sink;
    hr = cancel_cancelled(job, &sink);
    drop_sink(&sink);
    return hr;
}

void bgc_job_scavenge(bgcopy_job *job)
{
    LOCK(job);
    bgc_notify sink;
    (void)cancel_cancelled(job, &sink);      /* files it cannot delete stay, as for Cancel */
    if (sink.cb.release) {
        LOCK(job);
        if (bgc_notify_release_later(job->m, &sink) == 0)
            memset(&sink, 0, sizeof sink);
        UNLOCK(job);
        drop_sink(&sink);                    /* out of memory: here, the last resort */
    }
}

/* No lock.  Renames |o|'s temporary file onto its destination after the
 * checks of T3 and T5 (tempfile.c).  S_OK; BG_E_BAD_FILE_TYPE (the
 * destination is a link, directory...); BG_E_LOCAL_FILE_CHANGED (*foreign
 * set: the temporary name holds another file); the rename's error. */
static bgcopy_hr rename_op(file_op *o, int *foreign)
{
    /* Only nothing or a regular file is replaced (T5); the job stays for
     * another try once the caller has cleared the name. */
    int rc = bgc_dest_check(o->local);
    if (rc == BGC_DEST_NOT_REGULAR)
        return BGCOPY_E_BAD_FILE_TYPE;
    /* Only the regular file we created is renamed (T3); a name that holds
     * something else is left alone and the file fetched again. */
    if (rc == 0 && o->created)
        rc = bgc_temp_check(o->temp, &o->id);
    if (rc == BGC_TEMP_FOREIGN) {
        *foreign = 1;
        return BGCOPY_E_LOCAL_FILE_CHANGED;
    }
    /* Replaces an existing destination on both platforms (libuv renames
     * with MOVEFILE_REPLACE_EXISTING on Windows).  The loop is idle for
     * this job, so no handle of ours holds the file open. */
    if (rc == 0) {
        uv_fs_t req;
        rc = uv_fs_rename(NULL, &req, o->temp, o->local, NULL);
        uv_fs_req_cleanup(&req);
    }
    if (rc != 0) {
        bgcopy_hr hr = bgc_hr_from_errno(-rc);
        return hr == BGCOPY_E_PATH_NOT_FOUND ? BGCOPY_E_FILE_NOT_FOUND : hr;
    }
    /* The temporary file's hidden attribute moved with it (Windows). */
    (void)bgc_platform_set_hidden(o->local, 0);
    o->done = 1;
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_job_complete(bgcopy_job *job)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    bgcopy_manager *m = job->m;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr != BGCOPY_S_OK) {
        UNLOCK(job);
        return hr;
    }
    /* finishing: every other mutator, Cancel and a second Complete answer
     * BG_E_INVALID_STATE; the hold keeps the loop off the job's files. */
    job->finishing = 1;
    bgc_job_hold(job);
    bgc_wait_idle(m, job);
    uint32_t n;
    file_op *ops = plan_ops(job, 1, &n);
    if (!ops) {
        job->finishing = 0;
        bgc_job_unhold(job);
        UNLOCK(job);
        bgc_kick(m);
        return BGCOPY_E_OUTOFMEMORY;
    }
    UNLOCK(job);

    /* File work without the lock (docs/architecture.md): in file order,
     * stopping at the first failure; renamed files keep their names. */
    int partial = 0, undeleted = 0, foreign = 0;
    uint32_t failed = 0;
    for (uint32_t i = 0; i < n && hr == BGCOPY_S_OK; i++) {
        if (!ops[i].finished)
            continue;
        hr = rename_op(&ops[i], &foreign);
        failed = ops[i].idx;
    }
    if (hr == BGCOPY_S_OK) {
        for (uint32_t i = 0; i < n; i++) {
            if (ops[i].finished)
                continue;
            partial = 1;
            if (remove_op(&ops[i]) != 0)
                undeleted = 1;
        }
    }

    LOCK(job);
    for (uint32_t i = 0; i < n; i++) {
        if (!ops[i].done)
            continue;
        bgc_rec_file_temp_removed(job, ops[i].idx, ops[i].finished);
    }
    bgc_notify sink;
    memset(&sink, 0, sizeof sink);
    int was_queued = 0;
    if (foreign)
        restart_replaced(job, failed);
    if (hr == BGCOPY_S_OK) {
        bgc_job_set_state(job, BGCOPY_JOB_STATE_ACKNOWLEDGED);
        /* bgcopy_manager_close may have emptied the queue meanwhile. */
        was_queued = job->queued;
        bgc_queue_remove(m, job);
        sink = take_sink(job);
    } else {
        job->finishing = 0;
        bgc_job_touch(job);
    }
    bgc_job_unhold(job);
    UNLOCK(job);
    ops_free(ops, n);
    drop_sink(&sink);
    if (hr != BGCOPY_S_OK) {
        bgc_kick(m);                         /* let it run again if it was running */
        return hr;
    }
    if (was_queued)
        bgcopy_job_release(job);             /* the queue's reference (I1) */
    return undeleted ? BGCOPY_S_UNABLE_TO_DELETE_FILES
                     : partial ? BGCOPY_S_PARTIAL_COMPLETE : BGCOPY_S_OK;
}

/* ------------------------------------------------------------- properties */

#define GETTER(name, type, expr)                                  \
    bgcopy_hr bgcopy_job_get_##name(bgcopy_job *job, type *out)   \
    {                                                             \
        if (!job || !out)                                         \
            return BGCOPY_E_INVALIDARG;                           \
        LOCK(job);                                                \
        *out = (expr);                                            \
        UNLOCK(job);                                              \
        return BGCOPY_S_OK;                                       \
    }

GETTER(id, bgcopy_guid, job->id)
GETTER(type, bgcopy_job_type, job->type)
GETTER(state, bgcopy_job_state, job->state)
GETTER(times, bgcopy_job_times, job->times)
GETTER(error_count, uint32_t, job->error_count)
GETTER(priority, bgcopy_job_priority, job->priority)
GETTER(notify_flags, uint32_t, job->notify_flags)
GETTER(minimum_retry_delay, uint32_t, job->min_retry_delay_s)
GETTER(no_progress_timeout, uint32_t, job->no_progress_timeout_s)

bgcopy_hr bgcopy_job_get_progress(bgcopy_job *job, bgcopy_job_progress *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    memset(out, 0, sizeof *out);
    LOCK(job);
    for (uint32_t i = 0; i < job->file_count; i++) {
        const bgc_file *f = &job->files[i];
        if (f->bytes_total == BGCOPY_SIZE_UNKNOWN || out->bytes_total == BGCOPY_SIZE_UNKNOWN)
            out->bytes_total = BGCOPY_SIZE_UNKNOWN;
        else
            out->bytes_total += f->bytes_total;
        out->bytes_transferred += f->bytes_transferred;
        out->files_transferred += f->finished ? 1u : 0u;
    }
    out->files_total = job->file_count;
    UNLOCK(job);
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_job_get_error(bgcopy_job *job, bgcopy_job_error *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = BGCOPY_S_OK;
    LOCK(job);
    if (job->has_error)
        *out = job->error;
    else
        hr = BGCOPY_E_ERROR_INFORMATION_UNAVAILABLE;
    UNLOCK(job);
    return hr;
}

static bgcopy_hr set_string(bgcopy_job *job, bgc_rec_str field, const char *value, size_t max)
{
    if (!job || !value)
        return BGCOPY_E_INVALIDARG;
    size_t len = bgc_utf8_length(value);
    if (len == SIZE_MAX)
        return BGCOPY_E_INVALIDARG;
    if (len > max)
        return BGCOPY_E_STRING_TOO_LONG;
    char *copy = bgc_strdup(value);
    if (!copy)
        return BGCOPY_E_OUTOFMEMORY;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        copy = bgc_rec_swap_string(job, field, copy);
        bgc_job_touch(job);
    }
    UNLOCK(job);
    free(copy);
    return hr;
}

static bgcopy_hr get_string(bgcopy_job *job, char *const *field, char **out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    *out = bgc_strdup(*field);
    UNLOCK(job);
    return *out ? BGCOPY_S_OK : BGCOPY_E_OUTOFMEMORY;
}

bgcopy_hr bgcopy_job_set_display_name(bgcopy_job *job, const char *name)
{
    return set_string(job, BGC_REC_DISPLAY_NAME, name, BGCOPY_MAX_DISPLAY_NAME);
}

bgcopy_hr bgcopy_job_get_display_name(bgcopy_job *job, char **out)
{
    return get_string(job, job ? &job->display_name : NULL, out);
}

bgcopy_hr bgcopy_job_set_description(bgcopy_job *job, const char *text)
{
    return set_string(job, BGC_REC_DESCRIPTION, text, BGCOPY_MAX_DESCRIPTION);
}

bgcopy_hr bgcopy_job_get_description(bgcopy_job *job, char **out)
{
    return get_string(job, job ? &job->description : NULL, out);
}

bgcopy_hr bgcopy_job_set_priority(bgcopy_job *job, bgcopy_job_priority p)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    if ((int)p < BGCOPY_JOB_PRIORITY_FOREGROUND || (int)p > BGCOPY_JOB_PRIORITY_LOW)
        return BGCOPY_E_NOTIMPL;             /* BITS answers E_NOTIMPL for values outside the enum */
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    int changed = hr == BGCOPY_S_OK && job->priority != p;
    if (changed) {
        bgc_rec_set_u32(job, BGC_REC_PRIORITY, (uint32_t)p);
        bgc_sched_update(job);
        bgc_job_touch(job);
        bgc_kick_locked(job->m);             /* may change who runs */
    }
    UNLOCK(job);
    return hr;
}

bgcopy_hr bgcopy_job_set_minimum_retry_delay(bgcopy_job *job, uint32_t seconds)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        bgc_rec_set_u32(job, BGC_REC_MIN_RETRY_DELAY,
                        seconds < 5 ? 5 : seconds);  /* BITS raises, never rejects */
        bgc_job_touch(job);
    }
    UNLOCK(job);
    return hr;
}

bgcopy_hr bgcopy_job_set_no_progress_timeout(bgcopy_job *job, uint32_t seconds)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        bgc_rec_set_u32(job, BGC_REC_NO_PROGRESS_TIMEOUT, seconds);
        bgc_sched_update(job);
        bgc_job_touch(job);
        if (job->state == BGCOPY_JOB_STATE_TRANSIENT_ERROR)
            bgc_kick_locked(job->m);         /* its give-up time moved */
    }
    UNLOCK(job);
    return hr;
}

bgcopy_hr bgcopy_job_get_owner(bgcopy_job *job, char **out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    /* The account name on both platforms (where BITS gives a SID string on
     * Windows): the one notion of a user every platform has, and what
     * bitsadmin /info shows as the owner. */
    char buf[256];
    uv_passwd_t pw;
    if (uv_os_get_passwd(&pw) == 0) {
        snprintf(buf, sizeof buf, "%s", pw.username);
        uv_os_free_passwd(&pw);
    } else {
        snprintf(buf, sizeof buf, "unknown user");
    }
    *out = bgc_strdup(buf);
    return *out ? BGCOPY_S_OK : BGCOPY_E_OUTOFMEMORY;
}
