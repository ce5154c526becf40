/*
 * ts_auth.c - auth=basic|digest: the resource asks for credentials (401
 * with WWW-Authenticate) until the request carries the right ones, so
 * clients' HTTP authentication can be tested against a server we did not
 * write the authentication of (libmicrohttpd's Basic and Digest code).
 */
#include "testserver.h"

#include <stdlib.h>
#include <string.h>

#define REALM "bgcopy-test"
/* Digest nonces stay valid this many seconds. */
#define NONCE_TIMEOUT_S 300

/* The 401 itself: logged like every response, then queued by MHD's
 * Basic or Digest helper, which adds the challenge. */
static enum MHD_Result challenge(struct MHD_Connection *c, ts_request *rq, const char *method,
                                 const ts_options *o, int stale)
{
    static const char text[] = "authentication required\n";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(sizeof text - 1, (void *)text, MHD_RESPMEM_PERSISTENT);
    const char *range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
    enum MHD_Result ret;
    ts_log_request(method, rq->target, range, MHD_HTTP_UNAUTHORIZED);
    rq->responded = 1;
    if (resp == NULL)
        return MHD_NO;
    if (strcmp(o->auth, "basic") == 0)
        ret = MHD_queue_basic_auth_fail_response(c, REALM, resp);
    else
        ret = MHD_queue_auth_fail_response2(c, REALM, "bgcopy-opaque", resp, stale ? MHD_YES : MHD_NO,
                                            MHD_DIGEST_ALG_MD5);
    MHD_destroy_response(resp);
    return ret;
}

int ts_auth_passes(struct MHD_Connection *c, ts_request *rq, const char *method,
                   const ts_options *o, enum MHD_Result *answer)
{
    const char *user = o->user != NULL ? o->user : "user";
    const char *pass = o->pass != NULL ? o->pass : "pass";
    if (o->auth == NULL)
        return 1;
    if (strcmp(o->auth, "basic") == 0) {
        char *p = NULL;
        char *u = MHD_basic_auth_get_username_password(c, &p);
        int ok = u != NULL && p != NULL && strcmp(u, user) == 0 && strcmp(p, pass) == 0;
        MHD_free(u);
        MHD_free(p);
        if (ok)
            return 1;
        *answer = challenge(c, rq, method, o, 0);
        return 0;
    }
    int r = MHD_digest_auth_check2(c, REALM, user, pass, NONCE_TIMEOUT_S, MHD_DIGEST_ALG_MD5);
    if (r == MHD_YES)
        return 1;
    *answer = challenge(c, rq, method, o, r == MHD_INVALID_NONCE);
    return 0;
}
