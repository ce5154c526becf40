/* job_ondemand.c - on-demand (random access) files, IBackgroundCopyFile6
 * and BITS_JOB_PROPERTY_ON_DEMAND_MODE (docs/http.md, "On-demand mode").
 *
 * An on-demand job fetches only the byte ranges the application asks for
 * (RequestFileRanges, UpdateDownloadPosition), each written at its own
 * offset of the temporary file.  Per file it keeps the wanted ranges (not
 * yet filled, in request order) and the filled ones (sorted, coalesced);
 * the scheduler (step.c) fetches the gaps and reports each finished
 * piece through bgc_notify_ranges_filled.  When nothing wanted is left the
 * job goes to SUSPENDED, or TRANSFERRED when every byte is there. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------ range lists (lock held) */

int bgc_od_reserve(bgcopy_file_range **v, uint32_t *cap, uint32_t need)
{
    if (need <= *cap)
        return 0;
    uint32_t c = *cap ? *cap * 2 : 8;
    while (c < need)
        c *= 2;
    bgcopy_file_range *p = realloc(*v, c * sizeof *p);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

uint64_t bgc_od_filled_bytes(const bgc_file *f)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < f->od_filled_count; i++)
        n += f->od_filled[i].length;
    return n;
}

int bgc_od_complete(const bgc_file *f)
{
    if (f->remote_size == BGCOPY_SIZE_UNKNOWN)
        return 0;
    if (f->remote_size == 0)
        return 1;
    return f->od_filled_count == 1 && f->od_filled[0].initial_offset == 0 &&
           f->od_filled[0].length >= f->remote_size;
}

/* First run of [a, end) not covered by the filled list: 1 (and *off, *len) or 0. */
static int first_hole(const bgc_file *f, uint64_t a, uint64_t end, uint64_t *off, uint64_t *len)
{
    uint64_t cur = a;
    for (uint32_t i = 0; i < f->od_filled_count && cur < end; i++) {
        const bgcopy_file_range *r = &f->od_filled[i];
        uint64_t r_end = r->initial_offset + r->length;
        if (r_end <= cur)
            continue;
        if (r->initial_offset > cur) {
            *off = cur;
            *len = (r->initial_offset < end ? r->initial_offset : end) - cur;
            return 1;
        }
        cur = r_end;
    }
    if (cur < end) {
        *off = cur;
        *len = end - cur;
        return 1;
    }
    return 0;
}

int bgc_od_next_gap(bgc_file *f, uint64_t *off, uint64_t *len)
{
    while (f->od_wanted_count) {
        const bgcopy_file_range *w = &f->od_wanted[0];
        if (w->length != BGCOPY_LENGTH_TO_EOF &&
            first_hole(f, w->initial_offset, w->initial_offset + w->length, off, len))
            return 1;
        /* Filled (or unresolvable before the size is known, which the
         * probe prevents): drop it. */
        memmove(f->od_wanted, f->od_wanted + 1, --f->od_wanted_count * sizeof *f->od_wanted);
    }
    return 0;
}

/* Check one range against a known size; resolve TO_EOF.  0 or -1. */
static int resolve_one(bgcopy_file_range *r, uint64_t size)
{
    if (r->initial_offset >= size)
        return -1;
    if (r->length == BGCOPY_LENGTH_TO_EOF)
        r->length = size - r->initial_offset;
    else if (r->length > size - r->initial_offset)
        return -1;
    return 0;
}

int bgc_od_resolve(bgc_file *f)
{
    for (uint32_t i = 0; i < f->od_wanted_count; i++)
        if (resolve_one(&f->od_wanted[i], f->remote_size) != 0)
            return -1;
    return 0;
}

/* ------------------------------------------------------------ public API */

static int is_http_url(const char *u)
{
    return bgt_ascii_prefix(u, "http://") || bgt_ascii_prefix(u, "https://");
}

/* Lock held.  May file |f| of |job| be accessed at random (docs/http.md, "On-demand mode")? */
static int eligible(const bgcopy_job *job, const bgc_file *f)
{
    return !job->dynamic_content && f->range_count == 0 && is_http_url(f->remote_name);
}

/* Turns on-demand mode on or off.  Only before the first Resume
 * (BG_E_READ_ONLY_PROPERTY_AFTER_RESUME); turning it on in a dynamic
 * content job or one with a file that is not random-access (not http(s),
 * an AddFileWithRanges file) is BG_E_RANDOM_ACCESS_NOT_SUPPORTED.  Errors
 * also E_INVALIDARG, BG_E_INVALID_STATE.  Thread-safe.  Mirrors
 * IBackgroundCopyJob5::SetProperty(BITS_JOB_PROPERTY_ON_DEMAND_MODE). */
bgcopy_hr bgcopy_job_set_on_demand(bgcopy_job *job, int enable)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK && job->ever_resumed)
        hr = BGCOPY_E_READ_ONLY_PROPERTY_AFTER_RESUME;
    if (hr == BGCOPY_S_OK && enable && job->dynamic_content)
        hr = BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED;
    for (uint32_t i = 0; hr == BGCOPY_S_OK && enable && i < job->file_count; i++)
        if (!eligible(job, &job->files[i]))
            hr = BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED;
    if (hr == BGCOPY_S_OK && job->on_demand != !!enable) {
        bgc_rec_set_u32(job, BGC_REC_ON_DEMAND, !!enable);
        bgc_job_touch(job);
    }
    UNLOCK(job);
    return hr;
}

/* *out = 1 in on-demand mode, else 0.  Errors: E_INVALIDARG.  Thread-safe.
 * Mirrors IBackgroundCopyJob5::GetProperty(BITS_JOB_PROPERTY_ON_DEMAND_MODE). */
bgcopy_hr bgcopy_job_get_on_demand(bgcopy_job *job, int *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    *out = job->on_demand;
    UNLOCK(job);
    return BGCOPY_S_OK;
}

/* Lock held.  Common checks of the IBackgroundCopyFile6 calls. */
static bgcopy_hr check_file(bgcopy_job *job, uint32_t index, int need_on_demand)
{
    if (index >= job->file_count)
        return BGCOPY_E_INVALIDARG;
    if (!eligible(job, &job->files[index]) || (need_on_demand && !job->on_demand))
        return BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED;
    return BGCOPY_S_OK;
}

/* Lock held.  Queue |count| ranges (validated, copied) for file |index|. */
static bgcopy_hr want_locked(bgcopy_job *job, uint32_t index, const bgcopy_file_range *ranges,
                             uint32_t count)
{
    bgc_file *f = &job->files[index];
    for (uint32_t i = 0; i < count; i++) {
        bgcopy_file_range r = ranges[i];
        if (r.initial_offset == BGCOPY_LENGTH_TO_EOF || r.length == 0 ||
            (r.length != BGCOPY_LENGTH_TO_EOF && r.length > UINT64_MAX - 1 - r.initial_offset))
            return BGCOPY_E_INVALID_RANGE;
        if (f->remote_size != BGCOPY_SIZE_UNKNOWN && resolve_one(&r, f->remote_size) != 0)
            return BGCOPY_E_INVALID_RANGE;
    }
    if (bgc_od_reserve(&f->od_wanted, &f->od_wanted_cap, f->od_wanted_count + count) != 0)
        return BGCOPY_E_OUTOFMEMORY;
    for (uint32_t i = 0; i < count; i++) {
        bgcopy_file_range r = ranges[i];
        if (f->remote_size != BGCOPY_SIZE_UNKNOWN)
            (void)resolve_one(&r, f->remote_size);
        f->od_wanted[f->od_wanted_count++] = r;
    }
    bgc_job_touch(job);
    bgc_kick_locked(job->m);                 /* a running job picks them up at once */
    return BGCOPY_S_OK;
}

/* Asks for |count| (>= 1) ranges of file |index| (copied; overlaps with
 * filled or already wanted bytes are allowed, only the missing bytes are
 * fetched).  A running job fetches them next; a SUSPENDED one after the
 * next Resume.  Errors: E_INVALIDARG (NULL, count 0, bad index),
 * BG_E_RANDOM_ACCESS_NOT_SUPPORTED (job not in on-demand mode - bgcopy's
 * choice - or a file that is not random-access), BG_E_INVALID_RANGE
 * (length 0, offset BG_LENGTH_TO_EOF, or beyond the size once known; a
 * range found beyond the size only at the next HEAD fails the job with
 * BG_E_INVALID_RANGE), BG_E_INVALID_STATE, E_OUTOFMEMORY.  All or nothing.
 * Thread-safe.  Mirrors IBackgroundCopyFile6::RequestFileRanges. */
bgcopy_hr bgcopy_job_request_file_ranges(bgcopy_job *job, uint32_t index,
                                         const bgcopy_file_range *ranges, uint32_t count)
{
    if (!job || !ranges || count == 0)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK)
        hr = check_file(job, index, 1);
    if (hr == BGCOPY_S_OK)
        hr = want_locked(job, index, ranges, count);
    UNLOCK(job);
    return hr;
}

/* The filled ranges of file |index|, sorted and coalesced: *out (to
 * bgcopy_free, NULL when none) and *count.  For a file of a job that is
 * not on-demand: the contiguous bytes from 0.  Errors: E_INVALIDARG,
 * BG_E_RANDOM_ACCESS_NOT_SUPPORTED, E_OUTOFMEMORY.  Thread-safe.  Mirrors
 * IBackgroundCopyFile6::GetFilledFileRanges. */
bgcopy_hr bgcopy_job_get_filled_file_ranges(bgcopy_job *job, uint32_t index,
                                            bgcopy_file_range **out, uint32_t *count)
{
    if (!out || !count)
        return BGCOPY_E_INVALIDARG;
    *out = NULL;
    *count = 0;
    if (!job)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = check_file(job, index, 0);
    if (hr == BGCOPY_S_OK) {
        const bgc_file *f = &job->files[index];
        uint32_t n = job->on_demand ? f->od_filled_count : (f->bytes_transferred > 0);
        if (n) {
            *out = malloc(n * sizeof **out);
            if (!*out) {
                hr = BGCOPY_E_OUTOFMEMORY;
            } else {
                if (job->on_demand)
                    memcpy(*out, f->od_filled, n * sizeof **out);
                else
                    (*out)[0] = (bgcopy_file_range){0, f->bytes_transferred};
                *count = n;
            }
        }
    }
    UNLOCK(job);
    return hr;
}

/* Moves the "fill from here" position of file |index| to |offset|: bgcopy
 * queues the missing bytes from |offset| to the end of the file, after the
 * ranges already asked for (bgcopy's reading of the documented cursor).
 * Errors: E_INVALIDARG, BG_E_RANDOM_ACCESS_NOT_SUPPORTED (as
 * request_file_ranges), BG_E_INVALID_RANGE (offset at or past the size
 * once known, or BG_LENGTH_TO_EOF), BG_E_INVALID_STATE.  Thread-safe.
 * Mirrors IBackgroundCopyFile6::UpdateDownloadPosition. */
bgcopy_hr bgcopy_job_update_download_position(bgcopy_job *job, uint32_t index, uint64_t offset)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    bgcopy_file_range r = {offset, BGCOPY_LENGTH_TO_EOF};
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK)
        hr = check_file(job, index, 1);
    if (hr == BGCOPY_S_OK)
        hr = want_locked(job, index, &r, 1);
    UNLOCK(job);
    return hr;
}
