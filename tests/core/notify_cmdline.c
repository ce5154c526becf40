/* The notification command line (IBackgroundCopyJob2::SetNotifyCmdLine):
 * the program runs with the arguments split by the Windows rules, on
 * TRANSFERRED and on ERROR, also when set after the event; a non-zero exit
 * reruns it after the minimum retry delay (injected clock); a failing
 * JobTransferred with a command line set falls back to the command line
 * and is not called again for that event.  The program is notify_helper.c,
 * copied into the test's directory: it appends its argv to runs.txt there
 * and exits with the code in the file "code" there. */
#include "notify_common.h"

#include <errno.h>

#ifdef _WIN32
#define EXE_SUFFIX ".exe"
#else
#define EXE_SUFFIX ""
#endif

typedef struct env {
    ts_server *srv;
    char *dir, *script, *runs, *code;
} env;

static void set_code(env *e, int code)
{
    char text[16];
    snprintf(text, sizeof text, "%d\n", code);
    CHECK_EQ_INT(ts_write_file(e->code, text, strlen(text)), 0);
}

static int count_runs(env *e)
{
    size_t len = 0;
    char *t = ts_read_file(e->runs, &len);
    if (!t)
        return 0;
    int n = 0;
    for (char *p = t; (p = strstr(p, "run\n")) != NULL; p += 4)
        n++;
    free(t);
    return n;
}

static char *read_runs(env *e)
{
    size_t len = 0;
    char *t = ts_read_file(e->runs, &len);
    return t ? t : strdup("");
}

static void reset_runs(env *e)
{
    CHECK_MSG(ts_remove(e->runs) == 0 || errno == ENOENT, "remove %.900s: %s", e->runs,
              strerror(errno));
}

/* A job with one small finished file, in TRANSFERRED, on a manual manager. */
static bgcopy_job *transferred_job(bgcopy_manager *m, env *e, const char *name, const char *query)
{
    bgcopy_job *job = ct_new_job(m, name);
    char *url = ts_url(e->srv, "/gen/%u%s", 100u, query);
    char *dest = ct_path(e->dir, name);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    free(url);
    free(dest);
    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 60));
    return job;
}

static void test_setters(env *e)
{
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    bgcopy_job *job = ct_new_job(m, "setters");
    char *p = (char *)1, *a = (char *)1;
    CHECK_HR_OK(bgcopy_job_get_notify_cmdline(job, &p, &a));
    CHECK(p == NULL && a == NULL);
    CHECK_EQ_HR(bgcopy_job_set_notify_cmdline(job, NULL, "x"), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_get_notify_cmdline(job, NULL, &a), BGCOPY_E_INVALIDARG);
    char longp[300];
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = 0;
    CHECK_EQ_HR(bgcopy_job_set_notify_cmdline(job, longp, NULL), BGCOPY_E_STRING_TOO_LONG);
    char *longa = malloc(4002);
    memset(longa, 'b', 4001);
    longa[4001] = 0;
    CHECK_EQ_HR(bgcopy_job_set_notify_cmdline(job, e->script, longa), BGCOPY_E_STRING_TOO_LONG);
    free(longa);
    CHECK_HR_OK(bgcopy_job_set_notify_cmdline(job, e->script, "notify.sh one"));
    CHECK_HR_OK(bgcopy_job_get_notify_cmdline(job, &p, &a));
    CHECK_EQ_STR(p, e->script);
    CHECK_EQ_STR(a, "notify.sh one");
    bgcopy_free(p);
    bgcopy_free(a);
    CHECK_HR_OK(bgcopy_job_set_notify_cmdline(job, NULL, NULL));
    CHECK_HR_OK(bgcopy_job_get_notify_cmdline(job, &p, &a));
    CHECK(p == NULL && a == NULL);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK_EQ_HR(bgcopy_job_set_notify_cmdline(job, e->script, NULL), BGCOPY_E_INVALID_STATE);
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
}

/* Arguments, then the rerun after a non-zero exit. */
static void test_arguments_and_rerun(env *e)
{
    ct_clock clk = {1000};
    bgcopy_manager *m = nt_open_manual(&clk);
    bgcopy_job *job = transferred_job(m, e, "args.bin", "");
    reset_runs(e);
    set_code(e, 3);
    CHECK_HR_OK(bgcopy_job_set_notify_cmdline(
        job, e->script, "\"C:\\Program Files\\notify.sh\" \"a b\" c\\\"d \"e\"\"f\" g\\\\h \"i\\\\\" j"));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);
    char *runs = read_runs(e);
    CHECK_EQ_STR(runs, "run\n(C:\\Program Files\\notify.sh)\n[a b]\n[c\"d]\n[e\"f]\n[g\\\\h]\n"
                       "[i\\]\n[j]\n");
    free(runs);

    /* Exit code 3: again after the minimum retry delay, not before. */
    set_code(e, 0);
    nt_advance(m, &clk, 59000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);
    CHECK_EQ_INT(count_runs(e), 1);
    nt_advance(m, &clk, 2000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);
    CHECK_EQ_INT(count_runs(e), 2);
    nt_advance(m, &clk, 120000);                /* exit 0 ends it */
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);
    CHECK_EQ_INT(count_runs(e), 2);

    /* A program that cannot run counts as a failure (retried, no crash). */
    CHECK_HR_OK(bgcopy_job_set_notify_cmdline(job, "/nonexistent/program", NULL));
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);

    CHECK_HR_OK(bgcopy_job_complete(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
}

/* Set after the event; and on ERROR. */
static void test_late_and_error(env *e)
{
    ct_clock clk = {1000};
    bgcopy_manager *m = nt_open_manual(&clk);
    bgcopy_job *job = transferred_job(m, e, "late.bin", "");
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);
    reset_runs(e);
    set_code(e, 0);
    CHECK_HR_OK(bgcopy_job_set_notify_cmdline(job, e->script, "x late"));
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);
    char *runs = read_runs(e);
    CHECK_EQ_STR(runs, "run\n(x)\n[late]\n");
    free(runs);
    CHECK_HR_OK(bgcopy_job_complete(job));
    bgcopy_job_release(job);

    job = transferred_job(m, e, "error.bin", "?status=404");
    reset_runs(e);
    CHECK_HR_OK(bgcopy_job_set_notify_cmdline(job, e->script, "x error"));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);
    runs = read_runs(e);
    CHECK_EQ_STR(runs, "run\n(x)\n[error]\n");
    free(runs);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
}

/* A failing JobTransferred with a command line set: the command line runs
 * instead and JobTransferred is not called again for this event; without a
 * command line the callback is retried. */
static void test_fallback(env *e)
{
    ct_clock clk = {1000};
    bgcopy_manager *m = nt_open_manual(&clk);
    bgcopy_job *job = transferred_job(m, e, "fallback.bin", "");
    rec_sink s;
    rec_init(&s);
    s.fail_transferred = 100;
    reset_runs(e);
    set_code(e, 0);
    CHECK_HR_OK(bgcopy_job_set_notify(job, &REC_CALLBACKS, &s));
    CHECK_HR_OK(bgcopy_job_set_notify_cmdline(job, e->script, "x fallback"));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    nt_drain(m, 50);
    char log[4096];
    rec_get_log(&s, log, sizeof log);
    CHECK_EQ_STR(log, "T!");
    CHECK_EQ_INT(count_runs(e), 1);
    nt_advance(m, &clk, 3600000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);
    rec_get_log(&s, log, sizeof log);
    CHECK_EQ_STR(log, "T!");
    CHECK_EQ_INT(count_runs(e), 1);

    /* A callback that succeeds: the command line is not run. */
    CHECK_HR_OK(bgcopy_job_complete(job));
    bgcopy_job_release(job);
    job = transferred_job(m, e, "ok.bin", "");
    rec_sink ok;
    rec_init(&ok);
    reset_runs(e);
    CHECK_HR_OK(bgcopy_job_set_notify(job, &REC_CALLBACKS, &ok));
    CHECK_HR_OK(bgcopy_job_set_notify_cmdline(job, e->script, "x ok"));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 1);
    CHECK_EQ_INT(ok.transferred, 1);
    CHECK_EQ_INT(count_runs(e), 0);
    CHECK_HR_OK(bgcopy_job_complete(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    rec_destroy(&s);
    rec_destroy(&ok);
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    env e = {&srv, ts_mkdtemp(), NULL, NULL, NULL};
    CHECK_NOT_NULL(e.dir);
    e.script = ct_path(e.dir, "notify" EXE_SUFFIX);
    e.runs = ct_path(e.dir, "runs.txt");
    e.code = ct_path(e.dir, "code");
    /* The helper is built beside this test (tests/core_notify.cmake). */
    char helper[4096];
    size_t n = sizeof helper;
    CHECK_EQ_INT(uv_exepath(helper, &n), 0);
    while (n > 0 && !ct_is_sep(helper[n - 1]))
        n--;
    snprintf(helper + n, sizeof helper - n, "%s", "core_notify_helper" EXE_SUFFIX);
    uv_fs_t req;
    int rc = uv_fs_copyfile(NULL, &req, helper, e.script, 0, NULL);
    uv_fs_req_cleanup(&req);
    CHECK_MSG(rc == 0, "copy %.400s to %.400s: %s", helper, e.script, uv_strerror(rc));

    test_setters(&e);
    test_arguments_and_rerun(&e);
    test_late_and_error(&e);
    test_fallback(&e);

    ts_rmtree(e.dir);
    free(e.dir);
    free(e.script);
    free(e.runs);
    free(e.code);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("notify_cmdline: ok\n");
    return 0;
}
