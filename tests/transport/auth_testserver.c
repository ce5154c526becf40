/*
 * auth_testserver.c - credentials, BITS proxy lists, the HTTP method
 * checks and the raw response headers, against bgcopy-testserver (whose
 * Basic and Digest authentication is libmicrohttpd's) on 127.0.0.1.
 *
 * What a user of IBackgroundCopyJob2::SetCredentials would check: the
 * download works with the right credentials, fails with the server's 401
 * (and nothing written) with wrong or missing ones, credentials go out only
 * when the server asks, and never to another host or port a redirect
 * names.  Runs on Linux and Windows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bgt_test_util.h"
#include "check.h"
#include "harness.h"

static char *dir;
static ts_server srv, other;

static int log_count(ts_server *s, const char *line)
{
    return ts_server_log_count(s, line);
}

static bgt_auth creds(unsigned schemes, const char *user, const char *pass)
{
    bgt_auth a;
    a.schemes = schemes;
    a.username = user;
    a.password = pass;
    return a;
}

static void test_digest(void)
{
    char *path = bt_path(dir, "digest.bin");
    char *url = ts_url(&srv, "/gen/5000?auth=digest&user=alice&pass=s3cret");
    bt_result r;
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);

    /* Right credentials: one challenge, then the body. */
    q.server_auth = creds(BGT_AUTH_DIGEST, "alice", "s3cret");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(r.resp.http_status, 200);
    CHECK_EQ_INT(r.resp.redirect_count, 0);
    CHECK(ts_file_matches_gen(path, 5000));
    CHECK_EQ_INT(log_count(&srv, "GET\t/gen/5000?auth=digest&user=alice&pass=s3cret\t-\t401"), 1);
    CHECK_EQ_INT(log_count(&srv, "GET\t/gen/5000?auth=digest&user=alice&pass=s3cret\t-\t200"), 1);
    /* The raw headers are the final response's, not the challenge's. */
    CHECK(strncmp(r.raw_headers, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(strstr(r.raw_headers, "Content-Length: 5000\r\n") != NULL);
    CHECK(strstr(r.raw_headers, "WWW-Authenticate") == NULL);
    CHECK(strcmp(r.raw_headers + strlen(r.raw_headers) - 4, "\r\n\r\n") == 0);
    CHECK_EQ_INT(r.resp.raw_headers_truncated, 0);
    bt_close(fd);

    /* Wrong password: the server's 401 stands and nothing is written. */
    fd = bt_make_file(path, 8, 'X');
    q = bt_request(url, fd);
    q.server_auth = creds(BGT_AUTH_DIGEST, "alice", "wrong");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 401);
    CHECK(bt_region_is(path, 0, 8, 'X'));
    CHECK_EQ_U64(bt_file_size(path), 8);
    CHECK(strstr(r.raw_headers, "WWW-Authenticate: Digest") != NULL);
    CHECK(strstr(r.message, "wrong") == NULL);

    /* No credentials at all: one request, its 401. */
    q.server_auth = creds(0, NULL, NULL);
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 401);
    CHECK(bt_region_is(path, 0, 8, 'X'));

    /* Credentials for Basic only: a Digest challenge cannot be answered
     * with them (no downgrade to sending the password in clear). */
    q.server_auth = creds(BGT_AUTH_BASIC, "alice", "s3cret");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 401);
    CHECK(bt_region_is(path, 0, 8, 'X'));

    /* Several schemes with one user: curl picks the one offered. */
    q.server_auth = creds(BGT_AUTH_BASIC | BGT_AUTH_DIGEST | BGT_AUTH_NTLM, "alice", "s3cret");
    q.ranged = 1;
    q.range_first = 1000;
    q.range_length = 8;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(r.resp.http_status, 206);
    CHECK(bt_region_is_gen(path, 0, 1000, 8));
    bt_close(fd);
    free(url);
    free(path);
}

static void test_basic(void)
{
    char *path = bt_path(dir, "basic.bin");
    char *url = ts_url(&srv, "/gen/3000?auth=basic&id=b1");
    bt_result r;
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);

    /* BITS sends credentials only when challenged: a 401 comes first even
     * though Basic could have been sent up front. */
    q.server_auth = creds(BGT_AUTH_BASIC, "user", "pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(path, 3000));
    CHECK_EQ_INT(log_count(&srv, "GET\t/gen/3000?auth=basic&id=b1\t-\t401"), 1);
    CHECK_EQ_INT(log_count(&srv, "GET\t/gen/3000?auth=basic&id=b1\t-\t200"), 1);
    bt_close(fd);

    /* HEAD with credentials. */
    q = bt_request(url, -1);
    q.method = BGT_HEAD;
    q.server_auth = creds(BGT_AUTH_BASIC, "user", "pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.resp.resource_size, 3000);

    /* Passport is accepted and never answered: the 401 stands. */
    fd = bt_make_file(path, 0, 0);
    q = bt_request(url, fd);
    q.server_auth = creds(BGT_AUTH_PASSPORT, "user", "pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 401);
    CHECK_EQ_U64(bt_file_size(path), 0);
    bt_close(fd);
    free(url);
    free(path);
}

/* Credentials given for 127.0.0.1:PORT never go to a redirect's other host
 * name (localhost, same port) or other port: the target, which wants the
 * same credentials, answers 401.  Within the same origin they do. */
static void test_redirect_keeps_credentials_home(void)
{
    char *path = bt_path(dir, "redir.bin");
    char target[256], *url;
    bt_result r;
    int fd = bt_make_file(path, 4, 'X');
    bgt_request q;

    /* Same origin: followed and answered. */
    url = ts_url(&srv, "/gen/100?redirect=302&to=%%2Fgen%%2F2000%%3Fauth%%3Dbasic%%26id%%3Dsame");
    q = bt_request(url, fd);
    q.server_auth = creds(BGT_AUTH_BASIC, "user", "pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(r.resp.redirect_count, 1);
    CHECK(ts_file_matches_gen(path, 2000));
    CHECK_EQ_INT(log_count(&srv, "GET\t/gen/2000?auth=basic&id=same\t-\t200"), 1);
    free(url);
    bt_close(fd);

    /* Another host name for the same server. */
    snprintf(target, sizeof target, "http%%3A%%2F%%2Flocalhost%%3A%d%%2Fgen%%2F2000%%3Fauth%%3Dbasic%%26id%%3Dhost",
             srv.port);
    url = ts_url(&srv, "/gen/100?redirect=302&to=%s", target);
    fd = bt_make_file(path, 4, 'X');
    q = bt_request(url, fd);
    q.server_auth = creds(BGT_AUTH_BASIC, "user", "pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 401);
    CHECK(bt_region_is(path, 0, 4, 'X'));
    CHECK_EQ_INT(log_count(&srv, "GET\t/gen/2000?auth=basic&id=host\t-\t200"), 0);
    CHECK_GE_U64((uint64_t)log_count(&srv, "GET\t/gen/2000?auth=basic&id=host\t-\t401"), 1);
    free(url);
    bt_close(fd);

    /* Another port (a second server). */
    snprintf(target, sizeof target, "http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Fgen%%2F2000%%3Fauth%%3Dbasic%%26id%%3Dport",
             other.port);
    url = ts_url(&srv, "/gen/100?redirect=302&to=%s", target);
    fd = bt_make_file(path, 4, 'X');
    q = bt_request(url, fd);
    q.server_auth = creds(BGT_AUTH_BASIC | BGT_AUTH_DIGEST, "user", "pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 401);
    CHECK(bt_region_is(path, 0, 4, 'X'));
    CHECK_EQ_INT(log_count(&other, "GET\t/gen/2000?auth=basic&id=port\t-\t200"), 0);
    CHECK_GE_U64((uint64_t)log_count(&other, "GET\t/gen/2000?auth=basic&id=port\t-\t401"), 1);
    free(url);
    bt_close(fd);
    free(path);
}

/* Argument checks bgt_start makes itself. */
static void test_start_checks(void)
{
    uv_loop_t loop;
    bgt_engine *e = NULL;
    bgt_transfer *t = NULL;
    char *url = ts_url(&srv, "/gen/10");
    bgt_request q = bt_request(url, -1);
    q.method = BGT_HEAD;
    q.on_done = NULL;
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    CHECK_EQ_INT(bgt_engine_init(&e, &loop), 0);
    q.on_done = (bgt_done_cb)1; /* never called: every start below fails */
    static const char *const bad_methods[] = {"", "GE T", "GET\r\nX: y", "G\"T", NULL};
    for (const char *const *m = bad_methods; *m; m++) {
        q.http_method = *m;
        CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EINVAL);
        CHECK(t == NULL);
    }
    char longm[80];
    memset(longm, 'A', 65);
    longm[65] = '\0';
    q.http_method = longm;
    CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EINVAL);
    q.http_method = NULL;
    q.server_auth = creds(BGT_AUTH_BASIC, NULL, NULL);
    CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EINVAL);
    q.server_auth = creds(BGT_AUTH_NTLM, "u", NULL);
    CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EINVAL);
    q.server_auth = creds(0, NULL, NULL);
    q.proxy_auth = creds(BGT_AUTH_DIGEST, NULL, NULL);
    CHECK_EQ_INT(bgt_start(e, &q, &t), UV_EINVAL);
    bgt_engine_close(e);
    CHECK_EQ_INT(uv_run(&loop, UV_RUN_DEFAULT), 0);
    CHECK_EQ_INT(uv_loop_close(&loop), 0);
    free(url);
}

/* A port nothing listens on, held so nobody else takes it. */
typedef struct held_port {
    uv_loop_t loop;
    uv_tcp_t sock;
    int port;
} held_port;

static void hold_port(held_port *p)
{
    struct sockaddr_in a;
    struct sockaddr_storage bound;
    int len = sizeof bound;
    CHECK_EQ_INT(uv_loop_init(&p->loop), 0);
    CHECK_EQ_INT(uv_tcp_init(&p->loop, &p->sock), 0);
    CHECK_EQ_INT(uv_ip4_addr("127.0.0.1", 0, &a), 0);
    CHECK_EQ_INT(uv_tcp_bind(&p->sock, (const struct sockaddr *)&a, 0), 0);
    CHECK_EQ_INT(uv_tcp_getsockname(&p->sock, (struct sockaddr *)&bound, &len), 0);
    p->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
}

static void release_port(held_port *p)
{
    uv_close((uv_handle_t *)&p->sock, NULL);
    CHECK_EQ_INT(uv_run(&p->loop, UV_RUN_DEFAULT), 0);
    CHECK_EQ_INT(uv_loop_close(&p->loop), 0);
}

/* BITS proxy lists at transfer time: the proxy is a port that refuses
 * connections, so going through it is BGT_ERR_CONNECT and going direct
 * is BGT_OK. */
static void test_proxy_lists(void)
{
    held_port hp;
    char list[256], url_local[128];
    char *path = bt_path(dir, "proxylist.bin");
    char *url = ts_url(&srv, "/gen/1500");
    bt_result r;
    int fd = bt_make_file(path, 0, 0);
    bgt_request q = bt_request(url, fd);
    hold_port(&hp);
    snprintf(url_local, sizeof url_local, "http://localhost:%d/gen/1500", srv.port);

    snprintf(list, sizeof list, "127.0.0.1:%d", hp.port);
    q.proxy_list = list;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_CONNECT);

    /* The environment's no_proxy does not undo an OVERRIDE list. */
    CHECK_EQ_INT(ts_setenv("no_proxy", "127.0.0.1,localhost"), 0);
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_CONNECT);
    CHECK_EQ_INT(ts_setenv("no_proxy", NULL), 0);

    static const char *const direct_bypass[] = {"<local>", "*.0.0.1", "example.com 127.0.0.1",
                                                "*", "x;*0.1", NULL};
    for (const char *const *b = direct_bypass; *b; b++) {
        q.proxy_bypass_list = *b;
        bt_run(&q, &r, 30000);
        CHECK_MSG(r.status == BGT_OK, "bypass list \"%s\" gave %s", *b, bgt_status_name(r.status));
    }
    static const char *const proxied_bypass[] = {"127.0.0.2", "*.example.com", "localhost",
                                                 "", NULL};
    for (const char *const *b = proxied_bypass; *b; b++) {
        q.proxy_bypass_list = *b;
        bt_run(&q, &r, 30000);
        CHECK_MSG(r.status == BGT_ERR_CONNECT, "bypass list \"%s\" gave %s", *b,
                  bgt_status_name(r.status));
    }
    /* <local>: a host name without a dot. */
    q.url = url_local;
    q.proxy_bypass_list = "<local>";
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    q.url = url;
    q.proxy_bypass_list = NULL;

    /* A list with a proxy for https only sends http direct. */
    snprintf(list, sizeof list, "https=127.0.0.1:%d", hp.port);
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    snprintf(list, sizeof list, "https=http://127.0.0.1:1 http=http://127.0.0.1:%d", hp.port);
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_CONNECT);
    CHECK(ts_file_matches_gen(path, 1500));

    /* Bad lists fail the transfer, not bgt_start (BITS finds them when the
     * job runs), and write nothing. */
    static const char *const bad[] = {"http://user:pw@127.0.0.1:3128", "127.0.0.1:3128/path",
                                      "gopher=127.0.0.1:70", "socks5://127.0.0.1:1080",
                                      "127.0.0.1:99999", "  ", NULL};
    bt_close(fd);
    fd = bt_make_file(path, 4, 'X');
    q.fd = fd;
    for (const char *const *b = bad; *b; b++) {
        q.proxy_list = *b;
        bt_run(&q, &r, 30000);
        CHECK_MSG(r.status == BGT_ERR_PROXY_INFO, "list \"%s\" gave %s", *b,
                  bgt_status_name(r.status));
        CHECK(bt_region_is(path, 0, 4, 'X'));
    }
    release_port(&hp);
    bt_close(fd);
    free(url);
    free(path);
}

/* bgt_proxy_pick itself: what libcurl is told. */
static void test_proxy_pick(void)
{
    struct {
        const char *url, *list, *bypass, *want;
    } ok[] = {
        {"http://a.example/x", "proxy", NULL, "http://proxy:80"},
        {"https://a.example/x", "proxy:3128", NULL, "http://proxy:3128"},
        {"https://a.example/x", "https://proxy", NULL, "https://proxy:443"},
        {"http://a.example/x", "HTTP=p1:1 https=p2:2 p3:3", NULL, "http://p1:1"},
        {"https://a.example/x", "http=p1:1;https=p2:2,p3:3", NULL, "http://p2:2"},
        {"https://a.example/x", "http=p1:1 p3:3 p4:4", NULL, "http://p3:3"},
        {"https://a.example/x", "p3:3 https=p2:2", NULL, "http://p2:2"},
        {"http://a.example/x", "ftp=f:21 socks=s:1080", NULL, ""},
        {"http://a.example/x", "p:1", "*.a.example", "http://p:1"},
        {"http://b.a.example/x", "p:1", "*.A.EXAMPLE", ""},
        {"http://a.example/x", "p:1", "*.example", ""},
        {"http://A.Example/x", "p:1", "a.example", ""},
        {"http://intranet/x", "p:1", "<local>", ""},
        {"http://127.9.9.9/x", "p:1", "<LOCAL>", ""},
        {"http://[::1]:8080/x", "p:1", "<local>", ""},
        {"http://10.0.0.1/x", "p:1", "<local>", "http://p:1"},
        {"http://[::1]/x", "[::2]:8080", NULL, "http://[::2]:8080"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char *got = NULL;
        int rc = bgt_proxy_pick(ok[i].url, ok[i].list, ok[i].bypass, &got);
        CHECK_MSG(rc == 0, "case %zu: %s", i, uv_strerror(rc));
        CHECK_MSG(strcmp(got, ok[i].want) == 0, "case %zu: got \"%s\", want \"%s\"", i, got,
                  ok[i].want);
        free(got);
    }
    static const char *const bad[] = {"", "p:1 http=", "=p:1", "p:1#frag", "p:1?q", "u@p:1",
                                      "ftp://p:1", "p:abc", NULL};
    for (const char *const *b = bad; *b; b++) {
        char *got = (char *)1;
        CHECK_MSG(bgt_proxy_pick("http://a.example/", *b, NULL, &got) == UV_EINVAL, "list \"%s\"",
                  *b);
        CHECK(got == NULL);
    }
    char *got = (char *)1;
    CHECK_EQ_INT(bgt_proxy_pick("not a url", "p:1", NULL, &got), UV_EINVAL);
    CHECK(got == NULL);
    CHECK_EQ_INT(bgt_proxy_pick("http://a/", NULL, NULL, &got), UV_EINVAL);
}

int main(void)
{
    dir = ts_mkdtemp();
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    CHECK_EQ_INT(ts_server_start(&other, NULL), 0);
    test_proxy_pick();
    test_start_checks();
    test_digest();
    test_basic();
    test_redirect_keeps_credentials_home();
    test_proxy_lists();
    CHECK_EQ_INT(ts_server_stop(&other), 0);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("transport_auth_testserver: all passed\n");
    return 0;
}
