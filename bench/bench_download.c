/*
 * bench_download.c - the bgcopy client of bench/download.sh: one download
 * job through the native API, timed from process start to exit like curl.
 *
 *   bench-download PRIORITY URL LOCAL_PATH
 *     PRIORITY    FOREGROUND, HIGH, NORMAL or LOW (bgcopy_job_set_priority)
 *     URL         http(s):// URL of the resource
 *     LOCAL_PATH  absolute destination path (its directory must exist)
 *   Exit status 0 when the job reached TRANSFERRED and Complete kept the
 *   file, 1 on any failure (the job error is printed), 2 on bad usage.
 *
 * Why not bitsadmin /transfer: it watches the job by polling its state every
 * 100 ms, which adds 50 ms on average to every run, about 5% of a 1 GiB
 * download here and as much as the difference being measured.  This client
 * waits for the JobTransferred / JobError callbacks instead (the way BITS
 * applications are meant to wait), so the time is that of the library.
 *
 * Single-threaded apart from the manager's own threads; the callbacks run on
 * the dispatcher thread and hand the outcome over under a mutex (libuv's, as
 * everywhere in bgcopy, so the program builds for Windows too).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "bgcopy.h"

/* Longest wait for the job; a benchmark run that takes longer is broken. */
#define BENCH_TIMEOUT_S 1800

typedef struct outcome {
    uv_mutex_t lock;
    uv_cond_t changed;
    int done;           /* 1: transferred, -1: error */
    bgcopy_job_error error;
} outcome;

static bgcopy_hr on_transferred(void *ctx, bgcopy_job *job)
{
    (void)job;
    outcome *o = ctx;
    uv_mutex_lock(&o->lock);
    o->done = 1;
    uv_cond_signal(&o->changed);
    uv_mutex_unlock(&o->lock);
    return BGCOPY_S_OK;
}

static bgcopy_hr on_error(void *ctx, bgcopy_job *job, const bgcopy_job_error *error)
{
    (void)job;
    outcome *o = ctx;
    uv_mutex_lock(&o->lock);
    o->done = -1;
    o->error = *error;
    uv_cond_signal(&o->changed);
    uv_mutex_unlock(&o->lock);
    return BGCOPY_S_OK;
}

static int parse_priority(const char *s, bgcopy_job_priority *out)
{
    static const struct { const char *name; bgcopy_job_priority p; } names[] = {
        { "FOREGROUND", BGCOPY_JOB_PRIORITY_FOREGROUND },
        { "HIGH", BGCOPY_JOB_PRIORITY_HIGH },
        { "NORMAL", BGCOPY_JOB_PRIORITY_NORMAL },
        { "LOW", BGCOPY_JOB_PRIORITY_LOW },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].p;
            return 0;
        }
    }
    return -1;
}

#define CHECK(call)                                                                            \
    do {                                                                                       \
        hr = (call);                                                                           \
        if (hr != BGCOPY_S_OK) {                                                               \
            fprintf(stderr, "bench-download: %s: 0x%08x\n", #call, (unsigned)hr);              \
            goto out;                                                                          \
        }                                                                                      \
    } while (0)

int main(int argc, char **argv)
{
    bgcopy_job_priority prio;
    if (argc != 4 || parse_priority(argv[1], &prio) != 0) {
        fprintf(stderr, "usage: bench-download FOREGROUND|HIGH|NORMAL|LOW URL LOCAL_PATH\n");
        return 2;
    }
    outcome o;
    memset(&o, 0, sizeof o);
    if (uv_mutex_init(&o.lock) != 0 || uv_cond_init(&o.changed) != 0) {
        fprintf(stderr, "bench-download: cannot create a mutex\n");
        return 1;
    }
    int status = 1;
    bgcopy_hr hr;
    bgcopy_manager *m = NULL;
    bgcopy_job *job = NULL;
    bgcopy_notify_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.job_transferred = on_transferred;
    cb.job_error = on_error;

    /* In memory: this measures transfers; the queue's cost is bench/store's. */
    bgcopy_manager_options mo;
    memset(&mo, 0, sizeof mo);
    mo.queue = BGCOPY_QUEUE_IN_MEMORY;
    CHECK(bgcopy_manager_open(&mo, &m));
    CHECK(bgcopy_manager_create_job(m, "bench-download", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job));
    CHECK(bgcopy_job_set_priority(job, prio));
    CHECK(bgcopy_job_add_file(job, argv[2], argv[3]));
    CHECK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_JOB_TRANSFERRED | BGCOPY_NOTIFY_JOB_ERROR));
    CHECK(bgcopy_job_set_notify(job, &cb, &o));
    CHECK(bgcopy_job_resume(job));

    /* uv_cond_timedwait takes a relative timeout: recompute it after each
     * wake-up (spurious or not) from one fixed deadline. */
    uint64_t deadline = uv_hrtime() + (uint64_t)BENCH_TIMEOUT_S * 1000000000u;
    uv_mutex_lock(&o.lock);
    while (o.done == 0) {
        uint64_t now = uv_hrtime();
        if (now >= deadline || uv_cond_timedwait(&o.changed, &o.lock, deadline - now) == UV_ETIMEDOUT)
            break;
    }
    int done = o.done;
    bgcopy_job_error err = o.error;
    uv_mutex_unlock(&o.lock);

    if (done == 1) {
        CHECK(bgcopy_job_complete(job));
        status = 0;
    } else {
        if (done == -1)
            fprintf(stderr, "bench-download: job error 0x%08x, context %d\n", (unsigned)err.code,
                    (int)err.context);
        else
            fprintf(stderr, "bench-download: no outcome after %d s\n", BENCH_TIMEOUT_S);
        (void)bgcopy_job_cancel(job);
    }
out:
    if (job != NULL)
        bgcopy_job_release(job);
    bgcopy_manager_close(m);
    uv_cond_destroy(&o.changed);
    uv_mutex_destroy(&o.lock);
    return status;
}
