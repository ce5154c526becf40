/*
 * server_process.c - running bgcopy-testserver as a child process for a test:
 * spawn, wait for its port, stop, and read its request log.
 *
 * Why a child process and not a thread: the server must be a real peer on a
 * real socket that a test can also kill, and its threads must not mix with
 * the code under test (sanitizer reports, signal masks, fork safety).
 *
 * A test that fails calls exit(1) (check.h) and may never reach
 * ts_server_stop, so every running server is also kept in a small table of
 * heap-free records that an atexit handler stops.  The table holds copies,
 * not the caller's ts_server, because that usually lives in main()'s frame,
 * which is gone when atexit handlers run.  If the test process dies without
 * running atexit handlers (crash, SIGKILL), the server notices that the
 * "keepalive" pipe we hold has closed and exits by itself (--watch-fd).
 */
#include "harness.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef BGCOPY_TESTSERVER_PATH
#error "BGCOPY_TESTSERVER_PATH must name the bgcopy-testserver binary (set by tests/server.cmake)"
#endif

extern char **environ;

enum { TS_MAX_SERVERS = 64 };

/* The fd number the keepalive pipe's read end gets in the server. */
enum { TS_WATCH_FD = 3 };

typedef struct ts_record {
    int used;
    pid_t owner; /* the process that started it (see stop_all_at_exit) */
    pid_t pid;
    int keepalive_fd; /* write end of the keepalive pipe */
    char dir[4096];
} ts_record;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static ts_record g_servers[TS_MAX_SERVERS];
static pthread_once_t g_atexit_once = PTHREAD_ONCE_INIT;

static void sleep_ms(int ms)
{
    struct timespec d = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&d, &d) != 0 && errno == EINTR) {
    }
}

/* SIGTERM, wait up to 5 s, then SIGKILL.  Returns 0 for a clean exit. */
static int terminate_and_reap(pid_t pid)
{
    int status = 0;
    if (kill(pid, SIGTERM) != 0 && errno != ESRCH)
        return -1;
    uint64_t deadline = ts_now_ms() + 5000;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            return -1;
        if (ts_now_ms() >= deadline) {
            fprintf(stderr, "ts_server_stop: server %d ignored SIGTERM for 5 s; killing it\n",
                    (int)pid);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            return -1;
        }
        sleep_ms(2);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status))
        fprintf(stderr, "ts_server_stop: server %d exited with status %d\n", (int)pid,
                WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        fprintf(stderr, "ts_server_stop: server %d died of signal %d\n", (int)pid,
                WTERMSIG(status));
    return -1;
}

/* Stops the server in record r and frees r.  Caller holds g_lock. */
static int stop_record(ts_record *r)
{
    int rc = 0;
    if (r->pid > 0)
        rc = terminate_and_reap(r->pid);
    if (r->keepalive_fd >= 0)
        close(r->keepalive_fd);
    if (r->dir[0] != '\0')
        ts_rmtree(r->dir);
    memset(r, 0, sizeof *r);
    r->keepalive_fd = -1;
    return rc;
}

static void stop_all_at_exit(void)
{
    /* A child forked by a test (crash tests) inherits this table and the
     * handler; its exit() must not stop the parent's servers. */
    pid_t self = getpid();
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < TS_MAX_SERVERS; i++)
        if (g_servers[i].used && g_servers[i].owner == self)
            stop_record(&g_servers[i]);
    pthread_mutex_unlock(&g_lock);
}

static void register_atexit(void)
{
    atexit(stop_all_at_exit);
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

int ts_server_start(ts_server *s, const char *root_or_null)
{
    return ts_server_start_args(s, root_or_null, NULL);
}

int ts_server_start_args(ts_server *s, const char *root_or_null, const char *const *extra_args)
{
    memset(s, 0, sizeof *s);
    s->slot_ = -1;
    pthread_once(&g_atexit_once, register_atexit);

    const char *bin = getenv("BGCOPY_TESTSERVER");
    if (bin == NULL || bin[0] == '\0')
        bin = BGCOPY_TESTSERVER_PATH;

    char *dir = ts_mkdtemp();
    char port_file[sizeof s->dir];
    int n1 = snprintf(s->dir, sizeof s->dir, "%s", dir);
    int n2 = snprintf(port_file, sizeof port_file, "%s/port", dir);
    int n3 = snprintf(s->log_path, sizeof s->log_path, "%s/requests.log", dir);
    if (n1 < 0 || n2 < 0 || n3 < 0 || (size_t)n3 >= sizeof s->log_path ||
        (size_t)n2 >= sizeof port_file || (size_t)n1 >= sizeof s->dir) {
        fprintf(stderr, "ts_server_start: temp dir path too long: %s\n", dir);
        ts_rmtree(dir);
        free(dir);
        s->dir[0] = '\0';
        return -1;
    }
    free(dir);

    /* The read end goes to the server as fd TS_WATCH_FD; both ends are
     * close-on-exec here so other children we spawn do not inherit them.
     * dup2 in the file actions clears close-on-exec on the target, and the
     * read end is moved above TS_WATCH_FD first so dup2 is never a no-op. */
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        fprintf(stderr, "ts_server_start: pipe2: %s\n", strerror(errno));
        ts_rmtree(s->dir);
        return -1;
    }
    int rfd = fcntl(pipefd[0], F_DUPFD_CLOEXEC, 10);
    close(pipefd[0]);
    if (rfd < 0) {
        fprintf(stderr, "ts_server_start: fcntl: %s\n", strerror(errno));
        close(pipefd[1]);
        ts_rmtree(s->dir);
        return -1;
    }

    const char *argv[64];
    int argc = 0;
    char watch[16];
    snprintf(watch, sizeof watch, "%d", TS_WATCH_FD);
    argv[argc++] = bin;
    argv[argc++] = "--port-file";
    argv[argc++] = port_file;
    argv[argc++] = "--log";
    argv[argc++] = s->log_path;
    argv[argc++] = "--watch-fd";
    argv[argc++] = watch;
    if (root_or_null != NULL) {
        argv[argc++] = "--root";
        argv[argc++] = root_or_null;
    }
    for (int i = 0; extra_args != NULL && extra_args[i] != NULL; i++) {
        CHECK_MSG(argc < 63, "ts_server_start: too many extra arguments");
        argv[argc++] = extra_args[i];
    }
    argv[argc] = NULL;

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, rfd, TS_WATCH_FD);
    /* The server blocks SIGTERM/SIGINT itself and sigwait()s; start it with
     * default dispositions and an empty mask whatever this test set up. */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGTERM);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGHUP);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &dfl);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = 0;
    int err = posix_spawn(&pid, bin, &fa, &attr, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(rfd);
    if (err != 0) {
        fprintf(stderr, "ts_server_start: cannot run %s: %s\n", bin, strerror(err));
        close(pipefd[1]);
        ts_rmtree(s->dir);
        return -1;
    }

    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < TS_MAX_SERVERS; i++) {
        if (!g_servers[i].used) {
            g_servers[i].used = 1;
            g_servers[i].owner = getpid();
            g_servers[i].pid = pid;
            g_servers[i].keepalive_fd = pipefd[1];
            memcpy(g_servers[i].dir, s->dir, sizeof g_servers[i].dir);
            s->slot_ = i;
            break;
        }
    }
    pthread_mutex_unlock(&g_lock);
    s->pid = pid;
    if (s->slot_ < 0) {
        fprintf(stderr, "ts_server_start: more than %d servers at once\n", TS_MAX_SERVERS);
        terminate_and_reap(pid);
        close(pipefd[1]);
        ts_rmtree(s->dir);
        s->pid = 0;
        return -1;
    }

    /* Wait for the port file (the server renames it into place whole). */
    uint64_t deadline = ts_now_ms() + 10000;
    for (;;) {
        int port = read_port(port_file);
        if (port > 0) {
            s->port = port;
            snprintf(s->base_url, sizeof s->base_url, "http://127.0.0.1:%d", port);
            return 0;
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "ts_server_start: %s exited before listening (status 0x%x)\n", bin,
                    (unsigned)status);
            pthread_mutex_lock(&g_lock);
            g_servers[s->slot_].pid = 0; /* already reaped */
            stop_record(&g_servers[s->slot_]);
            pthread_mutex_unlock(&g_lock);
            s->slot_ = -1;
            s->pid = 0;
            return -1;
        }
        if (ts_now_ms() >= deadline) {
            fprintf(stderr, "ts_server_start: %s did not write %s within 10 s\n", bin, port_file);
            ts_server_stop(s);
            return -1;
        }
        sleep_ms(2);
    }
}

int ts_server_stop(ts_server *s)
{
    int rc = 0;
    if (s->slot_ >= 0 && s->slot_ < TS_MAX_SERVERS) {
        pthread_mutex_lock(&g_lock);
        ts_record *r = &g_servers[s->slot_];
        if (r->used && r->pid == s->pid && r->owner == getpid())
            rc = stop_record(r);
        pthread_mutex_unlock(&g_lock);
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
