/*
 * bgt_writer.c - how bytes reach the destination file.
 *
 * libcurl hands the write callback at most CURLOPT_BUFFERSIZE bytes at a
 * time; writing each piece straight to disk costs about twice the CPU of
 * writing 1 MiB blocks (DESIGN.md section 6).  So bytes are collected in a
 * 1 MiB buffer and written with pwrite at file_offset + written when the
 * buffer is full, when the transfer ends or is aborted, and when the oldest
 * buffered byte has waited BGT_FLUSH_DELAY_MS (a slow server must still show
 * progress, and an abort must lose little).
 *
 * Positioned writes (uv_fs_write with an offset: pwrite on POSIX, an
 * OVERLAPPED offset on Windows), not plain writes, because the caller owns
 * the fd and may share it between transfers writing different ranges of one
 * file.  They are synchronous, on the loop thread (no thread pool round
 * trip per MiB).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgt_internal.h"

int bgt_writer_reserve(bgt_transfer *t)
{
    if (t->buf == NULL) {
        t->buf = malloc(BGT_WRITE_BUFFER_SIZE);
        if (t->buf == NULL)
            return -UV_ENOMEM;
    }
    return 0;
}

int bgt_writer_flush(bgt_transfer *t)
{
    size_t done = 0;
    int err = 0;
    while (done < t->buf_len) {
        uint64_t pos = t->req.file_offset + t->written;
        if (pos < t->req.file_offset || pos > (uint64_t)INT64_MAX - (t->buf_len - done)) {
            err = -UV_EFBIG;
            break;
        }
        uv_fs_t req;
        uv_buf_t b = uv_buf_init((char *)t->buf + done, (unsigned int)(t->buf_len - done));
        /* NULL callback: synchronous, so no loop is touched (libuv retries EINTR). */
        int n = uv_fs_write(NULL, &req, t->req.fd, &b, 1, (int64_t)pos, NULL);
        uv_fs_req_cleanup(&req);
        if (n < 0) {
            err = -n;
            break;
        }
        if (n == 0) {
            /* A write of a non-empty buffer that writes nothing and reports
             * no error: treat as a full disk rather than spin. */
            err = -UV_ENOSPC;
            break;
        }
        done += (size_t)n;
        t->written += (uint64_t)n;
    }
    /* On error the unwritten tail is dropped: the transfer fails, and what
     * counts is that t->written says exactly what is on disk. */
    t->buf_len = 0;
    if (done > 0)
        bgt_engine_queue_progress(t);
    return err;
}

static void on_flush_timer(uv_timer_t *h)
{
    bgt_transfer *t = h->data;
    bgt_engine *e = t->engine;
    int err;
    bgt_engine_enter(e);
    err = bgt_writer_flush(t);
    if (err != 0) {
        /* We are outside curl here, so the transfer can end right away
         * instead of waiting for the next body byte to notice. */
        bgt_transfer_finish(t, BGT_ERR_LOCAL_WRITE, 0, err, "writing the destination file failed");
    }
    bgt_engine_leave(e);
}

int bgt_writer_append(bgt_transfer *t, const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t now = uv_now(t->engine->loop);
    int err = bgt_writer_reserve(t);
    if (err != 0)
        return err;
    while (n > 0) {
        size_t room = BGT_WRITE_BUFFER_SIZE - t->buf_len;
        size_t k = n < room ? n : room;
        if (t->buf_len == 0)
            t->buf_since_ms = now;
        memcpy(t->buf + t->buf_len, p, k);
        t->buf_len += k;
        p += k;
        n -= k;
        if (t->buf_len == BGT_WRITE_BUFFER_SIZE) {
            err = bgt_writer_flush(t);
            if (err != 0)
                return err;
        }
    }
    if (t->buf_len > 0 && now - t->buf_since_ms >= BGT_FLUSH_DELAY_MS) {
        err = bgt_writer_flush(t);
        if (err != 0)
            return err;
    }
    if (t->buf_len == 0) {
        uv_timer_stop(&t->flush_timer);
    } else if (!uv_is_active((uv_handle_t *)&t->flush_timer)) {
        uint64_t waited = now - t->buf_since_ms;
        uv_timer_start(&t->flush_timer, on_flush_timer, BGT_FLUSH_DELAY_MS - waited, 0);
    }
    return 0;
}
