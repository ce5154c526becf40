/*
 * bitsadmin_exe.c - the real bitsadmin executable, run as a child process
 * (libuv's uv_spawn) with stdout/stderr going to pipes (so not a terminal:
 * plain lines): /transfer of two files, /transfer of a 404 URL, Ctrl+C
 * during /transfer, a transient error (503) shown while /transfer keeps
 * waiting, /upload, and bad syntax.
 *
 * BITSADMIN_FROM_TESTS is the executable's path relative to the directory
 * of this test program, so the test finds it whether the build tree is
 * seen as /work/b/... (Linux) or Z:\work\b\... (Windows under wine).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bgcopy.h"
#include "bitsadmin_child.h"
#include "check.h"
#include "harness.h"

#ifndef BITSADMIN_FROM_TESTS
#error "BITSADMIN_FROM_TESTS must name the bitsadmin executable, relative to this test's directory"
#endif

#ifdef _WIN32
#define SEP "\\"
#else
#define SEP "/"
#endif

static char bitsadmin_path[4200];

/* Start bitsadmin with the given words (NULL-terminated). */
static void spawn_bitsadmin(ba_child *c, const char *const *words)
{
    ba_spawn(c, BA_CAPTURE, bitsadmin_path, words);
}

static char *out_text, *err_text;

/* Wait for the child to exit and its pipes to drain (fails the test after
 * 60 s), free its loop, and set out_text/err_text.  Returns the exit code;
 * with |clean| it fails the test if the child died from a signal:
 * bitsadmin must exit by itself even on Ctrl+C. */
static int finish(ba_child *c, int clean)
{
    ba_wait(c);
    if (clean)
        CHECK_MSG(c->term_signal == 0, "bitsadmin died from signal %d", c->term_signal);
    free(out_text);
    free(err_text);
    out_text = ba_take_text(&c->out);
    err_text = ba_take_text(&c->err);
    /* Under ASan/TSan builds a report in the child must fail this test even
     * where bitsadmin is expected to exit 1 anyway. */
    CHECK_MSG(strstr(err_text, "Sanitizer") == NULL, "%s", err_text);
    return (int)c->exit_status;
}

static int run_bitsadmin(const char *const *words)
{
    ba_child c;
    spawn_bitsadmin(&c, words);
    return finish(&c, 1);
}

static int output_says_transferring(ba_child *c)
{
    return strstr(c->out.data, "STATE: TRANSFERRING") != NULL;
}

static int output_says_503(ba_child *c)
{
    return strstr(c->out.data, "0x801901f7") != NULL;
}

static int has_exited(ba_child *c)
{
    return c->exited;
}

/* Press Ctrl+C for the child.  On POSIX that is SIGINT.  A Windows console
 * control event cannot be aimed at one child that shares (or lacks) our
 * console, and libuv's uv_process_kill(SIGINT) there is TerminateProcess,
 * not Ctrl+C; so on Windows this returns 0 and the caller kills the child
 * and checks less (bitsadmin_inprocess covers the cancel path there through
 * bitsadmin_interrupt(), which the Ctrl+C handler shares). */
static int press_ctrl_c(ba_child *c)
{
#ifdef _WIN32
    (void)c;
    return 0;
#else
    CHECK_EQ_INT(uv_process_kill(&c->proc, SIGINT), 0);
    return 1;
#endif
}

int main(void)
{
    ba_program_path(bitsadmin_path, sizeof bitsadmin_path, BITSADMIN_FROM_TESTS);
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);

    /* --- /transfer of two files: exit 0, byte-exact, no temporaries */
    {
        char *dest = ts_mkdtemp();
        char *u1 = ts_url(&srv, "/gen/%d", 1000000);
        char *u2 = ts_url(&srv, "/gen/%d", 777);
        char l1[4200], l2[4200];
        snprintf(l1, sizeof l1, "%s" SEP "one.bin", dest);
        snprintf(l2, sizeof l2, "%s" SEP "two.bin", dest);
        const char *w[] = { "/TRANSFER", "twofiles", "/download", "/priority", "foreground",
                            u1, l1, u2, l2, NULL };
        CHECK_EQ_INT(run_bitsadmin(w), 0);
        CHECK_CONTAINS(out_text, "DISPLAY: [twofiles] GUID: {");
        CHECK_CONTAINS(out_text, "PRIORITY: FOREGROUND");
        CHECK_CONTAINS(out_text, "STATE: TRANSFERRED FILES: 2 / 2 BYTES: 1000777 / 1000777 (100%)");
        CHECK_CONTAINS(out_text, "\nTransfer complete.\n");
        CHECK_MSG(strchr(out_text, '\r') == NULL, "redraw characters without a terminal");
        CHECK_EQ_STR(err_text, "");
        CHECK(ts_file_matches_gen(l1, 1000000));
        CHECK(ts_file_matches_gen(l2, 777));
        CHECK_EQ_INT(ts_dir_count(dest), 2);
        free(u1);
        free(u2);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    /* --- /transfer of a 404: exit 1, the BITS code and its text shown,
     * nothing left at the destination */
    {
        char *dest = ts_mkdtemp();
        char *u = ts_url(&srv, "/gen/%d?status=404", 5000);
        char l[4200];
        snprintf(l, sizeof l, "%s" SEP "missing.bin", dest);
        const char *w[] = { "/transfer", "notfound", u, l, NULL };
        CHECK_EQ_INT(run_bitsadmin(w), 1);
        CHECK_CONTAINS(out_text, "ERROR CODE:    0x80190194 - ");
        const char *desc = bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(404));
        CHECK_NOT_NULL(desc);
        char first_words[32];
        snprintf(first_words, sizeof first_words, "%.20s", desc);
        CHECK_CONTAINS(out_text, first_words);
        CHECK_CONTAINS(out_text, "ERROR CONTEXT: 0x00000005 - ");
        CHECK(strstr(out_text, "Transfer complete.") == NULL);
        CHECK(!ts_path_exists(l));
        CHECK_EQ_INT(ts_dir_count(dest), 0);
        free(u);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    /* --- Ctrl+C during /transfer: the job is cancelled, exit 1, the
     * temporary file is deleted */
    {
        char *dest = ts_mkdtemp();
        /* 50 MB at 200 kB/s: minutes, far longer than the test waits. */
        char *u = ts_url(&srv, "/gen/%d?rate=%d", 50000000, 200000);
        char l[4200];
        snprintf(l, sizeof l, "%s" SEP "slow.bin", dest);
        const char *w[] = { "/transfer", "slow", u, l, NULL };
        ba_child c;
        spawn_bitsadmin(&c, w);
        CHECK_MSG(ba_run_until(&c, output_says_transferring, 20000),
                  "bitsadmin never reported TRANSFERRING");
        if (press_ctrl_c(&c)) {
            CHECK_EQ_INT(finish(&c, 1), 1);
            CHECK_CONTAINS(err_text, "interrupted");
            CHECK(strstr(out_text, "Transfer complete.") == NULL);
            CHECK_EQ_INT(ts_dir_count(dest), 0);
        } else {
            printf("bitsadmin_exe: SKIP Ctrl+C during /transfer: no console Ctrl+C can be "
                   "sent to one child on Windows (bitsadmin_inprocess checks the same "
                   "cancel path through bitsadmin_interrupt)\n");
            CHECK_EQ_INT(uv_process_kill(&c.proc, SIGTERM), 0);
            finish(&c, 0);
        }
        free(u);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    /* --- a transient error (HTTP 503): bitsadmin shows it and keeps
     * waiting for the retry until Ctrl+C */
    {
        char *dest = ts_mkdtemp();
        char *u = ts_url(&srv, "/gen/%d?status=503", 1000);
        char l[4200];
        snprintf(l, sizeof l, "%s" SEP "busy.bin", dest);
        const char *w[] = { "/transfer", "busy", u, l, NULL };
        ba_child c;
        spawn_bitsadmin(&c, w);
        CHECK_MSG(ba_run_until(&c, output_says_503, 20000), "bitsadmin never showed the 503 error");
        /* Still waiting a while after showing the error. */
        CHECK_MSG(!ba_run_until(&c, has_exited, 500), "bitsadmin gave up on a transient error");
        int pressed = press_ctrl_c(&c);
        if (!pressed)
            CHECK_EQ_INT(uv_process_kill(&c.proc, SIGTERM), 0);
        int rc = finish(&c, pressed);
        CHECK_CONTAINS(out_text, "STATE: TRANSIENT_ERROR");
        CHECK_CONTAINS(out_text, "ERROR CODE:    0x801901f7 - ");
        CHECK(strstr(out_text, "Transfer failed") == NULL);
        if (pressed) {
            CHECK_EQ_INT(rc, 1);
            CHECK_CONTAINS(err_text, "interrupted");
            CHECK_EQ_INT(ts_dir_count(dest), 0);
        }
        free(u);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    /* --- /upload: E_NOTIMPL */
    {
        const char *w[] = { "/transfer", "up", "/upload", "http://127.0.0.1:1/x", "/tmp/x", NULL };
        CHECK_EQ_INT(run_bitsadmin(w), 1);
        CHECK_CONTAINS(err_text, "0x80004001");
    }

    /* --- bad syntax: exit 1 with usage on stderr */
    {
        const char *w0[] = { NULL };
        CHECK_EQ_INT(run_bitsadmin(w0), 1);
        CHECK_CONTAINS(err_text, "Usage: bitsadmin");
        const char *w1[] = { "/transfer", "onlyname", NULL };
        CHECK_EQ_INT(run_bitsadmin(w1), 1);
        CHECK_CONTAINS(err_text, "Usage: bitsadmin /transfer");
        const char *w2[] = { "/transfer", "odd", "http://127.0.0.1:1/a", "/tmp/a",
                             "http://127.0.0.1:1/b", NULL };
        CHECK_EQ_INT(run_bitsadmin(w2), 1);
        CHECK_CONTAINS(err_text, "<remote> <local>");
        const char *w3[] = { "/frobnicate", NULL };
        CHECK_EQ_INT(run_bitsadmin(w3), 1);
        CHECK_CONTAINS(err_text, "Unknown switch: /frobnicate");
        CHECK_EQ_STR(out_text, "");
        const char *w4[] = { "/HELP", NULL };
        CHECK_EQ_INT(run_bitsadmin(w4), 0);
        CHECK_CONTAINS(out_text, "/transfer <name>");
    }

    free(out_text);
    free(err_text);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("bitsadmin_exe: OK\n");
    return 0;
}
