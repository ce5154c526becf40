/* job_stored.c - job properties BITS keeps and hands back although they
 * change nothing in bgcopy: SetFileACLFlags (BITS applies them to SMB
 * transfers only; bgcopy has no SMB transport) and SetPeerCachingFlags
 * (bgcopy has no peer caching or BranchCache: every byte comes from the
 * origin server).  They are fields of the job record, under m->lock like
 * every other field, so a persistent queue stores them with the rest. */
#include "internal.h"

/* Lock held.  BITS refuses these setters once the job is TRANSFERRED (the
 * ACLs would be applied at Complete: too late to change them) and in the
 * final states. */
static bgcopy_hr check_settable(bgcopy_job *job)
{
    bgcopy_hr hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK && job->state == BGCOPY_JOB_STATE_TRANSFERRED)
        hr = BGCOPY_E_INVALID_STATE;
    return hr;
}

static bgcopy_hr set_stored(bgcopy_job *job, bgc_rec_u32 which, const uint32_t *field,
                            uint32_t value)
{
    LOCK(job);
    bgcopy_hr hr = check_settable(job);
    if (hr == BGCOPY_S_OK && *field != value) {
        bgc_rec_set_u32(job, which, value);
        bgc_job_touch(job);
    }
    UNLOCK(job);
    return hr;
}

/* A job that left the queue (ACKNOWLEDGED, CANCELLED) no longer has a
 * record: it reports 0, the value of a job that never set one. */
static bgcopy_hr get_stored(bgcopy_job *job, const uint32_t *field, uint32_t *out)
{
    LOCK(job);
    *out = bgc_is_final(job->state) ? 0 : *field;
    UNLOCK(job);
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_job_set_file_acl_flags(bgcopy_job *job, uint32_t flags)
{
    if (!job || (flags & ~(uint32_t)BGCOPY_COPY_FILE_ALL))
        return BGCOPY_E_INVALIDARG;
    return set_stored(job, BGC_REC_FILE_ACL_FLAGS, &job->file_acl_flags, flags);
}

bgcopy_hr bgcopy_job_get_file_acl_flags(bgcopy_job *job, uint32_t *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    return get_stored(job, &job->file_acl_flags, out);
}

bgcopy_hr bgcopy_job_set_peer_caching_flags(bgcopy_job *job, uint32_t flags)
{
    if (!job || (flags & ~(uint32_t)BGCOPY_PEERCACHING_ALL))
        return BGCOPY_E_INVALIDARG;
    return set_stored(job, BGC_REC_PEER_CACHING_FLAGS, &job->peer_caching_flags, flags);
}

bgcopy_hr bgcopy_job_get_peer_caching_flags(bgcopy_job *job, uint32_t *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    return get_stored(job, &job->peer_caching_flags, out);
}
