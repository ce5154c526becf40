/* Redirects and HTTP options (spec 6.8, IBackgroundCopyJobHttpOptions):
 * 301/302/307 and chains are followed silently by default; ALLOW_REPORT
 * rewrites the remote name to the final URL; DISALLOW fails with
 * HRESULT_FROM_WIN32(status) and rewrites it to the redirect's target; a
 * loop fails with ERROR_WINHTTP_REDIRECT_FAILED; SetSecurityFlags refuses
 * unknown bits; custom headers reach the server on every request. */
#include "http_test.h"

#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

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
 * size and a GET with that many bytes. */
typedef struct {
    int lfd, port;
    char heads[8192];
    size_t used;
    pthread_t thread;
} raw_server;

static void *raw_main(void *arg)
{
    raw_server *s = arg;
    for (int conn = 0; conn < 4; conn++) {
        int c = accept(s->lfd, NULL, NULL);
        if (c < 0)
            return NULL;
        for (;;) {                                        /* keep-alive: several requests */
            char buf[4096];
            size_t n = 0;
            while (n < sizeof buf - 1) {
                ssize_t k = recv(c, buf + n, sizeof buf - 1 - n, 0);
                if (k <= 0)
                    break;
                n += (size_t)k;
                buf[n] = 0;
                if (strstr(buf, "\r\n\r\n"))
                    break;
            }
            if (n == 0 || !strstr(buf, "\r\n\r\n"))
                break;
            if (s->used + n < sizeof s->heads) {
                memcpy(s->heads + s->used, buf, n);
                s->used += n;
                s->heads[s->used] = 0;
            }
            const char *resp = strncmp(buf, "HEAD", 4) == 0
                ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
            if (send(c, resp, strlen(resp), MSG_NOSIGNAL) < 0)
                break;
            if (strncmp(buf, "GET", 3) == 0) {
                close(c);
                return NULL;
            }
        }
        close(c);
    }
    return NULL;
}

static void test_custom_headers_sent(const char *dir)
{
    raw_server s;
    memset(&s, 0, sizeof s);
    s.lfd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s.lfd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ_INT(bind(s.lfd, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ_INT(listen(s.lfd, 4), 0);
    socklen_t al = sizeof a;
    CHECK_EQ_INT(getsockname(s.lfd, (struct sockaddr *)&a, &al), 0);
    CHECK_EQ_INT(pthread_create(&s.thread, NULL, raw_main, &s), 0);

    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hello", ntohs(a.sin_port));
    char *dest = ct_path(dir, "hello.txt");
    bgcopy_job *job = ct_new_job(g_m, "headers");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_custom_headers(job, "X-Bgcopy-Test: one\r\nX-Second: two"));
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND)); /* plain GET */
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_HR(bgcopy_job_complete(job), BGCOPY_S_OK);
    pthread_join(s.thread, NULL);
    close(s.lfd);
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
    /* https -> http (0x0800) and the BG_SSL_* flags: core_http_tls (nginx). */

    bgcopy_manager_close(g_m);
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_http_redirects: ok\n");
    return 0;
}
