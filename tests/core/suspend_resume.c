/* Suspend during a transfer keeps the bytes on disk; Resume continues from
 * them with a Range request (seen in the server's log), not from zero. */
#include "core_test.h"

#include <stdio.h>

#define SIZE (6u * 1024u * 1024u)

typedef struct { bgcopy_job *job; uint64_t at_least; } progress_wait;

static int has_progress(void *arg)
{
    progress_wait *w = arg;
    bgcopy_job_progress p;
    return bgcopy_job_get_progress(w->job, &p) == BGCOPY_S_OK && p.bytes_transferred >= w->at_least;
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    char *dest = ct_path(dir, "resumed.bin");
    char *url = ts_url(&srv, "/gen/%u?rate=%u", SIZE, 2u * 1024u * 1024u);

    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    bgcopy_job *job = ct_new_job(m, "suspend and resume");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));

    progress_wait w = {job, 1024u * 1024u};
    CHECK(ts_wait_until(has_progress, &w, 20000));
    CHECK_HR_OK(bgcopy_job_suspend(job));
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_SUSPENDED);
    CHECK_HR_OK(bgcopy_job_suspend(job));                  /* S_OK when already suspended */

    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    uint64_t kept = fi.progress.bytes_transferred;
    CHECK_GE_U64(kept, 1024u * 1024u);
    CHECK_LT_U64(kept, SIZE);
    /* Suspend returns once the transfer stopped: the count is what is on
     * disk, and stays put. */
    CHECK_EQ_I64(ts_file_size(fi.temporary_name), (int64_t)kept);
    ts_sleep_ms(300);
    bgcopy_job_progress p;
    CHECK_HR_OK(bgcopy_job_get_progress(job, &p));
    CHECK_EQ_U64(p.bytes_transferred, kept);
    CHECK(!ct_exists(dest));

    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    CHECK(ts_file_matches_gen(fi.temporary_name, SIZE));

    /* The second GET asked for the rest only. */
    char needle[64];
    snprintf(needle, sizeof needle, "\tbytes=%llu-", (unsigned long long)kept);
    CHECK_EQ_INT(ts_server_log_count(&srv, needle), 1);
    CHECK_EQ_INT(ts_server_log_count(&srv, "\tbytes=0-"), 1);   /* the first GET */

    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, SIZE));

    bgcopy_file_info_clear(&fi);
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(url);
    free(dest);
    free(dir);
    printf("core_suspend_resume: ok\n");
    return 0;
}
