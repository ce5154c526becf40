/*
 * auth_squid.c - NTLM proxy authentication through a real Squid on
 * 127.0.0.1, with Squid's own ntlm_fake_auth helper: a complete NTLM
 * handshake (negotiate, challenge, authenticate) that accepts any user
 * name, so no domain is needed (docs/http.md, "Credentials").
 *
 * Squid runs as a child process (-N) with everything in a private temp
 * directory and is stopped by PID.  When the test runs as root, Squid
 * insists on another user: its directory then belongs to "proxy".  Exits
 * 77 (ctest SKIP) without squid or its helper, and on Windows.
 */
#ifdef _WIN32
#include <stdio.h>

int main(void)
{
    printf("transport_auth_squid: SKIP (needs a Linux squid)\n");
    return 77;
}
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
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

static pid_t squid_pid;
static char *sdir;

static void stop_squid(void)
{
    if (squid_pid > 0) {
        kill(squid_pid, SIGTERM);
        waitpid(squid_pid, NULL, 0);
        squid_pid = 0;
    }
}

static int access_log_has(void *arg)
{
    char *p = bt_path(sdir, "access.log");
    char *text = ts_read_file(p, NULL);
    int found = text != NULL && strstr(text, (const char *)arg) != NULL;
    free(text);
    free(p);
    return found;
}

static bgt_auth creds(unsigned schemes, const char *user, const char *pass)
{
    bgt_auth a = {schemes, user, pass};
    return a;
}

int main(void)
{
    const char *squid = "/usr/sbin/squid", *helper = "/usr/lib/squid/ntlm_fake_auth";
    ts_server srv;
    bt_result r;
    if (access(squid, X_OK) != 0 || access(helper, X_OK) != 0) {
        printf("transport_auth_squid: SKIP (squid or its ntlm_fake_auth not installed)\n");
        return 77;
    }
    char *dir = ts_mkdtemp();
    sdir = bt_path(dir, "squid");
    CHECK_EQ_INT(mkdir(sdir, 0700), 0);
    const char *user_line = "";
    if (geteuid() == 0) {
        /* Squid will not run as root: its files belong to "proxy", which
         * may pass through (not list) the test's directory. */
        struct passwd *pw = getpwnam("proxy");
        CHECK_MSG(pw != NULL, "no user \"proxy\" for squid to run as");
        CHECK_EQ_INT(chown(sdir, pw->pw_uid, pw->pw_gid), 0);
        CHECK_EQ_INT(chmod(dir, 0711), 0);
        user_line = "cache_effective_user proxy\n";
    }
    int port = ts_free_port();
    char conf[4096];
    snprintf(conf, sizeof conf,
             "http_port 127.0.0.1:%1$d\n"
             "pid_filename %2$s/squid.pid\ncache_log %2$s/cache.log\n"
             "access_log stdio:%2$s/access.log\ncache_store_log none\ncache deny all\n"
             "coredump_dir %2$s\nshutdown_lifetime 0 seconds\n%3$s"
             "auth_param ntlm program %4$s\nauth_param ntlm children 2\n"
             "acl authed proxy_auth REQUIRED\nhttp_access allow authed\nhttp_access deny all\n",
             port, sdir, user_line, helper);
    char *confp = bt_path(dir, "squid.conf");
    CHECK_EQ_INT(ts_write_file(confp, conf, strlen(conf)), 0);
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    const char *argv[] = {squid, "-N", "-f", confp, NULL};
    CHECK_EQ_INT(posix_spawn(&squid_pid, squid, NULL, NULL, (char *const *)argv, environ), 0);
    atexit(stop_squid);
    CHECK_MSG(ts_wait_until(ts_port_listens, &port, 30000), "squid did not listen on %d", port);

    char list[64];
    snprintf(list, sizeof list, "127.0.0.1:%d", port);
    char *dst = bt_path(dir, "dst.bin");
    char *url = ts_url(&srv, "/gen/3333?id=ntlm");
    int fd = bt_make_file(dst, 4, 'X');
    bgt_request q = bt_request(url, fd);
    q.proxy_list = list;

    /* No credentials, or only Basic ones: Squid's 407 stands. */
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_ERR_HTTP_STATUS);
    CHECK_EQ_INT(r.resp.http_status, 407);
    CHECK(strstr(r.raw_headers, "Proxy-Authenticate: NTLM") != NULL);
    CHECK(bt_region_is(dst, 0, 4, 'X'));
    q.proxy_auth = creds(BGT_AUTH_BASIC, "bob", "pw");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.resp.http_status, 407);
    CHECK(bt_region_is(dst, 0, 4, 'X'));
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/3333?id=ntlm\t-\t200"), 0);

    /* NTLM: the handshake, then the body, through the proxy. */
    q.proxy_auth = creds(BGT_AUTH_NTLM, "bob", "pw");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, 3333));
    CHECK_EQ_INT(r.resp.redirect_count, 0);
    CHECK_EQ_INT(ts_server_log_count(&srv, "GET\t/gen/3333?id=ntlm\t-\t200"), 1);
    CHECK(ts_wait_until(access_log_has, "TCP_MISS/200", 10000));

    /* Several schemes: libcurl answers the one Squid offers. */
    bt_close(fd);
    fd = bt_make_file(dst, 0, 0);
    q.fd = fd;
    q.proxy_auth = creds(BGT_AUTH_BASIC | BGT_AUTH_NTLM | BGT_AUTH_NEGOTIATE, "bob", "pw");
    bt_run(&q, &r, 30000);
    CHECK_EQ_INT(r.status, BGT_OK);
    CHECK(ts_file_matches_gen(dst, 3333));
    bt_close(fd);

    stop_squid();
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    CHECK_EQ_INT(chmod(dir, 0700), 0);
    ts_rmtree(dir);
    free(url), free(dst), free(confp), free(sdir), free(dir);
    printf("transport_auth_squid: all passed\n");
    return 0;
}
#endif /* _WIN32 */
