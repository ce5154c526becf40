/* AddFileWithRanges (spec 6.8): validation, each range fetched with its own
 * Range request and written back to back in the caller's order, BytesTotal
 * the sum (a to-EOF range resolved once the size is known), a range past
 * the end fails with BG_E_INVALID_RANGE, Suspend/Resume continues inside a
 * range, a server without ranges fails even in FOREGROUND; GetFileRanges,
 * SetRemoteName and ReplaceRemotePrefix. */
#include "http_test.h"

static bgcopy_manager *g_m;
static ts_server g_srv;

#define TO_EOF BGCOPY_LENGTH_TO_EOF

static void test_validation(const char *dir)
{
    char *dest = ct_path(dir, "v.bin");
    char *url = ts_url(&g_srv, "/gen/2000");
    bgcopy_job *job = ct_new_job(g_m, "validation");
    bgcopy_file_range ok[1] = {{0, 10}};
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, ok, 0), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, NULL, 1), BGCOPY_E_INVALIDARG);
    bgcopy_file_range eof_start[1] = {{TO_EOF, 10}};
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, eof_start, 1), BGCOPY_E_INVALID_RANGE);
    bgcopy_file_range zero[1] = {{5, 0}};
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, zero, 1), BGCOPY_E_INVALID_RANGE);
    bgcopy_file_range overlap[2] = {{100, 50}, {120, 10}};
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, overlap, 2), BGCOPY_E_OVERLAPPING_RANGES);
    bgcopy_file_range same_offset[2] = {{100, 5}, {100, 50}};   /* equal offsets always overlap */
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, same_offset, 2),
                BGCOPY_E_OVERLAPPING_RANGES);
    bgcopy_file_range eof_then[2] = {{500, 10}, {100, TO_EOF}}; /* to-EOF covers what follows */
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, eof_then, 2),
                BGCOPY_E_OVERLAPPING_RANGES);
    bgcopy_file_range *many = calloc(501, sizeof *many);
    CHECK_NOT_NULL(many);
    for (int i = 0; i < 501; i++) {
        many[i].initial_offset = (uint64_t)i * 10;
        many[i].length = 5;
    }
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, many, 501),
                BGCOPY_E_TOO_MANY_RANGES_IN_FILE);
    CHECK_HR_OK(bgcopy_job_add_file_with_ranges(job, url, dest, many, 500));  /* the limit itself */
    free(many);
    char *local_src = ct_path(dir, "src.bin");
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, local_src, dest, ok, 1), BGCOPY_E_INVALIDARG);
    char file_url[4200];
    snprintf(file_url, sizeof file_url, "file://%s", local_src);
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, file_url, dest, ok, 1), BGCOPY_E_INVALIDARG);
    bgcopy_file_range touching[2] = {{100, 50}, {150, 10}};     /* adjacent is fine */
    CHECK_HR_OK(bgcopy_job_add_file_with_ranges(job, url, dest, touching, 2));

    /* GetFileRanges: as given; S_FALSE for a whole file. */
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    bgcopy_file_range *got = NULL;
    uint32_t n = 0;
    CHECK_HR_OK(bgcopy_job_get_file_ranges(job, 1, &got, &n));
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_U64(got[1].initial_offset, 150);
    CHECK_EQ_U64(got[1].length, 10);
    bgcopy_free(got);
    CHECK_EQ_HR(bgcopy_job_get_file_ranges(job, 2, &got, &n), BGCOPY_S_FALSE);
    CHECK(got == NULL && n == 0);
    CHECK_EQ_HR(bgcopy_job_get_file_ranges(job, 3, &got, &n), BGCOPY_E_INVALIDARG);

    /* Remote names. */
    char *url2 = ts_url(&g_srv, "/gen/3000");
    CHECK_HR_OK(bgcopy_job_set_file_remote_name(job, 2, url2));
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 2, &fi));
    CHECK_EQ_STR(fi.remote_name, url2);
    bgcopy_file_info_clear(&fi);
    CHECK_EQ_HR(bgcopy_job_set_file_remote_name(job, 1, file_url), BGCOPY_E_INVALIDARG); /* ranged */
    CHECK_EQ_HR(bgcopy_job_set_file_remote_name(job, 9, url2), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_replace_remote_prefix(job, "http://example.invalid", "http://x"),
                BGCOPY_S_FALSE);
    CHECK_EQ_HR(bgcopy_job_replace_remote_prefix(job, "", "http://x"), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_replace_remote_prefix(job, g_srv.base_url, "ftp://h"), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_job_replace_remote_prefix(job, g_srv.base_url, "http://localhost:1"));
    CHECK_HR_OK(bgcopy_job_get_file(job, 2, &fi));
    CHECK_EQ_STR(fi.remote_name, "http://localhost:1/gen/3000");
    bgcopy_file_info_clear(&fi);
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    CHECK_EQ_STR(fi.remote_name, "http://localhost:1/gen/2000");
    bgcopy_file_info_clear(&fi);

    /* Dynamic content and ranges exclude each other. */
    CHECK_EQ_HR(bgcopy_job_set_dynamic_content(job, 1), BGCOPY_E_INVALIDARG);
    bgcopy_job *dyn = ct_new_job(g_m, "dynamic");
    CHECK_HR_OK(bgcopy_job_set_dynamic_content(dyn, 1));
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(dyn, url, dest, ok, 1), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_job_cancel(dyn));
    bgcopy_job_release(dyn);

    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(url); free(url2); free(dest); free(local_src);
}

static void test_callers_order(const char *dir)
{
    char *dest = ct_path(dir, "order.bin");
    char *url = ts_url(&g_srv, "/gen/2000?id=order");
    bgcopy_file_range r[4] = {{100, 100}, {900, 100}, {400, 100}, {1950, TO_EOF}};
    bgcopy_job *job = ct_new_job(g_m, "order");
    CHECK_HR_OK(bgcopy_job_add_file_with_ranges(job, url, dest, r, 4));
    bgcopy_file_progress fp;
    CHECK_HR_OK(bgcopy_job_get_file_progress(job, 0, &fp));
    CHECK_EQ_U64(fp.bytes_total, BGCOPY_SIZE_UNKNOWN);
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND)); /* still ranged */
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_HR_OK(bgcopy_job_get_file_progress(job, 0, &fp));
    CHECK_EQ_U64(fp.bytes_total, 350);                   /* 3 x 100 + the last 50 */
    CHECK_EQ_U64(fp.bytes_transferred, 350);
    char *log = ts_server_log(&g_srv);
    const char *a = strstr(log, "GET\t/gen/2000?id=order\tbytes=100-199\t206");
    const char *b = strstr(log, "GET\t/gen/2000?id=order\tbytes=900-999\t206");
    const char *c = strstr(log, "GET\t/gen/2000?id=order\tbytes=400-499\t206");
    const char *d = strstr(log, "GET\t/gen/2000?id=order\tbytes=1950-1999\t206");
    CHECK(a && b && c && d && a < b && b < c && c < d);
    free(log);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    ht_piece p[4] = {{100, 100}, {900, 100}, {400, 100}, {1950, 50}};
    CHECK(ht_file_is(dest, p, 4, 0));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_beyond_eof(const char *dir)
{
    char *dest = ct_path(dir, "beyond.bin");
    char *url = ts_url(&g_srv, "/gen/2000?id=beyond");
    bgcopy_file_range r[2] = {{0, 10}, {1990, 20}};       /* ends 10 bytes past the end */
    bgcopy_job *job = ct_new_job(g_m, "beyond");
    CHECK_HR_OK(bgcopy_job_add_file_with_ranges(job, url, dest, r, 2));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    ht_check_error(job, BGCOPY_E_INVALID_RANGE, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/2000?id=beyond\t"), 0);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_resume_inside_range(const char *dir)
{
    char *dest = ct_path(dir, "resume.bin");
    char *url = ts_url(&g_srv, "/gen/3000000?rate=500000&id=res");
    bgcopy_file_range r[2] = {{2000000, 1000000}, {100000, 400000}};
    bgcopy_job *job = ct_new_job(g_m, "resume in range");
    CHECK_HR_OK(bgcopy_job_add_file_with_ranges(job, url, dest, r, 2));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ht_wait_bytes(job, 0, 100000, 20000);
    CHECK_HR_OK(bgcopy_job_suspend(job));
    uint64_t at = ht_file_bytes(job, 0);
    CHECK_MSG(at >= 100000 && at < 1000000, "suspended at %llu", (unsigned long long)at);
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    char want[128];
    snprintf(want, sizeof want, "GET\t/gen/3000000?rate=500000&id=res\tbytes=%llu-2999999\t206",
             (unsigned long long)(2000000 + at));
    CHECK_EQ_INT(ts_server_log_count(&g_srv, want), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "\tbytes=100000-499999\t206"), 1);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    ht_piece p[2] = {{2000000, 1000000}, {100000, 400000}};
    CHECK(ht_file_is(dest, p, 2, 0));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_no_range_support(const char *dir)
{
    char *dest = ct_path(dir, "norange.bin");
    char *url = ts_url(&g_srv, "/gen/2000?norange=1");
    bgcopy_file_range r[1] = {{0, 100}};
    bgcopy_job *job = ct_new_job(g_m, "norange");
    CHECK_HR_OK(bgcopy_job_add_file_with_ranges(job, url, dest, r, 1));
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    ht_check_error(job, BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/2000?norange=1\tbytes=0-99\t200"), 1);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK(!ct_exists(dest));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_srv, NULL), 0);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &g_m));
    char *dir = ts_mkdtemp();
    test_validation(dir);
    test_callers_order(dir);
    test_beyond_eof(dir);
    test_resume_inside_range(dir);
    test_no_range_support(dir);
    bgcopy_manager_close(g_m);
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_http_ranges: ok\n");
    return 0;
}
