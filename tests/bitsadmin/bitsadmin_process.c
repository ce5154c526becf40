/*
 * bitsadmin_process.c - the real bitsadmin executable against what a
 * process meets outside a terminal (docs/bitsadmin.md, "Signals and
 * standard streams"):
 *  - started with stdin, stdout and stderr closed (cron, daemons): the
 *    /transfer succeeds and no progress text lands in the downloaded file;
 *  - SIGTERM and SIGHUP during /transfer: the job is cancelled, bitsadmin
 *    exits 1 by itself and no .BIT*.tmp file stays in the destination;
 *  - stdout a pipe whose reader has gone (SIGPIPE on write): bitsadmin does
 *    not die, the download finishes byte-exact and it exits 0;
 *  - a URL with a password that fails (404): the password appears nowhere
 *    in the output, the user name does.
 *
 * The test program doubles as the helper that closes 0-2: run as
 * "bitsadmin_process --exec-closed PROGRAM ARGS...", it closes them and
 * executes PROGRAM (libuv's uv_spawn cannot leave them closed: UV_IGNORE
 * puts the null device there).
 *
 * POSIX only (signals, closed descriptors); on Windows it prints why and
 * exits 77 (skip).
 */
#include <stdio.h>
#include <stdlib.h>

#ifdef _WIN32
int main(void)
{
    printf("bitsadmin_process: SKIP POSIX signals and closed descriptors 0-2 have no "
           "Windows counterpart\n");
    return 77;
}
#else
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "bgcopy.h"
#include "bitsadmin_child.h"
#include "check.h"
#include "harness.h"

#ifndef BITSADMIN_FROM_TESTS
#error "BITSADMIN_FROM_TESTS must name the bitsadmin executable, relative to this test's directory"
#endif

static char self_path[4200];
static char bitsadmin_path[4200];

static void find_programs(void)
{
    size_t len = sizeof self_path;
    CHECK_EQ_INT(uv_exepath(self_path, &len), 0);
    ba_program_path(bitsadmin_path, sizeof bitsadmin_path, BITSADMIN_FROM_TESTS);
}

/* Start bitsadmin with |words| (NULL-terminated), stdout/stderr as |how|.
 * With BA_NO_PIPES it starts through "<this program> --exec-closed", so
 * that 0, 1 and 2 are closed, not the null device. */
static void spawn_bitsadmin(ba_child *c, ba_stdio how, const char *const *words)
{
    if (how != BA_NO_PIPES) {
        ba_spawn(c, how, bitsadmin_path, words);
        return;
    }
    const char *w[40] = { "--exec-closed", bitsadmin_path };
    int n = 2;
    for (; *words; words++) {
        CHECK(n < 39);
        w[n++] = *words;
    }
    w[n] = NULL;
    ba_spawn(c, BA_NO_PIPES, self_path, w);
}

static int says_transferring(ba_child *c)
{
    return strstr(c->out.data, "STATE: TRANSFERRING") != NULL;
}

/* Wait for the child (60 s at most); fails if a signal killed it.  Returns
 * the exit code; out/err text stay in c (free with ba_child_free). */
static int finish(ba_child *c)
{
    ba_wait(c);
    CHECK_MSG(c->term_signal == 0, "bitsadmin died from signal %d; stderr: %s", c->term_signal,
              c->err.data);
    CHECK_MSG(strstr(c->err.data, "Sanitizer") == NULL, "%s", c->err.data);
    return (int)c->exit_status;
}

/* Names in |dir| that look like bgcopy temporary files (".BIT*.tmp"). */
static int count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    CHECK_NOT_NULL(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, ".BIT", 4) == 0 && len > 8 && strcmp(e->d_name + len - 4, ".tmp") == 0)
            n++;
    }
    closedir(d);
    return n;
}

/* SIGTERM or SIGHUP while /transfer downloads: cancelled, exit 1, no
 * temporary file left. */
static void test_terminating_signal(ts_server *srv, int signum)
{
    char *dest = ts_mkdtemp();
    char *u = ts_url(srv, "/gen/%d?rate=%d", 50000000, 200000);
    char *l = ts_path_join(dest, "slow.bin");
    const char *w[] = { "/transfer", "slow", u, l, NULL };
    ba_child c;
    spawn_bitsadmin(&c, BA_CAPTURE, w);
    CHECK_MSG(ba_run_until(&c, says_transferring, 20000), "bitsadmin never reported TRANSFERRING");
    CHECK_EQ_INT(count_temp_files(dest), 1);
    CHECK_EQ_INT(uv_process_kill(&c.proc, signum), 0);
    CHECK_EQ_INT(finish(&c), 1);
    CHECK_CONTAINS(c.err.data, "interrupted");
    CHECK_CONTAINS(c.err.data, "canceled");
    CHECK(strstr(c.out.data, "Transfer complete.") == NULL);
    CHECK_EQ_INT(count_temp_files(dest), 0);
    CHECK_EQ_INT(ts_dir_count(dest), 0);
    ba_child_free(&c);
    free(u);
    free(l);
    CHECK_EQ_INT(ts_rmtree(dest), 0);
    free(dest);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--exec-closed") == 0) {
        close(0);
        close(1);
        close(2);
        execv(argv[2], argv + 2);
        _exit(127);
    }
    /* "bitsadmin_process closed|term|hup|pipe|password" runs one part. */
    const char *only = argc >= 2 ? argv[1] : NULL;
#define PART(name) (!only || strcmp(only, name) == 0)
    find_programs();
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);

    /* --- 0, 1 and 2 closed: /transfer exits 0, the file is byte-exact
     * (progress text written to a reused descriptor would corrupt it) */
    if (PART("closed")) {
        char *dest = ts_mkdtemp();
        char *u = ts_url(&srv, "/gen/%d?rate=%d", 300000, 1000000);
        char *l = ts_path_join(dest, "closed.bin");
        const char *w[] = { "/transfer", "closedstdio", u, l, NULL };
        ba_child c;
        spawn_bitsadmin(&c, BA_NO_PIPES, w);
        CHECK_EQ_INT(finish(&c), 0);
        CHECK_EQ_INT(ts_file_size(l), 300000);
        CHECK(ts_file_matches_gen(l, 300000));
        CHECK_EQ_INT(ts_dir_count(dest), 1);
        ba_child_free(&c);
        free(u);
        free(l);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    /* --- SIGTERM and SIGHUP cancel the job */
    if (PART("term"))
        test_terminating_signal(&srv, SIGTERM);
    if (PART("hup"))
        test_terminating_signal(&srv, SIGHUP);

    /* --- stdout's reader gone: SIGPIPE does not kill bitsadmin; the
     * download goes on to the end and the exit code is the transfer's */
    if (PART("pipe")) {
        char *dest = ts_mkdtemp();
        char *u = ts_url(&srv, "/gen/%d?rate=%d", 1500000, 1000000);
        char *l = ts_path_join(dest, "piped.bin");
        const char *w[] = { "/transfer", "piped", u, l, NULL };
        ba_child c;
        spawn_bitsadmin(&c, BA_OUT_READER_GONE, w);
        CHECK_EQ_INT(finish(&c), 0);
        CHECK(ts_file_matches_gen(l, 1500000));
        CHECK_EQ_INT(ts_dir_count(dest), 1);
        ba_child_free(&c);
        free(u);
        free(l);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    /* --- a password in the URL is never shown (ERROR FILE of a 404) */
    if (PART("password")) {
        char *dest = ts_mkdtemp();
        char *plain = ts_url(&srv, "/gen/%d?status=404", 5000);
        CHECK(strncmp(plain, "http://", 7) == 0);
        char u[4200];
        snprintf(u, sizeof u, "http://alice:s%%65cret@%s", plain + 7);
        char *l = ts_path_join(dest, "missing.bin");
        const char *w[] = { "/transfer", "pw404", u, l, NULL };
        ba_child c;
        spawn_bitsadmin(&c, BA_CAPTURE, w);
        CHECK_EQ_INT(finish(&c), 1);
        CHECK_CONTAINS(c.out.data, "ERROR CODE:    0x80190194");
        CHECK_CONTAINS(c.out.data, "ERROR FILE:    http://alice:***@127.0.0.1:");
        CHECK_MSG(strstr(c.out.data, "s%65cret") == NULL && strstr(c.out.data, "secret") == NULL,
                  "password shown: %s", c.out.data);
        CHECK_MSG(strstr(c.err.data, "s%65cret") == NULL && strstr(c.err.data, "secret") == NULL,
                  "password shown: %s", c.err.data);
        ba_child_free(&c);
        free(plain);
        free(l);
        CHECK_EQ_INT(ts_rmtree(dest), 0);
        free(dest);
    }

    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("bitsadmin_process: OK\n");
    return 0;
}
#endif
