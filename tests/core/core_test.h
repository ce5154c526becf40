/* core_test.h - small helpers shared by the core tests (header-only).
 *
 * File helpers are the harness's (harness.h) or go through libuv
 * (synchronous uv_fs_* calls), so that names are UTF-8 and sizes and times
 * 64-bit on every platform: mingw's own stat() has a 32-bit st_size. */
#ifndef BGCOPY_CORE_TEST_H
#define BGCOPY_CORE_TEST_H

#include "bgcopy.h"
#include "check.h"
#include "harness.h"

#include <uv.h> /* on Windows this brings <winsock2.h> and <windows.h> too */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline int ct_is_sep(char c)
{
#ifdef _WIN32
    return c == '/' || c == '\\';
#else
    return c == '/';
#endif
}

typedef struct { bgcopy_job *job; bgcopy_job_state want; } ct_state_wait;

static inline int ct_state_is(void *arg)
{
    ct_state_wait *w = arg;
    bgcopy_job_state s;
    return bgcopy_job_get_state(w->job, &s) == BGCOPY_S_OK && s == w->want;
}

/* Wait up to timeout_ms for |job| to reach |want|; fail the test with the
 * state it is in otherwise. */
static inline void ct_wait_state(bgcopy_job *job, bgcopy_job_state want, int timeout_ms)
{
    ct_state_wait w = {job, want};
    if (!ts_wait_until(ct_state_is, &w, timeout_ms)) {
        bgcopy_job_state s = BGCOPY_JOB_STATE_QUEUED;
        bgcopy_job_get_state(job, &s);
        bgcopy_job_error e;
        if (bgcopy_job_get_error(job, &e) == BGCOPY_S_OK)
            fprintf(stderr, "job error 0x%08x context %d\n", (unsigned)e.code, (int)e.context);
        CHECK_FAIL("job never reached %s; it is %s", bgcopy_job_state_name(want),
                   bgcopy_job_state_name(s));
    }
}

/* stat of |path| into *out (out may be NULL): 0, or a negative libuv error
 * (UV_ENOENT when it does not exist). */
static inline int ct_stat(const char *path, uv_stat_t *out)
{
    uv_fs_t req;
    int rc = uv_fs_stat(NULL, &req, path, NULL);
    if (rc == 0 && out)
        *out = req.statbuf;
    uv_fs_req_cleanup(&req);
    return rc;
}

static inline int ct_exists(const char *path) { return ts_path_exists(path); }

/* lstat's file type of |path| (st_mode & S_IFMT: S_IFREG, S_IFDIR, S_IFLNK,
 * ...), 0 when it does not exist. */
static inline unsigned ct_ltype(const char *path)
{
    uv_fs_t req;
    int rc = uv_fs_lstat(NULL, &req, path, NULL);
    unsigned t = rc == 0 ? (unsigned)(req.statbuf.st_mode & S_IFMT) : 0u;
    uv_fs_req_cleanup(&req);
    return t;
}

/* Modification time of a file in seconds since 1970; fails the test when
 * the file does not exist. */
static inline int64_t ct_mtime(const char *path)
{
    uv_stat_t st;
    CHECK_EQ_INT(ct_stat(path, &st), 0);
    return (int64_t)st.st_mtim.tv_sec;
}

/* "<dir><native separator><name>", malloc'ed (bgcopy accepts '/' on
 * Windows as well; some tests use it on purpose). */
static inline char *ct_path(const char *dir, const char *name) { return ts_path_join(dir, name); }


/* Checks that |tmp| is the name BITS gives a temporary file beside a
 * destination in |dir|: "BIT" + hex digits + ".tmp" in |dir|, with a
 * leading '.' on POSIX (that is what hides it there; on Windows the hidden
 * attribute does, see ct_is_hidden). */
static inline void ct_check_temp_name(const char *dir, const char *tmp)
{
    size_t dl = strlen(dir);
    CHECK_MSG(strncmp(tmp, dir, dl) == 0, "%s is not in %s", tmp, dir);
    CHECK_MSG(ct_is_sep(tmp[dl]), "%s is not in %s", tmp, dir);
    const char *base = tmp + dl + 1;
#ifdef _WIN32
    const char *prefix = "BIT";
#else
    const char *prefix = ".BIT";
#endif
    size_t pl = strlen(prefix);
    CHECK_MSG(strncmp(base, prefix, pl) == 0, "temporary name %s does not start with %s", base,
              prefix);
    const char *hex = base + pl;
    size_t nhex = strspn(hex, "0123456789ABCDEFabcdef");
    CHECK_MSG(nhex >= 1 && strcmp(hex + nhex, ".tmp") == 0, "temporary name %s is not %s<hex>.tmp",
              base, prefix);
}

/* 1 if the existing file |path| is hidden: the FILE_ATTRIBUTE_HIDDEN bit on
 * Windows, a name starting with '.' on POSIX. */
static inline int ct_is_hidden(const char *path)
{
#ifdef _WIN32
    DWORD a = GetFileAttributesA(path);
    CHECK_MSG(a != INVALID_FILE_ATTRIBUTES, "GetFileAttributes(%s) failed", path);
    return (a & FILE_ATTRIBUTE_HIDDEN) != 0;
#else
    const char *slash = strrchr(path, '/');
    return (slash ? slash[1] : path[0]) == '.';
#endif
}

static inline bgcopy_job *ct_new_job(bgcopy_manager *m, const char *name)
{
    bgcopy_job *job = NULL;
    CHECK_HR_OK(bgcopy_manager_create_job(m, name, BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job));
    CHECK_NOT_NULL(job);
    return job;
}

/* Injectable clock for timer tests: milliseconds the test moves by hand. */
typedef struct { _Atomic uint64_t ms; } ct_clock;
static inline uint64_t ct_clock_read(void *ctx) { return ((ct_clock *)ctx)->ms; }

#endif
