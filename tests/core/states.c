/* The legality rules of spec 6.1/6.2 and argument checks, through the
 * native API: BG_E_EMPTY, BG_E_INVALID_STATE after Cancel/Complete, Cancel
 * deleting temporary files, Complete before TRANSFERRED keeping only
 * finished files, and AddFile's checks. */
#include "core_test.h"

#include <stdio.h>

typedef struct { bgcopy_job *job; uint32_t idx; uint64_t at_least; } fwait;
static int file_progressed(void *arg)
{
    fwait *w = arg;
    bgcopy_file_progress p;
    return bgcopy_job_get_file_progress(w->job, w->idx, &p) == BGCOPY_S_OK &&
           p.bytes_transferred >= w->at_least;
}

static void test_empty_and_final(bgcopy_manager *m, const char *dir, ts_server *srv)
{
    bgcopy_job *job = ct_new_job(m, "empty");
    bgcopy_job_state st;
    CHECK_EQ_HR(bgcopy_job_resume(job), BGCOPY_E_EMPTY);
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_SUSPENDED);           /* stays SUSPENDED */
    bgcopy_job_error e;
    CHECK_EQ_HR(bgcopy_job_get_error(job, &e), BGCOPY_E_ERROR_INFORMATION_UNAVAILABLE);
    uint32_t flags = 0;
    CHECK_HR_OK(bgcopy_job_get_notify_flags(job, &flags));
    CHECK_EQ_INT(flags, 3);
    bgcopy_job_priority pr;
    CHECK_HR_OK(bgcopy_job_get_priority(job, &pr));
    CHECK_EQ_INT(pr, BGCOPY_JOB_PRIORITY_NORMAL);
    uint32_t secs = 0;
    CHECK_HR_OK(bgcopy_job_get_minimum_retry_delay(job, &secs));
    CHECK_EQ_INT(secs, 600);
    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 1));
    CHECK_HR_OK(bgcopy_job_get_minimum_retry_delay(job, &secs));
    CHECK_EQ_INT(secs, 5);                                   /* raised, not rejected */
    CHECK_HR_OK(bgcopy_job_get_no_progress_timeout(job, &secs));
    CHECK_EQ_INT(secs, 1209600);
    CHECK_EQ_HR(bgcopy_job_set_priority(job, (bgcopy_job_priority)7), BGCOPY_E_NOTIMPL);
    CHECK_EQ_HR(bgcopy_job_set_notify_flags(job, 0x40), BGCOPY_E_NOTIMPL);

    CHECK_EQ_HR(bgcopy_job_cancel(job), BGCOPY_S_OK);
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_CANCELLED);
    CHECK_EQ_HR(bgcopy_job_cancel(job), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_resume(job), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_suspend(job), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_set_display_name(job, "x"), BGCOPY_E_INVALID_STATE);
    char *url = ts_url(srv, "/gen/10");
    char *dest = ct_path(dir, "never.bin");
    CHECK_EQ_HR(bgcopy_job_add_file(job, url, dest), BGCOPY_E_INVALID_STATE);
    char *name = NULL;
    CHECK_HR_OK(bgcopy_job_get_display_name(job, &name));     /* getters keep working */
    CHECK_EQ_STR(name, "empty");
    bgcopy_free(name);
    bgcopy_job_release(job);

    /* Complete twice: the second is BG_E_INVALID_STATE. */
    job = ct_new_job(m, "complete twice");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_cancel(job), BGCOPY_E_INVALID_STATE);
    CHECK(ts_file_matches_gen(dest, 10));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_cancel_deletes_temp(bgcopy_manager *m, const char *dir, ts_server *srv)
{
    char *url = ts_url(srv, "/gen/%u?rate=%u", 8u << 20, 1u << 20);
    char *dest = ct_path(dir, "cancelled.bin");
    bgcopy_job *job = ct_new_job(m, "cancel me");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    fwait w = {job, 0, 200000};
    CHECK(ts_wait_until(file_progressed, &w, 20000));
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    CHECK(ct_exists(fi.temporary_name));
    CHECK_EQ_HR(bgcopy_job_cancel(job), BGCOPY_S_OK);
    CHECK(!ct_exists(fi.temporary_name));
    CHECK(!ct_exists(dest));
    bgcopy_file_info_clear(&fi);
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_partial_complete(bgcopy_manager *m, const char *dir, ts_server *srv)
{
    char *url1 = ts_url(srv, "/gen/%u", 5000u);
    char *url2 = ts_url(srv, "/gen/%u?rate=%u", 8u << 20, 1u << 20);
    char *d1 = ct_path(dir, "first.bin"), *d2 = ct_path(dir, "second.bin");
    bgcopy_job *job = ct_new_job(m, "partial");
    CHECK_HR_OK(bgcopy_job_add_file(job, url1, d1));
    CHECK_HR_OK(bgcopy_job_add_file(job, url2, d2));
    CHECK_HR_OK(bgcopy_job_resume(job));
    fwait w = {job, 1, 100000};                              /* second file under way */
    CHECK(ts_wait_until(file_progressed, &w, 20000));
    bgcopy_job_progress jp;
    CHECK_HR_OK(bgcopy_job_get_progress(job, &jp));
    CHECK_EQ_INT(jp.files_total, 2);
    CHECK_EQ_INT(jp.files_transferred, 1);
    CHECK_EQ_U64(jp.bytes_total, 5000u + (8u << 20));
    bgcopy_file_info f2;
    CHECK_HR_OK(bgcopy_job_get_file(job, 1, &f2));
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_PARTIAL_COMPLETE);
    CHECK(ts_file_matches_gen(d1, 5000u));                   /* finished file kept */
    CHECK(!ct_exists(d2));                                   /* unfinished discarded */
    CHECK(!ct_exists(f2.temporary_name));
    bgcopy_file_progress p1;
    CHECK_HR_OK(bgcopy_job_get_file_progress(job, 0, &p1));
    CHECK_EQ_INT(p1.completed, 1);
    CHECK_HR_OK(bgcopy_job_get_file_progress(job, 1, &p1));
    CHECK_EQ_INT(p1.completed, 0);
    bgcopy_file_info_clear(&f2);
    bgcopy_job_release(job);
    free(url1); free(url2); free(d1); free(d2);
}

static void test_add_file_checks(bgcopy_manager *m, const char *dir)
{
    bgcopy_job *job = ct_new_job(m, "checks");
    char *ok_dest = ct_path(dir, "x.bin");
    char *no_dir = ct_path(dir, "no/such/dir/x.bin");
    CHECK_EQ_HR(bgcopy_job_add_file(job, "http://127.0.0.1:1/x", "relative/x.bin"), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file(job, "ftp://127.0.0.1/x", ok_dest), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file(job, "relative/source", ok_dest), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file(job, NULL, ok_dest), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file(job, "http://127.0.0.1:1/x", no_dir), BGCOPY_E_PATH_NOT_FOUND);
    CHECK_EQ_HR(bgcopy_job_add_file(job, "http://127.0.0.1:1/x", dir), BGCOPY_E_INVALIDARG);
    /* Text that is not well-formed UTF-8 (docs/security.md): an
     * overlong "/" (E0 80 AF) in a local name, a code point above U+10FFFF
     * in a URL, a UTF-16 surrogate in a display name. */
    char *overlong = ct_path(dir, "x\xe0\x80\xaf..\xe0\x80\xafy.bin");
    CHECK_EQ_HR(bgcopy_job_add_file(job, "http://127.0.0.1:1/x", overlong), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file(job, "http://127.0.0.1:1/\xf4\x90\x80\x80", ok_dest),
                BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_set_display_name(job, "a\xed\xa0\x80"), BGCOPY_E_INVALIDARG);
    free(overlong);
    char longurl[2300];
    memset(longurl, 'a', sizeof longurl);
    memcpy(longurl, "http://127.0.0.1/", 17);
    longurl[sizeof longurl - 1] = 0;
    CHECK_EQ_HR(bgcopy_job_add_file(job, longurl, ok_dest), BGCOPY_E_INVALIDARG);
    uint32_t n = 9;
    CHECK_HR_OK(bgcopy_job_get_file_count(job, &n));
    CHECK_EQ_INT(n, 0);                                      /* nothing bad was added */
    for (int i = 0; i < BGCOPY_MAX_FILES_PER_JOB; i++)
        CHECK_HR_OK(bgcopy_job_add_file(job, "http://127.0.0.1:1/x", ok_dest));
    CHECK_EQ_HR(bgcopy_job_add_file(job, "http://127.0.0.1:1/x", ok_dest),
                BGCOPY_E_TOO_MANY_FILES_IN_JOB);
    char name[300];
    memset(name, 'n', sizeof name);
    name[257] = 0;
    CHECK_EQ_HR(bgcopy_job_set_display_name(job, name), BGCOPY_E_STRING_TOO_LONG);
    name[256] = 0;
    CHECK_HR_OK(bgcopy_job_set_display_name(job, name));
    CHECK_EQ_HR(bgcopy_manager_create_job(m, NULL, BGCOPY_JOB_TYPE_DOWNLOAD, NULL, NULL),
                BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_manager_create_job(m, "up", BGCOPY_JOB_TYPE_UPLOAD, NULL, NULL),
                BGCOPY_E_NOTIMPL);
    CHECK_EQ_HR(bgcopy_job_cancel(job), BGCOPY_S_OK);
    bgcopy_job_release(job);
    free(ok_dest);
    free(no_dir);
}

static void test_enum(bgcopy_manager *m)
{
    bgcopy_guid ids[3];
    bgcopy_job *jobs[3];
    for (int i = 0; i < 3; i++)
        CHECK_HR_OK(bgcopy_manager_create_job(m, "enum", BGCOPY_JOB_TYPE_DOWNLOAD, &ids[i], &jobs[i]));
    bgcopy_job **list;
    size_t n;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &list, &n));
    CHECK_EQ_INT((int)n, 3);
    for (int i = 0; i < 3; i++)
        CHECK(list[i] == jobs[i]);                           /* oldest first */
    bgcopy_job_list_free(list, n);
    CHECK_EQ_HR(bgcopy_manager_enum_jobs(m, 2, &list, &n), BGCOPY_E_INVALIDARG);
    char s[39];
    bgcopy_guid back;
    bgcopy_guid_to_string(&ids[0], s);
    CHECK_EQ_INT((int)strlen(s), 38);
    CHECK_HR_OK(bgcopy_guid_from_string(s, &back));
    CHECK(memcmp(&back, &ids[0], sizeof back) == 0);
    CHECK_EQ_HR(bgcopy_guid_from_string("{nope}", &back), BGCOPY_E_INVALIDARG);
    /* A released handle does not cancel: the queue keeps the job. */
    bgcopy_job_release(jobs[1]);
    bgcopy_job *found = NULL;
    CHECK_HR_OK(bgcopy_manager_get_job(m, &ids[1], &found));
    CHECK_HR_OK(bgcopy_job_cancel(found));
    bgcopy_job_release(found);
    CHECK_EQ_HR(bgcopy_manager_get_job(m, &ids[1], &found), BGCOPY_E_NOT_FOUND);
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, BGCOPY_JOB_ENUM_ALL_USERS, &list, &n));
    CHECK_EQ_INT((int)n, 2);
    bgcopy_job_list_free(list, n);
    bgcopy_job_cancel(jobs[0]);
    bgcopy_job_cancel(jobs[2]);
    bgcopy_job_release(jobs[0]);
    bgcopy_job_release(jobs[2]);
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    char *dir = ts_mkdtemp();
    test_empty_and_final(m, dir, &srv);
    test_cancel_deletes_temp(m, dir, &srv);
    test_partial_complete(m, dir, &srv);
    test_add_file_checks(m, dir);
    test_enum(m);
    /* A job left in the queue at close: its handle stays usable for getters. */
    bgcopy_job *left = ct_new_job(m, "left over");
    bgcopy_manager_close(m);
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(left, &st));
    CHECK_EQ_HR(bgcopy_job_resume(left), BGCOPY_E_INVALID_STATE);
    bgcopy_job_release(left);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_states: ok\n");
    return 0;
}
