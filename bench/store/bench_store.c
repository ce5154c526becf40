/*
 * bench_store.c - what the persistent queue costs an API caller
 * (docs/persistence.md, "Costs"): CreateJob, AddFile and Resume, each
 * committed before it returns, against the same calls on an in-memory
 * queue.  Public API only.
 *
 *   bgcopy-bench-store [jobs]     (default 1000; the queue goes into a
 *                                  fresh directory under the system's
 *                                  temporary directory, removed after; the
 *                                  local files are never created)
 *
 * Prints the median and 99th percentile of each call in microseconds.  The
 * files point at 127.0.0.1 port 9 with a one-hour retry delay, so no
 * transfer adds work of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bgcopy.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *ns, int n)
{
    qsort(ns, (size_t)n, sizeof *ns, cmp_u64);
    printf("  %-10s median %8.1f us   p99 %8.1f us\n", what, ns[n / 2] / 1000.0,
           ns[(n * 99) / 100] / 1000.0);
}

static int run(const char *label, int queue, const char *dir, int n)
{
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.state_dir = dir;
    o.queue = queue;
    bgcopy_manager *m = NULL;
    bgcopy_hr hr = bgcopy_manager_open(&o, &m);
    if (BGCOPY_FAILED(hr)) {
        fprintf(stderr, "open: 0x%08x\n", (unsigned)hr);
        return 1;
    }
    uint64_t *t[3];
    for (int k = 0; k < 3; k++)
        t[k] = calloc((size_t)n, sizeof **t);
    char local[4200];
    for (int i = 0; i < n; i++) {
        bgcopy_job *job = NULL;
        uint64_t a = uv_hrtime();
        hr = bgcopy_manager_create_job(m, "bench", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job);
        uint64_t b = uv_hrtime();
        if (BGCOPY_FAILED(hr) || BGCOPY_FAILED(bgcopy_job_set_minimum_retry_delay(job, 3600)))
            return 1;
        snprintf(local, sizeof local, "%s/f%d.bin", dir, i);
        uint64_t c = uv_hrtime();
        hr = bgcopy_job_add_file(job, "http://127.0.0.1:9/x", local);
        uint64_t d = uv_hrtime();
        if (BGCOPY_FAILED(hr))
            return 1;
        uint64_t e = uv_hrtime();
        hr = bgcopy_job_resume(job);
        uint64_t f = uv_hrtime();
        if (BGCOPY_FAILED(hr))
            return 1;
        t[0][i] = b - a;
        t[1][i] = d - c;
        t[2][i] = f - e;
        bgcopy_job_release(job);
    }
    printf("%s (%d jobs)\n", label, n);
    report("CreateJob", t[0], n);
    report("AddFile", t[1], n);
    report("Resume", t[2], n);
    for (int k = 0; k < 3; k++)
        free(t[k]);
    bgcopy_manager_close(m);
    return 0;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    if (n < 1 || n > 100000)
        n = 1000;
    char tmp[4096];
    size_t len = sizeof tmp;
    if (uv_os_tmpdir(tmp, &len) != 0)
        return 1;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/bgcopy-bench-store-XXXXXX", tmp);
    uv_fs_t req;
    if (uv_fs_mkdtemp(NULL, &req, dir, NULL) != 0)
        return 1;
    snprintf(dir, sizeof dir, "%s", req.path);
    uv_fs_req_cleanup(&req);
    int rc = run("in-memory queue", BGCOPY_QUEUE_IN_MEMORY, dir, n);
    char qdir[4300];
    snprintf(qdir, sizeof qdir, "%s/queue", dir);
    if (rc == 0)
        rc = run("persistent queue (WAL, synchronous=NORMAL)", BGCOPY_QUEUE_PERSISTENT, qdir, n);
    /* What this program created, by name: the queue's files, the dirs. */
    static const char *const names[] = { "queue.db", "queue.db-wal", "queue.db-shm",
                                         "queue.lock" };
    char path[4400];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", qdir, names[i]);
        (void)uv_fs_unlink(NULL, &req, path, NULL);
        uv_fs_req_cleanup(&req);
    }
    (void)uv_fs_rmdir(NULL, &req, qdir, NULL);
    uv_fs_req_cleanup(&req);
    (void)uv_fs_rmdir(NULL, &req, dir, NULL);
    uv_fs_req_cleanup(&req);
    return rc;
}
