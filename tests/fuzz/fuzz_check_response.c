/*
 * fuzz_check_response.c - bgt_check_response, the rule that decides whether
 * a server's final response may be written to the destination file, over
 * requests the engine can make and responses a server can send.
 *
 * Input: 1 byte of flags, 8+8+8 bytes (range_first, range_length,
 * expect_total), 2 bytes of status, then the rest split at the first '\n'
 * into a Content-Length value and a Content-Range value, parsed with
 * bgt_parse_content_length / bgt_parse_content_range exactly as the header callback
 * does (so the response is one a server can produce).
 * Invariants: BGT_OK only for a 2xx; a ranged GET accepted only as a 206
 * whose Content-Range starts at range_first, ends where the request ends
 * (or at total-1), and whose expected length is last-first+1 (never 0 or a
 * wrapped value) and agrees with Content-Length; a non-ranged GET never
 * accepts a 206, and is bounded by the pinned size (expect_total): its
 * expected length is the Content-Length, else the pinned size, and a
 * Content-Length other than the pinned size is refused; expected_len is
 * BGT_UNKNOWN on every rejection.
 */
#include "bgt_headers.h"
#include "fuzz.h"

static uint64_t take_u64(const uint8_t **p, size_t *left)
{
    uint64_t v = 0;
    for (int i = 0; i < 8 && *left; i++, (*p)++, (*left)--)
        v = v << 8 | **p;
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t left = size;
    uint8_t flags = left ? (left--, *p++) : 0;

    bgt_request req;
    memset(&req, 0, sizeof req);
    req.method = (flags & 1) ? BGT_HEAD : BGT_GET;
    req.ranged = (flags >> 1) & 1;
    req.range_first = take_u64(&p, &left);
    req.range_length = take_u64(&p, &left);
    req.expect_total = take_u64(&p, &left);
    /* Small values as often as huge ones: the engine asks for real offsets. */
    if (flags & 4)
        req.range_first &= 0xffff;
    if (flags & 8)
        req.range_length = (flags & 16) ? BGT_UNKNOWN : (req.range_length & 0xffff);
    if (flags & 32)
        req.expect_total = 0;

    bgt_response resp;
    memset(&resp, 0, sizeof resp);
    resp.content_length = BGT_UNKNOWN;
    resp.cr_total = BGT_UNKNOWN;
    resp.last_modified_unix = -1;
    resp.http_status = 0;
    for (int i = 0; i < 2 && left; i++, p++, left--)
        resp.http_status = resp.http_status << 8 | *p;
    if (flags & 64)
        resp.http_status = (flags & 128) ? 206 : 200;
    resp.http_status %= 1000;

    const uint8_t *nl = memchr(p, '\n', left);
    size_t cl_len = nl ? (size_t)(nl - p) : left;
    char *cl = fuzz_copy(p, cl_len);
    size_t cr_len = nl ? left - cl_len - 1 : 0;
    char *cr = fuzz_copy(nl ? nl + 1 : p, cr_len);
    uint64_t v;
    if (bgt_parse_content_length(cl, cl_len, &v))
        resp.content_length = v;
    uint64_t a, b, c;
    if (bgt_parse_content_range(cr, cr_len, &a, &b, &c) == BGT_CR_RANGE) {
        resp.has_content_range = 1;
        resp.cr_first = a;
        resp.cr_last = b;
        resp.cr_total = c;
    }

    uint64_t expected = 42;
    const char *why = NULL;
    bgt_status st = bgt_check_response(&req, &resp, &expected, &why);
    FUZZ_CHECK(why != NULL);
    /* The out parameters are optional. */
    FUZZ_CHECK(bgt_check_response(&req, &resp, NULL, NULL) == st);

    if (st != BGT_OK) {
        FUZZ_CHECK(expected == BGT_UNKNOWN);
        FUZZ_CHECK(why[0] != '\0');
        FUZZ_CHECK(st == BGT_ERR_HTTP_STATUS || st == BGT_ERR_RANGE_IGNORED ||
                   st == BGT_ERR_RANGE_MISMATCH || st == BGT_ERR_SIZE_MISMATCH);
        /* Only a plain GET whose length contradicts the pinned size. */
        if (st == BGT_ERR_SIZE_MISMATCH)
            FUZZ_CHECK(req.method == BGT_GET && !req.ranged && req.expect_total != 0 &&
                       resp.content_length != req.expect_total);
    } else {
        FUZZ_CHECK(why[0] == '\0');
        FUZZ_CHECK(resp.http_status >= 200 && resp.http_status < 300);
        if (req.method == BGT_GET && !req.ranged) {
            FUZZ_CHECK(resp.http_status != 206);
            if (resp.content_length != BGT_UNKNOWN)
                FUZZ_CHECK(expected == resp.content_length);
            else
                FUZZ_CHECK(expected == (req.expect_total ? req.expect_total : BGT_UNKNOWN));
            if (req.expect_total != 0)
                FUZZ_CHECK(expected == req.expect_total);
        }
        if (req.method == BGT_GET && req.ranged) {
            FUZZ_CHECK(resp.http_status == 206 && resp.has_content_range);
            FUZZ_CHECK(resp.cr_first == req.range_first);
            FUZZ_CHECK(resp.cr_first <= resp.cr_last);
            FUZZ_CHECK(expected == resp.cr_last - resp.cr_first + 1);
            FUZZ_CHECK(expected != 0 && expected != BGT_UNKNOWN);
            if (req.range_length != BGT_UNKNOWN)
                FUZZ_CHECK(expected == req.range_length);
            else if (resp.cr_total != BGT_UNKNOWN)
                FUZZ_CHECK(resp.cr_last == resp.cr_total - 1);
            if (resp.content_length != BGT_UNKNOWN)
                FUZZ_CHECK(resp.content_length == expected);
            if (req.expect_total != 0 && resp.cr_total != BGT_UNKNOWN)
                FUZZ_CHECK(resp.cr_total == req.expect_total);
        }
    }
    free(cl);
    free(cr);
    return 0;
}
