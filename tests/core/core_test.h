/* core_test.h - small helpers shared by the core tests (header-only). */
#ifndef BGCOPY_CORE_TEST_H
#define BGCOPY_CORE_TEST_H

#include "bgcopy.h"
#include "check.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct { bgcopy_job *job; bgcopy_job_state want; } ct_state_wait;

static inline int ct_state_is(void *arg)
{
    ct_state_wait *w = arg;
    bgcopy_job_state s;
    return bgcopy_job_get_state(w->job, &s) == BGCOPY_S_OK && s == w->want;
}

/* Wait up to timeout_ms for |job| to reach |want|; fail the test with the
 * state it is in otherwise. */
static inline void ct_wait_state(bgcopy_job *job, bgcopy_job_state want, int timeout_ms)
{
    ct_state_wait w = {job, want};
    if (!ts_wait_until(ct_state_is, &w, timeout_ms)) {
        bgcopy_job_state s = BGCOPY_JOB_STATE_QUEUED;
        bgcopy_job_get_state(job, &s);
        bgcopy_job_error e;
        if (bgcopy_job_get_error(job, &e) == BGCOPY_S_OK)
            fprintf(stderr, "job error 0x%08x context %d\n", (unsigned)e.code, (int)e.context);
        CHECK_FAIL("job never reached %s; it is %s", bgcopy_job_state_name(want),
                   bgcopy_job_state_name(s));
    }
}

static inline int ct_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static inline char *ct_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    CHECK_NOT_NULL(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static inline bgcopy_job *ct_new_job(bgcopy_manager *m, const char *name)
{
    bgcopy_job *job = NULL;
    CHECK_HR_OK(bgcopy_manager_create_job(m, name, BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job));
    CHECK_NOT_NULL(job);
    return job;
}

/* Injectable clock for timer tests: milliseconds the test moves by hand. */
typedef struct { _Atomic uint64_t ms; } ct_clock;
static inline uint64_t ct_clock_read(void *ctx) { return ((ct_clock *)ctx)->ms; }

#endif
