/* Complete puts a file only where nothing is, or where a regular file is
 * (docs/security.md): a directory, symbolic link, FIFO or
 * device at the destination is never replaced.  AddFile refuses such a
 * destination with E_INVALIDARG; one that appears between AddFile and
 * Complete makes Complete fail with HRESULT_FROM_WIN32(ERROR_BAD_FILE_TYPE),
 * nothing is renamed, and the job stays TRANSFERRED for another try.
 * FIFOs, devices and links are POSIX-only parts; the directory case runs
 * everywhere. */
#include "core_test.h"

#include <stdio.h>
#include <sys/stat.h>
#ifndef _WIN32
#include <sys/types.h>
#endif

#define SIZE 100000u

static char *temp_name(bgcopy_job *job)
{
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    size_t n = strlen(fi.temporary_name) + 1;
    char *t = malloc(n);
    CHECK_NOT_NULL(t);
    memcpy(t, fi.temporary_name, n);
    bgcopy_file_info_clear(&fi);
    return t;
}

typedef int (*make_fn)(const char *path);

static int make_dir(const char *path) { return ts_mkdir(path); }
static int remove_dir(const char *path)
{
    uv_fs_t req;
    int rc = uv_fs_rmdir(NULL, &req, path, NULL);
    uv_fs_req_cleanup(&req);
    return rc;
}

#ifndef _WIN32
static int make_fifo(const char *path) { return mkfifo(path, 0600); }
static const char *g_link_target;
static int make_link(const char *path)
{
    uv_fs_t req;
    int rc = uv_fs_symlink(NULL, &req, g_link_target, path, 0, NULL);
    uv_fs_req_cleanup(&req);
    return rc;
}
#endif

/* Download to |dest|, then let |make| put a non-regular |type| there before
 * Complete: Complete refuses, the job stays TRANSFERRED with its temporary
 * file; once |unmake| clears the name, Complete succeeds. */
static void appears_before_complete(ts_server *srv, const char *dir, const char *name, make_fn make,
                                    make_fn unmake, unsigned type)
{
    char *dest = ct_path(dir, name);
    char *url = ts_url(srv, "/gen/%u", SIZE);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    bgcopy_job *job = ct_new_job(m, "destination type");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    char *tmp = temp_name(job);

    CHECK_EQ_INT(make(dest), 0);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_E_BAD_FILE_TYPE);
    CHECK_EQ_INT(ct_ltype(dest), type);             /* not replaced */
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_TRANSFERRED);
    CHECK(ts_file_matches_gen(tmp, SIZE));       /* still there, still whole */
    bgcopy_file_progress fp;
    CHECK_HR_OK(bgcopy_job_get_file_progress(job, 0, &fp));
    CHECK(!fp.completed);

    CHECK_EQ_INT(unmake(dest), 0);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK_EQ_INT(ct_ltype(dest), S_IFREG);
    CHECK(ts_file_matches_gen(dest, SIZE));

    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    free(tmp);
    free(url);
    free(dest);
}

/* AddFile refuses every destination that is not absent or a regular file. */
static void add_file_refuses(const char *dir, const char *src_url, const char *existing)
{
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    bgcopy_job *job = ct_new_job(m, "add file");
    /* A regular file at the destination is fine: Complete replaces it. */
    CHECK_HR_OK(bgcopy_job_add_file(job, src_url, existing));
    char *subdir = ct_path(dir, "subdir");
    CHECK_EQ_INT(ts_mkdir(subdir), 0);
    CHECK_EQ_HR(bgcopy_job_add_file(job, src_url, subdir), BGCOPY_E_INVALIDARG);
    free(subdir);
#ifndef _WIN32
    CHECK_EQ_HR(bgcopy_job_add_file(job, src_url, "/dev/null"), BGCOPY_E_INVALIDARG);
    char *fifo = ct_path(dir, "fifo");
    CHECK_EQ_INT(mkfifo(fifo, 0600), 0);
    CHECK_EQ_HR(bgcopy_job_add_file(job, src_url, fifo), BGCOPY_E_INVALIDARG);
    free(fifo);
    /* A link is refused whatever it points to: Complete would replace the
     * link, not its target, which is not what its creator meant. */
    char *link = ct_path(dir, "link");
    g_link_target = existing;
    CHECK_EQ_INT(make_link(link), 0);
    CHECK_EQ_HR(bgcopy_job_add_file(job, src_url, link), BGCOPY_E_INVALIDARG);
    free(link);
    char *dangling = ct_path(dir, "dangling");
    g_link_target = "/nonexistent/bgcopy-test";
    CHECK_EQ_INT(make_link(dangling), 0);
    CHECK_EQ_HR(bgcopy_job_add_file(job, src_url, dangling), BGCOPY_E_INVALIDARG);
    free(dangling);
#else
    printf("core_dest_type: AddFile of FIFOs, devices and links skipped: POSIX only\n");
#endif
    uint32_t count = 0;
    CHECK_HR_OK(bgcopy_job_get_file_count(job, &count));
    CHECK_EQ_INT(count, 1);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
}

int main(int argc, char **argv)
{
    /* With an argument ("add_file" or "complete") only that part runs. */
    int add_part = argc < 2 || strcmp(argv[1], "add_file") == 0;
    int complete_part = argc < 2 || strcmp(argv[1], "complete") == 0;
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    char *src = ct_path(dir, "src.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, 1000), 0);
    char *src_url = ts_file_url(src);
    char *existing = ct_path(dir, "existing.bin");
    CHECK_EQ_INT(ts_write_file(existing, "old", 3), 0);

    if (add_part)
        add_file_refuses(dir, src_url, existing);
    if (complete_part) {
        appears_before_complete(&srv, dir, "becomes_dir.bin", make_dir, remove_dir, S_IFDIR);
#ifndef _WIN32
        appears_before_complete(&srv, dir, "becomes_fifo.bin", make_fifo, ts_remove, S_IFIFO);
        g_link_target = existing;
        appears_before_complete(&srv, dir, "becomes_link.bin", make_link, ts_remove, S_IFLNK);
        size_t n = 0;
        char *data = ts_read_file(existing, &n);
        CHECK(data && n == 3 && memcmp(data, "old", 3) == 0);   /* the link's target is untouched */
        free(data);
#else
        printf("core_dest_type: Complete over FIFOs and links skipped: POSIX only\n");
#endif
    }

    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(existing);
    free(src_url);
    free(src);
    free(dir);
    printf("core_dest_type: ok\n");
    return 0;
}
