/*
 * client_native.c - the smallest useful client of the installed native API
 * (<bgcopy.h>): open a manager, create a download job, cancel it, close.
 * Built by install_test.sh against an installed prefix only; exits 0 and
 * prints "native client ok" when every call answered as documented.
 */
#include <bgcopy.h>

#include <stdio.h>

static int check(bgcopy_hr hr, bgcopy_hr want, const char *what)
{
    if (hr != want) {
        const char *name = bgcopy_hr_name(hr);
        fprintf(stderr, "%s returned 0x%08X (%s), expected 0x%08X\n", what,
                (unsigned)hr, name ? name : "?", (unsigned)want);
        return 0;
    }
    return 1;
}

int main(void)
{
    bgcopy_manager *m = NULL;
    bgcopy_job *job = NULL;
    bgcopy_guid id;
    bgcopy_job_state state = BGCOPY_JOB_STATE_ERROR;
    char text[39];
    int ok = 1;

    if (!check(bgcopy_manager_open(NULL, &m), BGCOPY_S_OK, "bgcopy_manager_open"))
        return 1;
    ok = check(bgcopy_manager_create_job(m, "packaging", BGCOPY_JOB_TYPE_DOWNLOAD, &id, &job),
               BGCOPY_S_OK, "bgcopy_manager_create_job");
    if (ok) {
        /* A new job starts SUSPENDED: proves the call reached the engine. */
        ok = check(bgcopy_job_get_state(job, &state), BGCOPY_S_OK, "bgcopy_job_get_state") &&
             state == BGCOPY_JOB_STATE_SUSPENDED;
        if (!ok)
            fprintf(stderr, "new job is in state %s, expected SUSPENDED\n",
                    bgcopy_job_state_name(state));
        ok = check(bgcopy_job_cancel(job), BGCOPY_S_OK, "bgcopy_job_cancel") && ok;
        bgcopy_job_release(job);
    }
    bgcopy_manager_close(m);
    if (!ok)
        return 1;
    bgcopy_guid_to_string(&id, text);
    printf("native client ok: job %s\n", text);
    return 0;
}
