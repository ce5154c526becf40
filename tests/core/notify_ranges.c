/* FileRangesTransferred: the ranges reported through the engine's hook
 * bgc_notify_ranges_filled (the on-demand transfer calls it; this test
 * calls it directly, under the engine lock, as the loop thread does) are
 * delivered sorted and merged, one call per file, at most one round per
 * 500 ms per job; nothing is kept when nobody listens. */
#include "internal.h"
#include "notify_common.h"

static void filled(bgcopy_job *job, uint32_t idx, uint64_t off, uint64_t len)
{
    uv_mutex_lock(&job->m->lock);
    bgc_notify_ranges_filled(job, idx, off, len);
    uv_mutex_unlock(&job->m->lock);
}

int main(void)
{
    ct_clock clk = {1000};
    bgcopy_manager *m = nt_open_manual(&clk);
    bgcopy_job *job = ct_new_job(m, "ranges");
    /* Nothing is transferred: the destinations only need to be valid. */
    char *dir = ts_mkdtemp();
    char *da = ct_path(dir, "a"), *db = ct_path(dir, "b");
    CHECK_HR_OK(bgcopy_job_add_file(job, "http://127.0.0.1:9/a", da));
    CHECK_HR_OK(bgcopy_job_add_file(job, "http://127.0.0.1:9/b", db));
    rec_sink s;
    rec_init(&s);
    CHECK_HR_OK(bgcopy_job_set_notify(job, &REC_CALLBACKS, &s));

    /* Flag not set: nothing is kept. */
    filled(job, 0, 0, 10);
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_FILE_RANGES_TRANSFERRED));
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);

    filled(job, 0, 300, 50);
    filled(job, 0, 0, 100);
    filled(job, 1, 0, 10);
    filled(job, 0, 100, 100);       /* touches 0+100: merged */
    CHECK_EQ_INT((int)nt_drain(m, 50), 2);
    char log[4096];
    rec_get_log(&s, log, sizeof log);
    CHECK_EQ_STR(log, "R0:0+200 R0:300+50 R1:0+10");

    /* Rate-limited: within 500 ms of the last round nothing comes. */
    rec_clear_log(&s);
    filled(job, 0, 200, 100);
    filled(job, 0, 350, 10);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);
    nt_advance(m, &clk, 499);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);
    nt_advance(m, &clk, 1);
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);
    rec_get_log(&s, log, sizeof log);
    CHECK_EQ_STR(log, "R0:200+100 R0:350+10");

    /* BG_NOTIFY_DISABLE: dropped. */
    rec_clear_log(&s);
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_FILE_RANGES_TRANSFERRED | BGCOPY_NOTIFY_DISABLE));
    filled(job, 1, 10, 10);
    nt_advance(m, &clk, 1000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);

    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    rec_destroy(&s);
    ts_rmtree(dir);
    free(da);
    free(db);
    free(dir);
    printf("notify_ranges: ok\n");
    return 0;
}
