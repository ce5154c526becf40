/*
 * bgt.h - bgcopy's transport layer: one URL range into one file at one offset.
 *
 * libcurl's multi-socket API driven by a libuv loop (uv_poll_t per socket,
 * one uv_timer_t for curl's timeouts).  The transport knows nothing of jobs,
 * files lists, states or HRESULTs: it moves bytes and reports what the server
 * said.  core/ maps the results to BITS semantics.
 *
 * Threading: every function here must be called on the thread that runs the
 * uv loop given to bgt_engine_init, and every callback runs on that thread.
 * Nothing here is thread-safe by itself.
 */
#ifndef BGT_H
#define BGT_H

#include <stdint.h>
#include <stddef.h>
#include <uv.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "Not known" for sizes, lengths and offsets (same bit pattern as BITS's
 * BG_SIZE_UNKNOWN and BG_LENGTH_TO_EOF). */
#define BGT_UNKNOWN UINT64_MAX

typedef struct bgt_engine bgt_engine;
typedef struct bgt_transfer bgt_transfer;

/* Outcome of a transfer. */
typedef enum bgt_status {
    BGT_OK = 0,                 /* all requested bytes are on disk (GET) or headers read (HEAD) */
    BGT_ERR_HTTP_STATUS,        /* server answered with a status >= 300 (after redirects); nothing written */
    BGT_ERR_RANGE_IGNORED,      /* ranged GET answered 200 (Range not honoured); nothing written */
    BGT_ERR_RANGE_MISMATCH,     /* 206 without Content-Range, or one that does not match the request */
    BGT_ERR_SIZE_MISMATCH,      /* body ended before / ran past the expected length */
    BGT_ERR_RESOLVE,            /* host name could not be resolved */
    BGT_ERR_CONNECT,            /* TCP/TLS connection could not be made */
    BGT_ERR_TIMEOUT,            /* no data for the stall timeout */
    BGT_ERR_CONNECTION_CLOSED,  /* connection dropped mid-body */
    BGT_ERR_TLS,                /* certificate or TLS failure */
    BGT_ERR_LOCAL_WRITE,        /* writing the destination file failed (errno in sys_errno) */
    BGT_ERR_SOURCE_NOT_FOUND,   /* local/file:// source missing */
    BGT_ERR_SOURCE_ACCESS,      /* local/file:// source not readable */
    BGT_ERR_BAD_URL,            /* malformed URL or unsupported scheme */
    BGT_ERR_OTHER               /* anything else (curl_code says what) */
} bgt_status;

typedef enum bgt_method { BGT_GET = 0, BGT_HEAD = 1 } bgt_method;

/* What the server (or the local file system) said.  Strings are
 * NUL-terminated and empty when absent; valid only during the callback. */
typedef struct bgt_response {
    long http_status;           /* final status; 0 for local/file:// sources */
    int http_version;           /* 10, 11, 20, 30; 0 for local sources */
    uint64_t content_length;    /* Content-Length of the final response, BGT_UNKNOWN if absent */
    int has_content_range;      /* 1 if a Content-Range: bytes a-b/c header was present and parsed */
    uint64_t cr_first, cr_last; /* inclusive byte positions from Content-Range */
    uint64_t cr_total;          /* complete length from Content-Range, BGT_UNKNOWN for "*" */
    uint64_t resource_size;     /* size of the whole resource if known: cr_total, or Content-Length of a
                                   200, or st_size of a local file; else BGT_UNKNOWN */
    int accept_ranges;          /* 1 if "Accept-Ranges: bytes" was seen */
    char etag[256];             /* ETag value as sent (with quotes / W/ prefix) */
    char last_modified[64];     /* Last-Modified value as sent */
    int64_t last_modified_unix; /* parsed Last-Modified (or local mtime), seconds since 1970; -1 unknown */
    const char *effective_url;  /* URL after redirects (never NULL in callbacks) */
    long redirect_count;        /* redirects followed */
} bgt_response;

typedef void (*bgt_progress_cb)(bgt_transfer *t, uint64_t bytes_written, void *user);
typedef void (*bgt_done_cb)(bgt_transfer *t, bgt_status status, const bgt_response *resp,
                            uint64_t bytes_written, int curl_code, int sys_errno,
                            const char *message, void *user);

typedef struct bgt_request {
    const char *url;            /* http://, https://, file:// URL, or an absolute local path (UTF-8) */
    bgt_method method;          /* BGT_GET to fetch, BGT_HEAD to probe size and validators */
    int ranged;                 /* GET only: 1 = send "Range: bytes=range_first-<last>" and require a
                                   206 whose Content-Range starts at range_first (and ends at
                                   range_first+range_length-1 when range_length is known) */
    uint64_t range_first;       /* first byte of the resource wanted (ranged GETs) */
    uint64_t range_length;      /* bytes wanted, or BGT_UNKNOWN for "to the end" */
    const char *if_range;       /* optional validator sent as If-Range (ETag or HTTP date) */
    uv_file fd;                 /* GET: open file to write into (not closed by bgt); HEAD: -1 */
    uint64_t file_offset;       /* byte offset in fd where the first body byte goes */
    long stall_timeout_s;       /* abort with BGT_ERR_TIMEOUT after this many seconds without data;
                                   0 = default (60) */
    int follow_redirects;       /* 1 = follow (max 20); 0 = report a 3xx as BGT_ERR_HTTP_STATUS */
    int allow_https_to_http;    /* 1 = a redirect may go from https to http */
    const char *const *extra_headers; /* NULL-terminated "Name: value" list, or NULL */
    bgt_progress_cb on_progress;/* optional: called after data reached the file (at most every ~100 ms
                                   or 1 MiB buffered); bytes_written counts bytes of this transfer */
    bgt_done_cb on_done;        /* required: called exactly once unless the transfer was aborted */
    void *user;
} bgt_request;

/* Create an engine on |loop| (which the caller runs).  Returns 0 or a
 * negative libuv error code.  Calls curl_global_init once per process. */
int bgt_engine_init(bgt_engine **out, uv_loop_t *loop);

/* Abort all transfers (without their done callbacks) and start closing the
 * engine's uv handles; memory is freed from the close callbacks, so the
 * caller must run the loop afterwards until it has no more active handles. */
void bgt_engine_close(bgt_engine *e);

/* Start a transfer.  The request is copied (strings too).  Returns 0 and
 * stores a handle in *out (valid until on_done returns or bgt_abort), or a
 * negative libuv error code (UV_EINVAL for a NULL url or on_done). */
int bgt_start(bgt_engine *e, const bgt_request *req, bgt_transfer **out);

/* Stop a transfer now: buffered bytes are written to the file first, the
 * handle is freed and on_done is never called.  Returns the bytes of this
 * transfer that are on disk (contiguous from file_offset).  Not to be called
 * from inside this transfer's own callbacks (return from them instead and
 * abort later). */
uint64_t bgt_abort(bgt_transfer *t);

/* Human text of a status, for logs.  Never NULL. */
const char *bgt_status_name(bgt_status s);

#ifdef __cplusplus
}
#endif
#endif /* BGT_H */
