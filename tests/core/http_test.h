/* http_test.h - helpers shared by the core HTTP tests (tests/core/http_*.c):
 * an injectable clock, waits on progress and error counts, and checks of
 * the bytes on disk against the test server's generated content. */
#ifndef BGCOPY_HTTP_TEST_H
#define BGCOPY_HTTP_TEST_H

#include "core_test.h"
#include "ts_gen.h"

#include <stdio.h>

static _Atomic uint64_t ht_now_ms = 1000000;
static inline uint64_t ht_read_clock(void *ctx) { (void)ctx; return ht_now_ms; }

/* Move the injected clock and let the manager re-evaluate its timers. */
static inline void ht_advance(bgcopy_manager *m, uint64_t ms)
{
    ht_now_ms += ms;
    bgcopy_manager_clock_changed(m);
}

typedef struct { bgcopy_job *job; uint32_t want; } ht_count_wait;
static inline int ht_error_count_reached(void *arg)
{
    ht_count_wait *w = arg;
    uint32_t n = 0;
    return bgcopy_job_get_error_count(w->job, &n) == BGCOPY_S_OK && n >= w->want;
}

/* Wait until the job has had |n| errors. */
static inline void ht_wait_errors(bgcopy_job *job, uint32_t n, int timeout_ms)
{
    ht_count_wait w = {job, n};
    CHECK_MSG(ts_wait_until(ht_error_count_reached, &w, timeout_ms), "fewer than %u errors", n);
}

typedef struct { bgcopy_job *job; uint32_t idx; uint64_t want; } ht_bytes_wait;
static inline int ht_bytes_reached(void *arg)
{
    ht_bytes_wait *w = arg;
    bgcopy_file_progress p;
    return bgcopy_job_get_file_progress(w->job, w->idx, &p) == BGCOPY_S_OK &&
           p.bytes_transferred >= w->want;
}

/* Wait until file |idx| has at least |bytes| bytes transferred. */
static inline void ht_wait_bytes(bgcopy_job *job, uint32_t idx, uint64_t bytes, int timeout_ms)
{
    ht_bytes_wait w = {job, idx, bytes};
    CHECK_MSG(ts_wait_until(ht_bytes_reached, &w, timeout_ms), "file %u never reached %llu bytes",
              idx, (unsigned long long)bytes);
}

static inline void ht_check_error(bgcopy_job *job, bgcopy_hr code, bgcopy_error_context ctx)
{
    bgcopy_job_error e;
    CHECK_HR_OK(bgcopy_job_get_error(job, &e));
    CHECK_EQ_HR(e.code, code);
    CHECK_EQ_INT(e.context, ctx);
}

static inline uint64_t ht_file_bytes(bgcopy_job *job, uint32_t idx)
{
    bgcopy_file_progress p;
    CHECK_HR_OK(bgcopy_job_get_file_progress(job, idx, &p));
    return p.bytes_transferred;
}

/* Does |path| hold exactly the given pieces of a generated resource, back
 * to back?  |inverted|: the bytes are those of the server's changed
 * version (change=: every byte XOR 0xFF). */
typedef struct { uint64_t off, len; } ht_piece;
static inline int ht_file_is(const char *path, const ht_piece *pieces, size_t n, int inverted)
{
    size_t len = 0;
    char *data = ts_read_file(path, &len);
    if (!data)
        return 0;
    size_t pos = 0;
    int ok = 1;
    for (size_t k = 0; k < n && ok; k++) {
        if (pos + pieces[k].len > len) {
            ok = 0;
            break;
        }
        for (uint64_t i = 0; i < pieces[k].len; i++) {
            uint8_t want = ts_gen_byte(pieces[k].off + i) ^ (inverted ? 0xFF : 0);
            if ((uint8_t)data[pos + i] != want) {
                fprintf(stderr, "%s: byte %zu differs\n", path, (size_t)(pos + i));
                ok = 0;
                break;
            }
        }
        pos += pieces[k].len;
    }
    if (ok && pos != len) {
        fprintf(stderr, "%s: %zu bytes, expected %zu\n", path, len, pos);
        ok = 0;
    }
    free(data);
    return ok;
}

/* Size of a file, or -1 when it does not exist. */
static inline int64_t ht_size(const char *path) { return ts_file_size(path); }

#endif
