/* HTTPS options of a job against nginx over TLS on 127.0.0.1 (a server
 * nobody here wrote): BG_SSL_IGNORE_UNKNOWN_CA / _CN_INVALID reach the
 * transport (a self-signed certificate fails without them with
 * ERROR_WINHTTP_SECURE_FAILURE, works with them), an https -> http
 * redirect fails with ERROR_WINHTTP_REDIRECT_FAILED unless 0x0800 allows it,
 * and custom headers reach nginx (its log prints them).  Certificates are
 * made at run time with openssl; nginx runs as a child (master_process off)
 * under a private temp dir and is stopped by PID.  Exits 77 (ctest SKIP)
 * when nginx or openssl is not installed. */
#include "http_test.h"

#ifdef _WIN32
/* nginx here is a Linux program: a Windows test program cannot start it, and
 * bgcopy-testserver speaks no TLS, so no HTTPS server is at hand.  The
 * mapping of the flags to libcurl options is shared code that the Linux run
 * checks; libcurl's Schannel backend itself is not exercised under wine. */
int main(void)
{
    printf("core_http_tls: SKIP (Windows: needs nginx, a Linux program, for an HTTPS server)\n");
    return 77;
}
#else

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char *g_dir;
static pid_t g_nginx;
static int g_port;
static ts_server g_srv;
static bgcopy_manager *g_m;

#define IGNORE_CN 0x0002u
#define IGNORE_CA 0x0008u
#define POLICY_REPORT 0x0100u
#define HTTPS_TO_HTTP 0x0800u

static const char *find_exe(const char *const *c)
{
    for (; *c; c++)
        if (access(*c, X_OK) == 0)
            return *c;
    return NULL;
}

static void run(const char *const argv[])
{
    pid_t pid;
    int st;
    CHECK_EQ_INT(posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, environ), 0);
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static int free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ_INT(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ_INT(getsockname(s, (struct sockaddr *)&a, &len), 0);
    close(s);
    return ntohs(a.sin_port);
}

static int port_listens(void *arg)
{
    struct sockaddr_in a;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)*(int *)arg);
    int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
    close(s);
    return ok;
}

static void stop_nginx(void)
{
    if (g_nginx > 0) {
        kill(g_nginx, SIGTERM);
        waitpid(g_nginx, NULL, 0);
        g_nginx = 0;
    }
}

static void start_nginx(const char *nginx, const char *openssl)
{
    char key[4096], crt[4096], conf[4096], www[4096], tmp[4096];
    snprintf(key, sizeof key, "%s/self.key", g_dir);
    snprintf(crt, sizeof crt, "%s/self.pem", g_dir);
    const char *argv[] = {openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                          "-out", crt, "-days", "2", "-subj", "/CN=wrong.example", "-addext",
                          "subjectAltName=DNS:wrong.example", NULL};
    run(argv);
    snprintf(www, sizeof www, "%s/www", g_dir);
    snprintf(tmp, sizeof tmp, "%s/tmp", g_dir);
    CHECK_EQ_INT(mkdir(www, 0755), 0);
    CHECK_EQ_INT(mkdir(tmp, 0700), 0);
    char *data = ct_path(www, "data.bin");
    CHECK_EQ_INT(ts_write_gen_file(data, 100000), 0);
    free(data);
    g_port = free_port();
    snprintf(conf, sizeof conf, "%s/nginx.conf", g_dir);
    FILE *f = fopen(conf, "w");
    CHECK_NOT_NULL(f);
    fprintf(f,
            "daemon off;\nmaster_process off;\nworker_processes 1;\n"
            "pid %1$s/nginx.pid;\nerror_log %1$s/error.log warn;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            "  log_format hdrs escape=none '$request_method $uri $status x=$http_x_bgcopy_test';\n"
            "  access_log %1$s/access.log hdrs;\n"
            "  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp;\n"
            "  fastcgi_temp_path %1$s/tmp; uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;\n"
            "  server {\n"
            "    listen 127.0.0.1:%2$d ssl;\n"
            "    ssl_certificate %1$s/self.pem; ssl_certificate_key %1$s/self.key;\n"
            "    root %1$s/www;\n"
            "    location = /down { return 302 %3$s/gen/1000; }\n"
            "  }\n"
            "}\n",
            g_dir, g_port, g_srv.base_url);
    CHECK_EQ_INT(fclose(f), 0);
    const char *nargv[] = {nginx, "-e", "stderr", "-p", g_dir, "-c", conf, NULL};
    CHECK_EQ_INT(posix_spawn(&g_nginx, nginx, NULL, NULL, (char *const *)nargv, environ), 0);
    atexit(stop_nginx);
    CHECK_MSG(ts_wait_until(port_listens, &g_port, 10000), "nginx did not listen on %d", g_port);
}

static int access_log_has(void *arg)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/access.log", g_dir);
    char *log = ts_read_file(path, NULL);
    int found = log && strstr(log, (const char *)arg);
    free(log);
    return found;
}

static bgcopy_job *fetch(const char *path, uint32_t flags, const char *headers, const char *dest,
                         bgcopy_job_state want)
{
    char url[128];
    snprintf(url, sizeof url, "https://127.0.0.1:%d%s", g_port, path);
    bgcopy_job *job = ct_new_job(g_m, path);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_security_flags(job, flags));
    if (headers)
        CHECK_HR_OK(bgcopy_job_set_custom_headers(job, headers));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, want, 20000);
    return job;
}

int main(void)
{
    static const char *const nginxes[] = {"/usr/sbin/nginx", "/usr/local/sbin/nginx",
                                          "/usr/bin/nginx", NULL};
    static const char *const openssls[] = {"/usr/bin/openssl", "/usr/local/bin/openssl", NULL};
    const char *nginx = find_exe(nginxes), *openssl = find_exe(openssls);
    if (!nginx || !openssl) {
        printf("core_http_tls: SKIP (nginx or openssl not installed)\n");
        return 77;
    }
    g_dir = ts_mkdtemp();
    CHECK_EQ_INT(ts_server_start(&g_srv, NULL), 0);
    start_nginx(nginx, openssl);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &g_m));
    char *dest = ct_path(g_dir, "out.bin");

    /* Self-signed, wrong name: fatal without the flags. */
    bgcopy_job *job = fetch("/data.bin", 0, NULL, dest, BGCOPY_JOB_STATE_ERROR);
    ht_check_error(job, BGCOPY_E_WINHTTP_SECURE_FAILURE, BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    /* Only one of the two relaxations is not enough. */
    job = fetch("/data.bin", IGNORE_CA, NULL, dest, BGCOPY_JOB_STATE_ERROR);
    ht_check_error(job, BGCOPY_E_WINHTTP_SECURE_FAILURE, BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    /* Both: works, and the custom header reached nginx. */
    job = fetch("/data.bin", IGNORE_CA | IGNORE_CN, "X-Bgcopy-Test: tls-hello\r\n", dest,
                BGCOPY_JOB_STATE_TRANSFERRED);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 100000));
    CHECK(ts_wait_until(access_log_has, "HEAD /data.bin 200 x=tls-hello", 5000));
    CHECK(ts_wait_until(access_log_has, "GET /data.bin 206 x=tls-hello", 5000));
    bgcopy_job_release(job);
    CHECK_EQ_INT(unlink(dest), 0);

    /* https -> http redirect: refused without 0x0800... */
    job = fetch("/down", IGNORE_CA | IGNORE_CN, NULL, dest, BGCOPY_JOB_STATE_ERROR);
    ht_check_error(job, (bgcopy_hr)0x80072F7C, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "/gen/1000\t"), 0);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    /* ...followed with it (and reported: the remote name is the http URL). */
    job = fetch("/down", IGNORE_CA | IGNORE_CN | HTTPS_TO_HTTP | POLICY_REPORT, NULL, dest,
                BGCOPY_JOB_STATE_TRANSFERRED);
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    char *want = ts_url(&g_srv, "/gen/1000");
    CHECK_EQ_STR(fi.remote_name, want);
    bgcopy_file_info_clear(&fi);
    free(want);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 1000));
    bgcopy_job_release(job);

    bgcopy_manager_close(g_m);
    stop_nginx();
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    ts_rmtree(g_dir);
    free(g_dir);
    free(dest);
    printf("core_http_tls: ok\n");
    return 0;
}

#endif /* !_WIN32 */
