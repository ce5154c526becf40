/* The Group Policy limits (docs/policy.md): the defaults as Windows ships
 * them (60 jobs, 200 files, 500 ranges, 90 days), a policy file that
 * raises them (named by the option, and found in the per-user location),
 * what a malformed file does, and the JobInactivityTimeout cancel on an
 * injected clock with the temporary file deleted.  The test runs in its
 * private XDG_CONFIG_HOME / APPDATA (tests/CMakeLists.txt). */
#include "core_test.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t read_clock(void *ctx) { return atomic_load((_Atomic uint64_t *)ctx); }

static bgcopy_manager *open_with(const char *policy_file, _Atomic uint64_t *clock)
{
    bgcopy_manager_options o = {.policy_file = policy_file};
    if (clock) {
        o.clock_ms = read_clock;
        o.clock_ctx = (void *)clock;
    }
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
    return m;
}

static void write_text(const char *path, const char *text)
{
    CHECK_EQ_INT(ts_write_file(path, text, strlen(text)), 0);
}

static void cancel_all(bgcopy_manager *m)
{
    bgcopy_job **list = NULL;
    size_t n = 0;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &list, &n));
    for (size_t i = 0; i < n; i++)
        CHECK_HR_OK(bgcopy_job_cancel(list[i]));
    bgcopy_job_list_free(list, n);
}

/* |jobs| jobs fit, the next one fails with BG_E_TOO_MANY_JOBS_PER_USER, and
 * a final (cancelled) job frees its place. */
static void check_job_limit(bgcopy_manager *m, uint32_t jobs)
{
    bgcopy_job *first = NULL;
    for (uint32_t i = 0; i < jobs; i++) {
        bgcopy_job *j = NULL;
        CHECK_HR_OK(bgcopy_manager_create_job(m, "limit", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &j));
        if (i == 0)
            first = j;
        else
            bgcopy_job_release(j);
    }
    bgcopy_job *over = NULL;
    CHECK_EQ_HR(bgcopy_manager_create_job(m, "one too many", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &over),
                BGCOPY_E_TOO_MANY_JOBS_PER_USER);
    CHECK(over == NULL);
    CHECK_HR_OK(bgcopy_job_cancel(first));
    bgcopy_job_release(first);
    CHECK_HR_OK(bgcopy_manager_create_job(m, "in its place", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, NULL));
    CHECK_EQ_HR(bgcopy_manager_create_job(m, "again too many", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, NULL),
                BGCOPY_E_TOO_MANY_JOBS_PER_USER);
    cancel_all(m);
}

/* |files| files fit in a job, the next fails with BG_E_TOO_MANY_FILES_IN_JOB;
 * |ranges| ranges fit in a file, one more fails with
 * BG_E_TOO_MANY_RANGES_IN_FILE and adds no file. */
static void check_file_and_range_limits(bgcopy_manager *m, const char *dir, uint32_t files,
                                        uint32_t ranges)
{
    bgcopy_job *job = ct_new_job(m, "files");
    const char *url = "http://127.0.0.1:9/x";   /* never fetched: the job stays SUSPENDED */
    char name[64];
    for (uint32_t i = 0; i < files; i++) {
        snprintf(name, sizeof name, "f%u.bin", (unsigned)i);
        char *dest = ct_path(dir, name);
        CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
        free(dest);
    }
    char *dest = ct_path(dir, "over.bin");
    CHECK_EQ_HR(bgcopy_job_add_file(job, url, dest), BGCOPY_E_TOO_MANY_FILES_IN_JOB);
    uint32_t count = 0;
    CHECK_HR_OK(bgcopy_job_get_file_count(job, &count));
    CHECK_EQ_INT((int)count, (int)files);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);

    job = ct_new_job(m, "ranges");
    bgcopy_file_range *r = calloc(ranges + 1, sizeof *r);
    for (uint32_t i = 0; i <= ranges; i++) {
        r[i].initial_offset = (uint64_t)i * 10;
        r[i].length = 5;
    }
    CHECK_EQ_HR(bgcopy_job_add_file_with_ranges(job, url, dest, r, ranges + 1),
                BGCOPY_E_TOO_MANY_RANGES_IN_FILE);
    CHECK_HR_OK(bgcopy_job_get_file_count(job, &count));
    CHECK_EQ_INT((int)count, 0);
    CHECK_HR_OK(bgcopy_job_add_file_with_ranges(job, url, dest, r, ranges));
    CHECK_HR_OK(bgcopy_job_get_file_count(job, &count));
    CHECK_EQ_INT((int)count, 1);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(r);
    free(dest);
}

/* Windows's defaults, with no policy file anywhere (the private config
 * directory is empty): 60 jobs, 200 files, 500 ranges, 90 days. */
static void test_defaults(const char *dir)
{
    bgcopy_manager *m = open_with(NULL, NULL);
    bgcopy_policy p;
    CHECK_HR_OK(bgcopy_manager_get_policy(m, &p));
    CHECK_EQ_INT((int)p.max_jobs_per_user, 60);
    CHECK_EQ_INT((int)p.max_files_per_job, 200);
    CHECK_EQ_INT((int)p.max_ranges_per_file, 500);
    CHECK_EQ_INT((int)p.job_inactivity_timeout_days, 90);
    check_job_limit(m, 60);
    check_file_and_range_limits(m, dir, 200, 500);
    bgcopy_manager_close(m);
}

/* A policy file named by the option raises every limit; one in the user's
 * config directory does the same when no file is named. */
static void test_raised(const char *dir)
{
    char *file = ct_path(dir, "raised.conf");
    write_text(file, "; bgcopy policy\n[BITS]\nMaxJobsPerUser = 75\nMaxFilesPerJob=210\n"
                     "MaxRangesPerFile = 520\nJobInactivityTimeout = 2\n"
                     "MaxJobsPerMachine = 1000 ; read, not enforced\n[Other]\nMaxJobsPerUser=1\n");
    bgcopy_manager *m = open_with(file, NULL);
    bgcopy_policy p;
    CHECK_HR_OK(bgcopy_manager_get_policy(m, &p));
    CHECK_EQ_INT((int)p.max_jobs_per_user, 75);
    CHECK_EQ_INT((int)p.job_inactivity_timeout_days, 2);
    check_job_limit(m, 75);
    check_file_and_range_limits(m, dir, 210, 520);
    bgcopy_manager_close(m);

    /* The per-user location: $XDG_CONFIG_HOME/bgcopy/bgcopy.conf, or
     * %APPDATA%\bgcopy\bgcopy.conf on Windows. */
#ifdef _WIN32
    const char *var = "APPDATA";
#else
    const char *var = "XDG_CONFIG_HOME";
#endif
    char *conf_home = ct_path(dir, "config-home");
    char *bgdir = ct_path(conf_home, "bgcopy");
    CHECK_EQ_INT(ts_mkdir(conf_home), 0);
    CHECK_EQ_INT(ts_mkdir(bgdir), 0);
    char *user_file = ct_path(bgdir, "bgcopy.conf");
    write_text(user_file, "[BITS]\nMaxJobsPerUser = 61\nMaxFilesPerJob = bogus\n");
    char *old = getenv(var) ? strdup(getenv(var)) : NULL;
    CHECK_EQ_INT(ts_setenv(var, conf_home), 0);
    m = open_with(NULL, NULL);
    CHECK_HR_OK(bgcopy_manager_get_policy(m, &p));
    CHECK_EQ_INT((int)p.max_jobs_per_user, 61);
    CHECK_EQ_INT((int)p.max_files_per_job, 200);   /* the bad line is ignored */
    check_job_limit(m, 61);
    bgcopy_manager_close(m);
    CHECK_EQ_INT(ts_setenv(var, old ? old : ""), 0);
    free(old);
    free(user_file);
    free(bgdir);
    free(conf_home);
    free(file);
}

/* A named file must exist and be clean: any bad line, value out of bounds
 * or oversized file fails the open with E_INVALIDARG. */
static void test_malformed(const char *dir)
{
    static const char *const bad[] = {
        "[BITS]\nMaxJobsPerUser = -5\n",
        "[BITS]\nMaxJobsPerUser = 0\n",
        "[BITS]\nMaxJobsPerUser = 1000000\n",
        "[BITS]\nJobInactivityTimeout = 1000\n",
        "[BITS]\nMaxFilesPerJob = 12abc\n",
#ifndef _WIN32  /* Windows' own INI reader skips lines it cannot read (docs/policy.md) */
        "[BITS]\njust some words\n",
        "[BITS\nMaxJobsPerUser = 5\n",
#endif
    };
    char *file = ct_path(dir, "bad.conf");
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_text(file, bad[i]);
        bgcopy_manager_options o = {.policy_file = file};
        bgcopy_manager *m = (bgcopy_manager *)1;
        CHECK_EQ_HR(bgcopy_manager_open(&o, &m), BGCOPY_E_INVALIDARG);
        CHECK(m == NULL);
    }
    /* Larger than 64 KiB, though every line is a good comment. */
    size_t big = 70000;
    char *text = malloc(big + 1);
    memset(text, '#', big);
    for (size_t i = 99; i < big; i += 100)
        text[i] = '\n';
    text[big] = '\0';
    write_text(file, text);
    free(text);
    bgcopy_manager_options o = {.policy_file = file};
    bgcopy_manager *m = NULL;
    CHECK_EQ_HR(bgcopy_manager_open(&o, &m), BGCOPY_E_INVALIDARG);
    char *missing = ct_path(dir, "missing.conf");
    o.policy_file = missing;
    CHECK_EQ_HR(bgcopy_manager_open(&o, &m), BGCOPY_E_INVALIDARG);
    o.policy_file = dir;                         /* a directory */
    CHECK_EQ_HR(bgcopy_manager_open(&o, &m), BGCOPY_E_INVALIDARG);
    /* Case-insensitive names, as registry value names are. */
    write_text(file, "[bits]\nmaxjobsperuser=3\n");
    o.policy_file = file;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
    bgcopy_policy p;
    CHECK_HR_OK(bgcopy_manager_get_policy(m, &p));
    CHECK_EQ_INT((int)p.max_jobs_per_user, 3);
    bgcopy_manager_close(m);
    free(missing);
    free(file);
}

/* JobInactivityTimeout: a job with no activity for the timeout is
 * cancelled and its temporary file deleted; activity (a property change,
 * a state change) restarts the count.  The clock is the manager's
 * injected one, moved by days in a moment. */
static void test_inactivity(const char *dir, ts_server *srv)
{
    const uint64_t day = 86400000u;
    _Atomic uint64_t clock = 1000;
    char *file = ct_path(dir, "inactive.conf");
    write_text(file, "[BITS]\nJobInactivityTimeout = 3\n");
    bgcopy_manager *m = open_with(file, &clock);

    /* A job with bytes in its temporary file: started, then suspended. */
    bgcopy_job *idle = ct_new_job(m, "idle");
    char *url = ts_url(srv, "/gen/4000000?rate=200000");
    char *dest = ct_path(dir, "idle.bin");
    CHECK_HR_OK(bgcopy_job_add_file(idle, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(idle));
    ct_wait_state(idle, BGCOPY_JOB_STATE_TRANSFERRING, 20000);
    CHECK_HR_OK(bgcopy_job_suspend(idle));
    bgcopy_file_info info;
    CHECK_HR_OK(bgcopy_job_get_file(idle, 0, &info));
    char *temp = strdup(info.temporary_name);
    bgcopy_file_info_clear(&info);
    CHECK(ct_exists(temp));

    bgcopy_job *busy = ct_new_job(m, "busy");
    bgcopy_job *touched = ct_new_job(m, "touched");

    atomic_store(&clock, 1000 + 2 * day);
    bgcopy_manager_clock_changed(m);
    CHECK_HR_OK(bgcopy_job_set_description(touched, "still wanted"));  /* activity */
    CHECK_HR_OK(bgcopy_job_set_priority(busy, BGCOPY_JOB_PRIORITY_HIGH));

    /* 3 days after creation: only |idle| has been idle that long. */
    atomic_store(&clock, 1000 + 3 * day + 1);
    bgcopy_manager_clock_changed(m);
    ct_wait_state(idle, BGCOPY_JOB_STATE_CANCELLED, 10000);
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(touched, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_SUSPENDED);
    CHECK_HR_OK(bgcopy_job_get_state(busy, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_SUSPENDED);
    /* BITS deletes the temporary files.  The scheduler deletes them after
     * it published the state, outside the lock, so allow it a moment. */
    for (int i = 0; i < 1000 && ct_exists(temp); i++)
        ts_sleep_ms(10);
    CHECK(!ct_exists(temp));
    CHECK(!ct_exists(dest));
    CHECK_EQ_HR(bgcopy_job_resume(idle), BGCOPY_E_INVALID_STATE);
    bgcopy_guid id;
    CHECK_HR_OK(bgcopy_job_get_id(idle, &id));
    bgcopy_job *gone = NULL;
    CHECK_EQ_HR(bgcopy_manager_get_job(m, &id, &gone), BGCOPY_E_NOT_FOUND);

    /* Five days after their last activity the other two go as well. */
    atomic_store(&clock, 1000 + 5 * day + 1);
    bgcopy_manager_clock_changed(m);
    ct_wait_state(busy, BGCOPY_JOB_STATE_CANCELLED, 10000);
    ct_wait_state(touched, BGCOPY_JOB_STATE_CANCELLED, 10000);
    bgcopy_job **list = NULL;
    size_t n = 0;
    /* The scavenger publishes CANCELLED, then takes the job out of the
     * queue: allow it a moment (slow under wine). */
    for (int i = 0; i < 500; i++) {
        CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &list, &n));
        if (n == 0)
            break;
        bgcopy_job_list_free(list, n);
        list = NULL;
        ts_sleep_ms(10);
    }
    CHECK_EQ_INT((int)n, 0);
    bgcopy_job_list_free(list, n);
    bgcopy_job_release(idle);
    bgcopy_job_release(busy);
    bgcopy_job_release(touched);
    bgcopy_manager_close(m);
    free(temp);
    free(dest);
    free(url);
    free(file);
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    test_defaults(dir);
    test_raised(dir);
    test_malformed(dir);
    test_inactivity(dir, &srv);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_policy: ok\n");
    return 0;
}
