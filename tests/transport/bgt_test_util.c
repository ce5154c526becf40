/*
 * bgt_test_util.c - see bgt_test_util.h.
 */
#include "bgt_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "check.h"
#include "harness.h"

bgt_request bt_request(const char *url, int fd)
{
    bgt_request q;
    memset(&q, 0, sizeof q);
    q.url = url;
    q.method = BGT_GET;
    q.fd = fd;
    q.range_length = BGT_UNKNOWN;
    q.follow_redirects = 1;
    q.proxy = ""; /* straight to 127.0.0.1 whatever http_proxy says */
    return q;
}

static void on_progress(bgt_transfer *t, uint64_t bytes_written, void *user)
{
    bt_result *r = user;
    (void)t;
    if (bytes_written < r->last_progress)
        r->progress_decreased = 1;
    r->progress_calls++;
    r->last_progress = bytes_written;
}

static void copy_str(char *dst, size_t n, const char *src)
{
    CHECK(src != NULL);
    snprintf(dst, n, "%s", src);
}

static void on_done(bgt_transfer *t, bgt_status status, const bgt_response *resp,
                    uint64_t bytes_written, int curl_code, int sys_errno, const char *message,
                    void *user)
{
    bt_result *r = user;
    (void)t;
    r->done_calls++;
    r->status = status;
    r->resp = *resp;
    copy_str(r->effective_url, sizeof r->effective_url, resp->effective_url);
    copy_str(r->redirect_url, sizeof r->redirect_url, resp->redirect_url);
    r->resp.effective_url = r->effective_url;
    r->resp.redirect_url = r->redirect_url;
    CHECK(resp->raw_headers != NULL && strlen(resp->raw_headers) <= BGT_RAW_HEADERS_MAX);
    copy_str(r->raw_headers, sizeof r->raw_headers, resp->raw_headers);
    r->resp.raw_headers = r->raw_headers;
    r->bytes_written = bytes_written;
    r->curl_code = curl_code;
    r->sys_errno = sys_errno;
    copy_str(r->message, sizeof r->message, message);
}

void bt_run(const bgt_request *req, bt_result *out, int timeout_ms)
{
    uv_loop_t loop;
    bgt_engine *e = NULL;
    bgt_transfer *t = NULL;
    bgt_request q = *req;
    uint64_t deadline;

    memset(out, 0, sizeof *out);
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    q.on_done = on_done;
    q.on_progress = on_progress;
    q.user = out;
    CHECK_EQ_INT(bgt_start(e, &q, &t), 0);
    CHECK(t != NULL);
    deadline = uv_now(&loop) + (uint64_t)timeout_ms;
    while (out->done_calls == 0) {
        CHECK_MSG(uv_now(&loop) < deadline, "transfer of %s did not finish in %d ms", req->url,
                  timeout_ms);
        uv_run(&loop, UV_RUN_ONCE);
    }
    bgt_engine_close(e);
    CHECK_EQ_INT(uv_run(&loop, UV_RUN_DEFAULT), 0);
    CHECK_EQ_INT(uv_loop_close(&loop), 0);
    CHECK_EQ_INT(out->done_calls, 1);
    CHECK(!out->progress_decreased);
    fprintf(stderr, "  %s -> %s (%s) http %ld, %llu bytes\n", req->url,
            bgt_status_name(out->status), out->message, out->resp.http_status,
            (unsigned long long)out->bytes_written);
}

int bt_make_file(const char *path, uint64_t size, unsigned char fill)
{
    uv_fs_t req;
    int fd = uv_fs_open(NULL, &req, path, UV_FS_O_RDWR | UV_FS_O_CREAT | UV_FS_O_TRUNC, 0644,
                        NULL);
    static unsigned char buf[65536];
    uint64_t off = 0;
    uv_fs_req_cleanup(&req);
    CHECK_MSG(fd >= 0, "open %s: %s", path, uv_strerror(fd));
    memset(buf, fill, sizeof buf);
    while (off < size) {
        size_t n = size - off < sizeof buf ? (size_t)(size - off) : sizeof buf;
        uv_buf_t b = uv_buf_init((char *)buf, (unsigned)n);
        int w = uv_fs_write(NULL, &req, fd, &b, 1, (int64_t)off, NULL);
        uv_fs_req_cleanup(&req);
        CHECK_MSG(w > 0, "write %s: %s", path, w < 0 ? uv_strerror(w) : "wrote nothing");
        off += (uint64_t)w;
    }
    return fd;
}

int bt_open_readonly(const char *path)
{
    uv_fs_t req;
    int fd = uv_fs_open(NULL, &req, path, UV_FS_O_RDONLY, 0, NULL);
    uv_fs_req_cleanup(&req);
    CHECK_MSG(fd >= 0, "open %s: %s", path, uv_strerror(fd));
    return fd;
}

int bt_pread(int fd, void *buf, size_t n, uint64_t off)
{
    uv_fs_t req;
    uv_buf_t b = uv_buf_init(buf, (unsigned)n);
    int rc = uv_fs_read(NULL, &req, fd, &b, 1, (int64_t)off, NULL);
    uv_fs_req_cleanup(&req);
    return rc;
}

void bt_close(int fd)
{
    uv_fs_t req;
    CHECK_EQ_INT(uv_fs_close(NULL, &req, fd, NULL), 0);
    uv_fs_req_cleanup(&req);
}

int bt_region_is(const char *path, uint64_t off, uint64_t len, unsigned char fill)
{
    size_t n = 0;
    unsigned char *data = (unsigned char *)ts_read_file(path, &n);
    int ok = data != NULL && off + len <= n;
    for (uint64_t i = 0; ok && i < len; i++)
        if (data[off + i] != fill) {
            fprintf(stderr, "  %s: byte %llu is 0x%02x, not 0x%02x\n", path,
                    (unsigned long long)(off + i), data[off + i], fill);
            ok = 0;
        }
    free(data);
    return ok;
}

int bt_region_is_gen(const char *path, uint64_t file_off, uint64_t gen_off, uint64_t len)
{
    size_t n = 0;
    unsigned char *data = (unsigned char *)ts_read_file(path, &n);
    int ok = data != NULL && file_off + len <= n;
    if (ok) {
        size_t bad = ts_gen_mismatch(data + file_off, gen_off, (size_t)len);
        if (bad != len) {
            fprintf(stderr, "  %s: byte %llu differs from generated byte %llu\n", path,
                    (unsigned long long)(file_off + bad), (unsigned long long)(gen_off + bad));
            ok = 0;
        }
    }
    free(data);
    return ok;
}

uint64_t bt_file_size(const char *path)
{
    int64_t n = ts_file_size(path);
    CHECK_MSG(n >= 0, "cannot examine %s", path);
    return (uint64_t)n;
}

char *bt_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    CHECK(p != NULL);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}
