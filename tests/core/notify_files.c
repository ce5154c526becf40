/* FileTransferred: once per finished file, in file order, the next file
 * only after the current one returned S_OK, a failing one redelivered after
 * the minimum retry delay (injected clock), and all of them before
 * JobTransferred.  Also: SetNotifyFlags' invalid bits and final states,
 * SetNotifyInterface in final states, the validation state, and
 * JobModification for property changes, file additions and state changes.
 * Everything runs on a manual-dispatch manager: the test's own thread
 * receives the callbacks through bgcopy_manager_pump. */
#include "notify_common.h"

static void test_file_order_and_redelivery(ts_server *srv, const char *dir)
{
    ct_clock clk = {1000};
    bgcopy_manager *m = nt_open_manual(&clk);
    bgcopy_job *job = ct_new_job(m, "file transferred");
    for (unsigned i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%u.bin", i);
        char *url = ts_url(srv, "/gen/%u", 1000u * (i + 1));
        char *dest = ct_path(dir, name);
        CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
        free(url);
        free(dest);
    }
    int v = 7;
    CHECK_EQ_HR(bgcopy_job_set_file_validation_state(job, 0, 1), BGCOPY_E_PENDING);
    CHECK_EQ_HR(bgcopy_job_set_file_validation_state(job, 3, 1), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_get_file_validation_state(job, 3, &v), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_job_get_file_validation_state(job, 0, &v));
    CHECK_EQ_INT(v, 0);

    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 60));
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_JOB_TRANSFERRED | BGCOPY_NOTIFY_JOB_ERROR |
                                                     BGCOPY_NOTIFY_FILE_TRANSFERRED));
    rec_sink s;
    rec_init(&s);
    s.fail_files = 1;
    /* The first call for file 0 fails... but order: F0 fails, so nothing
     * else may come before it is redelivered. */
    CHECK_HR_OK(bgcopy_job_set_notify(job, &REC_CALLBACKS, &s));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);

    nt_drain(m, 100);
    char log[4096];
    rec_get_log(&s, log, sizeof log);
    CHECK_EQ_STR(log, "F0!");                 /* nothing after a failed F0, JobTransferred neither */
    nt_advance(m, &clk, 59000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);     /* not before the minimum retry delay */
    nt_advance(m, &clk, 2000);
    nt_drain(m, 100);
    rec_get_log(&s, log, sizeof log);
    CHECK_EQ_STR(log, "F0! F0 F1 F2 T");

    /* The validation state is stored once the file finished. */
    CHECK_HR_OK(bgcopy_job_set_file_validation_state(job, 1, 1));
    CHECK_HR_OK(bgcopy_job_get_file_validation_state(job, 1, &v));
    CHECK_EQ_INT(v, 1);
    CHECK_HR_OK(bgcopy_job_set_file_validation_state(job, 1, 0));
    CHECK_HR_OK(bgcopy_job_get_file_validation_state(job, 1, &v));
    CHECK_EQ_INT(v, 0);

    /* A file added to the TRANSFERRED job: only its FileTransferred, then
     * JobTransferred again (a new entry into TRANSFERRED). */
    char *url = ts_url(srv, "/gen/%u", 500u);
    char *dest = ct_path(dir, "f3.bin");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    free(url);
    free(dest);
    rec_clear_log(&s);
    CHECK_HR_OK(bgcopy_job_resume(job));
    bgcopy_job_state st = BGCOPY_JOB_STATE_TRANSFERRED;
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK(st != BGCOPY_JOB_STATE_TRANSFERRED);   /* Resume queued it again */
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    nt_drain(m, 100);
    rec_get_log(&s, log, sizeof log);
    CHECK_EQ_STR(log, "F3 T");

    CHECK_HR_OK(bgcopy_job_complete(job));
    /* Final states: no more settings. */
    CHECK_EQ_HR(bgcopy_job_set_notify_flags(job, 3), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_set_notify(job, &REC_CALLBACKS, &s), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_set_notify(job, NULL, NULL), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_set_notify_cmdline(job, "/bin/true", NULL), BGCOPY_E_INVALID_STATE);
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    rec_destroy(&s);
}

/* JobError waits for the FileTransferred of the files finished before the
 * failing one. */
static void test_files_before_error(ts_server *srv, const char *dir)
{
    ct_clock clk = {1000};
    bgcopy_manager *m = nt_open_manual(&clk);
    bgcopy_job *job = ct_new_job(m, "files before error");
    char *url0 = ts_url(srv, "/gen/%u", 1000u);
    char *url1 = ts_url(srv, "/gen/%u?status=404", 1000u);
    char *d0 = ct_path(dir, "e0.bin"), *d1 = ct_path(dir, "e1.bin");
    CHECK_HR_OK(bgcopy_job_add_file(job, url0, d0));
    CHECK_HR_OK(bgcopy_job_add_file(job, url1, d1));
    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 60));
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_JOB_TRANSFERRED | BGCOPY_NOTIFY_JOB_ERROR |
                                                     BGCOPY_NOTIFY_FILE_TRANSFERRED));
    rec_sink s;
    rec_init(&s);
    s.fail_files = 1;
    CHECK_HR_OK(bgcopy_job_set_notify(job, &REC_CALLBACKS, &s));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    nt_drain(m, 100);
    char log[4096];
    rec_get_log(&s, log, sizeof log);
    CHECK_EQ_STR(log, "F0!");
    nt_advance(m, &clk, 61000);
    nt_drain(m, 100);
    rec_get_log(&s, log, sizeof log);
    CHECK_EQ_STR(log, "F0! F0 E");
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    rec_destroy(&s);
    free(url0);
    free(url1);
    free(d0);
    free(d1);
}

static void test_flags(void)
{
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    bgcopy_job *job = ct_new_job(m, "flags");
    uint32_t fl = 0;
    CHECK_HR_OK(bgcopy_job_get_notify_flags(job, &fl));
    CHECK_EQ_U64(fl, BGCOPY_NOTIFY_DEFAULT);
    /* Windows documents E_NOTIMPL for a NotifyFlags value that is not valid. */
    CHECK_EQ_HR(bgcopy_job_set_notify_flags(job, 0x40), BGCOPY_E_NOTIMPL);
    CHECK_EQ_HR(bgcopy_job_set_notify_flags(job, 0x80000001u), BGCOPY_E_NOTIMPL);
    CHECK_HR_OK(bgcopy_job_get_notify_flags(job, &fl));
    CHECK_EQ_U64(fl, BGCOPY_NOTIFY_DEFAULT);
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, 0x3F));
    CHECK_HR_OK(bgcopy_job_get_notify_flags(job, &fl));
    CHECK_EQ_U64(fl, 0x3F);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK_EQ_HR(bgcopy_job_set_notify_flags(job, 3), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_set_notify(job, NULL, NULL), BGCOPY_E_INVALID_STATE);
    uint32_t n = 0;
    CHECK_EQ_HR(bgcopy_manager_pump(m, 0, &n), BGCOPY_E_INVALID_STATE);  /* has dispatchers */
    CHECK_EQ_HR(bgcopy_manager_pump(NULL, 0, &n), BGCOPY_E_INVALIDARG);
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
}

/* JobModification for a property change, a file addition and a state
 * change, each on its own, at most one per 500 ms. */
static void test_modification_causes(ts_server *srv, const char *dir)
{
    ct_clock clk = {1000};
    bgcopy_manager *m = nt_open_manual(&clk);
    bgcopy_job *job = ct_new_job(m, "modification causes");
    rec_sink s;
    rec_init(&s);
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_JOB_MODIFICATION));
    CHECK_HR_OK(bgcopy_job_set_notify(job, &REC_CALLBACKS, &s));
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);       /* the flags change */
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);       /* nothing without a cause */

    /* Property: coalesced and rate-limited. */
    CHECK_HR_OK(bgcopy_job_set_description(job, "one"));
    CHECK_HR_OK(bgcopy_job_set_description(job, "two"));
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);       /* within 500 ms of the last one */
    nt_advance(m, &clk, 499);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);
    nt_advance(m, &clk, 1);
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);       /* both changes, one call */

    /* File addition. */
    nt_advance(m, &clk, 1000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);
    char *url = ts_url(srv, "/gen/%u?rate=%u", 1000000u, 1000u);
    char *dest = ct_path(dir, "mod.bin");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);

    /* State change: SUSPENDED -> QUEUED (the transfer then makes progress,
     * which is modification too, so it is stopped right away). */
    nt_advance(m, &clk, 1000);
    CHECK_HR_OK(bgcopy_job_resume(job));
    CHECK_HR_OK(bgcopy_job_suspend(job));
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);
    nt_advance(m, &clk, 1000);
    nt_drain(m, 50);                           /* leftovers of the brief transfer */
    nt_advance(m, &clk, 1000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);       /* SUSPENDED job: quiet */

    /* BG_NOTIFY_DISABLE silences it (setting the flags is itself a change). */
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_JOB_MODIFICATION | BGCOPY_NOTIFY_DISABLE));
    CHECK_HR_OK(bgcopy_job_set_description(job, "three"));
    nt_advance(m, &clk, 1000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);

    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    rec_destroy(&s);
    free(url);
    free(dest);
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK_NOT_NULL(dir);
    test_flags();
    test_file_order_and_redelivery(&srv, dir);
    test_files_before_error(&srv, dir);
    test_modification_causes(&srv, dir);
    ts_rmtree(dir);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("notify_files: ok\n");
    return 0;
}
