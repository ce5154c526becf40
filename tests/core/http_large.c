/* A resource larger than 4 GiB (5 GiB) comes through byte-exact at
 * FOREGROUND and at NORMAL priority: above 2 GB every priority fetches in
 * Range pieces of at most 2 GB (spec 6.8), so the server sees exactly three
 * ranged GETs per job.  64-bit offsets end to end.  Skipped (exit 77) only
 * when the temporary directory has less than 12 GiB free. */
#include "http_test.h"

#define SIZE 5368709120ull  /* 5 GiB */

static void one(bgcopy_manager *m, ts_server *srv, const char *dir, bgcopy_job_priority prio,
                const char *id)
{
    char *dest = ct_path(dir, "large.bin");
    char *url = ts_url(srv, "/gen/%llu?id=%s", (unsigned long long)SIZE, id);
    bgcopy_job *job = ct_new_job(m, id);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_priority(job, prio));
    uint64_t t0 = ts_now_ms();
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 500000);
    bgcopy_job_progress p;
    CHECK_HR_OK(bgcopy_job_get_progress(job, &p));
    CHECK_EQ_U64(p.bytes_total, SIZE);
    CHECK_EQ_U64(p.bytes_transferred, SIZE);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    printf("%s: 5 GiB in %llu ms\n", id, (unsigned long long)(ts_now_ms() - t0));
    char line[128];
    snprintf(line, sizeof line, "GET\t/gen/%llu?id=%s\tbytes=0-2147483647\t206",
             (unsigned long long)SIZE, id);
    CHECK_EQ_INT(ts_server_log_count(srv, line), 1);
    snprintf(line, sizeof line, "GET\t/gen/%llu?id=%s\tbytes=2147483648-4294967295\t206",
             (unsigned long long)SIZE, id);
    CHECK_EQ_INT(ts_server_log_count(srv, line), 1);
    snprintf(line, sizeof line, "GET\t/gen/%llu?id=%s\tbytes=4294967296-5368709119\t206",
             (unsigned long long)SIZE, id);
    CHECK_EQ_INT(ts_server_log_count(srv, line), 1);
    snprintf(line, sizeof line, "GET\t/gen/%llu?id=%s\t", (unsigned long long)SIZE, id);
    CHECK_EQ_INT(ts_server_log_count(srv, line), 3);
    CHECK(ts_file_matches_gen(dest, SIZE));
    CHECK_EQ_INT(ts_remove(dest), 0);                     /* free the space at once */
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

int main(void)
{
    char *dir = ts_mkdtemp();
    uv_fs_t req;
    CHECK_EQ_INT(uv_fs_statfs(NULL, &req, dir, NULL), 0);
    const uv_statfs_t *fs = req.ptr;
    uint64_t avail = fs->f_bavail * fs->f_bsize;
    uv_fs_req_cleanup(&req);
    if (avail < 12ull << 30) {
        printf("core_http_large: SKIPPED: %s has %llu MiB free, needs 12 GiB\n", dir,
               (unsigned long long)(avail >> 20));
        ts_rmtree(dir);
        free(dir);
        return 77;
    }
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    /* Sanitizers make 5 GiB cost ~50 s per job; one job is enough there
     * (FOREGROUND above 2 GB takes the same ranged path), both run in the
     * release build. */
    printf("core_http_large: sanitizer build: FOREGROUND case left to the release build\n");
#else
    one(m, &srv, dir, BGCOPY_JOB_PRIORITY_FOREGROUND, "fg");
#endif
    one(m, &srv, dir, BGCOPY_JOB_PRIORITY_NORMAL, "normal");
    bgcopy_manager_close(m);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_http_large: ok\n");
    return 0;
}
