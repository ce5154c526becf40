/* A local attacker who can write to the destination directory swaps the
 * job's temporary file for something else while the job does not hold it
 * open (docs/security.md).  bgcopy must never write through,
 * rename or delete what was put there; the file downloads again from zero
 * under a fresh temporary name.
 *
 *  - resume_through_symlink: Suspend, temp -> symlink to a victim, Resume;
 *  - resume_over_other_file: Suspend, temp replaced by another regular file;
 *  - complete_through_symlink: the swap after TRANSFERRED, before Complete;
 *  - cancel_through_symlink: the swap before Cancel.
 * Symbolic links need a privilege on Windows, so the symlink cases run on
 * POSIX only; the regular-file case runs everywhere. */
#include "core_test.h"

#include <stdio.h>
#include <sys/stat.h>

#define SIZE (1024u * 1024u)
#define RATE (256u * 1024u)

static const char k_victim[] = "victim: must never be written by bgcopy\n";

typedef struct { bgcopy_job *job; uint64_t at_least; } progress_wait;

static int has_progress(void *arg)
{
    progress_wait *w = arg;
    bgcopy_job_progress p;
    return bgcopy_job_get_progress(w->job, &p) == BGCOPY_S_OK && p.bytes_transferred >= w->at_least;
}

static void check_content(const char *path, const void *want, size_t len)
{
    size_t got = 0;
    char *data = ts_read_file(path, &got);
    CHECK_MSG(data != NULL, "cannot read %s", path);
    CHECK_MSG(got == len && memcmp(data, want, len) == 0, "%s was changed (%zu bytes, want %zu)",
              path, got, len);
    free(data);
}

#ifndef _WIN32
static void make_symlink(const char *target, const char *path)
{
    uv_fs_t req;
    int rc = uv_fs_symlink(NULL, &req, target, path, 0, NULL);
    uv_fs_req_cleanup(&req);
    CHECK_EQ_INT(rc, 0);
}
#endif

/* Replace |path| by a new regular file (a new inode: written beside it and
 * renamed over it). */
static void replace_with_file(const char *dir, const char *path, const void *data, size_t len)
{
    char *side = ct_path(dir, "planted.tmp");
    CHECK_EQ_INT(ts_write_file(side, data, len), 0);
    uv_fs_t req;
    int rc = uv_fs_rename(NULL, &req, side, path, NULL);
    uv_fs_req_cleanup(&req);
    CHECK_EQ_INT(rc, 0);
    free(side);
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    CHECK_NOT_NULL(d);
    return memcpy(d, s, n);
}

typedef struct {
    ts_server srv;
    char *dir, *dest, *victim, *url;
    bgcopy_manager *m;
    bgcopy_job *job;
    char *old_temp;
} fixture;

/* |rate| 0: as fast as the server goes. */
static void setup(fixture *fx, unsigned size, unsigned rate)
{
    memset(fx, 0, sizeof *fx);
    CHECK_EQ_INT(ts_server_start(&fx->srv, NULL), 0);
    fx->dir = ts_mkdtemp();
    fx->dest = ct_path(fx->dir, "dest.bin");
    fx->victim = ct_path(fx->dir, "victim.txt");
    CHECK_EQ_INT(ts_write_file(fx->victim, k_victim, sizeof k_victim - 1), 0);
    fx->url = rate ? ts_url(&fx->srv, "/gen/%u?rate=%u", size, rate) : ts_url(&fx->srv, "/gen/%u", size);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &fx->m));
    fx->job = ct_new_job(fx->m, "temp swap");
    CHECK_HR_OK(bgcopy_job_add_file(fx->job, fx->url, fx->dest));
    CHECK_HR_OK(bgcopy_job_resume(fx->job));
}

/* Let some bytes arrive, Suspend, and note the temporary name. */
static void suspend_midway(fixture *fx)
{
    progress_wait w = {fx->job, 64u * 1024u};
    CHECK(ts_wait_until(has_progress, &w, 20000));
    CHECK_HR_OK(bgcopy_job_suspend(fx->job));
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(fx->job, 0, &fi));
    CHECK_LT_U64(fi.progress.bytes_transferred, SIZE);
    fx->old_temp = dupstr(fi.temporary_name);
    CHECK_EQ_U64((uint64_t)ts_file_size(fx->old_temp), fi.progress.bytes_transferred);
    bgcopy_file_info_clear(&fi);
}

static char *temp_name(bgcopy_job *job)
{
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    char *t = dupstr(fi.temporary_name);
    bgcopy_file_info_clear(&fi);
    return t;
}

/* The download ends byte-exact at a fresh temporary name and Complete puts a
 * regular file (not a link) at the destination. */
static void finish_and_check(fixture *fx, unsigned size)
{
    ct_wait_state(fx->job, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    char *now = temp_name(fx->job);
    CHECK_MSG(strcmp(now, fx->old_temp) != 0, "the swapped name %s was used again", now);
    ct_check_temp_name(fx->dir, now);
    CHECK_EQ_HR(bgcopy_job_complete(fx->job), BGCOPY_S_OK);
    CHECK_EQ_INT(ct_ltype(fx->dest), S_IFREG);
    CHECK(ts_file_matches_gen(fx->dest, size));
    free(now);
}

static void teardown(fixture *fx)
{
    bgcopy_job_release(fx->job);
    bgcopy_manager_close(fx->m);
    CHECK_EQ_INT(ts_server_stop(&fx->srv), 0);
    ts_rmtree(fx->dir);
    free(fx->dir);
    free(fx->dest);
    free(fx->victim);
    free(fx->url);
    free(fx->old_temp);
}

static void resume_over_other_file(void)
{
    fixture fx;
    setup(&fx, SIZE, RATE);
    suspend_midway(&fx);
    /* Bigger than what was on disk, so a resume would keep its first bytes. */
    size_t plen = SIZE / 2;
    char *planted = malloc(plen);
    CHECK_NOT_NULL(planted);
    memset(planted, 'P', plen);
    replace_with_file(fx.dir, fx.old_temp, planted, plen);
    CHECK_HR_OK(bgcopy_job_resume(fx.job));
    ct_wait_state(fx.job, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    check_content(fx.old_temp, planted, plen);   /* not ours: neither written nor deleted */
    finish_and_check(&fx, SIZE);
    free(planted);
    teardown(&fx);
}

#ifndef _WIN32
static void resume_through_symlink(void)
{
    fixture fx;
    setup(&fx, SIZE, RATE);
    suspend_midway(&fx);
    CHECK_EQ_INT(ts_remove(fx.old_temp), 0);
    make_symlink(fx.victim, fx.old_temp);
    CHECK_HR_OK(bgcopy_job_resume(fx.job));
    ct_wait_state(fx.job, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    check_content(fx.victim, k_victim, sizeof k_victim - 1);
    finish_and_check(&fx, SIZE);
    CHECK_EQ_INT(ct_ltype(fx.old_temp), S_IFLNK);  /* left where it was */
    teardown(&fx);
}

static void complete_through_symlink(void)
{
    fixture fx;
    setup(&fx, 100000u, 0u);
    ct_wait_state(fx.job, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    fx.old_temp = temp_name(fx.job);
    CHECK_EQ_INT(ts_remove(fx.old_temp), 0);
    make_symlink(fx.victim, fx.old_temp);

    CHECK_EQ_HR(bgcopy_job_complete(fx.job), BGCOPY_E_LOCAL_FILE_CHANGED);
    CHECK_EQ_INT(ct_ltype(fx.dest), 0);            /* nothing was renamed */
    CHECK_EQ_INT(ct_ltype(fx.old_temp), S_IFLNK);
    check_content(fx.victim, k_victim, sizeof k_victim - 1);
    bgcopy_file_progress fp;
    CHECK_HR_OK(bgcopy_job_get_file_progress(fx.job, 0, &fp));
    CHECK(!fp.completed);
    /* The file downloads again, and then the job completes. */
    finish_and_check(&fx, 100000u);
    check_content(fx.victim, k_victim, sizeof k_victim - 1);
    CHECK_EQ_INT(ct_ltype(fx.old_temp), S_IFLNK);
    teardown(&fx);
}

static void cancel_through_symlink(void)
{
    fixture fx;
    setup(&fx, SIZE, RATE);
    suspend_midway(&fx);
    CHECK_EQ_INT(ts_remove(fx.old_temp), 0);
    make_symlink(fx.victim, fx.old_temp);
    CHECK_EQ_HR(bgcopy_job_cancel(fx.job), BGCOPY_S_UNABLE_TO_DELETE_FILES);
    CHECK_EQ_INT(ct_ltype(fx.old_temp), S_IFLNK);
    check_content(fx.victim, k_victim, sizeof k_victim - 1);
    CHECK_EQ_INT(ct_ltype(fx.dest), 0);
    teardown(&fx);
}
#endif

/* With an argument, only the case of that name runs (to see one fail). */
static int wanted(int argc, char **argv, const char *name)
{
    return argc < 2 || strcmp(argv[1], name) == 0;
}

int main(int argc, char **argv)
{
    if (wanted(argc, argv, "resume_over_other_file"))
        resume_over_other_file();
#ifndef _WIN32
    if (wanted(argc, argv, "resume_through_symlink"))
        resume_through_symlink();
    if (wanted(argc, argv, "complete_through_symlink"))
        complete_through_symlink();
    if (wanted(argc, argv, "cancel_through_symlink"))
        cancel_through_symlink();
#else
    printf("core_temp_swap: symbolic-link cases skipped: creating links needs a privilege on "
           "Windows\n");
#endif
    printf("core_temp_swap: ok\n");
    return 0;
}
