/*
 * store_rows.c - the store's rows (core/src/store.h) through a real SQLite
 * file: every column of a job, its error record, files, ranges, filled
 * on-demand ranges, groups and pending deletes written, the store closed,
 * reopened and read back equal; a progress checkpoint changes only the
 * progress; a rolled-back transaction leaves nothing; deleting a job takes
 * its files and ranges with it.
 */
#include "core_test.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct seen {
    int jobs, files, ranges, filled, groups, pds;
    bgc_store_job job;
    char *display_name, *description, *owner, *program, *params, *headers;
    bgc_store_file file[2];
    char *remote[2], *local[2], *temp[2], *etag[2], *lm[2];
    bgcopy_file_range range[4];
    bgcopy_file_range fill[4];
    bgc_store_group group;
    char *gname, *gdesc;
    char *pd_path;
    uint64_t pd_dev, pd_ino;
} seen;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static bgcopy_hr on_job(void *ctx, const bgc_store_job *j)
{
    seen *s = ctx;
    s->jobs++;
    s->job = *j;
    s->display_name = dup_or_null(j->display_name);
    s->description = dup_or_null(j->description);
    s->owner = dup_or_null(j->owner);
    s->program = dup_or_null(j->notify_program);
    s->params = dup_or_null(j->notify_parameters);
    s->headers = dup_or_null(j->custom_headers);
    return BGCOPY_S_OK;
}

static bgcopy_hr on_file(void *ctx, const bgcopy_guid *job, const bgc_store_file *f)
{
    seen *s = ctx;
    CHECK(memcmp(job, &s->job.id, sizeof *job) == 0);
    CHECK(f->index < 2);
    s->file[f->index] = *f;
    s->remote[f->index] = dup_or_null(f->remote_name);
    s->local[f->index] = dup_or_null(f->local_name);
    s->temp[f->index] = dup_or_null(f->temporary_name);
    s->etag[f->index] = dup_or_null(f->etag);
    s->lm[f->index] = dup_or_null(f->last_modified);
    s->files++;
    return BGCOPY_S_OK;
}

static bgcopy_hr on_range(void *ctx, const bgcopy_guid *job, uint32_t idx,
                          const bgcopy_file_range *r)
{
    seen *s = ctx;
    (void)job;
    CHECK_EQ_INT(idx, 1);
    CHECK(s->ranges < 4);
    s->range[s->ranges++] = *r;
    return BGCOPY_S_OK;
}

static bgcopy_hr on_filled(void *ctx, const bgcopy_guid *job, uint32_t idx,
                           const bgcopy_file_range *r)
{
    seen *s = ctx;
    (void)job;
    CHECK_EQ_INT(idx, 0);
    CHECK(s->filled < 4);
    s->fill[s->filled++] = *r;
    return BGCOPY_S_OK;
}

static bgcopy_hr on_group(void *ctx, const bgc_store_group *g)
{
    seen *s = ctx;
    s->groups++;
    s->group = *g;
    s->gname = dup_or_null(g->display_name);
    s->gdesc = dup_or_null(g->description);
    return BGCOPY_S_OK;
}

static bgcopy_hr on_pd(void *ctx, const char *path, uint64_t dev, uint64_t ino)
{
    seen *s = ctx;
    s->pds++;
    s->pd_path = strdup(path);
    s->pd_dev = dev;
    s->pd_ino = ino;
    return BGCOPY_S_OK;
}

static const bgc_store_loader k_loader = { on_job, on_file, on_range, on_filled, on_group, on_pd };

static void seen_free(seen *s)
{
    free(s->display_name); free(s->description); free(s->owner);
    free(s->program); free(s->params); free(s->headers);
    for (int i = 0; i < 2; i++) {
        free(s->remote[i]); free(s->local[i]); free(s->temp[i]); free(s->etag[i]); free(s->lm[i]);
    }
    free(s->gname); free(s->gdesc); free(s->pd_path);
    memset(s, 0, sizeof *s);
}

static bgc_store *open_store(const char *dir)
{
    bgc_store *st = NULL;
    bgcopy_store_report r;
    char *text = NULL;
    bgcopy_hr hr = bgc_store_open(dir, &st, &r, &text);
    CHECK_MSG(hr == BGCOPY_S_OK, "open: 0x%08x %s", (unsigned)hr, text ? text : "");
    CHECK_EQ_INT(r.damage, BGCOPY_STORE_INTACT);
    bgcopy_store_report_clear(&r);
    return st;
}

int main(void)
{
    char *base = ts_mkdtemp();
    char *dir = ts_path_join(base, "q");
    bgc_store *st = open_store(dir);

    bgc_store_job j;
    memset(&j, 0, sizeof j);
    CHECK_HR_OK(bgcopy_guid_from_string("{01234567-89AB-4CDE-8F01-23456789ABCD}", &j.id));
    j.seq = 42;
    j.type = BGCOPY_JOB_TYPE_DOWNLOAD;
    j.display_name = "Zoë's job ✓";
    j.description = "a description";
    j.state = BGCOPY_JOB_STATE_TRANSIENT_ERROR;
    j.priority = BGCOPY_JOB_PRIORITY_LOW;
    j.owner = "tester";
    j.times.creation_time = 133000000000000001ull;
    j.times.modification_time = 133000000000000002ull;
    j.times.transfer_completion_time = 0;
    j.notify_flags = 0x2b;
    j.notify_program = "/usr/bin/env";
    j.notify_parameters = "env X=1";
    j.min_retry_delay_s = 61;
    j.no_progress_timeout_s = 4000000000u;
    j.error_count = 3;
    j.retry_spent_ms = 12345;
    j.no_progress_spent_ms = UINT64_MAX - 1;
    j.ever_resumed = 1;
    j.security_flags = 0x80000301u;
    j.custom_headers = "X-A: 1\r\nX-B: 2\r\n";
    j.dynamic_content = 1;
    j.on_demand = 0;
    j.file_acl_flags = 0xf;
    j.peer_caching_flags = 3;
    j.has_error = 1;
    j.error.code = BGCOPY_E_HTTP_ERROR(404);
    j.error.context = BGCOPY_ERROR_CONTEXT_REMOTE_FILE;
    j.error.file_index = 1;
    strcpy(j.error.protocol, "http");

    bgc_store_file f0 = { 0, "http://127.0.0.1:1/a", "/d/a", "/d/.BIT1.tmp", 1, 2049, 1ull << 40,
                          1000, 400, 1000, 0, 0, 0, "\"etag\"", "Wed, 21 Oct 2015 07:28:00 GMT",
                          1445412480, 1 };
    bgc_store_file f1 = { 1, "http://127.0.0.1:1/b", "/d/b", NULL, 0, 0, 0, BGCOPY_SIZE_UNKNOWN, 0,
                          BGCOPY_SIZE_UNKNOWN, 0, 0, 1, NULL, NULL, -1, 0 };
    bgcopy_file_range ranges[2] = { { 0, 100 }, { 500, BGCOPY_LENGTH_TO_EOF } };
    bgcopy_file_range filled[2] = { { 0, 300 }, { 700, 100 } };
    bgc_store_group g;
    memset(&g, 0, sizeof g);
    CHECK_HR_OK(bgcopy_guid_from_string("{11111111-2222-4333-8444-555555555555}", &g.id));
    g.job_id = j.id;
    g.complete = 0;
    g.has_job1 = 1;
    g.job1_id = j.id;
    g.foreground = 1;
    g.notify_flags = 5;
    g.has_clsid = 1;
    CHECK_HR_OK(bgcopy_guid_from_string("{AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE}", &g.clsid));
    g.display_name = "grp";
    g.description = NULL;
    g.done_bytes = 77;
    g.prog_bytes = 1;
    g.prog_percent = 2;
    g.prog_seconds = 3;

    /* One transaction for the lot. */
    CHECK_HR_OK(bgc_store_begin(st));
    CHECK_HR_OK(bgc_store_put_job(st, &j));
    CHECK_HR_OK(bgc_store_put_file(st, &j.id, &f0));
    CHECK_HR_OK(bgc_store_put_file(st, &j.id, &f1));
    CHECK_HR_OK(bgc_store_put_ranges(st, &j.id, 1, ranges, 2));
    CHECK_HR_OK(bgc_store_put_filled(st, &j.id, 0, filled, 2));
    CHECK_HR_OK(bgc_store_put_group(st, &g));
    CHECK_HR_OK(bgc_store_add_pending_delete(st, "/d/.BIT9.tmp", 5, 6));
    CHECK_HR_OK(bgc_store_commit(st));
    /* A checkpoint outside any transaction is its own. */
    CHECK_HR_OK(bgc_store_put_progress(st, &j.id, 0, 600, 0));
    /* A rolled-back transaction leaves nothing. */
    CHECK_HR_OK(bgc_store_begin(st));
    CHECK_HR_OK(bgc_store_put_progress(st, &j.id, 0, 999, 1));
    CHECK_HR_OK(bgc_store_add_pending_delete(st, "/d/.BIT8.tmp", 1, 2));
    bgc_store_rollback(st);
    bgc_store_close(st);

    /* Reopened: everything as written (progress as checkpointed). */
    st = open_store(dir);
    seen s;
    memset(&s, 0, sizeof s);
    CHECK_HR_OK(bgc_store_load(st, &k_loader, &s));
    CHECK_EQ_INT(s.jobs, 1);
    CHECK(memcmp(&s.job.id, &j.id, sizeof j.id) == 0);
    CHECK_EQ_U64(s.job.seq, 42);
    CHECK_EQ_INT(s.job.type, j.type);
    CHECK_EQ_STR(s.display_name, j.display_name);
    CHECK_EQ_STR(s.description, j.description);
    CHECK_EQ_INT(s.job.state, j.state);
    CHECK_EQ_INT(s.job.priority, j.priority);
    CHECK_EQ_STR(s.owner, "tester");
    CHECK_EQ_U64(s.job.times.creation_time, j.times.creation_time);
    CHECK_EQ_U64(s.job.times.modification_time, j.times.modification_time);
    CHECK_EQ_U64(s.job.times.transfer_completion_time, 0);
    CHECK_EQ_U64(s.job.notify_flags, j.notify_flags);
    CHECK_EQ_STR(s.program, j.notify_program);
    CHECK_EQ_STR(s.params, j.notify_parameters);
    CHECK_EQ_U64(s.job.min_retry_delay_s, 61);
    CHECK_EQ_U64(s.job.no_progress_timeout_s, 4000000000u);
    CHECK_EQ_U64(s.job.error_count, 3);
    CHECK_EQ_U64(s.job.retry_spent_ms, 12345);
    CHECK_EQ_U64(s.job.no_progress_spent_ms, UINT64_MAX - 1);
    CHECK_EQ_INT(s.job.ever_resumed, 1);
    CHECK_EQ_U64(s.job.security_flags, 0x80000301u);
    CHECK_EQ_STR(s.headers, j.custom_headers);
    CHECK_EQ_INT(s.job.dynamic_content, 1);
    CHECK_EQ_INT(s.job.on_demand, 0);
    CHECK_EQ_U64(s.job.file_acl_flags, 0xf);
    CHECK_EQ_U64(s.job.peer_caching_flags, 3);
    CHECK_EQ_INT(s.job.has_error, 1);
    CHECK_EQ_HR(s.job.error.code, BGCOPY_E_HTTP_ERROR(404));
    CHECK_EQ_INT(s.job.error.context, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK_EQ_INT(s.job.error.file_index, 1);
    CHECK_EQ_STR(s.job.error.protocol, "http");

    CHECK_EQ_INT(s.files, 2);
    CHECK_EQ_STR(s.remote[0], f0.remote_name);
    CHECK_EQ_STR(s.local[0], f0.local_name);
    CHECK_EQ_STR(s.temp[0], f0.temporary_name);
    CHECK_EQ_INT(s.file[0].temp_created, 1);
    CHECK_EQ_U64(s.file[0].temp_dev, 2049);
    CHECK_EQ_U64(s.file[0].temp_ino, 1ull << 40);
    CHECK_EQ_U64(s.file[0].bytes_total, 1000);
    CHECK_EQ_U64(s.file[0].bytes_transferred, 600);
    CHECK_EQ_INT(s.file[0].finished, 0);
    CHECK_EQ_U64(s.file[0].remote_size, 1000);
    CHECK_EQ_STR(s.etag[0], f0.etag);
    CHECK_EQ_STR(s.lm[0], f0.last_modified);
    CHECK_EQ_I64(s.file[0].last_modified_unix, 1445412480);
    CHECK_EQ_INT(s.file[0].validation_state, 1);
    CHECK(s.temp[1] == NULL && s.etag[1] == NULL && s.lm[1] == NULL);
    CHECK_EQ_U64(s.file[1].bytes_total, BGCOPY_SIZE_UNKNOWN);
    CHECK_EQ_U64(s.file[1].remote_size, BGCOPY_SIZE_UNKNOWN);
    CHECK_EQ_INT(s.file[1].need_probe, 1);
    CHECK_EQ_I64(s.file[1].last_modified_unix, -1);

    CHECK_EQ_INT(s.ranges, 2);
    CHECK_EQ_U64(s.range[0].initial_offset, 0);
    CHECK_EQ_U64(s.range[0].length, 100);
    CHECK_EQ_U64(s.range[1].initial_offset, 500);
    CHECK_EQ_U64(s.range[1].length, BGCOPY_LENGTH_TO_EOF);
    CHECK_EQ_INT(s.filled, 2);
    CHECK_EQ_U64(s.fill[1].initial_offset, 700);
    CHECK_EQ_U64(s.fill[1].length, 100);

    CHECK_EQ_INT(s.groups, 1);
    CHECK(memcmp(&s.group.id, &g.id, sizeof g.id) == 0);
    CHECK(memcmp(&s.group.job_id, &j.id, sizeof j.id) == 0);
    CHECK_EQ_INT(s.group.has_job1, 1);
    CHECK_EQ_INT(s.group.foreground, 1);
    CHECK_EQ_INT(s.group.has_clsid, 1);
    CHECK(memcmp(&s.group.clsid, &g.clsid, sizeof g.clsid) == 0);
    CHECK_EQ_STR(s.gname, "grp");
    CHECK(s.gdesc == NULL);
    CHECK_EQ_U64(s.group.done_bytes, 77);
    CHECK_EQ_U64(s.group.prog_seconds, 3);

    CHECK_EQ_INT(s.pds, 1);
    CHECK_EQ_STR(s.pd_path, "/d/.BIT9.tmp");
    CHECK_EQ_U64(s.pd_dev, 5);
    CHECK_EQ_U64(s.pd_ino, 6);
    seen_free(&s);

    /* No error any more; then the job goes, and its rows with it. */
    j.has_error = 0;
    CHECK_HR_OK(bgc_store_put_job(st, &j));
    CHECK_HR_OK(bgc_store_load(st, &k_loader, &s));
    CHECK_EQ_INT(s.job.has_error, 0);
    seen_free(&s);
    CHECK_HR_OK(bgc_store_delete_job(st, &j.id));
    CHECK_HR_OK(bgc_store_delete_group(st, &g.id));
    CHECK_HR_OK(bgc_store_remove_pending_delete(st, "/d/.BIT9.tmp"));
    CHECK_HR_OK(bgc_store_load(st, &k_loader, &s));
    CHECK_EQ_INT(s.jobs + s.files + s.ranges + s.filled + s.groups + s.pds, 0);
    seen_free(&s);
    bgc_store_close(st);

    ts_rmtree(base);
    free(dir);
    free(base);
    printf("core_store_rows: all passed\n");
    return 0;
}
