/*
 * https_nginx.c - the transport against nginx (a server nobody here wrote)
 * over TLS on 127.0.0.1: certificate checks and their BGT_TLS_* relaxations,
 * HTTP/2, ranges, HEAD, and the https -> http redirect rule.
 *
 * Certificates are made at run time with the openssl command; nginx runs as
 * a child process (master_process off) with everything under a private temp
 * directory, and is stopped by PID.  Exits 77 (ctest SKIP) when nginx or
 * openssl is not installed.
 */
#ifdef _WIN32
#include <stdio.h>

/* nginx and the openssl command are Linux programs started with
 * posix_spawn; under wine (or on Windows) there is neither. */
int main(void)
{
    printf("transport_https_nginx: SKIP (needs a Linux nginx and openssl; not on Windows)\n");
    return 77;
}
#else
#include <arpa/inet.h>
#include <errno.h>
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

#include <curl/curl.h>

#include "bgt_test_util.h"
#include "check.h"
#include "harness.h"

extern char **environ;

static char *dir;
static pid_t nginx_pid;
static int port_good, port_wrong;
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

static void make_cert(const char *openssl, const char *name, const char *cn, const char *san)
{
    char key[4096], crt[4096], subj[256], ext[256];
    snprintf(key, sizeof key, "%s/%s.key", dir, name);
    snprintf(crt, sizeof crt, "%s/%s.pem", dir, name);
    snprintf(subj, sizeof subj, "/CN=%s", cn);
    snprintf(ext, sizeof ext, "subjectAltName=%s", san);
    const char *argv[] = {openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                          key, "-out", crt, "-days", "2", "-subj", subj, "-addext", ext,
                          NULL};
    CHECK_EQ_INT(run(argv), 0);
}

/* A free 127.0.0.1 port (bound, read back, released: a small race with
 * other processes that we accept for a test). */
static void stop_nginx(void)
{
    if (nginx_pid > 0) {
        kill(nginx_pid, SIGTERM);
        waitpid(nginx_pid, NULL, 0);
        nginx_pid = 0;
    }
}

static void start_nginx(const char *nginx)
{
    char conf[4096], www[4096], tmp[4096];
    FILE *f;
    snprintf(conf, sizeof conf, "%s/nginx.conf", dir);
    snprintf(www, sizeof www, "%s/www", dir);
    snprintf(tmp, sizeof tmp, "%s/tmp", dir);
    CHECK_EQ_INT(mkdir(www, 0755), 0);
    CHECK_EQ_INT(mkdir(tmp, 0700), 0);
    port_good = ts_free_port();
    port_wrong = ts_free_port();
    f = fopen(conf, "w");
    CHECK(f != NULL);
    fprintf(f,
            "daemon off;\nmaster_process off;\nworker_processes 1;\n"
            "pid %1$s/nginx.pid;\nerror_log %1$s/error.log warn;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            "  log_format hdrs escape=none '$request_method $uri $status range=$http_range'\n"
            "                  ' if_range=$http_if_range x=$http_x_bgcopy_test';\n"
            "  access_log %1$s/access.log hdrs;\n"
            "  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp;\n"
            "  fastcgi_temp_path %1$s/tmp; uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;\n"
            "  server {\n"
            "    listen 127.0.0.1:%2$d ssl http2;\n"
            "    ssl_certificate %1$s/good.pem; ssl_certificate_key %1$s/good.key;\n"
            "    root %1$s/www;\n"
            "    location = /down { return 302 %4$s/gen/1000; }\n"
            "    location = /up { return 301 /data.bin; }\n"
            "  }\n"
            "  server {\n"
            "    listen 127.0.0.1:%3$d ssl;\n"
            "    ssl_certificate %1$s/wrong.pem; ssl_certificate_key %1$s/wrong.key;\n"
            "    root %1$s/www;\n"
            "  }\n"
            "}\n",
            dir, port_good, port_wrong, srv.base_url);
    CHECK_EQ_INT(fclose(f), 0);
    const char *argv[] = {nginx, "-e", "stderr", "-p", dir, "-c", conf, NULL};
    /* -e: nginx opens its default error log before reading the config. */
    CHECK_EQ_INT(posix_spawn(&nginx_pid, nginx, NULL, NULL, (char *const *)argv, environ), 0);
    atexit(stop_nginx);
    CHECK_MSG(ts_wait_until(ts_port_listens, &port_good, 10000), "nginx did not listen on %d",
              port_good);
    CHECK(ts_wait_until(ts_port_listens, &port_wrong, 10000));
}

/* ts_wait_until predicate: nginx's access log contains the line arg. */
static int access_log_has(void *arg)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/access.log", dir);
    char *log = ts_read_file(path, NULL);
    int found = log != NULL && strstr(log, (const char *)arg) != NULL;
    free(log);
    return found;
}

static char *url_on(int port, const char *path)
{
    char *u = malloc(strlen(path) + 64);
    CHECK(u != NULL);
    sprintf(u, "https://127.0.0.1:%d%s", port, path);
    return u;
}

static char *cert(const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 8);
    CHECK(p != NULL);
    sprintf(p, "%s/%s.pem", dir, name);
    return p;
}

int main(void)
{
    static const char *const nginxes[] = {"/usr/sbin/nginx", "/usr/local/sbin/nginx",
                                          "/usr/bin/nginx", NULL};
    static const char *const openssls[] = {"/usr/bin/openssl", "/usr/local/bin/openssl", NULL};
    const char *nginx = find_exe(nginxes), *openssl = find_exe(openssls);
    const uint64_t size = 3000000;
    bt_result r;
    bgt_request q;
    if (nginx == NULL || openssl == NULL) {
        printf("transport_https_nginx: SKIP (nginx or openssl not installed)\n");
        return 77;
    }
    dir = ts_mkdtemp();
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    make_cert(openssl, "good", "127.0.0.1", "IP:127.0.0.1");
    make_cert(openssl, "wrong", "wrong.example", "DNS:wrong.example");
    start_nginx(nginx);
    char *data = bt_path(dir, "www/data.bin");
    CHECK_EQ_INT(ts_write_gen_file(data, size), 0);
    char *dst = bt_path(dir, "dst.bin");
    char *good_ca = cert("good"), *wrong_ca = cert("wrong");
    char *url = url_on(port_good, "/data.bin");
    int fd;

    /* An unknown CA fails, and writes nothing. */
    fd = bt_make_file(dst, 8, 'X');
    q = bt_request(url, fd);
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_TLS);
    CHECK_EQ_INT(r.curl_code, CURLE_PEER_FAILED_VERIFICATION);
    CHECK(bt_region_is(dst, 0, 8, 'X'));
    close(fd);

    /* Trusted through ca_file: byte-exact, over HTTP/2 when curl has it. */
    fd = bt_make_file(dst, 0, 0);
    q = bt_request(url, fd);
    q.ca_file = good_ca;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, size));
    CHECK_EQ_U64(r.resp.content_length, size);
    if (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_HTTP2)
        CHECK_EQ_INT(r.resp.http_version, 20);
    CHECK(r.resp.etag[0] == '"');
    close(fd);

    /* BGT_TLS_IGNORE_UNKNOWN_CA instead of trusting it. */
    fd = bt_make_file(dst, 0, 0);
    q = bt_request(url, fd);
    q.tls_flags = BGT_TLS_IGNORE_UNKNOWN_CA;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, size));
    close(fd);

    /* A range into the middle of a file, and HEAD, from a real server. */
    fd = bt_make_file(dst, 3000, 'X');
    q = bt_request(url, fd);
    q.ca_file = good_ca;
    q.ranged = 1;
    q.range_first = 1000000;
    q.range_length = 1000;
    q.file_offset = 1000;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(r.resp.http_status, 206);
    CHECK_EQ_U64(r.resp.cr_total, size);
    CHECK(bt_region_is(dst, 0, 1000, 'X'));
    CHECK(bt_region_is_gen(dst, 1000, 1000000, 1000));
    CHECK(bt_region_is(dst, 2000, 1000, 'X'));
    close(fd);
    struct stat st;
    CHECK_EQ_INT(stat(data, &st), 0);
    q = bt_request(url, -1);
    q.method = BGT_HEAD;
    q.ca_file = good_ca;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_U64(r.resp.resource_size, size);
    CHECK_EQ_INT(r.resp.accept_ranges, 1);
    CHECK_EQ_I64(r.resp.last_modified_unix, (int64_t)st.st_mtime);

    /* If-Range and extra headers reach the server; a matching validator
     * gives the range, a stale one the whole resource, which must not be
     * written (BGT_ERR_RANGE_IGNORED), whatever core then concludes. */
    char etag[256];
    snprintf(etag, sizeof etag, "%s", r.resp.etag);
    static const char *const extra[] = {"X-Bgcopy-Test: hello", NULL};
    fd = bt_make_file(dst, 0, 0);
    q = bt_request(url, fd);
    q.ca_file = good_ca;
    q.ranged = 1;
    q.range_first = 10;
    q.range_length = 20;
    q.if_range = etag;
    q.extra_headers = extra;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(bt_region_is_gen(dst, 0, 10, 20));
    q.if_range = "\"stale\"";
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_RANGE_IGNORED);
    CHECK_EQ_INT(r.resp.http_status, 200);
    CHECK_EQ_STR(r.resp.etag, etag);
    CHECK_EQ_U64(bt_file_size(dst), 20);
    close(fd);
    /* nginx logs a request when it finalises it, which for the refused
     * response is when it notices the closed connection: wait for it. */
    char want[512];
    snprintf(want, sizeof want, "GET /data.bin 206 range=bytes=10-29 if_range=%s x=hello", etag);
    CHECK(ts_wait_until(access_log_has, want, 10000));
    CHECK(ts_wait_until(access_log_has,
                        "GET /data.bin 200 range=bytes=10-29 if_range=\"stale\" x=hello", 10000));

    /* A certificate for another host name: trusted CA, wrong name. */
    char *wrong_url = url_on(port_wrong, "/data.bin");
    fd = bt_make_file(dst, 0, 0);
    q = bt_request(wrong_url, fd);
    q.ca_file = wrong_ca;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_TLS);
    CHECK_EQ_U64(bt_file_size(dst), 0);
    q.tls_flags = BGT_TLS_IGNORE_CN_INVALID;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, size));
    close(fd);
    free(wrong_url);

    /* https -> https redirect (relative Location) is followed. */
    char *up = url_on(port_good, "/up");
    fd = bt_make_file(dst, 0, 0);
    q = bt_request(up, fd);
    q.ca_file = good_ca;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_INT(r.resp.redirect_count, 1);
    CHECK_EQ_STR(r.resp.effective_url, url);
    CHECK(ts_file_matches_gen(dst, size));
    close(fd);
    free(up);

    /* https -> http is refused unless allowed, and says where it pointed. */
    char *down = url_on(port_good, "/down");
    char *target = ts_url(&srv, "/gen/1000");
    fd = bt_make_file(dst, 8, 'X');
    q = bt_request(down, fd);
    q.ca_file = good_ca;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 302);
    CHECK_EQ_STR(r.resp.redirect_url, target);
    CHECK(strstr(r.message, "https to http") != NULL);
    CHECK(bt_region_is(dst, 0, 8, 'X'));
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/1000\t-\t200"), 0);
    q.allow_https_to_http = 1;
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK_EQ_STR(r.resp.effective_url, target);
    CHECK(ts_file_matches_gen(dst, 1000));
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/1000\t-\t200"), 1);
    close(fd);
    free(down);
    free(target);

    stop_nginx();
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    free(url);
    free(good_ca);
    free(wrong_ca);
    free(dst);
    free(data);
    ts_rmtree(dir);
    free(dir);
    printf("transport_https_nginx: all passed\n");
    return 0;
}
#endif /* _WIN32 */
