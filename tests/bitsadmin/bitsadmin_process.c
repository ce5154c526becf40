/*
 * bitsadmin_process.c - the real bitsadmin executable against what a
 * process meets outside a terminal (docs/bitsadmin.md, "Signals and
 * standard streams"):
 *  - started with stdin, stdout and stderr closed (cron, daemons): the
 *    /transfer succeeds and no progress text lands in the downloaded file;
 *  - SIGTERM and SIGHUP during /transfer: the job is cancelled, bitsadmin
 *    exits 1 by itself and no .BIT*.tmp file stays in the destination;
 *  - stdout a pipe whose reader has gone (SIGPIPE on write): bitsadmin does
 *    not die, the download finishes byte-exact and it exits 0;
 *  - a URL with a password that fails (404): the password appears nowhere
 *    in the output, the user name does.
 *
 * The test program doubles as the helper that closes 0-2: run as
 * "bitsadmin_process --exec-closed PROGRAM ARGS...", it closes them and
 * executes PROGRAM (libuv's uv_spawn cannot leave them closed: UV_IGNORE
 * puts the null device there).
 *
 * POSIX only (signals, closed descriptors); on Windows it prints why and
 * exits 77 (skip).
 */
#include <stdio.h>
#include <stdlib.h>

#ifdef _WIN32
int main(void)
{
    printf("bitsadmin_process: SKIP POSIX signals and closed descriptors 0-2 have no "
           "Windows counterpart\n");
    return 77;
}
#else
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "bgcopy.h"
#include "check.h"
#include "harness.h"

#ifndef BITSADMIN_FROM_TESTS
#error "BITSADMIN_FROM_TESTS must name the bitsadmin executable, relative to this test's directory"
#endif

static char self_path[4200];
static char bitsadmin_path[4200];

static void find_programs(void)
{
    size_t len = sizeof self_path;
    CHECK_EQ_INT(uv_exepath(self_path, &len), 0);
    memcpy(bitsadmin_path, self_path, sizeof self_path);
    char *slash = strrchr(bitsadmin_path, '/');
    CHECK_NOT_NULL(slash);
    slash[1] = '\0';
    CHECK(strlen(bitsadmin_path) + strlen(BITSADMIN_FROM_TESTS) < sizeof bitsadmin_path);
    strcat(bitsadmin_path, BITSADMIN_FROM_TESTS);
}

typedef struct capture {
    uv_pipe_t pipe;
    char *data;
    size_t len, cap;
} capture;

/* How the child's stdout is connected. */
enum { OUT_CAPTURED, OUT_READER_GONE, ALL_CLOSED };

typedef struct child {
    uv_loop_t loop;
    uv_process_t proc;
    capture out, err;
    int open_pipes;
    int exited;
    int64_t exit_status;
    int term_signal;
} child;

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    buf->base = malloc(suggested);
    CHECK_NOT_NULL(buf->base);
    buf->len = suggested;
}

static void on_pipe_closed(uv_handle_t *h)
{
    ((child *)h->data)->open_pipes--;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    capture *cap = (capture *)s;
    if (n > 0) {
        if (cap->len + (size_t)n + 1 > cap->cap) {
            cap->cap = (cap->len + (size_t)n + 1) * 2;
            cap->data = realloc(cap->data, cap->cap);
            CHECK_NOT_NULL(cap->data);
        }
        memcpy(cap->data + cap->len, buf->base, (size_t)n);
        cap->len += (size_t)n;
        cap->data[cap->len] = '\0';
    } else if (n < 0) {
        uv_close((uv_handle_t *)s, on_pipe_closed);
    }
    free(buf->base);
}

static void on_child_exit(uv_process_t *p, int64_t status, int term_signal)
{
    child *c = p->data;
    c->exited = 1;
    c->exit_status = status;
    c->term_signal = term_signal;
    uv_close((uv_handle_t *)p, NULL);
}

/* Start bitsadmin with |words| (NULL-terminated), stdout/stderr as |how|. */
static void spawn_bitsadmin(child *c, int how, const char *const *words)
{
    char *argv[40];
    int argc = 0;
    if (how == ALL_CLOSED) {
        argv[argc++] = self_path;
        argv[argc++] = (char *)"--exec-closed";
    }
    argv[argc++] = bitsadmin_path;
    for (; *words; words++) {
        CHECK(argc < 39);
        argv[argc++] = (char *)*words;
    }
    argv[argc] = NULL;

    memset(c, 0, sizeof *c);
    CHECK_EQ_INT(uv_loop_init(&c->loop), 0);
    capture *caps[2] = { &c->out, &c->err };
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_IGNORE;
    for (int i = 0; i < 2; i++) {
        CHECK_EQ_INT(uv_pipe_init(&c->loop, &caps[i]->pipe, 0), 0);
        caps[i]->pipe.data = c;
        caps[i]->cap = 256;
        caps[i]->data = calloc(1, caps[i]->cap);
        CHECK_NOT_NULL(caps[i]->data);
        stdio[i + 1].flags = how == ALL_CLOSED ? UV_IGNORE : UV_CREATE_PIPE | UV_WRITABLE_PIPE;
        stdio[i + 1].data.stream = (uv_stream_t *)&caps[i]->pipe;
    }
    uv_process_options_t opt;
    memset(&opt, 0, sizeof opt);
    opt.file = argv[0];
    opt.args = argv;
    opt.exit_cb = on_child_exit;
    opt.stdio_count = 3;
    opt.stdio = stdio;
    c->proc.data = c;
    int r = uv_spawn(&c->loop, &c->proc, &opt);
    CHECK_MSG(r == 0, "cannot start %.900s: %s", argv[0], uv_strerror(r));
    c->open_pipes = 2;
    if (how == OUT_CAPTURED) {
        CHECK_EQ_INT(uv_read_start((uv_stream_t *)&c->out.pipe, on_alloc, on_read), 0);
        CHECK_EQ_INT(uv_read_start((uv_stream_t *)&c->err.pipe, on_alloc, on_read), 0);
    } else {
        /* The reader of stdout is gone before bitsadmin writes a byte (for
         * ALL_CLOSED the pipes were never connected). */
        uv_close((uv_handle_t *)&c->out.pipe, on_pipe_closed);
        if (how == ALL_CLOSED)
            uv_close((uv_handle_t *)&c->err.pipe, on_pipe_closed);
        else
            CHECK_EQ_INT(uv_read_start((uv_stream_t *)&c->err.pipe, on_alloc, on_read), 0);
    }
}

static void on_deadline(uv_timer_t *t)
{
    *(int *)t->data = 1;
}

static int run_until(child *c, int (*pred)(child *), int timeout_ms)
{
    int late = 0;
    uv_timer_t deadline;
    CHECK_EQ_INT(uv_timer_init(&c->loop, &deadline), 0);
    deadline.data = &late;
    CHECK_EQ_INT(uv_timer_start(&deadline, on_deadline, (uint64_t)timeout_ms, 0), 0);
    while (!pred(c) && !late)
        uv_run(&c->loop, UV_RUN_ONCE);
    uv_close((uv_handle_t *)&deadline, NULL);
    uv_run(&c->loop, UV_RUN_NOWAIT);
    return pred(c);
}

static int child_done(child *c)
{
    return c->exited && c->open_pipes == 0;
}

static int says_transferring(child *c)
{
    return strstr(c->out.data, "STATE: TRANSFERRING") != NULL;
}

/* Wait for the child (60 s at most); fails if a signal killed it.  Returns
 * the exit code; out/err text stay in c (free with child_free). */
static int finish(child *c)
{
    CHECK_MSG(run_until(c, child_done, 60000), "bitsadmin did not exit");
    CHECK_EQ_INT(uv_run(&c->loop, UV_RUN_DEFAULT), 0);
    CHECK_EQ_INT(uv_loop_close(&c->loop), 0);
    CHECK_MSG(c->term_signal == 0, "bitsadmin died from signal %d; stderr: %s", c->term_signal,
              c->err.data);
    CHECK_MSG(strstr(c->err.data, "Sanitizer") == NULL, "%s", c->err.data);
    return (int)c->exit_status;
}

static void child_free(child *c)
{
    free(c->out.data);
    free(c->err.data);
}

/* Names in |dir| that look like bgcopy temporary files (".BIT*.tmp"). */
static int count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    CHECK_NOT_NULL(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, ".BIT", 4) == 0 && len > 8 && strcmp(e->d_name + len - 4, ".tmp") == 0)
            n++;
    }
    closedir(d);
    return n;
}

/* SIGTERM or SIGHUP while /transfer downloads: cancelled, exit 1, no
 * temporary file left. */
static void test_terminating_signal(ts_server *srv, int signum)
{
    char *dest = ts_mkdtemp();
    char *u = ts_url(srv, "/gen/%d?rate=%d", 50000000, 200000);
    char *l = ts_path_join(dest, "slow.bin");
    const char *w[] = { "/transfer", "slow", u, l, NULL };
    child c;
    spawn_bitsadmin(&c, OUT_CAPTURED, w);
    CHECK_MSG(run_until(&c, says_transferring, 20000), "bitsadmin never reported TRANSFERRING");
    CHECK_EQ_INT(count_temp_files(dest), 1);
    CHECK_EQ_INT(uv_process_kill(&c.proc, signum), 0);
    CHECK_EQ_INT(finish(&c), 1);
    CHECK_CONTAINS(c.err.data, "interrupted");
    CHECK_CONTAINS(c.err.data, "canceled");
    CHECK(strstr(c.out.data, "Transfer complete.") == NULL);
    CHECK_EQ_INT(count_temp_files(dest), 0);
    CHECK_EQ_INT(ts_dir_count(dest), 0);
    child_free(&c);
    free(u);
    free(l);
    CHECK_EQ_INT(ts_rmtree(dest), 0);
    free(dest);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--exec-closed") == 0) {
        close(0);
        close(1);
        close(2);
        execv(argv[2], argv + 2);
        _exit(127);
    }
    /* "bitsadmin_process closed|term|hup|pipe|password" runs one part. */
    const char *only = argc >= 2 ? argv[1] : NULL;
#define PART(name) (!only || strcmp(only, name) == 0)
    find_programs();
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);

    /* --- 0, 1 and 2 closed: /transfer exits 0, the file is byte-exact
     * (progress text written to a reused descriptor would corrupt it) */
    if (PART("closed")) {
        char *dest = ts_mkdtemp();
        char *u = ts_url(&srv, "/gen/%d?rate=%d", 300000, 1000000);
        char *l = ts_path_join(dest, "closed.bin");
        const char *w[] = { "/transfer", "closedstdio", u, l, NULL };
        child c;
        spawn_bitsadmin(&c, ALL_CLOSED, w);
        CHECK_EQ_INT(finish(&c), 0);
        CHECK_EQ_INT(ts_file_size(l), 300000);
        CHECK(ts_file_matches_gen(l, 300000));
        CHECK_EQ_INT(ts_dir_count(dest), 1);
        child_free(&c);
        free(u);
        free(l);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    /* --- SIGTERM and SIGHUP cancel the job */
    if (PART("term"))
        test_terminating_signal(&srv, SIGTERM);
    if (PART("hup"))
        test_terminating_signal(&srv, SIGHUP);

    /* --- stdout's reader gone: SIGPIPE does not kill bitsadmin; the
     * download goes on to the end and the exit code is the transfer's */
    if (PART("pipe")) {
        char *dest = ts_mkdtemp();
        char *u = ts_url(&srv, "/gen/%d?rate=%d", 1500000, 1000000);
        char *l = ts_path_join(dest, "piped.bin");
        const char *w[] = { "/transfer", "piped", u, l, NULL };
        child c;
        spawn_bitsadmin(&c, OUT_READER_GONE, w);
        CHECK_EQ_INT(finish(&c), 0);
        CHECK(ts_file_matches_gen(l, 1500000));
        CHECK_EQ_INT(ts_dir_count(dest), 1);
        child_free(&c);
        free(u);
        free(l);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    /* --- a password in the URL is never shown (ERROR FILE of a 404) */
    if (PART("password")) {
        char *dest = ts_mkdtemp();
        char *plain = ts_url(&srv, "/gen/%d?status=404", 5000);
        CHECK(strncmp(plain, "http://", 7) == 0);
        char u[4200];
        snprintf(u, sizeof u, "http://alice:s%%65cret@%s", plain + 7);
        char *l = ts_path_join(dest, "missing.bin");
        const char *w[] = { "/transfer", "pw404", u, l, NULL };
        child c;
        spawn_bitsadmin(&c, OUT_CAPTURED, w);
        CHECK_EQ_INT(finish(&c), 1);
        CHECK_CONTAINS(c.out.data, "ERROR CODE:    0x80190194");
        CHECK_CONTAINS(c.out.data, "ERROR FILE:    http://alice:***@127.0.0.1:");
        CHECK_MSG(strstr(c.out.data, "s%65cret") == NULL && strstr(c.out.data, "secret") == NULL,
                  "password shown: %s", c.out.data);
        CHECK_MSG(strstr(c.err.data, "s%65cret") == NULL && strstr(c.err.data, "secret") == NULL,
                  "password shown: %s", c.err.data);
        child_free(&c);
        free(plain);
        free(l);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("bitsadmin_process: OK\n");
    return 0;
}
#endif
