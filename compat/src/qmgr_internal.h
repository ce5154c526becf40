/*
 * qmgr_internal.h - the BITS 1.0 Queue Manager (qmgr.h) over the modern
 * COM objects (internal to compat/; not installed).  docs/qmgr.md explains
 * the model; this header states the internal contracts.
 *
 * A group is an entry of the process-wide group table (qmgr_groups.c), the
 * stand-in for the part of the BITS service that remembers groups.  Each
 * group has one modern download job in the shared engine (created with the
 * group, through IBackgroundCopyManager), whose GUID the entry records.  The
 * COM objects (QMgr, group, job1, enumerators) hold only GUIDs and an
 * IBackgroundCopyManager, so releasing all of them loses nothing: a new
 * QMgr finds the same groups while the engine keeps their jobs.
 *
 * When the job is transferred, the group completes: the job is Complete'd
 * at once (files get their local names) and the group stays in the table,
 * "complete", with its file list, sizes and properties, until CancelGroup.
 *
 * Locking: g_qm_lock (qmgr_groups.c) guards the table.  It is never held
 * while user code (IBackgroundCopyCallback1, class factories) runs; it MAY
 * be held while calling the modern job objects, which never call back into
 * QMGR code synchronously (their notifications run on the dispatcher).
 */
#ifndef BGCOPY_QMGR_INTERNAL_H
#define BGCOPY_QMGR_INTERNAL_H

#include <stdint.h>

#include "bgc_sync.h" /* before <windows.h>: uv.h needs winsock2.h first */

#include <windows.h>
#include <bits.h>
#include <oleauto.h>
#include <qmgr.h>

#include "compat_objects.h"

/* HRESULT_FROM_WIN32-free codes Win32 results are derived to (winerror.h). */
#define QM_ERROR_FILE_NOT_FOUND 2u
#define QM_ERROR_ACCESS_DENIED 5u

typedef struct qm_file {
    WCHAR *remote; /* malloc'ed copies, NUL-terminated */
    WCHAR *local;
} qm_file;

typedef struct qm_group {
    GUID id;                 /* caller-chosen group GUID */
    GUID job_id;             /* the modern job behind the group */
    int has_job1;
    GUID job1_id;            /* caller-chosen IBackgroundCopyJob1 GUID */
    int done;                /* transferred and Complete'd */
    int foreground;          /* SwitchToForeground was called */
    DWORD notify_flags;      /* GROUPPROP_NOTIFYFLAGS */
    DWORD protocol_flags;    /* GROUPPROP_PROTOCOLFLAGS (always QM_PROTOCOL_HTTP) */
    int has_clsid;
    CLSID clsid;             /* GROUPPROP_NOTIFYCLSID */
    IBackgroundCopyCallback1 *direct; /* SetNotificationPointer, AddRef'ed */
    WCHAR *display_name;     /* malloc'ed or NULL */
    WCHAR *description;
    qm_file *files;
    uint32_t file_count;
    /* Cached when the group completes (the modern job is gone then). */
    uint64_t done_bytes;
    ULONG retry_delay_s;     /* the job's minimum retry delay: redelivery interval */
    /* Completion notification not yet accepted (OnStatus failed or no
     * callback object could be created); due at pending_due_ms. */
    int done_pending;
    uint64_t pending_due_ms;
    int pending_kicked;      /* a new target arrived while a delivery ran */
    /* Opt-in progress (BgCopyQMgrSetProgressGranularity); all 0 = off. */
    DWORD prog_bytes, prog_percent, prog_seconds;
    uint64_t prog_last_bytes;
    DWORD prog_last_percent;
    uint64_t prog_last_ms;
    int prog_reported;
    struct qm_group *next;
} qm_group;

/* ---- the group table (qmgr_groups.c) ---- */

void qm_lock(void);
void qm_unlock(void);
/* The entry for |id| or NULL.  Call with the lock held. */
qm_group *qm_find_locked(const GUID *id);
/* Add a new entry (lock held); E_INVALIDARG when |id| exists, E_OUTOFMEMORY. */
HRESULT qm_insert_locked(const GUID *id, const GUID *job_id, qm_group **out);
/* Unlink and free the entry |id| (lock held); releases its direct sink
 * AFTER the caller unlocks: the sink is returned in *sink (may be NULL). */
void qm_remove_locked(const GUID *id, IBackgroundCopyCallback1 **sink);
/* Snapshot of all group GUIDs (malloc'ed array) for EnumGroups. */
HRESULT qm_group_ids(GUID **out, ULONG *count);

/* The modern job of non-complete group |g| (lock held): S_OK with a new
 * reference, or QM_E_ITEM_NOT_FOUND when the engine no longer has it. */
HRESULT qm_job_locked(IBackgroundCopyManager *mgr, const qm_group *g, IBackgroundCopyJob **out);

/* Monotonic milliseconds. */
uint64_t qm_now_ms(void);

/* ---- notifications (qmgr_notify.c) ---- */

/* A new IBackgroundCopyCallback sink for the modern job of group |id|, to
 * register with SetNotifyInterface.  One reference to the caller. */
HRESULT qm_sink_create(const GUID *id, IBackgroundCopyManager *mgr, IUnknown **out);
/* Re-register the sink on the group's job (so an ERROR is re-delivered at
 * once by the engine) and make an owed completion due now (delivered by the
 * re-delivery thread, never synchronously inside the caller's SetProp);
 * used when the group gets a (new) notification target.  Lock NOT held. */
void qm_kick(IBackgroundCopyManager *mgr, const GUID *id);

/* ---- objects ---- */

/* New group object for |id|; holds a reference on |mgr| (which makes it a
 * live object of the engine). */
HRESULT qm_group_create(IBackgroundCopyManager *mgr, const GUID *id, IBackgroundCopyGroup **out);
/* New IBackgroundCopyJob1 object for group |id|. */
HRESULT qm_job1_create(IBackgroundCopyManager *mgr, const GUID *id, IBackgroundCopyJob1 **out);
/* GUID enumerators over a copy of |ids| (TAKES OVER the malloc'ed array). */
HRESULT qm_enum_groups_create(GUID *ids, ULONG count, IEnumBackgroundCopyGroups **out);
HRESULT qm_enum_jobs1_create(GUID *ids, ULONG count, IEnumBackgroundCopyJobs1 **out);

/* ---- shared derivations (qmgr_group.c) ---- */

/* QM_STATUS_GROUP_* bits, and for the job the QM_STATUS_JOB_* bits with
 * Win32 result, HTTP status and retry count (0 unless JOB_ERROR).  Lock held. */
HRESULT qm_status_locked(IBackgroundCopyManager *mgr, const qm_group *g, DWORD *group_status,
                         DWORD *job_status, DWORD *win32, DWORD *http, DWORD *retries,
                         DWORD *file_index);
/* GetProgress for both the group and its job.  Lock held. */
HRESULT qm_progress_locked(IBackgroundCopyManager *mgr, const qm_group *g, DWORD flags,
                           DWORD *out);
/* Win32 result and HTTP status derived from a job error HRESULT. */
void qm_split_error(HRESULT hr, DWORD *win32, DWORD *http);

/* Allocation helpers. */
WCHAR *qm_wcsdup(const WCHAR *s);
size_t qm_wcslen(const WCHAR *s);

#endif /* BGCOPY_QMGR_INTERNAL_H */
