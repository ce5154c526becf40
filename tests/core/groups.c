/* BITS 1.0 groups through the native API (bgcopy_group_*, docs/qmgr.md)
 * against bgcopy-testserver, on an injected clock: creation and lookup,
 * every property and its checks, the group's job and files, enumeration,
 * the state rules (suspend, resume, complete and auto-suspend, cancel
 * keeping finished files), the error status, and the owed completion:
 * re-delivered when the manager's clock passes the job's minimum retry
 * delay, at once when a new target is registered, never after Cancel. */
#include "core_test.h"

#include <stdio.h>

static _Atomic uint64_t now_ms = 5000000;
static uint64_t read_clock(void *ctx) { (void)ctx; return now_ms; }

static void advance(bgcopy_manager *m, uint64_t ms)
{
    now_ms += ms;
    bgcopy_manager_clock_changed(m);
}

/* A native group sink that records its calls and answers |answer|. */
typedef struct rec_sink {
    _Atomic int status_calls;
    _Atomic int progress_calls;
    _Atomic uint32_t last_status;
    _Atomic uint32_t last_error_file;
    _Atomic bgcopy_hr last_error;
    _Atomic bgcopy_hr answer;
    _Atomic int refs;
} rec_sink;

static void rs_add_ref(void *ctx) { ((rec_sink *)ctx)->refs++; }
static void rs_release(void *ctx) { ((rec_sink *)ctx)->refs--; }
static bgcopy_hr rs_on_status(void *ctx, bgcopy_group *g, const bgcopy_group_status *st)
{
    rec_sink *s = ctx;
    uint32_t now = 0;
    /* the group is usable from the callback */
    CHECK_HR_OK(bgcopy_group_get_notify_flags(g, &now));
    s->last_status = st->group_status;
    s->last_error_file = st->error_file;
    s->last_error = st->error;
    s->status_calls++;
    return s->answer;
}
static void rs_on_progress(void *ctx, bgcopy_group *g, const bgcopy_group_progress_report *r)
{
    (void)g, (void)r;
    ((rec_sink *)ctx)->progress_calls++;
}
static const bgcopy_group_callbacks rs_cb = {
    .add_ref = rs_add_ref, .release = rs_release,
    .on_status = rs_on_status, .on_progress = rs_on_progress,
};

typedef struct { rec_sink *s; int want; } calls_wait;
static int calls_reached(void *arg)
{
    calls_wait *w = arg;
    return w->s->status_calls >= w->want;
}
static void wait_calls(rec_sink *s, int want)
{
    calls_wait w = {s, want};
    CHECK_MSG(ts_wait_until(calls_reached, &w, 30000), "on_status not called");
}
/* Nothing more arrives within |ms| of real time. */
static void expect_calls(rec_sink *s, int n, int ms)
{
    calls_wait w = {s, n + 1};
    CHECK(!ts_wait_until(calls_reached, &w, ms));
    CHECK_EQ_INT(s->status_calls, n);
}

typedef struct { bgcopy_group *g; uint32_t bits; } status_wait;
static int has_status(void *arg)
{
    status_wait *w = arg;
    bgcopy_group_status st;
    return bgcopy_group_get_status(w->g, &st) == BGCOPY_S_OK && (st.group_status & w->bits) == w->bits;
}

static bgcopy_guid mkguid(uint32_t n)
{
    bgcopy_guid g;
    memset(&g, 0, sizeof g);
    memcpy(&g, &n, sizeof n);
    ((unsigned char *)&g)[15] = 0x6b;
    return g;
}

static bgcopy_group *new_group(bgcopy_manager *m, uint32_t n)
{
    bgcopy_group *g = NULL;
    bgcopy_guid id = mkguid(n);
    CHECK_HR_OK(bgcopy_manager_create_group(m, &id, &g));
    CHECK_NOT_NULL(g);
    return g;
}

static void test_properties(bgcopy_manager *m, const char *dir)
{
    bgcopy_group *g = new_group(m, 1);
    bgcopy_guid id = mkguid(1), got;
    bgcopy_group *dup = NULL;
    CHECK_EQ_HR(bgcopy_manager_create_group(m, &id, &dup), BGCOPY_E_INVALIDARG);
    CHECK(dup == NULL);
    CHECK_HR_OK(bgcopy_group_get_id(g, &got));
    CHECK(memcmp(&got, &id, sizeof id) == 0);

    /* The group's job is a native job in the queue, named after the GUID. */
    bgcopy_job *job = NULL;
    CHECK_HR_OK(bgcopy_group_get_job(g, &job));
    char *name = NULL, text[39];
    CHECK_HR_OK(bgcopy_job_get_display_name(job, &name));
    bgcopy_guid_to_string(&id, text);
    CHECK_EQ_STR(name, text);
    bgcopy_free(name);
    bgcopy_job **jobs = NULL;
    size_t njobs = 0;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(m, 0, &jobs, &njobs));
    int seen = 0;
    for (size_t i = 0; i < njobs; i++)
        seen += jobs[i] == job;
    CHECK_EQ_INT(seen, 1);
    bgcopy_job_list_free(jobs, njobs);

    /* Defaults and checks. */
    uint32_t v = 99;
    CHECK_HR_OK(bgcopy_group_get_notify_flags(g, &v));
    CHECK_EQ_INT(v, 0);
    CHECK_HR_OK(bgcopy_group_get_priority(g, &v));
    CHECK_EQ_INT(v, 1);
    CHECK_HR_OK(bgcopy_group_get_protocol_flags(g, &v));
    CHECK_EQ_INT(v, BGCOPY_GROUP_PROTOCOL_HTTP);
    CHECK_EQ_HR(bgcopy_group_set_priority(g, 2), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_group_set_priority(g, 1));
    CHECK_EQ_HR(bgcopy_group_set_protocol_flags(g, 3), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_group_set_notify_flags(g, 0x100), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_group_set_notify_flags(g, BGCOPY_GROUP_NOTIFY_GROUP_DONE |
                                                     BGCOPY_GROUP_NOTIFY_USE_PROGRESSEX));
    CHECK_HR_OK(bgcopy_group_get_notify_flags(g, &v));
    CHECK_EQ_INT(v, BGCOPY_GROUP_NOTIFY_GROUP_DONE | BGCOPY_GROUP_NOTIFY_USE_PROGRESSEX);
    bgcopy_guid clsid;
    CHECK_HR_OK(bgcopy_group_get_notify_clsid(g, &clsid));
    CHECK(memcmp(&clsid, &(bgcopy_guid){0}, sizeof clsid) == 0);
    bgcopy_guid c7 = mkguid(7);
    CHECK_HR_OK(bgcopy_group_set_notify_clsid(g, &c7));
    CHECK_HR_OK(bgcopy_group_get_notify_clsid(g, &clsid));
    CHECK(memcmp(&clsid, &c7, sizeof clsid) == 0);

    CHECK_HR_OK(bgcopy_group_get_display_name(g, &name));
    CHECK_EQ_STR(name, "");
    bgcopy_free(name);
    CHECK_HR_OK(bgcopy_group_set_display_name(g, "nightly"));
    CHECK_HR_OK(bgcopy_group_get_display_name(g, &name));
    CHECK_EQ_STR(name, "nightly");
    bgcopy_free(name);
    CHECK_HR_OK(bgcopy_job_get_display_name(job, &name));   /* mirrored on the job */
    CHECK_EQ_STR(name, "nightly");
    bgcopy_free(name);
    char long_text[1100];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = 0;
    CHECK_EQ_HR(bgcopy_group_set_description(g, long_text), BGCOPY_E_INVALIDARG);
    long_text[257] = 0;
    CHECK_EQ_HR(bgcopy_group_set_display_name(g, long_text), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_group_set_description(g, long_text));
    CHECK_HR_OK(bgcopy_group_get_description(g, &name));
    CHECK_EQ_STR(name, long_text);
    bgcopy_free(name);

    /* The BITS 1.0 job: once, named by the caller. */
    CHECK_EQ_HR(bgcopy_group_get_job_id(g, &got), BGCOPY_S_FALSE);
    bgcopy_guid j1 = mkguid(101);
    CHECK_HR_OK(bgcopy_group_create_job(g, &j1));
    CHECK_EQ_HR(bgcopy_group_create_job(g, &j1), BGCOPY_E_NOTIMPL);
    CHECK_HR_OK(bgcopy_group_get_job_id(g, &got));
    CHECK(memcmp(&got, &j1, sizeof got) == 0);

    /* Files: http(s) only; a new group is suspended and cannot resume empty. */
    bgcopy_group_status st;
    CHECK_HR_OK(bgcopy_group_get_status(g, &st));
    CHECK_EQ_INT(st.group_status, BGCOPY_GROUP_STATUS_INCOMPLETE | BGCOPY_GROUP_STATUS_SUSPENDED);
    CHECK_EQ_INT(st.job_status, BGCOPY_GROUP_JOB_INCOMPLETE);
    CHECK_EQ_HR(bgcopy_group_resume(g), BGCOPY_E_EMPTY);
    char *src = ct_path(dir, "local-src.bin");
    char *dest = ct_path(dir, "never.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, 10), 0);
    CHECK_EQ_HR(bgcopy_group_add_file(g, src, dest), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_group_add_file(g, NULL, dest), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_group_switch_to_foreground(g));
    CHECK_HR_OK(bgcopy_group_get_status(g, &st));
    CHECK(st.group_status & BGCOPY_GROUP_STATUS_FOREGROUND);
    bgcopy_job_priority pr;
    CHECK_HR_OK(bgcopy_job_get_priority(job, &pr));
    CHECK_EQ_INT(pr, BGCOPY_JOB_PRIORITY_FOREGROUND);

    /* Enumeration, oldest first, and lookup. */
    bgcopy_group *g2 = new_group(m, 2);
    bgcopy_group **list = NULL;
    size_t n = 0;
    CHECK_HR_OK(bgcopy_manager_enum_groups(m, &list, &n));
    CHECK_EQ_INT(n, 2);
    CHECK(list[0] == g && list[1] == g2);
    bgcopy_group_list_free(list, n);
    bgcopy_group *found = NULL;
    bgcopy_guid id2 = mkguid(2), id3 = mkguid(3);
    CHECK_HR_OK(bgcopy_manager_get_group(m, &id2, &found));
    CHECK(found == g2);
    bgcopy_group_release(found);
    CHECK_EQ_HR(bgcopy_manager_get_group(m, &id3, &found), BGCOPY_E_NOT_FOUND);

    /* A job cancelled behind its group's back takes the group with it. */
    bgcopy_job *job2 = NULL;
    CHECK_HR_OK(bgcopy_group_get_job(g2, &job2));
    CHECK_HR_OK(bgcopy_job_cancel(job2));
    bgcopy_job_release(job2);
    CHECK_EQ_HR(bgcopy_manager_get_group(m, &id2, &found), BGCOPY_E_NOT_FOUND);
    CHECK_EQ_HR(bgcopy_group_get_status(g2, &st), BGCOPY_E_NOT_FOUND);
    bgcopy_group_release(g2);

    /* Cancel: gone for every handle; the job leaves the queue. */
    CHECK_HR_OK(bgcopy_group_cancel(g));
    CHECK_EQ_HR(bgcopy_group_cancel(g), BGCOPY_E_NOT_FOUND);
    CHECK_EQ_HR(bgcopy_group_get_status(g, &st), BGCOPY_E_NOT_FOUND);
    CHECK_EQ_HR(bgcopy_group_set_display_name(g, "x"), BGCOPY_E_NOT_FOUND);
    CHECK_EQ_HR(bgcopy_manager_get_group(m, &id, &found), BGCOPY_E_NOT_FOUND);
    bgcopy_job_state js;
    CHECK_HR_OK(bgcopy_job_get_state(job, &js));
    CHECK_EQ_INT(js, BGCOPY_JOB_STATE_ACKNOWLEDGED);
    CHECK_HR_OK(bgcopy_manager_enum_groups(m, &list, &n));
    CHECK_EQ_INT(n, 0);
    bgcopy_group_list_free(list, n);
    bgcopy_job_release(job);
    bgcopy_group_release(g);
    free(src);
    free(dest);
}

/* Completion: files in place, auto-suspended, OnStatus owed while it
 * fails and re-delivered when the injected clock passes the retry delay. */
static void test_complete_redelivery(bgcopy_manager *m, const char *dir, ts_server *srv)
{
    rec_sink s = {.answer = BGCOPY_E_FAIL};
    bgcopy_group *g = new_group(m, 10);
    CHECK_HR_OK(bgcopy_group_set_notify_flags(g, BGCOPY_GROUP_NOTIFY_GROUP_DONE));
    CHECK_HR_OK(bgcopy_group_set_notify(g, &rs_cb, &s));
    CHECK_HR_OK(bgcopy_group_set_progress_granularity(g, 1, 0, 0));
    char *url = ts_url(srv, "/gen/%u", 3000u);
    char *dest = ct_path(dir, "done.bin");
    CHECK_HR_OK(bgcopy_group_add_file(g, url, dest));
    CHECK_HR_OK(bgcopy_group_resume(g));
    wait_calls(&s, 1);
    CHECK_EQ_INT(s.last_status, BGCOPY_GROUP_STATUS_COMPLETE | BGCOPY_GROUP_STATUS_SUSPENDED);
    CHECK(s.progress_calls >= 1);                  /* the final report at least */
    CHECK(ts_file_matches_gen(dest, 3000));         /* in place before OnStatus */
    bgcopy_group_progress p;
    CHECK_HR_OK(bgcopy_group_get_progress(g, &p));
    CHECK_EQ_INT(p.percent, 100);
    CHECK_EQ_INT(p.bytes_total, 3000);
    CHECK_EQ_INT(p.bytes_transferred, 3000);
    CHECK_EQ_HR(bgcopy_group_add_file(g, url, dest), BGCOPY_E_INVALID_STATE);
    CHECK_HR_OK(bgcopy_group_resume(g));            /* nothing to do */
    CHECK_HR_OK(bgcopy_group_suspend(g));
    CHECK_EQ_HR(bgcopy_group_set_progress_granularity(g, 1, 0, 0), BGCOPY_E_INVALID_STATE);

    /* Owed: not before the job's minimum retry delay (600 s)... */
    advance(m, 599000);
    expect_calls(&s, 1, 300);
    /* ...then once more; accepted this time, so never again. */
    s.answer = BGCOPY_S_OK;
    advance(m, 1000);
    wait_calls(&s, 2);
    advance(m, 3600000);
    expect_calls(&s, 2, 300);
    CHECK_HR_OK(bgcopy_group_cancel(g));
    CHECK(ts_file_matches_gen(dest, 3000));         /* a complete group keeps its files */
    CHECK_EQ_INT(s.refs, 0);                        /* the sink was released */
    bgcopy_group_release(g);
    free(url);
    free(dest);
}

/* A completion owed to nobody (no sink, no NOTIFYCLSID) is delivered at
 * once when a target comes (a restarted client), without the clock
 * moving; an owed completion dies with CancelGroup. */
static void test_kick_and_cancel(bgcopy_manager *m, const char *dir, ts_server *srv)
{
    rec_sink s = {.answer = BGCOPY_S_OK};
    bgcopy_group *g = new_group(m, 20);
    CHECK_HR_OK(bgcopy_group_set_notify_flags(g, BGCOPY_GROUP_NOTIFY_GROUP_DONE));
    char *url = ts_url(srv, "/gen/%u", 500u);
    char *dest = ct_path(dir, "kick.bin");
    CHECK_HR_OK(bgcopy_group_add_file(g, url, dest));
    CHECK_HR_OK(bgcopy_group_resume(g));
    status_wait w = {g, BGCOPY_GROUP_STATUS_COMPLETE | BGCOPY_GROUP_STATUS_SUSPENDED};
    CHECK(ts_wait_until(has_status, &w, 30000));
    CHECK_HR_OK(bgcopy_group_set_notify(g, &rs_cb, &s));
    wait_calls(&s, 1);
    CHECK_EQ_INT(s.last_status, BGCOPY_GROUP_STATUS_COMPLETE | BGCOPY_GROUP_STATUS_SUSPENDED);
    CHECK_HR_OK(bgcopy_group_cancel(g));
    bgcopy_group_release(g);

    /* Owed and failing, then cancelled: the due time passes in silence. */
    rec_sink s2 = {.answer = BGCOPY_E_FAIL};
    g = new_group(m, 21);
    CHECK_HR_OK(bgcopy_group_set_notify_flags(g, BGCOPY_GROUP_NOTIFY_GROUP_DONE));
    CHECK_HR_OK(bgcopy_group_set_notify(g, &rs_cb, &s2));
    char *dest2 = ct_path(dir, "cancelled.bin");
    CHECK_HR_OK(bgcopy_group_add_file(g, url, dest2));
    CHECK_HR_OK(bgcopy_group_resume(g));
    wait_calls(&s2, 1);
    CHECK_HR_OK(bgcopy_group_cancel(g));
    advance(m, 700000);
    expect_calls(&s2, 1, 300);
    CHECK_EQ_INT(s2.refs, 0);
    bgcopy_group_release(g);
    free(url);
    free(dest);
    free(dest2);
}

/* An HTTP 404 on the second file: on_status with ERROR, the file index
 * and the error, no flag needed; CancelGroup keeps the finished file. */
static void test_error(bgcopy_manager *m, const char *dir, ts_server *srv)
{
    rec_sink s = {.answer = BGCOPY_S_OK};
    bgcopy_group *g = new_group(m, 30);
    CHECK_HR_OK(bgcopy_group_set_notify(g, &rs_cb, &s));
    char *u0 = ts_url(srv, "/gen/%u", 10u), *u1 = ts_url(srv, "/gen/10?status=404");
    char *d0 = ct_path(dir, "e0.bin"), *d1 = ct_path(dir, "e1.bin");
    CHECK_HR_OK(bgcopy_group_add_file(g, u0, d0));
    CHECK_HR_OK(bgcopy_group_add_file(g, u1, d1));
    CHECK_HR_OK(bgcopy_group_resume(g));
    wait_calls(&s, 1);
    CHECK_EQ_INT(s.last_status, BGCOPY_GROUP_STATUS_INCOMPLETE | BGCOPY_GROUP_STATUS_SUSPENDED |
                                    BGCOPY_GROUP_STATUS_ERROR);
    CHECK_EQ_INT(s.last_error_file, 1);
    CHECK_EQ_HR(s.last_error, BGCOPY_E_HTTP_ERROR(404));
    bgcopy_group_status st;
    CHECK_HR_OK(bgcopy_group_get_status(g, &st));
    CHECK_EQ_INT(st.job_status, BGCOPY_GROUP_JOB_INCOMPLETE | BGCOPY_GROUP_JOB_ERROR);
    CHECK(st.error_count >= 1);
    CHECK_HR_OK(bgcopy_group_cancel(g));
    CHECK(ts_file_matches_gen(d0, 10));
    CHECK(!ct_exists(d1));
    bgcopy_group_release(g);
    free(u0);
    free(u1);
    free(d0);
    free(d1);
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    bgcopy_manager_options o = {.clock_ms = read_clock};
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
    test_properties(m, dir);
    test_complete_redelivery(m, dir, &srv);
    test_kick_and_cancel(m, dir, &srv);
    test_error(m, dir, &srv);

    /* Close with a group and a sink alive: both released, the handle
     * answers BG_E_NOT_FOUND. */
    rec_sink s = {.answer = BGCOPY_S_OK};
    bgcopy_group *left = new_group(m, 40);
    CHECK_HR_OK(bgcopy_group_set_notify(left, &rs_cb, &s));
    CHECK_EQ_INT(s.refs, 1);
    bgcopy_manager_close(m);
    CHECK_EQ_INT(s.refs, 0);
    bgcopy_group_status st;
    CHECK_EQ_HR(bgcopy_group_get_status(left, &st), BGCOPY_E_NOT_FOUND);
    bgcopy_group_release(left);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_groups: ok\n");
    return 0;
}
