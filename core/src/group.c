/*
 * group.c - BITS 1.0 groups (IBackgroundCopyGroup of qmgr.h) as core
 * objects: the group table of the manager, every group property, the
 * group's life driven by its job, and the group's notifications
 * (docs/qmgr.md; the data model is in internal.h, "Groups").
 *
 * How a group learns what its job does: group.c registers its own native
 * sink (job_sink below) on the job.  The dispatcher calls it like any
 * sink, so JobTransferred / JobError / JobModification become the group's
 * completion, error status and opt-in progress, delivered to the group's
 * sink on the same dispatcher thread with no lock held.  A failing error
 * on_status is handed back to the engine, which calls JobError again after
 * the job's minimum retry delay.  An owed completion outlives the job's
 * place in the queue (the job was Complete'd), so the group keeps its due
 * time itself, on the manager's clock, and the dispatcher delivers it
 * (bgc_group_deliver_one, called from notify.c).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ lifetime */

static void group_free(bgcopy_group *g)
{
    bgcopy_manager *m = g->m;
    bgcopy_job_release(g->job);
    free(g->display_name);
    free(g->description);
    free(g);
    bgc_manager_unref(m);
}

void bgcopy_group_addref(bgcopy_group *g)
{
    if (g)
        atomic_fetch_add(&g->refs, 1);
}

void bgcopy_group_release(bgcopy_group *g)
{
    /* seq_cst, as for jobs (internal.h O3): the last owner frees. */
    if (g && atomic_fetch_sub(&g->refs, 1) == 1)
        group_free(g);
}

void bgcopy_group_list_free(bgcopy_group **groups, size_t count)
{
    if (!groups)
        return;
    for (size_t i = 0; i < count; i++)
        bgcopy_group_release(groups[i]);
    free(groups);
}

static void sink_drop(bgc_group_sink *s)
{
    BGC_SINK_DROP(*s);
}

/* Lock held: the group's entry in m->groups; SIZE_MAX when not listed. */
static size_t table_index_locked(const bgcopy_manager *m, const bgcopy_group *g)
{
    for (size_t i = 0; i < m->group_count; i++)
        if (m->groups[i] == g)
            return i;
    return SIZE_MAX;
}

/* Lock held: take |g| out of the table.  Its sink goes to *sink (released
 * by the caller after the unlock, with the table's reference). */
static void unlist_locked(bgcopy_manager *m, bgcopy_group *g, bgc_group_sink *sink)
{
    size_t i = table_index_locked(m, g);
    if (i != SIZE_MAX) {
        memmove(&m->groups[i], &m->groups[i + 1], (m->group_count - i - 1) * sizeof *m->groups);
        m->group_count--;
    }
    g->listed = 0;
    if (g->owed) {
        g->owed = 0;
        m->groups_owed--;
    }
    *sink = g->sink;
    memset(&g->sink, 0, sizeof g->sink);
    g->has_sink = 0;
}

static bgcopy_group *find_locked(const bgcopy_manager *m, const bgcopy_guid *id)
{
    for (size_t i = 0; i < m->group_count; i++)
        if (memcmp(&m->groups[i]->id, id, sizeof *id) == 0)
            return m->groups[i];
    return NULL;
}

/* Lock held: the group's job left the queue without the group completing
 * it (a modern client cancelled or completed it): the group is gone. */
static int job_gone_locked(const bgcopy_group *g)
{
    return !g->complete && bgc_is_final(g->job->state);
}

/* ----------------------------------------------------------- delivery */

/* Lock held: the sink to tell about |g| (own sink, else the manager's
 * when NOTIFYCLSID is set), add_ref'ed into *out; 0 when nobody. */
static int target_locked(bgcopy_group *g, bgc_group_sink *out)
{
    memset(out, 0, sizeof *out);
    if (g->has_sink)
        *out = g->sink;
    else if (g->has_clsid && g->m->has_group_sink)
        *out = g->m->group_sink;
    else
        return 0;
    if (out->cb.add_ref)
        out->cb.add_ref(out->ctx);
    return 1;
}

static int running_state(bgcopy_job_state s)
{
    return s == BGCOPY_JOB_STATE_QUEUED || s == BGCOPY_JOB_STATE_CONNECTING ||
           s == BGCOPY_JOB_STATE_TRANSFERRING || s == BGCOPY_JOB_STATE_TRANSIENT_ERROR;
}

/* Lock held: BG_E_NOT_FOUND when the group is cancelled or its job gone. */
static bgcopy_hr check_listed_locked(const bgcopy_group *g)
{
    return g->listed && !job_gone_locked(g) ? BGCOPY_S_OK : BGCOPY_E_NOT_FOUND;
}

static bgcopy_hr status_locked(const bgcopy_group *g, bgcopy_group_status *st)
{
    memset(st, 0, sizeof *st);
    st->error = BGCOPY_S_OK;
    st->error_file = UINT32_MAX;
    bgcopy_hr hr = check_listed_locked(g);
    if (hr != BGCOPY_S_OK)
        return hr;
    bgcopy_job_state s = g->job->state;
    if (g->complete) {
        /* Finished groups are auto-suspended (docs/qmgr.md). */
        st->group_status = BGCOPY_GROUP_STATUS_COMPLETE | BGCOPY_GROUP_STATUS_SUSPENDED;
        st->job_status = BGCOPY_GROUP_JOB_COMPLETE;
    } else if (s == BGCOPY_JOB_STATE_TRANSFERRED) {
        st->group_status = BGCOPY_GROUP_STATUS_COMPLETE;
        st->job_status = BGCOPY_GROUP_JOB_COMPLETE;
    } else {
        st->group_status = BGCOPY_GROUP_STATUS_INCOMPLETE;
        st->job_status = BGCOPY_GROUP_JOB_INCOMPLETE;
        if (!running_state(s))
            st->group_status |= BGCOPY_GROUP_STATUS_SUSPENDED;
        if (s == BGCOPY_JOB_STATE_ERROR) {
            st->group_status |= BGCOPY_GROUP_STATUS_ERROR;
            st->job_status |= BGCOPY_GROUP_JOB_ERROR;
            if (g->job->has_error) {
                st->error = g->job->error.code;
                if (g->job->error.file_index >= 0)
                    st->error_file = (uint32_t)g->job->error.file_index;
            }
            st->error_count = g->job->error_count;
        }
    }
    if (g->foreground)
        st->group_status |= BGCOPY_GROUP_STATUS_FOREGROUND;
    return BGCOPY_S_OK;
}

/* No lock: call on_status of |g|'s target with its current status.
 * S_FALSE when it has no target; S_OK when the group is gone (nothing is
 * owed to a cancelled group); else the sink's answer. */
static bgcopy_hr deliver_status(bgcopy_group *g)
{
    bgcopy_manager *m = g->m;
    bgc_group_sink t;
    bgcopy_group_status st;
    LOCK_M(m);
    bgcopy_hr hr = status_locked(g, &st);
    int has = hr == BGCOPY_S_OK && target_locked(g, &t);
    UNLOCK_M(m);
    if (hr != BGCOPY_S_OK)
        return BGCOPY_S_OK;
    if (!has)
        return BGCOPY_S_FALSE;
    hr = t.cb.on_status ? t.cb.on_status(t.ctx, g, &st) : BGCOPY_S_FALSE;
    sink_drop(&t);
    return hr;
}

/* Lock held: record the answer of an owed-completion delivery of |g|,
 * which had claimed it (g->delivering). */
static void owed_done_locked(bgcopy_group *g, bgcopy_hr hr)
{
    bgcopy_manager *m = g->m;
    g->delivering = 0;
    if (g->owed) {
        if (hr == BGCOPY_S_OK) {
            g->owed = 0;
            m->groups_owed--;
        } else if (g->owed_kicked) {
            g->owed_due_ms = 0;            /* a new target came meanwhile: try it now */
        } else {
            g->owed_due_ms = bgc_now_ms(m) + (uint64_t)g->job->min_retry_delay_s * 1000u;
        }
    }
    g->owed_kicked = 0;
    bgc_notify_groups_changed(m);                    /* a new due time for the dispatcher */
}

/* No lock: deliver |g|'s owed completion now, unless another thread is. */
static void deliver_owed_now(bgcopy_group *g)
{
    bgcopy_manager *m = g->m;
    LOCK_M(m);
    int go = g->owed && !g->delivering;
    if (go)
        g->delivering = 1;
    UNLOCK_M(m);
    if (!go)
        return;
    bgcopy_hr hr = deliver_status(g);
    LOCK_M(m);
    owed_done_locked(g, hr);
    UNLOCK_M(m);
}

int bgc_group_deliver_one(bgcopy_manager *m, uint64_t *next)
{
    if (!m->groups_owed)
        return 0;
    uint64_t now = bgc_now_ms(m);
    bgcopy_group *g = NULL;
    for (size_t i = 0; i < m->group_count && !g; i++) {
        bgcopy_group *c = m->groups[i];
        if (!c->owed || c->delivering)
            continue;
        if (c->owed_due_ms <= now)
            g = c;
        else if (c->owed_due_ms < *next)
            *next = c->owed_due_ms;
    }
    if (!g)
        return 0;
    g->delivering = 1;
    atomic_fetch_add(&g->refs, 1);
    UNLOCK_M(m);
    bgcopy_hr hr = deliver_status(g);
    LOCK_M(m);
    owed_done_locked(g, hr);
    UNLOCK_M(m);
    bgcopy_group_release(g);
    LOCK_M(m);
    return 1;
}

/* No lock: a new target for |g|: what is owed becomes due at once.  An
 * owed completion goes to the dispatcher (never run inside the caller's
 * setter); an ERROR is re-delivered by registering the group's job sink
 * again (a new sink is told the current state: bgcopy_job_set_notify). */
static void kick(bgcopy_group *g);

/* ------------------------------------------------------ opt-in progress */

static void report_progress(bgcopy_group *g, int final)
{
    bgcopy_manager *m = g->m;
    bgcopy_job_progress p;
    if (bgcopy_job_get_progress(g->job, &p) != BGCOPY_S_OK)
        return;
    bgcopy_group_progress_report r;
    memset(&r, 0, sizeof r);
    bgc_group_sink t;
    int go = 0;
    LOCK_M(m);
    if (g->listed && (g->prog_bytes || g->prog_percent || g->prog_seconds) &&
        !(g->notify_flags & BGCOPY_GROUP_NOTIFY_DISABLE_NOTIFY)) {
        uint64_t now = bgc_now_ms(m);
        uint64_t bytes = p.bytes_transferred;
        uint32_t pct = final ? 100
                       : (p.bytes_total != BGCOPY_SIZE_UNKNOWN && p.bytes_total > 0)
                           ? (uint32_t)(bytes * 100u / p.bytes_total)
                           : 0;
        int moved = bytes != g->prog_last_bytes || !g->prog_reported;
        int due = final || (g->prog_bytes && bytes - g->prog_last_bytes >= g->prog_bytes) ||
                  (g->prog_percent && pct >= g->prog_last_percent + g->prog_percent) ||
                  (g->prog_seconds && now - g->prog_last_ms >= (uint64_t)g->prog_seconds * 1000u);
        if (moved && due) {
            g->prog_last_bytes = bytes;
            g->prog_last_percent = pct;
            g->prog_last_ms = now;
            g->prog_reported = 1;
            r.type = g->prog_percent ? BGCOPY_GROUP_PROGRESS_PERCENT : BGCOPY_GROUP_PROGRESS_SIZE;
            r.value = r.type == BGCOPY_GROUP_PROGRESS_PERCENT ? pct
                      : bytes > UINT32_MAX                    ? UINT32_MAX
                                                              : (uint32_t)bytes;
            r.file_index = p.files_transferred < p.files_total ? p.files_transferred
                           : p.files_total                     ? p.files_total - 1
                                                               : 0;
            go = target_locked(g, &t);
        }
    }
    UNLOCK_M(m);
    if (!go)
        return;
    if (t.cb.on_progress)
        t.cb.on_progress(t.ctx, g, &r);     /* never re-delivered: the answer is not kept */
    sink_drop(&t);
}

/* ------------------------------------------------------------- job sink */

static void js_add_ref(void *ctx)
{
    bgcopy_group_addref(ctx);
}

static void js_release(void *ctx)
{
    bgcopy_group_release(ctx);
}

/* The job has every byte: last progress, Complete (files get their local
 * names), the group is complete and auto-suspended, OnStatus is owed with
 * GROUP_DONE.  A failed Complete goes back to the engine, which calls
 * again after the retry delay. */
static bgcopy_hr js_job_transferred(void *ctx, bgcopy_job *job)
{
    bgcopy_group *g = ctx;
    bgcopy_manager *m = g->m;
    report_progress(g, 1);
    bgcopy_job_progress p;
    memset(&p, 0, sizeof p);
    (void)bgcopy_job_get_progress(job, &p);
    LOCK_M(m);
    int listed = g->listed;
    UNLOCK_M(m);
    if (!listed)
        return BGCOPY_S_OK;                 /* cancelled: CancelGroup handles the job */
    bgcopy_hr hr = bgcopy_job_complete(job);
    if (hr < 0)
        return hr;
    int owe = 0;
    LOCK_M(m);
    if (g->listed && !g->complete) {
        g->complete = 1;
        g->done_bytes = p.bytes_transferred;
        owe = (g->notify_flags & BGCOPY_GROUP_NOTIFY_GROUP_DONE) &&
              !(g->notify_flags & BGCOPY_GROUP_NOTIFY_DISABLE_NOTIFY);
        if (owe && !g->owed) {
            g->owed = 1;
            g->owed_due_ms = 0;
            m->groups_owed++;
        }
    }
    UNLOCK_M(m);
    if (owe)
        deliver_owed_now(g);
    return BGCOPY_S_OK;
}

/* An error: on_status (GROUP_ERROR) unless DISABLE_NOTIFY; a failure goes
 * back to the engine, which calls again after the minimum retry delay. */
static bgcopy_hr js_job_error(void *ctx, bgcopy_job *job, const bgcopy_job_error *error)
{
    (void)job, (void)error;                 /* the status is read from the group */
    bgcopy_group *g = ctx;
    LOCK_M(g->m);
    int silent = !g->listed || (g->notify_flags & BGCOPY_GROUP_NOTIFY_DISABLE_NOTIFY);
    UNLOCK_M(g->m);
    if (silent)
        return BGCOPY_S_OK;
    bgcopy_hr hr = deliver_status(g);
    return hr == BGCOPY_S_FALSE ? BGCOPY_S_OK : hr;   /* no target: nobody to retry for */
}

static bgcopy_hr js_job_modification(void *ctx, bgcopy_job *job)
{
    (void)job;
    report_progress(ctx, 0);
    return BGCOPY_S_OK;
}

static const bgcopy_notify_callbacks job_sink = {
    .job_transferred = js_job_transferred,
    .job_error = js_job_error,
    .job_modification = js_job_modification,
    .add_ref = js_add_ref,
    .release = js_release,
};

static void kick(bgcopy_group *g)
{
    bgcopy_manager *m = g->m;
    LOCK_M(m);
    if (g->owed) {
        if (g->delivering)
            g->owed_kicked = 1;            /* the running delivery retries at once if it fails */
        else
            g->owed_due_ms = 0;
        bgc_notify_groups_changed(m);
    }
    int error = g->listed && !g->complete && g->job->state == BGCOPY_JOB_STATE_ERROR;
    UNLOCK_M(m);
    if (error)
        (void)bgcopy_job_set_notify(g->job, &job_sink, g);
}

/* ------------------------------------------------------------- manager */

bgcopy_hr bgcopy_manager_create_group(bgcopy_manager *m, const bgcopy_guid *id,
                                      bgcopy_group **out)
{
    if (out)
        *out = NULL;
    if (!m || !id || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK_M(m);
    int exists = find_locked(m, id) != NULL;
    UNLOCK_M(m);
    if (exists)
        return BGCOPY_E_INVALIDARG;
    bgcopy_group *g = calloc(1, sizeof *g);
    if (!g)
        return BGCOPY_E_OUTOFMEMORY;
    /* The job's display name is the group GUID until DISPLAYNAME is set. */
    char name[39];
    bgcopy_guid_to_string(id, name);
    bgcopy_hr hr = bgcopy_manager_create_job(m, name, BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &g->job);
    if (hr != BGCOPY_S_OK) {
        free(g);
        return hr;
    }
    atomic_init(&g->refs, 1);               /* the caller's handle */
    atomic_fetch_add(&m->refs, 1);          /* released by group_free */
    g->m = m;
    g->id = *id;
    hr = bgcopy_job_set_notify(g->job, &job_sink, g);
    if (hr == BGCOPY_S_OK) {
        LOCK_M(m);
        if (m->closed)
            hr = BGCOPY_E_INVALID_STATE;
        else if (find_locked(m, id))
            hr = BGCOPY_E_INVALIDARG;       /* created meanwhile by another thread */
        else if (m->group_count == m->group_cap) {
            size_t cap = m->group_cap ? m->group_cap * 2 : 8;
            bgcopy_group **p = realloc(m->groups, cap * sizeof *p);
            if (!p)
                hr = BGCOPY_E_OUTOFMEMORY;
            else {
                m->groups = p;
                m->group_cap = cap;
            }
        }
        if (hr == BGCOPY_S_OK) {
            m->groups[m->group_count++] = g;
            g->listed = 1;
            atomic_fetch_add(&g->refs, 1);  /* the table's */
        }
        UNLOCK_M(m);
    }
    if (hr != BGCOPY_S_OK) {
        (void)bgcopy_job_cancel(g->job);    /* releases the job sink's group reference */
        bgcopy_group_release(g);
        return hr;
    }
    *out = g;
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_manager_get_group(bgcopy_manager *m, const bgcopy_guid *id, bgcopy_group **out)
{
    if (out)
        *out = NULL;
    if (!m || !id || !out)
        return BGCOPY_E_INVALIDARG;
    bgc_group_sink stale;
    memset(&stale, 0, sizeof stale);
    bgcopy_group *drop = NULL;
    LOCK_M(m);
    bgcopy_group *g = find_locked(m, id);
    if (g && job_gone_locked(g)) {
        unlist_locked(m, g, &stale);
        drop = g;
        g = NULL;
    }
    if (g)
        atomic_fetch_add(&g->refs, 1);
    UNLOCK_M(m);
    sink_drop(&stale);
    bgcopy_group_release(drop);             /* the table's reference */
    if (!g)
        return BGCOPY_E_NOT_FOUND;
    *out = g;
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_manager_enum_groups(bgcopy_manager *m, bgcopy_group ***out, size_t *count)
{
    if (out)
        *out = NULL;
    if (count)
        *count = 0;
    if (!m || !out || !count)
        return BGCOPY_E_INVALIDARG;
    LOCK_M(m);
    size_t n = m->group_count;
    bgcopy_group **list = malloc((n ? n : 1) * sizeof *list);
    if (!list) {
        UNLOCK_M(m);
        return BGCOPY_E_OUTOFMEMORY;
    }
    for (size_t i = 0; i < n; i++) {
        list[i] = m->groups[i];
        atomic_fetch_add(&list[i]->refs, 1);
    }
    UNLOCK_M(m);
    *out = list;
    *count = n;
    return BGCOPY_S_OK;
}

/* SetNotifyInterface of a group (|g|) or of the manager's group sink (|g|
 * NULL): the new sink is add_ref'ed and the old one released outside the
 * lock (client code). */
static bgcopy_hr set_sink(bgcopy_manager *m, bgcopy_group *g, const bgcopy_group_callbacks *cb,
                          void *ctx)
{
    bgc_group_sink nn, old;
    BGC_SINK_TAKE(nn, cb, ctx);
    bgc_group_sink *slot = g ? &g->sink : &m->group_sink;
    int *has = g ? &g->has_sink : &m->has_group_sink;
    LOCK_M(m);
    bgcopy_hr hr = g ? check_listed_locked(g) : m->closed ? BGCOPY_E_INVALID_STATE : BGCOPY_S_OK;
    if (hr == BGCOPY_S_OK) {
        old = *slot;
        *slot = nn;
        *has = cb != NULL;
    } else {
        old = nn;
    }
    UNLOCK_M(m);
    sink_drop(&old);
    return hr;
}

bgcopy_hr bgcopy_manager_set_group_notify(bgcopy_manager *m, const bgcopy_group_callbacks *cb,
                                          void *ctx)
{
    if (!m)
        return BGCOPY_E_INVALIDARG;
    return set_sink(m, NULL, cb, ctx);
}

void bgc_groups_close(bgcopy_manager *m)
{
    LOCK_M(m);
    bgcopy_group **groups = m->groups;
    size_t n = m->group_count;
    m->groups = NULL;
    m->group_count = m->group_cap = 0;
    m->groups_owed = 0;
    bgc_group_sink msink = m->group_sink;
    memset(&m->group_sink, 0, sizeof m->group_sink);
    m->has_group_sink = 0;
    bgc_group_sink *sinks = n ? calloc(n, sizeof *sinks) : NULL;
    for (size_t i = 0; i < n; i++) {
        groups[i]->listed = 0;
        groups[i]->owed = 0;
        if (sinks)
            sinks[i] = groups[i]->sink;
        memset(&groups[i]->sink, 0, sizeof groups[i]->sink);
        groups[i]->has_sink = 0;
    }
    UNLOCK_M(m);
    /* Sinks run client code on release: outside the lock. */
    for (size_t i = 0; i < n; i++) {
        if (sinks)
            sink_drop(&sinks[i]);
        bgcopy_group_release(groups[i]);
    }
    sink_drop(&msink);
    free(sinks);
    free(groups);
}

/* --------------------------------------------------------------- group */

bgcopy_hr bgcopy_group_get_id(bgcopy_group *g, bgcopy_guid *out)
{
    if (!g || !out)
        return BGCOPY_E_INVALIDARG;
    *out = g->id;                           /* immutable */
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_group_get_job(bgcopy_group *g, bgcopy_job **out)
{
    if (out)
        *out = NULL;
    if (!g || !out)
        return BGCOPY_E_INVALIDARG;
    bgcopy_job_addref(g->job);              /* immutable: held for the group's life */
    *out = g->job;
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_group_create_job(bgcopy_group *g, const bgcopy_guid *job_id)
{
    if (!g || !job_id)
        return BGCOPY_E_INVALIDARG;
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    if (hr == BGCOPY_S_OK && g->has_job1)
        hr = BGCOPY_E_NOTIMPL;
    else if (hr == BGCOPY_S_OK && (g->complete || running_state(g->job->state)))
        hr = BGCOPY_E_INVALID_STATE;
    if (hr == BGCOPY_S_OK) {
        g->has_job1 = 1;
        g->job1_id = *job_id;
    }
    UNLOCK_M(g->m);
    return hr;
}

bgcopy_hr bgcopy_group_get_job_id(bgcopy_group *g, bgcopy_guid *out)
{
    if (!g || !out)
        return BGCOPY_E_INVALIDARG;
    memset(out, 0, sizeof *out);
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    if (hr == BGCOPY_S_OK) {
        if (g->has_job1)
            *out = g->job1_id;
        else
            hr = BGCOPY_S_FALSE;
    }
    UNLOCK_M(g->m);
    return hr;
}

/* Lock taken and dropped: S_OK when |g| may still change, with *complete. */
static bgcopy_hr check_group(bgcopy_group *g, int *complete)
{
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    *complete = g->complete;
    UNLOCK_M(g->m);
    return hr;
}

bgcopy_hr bgcopy_group_add_file(bgcopy_group *g, const char *remote_url, const char *local_name)
{
    if (!g)
        return BGCOPY_E_INVALIDARG;
    int complete;
    bgcopy_hr hr = check_group(g, &complete);
    if (hr != BGCOPY_S_OK)
        return hr;
    if (complete)
        return BGCOPY_E_INVALID_STATE;
    if (!remote_url || !local_name)
        return BGCOPY_E_INVALIDARG;
    int http = 0;
    hr = bgc_check_remote_name(remote_url, &http);
    if (hr != BGCOPY_S_OK)
        return hr;
    if (!http)
        return BGCOPY_E_INVALIDARG;         /* QM_PROTOCOL_HTTP is the only protocol */
    return bgcopy_job_add_file(g->job, remote_url, local_name);
}

/* Suspend and Resume of a group are its job's; a complete group has
 * nothing left to run, so both succeed without touching it. */
static bgcopy_hr on_group_job(bgcopy_group *g, bgcopy_hr (*fn)(bgcopy_job *))
{
    if (!g)
        return BGCOPY_E_INVALIDARG;
    int complete;
    bgcopy_hr hr = check_group(g, &complete);
    if (hr != BGCOPY_S_OK || complete)
        return hr;
    return fn(g->job);
}

bgcopy_hr bgcopy_group_suspend(bgcopy_group *g)
{
    return on_group_job(g, bgcopy_job_suspend);
}

bgcopy_hr bgcopy_group_resume(bgcopy_group *g)
{
    return on_group_job(g, bgcopy_job_resume);
}

bgcopy_hr bgcopy_group_cancel(bgcopy_group *g)
{
    if (!g)
        return BGCOPY_E_INVALIDARG;
    bgcopy_manager *m = g->m;
    bgc_group_sink sink;
    LOCK_M(m);
    if (!g->listed) {
        UNLOCK_M(m);
        return BGCOPY_E_NOT_FOUND;
    }
    unlist_locked(m, g, &sink);
    int complete = g->complete;
    UNLOCK_M(m);
    if (!complete) {
        /* Unlike the modern Cancel, finished files keep their bytes under
         * their local names: Complete does exactly that. */
        (void)bgcopy_job_set_notify(g->job, NULL, NULL);
        if (bgcopy_job_complete(g->job) < 0)
            (void)bgcopy_job_cancel(g->job);
    }
    sink_drop(&sink);
    bgcopy_group_release(g);                /* the table's reference */
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_group_switch_to_foreground(bgcopy_group *g)
{
    if (!g)
        return BGCOPY_E_INVALIDARG;
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    if (hr == BGCOPY_S_OK)
        g->foreground = 1;
    int complete = g->complete;
    UNLOCK_M(g->m);
    if (hr == BGCOPY_S_OK && !complete)
        (void)bgcopy_job_set_priority(g->job, BGCOPY_JOB_PRIORITY_FOREGROUND);
    return hr;
}

bgcopy_hr bgcopy_group_get_status(bgcopy_group *g, bgcopy_group_status *out)
{
    if (!g || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK_M(g->m);
    bgcopy_hr hr = status_locked(g, out);
    UNLOCK_M(g->m);
    return hr;
}

bgcopy_hr bgcopy_group_get_progress(bgcopy_group *g, bgcopy_group_progress *out)
{
    if (!g || !out)
        return BGCOPY_E_INVALIDARG;
    memset(out, 0, sizeof *out);
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    int complete = g->complete;
    uint64_t done = g->done_bytes;
    UNLOCK_M(g->m);
    if (hr != BGCOPY_S_OK)
        return hr;
    if (complete) {
        out->bytes_total = out->bytes_transferred = done;
        out->percent = 100;
        return BGCOPY_S_OK;
    }
    bgcopy_job_progress p;
    hr = bgcopy_job_get_progress(g->job, &p);
    if (hr != BGCOPY_S_OK)
        return hr;
    out->bytes_total = p.bytes_total;
    out->bytes_transferred = p.bytes_transferred;
    if (p.bytes_total != BGCOPY_SIZE_UNKNOWN && p.bytes_total > 0)
        out->percent = (uint32_t)(p.bytes_transferred * 100u / p.bytes_total);
    return BGCOPY_S_OK;
}

/* --------------------------------------------------------- properties */

static bgcopy_hr set_text(bgcopy_group *g, char **slot, const char *text, size_t max, int is_name)
{
    if (!g || !text)
        return BGCOPY_E_INVALIDARG;
    size_t len = bgc_utf8_length(text);
    if (len == SIZE_MAX || len > max)
        return BGCOPY_E_INVALIDARG;
    char *copy = bgc_strdup(text);
    if (!copy)
        return BGCOPY_E_OUTOFMEMORY;
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    int complete = g->complete;
    if (hr == BGCOPY_S_OK) {
        char *old = *slot;
        *slot = copy;
        copy = old;
    }
    UNLOCK_M(g->m);
    free(copy);
    /* Mirrored on the job while it is in the queue, for modern clients
     * (EnumJobs, bitsadmin /list); the group's value is the truth. */
    if (hr == BGCOPY_S_OK && !complete) {
        if (is_name)
            (void)bgcopy_job_set_display_name(g->job, text);
        else
            (void)bgcopy_job_set_description(g->job, text);
    }
    return hr;
}

static bgcopy_hr get_text(bgcopy_group *g, char *const *slot, char **out)
{
    if (out)
        *out = NULL;
    if (!g || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    if (hr == BGCOPY_S_OK) {
        *out = bgc_strdup(*slot ? *slot : "");
        if (!*out)
            hr = BGCOPY_E_OUTOFMEMORY;
    }
    UNLOCK_M(g->m);
    return hr;
}

bgcopy_hr bgcopy_group_set_display_name(bgcopy_group *g, const char *name)
{
    return set_text(g, g ? &g->display_name : NULL, name, BGCOPY_MAX_DISPLAY_NAME, 1);
}

bgcopy_hr bgcopy_group_get_display_name(bgcopy_group *g, char **out)
{
    return get_text(g, g ? &g->display_name : NULL, out);
}

bgcopy_hr bgcopy_group_set_description(bgcopy_group *g, const char *text)
{
    return set_text(g, g ? &g->description : NULL, text, BGCOPY_MAX_DESCRIPTION, 0);
}

bgcopy_hr bgcopy_group_get_description(bgcopy_group *g, char **out)
{
    return get_text(g, g ? &g->description : NULL, out);
}

/* A property that has one legal value: checked, nothing stored. */
static bgcopy_hr set_fixed(bgcopy_group *g, uint32_t value, uint32_t only)
{
    if (!g || value != only)
        return BGCOPY_E_INVALIDARG;
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    UNLOCK_M(g->m);
    return hr;
}

static bgcopy_hr get_u32(bgcopy_group *g, const uint32_t *field, uint32_t fixed, uint32_t *out)
{
    if (!g || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    if (hr == BGCOPY_S_OK)
        *out = field ? *field : fixed;
    UNLOCK_M(g->m);
    return hr;
}

bgcopy_hr bgcopy_group_set_priority(bgcopy_group *g, uint32_t priority)
{
    return set_fixed(g, priority, BGCOPY_GROUP_PRIORITY);
}

bgcopy_hr bgcopy_group_get_priority(bgcopy_group *g, uint32_t *out)
{
    return get_u32(g, NULL, BGCOPY_GROUP_PRIORITY, out);
}

bgcopy_hr bgcopy_group_set_protocol_flags(bgcopy_group *g, uint32_t flags)
{
    return set_fixed(g, flags, BGCOPY_GROUP_PROTOCOL_HTTP);
}

bgcopy_hr bgcopy_group_get_protocol_flags(bgcopy_group *g, uint32_t *out)
{
    return get_u32(g, NULL, BGCOPY_GROUP_PROTOCOL_HTTP, out);
}

bgcopy_hr bgcopy_group_set_notify_flags(bgcopy_group *g, uint32_t flags)
{
    if (!g || (flags & ~BGCOPY_GROUP_NOTIFY_ALL))
        return BGCOPY_E_INVALIDARG;
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    if (hr == BGCOPY_S_OK)
        g->notify_flags = flags;
    UNLOCK_M(g->m);
    return hr;
}

bgcopy_hr bgcopy_group_get_notify_flags(bgcopy_group *g, uint32_t *out)
{
    return get_u32(g, g ? &g->notify_flags : NULL, 0, out);
}

bgcopy_hr bgcopy_group_set_notify_clsid(bgcopy_group *g, const bgcopy_guid *clsid)
{
    static const bgcopy_guid null_guid;
    if (!g || !clsid)
        return BGCOPY_E_INVALIDARG;
    int set = memcmp(clsid, &null_guid, sizeof null_guid) != 0;
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    if (hr == BGCOPY_S_OK) {
        g->clsid = *clsid;
        g->has_clsid = set;
    }
    UNLOCK_M(g->m);
    if (hr == BGCOPY_S_OK && set)
        kick(g);
    return hr;
}

bgcopy_hr bgcopy_group_get_notify_clsid(bgcopy_group *g, bgcopy_guid *out)
{
    if (!g || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK_M(g->m);
    bgcopy_hr hr = check_listed_locked(g);
    if (hr == BGCOPY_S_OK)
        *out = g->clsid;
    UNLOCK_M(g->m);
    return hr;
}

bgcopy_hr bgcopy_group_set_notify(bgcopy_group *g, const bgcopy_group_callbacks *cb, void *ctx)
{
    if (!g)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = set_sink(g->m, g, cb, ctx);
    if (hr == BGCOPY_S_OK && cb)
        kick(g);
    return hr;
}

bgcopy_hr bgcopy_group_set_progress_granularity(bgcopy_group *g, uint32_t bytes,
                                                uint32_t percent, uint32_t seconds)
{
    if (!g)
        return BGCOPY_E_INVALIDARG;
    int complete;
    bgcopy_hr hr = check_group(g, &complete);
    if (hr != BGCOPY_S_OK)
        return hr;
    if (complete)
        return BGCOPY_E_INVALID_STATE;
    int on = bytes || percent || seconds;
    /* Progress rides on JobModification (at most every 500 ms). */
    hr = bgcopy_job_set_notify_flags(g->job, BGCOPY_NOTIFY_JOB_TRANSFERRED |
                                                 BGCOPY_NOTIFY_JOB_ERROR |
                                                 (on ? BGCOPY_NOTIFY_JOB_MODIFICATION : 0));
    if (hr != BGCOPY_S_OK)
        return hr;
    LOCK_M(g->m);
    hr = check_listed_locked(g);
    if (hr == BGCOPY_S_OK) {
        g->prog_bytes = bytes;
        g->prog_percent = percent;
        g->prog_seconds = seconds;
        g->prog_reported = 0;
        g->prog_last_bytes = 0;
        g->prog_last_percent = 0;
        g->prog_last_ms = bgc_now_ms(g->m);
    }
    UNLOCK_M(g->m);
    return hr;
}
