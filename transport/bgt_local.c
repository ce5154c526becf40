/*
 * bgt_local.c - local sources: absolute paths and file:// URLs.
 *
 * BITS accepts file:// (SMB) remote names; here they are plain files.  They
 * are copied on the loop thread, one block of BGT_WRITE_BUFFER_SIZE per turn
 * of the loop (uv_idle), so a large local copy never starves the sockets of
 * other transfers.  libcurl's file:// support is not used because it reads
 * the whole file inside one curl_multi_socket_action call.
 *
 * The response looks like what an HTTP server would have said, so core
 * handles both alike: HEAD gives the size and modification time (also
 * formatted as a Last-Modified date), and a ranged GET reports the
 * Content-Range it copied.  Files are read with synchronous uv_fs_* calls
 * (positioned reads), which behave alike on POSIX and Windows.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h> /* S_IFMT and friends for libuv's st_mode, on Windows too */

#include "bgt_headers.h"
#include "bgt_internal.h"

/* The failure for a source that is no regular file (mode: its st_mode, 0
 * when the name was replaced while it was being opened).  A directory
 * stays an access error, as opening one is on Windows. */
static bgt_status local_not_a_file(uint64_t mode, int *sys_errno, const char **why)
{
    if ((mode & S_IFMT) == S_IFDIR) {
        *sys_errno = -UV_EISDIR;
        *why = "the local source is a directory, not a regular file";
        return BGT_ERR_SOURCE_ACCESS;
    }
    *sys_errno = -UV_EINVAL;
    *why = mode == 0 ? "the local source was replaced while it was being opened"
                     : "the local source is not a regular file (a FIFO, socket or device)";
    return BGT_ERR_SOURCE_NOT_FILE;
}

/* Opens the source and fills the response; returns BGT_OK or the failure.
 * Runs on the loop thread, so it must never block: open() of a FIFO waits
 * for a writer and a device may never end.  Only regular files are
 * sources: the name is stat'ed first (which opens nothing), then opened
 * non-blocking, and the open file must be the regular file that was
 * stat'ed (same device and inode), or the name was swapped in between. */
static bgt_status local_open(bgt_transfer *t, int *sys_errno, const char **why)
{
    uv_fs_t req;
    bgt_response *r = &t->resp;
    uint64_t size, first, end, mode, dev, ino;
    int64_t mtime;
    int rc, stat_ok, swapped;

    rc = uv_fs_stat(NULL, &req, t->local_path, NULL);
    stat_ok = rc == 0;
    mode = req.statbuf.st_mode;
    dev = req.statbuf.st_dev;
    ino = req.statbuf.st_ino;
    uv_fs_req_cleanup(&req);
    if (stat_ok && (mode & S_IFMT) != S_IFREG)
        return local_not_a_file(mode, sys_errno, why);
    /* A failed stat is left to open, which reports the error the same
     * way; non-blocking, a FIFO put there meanwhile cannot hold us. */
    rc = uv_fs_open(NULL, &req, t->local_path, UV_FS_O_RDONLY | UV_FS_O_NONBLOCK, 0, NULL);
    uv_fs_req_cleanup(&req);
    if (rc < 0) {
        *sys_errno = -rc;
        if (rc == UV_ENOENT || rc == UV_ENOTDIR) {
            *why = "the local source file does not exist";
            return BGT_ERR_SOURCE_NOT_FOUND;
        }
        *why = "the local source file cannot be opened";
        return BGT_ERR_SOURCE_ACCESS;
    }
    t->src_fd = rc;
    rc = uv_fs_fstat(NULL, &req, t->src_fd, NULL);
    size = (uint64_t)req.statbuf.st_size;
    mtime = (int64_t)req.statbuf.st_mtim.tv_sec;
    mode = req.statbuf.st_mode;
    swapped = stat_ok && (req.statbuf.st_dev != dev || req.statbuf.st_ino != ino);
    uv_fs_req_cleanup(&req);
    if (rc < 0) {
        *sys_errno = -rc;
        *why = "the local source file cannot be examined";
        return BGT_ERR_SOURCE_ACCESS;
    }
    if (swapped)
        return local_not_a_file(0, sys_errno, why);
    if ((mode & S_IFMT) != S_IFREG)
        return local_not_a_file(mode, sys_errno, why);
    r->resource_size = size;
    r->content_length = size;
    r->accept_ranges = 1;
    r->last_modified_unix = mtime;
    bgt_format_http_date(r->last_modified_unix, r->last_modified, sizeof r->last_modified);
    if (t->req.method == BGT_HEAD)
        return BGT_OK;

    first = t->req.ranged ? t->req.range_first : 0;
    if (first > size) {
        *why = "the requested range starts beyond the end of the local file";
        return BGT_ERR_SIZE_MISMATCH;
    }
    end = (t->req.ranged && t->req.range_length != BGT_UNKNOWN) ? first + t->req.range_length
                                                                 : size;
    if (end > size) {
        *why = "the requested range ends beyond the end of the local file";
        return BGT_ERR_SIZE_MISMATCH;
    }
    t->src_pos = first;
    t->src_end = end;
    r->content_length = end - first;
    if (t->req.ranged && end > first) {
        r->has_content_range = 1;
        r->cr_first = first;
        r->cr_last = end - 1;
        r->cr_total = size;
    }
    if (end > first && bgt_writer_reserve(t) != 0) {
        *sys_errno = -UV_ENOMEM;
        *why = "out of memory";
        return BGT_ERR_OTHER;
    }
    return BGT_OK;
}

/* Copies one block; returns BGT_OK (more to do or done) or the failure. */
static bgt_status local_copy_block(bgt_transfer *t, int *sys_errno, const char **why)
{
    uint64_t left = t->src_end - t->src_pos;
    size_t want = left < BGT_WRITE_BUFFER_SIZE ? (size_t)left : BGT_WRITE_BUFFER_SIZE;
    uv_fs_t req;
    uv_buf_t b = uv_buf_init((char *)t->buf, (unsigned int)want);
    int n, err;
    n = uv_fs_read(NULL, &req, t->src_fd, &b, 1, (int64_t)t->src_pos, NULL);
    uv_fs_req_cleanup(&req);
    if (n < 0) {
        *sys_errno = -n;
        *why = "reading the local source file failed";
        return BGT_ERR_SOURCE_ACCESS;
    }
    if (n == 0) {
        *why = "the local source file became shorter during the copy";
        return BGT_ERR_SIZE_MISMATCH;
    }
    t->buf_len = (size_t)n;
    t->src_pos += (uint64_t)n;
    t->received += (uint64_t)n;
    err = bgt_writer_flush(t);
    if (err != 0) {
        *sys_errno = err;
        *why = "writing the destination file failed";
        return BGT_ERR_LOCAL_WRITE;
    }
    return BGT_OK;
}

static void on_idle(uv_idle_t *h)
{
    bgt_transfer *t = h->data;
    bgt_engine *e = t->engine;
    bgt_status s;
    int sys_errno = 0;
    const char *why = "";

    bgt_engine_enter(e);
    if (t->pending_status != BGT_OK) {
        s = t->pending_status;
        why = t->pending_why;
    } else if (t->src_fd < 0) {
        s = local_open(t, &sys_errno, &why);
    } else {
        s = local_copy_block(t, &sys_errno, &why);
    }
    if (s != BGT_OK || t->req.method == BGT_HEAD || t->src_pos == t->src_end) {
        uv_idle_stop(&t->idle);
        bgt_transfer_finish(t, s, 0, sys_errno, s == BGT_OK ? "" : why);
    }
    bgt_engine_leave(e);
}

int bgt_local_start(bgt_transfer *t)
{
    int rc = uv_idle_init(t->engine->loop, &t->idle);
    if (rc != 0)
        return rc;
    t->idle.data = t;
    t->idle_inited = 1;
    t->open_handles++;
    return uv_idle_start(&t->idle, on_idle);
}
