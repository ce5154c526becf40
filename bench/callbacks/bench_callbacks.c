/*
 * bench_callbacks.c - notification latency and rate of the dispatcher.
 *
 * Latency: N jobs, one after the other, each with one small file from
 * bgcopy-testserver.  For each, the time from the loop thread recording
 * that the file finished (bgc_notify_file_done, which precedes the job
 * entering TRANSFERRED) to JobTransferred entering the sink, both with
 * uv_hrtime().  This includes the scheduler marking the job TRANSFERRED,
 * waking a dispatcher thread and its look at the ready list.
 *
 * Rate: N jobs resumed together; JobTransferred callbacks per second from
 * the first callback to the last.
 *
 * Usage: bgcopy-bench-callbacks [jobs=1000] [file_bytes=100]
 */
#include "internal.h"

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#define BENCH_SEP "\\"
#else
#define BENCH_SEP "/"
#endif

typedef struct sink {
    uv_mutex_t mu;
    uv_cond_t cv;
    uint64_t *lat_ns;            /* file finished -> sink */
    uint64_t *disp_ns;           /* job marked TRANSFERRED -> sink (FILETIME, 100 ns) */
    size_t n;
    uint64_t first_ns, last_ns;
} sink;

static bgcopy_hr on_transferred(void *ctx, bgcopy_job *job)
{
    uint64_t t = uv_hrtime();
    uint64_t wall = bgc_filetime_now();
    sink *s = ctx;
    uv_mutex_lock(&job->m->lock);
    uint64_t done = job->file_done_ns;
    uint64_t marked = job->times.transfer_completion_time;
    uv_mutex_unlock(&job->m->lock);
    (void)bgcopy_job_complete(job);
    uv_mutex_lock(&s->mu);
    s->disp_ns[s->n] = wall > marked ? (wall - marked) * 100u : 0;
    s->lat_ns[s->n++] = t - done;
    if (!s->first_ns)
        s->first_ns = t;
    s->last_ns = t;
    uv_cond_broadcast(&s->cv);
    uv_mutex_unlock(&s->mu);
    return BGCOPY_S_OK;
}

static const bgcopy_notify_callbacks CB = {.job_transferred = on_transferred};

/* Dispatch only: count and return. */
static bgcopy_hr on_transferred_count(void *ctx, bgcopy_job *job)
{
    (void)job;
    uint64_t t = uv_hrtime();
    sink *s = ctx;
    uv_mutex_lock(&s->mu);
    if (!s->first_ns)
        s->first_ns = t;
    s->last_ns = t;
    s->n++;
    uv_cond_broadcast(&s->cv);
    uv_mutex_unlock(&s->mu);
    return BGCOPY_S_OK;
}

static const bgcopy_notify_callbacks CB_COUNT = {.job_transferred = on_transferred_count};

static int all_transferred(void *arg)
{
    bgcopy_job **jobs = arg;
    for (size_t i = 0; jobs[i]; i++) {
        bgcopy_job_state st;
        if (bgcopy_job_get_state(jobs[i], &st) != BGCOPY_S_OK || st != BGCOPY_JOB_STATE_TRANSFERRED)
            return 0;
    }
    return 1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void wait_count(sink *s, size_t want)
{
    uv_mutex_lock(&s->mu);
    while (s->n < want)
        uv_cond_wait(&s->cv, &s->mu);
    uv_mutex_unlock(&s->mu);
}

static bgcopy_job *make_job(bgcopy_manager *m, const char *url, const char *dir, size_t i, sink *s)
{
    char dest[4096];
    snprintf(dest, sizeof dest, "%s" BENCH_SEP "f%zu.bin", dir, i);
    bgcopy_job *job = NULL;
    if (bgcopy_manager_create_job(m, "bench", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job) != BGCOPY_S_OK ||
        bgcopy_job_add_file(job, url, dest) != BGCOPY_S_OK ||
        bgcopy_job_set_notify(job, &CB, s) != BGCOPY_S_OK) {
        fprintf(stderr, "job setup failed\n");
        exit(1);
    }
    return job;
}

static double pct(const uint64_t *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return (double)v[i] / 1000.0;
}

int main(int argc, char **argv)
{
    size_t jobs = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    unsigned bytes = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 100;
    if (jobs < 1)
        jobs = 1;
    ts_server srv;
    if (ts_server_start(&srv, NULL) != 0) {
        fprintf(stderr, "cannot start bgcopy-testserver\n");
        return 1;
    }
    char *dir = ts_mkdtemp();
    char *url = ts_url(&srv, "/gen/%u", bytes);
    bgcopy_manager *m = NULL;
    /* In memory: this measures callbacks; the queue's cost is bench/store's. */
    bgcopy_manager_options mo;
    memset(&mo, 0, sizeof mo);
    mo.queue = BGCOPY_QUEUE_IN_MEMORY;
    if (!dir || !url || bgcopy_manager_open(&mo, &m) != BGCOPY_S_OK)
        return 1;
    sink s;
    memset(&s, 0, sizeof s);
    if (uv_mutex_init(&s.mu) != 0 || uv_cond_init(&s.cv) != 0)
        return 1;
    s.lat_ns = calloc(jobs, sizeof *s.lat_ns);
    s.disp_ns = calloc(jobs, sizeof *s.disp_ns);

    /* Latency: one job at a time. */
    for (size_t i = 0; i < jobs; i++) {
        bgcopy_job *job = make_job(m, url, dir, i, &s);
        bgcopy_job_resume(job);
        wait_count(&s, i + 1);
        bgcopy_job_release(job);
    }
    qsort(s.lat_ns, jobs, sizeof *s.lat_ns, cmp_u64);
    double med = pct(s.lat_ns, jobs, 0.5), p90 = pct(s.lat_ns, jobs, 0.9),
           p99 = pct(s.lat_ns, jobs, 0.99), mx = (double)s.lat_ns[jobs - 1] / 1000.0;
    qsort(s.disp_ns, jobs, sizeof *s.disp_ns, cmp_u64);
    double dmed = pct(s.disp_ns, jobs, 0.5), dp99 = pct(s.disp_ns, jobs, 0.99);

    /* Rate: all at once. */
    s.n = 0;
    s.first_ns = s.last_ns = 0;
    bgcopy_job **all = calloc(jobs, sizeof *all);
    for (size_t i = 0; i < jobs; i++)
        all[i] = make_job(m, url, dir, jobs + i, &s);
    uint64_t t0 = uv_hrtime();
    for (size_t i = 0; i < jobs; i++)
        bgcopy_job_resume(all[i]);
    wait_count(&s, jobs);
    uint64_t t1 = uv_hrtime();
    double span = (double)(s.last_ns - s.first_ns) / 1e9;
    double rate = span > 0 ? (double)(jobs - 1) / span : 0;
    double jobs_rate = (double)jobs / ((double)(t1 - t0) / 1e9);
    for (size_t i = 0; i < jobs; i++)
        bgcopy_job_release(all[i]);

    /* Dispatch only: jobs already TRANSFERRED, sinks registered at once
     * (level-triggered delivery), callbacks that just return. */
    bgcopy_job **idle = calloc(jobs + 1, sizeof *idle);
    for (size_t i = 0; i < jobs; i++) {
        idle[i] = make_job(m, url, dir, 2 * jobs + i, &s);
        bgcopy_job_set_notify(idle[i], NULL, NULL);
        bgcopy_job_resume(idle[i]);
    }
    if (!ts_wait_until(all_transferred, idle, 120000)) {
        fprintf(stderr, "jobs did not finish\n");
        return 1;
    }
    s.n = 0;
    s.first_ns = s.last_ns = 0;
    uint64_t r0 = uv_hrtime();
    for (size_t i = 0; i < jobs; i++)
        bgcopy_job_set_notify(idle[i], &CB_COUNT, &s);
    wait_count(&s, jobs);
    double pure = (double)jobs / ((double)(s.last_ns - r0) / 1e9);
    for (size_t i = 0; i < jobs; i++) {
        bgcopy_job_cancel(idle[i]);
        bgcopy_job_release(idle[i]);
    }
    free(idle);
    free(all);

    printf("bgcopy callback benchmark: %zu jobs, %u-byte files, dispatcher threads\n", jobs, bytes);
    printf("+--------------------------------------------------+--------------+\n");
    printf("| file finished -> JobTransferred in sink, median  | %9.1f us |\n", med);
    printf("| file finished -> JobTransferred in sink, p90     | %9.1f us |\n", p90);
    printf("| file finished -> JobTransferred in sink, p99     | %9.1f us |\n", p99);
    printf("| file finished -> JobTransferred in sink, max     | %9.1f us |\n", mx);
    printf("| TRANSFERRED marked -> sink (wall clock), median  | %9.1f us |\n", dmed);
    printf("| TRANSFERRED marked -> sink (wall clock), p99     | %9.1f us |\n", dp99);
    printf("| JobTransferred callbacks per second (all queued) | %9.0f /s |\n", rate);
    printf("| jobs resumed together -> all notified, jobs/s    | %9.0f /s |\n", jobs_rate);
    printf("| dispatch only (already TRANSFERRED), callbacks/s | %9.0f /s |\n", pure);
    printf("+--------------------------------------------------+--------------+\n");
    printf("target p99 < 1000 us: %s\n", p99 < 1000.0 ? "met" : "NOT met");

    bgcopy_manager_close(m);
    ts_rmtree(dir);
    free(dir);
    free(url);
    free(s.lat_ns);
    free(s.disp_ns);
    uv_cond_destroy(&s.cv);
    uv_mutex_destroy(&s.mu);
    ts_server_stop(&srv);
    return 0;
}
