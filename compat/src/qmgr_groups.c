/*
 * qmgr_groups.c - the process-wide table of BITS 1.0 groups (the part of
 * the BITS service that remembers QMGR groups; see qmgr_internal.h).
 *
 * Entries live from CreateGroup to CancelGroup.  A group whose modern job
 * the engine no longer has (the engine was closed and reopened: its queue
 * is not persisted) is dropped when next looked up.
 */
#include "qmgr_internal.h"

#include <stdlib.h>

BGC_STATIC_MUTEX(g_qm_lock)
static qm_group *g_groups; /* newest last, so EnumGroups lists oldest first */

void qm_lock(void)
{
    uv_mutex_lock(g_qm_lock());
}

void qm_unlock(void)
{
    uv_mutex_unlock(g_qm_lock());
}

uint64_t qm_now_ms(void)
{
    return bgc_now_ms();
}

size_t qm_wcslen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

WCHAR *qm_wcsdup(const WCHAR *s)
{
    size_t n = qm_wcslen(s);
    WCHAR *d = malloc((n + 1) * sizeof *d);
    if (d)
        memcpy(d, s, (n + 1) * sizeof *d);
    return d;
}

qm_group *qm_find_locked(const GUID *id)
{
    for (qm_group *g = g_groups; g; g = g->next) {
        if (IsEqualGUID(&g->id, id))
            return g;
    }
    return NULL;
}

HRESULT qm_insert_locked(const GUID *id, const GUID *job_id, qm_group **out)
{
    if (qm_find_locked(id))
        return E_INVALIDARG;
    qm_group *g = calloc(1, sizeof *g);
    if (!g)
        return E_OUTOFMEMORY;
    g->id = *id;
    g->job_id = *job_id;
    g->protocol_flags = QM_PROTOCOL_HTTP;
    g->retry_delay_s = 600;
    qm_group **pp = &g_groups;
    while (*pp)
        pp = &(*pp)->next;
    *pp = g;
    *out = g;
    return S_OK;
}

static void free_group(qm_group *g)
{
    for (uint32_t i = 0; i < g->file_count; i++) {
        free(g->files[i].remote);
        free(g->files[i].local);
    }
    free(g->files);
    free(g->display_name);
    free(g->description);
    free(g);
}

void qm_remove_locked(const GUID *id, IBackgroundCopyCallback1 **sink)
{
    *sink = NULL;
    for (qm_group **pp = &g_groups; *pp; pp = &(*pp)->next) {
        if (IsEqualGUID(&(*pp)->id, id)) {
            qm_group *g = *pp;
            *pp = g->next;
            *sink = g->direct;
            free_group(g);
            return;
        }
    }
}

HRESULT qm_group_ids(GUID **out, ULONG *count)
{
    *out = NULL;
    *count = 0;
    qm_lock();
    ULONG n = 0;
    for (qm_group *g = g_groups; g; g = g->next)
        n++;
    GUID *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids) {
        qm_unlock();
        return E_OUTOFMEMORY;
    }
    n = 0;
    for (qm_group *g = g_groups; g; g = g->next)
        ids[n++] = g->id;
    qm_unlock();
    *out = ids;
    *count = n;
    return S_OK;
}

HRESULT qm_job_locked(IBackgroundCopyManager *mgr, const qm_group *g, IBackgroundCopyJob **out)
{
    *out = NULL;
    HRESULT hr = mgr->lpVtbl->GetJob(mgr, &g->job_id, out);
    if (FAILED(hr)) {
        *out = NULL;
        return QM_E_ITEM_NOT_FOUND;
    }
    return S_OK;
}
