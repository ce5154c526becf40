/* Threading of notifications with the dispatcher threads:
 *  - a JobModification that blocks (up to 5 s) on job A slows neither job
 *    B's FOREGROUND transfer nor B's JobTransferred, which both happen while
 *    A's callback is still blocked;
 *  - clearing the sink (SetNotifyInterface(NULL)) while its callback runs
 *    returns at once; the sink is released only after the callback
 *    returned, and its late answer is ignored;
 *  - per-job order holds with several jobs delivered concurrently;
 *  - JobModification stays within one per 500 ms over a 100 MB transfer. */
#include "notify_common.h"

typedef struct blocker {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int inside, left, release;
    atomic_int refs;
    int released_while_inside;   /* the last reference went while the callback ran */
} blocker;

static void blocker_init(blocker *b)
{
    memset(b, 0, sizeof *b);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
}

/* Block up to 5 s, or until the test lets go. */
static bgcopy_hr blocker_call(blocker *b)
{
    pthread_mutex_lock(&b->mu);
    b->inside = 1;
    pthread_cond_broadcast(&b->cv);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    int rc = 0;
    while (!b->release && rc == 0)
        rc = pthread_cond_timedwait(&b->cv, &b->mu, &ts);
    b->inside = 0;
    b->left = 1;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    return BGCOPY_S_OK;
}

static bgcopy_hr blocker_modification(void *ctx, bgcopy_job *job) { (void)job; return blocker_call(ctx); }
static bgcopy_hr blocker_transferred(void *ctx, bgcopy_job *job) { (void)job; return blocker_call(ctx); }
static void blocker_add_ref(void *ctx) { atomic_fetch_add(&((blocker *)ctx)->refs, 1); }
static void blocker_release(void *ctx)
{
    blocker *b = ctx;
    pthread_mutex_lock(&b->mu);
    if (atomic_fetch_sub(&b->refs, 1) == 1 && b->inside)
        b->released_while_inside = 1;
    pthread_mutex_unlock(&b->mu);
}

static const bgcopy_notify_callbacks BLOCKER = {
    .job_transferred = blocker_transferred, .job_modification = blocker_modification,
    .add_ref = blocker_add_ref, .release = blocker_release};

static int blocker_is_inside(void *arg)
{
    blocker *b = arg;
    pthread_mutex_lock(&b->mu);
    int v = b->inside;
    pthread_mutex_unlock(&b->mu);
    return v;
}

static int blocker_unreferenced(void *arg) { return atomic_load(&((blocker *)arg)->refs) == 0; }

static void blocker_let_go(blocker *b)
{
    pthread_mutex_lock(&b->mu);
    b->release = 1;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

static void test_blocked_sink(bgcopy_manager *m, ts_server *srv, const char *dir)
{
    blocker a;
    blocker_init(&a);
    bgcopy_job *ja = ct_new_job(m, "blocked sink");
    CHECK_HR_OK(bgcopy_job_set_notify_flags(ja, BGCOPY_NOTIFY_JOB_MODIFICATION));
    CHECK_HR_OK(bgcopy_job_set_notify(ja, &BLOCKER, &a));
    CHECK_HR_OK(bgcopy_job_set_description(ja, "wake the sink"));
    CHECK(ts_wait_until(blocker_is_inside, &a, 5000));

    rec_sink s;
    rec_init(&s);
    char *url = ts_url(srv, "/gen/%u", 20u << 20);
    char *dest = ct_path(dir, "b.bin");
    bgcopy_job *jb = ct_new_job(m, "unaffected");
    CHECK_HR_OK(bgcopy_job_add_file(jb, url, dest));
    CHECK_HR_OK(bgcopy_job_set_priority(jb, BGCOPY_JOB_PRIORITY_FOREGROUND));
    CHECK_HR_OK(bgcopy_job_set_notify(jb, &REC_CALLBACKS, &s));
    uint64_t t0 = ts_now_ms();
    CHECK_HR_OK(bgcopy_job_resume(jb));
    /* B's transfer and B's JobTransferred, both while A is still blocked
     * (A's callback lasts 5 s; 20 MiB on loopback takes well under 1 s). */
    CHECK(rec_wait(&s, &s.transferred, 1, 4500));
    uint64_t took = ts_now_ms() - t0;
    CHECK(blocker_is_inside(&a));
    CHECK_LT_U64(took, 4500);
    blocker_let_go(&a);

    CHECK_HR_OK(bgcopy_job_set_notify(ja, NULL, NULL));
    CHECK(ts_wait_until(blocker_unreferenced, &a, 5000));
    CHECK_HR_OK(bgcopy_job_cancel(ja));
    CHECK_HR_OK(bgcopy_job_cancel(jb));
    bgcopy_job_release(ja);
    bgcopy_job_release(jb);
    rec_destroy(&s);
    free(url);
    free(dest);
}

static void test_release_in_flight(bgcopy_manager *m, ts_server *srv, const char *dir)
{
    blocker b;
    blocker_init(&b);
    char *url = ts_url(srv, "/gen/%u", 1000u);
    char *dest = ct_path(dir, "release.bin");
    bgcopy_job *job = ct_new_job(m, "release in flight");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_notify(job, &BLOCKER, &b));
    CHECK_HR_OK(bgcopy_job_resume(job));
    CHECK(ts_wait_until(blocker_is_inside, &b, 10000));
    uint64_t t0 = ts_now_ms();
    CHECK_HR_OK(bgcopy_job_set_notify(job, NULL, NULL));   /* does not wait for the callback */
    CHECK_LT_U64(ts_now_ms() - t0, 2000);
    CHECK(blocker_is_inside(&b));
    CHECK_GE_U64((uint64_t)atomic_load(&b.refs), 1);       /* the delivery still holds it */
    blocker_let_go(&b);
    CHECK(ts_wait_until(blocker_unreferenced, &b, 5000));
    pthread_mutex_lock(&b.mu);
    int early = b.released_while_inside;
    pthread_mutex_unlock(&b.mu);
    CHECK(!early);
    void *ctx = (void *)1;
    CHECK_HR_OK(bgcopy_job_get_notify(job, NULL, &ctx));
    CHECK(ctx == NULL);
    CHECK_HR_OK(bgcopy_job_complete(job));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_order_across_jobs(bgcopy_manager *m, ts_server *srv, const char *dir)
{
    enum { JOBS = 6, FILES = 3 };
    rec_sink s[JOBS];
    bgcopy_job *jobs[JOBS];
    for (int j = 0; j < JOBS; j++) {
        rec_init(&s[j]);
        jobs[j] = ct_new_job(m, "order");
        for (int f = 0; f < FILES; f++) {
            char name[32];
            snprintf(name, sizeof name, "o%d_%d.bin", j, f);
            char *url = ts_url(srv, "/gen/%u", 2000u + (unsigned)f);
            char *dest = ct_path(dir, name);
            CHECK_HR_OK(bgcopy_job_add_file(jobs[j], url, dest));
            free(url);
            free(dest);
        }
        CHECK_HR_OK(bgcopy_job_set_notify_flags(jobs[j], BGCOPY_NOTIFY_JOB_TRANSFERRED |
                                                             BGCOPY_NOTIFY_FILE_TRANSFERRED));
        CHECK_HR_OK(bgcopy_job_set_notify(jobs[j], &REC_CALLBACKS, &s[j]));
    }
    for (int j = 0; j < JOBS; j++)
        CHECK_HR_OK(bgcopy_job_resume(jobs[j]));
    for (int j = 0; j < JOBS; j++) {
        CHECK(rec_wait(&s[j], &s[j].transferred, 1, 20000));
        char log[4096];
        rec_get_log(&s[j], log, sizeof log);
        CHECK_EQ_STR(log, "F0 F1 F2 T");
        CHECK_HR_OK(bgcopy_job_set_notify(jobs[j], NULL, NULL));
        CHECK_HR_OK(bgcopy_job_cancel(jobs[j]));
        bgcopy_job_release(jobs[j]);
        rec_destroy(&s[j]);
    }
}

static void test_modification_rate_100mb(bgcopy_manager *m, ts_server *srv, const char *dir)
{
    rec_sink s;
    rec_init(&s);
    /* 100 MB at ~50 MB/s: about 2 s of progress. */
    char *url = ts_url(srv, "/gen/%u?rate=%u", 100000000u, 50000000u);
    char *dest = ct_path(dir, "big.bin");
    bgcopy_job *job = ct_new_job(m, "100 MB");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND));
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_JOB_TRANSFERRED | BGCOPY_NOTIFY_JOB_MODIFICATION));
    CHECK_HR_OK(bgcopy_job_set_notify(job, &REC_CALLBACKS, &s));
    uint64_t t0 = ts_now_ms();
    CHECK_HR_OK(bgcopy_job_resume(job));
    CHECK(rec_wait(&s, &s.transferred, 1, 60000));
    uint64_t elapsed = ts_now_ms() - t0;
    pthread_mutex_lock(&s.mu);
    int mods = s.modifications;
    pthread_mutex_unlock(&s.mu);
    CHECK_GE_U64((uint64_t)mods, 2);
    CHECK_LE_U64((uint64_t)mods, elapsed / 500 + 2);
    CHECK_HR_OK(bgcopy_job_set_notify(job, NULL, NULL));
    CHECK_HR_OK(bgcopy_job_cancel(job));
    bgcopy_job_release(job);
    rec_destroy(&s);
    free(url);
    free(dest);
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK_NOT_NULL(dir);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    test_blocked_sink(m, &srv, dir);
    test_release_in_flight(m, &srv, dir);
    test_order_across_jobs(m, &srv, dir);
    test_modification_rate_100mb(m, &srv, dir);
    bgcopy_manager_close(m);
    ts_rmtree(dir);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("notify_threads: ok\n");
    return 0;
}
