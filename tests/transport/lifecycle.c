/*
 * lifecycle.c - aborts, progress, many transfers on one engine, and user
 * callbacks that start, abort and close from inside themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bgt_internal.h" /* t->received, t->buf_len: to abort with bytes still buffered */
#include "bgt_test_util.h"
#include "check.h"
#include "harness.h"

static ts_server srv;
static char *dir;

/* Per-transfer record for the tests that drive the loop themselves. */
typedef struct rec {
    bgt_transfer *t;
    int done_calls;
    bgt_status status;
    uint64_t bytes_written;
    uint64_t progress;
    int progress_calls;
    uint64_t abort_after;       /* on_progress: set want_abort once progress reaches this */
    int want_abort;
    struct rec *abort_other;    /* on_progress: abort this one (once) */
    bgt_engine *engine;
    bgt_request *chain;         /* on_done: start this request */
    struct rec *chain_rec;
    int close_engine_on_done;
    int close_engine_on_progress;
    char *path;
    int fd;
    uint64_t size;
} rec;

static void rec_progress(bgt_transfer *t, uint64_t bytes, void *user)
{
    rec *r = user;
    CHECK(t == r->t);
    CHECK(bytes >= r->progress);
    r->progress = bytes;
    r->progress_calls++;
    if (r->abort_after && bytes >= r->abort_after)
        r->want_abort = 1;
    if (r->close_engine_on_progress) {
        r->close_engine_on_progress = 0;
        bgt_engine_close(r->engine);
        return;
    }
    if (r->abort_other != NULL && r->abort_other->t != NULL) {
        bgt_abort(r->abort_other->t);
        r->abort_other->t = NULL;
    }
}

static void rec_done(bgt_transfer *t, bgt_status status, const bgt_response *resp,
                     uint64_t bytes_written, int curl_code, int sys_errno, const char *message,
                     void *user)
{
    rec *r = user;
    (void)resp;
    (void)curl_code;
    (void)sys_errno;
    (void)message;
    CHECK(t == r->t);
    r->done_calls++;
    r->status = status;
    r->bytes_written = bytes_written;
    r->t = NULL;
    if (r->chain != NULL)
        CHECK_EQ_INT(bgt_start(r->engine, r->chain, &r->chain_rec->t), 0);
    if (r->close_engine_on_done)
        bgt_engine_close(r->engine);
}

static bgt_request rec_request(rec *r, const char *url)
{
    bgt_request q = bt_request(url, r->fd);
    q.on_progress = rec_progress;
    q.on_done = rec_done;
    q.user = r;
    return q;
}

static void rec_open(rec *r, const char *name)
{
    memset(r, 0, sizeof *r);
    r->path = bt_path(dir, name);
    r->fd = bt_make_file(r->path, 0, 0);
}

static void rec_close(rec *r)
{
    bt_close(r->fd);
    free(r->path);
}

static void drain_and_close(uv_loop_t *loop)
{
    CHECK_EQ_INT(uv_run(loop, UV_RUN_DEFAULT), 0);
    CHECK_EQ_INT(uv_loop_close(loop), 0);
}

/* Abort in the middle of a throttled download: what is on disk is exactly
 * what bgt_abort reports, and it is the right bytes. */
static void test_abort_mid_transfer(void)
{
    uv_loop_t loop;
    bgt_engine *e;
    rec r;
    char *url = ts_url(&srv, "/gen/4000000?rate=400000");
    uint64_t n;
    rec_open(&r, "abort.bin");
    r.abort_after = 100000;
    bgt_request q = rec_request(&r, url);
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    CHECK_EQ_INT(bgt_start(e, &q, &r.t), 0);
    while (!r.want_abort) {
        CHECK(r.done_calls == 0);
        uv_run(&loop, UV_RUN_ONCE);
    }
    n = bgt_abort(r.t);
    r.t = NULL;
    fprintf(stderr, "  aborted after %llu bytes (last progress %llu)\n", (unsigned long long)n,
            (unsigned long long)r.progress);
    CHECK(n >= r.progress);
    CHECK(n >= 100000);
    CHECK(n < 4000000);
    CHECK_EQ_U64(bt_file_size(r.path), n);
    CHECK(ts_file_matches_gen(r.path, n));
    bgt_engine_close(e);
    drain_and_close(&loop);
    CHECK_EQ_INT(r.done_calls, 0);
    rec_close(&r);
    free(url);
}

/* Abort while bytes wait in the write buffer: they must reach the file.
 * The server sends 30000 bytes and then stalls, so the transfer sits with
 * a partly filled buffer until the 100 ms flush timer. */
static void test_abort_flushes_buffer(void)
{
    uv_loop_t loop;
    bgt_engine *e;
    rec r;
    char *url = ts_url(&srv, "/gen/100000?stall=30000");
    uint64_t n;
    size_t buffered;
    rec_open(&r, "abort-flush.bin");
    bgt_request q = rec_request(&r, url);
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    CHECK_EQ_INT(bgt_start(e, &q, &r.t), 0);
    while (r.t->received < 30000)
        uv_run(&loop, UV_RUN_ONCE);
    buffered = r.t->buf_len;
    n = bgt_abort(r.t);
    r.t = NULL;
    fprintf(stderr, "  aborted with %zu bytes buffered\n", buffered);
    CHECK_EQ_U64(n, 30000);
    CHECK_EQ_U64(bt_file_size(r.path), 30000);
    CHECK(ts_file_matches_gen(r.path, 30000));
    bgt_engine_close(e);
    drain_and_close(&loop);
    CHECK_EQ_INT(r.done_calls, 0);
    rec_close(&r);
    free(url);
}

/* Bytes that stop arriving still reach the file (and on_progress) after
 * BGT_FLUSH_DELAY_MS, not only at the end of the transfer. */
static void test_flush_timer(void)
{
    uv_loop_t loop;
    bgt_engine *e;
    rec r;
    char *url = ts_url(&srv, "/gen/100000?stall=20000");
    rec_open(&r, "flush-timer.bin");
    bgt_request q = rec_request(&r, url);
    q.stall_timeout_s = 20;
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    CHECK_EQ_INT(bgt_start(e, &q, &r.t), 0);
    uint64_t t0 = ts_now_ms();
    while (r.progress < 20000 && r.done_calls == 0)
        uv_run(&loop, UV_RUN_ONCE);
    CHECK_EQ_INT(r.done_calls, 0);
    CHECK_EQ_U64(r.progress, 20000);
    CHECK(ts_now_ms() - t0 < 5000);
    CHECK(ts_file_matches_gen(r.path, 20000));
    CHECK_EQ_U64(bgt_abort(r.t), 20000);
    r.t = NULL;
    bgt_engine_close(e);
    drain_and_close(&loop);
    rec_close(&r);
    free(url);
}

/* A slow body smaller than the write buffer still shows progress: the
 * buffer is written after BGT_FLUSH_DELAY_MS, not only when full. */
static void test_progress_on_slow_body(void)
{
    char *path = bt_path(dir, "slow.bin");
    char *url = ts_url(&srv, "/gen/300000?rate=500000");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(path, 300000));
    fprintf(stderr, "  %d progress reports\n", r.progress_calls);
    CHECK(r.progress_calls >= 3);
    CHECK_EQ_U64(r.last_progress, 300000);
    bt_close(fd);
    free(url);
    free(path);
}

/* Many transfers at once on one engine, HTTP and local mixed. */
static void test_many_at_once(void)
{
    enum { N = 24 };
    uv_loop_t loop;
    bgt_engine *e;
    rec r[N];
    char *urls[N];
    char *local = bt_path(dir, "local-src.bin");
    CHECK_EQ_INT(ts_write_gen_file(local, 2500000), 0);
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "many-%d.bin", i);
        rec_open(&r[i], name);
        if (i % 6 == 5) {
            r[i].size = 2500000;
            urls[i] = strdup(local);
        } else {
            r[i].size = (uint64_t)(i * 397 * 1024 + i);
            urls[i] = ts_url(&srv, "/gen/%llu", (unsigned long long)r[i].size);
        }
        bgt_request q = rec_request(&r[i], urls[i]);
        CHECK_EQ_INT(bgt_start(e, &q, &r[i].t), 0);
    }
    for (;;) {
        int pending = 0;
        for (int i = 0; i < N; i++)
            pending += r[i].done_calls == 0;
        if (!pending)
            break;
        uv_run(&loop, UV_RUN_ONCE);
    }
    bgt_engine_close(e);
    drain_and_close(&loop);
    for (int i = 0; i < N; i++) {
        CHECK_EQ_INT(r[i].done_calls, 1);
        CHECK_MSG(r[i].status == BGT_OK, "%s: %s", urls[i], bgt_status_name(r[i].status));
        CHECK_EQ_U64(r[i].bytes_written, r[i].size);
        CHECK(ts_file_matches_gen(r[i].path, r[i].size));
        rec_close(&r[i]);
        free(urls[i]);
    }
    free(local);
}

/* Many small files through a window of 16 transfers, each on_done
 * starting the next: connections and file descriptors get reused, uv_poll
 * handles come and go. */
typedef struct window {
    bgt_engine *engine;
    ts_server *srv;
    int fd;
    int next, done, failed;
    int total;
} window;

static void window_start_next(window *w);

static void window_done(bgt_transfer *t, bgt_status status, const bgt_response *resp,
                        uint64_t bytes_written, int curl_code, int sys_errno,
                        const char *message, void *user)
{
    window *w = user;
    (void)t, (void)curl_code, (void)sys_errno;
    w->done++;
    if (status != BGT_OK || bytes_written != resp->content_length) {
        fprintf(stderr, "  small transfer failed: %s (%s)\n", bgt_status_name(status), message);
        w->failed++;
    }
    window_start_next(w);
}

static void window_start_next(window *w)
{
    bgt_transfer *t;
    if (w->next >= w->total)
        return;
    int i = w->next++;
    char *url = ts_url(w->srv, "/gen/%d", 1 + (i * 7919) % 20000);
    bgt_request q = bt_request(url, w->fd);
    /* All transfers write the generated bytes at offset 0 of one shared
     * file, so whatever order they land in, the file must match them. */
    q.on_done = window_done;
    q.user = w;
    CHECK_EQ_INT(bgt_start(w->engine, &q, &t), 0);
    free(url);
}

static void test_many_small_files(void)
{
    uv_loop_t loop;
    window w;
    char *path = bt_path(dir, "small.bin");
    memset(&w, 0, sizeof w);
    w.srv = &srv;
    w.total = 400;
    w.fd = bt_make_file(path, 0, 0);
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&w.engine, &loop), 0);
    uint64_t t0 = ts_now_ms();
    for (int i = 0; i < 16; i++)
        window_start_next(&w);
    while (w.done < w.total)
        uv_run(&loop, UV_RUN_ONCE);
    fprintf(stderr, "  %d small transfers in %llu ms\n", w.total,
            (unsigned long long)(ts_now_ms() - t0));
    bgt_engine_close(w.engine);
    drain_and_close(&loop);
    CHECK_EQ_INT(w.failed, 0);
    CHECK(ts_file_matches_gen(path, bt_file_size(path)));
    bt_close(w.fd);
    free(path);
}

/* Closing the engine with transfers running: no on_done, no handle left. */
static void test_close_with_active_transfers(void)
{
    uv_loop_t loop;
    bgt_engine *e;
    rec r[3];
    char *url = ts_url(&srv, "/gen/1000000?rate=200000");
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    for (int i = 0; i < 3; i++) {
        rec_open(&r[i], i == 0 ? "close0.bin" : i == 1 ? "close1.bin" : "close2.bin");
        r[i].abort_after = 1; /* any progress ends the wait below */
        bgt_request q = rec_request(&r[i], url);
        CHECK_EQ_INT(bgt_start(e, &q, &r[i].t), 0);
    }
    while (!r[0].want_abort || !r[1].want_abort || !r[2].want_abort)
        uv_run(&loop, UV_RUN_ONCE);
    bgt_engine_close(e);
    drain_and_close(&loop);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(r[i].done_calls, 0);
        uint64_t size = bt_file_size(r[i].path);
        CHECK(size >= r[i].progress);
        CHECK(ts_file_matches_gen(r[i].path, size));
        rec_close(&r[i]);
    }
    free(url);
}

/* on_done may start the next transfer and may close the engine. */
static void test_reentrant_callbacks(void)
{
    uv_loop_t loop;
    bgt_engine *e;
    rec a, b;
    char *ua = ts_url(&srv, "/gen/70000");
    char *ub = ts_url(&srv, "/gen/80000");
    rec_open(&a, "chain-a.bin");
    rec_open(&b, "chain-b.bin");
    bgt_request qa = rec_request(&a, ua);
    bgt_request qb = rec_request(&b, ub);
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    a.engine = b.engine = e;
    a.chain = &qb;
    a.chain_rec = &b;
    b.close_engine_on_done = 1;
    CHECK_EQ_INT(bgt_start(e, &qa, &a.t), 0);
    /* The loop ends by itself once b's on_done closed the engine. */
    drain_and_close(&loop);
    CHECK_EQ_INT(a.done_calls, 1);
    CHECK_EQ_INT(b.done_calls, 1);
    CHECK_EQ_INT(a.status, BGT_OK);
    CHECK_EQ_INT(b.status, BGT_OK);
    CHECK(ts_file_matches_gen(a.path, 70000));
    CHECK(ts_file_matches_gen(b.path, 80000));
    rec_close(&a);
    rec_close(&b);
    free(ua);
    free(ub);
}

/* on_progress may close the engine: the other transfers end silently and
 * keep what they wrote; the loop then ends by itself. */
static void test_close_from_progress(void)
{
    uv_loop_t loop;
    bgt_engine *e;
    rec a, b;
    char *ua = ts_url(&srv, "/gen/2000000?rate=1000000");
    char *ub = ts_url(&srv, "/gen/2000000?rate=1000000");
    rec_open(&a, "close-progress-a.bin");
    rec_open(&b, "close-progress-b.bin");
    bgt_request qa = rec_request(&a, ua);
    bgt_request qb = rec_request(&b, ub);
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    a.engine = e;
    a.close_engine_on_progress = 1;
    CHECK_EQ_INT(bgt_start(e, &qa, &a.t), 0);
    CHECK_EQ_INT(bgt_start(e, &qb, &b.t), 0);
    drain_and_close(&loop);
    CHECK_EQ_INT(a.done_calls, 0);
    CHECK_EQ_INT(b.done_calls, 0);
    CHECK_EQ_INT(a.progress_calls, 1);
    CHECK(ts_file_matches_gen(a.path, bt_file_size(a.path)));
    CHECK(ts_file_matches_gen(b.path, bt_file_size(b.path)));
    CHECK(bt_file_size(a.path) < 2000000);
    rec_close(&a);
    rec_close(&b);
    free(ua);
    free(ub);
}

/* on_progress of one transfer aborts another. */
static void test_abort_from_other_callback(void)
{
    uv_loop_t loop;
    bgt_engine *e;
    rec a, b;
    char *ua = ts_url(&srv, "/gen/200000?rate=1000000");
    char *ub = ts_url(&srv, "/gen/5000000?rate=500000");
    rec_open(&a, "other-a.bin");
    rec_open(&b, "other-b.bin");
    a.abort_other = &b;
    bgt_request qa = rec_request(&a, ua);
    bgt_request qb = rec_request(&b, ub);
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    CHECK_EQ_INT(bgt_start(e, &qb, &b.t), 0);
    CHECK_EQ_INT(bgt_start(e, &qa, &a.t), 0);
    while (a.done_calls == 0)
        uv_run(&loop, UV_RUN_ONCE);
    bgt_engine_close(e);
    drain_and_close(&loop);
    CHECK_EQ_INT(a.status, BGT_OK);
    CHECK(ts_file_matches_gen(a.path, 200000));
    CHECK_EQ_INT(b.done_calls, 0);
    CHECK(b.t == NULL);
    CHECK(ts_file_matches_gen(b.path, bt_file_size(b.path)));
    rec_close(&a);
    rec_close(&b);
    free(ua);
    free(ub);
}

static void dummy_done(bgt_transfer *t, bgt_status s, const bgt_response *r, uint64_t w, int c,
                       int e, const char *m, void *u)
{
    (void)t, (void)s, (void)r, (void)w, (void)c, (void)e, (void)m, (void)u;
    CHECK_FAIL("on_done of a request that was refused");
}

static void test_bad_requests(void)
{
    uv_loop_t loop;
    bgt_engine *e;
    bgt_transfer *t = (bgt_transfer *)&loop;
    bgt_request q = bt_request("http://127.0.0.1:1/x", 1);
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EINVAL); /* no on_done */
    CHECK(t == NULL);
    q.on_done = dummy_done;
    q.url = NULL;
    CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EINVAL);
    q.url = "http://127.0.0.1:1/x";
    q.fd = -1;
    CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EBADF);
    q.fd = 1;
    q.ranged = 1;
    q.range_length = 0;
    CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EINVAL);
    q.range_first = UINT64_MAX - 5;
    q.range_length = 10;
    CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EINVAL);
    bgt_engine_close(e);
    drain_and_close(&loop);
}

int main(void)
{
    dir = ts_mkdtemp();
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    test_bad_requests();
    test_abort_mid_transfer();
    test_abort_flushes_buffer();
    test_flush_timer();
    test_progress_on_slow_body();
    test_many_at_once();
    test_many_small_files();
    test_close_with_active_transfers();
    test_reentrant_callbacks();
    test_abort_from_other_callback();
    test_close_from_progress();
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("transport_lifecycle: all passed\n");
    return 0;
}
