/*
 * bgt_internal.h - the structures shared by the transport's source files.
 * Not installed, not for core/: core sees only bgt.h.
 *
 * Ownership and lifetime, in one place:
 *  - A bgt_engine owns its CURLM, one uv_timer_t for curl's timeouts and one
 *    uv_poll_t per socket curl asked us to watch (bgt_sock, found by its
 *    socket in engine->socks, so we never need curl_multi_assign inside
 *    curl's socket callback).  It is freed from the last of those handles' close callbacks.
 *  - A bgt_transfer owns a copy of its request, a CURL easy handle (remote
 *    sources) or a source fd (local sources), a 1 MiB write buffer, a
 *    uv_timer_t that bounds how long bytes wait in that buffer, and a uv_idle_t
 *    that drives local copies.  It is freed from the close callbacks of its uv
 *    handles; from the moment it is unlinked from the engine it is invisible
 *    to everything else.
 *
 * The one rule that shapes the code: libcurl must never be re-entered from
 * its own callbacks (curl_multi_* inside a write/header/socket/timer
 * callback).  So curl callbacks only record facts (headers, a rejection, a
 * pending progress report); everything that may call curl or user code runs
 * after curl_multi_socket_action has returned, in bgt_engine_leave.
 */
#ifndef BGT_INTERNAL_H
#define BGT_INTERNAL_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

#include "bgt.h"

/* Intrusive circular doubly-linked list; an empty list points to itself. */
typedef struct bgt_link {
    struct bgt_link *prev, *next;
} bgt_link;

void bgt_list_init(bgt_link *head);
int bgt_list_empty(const bgt_link *head);
void bgt_list_push_back(bgt_link *head, bgt_link *node);
/* Unlinks node if it is linked (safe to call twice). */
void bgt_list_remove(bgt_link *node);
#define BGT_CONTAINER(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Size of the write buffer; bytes reach the file in blocks of this size
 * (DESIGN.md section 6: 1 MiB pwrites halve CPU against curl's 16 KiB). */
#define BGT_WRITE_BUFFER_SIZE (1024u * 1024u)
/* Receive buffer asked of libcurl (CURLOPT_BUFFERSIZE), the largest it takes. */
#define BGT_CURL_BUFFER_SIZE (512L * 1024L)
/* Longest time bytes may sit in the write buffer before they are written. */
#define BGT_FLUSH_DELAY_MS 100
/* Defaults for requests that leave them 0. */
#define BGT_DEFAULT_STALL_S 60L
#define BGT_CONNECT_TIMEOUT_S 60L
#define BGT_MAX_REDIRECTS 20L

typedef enum bgt_kind {
    BGT_KIND_HTTP = 0, /* http:// or https://, through libcurl */
    BGT_KIND_LOCAL = 1 /* absolute path or file:// URL, read on the loop thread */
} bgt_kind;

typedef struct bgt_sock {
    uv_poll_t poll;
    struct bgt_engine *engine;
    curl_socket_t fd;
} bgt_sock;

struct bgt_engine {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer;         /* curl's timeout (CURLMOPT_TIMERFUNCTION) */
    bgt_sock **socks;         /* the sockets curl asked us to watch, socks_len of them, found
                                 by linear search: an engine has a few, and on Windows a
                                 SOCKET is a handle value, not a small index */
    size_t socks_len, socks_cap;
    bgt_link transfers;       /* every live transfer (bgt_transfer.all) */
    bgt_link progress_queue;  /* transfers with a progress report to deliver */
    int dispatch_depth;       /* >0 while inside one of our uv callbacks */
    int closing;              /* bgt_engine_close was called */
    int finished;             /* curl_multi_cleanup done, handles closing */
    int open_handles;         /* uv handles not yet through their close callback */
};

struct bgt_transfer {
    bgt_engine *engine;
    bgt_link all;             /* in engine->transfers while live */
    bgt_link progress_link;   /* in engine->progress_queue while a report waits */
    bgt_kind kind;

    /* The request, with owned copies of its strings. */
    bgt_request req;
    char *url;
    char *if_range;
    char *ca_file;
    char *proxy;
    char *proxy_bypass;
    char *proxy_list, *proxy_bypass_list; /* BITS syntax (bgt_proxy_pick) */
    char *picked_proxy;       /* bgt_proxy_pick's answer for proxy_list, or NULL */
    char *user, *password;    /* server_auth's copies; the password is wiped before free */
    char *proxy_user, *proxy_password;
    char *http_method;
    char *client_cert, *client_key;
    struct curl_slist *headers;
    char msgbuf[256];         /* on_done's message when it is formatted */

    /* What the server said (headers of the latest response). */
    bgt_response resp;
    char *location;           /* raw Location of the latest response, or NULL */
    char *redirect_url;       /* resolved Location of a final 3xx (curl_free), or NULL */
    int headers_final;        /* the latest response is the one whose body we get */
    int validated;            /* that response passed bgt_check_response */
    uint64_t expected_len;    /* body bytes the response must deliver, or BGT_UNKNOWN */
    uint64_t received;        /* body bytes accepted (buffered or on disk) */
    int auth_challenge;       /* the latest response is a 401/407 that libcurl may answer with
                                 credentials: its body is read and dropped, never written */
    long auth_retries;        /* responses that were libcurl's answer to such a challenge */
    char *raw;                /* the latest response's raw header block (bgt_response.raw_headers),
                                 raw_len bytes + NUL, at most BGT_RAW_HEADERS_MAX */
    size_t raw_len, raw_cap;
    int raw_truncated;

    /* A rejection decided inside a curl callback, reported at completion. */
    bgt_status reject;
    const char *reject_why;
    int reject_errno;         /* a negated libuv error code, like bgt_done_cb's sys_errno */

    /* libcurl state (BGT_KIND_HTTP). */
    CURL *easy;
    int in_multi;
    char errbuf[CURL_ERROR_SIZE];

    /* Write path: bytes collected here reach req.fd at file_offset+written. */
    unsigned char *buf;
    size_t buf_len;
    uint64_t buf_since_ms;    /* uv_now when the oldest buffered byte arrived */
    uint64_t written;         /* bytes of this transfer on disk, contiguous */
    uint64_t progress_reported;
    uv_timer_t flush_timer;

    /* Local sources (BGT_KIND_LOCAL). */
    uv_idle_t idle;
    int idle_inited;
    char *local_path;
    uv_file src_fd;           /* the open source file, -1 when none */
    uint64_t src_pos, src_end;
    bgt_status pending_status; /* an error found in bgt_start, delivered from the idle callback */
    const char *pending_why;

    int open_handles;         /* uv handles of this transfer not yet closed */
};

/* bgt_engine.c: every uv callback that may run user code or curl brackets
 * itself with enter/leave; leave delivers queued progress reports at the
 * outermost level and completes a bgt_engine_close requested meanwhile. */
void bgt_engine_enter(bgt_engine *e);
void bgt_engine_leave(bgt_engine *e);
/* Queues an on_progress report for t (delivered by bgt_engine_leave). */
void bgt_engine_queue_progress(bgt_transfer *t);

/* bgt_transfer.c: shared lifecycle. */
/* Ends t: unlinks it, flushes its buffer (a flush error turns BGT_OK into
 * BGT_ERR_LOCAL_WRITE), removes the easy handle from the multi, delivers a
 * last progress report, fills resp.resource_size, calls on_done (unless the
 * engine is closing), then frees t.  Never call from inside a curl callback. */
void bgt_transfer_finish(bgt_transfer *t, bgt_status status, int curl_code, int sys_errno,
                         const char *message);
/* Releases t's resources and closes its uv handles (memory freed later). */
void bgt_transfer_destroy(bgt_transfer *t);
/* Frees t's copies of the request's strings (passwords wiped first) and
 * sets them to NULL; idempotent. */
void bgt_transfer_free_strings(bgt_transfer *t);
/* Detaches t from the engine's lists (idempotent). */
void bgt_transfer_unlink(bgt_transfer *t);

/* bgt_writer.c: the buffered write path. */
/* Copies n bytes into t's buffer, writing it out whenever it fills or has
 * waited BGT_FLUSH_DELAY_MS.  Returns 0 or a negated libuv error code
 * (-UV_ENOMEM, or the write's).  Safe inside curl callbacks (never calls
 * curl or user code). */
int bgt_writer_append(bgt_transfer *t, const void *data, size_t n);
/* Writes the buffered bytes at req.file_offset + written (one positioned
 * write, pwrite on POSIX, per block), handling short writes, and queues a
 * progress report.  Returns 0 or a negated libuv error code; on error
 * t->written counts what did reach the file and the rest is dropped. */
int bgt_writer_flush(bgt_transfer *t);
/* Makes sure a buffer of BGT_WRITE_BUFFER_SIZE exists; 0 or -UV_ENOMEM. */
int bgt_writer_reserve(bgt_transfer *t);

/* bgt_http.c: remote sources. */
/* Creates and configures t->easy and adds it to the multi.  Returns 0 or a
 * negative libuv error code. */
int bgt_http_start(bgt_transfer *t);
/* Completion from CURLMSG_DONE (outside curl callbacks). */
void bgt_http_done(bgt_transfer *t, CURLcode result);

/* bgt_local.c: local sources. */
/* Starts a local copy or HEAD of t->local_path (set by bgt_start through
 * bgt_url_parse) on the loop's idle phase; also delivers an error decided
 * at start (t->pending_status).  Returns 0 or a negative libuv
 * error code. */
int bgt_local_start(bgt_transfer *t);

/* bgt_url.c: the one place a server's Location becomes a URL.  Resolves
 * location (a Location header's value, untrusted) against base (the URL
 * that answered it).  Returns the absolute URL, curl_free() it, only when
 * it is an http:// or https:// URL that bgt_url_parse accepts as
 * BGT_URL_HTTP; NULL when it does not resolve, names any other scheme
 * (file:, ftp:, ...) or is out of memory.  Core may turn this URL into a
 * remote name, and a remote name may name a local file, so nothing else
 * may ever come out of here.  Pure (no I/O), thread-safe. */
char *bgt_url_resolve_redirect(const char *base, const char *location);

/* bgt_status.c */
/* Maps a libcurl result to a transport status (BGT_ERR_OTHER if unknown). */
bgt_status bgt_status_from_curl(CURLcode code);

#endif /* BGT_INTERNAL_H */
