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

#endif /* BGCOPY_PLATFORM_H */
