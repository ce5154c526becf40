/* Remote names checked at the door (issue 10, item 8).
 *  - AddFile, SetRemoteName and ReplaceRemotePrefix refuse URLs that curl
 *    would refuse later (spaces, CR/LF, other control bytes, a bad host or
 *    port) with E_INVALIDARG and leave the job as it was;
 *  - file: URLs mean the same to AddFile and to the transfer (one parser):
 *    what AddFile accepts is copied ("file:/p", "file://localhost/p",
 *    escapes), what the transfer could not read is refused at AddFile (a
 *    bad escape, %00, a query or fragment). */
#include "core_test.h"

#include <stdio.h>

#define SIZE 100000u

static const char *const bad_http[] = {
    "http://h/a b",
    "http://h/a\r\nX: y",
    "http://h/a\nb",
    "http://h/a\rb",
    "http://h/a\tb",
    "http://h/a\x01" "b",
    "http://h/a\x7f" "b",
    "http://h/a?q=\r\nX: y",
    "http://h/a#\x1b[0m",
    "http://h x/a",
    "http://h:99999/a",
    "http://",
    "https://[::1/a",
    "ftp://h/a",
    "h/a",
};

static void check_file_count(bgcopy_job *job, uint32_t want)
{
    uint32_t n = 99;
    CHECK_HR_OK(bgcopy_job_get_file_count(job, &n));
    CHECK_EQ_INT(n, want);
}

static void check_remote(bgcopy_job *job, uint32_t idx, const char *want)
{
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, idx, &fi));
    CHECK_EQ_STR(fi.remote_name, want);
    bgcopy_file_info_clear(&fi);
}

static void test_bad_urls(bgcopy_manager *m, const char *dir)
{
    char *dst = ct_path(dir, "never.bin");
    bgcopy_job *job = ct_new_job(m, "door");
    bgcopy_job_times t0, t1;
    CHECK_HR_OK(bgcopy_job_add_file(job, "http://127.0.0.1:9/a", dst));
    CHECK_HR_OK(bgcopy_job_add_file(job, "http://127.0.0.1:9/b", dst));
    CHECK_HR_OK(bgcopy_job_get_times(job, &t0));
    ts_sleep_ms(2);
    for (size_t i = 0; i < sizeof bad_http / sizeof bad_http[0]; i++) {
        const char *u = bad_http[i];
        CHECK_MSG(bgcopy_job_add_file(job, u, dst) == BGCOPY_E_INVALIDARG, "AddFile accepted %s", u);
        CHECK_MSG(bgcopy_job_set_file_remote_name(job, 0, u) == BGCOPY_E_INVALIDARG,
                  "SetRemoteName accepted %s", u);
    }
    bgcopy_file_range r = {0, 10};
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, "http://h/a b", dst, &r, 1),
                BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, "http://h/a\r\nX: y", dst, &r, 1),
                BGCOPY_E_INVALIDARG);
    check_file_count(job, 2);
    CHECK_HR_OK(bgcopy_job_get_times(job, &t1));
    CHECK_EQ_U64(t1.modification_time, t0.modification_time);
    check_remote(job, 0, "http://127.0.0.1:9/a");
    /* ReplaceRemotePrefix: the second name would carry a space; nothing
     * changes, not even the first name, whose result would be valid. */
    CHECK_EQ_HR(bgcopy_job_replace_remote_prefix(job, "http://127.0.0.1:9/", "http://h/ok/"),
                BGCOPY_S_OK);
    CHECK_EQ_HR(bgcopy_job_set_file_remote_name(job, 1, "http://h/x y"), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_set_file_remote_name(job, 1, "http://h/bb"), BGCOPY_S_OK);
    CHECK_EQ_HR(bgcopy_job_replace_remote_prefix(job, "http://h/", "http://h/a b/"),
                BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_replace_remote_prefix(job, "http://h/", "http://h/\r\nX: y/"),
                BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_replace_remote_prefix(job, "http://h/bb", "http://h/b\x01"),
                BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_replace_remote_prefix(job, "http://h/", "file:///tmp/%zz"),
                BGCOPY_E_INVALIDARG);
    check_file_count(job, 2);
    check_remote(job, 0, "http://h/ok/a");
    check_remote(job, 1, "http://h/bb");
    /* Percent-encoded bytes are data, not syntax: accepted. */
    CHECK_HR_OK(bgcopy_job_set_file_remote_name(job, 1, "http://h/a%20b%0D%0A"));
    check_remote(job, 1, "http://h/a%20b%0D%0A");
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(dst);
}

/* "file:///..." with "file://" replaced by |prefix| (caller frees). */
static char *respell(const char *url, const char *prefix)
{
    CHECK(strncmp(url, "file://", 7) == 0);
    size_t n = strlen(prefix) + strlen(url + 7) + 1;
    char *out = malloc(n);
    CHECK_NOT_NULL(out);
    snprintf(out, n, "%s%s", prefix, url + 7);
    return out;
}

static void fetch(bgcopy_manager *m, const char *remote, const char *dest)
{
    bgcopy_job *job = ct_new_job(m, remote);
    CHECK_MSG(bgcopy_job_add_file(job, remote, dest) == BGCOPY_S_OK, "AddFile refused %s", remote);
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, SIZE));
    CHECK_EQ_INT(ts_remove(dest), 0);
    bgcopy_job_release(job);
}

static void test_file_urls(bgcopy_manager *m, const char *src, const char *dir)
{
    char *url = ts_file_url(src);              /* file:///.../source%20file.bin */
    char *dst = ct_path(dir, "copy.bin");
    fetch(m, url, dst);
    char *one_slash = respell(url, "file:");   /* file:/... (RFC 8089) */
    fetch(m, one_slash, dst);
    char *localhost = respell(url, "file://localhost"); /* file://localhost/... */
    fetch(m, localhost, dst);

    /* Refused at AddFile, not accepted and then failed by the transfer. */
    bgcopy_job *job = ct_new_job(m, "file-door");
    size_t n = strlen(url) + 16;
    char *bad = malloc(n);
    CHECK_NOT_NULL(bad);
    static const char *const suffixes[] = {"%zz", "%2", "%00x", "?query", "#frag", "?"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(bad, n, "%s%s", url, suffixes[i]);
        CHECK_MSG(bgcopy_job_add_file(job, bad, dst) == BGCOPY_E_INVALIDARG, "AddFile accepted %s",
                  bad);
    }
    CHECK_EQ_HR(bgcopy_job_add_file(job, "file:relative.bin", dst), BGCOPY_E_INVALIDARG);
#ifndef _WIN32
    /* No remote file names on POSIX (on Windows this is a UNC name). */
    CHECK_EQ_HR(bgcopy_job_add_file(job, "file://server.example/share/x", dst),
                BGCOPY_E_INVALIDARG);
#endif
    check_file_count(job, 0);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(bad);
    free(url);
    free(one_slash);
    free(localhost);
    free(dst);
}

int main(void)
{
    char *src_dir = ts_mkdtemp(), *dst_dir = ts_mkdtemp();
    char *src = ct_path(src_dir, "source file.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, SIZE), 0);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));

    test_bad_urls(m, dst_dir);
    test_file_urls(m, src, dst_dir);

    bgcopy_manager_close(m);
    ts_rmtree(src_dir);
    ts_rmtree(dst_dir);
    free(src);
    free(src_dir);
    free(dst_dir);
    printf("core_remote_names: ok\n");
    return 0;
}
