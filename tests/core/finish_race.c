/* Complete and Cancel race on one job (docs/architecture.md, "Complete and
 * Cancel"): the file work runs outside the engine lock, yet two threads
 * calling Complete/Cancel or Complete/Complete at once on one TRANSFERRED
 * job still give exactly one winner.  What a user checks: one call answers
 * S_OK, the other BG_E_INVALID_STATE; the job ends ACKNOWLEDGED with every
 * destination holding its bytes (Complete won) or CANCELLED with none
 * (Cancel won); no temporary file is left in the directory either way. */
#include "core_test.h"

#include <stdio.h>

#define SIZE (256u * 1024u + 7u)
#define ROUNDS 40

typedef struct {
    bgcopy_job *job;
    uv_barrier_t *start;
    int cancel;               /* 1: Cancel, 0: Complete */
    bgcopy_hr hr;
} racer;

static void race(void *p)
{
    racer *r = p;
    uv_barrier_wait(r->start);
    r->hr = r->cancel ? bgcopy_job_cancel(r->job) : bgcopy_job_complete(r->job);
}

int main(void)
{
    char *src_dir = ts_mkdtemp(), *dst_dir = ts_mkdtemp();
    char *src = ct_path(src_dir, "source.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, SIZE), 0);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));

    int complete_won = 0, cancel_won = 0;
    for (int round = 0; round < ROUNDS; round++) {
        char name[64];
        snprintf(name, sizeof name, "a%d.bin", round);
        char *d1 = ct_path(dst_dir, name);
        snprintf(name, sizeof name, "b%d.bin", round);
        char *d2 = ct_path(dst_dir, name);
        bgcopy_job *job = ct_new_job(m, "finish race");
        CHECK_HR_OK(bgcopy_job_add_file(job, src, d1));
        CHECK_HR_OK(bgcopy_job_add_file(job, src, d2));
        CHECK_HR_OK(bgcopy_job_resume(job));
        ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);

        /* Two of three rounds race Cancel against Complete, the third
         * Complete against Complete. */
        int both_complete = round % 3 == 2;
        uv_barrier_t start;
        CHECK_EQ_INT(uv_barrier_init(&start, 2), 0);
        racer a = {job, &start, 0, 0}, b = {job, &start, !both_complete, 0};
        uv_thread_t ta, tb;
        CHECK_EQ_INT(uv_thread_create(&ta, race, &a), 0);
        CHECK_EQ_INT(uv_thread_create(&tb, race, &b), 0);
        CHECK_EQ_INT(uv_thread_join(&ta), 0);
        CHECK_EQ_INT(uv_thread_join(&tb), 0);
        uv_barrier_destroy(&start);

        CHECK_MSG((a.hr == BGCOPY_S_OK && b.hr == BGCOPY_E_INVALID_STATE) ||
                      (b.hr == BGCOPY_S_OK && a.hr == BGCOPY_E_INVALID_STATE),
                  "round %d: Complete 0x%08x, %s 0x%08x", round, (unsigned)a.hr,
                  both_complete ? "Complete" : "Cancel", (unsigned)b.hr);
        int completed = a.hr == BGCOPY_S_OK || both_complete;
        bgcopy_job_state st;
        CHECK_HR_OK(bgcopy_job_get_state(job, &st));
        if (completed) {
            complete_won++;
            CHECK_EQ_INT(st, BGCOPY_JOB_STATE_ACKNOWLEDGED);
            CHECK(ts_file_matches_gen(d1, SIZE));
            CHECK(ts_file_matches_gen(d2, SIZE));
        } else {
            cancel_won++;
            CHECK_EQ_INT(st, BGCOPY_JOB_STATE_CANCELLED);
            CHECK(!ct_exists(d1));
            CHECK(!ct_exists(d2));
        }
        /* Only destinations are left: no BIT*.tmp of this or any round. */
        CHECK_EQ_INT(ts_dir_count(dst_dir), 2 * complete_won);
        /* Both calls again: the job is final. */
        CHECK_EQ_HR(bgcopy_job_cancel(job), BGCOPY_E_INVALID_STATE);
        CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_E_INVALID_STATE);
        bgcopy_job_release(job);
        free(d1);
        free(d2);
    }
    printf("Complete won %d rounds, Cancel won %d\n", complete_won, cancel_won);

    bgcopy_job **jobs = NULL;
    size_t n = 99;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &jobs, &n));
    CHECK_EQ_INT(n, 0);                      /* every winner took the job out of the queue */
    bgcopy_job_list_free(jobs, n);
    bgcopy_manager_close(m);
    ts_rmtree(src_dir);
    ts_rmtree(dst_dir);
    free(src);
    free(src_dir);
    free(dst_dir);
    printf("core_finish_race: ok\n");
    return 0;
}
