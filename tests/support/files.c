/*
 * files.c - file and directory helpers for tests: read/write whole files,
 * write and verify generated content, private temp dirs, recursive removal.
 */
#include "harness.h"
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *ts_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    /* st_size is a hint only (the file may grow while we read, e.g. a log). */
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
    size_t n = 0;
    char *buf = malloc(cap);
    if (buf == NULL) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                close(fd);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

/* write() until all of buf is written (short writes and EINTR). */
static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int ts_write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    if (write_all(fd, data, len) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

int ts_write_gen_file(const char *path, uint64_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    static const size_t chunk = 1 << 20;
    uint8_t *buf = malloc(chunk);
    if (buf == NULL) {
        close(fd);
        errno = ENOMEM;
        return -1;
    }
    for (uint64_t off = 0; off < size;) {
        size_t n = size - off < chunk ? (size_t)(size - off) : chunk;
        ts_gen_fill(buf, off, n);
        if (write_all(fd, buf, n) != 0) {
            int e = errno;
            free(buf);
            close(fd);
            errno = e;
            return -1;
        }
        off += n;
    }
    free(buf);
    return close(fd);
}

int ts_file_matches_gen(const char *path, uint64_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "ts_file_matches_gen: %s: cannot open: %s\n", path, strerror(errno));
        return 0;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != size) {
        fprintf(stderr, "ts_file_matches_gen: %s: size %lld, want %llu\n", path,
                (long long)st.st_size, (unsigned long long)size);
        close(fd);
        return 0;
    }
    static const size_t chunk = 1 << 20;
    uint8_t *buf = malloc(chunk);
    CHECK_NOT_NULL(buf);
    int ok = 1;
    uint64_t off = 0;
    while (off < size) {
        size_t want = size - off < chunk ? (size_t)(size - off) : chunk;
        ssize_t r = read(fd, buf, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            fprintf(stderr, "ts_file_matches_gen: %s: read failed at offset %llu: %s\n", path,
                    (unsigned long long)off, r < 0 ? strerror(errno) : "unexpected end of file");
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
    close(fd);
    return ok;
}

char *ts_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    size_t n = strlen(tmp) + sizeof "/bgcopy-test-XXXXXX";
    char *path = malloc(n);
    CHECK_NOT_NULL(path);
    snprintf(path, n, "%s/bgcopy-test-XXXXXX", tmp);
    CHECK_MSG(mkdtemp(path) != NULL, "mkdtemp(%s): %s", path, strerror(errno));
    return path;
}

/* Removes the contents of the directory open as dfd, then closes dfd. */
static int rmtree_at(int dfd)
{
    DIR *d = fdopendir(dfd);
    if (d == NULL) {
        close(dfd);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT)
                rc = -1;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0 || rmtree_at(sub) != 0)
                rc = -1;
            if (unlinkat(dfd, e->d_name, AT_REMOVEDIR) != 0 && errno != ENOENT)
                rc = -1;
        } else if (unlinkat(dfd, e->d_name, 0) != 0 && errno != ENOENT) {
            rc = -1;
        }
    }
    closedir(d);
    return rc;
}

int ts_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    int rc = rmtree_at(dfd);
    if (rmdir(path) != 0 && errno != ENOENT)
        rc = -1;
    return rc;
}
