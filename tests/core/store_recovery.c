/*
 * store_recovery.c - start-up recovery of temporary files
 * (docs/persistence.md, "Start-up recovery").  Four jobs transfer part of
 * their file and are suspended; the manager closes (a last checkpoint
 * records their progress).  Then each temporary file is changed behind the
 * queue's back: deleted, made longer, made shorter, replaced by another
 * file.  After the reopen each file's progress is what the rules say, the
 * longer one is cut back to its record, the replacement is left alone under
 * its name, and every job completes byte-exact.
 */
#include "core_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 3000000u
#define RATE 1500000u
#define JOBS 4

enum { MISSING, LONGER, SHORTER, REPLACED };

static bgcopy_hr open_q(const char *dir, bgcopy_manager **m)
{
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.state_dir = dir;
    o.queue = BGCOPY_QUEUE_PERSISTENT;
    return bgcopy_manager_open(&o, m);
}

static bgcopy_file_info file_info(bgcopy_job *job)
{
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    return fi;
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *base = ts_mkdtemp();
    char *dir = ts_path_join(base, "queue");
    char *url = ts_url(&srv, "/gen/%u?rate=%u", SIZE, RATE);
    char *dest[JOBS];
    bgcopy_guid id[JOBS];

    /* Part of each file, then Suspend and close. */
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(open_q(dir, &m));
    bgcopy_job *job[JOBS];
    for (int i = 0; i < JOBS; i++) {
        char name[32];
        snprintf(name, sizeof name, "out-%d.bin", i);
        dest[i] = ts_path_join(base, name);
        CHECK_HR_OK(bgcopy_manager_create_job(m, name, BGCOPY_JOB_TYPE_DOWNLOAD, &id[i], &job[i]));
        CHECK_HR_OK(bgcopy_job_set_priority(job[i], BGCOPY_JOB_PRIORITY_FOREGROUND));
        CHECK_HR_OK(bgcopy_job_add_file(job[i], url, dest[i]));
        CHECK_HR_OK(bgcopy_job_resume(job[i]));
    }
    uint64_t deadline = ts_now_ms() + 30000;
    for (int i = 0; i < JOBS; i++) {
        bgcopy_file_progress p = { 0, 0, 0 };
        while (ts_now_ms() < deadline) {
            CHECK_HR_OK(bgcopy_job_get_file_progress(job[i], 0, &p));
            if (p.bytes_transferred >= SIZE / 4)
                break;
            ts_sleep_ms(20);
        }
        CHECK_GE_U64(p.bytes_transferred, SIZE / 4);
    }
    for (int i = 0; i < JOBS; i++)
        CHECK_HR_OK(bgcopy_job_suspend(job[i]));
    uint64_t recorded[JOBS];
    char *temp[JOBS];
    for (int i = 0; i < JOBS; i++) {
        bgcopy_file_info fi = file_info(job[i]);
        recorded[i] = fi.progress.bytes_transferred;
        temp[i] = strdup(fi.temporary_name);
        bgcopy_file_info_clear(&fi);
        CHECK_LT_U64(recorded[i], SIZE);
        bgcopy_job_release(job[i]);
    }
    bgcopy_manager_close(m);

    /* Behind the queue's back. */
    for (int i = 0; i < JOBS; i++)
        CHECK_EQ_I64(ts_file_size(temp[i]), (int64_t)recorded[i]);
    CHECK_EQ_INT(ts_remove(temp[MISSING]), 0);
    size_t len = 0;
    char *bytes = ts_read_file(temp[LONGER], &len);
    CHECK(bytes != NULL);
    char *longer = malloc(len + 5000);
    memcpy(longer, bytes, len);
    memset(longer + len, 'J', 5000);
    CHECK_EQ_INT(ts_write_file(temp[LONGER], longer, len + 5000), 0);
    free(longer);
    free(bytes);
    uint64_t short_len = recorded[SHORTER] / 2;
    bytes = ts_read_file(temp[SHORTER], &len);
    CHECK(bytes != NULL);
    CHECK_EQ_INT(ts_write_file(temp[SHORTER], bytes, short_len), 0);
    free(bytes);
    /* Another file renamed over the name (both exist at once, so the new
     * one cannot reuse the old inode). */
    char *other = ts_path_join(base, "someone-elses.bin");
    static const char theirs[] = "not bgcopy's file";
    CHECK_EQ_INT(ts_write_file(other, theirs, sizeof theirs - 1), 0);
    uv_fs_t req;
    CHECK_EQ_INT(uv_fs_rename(NULL, &req, other, temp[REPLACED], NULL), 0);
    uv_fs_req_cleanup(&req);

    /* Reopened: the rules. */
    CHECK_HR_OK(open_q(dir, &m));
    for (int i = 0; i < JOBS; i++) {
        CHECK_HR_OK(bgcopy_manager_get_job(m, &id[i], &job[i]));
        bgcopy_job_state st;
        CHECK_HR_OK(bgcopy_job_get_state(job[i], &st));
        CHECK_EQ_INT(st, BGCOPY_JOB_STATE_SUSPENDED);
    }
    bgcopy_file_info fi = file_info(job[MISSING]);
    CHECK_EQ_U64(fi.progress.bytes_transferred, 0);
    bgcopy_file_info_clear(&fi);
    fi = file_info(job[LONGER]);
    CHECK_EQ_U64(fi.progress.bytes_transferred, recorded[LONGER]);
    CHECK_EQ_I64(ts_file_size(temp[LONGER]), (int64_t)recorded[LONGER]);
    bgcopy_file_info_clear(&fi);
    fi = file_info(job[SHORTER]);
    CHECK_EQ_U64(fi.progress.bytes_transferred, short_len);
    bgcopy_file_info_clear(&fi);
    fi = file_info(job[REPLACED]);
    CHECK_EQ_U64(fi.progress.bytes_transferred, 0);
    CHECK(strcmp(fi.temporary_name, temp[REPLACED]) != 0);
    bgcopy_file_info_clear(&fi);

    for (int i = 0; i < JOBS; i++)
        CHECK_HR_OK(bgcopy_job_resume(job[i]));
    for (int i = 0; i < JOBS; i++) {
        ct_wait_state(job[i], BGCOPY_JOB_STATE_TRANSFERRED, 60000);
        CHECK_HR_OK(bgcopy_job_complete(job[i]));
        CHECK(ts_file_matches_gen(dest[i], SIZE));
        bgcopy_job_release(job[i]);
    }
    /* The file put in place of a temporary file is never touched. */
    char *left = ts_read_file(temp[REPLACED], &len);
    CHECK(left != NULL);
    CHECK_EQ_U64(len, sizeof theirs - 1);
    CHECK(memcmp(left, theirs, len) == 0);
    free(left);
    bgcopy_manager_close(m);

    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(base);
    for (int i = 0; i < JOBS; i++) {
        free(dest[i]);
        free(temp[i]);
    }
    free(other);
    free(url);
    free(dir);
    free(base);
    printf("core_store_recovery: all passed\n");
    return 0;
}
