/*
 * testserver.c - bgcopy-testserver: an HTTP/1.1 server on 127.0.0.1 for
 * testing BITS-style download code against a real peer that can misbehave
 * on request.  This file: command line, daemon start/stop, signals, and the
 * MHD callbacks that wrap each request.  See docs/testserver.md.
 *
 *   bgcopy-testserver --port-file PATH --log PATH [--port N] [--root DIR]
 *                     [--watch-fd FD]
 *
 * Runs until SIGTERM/SIGINT/SIGHUP (on Windows: Ctrl-C), or until FD, if
 * given, reaches end-of-file: the test harness passes the server's stdin, a
 * pipe it holds the other end of, so the server stops when the test closes
 * it (ts_server_stop) or dies.  On Windows that EOF is the only clean stop a
 * parent can ask for (no SIGTERM there; TerminateProcess kills outright).
 * Exit status 0 after a clean stop, 2 for usage errors, 1 for start-up
 * failures.
 *
 * Portability: OS services come from libuv (loop, signals, threads, files)
 * and MHD (sockets), so one source serves Linux and Windows (mingw-w64).
 */
#include "testserver.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#ifdef _WIN32
#include <io.h> /* _read */
#include <winsock2.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>
#endif

atomic_int ts_stopping;
ts_config ts_cfg;

/* The main thread's loop: it waits there for a stop request (a signal, or
 * the watcher thread's async when the watched fd reaches EOF). */
static uv_loop_t g_loop;
static uv_async_t g_stop_async;
#ifndef _WIN32
static uv_signal_t g_signals[3];
static const int g_signal_nums[3] = {SIGTERM, SIGINT, SIGHUP};
#else
static uv_signal_t g_signals[1];
static const int g_signal_nums[1] = {SIGINT};
#endif
enum { TS_NSIGNALS = (int)(sizeof g_signal_nums / sizeof g_signal_nums[0]) };
static atomic_int g_watch_done; /* the watcher thread is about to return */
/* Guards g_stop_async against a send after main closed it (EOF arriving
 * while a signal-initiated stop is under way). */
static uv_mutex_t g_async_lock;
static int g_async_open;

static void usage(FILE *f)
{
    fprintf(f, "usage: bgcopy-testserver --port-file PATH --log PATH [--port N] [--root DIR]\n"
               "                         [--watch-fd FD]\n"
               "Serves /gen/<size>[?options] and /files/<path> on 127.0.0.1 only.\n"
               "See docs/testserver.md for the options and the log format.\n");
}

/* MHD's own diagnostics (e.g. a dropped connection), marked as ours. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n > 0 && msg[n - 1] == '\n')
        msg[--n] = '\0';
    /* A body callback ends the response when the client hung up or a
     * drop=/stall= misbehaviour fires: that is the test working, not news. */
    if (strstr(msg, "application reported error generating data"))
        return;
    fprintf(stderr, "bgcopy-testserver: %s\n", msg);
}

/* URI-log callback: runs first for each request, with the target exactly as
 * sent (MHD's url argument later is decoded and lacks the query). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    ts_request *rq = calloc(1, sizeof *rq);
    if (rq == NULL)
        return NULL;
    rq->target = strdup(uri != NULL ? uri : "");
    if (rq->target == NULL) {
        free(rq);
        return NULL;
    }
    return rq;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    ts_request *rq = *req_cls;
    if (rq != NULL) {
        free(rq->target);
        free(rq);
    }
    *req_cls = NULL;
}

unsigned char ts_digest_random[32];

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)cls;
    (void)version;
    (void)upload_data;
    ts_request *rq = *req_cls;
    if (rq == NULL)
        return MHD_NO; /* out of memory in on_uri: drop the connection */
    if (!rq->headers_seen) {
        /* First call: headers only.  Answering here would make MHD close the
         * connection afterwards (it cannot know the body was consumed), so
         * answer on the next call and keep HTTP/1.1 connections alive. */
        rq->headers_seen = 1;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0; /* a request body: read and discard */
        return MHD_YES;
    }
    if (rq->responded)
        return MHD_YES;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        const char *text = "only GET and HEAD\n";
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
        if (resp != NULL)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
        return ts_respond(c, rq, method, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
    }
    return ts_route(c, rq, method, url);
}

static void close_handle(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

/* Any stop request: closing every handle ends uv_run in main. */
static void on_stop_async(uv_async_t *a)
{
    uv_walk(a->loop, close_handle, NULL);
}

static void on_signal(uv_signal_t *s, int signum)
{
    (void)signum;
    uv_walk(s->loop, close_handle, NULL);
}

/* Stops the server when the watched fd (the harness's keepalive pipe on
 * stdin) reaches EOF or fails, i.e. when the test closed it or died.  A
 * plain blocking read on its own thread: libuv's pipe reading on a
 * synchronous Windows stdin handle would need a thread just the same. */
static void watch_fd_thread(void *arg)
{
    int fd = *(int *)arg;
    char buf[64];
    for (;;) {
#ifdef _WIN32
        int r = _read(fd, buf, (unsigned)sizeof buf);
#else
        ssize_t r = read(fd, buf, sizeof buf);
#endif
        if (r > 0)
            continue;
        if (r < 0 && errno == EINTR)
            continue;
        break;
    }
    atomic_store(&g_watch_done, 1);
    uv_mutex_lock(&g_async_lock);
    if (g_async_open)
        uv_async_send(&g_stop_async);
    uv_mutex_unlock(&g_async_lock);
}

/* Writes the port to path via a temporary file and rename, so a reader
 * sees either nothing or the whole number ("<port>\n": libuv writes bytes,
 * no "\r\n" on Windows, and takes the UTF-8 path).  Returns 0, or a libuv
 * error. */
static int write_port_file(const char *path, int port)
{
    size_t n = strlen(path) + 8;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return UV_ENOMEM;
    snprintf(tmp, n, "%s.tmp", path);
    char text[16];
    int len = snprintf(text, sizeof text, "%d\n", port);
    uv_fs_t req;
    int fd = uv_fs_open(NULL, &req, tmp, UV_FS_O_WRONLY | UV_FS_O_CREAT | UV_FS_O_TRUNC, 0644,
                        NULL);
    uv_fs_req_cleanup(&req);
    int rc = fd;
    if (fd >= 0) {
        uv_buf_t buf = uv_buf_init(text, (unsigned)len);
        int w = uv_fs_write(NULL, &req, fd, &buf, 1, -1, NULL);
        uv_fs_req_cleanup(&req);
        int c = uv_fs_close(NULL, &req, fd, NULL);
        uv_fs_req_cleanup(&req);
        rc = w < 0 ? w : w != len ? UV_EIO : c;
        if (rc == 0) {
            rc = uv_fs_rename(NULL, &req, tmp, path, NULL);
            uv_fs_req_cleanup(&req);
        }
        if (rc != 0) {
            uv_fs_unlink(NULL, &req, tmp, NULL);
            uv_fs_req_cleanup(&req);
        }
    }
    free(tmp);
    return rc;
}

/* Sets up the loop that main waits on, with the stop signals taken from
 * now on (before the port file says we are up, so a stop sent right after
 * start is never lost).  Returns 0, or -1. */
static int stop_loop_init(void)
{
    if (uv_mutex_init(&g_async_lock) != 0 || uv_loop_init(&g_loop) != 0 ||
        uv_async_init(&g_loop, &g_stop_async, on_stop_async) != 0)
        return -1;
    g_async_open = 1;
    for (int i = 0; i < TS_NSIGNALS; i++) {
        if (uv_signal_init(&g_loop, &g_signals[i]) != 0 ||
            uv_signal_start(&g_signals[i], on_signal, g_signal_nums[i]) != 0)
            return -1;
    }
    return 0;
}

static void stop_loop_close(void)
{
    uv_mutex_lock(&g_async_lock);
    g_async_open = 0;
    uv_mutex_unlock(&g_async_lock);
    uv_walk(&g_loop, close_handle, NULL);
    uv_run(&g_loop, UV_RUN_DEFAULT);
    uv_loop_close(&g_loop);
}

#ifdef _WIN32
#include <shellapi.h>
/* The command line as UTF-8 (paths go to libuv, which takes UTF-8); the
 * CRT's argv is in the ANSI code page, which cannot hold every path. */
static char **utf8_argv(int *argc)
{
    int n = 0;
    wchar_t **w = CommandLineToArgvW(GetCommandLineW(), &n);
    if (w == NULL)
        return NULL;
    char **out = calloc((size_t)n + 1, sizeof *out);
    for (int i = 0; out != NULL && i < n; i++) {
        int len = WideCharToMultiByte(CP_UTF8, 0, w[i], -1, NULL, 0, NULL, NULL);
        out[i] = len > 0 ? malloc((size_t)len) : NULL;
        if (out[i] == NULL ||
            WideCharToMultiByte(CP_UTF8, 0, w[i], -1, out[i], len, NULL, NULL) != len) {
            out = NULL; /* the process is starting: the leak does not matter */
            break;
        }
    }
    LocalFree(w);
    *argc = n;
    return out;
}
#endif

int main(int argc, char **argv)
{
#ifdef _WIN32
    char **wargv = utf8_argv(&argc);
    if (wargv == NULL) {
        fprintf(stderr, "bgcopy-testserver: cannot read the command line\n");
        return 1;
    }
    argv = wargv; /* lives until exit */
#endif
    const char *port_file = NULL, *log_path = NULL;
    long port = 0;
    int watch_fd = -1;

    /* Every option takes one value: walk the arguments in pairs. */
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (v == NULL) {
            usage(stderr);
            return 2;
        }
        char *end = NULL;
        if (strcmp(a, "--port-file") == 0) {
            port_file = v;
        } else if (strcmp(a, "--log") == 0) {
            log_path = v;
        } else if (strcmp(a, "--root") == 0) {
            ts_cfg.root = v;
        } else if (strcmp(a, "--port") == 0) {
            port = strtol(v, &end, 10);
            if (*end != '\0' || port < 0 || port > 65535) {
                fprintf(stderr, "bgcopy-testserver: bad --port %s\n", v);
                return 2;
            }
        } else if (strcmp(a, "--watch-fd") == 0) {
            watch_fd = (int)strtol(v, &end, 10);
            if (*end != '\0' || watch_fd < 0) {
                fprintf(stderr, "bgcopy-testserver: bad --watch-fd %s\n", v);
                return 2;
            }
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (port_file == NULL || log_path == NULL) {
        usage(stderr);
        return 2;
    }

#ifdef SIGPIPE
    /* A write to a client that hung up must not kill us. */
    signal(SIGPIPE, SIG_IGN);
#endif
    if (stop_loop_init() != 0) {
        fprintf(stderr, "bgcopy-testserver: cannot set up signal handling\n");
        return 1;
    }

    int err = ts_log_open(log_path);
    if (err != 0) {
        fprintf(stderr, "bgcopy-testserver: cannot open log %s: %s\n", log_path, uv_strerror(err));
        stop_loop_close();
        return 1;
    }

    /* Digest nonces are keyed with this; a fixed key would make nonces
     * predictable across runs, which even a test server need not do. */
    if (uv_random(NULL, NULL, ts_digest_random, sizeof ts_digest_random, 0, NULL) != 0) {
        fprintf(stderr, "bgcopy-testserver: no random bytes for Digest nonces\n");
        ts_log_close();
        stop_loop_close();
        return 1;
    }
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    /* poll() where MHD has it (Linux); its Windows build may only have
     * select(), which has no descriptor-number limit there. */
    unsigned poll_flag = MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES ? MHD_USE_POLL : 0;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | poll_flag |
            MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, /* first, to catch everything */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)0,
        MHD_OPTION_DIGEST_AUTH_RANDOM, sizeof ts_digest_random, ts_digest_random,
        MHD_OPTION_NONCE_NC_SIZE, (unsigned int)1024,
        MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "bgcopy-testserver: cannot listen on 127.0.0.1:%ld\n", port);
        ts_log_close();
        stop_loop_close();
        return 1;
    }

    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (di == NULL || di->port == 0) {
        fprintf(stderr, "bgcopy-testserver: cannot read the bound port\n");
        MHD_stop_daemon(d);
        ts_log_close();
        stop_loop_close();
        return 1;
    }
    /* Before the port file: once a test sees the port, the server's set of
     * idle threads is complete (the selftest counts them). */
    uv_thread_t watcher;
    int watching = watch_fd >= 0 && uv_thread_create(&watcher, watch_fd_thread, &watch_fd) == 0;
    if (watch_fd >= 0 && !watching)
        fprintf(stderr, "bgcopy-testserver: cannot watch fd %d\n", watch_fd);

    err = write_port_file(port_file, (int)di->port);
    if (err != 0) {
        fprintf(stderr, "bgcopy-testserver: cannot write %s: %s\n", port_file, uv_strerror(err));
        MHD_stop_daemon(d);
        ts_log_close();
        stop_loop_close();
        return 1;
    }

    uv_run(&g_loop, UV_RUN_DEFAULT); /* until a stop request closed the handles */

    atomic_store(&ts_stopping, 1);
    MHD_stop_daemon(d);
    ts_log_close();
    ts_state_free_all();
    uv_fs_t req;
    uv_fs_unlink(NULL, &req, port_file, NULL);
    uv_fs_req_cleanup(&req);
    stop_loop_close();
    /* After a signal the watcher may still block in read(): leave it to
     * process exit.  After EOF it has ended: join it (no thread leak). */
    if (watching && atomic_load(&g_watch_done))
        uv_thread_join(&watcher);
    return 0;
}
