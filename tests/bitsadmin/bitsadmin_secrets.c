/*
 * bitsadmin_secrets.c - a password embedded in a remote URL
 * ("http://user:password@host/...") never appears in bitsadmin's output:
 * /info /verbose, /list /verbose, /listfiles, /geterror and /transfer's
 * ERROR FILE show "user:***@" (docs/security.md), while the
 * API (GetRemoteName: bgcopy_job_get_file) still returns the real URL.
 * bitsadmin_run() in-process against one manager and the real test server,
 * which answers 404 so that the job carries an error naming the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bgcopy.h"
#include "bitsadmin.h"
#include "bitsadmin_capture.h"
#include "check.h"
#include "harness.h"

static bgcopy_manager *mgr;
static char *scratch;
static char *out_text, *err_text;

/* run("/create", "x", NULL): one bitsadmin command line against mgr, its
 * output kept in out_text/err_text (bitsadmin_capture.h). */
#define run(...) ba_run(mgr, scratch, &out_text, &err_text, __VA_ARGS__)

/* The password is nowhere in the last output; the user name is. */
static void check_masked(const char *what)
{
    CHECK_MSG(strstr(out_text, "s3cr3t") == NULL && strstr(err_text, "s3cr3t") == NULL,
              "%s shows the password:\n%s%s", what, out_text, err_text);
    CHECK_MSG(strstr(out_text, "http://alice:***@127.0.0.1:") != NULL, "%s:\n%s", what, out_text);
}

static int job_in_error(void *arg)
{
    bgcopy_job_state st;
    return BGCOPY_SUCCEEDED(bgcopy_job_get_state(arg, &st)) && st == BGCOPY_JOB_STATE_ERROR;
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &mgr));
    scratch = ts_mkdtemp();
    char *dest = ts_path_join(scratch, "missing.bin");
    char *plain = ts_url(&srv, "/gen/%d?status=404", 5000);
    CHECK(strncmp(plain, "http://", 7) == 0);
    char url[4200];
    snprintf(url, sizeof url, "http://alice:s3cr3t@%s", plain + 7);

    CHECK_EQ_INT(run("/create", "pwjob", NULL), 0);
    CHECK_EQ_INT(run("/addfile", "pwjob", url, dest, NULL), 0);
    CHECK_EQ_INT(run("/listfiles", "pwjob", NULL), 0);
    check_masked("/listfiles");
    CHECK_EQ_INT(run("/resume", "pwjob", NULL), 0);

    bgcopy_job **jobs = NULL;
    size_t n = 0;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(mgr, 0, &jobs, &n));
    CHECK_EQ_INT((int)n, 1);
    CHECK_MSG(ts_wait_until(job_in_error, jobs[0], 20000), "the 404 never put the job in ERROR");
    /* Applications get the real URL back (GetRemoteName). */
    bgcopy_file_info fi;
    memset(&fi, 0, sizeof fi);
    CHECK_HR_OK(bgcopy_job_get_file(jobs[0], 0, &fi));
    CHECK_EQ_STR(fi.remote_name, url);
    bgcopy_file_info_clear(&fi);

    CHECK_EQ_INT(run("/info", "pwjob", "/verbose", NULL), 0);
    check_masked("/info /verbose");
    CHECK_CONTAINS(out_text, "ERROR FILE:    http://alice:***@127.0.0.1:");
    CHECK_EQ_INT(run("/list", "/verbose", NULL), 0);
    check_masked("/list /verbose");
    CHECK_EQ_INT(run("/geterror", "pwjob", NULL), 0);
    check_masked("/geterror");
    CHECK_EQ_INT(run("/listfiles", "pwjob", NULL), 0);
    check_masked("/listfiles in ERROR");
    bgcopy_job_list_free(jobs, n);

    /* /transfer's own ERROR FILE block */
    char *dest2 = ts_path_join(scratch, "missing2.bin");
    CHECK_EQ_INT(run("/transfer", "pwtransfer", url, dest2, NULL), 1);
    check_masked("/transfer");
    CHECK_CONTAINS(out_text, "ERROR FILE:    http://alice:***@127.0.0.1:");

    CHECK_EQ_INT(run("/reset", NULL), 0);
    bgcopy_manager_close(mgr);
    free(out_text);
    free(err_text);
    free(dest);
    free(dest2);
    free(plain);
    CHECK_EQ_INT(ts_rmtree(scratch), 0);
    free(scratch);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("bitsadmin_secrets: OK\n");
    return 0;
}
