/*
 * bgt_engine.c - libcurl's multi-socket API driven by a libuv loop.
 *
 * curl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when it
 * next needs a timeout (CURLMOPT_TIMERFUNCTION); libuv tells us when a socket
 * is ready or the timer fires, and we hand that to curl_multi_socket_action.
 * Completed transfers are collected with curl_multi_info_read afterwards.
 *
 * Re-entrancy: curl's callbacks here only start/stop uv handles.  User
 * callbacks (on_progress, on_done) run only from our own uv callbacks, after
 * curl has returned, so users may start, abort and close from inside them.
 * A bgt_engine_close requested while we are inside a callback is finished by
 * the outermost bgt_engine_leave, never under our own feet.
 */
#include <stdlib.h>
#include <string.h>

#include "bgt_internal.h"

/* ---- intrusive list ---------------------------------------------------- */

void bgt_list_init(bgt_link *head) { head->prev = head->next = head; }

int bgt_list_empty(const bgt_link *head) { return head->next == head; }

void bgt_list_push_back(bgt_link *head, bgt_link *node)
{
    node->prev = head->prev;
    node->next = head;
    head->prev->next = node;
    head->prev = node;
}

void bgt_list_remove(bgt_link *node)
{
    if (node->next == NULL || node->next == node)
        return;
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->prev = node->next = node;
}

/* ---- global init --------------------------------------------------------- */

static uv_once_t curl_once = UV_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void curl_init_once(void) { curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* ---- handle bookkeeping ---------------------------------------------------- */

static void engine_free_if_done(bgt_engine *e)
{
    if (e->finished && e->open_handles == 0 && e->dispatch_depth == 0) {
        free(e->socks);
        free(e);
    }
}

static void on_engine_handle_closed(uv_handle_t *h)
{
    bgt_engine *e = h->data;
    e->open_handles--;
    engine_free_if_done(e);
}

static void on_sock_closed(uv_handle_t *h)
{
    bgt_sock *s = h->data;
    bgt_engine *e = s->engine;
    free(s);
    e->open_handles--;
    engine_free_if_done(e);
}

static size_t sock_find(const bgt_engine *e, curl_socket_t fd)
{
    size_t i;
    for (i = 0; i < e->socks_len; i++)
        if (e->socks[i]->fd == fd)
            break;
    return i;
}

/* Stops watching socks[i]; the last entry takes its place. */
static void sock_close_at(bgt_engine *e, size_t i)
{
    bgt_sock *s = e->socks[i];
    e->socks[i] = e->socks[--e->socks_len];
    uv_poll_stop(&s->poll);
    uv_close((uv_handle_t *)&s->poll, on_sock_closed);
}

static void sock_close(bgt_engine *e, curl_socket_t fd)
{
    size_t i = sock_find(e, fd);
    if (i < e->socks_len)
        sock_close_at(e, i);
}

/* ---- dispatch -------------------------------------------------------------- */

static void engine_finish_close(bgt_engine *e);

void bgt_engine_enter(bgt_engine *e) { e->dispatch_depth++; }

void bgt_engine_queue_progress(bgt_transfer *t)
{
    if (t->req.on_progress == NULL || t->all.next == &t->all)
        return;
    if (t->progress_link.next == &t->progress_link)
        bgt_list_push_back(&t->engine->progress_queue, &t->progress_link);
}

static void deliver_progress(bgt_engine *e)
{
    /* One at a time from the head: a callback may abort other queued
     * transfers (they unlink themselves) or close the engine (empties it). */
    while (!bgt_list_empty(&e->progress_queue)) {
        bgt_transfer *t = BGT_CONTAINER(e->progress_queue.next, bgt_transfer, progress_link);
        bgt_list_remove(&t->progress_link);
        if (t->written != t->progress_reported) {
            t->progress_reported = t->written;
            t->req.on_progress(t, t->written, t->req.user);
        }
    }
}

void bgt_engine_leave(bgt_engine *e)
{
    if (e->dispatch_depth == 1 && !e->closing)
        deliver_progress(e);
    e->dispatch_depth--;
    if (e->dispatch_depth == 0) {
        if (e->closing && !e->finished)
            engine_finish_close(e);
        else
            engine_free_if_done(e);
    }
}

static void process_messages(bgt_engine *e)
{
    CURLMsg *msg;
    int left;
    while (!e->closing && (msg = curl_multi_info_read(e->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        /* msg dies with curl_multi_remove_handle: copy what we need first. */
        CURL *easy = msg->easy_handle;
        CURLcode result = msg->data.result;
        char *priv = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
        bgt_http_done((bgt_transfer *)(void *)priv, result);
    }
}

static void socket_action(bgt_engine *e, curl_socket_t fd, int ev_bitmask)
{
    int running = 0;
    bgt_engine_enter(e);
    if (!e->closing) {
        curl_multi_socket_action(e->multi, fd, ev_bitmask, &running);
        process_messages(e);
    }
    bgt_engine_leave(e);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
    bgt_sock *s = h->data;
    int flags = 0;
    if (status < 0)
        flags |= CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    /* s may be closed by curl during the call: take what we need now. */
    socket_action(s->engine, s->fd, flags);
}

static void on_timeout(uv_timer_t *h) { socket_action(h->data, CURL_SOCKET_TIMEOUT, 0); }

/* CURLMOPT_SOCKETFUNCTION.  Only uv calls here (no curl re-entry). */
static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    bgt_engine *e = userp;
    bgt_sock *s;
    size_t i;
    int events = 0;
    (void)easy;
    (void)socketp;
    if (what == CURL_POLL_REMOVE) {
        sock_close(e, fd);
        return 0;
    }
    if (fd == CURL_SOCKET_BAD)
        return -1;
    i = sock_find(e, fd);
    if (i == e->socks_len && e->socks_len == e->socks_cap) {
        size_t cap = e->socks_cap ? e->socks_cap * 2 : 16;
        bgt_sock **n = realloc(e->socks, cap * sizeof *n);
        if (n == NULL)
            return -1;
        e->socks = n;
        e->socks_cap = cap;
    }
    s = i < e->socks_len ? e->socks[i] : NULL;
    if (s == NULL) {
        s = calloc(1, sizeof *s);
        if (s == NULL)
            return -1;
        if (uv_poll_init_socket(e->loop, &s->poll, fd) != 0) {
            free(s);
            return -1;
        }
        s->poll.data = s;
        s->engine = e;
        s->fd = fd;
        e->socks[e->socks_len++] = s;
        e->open_handles++;
    }
    if (what & CURL_POLL_IN)
        events |= UV_READABLE;
    if (what & CURL_POLL_OUT)
        events |= UV_WRITABLE;
    if (events == 0)
        uv_poll_stop(&s->poll);
    else if (uv_poll_start(&s->poll, events, on_poll) != 0)
        return -1;
    return 0;
}

/* CURLMOPT_TIMERFUNCTION.  A 0 ms timeout still goes through the loop:
 * calling curl_multi_socket_action from here would re-enter curl. */
static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
    bgt_engine *e = userp;
    (void)multi;
    if (uv_is_closing((uv_handle_t *)&e->timer))
        return 0;
    if (timeout_ms < 0)
        uv_timer_stop(&e->timer);
    else
        uv_timer_start(&e->timer, on_timeout, (uint64_t)timeout_ms, 0);
    return 0;
}

/* ---- public API ------------------------------------------------------------- */

int bgt_engine_init(bgt_engine **out, uv_loop_t *loop)
{
    bgt_engine *e;
    int rc;
    if (out == NULL || loop == NULL)
        return UV_EINVAL;
    *out = NULL;
    uv_once(&curl_once, curl_init_once);
    if (curl_init_result != CURLE_OK)
        return UV_EIO;
    e = calloc(1, sizeof *e);
    if (e == NULL)
        return UV_ENOMEM;
    e->loop = loop;
    bgt_list_init(&e->transfers);
    bgt_list_init(&e->progress_queue);
    e->multi = curl_multi_init();
    if (e->multi == NULL) {
        free(e);
        return UV_ENOMEM;
    }
    rc = uv_timer_init(loop, &e->timer);
    if (rc != 0) {
        curl_multi_cleanup(e->multi);
        free(e);
        return rc;
    }
    e->timer.data = e;
    e->open_handles = 1;
    curl_multi_setopt(e->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(e->multi, CURLMOPT_SOCKETDATA, e);
    curl_multi_setopt(e->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(e->multi, CURLMOPT_TIMERDATA, e);
    *out = e;
    return 0;
}

static void engine_finish_close(bgt_engine *e)
{
    e->finished = 1;
    /* Cleanup closes cached connections and tells on_curl_socket to drop
     * their sockets, so it runs while our handles are still open. */
    curl_multi_cleanup(e->multi);
    e->multi = NULL;
    while (e->socks_len > 0)
        sock_close_at(e, e->socks_len - 1);
    uv_close((uv_handle_t *)&e->timer, on_engine_handle_closed);
}

void bgt_engine_close(bgt_engine *e)
{
    if (e == NULL || e->closing)
        return;
    e->closing = 1;
    while (!bgt_list_empty(&e->transfers))
        bgt_abort(BGT_CONTAINER(e->transfers.next, bgt_transfer, all));
    if (e->dispatch_depth == 0)
        engine_finish_close(e);
}

/* A copy of an optional string; sets *oom when the copy fails. */
static char *dup_opt(const char *s, int *oom)
{
    char *d;
    if (s == NULL)
        return NULL;
    d = strdup(s);
    if (d == NULL)
        *oom = 1;
    return d;
}

/* RFC 9110 section 5.6.2: a method is a token. */
static int is_token(const char *s)
{
    size_t n = 0;
    for (; s[n] != '\0'; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
              (s[n] >= '0' && s[n] <= '9') || strchr("!#$%&'*+-.^_`|~", s[n]) != NULL))
            return 0;
    return n > 0 && n <= 64;
}

/* A user name and a password come together, except NTLM / Negotiate
 * without either (the process's own identity); BASIC and DIGEST need both. */
static int auth_ok(const bgt_auth *a)
{
    if (a->schemes == 0)
        return 1;
    if ((a->username == NULL) != (a->password == NULL))
        return 0;
    return a->username != NULL || !(a->schemes & (BGT_AUTH_BASIC | BGT_AUTH_DIGEST));
}

int bgt_start(bgt_engine *e, const bgt_request *req, bgt_transfer **out)
{
    bgt_transfer *t;
    int rc;
    if (out != NULL)
        *out = NULL;
    if (e == NULL || req == NULL || out == NULL || req->url == NULL || req->on_done == NULL)
        return UV_EINVAL;
    if (e->closing)
        return UV_EINVAL;
    if (req->method != BGT_GET && req->method != BGT_HEAD)
        return UV_EINVAL;
    if (req->method == BGT_GET && req->fd < 0)
        return UV_EBADF;
    if (req->method == BGT_GET && req->ranged &&
        (req->range_length == 0 ||
         (req->range_length != BGT_UNKNOWN && req->range_first > UINT64_MAX - req->range_length)))
        return UV_EINVAL;
    if (req->http_method != NULL && !is_token(req->http_method))
        return UV_EINVAL;
    if (!auth_ok(&req->server_auth) || !auth_ok(&req->proxy_auth))
        return UV_EINVAL;

    t = calloc(1, sizeof *t);
    if (t == NULL)
        return UV_ENOMEM;
    t->engine = e;
    t->req = *req;
    t->src_fd = -1;
    bgt_list_init(&t->all);
    bgt_list_init(&t->progress_link);
    t->url = strdup(req->url);
    t->req.url = t->url;
    t->resp.effective_url = t->url;
    t->resp.redirect_url = "";
    t->resp.raw_headers = "";
    t->resp.content_length = BGT_UNKNOWN;
    t->resp.cr_total = BGT_UNKNOWN;
    t->resp.resource_size = BGT_UNKNOWN;
    t->resp.last_modified_unix = -1;
    t->expected_len = BGT_UNKNOWN;
    t->req.extra_headers = NULL; /* copied into t->headers below */
    {
        int oom = t->url == NULL;
        t->req.if_range = t->if_range = dup_opt(req->if_range, &oom);
        t->req.ca_file = t->ca_file = dup_opt(req->ca_file, &oom);
        t->req.proxy = t->proxy = dup_opt(req->proxy, &oom);
        t->req.proxy_bypass = t->proxy_bypass = dup_opt(req->proxy_bypass, &oom);
        t->req.proxy_list = t->proxy_list = dup_opt(req->proxy_list, &oom);
        t->req.proxy_bypass_list = t->proxy_bypass_list = dup_opt(req->proxy_bypass_list, &oom);
        t->req.server_auth.username = t->user = dup_opt(req->server_auth.username, &oom);
        t->req.server_auth.password = t->password = dup_opt(req->server_auth.password, &oom);
        t->req.proxy_auth.username = t->proxy_user = dup_opt(req->proxy_auth.username, &oom);
        t->req.proxy_auth.password = t->proxy_password =
            dup_opt(req->proxy_auth.password, &oom);
        t->req.http_method = t->http_method = dup_opt(req->http_method, &oom);
        t->req.client_cert = t->client_cert = dup_opt(req->client_cert, &oom);
        t->req.client_key = t->client_key = dup_opt(req->client_key, &oom);
        rc = oom ? UV_ENOMEM : uv_timer_init(e->loop, &t->flush_timer);
    }
    if (rc != 0) {
        bgt_transfer_free_strings(t);
        free(t);
        return rc;
    }
    t->flush_timer.data = t;
    t->open_handles = 1;

    int kind = bgt_url_parse(t->url, &t->local_path);
    if (kind == UV_ENOMEM) {
        rc = UV_ENOMEM;
    } else if (kind == BGT_URL_LOCAL) {
        t->kind = BGT_KIND_LOCAL;
        rc = bgt_local_start(t);
    } else if (kind == BGT_URL_HTTP && t->proxy_list != NULL &&
               (rc = bgt_proxy_pick(t->url, t->proxy_list, t->proxy_bypass_list,
                                    &t->picked_proxy)) != 0) {
        if (rc == UV_EINVAL) {
            /* Bad proxy data shows when the job runs, as in BITS. */
            t->kind = BGT_KIND_LOCAL;
            t->pending_status = BGT_ERR_PROXY_INFO;
            t->pending_why = "the proxy list or proxy bypass list is not valid";
            rc = bgt_local_start(t);
        }
    } else if (kind == BGT_URL_HTTP) {
        t->kind = BGT_KIND_HTTP;
        for (const char *const *h = req->extra_headers; h != NULL && *h != NULL && rc == 0; h++) {
            struct curl_slist *n = curl_slist_append(t->headers, *h);
            if (n == NULL)
                rc = UV_ENOMEM;
            else
                t->headers = n;
        }
        if (rc == 0)
            rc = bgt_http_start(t);
    } else {
        /* Relative paths, other schemes, names curl refuses: reported
         * through on_done like every other bad source, so callers have one
         * error path. */
        t->kind = BGT_KIND_LOCAL;
        t->pending_status = BGT_ERR_BAD_URL;
        t->pending_why = "the source is not a valid http(s):// URL, file: URL or absolute path";
        rc = bgt_local_start(t);
    }
    if (rc != 0) {
        bgt_transfer_destroy(t);
        return rc;
    }
    bgt_list_push_back(&e->transfers, &t->all);
    *out = t;
    return 0;
}
