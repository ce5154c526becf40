/*
 * bitsadmin_inprocess.c - bitsadmin_run() driven command by command against
 * one manager, the way a user would type them one after another: /create,
 * /addfile, /resume, the getters, /info, /list, /complete, /reset, and the
 * usage and lookup errors, and a /transfer stopped by bitsadmin_interrupt()
 * (the Ctrl+C path without a console, so it runs on every platform).
 * Downloads come from the real test server.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bgcopy.h"
#include "bitsadmin.h"
#include "bitsadmin_capture.h"
#include "check.h"
#include "harness.h"

#define SIZE_A 300000u
#define SIZE_B 12345u

/* Local names are built with the platform's separator, so that /info must
 * print exactly what was given whatever bgcopy does with separators. */
#ifdef _WIN32
#define SEP "\\"
#else
#define SEP "/"
#endif

static bgcopy_manager *mgr;
static char *scratch;  /* where run() captures output; not a destination */
static char *out_text; /* output of the last run() */
static char *err_text;

/* run("/create", "x", NULL): one bitsadmin command line against mgr, its
 * output kept in out_text/err_text (bitsadmin_capture.h). */
#define run(...) ba_run(mgr, scratch, &out_text, &err_text, __VA_ARGS__)

/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" with upper-case hex digits. */
static int is_guid_text(const char *s)
{
    if (strlen(s) < 38 || s[0] != '{' || s[37] != '}')
        return 0;
    for (int i = 1; i < 37; i++) {
        int dash = i == 9 || i == 14 || i == 19 || i == 24;
        if (dash ? s[i] != '-' : !(isdigit((unsigned char)s[i]) || (s[i] >= 'A' && s[i] <= 'F')))
            return 0;
    }
    return 1;
}

static bgcopy_job *job_by_guid_text(const char *gs)
{
    bgcopy_guid id;
    CHECK_HR_OK(bgcopy_guid_from_string(gs, &id));
    bgcopy_job *job = NULL;
    CHECK_HR_OK(bgcopy_manager_get_job(mgr, &id, &job));
    return job;
}

typedef struct state_wait {
    bgcopy_job *job;
    bgcopy_job_state want;
} state_wait;

static int job_in_state(void *arg)
{
    state_wait *w = arg;
    bgcopy_job_state s;
    return BGCOPY_SUCCEEDED(bgcopy_job_get_state(w->job, &s)) && s == w->want;
}

/* A /transfer run on its own thread, as a program embedding bitsadmin_run
 * would while its main thread decides to stop it. */
typedef struct transfer_thread {
    int argc;
    char *argv[8];
    int rc;
    char *out, *err;
} transfer_thread;

static void transfer_main(void *arg)
{
    transfer_thread *t = arg;
    t->rc = ba_run_argv(mgr, scratch, "transfer", t->argc, t->argv, &t->out, &t->err);
}

/* The only job in the queue is transferring and has received bytes. */
static int only_job_transferring(void *arg)
{
    (void)arg;
    bgcopy_job **jobs;
    size_t n;
    if (BGCOPY_FAILED(bgcopy_manager_enum_jobs(mgr, 0, &jobs, &n)))
        return 0;
    int yes = 0;
    bgcopy_job_state s;
    bgcopy_job_progress p;
    if (n == 1 && BGCOPY_SUCCEEDED(bgcopy_job_get_state(jobs[0], &s)) &&
        BGCOPY_SUCCEEDED(bgcopy_job_get_progress(jobs[0], &p)))
        yes = s == BGCOPY_JOB_STATE_TRANSFERRING && p.bytes_transferred > 0;
    bgcopy_job_list_free(jobs, n);
    return yes;
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    char *url_a = ts_url(&srv, "/gen/%u", SIZE_A);
    char *url_b = ts_url(&srv, "/gen/%u", SIZE_B);
    char *url_404 = ts_url(&srv, "/gen/100?status=404");
    char local_a[4200], local_b[4200], local_err[4200];
    snprintf(local_a, sizeof local_a, "%s" SEP "a.bin", dir);
    snprintf(local_b, sizeof local_b, "%s" SEP "b.bin", dir);
    snprintf(local_err, sizeof local_err, "%s" SEP "err.bin", dir);
    scratch = ts_mkdtemp();

    CHECK_HR_OK(bgcopy_manager_open(NULL, &mgr));

    /* --- usage errors: exit 1, usage on stderr, nothing on stdout */
    CHECK_EQ_INT(run("/bogus", NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "Unknown switch: /bogus");
    CHECK_CONTAINS(err_text, "Usage: bitsadmin");
    CHECK_EQ_STR(out_text, "");
    CHECK_EQ_INT(run("/addfile", "x", "y", NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "Usage: bitsadmin /addfile <job> <remote> <local>");
    CHECK_EQ_INT(run(NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "Usage: bitsadmin");
    CHECK_EQ_INT(run("/?", NULL), BITSADMIN_EXIT_OK);
    CHECK_CONTAINS(out_text, "/transfer <name>");

    /* --- upload is not implemented: E_NOTIMPL */
    CHECK_EQ_INT(run("/create", "/upload", "up", NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "0x80004001");

    /* --- /create prints "created job {GUID}" */
    CHECK_EQ_INT(run("/CREATE", "/download", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK(strncmp(out_text, "created job ", 12) == 0);
    CHECK_MSG(is_guid_text(out_text + 12), "got \"%s\"", out_text);
    CHECK_EQ_STR(out_text + 12 + 38, "\n");
    char guid[39];
    memcpy(guid, out_text + 12, 38);
    guid[38] = '\0';
    bgcopy_job *job = job_by_guid_text(guid);

    /* /rawreturn /create: just the GUID */
    CHECK_EQ_INT(run("/rawreturn", "/create", "other", NULL), BITSADMIN_EXIT_OK);
    CHECK_MSG(is_guid_text(out_text) && strlen(out_text) == 38, "got \"%s\"", out_text);

    /* --- /addfile by name and by GUID */
    CHECK_EQ_INT(run("/addfile", "myjob", url_a, local_a, NULL), BITSADMIN_EXIT_OK);
    CHECK_CONTAINS(out_text, "Added ");
    CHECK_EQ_INT(run("/AddFile", guid, url_b, local_b, NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_INT(run("/addfile", "myjob", url_b, "relative.bin", NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "Unable to add file to job - 0x80070057");

    CHECK_EQ_INT(run("/getstate", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "SUSPENDED\n");
    CHECK_EQ_INT(run("/rawreturn", "/getfilestotal", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "2");
    CHECK_EQ_INT(run("/getnotifyflags", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "3\n");

    /* --- setters and their getters */
    CHECK_EQ_INT(run("/setpriority", "myjob", "high", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "Priority set to HIGH.\n");
    CHECK_EQ_INT(run("/getpriority", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "HIGH\n");
    CHECK_EQ_INT(run("/setpriority", "myjob", "urgent", NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "FOREGROUND, HIGH, NORMAL or LOW");
    CHECK_EQ_INT(run("/setdescription", "myjob", "two generated files", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_INT(run("/getdescription", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "two generated files\n");
    CHECK_EQ_INT(run("/getdisplayname", guid, NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "myjob\n");

    /* /suspend of a suspended job is fine (S_OK), as on Windows */
    CHECK_EQ_INT(run("/suspend", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "Job suspended.\n");

    /* /resume of a job without files: BG_E_EMPTY, job stays SUSPENDED */
    CHECK_EQ_INT(run("/resume", "other", NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "Unable to resume job - 0x80200003");

    /* --- /resume, wait for TRANSFERRED */
    CHECK_EQ_INT(run("/resume", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "Job resumed.\n");
    state_wait w = { job, BGCOPY_JOB_STATE_TRANSFERRED };
    CHECK_MSG(ts_wait_until(job_in_state, &w, 30000), "job did not reach TRANSFERRED");

    CHECK_EQ_INT(run("/getstate", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "TRANSFERRED\n");
    char want[9000];
    snprintf(want, sizeof want, "%u\n", SIZE_A + SIZE_B);
    CHECK_EQ_INT(run("/getbytestransferred", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, want);
    CHECK_EQ_INT(run("/getbytestotal", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, want);
    CHECK_EQ_INT(run("/getfilestransferred", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "2\n");

    /* /info: the one-line summary */
    snprintf(want, sizeof want, "%s myjob TRANSFERRED 2 / 2 %u / %u\n", guid, SIZE_A + SIZE_B,
             SIZE_A + SIZE_B);
    CHECK_EQ_INT(run("/info", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, want);

    /* /info /verbose: the label/value block */
    CHECK_EQ_INT(run("/info", "myjob", "/VERBOSE", NULL), BITSADMIN_EXIT_OK);
    snprintf(want, sizeof want, "GUID: %s DISPLAY: myjob\n", guid);
    CHECK(strncmp(out_text, want, strlen(want)) == 0);
    CHECK_CONTAINS(out_text, "\nTYPE: DOWNLOAD STATE: TRANSFERRED OWNER: ");
    snprintf(want, sizeof want, "\nPRIORITY: HIGH FILES: 2 / 2 BYTES: %u / %u\n", SIZE_A + SIZE_B,
             SIZE_A + SIZE_B);
    CHECK_CONTAINS(out_text, want);
    CHECK_CONTAINS(out_text, "\nCREATION TIME: ");
    CHECK_CONTAINS(out_text, " MODIFICATION TIME: ");
    CHECK(strstr(out_text, "COMPLETION TIME: UNKNOWN") == NULL);
    CHECK_CONTAINS(out_text, "\nNOTIFY INTERFACE: UNREGISTERED NOTIFICATION FLAGS: 3\n");
    CHECK_CONTAINS(out_text, "\nRETRY DELAY: 600 NO PROGRESS TIMEOUT: 1209600 ERROR COUNT: 0\n");
    CHECK(strstr(out_text, "ERROR FILE:") == NULL);
    CHECK_CONTAINS(out_text, "\nDESCRIPTION: two generated files\nJOB FILES:\n");
    snprintf(want, sizeof want, "\n%u / %u TRANSFERRED %s -> %s\n", SIZE_A, SIZE_A, url_a, local_a);
    CHECK_CONTAINS(out_text, want);
    snprintf(want, sizeof want, "\n%u / %u TRANSFERRED %s -> %s\n", SIZE_B, SIZE_B, url_b, local_b);
    CHECK_CONTAINS(out_text, want);
    CHECK_CONTAINS(out_text, "\nNOTIFICATION COMMAND LINE: none\n");

    /* /listfiles */
    CHECK_EQ_INT(run("/listfiles", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_CONTAINS(out_text, want);
    CHECK_CONTAINS(out_text, "Listed 2 file(s).\n");

    /* /list: one line per job, oldest first, then the count */
    CHECK_EQ_INT(run("/list", NULL), BITSADMIN_EXIT_OK);
    snprintf(want, sizeof want, "%s myjob TRANSFERRED 2 / 2 %u / %u\n", guid, SIZE_A + SIZE_B,
             SIZE_A + SIZE_B);
    CHECK(strncmp(out_text, want, strlen(want)) == 0);
    CHECK_CONTAINS(out_text, " other SUSPENDED 0 / 0 0 / 0\n");
    CHECK_CONTAINS(out_text, "\nListed 2 job(s).\n");
    CHECK_EQ_INT(run("/list", "/allusers", "/verbose", NULL), BITSADMIN_EXIT_OK);
    CHECK_CONTAINS(out_text, "DISPLAY: other\n");
    CHECK_CONTAINS(out_text, "Listed 2 job(s).\n");

    /* Nothing is visible at the destination before Complete. */
    CHECK(!ts_path_exists(local_a));

    /* --- /complete: files get their names, temporaries are gone */
    CHECK_EQ_INT(run("/complete", "myjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "Job completed.\n");
    CHECK(ts_file_matches_gen(local_a, SIZE_A));
    CHECK(ts_file_matches_gen(local_b, SIZE_B));
    CHECK_EQ_INT(ts_dir_count(dir), 2);
    CHECK_EQ_INT(run("/getstate", "myjob", NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "Unable to find job named myjob.");
    CHECK_EQ_INT(run("/getstate", guid, NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "0x80200001");
    bgcopy_job_release(job);

    /* --- two jobs with one name: the GUID is required */
    CHECK_EQ_INT(run("/create", "dup", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_INT(run("/create", "dup", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_INT(run("/getstate", "dup", NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "2 jobs are named dup");
    CHECK_CONTAINS(err_text, "GUID");

    /* --- a fatal HTTP error: /geterror and /info /verbose show it */
    CHECK_EQ_INT(run("/create", "errjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_INT(run("/geterror", "errjob", NULL), BITSADMIN_EXIT_FAILURE);
    CHECK_CONTAINS(err_text, "Unable to get error - 0x8020000f");
    CHECK_EQ_INT(run("/addfile", "errjob", url_404, local_err, NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_INT(run("/resume", "errjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_INT(run("/rawreturn", "/create", "tmp", NULL), BITSADMIN_EXIT_OK);
    char tmp_guid[39];
    snprintf(tmp_guid, sizeof tmp_guid, "%s", out_text);
    CHECK_EQ_INT(run("/cancel", tmp_guid, NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "Job canceled.\n");
    {
        bgcopy_job **jobs;
        size_t n;
        CHECK_HR_OK(bgcopy_manager_enum_jobs(mgr, 0, &jobs, &n));
        CHECK_EQ_U64(n, 4); /* other, dup, dup, errjob */
        state_wait we = { jobs[3], BGCOPY_JOB_STATE_ERROR };
        CHECK_MSG(ts_wait_until(job_in_state, &we, 30000), "404 job did not reach ERROR");
        bgcopy_job_list_free(jobs, n);
    }
    CHECK_EQ_INT(run("/geterror", "errjob", NULL), BITSADMIN_EXIT_OK);
    snprintf(want, sizeof want, "ERROR FILE:    %s -> %s\n", url_404, local_err);
    CHECK_CONTAINS(out_text, want);
    CHECK_CONTAINS(out_text, "ERROR CODE:    0x80190194 - ");
    CHECK_CONTAINS(out_text, "ERROR CONTEXT: 0x00000005 - ");
    CHECK_EQ_INT(run("/rawreturn", "/geterror", "errjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "0x80190194");
    CHECK_EQ_INT(run("/info", "errjob", "/verbose", NULL), BITSADMIN_EXIT_OK);
    CHECK_CONTAINS(out_text, "STATE: ERROR ");
    CHECK_CONTAINS(out_text, "ERROR CODE:    0x80190194 - ");
    CHECK_EQ_INT(run("/geterrorcount", "errjob", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "1\n");

    CHECK_EQ_INT(run("/setdisplayname", "errjob", "renamed", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "Display name set to renamed.\n");
    CHECK_EQ_INT(run("/getstate", "renamed", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "ERROR\n");

    /* --- /reset cancels everything left */
    CHECK_EQ_INT(run("/reset", NULL), BITSADMIN_EXIT_OK);
    CHECK_CONTAINS(out_text, " canceled.\n");
    CHECK_CONTAINS(out_text, "4 out of 4 jobs canceled.\n");
    CHECK_EQ_INT(run("/list", NULL), BITSADMIN_EXIT_OK);
    CHECK_EQ_STR(out_text, "\nListed 0 job(s).\n");
    CHECK(!ts_path_exists(local_err));
    CHECK_EQ_INT(ts_dir_count(dir), 2); /* a.bin, b.bin: no temporaries */

    /* --- /transfer stopped as by Ctrl+C (bitsadmin_interrupt): the job is
     * canceled, exit 1, nothing is left at the destination */
    CHECK_EQ_INT(bitsadmin_interrupt(), 0); /* no /transfer running */
    {
        char *slow_dir = ts_mkdtemp();
        /* 50 MB at 200 kB/s: minutes, far longer than the test waits. */
        char *url_slow = ts_url(&srv, "/gen/%d?rate=%d", 50000000, 200000);
        char local_slow[4200];
        snprintf(local_slow, sizeof local_slow, "%s" SEP "slow.bin", slow_dir);
        transfer_thread t = { .argc = 5,
                              .argv = { "bitsadmin", "/transfer", "slowjob", url_slow, local_slow } };
        uv_thread_t th;
        CHECK_EQ_INT(uv_thread_create(&th, transfer_main, &t), 0);
        CHECK_MSG(ts_wait_until(only_job_transferring, NULL, 20000),
                  "the /transfer job never started transferring");
        CHECK_EQ_INT(bitsadmin_interrupt(), 1);
        CHECK_EQ_INT(uv_thread_join(&th), 0);
        CHECK_EQ_INT(t.rc, BITSADMIN_EXIT_FAILURE);
        CHECK_CONTAINS(t.out, "DISPLAY: [slowjob] GUID: {");
        CHECK(strstr(t.out, "Transfer complete.") == NULL);
        CHECK_EQ_STR(t.err, "Transfer interrupted; the job was canceled.\n");
        CHECK_EQ_INT(bitsadmin_interrupt(), 0); /* it let go when it returned */
        CHECK_EQ_INT(run("/list", NULL), BITSADMIN_EXIT_OK);
        CHECK_EQ_STR(out_text, "\nListed 0 job(s).\n");
        CHECK_EQ_INT(ts_dir_count(slow_dir), 0);
        free(t.out);
        free(t.err);
        free(url_slow);
        CHECK_EQ_INT(ts_rmtree(slow_dir), 0);
        free(slow_dir);
    }

    bgcopy_manager_close(mgr);
    free(out_text);
    free(err_text);
    free(url_a);
    free(url_b);
    free(url_404);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_rmtree(scratch), 0);
    free(scratch);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("bitsadmin_inprocess: OK\n");
    return 0;
}
