/* The record's dirty marks (core/src/record.h, R1-R2; docs/architecture.md,
 * "The job record"): what a store will find to write after each API call
 * and transfer.  Local sources through the real transport, real files. */
#include "core_test.h"
#include "internal.h"

#define SIZE (256u * 1024u + 7u)

typedef struct {
    bgcopy_job *job;             /* NULL: nothing was dirty */
    uint32_t what;
    uint32_t files[4];           /* each file's own marks */
    bgcopy_job_state state;
    int more;                    /* another job was dirty too */
} drained;

/* Take the oldest dirty job and its files' marks, as the store will. */
static drained drain(bgcopy_manager *m)
{
    drained d;
    memset(&d, 0, sizeof d);
    LOCK_M(m);
    d.job = bgc_record_take_dirty(m, &d.what);
    if (d.job) {
        for (uint32_t i = 0; i < 4; i++)
            d.files[i] = bgc_record_take_file_dirty(d.job, i);
        d.state = d.job->state;
    }
    d.more = m->dirty_head != NULL;
    UNLOCK_M(m);
    if (d.job)
        bgcopy_job_release(d.job);           /* the list's reference, now ours */
    return d;
}

static void expect_clean(bgcopy_manager *m)
{
    drained d = drain(m);
    CHECK(d.job == NULL);
}

/* |job| left the queue in |state| after the caller's last release: the
 * list still holds it, marked gone, so the store can delete its rows. */
static void expect_gone(bgcopy_manager *m, bgcopy_job *job, bgcopy_job_state state)
{
    bgcopy_job_release(job);
    drained d = drain(m);
    CHECK(d.job == job);
    CHECK(d.what & BGC_DIRTY_GONE);
    CHECK_EQ_INT(d.state, state);
    expect_clean(m);
}

static void tracking(bgcopy_manager *m, int on)
{
    LOCK_M(m);
    bgc_record_set_tracking(m, on);
    UNLOCK_M(m);
}

int main(void)
{
    char *src_dir = ts_mkdtemp(), *dst_dir = ts_mkdtemp();
    char *src = ct_path(src_dir, "a.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, SIZE), 0);
    char *d0 = ct_path(dst_dir, "0.bin"), *d1 = ct_path(dst_dir, "1.bin");
    char *d2 = ct_path(dst_dir, "2.bin");

    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));

    /* No store: nothing is kept, whatever happens. */
    bgcopy_job *idle = ct_new_job(m, "untracked");
    CHECK_HR_OK(bgcopy_job_set_description(idle, "x"));
    expect_clean(m);

    tracking(m, 1);
    /* A new job is a new row. */
    bgcopy_job *job = ct_new_job(m, "record");
    drained d = drain(m);
    CHECK(d.job == job);
    CHECK_EQ_INT(d.what, BGC_DIRTY_JOB);
    CHECK(!d.more);
    expect_clean(m);

    /* A property: the job row only; a read marks nothing. */
    CHECK_HR_OK(bgcopy_job_set_display_name(job, "renamed"));
    char *name = NULL;
    CHECK_HR_OK(bgcopy_job_get_display_name(job, &name));
    free(name);
    d = drain(m);
    CHECK(d.job == job);
    CHECK_EQ_INT(d.what, BGC_DIRTY_JOB);
    CHECK_EQ_INT(d.files[0], 0);
    expect_clean(m);

    /* Two jobs changed: two entries, oldest first, each once. */
    CHECK_HR_OK(bgcopy_job_set_description(idle, "y"));
    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 60));
    CHECK_HR_OK(bgcopy_job_set_description(idle, "z"));
    d = drain(m);
    CHECK(d.job == idle);
    CHECK(d.more);
    d = drain(m);
    CHECK(d.job == job);
    CHECK(!d.more);

    /* AddFile: the job row and file 0's row. */
    CHECK_HR_OK(bgcopy_job_add_file(job, src, d0));
    d = drain(m);
    CHECK(d.job == job);
    CHECK_EQ_INT(d.what, BGC_DIRTY_JOB | BGC_DIRTY_FILE);
    CHECK_EQ_INT(d.files[0], BGC_DIRTY_FILE);
    expect_clean(m);

    /* A transfer: the state, and file 0's progress and row. */
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    d = drain(m);
    CHECK(d.job == job);
    CHECK(d.what & BGC_DIRTY_JOB);
    CHECK(d.what & BGC_DIRTY_PROGRESS);
    CHECK(d.files[0] & BGC_DIRTY_PROGRESS);
    CHECK(d.files[0] & BGC_DIRTY_FILE);      /* finished, temporary file created */
    CHECK(!(d.what & BGC_DIRTY_GONE));

    /* A second file: only file 1 is marked; the finished file 0 is not
     * written again. */
    CHECK_HR_OK(bgcopy_job_add_file(job, src, d1));
    d = drain(m);
    CHECK_EQ_INT(d.files[0], 0);
    CHECK_EQ_INT(d.files[1], BGC_DIRTY_FILE);
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    d = drain(m);
    CHECK(d.job == job);
    CHECK_EQ_INT(d.files[0], 0);
    CHECK(d.files[1] & BGC_DIRTY_PROGRESS);

    /* Complete: the rows go. */
    CHECK_HR_OK(bgcopy_job_complete(job));
    CHECK(ts_file_matches_gen(d0, SIZE));
    CHECK(ts_file_matches_gen(d1, SIZE));
    expect_gone(m, job, BGCOPY_JOB_STATE_ACKNOWLEDGED);

    /* Cancel of a job with a temporary file: the same. */
    bgcopy_job *gone = ct_new_job(m, "cancelled");
    CHECK_HR_OK(bgcopy_job_add_file(gone, src, d2));
    CHECK_HR_OK(bgcopy_job_resume(gone));
    ct_wait_state(gone, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    (void)drain(m);
    CHECK_HR_OK(bgcopy_job_cancel(gone));
    CHECK(!ct_exists(d2));
    expect_gone(m, gone, BGCOPY_JOB_STATE_CANCELLED);

    /* Tracking off: nothing accumulates. */
    tracking(m, 0);
    CHECK_HR_OK(bgcopy_job_set_description(idle, "w"));
    expect_clean(m);

    /* Marks nobody drained are released at close (LeakSanitizer checks). */
    tracking(m, 1);
    CHECK_HR_OK(bgcopy_job_set_description(idle, "v"));
    bgcopy_job *late = ct_new_job(m, "never drained");
    CHECK_HR_OK(bgcopy_job_cancel(late));
    bgcopy_job_release(late);
    bgcopy_job_release(idle);
    bgcopy_manager_close(m);

    ts_rmtree(src_dir);
    ts_rmtree(dst_dir);
    free(src);
    free(d0);
    free(d1);
    free(d2);
    free(src_dir);
    free(dst_dir);
    printf("record_marks: ok\n");
    return 0;
}
