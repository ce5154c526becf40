/* job_ranges.c - files with byte ranges (AddFileWithRanges, GetFileRanges),
 * remote names (SetRemoteName, ReplaceRemotePrefix).
 *
 * A ranged file's local file is the ranges written back to back in the
 * caller's order (docs/http.md, "Files with ranges"): bytes_transferred counts local bytes, and the
 * scheduler maps a local offset to (range, offset in range) with
 * bgc_range_locate below. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>


void bgc_ranges_job_free(bgcopy_job *job)
{
    for (uint32_t i = 0; i < job->file_count; i++)
        free(job->files[i].od_wanted);
}

static int is_http_url(const char *u)
{
    return bgt_ascii_prefix(u, "http://") || bgt_ascii_prefix(u, "https://");
}

/* Sort order for validation: by offset, and for equal offsets the longer
 * range first, so that the equal-offset pair is always seen as an overlap
 * (BITS rejects it with BG_E_OVERLAPPING_RANGES). */
static int cmp_range(const void *a, const void *b)
{
    const bgcopy_file_range *x = a, *y = b;
    if (x->initial_offset != y->initial_offset)
        return x->initial_offset < y->initial_offset ? -1 : 1;
    if (x->length != y->length)
        return x->length > y->length ? -1 : 1;
    return 0;
}

/* The rules of IBackgroundCopyJob3::AddFileWithRanges, checked before the
 * job is touched; |max| is MaxRangesPerFile (docs/policy.md).  Returns S_OK
 * or the HRESULT to give the caller. */
static bgcopy_hr validate_ranges(const bgcopy_file_range *ranges, uint32_t count, uint32_t max)
{
    if (count == 0 || !ranges)
        return BGCOPY_E_INVALIDARG;
    if (count > max)
        return BGCOPY_E_TOO_MANY_RANGES_IN_FILE;
    for (uint32_t i = 0; i < count; i++) {
        if (ranges[i].initial_offset == BGCOPY_LENGTH_TO_EOF || ranges[i].length == 0)
            return BGCOPY_E_INVALID_RANGE;
        if (ranges[i].length != BGCOPY_LENGTH_TO_EOF &&
            ranges[i].length > UINT64_MAX - 1 - ranges[i].initial_offset)
            return BGCOPY_E_INVALID_RANGE;   /* would end past 2^64 - 1 */
    }
    bgcopy_file_range *s = malloc(count * sizeof *s);
    if (!s)
        return BGCOPY_E_OUTOFMEMORY;
    memcpy(s, ranges, count * sizeof *s);
    qsort(s, count, sizeof *s, cmp_range);
    bgcopy_hr hr = BGCOPY_S_OK;
    for (uint32_t i = 0; i + 1 < count && hr == BGCOPY_S_OK; i++) {
        /* A to-EOF range overlaps everything after it. */
        if (s[i].length == BGCOPY_LENGTH_TO_EOF ||
            s[i].initial_offset + s[i].length > s[i + 1].initial_offset)
            hr = BGCOPY_E_OVERLAPPING_RANGES;
    }
    free(s);
    return hr;
}

/* Adds a file of which only |ranges| (count 1..MaxRangesPerFile, copied) are fetched.
 * Thread-safe (takes the manager lock).  Errors: see bgcopy.h; a dynamic
 * content job refuses ranges with E_INVALIDARG (bgcopy's choice: BITS
 * documents the property as incompatible with ranges without naming the
 * code).  Mirrors IBackgroundCopyJob3::AddFileWithRanges. */
bgcopy_hr bgcopy_job_add_file_with_ranges(bgcopy_job *job, const char *remote_url,
                                          const char *local_name,
                                          const bgcopy_file_range *ranges, uint32_t count)
{
    if (!job || !remote_url || !local_name)
        return BGCOPY_E_INVALIDARG;
    if (!is_http_url(remote_url))
        return BGCOPY_E_INVALIDARG;          /* ranges need HTTP(S) Range requests */
    bgcopy_hr hr = validate_ranges(ranges, count, job->m->policy.max_ranges_per_file);
    if (hr != BGCOPY_S_OK)
        return hr;
    LOCK(job);
    int dynamic = job->dynamic_content, on_demand = job->on_demand;
    UNLOCK(job);
    if (dynamic)
        return BGCOPY_E_INVALIDARG;
    if (on_demand)
        return BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED;  /* docs/http.md, "On-demand mode" */
    return bgc_job_add_file_ex(job, remote_url, local_name, ranges, count);
}

/* Copies file |index|'s ranges as given to AddFileWithRanges (a
 * BGCOPY_LENGTH_TO_EOF length stays as given).  *out is for bgcopy_free.
 * S_FALSE with NULL/0 for a whole file.  Errors: E_INVALIDARG (NULL
 * argument, bad index), E_OUTOFMEMORY.  Thread-safe.  Mirrors
 * IBackgroundCopyFile2::GetFileRanges. */
bgcopy_hr bgcopy_job_get_file_ranges(bgcopy_job *job, uint32_t index, bgcopy_file_range **out,
                                     uint32_t *count)
{
    if (!out || !count)
        return BGCOPY_E_INVALIDARG;
    *out = NULL;
    *count = 0;
    if (!job)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = BGCOPY_S_OK;
    LOCK(job);
    if (index >= job->file_count) {
        hr = BGCOPY_E_INVALIDARG;
    } else if (job->files[index].range_count == 0) {
        hr = BGCOPY_S_FALSE;
    } else {
        const bgc_file *f = &job->files[index];
        *out = malloc(f->range_count * sizeof **out);
        if (!*out) {
            hr = BGCOPY_E_OUTOFMEMORY;
        } else {
            memcpy(*out, f->ranges, f->range_count * sizeof **out);
            *count = f->range_count;
        }
    }
    UNLOCK(job);
    return hr;
}

/* Lock held.  Point file |f| at |url| (owned by the caller, copied).  A
 * finished file keeps its bytes; an unfinished one is probed again before
 * more bytes are appended, so bytes are kept only when the new URL serves
 * the same version (I4). */
static bgcopy_hr set_remote_locked(bgcopy_job *job, uint32_t idx, const char *url)
{
    char *copy = bgc_strdup(url);
    if (!copy)
        return BGCOPY_E_OUTOFMEMORY;
    bgc_rec_file_set_name(job, idx, BGC_REC_REMOTE_NAME, copy);
    bgc_file *f = &job->files[idx];
    if (!f->finished)
        f->need_probe = 1;
    bgc_job_touch(job);
    return BGCOPY_S_OK;
}

/* Checks a new remote name by the rules of add_file (*is_http: 1 for
 * http(s)).  Lock not needed; it may stat a local source. */
static bgcopy_hr check_url(const char *url, int *is_http)
{
    size_t ulen = bgc_utf8_length(url);
    *is_http = 0;
    if (!*url || ulen == SIZE_MAX || ulen > BGCOPY_MAX_URL)
        return BGCOPY_E_INVALIDARG;
    return bgc_check_remote_name(url, is_http);
}

/* Changes file |index|'s remote URL.  Not while the job runs a transfer of
 * that file: the transfer is stopped first (the job keeps its state and
 * continues with the new URL).  Errors: E_INVALIDARG, BG_E_INVALID_STATE
 * (final job), E_OUTOFMEMORY.  Thread-safe.  Mirrors
 * IBackgroundCopyFile2::SetRemoteName. */
bgcopy_hr bgcopy_job_set_file_remote_name(bgcopy_job *job, uint32_t index, const char *remote_url)
{
    if (!job || !remote_url)
        return BGCOPY_E_INVALIDARG;
    int http;
    bgcopy_hr name_hr = check_url(remote_url, &http); /* outside the lock: it may stat */
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK && index >= job->file_count)
        hr = BGCOPY_E_INVALIDARG;
    if (hr == BGCOPY_S_OK)
        hr = name_hr;
    /* Ranged files only over http(s). */
    if (hr == BGCOPY_S_OK && job->files[index].range_count > 0 && !http)
        hr = BGCOPY_E_INVALIDARG;
    if (hr == BGCOPY_S_OK) {
        /* Stop a transfer of the old URL before switching. */
        bgc_job_hold(job);
        bgc_wait_idle(job->m, job);
        bgc_job_unhold(job);
        hr = set_remote_locked(job, index, remote_url);
        bgc_kick_locked(job->m);
    }
    UNLOCK(job);
    return hr;
}

/* Replaces |old_prefix| (case-sensitive, non-empty) by |new_prefix| at the
 * start of every remote name.  All new names are checked before any is
 * changed.  S_OK when at least one changed, S_FALSE when none starts with
 * the prefix.  Errors: E_INVALIDARG (NULL/empty prefix, a resulting URL
 * invalid or too long), BG_E_INVALID_STATE, E_OUTOFMEMORY.  Thread-safe.
 * Mirrors IBackgroundCopyJob3::ReplaceRemotePrefix. */
bgcopy_hr bgcopy_job_replace_remote_prefix(bgcopy_job *job, const char *old_prefix,
                                           const char *new_prefix)
{
    if (!job || !old_prefix || !new_prefix || !*old_prefix)
        return BGCOPY_E_INVALIDARG;
    size_t ol = strlen(old_prefix), nl = strlen(new_prefix);
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    uint32_t n = job->file_count, matches = 0;
    char **names = hr == BGCOPY_S_OK ? calloc(n ? n : 1, sizeof *names) : NULL;
    if (hr == BGCOPY_S_OK && !names)
        hr = BGCOPY_E_OUTOFMEMORY;
    for (uint32_t i = 0; hr == BGCOPY_S_OK && i < n; i++) {
        const char *r = job->files[i].remote_name;
        if (strncmp(r, old_prefix, ol) != 0)
            continue;
        size_t rl = strlen(r);
        names[i] = malloc(nl + rl - ol + 1);
        if (!names[i]) {
            hr = BGCOPY_E_OUTOFMEMORY;
            break;
        }
        memcpy(names[i], new_prefix, nl);
        memcpy(names[i] + nl, r + ol, rl - ol + 1);
        int http;
        hr = check_url(names[i], &http);
        if (hr == BGCOPY_S_OK && job->files[i].range_count > 0 && !http)
            hr = BGCOPY_E_INVALIDARG;
        matches++;
    }
    if (hr == BGCOPY_S_OK && matches == 0)
        hr = BGCOPY_S_FALSE;
    if (hr == BGCOPY_S_OK) {
        bgc_job_hold(job);
        bgc_wait_idle(job->m, job);
        bgc_job_unhold(job);
        for (uint32_t i = 0; i < n && hr == BGCOPY_S_OK; i++)
            if (names[i])
                hr = set_remote_locked(job, i, names[i]);
        bgc_kick_locked(job->m);
    }
    UNLOCK(job);
    for (uint32_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    return hr;
}
