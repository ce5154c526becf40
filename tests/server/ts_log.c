/*
 * ts_log.c - the request log: one line per request, whole lines only.
 *
 * Tests read the log while the server runs (e.g. "was a ranged GET sent?"),
 * so a line is one write to an append-mode file under a mutex: a reader
 * never sees half a line, and lines of concurrent requests never interleave.
 * Each line goes to the OS at once (no stdio buffer), so a server killed
 * outright (TerminateProcess on Windows, SIGKILL) loses no line it logged.
 * libuv opens the file on Windows with FILE_APPEND_DATA and full sharing, so
 * a test can read (and delete) the log while the server writes it.
 */
#include "testserver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

static uv_once_t g_log_once = UV_ONCE_INIT;
static uv_mutex_t g_log_lock;
static uv_file g_log_fd = -1;

static void init_lock(void)
{
    if (uv_mutex_init(&g_log_lock) != 0)
        abort();
}

int ts_log_open(const char *path)
{
    uv_once(&g_log_once, init_lock);
    uv_fs_t req;
    int fd = uv_fs_open(NULL, &req, path, UV_FS_O_WRONLY | UV_FS_O_CREAT | UV_FS_O_APPEND, 0644,
                        NULL);
    uv_fs_req_cleanup(&req);
    if (fd < 0)
        return fd;
    uv_mutex_lock(&g_log_lock);
    g_log_fd = fd;
    uv_mutex_unlock(&g_log_lock);
    return 0;
}

void ts_log_request(const char *method, const char *target, const char *range, unsigned status)
{
    char line[8192];
    int n = snprintf(line, sizeof line, "%s\t%s\t%s\t%u\n", method ? method : "-",
                     target ? target : "-", range && range[0] ? range : "-", status);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line) {
        /* Over-long target: keep the line shape (truncated, still ends in \n). */
        n = (int)sizeof line - 1;
        line[n - 1] = '\n';
    }
    uv_once(&g_log_once, init_lock);
    uv_mutex_lock(&g_log_lock);
    if (g_log_fd >= 0) {
        /* One call for the whole line; libuv retries EINTR itself. */
        uv_buf_t buf = uv_buf_init(line, (unsigned)n);
        uv_fs_t req;
        uv_fs_write(NULL, &req, g_log_fd, &buf, 1, -1, NULL);
        uv_fs_req_cleanup(&req);
    }
    uv_mutex_unlock(&g_log_lock);
}

void ts_log_close(void)
{
    uv_once(&g_log_once, init_lock);
    uv_mutex_lock(&g_log_lock);
    if (g_log_fd >= 0) {
        uv_fs_t req;
        uv_fs_close(NULL, &req, g_log_fd, NULL);
        uv_fs_req_cleanup(&req);
    }
    g_log_fd = -1;
    uv_mutex_unlock(&g_log_lock);
}
