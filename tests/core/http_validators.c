/* Resume and validators (spec 6.8), against bgcopy-testserver:
 *  - a dropped connection is a transient error; the retry continues with
 *    Range from the bytes on disk;
 *  - a stall times out (the stall_timeout_s option shortens the timeout);
 *  - a resource that changes mid-transfer restarts only its file, keeps the
 *    finished one, and the bytes on disk are exactly the new version;
 *  - a ranged file continued with If-Range restarts when the server says
 *    the resource changed (a 200 with new validators);
 *  - no size: BG_E_MISSING_FILE_SIZE; HTTP/1.0 with ranges works; a bad
 *    Content-Range: BG_E_INSUFFICIENT_RANGE_SUPPORT with nothing written;
 *    416 is fatal; 500/503 are transient, Retry-After is not honoured
 *    beyond MinimumRetryDelay. */
#include "http_test.h"

static bgcopy_manager *g_m;
static ts_server g_srv;

static bgcopy_job *one_file_job(const char *name, const char *url, const char *dest)
{
    bgcopy_job *job = ct_new_job(g_m, name);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 60));
    CHECK_HR_OK(bgcopy_job_set_no_progress_timeout(job, 3600));
    return job;
}

static void test_drop_resumes_with_range(const char *dir)
{
    char *dest = ct_path(dir, "drop.bin");
    char *url = ts_url(&g_srv, "/gen/300000?drop=100000");
    bgcopy_job *job = one_file_job("drop", url, dest);
    CHECK_HR_OK(bgcopy_job_resume(job));
    ht_wait_errors(job, 1, 20000);
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 10000);
    ht_check_error(job, BGCOPY_E_WINHTTP_CONNECTION_ERROR, BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT);
    CHECK_EQ_U64(ht_file_bytes(job, 0), 100000);

    /* The retry (after MinimumRetryDelay on the injected clock) continues
     * at byte 100000; that response drops 100000 bytes later again. */
    ht_advance(g_m, 61000);
    ht_wait_errors(job, 2, 20000);
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 10000);
    CHECK_EQ_U64(ht_file_bytes(job, 0), 200000);
    ht_advance(g_m, 61000);
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);

    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/300000?drop=100000\tbytes=0-299999\t206"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/300000?drop=100000\tbytes=100000-299999\t206"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/300000?drop=100000\tbytes=200000-299999\t206"), 1);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 300000));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_stall_times_out(const char *dir)
{
    char *dest = ct_path(dir, "stall.bin");
    char *url = ts_url(&g_srv, "/gen/100000?stall=40000");
    bgcopy_job *job = one_file_job("stall", url, dest);
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 20000);  /* stall_timeout_s = 1 */
    ht_check_error(job, BGCOPY_E_WINHTTP_TIMEOUT, BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT);
    CHECK_EQ_U64(ht_file_bytes(job, 0), 40000);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_change_restarts_only_that_file(const char *dir)
{
    char *dest0 = ct_path(dir, "first.bin"), *dest1 = ct_path(dir, "changing.bin");
    char *url0 = ts_url(&g_srv, "/gen/1000?id=keep");
    char *url1 = ts_url(&g_srv, "/gen/400000?change=100000&rate=800000&id=c1");
    bgcopy_job *job = ct_new_job(g_m, "change");
    CHECK_HR_OK(bgcopy_job_add_file(job, url0, dest0));
    CHECK_HR_OK(bgcopy_job_add_file(job, url1, dest1));
    CHECK_HR_OK(bgcopy_job_resume(job));
    /* Past the change: what is on disk after byte 100000 is the new
     * version, under the old validators (nobody can see that yet). */
    ht_wait_bytes(job, 1, 150000, 20000);
    CHECK_HR_OK(bgcopy_job_suspend(job));
    CHECK_HR_OK(bgcopy_job_resume(job));
    /* The probe sees a new Last-Modified/ETag: file 1 starts over. */
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    const char *get1 = "GET\t/gen/400000?change=100000&rate=800000&id=c1\tbytes=0-399999\t206";
    CHECK_EQ_INT(ts_server_log_count(&g_srv, get1), 2);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000?id=keep\t"), 1);  /* kept */
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest0, 1000));
    ht_piece all = {0, 400000};
    CHECK(ht_file_is(dest1, &all, 1, 1));                 /* exactly the new version */
    bgcopy_job_release(job);
    free(url0); free(url1); free(dest0); free(dest1);
}

static void test_if_range_change_restarts(const char *dir)
{
    /* Range 0-99 is served by the old version; that makes the resource
     * change, so the second range's If-Range is stale and the server
     * answers 200 with the new version: the file starts over and ends as
     * the new version's ranges. */
    char *dest = ct_path(dir, "ifrange.bin");
    char *url = ts_url(&g_srv, "/gen/10000?change=100&id=ir");
    bgcopy_file_range r[2] = {{0, 100}, {5000, 100}};
    bgcopy_job *job = ct_new_job(g_m, "if-range");
    CHECK_HR_OK(bgcopy_job_add_file_with_ranges(job, url, dest, r, 2));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/10000?change=100&id=ir\tbytes=5000-5099\t200"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/10000?change=100&id=ir\tbytes=0-99\t206"), 2);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/10000?change=100&id=ir\tbytes=5000-5099\t206"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "HEAD\t/gen/10000?change=100&id=ir\t"), 2);
    uint32_t errors = 0;
    CHECK_HR_OK(bgcopy_job_get_error_count(job, &errors));
    CHECK_EQ_INT(errors, 0);                              /* a restart, not an error */
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    ht_piece p[2] = {{0, 100}, {5000, 100}};
    CHECK(ht_file_is(dest, p, 2, 1));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_missing_size(const char *dir)
{
    char *dest = ct_path(dir, "nolength.bin");
    char *url = ts_url(&g_srv, "/gen/5000?nolength=1");
    bgcopy_job *job = one_file_job("nolength", url, dest);
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    ht_check_error(job, BGCOPY_E_MISSING_FILE_SIZE, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/5000?nolength=1\t"), 0);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_http10(const char *dir)
{
    char *dest = ct_path(dir, "http10.bin");
    char *url = ts_url(&g_srv, "/gen/100000?http10=1");
    bgcopy_job *job = one_file_job("http10", url, dest);
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/100000?http10=1\tbytes=0-99999\t206"), 1);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 100000));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_bad_content_range(const char *dir, const char *kind)
{
    char name[64];
    snprintf(name, sizeof name, "badcr-%s.bin", kind);
    char *dest = ct_path(dir, name);
    char *url = ts_url(&g_srv, "/gen/50000?badcr=%s", kind);
    bgcopy_job *job = one_file_job(name, url, dest);
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_NORMAL)); /* background: Range */
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    ht_check_error(job, BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_U64(ht_file_bytes(job, 0), 0);
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    CHECK(ht_size(fi.temporary_name) <= 0);               /* nothing of that answer written */
    bgcopy_file_info_clear(&fi);
    CHECK(!ct_exists(dest));
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_status(const char *dir, const char *query, bgcopy_hr want, int transient)
{
    char *dest = ct_path(dir, "status.bin");
    char *url = ts_url(&g_srv, "/gen/1000?%s", query);
    bgcopy_job *job = one_file_job(query, url, dest);
    CHECK_HR_OK(bgcopy_job_resume(job));
    ht_wait_errors(job, 1, 20000);
    ct_wait_state(job, transient ? BGCOPY_JOB_STATE_TRANSIENT_ERROR : BGCOPY_JOB_STATE_ERROR, 10000);
    ht_check_error(job, want, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    if (transient) {
        /* Retry-After (3600 s) is not honoured: the retry comes after
         * MinimumRetryDelay (60 s). */
        ht_advance(g_m, 61000);
        ht_wait_errors(job, 2, 20000);
    }
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK(!ct_exists(dest));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_srv, NULL), 0);
    bgcopy_manager_options o = {.clock_ms = ht_read_clock, .stall_timeout_s = 1};
    CHECK_HR_OK(bgcopy_manager_open(&o, &g_m));
    char *dir = ts_mkdtemp();

    test_drop_resumes_with_range(dir);
    test_stall_times_out(dir);
    test_change_restarts_only_that_file(dir);
    test_if_range_change_restarts(dir);
    test_http10(dir);
    test_bad_content_range(dir, "start");
    test_bad_content_range(dir, "total");
    test_bad_content_range(dir, "none");
    test_status(dir, "status=416", BGCOPY_E_HTTP_ERROR(416), 0);
    test_status(dir, "status=500&retry_after=3600", BGCOPY_E_HTTP_ERROR(500), 1);
    test_status(dir, "status=503&retry_after=3600", BGCOPY_E_HTTP_ERROR(503), 1);
    /* Last: bgcopy-testserver answers a HEAD without length with a chunked
     * terminator ("0\r\n\r\n") it should not send, which poisons the
     * kept-alive connection for the next request. */
    test_missing_size(dir);

    bgcopy_manager_close(g_m);
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_http_validators: ok\n");
    return 0;
}
