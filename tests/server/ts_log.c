/*
 * ts_log.c - the request log: one line per request, whole lines only.
 *
 * Tests read the log while the server runs (e.g. "was a ranged GET sent?"),
 * so a line is one write() to an O_APPEND fd under a mutex: a reader never
 * sees half a line, and lines of concurrent requests never interleave.
 */
#include "testserver.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t g_log_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_log_fd = -1;

int ts_log_open(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    pthread_mutex_lock(&g_log_lock);
    g_log_fd = fd;
    pthread_mutex_unlock(&g_log_lock);
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
    pthread_mutex_lock(&g_log_lock);
    if (g_log_fd >= 0) {
        ssize_t w;
        do
            w = write(g_log_fd, line, (size_t)n);
        while (w < 0 && errno == EINTR);
    }
    pthread_mutex_unlock(&g_log_lock);
}

void ts_log_close(void)
{
    pthread_mutex_lock(&g_log_lock);
    if (g_log_fd >= 0)
        close(g_log_fd);
    g_log_fd = -1;
    pthread_mutex_unlock(&g_log_lock);
}
