/* platform.c - OS services libuv lacks (see platform.h). */
#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* glibc's posix_spawn_file_actions_addclosefrom_np */
#endif
#include "platform.h"

#include <uv.h>

#ifdef _WIN32
#include <stdlib.h>
#include <windows.h>

int bgc_platform_set_hidden(const char *path, int hidden)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
    if (n <= 0)
        return UV_EINVAL;
    WCHAR *w = malloc((size_t)n * sizeof *w);
    if (!w)
        return UV_ENOMEM;
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, w, n);
    int rc = UV_EIO;
    DWORD attr = GetFileAttributesW(w);
    if (attr != INVALID_FILE_ATTRIBUTES) {
        DWORD want = hidden ? (attr | FILE_ATTRIBUTE_HIDDEN) : (attr & ~(DWORD)FILE_ATTRIBUTE_HIDDEN);
        /* No attribute left means "normal", which SetFileAttributes spells
         * FILE_ATTRIBUTE_NORMAL. */
        if (want == 0)
            want = FILE_ATTRIBUTE_NORMAL;
        rc = want == attr || SetFileAttributesW(w, want) ? 0 : UV_EIO;
    }
    free(w);
    return rc;
}

int bgc_platform_ensure_std_fds(void)
{
    return 0;
}

#else
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>

extern char **environ;

int bgc_platform_set_hidden(const char *path, int hidden)
{
    (void)path;
    (void)hidden;
    return 0;
}

int bgc_platform_ensure_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        /* Not close-on-exec: a standard descriptor is meant to be inherited. */
        int nfd = open("/dev/null", O_RDWR);
        if (nfd < 0)
            return -errno;
        /* Another thread took fd first: it is open now, which is all we
         * want; ours is surplus. */
        if (nfd != fd)
            close(nfd);
    }
    return 0;
}

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define HAVE_ADDCLOSEFROM 1
#endif

#ifdef HAVE_ADDCLOSEFROM
/* posix_spawn starts the child without copying our address space, reports
 * a failed exec as its return value, and closes every descriptor above 2
 * in the child in one step. */
static int spawn_closed(const char *file, char *const *argv, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0)
        return rc;
    rc = posix_spawnattr_init(&attr);
    if (rc != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return rc;
    }
    /* As uv_spawn: every signal at its default action (bitsadmin ignores
     * SIGPIPE; the child must not inherit that) and none blocked. */
    sigset_t all, none;
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    sigemptyset(&none);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &all);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &none);
    if (rc == 0) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    if (rc == 0) rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_RDWR, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    if (rc == 0) rc = posix_spawn(pid, file, &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}
#else
/* Without addclosefrom: fork, then in the child (only async-signal-safe
 * calls) set up 0-2, close everything above them but the pipe that reports
 * a failed exec (close-on-exec, so a successful exec closes it), and exec. */
static int spawn_closed(const char *file, char *const *argv, pid_t *pid)
{
    int report[2];
    if (pipe(report) != 0)
        return errno;
    if (fcntl(report[1], F_SETFD, FD_CLOEXEC) != 0) {
        int e = errno;
        close(report[0]);
        close(report[1]);
        return e;
    }
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 1L << 20)
        max = 1L << 20;
    pid_t child = fork();
    if (child == 0) {
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; sig++)
            (void)sigaction(sig, &dfl, NULL);
        sigset_t none;
        sigemptyset(&none);
        (void)sigprocmask(SIG_SETMASK, &none, NULL);
        int nul = open("/dev/null", O_RDWR);
        int e = nul < 0 ? errno : 0;
        for (int fd = 0; e == 0 && fd <= 2; fd++)
            if (nul != fd && dup2(nul, fd) < 0)
                e = errno;
        for (long fd = 3; e == 0 && fd < max; fd++)
            if (fd != report[1])
                (void)close((int)fd);
        if (e == 0) {
            execv(file, argv);
            e = errno;
        }
        (void)!write(report[1], &e, sizeof e);
        _exit(127);
    }
    int e = child < 0 ? errno : 0;
    close(report[1]);
    if (child > 0) {
        int child_err;
        ssize_t n;
        do
            n = read(report[0], &child_err, sizeof child_err);
        while (n < 0 && errno == EINTR);
        if (n == (ssize_t)sizeof child_err) {
            int st;
            while (waitpid(child, &st, 0) < 0 && errno == EINTR)
                ;
            e = child_err;
        }
    }
    close(report[0]);
    if (e == 0)
        *pid = child;
    return e;
}
#endif

int bgc_platform_spawn_wait(const char *file, char *const *argv, int64_t *exit_status)
{
    pid_t pid;
    int rc = spawn_closed(file, argv, &pid);
    if (rc != 0)
        return -rc; /* libuv error codes are negated errno values on POSIX */
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            return -errno;
    }
    /* A program killed by a signal did not succeed. */
    *exit_status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
    return 0;
}

#endif
