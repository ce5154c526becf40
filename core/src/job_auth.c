/* job_auth.c - a job's proxy settings and credentials
 * (IBackgroundCopyJob::SetProxySettings, IBackgroundCopyJob2::
 * SetCredentials).  The step reads them under the lock when it starts a
 * request (step.c), so a change applies from the next request; the
 * transport does the rest (docs/http.md, "Credentials, proxies, ...").
 *
 * Credentials are secrets: nothing here logs or returns them, and the
 * record overwrites them before freeing (record.c). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* SetProxySettings's documented limits disagree (4 000 characters, 32 KB,
 * 32 000 characters); bgcopy takes the error message's 32 000. */
#define MAX_PROXY_CHARS 32000u
#define MAX_CREDENTIAL_CHARS 300u  /* SetCredentials: user name and password */

static bgcopy_hr check_list(const char *s, bgcopy_hr too_large)
{
    if (!s)
        return BGCOPY_S_OK;
    size_t n = bgc_utf8_length(s);
    if (n == SIZE_MAX)
        return BGCOPY_E_INVALIDARG;
    return n > MAX_PROXY_CHARS ? too_large : BGCOPY_S_OK;
}

bgcopy_hr bgcopy_job_set_proxy_settings(bgcopy_job *job, bgcopy_proxy_usage usage,
                                        const char *list, const char *bypass)
{
    if (!job)
        return BGCOPY_E_INVALIDARG;
    if ((unsigned)usage > BGCOPY_PROXY_USAGE_AUTODETECT)
        return BGCOPY_E_NOTIMPL;
    if (usage == BGCOPY_PROXY_USAGE_OVERRIDE ? !list : (list || bypass))
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = check_list(list, BGCOPY_E_PROXY_LIST_TOO_LARGE);
    if (hr == BGCOPY_S_OK)
        hr = check_list(bypass, BGCOPY_E_PROXY_BYPASS_LIST_TOO_LARGE);
    if (hr != BGCOPY_S_OK)
        return hr;
    char *l = list ? bgc_strdup(list) : NULL, *b = bypass ? bgc_strdup(bypass) : NULL;
    if ((list && !l) || (bypass && !b)) {
        free(l);
        free(b);
        return BGCOPY_E_OUTOFMEMORY;
    }
    LOCK(job);
    hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        bgc_rec_set_u32(job, BGC_REC_PROXY_USAGE, (uint32_t)usage);
        l = bgc_rec_swap_string(job, BGC_REC_PROXY_LIST, l);
        b = bgc_rec_swap_string(job, BGC_REC_PROXY_BYPASS, b);
        bgc_job_touch(job);
    }
    UNLOCK(job);
    free(l);
    free(b);
    return hr;
}

bgcopy_hr bgcopy_job_get_proxy_settings(bgcopy_job *job, bgcopy_proxy_usage *usage,
                                        char **list, char **bypass)
{
    if (list)
        *list = NULL;
    if (bypass)
        *bypass = NULL;
    if (!job || !usage || !list || !bypass)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = BGCOPY_S_OK;
    LOCK(job);
    *usage = (bgcopy_proxy_usage)job->proxy_usage;
    if (job->proxy_list && !(*list = bgc_strdup(job->proxy_list)))
        hr = BGCOPY_E_OUTOFMEMORY;
    if (job->proxy_bypass && !(*bypass = bgc_strdup(job->proxy_bypass)))
        hr = BGCOPY_E_OUTOFMEMORY;
    UNLOCK(job);
    if (hr != BGCOPY_S_OK) {
        bgcopy_free(*list);
        bgcopy_free(*bypass);
        *list = *bypass = NULL;
    }
    return hr;
}

/* The record slot of (target, scheme), or a BITS error. */
static bgcopy_hr slot_of(bgcopy_auth_target target, bgcopy_auth_scheme scheme, unsigned *slot)
{
    if (target != BGCOPY_AUTH_TARGET_SERVER && target != BGCOPY_AUTH_TARGET_PROXY)
        return BGCOPY_E_INVALID_AUTH_TARGET;
    if ((unsigned)scheme < BGCOPY_AUTH_SCHEME_BASIC || (unsigned)scheme > BGCOPY_AUTH_SCHEME_PASSPORT)
        return BGCOPY_E_INVALID_AUTH_SCHEME;
    *slot = ((unsigned)target - 1) * 5 + ((unsigned)scheme - 1);
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_job_set_credentials(bgcopy_job *job, bgcopy_auth_target target,
                                     bgcopy_auth_scheme scheme, const char *user,
                                     const char *password)
{
    unsigned slot;
    if (!job)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = slot_of(target, scheme, &slot);
    if (hr != BGCOPY_S_OK)
        return hr;
    if ((!user || !password) &&
        (scheme == BGCOPY_AUTH_SCHEME_BASIC || scheme == BGCOPY_AUTH_SCHEME_DIGEST))
        return BGCOPY_E_INVALIDARG;
    size_t ul = user ? bgc_utf8_length(user) : 0, pl = password ? bgc_utf8_length(password) : 0;
    if (ul == SIZE_MAX || pl == SIZE_MAX)
        return BGCOPY_E_INVALIDARG;
    if (ul > MAX_CREDENTIAL_CHARS)
        return BGCOPY_E_USERNAME_TOO_LARGE;
    if (pl > MAX_CREDENTIAL_CHARS)
        return BGCOPY_E_PASSWORD_TOO_LARGE;
    /* One of the two NULL (NTLM / NEGOTIATE) is an empty string: the
     * transport takes a name and a password together, or neither. */
    bgc_credential c = {1, NULL, NULL};
    if (user || password) {
        c.user = bgc_strdup(user ? user : "");
        c.password = bgc_strdup(password ? password : "");
        if (!c.user || !c.password) {
            bgc_credential_clear(&c);
            return BGCOPY_E_OUTOFMEMORY;
        }
    }
    bgc_credential old = {0, NULL, NULL};
    LOCK(job);
    hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK) {
        bgc_rec_set_credential(job, slot, 1, c.user, c.password, &old);
        bgc_job_touch(job);
    } else {
        old = c;
    }
    UNLOCK(job);
    bgc_credential_clear(&old);
    return hr;
}

bgcopy_hr bgcopy_job_remove_credentials(bgcopy_job *job, bgcopy_auth_target target,
                                        bgcopy_auth_scheme scheme)
{
    unsigned slot;
    if (!job)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = slot_of(target, scheme, &slot);
    if (hr != BGCOPY_S_OK)
        return hr;
    bgc_credential old = {0, NULL, NULL};
    LOCK(job);
    hr = bgc_job_check_mutable(job);
    if (hr == BGCOPY_S_OK && !job->credentials[slot].set)
        hr = BGCOPY_S_FALSE;
    if (hr == BGCOPY_S_OK) {
        bgc_rec_set_credential(job, slot, 0, NULL, NULL, &old);
        bgc_job_touch(job);
    }
    UNLOCK(job);
    bgc_credential_clear(&old);
    return hr;
}

/* step.c hands BITS's schemes to the transport as bits 1 << scheme. */
_Static_assert(BGT_AUTH_BASIC == 1u << BGCOPY_AUTH_SCHEME_BASIC &&
               BGT_AUTH_DIGEST == 1u << BGCOPY_AUTH_SCHEME_DIGEST &&
               BGT_AUTH_NTLM == 1u << BGCOPY_AUTH_SCHEME_NTLM &&
               BGT_AUTH_NEGOTIATE == 1u << BGCOPY_AUTH_SCHEME_NEGOTIATE &&
               BGT_AUTH_PASSPORT == 1u << BGCOPY_AUTH_SCHEME_PASSPORT,
               "BGT_AUTH_* and BGCOPY_AUTH_SCHEME_* differ");
