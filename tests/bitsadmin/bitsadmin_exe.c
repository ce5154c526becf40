/*
 * bitsadmin_exe.c - the real bitsadmin executable, run as a child process
 * with stdout/stderr going to files (so not a terminal: plain lines):
 * /transfer of two files, /transfer of a 404 URL, Ctrl+C during /transfer,
 * a transient error (503) shown while /transfer keeps waiting,
 * /upload, and bad syntax.  BITSADMIN_EXE is the built binary's path.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bgcopy.h"
#include "check.h"
#include "harness.h"

#ifndef BITSADMIN_EXE
#error "BITSADMIN_EXE must name the bitsadmin executable"
#endif

extern char **environ;

static char *work;        /* scratch dir for captured output */
static char out_path[4200];
static char err_path[4200];

/* Start bitsadmin with the given words; stdout/stderr go to out_path and
 * err_path.  Returns the child's pid. */
static pid_t spawn_bitsadmin(const char *const *words)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)BITSADMIN_EXE;
    for (; *words; words++) {
        CHECK(argc < 31);
        argv[argc++] = (char *)*words;
    }
    argv[argc] = NULL;

    posix_spawn_file_actions_t fa;
    CHECK_EQ_INT(posix_spawn_file_actions_init(&fa), 0);
    CHECK_EQ_INT(posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644), 0);
    CHECK_EQ_INT(posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644), 0);
    pid_t pid;
    CHECK_EQ_INT(posix_spawn(&pid, BITSADMIN_EXE, &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

/* Wait for the child; returns its exit code (fails the test if it died
 * from a signal: bitsadmin must exit cleanly even on Ctrl+C). */
static int wait_exit(pid_t pid)
{
    int status;
    CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
    CHECK_MSG(WIFEXITED(status), "bitsadmin died (status 0x%x)", status);
    return WEXITSTATUS(status);
}

static char *out_text, *err_text;

static void read_output(void)
{
    free(out_text);
    free(err_text);
    out_text = ts_read_file(out_path, NULL);
    err_text = ts_read_file(err_path, NULL);
    CHECK_NOT_NULL(out_text);
    CHECK_NOT_NULL(err_text);
    /* Under ASan/TSan builds a report in the child must fail this test even
     * where bitsadmin is expected to exit 1 anyway. */
    CHECK_MSG(strstr(err_text, "Sanitizer") == NULL, "%s", err_text);
}

static int run_bitsadmin(const char *const *words)
{
    int rc = wait_exit(spawn_bitsadmin(words));
    read_output();
    return rc;
}

static int count_dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    CHECK_NOT_NULL(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static int output_says_transferring(void *arg)
{
    (void)arg;
    char *t = ts_read_file(out_path, NULL);
    int yes = t && strstr(t, "STATE: TRANSFERRING") != NULL;
    free(t);
    return yes;
}

static int output_says_503(void *arg)
{
    (void)arg;
    char *t = ts_read_file(out_path, NULL);
    int yes = t && strstr(t, "0x801901f7") != NULL;
    free(t);
    return yes;
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    work = ts_mkdtemp();
    snprintf(out_path, sizeof out_path, "%s/stdout.txt", work);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", work);

    /* --- /transfer of two files: exit 0, byte-exact, no temporaries */
    {
        char *dest = ts_mkdtemp();
        char *u1 = ts_url(&srv, "/gen/%d", 1000000);
        char *u2 = ts_url(&srv, "/gen/%d", 777);
        char l1[4200], l2[4200];
        snprintf(l1, sizeof l1, "%s/one.bin", dest);
        snprintf(l2, sizeof l2, "%s/two.bin", dest);
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
        CHECK_EQ_INT(count_dir_entries(dest), 2);
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
        snprintf(l, sizeof l, "%s/missing.bin", dest);
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
        CHECK(access(l, F_OK) != 0);
        CHECK_EQ_INT(count_dir_entries(dest), 0);
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
        snprintf(l, sizeof l, "%s/slow.bin", dest);
        const char *w[] = { "/transfer", "slow", u, l, NULL };
        pid_t pid = spawn_bitsadmin(w);
        CHECK_MSG(ts_wait_until(output_says_transferring, NULL, 20000),
                  "bitsadmin never reported TRANSFERRING");
        CHECK_EQ_INT(kill(pid, SIGINT), 0);
        CHECK_EQ_INT(wait_exit(pid), 1);
        read_output();
        CHECK_CONTAINS(err_text, "interrupted");
        CHECK(strstr(out_text, "Transfer complete.") == NULL);
        CHECK_EQ_INT(count_dir_entries(dest), 0);
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
        snprintf(l, sizeof l, "%s/busy.bin", dest);
        const char *w[] = { "/transfer", "busy", u, l, NULL };
        pid_t pid = spawn_bitsadmin(w);
        CHECK_MSG(ts_wait_until(output_says_503, NULL, 20000),
                  "bitsadmin never showed the 503 error");
        int status;
        CHECK_MSG(waitpid(pid, &status, WNOHANG) == 0, "bitsadmin gave up on a transient error");
        CHECK_EQ_INT(kill(pid, SIGINT), 0);
        CHECK_EQ_INT(wait_exit(pid), 1);
        read_output();
        CHECK_CONTAINS(out_text, "STATE: TRANSIENT_ERROR");
        CHECK_CONTAINS(out_text, "ERROR CODE:    0x801901f7 - ");
        CHECK(strstr(out_text, "Transfer failed") == NULL);
        CHECK_CONTAINS(err_text, "interrupted");
        CHECK_EQ_INT(count_dir_entries(dest), 0);
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
    CHECK_EQ_INT(ts_rmtree(work), 0);
    free(work);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("bitsadmin_exe: OK\n");
    return 0;
}
