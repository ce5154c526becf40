/*
 * bitsadmin_transfer.c - bitsadmin /transfer: create a job, add the file
 * pairs, resume it and watch it until it is TRANSFERRED (then Complete) or
 * in ERROR (then Cancel), as Windows bitsadmin does.
 *
 * The job is watched by polling its state every POLL_MS rather than with a
 * notification sink: bitsadmin is a short-lived foreground tool, a poll
 * also drives the progress display, and it keeps the Ctrl+C path trivial
 * (the signal handler only sets a flag the loop reads).
 */
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "bitsadmin.h"
#include "bitsadmin_format.h"
#include "bitsadmin_internal.h"

#define POLL_MS 100
/* Without a terminal, progress lines are rate-limited so logs stay short. */
#define PLAIN_PROGRESS_INTERVAL_MS 1000
#define RATE_WINDOW_MS 1000

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    /* EINTR (Ctrl+C) simply ends the nap early; the loop checks the flag. */
    nanosleep(&ts, NULL);
}

typedef struct progress_view {
    FILE *out;
    int tty;
    int line_len;         /* length of the line currently on screen (tty) */
    char shown[256];      /* that line, so an unchanged line is not redrawn */
    uint64_t last_plain_ms;
    uint64_t last_plain_bytes;
    uint64_t start_ms;    /* when watching began */
    uint64_t window_start_ms; /* rate measurement window */
    uint64_t window_bytes;
    int rate_measured;    /* a full window has passed */
    double rate;          /* bytes per second over the last window */
} progress_view;

/* Format "STATE: X FILES: a / b BYTES: c / d (p%) r MiB/s" into buf. */
static int format_progress(char *buf, size_t len, bgcopy_job_state s,
                           const bgcopy_job_progress *p, double rate)
{
    int n = snprintf(buf, len, "STATE: %s FILES: %" PRIu32 " / %" PRIu32 " BYTES: %" PRIu64 " / ",
                     ba_state_word(s), p->files_transferred, p->files_total, p->bytes_transferred);
    if (p->bytes_total == BGCOPY_SIZE_UNKNOWN) {
        n += snprintf(buf + n, len - (size_t)n, "UNKNOWN");
    } else {
        unsigned pct = p->bytes_total ? (unsigned)(p->bytes_transferred * 100 / p->bytes_total) : 100;
        n += snprintf(buf + n, len - (size_t)n, "%" PRIu64 " (%u%%)", p->bytes_total, pct);
    }
    n += snprintf(buf + n, len - (size_t)n, " %.2f MiB/s", rate / (1024.0 * 1024.0));
    return n;
}

/* End the redrawn tty line so that following output starts on its own. */
static void view_break_line(progress_view *v)
{
    if (v->tty && v->line_len) {
        fputc('\n', v->out);
        v->line_len = 0;
    }
}

static void view_update(progress_view *v, bgcopy_job_state s, const bgcopy_job_progress *p,
                        int state_changed)
{
    uint64_t t = now_ms();
    if (t - v->window_start_ms >= RATE_WINDOW_MS) {
        uint64_t moved = p->bytes_transferred >= v->window_bytes
                             ? p->bytes_transferred - v->window_bytes : 0;
        v->rate = (double)moved * 1000.0 / (double)(t - v->window_start_ms);
        v->window_start_ms = t;
        v->window_bytes = p->bytes_transferred;
        v->rate_measured = 1;
    } else if (!v->rate_measured && t > v->start_ms) {
        /* A short transfer never fills a window: show its average. */
        v->rate = (double)p->bytes_transferred * 1000.0 / (double)(t - v->start_ms);
    }
    char line[256];
    int n = format_progress(line, sizeof line, s, p, v->rate);
    if (v->tty) {
        if (v->line_len && strcmp(line, v->shown) == 0)
            return;
        memcpy(v->shown, line, sizeof v->shown);
        /* Pad with blanks so a shorter line wipes the tail of the old one. */
        fprintf(v->out, "\r%s%*s", line, v->line_len > n ? v->line_len - n : 0, "");
        v->line_len = n;
        fflush(v->out);
        return;
    }
    if (state_changed ||
        (t - v->last_plain_ms >= PLAIN_PROGRESS_INTERVAL_MS &&
         p->bytes_transferred != v->last_plain_bytes)) {
        fprintf(v->out, "%s\n", line);
        fflush(v->out);
        v->last_plain_ms = t;
        v->last_plain_bytes = p->bytes_transferred;
    }
}

/* Print the job's current error; returns its code (0 when none). */
static bgcopy_hr show_error(ba_ctx *c, progress_view *v, bgcopy_job *job)
{
    bgcopy_job_error e;
    if (BGCOPY_FAILED(bgcopy_job_get_error(job, &e)))
        return 0;
    view_break_line(v);
    ba_print_error_block(c->out, job, &e);
    fflush(c->out);
    return e.code;
}

/* Cancel the job we created; a failure only deserves a message. */
static void cancel_job(ba_ctx *c, bgcopy_job *job)
{
    bgcopy_hr hr = bgcopy_job_cancel(job);
    if (BGCOPY_FAILED(hr))
        ba_print_failure(c->err, "cancel job", hr);
}

/* Watch |job| until it ends; returns the exit code. */
static int watch_job(ba_ctx *c, bgcopy_job *job)
{
    progress_view v;
    memset(&v, 0, sizeof v);
    v.out = c->out;
    v.tty = fileno(c->out) >= 0 && isatty(fileno(c->out));
    v.start_ms = v.window_start_ms = now_ms();

    int last_state = -1;
    bgcopy_hr shown_error = 0;
    for (;;) {
        if (interrupted) {
            view_break_line(&v);
            cancel_job(c, job);
            fprintf(c->err, "Transfer interrupted; the job was canceled.\n");
            return BITSADMIN_EXIT_FAILURE;
        }
        bgcopy_job_state s;
        bgcopy_job_progress p;
        bgcopy_hr hr = bgcopy_job_get_state(job, &s);
        if (BGCOPY_SUCCEEDED(hr))
            hr = bgcopy_job_get_progress(job, &p);
        if (BGCOPY_FAILED(hr)) {
            view_break_line(&v);
            ba_print_failure(c->err, "get job state", hr);
            cancel_job(c, job);
            return BITSADMIN_EXIT_FAILURE;
        }
        int changed = (int)s != last_state;
        last_state = (int)s;
        view_update(&v, s, &p, changed);

        switch (s) {
        case BGCOPY_JOB_STATE_TRANSIENT_ERROR: {
            /* BITS keeps retrying; show each new error once and wait on, as
             * Windows bitsadmin does (Ctrl+C gives up). */
            bgcopy_job_error e;
            if (BGCOPY_SUCCEEDED(bgcopy_job_get_error(job, &e)) && (changed || e.code != shown_error))
                shown_error = show_error(c, &v, job);
            break;
        }
        case BGCOPY_JOB_STATE_ERROR:
            view_break_line(&v);
            if (!show_error(c, &v, job))
                fprintf(c->out, "ERROR CODE:    unavailable\n");
            cancel_job(c, job);
            fprintf(c->out, "Transfer failed; the job was canceled.\n");
            return BITSADMIN_EXIT_FAILURE;
        case BGCOPY_JOB_STATE_TRANSFERRED:
            view_break_line(&v);
            hr = bgcopy_job_complete(job);
            if (BGCOPY_FAILED(hr)) {
                ba_print_failure(c->err, "complete job", hr);
                cancel_job(c, job);
                return BITSADMIN_EXIT_FAILURE;
            }
            fprintf(c->out, "Transfer complete.\n");
            return BITSADMIN_EXIT_OK;
        case BGCOPY_JOB_STATE_ACKNOWLEDGED:
        case BGCOPY_JOB_STATE_CANCELLED:
            /* Someone else in this process completed or cancelled it. */
            view_break_line(&v);
            fprintf(c->err, "The job was %s by another caller.\n",
                    s == BGCOPY_JOB_STATE_CANCELLED ? "canceled" : "completed");
            return BITSADMIN_EXIT_FAILURE;
        default:
            if (s != BGCOPY_JOB_STATE_TRANSIENT_ERROR)
                shown_error = 0;
            break;
        }
        sleep_ms(POLL_MS);
    }
}

int ba_cmd_transfer(ba_ctx *c, int argc, char **argv)
{
    const char *name = argv[1];
    if (name[0] == '{') {
        fprintf(c->err, "/transfer: the job name may not be a GUID.\n");
        return BITSADMIN_EXIT_FAILURE;
    }
    bgcopy_job_priority prio = BGCOPY_JOB_PRIORITY_NORMAL;
    int i = 2;
    /* Options come before the first pair; local paths also start with '/',
     * so only the known option words count as options. */
    for (; i < argc; i++) {
        if (strcasecmp(argv[i], "/download") == 0)
            continue;
        if (strcasecmp(argv[i], "/priority") == 0) {
            if (i + 1 >= argc || ba_parse_priority(argv[i + 1], &prio) != 0) {
                fprintf(c->err, "/transfer: /priority takes FOREGROUND, HIGH, NORMAL or LOW.\n");
                return BITSADMIN_EXIT_FAILURE;
            }
            i++;
            continue;
        }
        if (strcasecmp(argv[i], "/upload") == 0 || strcasecmp(argv[i], "/aclflags") == 0 ||
            strcasecmp(argv[i], "/dynamic") == 0) {
            fprintf(c->err, "/transfer: %s is not implemented.\n", argv[i]);
            ba_print_failure(c->err, "create job", BGCOPY_E_NOTIMPL);
            return BITSADMIN_EXIT_FAILURE;
        }
        break;
    }
    int npaths = argc - i;
    if (npaths < 2 || npaths % 2 != 0) {
        fprintf(c->err, "/transfer: expected <remote> <local> pairs.\n"
                        "Usage: bitsadmin /transfer <name> [/download] [/priority <prio>] "
                        "<remote> <local> [<remote> <local>...]\n");
        return BITSADMIN_EXIT_FAILURE;
    }

    bgcopy_guid id;
    bgcopy_job *job = NULL;
    bgcopy_hr hr = bgcopy_manager_create_job(c->m, name, BGCOPY_JOB_TYPE_DOWNLOAD, &id, &job);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "create job", hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    /* As on Windows: if a file cannot be added, no job is left behind. */
    for (int k = i; k < argc; k += 2) {
        hr = bgcopy_job_add_file(job, argv[k], argv[k + 1]);
        if (BGCOPY_FAILED(hr)) {
            char what[64];
            snprintf(what, sizeof what, "add file %d to job", (k - i) / 2 + 1);
            ba_print_failure(c->err, what, hr);
            cancel_job(c, job);
            bgcopy_job_release(job);
            return BITSADMIN_EXIT_FAILURE;
        }
    }
    hr = bgcopy_job_set_priority(job, prio);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "set priority", hr);
        cancel_job(c, job);
        bgcopy_job_release(job);
        return BITSADMIN_EXIT_FAILURE;
    }

    /* The handler goes in before the first line is printed so that anyone
     * who saw output (a user, a test) knows Ctrl+C now cancels the job. */
    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old_sa);

    char gs[39];
    bgcopy_guid_to_string(&id, gs);
    fprintf(c->out, "DISPLAY: [%s] GUID: %s TYPE: DOWNLOAD PRIORITY: %s\n", name, gs,
            ba_priority_word(prio));
    fflush(c->out);

    int rc;
    hr = bgcopy_job_resume(job);
    if (BGCOPY_FAILED(hr)) {
        ba_print_failure(c->err, "resume job", hr);
        cancel_job(c, job);
        rc = BITSADMIN_EXIT_FAILURE;
    } else {
        rc = watch_job(c, job);
    }

    sigaction(SIGINT, &old_sa, NULL);
    bgcopy_job_release(job);
    return rc;
}
