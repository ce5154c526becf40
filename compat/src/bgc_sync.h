/*
 * bgc_sync.h - process-wide locks for compat/ on top of libuv (internal to
 * compat/; not installed).
 *
 * libuv has no static initialiser for uv_mutex_t / uv_cond_t, so a lock
 * that lives for the whole process is created on first use under a
 * uv_once_t.  A failed uv_mutex_init / uv_cond_init (out of kernel
 * objects) aborts, as libuv's own lock functions do on failure: no caller
 * could go on without its lock.
 *
 * Include this file before <windows.h> (directly or through
 * compat_objects.h / qmgr_internal.h): uv.h brings <winsock2.h>, which
 * must come before <windows.h> on Windows.
 */
#ifndef BGCOPY_COMPAT_BGC_SYNC_H
#define BGCOPY_COMPAT_BGC_SYNC_H

#include <stdlib.h>
#include <uv.h>

/* Defines `static uv_mutex_t *name(void)`: the process-wide mutex |name|,
 * created on the first call.  Thread-safe. */
#define BGC_STATIC_MUTEX(name)                                   \
    static uv_once_t name##_once_ = UV_ONCE_INIT;                 \
    static uv_mutex_t name##_mutex_;                              \
    static void name##_init_(void)                                \
    {                                                             \
        if (uv_mutex_init(&name##_mutex_) != 0)                   \
            abort();                                              \
    }                                                             \
    static uv_mutex_t *name(void)                                 \
    {                                                             \
        uv_once(&name##_once_, name##_init_);                     \
        return &name##_mutex_;                                    \
    }

/* Defines `static uv_cond_t *name(void)`: the process-wide condition
 * variable |name|, created on the first call.  Thread-safe. */
#define BGC_STATIC_COND(name)                                    \
    static uv_once_t name##_once_ = UV_ONCE_INIT;                 \
    static uv_cond_t name##_cond_;                                \
    static void name##_init_(void)                                \
    {                                                             \
        if (uv_cond_init(&name##_cond_) != 0)                     \
            abort();                                              \
    }                                                             \
    static uv_cond_t *name(void)                                  \
    {                                                             \
        uv_once(&name##_once_, name##_init_);                     \
        return &name##_cond_;                                     \
    }

/* Milliseconds on a monotonic clock (uv_hrtime), for deadlines. */
static inline uint64_t bgc_now_ms(void)
{
    return uv_hrtime() / 1000000u;
}

#endif /* BGCOPY_COMPAT_BGC_SYNC_H */
