/*
 * sched.c - scheduling policy (who runs), the retry and no-progress timers
 * of TRANSIENT_ERROR jobs, wakeups, and the loop thread's life cycle.  The
 * per-file work of a running job is step.c's.
 *
 * Scheduling rule (docs/architecture.md, "Scheduling rules"): every FOREGROUND job runs at once, plus one
 * background job: the highest priority (lowest value), preferring the one
 * already running, then the oldest.  A background job that loses its place
 * to a higher-priority one goes back to QUEUED.  Time slices among equal
 * priorities are not implemented yet: the oldest runs to the end.
 *
 * Data structures (m->lock protects all of them; docs/architecture.md,
 * "Scheduler and queue"):
 *  - m->runnable[p], p = FOREGROUND..LOW: min-heaps by creation order
 *    (job->seq) of the jobs that may run: in the queue, QUEUED, CONNECTING
 *    or TRANSFERRING, and not held.
 *  - m->timers: a min-heap of the TRANSIENT_ERROR jobs in the queue, keyed
 *    by job->timer_at_ms = min(retry_at_ms, no-progress deadline).
 *  - m->running_head: the jobs whose |running| is set (I2), a doubly
 *    linked list through job->run_prev/run_next.
 *
 * Invariants:
 *  P1. job->rq_set == p >= 0 exactly while the job is in m->runnable[p],
 *      and that is exactly while queued && bgc_is_active(state) && !hold
 *      and p == priority; job->in_timer exactly while the job is in
 *      m->timers, exactly while queued && state == TRANSIENT_ERROR.
 *      Whoever changes queued, state, hold, priority, retry_at_ms,
 *      no_progress_since_ms (of a TRANSIENT_ERROR job) or
 *      no_progress_timeout_s calls bgc_sched_update (bgc_job_set_state,
 *      bgc_job_set_error, bgc_job_hold/unhold, the setters and the queue do).
 *  P2. Every heap has room for every queued job (reserved when a job
 *      enters the queue), so moving a job between sets never allocates and
 *      never fails.
 *  P3. A job is in the running list exactly while job->running; only the
 *      loop thread sets or clears it (bgc_sched_set_running).  Between two
 *      passes at most one non-FOREGROUND job is running.
 *  P4. A pass costs O(running jobs + runnable FOREGROUND jobs + due timers
 *      + log(queue length)): it reads the heads of the heaps and walks the
 *      running list, never the queue.  FOREGROUND jobs all run, so their
 *      runnable set is (apart from jobs about to start) the running set.
 *      The one exception is the inactivity sweep (S1).
 *
 * JobInactivityTimeout (docs/policy.md): a queued job whose active_ms is
 * older than the timeout is cancelled, as BITS's service does.
 *  S1. m->inactive_next_ms is at most the earliest inactivity deadline
 *      (active_ms + timeout) of any queued job.  Activity only moves
 *      deadlines later and CreateJob lowers the bound for the new job, so
 *      the bound stays true between sweeps.  A pass walks the queue only
 *      when the bound is due: it cancels the jobs whose deadline passed and
 *      sets the bound to the earliest remaining deadline.  A sweep that
 *      cancels nothing happens only because a job was active since the
 *      last one, so sweeps cost O(queue) at most once per deadline passed.
 *
 * Locking: the loop thread never holds m->lock while calling the transport
 * or step.c, and never calls user code.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

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

/* ---------------------------------------------------------------- heaps */

static size_t *heap_pos(const bgc_job_heap *h, bgcopy_job *j)
{
    return h->by_timer ? &j->timer_idx : &j->rq_idx;
}

static int heap_less(const bgc_job_heap *h, const bgcopy_job *a, const bgcopy_job *b)
{
    if (h->by_timer && a->timer_at_ms != b->timer_at_ms)
        return a->timer_at_ms < b->timer_at_ms;
    return a->seq < b->seq;
}

static void heap_set(bgc_job_heap *h, size_t i, bgcopy_job *j)
{
    h->v[i] = j;
    *heap_pos(h, j) = i;
}

static void heap_sift(bgc_job_heap *h, size_t i)
{
    bgcopy_job *j = h->v[i];
    while (i > 0 && heap_less(h, j, h->v[(i - 1) / 2])) {
        heap_set(h, i, h->v[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && heap_less(h, h->v[c + 1], h->v[c]))
            c++;
        if (!heap_less(h, h->v[c], j))
            break;
        heap_set(h, i, h->v[c]);
        i = c;
    }
    heap_set(h, i, j);
}

static void heap_push(bgc_job_heap *h, bgcopy_job *j)
{
    h->n++;                                  /* room reserved (P2) */
    heap_set(h, h->n - 1, j);
    heap_sift(h, h->n - 1);
}

static void heap_remove(bgc_job_heap *h, bgcopy_job *j)
{
    size_t i = *heap_pos(h, j);
    h->n--;
    if (i == h->n)
        return;
    heap_set(h, i, h->v[h->n]);
    heap_sift(h, i);
}

int bgc_sched_reserve(bgcopy_manager *m, size_t jobs)
{
    for (int k = 0; k < BGC_SCHED_HEAPS; k++) {
        bgc_job_heap *h = k < 4 ? &m->runnable[k] : &m->timers;
        if (h->cap >= jobs)
            continue;
        size_t cap = h->cap ? h->cap : 16;
        while (cap < jobs)
            cap *= 2;
        bgcopy_job **v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return -1;
        h->v = v;
        h->cap = cap;
    }
    return 0;
}

void bgc_sched_free(bgcopy_manager *m)
{
    for (int k = 0; k < 4; k++)
        free(m->runnable[k].v);
    free(m->timers.v);
}

/* ----------------------------------------------------------- set changes */

static uint64_t timer_at(const bgcopy_job *job)
{
    uint64_t give_up = job->no_progress_since_ms + (uint64_t)job->no_progress_timeout_s * 1000u;
    return job->retry_at_ms < give_up ? job->retry_at_ms : give_up;
}

void bgc_sched_update(bgcopy_job *job)
{
    bgcopy_manager *m = job->m;
    int want = job->queued && bgc_is_active(job->state) && !job->hold ? (int)job->priority : -1;
    if (job->rq_set != want) {
        if (job->rq_set >= 0)
            heap_remove(&m->runnable[job->rq_set], job);
        if (want >= 0)
            heap_push(&m->runnable[want], job);
        job->rq_set = want;
    }
    int timed = job->queued && job->state == BGCOPY_JOB_STATE_TRANSIENT_ERROR;
    uint64_t at = timed ? timer_at(job) : 0;
    if (job->in_timer && (!timed || at != job->timer_at_ms)) {
        heap_remove(&m->timers, job);
        job->in_timer = 0;
    }
    if (timed && !job->in_timer) {
        job->timer_at_ms = at;
        heap_push(&m->timers, job);
        job->in_timer = 1;
    }
}

void bgc_job_hold(bgcopy_job *job)
{
    job->hold++;
    bgc_sched_update(job);
}

void bgc_job_unhold(bgcopy_job *job)
{
    job->hold--;
    bgc_sched_update(job);
}

void bgc_sched_set_running(bgcopy_manager *m, bgcopy_job *job, int on)
{
    if (!job->running == !on)
        return;
    job->running = on;
    if (on) {
        job->run_prev = NULL;
        job->run_next = m->running_head;
        if (m->running_head)
            m->running_head->run_prev = job;
        m->running_head = job;
    } else {
        if (job->run_prev)
            job->run_prev->run_next = job->run_next;
        else
            m->running_head = job->run_next;
        if (job->run_next)
            job->run_next->run_prev = job->run_prev;
        job->run_prev = job->run_next = NULL;
    }
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

static int by_seq(const void *a, const void *b)
{
    uint64_t x = (*(bgcopy_job *const *)a)->seq, y = (*(bgcopy_job *const *)b)->seq;
    return x < y ? -1 : x > y;
}

/* Steps run in creation order, as when the pass walked the queue. */
static void list_drain(job_list *l, void (*fn)(bgcopy_manager *, bgcopy_job *), bgcopy_manager *m)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, by_seq);
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

/* Lock held.  The one background job allowed to run (P4): the oldest of
 * the highest non-empty background priority, unless a job of that
 * priority already runs. */
static bgcopy_job *pick_background(bgcopy_manager *m)
{
    for (int p = BGCOPY_JOB_PRIORITY_HIGH; p <= BGCOPY_JOB_PRIORITY_LOW; p++) {
        if (m->runnable[p].n == 0)
            continue;
        bgcopy_job *bg = NULL;
        for (bgcopy_job *j = m->running_head; j; j = j->run_next)
            if (j->rq_set == p && (!bg || j->seq < bg->seq))
                bg = j;
        return bg ? bg : m->runnable[p].v[0];
    }
    return NULL;
}

static void start(bgcopy_job *job, job_list *to_advance)
{
    bgc_sched_set_running(job->m, job, 1);
    if (job->state == BGCOPY_JOB_STATE_QUEUED)
        bgc_job_set_state(job, BGCOPY_JOB_STATE_CONNECTING);
    list_push(to_advance, job);
}

/* Lock held, loop thread: S1's sweep.  A job whose deadline passed
 * becomes CANCELLED (final: every caller now gets BG_E_INVALID_STATE, and
 * P1 takes it out of the runnable sets, so this pass stops its transfer)
 * and goes on *to_cancel, which deletes its files after the unlock. */
static void sweep_inactive(bgcopy_manager *m, uint64_t now, job_list *to_cancel)
{
    uint64_t timeout = bgc_inactivity_ms(m), next = UINT64_MAX;
    for (bgcopy_job *j = m->queue_head; j; j = j->queue_next) {
        if (bgc_is_final(j->state))
            continue;                        /* a Cancel in flight owns it */
        uint64_t deadline = j->active_ms + timeout;
        if (now < deadline) {
            if (deadline < next)
                next = deadline;
        } else if (j->finishing) {
            /* Complete is renaming outside the lock; look again later if
             * it fails. */
            if (now + 60000u < next)
                next = now + 60000u;
        } else {
            size_t had = to_cancel->n;
            list_push(to_cancel, j);
            if (to_cancel->n == had) {       /* out of memory: the next pass retries */
                next = now;
                break;
            }
            bgc_job_set_state(j, BGCOPY_JOB_STATE_CANCELLED);
        }
    }
    m->inactive_next_ms = next;
}

static void scavenge(bgcopy_manager *m, bgcopy_job *job)
{
    (void)m;
    bgc_job_scavenge(job);
}

static void sched_pass(bgcopy_manager *m)
{
    job_list to_abort = {0}, to_park = {0}, to_advance = {0}, to_cancel = {0};
    uint64_t next = UINT64_MAX;

    uv_mutex_lock(&m->lock);
    if (m->stopping) {
        uv_mutex_unlock(&m->lock);
        return;
    }
    uint64_t now = bgc_now_ms(m);

    /* Retry and no-progress timers of TRANSIENT_ERROR jobs (docs/http.md, "Errors"):
     * each due job leaves m->timers through its state change (P1). */
    while (m->timers.n > 0) {
        bgcopy_job *job = m->timers.v[0];
        if (job->timer_at_ms > now) {
            next = job->timer_at_ms;
            break;
        }
        uint64_t give_up = job->no_progress_since_ms + (uint64_t)job->no_progress_timeout_s * 1000u;
        if (now >= give_up) {
            bgc_job_set_state(job, BGCOPY_JOB_STATE_ERROR);
        } else if (now >= job->retry_at_ms) {
            for (uint32_t k = 0; k < job->file_count; k++) {
                job->files[k].need_probe = 1;
                job->files[k].restarts = 0;
            }
            bgc_job_set_state(job, BGCOPY_JOB_STATE_QUEUED);
        } else {
            /* A key that missed an update (P1 broken): refile, do not spin. */
            job->timer_at_ms = timer_at(job);
            heap_sift(&m->timers, job->timer_idx);
            if (m->timers.v[0]->timer_at_ms <= now)
                break;
        }
    }

    if (now >= m->inactive_next_ms)
        sweep_inactive(m, now, &to_cancel);
    if (m->inactive_next_ms < next)
        next = m->inactive_next_ms;

    bgcopy_job *bg = pick_background(m);

    for (bgcopy_job *job = m->running_head; job; job = job->run_next) {
        int runnable = job->rq_set >= 0 &&
                       (job->priority == BGCOPY_JOB_PRIORITY_FOREGROUND || job == bg);
        if (!runnable) {
            if (bgc_is_running(job->state) && !job->hold)
                bgc_job_set_state(job, BGCOPY_JOB_STATE_QUEUED);  /* preempted */
            list_push(job->xfer ? &to_abort : &to_park, job);
        } else if (!job->xfer) {
            /* Between two steps; it may have been re-queued meanwhile
             * (e.g. Resume from inside JobError before we parked it). */
            if (job->state == BGCOPY_JOB_STATE_QUEUED)
                bgc_job_set_state(job, BGCOPY_JOB_STATE_CONNECTING);
            list_push(&to_advance, job);
        }
    }
    bgc_job_heap *fg = &m->runnable[BGCOPY_JOB_PRIORITY_FOREGROUND];
    for (size_t i = 0; i < fg->n; i++)
        if (!fg->v[i]->running)
            start(fg->v[i], &to_advance);  /* CONNECTING keeps it in fg (P1): no reordering */
    if (bg && !bg->running)
        start(bg, &to_advance);
    uv_mutex_unlock(&m->lock);

    list_drain(&to_abort, bgc_step_abort, m);
    list_drain(&to_park, bgc_step_park, m);
    list_drain(&to_advance, bgc_step_advance, m);
    /* After the drains: a scavenged job that was running is parked or
     * aborted by now, so the cancel never waits for this thread. */
    list_drain(&to_cancel, scavenge, m);

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
    for (bgcopy_job *job = m->running_head; job; job = job->run_next)
        list_push(&running, job);
    uv_mutex_unlock(&m->lock);
    for (size_t i = 0; i < running.n; i++) {
        bgcopy_job *job = running.v[i];
        if (job->xfer)
            bgc_step_abort(m, job);
        else
            bgc_step_park(m, job);
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

