/*
 * server_process.c - running bgcopy-testserver as a child process for a test:
 * spawn, wait for its port, stop, and read its request log.
 *
 * Why a child process and not a thread: the server must be a real peer on a
 * real socket that a test can also kill, and its threads must not mix with
 * the code under test (sanitizer reports, signal masks, fork safety).
 *
 * Portability: libuv does the process work (uv_spawn, uv_process_kill), so
 * the same code runs on Linux and Windows.  Each server has its own private
 * loop, used only here and only under g_lock, so it never meets a loop of
 * the code under test.
 *
 * Stopping, and dying with the test: the server's stdin is a pipe whose
 * other end only this process holds (libuv makes the parent's end
 * close-on-exec / non-inheritable), and the server runs with --watch-fd 0,
 * i.e. it stops cleanly (exit 0) when its stdin reaches end-of-file.
 *   - ts_server_stop closes our end: a clean stop on both platforms (Windows
 *     has no SIGTERM; uv_process_kill there is TerminateProcess).  A server
 *     that does not exit within 5 s is killed and counts as a failure.
 *   - A test that fails calls exit(1) (check.h) and may never reach
 *     ts_server_stop: every running server is kept in a table of heap-free
 *     records that an atexit handler stops.  The table holds copies, not the
 *     caller's ts_server, because that usually lives in main()'s frame,
 *     which is gone when atexit handlers run.
 *   - A test process that dies without atexit (crash, SIGKILL,
 *     TerminateProcess) has its end closed by the OS: the server sees EOF
 *     and exits by itself.
 */
#include "harness.h"
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#ifndef BGCOPY_TESTSERVER_PATH
#error "BGCOPY_TESTSERVER_PATH must name the bgcopy-testserver binary (set by tests/server.cmake)"
#endif

enum { TS_MAX_SERVERS = 64 };

/* How long a server may take to exit after its stdin closed. */
enum { TS_STOP_GRACE_MS = 5000 };

typedef struct ts_record {
    int used;
    uv_pid_t owner; /* the process that started it (see stop_all_at_exit) */
    int pid;
    uv_loop_t loop;      /* private; holds proc and keepalive */
    uv_process_t proc;   /* valid while used and spawned */
    uv_pipe_t keepalive; /* our end of the server's stdin */
    int spawned;         /* proc and keepalive are initialised */
    int keepalive_open;
    int exited;          /* exit_cb ran */
    int64_t exit_status;
    int term_signal;
    char dir[4096];
} ts_record;

static uv_once_t g_init_once = UV_ONCE_INIT;
static uv_mutex_t g_lock;
static ts_record g_servers[TS_MAX_SERVERS];

static void stop_all_at_exit(void);

static void init_once(void)
{
    if (uv_mutex_init(&g_lock) != 0)
        abort();
    atexit(stop_all_at_exit);
}

static void on_exit_cb(uv_process_t *p, int64_t exit_status, int term_signal)
{
    ts_record *r = p->data;
    r->exited = 1;
    r->exit_status = exit_status;
    r->term_signal = term_signal;
}

static void close_keepalive(ts_record *r)
{
    if (r->keepalive_open) {
        uv_close((uv_handle_t *)&r->keepalive, NULL);
        r->keepalive_open = 0;
        uv_run(&r->loop, UV_RUN_NOWAIT); /* runs the close */
    }
}

/* Polls r's loop until the server exited or timeout_ms passed.  Caller
 * holds g_lock.  Returns 1 if it exited. */
static int wait_exit(ts_record *r, int timeout_ms)
{
    uint64_t deadline = ts_now_ms() + (uint64_t)timeout_ms;
    for (;;) {
        uv_run(&r->loop, UV_RUN_NOWAIT);
        if (r->exited)
            return 1;
        if (ts_now_ms() >= deadline)
            return 0;
        ts_sleep_ms(2);
    }
}

/* Closes every handle of r's loop and the loop itself.  Caller holds g_lock. */
static void close_loop(ts_record *r)
{
    if (r->spawned) {
        close_keepalive(r);
        uv_close((uv_handle_t *)&r->proc, NULL);
        uv_run(&r->loop, UV_RUN_DEFAULT);
        r->spawned = 0;
    }
    uv_loop_close(&r->loop);
}

/* Stops the server in record r (closes its stdin, waits up to 5 s, then
 * kills it) and frees r.  Caller holds g_lock.  Returns 0 for a clean exit
 * with status 0, -1 otherwise (after saying why on stderr). */
static int stop_record(ts_record *r)
{
    int rc = 0;
    if (r->spawned) {
        close_keepalive(r);
        if (!wait_exit(r, TS_STOP_GRACE_MS)) {
            fprintf(stderr, "ts_server_stop: server %d did not exit within %d ms of its stdin "
                            "closing; killing it\n",
                    r->pid, TS_STOP_GRACE_MS);
            uv_process_kill(&r->proc, SIGKILL);
            wait_exit(r, 10000);
            rc = -1;
        } else if (r->term_signal != 0) {
            fprintf(stderr, "ts_server_stop: server %d died of signal %d\n", r->pid,
                    r->term_signal);
            rc = -1;
        } else if (r->exit_status != 0) {
            fprintf(stderr, "ts_server_stop: server %d exited with status %lld\n", r->pid,
                    (long long)r->exit_status);
            rc = -1;
        }
    }
    close_loop(r);
    if (r->dir[0] != '\0')
        ts_rmtree(r->dir);
    memset(r, 0, sizeof *r);
    return rc;
}

static void stop_all_at_exit(void)
{
    /* A child forked by a test (Linux crash tests) inherits this table and
     * the handler; its exit() must not stop the parent's servers. */
    uv_pid_t self = uv_os_getpid();
    uv_mutex_lock(&g_lock);
    for (int i = 0; i < TS_MAX_SERVERS; i++)
        if (g_servers[i].used && g_servers[i].owner == self)
            stop_record(&g_servers[i]);
    uv_mutex_unlock(&g_lock);
}

/* Reads the port the server wrote to path; 0 if not (yet) there. */
static int read_port(const char *path)
{
    size_t len = 0;
    char *text = ts_read_file(path, &len);
    if (text == NULL)
        return 0;
    char *end = NULL;
    long port = strtol(text, &end, 10);
    int ok = end != text && (*end == '\n' || *end == '\0') && port > 0 && port < 65536;
    free(text);
    return ok ? (int)port : 0;
}

/* The server binary: $BGCOPY_TESTSERVER, else (Windows) the one beside this
 * program, else the path CMake compiled in.  On Windows the compiled-in
 * path of a cross build is a Linux path ("/work/b/.../x.exe"), which wine
 * resolves only against the current drive; the test programs and the server
 * share one build directory, so the neighbour is found first. */
static const char *find_server(char *buf, size_t len)
{
    size_t n = len;
    if (uv_os_getenv("BGCOPY_TESTSERVER", buf, &n) == 0 && buf[0] != '\0')
        return buf;
#ifdef _WIN32
    n = len;
    if (uv_exepath(buf, &n) == 0) {
        char *sep = strrchr(buf, '\\');
        char *slash = strrchr(buf, '/');
        if (sep == NULL || (slash != NULL && slash > sep))
            sep = slash;
        static const char name[] = "bgcopy-testserver.exe";
        if (sep != NULL && (size_t)(sep + 1 - buf) + sizeof name <= len) {
            memcpy(sep + 1, name, sizeof name);
            if (ts_path_exists(buf))
                return buf;
        }
    }
#endif
    return BGCOPY_TESTSERVER_PATH;
}

int ts_server_start(ts_server *s, const char *root_or_null)
{
    return ts_server_start_args(s, root_or_null, NULL);
}

int ts_server_start_args(ts_server *s, const char *root_or_null, const char *const *extra_args)
{
    memset(s, 0, sizeof *s);
    s->slot_ = -1;
    uv_once(&g_init_once, init_once);

    char bin_buf[4096];
    const char *bin = find_server(bin_buf, sizeof bin_buf);

    char *dir = ts_mkdtemp();
    char port_file[sizeof s->dir];
    int n1 = snprintf(s->dir, sizeof s->dir, "%s", dir);
    int n2 = snprintf(port_file, sizeof port_file, "%s%cport", dir, TS_PATH_SEP);
    int n3 = snprintf(s->log_path, sizeof s->log_path, "%s%crequests.log", dir, TS_PATH_SEP);
    if (n1 < 0 || n2 < 0 || n3 < 0 || (size_t)n3 >= sizeof s->log_path ||
        (size_t)n2 >= sizeof port_file || (size_t)n1 >= sizeof s->dir) {
        fprintf(stderr, "ts_server_start: temp dir path too long: %s\n", dir);
        ts_rmtree(dir);
        free(dir);
        s->dir[0] = '\0';
        return -1;
    }
    free(dir);

    const char *argv[64];
    int argc = 0;
    argv[argc++] = bin;
    argv[argc++] = "--port-file";
    argv[argc++] = port_file;
    argv[argc++] = "--log";
    argv[argc++] = s->log_path;
    argv[argc++] = "--watch-fd";
    argv[argc++] = "0";
    if (root_or_null != NULL) {
        argv[argc++] = "--root";
        argv[argc++] = root_or_null;
    }
    for (int i = 0; extra_args != NULL && extra_args[i] != NULL; i++) {
        CHECK_MSG(argc < 63, "ts_server_start: too many extra arguments");
        argv[argc++] = extra_args[i];
    }
    argv[argc] = NULL;

    uv_mutex_lock(&g_lock);
    ts_record *r = NULL;
    for (int i = 0; i < TS_MAX_SERVERS; i++) {
        if (!g_servers[i].used) {
            r = &g_servers[i];
            s->slot_ = i;
            break;
        }
    }
    if (r == NULL) {
        uv_mutex_unlock(&g_lock);
        fprintf(stderr, "ts_server_start: more than %d servers at once\n", TS_MAX_SERVERS);
        ts_rmtree(s->dir);
        return -1;
    }
    memset(r, 0, sizeof *r);
    r->used = 1;
    r->owner = uv_os_getpid();
    memcpy(r->dir, s->dir, sizeof r->dir);
    int err = uv_loop_init(&r->loop);
    if (err == 0) {
        err = uv_pipe_init(&r->loop, &r->keepalive, 0);
        if (err != 0)
            uv_loop_close(&r->loop); /* nothing else was initialised */
    }
    if (err != 0) {
        fprintf(stderr, "ts_server_start: libuv: %s\n", uv_strerror(err));
        memset(r, 0, sizeof *r);
        uv_mutex_unlock(&g_lock);
        ts_rmtree(s->dir);
        s->slot_ = -1;
        return -1;
    }
    r->keepalive_open = 1;

    /* stdin: the keepalive pipe (the server only reads it); stdout and
     * stderr: ours, so its messages land in the test's output. */
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
    stdio[0].data.stream = (uv_stream_t *)&r->keepalive;
    stdio[1].flags = UV_INHERIT_FD;
    stdio[1].data.fd = 1;
    stdio[2].flags = UV_INHERIT_FD;
    stdio[2].data.fd = 2;
    uv_process_options_t opt;
    memset(&opt, 0, sizeof opt);
    opt.exit_cb = on_exit_cb;
    opt.file = bin;
    opt.args = (char **)argv;
    opt.stdio = stdio;
    opt.stdio_count = 3;
    /* No console window per server on Windows. */
    opt.flags = UV_PROCESS_WINDOWS_HIDE;
    r->proc.data = r;
    err = uv_spawn(&r->loop, &r->proc, &opt);
    r->spawned = 1; /* even on failure proc must be closed before the loop */
    if (err != 0) {
        fprintf(stderr, "ts_server_start: cannot run %s: %s\n", bin, uv_strerror(err));
        r->exited = 1;
        stop_record(r);
        uv_mutex_unlock(&g_lock);
        s->slot_ = -1;
        return -1;
    }
    r->pid = r->proc.pid;
    s->pid = r->pid;
    uv_mutex_unlock(&g_lock);

    /* Wait for the port file (the server renames it into place whole). */
    uint64_t deadline = ts_now_ms() + 10000;
    for (;;) {
        int port = read_port(port_file);
        if (port > 0) {
            s->port = port;
            snprintf(s->base_url, sizeof s->base_url, "http://127.0.0.1:%d", port);
            return 0;
        }
        uv_mutex_lock(&g_lock);
        uv_run(&r->loop, UV_RUN_NOWAIT);
        int exited = r->exited;
        int64_t status = r->exit_status;
        int sig = r->term_signal;
        if (exited)
            stop_record(r);
        uv_mutex_unlock(&g_lock);
        if (exited) {
            fprintf(stderr,
                    "ts_server_start: %s exited before listening (status %lld, signal %d)\n",
                    bin, (long long)status, sig);
            s->slot_ = -1;
            s->pid = 0;
            return -1;
        }
        if (ts_now_ms() >= deadline) {
            fprintf(stderr, "ts_server_start: %s did not write %s within 10 s\n", bin, port_file);
            ts_server_stop(s);
            return -1;
        }
        ts_sleep_ms(2);
    }
}

int ts_server_stop(ts_server *s)
{
    int rc = 0;
    if (s->slot_ >= 0 && s->slot_ < TS_MAX_SERVERS) {
        uv_once(&g_init_once, init_once);
        uv_mutex_lock(&g_lock);
        ts_record *r = &g_servers[s->slot_];
        if (r->used && r->pid == s->pid && r->owner == uv_os_getpid())
            rc = stop_record(r);
        uv_mutex_unlock(&g_lock);
    }
    s->slot_ = -1;
    s->pid = 0;
    return rc;
}

char *ts_url(const ts_server *s, const char *path_fmt, ...)
{
    va_list ap;
    va_start(ap, path_fmt);
    int n = vsnprintf(NULL, 0, path_fmt, ap);
    va_end(ap);
    CHECK(n >= 0);
    size_t base = strlen(s->base_url);
    char *url = malloc(base + (size_t)n + 1);
    CHECK_NOT_NULL(url);
    memcpy(url, s->base_url, base);
    va_start(ap, path_fmt);
    vsnprintf(url + base, (size_t)n + 1, path_fmt, ap);
    va_end(ap);
    return url;
}

char *ts_server_log(const ts_server *s)
{
    char *text = ts_read_file(s->log_path, NULL);
    if (text == NULL) {
        text = malloc(1);
        CHECK_NOT_NULL(text);
        text[0] = '\0';
    }
    return text;
}

int ts_server_log_count(const ts_server *s, const char *needle)
{
    char *text = ts_server_log(s);
    int count = 0;
    char *line = text;
    for (;;) {
        char *nl = strchr(line, '\n');
        if (nl == NULL)
            break; /* a partial last line is not counted */
        *nl = '\0';
        if (strstr(line, needle) != NULL)
            count++;
        line = nl + 1;
    }
    free(text);
    return count;
}
