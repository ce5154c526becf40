/* Local sources that are not regular files (issue 10, item 2).  A FIFO or a
 * device named as a source must never block the manager's transfer thread:
 *  - AddFile and SetRemoteName refuse an existing FIFO or /dev/zero at once
 *    with E_INVALIDARG;
 *  - a source that becomes a FIFO (or a link to /dev/zero) after AddFile
 *    fails its job with HRESULT_FROM_WIN32(ERROR_BAD_FILE_TYPE), context
 *    REMOTE_FILE, within seconds, while another job with a regular local
 *    source completes, and Cancel returns;
 *  - nothing is ever written to the destination.
 * POSIX only (mkfifo, /dev/zero): exits 77 on Windows. */
#include "core_test.h"

#include <stdio.h>

#ifdef _WIN32
int main(void)
{
    printf("core_local_special: skipped: no FIFOs or /dev/zero on Windows\n");
    return 77;
}
#else
#include <sys/stat.h>
#include <unistd.h>

#define SIZE (3u * 1024u * 1024u + 5u)
#define BAD_FILE_TYPE BGCOPY_E_BAD_FILE_TYPE

static bgcopy_job *job_with(bgcopy_manager *m, const char *remote, const char *dest)
{
    bgcopy_job *job = ct_new_job(m, remote);
    CHECK_HR_OK(bgcopy_job_add_file(job, remote, dest));
    return job;
}

/* Resumes |bad| and |good|: the good one must reach TRANSFERRED while the
 * bad one ends in ERROR with ERROR_BAD_FILE_TYPE, context REMOTE_FILE;
 * that error goes to *e. */
static void resume_bad_and_good(bgcopy_job *bad, bgcopy_job *good, bgcopy_job_error *e)
{
    CHECK_HR_OK(bgcopy_job_resume(bad));
    CHECK_HR_OK(bgcopy_job_resume(good));
    ct_wait_state(good, BGCOPY_JOB_STATE_TRANSFERRED, 15000);
    ct_wait_state(bad, BGCOPY_JOB_STATE_ERROR, 15000);
    CHECK_HR_OK(bgcopy_job_get_error(bad, e));
    CHECK_EQ_HR(e->code, BAD_FILE_TYPE);
    CHECK_EQ_INT(e->context, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
}

/* Resumes |bad| and a job copying |good|; the good one must finish while
 * the bad one ends in ERROR with ERROR_BAD_FILE_TYPE; Cancel returns. */
static void run_bad_source(bgcopy_manager *m, const char *bad_remote, const char *good_src,
                           const char *dir)
{
    char *bad_dst = ct_path(dir, "bad.bin"), *good_dst = ct_path(dir, "good.bin");
    bgcopy_job *bad = job_with(m, bad_remote, bad_dst);
    bgcopy_job *good = job_with(m, good_src, good_dst);
    if (strncmp(bad_remote, "file:", 5) != 0)
        CHECK_EQ_INT(mkfifo(bad_remote, 0600), 0);
    CHECK_HR_OK(bgcopy_job_set_priority(bad, BGCOPY_JOB_PRIORITY_FOREGROUND));
    bgcopy_job_error e;
    resume_bad_and_good(bad, good, &e);
    CHECK_EQ_INT(e.file_index, 0);
    uint64_t t0 = ts_now_ms();
    CHECK_HR_OK(bgcopy_job_cancel(bad));
    CHECK(ts_now_ms() - t0 < 5000);
    CHECK_EQ_HR(bgcopy_job_complete(good), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(good_dst, SIZE));
    CHECK(!ct_exists(bad_dst));
    CHECK_EQ_INT(ts_dir_count(dir), 1); /* good.bin only: no temporary file left */
    CHECK_EQ_INT(ts_remove(good_dst), 0);
    bgcopy_job_release(bad);
    bgcopy_job_release(good);
    free(bad_dst);
    free(good_dst);
}

int main(void)
{
    char *src_dir = ts_mkdtemp(), *dst_dir = ts_mkdtemp();
    char *src = ct_path(src_dir, "regular.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, SIZE), 0);
    char *dst = ct_path(dst_dir, "never.bin");

    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));

    /* At the door: an existing FIFO or device is no source. */
    char *fifo = ct_path(src_dir, "fifo");
    CHECK_EQ_INT(mkfifo(fifo, 0600), 0);
    char *fifo_url = ts_file_url(fifo);
    bgcopy_job *job = ct_new_job(m, "door");
    CHECK_EQ_HR(bgcopy_job_add_file(job, fifo, dst), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file(job, fifo_url, dst), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file(job, "/dev/zero", dst), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_add_file(job, "file:///dev/zero", dst), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_job_add_file(job, src, dst));
    CHECK_EQ_HR(bgcopy_job_set_file_remote_name(job, 0, fifo), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_set_file_remote_name(job, 0, "/dev/zero"), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_replace_remote_prefix(job, src, "/dev/zero"), BGCOPY_E_INVALIDARG);
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    CHECK_EQ_STR(fi.remote_name, src);
    bgcopy_file_info_clear(&fi);
    uint32_t n = 0;
    CHECK_HR_OK(bgcopy_job_get_file_count(job, &n));
    CHECK_EQ_INT(n, 1);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    CHECK_EQ_INT(ts_remove(fifo), 0);

    /* At transfer time: the name was missing at AddFile, a FIFO now. */
    char *late_fifo = ct_path(src_dir, "late-fifo");
    run_bad_source(m, late_fifo, src, dst_dir);
    /* The same through a file:// URL whose target becomes a link to a
     * character device (stat follows the link, so does the check). */
    char *link = ct_path(src_dir, "late-link");
    char *link_url = ts_file_url(link);
    {
        char *bad_dst = ct_path(dst_dir, "bad.bin"), *good_dst = ct_path(dst_dir, "good.bin");
        bgcopy_job *bad = job_with(m, link_url, bad_dst);
        bgcopy_job *good = job_with(m, src, good_dst);
        CHECK_EQ_INT(symlink("/dev/zero", link), 0);
        bgcopy_job_error e;
        resume_bad_and_good(bad, good, &e);
        bgcopy_file_progress p;
        CHECK_HR_OK(bgcopy_job_get_file_progress(bad, 0, &p));
        CHECK_EQ_U64(p.bytes_transferred, 0);  /* not one byte of /dev/zero copied */
        CHECK_HR_OK(bgcopy_job_cancel(bad));
        CHECK_EQ_HR(bgcopy_job_complete(good), BGCOPY_S_OK);
        CHECK(!ct_exists(bad_dst));
        bgcopy_job_release(bad);
        bgcopy_job_release(good);
        free(bad_dst);
        free(good_dst);
    }

    bgcopy_manager_close(m);
    ts_rmtree(src_dir);
    ts_rmtree(dst_dir);
    free(src); free(dst); free(fifo); free(fifo_url); free(late_fifo); free(link);
    free(link_url); free(src_dir); free(dst_dir);
    printf("core_local_special: ok\n");
    return 0;
}
#endif
