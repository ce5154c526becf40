/* Hostile HTTP answers (issue 10), seen from the job:
 *  - a GET body longer than the size the HEAD pinned (chunked or ended by
 *    close) is cut at that size and fails the file with
 *    BG_E_INVALID_SERVER_RESPONSE; so does a shorter one that ends cleanly;
 *    nothing past the pinned size reaches the temporary file or, after
 *    Complete, the destination;
 *  - answers that break HTTP itself (an HTTP/0.9 reply, a malformed or
 *    doubled Content-Length, a header line over 100 KB) are
 *    BG_E_INVALID_SERVER_RESPONSE, ERROR (not retried by themselves);
 *  - a redirect to a target that is not http(s) is
 *    ERROR_WINHTTP_REDIRECT_FAILED, ERROR. */
#include "http_test.h"

static bgcopy_manager *g_m;
static ts_server g_srv;

#define HR_REDIRECT_FAILED ((bgcopy_hr)0x80072F7C)

/* The temporary file(s) in |dir|: the largest size, or -1 when none. */
static int64_t temp_size(const char *dir)
{
    size_t n = 0;
    char **names = ts_list_dir(dir, &n);
    CHECK_NOT_NULL(names);
    int64_t biggest = -1;
    for (size_t i = 0; i < n; i++) {
        if (strstr(names[i], "BIT") == NULL || strstr(names[i], ".tmp") == NULL)
            continue;
        char *p = ct_path(dir, names[i]);
        int64_t sz = ht_size(p);
        if (sz > biggest)
            biggest = sz;
        free(p);
    }
    ts_free_list(names);
    return biggest;
}

/* HEAD says 100 bytes; the GET (plain: FOREGROUND) streams |getlen| bytes
 * without Content-Length. */
static void test_body_not_pinned_size(const char *dir, const char *opts, uint64_t getlen)
{
    static int n;
    char name[32];
    snprintf(name, sizeof name, "pinned%d", n++);
    char *sub = ct_path(dir, name);
    CHECK_EQ_INT(ts_mkdir(sub), 0);
    char *dest = ct_path(sub, "dest.bin");
    char *url = ts_url(&g_srv, "/gen/100?getlen=%llu%s", (unsigned long long)getlen, opts);
    bgcopy_job *job = ct_new_job(g_m, name);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ht_wait_errors(job, 1, 30000);
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 20000);
    ht_check_error(job, BGCOPY_E_INVALID_SERVER_RESPONSE, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    bgcopy_job_progress p;
    CHECK_HR_OK(bgcopy_job_get_progress(job, &p));
    CHECK_MSG(p.bytes_transferred <= 100, "%llu bytes of 100 transferred",
              (unsigned long long)p.bytes_transferred);
    CHECK_EQ_U64(p.bytes_total, 100);
    CHECK(ht_file_bytes(job, 0) <= 100);
    CHECK(temp_size(sub) <= 100);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_PARTIAL_COMPLETE);
    CHECK(!ct_exists(dest));
    CHECK_EQ_INT(temp_size(sub), -1);
    bgcopy_job_release(job);
    free(url);
    free(dest);
    ts_rmtree(sub);
    free(sub);
}

/* ---- a raw server: every request gets the same canned bytes, then close ---- */

typedef struct canned canned;
typedef struct {
    uv_tcp_t tcp;
    canned *c;
    char buf[8192];
    size_t n;
    uv_write_t w;
    uv_shutdown_t sd;
} canned_conn;

struct canned {
    uv_loop_t loop;
    uv_tcp_t listener;
    uv_async_t stop;
    uv_thread_t thread;
    int port;
    const char *reply;
};

static void canned_free(uv_handle_t *h) { free(h->data); }

static void canned_close(canned_conn *k)
{
    if (!uv_is_closing((uv_handle_t *)&k->tcp))
        uv_close((uv_handle_t *)&k->tcp, canned_free);
}

static void canned_shut(uv_shutdown_t *sd, int status)
{
    (void)status;
    canned_close(sd->data);
}

static void canned_written(uv_write_t *w, int status)
{
    canned_conn *k = w->data;
    k->sd.data = k;
    if (status < 0 || uv_shutdown(&k->sd, (uv_stream_t *)&k->tcp, canned_shut) != 0)
        canned_close(k);
}

static void canned_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    (void)suggested;
    canned_conn *k = h->data;
    if (k->n >= sizeof k->buf - 1)
        k->n = 0;                                        /* only the end of a head matters */
    *b = uv_buf_init(k->buf + k->n, (unsigned)(sizeof k->buf - 1 - k->n));
}

static void canned_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b)
{
    (void)b;
    canned_conn *k = st->data;
    if (nread < 0) {
        canned_close(k);
        return;
    }
    k->n += (size_t)nread;
    k->buf[k->n] = 0;
    if (!strstr(k->buf, "\r\n\r\n"))
        return;
    uv_read_stop(st);
    uv_buf_t out = uv_buf_init((char *)k->c->reply, (unsigned)strlen(k->c->reply));
    k->w.data = k;
    if (uv_write(&k->w, st, &out, 1, canned_written) != 0)
        canned_close(k);
}

static void canned_connection(uv_stream_t *l, int status)
{
    canned *c = l->data;
    if (status < 0)
        return;
    canned_conn *k = calloc(1, sizeof *k);
    CHECK_NOT_NULL(k);
    k->c = c;
    CHECK_EQ_INT(uv_tcp_init(&c->loop, &k->tcp), 0);
    k->tcp.data = k;
    if (uv_accept(l, (uv_stream_t *)&k->tcp) != 0 ||
        uv_read_start((uv_stream_t *)&k->tcp, canned_alloc, canned_read) != 0)
        canned_close(k);
}

static void canned_walk_close(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, h->type == UV_TCP && h->data != NULL ? canned_free : NULL);
}

static void canned_on_stop(uv_async_t *a)
{
    canned *c = a->data;
    c->listener.data = NULL;
    uv_walk(&c->loop, canned_walk_close, NULL);
}

static void canned_main(void *arg)
{
    canned *c = arg;
    uv_run(&c->loop, UV_RUN_DEFAULT);
}

static void canned_start(canned *c, const char *reply)
{
    memset(c, 0, sizeof *c);
    c->reply = reply;
    CHECK_EQ_INT(uv_loop_init(&c->loop), 0);
    CHECK_EQ_INT(uv_tcp_init(&c->loop, &c->listener), 0);
    c->listener.data = c;
    CHECK_EQ_INT(uv_async_init(&c->loop, &c->stop, canned_on_stop), 0);
    c->stop.data = c;
    struct sockaddr_in a;
    CHECK_EQ_INT(uv_ip4_addr("127.0.0.1", 0, &a), 0);
    CHECK_EQ_INT(uv_tcp_bind(&c->listener, (const struct sockaddr *)&a, 0), 0);
    CHECK_EQ_INT(uv_listen((uv_stream_t *)&c->listener, 16, canned_connection), 0);
    struct sockaddr_storage got;
    int len = (int)sizeof got;
    CHECK_EQ_INT(uv_tcp_getsockname(&c->listener, (struct sockaddr *)&got, &len), 0);
    c->port = ntohs(((struct sockaddr_in *)&got)->sin_port);
    CHECK_EQ_INT(uv_thread_create(&c->thread, canned_main, c), 0);
}

static void canned_stop(canned *c)
{
    CHECK_EQ_INT(uv_async_send(&c->stop), 0);
    CHECK_EQ_INT(uv_thread_join(&c->thread), 0);
    CHECK_EQ_INT(uv_loop_close(&c->loop), 0);
}

/* One job against a server that always answers |reply|: ERROR with |want|. */
static void test_violation(const char *dir, const char *what, const char *reply, bgcopy_hr want)
{
    canned c;
    canned_start(&c, reply);
    char url[96];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/%s", c.port, what);
    char *dest = ct_path(dir, what);
    bgcopy_job *job = ct_new_job(g_m, what);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ht_wait_errors(job, 1, 30000);
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    bgcopy_job_error e;
    CHECK_HR_OK(bgcopy_job_get_error(job, &e));
    CHECK_MSG(e.code == want && st == BGCOPY_JOB_STATE_ERROR,
              "%s: 0x%08x in %s, want 0x%08x in ERROR", what, (unsigned)e.code,
              bgcopy_job_state_name(st), (unsigned)want);
    CHECK_EQ_INT(e.context, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    const char *text = bgcopy_hr_description(e.code);
    CHECK(text != NULL && strstr(text, "not a valid URL") == NULL);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK(!ct_exists(dest));
    bgcopy_job_release(job);
    free(dest);
    canned_stop(&c);
}

static void test_violations(const char *dir)
{
    test_violation(dir, "http09", "no status line, just bytes\n", BGCOPY_E_INVALID_SERVER_RESPONSE);
    test_violation(dir, "length-negative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello",
                   BGCOPY_E_INVALID_SERVER_RESPONSE);
    test_violation(dir, "length-letters", "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello",
                   BGCOPY_E_INVALID_SERVER_RESPONSE);
    test_violation(dir, "length-twice",
                   "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 9\r\n\r\nhello",
                   BGCOPY_E_INVALID_SERVER_RESPONSE);
    size_t big = 110 * 1024;
    char *reply = malloc(big + 128);
    CHECK_NOT_NULL(reply);
    strcpy(reply, "HTTP/1.1 200 OK\r\nX-Big: ");
    size_t n = strlen(reply);
    memset(reply + n, 'a', big);
    strcpy(reply + n + big, "\r\nContent-Length: 5\r\n\r\nhello");
    test_violation(dir, "big-header", reply, BGCOPY_E_INVALID_SERVER_RESPONSE);
    free(reply);
    test_violation(dir, "redirect-ftp",
                   "HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\nContent-Length: 0\r\n\r\n",
                   HR_REDIRECT_FAILED);
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_srv, NULL), 0);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &g_m));
    char *dir = ts_mkdtemp();

    test_body_not_pinned_size(dir, "", 32u * 1024 * 1024);            /* chunked */
    test_body_not_pinned_size(dir, "&http10=1", 32u * 1024 * 1024);   /* ended by close */
    test_body_not_pinned_size(dir, "", 50);                           /* short, clean end */
    test_violations(dir);

    bgcopy_manager_close(g_m);
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_http_hostile: ok\n");
    return 0;
}
