/* The dispatcher's ready list and timed heap (core/src/notify.c, N1-N5;
 * docs/architecture.md, "Data structures") with thousands of jobs: every
 * job gets exactly its own JobModification, the 500 ms spacing holds for
 * each of them on the injected clock, and jobs cancelled while they wait
 * in the heap are never delivered to (under ASan: never touched after
 * their last release). */
#include "notify_common.h"

#define JOBS 3000

static bgcopy_hr count_modification(void *ctx, bgcopy_job *job)
{
    (void)job;
    atomic_fetch_add((atomic_int *)ctx, 1);
    return BGCOPY_S_OK;
}

static const bgcopy_notify_callbacks COUNT = {.job_modification = count_modification};

int main(void)
{
    ct_clock clk = {1000};
    /* More than Windows's 60 jobs per user: this test's own policy file. */
    char *policy_dir = ts_mkdtemp();
    char *policy = ts_policy_file(policy_dir, JOBS);
    bgcopy_manager_options o = {.clock_ms = ct_clock_read, .clock_ctx = &clk, .manual_dispatch = 1,
                                .policy_file = policy};
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
    static bgcopy_job *jobs[JOBS];
    static atomic_int count[JOBS];
    for (int i = 0; i < JOBS; i++) {
        jobs[i] = ct_new_job(m, "scale");
        CHECK_HR_OK(bgcopy_job_set_notify(jobs[i], &COUNT, &count[i]));
        CHECK_HR_OK(bgcopy_job_set_notify_flags(jobs[i], BGCOPY_NOTIFY_JOB_MODIFICATION));
    }
    /* The flags change is each job's first modification: due at once. */
    CHECK_EQ_INT((int)nt_drain(m, 50), JOBS);
    for (int i = 0; i < JOBS; i++)
        CHECK_EQ_INT(atomic_load(&count[i]), 1);

    /* Within 500 ms of the last call: every job waits for the clock. */
    for (int i = 0; i < JOBS; i++)
        CHECK_HR_OK(bgcopy_job_set_description(jobs[i], "changed"));
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);

    /* Jobs leaving the queue while they wait are forgotten. */
    for (int i = 1; i < JOBS; i += 2) {
        CHECK_HR_OK(bgcopy_job_cancel(jobs[i]));
        bgcopy_job_release(jobs[i]);
        jobs[i] = NULL;
    }
    nt_advance(m, &clk, 499);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);
    nt_advance(m, &clk, 1);
    CHECK_EQ_INT((int)nt_drain(m, 50), JOBS / 2);
    for (int i = 0; i < JOBS; i++)
        CHECK_EQ_INT(atomic_load(&count[i]), i % 2 ? 1 : 2);

    /* Nothing is left to deliver, however far the clock moves. */
    nt_advance(m, &clk, 10000);
    CHECK_EQ_INT((int)nt_drain(m, 50), 0);

    bgcopy_manager_close(m);
    for (int i = 0; i < JOBS; i += 2)
        bgcopy_job_release(jobs[i]);
    ts_rmtree(policy_dir);
    free(policy_dir);
    free(policy);
    return 0;
}
