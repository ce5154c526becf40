/* Server errors: a 404 puts the job in ERROR with BG_E_HTTP_ERROR_404 and
 * leaves nothing at the destination; a ranged GET a server ignores gives
 * BG_E_INSUFFICIENT_RANGE_SUPPORT; an HTTP/1.1 server without Range works
 * for FOREGROUND jobs of <= 2 GB (one plain GET). */
#include "core_test.h"

#include <stdio.h>

static int dir_entries(const char *dir)
{
    int n = ts_dir_count(dir);
    CHECK_MSG(n >= 0, "cannot list %s", dir);
    return n;
}

static void test_404(bgcopy_manager *m, ts_server *srv, const char *dir)
{
    char *dest = ct_path(dir, "missing.bin");
    char *url = ts_url(srv, "/gen/1000?status=404");
    bgcopy_job *job = ct_new_job(m, "404");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);

    bgcopy_job_error e;
    CHECK_HR_OK(bgcopy_job_get_error(job, &e));
    CHECK_EQ_HR(e.code, BGCOPY_E_HTTP_ERROR(404));
    CHECK_EQ_HR(e.code, (bgcopy_hr)0x80190194);
    CHECK_EQ_INT(e.context, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_INT(e.file_index, 0);
    CHECK_EQ_STR(e.protocol, "http");
    CHECK_NOT_NULL(bgcopy_hr_description(e.code));
    CHECK_EQ_STR(bgcopy_hr_name(e.code), "BG_E_HTTP_ERROR_404");
    uint32_t count = 0;
    CHECK_HR_OK(bgcopy_job_get_error_count(job, &count));
    CHECK_EQ_INT(count, 1);
    CHECK(!ct_exists(dest));
    CHECK_EQ_INT(dir_entries(dir), 0);                      /* no temp file either */

    /* Completing a failed job keeps nothing: BG_S_PARTIAL_COMPLETE. */
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_PARTIAL_COMPLETE);
    CHECK(!ct_exists(dest));
    CHECK_EQ_INT(dir_entries(dir), 0);
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_range_ignored(bgcopy_manager *m, ts_server *srv, const char *dir)
{
    char *dest = ct_path(dir, "norange.bin");
    char *url = ts_url(srv, "/gen/%u?norange=1", 100000u);
    bgcopy_job *job = ct_new_job(m, "no range support");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));                     /* NORMAL: ranged GET */
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    bgcopy_job_error e;
    CHECK_HR_OK(bgcopy_job_get_error(job, &e));
    CHECK_EQ_HR(e.code, BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT);
    CHECK_EQ_INT(e.context, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    bgcopy_file_progress fp;
    CHECK_HR_OK(bgcopy_job_get_file_progress(job, 0, &fp));
    CHECK_EQ_U64(fp.bytes_total, 100000u);                  /* known to the error handler */
    CHECK_EQ_U64(fp.bytes_transferred, 0);

    /* The documented way out: FOREGROUND + Resume fetches it with one GET. */
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 100000u));
    char *log = ts_server_log(srv);
    CHECK_CONTAINS(log, "GET\t/gen/100000?norange=1\t-\t200");
    free(log);
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_bad_host(bgcopy_manager *m, const char *dir)
{
    /* A port nobody listens on: a transient error, retried later. */
    ts_server tmp;
    CHECK_EQ_INT(ts_server_start(&tmp, NULL), 0);
    char *url = ts_url(&tmp, "/gen/10");
    CHECK_EQ_INT(ts_server_stop(&tmp), 0);
    char *dest = ct_path(dir, "refused.bin");
    bgcopy_job *job = ct_new_job(m, "refused");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 20000);
    bgcopy_job_error e;
    CHECK_HR_OK(bgcopy_job_get_error(job, &e));
    CHECK_EQ_HR(e.code, BGCOPY_E_WINHTTP_CANNOT_CONNECT);
    CHECK_EQ_INT(e.context, BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT);
    CHECK_EQ_HR(bgcopy_job_cancel(job), BGCOPY_S_OK);
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    char *dir1 = ts_mkdtemp(), *dir2 = ts_mkdtemp(), *dir3 = ts_mkdtemp();
    test_404(m, &srv, dir1);
    test_range_ignored(m, &srv, dir2);
    test_bad_host(m, dir3);
    bgcopy_manager_close(m);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir1); ts_rmtree(dir2); ts_rmtree(dir3);
    free(dir1); free(dir2); free(dir3);
    printf("core_errors: ok\n");
    return 0;
}
