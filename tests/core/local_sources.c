/* Local sources: a plain absolute path and a file:// URL (file:///C:/... on
 * Windows); a missing source fails with ERROR_FILE_NOT_FOUND.  One
 * destination is written with '/' even on Windows, where bgcopy accepts
 * both separators. */
#include "core_test.h"

#include <stdio.h>

#define SIZE (2u * 1024u * 1024u + 3u)

static void fetch(bgcopy_manager *m, const char *remote, const char *dest)
{
    bgcopy_job *job = ct_new_job(m, remote);
    CHECK_HR_OK(bgcopy_job_add_file(job, remote, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK(!ct_exists(dest));
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, SIZE));
    bgcopy_job_release(job);
}

int main(void)
{
    char *src_dir = ts_mkdtemp(), *dst_dir = ts_mkdtemp();
    char *src = ct_path(src_dir, "source file.bin");        /* a space, for file:// escaping */
    CHECK_EQ_INT(ts_write_gen_file(src, SIZE), 0);

    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));

    size_t n1 = strlen(dst_dir) + sizeof "/from-path.bin";
    char *d1 = malloc(n1);
    CHECK_NOT_NULL(d1);
    snprintf(d1, n1, "%s/from-path.bin", dst_dir);
    fetch(m, src, d1);

    char *url = ts_file_url(src);
    CHECK_NOT_NULL(strstr(url, "source%20file.bin"));
    char *d2 = ct_path(dst_dir, "from-url.bin");
    fetch(m, url, d2);
    free(url);

    /* A missing source is a fatal error of the remote file. */
    char *missing = ct_path(src_dir, "nope.bin");
    char *d3 = ct_path(dst_dir, "never.bin");
    bgcopy_job *job = ct_new_job(m, "missing");
    CHECK_HR_OK(bgcopy_job_add_file(job, missing, d3));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    bgcopy_job_error e;
    CHECK_HR_OK(bgcopy_job_get_error(job, &e));
    CHECK_EQ_HR(e.code, BGCOPY_E_FILE_NOT_FOUND);
    CHECK_EQ_INT(e.context, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_STR(e.protocol, "file");
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK(!ct_exists(d3));
    bgcopy_job_release(job);

    bgcopy_manager_close(m);
    ts_rmtree(src_dir);
    ts_rmtree(dst_dir);
    free(src); free(d1); free(d2); free(d3); free(missing); free(src_dir); free(dst_dir);
    printf("core_local_sources: ok\n");
    return 0;
}
