/* Notifications through the native sink: JobTransferred on the dispatcher
 * thread with Complete called from inside it, the seed's JobError recipe
 * (FOREGROUND + Resume from inside JobError), redelivery of a failed
 * callback after the minimum retry delay (injected clock), registration
 * after the event, last registration wins, JobModification's rate. */
#include "core_test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

typedef struct sink {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int transferred, errors, modifications;
    int fail_transferred;            /* return E_FAIL this many times first */
    int complete_inside;
    int foreground_on_range_error;
    bgcopy_hr last_error;
    uint64_t error_bytes_total;
    bgcopy_hr complete_hr;
    pthread_t main_thread;
    int ran_on_main;
    atomic_int refs;
} sink;

static void sink_init(sink *s)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->main_thread = pthread_self();
    s->complete_hr = 1234;
}

static int sink_unreferenced(void *arg) { return atomic_load(&((sink *)arg)->refs) == 0; }

static void sink_destroy(sink *s)
{
    /* Every add_ref is released; the dispatcher drops its delivery
     * reference just after the callback returns, hence the wait. */
    CHECK(ts_wait_until(sink_unreferenced, s, 5000));
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
}

static void on_add_ref(void *ctx) { atomic_fetch_add(&((sink *)ctx)->refs, 1); }
static void on_release(void *ctx) { atomic_fetch_sub(&((sink *)ctx)->refs, 1); }

static bgcopy_hr on_transferred(void *ctx, bgcopy_job *job)
{
    sink *s = ctx;
    int fail;
    pthread_mutex_lock(&s->mu);
    s->ran_on_main |= pthread_equal(pthread_self(), s->main_thread);
    fail = s->fail_transferred > 0;
    if (fail)
        s->fail_transferred--;
    pthread_mutex_unlock(&s->mu);
    bgcopy_hr chr = 1234;
    if (!fail && s->complete_inside)
        chr = bgcopy_job_complete(job);          /* re-entering the engine is allowed */
    pthread_mutex_lock(&s->mu);
    s->transferred++;
    if (chr != 1234)
        s->complete_hr = chr;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return fail ? BGCOPY_E_FAIL : BGCOPY_S_OK;
}

static bgcopy_hr on_error(void *ctx, bgcopy_job *job, const bgcopy_job_error *e)
{
    sink *s = ctx;
    bgcopy_file_progress fp = {0, 0, 0};
    bgcopy_job_get_file_progress(job, (uint32_t)e->file_index, &fp);
    if (s->foreground_on_range_error && e->code == BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT &&
        fp.bytes_total != BGCOPY_SIZE_UNKNOWN && fp.bytes_total <= 2147483648ull) {
        CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND));
        CHECK_HR_OK(bgcopy_job_resume(job));
    }
    pthread_mutex_lock(&s->mu);
    s->ran_on_main |= pthread_equal(pthread_self(), s->main_thread);
    s->errors++;
    s->last_error = e->code;
    s->error_bytes_total = fp.bytes_total;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return BGCOPY_S_OK;
}

static bgcopy_hr on_modification(void *ctx, bgcopy_job *job)
{
    (void)job;
    sink *s = ctx;
    pthread_mutex_lock(&s->mu);
    s->modifications++;
    pthread_mutex_unlock(&s->mu);
    return BGCOPY_S_OK;
}

static const bgcopy_notify_callbacks CALLBACKS = {
    .job_transferred = on_transferred, .job_error = on_error,
    .job_modification = on_modification, .add_ref = on_add_ref, .release = on_release};

/* Wait until *counter >= want (up to timeout_ms). */
static int sink_wait(sink *s, int *counter, int want, int timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&s->mu);
    int rc = 0;
    while (*counter < want && rc == 0)
        rc = pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    int ok = *counter >= want;
    pthread_mutex_unlock(&s->mu);
    return ok;
}

static int sink_count(sink *s, int *counter)
{
    pthread_mutex_lock(&s->mu);
    int v = *counter;
    pthread_mutex_unlock(&s->mu);
    return v;
}

static void test_complete_inside(bgcopy_manager *m, ts_server *srv, const char *dir)
{
    sink s;
    sink_init(&s);
    s.complete_inside = 1;
    char *url = ts_url(srv, "/gen/%u", 300000u);
    char *dest = ct_path(dir, "cb.bin");
    bgcopy_job *job = ct_new_job(m, "complete inside JobTransferred");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_notify(job, &CALLBACKS, &s));
    void *got = NULL;
    bgcopy_notify_callbacks cb;
    CHECK_HR_OK(bgcopy_job_get_notify(job, &cb, &got));
    CHECK(got == &s);
    CHECK(cb.job_transferred == on_transferred && cb.release == on_release);
    cb.release(got);
    CHECK_HR_OK(bgcopy_job_resume(job));
    CHECK(sink_wait(&s, &s.transferred, 1, 20000));
    CHECK_EQ_HR(s.complete_hr, BGCOPY_S_OK);
    CHECK(!s.ran_on_main);
    CHECK(ts_file_matches_gen(dest, 300000u));
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(job, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_ACKNOWLEDGED);
    CHECK_EQ_INT(sink_count(&s, &s.errors), 0);
    bgcopy_job_release(job);          /* final state: the sink was released with the queue */
    ts_sleep_ms(50);
    CHECK_EQ_INT(sink_count(&s, &s.transferred), 1);
    free(url);
    free(dest);
    /* The job left the queue; release its sink by clearing (a no-op error now). */
    sink_destroy(&s);
}

static void test_seed_job_error(bgcopy_manager *m, ts_server *srv, const char *dir)
{
    sink s;
    sink_init(&s);
    s.complete_inside = 1;
    s.foreground_on_range_error = 1;
    char *url = ts_url(srv, "/gen/%u?norange=1", 250000u);
    char *dest = ct_path(dir, "seed.bin");
    bgcopy_job *job = ct_new_job(m, "seed JobError recipe");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_notify(job, &CALLBACKS, &s));
    CHECK_HR_OK(bgcopy_job_resume(job));
    CHECK(sink_wait(&s, &s.transferred, 1, 20000));
    CHECK_EQ_INT(sink_count(&s, &s.errors), 1);
    CHECK_EQ_HR(s.last_error, BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT);
    CHECK_EQ_U64(s.error_bytes_total, 250000u);
    CHECK_EQ_HR(s.complete_hr, BGCOPY_S_OK);
    CHECK(ts_file_matches_gen(dest, 250000u));
    bgcopy_job_priority p;
    CHECK_HR_OK(bgcopy_job_get_priority(job, &p));
    CHECK_EQ_INT(p, BGCOPY_JOB_PRIORITY_FOREGROUND);
    bgcopy_job_release(job);
    free(url);
    free(dest);
    sink_destroy(&s);
}

static void test_modification_rate(bgcopy_manager *m, ts_server *srv, const char *dir)
{
    sink s;
    sink_init(&s);
    /* ~2.5 s of transfer at 2 MiB/s. */
    char *url = ts_url(srv, "/gen/%u?rate=%u", 5u << 20, 2u << 20);
    char *dest = ct_path(dir, "mods.bin");
    bgcopy_job *job = ct_new_job(m, "modifications");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_JOB_TRANSFERRED | BGCOPY_NOTIFY_JOB_MODIFICATION));
    CHECK_HR_OK(bgcopy_job_set_notify(job, &CALLBACKS, &s));
    uint64_t t0 = ts_now_ms();
    CHECK_HR_OK(bgcopy_job_resume(job));
    CHECK(sink_wait(&s, &s.transferred, 1, 30000));
    uint64_t elapsed = ts_now_ms() - t0;
    int mods = sink_count(&s, &s.modifications);
    CHECK_GE_U64((uint64_t)mods, 2);                       /* progress was reported */
    CHECK_LE_U64((uint64_t)mods, elapsed / 500 + 2);         /* at most one per 500 ms */
    CHECK_HR_OK(bgcopy_job_set_notify(job, NULL, NULL));
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    free(url);
    free(dest);
    sink_destroy(&s);
}

static uint64_t test_clock_ms(void *ctx) { return atomic_load((_Atomic uint64_t *)ctx); }

static void test_redelivery_and_levels(ts_server *srv, const char *dir)
{
    _Atomic uint64_t now = 1000;
    bgcopy_manager_options o = {.clock_ms = test_clock_ms, .clock_ctx = (void *)&now};
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));

    /* Last registration wins: a is replaced before anything happens and
     * never hears from the job; b's failing JobTransferred comes again after
     * the minimum retry delay, and only then. */
    char *url = ts_url(srv, "/gen/%u", 1000u);
    char *dest = ct_path(dir, "late.bin");
    bgcopy_job *job = ct_new_job(m, "redelivery");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_minimum_retry_delay(job, 60));
    sink a, b;
    sink_init(&a);
    sink_init(&b);
    b.fail_transferred = 1;
    CHECK_HR_OK(bgcopy_job_set_notify(job, &CALLBACKS, &a));
    CHECK_HR_OK(bgcopy_job_set_notify(job, &CALLBACKS, &b));
    CHECK_HR_OK(bgcopy_job_resume(job));
    CHECK(sink_wait(&b, &b.transferred, 1, 10000));
    ts_sleep_ms(100);
    CHECK_EQ_INT(sink_count(&b, &b.transferred), 1);        /* not again before the delay */
    atomic_store(&now, 1000 + 59000);
    bgcopy_manager_clock_changed(m);
    ts_sleep_ms(100);
    CHECK_EQ_INT(sink_count(&b, &b.transferred), 1);
    atomic_store(&now, 1000 + 61000);
    bgcopy_manager_clock_changed(m);
    CHECK(sink_wait(&b, &b.transferred, 2, 10000));          /* redelivered */
    atomic_store(&now, 1000 + 300000);
    bgcopy_manager_clock_changed(m);
    ts_sleep_ms(100);
    CHECK_EQ_INT(sink_count(&b, &b.transferred), 2);        /* S_OK ends it */
    CHECK_EQ_INT(sink_count(&a, &a.transferred), 0);

    /* Level-triggered: a sink registered after the event still gets it. */
    sink late;
    sink_init(&late);
    CHECK_HR_OK(bgcopy_job_set_notify(job, &CALLBACKS, &late));
    CHECK(sink_wait(&late, &late.transferred, 1, 10000));

    /* BG_NOTIFY_DISABLE silences a new registration. */
    sink c;
    sink_init(&c);
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_DISABLE | BGCOPY_NOTIFY_JOB_TRANSFERRED));
    CHECK_HR_OK(bgcopy_job_set_notify(job, &CALLBACKS, &c));
    ts_sleep_ms(150);
    CHECK_EQ_INT(sink_count(&c, &c.transferred), 0);
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_JOB_TRANSFERRED));
    CHECK(sink_wait(&c, &c.transferred, 1, 10000));

    CHECK_HR_OK(bgcopy_job_complete(job));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    sink_destroy(&a);
    sink_destroy(&b);
    sink_destroy(&late);
    sink_destroy(&c);
    free(url);
    free(dest);
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    test_complete_inside(m, &srv, dir);
    test_seed_job_error(m, &srv, dir);
    test_modification_rate(m, &srv, dir);
    bgcopy_manager_close(m);
    test_redelivery_and_levels(&srv, dir);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_callbacks: ok\n");
    return 0;
}
