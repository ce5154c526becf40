/* Transient errors and their timers (spec 6.5), on an injected clock:
 * retry after MinimumRetryDelay, success once the server is back, Resume
 * retrying at once, and NoProgressTimeout turning TRANSIENT_ERROR into
 * ERROR. */
#include "core_test.h"

#include <stdio.h>

static _Atomic uint64_t now_ms = 1000000;
static uint64_t read_clock(void *ctx) { (void)ctx; return now_ms; }

typedef struct { bgcopy_job *job; uint32_t want; } count_wait;
static int error_count_reached(void *arg)
{
    count_wait *w = arg;
    uint32_t n = 0;
    return bgcopy_job_get_error_count(w->job, &n) == BGCOPY_S_OK && n >= w->want;
}

static void advance(bgcopy_manager *m, uint64_t ms)
{
    now_ms += ms;
    bgcopy_manager_clock_changed(m);
}

static uint32_t error_count(bgcopy_job *job)
{
    uint32_t n = 0;
    CHECK_HR_OK(bgcopy_job_get_error_count(job, &n));
    return n;
}

int main(void)
{
    char *dir = ts_mkdtemp();
    bgcopy_manager_options o = {.clock_ms = read_clock};
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));

    /* A port nobody listens on, for now. */
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    int port = srv.port;
    char *url = ts_url(&srv, "/gen/%u", 70000u);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);

    char *dest = ct_path(dir, "retried.bin");
    bgcopy_job *job = ct_new_job(m, "retry");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 60));
    CHECK_HR_OK(bgcopy_job_set_no_progress_timeout(job, 300));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 20000);
    CHECK_EQ_INT(error_count(job), 1);
    bgcopy_job_error e;
    CHECK_HR_OK(bgcopy_job_get_error(job, &e));
    CHECK_EQ_HR(e.code, BGCOPY_E_WINHTTP_CANNOT_CONNECT);

    /* Not before the delay... */
    advance(m, 59000);
    ts_sleep_ms(200);
    CHECK_EQ_INT(error_count(job), 1);
    /* ...then once. */
    advance(m, 2000);
    count_wait w = {job, 2};
    CHECK(ts_wait_until(error_count_reached, &w, 10000));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 10000);

    /* Resume retries at once, without waiting for the timer. */
    CHECK_HR_OK(bgcopy_job_resume(job));
    w.want = 3;
    CHECK(ts_wait_until(error_count_reached, &w, 10000));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 10000);

    /* The server comes back on the same port: the next retry succeeds. */
    const char *args[] = {"--port", NULL, NULL};
    char portbuf[16];
    snprintf(portbuf, sizeof portbuf, "%d", port);
    args[1] = portbuf;
    CHECK_EQ_INT(ts_server_start_args(&srv, NULL, args), 0);
    advance(m, 61000);
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_HR(bgcopy_job_get_error(job, &e), BGCOPY_E_ERROR_INFORMATION_UNAVAILABLE);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 70000u));
    bgcopy_job_release(job);
    free(url);

    /* 503 is transient too; with no progress for NoProgressTimeout the job
     * gives up: ERROR, keeping the last error. */
    url = ts_url(&srv, "/gen/10?status=503");
    char *dest2 = ct_path(dir, "gives-up.bin");
    job = ct_new_job(m, "no progress");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest2));
    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 60));
    CHECK_HR_OK(bgcopy_job_set_no_progress_timeout(job, 100));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 20000);
    CHECK_HR_OK(bgcopy_job_get_error(job, &e));
    CHECK_EQ_HR(e.code, BGCOPY_E_HTTP_ERROR(503));
    advance(m, 61000);
    w.job = job;
    w.want = 2;
    CHECK(ts_wait_until(error_count_reached, &w, 10000));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 10000);
    advance(m, 40000);                                     /* 101 s since the first error */
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 10000);
    CHECK_HR_OK(bgcopy_job_get_error(job, &e));
    CHECK_EQ_HR(e.code, BGCOPY_E_HTTP_ERROR(503));
    CHECK(!ct_exists(dest2));

    /* NoProgressTimeout 0: the first error is final. */
    bgcopy_job *j0 = ct_new_job(m, "no retries");
    CHECK_HR_OK(bgcopy_job_add_file(j0, url, dest2));
    CHECK_HR_OK(bgcopy_job_set_no_progress_timeout(j0, 0));
    CHECK_HR_OK(bgcopy_job_resume(j0));
    ct_wait_state(j0, BGCOPY_JOB_STATE_ERROR, 10000);
    CHECK_HR_OK(bgcopy_job_cancel(j0));
    bgcopy_job_release(j0);

    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(url); free(dest); free(dest2); free(dir);
    printf("core_retry: ok\n");
    return 0;
}
