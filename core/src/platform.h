/*
 * platform.h - the few OS services libuv does not offer, behind one small
 * interface (platform.c).  Everything else goes through libuv.
 */
#ifndef BGCOPY_PLATFORM_H
#define BGCOPY_PLATFORM_H

#include <stdint.h>

/* Sets or clears the "hidden" mark of the file at |path| (UTF-8).  On
 * Windows this is FILE_ATTRIBUTE_HIDDEN, which BITS gives its BIT*.tmp
 * files; on POSIX a file is hidden by its leading dot, which the caller
 * chose with the name, so this does nothing.  Returns 0, or a negative
 * libuv-style error code (UV_ENOMEM, UV_EINVAL, UV_EIO) when the attribute
 * could not be changed; callers treat that as cosmetic.  Thread-safe. */
int bgc_platform_set_hidden(const char *path, int hidden);

/* Makes sure descriptors 0, 1 and 2 are open: each one that is closed
 * (fcntl F_GETFD fails with EBADF) is opened on /dev/null, read-write.  A
 * process started with them closed (from cron, by a daemon) would
 * otherwise hand them to the next open(): libuv then gets a descriptor it
 * refuses to close (it asserts fd > 2) and text written to stdout lands in
 * whatever file took descriptor 1.  Call it before anything opens a
 * descriptor; no-op on Windows (a missing standard handle is never reused
 * there).  Returns 0, or a negative errno when /dev/null cannot be opened.
 * Not thread-safe against threads that open descriptors meanwhile: it is
 * meant for process start-up (bitsadmin's main) and for the library's
 * once-per-process initialisation (bgcopy_manager_open). */
int bgc_platform_ensure_std_fds(void);

/* Runs |file| with |argv| (NULL-terminated; no shell, no PATH search) and
 * waits for it.  The child gets the null device as stdin, stdout and
 * stderr and no other descriptor of this process: every descriptor above 2
 * is closed in the child before it executes |file|, whether or not it is
 * close-on-exec (libraries such as libcurl 7.88 open some without it).
 * POSIX only; on Windows cmdline.c uses uv_spawn.  Returns 0 with
 * *exit_status set (the exit code, or 128 + the signal number when a
 * signal ended it), or a negative libuv error code (UV_ENOENT, UV_EACCES,
 * UV_ENOMEM, ...) when it could not be started.  Thread-safe. */
int bgc_platform_spawn_wait(const char *file, char *const *argv, int64_t *exit_status);

/* The single-owner lock of a queue directory (docs/persistence.md): an OS
 * file lock on the file |path| (UTF-8), which is created (mode 0600) when
 * missing and never deleted.  POSIX: flock(LOCK_EX | LOCK_NB) on a
 * close-on-exec descriptor (flock locks belong to the open file, so a second
 * manager in the same process is refused too, unlike fcntl locks).
 * Windows: LockFileEx on one byte far beyond the text, so that the text
 * stays readable; the handle is not inherited.  The holder's PID is written
 * at the start of the file ("1234\n") once the lock is held.  The OS drops
 * the lock when the process ends, however it ends (kill -9 included).
 * Returns 0 with *out set (release with bgc_platform_lock_release);
 * UV_EBUSY when another open file holds it, with *holder_pid set to the PID
 * written there (0 when not readable yet); or a negative libuv error code
 * (UV_EACCES, UV_EROFS, UV_ENOENT, UV_ENOMEM, ...).  Thread-safe. */
typedef struct bgc_platform_lock bgc_platform_lock;
int bgc_platform_lock_acquire(const char *path, bgc_platform_lock **out, int64_t *holder_pid);
/* Releases the lock and closes the file.  NULL is ignored. */
void bgc_platform_lock_release(bgc_platform_lock *lock);

#endif /* BGCOPY_PLATFORM_H */
