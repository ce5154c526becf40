/*
 * bench_scale.c - what one event costs when the queue holds many jobs
 * (issue 11).  Public API only (bgcopy.h), so the same source measures any
 * tree.  No network traffic: sources are a local file, the one blocker job
 * talks to a 127.0.0.1 socket that never answers.
 *
 *  a) dispatch: N jobs with a JobModification sink.  Each round makes a
 *     modification pending on every job while the injected clock holds them
 *     inside BITS's 500 ms spacing, then moves the clock 1 s on
 *     (bgcopy_manager_clock_changed): N callbacks become due at once.
 *     Delivered callbacks per second, from the clock change to the last
 *     callback entering the sink, with the four dispatcher threads.
 *  b) create + AddFile + Resume, microseconds per job, for M new LOW jobs
 *     on a queue holding only a HIGH blocker, then on a queue holding
 *     N more suspended jobs.  The blocker keeps every new job queued (one
 *     background job runs at a time), so Resume costs its scheduler pass
 *     and nothing else.
 *  c) Cancel: N suspended jobs (one file each) cancelled in creation order;
 *     the time to cancel each tenth of them, to show linearity.
 *
 * Every figure is the median over R runs (a fresh manager each run).
 *
 * Usage: bgcopy-bench-scale [rounds=5] [max_jobs=100000] [parts=abc]
 */
#include "bgcopy.h"

#include <uv.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#define SEP "\\"
#else
#define SEP "/"
#endif

#define MAX_ROUNDS 50

static atomic_uint_fast64_t clock_now;

static uint64_t bench_clock(void *ctx)
{
    (void)ctx;
    return atomic_load(&clock_now);
}

static void die(const char *what, bgcopy_hr hr)
{
    fprintf(stderr, "bench-scale: %s failed: 0x%08x\n", what, (unsigned)hr);
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ------------------------------------------------------------- a) dispatch */

typedef struct counter {
    uv_mutex_t mu;
    uv_cond_t cv;
    uint64_t n, target, last_ns;
} counter;

static bgcopy_hr on_modification(void *ctx, bgcopy_job *job)
{
    (void)job;
    counter *c = ctx;
    uint64_t t = uv_hrtime();
    uv_mutex_lock(&c->mu);
    c->last_ns = t;
    if (++c->n >= c->target)
        uv_cond_signal(&c->cv);
    uv_mutex_unlock(&c->mu);
    return BGCOPY_S_OK;
}

static void wait_count(counter *c, uint64_t target)
{
    uv_mutex_lock(&c->mu);
    c->target = target;
    while (c->n < target)
        uv_cond_wait(&c->cv, &c->mu);
    uv_mutex_unlock(&c->mu);
}

/* The policy file make_source writes: it raises MaxJobsPerUser past Windows's 60
 * (docs/policy.md), since every part queues thousands of jobs. */
static char policy[1100];

/* Callbacks per second for one manager with |n| jobs, |rounds| rounds. */
static double dispatch_rate(size_t n, int rounds)
{
    atomic_store(&clock_now, 1000000);
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.clock_ms = bench_clock;
    o.policy_file = policy;
    bgcopy_manager *m;
    bgcopy_hr hr = bgcopy_manager_open(&o, &m);
    if (hr != BGCOPY_S_OK)
        die("bgcopy_manager_open", hr);
    counter c;
    memset(&c, 0, sizeof c);
    uv_mutex_init(&c.mu);
    uv_cond_init(&c.cv);
    bgcopy_notify_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.job_modification = on_modification;
    bgcopy_job **jobs = malloc(n * sizeof *jobs);
    if (!jobs)
        die("malloc", BGCOPY_E_OUTOFMEMORY);
    for (size_t i = 0; i < n; i++) {
        if ((hr = bgcopy_manager_create_job(m, "scale", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &jobs[i])) ||
            (hr = bgcopy_job_set_notify(jobs[i], &cb, &c)) ||
            (hr = bgcopy_job_set_notify_flags(jobs[i], BGCOPY_NOTIFY_JOB_MODIFICATION)))
            die("job setup", hr);
    }
    /* The sink first: a modification made while nobody listens is dropped.
     * SetNotifyFlags is the first modification heard: due at once. */
    wait_count(&c, n);
    double rates[MAX_ROUNDS];
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < n; i++)
            if ((hr = bgcopy_job_set_description(jobs[i], r % 2 ? "a" : "b")) != BGCOPY_S_OK)
                die("bgcopy_job_set_description", hr);
        uv_sleep(200);               /* let the dispatchers file them (not due yet) */
        uint64_t base = c.n;
        atomic_fetch_add(&clock_now, 1000);
        uint64_t t0 = uv_hrtime();
        bgcopy_manager_clock_changed(m);
        wait_count(&c, base + n);
        rates[r] = (double)n / ((double)(c.last_ns - t0) / 1e9);
    }
    for (size_t i = 0; i < n; i++)
        bgcopy_job_release(jobs[i]);
    free(jobs);
    bgcopy_manager_close(m);
    uv_cond_destroy(&c.cv);
    uv_mutex_destroy(&c.mu);
    return median(rates, rounds);
}

/* ---------------------------------------------------------- shared set-up */

static char dir[1024];
static char source[1100];

static void make_source(void)
{
    size_t len = sizeof dir;
    if (uv_os_tmpdir(dir, &len) != 0)
        die("uv_os_tmpdir", BGCOPY_E_FAIL);
    snprintf(dir + strlen(dir), sizeof dir - strlen(dir), SEP "bgcopy-bench-scale-XXXXXX");
    uv_fs_t req;
    if (uv_fs_mkdtemp(NULL, &req, dir, NULL) < 0)
        die("uv_fs_mkdtemp", BGCOPY_E_FAIL);
    snprintf(dir, sizeof dir, "%s", req.path);
    uv_fs_req_cleanup(&req);
    snprintf(source, sizeof source, "%s" SEP "source", dir);
    int fd = uv_fs_open(NULL, &req, source, UV_FS_O_CREAT | UV_FS_O_WRONLY, 0644, NULL);
    uv_fs_req_cleanup(&req);
    if (fd < 0)
        die("creating the source file", BGCOPY_E_FAIL);
    char bytes[64] = "bgcopy scale benchmark\n";
    uv_buf_t b = uv_buf_init(bytes, sizeof bytes);
    (void)uv_fs_write(NULL, &req, fd, &b, 1, 0, NULL);
    uv_fs_req_cleanup(&req);
    uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
    snprintf(policy, sizeof policy, "%s" SEP "bgcopy.conf", dir);
    fd = uv_fs_open(NULL, &req, policy, UV_FS_O_CREAT | UV_FS_O_WRONLY, 0644, NULL);
    uv_fs_req_cleanup(&req);
    if (fd < 0)
        die("creating the policy file", BGCOPY_E_FAIL);
    char conf[] = "[BITS]\nMaxJobsPerUser = 999999\n";
    b = uv_buf_init(conf, sizeof conf - 1);
    (void)uv_fs_write(NULL, &req, fd, &b, 1, 0, NULL);
    uv_fs_req_cleanup(&req);
    uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
}

static void remove_source(void)
{
    uv_fs_t req;
    uv_fs_unlink(NULL, &req, source, NULL);
    uv_fs_req_cleanup(&req);
    uv_fs_unlink(NULL, &req, policy, NULL);
    uv_fs_req_cleanup(&req);
    uv_fs_rmdir(NULL, &req, dir, NULL);
    uv_fs_req_cleanup(&req);
}

/* A job with one file from the local source (never transferred here). */
static bgcopy_job *new_job(bgcopy_manager *m, size_t i, bgcopy_job_priority p, int resume)
{
    char local[1200];
    snprintf(local, sizeof local, "%s" SEP "out-%zu", dir, i);
    bgcopy_job *job;
    bgcopy_hr hr = bgcopy_manager_create_job(m, "scale", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job);
    if (hr == BGCOPY_S_OK)
        hr = bgcopy_job_add_file(job, source, local);
    if (hr == BGCOPY_S_OK && p != BGCOPY_JOB_PRIORITY_NORMAL)
        hr = bgcopy_job_set_priority(job, p);
    if (hr == BGCOPY_S_OK && resume)
        hr = bgcopy_job_resume(job);
    if (hr != BGCOPY_S_OK)
        die("create + AddFile + Resume", hr);
    return job;
}

/* ------------------------------------------------- b) create + AddFile + Resume */

/* A socket on 127.0.0.1 that completes handshakes (the kernel's backlog)
 * and never answers: the blocker's HEAD waits on it. */
static uv_loop_t silent_loop;
static uv_tcp_t silent;

static int silent_server(void)
{
    struct sockaddr_in a;
    uv_ip4_addr("127.0.0.1", 0, &a);
    if (uv_loop_init(&silent_loop) || uv_tcp_init(&silent_loop, &silent) ||
        uv_tcp_bind(&silent, (const struct sockaddr *)&a, 0) || uv_listen((uv_stream_t *)&silent, 128, NULL))
        die("the silent server", BGCOPY_E_FAIL);
    struct sockaddr_storage s;
    int len = sizeof s;
    uv_tcp_getsockname(&silent, (struct sockaddr *)&s, &len);
    return ntohs(((struct sockaddr_in *)&s)->sin_port);
}

/* Median microseconds per job of create + AddFile + Resume of |count| LOW
 * jobs behind a blocker, with |population| suspended jobs queued first;
 * *mean: the whole batch's time per job (Resume only wakes the scheduler,
 * whose pass then competes for the lock with the next calls). */
static double create_cost(size_t population, size_t count, int port, double *mean)
{
    bgcopy_manager_options o = {.policy_file = policy};
    bgcopy_manager *m;
    bgcopy_hr hr = bgcopy_manager_open(&o, &m);
    if (hr != BGCOPY_S_OK)
        die("bgcopy_manager_open", hr);
    char url[64], local[1200];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/never", port);
    snprintf(local, sizeof local, "%s" SEP "blocker", dir);
    bgcopy_job *blocker;
    if ((hr = bgcopy_manager_create_job(m, "blocker", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &blocker)) ||
        (hr = bgcopy_job_add_file(blocker, url, local)) ||
        (hr = bgcopy_job_set_priority(blocker, BGCOPY_JOB_PRIORITY_HIGH)) || (hr = bgcopy_job_resume(blocker)))
        die("the blocker", hr);
    for (size_t i = 0; i < population; i++)
        bgcopy_job_release(new_job(m, i, BGCOPY_JOB_PRIORITY_LOW, 0));
    uv_sleep(100);
    double *us = malloc(count * sizeof *us);
    if (!us)
        die("malloc", BGCOPY_E_OUTOFMEMORY);
    uint64_t start = uv_hrtime();
    for (size_t i = 0; i < count; i++) {
        uint64_t t0 = uv_hrtime();
        bgcopy_job *job = new_job(m, population + i, BGCOPY_JOB_PRIORITY_LOW, 1);
        us[i] = (double)(uv_hrtime() - t0) / 1e3;
        bgcopy_job_release(job);
    }
    *mean = (double)(uv_hrtime() - start) / 1e3 / (double)count;
    double med = median(us, (int)count);
    free(us);
    bgcopy_job_release(blocker);
    bgcopy_manager_close(m);
    return med;
}

/* -------------------------------------------------------------- c) cancel */

#define TENTHS 10

/* Microseconds to cancel each tenth of |n| suspended jobs (out[TENTHS]). */
static void cancel_cost(size_t n, double *out)
{
    bgcopy_manager_options o = {.policy_file = policy};
    bgcopy_manager *m;
    bgcopy_hr hr = bgcopy_manager_open(&o, &m);
    if (hr != BGCOPY_S_OK)
        die("bgcopy_manager_open", hr);
    bgcopy_job **jobs = malloc(n * sizeof *jobs);
    if (!jobs)
        die("malloc", BGCOPY_E_OUTOFMEMORY);
    for (size_t i = 0; i < n; i++)
        jobs[i] = new_job(m, i, BGCOPY_JOB_PRIORITY_NORMAL, 0);
    uv_sleep(100);
    uint64_t t = uv_hrtime();
    for (int k = 0; k < TENTHS; k++) {
        size_t end = n * (size_t)(k + 1) / TENTHS;
        for (size_t i = n * (size_t)k / TENTHS; i < end; i++) {
            if ((hr = bgcopy_job_cancel(jobs[i])) != BGCOPY_S_OK)
                die("bgcopy_job_cancel", hr);
            bgcopy_job_release(jobs[i]);
        }
        uint64_t now = uv_hrtime();
        out[k] = (double)(now - t) / 1e3;
        t = now;
    }
    free(jobs);
    bgcopy_manager_close(m);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    size_t max_jobs = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 100000;
    const char *parts = argc > 3 ? argv[3] : "abc";
    if (rounds < 1 || rounds > MAX_ROUNDS || max_jobs < 1000) {
        fprintf(stderr, "usage: bgcopy-bench-scale [rounds 1-%d] [max_jobs >= 1000] [parts=abc]\n", MAX_ROUNDS);
        return 2;
    }
    make_source();

    if (strchr(parts, 'a')) {
        printf("## a) dispatch: JobModification callbacks/s (median of %d rounds)\n\n", rounds);
        printf("| jobs | callbacks/s |\n|---:|---:|\n");
        for (size_t n = 1000; n <= max_jobs; n *= 10) {
            printf("| %zu | %.0f |\n", n, dispatch_rate(n, rounds));
            fflush(stdout);
        }
        printf("\n");
    }
    if (strchr(parts, 'b')) {
        int port = silent_server();
        printf("## b) create + AddFile + Resume of 1000 LOW jobs behind a blocker (median of %d runs)\n\n",
               rounds);
        printf("| jobs already queued | us/job, median | us/job, batch mean |\n|---:|---:|---:|\n");
        size_t pops[2] = {0, max_jobs};
        for (int p = 0; p < 2; p++) {
            double v[MAX_ROUNDS], w[MAX_ROUNDS];
            for (int r = 0; r < rounds; r++)
                v[r] = create_cost(pops[p], 1000, port, &w[r]);
            printf("| %zu | %.1f | %.1f |\n", pops[p], median(v, rounds), median(w, rounds));
            fflush(stdout);
        }
        printf("\n");
        uv_close((uv_handle_t *)&silent, NULL);
        uv_run(&silent_loop, UV_RUN_DEFAULT);
        uv_loop_close(&silent_loop);
    }
    if (strchr(parts, 'c')) {
        double v[TENTHS][MAX_ROUNDS];
        for (int r = 0; r < rounds; r++) {
            double out[TENTHS];
            cancel_cost(max_jobs, out);
            for (int k = 0; k < TENTHS; k++)
                v[k][r] = out[k];
        }
        printf("## c) Cancel %zu suspended jobs in creation order (median of %d runs)\n\n", max_jobs, rounds);
        printf("| cancelled so far | this tenth, ms | us/job in this tenth | total, ms |\n|---:|---:|---:|---:|\n");
        double total = 0;
        for (int k = 0; k < TENTHS; k++) {
            double t = median(v[k], rounds);
            total += t;
            printf("| %zu | %.1f | %.2f | %.1f |\n", max_jobs * (size_t)(k + 1) / TENTHS, t / 1e3,
                   t / (double)(max_jobs / TENTHS), total / 1e3);
        }
        printf("\n");
    }
    remove_source();
    return 0;
}
