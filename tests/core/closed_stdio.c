/* A program embedding the library that was started with stdin, stdout and
 * stderr closed (cron, a daemon): bgcopy_manager_open reopens them on the
 * null device before the loop opens its descriptors, so the download
 * works, the manager closes cleanly (libuv aborts when asked to close a
 * descriptor <= 2) and the file is byte-exact.  The test runs itself as the
 * child ("closed_stdio --child URL PATH"), which closes 0-2 first.
 * POSIX only. */
#include "core_test.h"

#include <stdio.h>

#ifdef _WIN32
int main(void)
{
    printf("core_closed_stdio: SKIP closed descriptors 0-2 are a POSIX matter\n");
    return 77;
}
#else
#include <unistd.h>

#define SIZE 700000u

/* Exit codes of the child: 0 downloaded and completed, 2-6 which step failed. */
static int child(const char *url, const char *dest)
{
    close(0);
    close(1);
    close(2);
    bgcopy_manager *m = NULL;
    if (BGCOPY_FAILED(bgcopy_manager_open(NULL, &m)))
        return 2;
    bgcopy_guid id;
    bgcopy_job *job = NULL;
    if (BGCOPY_FAILED(bgcopy_manager_create_job(m, "closed", BGCOPY_JOB_TYPE_DOWNLOAD, &id, &job)))
        return 3;
    if (BGCOPY_FAILED(bgcopy_job_add_file(job, url, dest)) || BGCOPY_FAILED(bgcopy_job_resume(job)))
        return 4;
    uint64_t deadline = ts_now_ms() + 30000;
    bgcopy_job_state st = BGCOPY_JOB_STATE_QUEUED;
    while (ts_now_ms() < deadline && BGCOPY_SUCCEEDED(bgcopy_job_get_state(job, &st)) &&
           st != BGCOPY_JOB_STATE_TRANSFERRED && st != BGCOPY_JOB_STATE_ERROR)
        ts_sleep_ms(20);
    if (st != BGCOPY_JOB_STATE_TRANSFERRED)
        return 5;
    if (BGCOPY_FAILED(bgcopy_job_complete(job)))
        return 6;
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    return 0;
}

typedef struct exit_info {
    int exited;
    int64_t status;
    int term_signal;
} exit_info;

static void on_exit_cb(uv_process_t *p, int64_t status, int term_signal)
{
    exit_info *e = p->data;
    e->exited = 1;
    e->status = status;
    e->term_signal = term_signal;
    uv_close((uv_handle_t *)p, NULL);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--child") == 0)
        return child(argv[2], argv[3]);

    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    char *dest = ct_path(dir, "closed.bin");
    char *url = ts_url(&srv, "/gen/%u", SIZE);
    char self[4096];
    size_t n = sizeof self;
    CHECK_EQ_INT(uv_exepath(self, &n), 0);

    char *args[] = { self, (char *)"--child", url, dest, NULL };
    uv_loop_t loop;
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    uv_process_t proc;
    exit_info e = { 0, -1, 0 };
    proc.data = &e;
    uv_process_options_t o;
    memset(&o, 0, sizeof o);
    o.file = self;
    o.args = args;
    o.exit_cb = on_exit_cb;
    CHECK_EQ_INT(uv_spawn(&loop, &proc, &o), 0);
    CHECK_EQ_INT(uv_run(&loop, UV_RUN_DEFAULT), 0);
    CHECK_EQ_INT(uv_loop_close(&loop), 0);
    CHECK(e.exited);
    CHECK_MSG(e.term_signal == 0, "the child died from signal %d", e.term_signal);
    CHECK_EQ_INT((int)e.status, 0);
    CHECK(ts_file_matches_gen(dest, SIZE));
    CHECK_EQ_INT(ts_dir_count(dir), 1);

    free(url);
    free(dest);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("core_closed_stdio: ok\n");
    return 0;
}
#endif
