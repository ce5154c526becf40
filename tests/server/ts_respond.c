/*
 * ts_respond.c - the single exit for responses: log the request, then queue.
 *
 * Logging before queueing means that once a client has a response, its log
 * line is already on disk, so tests can read the log without waiting.
 */
#include "testserver.h"

#include <stdio.h>
#include <string.h>

enum MHD_Result ts_respond(struct MHD_Connection *c, ts_request *rq, const char *method,
                           unsigned status, struct MHD_Response *resp)
{
    const char *range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
    ts_log_request(method, rq->target, range, status);
    rq->responded = 1;
    if (resp == NULL)
        return MHD_NO; /* out of memory: MHD drops the connection */
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result ts_respond_text(struct MHD_Connection *c, ts_request *rq, const char *method,
                                unsigned status, const char *text)
{
    char body[1024];
    int n = snprintf(body, sizeof body, "%s\n", text);
    if (n < 0 || (size_t)n >= sizeof body)
        n = (int)strlen(body);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer((size_t)n, body, MHD_RESPMEM_MUST_COPY);
    if (resp != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
    return ts_respond(c, rq, method, status, resp);
}
