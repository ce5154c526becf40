/*
 * bitsadmin_transfer.c - bitsadmin /transfer: create a job, add the file
 * pairs, resume it and watch it until it is TRANSFERRED (then Complete) or
 * in ERROR (then Cancel), as Windows bitsadmin does.
 *
 * The job is watched by polling its state every POLL_MS rather than with a
 * notification sink: bitsadmin is a short-lived foreground tool, a poll
 * also drives the progress display, and it keeps the Ctrl+C path trivial.
 * Between polls the command waits on a private libuv loop, so that Ctrl+C
 * (a POSIX SIGINT or a Windows console control event, both delivered by
 * libuv as uv_signal_t) and bitsadmin_interrupt() end the wait at once and
 * are then handled on this thread, outside any signal handler.  SIGTERM
 * and SIGHUP (POSIX) are handled as Ctrl+C: while jobs live only in this
 * process, a job left behind could never be resumed, so it is cancelled
 * and its temporary files deleted (docs/bitsadmin.md, "Signals").
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bitsadmin.h"
#include "bitsadmin_format.h"
#include "bitsadmin_internal.h"

#define POLL_MS 100
/* Without a terminal, progress lines are rate-limited so logs stay short. */
#define PLAIN_PROGRESS_INTERVAL_MS 1000
#define RATE_WINDOW_MS 1000

/* What /transfer waits on between polls; lives on its stack. */
typedef struct transfer_wait {
    uv_loop_t loop;
    uv_timer_t tick;      /* the next poll */
    uv_signal_t sigint;   /* Ctrl+C */
#ifndef _WIN32
    uv_signal_t sigterm;  /* kill, service managers, shutdown */
    uv_signal_t sighup;   /* the terminal went away */
#endif
#ifdef _WIN32
    uv_signal_t sigbreak; /* Ctrl+Break, the console event a process group
                             can be sent (GenerateConsoleCtrlEvent) */
#endif
    uv_async_t wake;      /* bitsadmin_interrupt() from any thread */
    int interrupted;      /* set and read on the /transfer thread only */
} transfer_wait;

/* The /transfer that bitsadmin_interrupt() reaches, or NULL.  The lock makes
 * sure uv_async_send never runs on a handle that is being closed. */
static uv_once_t interrupt_once = UV_ONCE_INIT;
static uv_mutex_t interrupt_lock;
static transfer_wait *interrupt_target;

static void interrupt_lock_init(void)
{
    if (uv_mutex_init(&interrupt_lock) != 0)
        abort(); /* cannot happen short of resource exhaustion at startup */
}

int bitsadmin_interrupt(void)
{
    uv_once(&interrupt_once, interrupt_lock_init);
    uv_mutex_lock(&interrupt_lock);
    int delivered = interrupt_target != NULL && uv_async_send(&interrupt_target->wake) == 0;
    uv_mutex_unlock(&interrupt_lock);
    return delivered;
}

static void on_tick(uv_timer_t *t)
{
    (void)t; /* only ends uv_run so the watch loop polls again */
}

static void on_signal(uv_signal_t *h, int signum)
{
    (void)signum;
    ((transfer_wait *)h->data)->interrupted = 1;
}

static void on_wake(uv_async_t *h)
{
    ((transfer_wait *)h->data)->interrupted = 1;
}

static void close_handle(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

/* Set up |w| and make it the target of Ctrl+C and bitsadmin_interrupt().
 * Returns 0, or a libuv error code with |w| left needing no cleanup. */
static int wait_open(transfer_wait *w)
{
    memset(w, 0, sizeof *w);
    int r = uv_loop_init(&w->loop);
    if (r != 0)
        return r;
    r = uv_timer_init(&w->loop, &w->tick);
    if (r == 0)
        r = uv_async_init(&w->loop, &w->wake, on_wake);
    if (r == 0)
        r = uv_signal_init(&w->loop, &w->sigint);
    if (r == 0)
        r = uv_signal_start(&w->sigint, on_signal, SIGINT);
#ifndef _WIN32
    if (r == 0)
        r = uv_signal_init(&w->loop, &w->sigterm);
    if (r == 0)
        r = uv_signal_start(&w->sigterm, on_signal, SIGTERM);
    if (r == 0)
        r = uv_signal_init(&w->loop, &w->sighup);
    if (r == 0)
        r = uv_signal_start(&w->sighup, on_signal, SIGHUP);
#endif
#ifdef _WIN32
    if (r == 0)
        r = uv_signal_init(&w->loop, &w->sigbreak);
    if (r == 0)
        r = uv_signal_start(&w->sigbreak, on_signal, SIGBREAK);
#endif
    if (r != 0) {
        uv_walk(&w->loop, close_handle, NULL);
        uv_run(&w->loop, UV_RUN_DEFAULT);
        uv_loop_close(&w->loop);
        return r;
    }
    /* Callbacks run only inside uv_run, so setting data now is in time. */
    w->tick.data = w->sigint.data = w->wake.data = w;
#ifndef _WIN32
    w->sigterm.data = w->sighup.data = w;
#endif
#ifdef _WIN32
    w->sigbreak.data = w;
#endif
    uv_once(&interrupt_once, interrupt_lock_init);
    uv_mutex_lock(&interrupt_lock);
    /* One /transfer per process is what the API promises; a second one
     * still reacts to Ctrl+C but leaves bitsadmin_interrupt() to the first. */
    if (!interrupt_target)
        interrupt_target = w;
    uv_mutex_unlock(&interrupt_lock);
    return 0;
}

/* Undo wait_open.  Closing the signal handles gives SIGINT, SIGTERM and
 * SIGHUP back their default action (libuv does not restore an earlier
 * handler). */
static void wait_close(transfer_wait *w)
{
    uv_mutex_lock(&interrupt_lock);
    if (interrupt_target == w)
        interrupt_target = NULL;
    uv_mutex_unlock(&interrupt_lock);
    uv_close((uv_handle_t *)&w->tick, NULL);
    uv_close((uv_handle_t *)&w->sigint, NULL);
#ifndef _WIN32
    uv_close((uv_handle_t *)&w->sigterm, NULL);
    uv_close((uv_handle_t *)&w->sighup, NULL);
#endif
#ifdef _WIN32
    uv_close((uv_handle_t *)&w->sigbreak, NULL);
#endif
    uv_close((uv_handle_t *)&w->wake, NULL);
    uv_run(&w->loop, UV_RUN_DEFAULT);
    uv_loop_close(&w->loop);
}

/* Wait up to |ms| milliseconds; Ctrl+C or bitsadmin_interrupt() end the
 * wait early (w->interrupted tells). */
static void wait_ms(transfer_wait *w, unsigned ms)
{
    uv_timer_start(&w->tick, on_tick, ms, 0);
    uv_run(&w->loop, UV_RUN_ONCE);
}

static uint64_t now_ms(void)
{
    return uv_hrtime() / 1000000u;
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
static int watch_job(ba_ctx *c, transfer_wait *w, bgcopy_job *job)
{
    progress_view v;
    memset(&v, 0, sizeof v);
    v.out = c->out;
    v.tty = fileno(c->out) >= 0 && uv_guess_handle(fileno(c->out)) == UV_TTY;
    v.start_ms = v.window_start_ms = now_ms();

    int last_state = -1;
    bgcopy_hr shown_error = 0;
    for (;;) {
        if (w->interrupted) {
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
        wait_ms(w, POLL_MS);
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
        if (ba_word_is(argv[i], "/download"))
            continue;
        if (ba_word_is(argv[i], "/priority")) {
            if (i + 1 >= argc || ba_parse_priority(argv[i + 1], &prio) != 0) {
                fprintf(c->err, "/transfer: /priority takes FOREGROUND, HIGH, NORMAL or LOW.\n");
                return BITSADMIN_EXIT_FAILURE;
            }
            i++;
            continue;
        }
        if (ba_word_is(argv[i], "/upload") || ba_word_is(argv[i], "/aclflags") ||
            ba_word_is(argv[i], "/dynamic")) {
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

    /* Ctrl+C is taken over before the first line is printed so that anyone
     * who saw output (a user, a test) knows Ctrl+C now cancels the job. */
    transfer_wait w;
    int uv_err = wait_open(&w);
    if (uv_err != 0) {
        fprintf(c->err, "Unable to watch for Ctrl+C - %s\n", uv_strerror(uv_err));
        cancel_job(c, job);
        bgcopy_job_release(job);
        return BITSADMIN_EXIT_FAILURE;
    }

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
        rc = watch_job(c, &w, job);
    }

    wait_close(&w);
    bgcopy_job_release(job);
    return rc;
}
