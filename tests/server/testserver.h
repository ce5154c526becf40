/*
 * testserver.h - internals shared by the files of bgcopy-testserver.
 *
 * Request flow: MHD's URI-log callback allocates a ts_request holding the raw
 * request target (path + query, as the client sent it, for the log);
 * the access handler (testserver.c) routes /gen/ and /files/ (ts_routes.c) to
 * a ts_resource, and ts_serve() answers it, applying the misbehaviours asked
 * for in the query (ts_options.c) and streaming the body through
 * ts_body.c.  Every response goes out through ts_respond(), which writes the
 * log line first (ts_log.c).
 *
 * Threading: MHD runs one thread per connection, so a throttled or stalled
 * body never holds up another client.  Shared state is the log (mutex) and
 * the stop flag (atomic); everything else is per request.
 */
#ifndef BGCOPY_TESTSERVER_H
#define BGCOPY_TESTSERVER_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* "No limit / not set" for the 64-bit options below. */
#define TS_NONE UINT64_MAX

/* Set once a stop is requested (signal, or the watched fd reached EOF):
 * bodies that sleep (rate=, stall=) give up so MHD_stop_daemon can join
 * their threads. */
extern atomic_int ts_stopping;

/* Server-wide settings from the command line (read-only after start). */
typedef struct ts_config {
    const char *root; /* directory served under /files/, or NULL */
} ts_config;
extern ts_config ts_cfg;

/* Per-request context (MHD's req_cls), created from the raw request line. */
typedef struct ts_request {
    char *target;  /* request target as sent: "/gen/100?rate=5" (owned) */
    int headers_seen; /* 1 after the access handler's first call */
    int responded;    /* 1 once a response is queued */
} ts_request;

/* ---- ts_log.c: the request log ------------------------------------------ */

/* Opens (creates/appends) the log at path (UTF-8).  Returns 0, or a
 * negative libuv error code (uv_strerror). */
int ts_log_open(const char *path);

/* Appends "METHOD\tTARGET\tRANGE-OR-DASH\tSTATUS\n" with one write under a
 * mutex, so readers always see whole lines.  Any thread. */
void ts_log_request(const char *method, const char *target, const char *range, unsigned status);

void ts_log_close(void);

/* ---- ts_range.c: the Range request header ------------------------------- */

typedef enum ts_range_result {
    TS_RANGE_NONE,         /* no usable Range: answer 200 with everything */
    TS_RANGE_OK,           /* *first..*last (inclusive) lie inside the resource */
    TS_RANGE_UNSATISFIABLE /* well-formed but outside the resource: 416 */
} ts_range_result;

/* Parses a Range header value ("bytes=a-b", "bytes=a-", "bytes=-n") against
 * a resource of size bytes.  NULL, malformed values and multi-range requests
 * give TS_RANGE_NONE (RFC 9110 lets a server ignore them).  Pure. */
ts_range_result ts_range_parse(const char *value, uint64_t size, uint64_t *first, uint64_t *last);

/* ---- ts_conditional.c: conditional request headers --------------------- */

/* 1 if a Range may be honoured given the If-Range value (NULL: absent):
 * it must equal our ETag (strong) or our Last-Modified string.  Pure. */
int ts_if_range_allows(const char *if_range, const char *etag, const char *last_modified);

/* 1 if an If-Unmodified-Since / Unless-Modified-Since value (NULL: absent)
 * makes the request fail with 412 because the resource's mtime is later.
 * Invalid dates are ignored (0).  Pure. */
int ts_unmodified_since_fails(const char *value, int64_t mtime);

/* ---- ts_options.c: misbehaviours requested in the query string ---------- */

typedef struct ts_options {
    uint64_t rate;        /* rate=N: body at about N bytes/s; TS_NONE = full speed */
    unsigned status;      /* status=N: answer N with a short text body; 0 = normal */
    int norange;          /* norange=1: ignore Range, answer 200 with everything */
    int64_t lm;           /* lm=T: Last-Modified as Unix time (gen only; default 1700000000) */
    int lm_set;
    uint64_t drop;        /* drop=N: close the connection after N body bytes */
    uint64_t stall;       /* stall=N: after N body bytes send nothing more, keep the connection */
    unsigned redirect;    /* redirect=3xx: answer that status with Location: <to> */
    const char *to;       /* to=URL-or-path for redirect= (default: same path, no query;
                             "self": the same target, query included, i.e. a loop) */
    uint64_t retry_after; /* retry_after=S: add "Retry-After: S" (with status=503 etc.) */
    int nolength;         /* nolength=1: no Content-Length (chunked, or close for HTTP/1.0) */
    int http10;           /* http10=1: answer as an HTTP/1.0 server (no keep-alive, no chunks) */
    uint64_t change;      /* change=N: after N body bytes served for this target (all requests
                             together) the resource changes: new content, lm + 86400 */
    uint64_t newsize;     /* newsize=M: with change=, the changed /gen/ resource has M bytes */
    const char *badcr;    /* badcr=start|total|none: a wrong Content-Range on 206 */
    const char *id;       /* id=X: ignored; makes a target (and its change= state) unique */
    uint64_t getlen;      /* getlen=M: a 200 to GET streams M generated bytes without
                             Content-Length (HEAD still announces the size): a body that
                             disagrees with the HEAD; /gen/ only */
    const char *auth;     /* auth=basic|digest: 401 until the request has user/pass */
    const char *user;     /* user=NAME for auth= (default "user") */
    const char *pass;     /* pass=WORD for auth= (default "pass") */
} ts_options;

/* Fills *o from the connection's query arguments.  Unknown names or bad
 * values: returns -1 with a message in err (so a typo never silently tests
 * nothing).  String values point into MHD's per-request memory. */
int ts_options_parse(struct MHD_Connection *c, ts_options *o, char *err, size_t errlen);

/* ---- ts_state.c: per-target state across requests (change=) ------------ */

typedef struct ts_target_state ts_target_state;

/* The state of target (created on first use; lives until exit).  NULL on
 * out-of-memory.  Any thread. */
ts_target_state *ts_state_get(const char *target);

/* Body bytes served so far for the target. */
uint64_t ts_state_served(ts_target_state *st);

/* Adds n served bytes; returns the count before (atomically with the add). */
uint64_t ts_state_add(ts_target_state *st, uint64_t n);

/* Frees all state (at exit, so leak checkers stay quiet). */
void ts_state_free_all(void);

/* ---- ts_body.c: streaming a body ---------------------------------------- */

/* What to send: bytes [base, base+len) of a generated resource (fd < 0) or
 * of the open file fd (a libuv uv_file; owned, closed when the response is
 * freed). */
typedef struct ts_body_spec {
    uint64_t base;
    uint64_t len;
    int fd;
    int changed;               /* 1: serve the changed content from the start */
    ts_target_state *state;    /* with change=: counts served bytes; NULL otherwise */
    uint64_t change;           /* the change= threshold (with state) */
} ts_body_spec;

/* The changed content of a resource: every byte inverted.  Different at every
 * offset, so a client that mixes old and new bytes is always caught. */
#define TS_CHANGED_XOR 0xFF

/* Creates the MHD response streaming the body, with the options' rate, drop,
 * stall and nolength applied.  sock is the client socket, or
 * MHD_INVALID_SOCKET (for noticing a disconnect while throttled or
 * stalled).  NULL on out-of-memory (fd is closed then too). */
struct MHD_Response *ts_body_response(const ts_body_spec *spec, const ts_options *o,
                                      MHD_socket sock);

/* Closes a file of a ts_body_spec / ts_resource (fd >= 0: a uv_file). */
void ts_file_close(int fd);

/* ---- ts_respond.c: queueing responses ----------------------------------- */

/* Logs the request with status, queues resp and releases our reference. */
enum MHD_Result ts_respond(struct MHD_Connection *c, ts_request *rq, const char *method,
                           unsigned status, struct MHD_Response *resp);

/* Answers status with a short text/plain body (text + "\n"). */
enum MHD_Result ts_respond_text(struct MHD_Connection *c, ts_request *rq, const char *method,
                                unsigned status, const char *text);

/* ---- ts_serve.c: answering a resource ----------------------------------- */

/* A resource to serve: its size, modification time and where the bytes come
 * from (fd >= 0: a file opened with uv_fs_open, owned and closed by
 * ts_serve; fd < 0: generated). */
typedef struct ts_resource {
    uint64_t size;
    int64_t mtime; /* Unix time for Last-Modified and the ETag */
    int fd;
    int changed;            /* change= already passed: serve the changed content */
    ts_target_state *state; /* change= state, or NULL */
} ts_resource;

/* Answers a GET/HEAD for res: status=/redirect= short-cuts, else 200 or 206
 * per the Range header (416 if unsatisfiable), with Content-Length,
 * Accept-Ranges, Last-Modified and ETag "<size>-<mtime>". */
enum MHD_Result ts_serve(struct MHD_Connection *c, ts_request *rq, const char *method,
                         const char *path, ts_resource *res, const ts_options *o);

/* ---- ts_auth.c: auth=basic|digest ------------------------------------- */

/* 1 when o asks for no authentication or the request carries the right
 * credentials; else 0 with the 401 challenge queued and logged (*answer is
 * what the access handler returns). */
int ts_auth_passes(struct MHD_Connection *c, ts_request *rq, const char *method,
                   const ts_options *o, enum MHD_Result *answer);

/* 32 random bytes for libmicrohttpd's Digest nonces (testserver.c). */
extern unsigned char ts_digest_random[32];

/* ---- ts_routes.c: URL space --------------------------------------------- */

/* Routes GET/HEAD path (decoded, without query) to /gen/ or /files/. */
enum MHD_Result ts_route(struct MHD_Connection *c, ts_request *rq, const char *method,
                         const char *path);

#endif /* BGCOPY_TESTSERVER_H */
