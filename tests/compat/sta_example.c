/*
 * sta_example - runs docs/examples/sta-download (a BITS console program in
 * the style of Microsoft's documentation: CoInitialize(NULL), a callback
 * object, a GetMessage loop that JobTransferred ends with PostQuitMessage)
 * against bgcopy-testserver: it must download the file, say so and exit 0;
 * on a 404 it must report the job's error and exit 1.  Either way its loop
 * ends only if the callback ran on its main thread.
 */
#include <uv.h> /* first: uv.h must precede any <windows.h> */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#ifndef STA_EXAMPLE
#  error "STA_EXAMPLE must name the sta-download program"
#endif

/* What one run of the example produced. */
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

/* Run the example with |args| (no shell: each is one argument); its stdout
 * in *out (malloc'ed); its exit status. */
static int run(const char *const *args, char **out)
{
    uv_loop_t loop;
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    run_state r = {0};
    uv_pipe_t out_pipe;
    CHECK_EQ_INT(uv_pipe_init(&loop, &out_pipe, 0), 0);
    out_pipe.data = &r;
    char *argv[16];
    size_t n = 0;
    argv[n++] = STA_EXAMPLE;
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
    opt.file = STA_EXAMPLE;
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

int main(void)
{
    ts_server s;
    CHECK_EQ_INT(ts_server_start(&s, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK(dir != NULL);
    char *url = ts_url(&s, "/gen/250000");
    char *path = ts_path_join(dir, "download.bin");
    char *out = NULL;
    const char *ok_args[] = {url, path, NULL};
    CHECK_EQ_INT(run(ok_args, &out), 0);
    CHECK_MSG(strstr(out, "Job transferred and completed.") != NULL, "output: %s", out);
    free(out);
    CHECK(ts_file_matches_gen(path, 250000));

    char *bad = ts_url(&s, "/gen/10?status=404");
    char *bad_path = ts_path_join(dir, "missing.bin");
    const char *bad_args[] = {bad, bad_path, NULL};
    CHECK_EQ_INT(run(bad_args, &out), 1);
    CHECK_MSG(strstr(out, "Job failed, context 5, hr=0x80190194") != NULL, "output: %s", out);
    free(out);
    CHECK(!ts_path_exists(bad_path));

    free(bad);
    free(bad_path);
    free(url);
    free(path);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&s), 0);
    printf("sta_example: ok\n");
    return 0;
}
