/*
 * bitsadmin.c - switch parsing and the job-management switches of
 * bitsadmin (/create, /addfile, /resume, /info, /list, the getters and
 * setters, ...).  /transfer lives in bitsadmin_transfer.c, the text of jobs
 * and errors in bitsadmin_format.c.
 *
 * Every switch is one table row: its name, how many words it takes and the
 * function doing it, so the usage text and the argument checks cannot drift
 * apart.  Each function maps to one or a few bgcopy_* calls, which mirror
 * the IBackgroundCopyJob methods bitsadmin.exe calls on Windows.
 */
#include "bitsadmin.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bitsadmin_format.h"
#include "bitsadmin_internal.h"

/* ------------------------------------------------------------ job lookup */

int ba_find_job(ba_ctx *c, const char *spec, bgcopy_job **out)
{
    *out = NULL;
    if (spec[0] == '{') {
        bgcopy_guid id;
        bgcopy_hr hr = bgcopy_guid_from_string(spec, &id);
        if (BGCOPY_SUCCEEDED(hr))
            hr = bgcopy_manager_get_job(c->m, &id, out);
        if (BGCOPY_FAILED(hr)) {
            ba_print_failure(c->err, "find job", hr);
            return -1;
        }
        return 0;
    }

    bgcopy_job **jobs = NULL;
    size_t count = 0, matches = 0;
    bgcopy_hr hr = bgcopy_manager_enum_jobs(c->m, 0, &jobs, &count);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "enumerate jobs", hr);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        char *name = NULL;
        if (BGCOPY_FAILED(bgcopy_job_get_display_name(jobs[i], &name)))
            continue; /* left the queue since the snapshot */
        if (strcmp(name, spec) == 0) {
            if (matches++ == 0) {
                *out = jobs[i];
                bgcopy_job_addref(*out);
            }
        }
        bgcopy_free(name);
    }
    bgcopy_job_list_free(jobs, count);
    if (matches == 1)
        return 0;
    if (*out) {
        bgcopy_job_release(*out);
        *out = NULL;
    }
    if (matches == 0)
        fprintf(c->err, "Unable to find job named %s.\n", spec);
    else
        fprintf(c->err,
                "%zu jobs are named %s. Use the job's GUID to identify it (see bitsadmin /list).\n",
                matches, spec);
    return -1;
}

/* Parse a non-negative decimal 32-bit number; -1 when |s| is not one. */
static int parse_u32(const char *s, uint32_t *out)
{
    if (!*s || *s == '-' || *s == '+')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* -------------------------------------------------------- the switches */

typedef int (*ba_cmd_fn)(ba_ctx *c, int argc, char **argv);

typedef struct ba_switch {
    const char *name;   /* without the slash */
    int min_args;       /* words after the switch */
    int max_args;       /* -1: no limit */
    ba_cmd_fn fn;
    const char *syntax; /* shown in the usage text */
    const char *help;
} ba_switch;

static const ba_switch *find_switch(const char *word);

static int usage_error(ba_ctx *c, const char *sw, const char *why)
{
    const ba_switch *s = sw ? find_switch(sw) : NULL;
    if (s) {
        fprintf(c->err, "%s: %s\nUsage: bitsadmin %s\n", sw, why, s->syntax);
        fprintf(c->err, "Type bitsadmin /? for the list of switches.\n");
    } else {
        fprintf(c->err, "%s\n", why);
        bitsadmin_print_usage(c->err);
    }
    return BITSADMIN_EXIT_FAILURE;
}

static int cmd_help(ba_ctx *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    bitsadmin_print_usage(c->out);
    return BITSADMIN_EXIT_OK;
}

/* /create [/download|/upload|/upload-reply] <name>  (CreateJob) */
static int cmd_create(ba_ctx *c, int argc, char **argv)
{
    bgcopy_job_type type = BGCOPY_JOB_TYPE_DOWNLOAD;
    const char *name = NULL;
    for (int i = 1; i < argc; i++) {
        if (ba_word_is(argv[i], "/download"))
            type = BGCOPY_JOB_TYPE_DOWNLOAD;
        else if (ba_word_is(argv[i], "/upload"))
            type = BGCOPY_JOB_TYPE_UPLOAD;
        else if (ba_word_is(argv[i], "/upload-reply"))
            type = BGCOPY_JOB_TYPE_UPLOAD_REPLY;
        else if (argv[i][0] == '/' || name)
            return usage_error(c, argv[0], "unexpected argument");
        else
            name = argv[i];
    }
    if (!name)
        return usage_error(c, argv[0], "the job's display name is missing");
    if (type != BGCOPY_JOB_TYPE_DOWNLOAD) {
        /* Upload jobs are not implemented by bgcopy yet; say so before the
         * manager is asked so the message does not depend on core. */
        fprintf(c->err, "Upload jobs are not implemented.\n");
        ba_print_failure(c->err, "create job", BGCOPY_E_NOTIMPL);
        return BITSADMIN_EXIT_FAILURE;
    }
    bgcopy_guid id;
    bgcopy_hr hr = bgcopy_manager_create_job(c->m, name, type, &id, NULL);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "create job", hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    char gs[39];
    bgcopy_guid_to_string(&id, gs);
    if (c->raw)
        fputs(gs, c->out);
    else
        fprintf(c->out, "created job %s\n", gs);
    return BITSADMIN_EXIT_OK;
}

/* /addfile <job> <remote> <local>  (AddFile) */
static int cmd_addfile(ba_ctx *c, int argc, char **argv)
{
    (void)argc;
    bgcopy_job *job;
    if (ba_find_job(c, argv[1], &job) != 0)
        return BITSADMIN_EXIT_FAILURE;
    bgcopy_hr hr = bgcopy_job_add_file(job, argv[2], argv[3]);
    bgcopy_job_release(job);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "add file to job", hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    if (!c->raw)
        fprintf(c->out, "Added %s -> %s to job.\n", argv[2], argv[3]);
    return BITSADMIN_EXIT_OK;
}

/* The four life-cycle switches differ only in the call and the words. */
typedef struct lifecycle_op {
    const char *name;
    bgcopy_hr (*call)(bgcopy_job *);
    const char *verb; /* for "Unable to <verb> job" */
    const char *done; /* success line */
} lifecycle_op;

static const lifecycle_op lifecycle_ops[] = {
    { "resume", bgcopy_job_resume, "resume", "Job resumed." },
    { "suspend", bgcopy_job_suspend, "suspend", "Job suspended." },
    { "cancel", bgcopy_job_cancel, "cancel", "Job canceled." },
    { "complete", bgcopy_job_complete, "complete", "Job completed." },
};

/* /resume /suspend /cancel /complete <job>  (Resume, Suspend, Cancel, Complete) */
static int cmd_lifecycle(ba_ctx *c, int argc, char **argv)
{
    (void)argc;
    const lifecycle_op *op = NULL;
    for (size_t i = 0; i < sizeof lifecycle_ops / sizeof lifecycle_ops[0]; i++)
        if (ba_word_is(argv[0] + 1, lifecycle_ops[i].name))
            op = &lifecycle_ops[i];
    bgcopy_job *job;
    if (ba_find_job(c, argv[1], &job) != 0)
        return BITSADMIN_EXIT_FAILURE;
    bgcopy_hr hr = op->call(job);
    bgcopy_job_release(job);
    if (BGCOPY_FAILED(hr)) {
        char what[32];
        snprintf(what, sizeof what, "%s job", op->verb);
        ba_print_failure(c->err, what, hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    if (!c->raw) {
        fprintf(c->out, "%s\n", op->done);
        /* BG_S_PARTIAL_COMPLETE / BG_S_UNABLE_TO_DELETE_FILES: success, but
         * the user lost something and should be told what. */
        if (hr != BGCOPY_S_OK) {
            fprintf(c->out, "Note: 0x%08" PRIx32 " - ", (uint32_t)hr);
            ba_put_trimmed(c->out, ba_hr_text(hr));
            fputc('\n', c->out);
        }
    }
    return BITSADMIN_EXIT_OK;
}

/* /list [/allusers] [/verbose]  (EnumJobs) */
static int cmd_list(ba_ctx *c, int argc, char **argv)
{
    uint32_t flags = 0;
    int verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (ba_word_is(argv[i], "/allusers"))
            flags |= BGCOPY_JOB_ENUM_ALL_USERS;
        else if (ba_word_is(argv[i], "/verbose"))
            verbose = 1;
        else
            return usage_error(c, argv[0], "unexpected argument");
    }
    bgcopy_job **jobs = NULL;
    size_t count = 0, listed = 0;
    bgcopy_hr hr = bgcopy_manager_enum_jobs(c->m, flags, &jobs, &count);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "enumerate jobs", hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    for (size_t i = 0; i < count; i++) {
        hr = verbose ? ba_print_job_verbose(c->out, jobs[i]) : ba_print_job_line(c->out, jobs[i]);
        if (BGCOPY_SUCCEEDED(hr))
            listed++;
        if (verbose)
            fputc('\n', c->out);
    }
    bgcopy_job_list_free(jobs, count);
    if (c->raw)
        return BITSADMIN_EXIT_OK;
    fprintf(c->out, "%sListed %zu job(s).\n", verbose ? "" : "\n", listed);
    return BITSADMIN_EXIT_OK;
}

/* /reset [/allusers]  (EnumJobs + Cancel on each) */
static int cmd_reset(ba_ctx *c, int argc, char **argv)
{
    uint32_t flags = 0;
    for (int i = 1; i < argc; i++) {
        if (ba_word_is(argv[i], "/allusers"))
            flags |= BGCOPY_JOB_ENUM_ALL_USERS;
        else
            return usage_error(c, argv[0], "unexpected argument");
    }
    bgcopy_job **jobs = NULL;
    size_t count = 0, canceled = 0;
    bgcopy_hr hr = bgcopy_manager_enum_jobs(c->m, flags, &jobs, &count);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "enumerate jobs", hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    for (size_t i = 0; i < count; i++) {
        bgcopy_guid id;
        char gs[39] = "{unknown}";
        if (BGCOPY_SUCCEEDED(bgcopy_job_get_id(jobs[i], &id)))
            bgcopy_guid_to_string(&id, gs);
        hr = bgcopy_job_cancel(jobs[i]);
        if (BGCOPY_SUCCEEDED(hr)) {
            canceled++;
            if (!c->raw)
                fprintf(c->out, "%s canceled.\n", gs);
        } else {
            char what[64];
            snprintf(what, sizeof what, "cancel %s", gs);
            ba_print_failure(c->err, what, hr);
        }
    }
    bgcopy_job_list_free(jobs, count);
    if (!c->raw)
        fprintf(c->out, "%zu out of %zu jobs canceled.\n", canceled, count);
    return canceled == count ? BITSADMIN_EXIT_OK : BITSADMIN_EXIT_FAILURE;
}

/* /info <job> [/verbose]  (the job's getters) */
static int cmd_info(ba_ctx *c, int argc, char **argv)
{
    int verbose = 0;
    if (argc == 3) {
        if (!ba_word_is(argv[2], "/verbose"))
            return usage_error(c, argv[0], "unexpected argument");
        verbose = 1;
    }
    bgcopy_job *job;
    if (ba_find_job(c, argv[1], &job) != 0)
        return BITSADMIN_EXIT_FAILURE;
    bgcopy_hr hr = verbose ? ba_print_job_verbose(c->out, job) : ba_print_job_line(c->out, job);
    bgcopy_job_release(job);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "get job information", hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    return BITSADMIN_EXIT_OK;
}

/* /listfiles <job>  (EnumFiles) */
static int cmd_listfiles(ba_ctx *c, int argc, char **argv)
{
    (void)argc;
    bgcopy_job *job;
    if (ba_find_job(c, argv[1], &job) != 0)
        return BITSADMIN_EXIT_FAILURE;
    uint32_t n = 0, listed = 0;
    bgcopy_hr hr = bgcopy_job_get_file_count(job, &n);
    for (uint32_t i = 0; BGCOPY_SUCCEEDED(hr) && i < n; i++) {
        bgcopy_file_info fi;
        memset(&fi, 0, sizeof fi);
        hr = bgcopy_job_get_file(job, i, &fi);
        if (BGCOPY_SUCCEEDED(hr)) {
            ba_print_file_line(c->out, &fi);
            bgcopy_file_info_clear(&fi);
            listed++;
        }
    }
    bgcopy_job_release(job);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "list files", hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    if (!c->raw)
        fprintf(c->out, "Listed %" PRIu32 " file(s).\n", listed);
    return BITSADMIN_EXIT_OK;
}

/* /geterror <job>  (GetError) */
static int cmd_geterror(ba_ctx *c, int argc, char **argv)
{
    (void)argc;
    bgcopy_job *job;
    if (ba_find_job(c, argv[1], &job) != 0)
        return BITSADMIN_EXIT_FAILURE;
    bgcopy_job_error e;
    bgcopy_hr hr = bgcopy_job_get_error(job, &e);
    if (BGCOPY_SUCCEEDED(hr)) {
        if (c->raw)
            fprintf(c->out, "0x%08" PRIx32, (uint32_t)e.code);
        else
            ba_print_error_block(c->out, job, &e);
    }
    bgcopy_job_release(job);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "get error", hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    return BITSADMIN_EXIT_OK;
}

/* ------------------------------------------------------------- getters */

/* A getter renders one property of |job| into |buf|; returns the API's
 * HRESULT.  Single-value output is what /rawreturn exists for. */
typedef bgcopy_hr (*getter_fn)(bgcopy_job *job, char *buf, size_t len);

static bgcopy_hr get_state(bgcopy_job *job, char *buf, size_t len)
{
    bgcopy_job_state s;
    bgcopy_hr hr = bgcopy_job_get_state(job, &s);
    if (BGCOPY_SUCCEEDED(hr))
        snprintf(buf, len, "%s", ba_state_word(s));
    return hr;
}

static bgcopy_hr get_type(bgcopy_job *job, char *buf, size_t len)
{
    bgcopy_job_type t;
    bgcopy_hr hr = bgcopy_job_get_type(job, &t);
    if (BGCOPY_SUCCEEDED(hr))
        snprintf(buf, len, "%s", ba_type_word(t));
    return hr;
}

static bgcopy_hr get_priority(bgcopy_job *job, char *buf, size_t len)
{
    bgcopy_job_priority p;
    bgcopy_hr hr = bgcopy_job_get_priority(job, &p);
    if (BGCOPY_SUCCEEDED(hr))
        snprintf(buf, len, "%s", ba_priority_word(p));
    return hr;
}

static void put_size(char *buf, size_t len, uint64_t v)
{
    if (v == BGCOPY_SIZE_UNKNOWN)
        snprintf(buf, len, "UNKNOWN");
    else
        snprintf(buf, len, "%" PRIu64, v);
}

static bgcopy_hr get_bytes_total(bgcopy_job *job, char *buf, size_t len)
{
    bgcopy_job_progress p;
    bgcopy_hr hr = bgcopy_job_get_progress(job, &p);
    if (BGCOPY_SUCCEEDED(hr))
        put_size(buf, len, p.bytes_total);
    return hr;
}

static bgcopy_hr get_bytes_transferred(bgcopy_job *job, char *buf, size_t len)
{
    bgcopy_job_progress p;
    bgcopy_hr hr = bgcopy_job_get_progress(job, &p);
    if (BGCOPY_SUCCEEDED(hr))
        put_size(buf, len, p.bytes_transferred);
    return hr;
}

static bgcopy_hr get_files_total(bgcopy_job *job, char *buf, size_t len)
{
    bgcopy_job_progress p;
    bgcopy_hr hr = bgcopy_job_get_progress(job, &p);
    if (BGCOPY_SUCCEEDED(hr))
        snprintf(buf, len, "%" PRIu32, p.files_total);
    return hr;
}

static bgcopy_hr get_files_transferred(bgcopy_job *job, char *buf, size_t len)
{
    bgcopy_job_progress p;
    bgcopy_hr hr = bgcopy_job_get_progress(job, &p);
    if (BGCOPY_SUCCEEDED(hr))
        snprintf(buf, len, "%" PRIu32, p.files_transferred);
    return hr;
}

#define U32_GETTER(fname, api)                                       \
    static bgcopy_hr fname(bgcopy_job *job, char *buf, size_t len)   \
    {                                                                \
        uint32_t v;                                                  \
        bgcopy_hr hr = api(job, &v);                                 \
        if (BGCOPY_SUCCEEDED(hr))                                    \
            snprintf(buf, len, "%" PRIu32, v);                       \
        return hr;                                                   \
    }
U32_GETTER(get_error_count, bgcopy_job_get_error_count)
U32_GETTER(get_notify_flags, bgcopy_job_get_notify_flags)
U32_GETTER(get_min_retry_delay, bgcopy_job_get_minimum_retry_delay)
U32_GETTER(get_no_progress_timeout, bgcopy_job_get_no_progress_timeout)

#define STRING_GETTER(fname, api)                                    \
    static bgcopy_hr fname(bgcopy_job *job, char *buf, size_t len)   \
    {                                                                \
        char *s = NULL;                                              \
        bgcopy_hr hr = api(job, &s);                                 \
        if (BGCOPY_SUCCEEDED(hr))                                    \
            snprintf(buf, len, "%s", s);                             \
        bgcopy_free(s);                                              \
        return hr;                                                   \
    }
STRING_GETTER(get_display_name, bgcopy_job_get_display_name)
STRING_GETTER(get_description, bgcopy_job_get_description)
STRING_GETTER(get_owner, bgcopy_job_get_owner)

#define TIME_GETTER(fname, field)                                    \
    static bgcopy_hr fname(bgcopy_job *job, char *buf, size_t len)   \
    {                                                                \
        bgcopy_job_times t;                                          \
        bgcopy_hr hr = bgcopy_job_get_times(job, &t);                \
        if (BGCOPY_SUCCEEDED(hr))                                    \
            ba_format_filetime(t.field, buf, len);                   \
        return hr;                                                   \
    }
TIME_GETTER(get_creation_time, creation_time)
TIME_GETTER(get_modification_time, modification_time)
TIME_GETTER(get_completion_time, transfer_completion_time)

typedef struct getter_row {
    const char *name;
    getter_fn fn;
    const char *what; /* "Unable to get <what>" */
} getter_row;

static const getter_row getters[] = {
    { "getstate", get_state, "state" },
    { "gettype", get_type, "type" },
    { "getpriority", get_priority, "priority" },
    { "getbytestotal", get_bytes_total, "bytes total" },
    { "getbytestransferred", get_bytes_transferred, "bytes transferred" },
    { "getfilestotal", get_files_total, "files total" },
    { "getfilestransferred", get_files_transferred, "files transferred" },
    { "geterrorcount", get_error_count, "error count" },
    { "getnotifyflags", get_notify_flags, "notify flags" },
    { "getminretrydelay", get_min_retry_delay, "minimum retry delay" },
    { "getnoprogresstimeout", get_no_progress_timeout, "no progress timeout" },
    { "getdisplayname", get_display_name, "display name" },
    { "getdescription", get_description, "description" },
    { "getowner", get_owner, "owner" },
    { "getcreationtime", get_creation_time, "creation time" },
    { "getmodificationtime", get_modification_time, "modification time" },
    { "getcompletiontime", get_completion_time, "completion time" },
};

static int cmd_get(ba_ctx *c, int argc, char **argv)
{
    (void)argc;
    const getter_row *g = NULL;
    for (size_t i = 0; i < sizeof getters / sizeof getters[0]; i++)
        if (ba_word_is(argv[0] + 1, getters[i].name))
            g = &getters[i];
    bgcopy_job *job;
    if (ba_find_job(c, argv[1], &job) != 0)
        return BITSADMIN_EXIT_FAILURE;
    /* The description can be 1024 UTF-8 characters of up to 4 bytes. */
    char buf[4 * BGCOPY_MAX_DESCRIPTION + 16];
    bgcopy_hr hr = g->fn(job, buf, sizeof buf);
    bgcopy_job_release(job);
    if (BGCOPY_FAILED(hr)) {
        char what[64];
        snprintf(what, sizeof what, "get %s", g->what);
        ba_print_failure(c->err, what, hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    fputs(buf, c->out);
    if (!c->raw)
        fputc('\n', c->out);
    return BITSADMIN_EXIT_OK;
}

/* ------------------------------------------------------------- setters */

/* /setpriority /setdisplayname /setdescription /setnotifyflags
 * /setminretrydelay /setnoprogresstimeout <job> <value> */
static int cmd_set(ba_ctx *c, int argc, char **argv)
{
    (void)argc;
    const char *sw = argv[0] + 1;
    const char *value = argv[2];
    bgcopy_job_priority prio = BGCOPY_JOB_PRIORITY_NORMAL;
    uint32_t num = 0;
    int numeric = ba_word_is(sw, "setnotifyflags") ||
                  ba_word_is(sw, "setminretrydelay") ||
                  ba_word_is(sw, "setnoprogresstimeout");
    /* Check the value before looking the job up, so a typo is a usage
     * error whatever the queue holds. */
    if (ba_word_is(sw, "setpriority") && ba_parse_priority(value, &prio) != 0)
        return usage_error(c, argv[0], "the priority must be FOREGROUND, HIGH, NORMAL or LOW");
    if (numeric && parse_u32(value, &num) != 0)
        return usage_error(c, argv[0], "the value must be a non-negative number");

    bgcopy_job *job;
    if (ba_find_job(c, argv[1], &job) != 0)
        return BITSADMIN_EXIT_FAILURE;
    bgcopy_hr hr;
    const char *what, *label;
    if (ba_word_is(sw, "setpriority")) {
        hr = bgcopy_job_set_priority(job, prio);
        what = "set priority";
        label = "Priority";
        value = ba_priority_word(prio);
    } else if (ba_word_is(sw, "setdisplayname")) {
        hr = bgcopy_job_set_display_name(job, value);
        what = "set display name";
        label = "Display name";
    } else if (ba_word_is(sw, "setdescription")) {
        hr = bgcopy_job_set_description(job, value);
        what = "set description";
        label = "Description";
    } else if (ba_word_is(sw, "setnotifyflags")) {
        hr = bgcopy_job_set_notify_flags(job, num);
        what = "set notify flags";
        label = "Notification flags";
    } else if (ba_word_is(sw, "setminretrydelay")) {
        hr = bgcopy_job_set_minimum_retry_delay(job, num);
        what = "set minimum retry delay";
        label = "Minimum retry delay";
    } else {
        hr = bgcopy_job_set_no_progress_timeout(job, num);
        what = "set no progress timeout";
        label = "No progress timeout";
    }
    bgcopy_job_release(job);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, what, hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    if (!c->raw)
        fprintf(c->out, "%s set to %s.\n", label, value);
    return BITSADMIN_EXIT_OK;
}

static const ba_switch switches[] = {
    { "transfer", 3, -1, ba_cmd_transfer,
      "/transfer <name> [/download|/upload] [/priority <prio>] <remote> <local> [<remote> <local>...]",
      "Create a job, transfer the files, wait and complete it." },
    { "create", 1, 2, cmd_create, "/create [/download|/upload|/upload-reply] <name>", "Create a job." },
    { "addfile", 3, 3, cmd_addfile, "/addfile <job> <remote> <local>", "Add a file to a job." },
    { "resume", 1, 1, cmd_lifecycle, "/resume <job>", "Queue the job for transfer." },
    { "suspend", 1, 1, cmd_lifecycle, "/suspend <job>", "Suspend the job." },
    { "cancel", 1, 1, cmd_lifecycle, "/cancel <job>", "Cancel the job and delete its temporary files." },
    { "complete", 1, 1, cmd_lifecycle, "/complete <job>", "Complete the job: give the files their names." },
    { "list", 0, 2, cmd_list, "/list [/allusers] [/verbose]", "List the jobs." },
    { "info", 1, 2, cmd_info, "/info <job> [/verbose]", "Display information about the job." },
    { "listfiles", 1, 1, cmd_listfiles, "/listfiles <job>", "List the files of the job." },
    { "reset", 0, 1, cmd_reset, "/reset [/allusers]", "Cancel every job." },
    { "geterror", 1, 1, cmd_geterror, "/geterror <job>", "Show the job's current error." },
    { "getstate", 1, 1, cmd_get, "/getstate <job>", "Get the job's state." },
    { "gettype", 1, 1, cmd_get, "/gettype <job>", "Get the job's type." },
    { "getpriority", 1, 1, cmd_get, "/getpriority <job>", "Get the job's priority." },
    { "getbytestotal", 1, 1, cmd_get, "/getbytestotal <job>", "Get the job's size in bytes." },
    { "getbytestransferred", 1, 1, cmd_get, "/getbytestransferred <job>", "Get the bytes transferred." },
    { "getfilestotal", 1, 1, cmd_get, "/getfilestotal <job>", "Get the number of files." },
    { "getfilestransferred", 1, 1, cmd_get, "/getfilestransferred <job>", "Get the number of files transferred." },
    { "geterrorcount", 1, 1, cmd_get, "/geterrorcount <job>", "Get the job's error count." },
    { "getnotifyflags", 1, 1, cmd_get, "/getnotifyflags <job>", "Get the notify flags." },
    { "getminretrydelay", 1, 1, cmd_get, "/getminretrydelay <job>", "Get the minimum retry delay (s)." },
    { "getnoprogresstimeout", 1, 1, cmd_get, "/getnoprogresstimeout <job>", "Get the no-progress timeout (s)." },
    { "getdisplayname", 1, 1, cmd_get, "/getdisplayname <job>", "Get the display name." },
    { "getdescription", 1, 1, cmd_get, "/getdescription <job>", "Get the description." },
    { "getowner", 1, 1, cmd_get, "/getowner <job>", "Get the job's owner." },
    { "getcreationtime", 1, 1, cmd_get, "/getcreationtime <job>", "Get the creation time." },
    { "getmodificationtime", 1, 1, cmd_get, "/getmodificationtime <job>", "Get the modification time." },
    { "getcompletiontime", 1, 1, cmd_get, "/getcompletiontime <job>", "Get the transfer completion time." },
    { "setpriority", 2, 2, cmd_set, "/setpriority <job> FOREGROUND|HIGH|NORMAL|LOW", "Set the priority." },
    { "setdisplayname", 2, 2, cmd_set, "/setdisplayname <job> <name>", "Set the display name." },
    { "setdescription", 2, 2, cmd_set, "/setdescription <job> <text>", "Set the description." },
    { "setnotifyflags", 2, 2, cmd_set, "/setnotifyflags <job> <flags>", "Set the notify flags (1, 2, 3, 4...)." },
    { "setminretrydelay", 2, 2, cmd_set, "/setminretrydelay <job> <seconds>", "Set the minimum retry delay." },
    { "setnoprogresstimeout", 2, 2, cmd_set, "/setnoprogresstimeout <job> <seconds>", "Set the no-progress timeout." },
    { "help", 0, 0, cmd_help, "/help", "Show this text." },
    { "?", 0, 0, cmd_help, "/?", "Show this text." },
};

static const ba_switch *find_switch(const char *word)
{
    if (word[0] != '/')
        return NULL;
    for (size_t i = 0; i < sizeof switches / sizeof switches[0]; i++)
        if (ba_word_is(word + 1, switches[i].name))
            return &switches[i];
    return NULL;
}

void bitsadmin_print_usage(FILE *out)
{
    fprintf(out, "Usage: bitsadmin [/rawreturn] [/wrap|/nowrap] <switch> [arguments]\n"
                 "<job> is a job's display name or its {GUID}. Switches are case-insensitive.\n\n");
    for (size_t i = 0; i < sizeof switches / sizeof switches[0]; i++)
        fprintf(out, "  %s\n      %s\n", switches[i].syntax, switches[i].help);
    fprintf(out, "\nExit status: 0 on success, 1 on any failure.\n");
}

int bitsadmin_print_store_report(bgcopy_manager *m, FILE *err)
{
    bgcopy_store_report r;
    if (bgcopy_manager_get_store_report(m, &r) != BGCOPY_S_OK || r.damage == BGCOPY_STORE_INTACT) {
        bgcopy_store_report_clear(&r);
        return 0;
    }
    static const char *const why[] = { "intact", "corrupt", "empty (zero length)",
                                       "not a bgcopy queue database" };
    fprintf(err, "WARNING: the job queue database was %s (%s).\n",
            (unsigned)r.damage < sizeof why / sizeof why[0] ? why[r.damage] : "damaged",
            r.detail ? r.detail : "no detail");
    fprintf(err, "It was kept unchanged as %s\n", r.kept_path ? r.kept_path : "(unknown)");
    if (r.kept_wal_path)
        fprintf(err, "with its write-ahead log as %s\n", r.kept_wal_path);
    fprintf(err, "and a new, empty job queue was started.\n");
    fflush(err);
    bgcopy_store_report_clear(&r);
    return 1;
}

int bitsadmin_run(bgcopy_manager *m, int argc, char **argv, FILE *out, FILE *err)
{
    ba_ctx c = { .m = m, .out = out, .err = err, .raw = 0 };
    int i = 1;
    for (; i < argc; i++) {
        if (ba_word_is(argv[i], "/rawreturn"))
            c.raw = 1;
        else if (ba_word_is(argv[i], "/wrap") || ba_word_is(argv[i], "/nowrap"))
            continue; /* we never wrap lines; accepted for script compatibility */
        else
            break;
    }
    int rc;
    if (i >= argc) {
        rc = usage_error(&c, NULL, "No switch given.");
    } else {
        const ba_switch *s = find_switch(argv[i]);
        int nargs = argc - i - 1;
        if (!s) {
            char why[256];
            snprintf(why, sizeof why, "Unknown switch: %.200s", argv[i]);
            rc = usage_error(&c, NULL, why);
        } else if (nargs < s->min_args || (s->max_args >= 0 && nargs > s->max_args)) {
            rc = usage_error(&c, argv[i], "wrong number of arguments");
        } else {
            rc = s->fn(&c, nargs + 1, argv + i);
        }
    }
    fflush(out);
    fflush(err);
    return rc;
}
