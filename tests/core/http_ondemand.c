/* On-demand mode (spec 6.9, IBackgroundCopyFile6): the job HEADs its files
 * and fetches only requested ranges, each at its own offset of the
 * temporary file; it goes to SUSPENDED when the requested bytes are there
 * and the file is not complete, TRANSFERRED when every byte is; overlaps
 * with filled bytes are fetched once; GetFilledFileRanges is sorted and
 * coalesced; FileRangesTransferred reports the filled pieces; eligibility
 * and range errors. */
#include "http_test.h"

#include <pthread.h>

static bgcopy_manager *g_m;
static ts_server g_srv;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t g_notified_bytes;

static bgcopy_hr on_ranges(void *ctx, bgcopy_job *job, uint32_t file_index,
                           const bgcopy_file_range *ranges, uint32_t count)
{
    (void)ctx; (void)job; (void)file_index;
    pthread_mutex_lock(&g_mu);
    for (uint32_t i = 0; i < count; i++)
        g_notified_bytes += ranges[i].length;
    pthread_mutex_unlock(&g_mu);
    return BGCOPY_S_OK;
}

static int notified_at_least(void *arg)
{
    pthread_mutex_lock(&g_mu);
    int ok = g_notified_bytes >= *(uint64_t *)arg;
    pthread_mutex_unlock(&g_mu);
    return ok;
}

/* The bytes at |off| of |path| are the generated content's. */
static void check_at(const char *path, uint64_t off, uint64_t len)
{
    uv_fs_t req;
    uv_file fd = uv_fs_open(NULL, &req, path, UV_FS_O_RDONLY, 0, NULL);
    uv_fs_req_cleanup(&req);
    CHECK(fd >= 0);
    uint8_t *buf = malloc(len);
    CHECK_NOT_NULL(buf);
    uv_buf_t b = uv_buf_init((char *)buf, (unsigned)len);
    CHECK_EQ_INT(uv_fs_read(NULL, &req, fd, &b, 1, (int64_t)off, NULL), (int64_t)len);
    uv_fs_req_cleanup(&req);
    CHECK_EQ_U64(ts_gen_mismatch(buf, off, len), len);
    free(buf);
    CHECK_EQ_INT(uv_fs_close(NULL, &req, fd, NULL), 0);
    uv_fs_req_cleanup(&req);
}

static void test_errors(const char *dir)
{
    char *dest = ct_path(dir, "e.bin");
    char *url = ts_url(&g_srv, "/gen/1000");
    bgcopy_file_range r = {0, 10};

    bgcopy_job *plain = ct_new_job(g_m, "not on-demand");
    CHECK_HR_OK(bgcopy_job_add_file(plain, url, dest));
    CHECK_EQ_HR(bgcopy_job_request_file_ranges(plain, 0, &r, 1), BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED);
    CHECK_HR_OK(bgcopy_job_cancel(plain));
    bgcopy_job_release(plain);

    bgcopy_job *ranged = ct_new_job(g_m, "ranged");
    CHECK_HR_OK(bgcopy_job_add_file_with_ranges(ranged, url, dest, &r, 1));
    CHECK_EQ_HR(bgcopy_job_set_on_demand(ranged, 1), BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED);
    CHECK_HR_OK(bgcopy_job_cancel(ranged));
    bgcopy_job_release(ranged);

    bgcopy_job *dyn = ct_new_job(g_m, "dynamic");
    CHECK_HR_OK(bgcopy_job_set_dynamic_content(dyn, 1));
    CHECK_EQ_HR(bgcopy_job_set_on_demand(dyn, 1), BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED);
    CHECK_HR_OK(bgcopy_job_cancel(dyn));
    bgcopy_job_release(dyn);

    bgcopy_job *job = ct_new_job(g_m, "od errors");
    CHECK_HR_OK(bgcopy_job_set_on_demand(job, 1));
    int on = 0;
    CHECK_HR_OK(bgcopy_job_get_on_demand(job, &on));
    CHECK_EQ_INT(on, 1);
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, &r, 1),
                BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED);
    char *local = ct_path(dir, "local-source.bin");          /* any local source */
    CHECK_EQ_HR(bgcopy_job_add_file(job, local, dest), BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED);
    free(local);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    bgcopy_file_range zero = {5, 0}, eof_start = {BGCOPY_LENGTH_TO_EOF, 5};
    CHECK_EQ_HR(bgcopy_job_request_file_ranges(job, 0, &zero, 1), BGCOPY_E_INVALID_RANGE);
    CHECK_EQ_HR(bgcopy_job_request_file_ranges(job, 0, &eof_start, 1), BGCOPY_E_INVALID_RANGE);
    CHECK_EQ_HR(bgcopy_job_request_file_ranges(job, 1, &r, 1), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_request_file_ranges(job, 0, &r, 0), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_SUSPENDED, 20000);    /* probed; nothing asked */
    CHECK_EQ_HR(bgcopy_job_set_on_demand(job, 0), BGCOPY_E_READ_ONLY_PROPERTY_AFTER_RESUME);
    bgcopy_file_range beyond = {990, 20};
    CHECK_EQ_HR(bgcopy_job_request_file_ranges(job, 0, &beyond, 1), BGCOPY_E_INVALID_RANGE);
    CHECK_EQ_HR(bgcopy_job_update_download_position(job, 0, 1000), BGCOPY_E_INVALID_RANGE);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000\t"), 0);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_random_access(const char *dir)
{
    char *dest = ct_path(dir, "od.bin");
    char *url = ts_url(&g_srv, "/gen/1000000?id=od");
    bgcopy_job *job = ct_new_job(g_m, "on-demand");
    CHECK_HR_OK(bgcopy_job_set_on_demand(job, 1));
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    bgcopy_notify_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.file_ranges_transferred = on_ranges;
    CHECK_HR_OK(bgcopy_job_set_notify(job, &cb, NULL));
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_FILE_RANGES_TRANSFERRED));
    /* Asked before the size is known: checked at the HEAD. */
    bgcopy_file_range first[2] = {{500000, 1000}, {100, 50}};
    CHECK_HR_OK(bgcopy_job_request_file_ranges(job, 0, first, 2));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_SUSPENDED, 20000);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000000?id=od\tbytes=500000-500999\t206"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000000?id=od\tbytes=100-149\t206"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000000?id=od\t"), 2);
    bgcopy_file_range *filled = NULL;
    uint32_t n = 0;
    CHECK_HR_OK(bgcopy_job_get_filled_file_ranges(job, 0, &filled, &n));
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_U64(filled[0].initial_offset, 100);
    CHECK_EQ_U64(filled[0].length, 50);
    CHECK_EQ_U64(filled[1].initial_offset, 500000);
    CHECK_EQ_U64(filled[1].length, 1000);
    bgcopy_free(filled);
    CHECK_EQ_U64(ht_file_bytes(job, 0), 1050);
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    check_at(fi.temporary_name, 100, 50);                 /* at their own offsets */
    check_at(fi.temporary_name, 500000, 1000);
    uint64_t want_notified = 1050;
    CHECK(ts_wait_until(notified_at_least, &want_notified, 10000));

    /* Overlapping requests fetch only what is missing; the rest of the
     * file through UpdateDownloadPosition(0) = "fill from 0". */
    bgcopy_file_range more = {0, 200};
    CHECK_HR_OK(bgcopy_job_request_file_ranges(job, 0, &more, 1));
    CHECK_HR_OK(bgcopy_job_update_download_position(job, 0, 0));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000000?id=od\tbytes=0-99\t206"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000000?id=od\tbytes=150-199\t206"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000000?id=od\tbytes=200-499999\t206"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000000?id=od\tbytes=501000-999999\t206"), 1);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/1000000?id=od\t"), 6);
    CHECK_HR_OK(bgcopy_job_get_filled_file_ranges(job, 0, &filled, &n));
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_U64(filled[0].initial_offset, 0);
    CHECK_EQ_U64(filled[0].length, 1000000);
    bgcopy_free(filled);
    want_notified = 1000000;
    CHECK(ts_wait_until(notified_at_least, &want_notified, 10000));
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 1000000));
    bgcopy_file_info_clear(&fi);
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_srv, NULL), 0);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &g_m));
    char *dir = ts_mkdtemp();
    test_errors(dir);
    test_random_access(dir);
    bgcopy_manager_close(g_m);
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_http_ondemand: ok\n");
    return 0;
}
