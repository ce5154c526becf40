/* The queue and the scheduler's sets with thousands of jobs (docs/
 * architecture.md, "Scheduler and queue"): jobs leave the middle, the front
 * and the end of the queue, priorities change while jobs wait, and every
 * resumed job of every priority still runs to TRANSFERRED.  What a user
 * checks: EnumJobs lists the remaining jobs in creation order, every
 * resumed job's file arrives, Cancel and Complete empty the queue. */
#include "core_test.h"

#include <stdio.h>

#define JOBS 3000
#define SIZE 1000u

static int find(const bgcopy_guid *listed, size_t n, const bgcopy_guid *id)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&listed[i], id, sizeof *id) == 0)
            return (int)i;
    return -1;
}

int main(void)
{
    char *src_dir = ts_mkdtemp(), *dst_dir = ts_mkdtemp();
    char *src = ct_path(src_dir, "source.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, SIZE), 0);
    bgcopy_manager *m = NULL;
    char *policy = ts_policy_file(src_dir, JOBS);  /* more than Windows's 60 jobs per user */
    bgcopy_manager_options o = {.policy_file = policy};
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));

    bgcopy_job **jobs = calloc(JOBS, sizeof *jobs);
    bgcopy_guid *ids = calloc(JOBS, sizeof *ids);
    CHECK_NOT_NULL(jobs);
    CHECK_NOT_NULL(ids);
    for (int i = 0; i < JOBS; i++) {
        char name[64];
        snprintf(name, sizeof name, "j%d.bin", i);
        char *dest = ct_path(dst_dir, name);
        CHECK_HR_OK(bgcopy_manager_create_job(m, "scale", BGCOPY_JOB_TYPE_DOWNLOAD, &ids[i],
                                              &jobs[i]));
        CHECK_HR_OK(bgcopy_job_add_file(jobs[i], src, dest));
        CHECK_HR_OK(bgcopy_job_set_priority(jobs[i], (bgcopy_job_priority)(i % 4)));
        free(dest);
    }
    /* Out of the front, the end and the middle. */
    CHECK_HR_OK(bgcopy_job_cancel(jobs[0]));
    CHECK_HR_OK(bgcopy_job_cancel(jobs[JOBS - 1]));
    for (int i = 5; i < JOBS - 1; i += 7)
        CHECK_HR_OK(bgcopy_job_cancel(jobs[i]));

    bgcopy_job **list = NULL;
    size_t n = 0;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &list, &n));
    bgcopy_guid *listed = calloc(n ? n : 1, sizeof *listed);
    CHECK_NOT_NULL(listed);
    for (size_t k = 0; k < n; k++)
        CHECK_HR_OK(bgcopy_job_get_id(list[k], &listed[k]));
    int prev = -1;
    size_t expect = 0;
    for (int i = 0; i < JOBS; i++) {
        int cancelled = i == 0 || i == JOBS - 1 || (i >= 5 && (i - 5) % 7 == 0);
        int at = find(listed, n, &ids[i]);
        if (cancelled) {
            CHECK_EQ_INT(at, -1);
            continue;
        }
        CHECK_MSG(at > prev, "job %d listed at %d, after %d", i, at, prev);
        prev = at;
        expect++;
    }
    CHECK_EQ_INT(n, expect);
    free(listed);
    bgcopy_job_list_free(list, n);

    /* Resume every other waiting job, change some priorities while they
     * wait, and let everything run. */
    for (int i = 1; i < JOBS - 1; i += 2) {
        bgcopy_job_state st;
        CHECK_HR_OK(bgcopy_job_get_state(jobs[i], &st));
        if (st == BGCOPY_JOB_STATE_CANCELLED)
            continue;
        CHECK_HR_OK(bgcopy_job_resume(jobs[i]));
        if (i % 10 == 1)
            CHECK_HR_OK(bgcopy_job_set_priority(jobs[i], BGCOPY_JOB_PRIORITY_LOW));
        if (i % 10 == 3)
            CHECK_HR_OK(bgcopy_job_set_priority(jobs[i], BGCOPY_JOB_PRIORITY_HIGH));
    }
    for (int i = 1; i < JOBS - 1; i++) {
        bgcopy_job_state st;
        CHECK_HR_OK(bgcopy_job_get_state(jobs[i], &st));
        if (st == BGCOPY_JOB_STATE_CANCELLED)
            continue;
        if (i % 2) {
            ct_wait_state(jobs[i], BGCOPY_JOB_STATE_TRANSFERRED, 60000);
            CHECK_HR_OK(bgcopy_job_complete(jobs[i]));
        } else {
            CHECK_EQ_INT(st, BGCOPY_JOB_STATE_SUSPENDED);
            CHECK_HR_OK(bgcopy_job_cancel(jobs[i]));
        }
    }
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &list, &n));
    CHECK_EQ_INT(n, 0);
    bgcopy_job_list_free(list, n);
    /* Every completed job's file, and nothing else (no temporary file). */
    int completed = 0;
    for (int i = 1; i < JOBS - 1; i += 2)
        completed += !(i >= 5 && (i - 5) % 7 == 0);
    CHECK_EQ_INT(ts_dir_count(dst_dir), completed);

    for (int i = 0; i < JOBS; i++)
        bgcopy_job_release(jobs[i]);
    free(jobs);
    free(ids);
    bgcopy_manager_close(m);
    ts_rmtree(src_dir);
    ts_rmtree(dst_dir);
    free(src);
    free(policy);
    free(src_dir);
    free(dst_dir);
    printf("core_queue_scale: ok\n");
    return 0;
}
