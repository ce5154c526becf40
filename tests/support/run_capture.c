/*
 * run_capture.c - run a program to its end and keep what it printed: the
 * example-program tests (qmgr_example, win32_examples, sta_example) check
 * a real process's standard output and exit status.
 */
#include "check.h"
#include "harness.h"

#include <stdlib.h>
#include <uv.h>

typedef struct run_state {
    char *buf;
    size_t len, cap;
    int64_t status;
    int exited;
} run_state;

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    (void)suggested;
    run_state *r = h->data;
    if (r->cap - r->len < 4096) {
        r->cap = r->cap * 2 + 4096;
        r->buf = realloc(r->buf, r->cap);
        CHECK(r->buf != NULL);
    }
    *b = uv_buf_init(r->buf + r->len, (unsigned)(r->cap - r->len - 1));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    run_state *r = s->data;
    if (n > 0)
        r->len += (size_t)n;
    else if (n < 0)
        uv_close((uv_handle_t *)s, NULL); /* EOF (or error): the child is done writing */
}

static void on_child_exit(uv_process_t *p, int64_t status, int sig)
{
    (void)sig;
    run_state *r = p->data;
    r->status = status;
    r->exited = 1;
    uv_close((uv_handle_t *)p, NULL);
}

int ts_run_capture(const char *prog, const char *const *args, char **out)
{
    uv_loop_t loop;
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    run_state r = {0};
    uv_pipe_t out_pipe;
    CHECK_EQ_INT(uv_pipe_init(&loop, &out_pipe, 0), 0);
    out_pipe.data = &r;
    char *argv[16];
    size_t n = 0;
    argv[n++] = (char *)prog;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)&out_pipe;
    stdio[2].flags = UV_INHERIT_FD;
    stdio[2].data.fd = 2;
    uv_process_options_t opt = {0};
    opt.file = prog;
    opt.args = argv;
    opt.stdio = stdio;
    opt.stdio_count = 3;
    opt.exit_cb = on_child_exit;
    uv_process_t proc;
    proc.data = &r;
    CHECK_EQ_INT(uv_spawn(&loop, &proc, &opt), 0);
    CHECK_EQ_INT(uv_read_start((uv_stream_t *)&out_pipe, on_alloc, on_read), 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_EQ_INT(uv_loop_close(&loop), 0);
    CHECK(r.exited);
    if (!r.buf)
        r.buf = calloc(1, 1);
    CHECK(r.buf != NULL);
    r.buf[r.len] = 0;
    *out = r.buf;
    return (int)r.status;
}
