/*
 * local_sources.c - absolute paths and file:// URLs as sources: full and
 * ranged copies, HEAD, missing and unreadable files, ranges past the end.
 * On Windows also both separators and file:///C:/... URLs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bgt_test_util.h"
#include "check.h"
#include "harness.h"

static char *dir;


#ifdef _WIN32
/* path with every separator swapped ('/' <-> '\\'): Windows takes both. */
static char *other_seps(const char *path)
{
    char *p = strdup(path);
    CHECK(p != NULL);
    for (char *c = p; *c; c++)
        *c = *c == '/' ? '\\' : *c == '\\' ? '/' : *c;
    return p;
}
#endif

static void test_full_copy(const char *src, uint64_t size, int as_url)
{
    char *dst = bt_path(dir, "copy.bin");
    char *url = as_url ? ts_file_url(src) : strdup(src);
    int fd = bt_make_file(dst, 0, 0);
    bgt_request q = bt_request(url, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.bytes_written, size);
    CHECK(ts_file_matches_gen(dst, size));
    CHECK_EQ_INT(r.resp.http_status, 0);
    CHECK_EQ_INT(r.resp.http_version, 0);
    CHECK_EQ_U64(r.resp.resource_size, size);
    CHECK_EQ_U64(r.resp.content_length, size);
    CHECK_EQ_STR(r.resp.effective_url, url);
    CHECK(r.progress_calls >= (size > 1048576 ? 2 : size > 0 ? 1 : 0));
    CHECK_EQ_U64(r.last_progress, size);
    bt_close(fd);
    free(url);
    free(dst);
}

static void test_ranged_copy(const char *src, int as_url)
{
    char *dst = bt_path(dir, "ranged.bin");
    char *url = as_url ? ts_file_url(src) : strdup(src);
    int fd = bt_make_file(dst, 5000, 'X');
    bgt_request q = bt_request(url, fd);
    bt_result r;
    q.ranged = 1;
    q.range_first = 2000000;
    q.range_length = 3000;
    q.file_offset = 1000;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.bytes_written, 3000);
    CHECK_EQ_U64(bt_file_size(dst), 5000);
    CHECK(bt_region_is(dst, 0, 1000, 'X'));
    CHECK(bt_region_is_gen(dst, 1000, 2000000, 3000));
    CHECK(bt_region_is(dst, 4000, 1000, 'X'));
    CHECK_EQ_INT(r.resp.has_content_range, 1);
    CHECK_EQ_U64(r.resp.cr_first, 2000000);
    CHECK_EQ_U64(r.resp.cr_last, 2002999);
    bt_close(fd);

    /* Open-ended: to the end of the file. */
    fd = bt_make_file(dst, 0, 0);
    q = bt_request(url, fd);
    q.ranged = 1;
    q.range_first = 2500000;
    q.range_length = BGT_UNKNOWN;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.bytes_written, 3000000 - 2500000);
    CHECK(bt_region_is_gen(dst, 0, 2500000, 500000));
    CHECK_EQ_U64(bt_file_size(dst), 500000);
    bt_close(fd);

    /* Past the end: nothing is written. */
    fd = bt_make_file(dst, 10, 'X');
    q = bt_request(url, fd);
    q.ranged = 1;
    q.range_first = 2999990;
    q.range_length = 100;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_SIZE_MISMATCH);
    CHECK_EQ_U64(r.bytes_written, 0);
    CHECK_EQ_U64(r.resp.resource_size, 3000000);
    CHECK(bt_region_is(dst, 0, 10, 'X'));
    bt_close(fd);
    free(url);
    free(dst);
}

static void test_head(const char *src)
{
    uv_fs_t st;
    char *url = ts_file_url(src);
    bgt_request q = bt_request(url, -1);
    bt_result r;
    CHECK_EQ_INT(uv_fs_stat(NULL, &st, src, NULL), 0);
    uv_fs_req_cleanup(&st);
    q.method = BGT_HEAD;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.resp.resource_size, st.statbuf.st_size);
    CHECK_EQ_U64(r.resp.content_length, st.statbuf.st_size);
    CHECK_EQ_I64(r.resp.last_modified_unix, (int64_t)st.statbuf.st_mtim.tv_sec);
    CHECK(strstr(r.resp.last_modified, " GMT") != NULL);
    CHECK_EQ_INT(r.resp.accept_ranges, 1);
    CHECK_EQ_U64(r.bytes_written, 0);
    free(url);
}

static void test_missing(void)
{
    char *missing = bt_path(dir, "no such file");
    char *url = ts_file_url(missing);
    char *dst = bt_path(dir, "missing-dst.bin");
    int fd = bt_make_file(dst, 4, 'X');
    const char *sources[] = {missing, url};
    for (int i = 0; i < 2; i++) {
        bgt_request q = bt_request(sources[i], fd);
        bt_result r;
        bt_run(&q, &r, 30000);
        CHECK_EQ_INT(r.status, BGT_ERR_SOURCE_NOT_FOUND);
        CHECK_EQ_INT(r.sys_errno, -UV_ENOENT);
        CHECK(r.message[0] != '\0');
        q.method = BGT_HEAD;
        bt_run(&q, &r, 30000);
        CHECK_EQ_INT(r.status, BGT_ERR_SOURCE_NOT_FOUND);
    }
    CHECK(bt_region_is(dst, 0, 4, 'X'));
    bt_close(fd);
    free(dst);
    free(url);
    free(missing);
}

static void test_not_a_file(void)
{
    char *dst = bt_path(dir, "dir-dst.bin");
    int fd = bt_make_file(dst, 0, 0);
    bgt_request q = bt_request(dir, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_SOURCE_ACCESS);
    bt_close(fd);
    free(dst);
}

/* The write side fails: a read-only fd. */
static void test_write_error(const char *src)
{
    char *dst = bt_path(dir, "readonly.bin");
    bt_close(bt_make_file(dst, 0, 0));
    int fd = bt_open_readonly(dst);
    bgt_request q = bt_request(src, fd);
    bt_result r;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_LOCAL_WRITE);
    /* libuv reports EBADF on Windows too (it maps WriteFile's access denied). */
    CHECK_EQ_INT(r.sys_errno, -UV_EBADF);
    CHECK_EQ_U64(r.bytes_written, 0);
    bt_close(fd);
    free(dst);
}

int main(void)
{
    char *sub, *src, *empty;
    dir = ts_mkdtemp();
    sub = bt_path(dir, "src dir");
    CHECK_EQ_INT(ts_mkdir(sub), 0);
    src = bt_path(sub, "gen 3M.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, 3000000), 0);
    empty = bt_path(sub, "empty");
    CHECK_EQ_INT(ts_write_file(empty, "", 0), 0);

    test_full_copy(src, 3000000, 0);
    test_full_copy(src, 3000000, 1);
    test_full_copy(empty, 0, 1);
#ifdef _WIN32
    {
        char *alt = other_seps(src);
        test_full_copy(alt, 3000000, 0);
        test_full_copy(alt, 3000000, 1);
        free(alt);
    }
#endif
    test_ranged_copy(src, 0);
    test_ranged_copy(src, 1);
    test_head(src);
    test_missing();
    test_not_a_file();
    test_write_error(src);

    free(empty);
    free(src);
    free(sub);
    ts_rmtree(dir);
    free(dir);
    printf("transport_local_sources: all passed\n");
    return 0;
}
