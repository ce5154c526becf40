/* platform.c - OS services libuv lacks (see platform.h). */
#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* glibc's posix_spawn_file_actions_addclosefrom_np */
#endif
#include "platform.h"

#include <uv.h>

#ifdef _WIN32
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct bgc_platform_lock {
    HANDLE h;
};

/* The locked byte: past any PID text, so readers of the text are never
 * refused by the lock itself (Windows locks are mandatory). */
#define LOCK_OFFSET_HIGH 1u

static int64_t parse_pid(const char *buf, size_t n)
{
    int64_t pid = 0;
    for (size_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9' && pid < ((int64_t)1 << 40); i++)
        pid = pid * 10 + (buf[i] - '0');
    return pid;
}

int bgc_platform_lock_acquire(const char *path, bgc_platform_lock **out, int64_t *holder_pid)
{
    *out = NULL;
    *holder_pid = 0;
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
    if (n <= 0)
        return UV_EINVAL;
    WCHAR *w = malloc((size_t)n * sizeof *w);
    if (!w)
        return UV_ENOMEM;
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, w, n);
    HANDLE h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE)
        return uv_translate_sys_error((int)GetLastError());
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.OffsetHigh = LOCK_OFFSET_HIGH;
    if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)) {
        DWORD e = GetLastError();
        int rc = uv_translate_sys_error((int)e);
        if (e == ERROR_LOCK_VIOLATION || e == ERROR_IO_PENDING) {
            char buf[24];
            DWORD got = 0;
            OVERLAPPED at0;
            memset(&at0, 0, sizeof at0);
            if (ReadFile(h, buf, sizeof buf, &got, &at0))
                *holder_pid = parse_pid(buf, got);
            rc = UV_EBUSY;
        }
        CloseHandle(h);
        return rc;
    }
    bgc_platform_lock *l = malloc(sizeof *l);
    if (!l) {
        CloseHandle(h);
        return UV_ENOMEM;
    }
    l->h = h;
    char text[24];
    int len = snprintf(text, sizeof text, "%lu\n", (unsigned long)GetCurrentProcessId());
    DWORD put = 0;
    OVERLAPPED at0;
    memset(&at0, 0, sizeof at0);
    /* The PID is a courtesy for the next process's message: failing to
     * write it does not make the lock any less held. */
    if (SetFilePointer(h, 0, NULL, FILE_BEGIN) != INVALID_SET_FILE_POINTER)
        (void)SetEndOfFile(h);
    (void)WriteFile(h, text, (DWORD)len, &put, &at0);
    *out = l;
    return 0;
}

void bgc_platform_lock_release(bgc_platform_lock *lock)
{
    if (!lock)
        return;
    CloseHandle(lock->h); /* closing the handle releases its locks */
    free(lock);
}

#else
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
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


struct bgc_platform_lock {
    int fd;
};

int bgc_platform_lock_acquire(const char *path, bgc_platform_lock **out, int64_t *holder_pid)
{
    *out = NULL;
    *holder_pid = 0;
    int fd;
    do
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return UV_EINVAL;
    }
    int rc;
    do
        rc = flock(fd, LOCK_EX | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        int e = errno;
        if (e == EWOULDBLOCK) {
            char buf[24];
            ssize_t n = pread(fd, buf, sizeof buf, 0);
            int64_t pid = 0;
            for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9' && pid < ((int64_t)1 << 40); i++)
                pid = pid * 10 + (buf[i] - '0');
            *holder_pid = pid;
            close(fd);
            return UV_EBUSY;
        }
        close(fd);
        return -e;
    }
    bgc_platform_lock *l = malloc(sizeof *l);
    if (!l) {
        close(fd);
        return UV_ENOMEM;
    }
    l->fd = fd;
    char text[24];
    int len = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    /* The PID is a courtesy for the next process's message: failing to
     * write it does not make the lock any less held. */
    if (ftruncate(fd, 0) == 0)
        (void)!pwrite(fd, text, (size_t)len, 0);
    *out = l;
    return 0;
}

void bgc_platform_lock_release(bgc_platform_lock *lock)
{
    if (!lock)
        return;
    close(lock->fd); /* the last descriptor of the open file: the lock goes */
    free(lock);
}

#endif
