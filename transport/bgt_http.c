/*
 * bgt_http.c - one http:// or https:// transfer through a libcurl easy
 * handle: options, header parsing, the body check, completion.
 *
 * The body check is the heart of it.  A response is judged once its headers
 * are complete (bgt_check_response): a wrong status, a Range the server
 * ignored or a Content-Range that does not match makes the header callback
 * return an error, so curl stops before a single body byte is delivered and
 * nothing from that response can reach the file.  The write callback repeats
 * the check if it ever sees a body first, and refuses bytes past the length
 * the server promised.
 *
 * Everything here that runs inside a curl callback only records facts in the
 * transfer; the verdict is delivered by bgt_http_done after curl returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgt_headers.h"
#include "bgt_internal.h"

/* On Windows, curl.h brought winsock2.h and windows.h (SetHandleInformation). */
#ifndef _WIN32
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#define BGT_USER_AGENT "bgcopy/0.1"

/* Forgets the headers of the previous response (a redirect or a 1xx). */
static void reset_response(bgt_transfer *t)
{
    bgt_response *r = &t->resp;
    if (t->auth_challenge)
        t->auth_retries++; /* libcurl answered the challenge with this new response */
    r->content_length = BGT_UNKNOWN;
    r->has_content_range = 0;
    r->cr_first = r->cr_last = 0;
    r->cr_total = BGT_UNKNOWN;
    r->accept_ranges = 0;
    r->etag[0] = '\0';
    r->last_modified[0] = '\0';
    r->last_modified_unix = -1;
    free(t->location);
    t->location = NULL;
    t->headers_final = 0;
    t->validated = 0;
    t->auth_challenge = 0;
    t->expected_len = BGT_UNKNOWN;
    t->raw_len = 0;
    t->raw_truncated = 0;
    if (t->raw != NULL)
        t->raw[0] = '\0';
}

/* Keeps one header line of the latest response (bgt_response.raw_headers):
 * whole lines only, at most BGT_RAW_HEADERS_MAX bytes in all, since every
 * byte of it is the server's.  Returns 0, or -UV_ENOMEM. */
static int keep_raw_line(bgt_transfer *t, const char *line, size_t len)
{
    if (t->raw_truncated || len > BGT_RAW_HEADERS_MAX - t->raw_len) {
        t->raw_truncated = 1;
        return 0;
    }
    if (t->raw_len + len + 1 > t->raw_cap) {
        size_t cap = t->raw_cap ? t->raw_cap : 1024;
        while (cap < t->raw_len + len + 1)
            cap *= 2;
        char *n = realloc(t->raw, cap);
        if (n == NULL)
            return -UV_ENOMEM;
        t->raw = n;
        t->raw_cap = cap;
    }
    memcpy(t->raw + t->raw_len, line, len);
    t->raw_len += len;
    t->raw[t->raw_len] = '\0';
    return 0;
}

/* The libcurl schemes of a bgt_auth (Passport has none). */
static unsigned long curl_auth_mask(unsigned schemes)
{
    unsigned long m = 0;
    if (schemes & BGT_AUTH_BASIC)
        m |= CURLAUTH_BASIC;
    if (schemes & BGT_AUTH_DIGEST)
        m |= CURLAUTH_DIGEST;
    if (schemes & BGT_AUTH_NTLM)
        m |= CURLAUTH_NTLM;
    if (schemes & BGT_AUTH_NEGOTIATE)
        m |= CURLAUTH_NEGOTIATE;
    return m;
}

static void reject(bgt_transfer *t, bgt_status status, const char *why, int sys_errno)
{
    if (t->reject == BGT_OK) {
        t->reject = status;
        t->reject_why = why;
        t->reject_errno = sys_errno;
    }
}

static void copy_value(char *dst, size_t dst_size, const char *v, size_t n)
{
    if (n >= dst_size)
        n = dst_size - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

/* 1 if the comma-separated Accept-Ranges value lists "bytes". */
static int accepts_bytes(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        size_t start = i;
        while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
            i++;
        if (i - start == 5 && bgt_ascii_ncasecmp(v + start, "bytes", 5) == 0)
            return 1;
    }
    return 0;
}

static int starts_with_nocase(const char *s, const char *prefix)
{
    return bgt_ascii_prefix(s, prefix);
}

/* Whether curl is about to follow this response's Location. */
static int will_follow(const bgt_transfer *t)
{
    long st = t->resp.http_status;
    return t->req.follow_redirects && st >= 300 && st < 400 && st != 304 && t->location != NULL;
}

/* End of one response's headers: decide whether its body may be written. */
static int on_headers_end(bgt_transfer *t)
{
    long st = t->resp.http_status;
    const char *why;
    bgt_status s;
    if (st >= 100 && st < 200)
        return 1; /* interim response; the real one follows */
    if (will_follow(t)) {
        /* Every hop's target is checked here, before curl follows it:
         * curl's own protocol filter cannot tell http->https->http from
         * http->https, and a target that is not http(s) must be refused as
         * a redirect, not reported as a bad URL of the job's own. */
        char *cur = NULL, *target;
        int downgrade;
        curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &cur);
        target = bgt_url_resolve_redirect(cur != NULL ? cur : t->url, t->location);
        if (target == NULL) {
            reject(t, BGT_ERR_REDIRECT,
                   "the server redirected to a target that is not an http or https URL", 0);
            return 0;
        }
        downgrade = !t->req.allow_https_to_http && cur != NULL &&
                    starts_with_nocase(cur, "https:") && starts_with_nocase(target, "http:");
        curl_free(target);
        if (downgrade) {
            reject(t, BGT_ERR_HTTP_STATUS, "refused a redirect from https to http", 0);
            return 0;
        }
        return 1;
    }
    if ((st == 401 && curl_auth_mask(t->req.server_auth.schemes) != 0) ||
        (st == 407 && curl_auth_mask(t->req.proxy_auth.schemes) != 0)) {
        /* libcurl answers the challenge with a new request when it can
         * (a scheme offered that we have credentials for, not yet
         * refused); if it cannot, this response is the final one and
         * bgt_http_done reports its status.  Either way its body is only
         * read and dropped. */
        t->auth_challenge = 1;
        return 1;
    }
    t->headers_final = 1;
    s = bgt_check_response(&t->req, &t->resp, &t->expected_len, &why);
    if (t->req.method == BGT_HEAD)
        return 1; /* no body to protect; bgt_http_done reports the status */
    if (s != BGT_OK) {
        reject(t, s, why, 0);
        return 0;
    }
    t->validated = 1;
    return 1;
}

/* CURLOPT_HEADERFUNCTION: one complete header line per call. */
static size_t on_header(char *line, size_t size, size_t nitems, void *userdata)
{
    bgt_transfer *t = userdata;
    size_t len = size * nitems;
    const char *name, *value;
    size_t name_len, value_len;
    long status;
    int version;

    if (bgt_parse_status_line(line, len, &status, &version)) {
        reset_response(t);
        t->resp.http_status = status;
        t->resp.http_version = version;
        if (keep_raw_line(t, line, len) != 0) {
            reject(t, BGT_ERR_OTHER, "out of memory", -UV_ENOMEM);
            return 0;
        }
        return len;
    }
    if (t->headers_final && t->received > 0)
        return len; /* trailers of a chunked body: nothing we use */
    if (keep_raw_line(t, line, len) != 0) {
        reject(t, BGT_ERR_OTHER, "out of memory", -UV_ENOMEM);
        return 0;
    }
    if ((len == 2 && line[0] == '\r' && line[1] == '\n') || (len == 1 && line[0] == '\n'))
        return on_headers_end(t) ? len : 0;
    if (!bgt_header_split(line, len, &name, &name_len, &value, &value_len))
        return len;

    if (bgt_header_is(name, name_len, "content-length")) {
        /* RFC 9112 section 6.3: a length that does not parse, or two that
         * differ, leave the message framing unknowable; stop before any
         * body byte rather than guess where the body ends. */
        uint64_t v;
        if (!bgt_parse_content_length(value, value_len, &v)) {
            reject(t, BGT_ERR_BAD_RESPONSE, "the server sent a malformed Content-Length", 0);
            return 0;
        }
        if (t->resp.content_length != BGT_UNKNOWN && t->resp.content_length != v) {
            reject(t, BGT_ERR_BAD_RESPONSE, "the server sent two different Content-Length values",
                   0);
            return 0;
        }
        t->resp.content_length = v;
    } else if (bgt_header_is(name, name_len, "content-range")) {
        uint64_t a, b, c;
        if (bgt_parse_content_range(value, value_len, &a, &b, &c) == BGT_CR_RANGE) {
            t->resp.has_content_range = 1;
            t->resp.cr_first = a;
            t->resp.cr_last = b;
            t->resp.cr_total = c;
        }
    } else if (bgt_header_is(name, name_len, "accept-ranges")) {
        t->resp.accept_ranges = accepts_bytes(value, value_len);
    } else if (bgt_header_is(name, name_len, "etag")) {
        copy_value(t->resp.etag, sizeof t->resp.etag, value, value_len);
    } else if (bgt_header_is(name, name_len, "last-modified")) {
        copy_value(t->resp.last_modified, sizeof t->resp.last_modified, value, value_len);
        t->resp.last_modified_unix = bgt_parse_http_date(t->resp.last_modified);
    } else if (bgt_header_is(name, name_len, "location")) {
        char *loc = malloc(value_len + 1);
        if (loc == NULL) {
            reject(t, BGT_ERR_OTHER, "out of memory", -UV_ENOMEM);
            return 0;
        }
        memcpy(loc, value, value_len);
        loc[value_len] = '\0';
        free(t->location);
        t->location = loc;
    }
    return len;
}

/* CURLOPT_WRITEFUNCTION: body bytes of the final response. */
static size_t on_write(char *data, size_t size, size_t nmemb, void *userdata)
{
    bgt_transfer *t = userdata;
    size_t len = size * nmemb;
    int err;
    if (t->reject != BGT_OK)
        return CURL_WRITEFUNC_ERROR;
    if (t->auth_challenge)
        return len; /* the body of a 401/407 libcurl may answer: never the file's */
    if (!t->validated) {
        /* Headers always end before a body, so this is a safety net. */
        const char *why;
        bgt_status s = bgt_check_response(&t->req, &t->resp, &t->expected_len, &why);
        if (s != BGT_OK) {
            reject(t, s, why, 0);
            return CURL_WRITEFUNC_ERROR;
        }
        t->validated = 1;
    }
    if (t->expected_len != BGT_UNKNOWN && len > t->expected_len - t->received) {
        reject(t, BGT_ERR_SIZE_MISMATCH, "the server sent more bytes than it announced", 0);
        return CURL_WRITEFUNC_ERROR;
    }
    err = bgt_writer_append(t, data, len);
    if (err != 0) {
        reject(t, BGT_ERR_LOCAL_WRITE, "writing the destination file failed", err);
        return CURL_WRITEFUNC_ERROR;
    }
    t->received += len;
    return len;
}

/* libcurl (7.88 at least) creates its sockets without close-on-exec, so any
 * program this process starts (a notification command line, or whatever
 * the embedding application runs) would inherit open connections to
 * servers.  Sockets are opened here as curl would, but not inheritable
 * (docs/security.md). */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    (void)clientp;
    (void)purpose;
#ifdef _WIN32
    curl_socket_t s = socket(a->family, a->socktype, a->protocol);
    if (s != CURL_SOCKET_BAD)
        (void)SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
    return s;
#elif defined(SOCK_CLOEXEC)
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
#else
    curl_socket_t s = socket(a->family, a->socktype, a->protocol);
    if (s != CURL_SOCKET_BAD && fcntl(s, F_SETFD, FD_CLOEXEC) != 0) {
        close(s);
        return CURL_SOCKET_BAD;
    }
    return s;
#endif
}

#if LIBCURL_VERSION_NUM >= 0x075000
/* CURLOPT_PREREQFUNCTION: the connection (and its TLS handshake, with
 * libcurl's own verification) is up and the request not yet sent: the
 * moment BITS asks IBackgroundCopyServerCertificateValidationCallback.
 * CURLINFO_CERTINFO holds this connection's chain because every transfer
 * with a hook gets a fresh connection and no TLS session reuse
 * (bgt_http_start).  No chain on an https connection fails closed. */
static int on_prereq(void *clientp, char *conn_primary_ip, char *conn_local_ip,
                     int conn_primary_port, int conn_local_port)
{
    bgt_transfer *t = clientp;
    char *eff = NULL, *host = NULL, *port = NULL;
    struct curl_certinfo *ci = NULL;
    const char **pems = NULL;
    size_t count = 0;
    long verdict;
    CURLU *u;
    int ok = 0;
    (void)conn_primary_ip;
    (void)conn_local_ip;
    (void)conn_primary_port;
    (void)conn_local_port;

    if (curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &eff) != CURLE_OK || eff == NULL)
        eff = t->url;
    if (!starts_with_nocase(eff, "https:"))
        return CURL_PREREQFUNC_OK; /* no certificate to judge */
    u = curl_url();
    if (u == NULL || curl_url_set(u, CURLUPART_URL, eff, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
        goto fail;
    if (curl_easy_getinfo(t->easy, CURLINFO_CERTINFO, &ci) != CURLE_OK || ci == NULL ||
        ci->num_of_certs <= 0)
        goto fail;
    pems = calloc((size_t)ci->num_of_certs, sizeof *pems);
    if (pems == NULL)
        goto fail;
    for (int i = 0; i < ci->num_of_certs; i++)
        for (struct curl_slist *f = ci->certinfo[i]; f != NULL; f = f->next)
            if (strncmp(f->data, "Cert:", 5) == 0) {
                pems[count++] = f->data + 5;
                break;
            }
    if (count != (size_t)ci->num_of_certs)
        goto fail;
    ok = 1;
    verdict = t->req.on_server_cert(t, pems, count, host, strtol(port, NULL, 10), t->req.user);
    if (verdict != 0) {
        t->resp.cert_verdict = verdict;
        reject(t, BGT_ERR_CERT_REJECTED, "the server certificate validation callback rejected the "
                                         "server's certificate", 0);
    }
fail:
    if (!ok)
        reject(t, BGT_ERR_TLS, "the server's certificate chain could not be read", 0);
    free(pems);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return t->reject == BGT_OK ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT;
}
#endif

#define SETOPT(opt, val)                                                                       \
    do {                                                                                       \
        if (curl_easy_setopt(t->easy, opt, val) != CURLE_OK)                                   \
            return UV_EINVAL;                                                                  \
    } while (0)

int bgt_http_start(bgt_transfer *t)
{
    const bgt_request *q = &t->req;
    long stall = q->stall_timeout_s > 0 ? q->stall_timeout_s : BGT_DEFAULT_STALL_S;
    char range[64];

    t->easy = curl_easy_init();
    if (t->easy == NULL)
        return UV_ENOMEM;
    SETOPT(CURLOPT_URL, t->url);
    SETOPT(CURLOPT_PRIVATE, (void *)t);
    SETOPT(CURLOPT_NOSIGNAL, 1L);
    SETOPT(CURLOPT_ERRORBUFFER, t->errbuf);
    SETOPT(CURLOPT_OPENSOCKETFUNCTION, open_socket);
#if LIBCURL_VERSION_NUM >= 0x075500
    SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
    /* An https start may only be redirected to https unless downgrades are
     * allowed; on_headers_end checks every hop as well. */
    SETOPT(CURLOPT_REDIR_PROTOCOLS_STR,
           (starts_with_nocase(t->url, "https:") && !q->allow_https_to_http) ? "https"
                                                                             : "http,https");
#else
    SETOPT(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SETOPT(CURLOPT_REDIR_PROTOCOLS,
           (long)((starts_with_nocase(t->url, "https:") && !q->allow_https_to_http)
                      ? CURLPROTO_HTTPS
                      : (CURLPROTO_HTTP | CURLPROTO_HTTPS)));
#endif
    SETOPT(CURLOPT_FOLLOWLOCATION, q->follow_redirects ? 1L : 0L);
    SETOPT(CURLOPT_MAXREDIRS, BGT_MAX_REDIRECTS);
    SETOPT(CURLOPT_CONNECTTIMEOUT, BGT_CONNECT_TIMEOUT_S);
    /* "Less than 1 byte/s for stall seconds" is curl's way of saying "no
     * data at all for that long" (BITS's no-progress notion per request). */
    SETOPT(CURLOPT_LOW_SPEED_LIMIT, 1L);
    SETOPT(CURLOPT_LOW_SPEED_TIME, stall);
    SETOPT(CURLOPT_BUFFERSIZE, BGT_CURL_BUFFER_SIZE);
    SETOPT(CURLOPT_TCP_KEEPALIVE, 1L);
    SETOPT(CURLOPT_USERAGENT, BGT_USER_AGENT);
    SETOPT(CURLOPT_HEADERFUNCTION, on_header);
    SETOPT(CURLOPT_HEADERDATA, (void *)t);
    SETOPT(CURLOPT_WRITEFUNCTION, on_write);
    SETOPT(CURLOPT_WRITEDATA, (void *)t);
    /* No CURLOPT_ACCEPT_ENCODING: a decoded body would not match the byte
     * offsets of Range and Content-Range. */
    if (q->method == BGT_HEAD) {
        SETOPT(CURLOPT_NOBODY, 1L);
    } else if (q->ranged) {
        if (q->range_length == BGT_UNKNOWN)
            snprintf(range, sizeof range, "%llu-", (unsigned long long)q->range_first);
        else
            snprintf(range, sizeof range, "%llu-%llu", (unsigned long long)q->range_first,
                     (unsigned long long)(q->range_first + q->range_length - 1));
        SETOPT(CURLOPT_RANGE, range);
    }
    if (q->method == BGT_GET && q->ranged && t->if_range != NULL && t->if_range[0] != '\0') {
        size_t n = strlen(t->if_range) + sizeof "If-Range: ";
        char *h = malloc(n);
        struct curl_slist *l;
        if (h == NULL)
            return UV_ENOMEM;
        snprintf(h, n, "If-Range: %s", t->if_range);
        l = curl_slist_append(t->headers, h);
        free(h);
        if (l == NULL)
            return UV_ENOMEM;
        t->headers = l;
    }
    if (t->headers != NULL)
        SETOPT(CURLOPT_HTTPHEADER, t->headers);
    if (t->picked_proxy != NULL) {
        /* BITS's lists decided (bgt_proxy_pick); the environment's no_proxy
         * must not undo an OVERRIDE, hence the empty NOPROXY. */
        SETOPT(CURLOPT_PROXY, t->picked_proxy);
        SETOPT(CURLOPT_NOPROXY, "");
    } else if (t->proxy != NULL) {
        /* "" is curl's way to ignore the proxy environment as well. */
        SETOPT(CURLOPT_PROXY, t->proxy);
        if (t->proxy_bypass != NULL)
            SETOPT(CURLOPT_NOPROXY, t->proxy_bypass);
    }
    /* A CONNECT's own response is the proxy's, not the server's: it must
     * not reach on_header as if it were the answer to our request. */
    SETOPT(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    /* Credentials go only to the host (and port) of the URL they were
     * given for, never to a redirect target (docs/security.md). */
    SETOPT(CURLOPT_UNRESTRICTED_AUTH, 0L);
    if (curl_auth_mask(q->server_auth.schemes) != 0) {
        unsigned long m = curl_auth_mask(q->server_auth.schemes);
        /* One scheme alone would be sent before any challenge; BITS sends
         * credentials only when asked (CURLAUTH_ONLY makes curl wait). */
        if ((m & (m - 1)) == 0)
            m |= CURLAUTH_ONLY;
        SETOPT(CURLOPT_HTTPAUTH, m);
        SETOPT(CURLOPT_USERNAME, t->user != NULL ? t->user : "");
        SETOPT(CURLOPT_PASSWORD, t->password != NULL ? t->password : "");
    }
    if (curl_auth_mask(q->proxy_auth.schemes) != 0) {
        unsigned long m = curl_auth_mask(q->proxy_auth.schemes);
        if ((m & (m - 1)) == 0)
            m |= CURLAUTH_ONLY;
        SETOPT(CURLOPT_PROXYAUTH, m);
        SETOPT(CURLOPT_PROXYUSERNAME, t->proxy_user != NULL ? t->proxy_user : "");
        SETOPT(CURLOPT_PROXYPASSWORD, t->proxy_password != NULL ? t->proxy_password : "");
    }
    if (q->method == BGT_GET && t->http_method != NULL && strcmp(t->http_method, "GET") != 0)
        SETOPT(CURLOPT_CUSTOMREQUEST, t->http_method);
    if (t->client_cert != NULL) {
        SETOPT(CURLOPT_SSLCERT, t->client_cert);
        SETOPT(CURLOPT_SSLCERTTYPE, "PEM");
        if (t->client_key != NULL) {
            SETOPT(CURLOPT_SSLKEY, t->client_key);
            SETOPT(CURLOPT_SSLKEYTYPE, "PEM");
        }
    }
    if (q->on_server_cert != NULL) {
#if LIBCURL_VERSION_NUM >= 0x075000
        SETOPT(CURLOPT_CERTINFO, 1L);
        SETOPT(CURLOPT_PREREQFUNCTION, on_prereq);
        SETOPT(CURLOPT_PREREQDATA, (void *)t);
        SETOPT(CURLOPT_FRESH_CONNECT, 1L);
        SETOPT(CURLOPT_FORBID_REUSE, 1L);
        SETOPT(CURLOPT_SSL_SESSIONID_CACHE, 0L);
#else
        return UV_ENOTSUP;
#endif
    }
    if (t->ca_file != NULL)
        SETOPT(CURLOPT_CAINFO, t->ca_file);
    if (q->tls_flags & BGT_TLS_IGNORE_UNKNOWN_CA)
        SETOPT(CURLOPT_SSL_VERIFYPEER, 0L);
    if (q->tls_flags & BGT_TLS_IGNORE_CN_INVALID)
        SETOPT(CURLOPT_SSL_VERIFYHOST, 0L);
    if (curl_multi_add_handle(t->engine->multi, t->easy) != CURLM_OK)
        return UV_ENOMEM;
    t->in_multi = 1;
    return 0;
}

/* Resolves a final 3xx's Location against the URL that answered it; only
 * an http(s) target is reported (bgt_url_resolve_redirect). */
static void resolve_redirect(bgt_transfer *t)
{
    if (t->location == NULL || t->resp.http_status < 300 || t->resp.http_status >= 400)
        return;
    t->redirect_url = bgt_url_resolve_redirect(t->resp.effective_url, t->location);
    if (t->redirect_url != NULL)
        t->resp.redirect_url = t->redirect_url;
}

/* libcurl's verdict on a response that broke HTTP before our callbacks
 * could judge it.  curl 7.88 has no code of its own for these: an HTTP/0.9
 * reply or an unknown version is CURLE_UNSUPPORTED_PROTOCOL (which for an
 * http(s) request URL can mean nothing else once no redirect is pending);
 * a malformed response head (Debian's 7.88 refuses "Content-Length: -1"
 * or "abc" itself) is CURLE_WEIRD_SERVER_REPLY before the head is complete
 * (after it, a garbled body stays a lost connection, worth a retry); and a
 * header line over its 100 KB limit (CURL_MAX_HTTP_HEADER) is a bare
 * CURLE_OUT_OF_MEMORY from its bounded header buffer, with no message
 * (CURLE_TOO_LARGE from curl 8.6).  While a head is being read that buffer
 * is the allocation that fails in practice, so an out-of-memory there is
 * reported as the server's oversized head, with a sentence saying so.
 * *why: set to a static sentence when curl's own would mislead. */
static bgt_status status_from_curl(const bgt_transfer *t, CURLcode result, const char **why)
{
    int http_url = starts_with_nocase(t->url, "http://") || starts_with_nocase(t->url, "https://");
    if (result == CURLE_UNSUPPORTED_PROTOCOL && http_url)
        return (t->resp.redirect_count > 0 || will_follow(t)) ? BGT_ERR_REDIRECT
                                                              : BGT_ERR_BAD_RESPONSE;
    if (result == CURLE_WEIRD_SERVER_REPLY && !t->headers_final)
        return BGT_ERR_BAD_RESPONSE;
    if ((result == CURLE_OUT_OF_MEMORY
#if LIBCURL_VERSION_NUM >= 0x080600
         || result == CURLE_TOO_LARGE
#endif
         ) && !t->headers_final) {
        *why = "the server sent a header longer than 100 KB";
        return BGT_ERR_BAD_RESPONSE;
    }
    return bgt_status_from_curl(result);
}

void bgt_http_done(bgt_transfer *t, CURLcode result)
{
    bgt_response *r = &t->resp;
    char *eff = NULL;
    long redirects = 0, code = 0;
    bgt_status status;
    const char *msg = NULL;
    int sys_errno = 0;

    if (curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff != NULL)
        r->effective_url = eff;
    /* libcurl counts its answers to 401/407 challenges as redirects (7.88);
     * a redirect is only what a Location made us follow. */
    if (curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_COUNT, &redirects) == CURLE_OK)
        r->redirect_count = redirects > t->auth_retries ? redirects - t->auth_retries : 0;
    if (r->http_status == 0 &&
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK)
        r->http_status = code;
    resolve_redirect(t);
    r->raw_headers = t->raw != NULL ? t->raw : "";
    r->raw_headers_truncated = t->raw_truncated;

    if (t->reject == BGT_OK && result != CURLE_OK && r->http_status == 0 &&
        curl_easy_getinfo(t->easy, CURLINFO_HTTP_CONNECTCODE, &code) == CURLE_OK &&
        code >= 300) {
        /* The proxy refused the CONNECT tunnel (407 without usable
         * credentials, 403, ...): its status is the answer. */
        r->http_status = code;
        t->reject = BGT_ERR_HTTP_STATUS;
    }
    if (t->reject != BGT_OK) {
        status = t->reject;
        msg = t->reject_why;
        sys_errno = t->reject_errno;
    } else if (result != CURLE_OK) {
        msg = NULL;
        status = status_from_curl(t, result, &msg);
        if (msg == NULL)
            msg = t->errbuf[0] ? t->errbuf : curl_easy_strerror(result);
    } else {
        uint64_t expected;
        status = bgt_check_response(&t->req, r, &expected, &msg);
        if (status == BGT_OK && t->req.method == BGT_GET && expected != BGT_UNKNOWN &&
            t->received != expected) {
            status = BGT_ERR_SIZE_MISMATCH;
            msg = "the response body is shorter than the server announced";
        }
    }
    /* The refused https->http downgrade keeps its own sentence. */
    int downgrade = t->reject == BGT_ERR_HTTP_STATUS && r->redirect_url[0] != '\0' &&
                    t->req.follow_redirects;
    if (status == BGT_ERR_HTTP_STATUS && result != CURLE_TOO_MANY_REDIRECTS && !downgrade) {
        /* Say which status: it is what a user looks up first. */
        if (r->http_status >= 300 && r->http_status < 400 && r->redirect_url[0] != '\0')
            snprintf(t->msgbuf, sizeof t->msgbuf,
                     "the server redirected with HTTP status %ld and redirects are not followed",
                     r->http_status);
        else
            snprintf(t->msgbuf, sizeof t->msgbuf, "the server answered with HTTP status %ld",
                     r->http_status);
        msg = t->msgbuf;
    }
    if (status != BGT_OK && (msg == NULL || msg[0] == '\0'))
        msg = t->errbuf[0] ? t->errbuf : curl_easy_strerror(result);
    bgt_transfer_finish(t, status, (int)result, sys_errno, msg);
}
