/*
 * win32_examples - runs docs/examples/bits-poll (C++, _tmain, <tchar.h>,
 * <windows.h> + <Bits.h>, Sleep/GetTickCount polling, Job4 by
 * QueryInterface) and docs/examples/bits-props (C, wmain, only <bits.h>,
 * Job5/File5 by QueryInterface, peer-cache administration) against
 * bgcopy-testserver, as a user would: the files must arrive with the right
 * bytes (also under a non-ASCII name, which crosses libbgcopy-win32's
 * main -> wmain conversion), the programs must print what BITS answers,
 * and a 404 must come back as the job's error with exit status 1.
 */
#include <uv.h> /* first: uv.h must precede any <windows.h> */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#if !defined(BITS_POLL) || !defined(BITS_PROPS)
#  error "BITS_POLL and BITS_PROPS must name the example programs"
#endif

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
        uv_close((uv_handle_t *)s, NULL);
}

static void on_child_exit(uv_process_t *p, int64_t status, int sig)
{
    run_state *r = p->data;
    r->status = sig ? 128 + sig : status;
    r->exited = 1;
    uv_close((uv_handle_t *)p, NULL);
}

/* Runs |prog| with |args| (NULL-terminated, no shell); its stdout in *out
 * (malloc'ed); returns its exit status (128 + signal when killed). */
static int run(const char *prog, const char *const *args, char **out)
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

static void expect(const char *out, const char *needle)
{
    CHECK_MSG(strstr(out, needle) != NULL, "missing \"%s\" in output:\n%s", needle, out);
}

int main(void)
{
    ts_server s;
    CHECK_EQ_INT(ts_server_start(&s, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK(dir != NULL);
    char *out = NULL;

    /* bits-poll: _tmain; the local name is UTF-8 on the command line and
     * reaches AddFile as wide text. */
    char *u1 = ts_url(&s, "/gen/150000?rate=300000");
    char *local1 = ts_path_join(dir, "r\xc3\xa9sum\xc3\xa9-\xe2\x82\xac.bin"); /* résumé-€.bin */
    const char *poll_args[] = {u1, local1, "60", NULL};
    CHECK_EQ_INT(run(BITS_POLL, poll_args, &out), 0);
    expect(out, "Peer caching flags: 0x1\n");
    expect(out, "Job transferred: 150000 bytes\n");
    free(out);
    CHECK(ts_file_matches_gen(local1, 150000));

    /* bits-poll against a 404: the job's error, exit status 1, no file. */
    char *u404 = ts_url(&s, "/gen/10?status=404");
    char *local404 = ts_path_join(dir, "missing.bin");
    const char *err_args[] = {u404, local404, "60", NULL};
    CHECK_EQ_INT(run(BITS_POLL, err_args, &out), 1);
    expect(out, "Job error 0x80190194 (context 5): ");
    free(out);
    CHECK(ts_read_file(local404, NULL) == NULL);

    /* bits-props: wmain, <bits.h> only, peer cache S_FALSE everywhere,
     * Job5 DYNAMIC_CONTENT, File5 headers (not kept: E_NOTIMPL). */
    char *u2 = ts_url(&s, "/gen/7000");
    char *local2 = ts_path_join(dir, "props.bin");
    const char *props_args[] = {u2, local2, NULL};
    CHECK_EQ_INT(run(BITS_PROPS, props_args, &out), 0);
    expect(out, "SetConfigurationFlags: 0x00000001\n");
    expect(out, "GetConfigurationFlags: 0x00000001 flags 0\n");
    expect(out, "GetMaximumCacheSize: 0x00000001 size 0\n");
    expect(out, "EnumRecords: 0x00000001 no records\n");
    expect(out, "DiscoverPeers: 0x00000001\n");
    expect(out, "Dynamic content: 0x00000000 on\n");
    expect(out, "Response headers: not available (0x80004001)\n");
    expect(out, "Job completed\n");
    free(out);
    CHECK(ts_file_matches_gen(local2, 7000));

    /* Bad usage reaches wmain's argc check. */
    const char *no_args[] = {NULL};
    CHECK_EQ_INT(run(BITS_PROPS, no_args, &out), 2);
    free(out);

    free(u1);
    free(local1);
    free(u404);
    free(local404);
    free(u2);
    free(local2);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&s), 0);
    printf("win32_examples: ok\n");
    return 0;
}
