/*
 * headers_unit.c - unit tests for the transport's pure functions: the
 * Content-Range parser, header-line splitting, status lines, HTTP dates,
 * curl error mapping and the response check that
 * decides whether a body may reach the destination file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgt_headers.h"
#include "bgt_internal.h"
#include "check.h"

static bgt_content_range_kind cr(const char *s, uint64_t *a, uint64_t *b, uint64_t *c)
{
    *a = *b = *c = 12345; /* sentinel: must stay for invalid input */
    return bgt_parse_content_range(s, strlen(s), a, b, c);
}

static void test_content_range_valid(void)
{
    uint64_t a, b, c;
    CHECK_EQ_INT(cr("bytes 0-99/1000", &a, &b, &c), BGT_CR_RANGE);
    CHECK_EQ_U64(a, 0);
    CHECK_EQ_U64(b, 99);
    CHECK_EQ_U64(c, 1000);

    CHECK_EQ_INT(cr("  BYTES   500-999/1000 \t", &a, &b, &c), BGT_CR_RANGE);
    CHECK_EQ_U64(a, 500);
    CHECK_EQ_U64(b, 999);
    CHECK_EQ_U64(c, 1000);

    CHECK_EQ_INT(cr("bytes 7-7/*", &a, &b, &c), BGT_CR_RANGE);
    CHECK_EQ_U64(a, 7);
    CHECK_EQ_U64(b, 7);
    CHECK_EQ_U64(c, BGT_UNKNOWN);

    /* Beyond 4 GiB: BITS fetches > 2 GB files in ranges. */
    CHECK_EQ_INT(cr("bytes 4294967296-6442450943/8589934592", &a, &b, &c), BGT_CR_RANGE);
    CHECK_EQ_U64(a, UINT64_C(4294967296));
    CHECK_EQ_U64(b, UINT64_C(6442450943));
    CHECK_EQ_U64(c, UINT64_C(8589934592));

    CHECK_EQ_INT(cr("bytes 0-18446744073709551613/18446744073709551614", &a, &b, &c),
                 BGT_CR_RANGE);
    CHECK_EQ_U64(b, UINT64_C(18446744073709551613));

    CHECK_EQ_INT(cr("bytes */1000", &a, &b, &c), BGT_CR_UNSATISFIED);
    CHECK_EQ_U64(c, 1000);
    CHECK_EQ_U64(a, 12345);
}

static void test_content_range_invalid(void)
{
    static const char *const bad[] = {
        "",
        "bytes",
        "bytes ",
        "bytes 0-99",
        "bytes 0-99/",
        "bytes 0-/100",
        "bytes -99/100",
        "bytes 100-99/1000",   /* first > last */
        "bytes 0-1000/1000",   /* last >= total */
        "bytes 0-99/1000x",
        "bytes 0-99/1000 junk",
        "bytes0-99/1000",      /* no space after the unit */
        "items 0-99/1000",
        "bytes +0-99/1000",
        "bytes 0 - 99/1000",
        "bytes 0-99 /1000",
        "bytes 0-99/-1",
        "bytes 0x10-0x20/100",
        "bytes */*",
        "bytes 0-99/18446744073709551615",          /* collides with BGT_UNKNOWN */
        "bytes 0-99/18446744073709551616",          /* overflow */
        "bytes 18446744073709551616-1/2",           /* overflow */
        "bytes 0-18446744073709551615/*",           /* length 2^64 wraps to 0 */
        "bytes 0-18446744073709551614/*",           /* length reads as BGT_UNKNOWN */
        "bytes 0-99/1000, bytes 200-299/1000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t a, b, c;
        CHECK_MSG(cr(bad[i], &a, &b, &c) == BGT_CR_INVALID, "accepted \"%s\"", bad[i]);
        CHECK_EQ_U64(a, 12345);
        CHECK_EQ_U64(b, 12345);
        CHECK_EQ_U64(c, 12345);
    }
    /* Length-bounded: bytes past len are not read. */
    uint64_t a, b, c;
    const char *s = "bytes 0-9/100GARBAGE";
    CHECK_EQ_INT(bgt_parse_content_range(s, strlen("bytes 0-9/100"), &a, &b, &c), BGT_CR_RANGE);
    CHECK_EQ_U64(c, 100);
}

static void test_u64(void)
{
    uint64_t v = 7;
    CHECK(bgt_parse_u64("18446744073709551615", 20, &v));
    CHECK_EQ_U64(v, UINT64_MAX);
    v = 7;
    CHECK(!bgt_parse_u64("18446744073709551616", 20, &v));
    CHECK(!bgt_parse_u64("", 0, &v));
    CHECK(!bgt_parse_u64("12a", 3, &v));
    CHECK(!bgt_parse_u64("-1", 2, &v));
    CHECK_EQ_U64(v, 7);
    CHECK(bgt_parse_u64("0042", 4, &v));
    CHECK_EQ_U64(v, 42);
}

static void test_content_length(void)
{
    uint64_t v = 7;
#define CL(str) bgt_parse_content_length(str, strlen(str), &v)
    CHECK_EQ_INT(CL("100"), 1);
    CHECK_EQ_U64(v, 100);
    CHECK_EQ_INT(CL("0"), 1);
    CHECK_EQ_U64(v, 0);
    CHECK_EQ_INT(CL("42, 42"), 1);
    CHECK_EQ_U64(v, 42);
    CHECK_EQ_INT(CL("42 ,42,\t42"), 1);
    CHECK_EQ_U64(v, 42);
    CHECK_EQ_INT(CL("18446744073709551615"), 1);
    v = 7;
    static const char *const bad[] = {"", " ", "-1", "+1", "abc", "1a", "0x10", "1.0", "42, 43",
                                      "42,", ",42", "42,,42", "42 42",
                                      "18446744073709551616"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_MSG(CL(bad[i]) == 0, "accepted \"%s\"", bad[i]);
        CHECK_EQ_U64(v, 7);
    }
#undef CL
}

static void test_header_split(void)
{
    const char *n, *v;
    size_t nl, vl;
    const char *line = "Content-Range: \t bytes 0-1/2 \r\n";
    CHECK(bgt_header_split(line, strlen(line), &n, &nl, &v, &vl));
    CHECK_EQ_INT(nl, 13);
    CHECK(bgt_header_is(n, nl, "content-range"));
    CHECK(!bgt_header_is(n, nl, "content-rang"));
    CHECK(!bgt_header_is(n, nl, "content-length"));
    CHECK_EQ_INT(vl, strlen("bytes 0-1/2"));
    CHECK(memcmp(v, "bytes 0-1/2", vl) == 0);

    line = "ETag:\r\n";
    CHECK(bgt_header_split(line, strlen(line), &n, &nl, &v, &vl));
    CHECK_EQ_INT(vl, 0);

    CHECK(!bgt_header_split("\r\n", 2, &n, &nl, &v, &vl));
    CHECK(!bgt_header_split("HTTP/1.1 200 OK\r\n", 17, &n, &nl, &v, &vl));
    CHECK(!bgt_header_split(": x\r\n", 5, &n, &nl, &v, &vl));
    CHECK(!bgt_header_split(" folded: x\r\n", 12, &n, &nl, &v, &vl));
    CHECK(!bgt_header_split("Bad : x\r\n", 9, &n, &nl, &v, &vl));
}

static void test_status_line(void)
{
    long st = -1;
    int ver = -1;
    const char *l = "HTTP/1.1 206 Partial Content\r\n";
    CHECK(bgt_parse_status_line(l, strlen(l), &st, &ver));
    CHECK_EQ_INT(st, 206);
    CHECK_EQ_INT(ver, 11);
    l = "HTTP/2 200 \r\n";
    CHECK(bgt_parse_status_line(l, strlen(l), &st, &ver));
    CHECK_EQ_INT(st, 200);
    CHECK_EQ_INT(ver, 20);
    l = "HTTP/1.0 404\r\n";
    CHECK(bgt_parse_status_line(l, strlen(l), &st, &ver));
    CHECK_EQ_INT(st, 404);
    CHECK_EQ_INT(ver, 10);
    st = -1;
    l = "Content-Length: 5\r\n";
    CHECK(!bgt_parse_status_line(l, strlen(l), &st, &ver));
    l = "HTTP/1.1 2000 Huh\r\n";
    CHECK(!bgt_parse_status_line(l, strlen(l), &st, &ver));
    l = "HTTP/1.1\r\n";
    CHECK(!bgt_parse_status_line(l, strlen(l), &st, &ver));
    CHECK_EQ_INT(st, -1);
}

static void test_http_date(void)
{
    char buf[64];
    /* The three forms RFC 9110 section 5.6.7 requires recipients to accept. */
    CHECK_EQ_I64(bgt_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    CHECK_EQ_I64(bgt_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    CHECK_EQ_I64(bgt_parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
    CHECK_EQ_I64(bgt_parse_http_date("not a date"), -1);
    CHECK(bgt_format_http_date(784111777, buf, sizeof buf));
    CHECK_EQ_STR(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(bgt_format_http_date(0, buf, sizeof buf));
    CHECK_EQ_STR(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(!bgt_format_http_date(0, buf, 10));
    CHECK_EQ_STR(buf, "");
    /* Computed without gmtime: leap days, before 1970, the four-digit limits. */
    CHECK(bgt_format_http_date(951782400, buf, sizeof buf));
    CHECK_EQ_STR(buf, "Tue, 29 Feb 2000 00:00:00 GMT");
    CHECK(bgt_format_http_date(-1, buf, sizeof buf));
    CHECK_EQ_STR(buf, "Wed, 31 Dec 1969 23:59:59 GMT");
    CHECK(bgt_format_http_date(4107542399LL, buf, sizeof buf));
    CHECK_EQ_STR(buf, "Sun, 28 Feb 2100 23:59:59 GMT");
    CHECK(bgt_format_http_date(253402300799LL, buf, sizeof buf));
    CHECK_EQ_STR(buf, "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK(bgt_format_http_date(-62167219200LL, buf, sizeof buf));
    CHECK_EQ_STR(buf, "Sat, 01 Jan 0000 00:00:00 GMT");
    CHECK(!bgt_format_http_date(253402300800LL, buf, sizeof buf));
    CHECK(!bgt_format_http_date(-62167219201LL, buf, sizeof buf));
}

static void test_ascii_compare(void)
{
    CHECK(bgt_ascii_prefix("HTTP://x", "http://"));
    CHECK(bgt_ascii_prefix("https://x", "HTTPS://"));
    CHECK(!bgt_ascii_prefix("http", "http://"));
    CHECK(!bgt_ascii_prefix("ftp://x", "http://"));
    CHECK_EQ_INT(bgt_ascii_ncasecmp("Bytes", "bYTES", 5), 0);
    CHECK(bgt_ascii_ncasecmp("abc", "abd", 3) < 0);
    CHECK(bgt_ascii_ncasecmp("abd", "ABC", 3) > 0);
    CHECK_EQ_INT(bgt_ascii_ncasecmp("ab", "ab", 10), 0);   /* stops at the terminator */
    CHECK(bgt_ascii_ncasecmp("\xc3\x89", "\xc3\xa9", 2) != 0); /* ASCII only: no locale folding */
}

static void test_curl_mapping(void)
{
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_OK), BGT_OK);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_COULDNT_RESOLVE_HOST), BGT_ERR_RESOLVE);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_COULDNT_CONNECT), BGT_ERR_CONNECT);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_OPERATION_TIMEDOUT), BGT_ERR_TIMEOUT);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_PARTIAL_FILE), BGT_ERR_CONNECTION_CLOSED);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_RECV_ERROR), BGT_ERR_CONNECTION_CLOSED);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_PEER_FAILED_VERIFICATION), BGT_ERR_TLS);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_SSL_CONNECT_ERROR), BGT_ERR_TLS);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_UNSUPPORTED_PROTOCOL), BGT_ERR_BAD_URL);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_URL_MALFORMAT), BGT_ERR_BAD_URL);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_TOO_MANY_REDIRECTS), BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(bgt_status_from_curl(CURLE_OUT_OF_MEMORY), BGT_ERR_OTHER);
    for (int s = BGT_OK; s <= BGT_ERR_OTHER; s++) {
        const char *n = bgt_status_name((bgt_status)s);
        CHECK(n != NULL && strncmp(n, "BGT_", 4) == 0 && strstr(n, "unknown") == NULL);
    }
    CHECK(strstr(bgt_status_name((bgt_status)999), "unknown") != NULL);
}

/* Builds a GET request / response pair for bgt_check_response. */
static bgt_request get_req(int ranged, uint64_t first, uint64_t len)
{
    bgt_request q;
    memset(&q, 0, sizeof q);
    q.method = BGT_GET;
    q.ranged = ranged;
    q.range_first = first;
    q.range_length = len;
    return q;
}

static bgt_response resp(long status, uint64_t content_length)
{
    bgt_response r;
    memset(&r, 0, sizeof r);
    r.http_status = status;
    r.content_length = content_length;
    r.cr_total = BGT_UNKNOWN;
    return r;
}

static bgt_response resp_cr(uint64_t a, uint64_t b, uint64_t total, uint64_t content_length)
{
    bgt_response r = resp(206, content_length);
    r.has_content_range = 1;
    r.cr_first = a;
    r.cr_last = b;
    r.cr_total = total;
    return r;
}

static void test_check_response(void)
{
    bgt_request q;
    bgt_response r;
    uint64_t exp;
    const char *why;

    /* Plain GET. */
    q = get_req(0, 0, 0);
    r = resp(200, 1000);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, &why), BGT_OK);
    CHECK_EQ_U64(exp, 1000);
    CHECK_EQ_STR(why, "");
    r = resp(200, BGT_UNKNOWN);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, NULL), BGT_OK);
    CHECK_EQ_U64(exp, BGT_UNKNOWN);
    r = resp(404, 10);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, &why), BGT_ERR_HTTP_STATUS);
    CHECK(why[0] != '\0');
    r = resp(302, 0);
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_HTTP_STATUS);
    r = resp(0, 0);
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_HTTP_STATUS);
    r = resp_cr(0, 9, 100, 10);
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_RANGE_MISMATCH);

    /* Plain GET bounded by the pinned size (issue 10). */
    q = get_req(0, 0, 0);
    q.expect_total = 100;
    r = resp(200, BGT_UNKNOWN);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, NULL), BGT_OK);
    CHECK_EQ_U64(exp, 100);
    r = resp(200, 100);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, NULL), BGT_OK);
    CHECK_EQ_U64(exp, 100);
    r = resp(200, 33554432);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, &why), BGT_ERR_SIZE_MISMATCH);
    CHECK(why[0] != '\0');
    r = resp(200, 50);
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_SIZE_MISMATCH);

    /* Ranged GET with a known length: 500-599. */
    q = get_req(1, 500, 100);
    r = resp_cr(500, 599, 1000, 100);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, &why), BGT_OK);
    CHECK_EQ_U64(exp, 100);
    r = resp_cr(500, 599, BGT_UNKNOWN, BGT_UNKNOWN);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, NULL), BGT_OK);
    CHECK_EQ_U64(exp, 100);
    r = resp(200, 1000);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, &why), BGT_ERR_RANGE_IGNORED);
    CHECK(why[0] != '\0');
    r = resp(206, 100); /* no Content-Range (or multipart/byteranges) */
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_RANGE_MISMATCH);
    r = resp_cr(0, 99, 1000, 100); /* wrong start */
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_RANGE_MISMATCH);
    r = resp_cr(500, 598, 1000, 99); /* short end */
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_RANGE_MISMATCH);
    r = resp_cr(500, 999, 1000, 500); /* more than asked */
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_RANGE_MISMATCH);
    r = resp_cr(500, 599, 1000, 50); /* Content-Length disagrees */
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_RANGE_MISMATCH);
    r = resp(416, 0);
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_HTTP_STATUS);

    /* Ranged GET to the end: 500-. */
    q = get_req(1, 500, BGT_UNKNOWN);
    r = resp_cr(500, 999, 1000, 500);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, NULL), BGT_OK);
    CHECK_EQ_U64(exp, 500);
    r = resp_cr(500, 899, 1000, 400); /* stops early although the total is known */
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_RANGE_MISMATCH);
    r = resp_cr(500, 899, BGT_UNKNOWN, 400);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, NULL), BGT_OK);
    CHECK_EQ_U64(exp, 400);

    /* A range at the very top of the 64-bit space. */
    q = get_req(1, UINT64_MAX - 10, 10);
    r = resp_cr(UINT64_MAX - 10, UINT64_MAX - 1, BGT_UNKNOWN, 10);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, NULL), BGT_OK);
    CHECK_EQ_U64(exp, 10);

    /* HEAD only looks at the status. */
    q = get_req(0, 0, 0);
    q.method = BGT_HEAD;
    r = resp(200, 1234);
    CHECK_EQ_INT(bgt_check_response(&q, &r, &exp, NULL), BGT_OK);
    CHECK_EQ_U64(exp, 1234);
    r = resp(404, 1234);
    CHECK_EQ_INT(bgt_check_response(&q, &r, NULL, NULL), BGT_ERR_HTTP_STATUS);
}

int main(void)
{
    test_content_range_valid();
    test_content_range_invalid();
    test_u64();
    test_content_length();
    test_header_split();
    test_status_line();
    test_http_date();
    test_ascii_compare();
    test_curl_mapping();
    test_check_response();
    printf("transport_headers_unit: all passed\n");
    return 0;
}
