/*
 * bitsadmin_format.c - job, file and error text for bitsadmin.
 *
 * The layout follows the samples of Microsoft's bitsadmin documentation
 * (see docs/bitsadmin.md for which lines are confirmed and which are our
 * choice); scripts written against Windows bitsadmin parse these lines, so
 * labels and spacing matter more than prettiness here.
 */
#include "bitsadmin_format.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

int ba_word_is(const char *a, const char *b)
{
    /* ASCII folding only: switch and keyword spellings are ASCII, and a
     * locale-dependent compare (strcasecmp, _stricmp) could match a
     * non-ASCII word to a switch under some code pages. */
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

const char *ba_state_word(bgcopy_job_state s)
{
    switch (s) {
    case BGCOPY_JOB_STATE_QUEUED: return "QUEUED";
    case BGCOPY_JOB_STATE_CONNECTING: return "CONNECTING";
    case BGCOPY_JOB_STATE_TRANSFERRING: return "TRANSFERRING";
    case BGCOPY_JOB_STATE_SUSPENDED: return "SUSPENDED";
    case BGCOPY_JOB_STATE_ERROR: return "ERROR";
    case BGCOPY_JOB_STATE_TRANSIENT_ERROR: return "TRANSIENT_ERROR";
    case BGCOPY_JOB_STATE_TRANSFERRED: return "TRANSFERRED";
    case BGCOPY_JOB_STATE_ACKNOWLEDGED: return "ACKNOWLEDGED";
    /* bitsadmin spells the state with one L although the enum has two. */
    case BGCOPY_JOB_STATE_CANCELLED: return "CANCELED";
    }
    return "UNKNOWN";
}

static const char *const priority_words[] = { "FOREGROUND", "HIGH", "NORMAL", "LOW" };

const char *ba_priority_word(bgcopy_job_priority p)
{
    if ((int)p >= 0 && (size_t)p < sizeof priority_words / sizeof priority_words[0])
        return priority_words[p];
    return "UNKNOWN";
}

int ba_parse_priority(const char *text, bgcopy_job_priority *out)
{
    for (size_t i = 0; i < sizeof priority_words / sizeof priority_words[0]; i++) {
        if (ba_word_is(text, priority_words[i])) {
            *out = (bgcopy_job_priority)i;
            return 0;
        }
    }
    return -1;
}

const char *ba_type_word(bgcopy_job_type t)
{
    switch (t) {
    case BGCOPY_JOB_TYPE_DOWNLOAD: return "DOWNLOAD";
    case BGCOPY_JOB_TYPE_UPLOAD: return "UPLOAD";
    case BGCOPY_JOB_TYPE_UPLOAD_REPLY: return "UPLOAD-REPLY";
    }
    return "UNKNOWN";
}

const char *ba_hr_text(bgcopy_hr hr)
{
    const char *d = bgcopy_hr_description(hr);
    return d ? d : "Unknown error.";
}

void ba_put_trimmed(FILE *out, const char *text)
{
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    fprintf(out, "%.*s", (int)n, text);
}

void ba_print_failure(FILE *err, const char *what, bgcopy_hr hr)
{
    fprintf(err, "Unable to %s - 0x%08" PRIx32 "\n", what, (uint32_t)hr);
    ba_put_trimmed(err, ba_hr_text(hr));
    fputc('\n', err);
}

/* Seconds between 1601-01-01 and 1970-01-01, in FILETIME ticks. */
#define FILETIME_UNIX_EPOCH 116444736000000000ULL

void ba_format_filetime(uint64_t ticks, char *buf, size_t len)
{
    if (ticks == 0 || ticks < FILETIME_UNIX_EPOCH) {
        snprintf(buf, len, "UNKNOWN");
        return;
    }
    time_t t = (time_t)((ticks - FILETIME_UNIX_EPOCH) / 10000000ULL);
    struct tm tm;
#ifdef _WIN32
    /* The CRT's reentrant form: same job as localtime_r, arguments swapped,
     * 0 on success. */
    if (localtime_s(&tm, &t) != 0) {
#else
    if (!localtime_r(&t, &tm)) {
#endif
        snprintf(buf, len, "UNKNOWN");
        return;
    }
    int hour12 = tm.tm_hour % 12;
    if (hour12 == 0)
        hour12 = 12;
    snprintf(buf, len, "%d/%d/%d %d:%02d:%02d %s", tm.tm_mon + 1, tm.tm_mday,
             tm.tm_year + 1900, hour12, tm.tm_min, tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
}

void ba_print_fraction(FILE *out, uint64_t done, uint64_t total)
{
    if (total == BGCOPY_SIZE_UNKNOWN)
        fprintf(out, "%" PRIu64 " / UNKNOWN", done);
    else
        fprintf(out, "%" PRIu64 " / %" PRIu64, done, total);
}

bgcopy_hr ba_print_job_line(FILE *out, bgcopy_job *job)
{
    bgcopy_guid id;
    bgcopy_job_state state;
    bgcopy_job_progress p;
    char *name = NULL;
    bgcopy_hr hr = bgcopy_job_get_id(job, &id);
    if (BGCOPY_SUCCEEDED(hr))
        hr = bgcopy_job_get_state(job, &state);
    if (BGCOPY_SUCCEEDED(hr))
        hr = bgcopy_job_get_progress(job, &p);
    if (BGCOPY_SUCCEEDED(hr))
        hr = bgcopy_job_get_display_name(job, &name);
    if (BGCOPY_FAILED(hr))
        return hr;
    char gs[39];
    bgcopy_guid_to_string(&id, gs);
    fprintf(out, "%s %s %s %" PRIu32 " / %" PRIu32 " ", gs, name, ba_state_word(state),
            p.files_transferred, p.files_total);
    ba_print_fraction(out, p.bytes_transferred, p.bytes_total);
    fputc('\n', out);
    bgcopy_free(name);
    return BGCOPY_S_OK;
}

static const char *file_status_word(const bgcopy_file_progress *p)
{
    if (p->completed)
        return "COMPLETED";
    if (p->bytes_total != BGCOPY_SIZE_UNKNOWN && p->bytes_transferred == p->bytes_total)
        return "TRANSFERRED";
    return "WORKING";
}

/* A remote name as bitsadmin shows it: with any password masked
 * (bgcopy_url_for_display), never the raw text. */
static void put_remote_name(FILE *out, const char *url)
{
    char *shown = NULL;
    if (!url)
        return;
    if (BGCOPY_SUCCEEDED(bgcopy_url_for_display(url, &shown)))
        fputs(shown, out);
    else
        fputs("(URL not shown: out of memory)", out);
    bgcopy_free(shown);
}

void ba_print_file_line(FILE *out, const bgcopy_file_info *fi)
{
    ba_print_fraction(out, fi->progress.bytes_transferred, fi->progress.bytes_total);
    fprintf(out, " %s ", file_status_word(&fi->progress));
    put_remote_name(out, fi->remote_name);
    fprintf(out, " -> %s\n", fi->local_name ? fi->local_name : "");
}

void ba_print_error_block(FILE *out, bgcopy_job *job, const bgcopy_job_error *e)
{
    bgcopy_file_info fi;
    memset(&fi, 0, sizeof fi);
    if (e->file_index >= 0 &&
        BGCOPY_SUCCEEDED(bgcopy_job_get_file(job, (uint32_t)e->file_index, &fi))) {
        fputs("ERROR FILE:    ", out);
        put_remote_name(out, fi.remote_name);
        fprintf(out, " -> %s\n", fi.local_name ? fi.local_name : "");
        bgcopy_file_info_clear(&fi);
    } else {
        fprintf(out, "ERROR FILE:    none\n");
    }
    fprintf(out, "ERROR CODE:    0x%08" PRIx32 " - ", (uint32_t)e->code);
    ba_put_trimmed(out, ba_hr_text(e->code));
    fprintf(out, "\nERROR CONTEXT: 0x%08" PRIx32 " - ", (uint32_t)e->context);
    ba_put_trimmed(out, bgcopy_error_context_description(e->context));
    fputc('\n', out);
}

bgcopy_hr ba_print_job_verbose(FILE *out, bgcopy_job *job)
{
    bgcopy_guid id;
    bgcopy_job_type type;
    bgcopy_job_state state;
    bgcopy_job_priority prio;
    bgcopy_job_progress p;
    bgcopy_job_times times;
    uint32_t notify_flags, retry_delay, no_progress, error_count, nfiles;
    char *name = NULL, *owner = NULL, *desc = NULL;

    bgcopy_hr hr = bgcopy_job_get_id(job, &id);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_type(job, &type);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_state(job, &state);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_priority(job, &prio);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_progress(job, &p);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_times(job, &times);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_notify_flags(job, &notify_flags);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_minimum_retry_delay(job, &retry_delay);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_no_progress_timeout(job, &no_progress);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_error_count(job, &error_count);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_file_count(job, &nfiles);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_display_name(job, &name);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_owner(job, &owner);
    if (BGCOPY_SUCCEEDED(hr)) hr = bgcopy_job_get_description(job, &desc);
    if (BGCOPY_FAILED(hr))
        goto done;

    char gs[39], ct[40], mt[40], tt[40];
    bgcopy_guid_to_string(&id, gs);
    ba_format_filetime(times.creation_time, ct, sizeof ct);
    ba_format_filetime(times.modification_time, mt, sizeof mt);
    ba_format_filetime(times.transfer_completion_time, tt, sizeof tt);

    fprintf(out, "GUID: %s DISPLAY: %s\n", gs, name);
    fprintf(out, "TYPE: %s STATE: %s OWNER: %s\n", ba_type_word(type), ba_state_word(state), owner);
    fprintf(out, "PRIORITY: %s FILES: %" PRIu32 " / %" PRIu32 " BYTES: ", ba_priority_word(prio),
            p.files_transferred, p.files_total);
    ba_print_fraction(out, p.bytes_transferred, p.bytes_total);
    fprintf(out, "\nCREATION TIME: %s MODIFICATION TIME: %s\n", ct, mt);
    fprintf(out, "COMPLETION TIME: %s\n", tt);
    void *sink = NULL;
    bgcopy_notify_callbacks sink_cb;
    if (BGCOPY_SUCCEEDED(bgcopy_job_get_notify(job, &sink_cb, &sink)) && sink && sink_cb.release)
        sink_cb.release(sink);
    fprintf(out, "NOTIFY INTERFACE: %s NOTIFICATION FLAGS: %" PRIu32 "\n",
            sink ? "REGISTERED" : "UNREGISTERED", notify_flags);
    fprintf(out, "RETRY DELAY: %" PRIu32 " NO PROGRESS TIMEOUT: %" PRIu32 " ERROR COUNT: %" PRIu32 "\n",
            retry_delay, no_progress, error_count);
    static const char *const usages[] = {"PRECONFIG", "NO_PROXY", "OVERRIDE", "AUTODETECT"};
    bgcopy_proxy_usage pu = BGCOPY_PROXY_USAGE_PRECONFIG;
    char *plist = NULL, *pbypass = NULL;
    (void)bgcopy_job_get_proxy_settings(job, &pu, &plist, &pbypass);
    /* A list naming a user (user:password@proxy, which the transport
     * refuses anyway) is never printed: it may hold a password. */
    fprintf(out, "PROXY USAGE: %s PROXY LIST: %s PROXY BYPASS LIST: %s\n",
            (unsigned)pu < 4 ? usages[pu] : "UNKNOWN",
            !plist ? "NULL" : strchr(plist, '@') ? "(not shown: names a user)" : plist,
            !pbypass ? "NULL" : strchr(pbypass, '@') ? "(not shown: names a user)" : pbypass);
    bgcopy_free(plist);
    bgcopy_free(pbypass);
    bgcopy_job_error e;
    if (BGCOPY_SUCCEEDED(bgcopy_job_get_error(job, &e)))
        ba_print_error_block(out, job, &e);
    fprintf(out, "DESCRIPTION: %s\n", desc);
    fprintf(out, "JOB FILES:\n");
    for (uint32_t i = 0; i < nfiles; i++) {
        bgcopy_file_info fi;
        memset(&fi, 0, sizeof fi);
        if (BGCOPY_FAILED(bgcopy_job_get_file(job, i, &fi)))
            continue; /* the job lost files meanwhile (cancelled elsewhere) */
        ba_print_file_line(out, &fi);
        bgcopy_file_info_clear(&fi);
    }
    fprintf(out, "NOTIFICATION COMMAND LINE: none\n");
done:
    bgcopy_free(name);
    bgcopy_free(owner);
    bgcopy_free(desc);
    return hr;
}
