/*
 * auth_nginx.c - credentials, proxies, client certificates, the HTTP
 * method and the server-certificate hook against servers nobody here
 * wrote: nginx (auth_basic, ssl_verify_client, return) and tinyproxy
 * (plain, and with BasicAuth), all on 127.0.0.1.
 *
 * Certificates are made at run time with the openssl command; the servers
 * run as child processes with everything in a private temp directory and
 * are stopped by PID.  Exits 77 (ctest SKIP) when nginx, openssl or
 * tinyproxy is not installed, and on Windows.
 */
#ifdef _WIN32
#include <stdio.h>

int main(void)
{
    printf("transport_auth_nginx: SKIP (needs Linux nginx, tinyproxy and openssl)\n");
    return 77;
}
#else
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bgt_test_util.h"
#include "check.h"
#include "harness.h"

extern char **environ;

static char *dir;
static pid_t pids[3];
static int npids;
static int port_http, port_tls, port_proxy, port_authproxy;
static ts_server srv;

static const char *find_exe(const char *const *candidates)
{
    for (; *candidates; candidates++)
        if (access(*candidates, X_OK) == 0)
            return *candidates;
    return NULL;
}

static int run(const char *const argv[])
{
    pid_t pid;
    int st;
    int rc = posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, environ);
    CHECK_MSG(rc == 0, "spawn %s: %s", argv[0], strerror(rc));
    CHECK(waitpid(pid, &st, 0) == pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *in_dir(const char *name)
{
    return bt_path(dir, name);
}

/* Runs argv with stdout into dir/out; returns the output (malloc'ed). */
static char *run_capture(const char *const argv[], const char *out)
{
    posix_spawn_file_actions_t fa;
    char *path = in_dir(out);
    pid_t pid;
    int st;
    CHECK_EQ_INT(posix_spawn_file_actions_init(&fa), 0);
    CHECK_EQ_INT(posix_spawn_file_actions_addopen(&fa, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
    CHECK_EQ_INT(posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ), 0);
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    posix_spawn_file_actions_destroy(&fa);
    char *text = ts_read_file(path, NULL);
    CHECK(text != NULL);
    free(path);
    return text;
}

static void stop_all(void)
{
    for (int i = 0; i < npids; i++)
        if (pids[i] > 0) {
            kill(pids[i], SIGTERM);
            waitpid(pids[i], NULL, 0);
            pids[i] = 0;
        }
    npids = 0;
}

static void start(const char *const argv[], int *port)
{
    CHECK(npids < 3);
    CHECK_EQ_INT(posix_spawn(&pids[npids], argv[0], NULL, NULL, (char *const *)argv, environ), 0);
    npids++;
    CHECK_MSG(ts_wait_until(ts_port_listens, port, 10000), "%s did not listen on %d", argv[0], *port);
}

static void write_text(const char *name, const char *text)
{
    char *p = in_dir(name);
    CHECK_EQ_INT(ts_write_file(p, text, strlen(text)), 0);
    free(p);
}

static void make_certs(const char *openssl)
{
    char *key = in_dir("server.key"), *crt = in_dir("server.pem");
    char *cakey = in_dir("ca.key"), *ca = in_dir("ca.pem"), *ckey = in_dir("client.key");
    char *csr = in_dir("client.csr"), *cpem = in_dir("client.pem");
    const char *srv_argv[] = {openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                              key, "-out", crt, "-days", "2", "-subj", "/CN=127.0.0.1",
                              "-addext", "subjectAltName=IP:127.0.0.1", NULL};
    const char *ca_argv[] = {openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                             cakey, "-out", ca, "-days", "2", "-subj", "/CN=bgcopy test client CA",
                             NULL};
    const char *csr_argv[] = {openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", ckey,
                              "-out", csr, "-subj", "/CN=bgcopy test client", NULL};
    const char *sign_argv[] = {openssl, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", cakey,
                               "-CAcreateserial", "-out", cpem, "-days", "2", NULL};
    CHECK_EQ_INT(run(srv_argv), 0);
    CHECK_EQ_INT(run(ca_argv), 0);
    CHECK_EQ_INT(run(csr_argv), 0);
    CHECK_EQ_INT(run(sign_argv), 0);
    /* One file with certificate and key, as a store entry holds them. */
    char *c = ts_read_file(cpem, NULL), *k = ts_read_file(ckey, NULL);
    CHECK(c != NULL && k != NULL);
    char *both = malloc(strlen(c) + strlen(k) + 1);
    CHECK(both != NULL);
    strcpy(both, c);
    strcat(both, k);
    write_text("client-both.pem", both);
    free(both);
    free(c);
    free(k);
    free(key), free(crt), free(cakey), free(ca), free(ckey), free(csr), free(cpem);
}

static void start_nginx(const char *nginx, const char *openssl)
{
    char conf[16384];
    const char *pw_argv[] = {openssl, "passwd", "-apr1", "s3cret pass", NULL};
    char *hash = run_capture(pw_argv, "hash.txt");
    char htpasswd[512];
    hash[strcspn(hash, "\r\n")] = '\0';
    snprintf(htpasswd, sizeof htpasswd, "alice:%s\n", hash);
    free(hash);
    write_text("htpasswd", htpasswd);
    char *www = in_dir("www"), *tmp = in_dir("tmp");
    CHECK_EQ_INT(mkdir(www, 0755), 0);
    CHECK_EQ_INT(mkdir(tmp, 0700), 0);
    free(www);
    free(tmp);
    port_http = ts_free_port();
    port_tls = ts_free_port();
    snprintf(conf, sizeof conf,
             "daemon off;\nmaster_process off;\nworker_processes 1;\n"
             "pid %1$s/nginx.pid;\nerror_log %1$s/error.log warn;\n"
             "events { worker_connections 64; }\n"
             "http {\n"
             "  log_format a escape=none '$request_method $request_uri $status host=$host"
             " auth=$http_authorization pauth=$http_proxy_authorization';\n"
             "  access_log %1$s/access.log a;\n"
             "  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp;\n"
             "  fastcgi_temp_path %1$s/tmp; uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;\n"
             "  server {\n"
             "    listen 127.0.0.1:%2$d;\n"
             "    root %1$s/www;\n"
             "    location /secret/ { auth_basic \"bgcopy\"; auth_basic_user_file %1$s/htpasswd;"
             " alias %1$s/www/; }\n"
             "    location = /tohost { return 302 http://localhost:%2$d/secret/data.bin; }\n"
             "    location = /method { return 200 \"0123456789\"; }\n"
             "  }\n"
             "  server {\n"
             "    listen 127.0.0.1:%3$d ssl;\n"
             "    ssl_certificate %1$s/server.pem; ssl_certificate_key %1$s/server.key;\n"
             "    ssl_client_certificate %1$s/ca.pem; ssl_verify_client on;\n"
             "    root %1$s/www;\n"
             "    location = /up { return 301 /data.bin; }\n"
             "  }\n"
             "}\n",
             dir, port_http, port_tls);
    write_text("nginx.conf", conf);
    char *confp = in_dir("nginx.conf");
    const char *argv[] = {nginx, "-e", "stderr", "-p", dir, "-c", confp, NULL};
    start(argv, &port_http);
    CHECK(ts_wait_until(ts_port_listens, &port_tls, 10000));
    free(confp);
}

static void start_tinyproxy(const char *tinyproxy, const char *name, int *port, const char *extra)
{
    char conf[4096], file[64];
    *port = ts_free_port();
    snprintf(conf, sizeof conf,
             "Port %d\nListen 127.0.0.1\nTimeout 60\nMaxClients 16\n"
             "LogFile \"%s/%s.log\"\nLogLevel Info\n%s",
             *port, dir, name, extra);
    snprintf(file, sizeof file, "%s.conf", name);
    write_text(file, conf);
    char *confp = in_dir(file);
    const char *argv[] = {tinyproxy, "-d", "-c", confp, NULL};
    start(argv, port);
    free(confp);
}

static int file_has(const char *name, const char *needle)
{
    char *p = in_dir(name);
    char *text = ts_read_file(p, NULL);
    int found = text != NULL && strstr(text, needle) != NULL;
    free(text);
    free(p);
    return found;
}

typedef struct wait_log {
    const char *file, *needle;
} wait_log;

static int log_has(void *arg)
{
    wait_log *w = arg;
    return file_has(w->file, w->needle);
}

static void wait_for(const char *file, const char *needle)
{
    wait_log w = {file, needle};
    CHECK_MSG(ts_wait_until(log_has, &w, 10000), "%s never logged \"%s\"", file, needle);
}

static char *url_of(const char *scheme, const char *host, int port, const char *path)
{
    char *u = malloc(strlen(path) + 128);
    CHECK(u != NULL);
    sprintf(u, "%s://%s:%d%s", scheme, host, port, path);
    return u;
}

static bgt_auth creds(unsigned schemes, const char *user, const char *pass)
{
    bgt_auth a = {schemes, user, pass};
    return a;
}

static void test_basic_auth(void)
{
    char *dst = in_dir("dst.bin");
    char *url = url_of("http", "127.0.0.1", port_http, "/secret/data.bin");
    bt_result r;
    int fd = bt_make_file(dst, 4, 'X');
    bgt_request q = bt_request(url, fd);

    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 401);
    CHECK(bt_region_is(dst, 0, 4, 'X'));

    q.server_auth = creds(BGT_AUTH_BASIC, "alice", "wrong");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.resp.http_status, 401);
    CHECK(bt_region_is(dst, 0, 4, 'X'));

    q.server_auth = creds(BGT_AUTH_BASIC, "alice", "s3cret pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, 100000));
    bt_close(fd);

    /* nginx redirects to another host name: the credentials stay home. */
    char *to = url_of("http", "127.0.0.1", port_http, "/tohost");
    fd = bt_make_file(dst, 4, 'X');
    q = bt_request(to, fd);
    q.server_auth = creds(BGT_AUTH_BASIC, "alice", "s3cret pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 401);
    CHECK_EQ_INT(r.resp.redirect_count, 1);
    CHECK(bt_region_is(dst, 0, 4, 'X'));
    wait_for("access.log", "GET /secret/data.bin 401 host=localhost auth= pauth=");
    CHECK(!file_has("access.log", "host=localhost auth=Basic"));
    bt_close(fd);
    free(to);
    free(url);
    free(dst);
}

static void test_method(void)
{
    char *dst = in_dir("method.bin");
    char *url = url_of("http", "127.0.0.1", port_http, "/method");
    bt_result r;
    int fd = bt_make_file(dst, 0, 0);
    bgt_request q = bt_request(url, fd);
    q.http_method = "PROPFIND";
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(bt_file_size(dst), 10);
    wait_for("access.log", "PROPFIND /method 200");
    q.http_method = "GET";
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    wait_for("access.log", "GET /method 200");
    bt_close(fd);
    free(url);
    free(dst);
}

/* The base64 body of the first PEM certificate in text, without line ends. */
static char *pem_body(const char *text)
{
    const char *b = strstr(text, "-----BEGIN CERTIFICATE-----");
    const char *e = b ? strstr(b, "-----END CERTIFICATE-----") : NULL;
    CHECK(b != NULL && e != NULL);
    b += strlen("-----BEGIN CERTIFICATE-----");
    char *out = malloc((size_t)(e - b) + 1), *o = out;
    CHECK(out != NULL);
    for (; b < e; b++)
        if (*b != '\r' && *b != '\n')
            *o++ = *b;
    *o = '\0';
    return out;
}

static struct {
    int calls;
    long verdict;
    char first[8192];
    char host[64];
    long port;
    size_t count;
} hook;

static long on_cert(bgt_transfer *t, const char *const *pem, size_t count, const char *host,
                    long port, void *user)
{
    (void)t;
    (void)user;
    hook.calls++;
    hook.count = count;
    snprintf(hook.first, sizeof hook.first, "%s", count > 0 ? pem[0] : "");
    snprintf(hook.host, sizeof hook.host, "%s", host);
    hook.port = port;
    return hook.verdict;
}

static void test_client_cert_and_hook(void)
{
    char *dst = in_dir("tls.bin");
    char *url = url_of("https", "127.0.0.1", port_tls, "/data.bin");
    char *ca = in_dir("server.pem"), *cert = in_dir("client.pem"), *key = in_dir("client.key");
    char *both = in_dir("client-both.pem");
    bt_result r;
    int fd = bt_make_file(dst, 4, 'X');
    bgt_request q = bt_request(url, fd);
    q.ca_file = ca;

    /* No certificate: nginx refuses (400), nothing written. */
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 400);
    CHECK(bt_region_is(dst, 0, 4, 'X'));

    /* Certificate and key in two files, then in one. */
    q.client_cert = cert;
    q.client_key = key;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, 100000));
    bt_close(fd);
    fd = bt_make_file(dst, 0, 0);
    q.fd = fd;
    q.client_cert = both;
    q.client_key = NULL;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, 100000));
    bt_close(fd);

    /* A certificate nginx's CA did not sign (the server's own). */
    fd = bt_make_file(dst, 4, 'X');
    q.fd = fd;
    char *skey = in_dir("server.key");
    q.client_cert = ca;
    q.client_key = skey;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 400);
    CHECK(bt_region_is(dst, 0, 4, 'X'));
    q.client_cert = both;
    q.client_key = NULL;

    /* The hook sees the server's certificate and accepts it. */
    q.on_server_cert = on_cert;
    hook.verdict = 0;
    hook.calls = 0;
    bt_close(fd);
    fd = bt_make_file(dst, 0, 0);
    q.fd = fd;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, 100000));
    CHECK_EQ_INT(hook.calls, 1);
    CHECK_EQ_U64(hook.count, 1);
    CHECK_EQ_STR(hook.host, "127.0.0.1");
    CHECK_EQ_INT((int)hook.port, port_tls);
    char *file_pem = ts_read_file(ca, NULL);
    char *want = pem_body(file_pem), *got = pem_body(hook.first);
    CHECK_EQ_STR(got, want);
    free(want), free(got), free(file_pem);
    bt_close(fd);

    /* Every hop of a redirect is a new connection the hook judges. */
    char *up = url_of("https", "127.0.0.1", port_tls, "/up");
    fd = bt_make_file(dst, 0, 0);
    q.fd = fd;
    q.url = up;
    hook.calls = 0;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(r.resp.redirect_count, 1);
    CHECK_EQ_INT(hook.calls, 2);
    bt_close(fd);

    /* A rejection: nothing sent, nothing written, the hook's value back. */
    char *rej = url_of("https", "127.0.0.1", port_tls, "/rejected.bin");
    fd = bt_make_file(dst, 4, 'X');
    q.fd = fd;
    q.url = rej;
    hook.calls = 0;
    hook.verdict = (long)0x80070005L;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_CERT_REJECTED);
    CHECK(r.resp.cert_verdict == (long)0x80070005L);
    CHECK_EQ_INT(r.resp.http_status, 0);
    CHECK_EQ_INT(hook.calls, 1);
    CHECK(bt_region_is(dst, 0, 4, 'X'));
    /* A later request is logged, the rejected one never was. */
    hook.verdict = 0;
    q.url = url;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    wait_for("access.log", "GET /data.bin 200");
    CHECK(!file_has("access.log", "/rejected.bin"));
    bt_close(fd);

    free(rej), free(up), free(skey);
    free(url), free(dst), free(ca), free(cert), free(key), free(both);
}

static void test_proxies(void)
{
    char *dst = in_dir("proxied.bin");
    char list[128], authlist[128];
    char *url = ts_url(&srv, "/gen/4321?id=viaproxy");
    bt_result r;
    int fd = bt_make_file(dst, 0, 0);
    bgt_request q = bt_request(url, fd);
    snprintf(list, sizeof list, "127.0.0.1:%d", port_proxy);
    snprintf(authlist, sizeof authlist, "http=http://127.0.0.1:%d", port_authproxy);

    /* OVERRIDE: through the proxy (its log shows the request). */
    q.proxy_list = list;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, 4321));
    wait_for("plain.log", "/gen/4321?id=viaproxy");

    /* <local> sends localhost direct. */
    char *local = url_of("http", "localhost", srv.port, "/gen/4321?id=bypassed");
    q.url = local;
    q.proxy_bypass_list = "<local>";
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/4321?id=bypassed\t-\t200"), 1);
    CHECK(!file_has("plain.log", "id=bypassed"));
    q.url = url;
    q.proxy_bypass_list = NULL;

    /* PRECONFIG on Linux: the environment. */
    CHECK_EQ_INT(ts_setenv("http_proxy", "http://127.0.0.1:1"), 0);
    CHECK_EQ_INT(ts_setenv("no_proxy", NULL), 0);
    CHECK_EQ_INT(ts_setenv("NO_PROXY", NULL), 0);
    char env[128];
    snprintf(env, sizeof env, "http://127.0.0.1:%d", port_proxy);
    CHECK_EQ_INT(ts_setenv("http_proxy", env), 0);
    char *envurl = ts_url(&srv, "/gen/4321?id=fromenv");
    q.url = envurl;
    q.proxy_list = NULL;
    q.proxy = NULL;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    wait_for("plain.log", "/gen/4321?id=fromenv");
    CHECK_EQ_INT(ts_setenv("http_proxy", NULL), 0);
    q.url = url;
    q.proxy = "";

    /* HTTPS through the proxy (CONNECT), with a client certificate. */
    char *tls = url_of("https", "127.0.0.1", port_tls, "/data.bin");
    char *ca = in_dir("server.pem"), *both = in_dir("client-both.pem");
    bt_close(fd);
    fd = bt_make_file(dst, 0, 0);
    q.fd = fd;
    q.url = tls;
    q.ca_file = ca;
    q.client_cert = both;
    q.proxy_list = list;
    q.ranged = 1;
    q.range_first = 10;
    q.range_length = 100;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(r.resp.http_status, 206);
    CHECK(bt_region_is_gen(dst, 0, 10, 100));
    wait_for("plain.log", "CONNECT");

    /* A proxy that wants credentials: 407 without them or with wrong ones
     * (over CONNECT too), the download with them; the origin never sees
     * them. */
    snprintf(authlist, sizeof authlist, "127.0.0.1:%d", port_authproxy);
    q.proxy_list = authlist;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 407);
    q.proxy_auth = creds(BGT_AUTH_BASIC, "proxyuser", "proxy-pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(bt_region_is_gen(dst, 0, 10, 100));
    q.ranged = 0;
    q.client_cert = NULL;
    q.ca_file = NULL;
    char *origin = url_of("http", "127.0.0.1", port_http, "/method");
    q.url = origin;
    bt_close(fd);
    fd = bt_make_file(dst, 0, 0);
    q.fd = fd;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(bt_file_size(dst), 10);
    wait_for("access.log", "GET /method 200 host=127.0.0.1 auth= pauth=\n");
    q.proxy_auth = creds(BGT_AUTH_BASIC, "proxyuser", "wrong");
    bt_close(fd);
    fd = bt_make_file(dst, 4, 'X');
    q.fd = fd;
    bt_run(&q, &r, 30000);
    /* tinyproxy 1.11 refuses a plain-HTTP request with 401 and
     * WWW-Authenticate (CONNECT gets 407): whichever it says is reported. */
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK(r.resp.http_status == 407 || r.resp.http_status == 401);
    CHECK(bt_region_is(dst, 0, 4, 'X'));
    q.proxy_auth = creds(0, NULL, NULL);
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK(r.resp.http_status == 407 || r.resp.http_status == 401);
    CHECK(bt_region_is(dst, 0, 4, 'X'));

    /* nginx as the "proxy" (it serves absolute-form requests) shows what
     * the proxy receives. */
    char nlist[64];
    snprintf(nlist, sizeof nlist, "127.0.0.1:%d", port_http);
    q.proxy_list = nlist;
    char *vianginx = url_of("http", "127.0.0.1", port_http, "/method?via=nginx");
    q.url = vianginx;
    q.proxy_auth = creds(BGT_AUTH_BASIC, "proxyuser", "proxy-pass");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    /* Proxy credentials, like server ones, wait for a challenge. */
    wait_for("access.log", "GET /method?via=nginx 200 host=127.0.0.1 auth= pauth=\n");
    bt_close(fd);

    free(vianginx), free(origin), free(tls), free(ca), free(both), free(envurl), free(local);
    free(url), free(dst);
}

int main(void)
{
    static const char *const nginxes[] = {"/usr/sbin/nginx", "/usr/local/sbin/nginx",
                                          "/usr/bin/nginx", NULL};
    static const char *const openssls[] = {"/usr/bin/openssl", "/usr/local/bin/openssl", NULL};
    static const char *const tinyproxies[] = {"/usr/bin/tinyproxy", "/usr/sbin/tinyproxy",
                                              "/usr/local/bin/tinyproxy", NULL};
    const char *nginx = find_exe(nginxes), *openssl = find_exe(openssls);
    const char *tinyproxy = find_exe(tinyproxies);
    if (nginx == NULL || openssl == NULL || tinyproxy == NULL) {
        printf("transport_auth_nginx: SKIP (nginx, openssl or tinyproxy not installed)\n");
        return 77;
    }
    dir = ts_mkdtemp();
    atexit(stop_all);
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    make_certs(openssl);
    start_nginx(nginx, openssl);
    start_tinyproxy(tinyproxy, "plain", &port_proxy, "");
    start_tinyproxy(tinyproxy, "auth", &port_authproxy, "BasicAuth proxyuser proxy-pass\n");
    char *data = in_dir("www/data.bin");
    CHECK_EQ_INT(ts_write_gen_file(data, 100000), 0);
    free(data);

    test_basic_auth();
    test_method();
    test_client_cert_and_hook();
    test_proxies();

    stop_all();
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("transport_auth_nginx: all passed\n");
    return 0;
}
#endif /* _WIN32 */
