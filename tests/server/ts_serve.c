/*
 * ts_serve.c - answering GET/HEAD for one resource the way an HTTP/1.1
 * origin server does (200/206/416, validators), unless the query asks for a
 * misbehaviour (status=, redirect=, norange=, and the body options).
 */
#include "testserver.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Civil date of a day count since 1970-01-01 (proleptic Gregorian; Howard
 * Hinnant's days_from_civil inverse).  Done by hand: gmtime_r does not
 * exist on Windows and its gmtime rejects dates before 1970. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* IMF-fixdate, e.g. "Tue, 14 Nov 2023 22:13:20 GMT".  Formatted by hand so
 * the process locale can never change the day and month names. */
static void http_date(int64_t t, char *out, size_t outlen)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - day * 86400;
    int64_t year;
    int month, mday;
    civil_from_days(day, &year, &month, &mday);
    int wday = (int)(((day % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
    snprintf(out, outlen, "%s, %02d %s %04" PRId64 " %02d:%02d:%02d GMT", days[wday], mday,
             months[month - 1], year, (int)(secs / 3600), (int)(secs / 60 % 60),
             (int)(secs % 60));
}

static void add_retry_after(struct MHD_Response *resp, const ts_options *o)
{
    if (resp != NULL && o->retry_after != TS_NONE) {
        char v[32];
        snprintf(v, sizeof v, "%" PRIu64, o->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, v);
    }
}

static void set_http10(struct MHD_Response *resp, const ts_options *o)
{
    if (resp != NULL && o->http10)
        MHD_set_response_options(resp, MHD_RF_HTTP_1_0_SERVER, MHD_RO_END);
}

/* A short text/plain response carrying the options' headers. */
static struct MHD_Response *text_response(const char *text, const ts_options *o)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (resp != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
    add_retry_after(resp, o);
    set_http10(resp, o);
    return resp;
}

enum MHD_Result ts_serve(struct MHD_Connection *c, ts_request *rq, const char *method,
                         const char *path, ts_resource *res, const ts_options *o)
{
    char text[512];

    if (o->redirect != 0) {
        /* to=self repeats the request target (query included): a loop. */
        const char *to = o->to == NULL                ? path
                         : strcmp(o->to, "self") == 0 ? rq->target
                                                      : o->to;
        snprintf(text, sizeof text, "redirect %u to %s\n", o->redirect, to);
        struct MHD_Response *resp = text_response(text, o);
        if (resp != NULL)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, to);
        ts_file_close(res->fd);
        return ts_respond(c, rq, method, o->redirect, resp);
    }
    if (o->status != 0) {
        snprintf(text, sizeof text, "status %u\n", o->status);
        ts_file_close(res->fd);
        return ts_respond(c, rq, method, o->status, text_response(text, o));
    }

    char lm[64], etag[64], cr[96];
    http_date(res->mtime, lm, sizeof lm);
    snprintf(etag, sizeof etag, "\"%" PRIu64 "-%" PRId64 "\"", res->size, res->mtime);

    const char *ius = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Unmodified-Since");
    if (ius == NULL)
        ius = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Unless-Modified-Since");
    if (ts_unmodified_since_fails(ius, res->mtime)) {
        ts_file_close(res->fd);
        struct MHD_Response *resp = text_response("modified since\n", o);
        if (resp != NULL) {
            MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, lm);
            MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
        }
        return ts_respond(c, rq, method, MHD_HTTP_PRECONDITION_FAILED, resp);
    }

    uint64_t first = 0, last = 0;
    ts_range_result rr = TS_RANGE_NONE;
    const char *if_range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Range");
    if (!o->norange && ts_if_range_allows(if_range, etag, lm)) {
        const char *range =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
        rr = ts_range_parse(range, res->size, &first, &last);
    }
    if (rr == TS_RANGE_UNSATISFIABLE) {
        ts_file_close(res->fd);
        struct MHD_Response *resp = text_response("range not satisfiable\n", o);
        if (resp != NULL) {
            snprintf(cr, sizeof cr, "bytes */%" PRIu64, res->size);
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        }
        return ts_respond(c, rq, method, MHD_HTTP_RANGE_NOT_SATISFIABLE, resp);
    }

    ts_body_spec spec = {0, res->size, res->fd, res->changed, res->state, o->change};
    unsigned status = MHD_HTTP_OK;
    if (rr == TS_RANGE_OK) {
        spec.base = first;
        spec.len = last - first + 1;
        status = MHD_HTTP_PARTIAL_CONTENT;
    }
    res->fd = -1; /* the body owns it now */

    /* getlen= lies in the body, not the headers: no Content-Length, so only
     * the client's own bound on the HEAD's size can stop it. */
    ts_options body_opts = *o;
    if (o->getlen != TS_NONE && status == MHD_HTTP_OK && strcmp(method, "GET") == 0) {
        spec.len = o->getlen;
        body_opts.nolength = 1;
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct MHD_Response *resp =
        ts_body_response(&spec, &body_opts, ci != NULL ? ci->connect_fd : MHD_INVALID_SOCKET);
    if (resp != NULL) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
        if (!o->norange)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, lm);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
        if (status == MHD_HTTP_PARTIAL_CONTENT) {
            /* badcr= lies about the range while sending the right bytes. */
            const char *bad = o->badcr != NULL ? o->badcr : "";
            uint64_t cr_first = strcmp(bad, "start") == 0 ? first + 1 : first;
            uint64_t cr_last = strcmp(bad, "start") == 0 ? last + 1 : last;
            uint64_t cr_total = strcmp(bad, "total") == 0 ? res->size + 1 : res->size;
            snprintf(cr, sizeof cr, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, cr_first, cr_last,
                     cr_total);
            if (strcmp(bad, "none") != 0)
                MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        }
        add_retry_after(resp, o);
        set_http10(resp, o);
        /* libmicrohttpd 0.9.75 writes the chunked terminator even for HEAD
         * when the size is unknown; closing the connection keeps those stray
         * bytes from being read as the next response on a kept-alive one. */
        if (o->nolength && strcmp(method, "HEAD") == 0)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    }
    return ts_respond(c, rq, method, status, resp);
}
