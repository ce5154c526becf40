/*
 * bitsadmin_child.c - see bitsadmin_child.h.
 */
#include "bitsadmin_child.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

void ba_program_path(char *path, size_t size, const char *rel)
{
    size_t len = size;
    CHECK_EQ_INT(uv_exepath(path, &len), 0);
    char *slash = strrchr(path, '/');
#ifdef _WIN32
    char *bslash = strrchr(path, '\\');
    if (!slash || (bslash && bslash > slash))
        slash = bslash;
#endif
    CHECK_NOT_NULL(slash);
    slash[1] = '\0';
    CHECK(strlen(path) + strlen(rel) < size);
    strcat(path, rel);
#ifdef _WIN32
    for (char *p = path; *p; p++)
        if (*p == '/')
            *p = '\\';
#endif
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    buf->base = malloc(suggested);
    CHECK_NOT_NULL(buf->base);
    buf->len = suggested;
}

static void on_pipe_closed(uv_handle_t *h)
{
    ba_child *c = h->data;
    c->open_pipes--;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    ba_capture *cap = (ba_capture *)s;
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
        /* EOF (the child and everything that inherited the pipe are gone)
         * or a broken pipe: either way nothing more will come. */
        uv_close((uv_handle_t *)s, on_pipe_closed);
    }
    free(buf->base);
}

static void on_child_exit(uv_process_t *p, int64_t status, int term_signal)
{
    ba_child *c = p->data;
    c->exited = 1;
    c->exit_status = status;
    c->term_signal = term_signal;
    uv_close((uv_handle_t *)p, NULL);
}

void ba_spawn(ba_child *c, ba_stdio how, const char *program, const char *const *words)
{
    char *argv[40];
    int argc = 0;
    argv[argc++] = (char *)program;
    for (; *words; words++) {
        CHECK(argc < 39);
        argv[argc++] = (char *)*words;
    }
    argv[argc] = NULL;

    memset(c, 0, sizeof *c);
    CHECK_EQ_INT(uv_loop_init(&c->loop), 0);
    ba_capture *caps[2] = { &c->out, &c->err };
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_IGNORE;
    for (int i = 0; i < 2; i++) {
        CHECK_EQ_INT(uv_pipe_init(&c->loop, &caps[i]->pipe, 0), 0);
        caps[i]->pipe.data = c;
        caps[i]->cap = 256;
        caps[i]->data = calloc(1, caps[i]->cap);
        CHECK_NOT_NULL(caps[i]->data);
        stdio[i + 1].flags = how == BA_NO_PIPES ? UV_IGNORE : UV_CREATE_PIPE | UV_WRITABLE_PIPE;
        stdio[i + 1].data.stream = (uv_stream_t *)&caps[i]->pipe;
    }
    uv_process_options_t opt;
    memset(&opt, 0, sizeof opt);
    opt.file = program;
    opt.args = argv;
    opt.exit_cb = on_child_exit;
    opt.stdio_count = 3;
    opt.stdio = stdio;
    c->proc.data = c;
    int r = uv_spawn(&c->loop, &c->proc, &opt);
    CHECK_MSG(r == 0, "cannot start %.900s: %s", program, uv_strerror(r));
    c->open_pipes = 2;
    if (how == BA_CAPTURE) {
        CHECK_EQ_INT(uv_read_start((uv_stream_t *)&c->out.pipe, on_alloc, on_read), 0);
        CHECK_EQ_INT(uv_read_start((uv_stream_t *)&c->err.pipe, on_alloc, on_read), 0);
    } else {
        /* The reader of stdout is gone before the child writes a byte (for
         * BA_NO_PIPES the pipes were never connected). */
        uv_close((uv_handle_t *)&c->out.pipe, on_pipe_closed);
        if (how == BA_NO_PIPES)
            uv_close((uv_handle_t *)&c->err.pipe, on_pipe_closed);
        else
            CHECK_EQ_INT(uv_read_start((uv_stream_t *)&c->err.pipe, on_alloc, on_read), 0);
    }
}

static void on_deadline(uv_timer_t *t)
{
    *(int *)t->data = 1;
}

int ba_run_until(ba_child *c, int (*pred)(ba_child *), int timeout_ms)
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

int ba_done(ba_child *c)
{
    return c->exited && c->open_pipes == 0;
}

void ba_wait(ba_child *c)
{
    CHECK_MSG(ba_run_until(c, ba_done, 60000), "bitsadmin did not exit");
    CHECK_EQ_INT(uv_run(&c->loop, UV_RUN_DEFAULT), 0);
    CHECK_EQ_INT(uv_loop_close(&c->loop), 0);
}

char *ba_take_text(ba_capture *cap)
{
    char *t = cap->data;
    cap->data = NULL;
#ifdef _WIN32
    char *o = t;
    for (const char *i = t; *i; i++)
        if (!(i[0] == '\r' && i[1] == '\n'))
            *o++ = *i;
    *o = '\0';
#endif
    return t;
}

void ba_child_free(ba_child *c)
{
    free(c->out.data);
    free(c->err.data);
    c->out.data = c->err.data = NULL;
}
