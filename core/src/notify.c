/*
 * notify.c - delivery of notifications with BITS's rules (docs/notifications.md):
 *  - FileTransferred (flag 0x10): once per finished file, in file order,
 *    the next file only after the current one returned S_OK, and all of a
 *    job's finished files before its JobTransferred / JobError;
 *  - JobTransferred / JobError are level-triggered: a job in TRANSFERRED
 *    (ERROR) whose handler has not yet accepted the event for this entry
 *    into the state gets it, also when the sink or command line was set
 *    after the event;
 *  - a JobTransferred, JobError or FileTransferred that returns anything
 *    but S_OK is called again after the job's minimum retry delay, while
 *    the job stays in that state; when a command line is set, a failing
 *    JobTransferred / JobError is not called again for that event: the
 *    command line runs instead (cmdline.c); a command line that exits
 *    non-zero runs again after the minimum retry delay;
 *  - JobModification and FileRangesTransferred are coalesced per job and
 *    sent at most once per MINIMUM_NOTIFICATION_INTERVAL (500 ms);
 *  - BG_NOTIFY_DISABLE silences everything.
 *
 * Who delivers: BGC_DISPATCH_WORKERS dispatcher threads (the "at most 4
 * notifications in flight" of BITS), or, with manual_dispatch, whoever
 * calls bgcopy_manager_pump.  A job is delivered to by one thread at a
 * time (job->delivering), which keeps each job's callbacks in order while
 * a sink that blocks delays only its own job.  A callback may also defer
 * its answer (bgcopy_notify_defer): the job then stays |delivering| until
 * bgcopy_notify_complete brings the answer, from any thread, while the
 * delivering thread goes on with other jobs.  User code runs with no lock
 * held, so it may call any bgcopy_* function; the job and the sink are
 * referenced for the duration of the call, so a concurrent
 * SetNotifyInterface or Release cannot free them under it.
 *
 * What to look at (constant cost per event, whatever the number of jobs):
 * the dispatcher never scans the queue.  A job with something that may be
 * due now is on the ready list; a job whose next event is due later is in
 * the timed heap, keyed by that time on the manager's clock.  Invariants
 * (m->lock protects all of them; docs/architecture.md, "Data structures"):
 *  N1. job->notify_where says where the job is: IDLE (nowhere), READY (on
 *      m->ready_head..ready_tail, linked by ready_prev/ready_next), TIMED
 *      (m->timed[job->timed_index]) or LATE (on m->late, the same links,
 *      only when the heap could not grow).  Only a job still in the queue
 *      is placed: bgc_notify_job_leaving takes it off for good
 *      (notify_gone) before the queue drops its reference, and
 *      bgc_dispatch_stop empties everything, so the structures hold no
 *      reference and never a freed job.
 *  N2. A job being delivered to (job->delivering) is IDLE: no other thread
 *      can pick it, which keeps its callbacks in order.  finish() puts it
 *      at the tail of the ready list, behind every job already waiting
 *      (FIFO: fair across jobs).
 *  N3. Every job with an event due now is READY or being delivered; every
 *      job with an event due later is READY, being delivered, or TIMED/LATE
 *      with notify_due_ms no later than that event.  Every change that can
 *      make an event due, or due sooner, calls bgc_notify_job_changed
 *      (state entries, bgc_job_touch, files and ranges done, the sink, the
 *      flags, the command line), which moves the job to the ready list.
 *      Looking at a READY job (prepare) either delivers, files it in the
 *      heap under the earliest later time, or leaves it IDLE when nothing
 *      is pending; a READY job with nothing due costs one look.
 *  N4. Heap order: m->timed[i]->timed_index == i and a parent's
 *      notify_due_ms is <= its children's; m->timed[0] is the earliest.
 *      Dispatchers sleep until that time (or a wake-up) and then move every
 *      job due by the clock to the ready list.
 *  N5. Costs: placing, moving or removing a job is O(1) on the lists and
 *      O(log N) in the heap; a delivery costs O(1) plus O(log N) per heap
 *      operation, never O(N).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define BGC_DISPATCH_WORKERS 4
#define MODIFICATION_INTERVAL_MS 500u
#define RANGES_INTERVAL_MS 500u

_Static_assert(BGC_DISPATCH_WORKERS <= sizeof ((bgcopy_manager *)0)->dispatch_pool /
                                           sizeof ((bgcopy_manager *)0)->dispatch_pool[0],
               "dispatch_pool too small");

enum event { EV_NONE, EV_FILE, EV_TRANSFERRED, EV_ERROR, EV_CMDLINE, EV_MODIFICATION, EV_RANGES };

/* One delivery, prepared under the lock and run without it. */
typedef struct delivery {
    enum event ev;
    bgcopy_job *job;
    bgc_notify sink;
    bgcopy_job_error err;
    bgcopy_job_state state;      /* job state when prepared */
    uint64_t seq;                /* names the entry into that state */
    uint32_t file;               /* EV_FILE, EV_RANGES */
    bgcopy_file_range *ranges;   /* EV_RANGES */
    uint32_t range_count;
    char *program;               /* EV_CMDLINE */
    char **argv;
} delivery;

static int file_events_on(const bgcopy_job *job)
{
    return (job->notify_flags & BGCOPY_NOTIFY_FILE_TRANSFERRED) && job->notify.cb.file_transferred;
}

/* Entries into ERROR are counted by error_count, entries into TRANSFERRED
 * follow a file finishing: together with the state this names one event. */
static uint64_t event_seq(const bgcopy_job *job)
{
    return job->state == BGCOPY_JOB_STATE_ERROR ? job->error_count : job->files_done_seq;
}

static int fallback_active(const bgcopy_job *job)
{
    return job->cmd_fallback && job->cmd_fallback_state == job->state &&
           job->cmd_fallback_seq == event_seq(job);
}

static void lower(uint64_t *next, uint64_t at)
{
    if (at < *next)
        *next = at;
}

/* Lock held.  The next event due for |job| at |now| (d->ev, d->file), or
 * EV_NONE; lowers *next to the time a later event becomes due. */
static enum event due_event(bgcopy_job *job, uint64_t now, uint64_t *next, delivery *d)
{
    uint32_t fl = job->notify_flags;
    const bgcopy_notify_callbacks *cb = &job->notify.cb;
    if (job->delivering)
        return EV_NONE;             /* the delivering thread looks again when it is done */
    if (fl & BGCOPY_NOTIFY_DISABLE) {
        job->modification_pending = 0;
        job->ranges_pending_count = 0;
        return EV_NONE;
    }

    /* FileTransferred first: it gates the job's own events. */
    int file_pending = 0;
    uint32_t cur = job->next_file_to_notify;
    if (file_events_on(job) && cur < job->file_count && job->files[cur].finished) {
        file_pending = 1;
        if (now >= job->file_retry_at_ms) {
            d->file = cur;
            return d->ev = EV_FILE;
        }
        lower(next, job->file_retry_at_ms);
    }

    if (!file_pending) {
        enum event route = EV_NONE;
        if (job->state == BGCOPY_JOB_STATE_TRANSFERRED && !job->transferred_delivered &&
            (fl & BGCOPY_NOTIFY_JOB_TRANSFERRED)) {
            if (cb->job_transferred && !fallback_active(job))
                route = EV_TRANSFERRED;
            else if (job->notify_program)
                route = EV_CMDLINE;
        } else if (job->state == BGCOPY_JOB_STATE_ERROR && !job->error_delivered &&
                   (fl & BGCOPY_NOTIFY_JOB_ERROR)) {
            if (cb->job_error && !fallback_active(job))
                route = EV_ERROR;
            else if (job->notify_program)
                route = EV_CMDLINE;
        }
        if (route != EV_NONE) {
            if (now >= job->notify_retry_at_ms)
                return d->ev = route;
            lower(next, job->notify_retry_at_ms);
        }
    }

    if (job->modification_pending) {
        if (!(fl & BGCOPY_NOTIFY_JOB_MODIFICATION) || !cb->job_modification) {
            job->modification_pending = 0;   /* nobody listens: nothing to coalesce */
        } else {
            uint64_t at = job->last_modification_ms ? job->last_modification_ms + MODIFICATION_INTERVAL_MS : 0;
            if (now >= at)
                return d->ev = EV_MODIFICATION;
            lower(next, at);
        }
    }

    if (job->ranges_pending_count) {
        if (!(fl & BGCOPY_NOTIFY_FILE_RANGES_TRANSFERRED) || !cb->file_ranges_transferred) {
            job->ranges_pending_count = 0;
        } else {
            uint64_t at = job->last_ranges_ms ? job->last_ranges_ms + RANGES_INTERVAL_MS : 0;
            if (now >= at) {
                d->file = job->ranges_pending[0].idx;
                return d->ev = EV_RANGES;
            }
            lower(next, at);
        }
    }
    return EV_NONE;
}

static int cmp_range(const void *a, const void *b)
{
    const bgcopy_file_range *x = a, *y = b;
    return x->initial_offset < y->initial_offset ? -1 : x->initial_offset > y->initial_offset;
}

/* Lock held: move the pending ranges of file d->file into d, sorted and
 * merged where they touch. */
static void take_ranges(bgcopy_job *job, delivery *d)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < job->ranges_pending_count; i++)
        n += job->ranges_pending[i].idx == d->file;
    d->ranges = malloc(n * sizeof *d->ranges);
    if (!d->ranges)
        return;                     /* left pending: the next round tries again */
    uint32_t k = 0, keep = 0;
    for (uint32_t i = 0; i < job->ranges_pending_count; i++) {
        bgc_range_note r = job->ranges_pending[i];
        if (r.idx == d->file) {
            d->ranges[k].initial_offset = r.offset;
            d->ranges[k++].length = r.length;
        } else {
            job->ranges_pending[keep++] = r;
        }
    }
    job->ranges_pending_count = keep;
    qsort(d->ranges, n, sizeof *d->ranges, cmp_range);
    uint32_t out = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (out && d->ranges[out - 1].initial_offset + d->ranges[out - 1].length >= d->ranges[i].initial_offset) {
            uint64_t end = d->ranges[i].initial_offset + d->ranges[i].length;
            uint64_t cur_end = d->ranges[out - 1].initial_offset + d->ranges[out - 1].length;
            if (end > cur_end)
                d->ranges[out - 1].length = end - d->ranges[out - 1].initial_offset;
        } else {
            d->ranges[out++] = d->ranges[i];
        }
    }
    d->range_count = out;
}

/* Lock held: the program and argv of the job's command line.  Parameters
 * NULL or blank run the program with argv = { program }. */
static void take_cmdline(bgcopy_job *job, delivery *d)
{
    d->program = bgc_strdup(job->notify_program);
    const char *params = job->notify_parameters;
    int blank = 1;
    for (const char *p = params; p && *p; p++)
        blank &= *p == ' ' || *p == '\t';
    d->argv = bgc_cmdline_split(blank ? "" : params);
    if (d->argv && !d->argv[0]) {
        free(d->argv);
        d->argv = malloc(2 * sizeof *d->argv);
        if (d->argv) {
            d->argv[0] = d->program;
            d->argv[1] = NULL;
        }
    }
}

/* ------------------------------------------------- the ready structures */

enum { BGC_NQ_IDLE, BGC_NQ_READY, BGC_NQ_TIMED, BGC_NQ_LATE };

/* Doubly linked, intrusive: O(1) at both ends and in the middle. */
static void list_append(bgcopy_job **head, bgcopy_job **tail, bgcopy_job *job)
{
    job->ready_next = NULL;
    job->ready_prev = *tail;
    if (*tail)
        (*tail)->ready_next = job;
    else
        *head = job;
    *tail = job;
}

static void list_unlink(bgcopy_job **head, bgcopy_job **tail, bgcopy_job *job)
{
    if (job->ready_prev)
        job->ready_prev->ready_next = job->ready_next;
    else
        *head = job->ready_next;
    if (job->ready_next)
        job->ready_next->ready_prev = job->ready_prev;
    else if (tail)
        *tail = job->ready_prev;
    job->ready_prev = job->ready_next = NULL;
}

static void heap_set(bgcopy_manager *m, size_t i, bgcopy_job *job)
{
    m->timed[i] = job;
    job->timed_index = i;
}

static void heap_up(bgcopy_manager *m, size_t i)
{
    bgcopy_job *job = m->timed[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (m->timed[parent]->notify_due_ms <= job->notify_due_ms)
            break;
        heap_set(m, i, m->timed[parent]);
        i = parent;
    }
    heap_set(m, i, job);
}

static void heap_down(bgcopy_manager *m, size_t i)
{
    bgcopy_job *job = m->timed[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= m->timed_count)
            break;
        if (c + 1 < m->timed_count && m->timed[c + 1]->notify_due_ms < m->timed[c]->notify_due_ms)
            c++;
        if (job->notify_due_ms <= m->timed[c]->notify_due_ms)
            break;
        heap_set(m, i, m->timed[c]);
        i = c;
    }
    heap_set(m, i, job);
}

static void heap_remove(bgcopy_manager *m, bgcopy_job *job)
{
    size_t i = job->timed_index;
    bgcopy_job *last = m->timed[--m->timed_count];
    if (last != job) {
        heap_set(m, i, last);
        heap_up(m, i);
        heap_down(m, last->timed_index);
    }
}

/* Lock held: take |job| off whatever structure holds it (N1). */
static void unplace(bgcopy_manager *m, bgcopy_job *job)
{
    switch (job->notify_where) {
    case BGC_NQ_READY: list_unlink(&m->ready_head, &m->ready_tail, job); break;
    case BGC_NQ_TIMED: heap_remove(m, job); break;
    case BGC_NQ_LATE: list_unlink(&m->late, NULL, job); break;
    default: break;
    }
    job->notify_where = BGC_NQ_IDLE;
}

/* Lock held: |job| (IDLE) has nothing due before |at| (clock ms). */
static void place_timed(bgcopy_manager *m, bgcopy_job *job, uint64_t at)
{
    job->notify_due_ms = at;
    if (m->timed_count == m->timed_cap) {
        size_t cap = m->timed_cap ? m->timed_cap * 2 : 64;
        bgcopy_job **p = realloc(m->timed, cap * sizeof *p);
        if (!p) {
            /* Out of memory: the late list is scanned at every look, slow
             * but never wrong. */
            job->ready_prev = NULL;
            job->ready_next = m->late;
            if (m->late)
                m->late->ready_prev = job;
            m->late = job;
            job->notify_where = BGC_NQ_LATE;
            uv_cond_broadcast(&m->notify_cond);
            return;
        }
        m->timed = p;
        m->timed_cap = cap;
    }
    job->notify_where = BGC_NQ_TIMED;
    heap_set(m, m->timed_count++, job);
    heap_up(m, job->timed_index);
    /* A new earliest time: sleepers recompute how long to wait. */
    if (job->timed_index == 0)
        uv_cond_broadcast(&m->notify_cond);
}

static void place_ready(bgcopy_manager *m, bgcopy_job *job)
{
    list_append(&m->ready_head, &m->ready_tail, job);
    job->notify_where = BGC_NQ_READY;
    /* One job, one taker: every waiter would do the same with it. */
    uv_cond_signal(&m->notify_cond);
}

/* Lock held: move every job due by |now| from the heap (and the late list)
 * to the ready list (N4). */
static void take_due(bgcopy_manager *m, uint64_t now)
{
    while (m->timed_count && m->timed[0]->notify_due_ms <= now) {
        bgcopy_job *job = m->timed[0];
        heap_remove(m, job);
        job->notify_where = BGC_NQ_IDLE;
        place_ready(m, job);
    }
    for (bgcopy_job *job = m->late, *n; job; job = n) {
        n = job->ready_next;
        if (job->notify_due_ms <= now) {
            unplace(m, job);
            place_ready(m, job);
        }
    }
}

/* Lock held: the earliest time a TIMED or LATE job becomes worth a look. */
static uint64_t next_due(const bgcopy_manager *m)
{
    uint64_t next = m->timed_count ? m->timed[0]->notify_due_ms : UINT64_MAX;
    for (const bgcopy_job *job = m->late; job; job = job->ready_next)
        lower(&next, job->notify_due_ms);
    return next;
}

void bgc_notify_job_changed(bgcopy_job *job)
{
    bgcopy_manager *m = job->m;
    /* Being delivered: finish() looks again (N2).  Gone, or no dispatcher
     * any more: never placed (N1). */
    if (job->delivering || job->notify_gone || m->dispatch_stop || job->notify_where == BGC_NQ_READY)
        return;
    unplace(m, job);
    place_ready(m, job);
}

void bgc_notify_job_leaving(bgcopy_job *job)
{
    unplace(job->m, job);
    job->notify_gone = 1;
}

void bgc_notify_groups_changed(bgcopy_manager *m)
{
    /* Groups keep their own due times (group.c): every waiter recomputes. */
    uv_cond_broadcast(&m->notify_cond);
}

void bgc_notify_clock_changed(bgcopy_manager *m)
{
    /* Every waiter: each recomputes its deadline from the heap. */
    uv_cond_broadcast(&m->notify_cond);
}

/* Lock held: take the first job of the ready list with an event due and
 * prepare its delivery; file the ones with nothing due now (N3).  Returns 0
 * when nothing is due. */
static int prepare(bgcopy_manager *m, delivery *d)
{
    uint64_t now = bgc_now_ms(m);
    memset(d, 0, sizeof *d);
    take_due(m, now);
    bgcopy_job *job;
    while ((job = m->ready_head) != NULL) {
        unplace(m, job);
        uint64_t next = UINT64_MAX;
        if (due_event(job, now, &next, d) != EV_NONE)
            break;
        if (next != UINT64_MAX)
            place_timed(m, job, next);
    }
    if (!job)
        return 0;
    d->job = job;
    d->state = job->state;
    d->seq = event_seq(job);
    d->err = job->error;
    atomic_fetch_add(&job->refs, 1);
    if (d->ev != EV_CMDLINE) {
        d->sink = job->notify;
        if (d->sink.cb.add_ref)
            d->sink.cb.add_ref(d->sink.ctx);
    }
    switch (d->ev) {
    case EV_MODIFICATION:
        job->modification_pending = 0;
        job->last_modification_ms = now ? now : 1;
        break;
    case EV_RANGES:
        take_ranges(job, d);
        /* One call per file; the interval starts once every file with
         * pending ranges had its call. */
        if (!job->ranges_pending_count)
            job->last_ranges_ms = now ? now : 1;
        break;
    case EV_CMDLINE:
        take_cmdline(job, d);
        break;
    default:
        break;
    }
    job->delivering = 1;
    return 1;
}

/* No lock: run the user's code.  Returns its answer. */
static bgcopy_hr run(delivery *d)
{
    const bgcopy_notify_callbacks *cb = &d->sink.cb;
    switch (d->ev) {
    case EV_FILE: return cb->file_transferred(d->sink.ctx, d->job, d->file);
    case EV_TRANSFERRED: return cb->job_transferred(d->sink.ctx, d->job);
    case EV_ERROR: return cb->job_error(d->sink.ctx, d->job, &d->err);
    case EV_MODIFICATION: (void)cb->job_modification(d->sink.ctx, d->job); return BGCOPY_S_OK;
    case EV_RANGES:
        if (d->ranges && d->range_count)
            (void)cb->file_ranges_transferred(d->sink.ctx, d->job, d->file, d->ranges, d->range_count);
        return BGCOPY_S_OK;
    case EV_CMDLINE: {
        int64_t status = -1;
        if (!d->program || !d->argv || bgc_cmdline_run(d->program, d->argv, &status) != 0 || status != 0)
            return BGCOPY_E_FAIL;
        return BGCOPY_S_OK;
    }
    default: return BGCOPY_S_OK;
    }
}

/* Lock held: record the answer, which counts only for the event it was
 * about and (for callbacks) for the sink that gave it. */
static void finish(bgcopy_manager *m, delivery *d, bgcopy_hr hr)
{
    bgcopy_job *job = d->job;
    job->delivering = 0;
    uint64_t delay = (uint64_t)job->min_retry_delay_s * 1000u;
    int same_sink = job->notify.ctx == d->sink.ctx &&
                    memcmp(&job->notify.cb, &d->sink.cb, sizeof d->sink.cb) == 0;
    int same_event = job->state == d->state && event_seq(job) == d->seq;
    switch (d->ev) {
    case EV_FILE:
        if (same_sink && job->next_file_to_notify == d->file) {
            if (hr == BGCOPY_S_OK) {
                job->next_file_to_notify++;
                job->file_retry_at_ms = 0;
            } else {
                job->file_retry_at_ms = bgc_now_ms(m) + delay;
            }
        }
        break;
    case EV_TRANSFERRED:
    case EV_ERROR:
        if (!same_sink || !same_event)
            break;
        if (hr == BGCOPY_S_OK) {
            if (d->ev == EV_TRANSFERRED)
                job->transferred_delivered = 1;
            else
                job->error_delivered = 1;
        } else if (job->notify_program) {
            /* Stop calling this method for this event: the command line
             * takes over at once. */
            job->cmd_fallback = 1;
            job->cmd_fallback_state = d->state;
            job->cmd_fallback_seq = d->seq;
            job->notify_retry_at_ms = 0;
        } else {
            job->notify_retry_at_ms = bgc_now_ms(m) + delay;
        }
        break;
    case EV_CMDLINE:
        if (!same_event)
            break;
        if (hr == BGCOPY_S_OK) {
            if (d->state == BGCOPY_JOB_STATE_TRANSFERRED)
                job->transferred_delivered = 1;
            else
                job->error_delivered = 1;
        } else {
            job->notify_retry_at_ms = bgc_now_ms(m) + delay;
        }
        break;
    default:
        break;
    }
    /* It may have more, and its own events may have become due meanwhile (N2). */
    bgc_notify_job_changed(job);
}

/* The callback running on this thread (deliver_one), which
 * bgcopy_notify_defer may turn into a deferred delivery.  Saved and
 * restored around each call, so a pump called from inside a callback has
 * its own frame. */
typedef struct frame {
    delivery *d;
    struct bgcopy_notify_pending *deferred;
} frame;

static _Thread_local frame *t_frame;

struct bgcopy_notify_pending {
    delivery d;                 /* holds a job reference and a sink reference */
};

bgcopy_hr bgcopy_notify_defer(bgcopy_notify_pending **out)
{
    if (!out)
        return BGCOPY_E_INVALIDARG;
    *out = NULL;
    frame *f = t_frame;
    if (!f || f->deferred)
        return BGCOPY_E_INVALID_STATE;
    bgcopy_notify_pending *p = malloc(sizeof *p);
    if (!p)
        return BGCOPY_E_OUTOFMEMORY;
    p->d = *f->d;
    /* What the call owns (ranges, command line) is freed when it returns. */
    p->d.ranges = NULL;
    p->d.range_count = 0;
    p->d.program = NULL;
    p->d.argv = NULL;
    f->deferred = p;
    *out = p;
    return BGCOPY_S_OK;
}

/* Lock not held: record |hr| for |d| and drop what the delivery held. */
static void complete(delivery *d, bgcopy_hr hr)
{
    bgcopy_manager *m = d->job->m;
    uv_mutex_lock(&m->lock);
    finish(m, d, hr);
    uv_mutex_unlock(&m->lock);
    if (d->sink.cb.release)
        d->sink.cb.release(d->sink.ctx);
    bgcopy_job_release(d->job);
}

void bgcopy_notify_complete(bgcopy_notify_pending *p, bgcopy_hr hr)
{
    if (!p)
        return;
    complete(&p->d, hr);
    free(p);
}

/* Lock held on entry and exit: deliver one due event if there is one.
 * Returns 1 when it delivered, else 0 with *group_next lowered to the
 * earliest owed group completion (manager clock ms; groups keep their own
 * due times, group.c G3). */
int bgc_notify_release_later(bgcopy_manager *m, bgc_notify *sink)
{
    if (m->orphan_count == m->orphan_cap) {
        size_t cap = m->orphan_cap ? m->orphan_cap * 2 : 4;
        bgc_notify *p = realloc(m->orphans, cap * sizeof *p);
        if (!p)
            return -1;
        m->orphans = p;
        m->orphan_cap = cap;
    }
    m->orphans[m->orphan_count++] = *sink;
    uv_cond_signal(&m->notify_cond);
    return 0;
}

/* Lock held on entry and exit (dropped while client code runs): release
 * the sinks handed over by bgc_notify_release_later.  Returns how many. */
static size_t release_orphans(bgcopy_manager *m)
{
    size_t n = 0;
    while (m->orphan_count) {
        bgc_notify sink = m->orphans[--m->orphan_count];
        uv_mutex_unlock(&m->lock);
        sink.cb.release(sink.ctx);
        uv_mutex_lock(&m->lock);
        n++;
    }
    return n;
}

static int deliver_one(bgcopy_manager *m, uint64_t *group_next)
{
    if (release_orphans(m))                  /* sinks of scavenged jobs (sched.c) */
        return 1;
    if (bgc_group_deliver_one(m, group_next))   /* owed group completions (group.c) */
        return 1;
    delivery d;
    if (!prepare(m, &d))
        return 0;
    uv_mutex_unlock(&m->lock);
    frame f = {&d, NULL}, *saved = t_frame;
    t_frame = d.ev == EV_CMDLINE ? NULL : &f;
    bgcopy_hr hr = run(&d);
    t_frame = saved;
    /* Deferred: the job stays |delivering| (its next event waits) and the
     * token owns the references; bgcopy_notify_complete finishes it. */
    if (!f.deferred)
        complete(&d, hr);
    free(d.ranges);
    free(d.argv);                         /* one allocation; never owns program */
    free(d.program);
    uv_mutex_lock(&m->lock);
    return 1;
}

/* Lock held: wait for a wake-up or until the earliest timed job or owed
 * group completion (|group_next|) is due (clock ms), at most |max_ns|
 * nanoseconds (UINT64_MAX: no limit). */
static void wait_for(bgcopy_manager *m, uint64_t max_ns, uint64_t group_next)
{
    uint64_t ns = max_ns;
    uint64_t next = next_due(m);
    if (group_next < next)
        next = group_next;
    if (next != UINT64_MAX) {
        uint64_t now = bgc_now_ms(m);
        uint64_t due_ns = next > now ? (next - now) * 1000000u : 0;
        if (due_ns < ns)
            ns = due_ns;
    }
    if (ns == UINT64_MAX)
        uv_cond_wait(&m->notify_cond, &m->lock);
    else if (ns > 0)
        (void)uv_cond_timedwait(&m->notify_cond, &m->lock, ns);
}

static void dispatch_main(void *arg)
{
    bgcopy_manager *m = arg;
    uv_mutex_lock(&m->lock);
    while (!m->dispatch_stop) {
        uint64_t group_next = UINT64_MAX;
        if (!deliver_one(m, &group_next) && !m->dispatch_stop)
            wait_for(m, UINT64_MAX, group_next);
    }
    uv_mutex_unlock(&m->lock);
}

/* bgcopy_manager_pump (bgcopy.h): the stand-in for the message loop of a
 * Windows STA client.  |timeout_ms| is real time (uv_hrtime), not the
 * injected clock: it bounds how long the caller's thread waits. */
bgcopy_hr bgcopy_manager_pump(bgcopy_manager *m, uint32_t timeout_ms, uint32_t *delivered)
{
    if (delivered)
        *delivered = 0;
    if (!m)
        return BGCOPY_E_INVALIDARG;
    if (!m->manual_dispatch)
        return BGCOPY_E_INVALID_STATE;   /* the dispatcher threads deliver */
    uint64_t deadline = uv_hrtime() + (uint64_t)timeout_ms * 1000000u;
    uint32_t count = 0;
    uv_mutex_lock(&m->lock);
    for (;;) {
        uint64_t group_next = UINT64_MAX;
        if (deliver_one(m, &group_next)) {
            count++;
            continue;               /* everything due now, then return */
        }
        uint64_t t = uv_hrtime();
        if (count || m->closed || t >= deadline)
            break;
        wait_for(m, deadline - t, group_next);
    }
    uv_mutex_unlock(&m->lock);
    if (delivered)
        *delivered = count;
    return count ? BGCOPY_S_OK : BGCOPY_S_FALSE;
}

/* Loop thread, lock held: file |idx| finished.  FileTransferred reads the
 * files' finished flags, so this only names the event and wakes. */
void bgc_notify_file_done(bgcopy_job *job, uint32_t idx)
{
    (void)idx;                      /* files finish in order (I3): the cursor finds it */
    job->files_done_seq++;
    job->file_done_ns = uv_hrtime();
    if (file_events_on(job))
        bgc_notify_job_changed(job);
}

/* Loop thread, lock held: |length| bytes at |offset| of file |idx| were
 * filled (on-demand jobs); kept for the next FileRangesTransferred. */
void bgc_notify_ranges_filled(bgcopy_job *job, uint32_t idx, uint64_t offset, uint64_t length)
{
    if (length == 0 || !(job->notify_flags & BGCOPY_NOTIFY_FILE_RANGES_TRANSFERRED) ||
        (job->notify_flags & BGCOPY_NOTIFY_DISABLE) || !job->notify.cb.file_ranges_transferred)
        return;                     /* nobody would hear of it */
    uint32_t n = job->ranges_pending_count;
    if (n) {
        /* Sequential fills extend the last note instead of growing the list. */
        bgc_range_note *last = &job->ranges_pending[n - 1];
        if (last->idx == idx && last->offset + last->length == offset) {
            last->length += length;
            bgc_notify_job_changed(job);
            return;
        }
    }
    if (n == job->ranges_pending_cap) {
        uint32_t cap = n ? n * 2 : 8;
        bgc_range_note *p = realloc(job->ranges_pending, cap * sizeof *p);
        if (!p)
            return;                 /* out of memory: this range goes unreported */
        job->ranges_pending = p;
        job->ranges_pending_cap = cap;
    }
    job->ranges_pending[n] = (bgc_range_note){idx, offset, length};
    job->ranges_pending_count = n + 1;
    bgc_notify_job_changed(job);
}

int bgc_dispatch_start(bgcopy_manager *m)
{
    if (m->manual_dispatch)
        return 0;
    for (int i = 0; i < BGC_DISPATCH_WORKERS; i++) {
        if (uv_thread_create(&m->dispatch_pool[i], dispatch_main, m) != 0) {
            bgc_dispatch_stop(m);
            return -1;
        }
        m->dispatch_workers = i + 1;
    }
    return 0;
}

void bgc_dispatch_stop(bgcopy_manager *m)
{
    uv_mutex_lock(&m->lock);
    m->dispatch_stop = 1;
    uv_cond_broadcast(&m->notify_cond);
    uv_mutex_unlock(&m->lock);
    for (int i = 0; i < m->dispatch_workers; i++)
        uv_thread_join(&m->dispatch_pool[i]);
    m->dispatch_workers = 0;
    /* Nothing is placed any more (dispatch_stop), and the queue is about
     * to drop its references: empty the structures (N1). */
    uv_mutex_lock(&m->lock);
    while (m->ready_head)
        unplace(m, m->ready_head);
    while (m->late)
        unplace(m, m->late);
    while (m->timed_count)
        unplace(m, m->timed[0]);
    (void)release_orphans(m);                /* the loop has stopped: no more come */
    free(m->timed);
    m->timed = NULL;
    m->timed_cap = 0;
    uv_mutex_unlock(&m->lock);
}
