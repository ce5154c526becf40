/* Dynamic content (IBackgroundCopyJob5 BITS_JOB_PROPERTY_DYNAMIC_CONTENT):
 * no HEAD and no size needed, one plain GET, BytesTotal unknown until the
 * file is done, any interruption starts the file over; the property is
 * read-only after the first Resume. */
#include "http_test.h"

static bgcopy_manager *g_m;
static ts_server g_srv;


typedef struct { bgcopy_job *job; bgcopy_file_progress fp; } snap;
static int midway(void *arg)
{
    snap *w = arg;
    return bgcopy_job_get_file_progress(w->job, 0, &w->fp) == BGCOPY_S_OK &&
           w->fp.bytes_transferred >= 30000;
}

static void test_property(void)
{
    bgcopy_job *job = ct_new_job(g_m, "prop");
    int on = 7;
    CHECK_HR_OK(bgcopy_job_get_dynamic_content(job, &on));
    CHECK_EQ_INT(on, 0);
    CHECK_HR_OK(bgcopy_job_set_dynamic_content(job, 1));
    CHECK_HR_OK(bgcopy_job_get_dynamic_content(job, &on));
    CHECK_EQ_INT(on, 1);
    char *url = ts_url(&g_srv, "/gen/10");
    char *dir = ts_mkdtemp();
    char *dest = ct_path(dir, "p.bin");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    CHECK_EQ_HR(bgcopy_job_set_dynamic_content(job, 0), BGCOPY_E_READ_ONLY_PROPERTY_AFTER_RESUME);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    ts_rmtree(dir);
    free(dir); free(dest); free(url);
}

static void test_no_length(const char *dir)
{
    char *dest = ct_path(dir, "nolength.bin");
    char *url = ts_url(&g_srv, "/gen/300000?nolength=1&rate=300000");
    bgcopy_job *job = ct_new_job(g_m, "dynamic nolength");
    CHECK_HR_OK(bgcopy_job_set_dynamic_content(job, 1));
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    /* One snapshot taken while bytes arrive: the total is not known yet. */
    snap w = {job, {0, 0, 0}};
    CHECK(ts_wait_until(midway, &w, 20000));
    CHECK_MSG(w.fp.bytes_transferred < 300000, "snapshot too late: %llu bytes",
              (unsigned long long)w.fp.bytes_transferred);
    CHECK_EQ_U64(w.fp.bytes_total, BGCOPY_SIZE_UNKNOWN);
    bgcopy_file_progress fp;
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_HR_OK(bgcopy_job_get_file_progress(job, 0, &fp));
    CHECK_EQ_U64(fp.bytes_total, 300000);
    CHECK_EQ_U64(fp.bytes_transferred, 300000);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "HEAD\t/gen/300000?nolength=1"), 0);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/300000?nolength=1&rate=300000\t-\t200"), 1);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 300000));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_interruption_restarts(const char *dir)
{
    char *dest = ct_path(dir, "restart.bin");
    char *url = ts_url(&g_srv, "/gen/400000?rate=500000&id=dyn");
    bgcopy_job *job = ct_new_job(g_m, "dynamic restart");
    CHECK_HR_OK(bgcopy_job_set_dynamic_content(job, 1));
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ht_wait_bytes(job, 0, 100000, 20000);
    CHECK_HR_OK(bgcopy_job_suspend(job));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    /* Both GETs asked for everything: no Range, no resume. */
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/400000?rate=500000&id=dyn\t-\t200"), 2);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/400000?rate=500000&id=dyn\tbytes="), 0);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 400000));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_drop_restarts(const char *dir)
{
    /* A dropped connection is transient; the retry (Resume here) fetches
     * the file from zero; the server drops again, so bytes never pile up. */
    char *dest = ct_path(dir, "drop.bin");
    char *url = ts_url(&g_srv, "/gen/200000?drop=50000");
    bgcopy_job *job = ct_new_job(g_m, "dynamic drop");
    CHECK_HR_OK(bgcopy_job_set_dynamic_content(job, 1));
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 20000);
    CHECK_EQ_U64(ht_file_bytes(job, 0), 0);               /* nothing kept to resume from */
    CHECK_HR_OK(bgcopy_job_resume(job));
    ht_wait_errors(job, 2, 20000);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/200000?drop=50000\t-\t200"), 2);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_srv, NULL), 0);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &g_m));
    char *dir = ts_mkdtemp();
    test_property();
    test_no_length(dir);
    test_interruption_restarts(dir);
    test_drop_restarts(dir);
    bgcopy_manager_close(g_m);
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_http_dynamic: ok\n");
    return 0;
}
