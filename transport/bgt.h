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
    BGT_ERR_SIZE_MISMATCH,      /* body ended before / ran past the expected length; for a local
                                   source also a range that ends past the end of the file */
    BGT_ERR_RESOLVE,            /* host name could not be resolved */
    BGT_ERR_CONNECT,            /* TCP/TLS connection could not be made */
    BGT_ERR_TIMEOUT,            /* no data for the stall timeout */
    BGT_ERR_CONNECTION_CLOSED,  /* connection dropped mid-body */
    BGT_ERR_TLS,                /* certificate or TLS failure */
    BGT_ERR_LOCAL_WRITE,        /* writing the destination file failed (cause in sys_errno) */
    BGT_ERR_SOURCE_NOT_FOUND,   /* local/file:// source missing */
    BGT_ERR_SOURCE_ACCESS,      /* local/file:// source not readable (also a directory) */
    BGT_ERR_SOURCE_NOT_FILE,    /* local/file:// source is a FIFO, socket or device, or was
                                   replaced by another file while being opened; never read */
    BGT_ERR_BAD_URL,            /* malformed URL or unsupported scheme (of the request's own URL) */
    BGT_ERR_REDIRECT,           /* a redirect was refused because of its target: a Location that
                                   does not resolve to an http or https URL (file:, ftp:, garbage);
                                   not followed, nothing written, redirect_url stays "" */
    BGT_ERR_BAD_RESPONSE,       /* the server broke HTTP itself: an HTTP/0.9 reply or an unknown
                                   HTTP version, a malformed Content-Length, two different
                                   Content-Length values, a header line longer than libcurl
                                   accepts (100 KB); nothing of that response is written */
    BGT_ERR_PROXY_INFO,         /* proxy_list or proxy_bypass_list is not valid BITS proxy syntax
                                   (bgt_proxy_pick); no connection was made */
    BGT_ERR_CERT_REJECTED,      /* on_server_cert rejected the server's certificate chain; the
                                   request was never sent, nothing written; resp.cert_verdict
                                   holds the hook's value */
    BGT_ERR_OTHER               /* anything else (curl_code says what) */
} bgt_status;

typedef enum bgt_method { BGT_GET = 0, BGT_HEAD = 1 } bgt_method;

/* Certificate checks a request may relax (bgt_request.tls_flags).  The
 * values are BITS's BG_SSL_* flags (IBackgroundCopyJobHttpOptions::
 * SetSecurityFlags) so core can pass them through.  OpenSSL through libcurl
 * can relax only two checks: the host name (CN/SAN) check and the whole
 * chain check.  The others are accepted and ignored, which is stricter
 * than BITS (the certificate is still fully verified), never looser. */
#define BGT_TLS_ENABLE_CRL_CHECK      0x0001u /* ignored: no CRL source configured */
#define BGT_TLS_IGNORE_CN_INVALID     0x0002u /* CURLOPT_SSL_VERIFYHOST = 0 */
#define BGT_TLS_IGNORE_DATE_INVALID   0x0004u /* ignored (still verified) */
#define BGT_TLS_IGNORE_UNKNOWN_CA     0x0008u /* CURLOPT_SSL_VERIFYPEER = 0 */
#define BGT_TLS_IGNORE_WRONG_USAGE    0x0010u /* ignored (still verified) */

/* Authentication schemes (bgt_auth.schemes): bit 1 << n for BITS's
 * BG_AUTH_SCHEME value n (IBackgroundCopyJob2::SetCredentials), so core
 * can pass a job's schemes through.  See docs/http.md, "Credentials". */
#define BGT_AUTH_BASIC      (1u << 1) /* CURLAUTH_BASIC */
#define BGT_AUTH_DIGEST     (1u << 2) /* CURLAUTH_DIGEST */
#define BGT_AUTH_NTLM       (1u << 3) /* CURLAUTH_NTLM */
#define BGT_AUTH_NEGOTIATE  (1u << 4) /* CURLAUTH_NEGOTIATE (SPNEGO through GSS-API or SSPI) */
#define BGT_AUTH_PASSPORT   (1u << 5) /* accepted, never answered: no HTTP client implements
                                         Microsoft's retired Passport 1.4 scheme, so the 401
                                         stands (BGT_ERR_HTTP_STATUS) */

/* One set of credentials for a server or a proxy.  Credentials are sent
 * only after the server (or proxy) asked for them with a 401 (407) naming
 * one of |schemes|, as BITS does; never to another host or port after a
 * redirect (curl's CURLOPT_UNRESTRICTED_AUTH stays off), and never through
 * a URL, a log or a message. */
typedef struct bgt_auth {
    unsigned schemes;           /* BGT_AUTH_* bits that may answer a challenge; 0 = none */
    const char *username;       /* UTF-8; NULL (with password NULL) = NTLM / Negotiate with the
                                   identity of the process (Kerberos ticket cache, or the Windows
                                   logon through SSPI); BASIC and DIGEST need both */
    const char *password;       /* UTF-8, or NULL with username NULL */
} bgt_auth;

/* Most bytes of one response's raw header block kept (bgt_response.
 * raw_headers); the rest is dropped at a line boundary. */
#define BGT_RAW_HEADERS_MAX (64u * 1024u)

/* What the server (or the local file system) said.  Strings are
 * NUL-terminated and empty when absent; valid only during the callback.
 * Local sources answer as a server would: content_length is the number of
 * bytes sent, a ranged copy sets the Content-Range fields, accept_ranges is
 * 1 and last_modified is the modification time formatted as an HTTP date. */
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
    const char *effective_url;  /* URL after redirects (never NULL in callbacks); for HTTP
                                   sources always http:// or https:// (only those are followed) */
    long redirect_count;        /* redirects followed */
    const char *redirect_url;   /* absolute target of a final 3xx's Location (the redirect that was
                                   not followed: follow_redirects == 0, a refused https->http
                                   downgrade, or too many redirects); "" otherwise.  Always an
                                   http:// or https:// URL or "": a Location naming another scheme
                                   (file:, ftp:, ...) or one that does not resolve is never
                                   reported, so a server cannot make it name a local file.
                                   BITS's DISALLOW policy rewrites the remote name to this. */
    const char *raw_headers;    /* the final response's status line and header lines exactly as
                                   received (untrusted bytes; HTTP/2 and 3 as libcurl renders
                                   them: "HTTP/2 200 \r\nname: value\r\n"), each ending in
                                   CR LF, then the blank CR LF line; at most BGT_RAW_HEADERS_MAX
                                   bytes, whole lines only; "" for local sources and when no
                                   response arrived.  IBackgroundCopyFile5's
                                   BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS. */
    int raw_headers_truncated;  /* 1 if lines were dropped to stay within BGT_RAW_HEADERS_MAX */
    long cert_verdict;          /* BGT_ERR_CERT_REJECTED: the non-zero value on_server_cert
                                   returned (core passes BITS's HRESULT through); else 0 */
} bgt_response;

/* Progress: bytes_written is the count of this transfer's bytes now on
 * disk (never decreases).  Runs on the loop thread, outside libcurl, so it
 * may call bgt_start, bgt_abort (of other transfers) and bgt_engine_close. */
typedef void (*bgt_progress_cb)(bgt_transfer *t, uint64_t bytes_written, void *user);
/* Completion, called exactly once per transfer that was not aborted.
 *   status: the outcome; resp: what the server / file system said (valid
 *   only during the call); bytes_written: bytes of this transfer on disk,
 *   contiguous from file_offset (also on failure: a dropped connection keeps
 *   the bytes that arrived); curl_code: libcurl's CURLcode (0 for local
 *   sources and for rejections decided before curl failed); sys_errno: for
 *   BGT_ERR_LOCAL_WRITE and local-source errors the libuv error code negated
 *   (a positive number: -UV_ENOSPC, ...; equal to errno on POSIX, where
 *   libuv's codes are -errno), else 0; message: one
 *   English sentence ("" on success), curl's error text where curl failed.
 * t is freed when this returns.  May call bgt_start, bgt_abort of other
 * transfers and bgt_engine_close. */
typedef void (*bgt_done_cb)(bgt_transfer *t, bgt_status status, const bgt_response *resp,
                            uint64_t bytes_written, int curl_code, int sys_errno,
                            const char *message, void *user);
/* Server-certificate check (IBackgroundCopyJobHttpOptions3::
 * SetServerCertificateValidationInterface): called for every https
 * connection of the transfer (the first and each redirect hop) after
 * libcurl's own verification (ca_file, tls_flags) passed and the TLS
 * handshake finished, before the request is sent.
 *   pem_chain: count certificates, PEM text ("-----BEGIN CERTIFICATE-----
 *     ..."), the server's own first, then the chain it sent; valid only
 *     during the call.  host, port: the server connected to (the URL's
 *     host, not a proxy's).
 * Returns 0 to accept; any other value rejects: the transfer ends with
 * BGT_ERR_CERT_REJECTED and resp.cert_verdict = that value, no request is
 * sent and nothing is written.  Runs on the loop thread inside libcurl:
 * it must not call any bgt_* function and should not block (core answers
 * from a cache of accepted certificates).  Every connection with such a
 * hook is new (no connection or TLS session reuse), so the hook sees the
 * chain of every connection. */
typedef long (*bgt_server_cert_cb)(bgt_transfer *t, const char *const *pem_chain, size_t count,
                                   const char *host, long port, void *user);

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
    unsigned tls_flags;         /* BGT_TLS_* bits (same values as BITS's BG_SSL_* flags) */
    const char *ca_file;        /* optional PEM file of CA certificates to trust instead of the
                                   system store (private CAs, tests); NULL = system store */
    const char *proxy;          /* NULL: libcurl's default, i.e. the http_proxy / https_proxy /
                                   no_proxy environment (BITS's PRECONFIG on Linux); "": no proxy
                                   at all (BG_PROXY_USAGE_NO_PROXY); else one proxy URL such as
                                   "http://proxy:3128" (BG_PROXY_USAGE_OVERRIDE, one entry) */
    const char *proxy_bypass;   /* with a proxy URL: comma-separated host names that go direct
                                   (curl's NOPROXY syntax, "*" = all); NULL = none */
    const char *proxy_list;     /* NULL, or BITS's OVERRIDE proxy list (SetProxySettings syntax,
                                   bgt_proxy_pick): then it and proxy_bypass_list decide the
                                   route of this request and proxy / proxy_bypass are ignored;
                                   an invalid list ends the transfer with BGT_ERR_PROXY_INFO */
    const char *proxy_bypass_list; /* with proxy_list: BITS's bypass list, or NULL */
    bgt_auth server_auth;       /* credentials for the server (schemes 0 = none) */
    bgt_auth proxy_auth;        /* credentials for the proxy (schemes 0 = none) */
    const char *http_method;    /* GET only: NULL, or the verb to send instead of GET
                                   (IBackgroundCopyJobHttpOptions2::SetHttpMethod); an RFC 9110
                                   token of at most 64 bytes, else bgt_start fails */
    const char *client_cert;    /* NULL, or a PEM file with the client certificate (and its key
                                   when client_key is NULL) sent when the server asks for one */
    const char *client_key;     /* NULL, or the PEM file of client_cert's private key */
    bgt_server_cert_cb on_server_cert; /* optional: see bgt_server_cert_cb */
    bgt_progress_cb on_progress;/* optional: called after data reached the file (at most every ~100 ms
                                   or 1 MiB buffered); bytes_written counts bytes of this transfer */
    bgt_done_cb on_done;        /* required: called exactly once unless the transfer was aborted */
    void *user;
    uint64_t expect_total;      /* HTTP GETs: the size of the resource the caller pinned.  Ranged:
                                   a 206 whose Content-Range gives another complete length (not
                                   "*") is BGT_ERR_RANGE_MISMATCH and nothing is written.  Plain
                                   (not ranged): a 200 whose Content-Length differs is
                                   BGT_ERR_SIZE_MISMATCH with nothing written, and a body without
                                   Content-Length (chunked, close-delimited) is cut at this many
                                   bytes: one byte more is BGT_ERR_SIZE_MISMATCH (the bytes past it
                                   are never written), fewer at a clean end of the body too.
                                   0 = no check (dynamic content; an empty resource is never
                                   fetched). */
} bgt_request;

/* Creates an engine on |loop| (which the caller runs and keeps alive until
 * the engine's handles are closed, see bgt_engine_close).
 *   out: receives the engine (NULL on failure).
 * Calls curl_global_init once per process (uv_once), so it may be called
 * from several threads for several loops; each engine then belongs to its
 * loop's thread.
 * Returns 0, UV_EINVAL (NULL argument), UV_EIO (curl_global_init failed),
 * UV_ENOMEM, or another negative libuv code from uv_timer_init. */
int bgt_engine_init(bgt_engine **out, uv_loop_t *loop);

/* Aborts all transfers (without their done callbacks, like bgt_abort: their
 * buffered bytes are written first) and starts closing the engine's uv
 * handles; memory is freed from the close callbacks, so the caller must run
 * the loop afterwards until it has no more active handles.  The engine
 * pointer is invalid once this returns.  May be called from inside on_done
 * and on_progress (the close completes when that callback returns).  NULL
 * is ignored; closing twice is not allowed. */
void bgt_engine_close(bgt_engine *e);

/* Starts a transfer (the HTTP GET/HEAD, or the local copy/stat) on the next
 * turns of the loop; nothing is reported from inside this call.
 *   req: copied, strings included (url, if_range, extra_headers, ca_file,
 *        proxy, proxy_bypass, proxy_list, proxy_bypass_list, the
 *        credentials, http_method, client_cert, client_key), so it may be
 *        freed once this returns.  The copies of passwords are wiped before
 *        they are freed.
 *        req->fd stays the caller's.
 *   out: receives the handle, valid until on_done returns or bgt_abort.
 * Every failure that depends on the source (bad URL or scheme, missing file,
 * server errors) is reported through on_done, never here.
 * Returns 0; UV_EINVAL (NULL e/req/out/url/on_done, unknown method, a closing
 * engine, a ranged GET with range_length 0 or a range past 2^64, an
 * http_method that is not a token, a password without a user name or the
 * reverse); UV_EBADF
 * (GET with fd < 0); UV_ENOMEM; or another negative libuv code. */
int bgt_start(bgt_engine *e, const bgt_request *req, bgt_transfer **out);

/* Stops a transfer now: buffered bytes are written to the file first, the
 * handle is freed and on_done is never called.  Returns the bytes of this
 * transfer that are on disk (contiguous from file_offset).  May be called
 * from inside another transfer's callbacks, not from inside this transfer's
 * own (return from them instead and abort later).  NULL returns 0.
 * Mirrors nothing in BITS by itself: core uses it for Suspend and Cancel. */
uint64_t bgt_abort(bgt_transfer *t);

/* Human text of a status, for logs ("BGT_ERR_RANGE_IGNORED").  Never NULL;
 * unknown values give "BGT_ERR_(unknown)".  Thread-safe. */
const char *bgt_status_name(bgt_status s);

/* ---- remote names (bgt_url.c), shared with core/ ---- */

/* What kind of source a remote name is (bgt_url_parse's positive results). */
typedef enum bgt_url_kind {
    BGT_URL_HTTP = 1,           /* an http:// or https:// URL */
    BGT_URL_LOCAL = 2           /* a full local path, or a file: URL naming one */
} bgt_url_kind;

/* Validates and classifies a remote name: the one parser of remote names
 * in bgcopy (AddFile, SetRemoteName and ReplaceRemotePrefix check with it,
 * bgt_start dispatches with it).  Pure: no I/O, no state; thread-safe.
 *   name: NUL-terminated UTF-8 (not checked here: core checks UTF-8).
 *   local_path: NULL, or receives for BGT_URL_LOCAL the path to open,
 *     malloc'ed (free() it), else NULL.
 * Rules (docs/http.md, "Remote names"):
 *  - a full local path (bgt_path_is_absolute) is itself, never decoded;
 *  - any other name is parsed by libcurl's URL API (curl_url_set), so
 *    spaces, CR, LF, other control bytes, a bad host or a bad port are
 *    refused; non-ASCII UTF-8 bytes are accepted as curl accepts them;
 *  - http and https (any case) with a host: BGT_URL_HTTP;
 *  - file: "file:/p", "file:///p", "file://localhost/p" and
 *    "file://127.0.0.1/p" all name /p, percent-decoded; refused are a
 *    query or fragment, a '%' not followed by two hex digits, %00, another
 *    host (on Windows: "file://server/share/f" is the UNC name
 *    "//server/share/f"), and a decoded path that is not full (on Windows
 *    "file:///C:/p" names "C:/p" and "file:///p" is refused);
 *  - every other scheme, and relative names, are refused.
 * Returns BGT_URL_HTTP, BGT_URL_LOCAL, UV_EINVAL (refused) or UV_ENOMEM.
 * Mirrors the URL checks of IBackgroundCopyJob::AddFile. */
int bgt_url_parse(const char *name, char **local_path);

/* ---- BITS proxy settings (bgt_proxy.c), shared with core/ ---- */

/* Picks the route of a request to |url| from BITS's OVERRIDE settings
 * (IBackgroundCopyJob::SetProxySettings), as WinHTTP reads them
 * (docs/http.md, "Proxies").  Pure: no I/O, no state; thread-safe.
 *   url: the request's http:// or https:// URL (UTF-8).
 *   proxy_list: entries "[scheme=][scheme://]host[:port]" separated by
 *     spaces, tabs, ';' or ','; scheme is http or https.  The first entry
 *     "<url's scheme>=..." is used, else the first entry without "=";
 *     later ones are never tried.  A proxy without a port gets 80 (http)
 *     or 443 (https), as WinHTTP does (libcurl would use 1080).
 *   bypass_list: NULL, or names separated by the same characters; one
 *     matches the URL's host when equal (ASCII case ignored), when it
 *     starts with '*' and the host ends with the rest ("*.example.com",
 *     "*" = every host), or when it is "<local>" and the host has no '.'
 *     or is a loopback address (127.0.0.0/8, [::1]).
 *   proxy: receives a malloc'ed string (free() it): "" when the request
 *     goes direct (bypassed, or no entry for its scheme), else the proxy
 *     as a URL "http://host:port" or "https://host:port".  NULL on error.
 * Returns 0; UV_EINVAL for an entry that is not a host with an optional
 * port (a path, a user name, another proxy scheme, a "scheme=" other than
 * http/https/ftp/socks), an empty list, or a url curl cannot parse;
 * UV_ENOMEM.  ("ftp=" and "socks=" entries are valid and never used.) */
int bgt_proxy_pick(const char *url, const char *proxy_list, const char *bypass_list,
                   char **proxy);

/* ---- portable helpers shared with core/ (bgt_util.c); all thread-safe ---- */

/* Compares at most n bytes of a and b, ignoring ASCII case only (protocol
 * tokens, URL schemes; not locale-dependent).  Returns <0, 0 or >0 like
 * strncmp.  Both must be NUL-terminated or at least n bytes long. */
int bgt_ascii_ncasecmp(const char *a, const char *b, size_t n);

/* 1 if s begins with prefix, ignoring ASCII case; else 0. */
int bgt_ascii_prefix(const char *s, const char *prefix);

/* 1 if c separates path components: '/' on POSIX; '/' or a backslash on Windows. */
int bgt_path_is_sep(char c);

/* 1 if path (UTF-8) is a full local path: "/..." on POSIX; on Windows a
 * drive letter and a separator ("C:\x", "C:/x") or a UNC name
 * ("\\server\share\x", "//server/share/x").  Drive-relative ("C:x"),
 * root-relative ("\x") and relative names give 0, as BITS rejects them.
 * NULL gives 0. */
int bgt_path_is_absolute(const char *path);

/* The last separator (bgt_path_is_sep) in path, or NULL if it has none. */
const char *bgt_path_last_sep(const char *path);

/* A copy of |url| fit to show or log: when libcurl's URL parser (curl_url,
 * any scheme) finds a non-empty password, it is replaced by "***" and the
 * URL is reassembled by libcurl ("http://user:***@host:port/path?query";
 * libcurl may normalise the rest, e.g. lower-case the scheme and host).
 * Without a password the text comes back unchanged.  Text libcurl cannot
 * parse is returned unchanged unless its authority (after "://", up to the
 * first '/', '\\', '?' or '#') holds an '@': then everything before the
 * last such '@' becomes "***" (the user name goes too), since it may hold a
 * password.  |url|: NUL-terminated UTF-8 (bytes are not checked).  Returns
 * a malloc'ed string the caller frees with free(), or NULL when out of
 * memory.  Unlike the rest of this header it is thread-safe (no state; the
 * URL API needs no curl_global_init). */
char *bgt_url_redact(const char *url);

#ifdef __cplusplus
}
#endif
#endif /* BGT_H */
