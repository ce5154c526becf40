/*
 * store_persist.c - the queue survives its process (docs/persistence.md):
 *  1. a child process creates jobs with every persisted property and exits;
 *     this process opens the same queue and reads every property back
 *     through the native API;
 *  2. a child killed with SIGKILL in the middle of a transfer: after the
 *     reopen the job is there, no further along on record than the bytes on
 *     disk, continues with a Range request (not from zero) and completes
 *     byte-exact;
 *  3. commits that fail (a file size limit, as a full disk would): the
 *     job goes to TRANSIENT_ERROR with the cause and everything committed
 *     before is still there after the reopen (POSIX);
 *  4. the retry delay and the no-progress timeout go on across a restart
 *     from the time already spent (injected clocks with different origins);
 *  5. an in-memory manager (BGCOPY_QUEUE_IN_MEMORY) writes nothing.
 * Real server on 127.0.0.1, real SQLite files, real processes and kills.
 */
#include "core_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#define NOTIFY_PROGRAM "C:\\Windows\\System32\\cmd.exe"
#else
#define NOTIFY_PROGRAM "/bin/echo"
#endif

#define BIG 6000000u          /* bytes of the killed transfer */
#define RATE 1000000u         /* its rate, bytes/s: about 6 s */

static bgcopy_hr open_q(const char *dir, bgcopy_manager **m)
{
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.state_dir = dir;
    o.queue = BGCOPY_QUEUE_PERSISTENT;
    return bgcopy_manager_open(&o, m);
}

/* ------------------------------------------------------------ children */

static const bgcopy_file_range k_ranges[2] = { { 10, 100 }, { 1000, BGCOPY_LENGTH_TO_EOF } };

/* Job "props": every settable property not at its default; job "failed":
 * a 404, so the error record is persisted.  GUIDs go to |ids| as text. */
static int create_jobs(const char *dir, const char *base_url, const char *dest, const char *ids)
{
    bgcopy_manager *m = NULL;
    if (BGCOPY_FAILED(open_q(dir, &m)))
        return 2;
    bgcopy_guid a, b;
    bgcopy_job *ja = NULL, *jb = NULL;
    char url[512], url2[512], local[4096], local2[4096], local3[4096];
    snprintf(url, sizeof url, "%s/gen/5000", base_url);
    snprintf(url2, sizeof url2, "%s/gen/7000", base_url);
    snprintf(local, sizeof local, "%s%cprops-1.bin", dest, TS_PATH_SEP);
    snprintf(local2, sizeof local2, "%s%cprops-2.bin", dest, TS_PATH_SEP);
    snprintf(local3, sizeof local3, "%s%cfailed.bin", dest, TS_PATH_SEP);
    if (BGCOPY_FAILED(bgcopy_manager_create_job(m, "props ✓ job", BGCOPY_JOB_TYPE_DOWNLOAD, &a, &ja))
        || BGCOPY_FAILED(bgcopy_job_set_description(ja, "every persisted property"))
        || BGCOPY_FAILED(bgcopy_job_set_priority(ja, BGCOPY_JOB_PRIORITY_HIGH))
        || BGCOPY_FAILED(bgcopy_job_set_notify_flags(ja, BGCOPY_NOTIFY_JOB_TRANSFERRED
                                                         | BGCOPY_NOTIFY_JOB_MODIFICATION))
        || BGCOPY_FAILED(bgcopy_job_set_minimum_retry_delay(ja, 77))
        || BGCOPY_FAILED(bgcopy_job_set_no_progress_timeout(ja, 8888))
        || BGCOPY_FAILED(bgcopy_job_set_notify_cmdline(ja, NOTIFY_PROGRAM, "echo done"))
        || BGCOPY_FAILED(bgcopy_job_set_security_flags(ja, BGCOPY_SSL_ENABLE_CRL_CHECK
                                                           | BGCOPY_HTTP_REDIRECT_POLICY_ALLOW_REPORT))
        || BGCOPY_FAILED(bgcopy_job_set_custom_headers(ja, "X-One: 1\r\nX-Two: 2"))
        || BGCOPY_FAILED(bgcopy_job_set_dynamic_content(ja, 0))
        || BGCOPY_FAILED(bgcopy_job_set_file_acl_flags(ja, BGCOPY_COPY_FILE_OWNER))
        || BGCOPY_FAILED(bgcopy_job_set_peer_caching_flags(ja, BGCOPY_PEERCACHING_CLIENT))
        || BGCOPY_FAILED(bgcopy_job_add_file(ja, url, local))
        || BGCOPY_FAILED(bgcopy_job_add_file_with_ranges(ja, url2, local2, k_ranges, 2)))
        return 3;
    snprintf(url, sizeof url, "%s/gen/100?status=404", base_url);
    if (BGCOPY_FAILED(bgcopy_manager_create_job(m, "failed", BGCOPY_JOB_TYPE_DOWNLOAD, &b, &jb))
        || BGCOPY_FAILED(bgcopy_job_add_file(jb, url, local3))
        || BGCOPY_FAILED(bgcopy_job_resume(jb)))
        return 4;
    ct_wait_state(jb, BGCOPY_JOB_STATE_ERROR, 20000);
    char ta[39], tb[39], text[100];
    bgcopy_guid_to_string(&a, ta);
    bgcopy_guid_to_string(&b, tb);
    snprintf(text, sizeof text, "%s\n%s\n", ta, tb);
    bgcopy_job_release(ja);
    bgcopy_job_release(jb);
    bgcopy_manager_close(m);
    /* Written last: the parent reads it only after this process ended. */
    return ts_write_file(ids, text, strlen(text)) == 0 ? 0 : 5;
}

/* Starts a slow transfer and reports (|ready|: GUID and progress) once a
 * checkpoint has surely recorded some of it; then waits to be killed. */
static int transfer(const char *dir, const char *url, const char *dest, const char *ready)
{
    bgcopy_manager *m = NULL;
    if (BGCOPY_FAILED(open_q(dir, &m)))
        return 2;
    bgcopy_guid id;
    bgcopy_job *job = NULL;
    if (BGCOPY_FAILED(bgcopy_manager_create_job(m, "killed", BGCOPY_JOB_TYPE_DOWNLOAD, &id, &job))
        || BGCOPY_FAILED(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND))
        || BGCOPY_FAILED(bgcopy_job_add_file(job, url, dest))
        || BGCOPY_FAILED(bgcopy_job_resume(job)))
        return 3;
    uint64_t start = ts_now_ms();
    bgcopy_file_progress p = { 0, 0, 0 };
    while (ts_now_ms() - start < 30000) {
        if (BGCOPY_FAILED(bgcopy_job_get_file_progress(job, 0, &p)))
            return 4;
        if (p.bytes_transferred >= BIG / 3 && ts_now_ms() - start > 2500)
            break;
        ts_sleep_ms(20);
    }
    char text[100], g[39], tmp[4200];
    bgcopy_guid_to_string(&id, g);
    snprintf(text, sizeof text, "%s\n", g);
    /* Written whole under another name, then renamed: the parent never
     * reads a half-written file. */
    snprintf(tmp, sizeof tmp, "%s.tmp", ready);
    if (ts_write_file(tmp, text, strlen(text)) != 0)
        return 5;
    uv_fs_t req;
    int rc = uv_fs_rename(NULL, &req, tmp, ready, NULL);
    uv_fs_req_cleanup(&req);
    if (rc != 0)
        return 6;
    for (;;)
        ts_sleep_ms(1000);
}

#ifndef _WIN32
#include <signal.h>
#include <sys/resource.h>

/* Commits that start failing (a file size limit: EFBIG, as a full disk or
 * read-only media would): the job goes to TRANSIENT_ERROR with the cause;
 * |out| gets the last description whose call was committed. */
static int io_failure(const char *dir, const char *url, const char *dest, const char *out)
{
    bgcopy_manager *m = NULL;
    if (BGCOPY_FAILED(open_q(dir, &m)))
        return 2;
    bgcopy_job *job = NULL;
    if (BGCOPY_FAILED(bgcopy_manager_create_job(m, "io", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job))
        || BGCOPY_FAILED(bgcopy_job_add_file(job, url, dest))
        || BGCOPY_FAILED(bgcopy_job_resume(job)))
        return 3;
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = { 256 * 1024, 256 * 1024 };
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
        return 4;
    char pad[901];
    memset(pad, 'p', 900);
    pad[900] = '\0';
    char text[1000], last_ok[1000] = "";
    for (int i = 0; i < 2000; i++) {
        snprintf(text, sizeof text, "d-%d %s", i, pad);
        if (BGCOPY_FAILED(bgcopy_job_set_description(job, text)))
            return 5;
        bgcopy_job_state st;
        if (BGCOPY_FAILED(bgcopy_job_get_state(job, &st)))
            return 6;
        if (st == BGCOPY_JOB_STATE_TRANSIENT_ERROR) {
            bgcopy_job_error e;
            if (BGCOPY_FAILED(bgcopy_job_get_error(job, &e)))
                return 7;
            if (e.context != BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER
                || (e.code != BGCOPY_E_DISK_FULL && e.code != BGCOPY_HRESULT_FROM_WIN32(29)))
                return 8;
            if (!last_ok[0])
                return 9;                    /* nothing was committed at all */
            bgcopy_job_release(job);
            bgcopy_manager_close(m);
            rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
            (void)setrlimit(RLIMIT_FSIZE, &rl); /* only root may raise it back */
            return ts_write_file(out, last_ok, strlen(last_ok)) == 0 ? 0 : 10;
        }
        snprintf(last_ok, sizeof last_ok, "%s", text);
    }
    return 11;                               /* the limit never bit */
}
#endif

/* -------------------------------------------------------------- helpers */

typedef struct exit_info {
    int exited;
    int64_t status;
    int term_signal;
} exit_info;

static void on_exit_cb(uv_process_t *p, int64_t status, int term_signal)
{
    exit_info *e = p->data;
    e->exited = 1;
    e->status = status;
    e->term_signal = term_signal;
    uv_close((uv_handle_t *)p, NULL);
}

typedef struct child {
    uv_loop_t loop;
    uv_process_t proc;
    exit_info e;
} child;

static void spawn_self(child *c, char **args)
{
    static char self[4096];
    size_t n = sizeof self;
    CHECK_EQ_INT(uv_exepath(self, &n), 0);
    args[0] = self;
    CHECK_EQ_INT(uv_loop_init(&c->loop), 0);
    memset(&c->e, 0, sizeof c->e);
    c->proc.data = &c->e;
    uv_process_options_t o;
    memset(&o, 0, sizeof o);
    o.file = self;
    o.args = args;
    o.exit_cb = on_exit_cb;
    uv_stdio_container_t io[3];
    for (int i = 0; i < 3; i++) {
        io[i].flags = UV_INHERIT_FD;
        io[i].data.fd = i;
    }
    o.stdio = io;
    o.stdio_count = 3;
    CHECK_EQ_INT(uv_spawn(&c->loop, &c->proc, &o), 0);
}

static void wait_child(child *c, int timeout_ms)
{
    uint64_t deadline = ts_now_ms() + (uint64_t)timeout_ms;
    while (!c->e.exited && ts_now_ms() < deadline) {
        uv_run(&c->loop, UV_RUN_NOWAIT);
        ts_sleep_ms(10);
    }
    CHECK_MSG(c->e.exited, "the child did not exit");
    uv_run(&c->loop, UV_RUN_DEFAULT);
    CHECK_EQ_INT(uv_loop_close(&c->loop), 0);
}

static bgcopy_job *get_job(bgcopy_manager *m, const char *guid_text)
{
    bgcopy_guid id;
    CHECK_HR_OK(bgcopy_guid_from_string(guid_text, &id));
    bgcopy_job *job = NULL;
    CHECK_HR_OK(bgcopy_manager_get_job(m, &id, &job));
    return job;
}

static void check_str(bgcopy_hr hr, char *got, const char *want)
{
    CHECK_HR_OK(hr);
    if (!want) {
        CHECK(got == NULL);
        return;
    }
    CHECK(got != NULL);
    CHECK_EQ_STR(got, want);
    bgcopy_free(got);
}

/* ---------------------------------------------------------------- tests */

static void properties(const char *base, ts_server *srv)
{
    char *dir = ts_path_join(base, "props-queue");
    char *dest = ts_path_join(base, "props-dest");
    char *ids = ts_path_join(base, "props-ids");
    CHECK_EQ_INT(ts_mkdir(dest), 0);
    child c;
    char *args[] = { NULL, (char *)"--create", dir, srv->base_url, dest, ids, NULL };
    spawn_self(&c, args);
    wait_child(&c, 60000);
    CHECK_MSG(c.e.status == 0 && c.e.term_signal == 0, "child status %d signal %d",
              (int)c.e.status, c.e.term_signal);
    char *text = ts_read_file(ids, NULL);
    CHECK(text != NULL && strlen(text) == 78);
    text[38] = text[77] = '\0';

    bgcopy_manager *m = NULL;
    CHECK_HR_OK(open_q(dir, &m));
    bgcopy_job **list = NULL;
    size_t count = 0;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &list, &count));
    CHECK_EQ_U64(count, 2);
    bgcopy_guid id0;
    CHECK_HR_OK(bgcopy_job_get_id(list[0], &id0));
    char t0[39];
    bgcopy_guid_to_string(&id0, t0);
    CHECK_EQ_STR(t0, text);                  /* creation order kept */
    bgcopy_job_list_free(list, count);

    bgcopy_job *ja = get_job(m, text);
    char *s = NULL, *s2 = NULL;
    CHECK_HR_OK(bgcopy_job_get_display_name(ja, &s));
    check_str(BGCOPY_S_OK, s, "props ✓ job");
    CHECK_HR_OK(bgcopy_job_get_description(ja, &s));
    check_str(BGCOPY_S_OK, s, "every persisted property");
    bgcopy_job_type type;
    CHECK_HR_OK(bgcopy_job_get_type(ja, &type));
    CHECK_EQ_INT(type, BGCOPY_JOB_TYPE_DOWNLOAD);
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(ja, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_SUSPENDED);
    bgcopy_job_priority pr;
    CHECK_HR_OK(bgcopy_job_get_priority(ja, &pr));
    CHECK_EQ_INT(pr, BGCOPY_JOB_PRIORITY_HIGH);
    uint32_t u = 0;
    CHECK_HR_OK(bgcopy_job_get_notify_flags(ja, &u));
    CHECK_EQ_INT(u, BGCOPY_NOTIFY_JOB_TRANSFERRED | BGCOPY_NOTIFY_JOB_MODIFICATION);
    CHECK_HR_OK(bgcopy_job_get_minimum_retry_delay(ja, &u));
    CHECK_EQ_INT(u, 77);
    CHECK_HR_OK(bgcopy_job_get_no_progress_timeout(ja, &u));
    CHECK_EQ_INT(u, 8888);
    CHECK_HR_OK(bgcopy_job_get_notify_cmdline(ja, &s, &s2));
    check_str(BGCOPY_S_OK, s, NOTIFY_PROGRAM);
    check_str(BGCOPY_S_OK, s2, "echo done");
    CHECK_HR_OK(bgcopy_job_get_security_flags(ja, &u));
    CHECK_EQ_INT(u, BGCOPY_SSL_ENABLE_CRL_CHECK | BGCOPY_HTTP_REDIRECT_POLICY_ALLOW_REPORT);
    CHECK_HR_OK(bgcopy_job_get_custom_headers(ja, &s));
    CHECK(s != NULL);
    CHECK_CONTAINS(s, "X-One: 1");
    CHECK_CONTAINS(s, "X-Two: 2");
    bgcopy_free(s);
    CHECK_HR_OK(bgcopy_job_get_file_acl_flags(ja, &u));
    CHECK_EQ_INT(u, BGCOPY_COPY_FILE_OWNER);
    CHECK_HR_OK(bgcopy_job_get_peer_caching_flags(ja, &u));
    CHECK_EQ_INT(u, BGCOPY_PEERCACHING_CLIENT);
    bgcopy_job_times times;
    CHECK_HR_OK(bgcopy_job_get_times(ja, &times));
    CHECK(times.creation_time != 0 && times.modification_time >= times.creation_time);
    CHECK_EQ_U64(times.transfer_completion_time, 0);
    CHECK_HR_OK(bgcopy_job_get_file_count(ja, &u));
    CHECK_EQ_INT(u, 2);
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(ja, 1, &fi));
    char want[4096];
    snprintf(want, sizeof want, "%s/gen/7000", srv->base_url);
    CHECK_EQ_STR(fi.remote_name, want);
    snprintf(want, sizeof want, "%s%cprops-2.bin", dest, TS_PATH_SEP);
    CHECK_EQ_STR(fi.local_name, want);
    CHECK(fi.temporary_name != NULL);
    bgcopy_file_info_clear(&fi);
    bgcopy_file_range *r = NULL;
    CHECK_HR_OK(bgcopy_job_get_file_ranges(ja, 1, &r, &u));
    CHECK_EQ_INT(u, 2);
    CHECK_EQ_U64(r[0].initial_offset, 10);
    CHECK_EQ_U64(r[0].length, 100);
    CHECK_EQ_U64(r[1].initial_offset, 1000);
    CHECK_EQ_U64(r[1].length, BGCOPY_LENGTH_TO_EOF);
    bgcopy_free(r);

    bgcopy_job *jb = get_job(m, text + 39);
    CHECK_HR_OK(bgcopy_job_get_state(jb, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_ERROR);
    bgcopy_job_error err;
    CHECK_HR_OK(bgcopy_job_get_error(jb, &err));
    CHECK_EQ_HR(err.code, BGCOPY_E_HTTP_ERROR(404));
    CHECK_EQ_INT(err.context, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_INT(err.file_index, 0);
    CHECK_EQ_STR(err.protocol, "http");
    CHECK_HR_OK(bgcopy_job_get_error_count(jb, &u));
    CHECK(u >= 1);

    /* The loaded jobs work: the first one downloads and completes. */
    CHECK_HR_OK(bgcopy_job_resume(ja));
    ct_wait_state(ja, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    CHECK_HR_OK(bgcopy_job_complete(ja));
    snprintf(want, sizeof want, "%s%cprops-1.bin", dest, TS_PATH_SEP);
    CHECK(ts_file_matches_gen(want, 5000));
    CHECK_HR_OK(bgcopy_job_cancel(jb));
    bgcopy_job_release(ja);
    bgcopy_job_release(jb);
    bgcopy_manager_close(m);

    /* Complete and Cancel were committed: the queue is empty now. */
    CHECK_HR_OK(open_q(dir, &m));
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &list, &count));
    CHECK_EQ_U64(count, 0);
    bgcopy_job_list_free(list, count);
    bgcopy_manager_close(m);
    free(text);
    free(ids);
    free(dest);
    free(dir);
}

static void killed(const char *base, ts_server *srv)
{
    char *dir = ts_path_join(base, "killed-queue");
    char *dest = ts_path_join(base, "killed.bin");
    char *ready = ts_path_join(base, "killed.ready");
    char *url = ts_url(srv, "/gen/%u?rate=%u", BIG, RATE);
    child c;
    char *args[] = { NULL, (char *)"--transfer", dir, url, dest, ready, NULL };
    spawn_self(&c, args);
    uint64_t deadline = ts_now_ms() + 40000;
    while (!ts_path_exists(ready) && !c.e.exited && ts_now_ms() < deadline) {
        uv_run(&c.loop, UV_RUN_NOWAIT);
        ts_sleep_ms(20);
    }
    CHECK_MSG(ts_path_exists(ready), "the child did not get going (exited %d status %d)",
              c.e.exited, (int)c.e.status);
    CHECK_EQ_INT(uv_process_kill(&c.proc, SIGKILL), 0);
    wait_child(&c, 20000);
    char *text = ts_read_file(ready, NULL);
    CHECK(text != NULL && strlen(text) >= 38);
    text[38] = '\0';
    CHECK(!ts_path_exists(dest));            /* no final name before Complete */

    bgcopy_manager *m = NULL;
    CHECK_HR_OK(open_q(dir, &m));
    bgcopy_job *job = get_job(m, text);
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    CHECK(fi.temporary_name != NULL);
    int64_t on_disk = ts_file_size(fi.temporary_name);
    /* Recorded progress: never past the bytes on disk; a checkpoint had
     * recorded a good part of them. */
    CHECK(on_disk >= 0);
    CHECK_LE_U64(fi.progress.bytes_transferred, (uint64_t)on_disk);
    CHECK_GT_U64(fi.progress.bytes_transferred, 0);
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_MSG(st == BGCOPY_JOB_STATE_QUEUED || st == BGCOPY_JOB_STATE_CONNECTING
              || st == BGCOPY_JOB_STATE_TRANSFERRING, "state %d after the reopen", (int)st);
    uint64_t resumed_at = fi.progress.bytes_transferred;
    bgcopy_file_info_clear(&fi);

    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 60000);
    CHECK_HR_OK(bgcopy_job_complete(job));
    CHECK(ts_file_matches_gen(dest, BIG));
    /* It went on from where the record was, with a Range request. */
    char needle[128];
    snprintf(needle, sizeof needle, "bytes=%llu-", (unsigned long long)resumed_at);
    CHECK_MSG(ts_server_log_count(srv, needle) >= 1, "no request for %s in:\n%s", needle,
              ts_server_log(srv));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    free(text);
    free(url);
    free(ready);
    free(dest);
    free(dir);
}

#ifndef _WIN32
static void io_failure_test(const char *base, ts_server *srv)
{
    char *dir = ts_path_join(base, "io-queue");
    char *dest = ts_path_join(base, "io.bin");
    char *out = ts_path_join(base, "io.last");
    char *url = ts_url(srv, "/gen/100000?rate=100");
    child c;
    char *args[] = { NULL, (char *)"--iofail", dir, url, dest, out, NULL };
    spawn_self(&c, args);
    wait_child(&c, 60000);
    CHECK_MSG(c.e.status == 0 && c.e.term_signal == 0, "child status %d signal %d",
              (int)c.e.status, c.e.term_signal);
    char *last_ok = ts_read_file(out, NULL);
    CHECK(last_ok != NULL);
    /* What was committed before the failures is all there. */
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(open_q(dir, &m));
    bgcopy_store_report r;
    CHECK_HR_OK(bgcopy_manager_get_store_report(m, &r));
    CHECK_EQ_INT(r.damage, BGCOPY_STORE_INTACT);
    bgcopy_job **list = NULL;
    size_t count = 0;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &list, &count));
    CHECK_EQ_U64(count, 1);
    char *d = NULL;
    CHECK_HR_OK(bgcopy_job_get_description(list[0], &d));
    CHECK_EQ_STR(d, last_ok);
    bgcopy_free(d);
    CHECK_HR_OK(bgcopy_job_cancel(list[0]));
    bgcopy_job_list_free(list, count);
    bgcopy_manager_close(m);
    free(last_ok);
    free(url);
    free(out);
    free(dest);
    free(dir);
}
#endif

/* Timers across a restart: the retry delay and the no-progress timeout
 * go on from the time already spent, on the manager's (injected) clock. */
static bgcopy_hr open_clocked(const char *dir, ct_clock *clk, bgcopy_manager **m)
{
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.state_dir = dir;
    o.queue = BGCOPY_QUEUE_PERSISTENT;
    o.clock_ms = ct_clock_read;
    o.clock_ctx = clk;
    return bgcopy_manager_open(&o, m);
}

static uint32_t errors_of(bgcopy_job *job)
{
    uint32_t n = 0;
    CHECK_HR_OK(bgcopy_job_get_error_count(job, &n));
    return n;
}

static void wait_errors(bgcopy_job *job, uint32_t want)
{
    uint64_t deadline = ts_now_ms() + 20000;
    while (errors_of(job) < want && ts_now_ms() < deadline)
        ts_sleep_ms(10);
    CHECK_EQ_INT(errors_of(job), want);
}

static void timers(const char *base)
{
    char *dir = ts_path_join(base, "timers");
    char *dest = ts_path_join(base, "timers.bin");
    ct_clock clk;
    memset(&clk, 0, sizeof clk);
    clk.ms = 1000;
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(open_clocked(dir, &clk, &m));
    bgcopy_job *job = ct_new_job(m, "timers");
    bgcopy_guid id;
    CHECK_HR_OK(bgcopy_job_get_id(job, &id));
    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 600));
    CHECK_HR_OK(bgcopy_job_set_no_progress_timeout(job, 1000));
    CHECK_HR_OK(bgcopy_job_add_file(job, "http://127.0.0.1:9/x", dest)); /* refused */
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSIENT_ERROR, 20000);
    CHECK_EQ_INT(errors_of(job), 1);
    clk.ms += 500000;                        /* 500 s of the 600 s delay */
    bgcopy_manager_clock_changed(m);
    ts_sleep_ms(100);
    CHECK_EQ_INT(errors_of(job), 1);
    bgcopy_job_release(job);
    bgcopy_manager_close(m);

    /* Another process, another clock origin: 100 s of the delay are left,
     * and the no-progress timeout has 500 s left. */
    ct_clock clk2;
    memset(&clk2, 0, sizeof clk2);
    clk2.ms = 77000000;
    CHECK_HR_OK(open_clocked(dir, &clk2, &m));
    CHECK_HR_OK(bgcopy_manager_get_job(m, &id, &job));
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_TRANSIENT_ERROR);
    clk2.ms += 90000;
    bgcopy_manager_clock_changed(m);
    ts_sleep_ms(200);
    CHECK_EQ_INT(errors_of(job), 1);         /* not before the delay is over */
    clk2.ms += 11000;
    bgcopy_manager_clock_changed(m);
    wait_errors(job, 2);                     /* the retry, 600 s after the first error */
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_TRANSIENT_ERROR);
    /* 1201 s without progress, counted from the first error in the other
     * process: past the 1000 s timeout, the job fails for good instead of
     * retrying (it would retry if the timeout had restarted with this
     * process). */
    clk2.ms += 601000;
    bgcopy_manager_clock_changed(m);
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    CHECK_EQ_INT(errors_of(job), 2);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    free(dest);
    free(dir);
}

static void in_memory(const char *base)
{
    char *dir = ts_path_join(base, "memory");
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.state_dir = dir;
    o.queue = BGCOPY_QUEUE_IN_MEMORY;
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
    bgcopy_job *job = ct_new_job(m, "gone with the manager");
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    CHECK(!ts_path_exists(dir));
    free(dir);
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--create") == 0)
        return create_jobs(argv[2], argv[3], argv[4], argv[5]);
    if (argc == 6 && strcmp(argv[1], "--transfer") == 0)
        return transfer(argv[2], argv[3], argv[4], argv[5]);
#ifndef _WIN32
    if (argc == 6 && strcmp(argv[1], "--iofail") == 0)
        return io_failure(argv[2], argv[3], argv[4], argv[5]);
#endif
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *base = ts_mkdtemp();
    properties(base, &srv);
    killed(base, &srv);
#ifndef _WIN32
    io_failure_test(base, &srv);
#endif
    timers(base);
    in_memory(base);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(base);
    free(base);
    printf("core_store_persist: all passed\n");
    return 0;
}
