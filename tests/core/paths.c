/*
 * paths.c - local names as each platform spells them, end to end
 * through the engine with a local (file://) source, no server needed:
 *  - full paths are accepted, relative ones refused with E_INVALIDARG;
 *    on Windows drive letters with either separator, and file:///C:/ URLs;
 *  - the temporary file sits beside the destination, named BITS's way
 *    (".BIT<hex>.tmp" on POSIX; "BIT<hex>.tmp" with the hidden attribute
 *    on Windows);
 *  - Complete replaces an existing destination (on Windows too) and leaves
 *    it visible; Cancel removes the temporary file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bgcopy.h>

#include "check.h"
#include "harness.h"

#ifdef _WIN32
#include <windows.h>

/* 1 if the file has FILE_ATTRIBUTE_HIDDEN; fails the test if it is missing. */
static int is_hidden(const char *path)
{
    WCHAR w[1024];
    CHECK(MultiByteToWideChar(CP_UTF8, 0, path, -1, w, 1024) > 0);
    DWORD a = GetFileAttributesW(w);
    CHECK_MSG(a != INVALID_FILE_ATTRIBUTES, "no attributes for %s", path);
    return (a & FILE_ATTRIBUTE_HIDDEN) != 0;
}
#endif

static const uint64_t kSize = 300000;

static int is_sep(char c)
{
#ifdef _WIN32
    return c == '/' || c == '\\';
#else
    return c == '/';
#endif
}


static int job_state_is(void *arg)
{
    void **a = arg;
    bgcopy_job_state s;
    CHECK_HR_OK(bgcopy_job_get_state(a[0], &s));
    return s == *(bgcopy_job_state *)a[1] || s == BGCOPY_JOB_STATE_ERROR;
}

static void wait_state(bgcopy_job *job, bgcopy_job_state want)
{
    void *a[2] = {job, &want};
    bgcopy_job_state s;
    CHECK(ts_wait_until(job_state_is, a, 30000));
    CHECK_HR_OK(bgcopy_job_get_state(job, &s));
    CHECK_MSG(s == want, "job state %s, want %s", bgcopy_job_state_name(s),
              bgcopy_job_state_name(want));
}

/* The temporary file of file 0: beside local (same directory text), named
 * [.]BIT + 8 upper-case hex digits + .tmp.  Returns it (caller frees). */
static char *check_temp_name(bgcopy_job *job, const char *local)
{
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    CHECK_EQ_STR(fi.local_name, local);
    const char *tmp = fi.temporary_name;
    size_t dirlen = 0;
    for (size_t i = 0; local[i]; i++)
        if (is_sep(local[i]))
            dirlen = i + 1;
    CHECK_MSG(strncmp(tmp, local, dirlen) == 0, "%s is not beside %s", tmp, local);
    const char *base = tmp + dirlen;
#ifdef _WIN32
    const char *prefix = "BIT";
#else
    const char *prefix = ".BIT";
#endif
    CHECK_MSG(strncmp(base, prefix, strlen(prefix)) == 0, "temporary name %s", base);
    base += strlen(prefix);
    for (int i = 0; i < 8; i++)
        CHECK_MSG((base[i] >= '0' && base[i] <= '9') || (base[i] >= 'A' && base[i] <= 'F'),
                  "temporary name %s", tmp);
    CHECK_EQ_STR(base + 8, ".tmp");
    char *copy = strdup(tmp);
    CHECK(copy != NULL);
    bgcopy_file_info_clear(&fi);
    return copy;
}

static void test_names_refused(bgcopy_manager *m, const char *src_url, const char *dir)
{
    bgcopy_job *job = NULL;
    CHECK_HR_OK(bgcopy_manager_create_job(m, "refused", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job));
    static const char *const relative[] = {
        "relative.bin", "./relative.bin", "sub/relative.bin",
#ifdef _WIN32
        "C:relative.bin",      /* relative to C:'s current directory */
        "\\no-drive.bin",      /* relative to the current drive */
        "/no-drive.bin",
#else
        "C:\\not-a-drive.bin", /* a plain relative name here */
#endif
    };
    for (size_t i = 0; i < sizeof relative / sizeof relative[0]; i++)
        CHECK_MSG(bgcopy_job_add_file(job, src_url, relative[i]) == BGCOPY_E_INVALIDARG,
                  "accepted %s", relative[i]);
    /* A directory, or a name ending in a separator, is no file name. */
    CHECK_EQ_HR(bgcopy_job_add_file(job, src_url, dir), BGCOPY_E_INVALIDARG);
    char *slash = ts_path_join(dir, "");
    CHECK_EQ_HR(bgcopy_job_add_file(job, src_url, slash), BGCOPY_E_INVALIDARG);
    free(slash);
    /* A missing directory. */
    char *missing_dir = ts_path_join(dir, "missing");
    char *in_missing = ts_path_join(missing_dir, "f.bin");
    CHECK_EQ_HR(bgcopy_job_add_file(job, src_url, in_missing), BGCOPY_E_PATH_NOT_FOUND);
    free(in_missing);
    free(missing_dir);
    /* Remote names: relative paths and drive-less file URLs are refused. */
    char *dst = ts_path_join(dir, "never.bin");
    CHECK_EQ_HR(bgcopy_job_add_file(job, "relative/source.bin", dst), BGCOPY_E_INVALIDARG);
#ifdef _WIN32
    CHECK_EQ_HR(bgcopy_job_add_file(job, "file:///no/drive.bin", dst), BGCOPY_E_INVALIDARG);
#endif
    uint32_t n = 99;
    CHECK_HR_OK(bgcopy_job_get_file_count(job, &n));
    CHECK_EQ_INT(n, 0);
    free(dst);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
}

/* Downloads src into local, which already exists with other bytes. */
static void test_download_replaces(bgcopy_manager *m, const char *remote, const char *local)
{
    bgcopy_job *job = NULL;
    CHECK_EQ_INT(ts_write_file(local, "old contents", 12), 0);
    CHECK_HR_OK(bgcopy_manager_create_job(m, "paths", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job));
    CHECK_HR_OK(bgcopy_job_add_file(job, remote, local));
    char *tmp = check_temp_name(job, local);
    CHECK_HR_OK(bgcopy_job_resume(job));
    wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED);
    CHECK(ts_file_matches_gen(tmp, kSize));
#ifdef _WIN32
    CHECK_MSG(is_hidden(tmp), "%s is not hidden", tmp);
#endif
    CHECK_HR_OK(bgcopy_job_complete(job));
    CHECK(!ts_path_exists(tmp));
    CHECK(ts_file_matches_gen(local, kSize));
#ifdef _WIN32
    CHECK_MSG(!is_hidden(local), "%s stayed hidden after Complete", local);
#endif
    free(tmp);
    bgcopy_job_release(job);
}

/* Cancel after the bytes arrived: the temporary file goes, the old
 * destination stays. */
static void test_cancel_removes_temp(bgcopy_manager *m, const char *remote, const char *local)
{
    bgcopy_job *job = NULL;
    CHECK_EQ_INT(ts_write_file(local, "keep me", 7), 0);
    CHECK_HR_OK(bgcopy_manager_create_job(m, "cancel", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job));
    CHECK_HR_OK(bgcopy_job_add_file(job, remote, local));
    char *tmp = check_temp_name(job, local);
    CHECK_HR_OK(bgcopy_job_resume(job));
    wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED);
    CHECK(ts_path_exists(tmp));
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK(!ts_path_exists(tmp));
    size_t n = 0;
    char *data = ts_read_file(local, &n);
    CHECK(data != NULL && n == 7 && memcmp(data, "keep me", 7) == 0);
    free(data);
    free(tmp);
    bgcopy_job_release(job);
}

int main(void)
{
    bgcopy_manager *m = NULL;
    char *dir = ts_mkdtemp();
    char *src = ts_path_join(dir, "src file.bin");
    char *url = ts_file_url(src);
    char *dst = ts_path_join(dir, "dst.bin");
    char *dst2 = ts_path_join(dir, "dst2.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, kSize), 0);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));

    test_names_refused(m, url, dir);
    test_download_replaces(m, url, dst);
    test_download_replaces(m, src, dst2);
    test_cancel_removes_temp(m, url, dst);
#ifdef _WIN32
    {
        /* The other separator, for both names. */
        char *src_fwd = strdup(src), *dst_fwd = strdup(dst);
        CHECK(src_fwd != NULL && dst_fwd != NULL);
        for (char *c = src_fwd; *c; c++)
            *c = *c == '\\' ? '/' : *c == '/' ? '\\' : *c;
        for (char *c = dst_fwd; *c; c++)
            *c = *c == '\\' ? '/' : *c == '/' ? '\\' : *c;
        test_download_replaces(m, src_fwd, dst_fwd);
        free(src_fwd);
        free(dst_fwd);
    }
#endif

    bgcopy_manager_close(m);
    free(dst2);
    free(dst);
    free(url);
    free(src);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    printf("core_paths: all passed\n");
    return 0;
}
