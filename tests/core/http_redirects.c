/* Redirects and HTTP options (spec 6.8, IBackgroundCopyJobHttpOptions):
 * 301/302/307 and chains are followed silently by default; ALLOW_REPORT
 * rewrites the remote name to the final URL; DISALLOW fails with
 * HRESULT_FROM_WIN32(status) and rewrites it to the redirect's target; a
 * loop fails with ERROR_WINHTTP_REDIRECT_FAILED; SetSecurityFlags refuses
 * unknown bits; custom headers reach the server on every request. */
#include "http_test.h"

static bgcopy_manager *g_m;
static ts_server g_srv;

#define POLICY_REPORT 0x0100u
#define POLICY_DISALLOW 0x0200u
#define HR_REDIRECT_FAILED ((bgcopy_hr)0x80072F7C)

static char *remote_name(bgcopy_job *job)
{
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    char *r = fi.remote_name;
    fi.remote_name = NULL;
    bgcopy_file_info_clear(&fi);
    return r;
}

/* Download |path| with |flags|; wait for |want|. */
static bgcopy_job *run(const char *dir, const char *path, uint32_t flags, bgcopy_job_state want,
                       char **dest_out)
{
    static int n;
    char name[32];
    snprintf(name, sizeof name, "r%d.bin", n++);
    char *dest = ct_path(dir, name);
    char *url = ts_url(&g_srv, "%s", path);
    bgcopy_job *job = ct_new_job(g_m, path);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_security_flags(job, flags));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, want, 20000);
    free(url);
    *dest_out = dest;
    return job;
}

static void test_follow(const char *dir, const char *path, uint32_t flags, const char *final_path)
{
    char *dest;
    bgcopy_job *job = run(dir, path, flags, BGCOPY_JOB_STATE_TRANSFERRED, &dest);
    char *want = ts_url(&g_srv, "%s", (flags & POLICY_REPORT) ? final_path : path);
    char *now = remote_name(job);
    CHECK_EQ_STR(now, want);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 1000));
    bgcopy_free(now);
    free(want);
    free(dest);
    bgcopy_job_release(job);
}

static void test_disallow(const char *dir, int status)
{
    char path[64];
    snprintf(path, sizeof path, "/gen/1000?redirect=%d&to=/gen/1000%%3Fid%%3D%d", status, status);
    char *dest;
    bgcopy_job *job = run(dir, path, POLICY_DISALLOW, BGCOPY_JOB_STATE_ERROR, &dest);
    ht_check_error(job, (bgcopy_hr)(0x80070000u | (uint32_t)status), BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    char *now = remote_name(job);
    char *want = ts_url(&g_srv, "/gen/1000?id=%d", status);
    CHECK_EQ_STR(now, want);
    char target[64];
    snprintf(target, sizeof target, "\t/gen/1000?id=%d\t", status);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, target), 0);  /* not followed */
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_free(now);
    free(want);
    free(dest);
    bgcopy_job_release(job);
}

static void test_loop(const char *dir)
{
    char *dest;
    bgcopy_job *job = run(dir, "/gen/1000?redirect=302&to=self", 0, BGCOPY_JOB_STATE_ERROR, &dest);
    ht_check_error(job, HR_REDIRECT_FAILED, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    free(dest);
    bgcopy_job_release(job);
}

static void test_flags_api(void)
{
    bgcopy_job *job = ct_new_job(g_m, "flags");
    uint32_t f = 99;
    CHECK_HR_OK(bgcopy_job_get_security_flags(job, &f));
    CHECK_EQ_INT(f, 0);
    CHECK_EQ_HR(bgcopy_job_set_security_flags(job, 0x1000), BGCOPY_E_NOTIMPL);
    CHECK_EQ_HR(bgcopy_job_set_security_flags(job, 0x0300), BGCOPY_E_NOTIMPL); /* no such policy */
    CHECK_EQ_HR(bgcopy_job_set_security_flags(job, 0x0020), BGCOPY_E_NOTIMPL);
    CHECK_HR_OK(bgcopy_job_set_security_flags(job, 0x0800 | POLICY_REPORT | 0x0A));
    CHECK_HR_OK(bgcopy_job_get_security_flags(job, &f));
    CHECK_EQ_INT(f, 0x090A);
    CHECK_EQ_HR(bgcopy_job_set_security_flags(NULL, 0), BGCOPY_E_INVALIDARG);

    char *h = (char *)"x";
    CHECK_EQ_HR(bgcopy_job_get_custom_headers(job, &h), BGCOPY_S_FALSE);
    CHECK(h == NULL);
    CHECK_EQ_HR(bgcopy_job_set_custom_headers(job, "NoColon\r\n"), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_set_custom_headers(job, "A: b\nInjected: c\r\n"), BGCOPY_E_INVALIDARG);
    char *big = malloc(16400);
    CHECK_NOT_NULL(big);
    memcpy(big, "X-Big: ", 7);
    memset(big + 7, 'a', 16384 - 7);
    big[16384] = 0;                                       /* 16384 characters: one too many */
    CHECK_EQ_HR(bgcopy_job_set_custom_headers(job, big), BGCOPY_E_STRING_TOO_LONG);
    big[16383] = 0;
    CHECK_HR_OK(bgcopy_job_set_custom_headers(job, big));
    free(big);
    CHECK_HR_OK(bgcopy_job_set_custom_headers(job, "A: 1\r\nB: 2\r\n"));
    CHECK_HR_OK(bgcopy_job_get_custom_headers(job, &h));
    CHECK_EQ_STR(h, "A: 1\r\nB: 2\r\n");
    bgcopy_free(h);
    CHECK_HR_OK(bgcopy_job_set_custom_headers(job, NULL));
    CHECK_EQ_HR(bgcopy_job_get_custom_headers(job, &h), BGCOPY_S_FALSE);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK_EQ_HR(bgcopy_job_set_security_flags(job, 0), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_set_custom_headers(job, "A: 1\r\n"), BGCOPY_E_INVALID_STATE);
    bgcopy_job_release(job);
}

/* A one-shot raw HTTP server that records the request heads it receives:
 * bgcopy-testserver logs only the Range header.  It answers a HEAD with a
 * size and a GET with that many bytes, then closes everything.  It runs
 * its own libuv loop on its own thread, listening on 127.0.0.1 only. */
typedef struct raw_server raw_server;
typedef struct {
    uv_tcp_t tcp;
    raw_server *s;
    char buf[4096];
    size_t n;
    uv_write_t w;
    int last;              /* the GET was answered: close all once written */
} raw_conn;

struct raw_server {
    uv_loop_t loop;
    uv_tcp_t listener;
    uv_thread_t thread;
    int port;
    char heads[8192];
    size_t used;
    raw_conn *conns[8];    /* open connections, closed together at the end */
};

static const char RAW_HEAD_REPLY[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
static const char RAW_GET_REPLY[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

static void raw_free_conn(uv_handle_t *h)
{
    raw_conn *c = h->data;
    for (size_t i = 0; i < sizeof c->s->conns / sizeof c->s->conns[0]; i++)
        if (c->s->conns[i] == c)
            c->s->conns[i] = NULL;
    free(c);
}

static void raw_close(raw_conn *c)
{
    if (!uv_is_closing((uv_handle_t *)&c->tcp))
        uv_close((uv_handle_t *)&c->tcp, raw_free_conn);
}

/* The end: connections the client keeps alive in its cache are closed too,
 * so the loop (and the thread) ends now. */
static void raw_close_all(raw_conn *c)
{
    raw_server *s = c->s;
    for (size_t i = 0; i < sizeof s->conns / sizeof s->conns[0]; i++)
        if (s->conns[i])
            raw_close(s->conns[i]);
    if (!uv_is_closing((uv_handle_t *)&s->listener))
        uv_close((uv_handle_t *)&s->listener, NULL);
}

static void raw_written(uv_write_t *w, int status)
{
    raw_conn *c = w->data;
    if (status < 0 || c->last)
        raw_close_all(c);
}

static void raw_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    (void)suggested;
    raw_conn *c = h->data;
    *b = uv_buf_init(c->buf + c->n, (unsigned)(sizeof c->buf - 1 - c->n));
}

static void raw_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b)
{
    (void)b;
    raw_conn *c = st->data;
    if (nread < 0) {                                    /* EOF or error: the client is gone */
        raw_close(c);
        return;
    }
    c->n += (size_t)nread;
    c->buf[c->n] = 0;
    char *end = strstr(c->buf, "\r\n\r\n");
    if (!end) {
        if (c->n == sizeof c->buf - 1)                  /* a head this long: not ours */
            raw_close_all(c);
        return;
    }
    /* One request at a time: the client waits for the answer before the
     * next request on a kept-alive connection. */
    size_t head = (size_t)(end + 4 - c->buf);
    raw_server *s = c->s;
    if (s->used + head < sizeof s->heads) {
        memcpy(s->heads + s->used, c->buf, head);
        s->used += head;
        s->heads[s->used] = 0;
    }
    int is_get = strncmp(c->buf, "GET", 3) == 0;
    memmove(c->buf, c->buf + head, c->n - head + 1);
    c->n -= head;
    const char *reply = is_get ? RAW_GET_REPLY : RAW_HEAD_REPLY;
    uv_buf_t out = uv_buf_init((char *)reply, (unsigned)strlen(reply));
    c->last = is_get;
    c->w.data = c;
    if (uv_write(&c->w, (uv_stream_t *)&c->tcp, &out, 1, raw_written) != 0)
        raw_close_all(c);
}

static void raw_connection(uv_stream_t *listener, int status)
{
    raw_server *s = listener->data;
    if (status < 0)
        return;
    raw_conn *c = calloc(1, sizeof *c);
    CHECK_NOT_NULL(c);
    c->s = s;
    CHECK_EQ_INT(uv_tcp_init(&s->loop, &c->tcp), 0);
    c->tcp.data = c;
    size_t slot = 0;
    while (slot < sizeof s->conns / sizeof s->conns[0] && s->conns[slot])
        slot++;
    if (slot < sizeof s->conns / sizeof s->conns[0])
        s->conns[slot] = c;
    if (slot == sizeof s->conns / sizeof s->conns[0] ||
        uv_accept(listener, (uv_stream_t *)&c->tcp) != 0 ||
        uv_read_start((uv_stream_t *)&c->tcp, raw_alloc, raw_read) != 0)
        raw_close(c);
}

static void raw_main(void *arg)
{
    raw_server *s = arg;
    uv_run(&s->loop, UV_RUN_DEFAULT);                   /* until the GET is answered */
}

static void raw_start(raw_server *s)
{
    memset(s, 0, sizeof *s);
    CHECK_EQ_INT(uv_loop_init(&s->loop), 0);
    CHECK_EQ_INT(uv_tcp_init(&s->loop, &s->listener), 0);
    s->listener.data = s;
    struct sockaddr_in a;
    CHECK_EQ_INT(uv_ip4_addr("127.0.0.1", 0, &a), 0);
    CHECK_EQ_INT(uv_tcp_bind(&s->listener, (const struct sockaddr *)&a, 0), 0);
    CHECK_EQ_INT(uv_listen((uv_stream_t *)&s->listener, 16, raw_connection), 0);
    struct sockaddr_storage got;
    int len = (int)sizeof got;
    CHECK_EQ_INT(uv_tcp_getsockname(&s->listener, (struct sockaddr *)&got, &len), 0);
    s->port = ntohs(((struct sockaddr_in *)&got)->sin_port);
    CHECK_EQ_INT(uv_thread_create(&s->thread, raw_main, s), 0);
}

static void raw_join(raw_server *s)
{
    CHECK_EQ_INT(uv_thread_join(&s->thread), 0);
    CHECK_EQ_INT(uv_loop_close(&s->loop), 0);
}

static void test_custom_headers_sent(const char *dir)
{
    raw_server s;
    raw_start(&s);

    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hello", s.port);
    char *dest = ct_path(dir, "hello.txt");
    bgcopy_job *job = ct_new_job(g_m, "headers");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_custom_headers(job, "X-Bgcopy-Test: one\r\nX-Second: two"));
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND)); /* plain GET */
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    raw_join(&s);
    /* Both requests (HEAD and GET) carried both headers. */
    const char *get = strstr(s.heads, "GET /hello");
    CHECK_NOT_NULL(get);
    CHECK(strncmp(s.heads, "HEAD /hello", 11) == 0);
    const char *h1 = strstr(s.heads, "X-Bgcopy-Test: one\r\n");
    const char *h2 = strstr(s.heads, "X-Second: two\r\n");
    CHECK(h1 && h1 < get && strstr(get, "X-Bgcopy-Test: one\r\n"));
    CHECK(h2 && h2 < get && strstr(get, "X-Second: two\r\n"));
    size_t len = 0;
    char *body = ts_read_file(dest, &len);
    CHECK(body && len == 5 && memcmp(body, "hello", 5) == 0);
    free(body);
    free(dest);
    bgcopy_job_release(job);
}


/* ---- a server's Location never becomes a local-file copy (issue 10) ---- */

static const char SECRET[] = "bgcopy-secret-bytes: never to be copied by a server's answer\n";

/* Escapes what would end the test server's own query option (% ? & = #)
 * so that |url| travels whole as the value of to=. */
static char *escape_to(const char *url)
{
    char *out = malloc(strlen(url) * 3 + 1);
    CHECK_NOT_NULL(out);
    char *o = out;
    for (const char *p = url; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '&' || *p == '=' || *p == '#' || *p == ' ')
            o += sprintf(o, "%%%02X", (unsigned char)*p);
        else
            *o++ = *p;
    }
    *o = 0;
    return out;
}

/* 1 if some file in |dir| holds the secret's bytes. */
static int dir_has_secret(const char *dir)
{
    size_t n = 0;
    char **names = ts_list_dir(dir, &n);
    CHECK_NOT_NULL(names);
    int found = 0;
    for (size_t i = 0; i < n && !found; i++) {
        char *p = ct_path(dir, names[i]);
        size_t len = 0;
        char *data = ts_read_file(p, &len);
        for (size_t k = 0; data && k + sizeof SECRET - 1 <= len && !found; k++)
            found = memcmp(data + k, SECRET, sizeof SECRET - 1) == 0;
        free(data);
        free(p);
    }
    ts_free_list(names);
    return found;
}

/* The remote name is an http(s) URL, and never a local name. */
static void check_remote_is_http(bgcopy_job *job, const char *want_or_null)
{
    char *now = remote_name(job);
    CHECK_MSG(strncmp(now, "http://", 7) == 0, "remote name became %s", now);
    if (want_or_null)
        CHECK_EQ_STR(now, want_or_null);
    bgcopy_free(now);
}

/* A redirect whose target is |target| (a file:// URL or a bare path),
 * sent at the first hop or at the second, under |flags|.  Every policy
 * ends in ERROR without the target ever being requested or copied, also
 * after Resume:
 *   DISALLOW: HRESULT_FROM_WIN32(302); the remote name becomes the target
 *     only when that is an http(s) URL;
 *   ALLOW_SILENT / ALLOW_REPORT: a non-http(s) target is
 *     ERROR_WINHTTP_REDIRECT_FAILED, an http one is followed (404 here). */
static void test_hostile_location(const char *dir, const char *target, int second_hop,
                                  uint32_t flags)
{
    static int n;
    char name[32];
    snprintf(name, sizeof name, "hostile%d", n++);
    char *sub = ct_path(dir, name);
    CHECK_EQ_INT(ts_mkdir(sub), 0);
    char *dest = ct_path(sub, "dest.bin");
    char *esc = escape_to(target);
    char *path;
    if (!second_hop) {
        path = ts_url(&g_srv, "/gen/1000?id=%s&redirect=302&to=%s", name, esc);
    } else {
        char inner[2048];
        snprintf(inner, sizeof inner, "/gen/1000?id=%s-2&redirect=302&to=%s", name, esc);
        char *esc2 = escape_to(inner);
        path = ts_url(&g_srv, "/gen/1000?id=%s&redirect=302&to=%s", name, esc2);
        free(esc2);
    }
    int is_file = strncmp(target, "file:", 5) == 0;
    int disallow = (flags & 0x0700u) == POLICY_DISALLOW;
    bgcopy_job *job = ct_new_job(g_m, name);
    CHECK_HR_OK(bgcopy_job_add_file(job, path, dest));
    CHECK_HR_OK(bgcopy_job_set_security_flags(job, flags));
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND));
    for (uint32_t round = 1; round <= 3; round++) {
        CHECK_HR_OK(bgcopy_job_resume(job));
        ht_wait_errors(job, round, 20000);
        ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
        bgcopy_job_error e;
        CHECK_HR_OK(bgcopy_job_get_error(job, &e));
        if (disallow && (round == 1 || (second_hop && round == 2) || is_file))
            CHECK_EQ_HR(e.code, (bgcopy_hr)0x8007012E);
        else if (is_file)
            CHECK_EQ_HR(e.code, HR_REDIRECT_FAILED);
        else
            CHECK_EQ_HR(e.code, BGCOPY_E_HTTP_ERROR(404));
        CHECK_EQ_INT(e.context, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
        check_remote_is_http(job, disallow ? NULL : path);
        CHECK(!dir_has_secret(sub));
    }
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_PARTIAL_COMPLETE);
    CHECK(!ct_exists(dest));
    CHECK(!dir_has_secret(sub));
    bgcopy_job_release(job);
    free(path);
    free(esc);
    free(dest);
    ts_rmtree(sub);
    free(sub);
}

static void test_hostile_locations(const char *dir)
{
    char *secret = ct_path(dir, "secret.txt");
    CHECK_EQ_INT(ts_write_file(secret, SECRET, sizeof SECRET - 1), 0);
    char *file_url = ts_file_url(secret);
    const uint32_t policies[] = {POLICY_DISALLOW, 0, POLICY_REPORT};
    for (size_t p = 0; p < 3; p++) {
        for (int hop = 0; hop < 2; hop++) {
            test_hostile_location(dir, file_url, hop, policies[p]);
#ifndef _WIN32
            /* A bare path is a path on the same server, never a local file
             * (on Windows a full path has a drive letter: not a bare path). */
            test_hostile_location(dir, secret, hop, policies[p]);
#endif
        }
    }
    free(file_url);
    free(secret);
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_srv, NULL), 0);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &g_m));
    char *dir = ts_mkdtemp();

    test_flags_api();
    test_follow(dir, "/gen/1000?redirect=301", 0, "/gen/1000");
    test_follow(dir, "/gen/1000?redirect=302&id=a", POLICY_REPORT, "/gen/1000");
    test_follow(dir, "/gen/1000?redirect=307&to=/gen/1000%3Fid%3Dz", POLICY_REPORT, "/gen/1000?id=z");
    /* A chain: 302 -> 307 -> 301 -> the resource. */
    test_follow(dir, "/gen/1000?redirect=302&to=/gen/1000%3Fredirect%3D307%26to%3D/gen/1000%253Fredirect%253D301",
                POLICY_REPORT, "/gen/1000");
    test_follow(dir, "/gen/1000?redirect=302&to=/gen/1000%3Fredirect%3D307&id=b", 0, NULL);
    test_disallow(dir, 301);
    test_disallow(dir, 302);
    test_disallow(dir, 307);
    test_loop(dir);
    test_custom_headers_sent(dir);
    test_hostile_locations(dir);
    /* https -> http (0x0800) and the BG_SSL_* flags: core_http_tls (nginx). */

    bgcopy_manager_close(g_m);
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_http_redirects: ok\n");
    return 0;
}
