/*
 * http_get.c - the transport against the real test server on 127.0.0.1:
 * full, ranged and open-ended GETs, Range ignored, HTTP errors, HEAD,
 * redirects, dropped and stalled connections, refused connections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>
#ifndef _WIN32
#include <signal.h>
#include <sys/resource.h>
#endif

#include "bgt_test_util.h"
#include "check.h"
#include "harness.h"

static ts_server srv;
static char *dir;

static void test_full_get(void)
{
    const uint64_t size = 5000000;
    char *path = bt_path(dir, "full.bin");
    char *url = ts_url(&srv, "/gen/%llu", (unsigned long long)size);
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.bytes_written, size);
    CHECK(ts_file_matches_gen(path, size));
    CHECK_EQ_INT(r.resp.http_status, 200);
    CHECK_EQ_INT(r.resp.http_version, 11);
    CHECK_EQ_U64(r.resp.content_length, size);
    CHECK_EQ_U64(r.resp.resource_size, size);
    CHECK_EQ_INT(r.resp.has_content_range, 0);
    CHECK_EQ_INT(r.resp.accept_ranges, 1);
    CHECK(r.resp.etag[0] != '\0');
    CHECK(r.resp.last_modified[0] != '\0');
    CHECK(r.resp.last_modified_unix > 0);
    CHECK_EQ_STR(r.resp.effective_url, url);
    CHECK_EQ_INT(r.resp.redirect_count, 0);
    CHECK_EQ_STR(r.resp.redirect_url, "");
    CHECK_EQ_INT(r.curl_code, 0);
    CHECK(r.progress_calls >= 1);
    CHECK_EQ_U64(r.last_progress, size);
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/5000000\t-\t200"), 1);
    bt_close(fd);
    free(url);
    free(path);
}

static void test_ranged_get_into_middle(void)
{
    char *path = bt_path(dir, "ranged.bin");
    char *url = ts_url(&srv, "/gen/10000");
    int fd = bt_make_file(path, 3000, 'X');
    bgt_request q = bt_request(url, fd);
    bt_result r;
    q.ranged = 1;
    q.range_first = 4000;
    q.range_length = 1000;
    q.file_offset = 1000;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.bytes_written, 1000);
    CHECK_EQ_U64(bt_file_size(path), 3000);
    CHECK(bt_region_is(path, 0, 1000, 'X'));
    CHECK(bt_region_is_gen(path, 1000, 4000, 1000));
    CHECK(bt_region_is(path, 2000, 1000, 'X'));
    CHECK_EQ_INT(r.resp.http_status, 206);
    CHECK_EQ_INT(r.resp.has_content_range, 1);
    CHECK_EQ_U64(r.resp.cr_first, 4000);
    CHECK_EQ_U64(r.resp.cr_last, 4999);
    CHECK_EQ_U64(r.resp.cr_total, 10000);
    CHECK_EQ_U64(r.resp.resource_size, 10000);
    CHECK_EQ_U64(r.resp.content_length, 1000);
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/10000\tbytes=4000-4999\t206"), 1);
    bt_close(fd);
    free(url);
    free(path);
}

static void test_open_ended_range(void)
{
    char *path = bt_path(dir, "tail.bin");
    char *url = ts_url(&srv, "/gen/10001");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    q.ranged = 1;
    q.range_first = 9000;
    q.range_length = BGT_UNKNOWN;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.bytes_written, 1001);
    CHECK_EQ_U64(bt_file_size(path), 1001);
    CHECK(bt_region_is_gen(path, 0, 9000, 1001));
    CHECK_EQ_U64(r.resp.resource_size, 10001);
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/10001\tbytes=9000-\t206"), 1);
    bt_close(fd);
    free(url);
    free(path);
}

/* A ranged GET answered with the whole resource must not touch the file. */
static void test_range_ignored(void)
{
    char *path = bt_path(dir, "norange.bin");
    char *url = ts_url(&srv, "/gen/100000?norange=1");
    int fd = bt_make_file(path, 2000, 'X');
    bgt_request q = bt_request(url, fd);
    bt_result r;
    q.ranged = 1;
    q.range_first = 100;
    q.range_length = 500;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_RANGE_IGNORED);
    CHECK_EQ_U64(r.bytes_written, 0);
    CHECK_EQ_INT(r.resp.http_status, 200);
    CHECK_EQ_U64(r.resp.resource_size, 100000);
    CHECK(r.message[0] != '\0');
    CHECK_EQ_U64(bt_file_size(path), 2000);
    CHECK(bt_region_is(path, 0, 2000, 'X'));
    CHECK_EQ_INT(r.progress_calls, 0);
    bt_close(fd);
    free(url);
    free(path);
}

/* Offsets past 4 GiB on both sides: the resource (BITS fetches > 2 GB files
 * in ranges) and the destination file (a sparse file here). */
static void test_offsets_beyond_4gib(void)
{
    const uint64_t first = UINT64_C(5000000000), file_off = UINT64_C(4500000000);
    char *path = bt_path(dir, "big-offsets.bin");
    char *url = ts_url(&srv, "/gen/6000000000");
    int fd = bt_make_file(path, 0, 0);
    unsigned char got[1000];
    bgt_request q = bt_request(url, fd);
    bt_result r;
    q.ranged = 1;
    q.range_first = first;
    q.range_length = sizeof got;
    q.file_offset = file_off;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.resp.cr_total, UINT64_C(6000000000));
    CHECK_EQ_U64(r.resp.resource_size, UINT64_C(6000000000));
    CHECK_EQ_U64(bt_file_size(path), file_off + sizeof got);
    CHECK_EQ_INT(bt_pread(fd, got, sizeof got, file_off), (int)sizeof got);
    CHECK_EQ_U64(ts_gen_mismatch(got, first, sizeof got), sizeof got);
    bt_close(fd);
    CHECK_EQ_INT(ts_remove(path), 0); /* 4.5 GB, even if sparse */
    free(url);
    free(path);
}

static void test_http_404(void)
{
    char *path = bt_path(dir, "404.bin");
    char *url = ts_url(&srv, "/gen/1000?status=404");
    int fd = bt_make_file(path, 100, 'X');
    bgt_request q = bt_request(url, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 404);
    CHECK_EQ_U64(r.bytes_written, 0);
    CHECK_EQ_U64(bt_file_size(path), 100);
    CHECK(bt_region_is(path, 0, 100, 'X'));
    bt_close(fd);
    free(url);
    free(path);
}

static void test_range_not_satisfiable(void)
{
    char *path = bt_path(dir, "416.bin");
    char *url = ts_url(&srv, "/gen/1000");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    q.ranged = 1;
    q.range_first = 5000;
    q.range_length = 10;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 416);
    CHECK_EQ_U64(r.bytes_written, 0);
    CHECK_EQ_U64(bt_file_size(path), 0);
    bt_close(fd);
    free(url);
    free(path);
}

static void test_head(void)
{
    char *url = ts_url(&srv, "/gen/12345?lm=784111777");
    bgt_request q = bt_request(url, -1);
    bt_result r, g;
    q.method = BGT_HEAD;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(r.resp.http_status, 200);
    CHECK_EQ_INT(r.resp.http_version, 11);
    CHECK_EQ_U64(r.resp.content_length, 12345);
    CHECK_EQ_U64(r.resp.resource_size, 12345);
    CHECK_EQ_INT(r.resp.accept_ranges, 1);
    CHECK(r.resp.etag[0] == '"' || strncmp(r.resp.etag, "W/\"", 3) == 0);
    CHECK_EQ_STR(r.resp.last_modified, "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK_EQ_I64(r.resp.last_modified_unix, 784111777);
    CHECK_EQ_U64(r.bytes_written, 0);
    CHECK_EQ_INT(ts_server_log_count(&srv, "HEAD\t/gen/12345?lm=784111777\t-\t200"), 1);

    /* The validators of a GET of the same URL are the same. */
    char *path = bt_path(dir, "head-then-get.bin");
    int fd = bt_make_file(path, 0, 0);
    q = bt_request(url, fd);
    bt_run(&q, &g, 30000);
    CHECK_EQ_INT(g.status, BGT_OK);
    CHECK_EQ_STR(g.resp.etag, r.resp.etag);
    CHECK_EQ_STR(g.resp.last_modified, r.resp.last_modified);
    bt_close(fd);
    free(path);

    free(url);
    url = ts_url(&srv, "/gen/12345?status=404");
    q = bt_request(url, -1);
    q.method = BGT_HEAD;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 404);
    free(url);
}

static void test_redirects(void)
{
    char *path = bt_path(dir, "redirect.bin");
    char *url = ts_url(&srv, "/gen/1000?redirect=302&to=/gen/2000");
    char *target = ts_url(&srv, "/gen/2000");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.bytes_written, 2000);
    CHECK(ts_file_matches_gen(path, 2000));
    CHECK_EQ_INT(r.resp.redirect_count, 1);
    CHECK_EQ_STR(r.resp.effective_url, target);
    CHECK_EQ_STR(r.resp.redirect_url, "");
    bt_close(fd);

    /* Not following: the 3xx is the answer, and where it pointed is told. */
    fd = bt_make_file(path, 10, 'X');
    q = bt_request(url, fd);
    q.follow_redirects = 0;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 302);
    CHECK_EQ_STR(r.resp.redirect_url, target);
    CHECK_EQ_STR(r.resp.effective_url, url);
    CHECK_EQ_U64(r.bytes_written, 0);
    CHECK(bt_region_is(path, 0, 10, 'X'));
    CHECK_EQ_U64(bt_file_size(path), 10);
    bt_close(fd);
    free(target);
    free(url);
    free(path);
}

/* The server closes the connection mid-body: the bytes before are kept. */
static void test_dropped_connection(void)
{
    char *path = bt_path(dir, "drop.bin");
    char *url = ts_url(&srv, "/gen/3000000?drop=1500000");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_CONNECTION_CLOSED);
    CHECK(r.curl_code != 0);
    CHECK(r.bytes_written > 0);
    CHECK(r.bytes_written <= 1500000);
    CHECK_EQ_U64(bt_file_size(path), r.bytes_written);
    CHECK(ts_file_matches_gen(path, r.bytes_written));
    bt_close(fd);
    free(url);
    free(path);
}

static void test_stall_timeout(void)
{
    char *path = bt_path(dir, "stall.bin");
    char *url = ts_url(&srv, "/gen/100000?stall=3000");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    uint64_t t0 = ts_now_ms();
    q.stall_timeout_s = 1;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_TIMEOUT);
    CHECK(ts_now_ms() - t0 >= 900);
    CHECK_EQ_U64(r.bytes_written, 3000);
    CHECK(ts_file_matches_gen(path, 3000));
    bt_close(fd);
    free(url);
    free(path);
}

static void test_no_content_length(void)
{
    char *path = bt_path(dir, "nolength.bin");
    char *url = ts_url(&srv, "/gen/50000?nolength=1");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.resp.content_length, BGT_UNKNOWN);
    CHECK_EQ_U64(r.resp.resource_size, BGT_UNKNOWN);
    CHECK_EQ_U64(r.bytes_written, 50000);
    CHECK(ts_file_matches_gen(path, 50000));
    bt_close(fd);
    free(url);
    free(path);
}

/* The disk refuses part of a block: with a file size limit (RLIMIT_FSIZE)
 * pwrite first writes short, up to the limit, then fails with EFBIG.  What
 * did get written is reported exactly and is correct. */
#ifndef _WIN32
static void test_write_error_mid_block(void)
{
    const uint64_t limit = 1500000;
    struct rlimit old, lim;
    char *path = bt_path(dir, "fsize.bin");
    char *url = ts_url(&srv, "/gen/3000000");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    CHECK_EQ_INT(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)limit;
    signal(SIGXFSZ, SIG_IGN); /* EFBIG instead of being killed */
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &old), 0);
    CHECK_EQ_INT(r.status, BGT_ERR_LOCAL_WRITE);
    CHECK_EQ_INT(r.sys_errno, -UV_EFBIG);
    CHECK_EQ_U64(r.bytes_written, limit);
    CHECK_EQ_U64(bt_file_size(path), limit);
    CHECK(ts_file_matches_gen(path, limit));
    bt_close(fd);
    free(url);
    free(path);
}
#else
/* Windows has no per-process file size limit to make a write fail half
 * way, so the failing write here is the first one: the destination handle
 * is read-only.  The body must fail the transfer at once with nothing
 * written and the cause reported. */
static void test_write_error_mid_block(void)
{
    char *path = bt_path(dir, "readonly-http.bin");
    char *url = ts_url(&srv, "/gen/3000000");
    bt_close(bt_make_file(path, 0, 0));
    int fd = bt_open_readonly(path);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_LOCAL_WRITE);
    CHECK_EQ_INT(r.sys_errno, -UV_EBADF); /* libuv's mapping of WriteFile's access denied */
    CHECK_EQ_U64(r.bytes_written, 0);
    CHECK_EQ_U64(bt_file_size(path), 0);
    CHECK(r.message[0] != '\0');
    bt_close(fd);
    free(url);
    free(path);
}
#endif

/* A 127.0.0.1 port that refuses connections: bound, never listening.  The
 * socket lives on a loop of its own that never runs, which keeps the port
 * reserved; release_port frees both. */
typedef struct reserved_port {
    uv_loop_t loop;
    uv_tcp_t sock;
} reserved_port;

static int refused_port(reserved_port *p)
{
    struct sockaddr_in a;
    struct sockaddr_storage bound;
    int len = sizeof bound;
    CHECK_EQ_INT(uv_loop_init(&p->loop), 0);
    CHECK_EQ_INT(uv_tcp_init(&p->loop, &p->sock), 0);
    CHECK_EQ_INT(uv_ip4_addr("127.0.0.1", 0, &a), 0);
    CHECK_EQ_INT(uv_tcp_bind(&p->sock, (const struct sockaddr *)&a, 0), 0);
    CHECK_EQ_INT(uv_tcp_getsockname(&p->sock, (struct sockaddr *)&bound, &len), 0);
    return ntohs(((struct sockaddr_in *)&bound)->sin_port);
}

static void release_port(reserved_port *p)
{
    uv_close((uv_handle_t *)&p->sock, NULL);
    CHECK_EQ_INT(uv_run(&p->loop, UV_RUN_DEFAULT), 0);
    CHECK_EQ_INT(uv_loop_close(&p->loop), 0);
}

static void test_connection_refused(void)
{
    reserved_port s;
    char url[128];
    bt_result r;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/gen/10", refused_port(&s));
    char *path = bt_path(dir, "refused.bin");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_CONNECT);
    CHECK_EQ_INT(r.curl_code, 7); /* CURLE_COULDNT_CONNECT */
    CHECK(r.message[0] != '\0');
    CHECK_EQ_INT(r.resp.http_status, 0);
    release_port(&s);
    bt_close(fd);
    free(path);
}

/* Proxy selection: an explicit proxy, its bypass list, "" (none, whatever
 * the environment says) and NULL (the environment).  The proxy is a port
 * that refuses connections, so going through it shows as BGT_ERR_CONNECT. */
static void test_proxy(void)
{
    reserved_port s;
    char proxy[128];
    char *path = bt_path(dir, "proxy.bin");
    char *url = ts_url(&srv, "/gen/3007");
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", refused_port(&s));

    q.proxy = proxy;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_CONNECT);
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/3007\t-\t200"), 0);

    q.proxy_bypass = "127.0.0.1";
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/3007\t-\t200"), 1);

    CHECK_EQ_INT(ts_setenv("http_proxy", proxy), 0);
    /* (On Windows both spellings are one variable: removing the second
     * removes the first, and no bypass is what either way means.) */
    CHECK_EQ_INT(ts_setenv("no_proxy", ""), 0);
    CHECK_EQ_INT(ts_setenv("NO_PROXY", NULL), 0);
    q.proxy = "";
    q.proxy_bypass = NULL;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/3007\t-\t200"), 2);
    q.proxy = NULL;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_CONNECT);
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/3007\t-\t200"), 2);
    CHECK_EQ_INT(ts_setenv("http_proxy", NULL), 0);
    CHECK(ts_file_matches_gen(path, 3007));

    release_port(&s);
    bt_close(fd);
    free(url);
    free(path);
}

static void test_bad_urls(void)
{
    /* file://otherhost/x is a UNC name on Windows, so there the bad file
     * URL is one without a drive. */
#ifdef _WIN32
    static const char *const urls[] = {"ftp://127.0.0.1/x", "relative/path", "file:///x/y",
                                       "C:relative"};
#else
    static const char *const urls[] = {"ftp://127.0.0.1/x", "relative/path", "file://otherhost/x"};
#endif
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        bgt_request q = bt_request(urls[i], 1);
        bt_result r;
        bt_run(&q, &r, 30000);
        CHECK_MSG(r.status == BGT_ERR_BAD_URL, "%s gave %s", urls[i], bgt_status_name(r.status));
    }
}

int main(void)
{
    dir = ts_mkdtemp();
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    test_full_get();
    test_ranged_get_into_middle();
    test_open_ended_range();
    test_offsets_beyond_4gib();
    test_range_ignored();
    test_http_404();
    test_range_not_satisfiable();
    test_head();
    test_redirects();
    test_dropped_connection();
    test_stall_timeout();
    test_no_content_length();
    test_write_error_mid_block();
    test_connection_refused();
    test_proxy();
    test_bad_urls();
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("transport_http_get: all passed\n");
    return 0;
}
