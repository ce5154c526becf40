/*
 * job_extras.c - per-job values that only the COM layer keeps: the
 * SetFileACLFlags and SetPeerCachingFlags values (see compat_objects.h).
 *
 * BITS hands these back from the getters although bgcopy has no SMB
 * transport and no peer caching, and several COM objects may stand for one
 * job (one per GetJob, per notification...), so the values are kept per
 * job GUID in one process-wide list rather than in a COM object.  The list
 * is short (jobs whose flags were set) and guarded by one mutex.
 */
#include "compat_objects.h"

#include <stdlib.h>

typedef struct bgc_extra {
    bgcopy_guid id;
    DWORD value[2]; /* indexed by BGC_EXTRA_* */
    struct bgc_extra *next;
} bgc_extra;

BGC_STATIC_MUTEX(g_extras_lock)
static bgc_extra *g_extras;

/* The entry of |id| or NULL; called with g_extras_lock held. */
static bgc_extra *find_locked(const bgcopy_guid *id)
{
    for (bgc_extra *e = g_extras; e; e = e->next)
        if (memcmp(&e->id, id, sizeof *id) == 0)
            return e;
    return NULL;
}

DWORD bgc_job_extra_get(const bgcopy_guid *id, int which)
{
    DWORD v = 0;
    uv_mutex_lock(g_extras_lock());
    bgc_extra *e = find_locked(id);
    if (e)
        v = e->value[which];
    uv_mutex_unlock(g_extras_lock());
    return v;
}

HRESULT bgc_job_extra_set(const bgcopy_guid *id, int which, DWORD value)
{
    HRESULT hr = S_OK;
    uv_mutex_lock(g_extras_lock());
    bgc_extra *e = find_locked(id);
    if (!e) {
        e = calloc(1, sizeof *e);
        if (e) {
            e->id = *id;
            e->next = g_extras;
            g_extras = e;
        }
    }
    if (e)
        e->value[which] = value;
    else
        hr = E_OUTOFMEMORY;
    uv_mutex_unlock(g_extras_lock());
    return hr;
}

void bgc_job_extra_forget(const bgcopy_guid *id)
{
    bgc_extra *drop = NULL;
    uv_mutex_lock(g_extras_lock());
    for (bgc_extra **pp = &g_extras; *pp;) {
        bgc_extra *e = *pp;
        if (!id || memcmp(&e->id, id, sizeof *id) == 0) {
            *pp = e->next;
            e->next = drop;
            drop = e;
        } else {
            pp = &e->next;
        }
    }
    uv_mutex_unlock(g_extras_lock());
    while (drop) {
        bgc_extra *n = drop->next;
        free(drop);
        drop = n;
    }
}
