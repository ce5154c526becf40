/*
 * bgt_headers.c - pure parsing of HTTP response headers and the rule that
 * decides whether a response's body may reach the destination file.
 *
 * Parsing is strict on purpose: a Content-Range we misread would put bytes at
 * the wrong offset of the user's file, and BITS treats a server whose ranges
 * cannot be trusted as not supporting ranges at all.
 */
#include "bgt_headers.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h> /* time_t of curl_getdate */

static int is_ows(char c) { return c == ' ' || c == '\t'; }

static char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int bgt_parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            return 0;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

/* Length of the run of digits at s[0..len). */
static size_t digit_run(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && is_digit(s[n]))
        n++;
    return n;
}

int bgt_parse_content_length(const char *value, size_t len, uint64_t *out)
{
    size_t i = 0;
    int have = 0;
    uint64_t first = 0;
    for (;;) {
        size_t start, n;
        uint64_t v;
        while (i < len && is_ows(value[i]))
            i++;
        start = i;
        n = digit_run(value + i, len - i);
        if (!bgt_parse_u64(value + start, n, &v))
            return 0;
        if (have && v != first)
            return 0;
        first = v;
        have = 1;
        i += n;
        while (i < len && is_ows(value[i]))
            i++;
        if (i == len)
            break;
        if (value[i] != ',')
            return 0;
        i++;
    }
    *out = first;
    return 1;
}


bgt_content_range_kind bgt_parse_content_range(const char *value, size_t len, uint64_t *first,
                                               uint64_t *last, uint64_t *total)
{
    static const char unit[] = "bytes";
    const size_t unit_len = sizeof unit - 1;
    const char *p = value, *end = value + len;
    uint64_t a = 0, b = 0, c = BGT_UNKNOWN;
    size_t n;
    int unsatisfied = 0;

    while (p < end && is_ows(*p))
        p++;
    while (end > p && is_ows(end[-1]))
        end--;
    if ((size_t)(end - p) < unit_len + 1)
        return BGT_CR_INVALID;
    for (size_t i = 0; i < unit_len; i++)
        if (ascii_lower(p[i]) != unit[i])
            return BGT_CR_INVALID;
    p += unit_len;
    /* "bytes" must be followed by at least one space: "bytesX" is another unit. */
    if (!is_ows(*p))
        return BGT_CR_INVALID;
    while (p < end && is_ows(*p))
        p++;

    if (p < end && *p == '*') {
        unsatisfied = 1;
        p++;
    } else {
        n = digit_run(p, (size_t)(end - p));
        if (!bgt_parse_u64(p, n, &a))
            return BGT_CR_INVALID;
        p += n;
        if (p >= end || *p != '-')
            return BGT_CR_INVALID;
        p++;
        n = digit_run(p, (size_t)(end - p));
        if (!bgt_parse_u64(p, n, &b))
            return BGT_CR_INVALID;
        p += n;
        /* The length last-first+1 must fit 64 bits and differ from
         * BGT_UNKNOWN: "bytes 0-18446744073709551615/ *" would wrap to 0,
         * "bytes 0-18446744073709551614/ *" would mean "no length check".
         * No real resource is that big. */
        if (a > b || b - a >= BGT_UNKNOWN - 1)
            return BGT_CR_INVALID;
    }
    if (p >= end || *p != '/')
        return BGT_CR_INVALID;
    p++;
    if (p < end && *p == '*' && !unsatisfied) {
        p++;
    } else {
        n = digit_run(p, (size_t)(end - p));
        if (!bgt_parse_u64(p, n, &c))
            return BGT_CR_INVALID;
        p += n;
        /* A complete length of UINT64_MAX would collide with BGT_UNKNOWN. */
        if (c == BGT_UNKNOWN)
            return BGT_CR_INVALID;
    }
    if (p != end)
        return BGT_CR_INVALID;
    if (unsatisfied) {
        *total = c;
        return BGT_CR_UNSATISFIED;
    }
    if (c != BGT_UNKNOWN && b >= c)
        return BGT_CR_INVALID;
    *first = a;
    *last = b;
    *total = c;
    return BGT_CR_RANGE;
}

int bgt_header_split(const char *line, size_t len, const char **name, size_t *name_len,
                     const char **value, size_t *value_len)
{
    const char *colon = memchr(line, ':', len);
    const char *v, *end = line + len;
    if (colon == NULL || colon == line || is_ows(line[0]))
        return 0;
    /* A space before the colon is not allowed in a field name (RFC 9112 5.1). */
    if (is_ows(colon[-1]))
        return 0;
    v = colon + 1;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || is_ows(end[-1])))
        end--;
    while (v < end && is_ows(*v))
        v++;
    *name = line;
    *name_len = (size_t)(colon - line);
    *value = v;
    *value_len = (size_t)(end - v);
    return 1;
}

int bgt_header_is(const char *name, size_t name_len, const char *lower_name)
{
    size_t n = strlen(lower_name);
    if (n != name_len)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(name[i]) != lower_name[i])
            return 0;
    return 1;
}

int bgt_parse_status_line(const char *line, size_t len, long *status, int *version)
{
    const char *p = line, *end = line + len;
    int ver = 0;
    uint64_t code;
    if (len < 5 || memcmp(line, "HTTP/", 5) != 0)
        return 0;
    p += 5;
    if (end - p >= 3 && is_digit(p[0]) && p[1] == '.' && is_digit(p[2])) {
        ver = (p[0] - '0') * 10 + (p[2] - '0');
        p += 3;
    } else if (end - p >= 1 && is_digit(p[0])) {
        ver = (p[0] - '0') * 10;
        p += 1;
    } else {
        return 0;
    }
    if (p >= end || *p != ' ')
        return 0;
    while (p < end && *p == ' ')
        p++;
    if (end - p < 3 || !bgt_parse_u64(p, 3, &code))
        return 0;
    if (end - p > 3 && is_digit(p[3]))
        return 0;
    if (ver != 10 && ver != 11 && ver != 20 && ver != 30)
        ver = 0;
    *status = (long)code;
    *version = ver;
    return 1;
}

int64_t bgt_parse_http_date(const char *value)
{
    time_t t = curl_getdate(value, NULL);
    return t == (time_t)-1 ? -1 : (int64_t)t;
}

int bgt_format_http_date(int64_t t, char *out, size_t out_size)
{
    /* Computed here rather than with gmtime_r, which Windows lacks (and whose
     * gmtime refuses times before 1970): days since 1970 to a civil date,
     * proleptic Gregorian (H. Hinnant's days_from_civil inverse). */
    static const char *const days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (out_size == 0)
        return 0;
    out[0] = '\0';
    /* Years 0..9999 only (four digits): about +-3.2e11 s around 1970. */
    if (t < -62167219200LL || t > 253402300799LL)
        return 0;
    int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t sec = t - day * 86400;
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mon = (int)(mp < 10 ? mp + 3 : mp - 9); /* 1..12 */
    int64_t year = yoe + era * 400 + (mon <= 2);
    int wday = (int)(((day % 7) + 7) % 7);      /* 1970-01-01 was a Thursday */
    int n = snprintf(out, out_size, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[wday], mday,
                     months[mon - 1], (int)year, (int)(sec / 3600), (int)(sec / 60 % 60),
                     (int)(sec % 60));
    if (n < 0 || (size_t)n >= out_size) {
        out[0] = '\0';
        return 0;
    }
    return 1;
}

bgt_status bgt_check_response(const bgt_request *req, const bgt_response *resp,
                              uint64_t *expected_len, const char **why)
{
    const char *dummy_why;
    uint64_t dummy_len;
    long st = resp->http_status;
    if (why == NULL)
        why = &dummy_why;
    if (expected_len == NULL)
        expected_len = &dummy_len;
    *why = "";
    *expected_len = BGT_UNKNOWN;

    if (st < 200 || st >= 300) {
        *why = "the server answered with an HTTP status other than success";
        return BGT_ERR_HTTP_STATUS;
    }
    if (req->method == BGT_HEAD) {
        if (st == 200)
            *expected_len = resp->content_length;
        return BGT_OK;
    }
    if (!req->ranged) {
        if (st == 206) {
            *why = "the server sent a partial response (206) to a request without Range";
            return BGT_ERR_RANGE_MISMATCH;
        }
        /* A plain GET is bounded by the size the caller pinned: a body that
         * announces another one, or streams without a length, must never
         * write past it. */
        if (req->expect_total != 0 && resp->content_length != BGT_UNKNOWN &&
            resp->content_length != req->expect_total) {
            *why = "the server's Content-Length differs from the size it announced before";
            return BGT_ERR_SIZE_MISMATCH;
        }
        *expected_len = resp->content_length != BGT_UNKNOWN ? resp->content_length
                        : req->expect_total != 0            ? req->expect_total
                                                            : BGT_UNKNOWN;
        return BGT_OK;
    }
    if (st != 206) {
        *why = "the server ignored the Range header (answered with the whole resource)";
        return BGT_ERR_RANGE_IGNORED;
    }
    if (!resp->has_content_range) {
        *why = "the server's 206 response has no usable Content-Range header";
        return BGT_ERR_RANGE_MISMATCH;
    }
    if (req->expect_total != 0 && resp->cr_total != BGT_UNKNOWN && resp->cr_total != req->expect_total) {
        *why = "the server's Content-Range gives another size of the resource than was expected";
        return BGT_ERR_RANGE_MISMATCH;
    }
    if (resp->cr_first != req->range_first) {
        *why = "the server's Content-Range does not start at the requested offset";
        return BGT_ERR_RANGE_MISMATCH;
    }
    if (req->range_length != BGT_UNKNOWN) {
        if (resp->cr_last - resp->cr_first != req->range_length - 1) {
            *why = "the server's Content-Range does not end where the requested range ends";
            return BGT_ERR_RANGE_MISMATCH;
        }
    } else if (resp->cr_total != BGT_UNKNOWN && resp->cr_last != resp->cr_total - 1) {
        *why = "the server's Content-Range stops before the end of the resource";
        return BGT_ERR_RANGE_MISMATCH;
    }
    if (resp->content_length != BGT_UNKNOWN &&
        resp->content_length != resp->cr_last - resp->cr_first + 1) {
        *why = "the server's Content-Length disagrees with its Content-Range";
        return BGT_ERR_RANGE_MISMATCH;
    }
    *expected_len = resp->cr_last - resp->cr_first + 1;
    return BGT_OK;
}
