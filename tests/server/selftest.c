/*
 * selftest.c - checks bgcopy-testserver and the harness against the test
 * support contract (docs/testserver.md), with libcurl as the client.
 * Runs on Linux and on Windows (mingw-w64, under wine): process and thread
 * work goes through libuv; where an observation needs the OS (counting a
 * process's threads, seeing a process gone) both ways are here.
 */
#include "check.h"
#include "harness.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#ifdef _WIN32
#include <windows.h>
#include <tlhelp32.h>
#else
#include <sys/wait.h> /* test_forked_child_exit */
#include <unistd.h>
#endif

typedef struct fetch_result {
    CURLcode rc;
    long status;
    long http_version; /* CURL_HTTP_VERSION_1_0 / _1_1 */
    char *headers;     /* all header lines of the final response, NUL-terminated */
    size_t hlen;
    uint8_t *body;
    size_t len;
    size_t cap;
    atomic_size_t *progress; /* if set, mirrors len for other threads */
} fetch_result;

typedef struct fetch_opts {
    const char *range;  /* "a-b" for CURLOPT_RANGE, or NULL */
    int head;           /* HEAD instead of GET */
    int follow;         /* follow redirects */
    long timeout_ms;    /* 0 = none */
    atomic_size_t *progress; /* if set, body bytes so far, readable from other threads */
    const char *header;      /* one extra request header line, or NULL */
} fetch_opts;

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
    fetch_result *r = user;
    size_t add = size * n;
    if (r->len + add + 1 > r->cap) {
        /* Geometric growth: realloc per chunk is quadratic (and slow under ASan). */
        r->cap = (r->len + add + 1) * 2;
        r->body = realloc(r->body, r->cap);
        CHECK_NOT_NULL(r->body);
    }
    memcpy(r->body + r->len, p, add);
    r->len += add;
    if (r->progress != NULL)
        atomic_store(r->progress, r->len);
    return add;
}

static size_t on_header(char *p, size_t size, size_t n, void *user)
{
    fetch_result *r = user;
    size_t add = size * n;
    /* A new status line starts the next response (redirects): keep the last. */
    if (add >= 5 && strncmp(p, "HTTP/", 5) == 0)
        r->hlen = 0;
    r->headers = realloc(r->headers, r->hlen + add + 1);
    CHECK_NOT_NULL(r->headers);
    memcpy(r->headers + r->hlen, p, add);
    r->hlen += add;
    r->headers[r->hlen] = '\0';
    return add;
}

static fetch_result fetch(const char *url, const fetch_opts *o)
{
    fetch_result r;
    memset(&r, 0, sizeof r);
    CURL *c = curl_easy_init();
    CHECK_NOT_NULL(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (o != NULL) {
        r.progress = o->progress;
        if (o->range)
            curl_easy_setopt(c, CURLOPT_RANGE, o->range);
        if (o->head)
            curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
        if (o->follow) {
            curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
            curl_easy_setopt(c, CURLOPT_MAXREDIRS, 20L);
        }
        if (o->timeout_ms)
            curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    }
    struct curl_slist *hdrs = NULL;
    if (o != NULL && o->header != NULL) {
        hdrs = curl_slist_append(NULL, o->header);
        CHECK_NOT_NULL(hdrs);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    }
    r.rc = curl_easy_perform(c);
    curl_slist_free_all(hdrs);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_getinfo(c, CURLINFO_HTTP_VERSION, &r.http_version);
    curl_easy_cleanup(c);
    if (r.headers == NULL) {
        r.headers = calloc(1, 1);
        CHECK_NOT_NULL(r.headers);
    }
    return r;
}

static void fetch_free(fetch_result *r)
{
    free(r->headers);
    free(r->body);
}

/* Value of header name in r (malloc'ed, trimmed), or NULL if absent. */
static char *header(const fetch_result *r, const char *name)
{
    size_t nl = strlen(name);
    for (const char *line = r->headers; *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        int same = len > nl && line[nl] == ':';
        for (size_t i = 0; same && i < nl; i++)
            same = tolower((unsigned char)line[i]) == tolower((unsigned char)name[i]);
        if (same) {
            const char *v = line + nl + 1;
            while (*v == ' ')
                v++;
            size_t vl = len - (size_t)(v - line);
            char *out = malloc(vl + 1);
            CHECK_NOT_NULL(out);
            memcpy(out, v, vl);
            out[vl] = '\0';
            return out;
        }
        if (end == NULL)
            break;
        line = end + 2;
    }
    return NULL;
}

static void check_header(const fetch_result *r, const char *name, const char *want)
{
    char *v = header(r, name);
    CHECK_MSG(v != NULL, "header %s missing in:\n%s", name, r->headers);
    CHECK_EQ_STR(v, want);
    free(v);
}

/* Body equals generated bytes at offsets off..off+len-1. */
static void check_gen_body(const fetch_result *r, uint64_t off, size_t len)
{
    CHECK_EQ_U64(r->len, len);
    CHECK_EQ_U64(ts_gen_mismatch(r->body, off, r->len), len);
}

static ts_server g_srv;
static char *g_root;

static void test_gen_full(void)
{
    char *url = ts_url(&g_srv, "/gen/%d", 100000);
    fetch_result r = fetch(url, NULL);
    CHECK_EQ_INT(r.rc, CURLE_OK);
    CHECK_EQ_INT(r.status, 200);
    check_gen_body(&r, 0, 100000);
    check_header(&r, "Content-Length", "100000");
    check_header(&r, "Accept-Ranges", "bytes");
    check_header(&r, "ETag", "\"100000-1700000000\"");
    check_header(&r, "Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT");
    CHECK(header(&r, "Content-Range") == NULL);
    /* The first bytes are pinned so the generator can never drift silently
     * between server and harness: splitmix64(0) = 0xe220a8397b1dcdaf. */
    CHECK_EQ_INT(r.body[0], 0xaf);
    CHECK_EQ_INT(r.body[7], 0xe2);
    fetch_result r2 = fetch(url, NULL);
    CHECK_EQ_INT(r2.status, 200);
    check_header(&r2, "ETag", "\"100000-1700000000\""); /* stable */
    fetch_free(&r2);
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/gen/0");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 200);
    CHECK_EQ_U64(r.len, 0);
    check_header(&r, "Content-Length", "0");
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/gen/10?lm=86400");
    r = fetch(url, NULL);
    check_header(&r, "Last-Modified", "Fri, 02 Jan 1970 00:00:00 GMT");
    check_header(&r, "ETag", "\"10-86400\"");
    fetch_free(&r);
    free(url);
}

static void test_gen_ranges(void)
{
    char *url = ts_url(&g_srv, "/gen/%d", 100000);
    fetch_opts o = {.range = "1000-1999"};
    fetch_result r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    check_header(&r, "Content-Range", "bytes 1000-1999/100000");
    check_header(&r, "Content-Length", "1000");
    check_gen_body(&r, 1000, 1000);
    fetch_free(&r);

    o.range = "99990-"; /* open-ended */
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    check_header(&r, "Content-Range", "bytes 99990-99999/100000");
    check_gen_body(&r, 99990, 10);
    fetch_free(&r);

    o.range = "-7"; /* suffix */
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    check_header(&r, "Content-Range", "bytes 99993-99999/100000");
    check_gen_body(&r, 99993, 7);
    fetch_free(&r);

    o.range = "99999-200000"; /* end clipped to the resource */
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    check_header(&r, "Content-Range", "bytes 99999-99999/100000");
    check_gen_body(&r, 99999, 1);
    fetch_free(&r);

    o.range = "100000-"; /* starts at the end: unsatisfiable */
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 416);
    check_header(&r, "Content-Range", "bytes */100000");
    fetch_free(&r);
    free(url);

    /* Beyond 4 GiB: 64-bit offsets all the way. */
    url = ts_url(&g_srv, "/gen/%llu", 8ULL << 30);
    o.range = "5000000000-5000000999";
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    check_header(&r, "Content-Range", "bytes 5000000000-5000000999/8589934592");
    check_gen_body(&r, 5000000000ULL, 1000);
    fetch_free(&r);
    free(url);
}

static void test_head(void)
{
    char *url = ts_url(&g_srv, "/gen/%llu", 5ULL << 30);
    fetch_opts o = {.head = 1};
    fetch_result r = fetch(url, &o);
    CHECK_EQ_INT(r.rc, CURLE_OK);
    CHECK_EQ_INT(r.status, 200);
    CHECK_EQ_U64(r.len, 0);
    check_header(&r, "Content-Length", "5368709120");
    check_header(&r, "Accept-Ranges", "bytes");
    check_header(&r, "ETag", "\"5368709120-1700000000\"");
    check_header(&r, "Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT");
    fetch_free(&r);
    free(url);
}

static void test_status_and_errors(void)
{
    char *url = ts_url(&g_srv, "/gen/1000?status=404");
    fetch_opts ranged = {.range = "0-9"};
    fetch_result r = fetch(url, &ranged); /* status= wins over Range */
    CHECK_EQ_INT(r.status, 404);
    CHECK(header(&r, "Content-Range") == NULL);
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/gen/1000?status=503&retry_after=7");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 503);
    check_header(&r, "Retry-After", "7");
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/gen/1000?bogus=1"); /* typos fail loudly */
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 400);
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/gen/12x");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 404);
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/nothing");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 404);
    fetch_free(&r);
    free(url);
}

/* auth=basic|digest: challenges as libmicrohttpd words them, and the
 * right Basic credentials ("user:pass" is dXNlcjpwYXNz) open the resource. */
static void test_auth(void)
{
    char *url = ts_url(&g_srv, "/gen/100?auth=basic");
    fetch_result r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 401);
    CHECK(strstr(r.headers, "WWW-Authenticate: Basic realm=\"bgcopy-test\"") != NULL);
    fetch_free(&r);
    fetch_opts good = {.header = "Authorization: Basic dXNlcjpwYXNz"};
    r = fetch(url, &good);
    CHECK_EQ_INT(r.status, 200);
    check_gen_body(&r, 0, 100);
    fetch_free(&r);
    fetch_opts bad = {.header = "Authorization: Basic dXNlcjp4"}; /* user:x */
    r = fetch(url, &bad);
    CHECK_EQ_INT(r.status, 401);
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/gen/100?auth=digest&user=u&pass=p");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 401);
    CHECK(strstr(r.headers, "WWW-Authenticate: Digest realm=\"bgcopy-test\"") != NULL);
    CHECK(strstr(r.headers, "nonce=") != NULL);
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/gen/100?auth=ntlm");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 400);
    fetch_free(&r);
    free(url);
    url = ts_url(&g_srv, "/gen/100?user=u");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 400);
    fetch_free(&r);
    free(url);
}

static void test_norange(void)
{
    char *url = ts_url(&g_srv, "/gen/5000?norange=1");
    fetch_opts o = {.range = "100-199"};
    fetch_result r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 200);
    CHECK(header(&r, "Content-Range") == NULL);
    CHECK(header(&r, "Accept-Ranges") == NULL);
    check_gen_body(&r, 0, 5000);
    fetch_free(&r);
    free(url);
}

static void test_files(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/sub", g_root);
    CHECK_EQ_INT(ts_mkdir(path), 0);
    snprintf(path, sizeof path, "%s/sub/data.bin", g_root);
    CHECK_EQ_INT(ts_write_gen_file(path, 300000), 0);
    CHECK(ts_file_matches_gen(path, 300000));

    char *url = ts_url(&g_srv, "/files/sub/data.bin");
    fetch_result r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 200);
    check_gen_body(&r, 0, 300000);
    check_header(&r, "Accept-Ranges", "bytes");
    char *lm = header(&r, "Last-Modified");
    CHECK_NOT_NULL(lm);
    free(lm);
    fetch_free(&r);

    fetch_opts o = {.range = "250000-"};
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    check_header(&r, "Content-Range", "bytes 250000-299999/300000");
    check_gen_body(&r, 250000, 50000);
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/files/sub/missing.bin");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 404);
    fetch_free(&r);
    free(url);

    /* No way out of the root, however the path is spelt (Windows also
     * splits at '\\' and knows drive letters). */
    static const char *const escapes[] = {"/files/sub/%2e%2e/sub/data.bin",
                                          "/files/sub%5c..%5csub%5cdata.bin",
                                          "/files/..%5csub/data.bin",
                                          "/files/C:%5cWindows%5cwin.ini"};
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        url = ts_url(&g_srv, "%s", escapes[i]);
        r = fetch(url, NULL);
        CHECK_MSG(r.status == 404, "%s: status %ld", url, r.status);
        fetch_free(&r);
        free(url);
    }

    /* The same options work on files. */
    url = ts_url(&g_srv, "/files/sub/data.bin?status=500");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 500);
    fetch_free(&r);
    free(url);
}

static void test_drop_and_redirect(void)
{
    char *url = ts_url(&g_srv, "/gen/100000?drop=1234");
    fetch_result r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 200);
    CHECK_NE_INT(r.rc, CURLE_OK); /* the body ended early */
    CHECK_EQ_U64(r.len, 1234);
    CHECK_EQ_U64(ts_gen_mismatch(r.body, 0, r.len), 1234);
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/gen/50?redirect=302&to=/gen/10");
    fetch_opts o = {.follow = 1};
    r = fetch(url, &o);
    CHECK_EQ_INT(r.rc, CURLE_OK);
    CHECK_EQ_INT(r.status, 200);
    check_gen_body(&r, 0, 10);
    fetch_free(&r);
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 302);
    check_header(&r, "Location", "/gen/10");
    fetch_free(&r);
    free(url);

    /* A chain: 301 -> 307 -> 200. */
    url = ts_url(&g_srv, "/gen/5?redirect=301&to=/gen/7%%3Fredirect%%3D307%%26to%%3D/gen/20");
    r = fetch(url, &o);
    CHECK_EQ_INT(r.rc, CURLE_OK);
    CHECK_EQ_INT(r.status, 200);
    check_gen_body(&r, 0, 20);
    fetch_free(&r);
    free(url);

    /* A loop: curl gives up after its redirect limit. */
    url = ts_url(&g_srv, "/gen/5?redirect=307&to=self");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 307);
    check_header(&r, "Location", "/gen/5?redirect=307&to=self");
    fetch_free(&r);
    r = fetch(url, &o);
    CHECK_EQ_INT(r.rc, CURLE_TOO_MANY_REDIRECTS);
    fetch_free(&r);
    free(url);

    /* drop= counts bytes of this response, so it works with ranges. */
    url = ts_url(&g_srv, "/gen/100000?drop=100");
    fetch_opts ranged = {.range = "5000-"};
    r = fetch(url, &ranged);
    CHECK_EQ_INT(r.status, 206);
    CHECK_NE_INT(r.rc, CURLE_OK);
    CHECK_EQ_U64(r.len, 100);
    CHECK_EQ_U64(ts_gen_mismatch(r.body, 5000, r.len), 100);
    fetch_free(&r);
    free(url);
}

static void test_nolength_http10(void)
{
    char *url = ts_url(&g_srv, "/gen/70000?nolength=1");
    fetch_result r = fetch(url, NULL);
    CHECK_EQ_INT(r.rc, CURLE_OK);
    CHECK_EQ_INT(r.status, 200);
    CHECK(header(&r, "Content-Length") == NULL);
    check_gen_body(&r, 0, 70000);
    fetch_free(&r);
    free(url);

    url = ts_url(&g_srv, "/gen/70000?http10=1&nolength=1");
    r = fetch(url, NULL);
    CHECK_EQ_INT(r.rc, CURLE_OK);
    CHECK_EQ_INT(r.http_version, CURL_HTTP_VERSION_1_0);
    CHECK(header(&r, "Content-Length") == NULL);
    CHECK(header(&r, "Transfer-Encoding") == NULL);
    check_gen_body(&r, 0, 70000);
    fetch_free(&r);
    free(url);
}

static void test_change_and_badcr(void)
{
    /* change=600: the first GET sees the resource replaced after byte 600. */
    char *url = ts_url(&g_srv, "/gen/1000?change=600&id=a");
    fetch_result r = fetch(url, NULL);
    CHECK_EQ_INT(r.status, 200);
    CHECK_EQ_U64(r.len, 1000);
    check_header(&r, "ETag", "\"1000-1700000000\"");
    CHECK_EQ_U64(ts_gen_mismatch(r.body, 0, 1000), 600);
    for (size_t i = 600; i < 1000; i++)
        CHECK_EQ_INT(r.body[i], ts_gen_byte(i) ^ 0xFF);
    fetch_free(&r);
    /* Later requests see the new version: validators and all bytes. */
    fetch_opts head = {.head = 1};
    r = fetch(url, &head);
    check_header(&r, "ETag", "\"1000-1700086400\"");
    check_header(&r, "Last-Modified", "Wed, 15 Nov 2023 22:13:20 GMT");
    fetch_free(&r);
    fetch_opts ranged = {.range = "0-9"};
    r = fetch(url, &ranged);
    CHECK_EQ_INT(r.status, 206);
    CHECK_EQ_U64(r.len, 10);
    for (size_t i = 0; i < 10; i++)
        CHECK_EQ_INT(r.body[i], ts_gen_byte(i) ^ 0xFF);
    fetch_free(&r);
    free(url);

    /* newsize=: the changed resource has another size. */
    url = ts_url(&g_srv, "/gen/1000?change=100&newsize=2000&id=b");
    ranged.range = "0-99";
    r = fetch(url, &ranged);
    check_gen_body(&r, 0, 100); /* exactly 100: nothing changed yet */
    fetch_free(&r);
    r = fetch(url, &head);
    check_header(&r, "Content-Length", "2000");
    check_header(&r, "ETag", "\"2000-1700086400\"");
    fetch_free(&r);
    free(url);

    /* badcr= lies in Content-Range but sends the right bytes. */
    ranged.range = "10-19";
    url = ts_url(&g_srv, "/gen/1000?badcr=start");
    r = fetch(url, &ranged);
    CHECK_EQ_INT(r.status, 206);
    check_header(&r, "Content-Range", "bytes 11-20/1000");
    check_gen_body(&r, 10, 10);
    fetch_free(&r);
    free(url);
    url = ts_url(&g_srv, "/gen/1000?badcr=total");
    r = fetch(url, &ranged);
    check_header(&r, "Content-Range", "bytes 10-19/1001");
    fetch_free(&r);
    free(url);
    url = ts_url(&g_srv, "/gen/1000?badcr=none");
    r = fetch(url, &ranged);
    CHECK_EQ_INT(r.status, 206);
    CHECK(header(&r, "Content-Range") == NULL);
    check_gen_body(&r, 10, 10);
    fetch_free(&r);
    free(url);
    url = ts_url(&g_srv, "/gen/1000?badcr=maybe");
    r = fetch(url, &ranged);
    CHECK_EQ_INT(r.status, 400);
    fetch_free(&r);
    free(url);
}

static void test_conditional(void)
{
    char *url = ts_url(&g_srv, "/gen/1000");
    fetch_opts o = {.range = "10-19", .header = "If-Range: \"1000-1700000000\""};
    fetch_result r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    check_gen_body(&r, 10, 10);
    fetch_free(&r);
    o.header = "If-Range: \"1000-1\""; /* stale validator: the whole new body */
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 200);
    check_gen_body(&r, 0, 1000);
    fetch_free(&r);
    o.header = "If-Range: Tue, 14 Nov 2023 22:13:20 GMT";
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    fetch_free(&r);
    o.header = "Unless-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT";
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    fetch_free(&r);
    o.header = "If-Unmodified-Since: Tue, 14 Nov 2023 22:13:19 GMT";
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 412);
    fetch_free(&r);
    free(url);

    /* Resuming after the resource changed: If-Range turns the ranged GET
     * into a 200 with the whole changed body. */
    url = ts_url(&g_srv, "/gen/1000?change=100&id=resume");
    o.range = "0-99";
    o.header = NULL;
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 206);
    check_gen_body(&r, 0, 100);
    fetch_free(&r);
    o.range = "100-";
    o.header = "If-Range: \"1000-1700000000\"";
    r = fetch(url, &o);
    CHECK_EQ_INT(r.status, 200);
    check_header(&r, "ETag", "\"1000-1700086400\"");
    CHECK_EQ_U64(r.len, 1000);
    for (size_t i = 0; i < 1000; i++)
        CHECK_EQ_INT(r.body[i], ts_gen_byte(i) ^ 0xFF);
    fetch_free(&r);
    free(url);
}

typedef struct slow_arg {
    char *url;
    fetch_result r;
    uint64_t ms;
    atomic_size_t progress;
} slow_arg;

static void slow_fetch(void *p)
{
    slow_arg *a = p;
    fetch_opts o = {.progress = &a->progress};
    uint64_t t0 = ts_now_ms();
    a->r = fetch(a->url, &o);
    a->ms = ts_now_ms() - t0;
}

/* rate= throttles one client without holding up another. */
static void test_rate(void)
{
    slow_arg a = {.url = ts_url(&g_srv, "/gen/30000?rate=20000")};
    uv_thread_t t;
    CHECK_EQ_INT(uv_thread_create(&t, slow_fetch, &a), 0);

    char *url = ts_url(&g_srv, "/gen/%d", 4000000);
    uint64_t t0 = ts_now_ms();
    fetch_result r = fetch(url, NULL);
    uint64_t fast_ms = ts_now_ms() - t0;
    CHECK_EQ_INT(r.status, 200);
    CHECK_EQ_U64(r.len, 4000000);
    fetch_free(&r);
    free(url);

    CHECK_EQ_INT(uv_thread_join(&t), 0);
    CHECK_EQ_INT(a.r.status, 200);
    check_gen_body(&a.r, 0, 30000);
    /* 30000 bytes at 20000 B/s: about 1.5 s. */
    CHECK_MSG(a.ms >= 1300 && a.ms < 5000, "throttled fetch took %llu ms",
              (unsigned long long)a.ms);
    CHECK_MSG(fast_ms < a.ms, "unthrottled fetch took %llu ms (throttled one %llu ms)",
              (unsigned long long)fast_ms, (unsigned long long)a.ms);
    fetch_free(&a.r);
    free(a.url);
}

/* A client that gives up mid-body (rate= or stall=) frees the server thread
 * at once: the server still stops cleanly and quickly afterwards. */
typedef struct thread_count {
    int pid;
    int want;
} thread_count;

static int count_threads(int pid)
{
#ifdef _WIN32
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    CHECK(snap != INVALID_HANDLE_VALUE);
    THREADENTRY32 te;
    te.dwSize = sizeof te;
    int n = 0;
    for (BOOL ok = Thread32First(snap, &te); ok; ok = Thread32Next(snap, &te))
        if (te.th32OwnerProcessID == (DWORD)pid)
            n++;
    CloseHandle(snap);
    CHECK_MSG(n > 0, "no threads of process %d", pid);
    return n;
#else
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    char *st = ts_read_file(path, NULL);
    CHECK_NOT_NULL(st);
    const char *t = strstr(st, "\nThreads:");
    CHECK_NOT_NULL(t);
    int n = atoi(t + 9);
    free(st);
    return n;
#endif
}

static int threads_back_to(void *arg)
{
    thread_count *tc = arg;
    return count_threads(tc->pid) == tc->want;
}

/* Counting the server's threads is how this test sees a connection thread
 * end.  Under ThreadSanitizer the runtime adds a thread of its own and now
 * and then keeps an exited thread listed for seconds, so there the count
 * says nothing about the server; the release and ASan runs check it. */
#if defined(__SANITIZE_THREAD__)
#define THREADS_OBSERVABLE 0
#else
#define THREADS_OBSERVABLE 1
#endif

static void expect_threads_back(const thread_count *idle)
{
    if (!THREADS_OBSERVABLE)
        return;
    CHECK_MSG(ts_wait_until(threads_back_to, (void *)idle, 500), "%d threads, want %d",
              count_threads(idle->pid), idle->want);
}

static void test_client_gives_up(ts_server *s)
{
    /* The server runs a thread per connection; once a client hangs up on a
     * throttled or stalled body that thread must end at once, not at the
     * next chunk (rate=1 sends one byte a second) or never (stall=). */
    thread_count idle = {s->pid, count_threads(s->pid)};
    if (!THREADS_OBSERVABLE)
        fprintf(stderr, "selftest: thread-end checks skipped under ThreadSanitizer\n");

    char *url = ts_url(s, "/gen/1000000?rate=1");
    fetch_opts o = {.timeout_ms = 300};
    fetch_result r = fetch(url, &o);
    CHECK_EQ_INT(r.rc, CURLE_OPERATION_TIMEDOUT);
    CHECK_LE_U64(r.len, 1);
    fetch_free(&r);
    free(url);
    expect_threads_back(&idle);

    url = ts_url(s, "/gen/1000000?stall=500");
    r = fetch(url, &o);
    CHECK_EQ_INT(r.rc, CURLE_OPERATION_TIMEDOUT);
    CHECK_EQ_U64(r.len, 500);
    CHECK_EQ_U64(ts_gen_mismatch(r.body, 0, r.len), 500);
    fetch_free(&r);
    free(url);
    expect_threads_back(&idle);
}

static int true_on_fifth_call(void *arg)
{
    int *calls = arg;
    return ++*calls >= 5;
}

static int never(void *arg)
{
    (void)arg;
    return 0;
}

static void test_log(void)
{
    /* Lines written by the requests above, in order, with exact fields. */
    char *log = ts_server_log(&g_srv);
    static const char *const want[] = {
        "GET\t/gen/100000\t-\t200\n",
        "GET\t/gen/0\t-\t200\n",
#ifndef _WIN32
        "GET\t/gen/3\t-\t200\n", /* test_forked_child_exit */
#endif
        "GET\t/gen/100000\tbytes=1000-1999\t206\n",
        "GET\t/gen/100000\tbytes=-7\t206\n",
        "GET\t/gen/100000\tbytes=100000-\t416\n",
        "GET\t/gen/8589934592\tbytes=5000000000-5000000999\t206\n",
        "HEAD\t/gen/5368709120\t-\t200\n",
        "GET\t/gen/1000?status=404\tbytes=0-9\t404\n",
        "GET\t/gen/1000?bogus=1\t-\t400\n",
        "GET\t/gen/5000?norange=1\tbytes=100-199\t200\n",
        "GET\t/files/sub/data.bin\tbytes=250000-\t206\n",
        "GET\t/gen/50?redirect=302&to=/gen/10\t-\t302\n",
        "GET\t/gen/10\t-\t200\n",
    };
    const char *at = log;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *hit = strstr(at, want[i]);
        CHECK_MSG(hit != NULL && (hit == log || hit[-1] == '\n'),
                  "log line %zu \"%s\" missing (in order) from:\n%s", i, want[i], log);
        at = hit + strlen(want[i]);
    }
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "GET\t/gen/100000\t-\t200"), 2);
    CHECK(log[strlen(log) - 1] == '\n');
    free(log);
}

static void test_support_helpers(void)
{
    char *dir = ts_mkdtemp();
    char path[4200];
    snprintf(path, sizeof path, "%s/f", dir);
    CHECK_EQ_INT(ts_write_gen_file(path, 100001), 0);
    CHECK(ts_file_matches_gen(path, 100001));
    CHECK(!ts_file_matches_gen(path, 100000)); /* wrong size */
    size_t len = 0;
    char *data = ts_read_file(path, &len);
    CHECK_NOT_NULL(data);
    CHECK_EQ_U64(len, 100001);
    CHECK_EQ_INT(data[len], 0);
    data[77777] ^= 1;
    CHECK_EQ_INT(ts_write_file(path, data, len), 0);
    CHECK(!ts_file_matches_gen(path, 100001)); /* one flipped bit */
    free(data);
    CHECK(ts_read_file("/nonexistent/x", NULL) == NULL);

    int calls = 0;
    CHECK_EQ_INT(ts_wait_until(true_on_fifth_call, &calls, 5000), 1);
    CHECK_EQ_INT(calls, 5);
    uint64_t t0 = ts_now_ms();
    CHECK_EQ_INT(ts_wait_until(never, NULL, 50), 0);
    CHECK_GE_U64(ts_now_ms() - t0, 50);

    /* The portable file-system helpers. */
    char *sub = ts_path_join(dir, "sub");
    CHECK(strncmp(sub, dir, strlen(dir)) == 0 && sub[strlen(dir)] == TS_PATH_SEP);
    CHECK_EQ_STR(sub + strlen(dir) + 1, "sub");
    char *sub2 = ts_path_join(sub, "x"); /* sub does not exist yet */
    CHECK(!ts_path_exists(sub));
    CHECK_EQ_INT(ts_mkdir(sub), 0);
    CHECK(ts_path_exists(sub) && ts_is_dir(sub));
    CHECK_EQ_INT(ts_mkdir(sub), -1); /* exists */
    CHECK_EQ_INT(ts_write_file(sub2, "abc\n", 4), 0);
    CHECK(ts_path_exists(sub2) && !ts_is_dir(sub2));
    CHECK_EQ_INT(ts_file_size(sub2), 4); /* binary: no "\r\n" on Windows */
    CHECK_EQ_INT(ts_file_size(path), 100001);
    char *none = ts_path_join(dir, "none");
    CHECK_EQ_INT(ts_file_size(none), -1);
    CHECK_EQ_INT(ts_remove(none), -1);
    free(none);
    CHECK_EQ_INT(ts_dir_count(dir), 2);
    size_t count = 0;
    char **names = ts_list_dir(dir, &count);
    CHECK_NOT_NULL(names);
    CHECK_EQ_U64(count, 2);
    CHECK_EQ_STR(names[0], "f");
    CHECK_EQ_STR(names[1], "sub");
    CHECK(names[2] == NULL);
    ts_free_list(names);
    CHECK(ts_list_dir(sub2, NULL) == NULL); /* not a directory */
    CHECK_EQ_INT(ts_remove(sub2), 0);
    CHECK(!ts_path_exists(sub2));
    CHECK_EQ_INT(ts_dir_count(sub), 0);
    free(sub2);
    /* A file open for reading (as a server or bgcopy holds one) can still
     * be read and replaced: libuv shares files fully on Windows too. */
    sub2 = ts_path_join(sub, "big");
    CHECK_EQ_INT(ts_write_gen_file(sub2, 3 * 1024 * 1024 + 5), 0);
    CHECK(ts_file_matches_gen(sub2, 3 * 1024 * 1024 + 5));
    free(sub2);
    free(sub);

    /* The environment as libuv (so bgcopy) and the C library see it. */
    CHECK_EQ_INT(ts_setenv("BGCOPY_SELFTEST_VAR", "v1"), 0);
    char env[16];
    size_t envlen = sizeof env;
    CHECK_EQ_INT(uv_os_getenv("BGCOPY_SELFTEST_VAR", env, &envlen), 0);
    CHECK_EQ_STR(env, "v1");
    CHECK(getenv("BGCOPY_SELFTEST_VAR") != NULL);
    CHECK_EQ_STR(getenv("BGCOPY_SELFTEST_VAR"), "v1");
    CHECK_EQ_INT(ts_setenv("BGCOPY_SELFTEST_VAR", NULL), 0);
    envlen = sizeof env;
    CHECK_EQ_INT(uv_os_getenv("BGCOPY_SELFTEST_VAR", env, &envlen), UV_ENOENT);
    CHECK(getenv("BGCOPY_SELFTEST_VAR") == NULL);

    /* Temp dirs are absolute, and the rmtree takes the whole tree. */
#ifdef _WIN32
    CHECK_MSG(isalpha((unsigned char)dir[0]) && dir[1] == ':' && dir[2] == '\\',
              "not an absolute Windows path: %s", dir);
#else
    CHECK_MSG(dir[0] == '/', "not an absolute path: %s", dir);
#endif
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    CHECK(!ts_path_exists(dir));
    CHECK_EQ_INT(ts_rmtree(dir), 0); /* missing is fine */
    free(dir);
}

/* 1 once process *arg no longer runs (gone, or a zombie nobody reaped yet). */
static int process_gone(void *arg)
{
    int pid = *(int *)arg;
#ifdef _WIN32
    /* libuv opens the process and checks whether it has exited. */
    return uv_kill(pid, 0) == UV_ESRCH;
#else
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    char *stat = ts_read_file(path, NULL);
    if (stat == NULL)
        return 1;
    const char *paren = strrchr(stat, ')');
    int gone = paren != NULL && (paren[2] == 'Z' || paren[2] == 'X');
    free(stat);
    return gone;
#endif
}

/* The child of test_server_dies_with_test: starts a server, writes its
 * ts_server record to out (whole, via rename), then waits to be killed. */
static int child_start_server(const char *out)
{
    ts_server s;
    if (ts_server_start(&s, NULL) != 0)
        return 3;
    char *tmp = malloc(strlen(out) + 5);
    if (tmp == NULL)
        return 4;
    sprintf(tmp, "%s.tmp", out);
    uv_fs_t req;
    if (ts_write_file(tmp, &s, sizeof s) != 0 || uv_fs_rename(NULL, &req, tmp, out, NULL) != 0)
        return 4;
    uv_fs_req_cleanup(&req);
    free(tmp);
    for (;;)
        ts_sleep_ms(1000);
}

typedef struct child_state {
    int exited;
    int64_t status;
    int signal;
} child_state;

static void on_child_exit(uv_process_t *p, int64_t status, int signal)
{
    child_state *st = p->data;
    st->exited = 1;
    st->status = status;
    st->signal = signal;
}

/* A test process that dies without running atexit handlers (SIGKILL,
 * TerminateProcess, a crash) must not leave its server behind.  The dying
 * test is a second copy of this program (no fork on Windows), killed the
 * hard way by uv_process_kill(SIGKILL): TerminateProcess on Windows. */
static void test_server_dies_with_test(void)
{
    char exe[4096];
    size_t exe_len = sizeof exe;
    CHECK_EQ_INT(uv_exepath(exe, &exe_len), 0);
    char *dir = ts_mkdtemp();
    char *out = ts_path_join(dir, "server.bin");
    char *args[] = {exe, "--child-start-server", out, NULL};
    uv_loop_t loop;
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    uv_process_t child;
    child_state st = {0, 0, 0};
    child.data = &st;
    uv_stdio_container_t stdio[3] = {{.flags = UV_IGNORE},
                                     {.flags = UV_INHERIT_FD, .data.fd = 1},
                                     {.flags = UV_INHERIT_FD, .data.fd = 2}};
    uv_process_options_t opt;
    memset(&opt, 0, sizeof opt);
    opt.file = exe;
    opt.args = args;
    opt.exit_cb = on_child_exit;
    opt.stdio = stdio;
    opt.stdio_count = 3;
    CHECK_EQ_INT(uv_spawn(&loop, &child, &opt), 0);

    ts_server dead;
    size_t len = 0;
    char *data = NULL;
    uint64_t deadline = ts_now_ms() + 15000;
    while ((data = ts_read_file(out, &len)) == NULL) {
        uv_run(&loop, UV_RUN_NOWAIT);
        CHECK_MSG(!st.exited, "child exited with status %lld before starting a server",
                  (long long)st.status);
        CHECK_MSG(ts_now_ms() < deadline, "child did not start a server within 15 s");
        ts_sleep_ms(5);
    }
    CHECK_EQ_U64(len, sizeof dead);
    memcpy(&dead, data, sizeof dead);
    free(data);
    int server = dead.pid;
    CHECK(server > 0);
    CHECK(!process_gone(&server));

    CHECK_EQ_INT(uv_process_kill(&child, SIGKILL), 0);
    deadline = ts_now_ms() + 10000;
    while (!st.exited) {
        CHECK_MSG(ts_now_ms() < deadline, "killed child did not exit");
        uv_run(&loop, UV_RUN_NOWAIT);
        ts_sleep_ms(2);
    }
#ifndef _WIN32
    CHECK_EQ_INT(st.signal, SIGKILL);
#endif
    uv_close((uv_handle_t *)&child, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_EQ_INT(uv_loop_close(&loop), 0);

    CHECK_MSG(ts_wait_until(process_gone, &server, 5000), "server %d outlived its test", server);
    /* The server's files may be released a moment after it is gone. */
    int rc = -1;
    for (int i = 0; i < 100 && (rc = ts_rmtree(dead.dir)) != 0; i++)
        ts_sleep_ms(20);
    CHECK_EQ_INT(rc, 0); /* nobody else will */
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(out);
    free(dir);
}

static int got_ten_bytes(void *arg)
{
    return atomic_load((atomic_size_t *)arg) == 10;
}

#ifndef _WIN32
/* exit() in a child the test forked must leave the parent's server alone.
 * (Linux only: Windows has no fork, so no child shares the atexit table.) */
static void test_forked_child_exit(void)
{
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0)
        exit(0); /* runs the inherited atexit handler */
    int status = 0;
    CHECK_EQ_INT(waitpid(child, &status, 0), child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *url = ts_url(&g_srv, "/gen/3");
    fetch_result r = fetch(url, NULL);
    CHECK_EQ_INT(r.rc, CURLE_OK);
    CHECK_EQ_INT(r.status, 200);
    fetch_free(&r);
    free(url);
}
#endif

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--child-start-server") == 0)
        return child_start_server(argv[2]);
    CHECK_EQ_INT(curl_global_init(CURL_GLOBAL_ALL), CURLE_OK);
    test_support_helpers();
    test_server_dies_with_test();

    g_root = ts_mkdtemp();
    CHECK_EQ_INT(ts_server_start(&g_srv, g_root), 0);
    CHECK(strncmp(g_srv.base_url, "http://127.0.0.1:", 17) == 0);
    CHECK(g_srv.pid > 0);

    test_gen_full();
#ifndef _WIN32
    test_forked_child_exit();
#endif
    test_gen_ranges();
    test_head();
    test_status_and_errors();
    test_auth();
    test_norange();
    test_files();
    test_drop_and_redirect();
    test_nolength_http10();
    test_change_and_badcr();
    test_conditional();
    test_log();
    test_rate();

    /* A second server at the same time, used and stopped on its own. */
    ts_server s2;
    CHECK_EQ_INT(ts_server_start(&s2, NULL), 0);
    CHECK_NE_INT(s2.port, g_srv.port);
    test_client_gives_up(&s2);
    /* Stopping while a body is stalled: prompt, clean, and the client sees
     * the connection end. */
    slow_arg stalled = {.url = ts_url(&s2, "/gen/1000000?stall=10")};
    uv_thread_t t;
    CHECK_EQ_INT(uv_thread_create(&t, slow_fetch, &stalled), 0);
    CHECK(ts_wait_until(got_ten_bytes, &stalled.progress, 5000));
    uint64_t t0 = ts_now_ms();
    CHECK_EQ_INT(ts_server_stop(&s2), 0);
    CHECK_MSG(ts_now_ms() - t0 < 2000, "stop took %llu ms",
              (unsigned long long)(ts_now_ms() - t0));
    CHECK_EQ_INT(uv_thread_join(&t), 0);
    CHECK_NE_INT(stalled.r.rc, CURLE_OK);
    CHECK_EQ_U64(stalled.r.len, 10);
    fetch_free(&stalled.r);
    free(stalled.url);
    CHECK_EQ_INT(ts_server_stop(&s2), 0); /* twice is fine */

    char *url = ts_url(&g_srv, "/gen/1");
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    fetch_result r = fetch(url, NULL); /* nobody listens any more */
    CHECK_EQ_INT(r.rc, CURLE_COULDNT_CONNECT);
    fetch_free(&r);
    free(url);

    CHECK_EQ_INT(ts_rmtree(g_root), 0);
    free(g_root);
    curl_global_cleanup();
    printf("testserver_selftest: all checks passed\n");
    return 0;
}
