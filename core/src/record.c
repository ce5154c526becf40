/* record.c - the only writer of the job record (record.h, R1-R2;
 * docs/architecture.md, "The job record").
 *
 * Every function here is called with m->lock held (bgc_rec_job_init and
 * bgc_rec_job_free excepted: the job is not shared yet / any more), writes
 * one meaningful change of the record through rec_w_, and says what changed
 * with bgc_record_dirty, which the store drains.  Policy (when a property
 * may change, what a transfer result means) stays with the callers. */
#include "internal.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

/* The views of one union share a layout (record.h): the const view and
 * rec_w_ are the same member list, so each field sits at the same place. */
#define SAME_PLACE(type, field) \
    _Static_assert(offsetof(type, field) == offsetof(type, rec_w_.field), #field)
SAME_PLACE(struct bgcopy_job, id);
SAME_PLACE(struct bgcopy_job, files);
SAME_PLACE(struct bgcopy_job, notify_parameters);
SAME_PLACE(bgc_file, remote_name);
SAME_PLACE(bgc_file, od_filled);
SAME_PLACE(bgc_file, validation_state);

/* ------------------------------------------------------------ dirty list */

/* Oldest first: jobs are appended at the tail; the store takes them from
 * the head or, for an API call's commit, from anywhere (persist.c takes
 * only the jobs with more than progress to write), hence two links. */
static void dirty_link(bgcopy_manager *m, bgcopy_job *job)
{
    atomic_fetch_add(&job->refs, 1);         /* the list's reference (R2) */
    job->dirty_next = NULL;
    job->dirty_prev = m->dirty_tail;
    *(m->dirty_tail ? &m->dirty_tail->dirty_next : &m->dirty_head) = job;
    m->dirty_tail = job;
}

void bgc_record_dirty(bgcopy_job *job, uint32_t what, int32_t file_index)
{
    bgcopy_manager *m = job->m;
    if (!m->record_tracking)
        return;
    /* A job that left the queue has only its rows to delete: what Cancel
     * records after that (temporary files removed) writes nothing. */
    if (bgc_is_final(job->state) && !(what & BGC_DIRTY_GONE))
        return;
    if (file_index >= 0 && (uint32_t)file_index < job->file_count)
        job->files[file_index].dirty |= what & (BGC_DIRTY_FILE | BGC_DIRTY_PROGRESS);
    if (!job->dirty)
        dirty_link(m, job);
    job->dirty |= what;
    /* Anything but progress is committed before the API call returns
     * (persist.c); progress waits for the checkpoint. */
    if (what & ~BGC_DIRTY_PROGRESS)
        m->persist_urgent = 1;
}

void bgc_record_set_tracking(bgcopy_manager *m, int on)
{
    m->record_tracking = on && !m->closed;
}

bgcopy_job *bgc_record_take_dirty(bgcopy_manager *m, uint32_t *what)
{
    bgcopy_job *job = m->dirty_head;
    if (!job)
        return NULL;
    bgc_record_take_job(m, job, what);
    return job;
}

void bgc_record_take_job(bgcopy_manager *m, bgcopy_job *job, uint32_t *what)
{
    if (job->dirty_prev)
        job->dirty_prev->dirty_next = job->dirty_next;
    else
        m->dirty_head = job->dirty_next;
    if (job->dirty_next)
        job->dirty_next->dirty_prev = job->dirty_prev;
    else
        m->dirty_tail = job->dirty_prev;
    job->dirty_prev = job->dirty_next = NULL;
    *what = job->dirty;
    job->dirty = 0;
}

uint32_t bgc_record_take_file_dirty(bgcopy_job *job, uint32_t idx)
{
    if (idx >= job->file_count)
        return 0;
    uint32_t what = job->files[idx].dirty;
    job->files[idx].dirty = 0;
    return what;
}

void bgc_record_close(bgcopy_manager *m)
{
    LOCK_M(m);
    m->record_tracking = 0;
    bgcopy_job *list = m->dirty_head;
    m->dirty_head = m->dirty_tail = NULL;
    for (bgcopy_job *j = list; j; j = j->dirty_next)
        j->dirty = 0;
    UNLOCK_M(m);
    /* Off the list (dirty == 0): the links are ours until each release. */
    while (list) {
        bgcopy_job *next = list->dirty_next;
        list->dirty_next = NULL;
        bgcopy_job_release(list);
        list = next;
    }
}

/* ------------------------------------------------------------------- job */

bgcopy_hr bgc_rec_job_init(bgcopy_job *job, bgcopy_job_type type, const char *display_name)
{
    bgc_job_record *r = &job->rec_w_;
    r->display_name = bgc_strdup(display_name);
    r->description = bgc_strdup("");
    if (!r->display_name || !r->description || bgc_new_guid(&r->id) != BGCOPY_S_OK) {
        free(r->display_name);
        free(r->description);
        r->display_name = r->description = NULL;
        return BGCOPY_E_OUTOFMEMORY;
    }
    r->type = type;
    r->state = BGCOPY_JOB_STATE_SUSPENDED;
    r->priority = BGCOPY_JOB_PRIORITY_NORMAL;
    r->notify_flags = BGCOPY_NOTIFY_DEFAULT;
    r->min_retry_delay_s = 600;              /* BITS's defaults (docs/http.md, "Errors") */
    r->no_progress_timeout_s = 1209600;
    r->times.creation_time = r->times.modification_time = bgc_filetime_now();
    return BGCOPY_S_OK;
}

void bgc_rec_job_set_seq(bgcopy_job *job, uint64_t seq)
{
    job->rec_w_.seq = seq;
    bgc_record_dirty(job, BGC_DIRTY_JOB, -1);    /* a new row */
}

void bgc_rec_job_free(bgcopy_job *job)
{
    bgc_job_record *r = &job->rec_w_;
    for (uint32_t i = 0; i < r->file_count; i++) {
        bgc_file_record *f = &r->files[i].rec_w_;
        free(f->remote_name);
        free(f->local_name);
        free(f->temporary_name);
        free(f->etag);
        free(f->last_modified);
        free(f->ranges);
        free(f->od_filled);
    }
    free(r->files);
    free(r->display_name);
    free(r->description);
    free(r->custom_headers);
    free(r->notify_program);
    free(r->notify_parameters);
    free(r->proxy_list);
    free(r->proxy_bypass);
    for (unsigned i = 0; i < BGC_CREDENTIAL_SLOTS; i++)
        bgc_credential_clear(&r->credentials[i]);
}

/* Zeroes a secret before free(), through a volatile pointer so the stores
 * are not optimised away as dead. */
static void free_secret(char *s)
{
    if (s) {
        volatile char *v = s;
        while (*v)
            *v++ = 0;
        free(s);
    }
}

void bgc_credential_clear(bgc_credential *c)
{
    free_secret(c->user);
    free_secret(c->password);
    c->user = c->password = NULL;
    c->set = 0;
}

void bgc_rec_set_credential(bgcopy_job *job, unsigned slot, int set, char *user, char *password,
                            bgc_credential *old)
{
    bgc_credential *c = &job->rec_w_.credentials[slot];
    *old = *c;
    c->set = set;
    c->user = user;
    c->password = password;
    bgc_record_dirty(job, BGC_DIRTY_JOB, -1);
}

void bgc_rec_touch(bgcopy_job *job, uint32_t what)
{
    job->rec_w_.times.modification_time = bgc_filetime_now();
    bgc_record_dirty(job, what, -1);
}

void bgc_rec_set_state(bgcopy_job *job, bgcopy_job_state s)
{
    bgc_job_record *r = &job->rec_w_;
    uint64_t now = bgc_filetime_now();
    r->state = s;
    r->times.modification_time = now;
    if (s == BGCOPY_JOB_STATE_TRANSFERRED)
        r->times.transfer_completion_time = now;
    /* The previous error is history once the job is done or data flows again. */
    if (s == BGCOPY_JOB_STATE_TRANSFERRED || s == BGCOPY_JOB_STATE_TRANSFERRING)
        r->has_error = 0;
    bgc_record_dirty(job, bgc_is_final(s) ? BGC_DIRTY_GONE : BGC_DIRTY_JOB, -1);
}

void bgc_rec_set_error(bgcopy_job *job, bgcopy_hr code, bgcopy_error_context ctx,
                       int32_t file_index)
{
    bgc_job_record *r = &job->rec_w_;
    r->has_error = 1;
    r->error.code = code;
    r->error.context = ctx;
    r->error.file_index = file_index;
    r->error.protocol[0] = 0;
    if (file_index >= 0 && (uint32_t)file_index < r->file_count) {
        const char *u = r->files[file_index].remote_name;
        snprintf(r->error.protocol, sizeof r->error.protocol, "%s",
                 bgt_ascii_prefix(u, "http") ? "http" : "file");
    }
    r->error_count++;
    bgc_record_dirty(job, BGC_DIRTY_JOB, -1);
}

char *bgc_rec_swap_string(bgcopy_job *job, bgc_rec_str which, char *value)
{
    bgc_job_record *r = &job->rec_w_;
    char **field = NULL;
    switch (which) {
    case BGC_REC_DISPLAY_NAME: field = &r->display_name; break;
    case BGC_REC_DESCRIPTION: field = &r->description; break;
    case BGC_REC_CUSTOM_HEADERS: field = &r->custom_headers; break;
    case BGC_REC_NOTIFY_PROGRAM: field = &r->notify_program; break;
    case BGC_REC_NOTIFY_PARAMETERS: field = &r->notify_parameters; break;
    case BGC_REC_PROXY_LIST: field = &r->proxy_list; break;
    case BGC_REC_PROXY_BYPASS: field = &r->proxy_bypass; break;
    }
    char *old = *field;
    *field = value;
    bgc_record_dirty(job, BGC_DIRTY_JOB, -1);
    return old;
}

void bgc_rec_set_u32(bgcopy_job *job, bgc_rec_u32 which, uint32_t v)
{
    bgc_job_record *r = &job->rec_w_;
    switch (which) {
    case BGC_REC_PRIORITY: r->priority = (bgcopy_job_priority)v; break;
    case BGC_REC_NOTIFY_FLAGS: r->notify_flags = v; break;
    case BGC_REC_MIN_RETRY_DELAY: r->min_retry_delay_s = v; break;
    case BGC_REC_NO_PROGRESS_TIMEOUT: r->no_progress_timeout_s = v; break;
    case BGC_REC_EVER_RESUMED: r->ever_resumed = (int)v; break;
    case BGC_REC_SECURITY_FLAGS: r->security_flags = v; break;
    case BGC_REC_DYNAMIC_CONTENT: r->dynamic_content = (int)v; break;
    case BGC_REC_ON_DEMAND: r->on_demand = (int)v; break;
    case BGC_REC_FILE_ACL_FLAGS: r->file_acl_flags = v; break;
    case BGC_REC_PEER_CACHING_FLAGS: r->peer_caching_flags = v; break;
    case BGC_REC_PROXY_USAGE: r->proxy_usage = v; break;
    }
    bgc_record_dirty(job, BGC_DIRTY_JOB, -1);
}

/* ----------------------------------------------------------------- files */

bgcopy_hr bgc_rec_add_file(bgcopy_job *job, const bgc_file_record *nr)
{
    bgc_job_record *r = &job->rec_w_;
    if (r->file_count == r->file_cap) {
        uint32_t cap = r->file_cap ? r->file_cap * 2 : 4;
        bgc_file *p = realloc(r->files, cap * sizeof *p);
        if (!p)
            return BGCOPY_E_OUTOFMEMORY;
        r->files = p;
        r->file_cap = cap;
    }
    bgc_file *f = &r->files[r->file_count];
    memset(f, 0, sizeof *f);
    f->rec_w_ = *nr;
    f->rec_w_.bytes_total = BGCOPY_SIZE_UNKNOWN;
    f->rec_w_.remote_size = BGCOPY_SIZE_UNKNOWN;
    f->rec_w_.last_modified_unix = -1;
    f->need_probe = 1;
    r->file_count++;
    bgc_record_dirty(job, BGC_DIRTY_JOB | BGC_DIRTY_FILE, (int32_t)(r->file_count - 1));
    return BGCOPY_S_OK;
}

static bgc_file_record *file_w(bgcopy_job *job, uint32_t idx, uint32_t what)
{
    bgc_record_dirty(job, what, (int32_t)idx);
    return &job->rec_w_.files[idx].rec_w_;
}

void bgc_rec_file_progress(bgcopy_job *job, uint32_t idx, uint64_t bytes)
{
    file_w(job, idx, BGC_DIRTY_PROGRESS)->bytes_transferred = bytes;
}

void bgc_rec_file_finished(bgcopy_job *job, uint32_t idx)
{
    file_w(job, idx, BGC_DIRTY_FILE)->finished = 1;
}

void bgc_rec_file_set_total(bgcopy_job *job, uint32_t idx, uint64_t total)
{
    file_w(job, idx, BGC_DIRTY_FILE)->bytes_total = total;
}

void bgc_rec_file_dynamic_done(bgcopy_job *job, uint32_t idx, int64_t last_modified_unix)
{
    bgc_file_record *f = file_w(job, idx, BGC_DIRTY_FILE);
    f->bytes_total = f->bytes_transferred;
    f->last_modified_unix = last_modified_unix;
}

void bgc_rec_file_pin(bgcopy_job *job, uint32_t idx, uint64_t remote_size, const char *etag,
                      const char *last_modified, int64_t last_modified_unix)
{
    bgc_file_record *f = file_w(job, idx, BGC_DIRTY_FILE);
    f->remote_size = remote_size;
    free(f->etag);
    free(f->last_modified);
    f->etag = etag && etag[0] ? bgc_strdup(etag) : NULL;
    f->last_modified = last_modified && last_modified[0] ? bgc_strdup(last_modified) : NULL;
    f->last_modified_unix = last_modified_unix;
}

void bgc_rec_file_restart(bgcopy_job *job, uint32_t idx)
{
    bgc_file_record *f = file_w(job, idx, BGC_DIRTY_FILE);
    f->bytes_transferred = 0;
    f->finished = 0;
    f->od_filled_count = 0;
}

void bgc_rec_file_temp_vanished(bgcopy_job *job, uint32_t idx)
{
    bgc_file_record *f = file_w(job, idx, BGC_DIRTY_FILE);
    f->temp_created = 0;
    f->bytes_transferred = 0;
    f->od_filled_count = 0;
}

void bgc_temp_abandon(bgcopy_job *job, uint32_t idx)
{
    bgc_file_record *f = file_w(job, idx, BGC_DIRTY_FILE);
    char *fresh = bgc_make_temp_name(f->local_name);
    if (fresh) {
        free(f->temporary_name);
        f->temporary_name = fresh;
    }
    /* Without a fresh name the old one stays proposed: the exclusive create
     * fails on whatever is there now and proposes another (T1). */
    f->temp_created = 0;
    f->bytes_transferred = 0;
    f->finished = 0;
    f->od_filled_count = 0;
}

void bgc_rec_file_set_name(bgcopy_job *job, uint32_t idx, bgc_rec_file_name which, char *name)
{
    bgc_file_record *f = file_w(job, idx, BGC_DIRTY_FILE);
    char **field = which == BGC_REC_REMOTE_NAME ? &f->remote_name : &f->temporary_name;
    free(*field);
    *field = name;
}

void bgc_rec_file_temp_created(bgcopy_job *job, uint32_t idx, const bgc_temp_id *id)
{
    bgc_file_record *f = file_w(job, idx, BGC_DIRTY_FILE);
    f->temp_created = 1;
    f->temp_id = *id;
}

void bgc_rec_file_temp_removed(bgcopy_job *job, uint32_t idx, int completed)
{
    bgc_file_record *f = file_w(job, idx, BGC_DIRTY_FILE);
    if (completed)
        f->completed = 1;
    f->temp_created = 0;
}

void bgc_rec_file_set_validation(bgcopy_job *job, uint32_t idx, int state)
{
    file_w(job, idx, BGC_DIRTY_FILE)->validation_state = state;
}

static int by_offset(const void *a, const void *b)
{
    const bgcopy_file_range *x = a, *y = b;
    return x->initial_offset < y->initial_offset ? -1 : x->initial_offset > y->initial_offset;
}

/* Insert one filled run and coalesce: 0 or -1 (ENOMEM, nothing changed). */
static int add_filled(bgc_file_record *f, uint64_t offset, uint64_t length)
{
    if (length == 0)
        return 0;
    if (bgc_od_reserve(&f->od_filled, &f->od_filled_cap, f->od_filled_count + 1) != 0)
        return -1;
    f->od_filled[f->od_filled_count++] = (bgcopy_file_range){offset, length};
    qsort(f->od_filled, f->od_filled_count, sizeof *f->od_filled, by_offset);
    uint32_t out = 0;
    for (uint32_t i = 1; i < f->od_filled_count; i++) {
        bgcopy_file_range *last = &f->od_filled[out];
        const bgcopy_file_range *r = &f->od_filled[i];
        uint64_t last_end = last->initial_offset + last->length;
        if (r->initial_offset <= last_end) {   /* overlapping or touching: merge */
            uint64_t end = r->initial_offset + r->length;
            if (end > last_end)
                last->length = end - last->initial_offset;
        } else {
            f->od_filled[++out] = *r;
        }
    }
    f->od_filled_count = out + 1;
    return 0;
}

void bgc_rec_file_filled(bgcopy_job *job, uint32_t idx, uint64_t offset, uint64_t length)
{
    bgc_file_record *f = file_w(job, idx, BGC_DIRTY_PROGRESS);
    (void)add_filled(f, offset, length);     /* out of memory: fetched again later */
    f->bytes_transferred = bgc_od_filled_bytes(&job->files[idx]);
}

/* ------------------------------------------------ loading (persist.c) */

static int dup_into(char **dst, const char *src)
{
    *dst = NULL;
    return !src || (*dst = bgc_strdup(src)) != NULL;
}

bgcopy_hr bgc_rec_job_load(bgcopy_job *job, const bgc_store_job *row)
{
    bgc_job_record *r = &job->rec_w_;
    if (!dup_into(&r->display_name, row->display_name ? row->display_name : "")
        || !dup_into(&r->description, row->description ? row->description : "")
        || !dup_into(&r->custom_headers, row->custom_headers)
        || !dup_into(&r->notify_program, row->notify_program)
        || !dup_into(&r->notify_parameters, row->notify_parameters))
        return BGCOPY_E_OUTOFMEMORY;       /* bgc_rec_job_free frees what was copied */
    r->id = row->id;
    r->seq = row->seq;
    r->type = (bgcopy_job_type)row->type;
    r->state = (bgcopy_job_state)row->state;
    r->priority = (bgcopy_job_priority)row->priority;
    r->notify_flags = row->notify_flags;
    r->min_retry_delay_s = row->min_retry_delay_s;
    r->no_progress_timeout_s = row->no_progress_timeout_s;
    r->error_count = row->error_count;
    r->times = row->times;
    r->has_error = row->has_error;
    r->error = row->error;
    r->ever_resumed = row->ever_resumed;
    r->security_flags = row->security_flags;
    r->dynamic_content = row->dynamic_content;
    r->on_demand = row->on_demand;
    r->file_acl_flags = row->file_acl_flags;
    r->peer_caching_flags = row->peer_caching_flags;
    return BGCOPY_S_OK;
}

bgcopy_hr bgc_rec_file_load(bgcopy_job *job, const bgc_store_file *row)
{
    bgc_file_record nr;
    memset(&nr, 0, sizeof nr);
    if (!dup_into(&nr.remote_name, row->remote_name ? row->remote_name : "")
        || !dup_into(&nr.local_name, row->local_name ? row->local_name : "")
        || !dup_into(&nr.temporary_name, row->temporary_name)
        || !dup_into(&nr.etag, row->etag) || !dup_into(&nr.last_modified, row->last_modified)) {
        free(nr.remote_name);
        free(nr.local_name);
        free(nr.temporary_name);
        free(nr.etag);
        free(nr.last_modified);
        return BGCOPY_E_OUTOFMEMORY;
    }
    /* Loading runs before tracking is on: a loaded row is not a change. */
    bgcopy_hr hr = bgc_rec_add_file(job, &nr);
    if (hr != BGCOPY_S_OK) {
        free(nr.remote_name);
        free(nr.local_name);
        free(nr.temporary_name);
        free(nr.etag);
        free(nr.last_modified);
        return hr;
    }
    bgc_file *f = &job->rec_w_.files[job->file_count - 1];
    bgc_file_record *w = &f->rec_w_;
    w->temp_created = row->temp_created;
    w->temp_id.dev = row->temp_dev;
    w->temp_id.ino = row->temp_ino;
    w->bytes_total = row->bytes_total;
    w->bytes_transferred = row->bytes_transferred;
    w->remote_size = row->remote_size;
    w->finished = row->finished;
    w->completed = row->completed;
    w->last_modified_unix = row->last_modified_unix;
    w->validation_state = row->validation_state;
    /* Validators are checked again on the first request, as after a
     * Suspend (docs/persistence.md). */
    f->need_probe = !row->finished;
    return BGCOPY_S_OK;
}

bgcopy_hr bgc_rec_file_load_range(bgcopy_job *job, uint32_t idx, const bgcopy_file_range *range)
{
    bgc_file_record *f = &job->rec_w_.files[idx].rec_w_;
    if (f->range_count >= BGCOPY_MAX_RANGES_PER_FILE)
        return BGCOPY_E_DATABASE_CORRUPT;
    bgcopy_file_range *p = realloc(f->ranges, (f->range_count + 1) * sizeof *p);
    if (!p)
        return BGCOPY_E_OUTOFMEMORY;
    p[f->range_count++] = *range;
    f->ranges = p;
    return BGCOPY_S_OK;
}

bgcopy_hr bgc_rec_file_load_filled(bgcopy_job *job, uint32_t idx, const bgcopy_file_range *range)
{
    return add_filled(&job->rec_w_.files[idx].rec_w_, range->initial_offset, range->length) == 0
        ? BGCOPY_S_OK : BGCOPY_E_OUTOFMEMORY;
}
