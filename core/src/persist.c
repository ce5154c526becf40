/*
 * persist.c - the engine's side of the persistent queue: jobs to rows and
 * back, when rows are written, and start-up recovery (docs/persistence.md).
 *
 * Write rules:
 *  W1. Every change of the record but progress (record.c marks it dirty,
 *      anything but BGC_DIRTY_PROGRESS sets m->persist_urgent) is committed
 *      by the UNLOCK_M that ends the change, in one transaction, before the
 *      API call returns (bgc_persist_unlock).  The loop thread unlocks with
 *      uv_mutex_unlock, so its own changes (a state reached by a transfer)
 *      are committed by the next unlock of an API call or by the next
 *      checkpoint, within one checkpoint interval.
 *  W2. Progress columns (bytes_transferred, finished, filled on-demand
 *      ranges) are written by the checkpoint only, on the loop thread, every
 *      BGC_CHECKPOINT_MS, after fdatasync of the temporary file: the
 *      recorded offset is never ahead of bytes that are on disk.  The loop
 *      thread is the only writer of temporary files, so nothing is written
 *      between the sync and the snapshot taken before it.  All dirty files
 *      of all jobs go in one transaction.
 *  W3. File rows written outside a checkpoint never change those columns
 *      (store.c's upsert leaves them; a new row starts from the record's
 *      values, which for a new file are zero).
 *  W4. Rows are written under m->lock, so they always show one state of
 *      the record; the store is touched by nobody without it.
 */
#include "internal.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* The progress checkpoint interval (docs/persistence.md). */
#define BGC_CHECKPOINT_MS 1000

static void job_row(const bgcopy_job *job, bgc_store_job *r)
{
    memset(r, 0, sizeof *r);
    r->id = job->id;
    r->seq = job->seq;
    r->type = (int)job->type;
    r->display_name = job->display_name;
    r->description = job->description;
    r->state = (int)job->state;
    r->priority = (int)job->priority;
    r->times = job->times;
    r->notify_flags = job->notify_flags;
    r->notify_program = job->notify_program;
    r->notify_parameters = job->notify_parameters;
    r->min_retry_delay_s = job->min_retry_delay_s;
    r->no_progress_timeout_s = job->no_progress_timeout_s;
    r->error_count = job->error_count;
    r->ever_resumed = job->ever_resumed;
    r->security_flags = job->security_flags;
    r->custom_headers = job->custom_headers;
    r->dynamic_content = job->dynamic_content;
    r->on_demand = job->on_demand;
    r->file_acl_flags = job->file_acl_flags;
    r->peer_caching_flags = job->peer_caching_flags;
    r->has_error = job->has_error;
    r->error = job->error;
    /* Timers as time already spent (manager clock): a restart goes on
     * where they were, whatever the wall clock did meanwhile. */
    uint64_t now = bgc_now_ms(job->m);
    if (job->state == BGCOPY_JOB_STATE_TRANSIENT_ERROR && job->retry_at_ms) {
        uint64_t delay = (uint64_t)job->min_retry_delay_s * 1000u;
        uint64_t left = job->retry_at_ms > now ? job->retry_at_ms - now : 0;
        r->retry_spent_ms = delay > left ? delay - left : 0;
    }
    /* 0 = no timer; else 1 + the time since the first error without progress. */
    if (job->no_progress_since_ms)
        r->no_progress_spent_ms = 1 + (now > job->no_progress_since_ms
                                           ? now - job->no_progress_since_ms : 0);
}

static void file_row(const bgc_file *f, uint32_t idx, bgc_store_file *r)
{
    memset(r, 0, sizeof *r);
    r->index = idx;
    r->remote_name = f->remote_name;
    r->local_name = f->local_name;
    r->temporary_name = f->temporary_name;
    r->temp_created = f->temp_created;
    r->temp_dev = f->temp_id.dev;
    r->temp_ino = f->temp_id.ino;
    r->bytes_total = f->bytes_total;
    r->bytes_transferred = f->bytes_transferred;
    r->remote_size = f->remote_size;
    r->finished = f->finished;
    r->completed = f->completed;
    r->need_probe = f->need_probe;
    r->etag = f->etag;
    r->last_modified = f->last_modified;
    r->last_modified_unix = f->last_modified_unix;
    r->validation_state = f->validation_state;
}

/* Lock held: the job's row (or its deletion) and the rows of its files
 * marked BGC_DIRTY_FILE.  The file marks are taken; those with any mark are
 * put back as BGC_DIRTY_PROGRESS when |keep_progress|, so the checkpoint
 * still records their progress (W2). */
static bgcopy_hr write_job(bgcopy_manager *m, bgcopy_job *job, uint32_t what, int keep_progress)
{
    if (what & BGC_DIRTY_GONE) {
        /* Cancel unlinks the temporary files after this commit: recorded
         * first, so that a crash in between leaves names the next start
         * deletes (by name and identity, never by scanning). */
        bgcopy_hr hr = BGCOPY_S_OK;
        for (uint32_t i = 0; hr == BGCOPY_S_OK && i < job->file_count; i++) {
            const bgc_file *f = &job->files[i];
            if (job->state == BGCOPY_JOB_STATE_CANCELLED && f->temp_created && !f->completed
                && f->temporary_name)
                hr = bgc_store_add_pending_delete(m->store, f->temporary_name, f->temp_id.dev,
                                                  f->temp_id.ino);
        }
        return hr == BGCOPY_S_OK ? bgc_store_delete_job(m->store, &job->id) : hr;
    }
    /* Marks left from before a Cancel or Complete (a checkpoint that
     * dropped the lock, a failed commit): the rows are gone for good. */
    if (bgc_is_final(job->state))
        return BGCOPY_S_OK;
    bgc_store_job jr;
    job_row(job, &jr);
    bgcopy_hr hr = bgc_store_put_job(m->store, &jr);
    for (uint32_t i = 0; hr == BGCOPY_S_OK && i < job->file_count; i++) {
        uint32_t fw = bgc_record_take_file_dirty(job, i);
        const bgc_file *f = &job->files[i];
        if (fw & BGC_DIRTY_FILE) {
            bgc_store_file fr;
            file_row(f, i, &fr);
            hr = bgc_store_put_file(m->store, &job->id, &fr);
            if (hr == BGCOPY_S_OK && f->range_count)
                hr = bgc_store_put_ranges(m->store, &job->id, i, f->ranges, f->range_count);
        }
        if (fw && keep_progress)
            bgc_record_dirty(job, BGC_DIRTY_PROGRESS, (int32_t)i);
    }
    return hr;
}

/* Lock held: takes the jobs dirty now (not the ones re-marked meanwhile)
 * into *out (references the caller drops after unlocking); with
 * |urgent_only|, only those with a mark other than progress, leaving
 * progress to the checkpoint. */
static size_t pop_dirty(bgcopy_manager *m, bgcopy_job ***out, uint32_t **whats, int urgent_only)
{
    size_t n = 0;
    for (bgcopy_job *j = m->dirty_head; j; j = j->dirty_next)
        n += !urgent_only || (j->dirty & ~BGC_DIRTY_PROGRESS);
    *out = NULL;
    *whats = NULL;
    if (n == 0)
        return 0;
    bgcopy_job **v = malloc(n * sizeof *v);
    uint32_t *w = malloc(n * sizeof *w);
    if (!v || !w) {
        free(v);
        free(w);
        return 0;                            /* left for a later commit */
    }
    bgcopy_job *j = m->dirty_head;
    for (size_t i = 0; i < n; i++) {
        while (urgent_only && !(j->dirty & ~BGC_DIRTY_PROGRESS))
            j = j->dirty_next;
        bgcopy_job *next = j->dirty_next;
        bgc_record_take_job(m, j, &w[i]);
        v[i] = j;
        j = next;
    }
    *out = v;
    *whats = w;
    return n;
}

/* Lock held: a failed transaction leaves every mark where it was, so the
 * next commit writes it again. */
static void remark(bgcopy_job **v, const uint32_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bgcopy_job *job = v[i];
        bgc_record_dirty(job, w[i], -1);
        for (uint32_t f = 0; f < job->file_count; f++)
            bgc_record_dirty(job, BGC_DIRTY_FILE | BGC_DIRTY_PROGRESS, (int32_t)f);
    }
}

/* Lock held: a commit failed with |hr| (disk full, read-only media, an I/O
 * error).  Nothing committed is lost and the marks stay for the next
 * commit; a job that was running or waiting to run goes to TRANSIENT_ERROR
 * with the cause, so the application sees why (and the job retries after
 * its delay).  A suspended or finished job keeps its state. */
static void commit_failed(bgcopy_job **v, const uint32_t *w, size_t n, bgcopy_hr hr)
{
    remark(v, w, n);
    for (size_t i = 0; i < n; i++) {
        bgcopy_job *job = v[i];
        if ((w[i] & BGC_DIRTY_GONE) || !bgc_is_active(job->state))
            continue;
        bgc_job_set_error(job, hr, BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, -1, 1);
    }
}

static void release_all(bgcopy_job **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bgcopy_job_release(v[i]);
    free(v);
}

void bgc_persist_unlock(bgcopy_manager *m)
{
    bgcopy_job **v = NULL;
    uint32_t *w = NULL;
    size_t n = 0;
    if (m->store && m->persist_urgent) {
        m->persist_urgent = 0;
        n = pop_dirty(m, &v, &w, 1);
        if (n) {
            bgcopy_hr hr = bgc_store_begin(m->store);
            for (size_t i = 0; hr == BGCOPY_S_OK && i < n; i++)
                hr = write_job(m, v[i], w[i], 1);
            if (hr == BGCOPY_S_OK)
                hr = bgc_store_commit(m->store);
            else
                bgc_store_rollback(m->store);
            if (hr != BGCOPY_S_OK)
                commit_failed(v, w, n, hr);
        }
    }
    uv_mutex_unlock(&m->lock);
    free(w);
    release_all(v, n);
}

/* ------------------------------------------------------------ checkpoint */

typedef struct sync_item {
    bgcopy_job *job;             /* one of the popped references */
    uint32_t idx;
    int use_fd;                  /* the loop's open descriptor of this file */
    char *path;                  /* else reopened by name and identity */
    bgc_temp_id id;
    uint64_t bytes;              /* bytes_transferred when the snapshot was taken */
    int finished;
    int synced;
} sync_item;

static int sync_one(sync_item *s)
{
    uv_fs_t req;
    if (s->use_fd) {
        int rc = uv_fs_fdatasync(NULL, &req, s->job->fd, NULL);
        uv_fs_req_cleanup(&req);
        return rc;
    }
    if (!s->path)
        return 0;                            /* nothing on disk: 0 bytes are safe */
    uv_file fd = -1;
    int rc = bgc_temp_reopen(s->path, &s->id, &fd);
    if (rc != 0)
        return rc < 0 ? rc : UV_EINVAL;      /* not our file: record nothing new */
    rc = uv_fs_fdatasync(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
    (void)uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
    return rc;
}

/* Loop thread.  Snapshot under the lock, sync without it, write under it. */
static void checkpoint(bgcopy_manager *m)
{
    uv_mutex_lock(&m->lock);
    if (!m->store || !m->dirty_head) {
        uv_mutex_unlock(&m->lock);
        return;
    }
    m->persist_urgent = 0;
    bgcopy_job **v = NULL;
    uint32_t *w = NULL;
    size_t n = pop_dirty(m, &v, &w, 0);
    size_t ns = 0, cap = 0;
    sync_item *items = NULL;
    for (size_t i = 0; i < n; i++) {
        bgcopy_job *job = v[i];
        if (w[i] & BGC_DIRTY_GONE)
            continue;
        for (uint32_t f = 0; f < job->file_count; f++) {
            uint32_t fw = job->files[f].dirty;
            if (!fw)
                continue;
            if (ns == cap) {
                size_t nc = cap ? cap * 2 : 16;
                sync_item *p = realloc(items, nc * sizeof *p);
                if (!p)
                    break;                   /* the rest keeps its marks */
                items = p;
                cap = nc;
            }
            const bgc_file *file = &job->files[f];
            sync_item *s = &items[ns++];
            memset(s, 0, sizeof *s);
            s->job = job;
            s->idx = f;
            s->use_fd = job->fd >= 0 && job->xfer_file == f;   /* loop-only fields: we are the loop */
            s->path = !s->use_fd && file->temp_created ? bgc_strdup(file->temporary_name) : NULL;
            s->id = file->temp_id;
            s->bytes = file->bytes_transferred;
            s->finished = file->finished;
        }
    }
    uv_mutex_unlock(&m->lock);

    for (size_t i = 0; i < ns; i++)
        items[i].synced = sync_one(&items[i]) == 0;

    uv_mutex_lock(&m->lock);
    bgcopy_hr hr = m->store ? bgc_store_begin(m->store) : BGCOPY_E_FAIL;
    /* The file rows first, so a progress update finds its row. */
    /* A job cancelled or completed while the lock was dropped keeps its
     * rows deleted (write_job). */
    for (size_t i = 0; hr == BGCOPY_S_OK && i < n; i++)
        hr = write_job(m, v[i], w[i], 0);
    for (size_t i = 0; hr == BGCOPY_S_OK && i < ns; i++) {
        sync_item *s = &items[i];
        const bgc_file *f = &s->job->files[s->idx];
        if (bgc_is_final(s->job->state))
            continue;
        if (!s->synced) {
            bgc_record_dirty(s->job, BGC_DIRTY_PROGRESS, (int32_t)s->idx); /* next time */
            continue;
        }
        /* An API call may have restarted the file meanwhile: never more
         * than what is there now. */
        uint64_t bytes = s->bytes < f->bytes_transferred ? s->bytes : f->bytes_transferred;
        hr = bgc_store_put_progress(m->store, &s->job->id, s->idx, bytes,
                                    s->finished && f->finished);
        if (hr == BGCOPY_S_OK && s->job->on_demand)
            hr = bgc_store_put_filled(m->store, &s->job->id, s->idx, f->od_filled,
                                      f->od_filled_count);
    }
    if (hr == BGCOPY_S_OK && m->store)
        hr = bgc_store_commit(m->store);
    else if (m->store)
        bgc_store_rollback(m->store);
    if (hr != BGCOPY_S_OK && m->store)
        commit_failed(v, w, n, hr);
    uv_mutex_unlock(&m->lock);
    for (size_t i = 0; i < ns; i++)
        free(items[i].path);
    free(items);
    free(w);
    release_all(v, n);
}

static void on_checkpoint(uv_timer_t *t)
{
    checkpoint(t->data);
}

void bgc_persist_loop_start(bgcopy_manager *m)
{
    m->checkpoint.data = m;
    (void)uv_timer_init(&m->loop, &m->checkpoint);   /* cannot fail: no allocation */
    if (m->store)
        (void)uv_timer_start(&m->checkpoint, on_checkpoint, BGC_CHECKPOINT_MS, BGC_CHECKPOINT_MS);
}

void bgc_persist_loop_stop(bgcopy_manager *m)
{
    /* The time the timers have run goes into the rows of the jobs that
     * have one, with the last checkpoint. */
    uv_mutex_lock(&m->lock);
    if (m->store)
        for (bgcopy_job *j = m->queue_head; j; j = j->queue_next)
            if (j->no_progress_since_ms || j->state == BGCOPY_JOB_STATE_TRANSIENT_ERROR)
                bgc_record_dirty(j, BGC_DIRTY_JOB, -1);
    uv_mutex_unlock(&m->lock);
    checkpoint(m);
    uv_close((uv_handle_t *)&m->checkpoint, NULL);
}

void bgc_persist_close(bgcopy_manager *m)
{
    uv_mutex_lock(&m->lock);
    m->persist_urgent = 1;
    bgc_persist_unlock(m);
    bgc_record_close(m);
}

/* -------------------------------------------------------------- loading */

typedef struct pending {
    char *path;
    bgc_temp_id id;
} pending;

typedef struct spent {
    uint64_t retry_ms, no_progress_ms;   /* as stored (bgc_store_job) */
} spent;

typedef struct load_ctx {
    bgcopy_manager *m;
    spent *spent;                /* per built job, parallel to jobs */
    spent cur;                   /* of the job being built */
    pending *pd;                 /* the pending-delete list */
    size_t pd_count, pd_cap;
    bgcopy_job *job;             /* being built; not in the queue yet */
    int skipping;                /* the current row is a finished job: its children too */
    bgcopy_job **jobs;           /* built, in creation order */
    size_t count, cap;
} load_ctx;

static bgcopy_hr finish_job(load_ctx *c)
{
    bgcopy_job *job = c->job;
    if (!job)
        return BGCOPY_S_OK;
    c->job = NULL;
    if (c->count == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        bgcopy_job **p = realloc(c->jobs, nc * sizeof *p);
        spent *q = p ? realloc(c->spent, nc * sizeof *q) : NULL;
        if (p)
            c->jobs = p;
        if (!q) {
            bgc_job_free(job);
            return BGCOPY_E_OUTOFMEMORY;
        }
        c->spent = q;
        c->cap = nc;
    }
    c->spent[c->count] = c->cur;
    c->jobs[c->count++] = job;
    return BGCOPY_S_OK;
}

static bgcopy_hr on_job(void *ctx, const bgc_store_job *row)
{
    load_ctx *c = ctx;
    bgcopy_hr hr = finish_job(c);
    if (hr != BGCOPY_S_OK)
        return hr;
    /* A job that reached ACKNOWLEDGED or CANCELLED has left the queue
     * (I1): a row of one is history, not a job. */
    c->skipping = row->state == BGCOPY_JOB_STATE_ACKNOWLEDGED
        || row->state == BGCOPY_JOB_STATE_CANCELLED;
    if (c->skipping)
        return BGCOPY_S_OK;
    /* Rows bgcopy cannot have written are a damaged database. */
    if (row->type != BGCOPY_JOB_TYPE_DOWNLOAD || row->state < BGCOPY_JOB_STATE_QUEUED
        || row->state > BGCOPY_JOB_STATE_TRANSFERRED || row->priority < 0 || row->priority > 3)
        return BGCOPY_E_DATABASE_CORRUPT;
    bgcopy_job *job = calloc(1, sizeof *job);
    if (!job)
        return BGCOPY_E_OUTOFMEMORY;
    atomic_init(&job->refs, 1);              /* the queue's */
    job->m = c->m;
    job->fd = -1;
    job->rq_set = -1;
    c->job = job;                            /* freed by the caller on failure */
    c->cur.retry_ms = row->retry_spent_ms;
    c->cur.no_progress_ms = row->no_progress_spent_ms;
    return bgc_rec_job_load(job, row);
}

static bgcopy_hr on_file(void *ctx, const bgcopy_guid *id, const bgc_store_file *row)
{
    load_ctx *c = ctx;
    (void)id;
    if (c->skipping)
        return BGCOPY_S_OK;
    if (!c->job || row->index != c->job->file_count || row->index >= BGCOPY_MAX_FILES_PER_JOB)
        return BGCOPY_E_DATABASE_CORRUPT;
    return bgc_rec_file_load(c->job, row);
}

static bgcopy_hr on_range(void *ctx, const bgcopy_guid *id, uint32_t idx,
                          const bgcopy_file_range *r)
{
    load_ctx *c = ctx;
    (void)id;
    if (c->skipping)
        return BGCOPY_S_OK;
    if (!c->job || idx + 1 != c->job->file_count)
        return BGCOPY_E_DATABASE_CORRUPT;
    return bgc_rec_file_load_range(c->job, idx, r);
}

static bgcopy_hr on_filled(void *ctx, const bgcopy_guid *id, uint32_t idx,
                           const bgcopy_file_range *r)
{
    load_ctx *c = ctx;
    (void)id;
    if (c->skipping)
        return BGCOPY_S_OK;
    if (!c->job || idx + 1 != c->job->file_count)
        return BGCOPY_E_DATABASE_CORRUPT;
    return bgc_rec_file_load_filled(c->job, idx, r);
}

static bgcopy_hr on_pending(void *ctx, const char *path, uint64_t dev, uint64_t ino)
{
    load_ctx *c = ctx;
    if (c->pd_count == c->pd_cap) {
        size_t nc = c->pd_cap ? c->pd_cap * 2 : 8;
        pending *p = realloc(c->pd, nc * sizeof *p);
        if (!p)
            return BGCOPY_E_OUTOFMEMORY;
        c->pd = p;
        c->pd_cap = nc;
    }
    char *copy = bgc_strdup(path);
    if (!copy)
        return BGCOPY_E_OUTOFMEMORY;
    c->pd[c->pd_count].path = copy;
    c->pd[c->pd_count].id.dev = dev;
    c->pd[c->pd_count].id.ino = ino;
    c->pd_count++;
    return BGCOPY_S_OK;
}

/* Before any thread: the temporary files of Cancels that did not get to
 * delete them.  Only a name still holding the file bgcopy created is
 * removed (tempfile.c, T3); the entry goes either way, since a name that is
 * not ours any more never will be again. */
static void finish_pending(bgcopy_manager *m, load_ctx *c)
{
    for (size_t i = 0; i < c->pd_count; i++) {
        int rc = bgc_temp_remove(c->pd[i].path, &c->pd[i].id);
        if (rc == 0 || rc == BGC_TEMP_FOREIGN)
            (void)bgc_store_remove_pending_delete(m->store, c->pd[i].path);
        free(c->pd[i].path);
    }
    free(c->pd);
}

/* Lock held, tracking on: the file's temporary file against its record
 * (docs/persistence.md, "Start-up recovery"), through tempfile.c. */
static void recover_file(bgcopy_job *job, uint32_t idx)
{
    const bgc_file *f = &job->files[idx];
    if (!f->temp_created || f->completed || !f->temporary_name)
        return;
    uv_file fd = -1;
    int rc = bgc_temp_reopen(f->temporary_name, &f->temp_id, &fd);
    if (rc == UV_ENOENT) {
        bgc_rec_file_temp_vanished(job, idx);          /* from zero */
        return;
    }
    if (rc == BGC_TEMP_FOREIGN) {
        bgc_temp_abandon(job, idx);                    /* a new name, from zero; the old one is not touched */
        return;
    }
    if (rc != 0)
        return;                                        /* the first step reports it */
    uv_fs_t req;
    if (uv_fs_fstat(NULL, &req, fd, NULL) == 0 && !job->on_demand) {
        uint64_t size = req.statbuf.st_size;
        uv_fs_req_cleanup(&req);
        if (size > f->bytes_transferred) {
            /* Bytes past the recorded offset were never recorded as safe. */
            (void)uv_fs_ftruncate(NULL, &req, fd, (int64_t)f->bytes_transferred, NULL);
            uv_fs_req_cleanup(&req);
        } else if (size < f->bytes_transferred) {
            if (f->finished)
                bgc_rec_file_restart(job, idx);        /* cannot be unfinished in place */
            else
                bgc_rec_file_progress(job, idx, size); /* from what is there */
        }
    } else {
        uv_fs_req_cleanup(&req);
    }
    (void)uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
}

static void recover_job(bgcopy_job *job, const spent *sp)
{
    uint64_t now = bgc_now_ms(job->m);
    /* JobInactivityTimeout counts from the open (the time it had run is
     * not stored yet: docs/persistence.md, "Not done yet"). */
    job->active_ms = now;
    uint64_t deadline = now + bgc_inactivity_ms(job->m);
    if (deadline < job->m->inactive_next_ms)
        job->m->inactive_next_ms = deadline;     /* sched.c S1 */
    if (sp->no_progress_ms) {
        uint64_t ran = sp->no_progress_ms - 1;
        job->no_progress_since_ms = now > ran ? now - ran : 1;
    }
    for (uint32_t i = 0; i < job->file_count; i++)
        recover_file(job, i);
    int unfinished = 0;
    for (uint32_t i = 0; i < job->file_count; i++)
        unfinished |= !job->files[i].finished;
    switch (job->state) {
    case BGCOPY_JOB_STATE_CONNECTING:
    case BGCOPY_JOB_STATE_TRANSFERRING:
        bgc_rec_set_state(job, BGCOPY_JOB_STATE_QUEUED);
        break;
    case BGCOPY_JOB_STATE_TRANSFERRED:
        /* The state was committed before the last checkpoint of its files
         * (W1, W2): the files say what is on disk. */
        if (unfinished)
            bgc_rec_set_state(job, BGCOPY_JOB_STATE_QUEUED);
        break;
    case BGCOPY_JOB_STATE_TRANSIENT_ERROR: {
        /* What is left of the delay (the time waited until the last
         * checkpoint or close; after a crash that can be less). */
        uint64_t delay = (uint64_t)job->min_retry_delay_s * 1000u;
        job->retry_at_ms = now + (delay > sp->retry_ms ? delay - sp->retry_ms : 0);
        break;
    }
    default:
        break;
    }
}

int bgc_queue_add_loaded(bgcopy_manager *m, bgcopy_job *job);  /* manager.c */

bgcopy_hr bgc_persist_load(bgcopy_manager *m)
{
    if (!m->store)
        return BGCOPY_S_OK;
    load_ctx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    static const bgc_store_loader loader = { on_job, on_file, on_range, on_filled, NULL,
                                             on_pending };
    bgcopy_hr hr = bgc_store_load(m->store, &loader, &c);
    if (hr == BGCOPY_S_OK)
        hr = finish_job(&c);
    finish_pending(m, &c);
    if (hr != BGCOPY_S_OK) {
        if (c.job)
            bgc_job_free(c.job);
        for (size_t i = 0; i < c.count; i++)
            bgc_job_free(c.jobs[i]);
        free(c.jobs);
        free(c.spent);
        return hr;
    }
    uv_mutex_lock(&m->lock);
    bgc_record_set_tracking(m, 1);
    for (size_t i = 0; i < c.count; i++) {
        bgcopy_job *job = c.jobs[i];
        if (bgc_queue_add_loaded(m, job) != 0) {
            /* Out of memory: the job stays in the database (nothing marks
             * it gone) and comes back with the next open. */
            bgc_job_free(job);
            continue;
        }
        atomic_fetch_add(&m->refs, 1);       /* the job's on the manager */
        if (job->seq >= m->next_seq)
            m->next_seq = job->seq + 1;
        recover_job(job, &c.spent[i]);
        bgc_sched_update(job);
    }
    free(c.jobs);
    free(c.spent);
    m->persist_urgent = 1;                   /* what recovery changed */
    bgc_persist_unlock(m);
    return hr;
}
