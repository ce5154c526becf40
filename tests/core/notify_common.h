/* notify_common.h - a recording notification sink for the notify_* tests:
 * every callback appends a token to a log ("F0 T E M R0:0+100"), may be
 * told to fail a number of times, and signals a condition variable. */
#ifndef BGCOPY_NOTIFY_COMMON_H
#define BGCOPY_NOTIFY_COMMON_H

#include "core_test.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

typedef struct rec_sink {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char log[4096];
    int files, transferred, errors, modifications, ranges;
    int fail_files, fail_transferred, fail_errors; /* fail this many times first */
    int complete_inside;                            /* Complete from JobTransferred */
    atomic_int refs;
} rec_sink;

static inline void rec_init(rec_sink *s)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
}

static inline int rec_unreferenced(void *arg) { return atomic_load(&((rec_sink *)arg)->refs) == 0; }

static inline void rec_destroy(rec_sink *s)
{
    CHECK(ts_wait_until(rec_unreferenced, s, 5000));
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
}

/* Lock held. */
static inline void rec_log(rec_sink *s, const char *fmt, ...)
{
    size_t n = strlen(s->log);
    if (n && n + 1 < sizeof s->log)
        s->log[n++] = ' ';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->log + n, sizeof s->log - n, fmt, ap);
    va_end(ap);
    pthread_cond_broadcast(&s->cv);
}

static inline int rec_take_failure(int *counter)
{
    if (*counter > 0) {
        (*counter)--;
        return 1;
    }
    return 0;
}

static inline void rec_add_ref(void *ctx) { atomic_fetch_add(&((rec_sink *)ctx)->refs, 1); }
static inline void rec_release(void *ctx) { atomic_fetch_sub(&((rec_sink *)ctx)->refs, 1); }

static inline bgcopy_hr rec_file(void *ctx, bgcopy_job *job, uint32_t idx)
{
    (void)job;
    rec_sink *s = ctx;
    pthread_mutex_lock(&s->mu);
    int fail = rec_take_failure(&s->fail_files);
    s->files++;
    rec_log(s, fail ? "F%u!" : "F%u", idx);
    pthread_mutex_unlock(&s->mu);
    return fail ? BGCOPY_E_FAIL : BGCOPY_S_OK;
}

static inline bgcopy_hr rec_transferred(void *ctx, bgcopy_job *job)
{
    rec_sink *s = ctx;
    pthread_mutex_lock(&s->mu);
    int fail = rec_take_failure(&s->fail_transferred);
    int complete = !fail && s->complete_inside;
    pthread_mutex_unlock(&s->mu);
    if (complete)
        CHECK_HR_OK(bgcopy_job_complete(job));
    pthread_mutex_lock(&s->mu);
    s->transferred++;
    rec_log(s, fail ? "T!" : "T");
    pthread_mutex_unlock(&s->mu);
    return fail ? BGCOPY_E_FAIL : BGCOPY_S_OK;
}

static inline bgcopy_hr rec_error(void *ctx, bgcopy_job *job, const bgcopy_job_error *e)
{
    (void)job;
    (void)e;
    rec_sink *s = ctx;
    pthread_mutex_lock(&s->mu);
    int fail = rec_take_failure(&s->fail_errors);
    s->errors++;
    rec_log(s, fail ? "E!" : "E");
    pthread_mutex_unlock(&s->mu);
    return fail ? BGCOPY_E_FAIL : BGCOPY_S_OK;
}

static inline bgcopy_hr rec_modification(void *ctx, bgcopy_job *job)
{
    (void)job;
    rec_sink *s = ctx;
    pthread_mutex_lock(&s->mu);
    s->modifications++;
    rec_log(s, "M");
    pthread_mutex_unlock(&s->mu);
    return BGCOPY_S_OK;
}

static inline bgcopy_hr rec_ranges(void *ctx, bgcopy_job *job, uint32_t idx,
                                   const bgcopy_file_range *r, uint32_t n)
{
    (void)job;
    rec_sink *s = ctx;
    pthread_mutex_lock(&s->mu);
    s->ranges++;
    for (uint32_t i = 0; i < n; i++)
        rec_log(s, "R%u:%llu+%llu", idx, (unsigned long long)r[i].initial_offset,
                (unsigned long long)r[i].length);
    pthread_mutex_unlock(&s->mu);
    return BGCOPY_S_OK;
}

static const bgcopy_notify_callbacks REC_CALLBACKS = {
    .job_transferred = rec_transferred, .job_error = rec_error,
    .job_modification = rec_modification, .file_transferred = rec_file,
    .add_ref = rec_add_ref, .release = rec_release,
    .file_ranges_transferred = rec_ranges};

/* Wait until *counter >= want (up to timeout_ms); 1 when reached. */
static inline int rec_wait(rec_sink *s, int *counter, int want, int timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&s->mu);
    int rc = 0;
    while (*counter < want && rc == 0)
        rc = pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    int ok = *counter >= want;
    pthread_mutex_unlock(&s->mu);
    return ok;
}

/* Copy of the log. */
static inline void rec_get_log(rec_sink *s, char *out, size_t n)
{
    pthread_mutex_lock(&s->mu);
    snprintf(out, n, "%s", s->log);
    pthread_mutex_unlock(&s->mu);
}

static inline void rec_clear_log(rec_sink *s)
{
    pthread_mutex_lock(&s->mu);
    s->log[0] = 0;
    pthread_mutex_unlock(&s->mu);
}

/* A manual-dispatch manager on an injected clock. */
static inline bgcopy_manager *nt_open_manual(ct_clock *clk)
{
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.clock_ms = ct_clock_read;
    o.clock_ctx = clk;
    o.manual_dispatch = 1;
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
    return m;
}

static inline void nt_advance(bgcopy_manager *m, ct_clock *clk, uint64_t ms)
{
    clk->ms += ms;
    bgcopy_manager_clock_changed(m);
}

/* Pump until nothing more is due within |quiet_ms|; returns the total. */
static inline uint32_t nt_drain(bgcopy_manager *m, uint32_t quiet_ms)
{
    uint32_t total = 0, n = 0;
    while (bgcopy_manager_pump(m, quiet_ms, &n) == BGCOPY_S_OK)
        total += n;
    return total;
}

#endif
