/*
 * testserver.c - bgcopy-testserver: an HTTP/1.1 server on 127.0.0.1 for
 * testing BITS-style download code against a real peer that can misbehave
 * on request.  This file: command line, daemon start/stop, signals, and the
 * MHD callbacks that wrap each request.  See docs/testserver.md.
 *
 *   bgcopy-testserver --port-file PATH --log PATH [--port N] [--root DIR]
 *                     [--watch-fd FD]
 *
 * Runs until SIGTERM/SIGINT (or until FD, if given, reaches end-of-file: the
 * test harness passes a pipe so the server dies with its test).  Exit status
 * 0 after a clean stop, 2 for usage errors, 1 for start-up failures.
 */
#include "testserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

atomic_int ts_stopping;
ts_config ts_cfg;

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

/* Ends the server when the harness's keepalive pipe closes (test died). */
static void *watch_fd_thread(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char buf[64];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r > 0)
            continue;
        if (r < 0 && errno == EINTR)
            continue;
        break;
    }
    kill(getpid(), SIGTERM);
    return NULL;
}

/* Writes the port to path via a temporary file and rename(), so a reader
 * sees either nothing or the whole number. */
static int write_port_file(const char *path, int port)
{
    size_t n = strlen(path) + 8;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return -1;
    snprintf(tmp, n, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int rc = -1;
    if (f != NULL) {
        int ok = fprintf(f, "%d\n", port) > 0;
        if (fclose(f) == 0 && ok && rename(tmp, path) == 0)
            rc = 0;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int main(int argc, char **argv)
{
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

    /* Block the stop signals in every thread (MHD's inherit this mask) and
     * take them with sigwait() below; a write to a closed client must not
     * kill us. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (ts_log_open(log_path) != 0) {
        fprintf(stderr, "bgcopy-testserver: cannot open log %s: %s\n", log_path, strerror(errno));
        return 1;
    }

    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
            MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, /* first, to catch everything */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)0,
        MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "bgcopy-testserver: cannot listen on 127.0.0.1:%ld\n", port);
        ts_log_close();
        return 1;
    }

    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_in bound;
    socklen_t blen = sizeof bound;
    if (di == NULL || getsockname(di->listen_fd, (struct sockaddr *)&bound, &blen) != 0) {
        fprintf(stderr, "bgcopy-testserver: cannot read the bound port\n");
        MHD_stop_daemon(d);
        ts_log_close();
        return 1;
    }
    int actual_port = ntohs(bound.sin_port);
    if (write_port_file(port_file, actual_port) != 0) {
        fprintf(stderr, "bgcopy-testserver: cannot write %s: %s\n", port_file, strerror(errno));
        MHD_stop_daemon(d);
        ts_log_close();
        return 1;
    }

    if (watch_fd >= 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, watch_fd_thread, (void *)(intptr_t)watch_fd) == 0)
            pthread_detach(t);
    }

    int sig = 0;
    while (sigwait(&stop, &sig) != 0) {
    }

    atomic_store(&ts_stopping, 1);
    MHD_stop_daemon(d);
    ts_log_close();
    ts_state_free_all();
    unlink(port_file);
    return 0;
}
