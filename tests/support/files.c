/*
 * files.c - file and directory helpers for tests: read/write whole files,
 * write and verify generated content, private temp dirs, recursive removal,
 * and the small portable file-system queries tests need.
 *
 * Everything goes through libuv's synchronous uv_fs_* calls, which take
 * UTF-8 paths, never translate line ends, take 64-bit offsets and sizes,
 * and on Windows open files shared for reading, writing and deletion (as on
 * Linux), so a test can read a log another process writes, and bgcopy can
 * rename over a file a test has open.
 */
#include "harness.h"
#include "check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

/* errno for a libuv error code (negative errno on Unix; its own numbers on
 * Windows), for the helpers documented to set errno. */
static int errno_of(int uverr)
{
#ifndef _WIN32
    return -uverr;
#else
    switch (uverr) {
    case UV_ENOENT:
        return ENOENT;
    case UV_EACCES:
        return EACCES;
    case UV_EPERM:
        return EPERM;
    case UV_EEXIST:
        return EEXIST;
    case UV_ENOTEMPTY:
        return ENOTEMPTY;
    case UV_ENOTDIR:
        return ENOTDIR;
    case UV_EISDIR:
        return EISDIR;
    case UV_EBUSY:
        return EBUSY;
    case UV_ENOMEM:
        return ENOMEM;
    case UV_EINVAL:
        return EINVAL;
    case UV_ENOSPC:
        return ENOSPC;
    case UV_ENAMETOOLONG:
        return ENAMETOOLONG;
    default:
        return EIO;
    }
#endif
}

/* Sets errno from uverr and returns -1. */
static int fail(int uverr)
{
    errno = errno_of(uverr);
    return -1;
}

static int fs_open(const char *path, int flags, int mode)
{
    uv_fs_t req;
    int r = uv_fs_open(NULL, &req, path, flags, mode, NULL);
    uv_fs_req_cleanup(&req);
    return r;
}

static void fs_close(uv_file fd)
{
    uv_fs_t req;
    uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
}

/* Reads up to len bytes at the file position; returns the count (0 at end)
 * or a libuv error. */
static int fs_read(uv_file fd, void *buf, size_t len)
{
    /* uv_buf_t's length is 32-bit on Windows. */
    if (len > (size_t)1 << 30)
        len = (size_t)1 << 30;
    uv_buf_t b = uv_buf_init(buf, (unsigned)len);
    uv_fs_t req;
    int r = uv_fs_read(NULL, &req, fd, &b, 1, -1, NULL);
    uv_fs_req_cleanup(&req);
    return r;
}

/* Stats path (lstat if nofollow); 0 or a libuv error. */
static int fs_stat(const char *path, int nofollow, uv_stat_t *st)
{
    uv_fs_t req;
    int r = nofollow ? uv_fs_lstat(NULL, &req, path, NULL) : uv_fs_stat(NULL, &req, path, NULL);
    if (r == 0)
        *st = req.statbuf;
    uv_fs_req_cleanup(&req);
    return r;
}

static int fs_fstat(uv_file fd, uv_stat_t *st)
{
    uv_fs_t req;
    int r = uv_fs_fstat(NULL, &req, fd, NULL);
    if (r == 0)
        *st = req.statbuf;
    uv_fs_req_cleanup(&req);
    return r;
}

char *ts_read_file(const char *path, size_t *len)
{
    int fd = fs_open(path, UV_FS_O_RDONLY, 0);
    if (fd < 0) {
        fail(fd);
        return NULL;
    }
    uv_stat_t st;
    int r = fs_fstat(fd, &st);
    if (r != 0) {
        fs_close(fd);
        fail(r);
        return NULL;
    }
    /* st_size is a hint only (the file may grow while we read, e.g. a log). */
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
    size_t n = 0;
    char *buf = malloc(cap);
    if (buf == NULL) {
        fs_close(fd);
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                fs_close(fd);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        r = fs_read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            free(buf);
            fs_close(fd);
            fail(r);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    fs_close(fd);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

/* Writes all of buf (short writes retried); 0 or a libuv error. */
static int write_all(uv_file fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        size_t chunk = len > (size_t)1 << 30 ? (size_t)1 << 30 : len;
        uv_buf_t b = uv_buf_init((char *)p, (unsigned)chunk);
        uv_fs_t req;
        int w = uv_fs_write(NULL, &req, fd, &b, 1, -1, NULL);
        uv_fs_req_cleanup(&req);
        if (w < 0)
            return w;
        if (w == 0)
            return UV_EIO;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Closes fd; 0 or a libuv error (a write error can surface here). */
static int close_checked(uv_file fd)
{
    uv_fs_t req;
    int r = uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
    return r;
}

int ts_write_file(const char *path, const void *data, size_t len)
{
    int fd = fs_open(path, UV_FS_O_WRONLY | UV_FS_O_CREAT | UV_FS_O_TRUNC, 0644);
    if (fd < 0)
        return fail(fd);
    int r = write_all(fd, data, len);
    if (r != 0) {
        fs_close(fd);
        return fail(r);
    }
    r = close_checked(fd);
    return r == 0 ? 0 : fail(r);
}

int ts_write_gen_file(const char *path, uint64_t size)
{
    int fd = fs_open(path, UV_FS_O_WRONLY | UV_FS_O_CREAT | UV_FS_O_TRUNC, 0644);
    if (fd < 0)
        return fail(fd);
    static const size_t chunk = 1 << 20;
    uint8_t *buf = malloc(chunk);
    if (buf == NULL) {
        fs_close(fd);
        errno = ENOMEM;
        return -1;
    }
    for (uint64_t off = 0; off < size;) {
        size_t n = size - off < chunk ? (size_t)(size - off) : chunk;
        ts_gen_fill(buf, off, n);
        int r = write_all(fd, buf, n);
        if (r != 0) {
            free(buf);
            fs_close(fd);
            return fail(r);
        }
        off += n;
    }
    free(buf);
    int r = close_checked(fd);
    return r == 0 ? 0 : fail(r);
}

int ts_file_matches_gen(const char *path, uint64_t size)
{
    int fd = fs_open(path, UV_FS_O_RDONLY, 0);
    if (fd < 0) {
        fprintf(stderr, "ts_file_matches_gen: %s: cannot open: %s\n", path, uv_strerror(fd));
        return 0;
    }
    uv_stat_t st;
    int r = fs_fstat(fd, &st);
    if (r != 0 || st.st_size != size) {
        fprintf(stderr, "ts_file_matches_gen: %s: size %llu, want %llu\n", path,
                r != 0 ? 0ull : (unsigned long long)st.st_size, (unsigned long long)size);
        fs_close(fd);
        return 0;
    }
    static const size_t chunk = 1 << 20;
    uint8_t *buf = malloc(chunk);
    CHECK_NOT_NULL(buf);
    int ok = 1;
    uint64_t off = 0;
    while (off < size) {
        size_t want = size - off < chunk ? (size_t)(size - off) : chunk;
        r = fs_read(fd, buf, want);
        if (r <= 0) {
            fprintf(stderr, "ts_file_matches_gen: %s: read failed at offset %llu: %s\n", path,
                    (unsigned long long)off, r < 0 ? uv_strerror(r) : "unexpected end of file");
            ok = 0;
            break;
        }
        size_t bad = ts_gen_mismatch(buf, off, (size_t)r);
        if (bad != (size_t)r) {
            fprintf(stderr,
                    "ts_file_matches_gen: %s: first difference at offset %llu: 0x%02x, want 0x%02x\n",
                    path, (unsigned long long)(off + bad), buf[bad], ts_gen_byte(off + bad));
            ok = 0;
            break;
        }
        off += (uint64_t)r;
    }
    free(buf);
    fs_close(fd);
    return ok;
}

char *ts_mkdtemp(void)
{
    char tmp[4096];
    size_t tmp_len = sizeof tmp;
    int r = uv_os_tmpdir(tmp, &tmp_len);
    CHECK_MSG(r == 0, "uv_os_tmpdir: %s", uv_strerror(r));
    char *tmpl = ts_path_join(tmp, "bgcopy-test-XXXXXX");
    uv_fs_t req;
    r = uv_fs_mkdtemp(NULL, &req, tmpl, NULL);
    char *path = r == 0 ? strdup(req.path) : NULL;
    uv_fs_req_cleanup(&req);
    CHECK_MSG(r == 0, "mkdtemp(%s): %s", tmpl, uv_strerror(r));
    CHECK_NOT_NULL(path);
    free(tmpl);
    return path;
}

/* Removes path recursively; 0, or the first libuv error. */
static int rmtree(const char *path)
{
    uv_stat_t st;
    int r = fs_stat(path, 1, &st);
    if (r == UV_ENOENT)
        return 0;
    if (r != 0)
        return r;
    uv_fs_t req;
    if ((st.st_mode & S_IFMT) != S_IFDIR) {
        /* Files, and symlinks/junctions themselves (uv_fs_unlink removes a
         * directory link on Windows without entering it). */
        r = uv_fs_unlink(NULL, &req, path, NULL);
        uv_fs_req_cleanup(&req);
        return r == 0 || r == UV_ENOENT ? 0 : r;
    }
    int rc = 0;
    r = uv_fs_scandir(NULL, &req, path, 0, NULL);
    if (r < 0) {
        uv_fs_req_cleanup(&req);
        return r;
    }
    uv_dirent_t ent;
    while (uv_fs_scandir_next(&req, &ent) != UV_EOF) {
        char *sub = ts_path_join(path, ent.name);
        r = rmtree(sub);
        if (r != 0 && rc == 0)
            rc = r;
        free(sub);
    }
    uv_fs_req_cleanup(&req);
    r = uv_fs_rmdir(NULL, &req, path, NULL);
    uv_fs_req_cleanup(&req);
    if (r != 0 && r != UV_ENOENT && rc == 0)
        rc = r;
    return rc;
}

int ts_rmtree(const char *path)
{
    int r = rmtree(path);
    return r == 0 ? 0 : fail(r);
}

char *ts_path_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int has_sep = dl > 0 && (dir[dl - 1] == '/' || dir[dl - 1] == TS_PATH_SEP);
    char *p = malloc(dl + nl + 2);
    CHECK_NOT_NULL(p);
    memcpy(p, dir, dl);
    if (!has_sep)
        p[dl++] = TS_PATH_SEP;
    memcpy(p + dl, name, nl + 1);
    return p;
}

char *ts_file_url(const char *path)
{
    char *u = malloc(strlen(path) * 3 + 16), *o;
    CHECK_NOT_NULL(u);
    /* A drive-letter path needs the third slash of an empty authority. */
    o = u + sprintf(u, "file://%s", path[0] == '/' ? "" : "/");
    for (const char *p = path; *p; p++) {
        if (*p == ' ') {
            memcpy(o, "%20", 3);
            o += 3;
        } else {
            *o++ = *p == '\\' ? '/' : *p;
        }
    }
    *o = '\0';
    return u;
}

int ts_path_exists(const char *path)
{
    uv_stat_t st;
    return fs_stat(path, 0, &st) == 0;
}

int ts_is_dir(const char *path)
{
    uv_stat_t st;
    return fs_stat(path, 0, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR;
}

int64_t ts_file_size(const char *path)
{
    uv_stat_t st;
    int r = fs_stat(path, 0, &st);
    if (r != 0)
        return fail(r);
    return (int64_t)st.st_size;
}

int ts_mkdir(const char *path)
{
    uv_fs_t req;
    int r = uv_fs_mkdir(NULL, &req, path, 0755, NULL);
    uv_fs_req_cleanup(&req);
    return r == 0 ? 0 : fail(r);
}

int ts_remove(const char *path)
{
    uv_fs_t req;
    int r = uv_fs_unlink(NULL, &req, path, NULL);
    uv_fs_req_cleanup(&req);
    return r == 0 ? 0 : fail(r);
}

int ts_dir_count(const char *dir)
{
    uv_fs_t req;
    int r = uv_fs_scandir(NULL, &req, dir, 0, NULL);
    uv_fs_req_cleanup(&req);
    return r >= 0 ? r : fail(r);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **ts_list_dir(const char *dir, size_t *count)
{
    uv_fs_t req;
    int r = uv_fs_scandir(NULL, &req, dir, 0, NULL);
    if (r < 0) {
        uv_fs_req_cleanup(&req);
        fail(r);
        return NULL;
    }
    char **list = calloc((size_t)r + 1, sizeof *list);
    CHECK_NOT_NULL(list);
    size_t n = 0;
    uv_dirent_t ent;
    /* To UV_EOF: libuv frees each entry on the next call, the last at EOF. */
    while (uv_fs_scandir_next(&req, &ent) != UV_EOF) {
        if (n == (size_t)r)
            continue;
        list[n] = strdup(ent.name);
        CHECK_NOT_NULL(list[n]);
        n++;
    }
    uv_fs_req_cleanup(&req);
    qsort(list, n, sizeof *list, cmp_names);
    if (count != NULL)
        *count = n;
    return list;
}

void ts_free_list(char **list)
{
    if (list == NULL)
        return;
    for (char **p = list; *p != NULL; p++)
        free(*p);
    free(list);
}

int ts_setenv(const char *name, const char *value)
{
    int r = value != NULL ? uv_os_setenv(name, value) : uv_os_unsetenv(name);
    if (r != 0)
        return fail(r);
#ifdef _WIN32
    /* The CRT's environ copy, for getenv() (value "" removes there). */
    if (_putenv_s(name, value != NULL ? value : "") != 0)
        return -1;
#endif
    return 0;
}

char *ts_policy_file(const char *dir, unsigned max_jobs)
{
    char *path = ts_path_join(dir, "bgcopy.conf");
    char text[64];
    int n = snprintf(text, sizeof text, "[BITS]\nMaxJobsPerUser = %u\n", max_jobs);
    if (!path || n < 0 || ts_write_file(path, text, (size_t)n) != 0) {
        fprintf(stderr, "ts_policy_file: cannot write a policy file in %s\n", dir);
        abort();
    }
    return path;
}
