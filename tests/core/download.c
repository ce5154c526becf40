/* A real HTTP download through the native API: the state sequence, the
 * hidden temporary file, the rename on Complete, byte-exact content. */
#include "core_test.h"

#include <stdio.h>

#define SIZE (3u * 1024u * 1024u + 17u)

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    char *dest = ct_path(dir, "result.bin");
    /* Throttled so every state lasts long enough to be seen by polling. */
    char *url = ts_url(&srv, "/gen/%u?rate=%u", SIZE, 4u * 1024u * 1024u);

    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    bgcopy_guid id;
    bgcopy_job *job = NULL;
    CHECK_HR_OK(bgcopy_manager_create_job(m, "download test", BGCOPY_JOB_TYPE_DOWNLOAD, &id, &job));

    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_SUSPENDED);           /* new jobs wait for Resume */
    bgcopy_job_progress jp;
    CHECK_HR_OK(bgcopy_job_get_progress(job, &jp));
    CHECK_EQ_U64(jp.bytes_total, 0);
    CHECK_EQ_INT(jp.files_total, 0);

    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    CHECK_EQ_STR(fi.remote_name, url);
    CHECK_EQ_STR(fi.local_name, dest);
    CHECK_EQ_U64(fi.progress.bytes_total, BGCOPY_SIZE_UNKNOWN);
    CHECK_EQ_U64(fi.progress.bytes_transferred, 0);
    CHECK_EQ_INT(fi.progress.completed, 0);
    /* The temporary file lives beside the destination, named as BITS names
     * it ("BIT<hex>.tmp"; ".BIT<hex>.tmp" on POSIX), and is hidden. */
    ct_check_temp_name(dir, fi.temporary_name);
    char *tmp = strdup(fi.temporary_name);
    bgcopy_file_info_clear(&fi);

    bgcopy_job_error err;
    CHECK_EQ_HR(bgcopy_job_get_error(job, &err), BGCOPY_E_ERROR_INFORMATION_UNAVAILABLE);

    CHECK_HR_OK(bgcopy_job_resume(job));

    /* Record every distinct state until TRANSFERRED. */
    bgcopy_job_state seen[32];
    int nseen = 0;
    seen[nseen++] = BGCOPY_JOB_STATE_SUSPENDED;
    int saw_temp_while_transferring = 0;
    uint64_t deadline = ts_now_ms() + 30000;
    for (;;) {
        CHECK_HR_OK(bgcopy_job_get_state(job, &st));
        if (st != seen[nseen - 1]) {
            CHECK(nseen < 32);
            seen[nseen++] = st;
        }
        if (st == BGCOPY_JOB_STATE_TRANSFERRING && ct_exists(tmp)) {
            if (!saw_temp_while_transferring)
                CHECK(ct_is_hidden(tmp));
            saw_temp_while_transferring = 1;
            CHECK(!ct_exists(dest));                         /* invisible until Complete */
        }
        if (st == BGCOPY_JOB_STATE_TRANSFERRED || st == BGCOPY_JOB_STATE_ERROR)
            break;
        CHECK(ts_now_ms() < deadline);
        ts_sleep_ms(1);
    }
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_TRANSFERRED);
    /* The states seen are the legal sequence, in order. */
    static const bgcopy_job_state order[] = {
        BGCOPY_JOB_STATE_SUSPENDED, BGCOPY_JOB_STATE_QUEUED, BGCOPY_JOB_STATE_CONNECTING,
        BGCOPY_JOB_STATE_TRANSFERRING, BGCOPY_JOB_STATE_TRANSFERRED};
    int k = 0;
    for (int i = 0; i < nseen; i++) {
        while (k < 5 && order[k] != seen[i])
            k++;
        CHECK_MSG(k < 5, "state %s out of order", bgcopy_job_state_name(seen[i]));
    }
    int saw_transferring = 0;
    for (int i = 0; i < nseen; i++)
        saw_transferring |= seen[i] == BGCOPY_JOB_STATE_TRANSFERRING;
    CHECK(saw_transferring);
    CHECK(saw_temp_while_transferring);

    /* TRANSFERRED: all bytes in the temporary file, destination still absent. */
    CHECK(ct_exists(tmp));
    CHECK(ct_is_hidden(tmp));
    CHECK(!ct_exists(dest));
    CHECK(ts_file_matches_gen(tmp, SIZE));
    CHECK_HR_OK(bgcopy_job_get_progress(job, &jp));
    CHECK_EQ_U64(jp.bytes_total, SIZE);
    CHECK_EQ_U64(jp.bytes_transferred, SIZE);
    CHECK_EQ_INT(jp.files_total, 1);
    CHECK_EQ_INT(jp.files_transferred, 1);
    bgcopy_job_times times;
    CHECK_HR_OK(bgcopy_job_get_times(job, &times));
    CHECK(times.creation_time > 116444736000000000ull);
    CHECK(times.transfer_completion_time >= times.creation_time);
    CHECK_EQ_HR(bgcopy_job_get_error(job, &err), BGCOPY_E_ERROR_INFORMATION_UNAVAILABLE);

    /* The job is in the queue until Complete. */
    bgcopy_job *again = NULL;
    CHECK_HR_OK(bgcopy_manager_get_job(m, &id, &again));
    CHECK(again == job);
    bgcopy_job_release(again);

    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(!ct_exists(tmp));
    CHECK(ts_file_matches_gen(dest, SIZE));
    CHECK(!ct_is_hidden(dest));                              /* the hidden bit went with the name */
    /* The file carries the server's Last-Modified time (spec 6.3). */
    CHECK_EQ_I64(ct_mtime(dest), 1700000000);
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_ACKNOWLEDGED);
    bgcopy_file_progress fp;
    CHECK_HR_OK(bgcopy_job_get_file_progress(job, 0, &fp));
    CHECK_EQ_INT(fp.completed, 1);
    CHECK_EQ_HR(bgcopy_manager_get_job(m, &id, &again), BGCOPY_E_NOT_FOUND);
    bgcopy_job **list = NULL;
    size_t n = 99;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &list, &n));
    CHECK_EQ_INT((int)n, 0);                                   /* final jobs are not listed */
    bgcopy_job_list_free(list, n);

    /* One HEAD to pin the size, then the body. */
    CHECK_EQ_INT(ts_server_log_count(&srv, "HEAD\t/gen/"), 1);
    CHECK(ts_server_log_count(&srv, "GET\t/gen/") >= 1);

    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(tmp);
    free(url);
    free(dest);
    free(dir);
    printf("core_download: ok\n");
    return 0;
}
