/* Job lifetime under concurrency: 8 application threads create, resume,
 * cancel, complete and release 240 jobs against the test server while the
 * notification callbacks call back into the API (GetDisplayName, GetError,
 * GetFile, GetProgress, Complete from JobTransferred, Cancel from JobError).
 * Many jobs lose their last application reference while the loop or a
 * dispatcher thread still works on them, so the job is freed on whichever
 * thread lets go last.  What a user checks: every call answers with one of
 * its documented HRESULTs, every job leaves the queue, every completed job's
 * file holds the resource's bytes, every sink is released.  Under
 * ThreadSanitizer (the tsan stage) it also checks that nothing a bgcopy
 * thread did to a job races with the job being freed (docs/architecture.md,
 * "Job lifetime"). */
#include "core_test.h"

#include <stdatomic.h>
#include <stdio.h>

enum { THREADS = 8, JOBS_PER_THREAD = 30, JOBS = THREADS * JOBS_PER_THREAD };

/* What the application does with a job (index % MODES). */
enum {
    MODE_CANCEL_AT_ONCE,      /* Resume, Cancel at once, Release */
    MODE_COMPLETE_BY_APP,     /* wait for TRANSFERRED, Complete, Release */
    MODE_COMPLETE_IN_CALLBACK,/* Release at once; JobTransferred calls Complete */
    MODE_ERROR_CANCELS,       /* a 404: Release at once; JobError calls Cancel */
    MODE_RENAME_AND_CANCEL,   /* SetDisplayName while it runs, then Cancel */
    MODES
};

typedef struct job_ctx {
    atomic_int refs;          /* the sink's add_ref/release balance */
    atomic_int completed;     /* Complete returned S_OK (from the app or a callback) */
    int mode;
    char *dest;
    uint32_t size;
} job_ctx;

typedef struct {
    bgcopy_manager *m;
    ts_server *srv;
    const char *dir;
    job_ctx *ctx;             /* JOBS of them */
    int first;
} worker_arg;

static void sink_add_ref(void *p) { atomic_fetch_add(&((job_ctx *)p)->refs, 1); }
static void sink_release(void *p) { atomic_fetch_sub(&((job_ctx *)p)->refs, 1); }

/* Calls every getter a callback typically makes; each answers S_OK, or
 * BG_E_INVALID_STATE/S_FALSE where the job may have moved on meanwhile. */
static void read_job(bgcopy_job *job)
{
    char *name = NULL;
    CHECK_HR_OK(bgcopy_job_get_display_name(job, &name));
    CHECK_NOT_NULL(name);
    CHECK_EQ_INT(strncmp(name, "race", 4), 0);
    bgcopy_free(name);
    bgcopy_job_error e;
    bgcopy_hr hr = bgcopy_job_get_error(job, &e);
    CHECK_MSG(hr == BGCOPY_S_OK || hr == BGCOPY_E_ERROR_INFORMATION_UNAVAILABLE,
              "GetError: 0x%08x", (unsigned)hr);
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    CHECK_NOT_NULL(fi.remote_name);
    CHECK_NOT_NULL(fi.temporary_name);
    bgcopy_file_info_clear(&fi);
    bgcopy_job_progress p;
    CHECK_HR_OK(bgcopy_job_get_progress(job, &p));
}

static bgcopy_hr on_transferred(void *p, bgcopy_job *job)
{
    job_ctx *c = p;
    read_job(job);
    if (c->mode == MODE_COMPLETE_IN_CALLBACK) {
        bgcopy_hr hr = bgcopy_job_complete(job);
        CHECK_HR_OK(hr);
        atomic_store(&c->completed, 1);
    }
    return BGCOPY_S_OK;
}

static bgcopy_hr on_error(void *p, bgcopy_job *job, const bgcopy_job_error *e)
{
    job_ctx *c = p;
    read_job(job);
    if (c->mode == MODE_ERROR_CANCELS) {
        CHECK_EQ_HR(e->code, BGCOPY_E_HTTP_ERROR(404));
        CHECK_HR_OK(bgcopy_job_cancel(job));
    }
    return BGCOPY_S_OK;
}

static bgcopy_hr on_modification(void *p, bgcopy_job *job)
{
    (void)p;
    read_job(job);
    return BGCOPY_S_OK;
}

static const bgcopy_notify_callbacks SINK = {
    .job_transferred = on_transferred, .job_error = on_error,
    .job_modification = on_modification, .add_ref = sink_add_ref, .release = sink_release};

static int is_final_or_transferred(void *arg)
{
    bgcopy_job_state s;
    bgcopy_hr hr = bgcopy_job_get_state(arg, &s);
    return hr != BGCOPY_S_OK || s == BGCOPY_JOB_STATE_TRANSFERRED ||
           s == BGCOPY_JOB_STATE_ACKNOWLEDGED || s == BGCOPY_JOB_STATE_CANCELLED;
}

static void run_job(worker_arg *w, int n)
{
    job_ctx *c = &w->ctx[n];
    c->mode = n % MODES;
    c->size = 1000u + (unsigned)n * 37u;
    char name[64], file[64];
    snprintf(name, sizeof name, "race %d", n);
    snprintf(file, sizeof file, "r%d.bin", n);
    c->dest = ct_path(w->dir, file);
    /* Cancelled jobs are slow (cancelled mid-transfer); completed ones come
     * through a redirect whose target becomes the remote name (the loop
     * rewrites a field the callbacks read). */
    char *url;
    if (c->mode == MODE_ERROR_CANCELS)
        url = ts_url(w->srv, "/gen/%u?status=404", c->size);
    else if (c->mode == MODE_CANCEL_AT_ONCE || c->mode == MODE_RENAME_AND_CANCEL)
        url = ts_url(w->srv, "/gen/%u?rate=1000000", c->size * 100u);
    else
        url = ts_url(w->srv, "/gen/%u?redirect=302&to=/gen/%u", c->size, c->size);
    bgcopy_job *job = ct_new_job(w->m, name);
    CHECK_HR_OK(bgcopy_job_add_file(job, url, c->dest));
    free(url);
    CHECK_HR_OK(bgcopy_job_set_notify_flags(job, BGCOPY_NOTIFY_JOB_TRANSFERRED |
                                                     BGCOPY_NOTIFY_JOB_ERROR |
                                                     BGCOPY_NOTIFY_JOB_MODIFICATION));
    CHECK_HR_OK(bgcopy_job_set_notify(job, &SINK, c));
    CHECK_HR_OK(bgcopy_job_set_security_flags(job, 0x0100u)); /* BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT */
    if (n % 2 || c->mode == MODE_CANCEL_AT_ONCE || c->mode == MODE_RENAME_AND_CANCEL)
        CHECK_HR_OK(bgcopy_job_set_priority(job, BGCOPY_JOB_PRIORITY_FOREGROUND));
    CHECK_HR_OK(bgcopy_job_resume(job));
    bgcopy_hr hr;
    switch (c->mode) {
    case MODE_CANCEL_AT_ONCE:
        CHECK_HR_OK(bgcopy_job_cancel(job));
        break;
    case MODE_COMPLETE_BY_APP:
        CHECK(ts_wait_until(is_final_or_transferred, job, 20000));
        CHECK_HR_OK(bgcopy_job_complete(job));
        atomic_store(&c->completed, 1);
        break;
    case MODE_RENAME_AND_CANCEL:
        for (int k = 0; k < 5; k++) {
            snprintf(name, sizeof name, "race %d renamed %d", n, k);
            hr = bgcopy_job_set_display_name(job, name);
            CHECK_MSG(hr == BGCOPY_S_OK, "SetDisplayName: 0x%08x", (unsigned)hr);
        }
        CHECK_HR_OK(bgcopy_job_cancel(job));
        break;
    default:                 /* the callbacks finish the job */
        break;
    }
    bgcopy_job_release(job);
}

static void worker(void *arg)
{
    worker_arg *w = arg;
    for (int i = 0; i < JOBS_PER_THREAD; i++)
        run_job(w, w->first + i);
}

static int queue_empty(void *arg)
{
    bgcopy_job **list = NULL;
    size_t n = 0;
    CHECK_HR_OK(bgcopy_manager_enum_jobs(arg, 0, &list, &n));
    bgcopy_job_list_free(list, n);
    return n == 0;
}

static int sinks_released(void *arg)
{
    job_ctx *ctx = arg;
    for (int i = 0; i < JOBS; i++)
        if (atomic_load(&ctx[i].refs) != 0)
            return 0;
    return 1;
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK_NOT_NULL(dir);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    job_ctx *ctx = calloc(JOBS, sizeof *ctx);
    CHECK_NOT_NULL(ctx);

    uint64_t t0 = ts_now_ms();
    worker_arg args[THREADS];
    uv_thread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        args[t] = (worker_arg){m, &srv, dir, ctx, t * JOBS_PER_THREAD};
        CHECK_EQ_INT(uv_thread_create(&threads[t], worker, &args[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        CHECK_EQ_INT(uv_thread_join(&threads[t]), 0);

    /* The jobs the callbacks finish leave the queue on their own. */
    CHECK_MSG(ts_wait_until(queue_empty, m, 30000), "jobs left in the queue");
    CHECK_MSG(ts_wait_until(sinks_released, ctx, 10000), "a sink was not released");
    int completed = 0;
    for (int i = 0; i < JOBS; i++) {
        job_ctx *c = &ctx[i];
        int want = c->mode == MODE_COMPLETE_BY_APP || c->mode == MODE_COMPLETE_IN_CALLBACK;
        CHECK_EQ_INT(atomic_load(&c->completed), want);
        if (want) {
            CHECK_MSG(ts_file_matches_gen(c->dest, c->size), "%s", c->dest);
            completed++;
        } else {
            CHECK_MSG(!ct_exists(c->dest), "%s exists", c->dest);
        }
        free(c->dest);
    }
    /* Only the completed files are left: no temporary file survives. */
    CHECK_EQ_INT(ts_dir_count(dir), completed);
    bgcopy_manager_close(m);
    free(ctx);
    ts_rmtree(dir);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("race_stress: ok (%d jobs, %d completed, %llu ms)\n", JOBS, completed,
           (unsigned long long)(ts_now_ms() - t0));
    return 0;
}
