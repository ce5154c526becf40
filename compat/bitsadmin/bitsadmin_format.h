/*
 * bitsadmin_format.h - the text bitsadmin prints for jobs, files, errors and
 * values.  Kept apart from argument parsing so that /list, /info, /transfer
 * and the getters all describe a job with the same words (the words Windows
 * bitsadmin uses, see docs/bitsadmin.md).
 *
 * Every function writes to the FILE* it is given and nowhere else; none of
 * them keeps state, so they are safe to call from any thread as long as the
 * caller owns the FILE* and the job handle.
 */
#ifndef BITSADMIN_FORMAT_H
#define BITSADMIN_FORMAT_H

#include <stdint.h>
#include <stdio.h>

#include "bgcopy.h"

/* 1 when |a| and |b| are the same word ignoring ASCII case ("/TRANSFER"
 * is "/transfer"), else 0: Windows bitsadmin switches and keywords are
 * case-insensitive.  Both strings are NUL-terminated and only read. */
int ba_word_is(const char *a, const char *b);

/* State as bitsadmin spells it: upper case, and "CANCELED" (one L) for
 * BG_JOB_STATE_CANCELLED, as /list and /info print it.  Never NULL. */
const char *ba_state_word(bgcopy_job_state s);

/* "FOREGROUND", "HIGH", "NORMAL", "LOW" (or "UNKNOWN").  Never NULL. */
const char *ba_priority_word(bgcopy_job_priority p);

/* Parse a priority word, case-insensitively.  Returns 0 and fills *out,
 * or -1 when |text| is not one of the four words. */
int ba_parse_priority(const char *text, bgcopy_job_priority *out);

/* "DOWNLOAD", "UPLOAD", "UPLOAD-REPLY" (or "UNKNOWN").  Never NULL. */
const char *ba_type_word(bgcopy_job_type t);

/* English description of |hr| (bgcopy_hr_description), or "Unknown error."
 * when bgcopy has no text for it.  Never NULL; static storage. */
const char *ba_hr_text(bgcopy_hr hr);

/* Write |text| without its trailing white space (message-table texts may end
 * in a line break) and no newline. */
void ba_put_trimmed(FILE *out, const char *text);

/* Write "Unable to <what> - 0x%08x" and the description on the next line to
 * |err|: the shape Windows bitsadmin uses when an API call fails.  |what| is
 * the verb phrase, e.g. "add file to job". */
void ba_print_failure(FILE *err, const char *what, bgcopy_hr hr);

/* Format a FILETIME tick count (100 ns since 1601) as local time in the
 * "M/D/YYYY h:mm:ss AM" shape of the documentation's examples into |buf|
 * (at least 32 bytes).  0 ("not set") gives "UNKNOWN". */
void ba_format_filetime(uint64_t ticks, char *buf, size_t len);

/* Write "<done> / <total|UNKNOWN>" (no newline). */
void ba_print_fraction(FILE *out, uint64_t done, uint64_t total);

/* The one-line job summary of /list and /info without /verbose:
 * "{GUID} <display name> <STATE> <files done> / <files> <bytes> / <total>".
 * Returns S_OK or the failing getter's HRESULT (nothing printed then). */
bgcopy_hr ba_print_job_line(FILE *out, bgcopy_job *job);

/* The label/value block of /info /verbose and /list /verbose.  Returns S_OK
 * or the failing getter's HRESULT (output may be partial then). */
bgcopy_hr ba_print_job_verbose(FILE *out, bgcopy_job *job);

/* One file line as in "JOB FILES:" and /listfiles:
 * "<done> / <total|UNKNOWN> <WORKING|TRANSFERRED|COMPLETED> <url> -> <local>". */
void ba_print_file_line(FILE *out, const bgcopy_file_info *fi);

/* The three ERROR FILE / ERROR CODE / ERROR CONTEXT lines for |e|, naming the
 * failing file of |job| when the error is tied to one. */
void ba_print_error_block(FILE *out, bgcopy_job *job, const bgcopy_job_error *e);

#endif /* BITSADMIN_FORMAT_H */
