/* Scheduling (spec 6.6): one background job transfers at a time, the
 * oldest of the highest priority; a higher priority preempts (the other
 * goes back to QUEUED); FOREGROUND jobs run beside it, and fetch a file of
 * <= 2 GB with one plain GET while background jobs use Range requests. */
#include "core_test.h"

#include <stdio.h>

static bgcopy_job_state state_of(bgcopy_job *job)
{
    bgcopy_job_state s;
    CHECK_HR_OK(bgcopy_job_get_state(job, &s));
    return s;
}

static bgcopy_job *start(bgcopy_manager *m, ts_server *srv, const char *dir, const char *name,
                         bgcopy_job_priority p)
{
    /* Sizes tell the jobs apart in the server's log: 4 MiB + the name's letter. */
    char *url = ts_url(srv, "/gen/%u?rate=%u", (4u << 20) + (unsigned)name[0], 256u << 10);
    char *dest = ct_path(dir, name);
    bgcopy_job *job = ct_new_job(m, name);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_priority(job, p));
    CHECK_HR_OK(bgcopy_job_resume(job));
    free(url);
    free(dest);
    return job;
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));

    bgcopy_job *a = start(m, &srv, dir, "a", BGCOPY_JOB_PRIORITY_NORMAL);
    ct_wait_state(a, BGCOPY_JOB_STATE_TRANSFERRING, 10000);
    bgcopy_job *b = start(m, &srv, dir, "b", BGCOPY_JOB_PRIORITY_NORMAL);
    ts_sleep_ms(300);
    CHECK_EQ_INT(state_of(a), BGCOPY_JOB_STATE_TRANSFERRING);
    CHECK_EQ_INT(state_of(b), BGCOPY_JOB_STATE_QUEUED);     /* waits its turn */

    bgcopy_job *c = start(m, &srv, dir, "c", BGCOPY_JOB_PRIORITY_HIGH);
    ct_wait_state(c, BGCOPY_JOB_STATE_TRANSFERRING, 10000);
    ct_wait_state(a, BGCOPY_JOB_STATE_QUEUED, 10000);       /* preempted */
    CHECK_EQ_INT(state_of(b), BGCOPY_JOB_STATE_QUEUED);

    bgcopy_job *d = start(m, &srv, dir, "d", BGCOPY_JOB_PRIORITY_FOREGROUND);
    ct_wait_state(d, BGCOPY_JOB_STATE_TRANSFERRING, 10000);
    CHECK_EQ_INT(state_of(c), BGCOPY_JOB_STATE_TRANSFERRING); /* both at once */

    /* Background jobs asked with Range; the foreground one with a plain GET. */
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/4194401?rate=262144\tbytes=0-"), 1);  /* a */
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/4194403?rate=262144\tbytes=0-"), 1);  /* c */
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/4194404?rate=262144\t-\t200"), 1);   /* d */

    /* A preempted job resumes from its bytes when it gets its turn again. */
    bgcopy_file_progress pa;
    CHECK_HR_OK(bgcopy_job_get_file_progress(a, 0, &pa));
    CHECK_GT_U64(pa.bytes_transferred, 0);
    CHECK_HR_OK(bgcopy_job_cancel(c));
    ct_wait_state(a, BGCOPY_JOB_STATE_TRANSFERRING, 10000);
    char needle[64];
    snprintf(needle, sizeof needle, "/gen/4194401?rate=262144\tbytes=%llu-",
             (unsigned long long)pa.bytes_transferred);
    CHECK_EQ_INT(ts_server_log_count(&srv, needle), 1);

    bgcopy_job *all[] = {a, b, d};
    for (int i = 0; i < 3; i++)
        CHECK_HR_OK(bgcopy_job_cancel(all[i]));
    bgcopy_job_release(c);
    for (int i = 0; i < 3; i++)
        bgcopy_job_release(all[i]);

    /* When the running background job finishes, the next one starts. */
    char *u1 = ts_url(&srv, "/gen/%u", 100000u), *u2 = ts_url(&srv, "/gen/%u", 100001u);
    char *p1 = ct_path(dir, "one"), *p2 = ct_path(dir, "two");
    bgcopy_job *one = ct_new_job(m, "one"), *two = ct_new_job(m, "two");
    CHECK_HR_OK(bgcopy_job_add_file(one, u1, p1));
    CHECK_HR_OK(bgcopy_job_add_file(two, u2, p2));
    CHECK_HR_OK(bgcopy_job_resume(one));
    CHECK_HR_OK(bgcopy_job_resume(two));
    ct_wait_state(one, BGCOPY_JOB_STATE_TRANSFERRED, 10000);
    ct_wait_state(two, BGCOPY_JOB_STATE_TRANSFERRED, 10000);
    CHECK_HR_OK(bgcopy_job_complete(one));
    CHECK_HR_OK(bgcopy_job_complete(two));
    CHECK(ts_file_matches_gen(p1, 100000u));
    CHECK(ts_file_matches_gen(p2, 100001u));
    bgcopy_job_release(one);
    bgcopy_job_release(two);
    free(u1); free(u2); free(p1); free(p2);

    bgcopy_manager_close(m);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_scheduling: ok\n");
    return 0;
}
