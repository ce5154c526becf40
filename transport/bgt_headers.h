/*
 * bgt_headers.h - pure parsing of what an HTTP server says, and the rule that
 * decides whether a response may be written to disk.  Internal to transport/
 * (tests include it directly).
 *
 * Nothing here touches a socket, a loop or a file: every function is a pure
 * function of its arguments, safe to call from any thread, so the rules that
 * protect the destination file from a wrong response can be unit-tested
 * byte by byte.
 */
#ifndef BGT_HEADERS_H
#define BGT_HEADERS_H

#include <stddef.h>
#include <stdint.h>

#include "bgt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a Content-Range value said. */
typedef enum bgt_content_range_kind {
    BGT_CR_INVALID = 0,     /* not "bytes ..." or malformed: treat as absent */
    BGT_CR_RANGE = 1,       /* "bytes first-last/total" or "bytes first-last/ *" */
    BGT_CR_UNSATISFIED = 2  /* "bytes * /total" (sent with 416): only total is set */
} bgt_content_range_kind;

/* Parses a Content-Range header value (RFC 9110 section 14.4), e.g.
 * "bytes 0-99/1000", "bytes 0-99/ *" (without the space), "bytes * /1000".
 *   value, len: the value without the header name (need not be NUL-terminated);
 *               leading/trailing spaces and tabs are ignored, "bytes" is
 *               matched case-insensitively.
 *   first, last: inclusive byte positions (set for BGT_CR_RANGE only).
 *   total: complete length, BGT_UNKNOWN for "*".
 * Rejects (BGT_CR_INVALID): other units, signs, missing numbers, first > last,
 * last >= total, numbers that overflow 64 bits, a length last-first+1 of
 * 2^64-1 or more (it would wrap, or read as BGT_UNKNOWN), trailing garbage.  Outputs
 * are untouched on BGT_CR_INVALID.  Mirrors no BITS method: it is how
 * BG_E_INSUFFICIENT_RANGE_SUPPORT is detected. */
bgt_content_range_kind bgt_parse_content_range(const char *value, size_t len, uint64_t *first,
                                               uint64_t *last, uint64_t *total);

/* Parses a run of ASCII digits (nothing else, at least one) into *out.
 * Returns 1, or 0 on an empty string, another character or overflow
 * (*out untouched). */
int bgt_parse_u64(const char *s, size_t len, uint64_t *out);

/* Parses a Content-Length value (RFC 9110 section 8.6): 1*DIGIT, or a
 * comma-separated list whose members are all the same number ("100, 100",
 * which a recipient may accept as 100).
 *   value, len: the value without the header name and without surrounding
 *               spaces (need not be NUL-terminated); spaces and tabs around
 *               commas are allowed.
 *   out: the length, set only on success.
 * Returns 1, or 0 for anything else: empty, a sign ("-1"), letters, an
 * empty list member, members that differ, a number that overflows 64 bits.
 * A 0 means the response is invalid (RFC 9112 section 6.3: the message
 * framing cannot be trusted).  Mirrors no BITS method: it is one of the
 * causes of BG_E_INVALID_SERVER_RESPONSE. */
int bgt_parse_content_length(const char *value, size_t len, uint64_t *out);

/* Splits a header line "Name: value\r\n" into name and value (value without
 * surrounding spaces/tabs and without the CR LF).  Pointers point into line.
 * Returns 1, or 0 when the line has no ':' or an empty name (status lines,
 * the blank end-of-headers line, folded continuation lines). */
int bgt_header_split(const char *line, size_t len, const char **name, size_t *name_len,
                     const char **value, size_t *value_len);

/* 1 if the header name (name_len bytes) equals lower_name (NUL-terminated,
 * lower case) case-insensitively, else 0. */
int bgt_header_is(const char *name, size_t name_len, const char *lower_name);

/* Parses a status line as libcurl passes it to a header callback:
 * "HTTP/1.1 206 Partial Content\r\n", "HTTP/2 200\r\n", "HTTP/1.0 404\r\n".
 *   *status: the 3-digit code; *version: 10, 11, 20 or 30 (0 if other).
 * Returns 1, or 0 if line is not a status line (outputs untouched). */
int bgt_parse_status_line(const char *line, size_t len, long *status, int *version);

/* Parses an HTTP date (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", and the
 * obsolete RFC 850 and asctime forms, as HTTP requires recipients to accept)
 * into seconds since 1970 UTC.  value is NUL-terminated.  Returns -1 if it
 * cannot be parsed.  Uses curl_getdate, which is pure and thread-safe. */
int64_t bgt_parse_http_date(const char *value);

/* Formats t (seconds since 1970 UTC) as an IMF-fixdate into out (at least 30
 * bytes; 64 is what bgt_response.last_modified holds).  Used to give local
 * sources the same Last-Modified text an HTTP server would send.  Returns 1,
 * or 0 (out = "") if t is outside the years 0000..9999 or out is too small. */
int bgt_format_http_date(int64_t t, char *out, size_t out_size);

/* Decides whether a final response to req may be written to disk: the
 * transport's rule for BITS's range requirements (spec section 6.8).
 *   req: the request (method, ranged, range_first, range_length).
 *   resp: the final response as parsed so far (http_status, has_content_range,
 *         cr_first/cr_last/cr_total, content_length).
 *   expected_len: out, may be NULL; the number of body bytes the response must
 *                 deliver (Content-Range length, else Content-Length of a
 *                 non-ranged 2xx, else req->expect_total of a non-ranged GET
 *                 when not 0, else BGT_UNKNOWN).
 *   why: out, may be NULL; a static English sentence for a rejection, or "".
 * Returns BGT_OK, BGT_ERR_HTTP_STATUS (status >= 300 or < 200),
 * BGT_ERR_RANGE_IGNORED (ranged GET answered with a 2xx other than 206),
 * BGT_ERR_RANGE_MISMATCH (206 to a non-ranged GET; 206 without a parsed
 * Content-Range; Content-Range not starting at range_first; not ending at
 * range_first+range_length-1 when the length is known; not ending at
 * total-1 for an open-ended range with a known total; Content-Length that
 * disagrees with Content-Range), BGT_ERR_SIZE_MISMATCH (non-ranged GET with
 * req->expect_total != 0 answered with another Content-Length).  HEAD checks
 * only the status. */
bgt_status bgt_check_response(const bgt_request *req, const bgt_response *resp,
                              uint64_t *expected_len, const char **why);

#ifdef __cplusplus
}
#endif
#endif /* BGT_HEADERS_H */
