/* The stored-only job properties (docs/conformance.md slots 45-48) through
 * the native API: defaults, validation, one value per job record seen by
 * every handle, refused once TRANSFERRED, gone once the job left the queue.
 * A local source file takes the job to TRANSFERRED, so no server is needed. */
#include "core_test.h"

#include <stdio.h>

static void test_values(bgcopy_manager *m)
{
    bgcopy_job *job = ct_new_job(m, "stored");
    uint32_t v = 99;
    CHECK_HR_OK(bgcopy_job_get_file_acl_flags(job, &v));
    CHECK_EQ_INT(v, 0);
    CHECK_HR_OK(bgcopy_job_get_peer_caching_flags(job, &v));
    CHECK_EQ_INT(v, 0);
    CHECK_HR_OK(bgcopy_job_set_file_acl_flags(job, BGCOPY_COPY_FILE_OWNER | BGCOPY_COPY_FILE_SACL));
    CHECK_EQ_HR(bgcopy_job_set_file_acl_flags(job, 0x10), BGCOPY_E_INVALIDARG);
    CHECK_HR_OK(bgcopy_job_set_peer_caching_flags(job, BGCOPY_DISABLE_BRANCH_CACHE));
    CHECK_EQ_HR(bgcopy_job_set_peer_caching_flags(job, 0x8), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_get_file_acl_flags(job, NULL), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_get_peer_caching_flags(NULL, &v), BGCOPY_E_INVALIDARG);

    /* A second handle on the same job (GetJob) sees the same record. */
    bgcopy_guid id;
    CHECK_HR_OK(bgcopy_job_get_id(job, &id));
    bgcopy_job *other = NULL;
    CHECK_HR_OK(bgcopy_manager_get_job(m, &id, &other));
    CHECK_HR_OK(bgcopy_job_get_file_acl_flags(other, &v));
    CHECK_EQ_INT(v, BGCOPY_COPY_FILE_OWNER | BGCOPY_COPY_FILE_SACL);
    CHECK_HR_OK(bgcopy_job_get_peer_caching_flags(other, &v));
    CHECK_EQ_INT(v, BGCOPY_DISABLE_BRANCH_CACHE);

    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK_EQ_HR(bgcopy_job_set_file_acl_flags(job, 0), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_set_peer_caching_flags(job, 0), BGCOPY_E_INVALID_STATE);
    CHECK_HR_OK(bgcopy_job_get_file_acl_flags(other, &v));  /* the record left the queue */
    CHECK_EQ_INT(v, 0);
    CHECK_HR_OK(bgcopy_job_get_peer_caching_flags(other, &v));
    CHECK_EQ_INT(v, 0);
    bgcopy_job_release(other);
    bgcopy_job_release(job);
}

static void test_transferred(bgcopy_manager *m, const char *dir)
{
    char *src = ct_path(dir, "src.bin");
    char *dest = ct_path(dir, "dest.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, 1000), 0);
    bgcopy_job *job = ct_new_job(m, "transferred");
    CHECK_HR_OK(bgcopy_job_add_file(job, src, dest));
    CHECK_HR_OK(bgcopy_job_set_file_acl_flags(job, BGCOPY_COPY_FILE_DACL));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 30000);
    /* BITS would apply the ACLs at Complete: too late to change them. */
    CHECK_EQ_HR(bgcopy_job_set_file_acl_flags(job, 0), BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_set_peer_caching_flags(job, 0), BGCOPY_E_INVALID_STATE);
    uint32_t v = 0;
    CHECK_HR_OK(bgcopy_job_get_file_acl_flags(job, &v));
    CHECK_EQ_INT(v, BGCOPY_COPY_FILE_DACL);
    CHECK_HR_OK(bgcopy_job_complete(job));
    CHECK(ts_file_matches_gen(dest, 1000));
    CHECK_HR_OK(bgcopy_job_get_file_acl_flags(job, &v));
    CHECK_EQ_INT(v, 0);
    bgcopy_job_release(job);
    free(src);
    free(dest);
}

int main(void)
{
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));
    char *dir = ts_mkdtemp();
    test_values(m);
    test_transferred(m, dir);
    /* Closed manager: the setters refuse like every mutator. */
    bgcopy_job *left = ct_new_job(m, "left over");
    bgcopy_manager_close(m);
    CHECK_EQ_HR(bgcopy_job_set_file_acl_flags(left, 1), BGCOPY_E_INVALID_STATE);
    bgcopy_job_release(left);
    ts_rmtree(dir);
    free(dir);
    printf("core_job_stored: ok\n");
    return 0;
}
