/*
 * qmgr_internal.h - the BITS 1.0 Queue Manager (qmgr.h) over the native
 * group API of bgcopy.h (internal to compat/; not installed).
 * docs/qmgr.md explains the model; this header states the internal
 * contracts.
 *
 * Groups are core objects (bgcopy_group, core/src/group.c): their
 * properties, their job, their life and their owed notifications live in
 * the engine.  compat keeps no group state: a COM object (QMgr, group,
 * job1) holds a bgcopy_group handle and, to keep the engine open while a
 * client holds it, an IBackgroundCopyManager (NULL for the objects made
 * for a notification call, as for the modern API).  What stays here is
 * COM: BSTR/VARIANT conversion, QM_* codes, and the activation of the
 * GROUPPROP_NOTIFYCLSID class (qmgr_notify.c), which the engine reaches
 * through the manager's group sink.
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

_Static_assert(QM_STATUS_GROUP_COMPLETE == BGCOPY_GROUP_STATUS_COMPLETE &&
                   QM_STATUS_GROUP_ERROR == BGCOPY_GROUP_STATUS_ERROR &&
                   QM_STATUS_JOB_ERROR == BGCOPY_GROUP_JOB_ERROR &&
                   QM_NOTIFY_USE_PROGRESSEX == BGCOPY_GROUP_NOTIFY_USE_PROGRESSEX &&
                   QM_PROGRESS_SIZE_DONE == BGCOPY_GROUP_PROGRESS_SIZE,
               "qmgr.h and bgcopy.h group values differ");

/* The QMGR code of a native result: BG_E_NOT_FOUND -> QM_E_ITEM_NOT_FOUND,
 * BG_E_INVALID_STATE and BG_E_EMPTY -> QM_E_INVALID_STATE, else |hr|. */
HRESULT qm_hr(bgcopy_hr hr);

/* ---- objects ---- */

/* New group object for |g| (addref'ed).  |mgr| (may be NULL) is
 * AddRef'ed: it keeps the engine open while the object lives. */
HRESULT qm_group_create(IBackgroundCopyManager *mgr, bgcopy_group *g, IBackgroundCopyGroup **out);
/* New IBackgroundCopyJob1 object for the job of group |g| (as above). */
HRESULT qm_job1_create(IBackgroundCopyManager *mgr, bgcopy_group *g, IBackgroundCopyJob1 **out);
/* GUID enumerators over a copy of |ids| (TAKES OVER the malloc'ed array). */
HRESULT qm_enum_groups_create(GUID *ids, ULONG count, IEnumBackgroundCopyGroups **out);
HRESULT qm_enum_jobs1_create(GUID *ids, ULONG count, IEnumBackgroundCopyJobs1 **out);
/* The group handle of a group object made by qm_group_create (no
 * reference taken), or NULL for a foreign object. */
bgcopy_group *qm_group_handle(IBackgroundCopyGroup *iface);

/* ---- notifications (qmgr_notify.c) ---- */

/* Register the activator of GROUPPROP_NOTIFYCLSID classes as the engine's
 * group sink (bgcopy_manager_set_group_notify); idempotent. */
HRESULT qm_notify_register(bgcopy_manager *engine);
/* SetNotificationPointer: |cb| becomes group |g|'s own target, AddRef'ed
 * until replaced, cleared or the group is gone; NULL clears it. */
HRESULT qm_notify_set_direct(bgcopy_group *g, IBackgroundCopyCallback1 *cb);

/* ---- shared derivations (qmgr_group.c) ---- */

/* Win32 result and HTTP status derived from a job error HRESULT. */
void qm_split_error(HRESULT hr, DWORD *win32, DWORD *http);
/* GetProgress for both the group and its job. */
HRESULT qm_progress(bgcopy_group *g, DWORD flags, DWORD *out);

#endif /* BGCOPY_QMGR_INTERNAL_H */
