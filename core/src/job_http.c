/* job_http.c - a job's HTTP options: security flags (certificate checks and
 * redirect policy), custom request headers, dynamic content.
 *
 * The scheduler reads these fields under the lock when it starts a request
 * (step.c: bgc_step_advance), so a change applies from the next request. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define SSL_FLAGS (BGCOPY_SSL_ENABLE_CRL_CHECK | BGCOPY_SSL_IGNORE_CERT_CN_INVALID | \
                   BGCOPY_SSL_IGNORE_CERT_DATE_INVALID | BGCOPY_SSL_IGNORE_UNKNOWN_CA | \
                   BGCOPY_SSL_IGNORE_CERT_WRONG_USAGE)
#define MAX_HEADERS_CHARS 16383u  /* documented limit of SetCustomHeaders */

/* The scheduler hands the certificate bits to the transport unchanged. */
_Static_assert(BGCOPY_SSL_ENABLE_CRL_CHECK == BGT_TLS_ENABLE_CRL_CHECK &&
               BGCOPY_SSL_IGNORE_CERT_CN_INVALID == BGT_TLS_IGNORE_CN_INVALID &&
               BGCOPY_SSL_IGNORE_CERT_DATE_INVALID == BGT_TLS_IGNORE_DATE_INVALID &&
               BGCOPY_SSL_IGNORE_UNKNOWN_CA == BGT_TLS_IGNORE_UNKNOWN_CA &&
               BGCOPY_SSL_IGNORE_CERT_WRONG_USAGE == BGT_TLS_IGNORE_WRONG_USAGE,
               "BGCOPY_SSL_* and BGT_TLS_* differ");

/* Sets BGCOPY_SSL_* | redirect policy | ALLOW_HTTPS_TO_HTTP.  The policy
 * field knows ALLOW_SILENT, ALLOW_REPORT and DISALLOW; other values of the
 * field and bits outside 0x0F1F are E_NOTIMPL, as BITS answers for
 * unsupported flags.  Errors: E_INVALIDARG (NULL job), E_NOTIMPL,
 * BG_E_INVALID_STATE (final job).  Thread-safe.  Mirrors
 * IBackgroundCopyJobHttpOptions::SetSecurityFlags. */
bgcopy_hr bgcopy_job_set_security_flags(bgcopy_job *job, uint32_t flags)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    if ((flags & ~(SSL_FLAGS | BGCOPY_HTTP_REDIRECT_POLICY_MASK | BGCOPY_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP)) ||
        (flags & BGCOPY_HTTP_REDIRECT_POLICY_MASK) > BGCOPY_HTTP_REDIRECT_POLICY_DISALLOW)
        return BGCOPY_E_NOTIMPL;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK && job->security_flags != flags) {
        bgc_rec_set_u32(job, BGC_REC_SECURITY_FLAGS, flags);
        bgc_job_touch(job);
    }
    UNLOCK(job);
    return hr;
}

/* *out = the flags last set (default 0).  Errors: E_INVALIDARG.
 * Thread-safe.  Mirrors IBackgroundCopyJobHttpOptions::GetSecurityFlags. */
bgcopy_hr bgcopy_job_get_security_flags(bgcopy_job *job, uint32_t *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    *out = job->security_flags;
    UNLOCK(job);
    return BGCOPY_S_OK;
}

/* Sets the job's extra request headers: "Name: value" lines each ended by
 * "\r\n" (a last line without it is accepted), NULL or "" removes them.
 * Every line must have a non-empty name followed by ':'; a bare CR or LF
 * inside a line is E_INVALIDARG (it would inject a header).  Length at
 * most 16383 characters (BG_E_STRING_TOO_LONG).  Copied.  Errors also
 * BG_E_INVALID_STATE, E_OUTOFMEMORY.  Thread-safe.  Mirrors
 * IBackgroundCopyJobHttpOptions::SetCustomHeaders. */
bgcopy_hr bgcopy_job_set_custom_headers(bgcopy_job *job, const char *headers)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    char *copy = NULL;
    if (headers && *headers) {
        size_t chars = bgc_utf8_length(headers);
        if (chars == SIZE_MAX)
            return BGCOPY_E_INVALIDARG;
        if (chars > MAX_HEADERS_CHARS)
            return BGCOPY_E_STRING_TOO_LONG;
        for (const char *p = headers; *p;) {
            const char *end = strstr(p, "\r\n");
            size_t len = end ? (size_t)(end - p) : strlen(p);
            const char *colon = memchr(p, ':', len);
            if (!colon || colon == p || memchr(p, '\r', len) || memchr(p, '\n', len))
                return BGCOPY_E_INVALIDARG;
            p += len + (end ? 2 : 0);
        }
        copy = bgc_strdup(headers);
        if (!copy)
            return BGCOPY_E_OUTOFMEMORY;
    }
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        copy = bgc_rec_swap_string(job, BGC_REC_CUSTOM_HEADERS, copy);
        bgc_job_touch(job);
    }
    UNLOCK(job);
    free(copy);
    return hr;
}

/* *out = a copy of the headers (bgcopy_free) or NULL with S_FALSE when
 * none.  Errors: E_INVALIDARG, E_OUTOFMEMORY.  Thread-safe.  Mirrors
 * IBackgroundCopyJobHttpOptions::GetCustomHeaders. */
bgcopy_hr bgcopy_job_get_custom_headers(bgcopy_job *job, char **out)
{
    if (!out)
        return BGCOPY_E_INVALIDARG;
    *out = NULL;
    if (!job)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = BGCOPY_S_FALSE;
    LOCK(job);
    if (job->custom_headers) {
        *out = bgc_strdup(job->custom_headers);
        hr = *out ? BGCOPY_S_OK : BGCOPY_E_OUTOFMEMORY;
    }
    UNLOCK(job);
    return hr;
}

/* Turns dynamic content on or off: files need no size, are fetched with
 * one plain GET, and any interruption restarts them from zero.  Only
 * before the first Resume (BG_E_READ_ONLY_PROPERTY_AFTER_RESUME after);
 * turning it on in a job that has an AddFileWithRanges file or is in
 * on-demand mode is E_INVALIDARG (bgcopy's choice of code).  Errors also E_INVALIDARG (NULL),
 * BG_E_INVALID_STATE.  Thread-safe.  Mirrors IBackgroundCopyJob5::
 * SetProperty(BITS_JOB_PROPERTY_DYNAMIC_CONTENT). */
bgcopy_hr bgcopy_job_set_dynamic_content(bgcopy_job *job, int enable)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK && job->ever_resumed)
        hr = BGCOPY_E_READ_ONLY_PROPERTY_AFTER_RESUME;
    if (hr == BGCOPY_S_OK && enable && job->on_demand)
        hr = BGCOPY_E_INVALIDARG;            /* docs/http.md, "On-demand mode" */
    for (uint32_t i = 0; hr == BGCOPY_S_OK && enable && i < job->file_count; i++)
        if (job->files[i].range_count)
            hr = BGCOPY_E_INVALIDARG;
    if (hr == BGCOPY_S_OK && job->dynamic_content != !!enable) {
        bgc_rec_set_u32(job, BGC_REC_DYNAMIC_CONTENT, !!enable);
        bgc_job_touch(job);
    }
    UNLOCK(job);
    return hr;
}

/* *out = 1 when dynamic content is on, else 0.  Errors: E_INVALIDARG.
 * Thread-safe.  Mirrors IBackgroundCopyJob5::GetProperty. */
bgcopy_hr bgcopy_job_get_dynamic_content(bgcopy_job *job, int *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    LOCK(job);
    *out = job->dynamic_content;
    UNLOCK(job);
    return BGCOPY_S_OK;
}
