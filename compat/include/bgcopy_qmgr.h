/*
 * bgcopy_qmgr.h - bgcopy's one extension of the BITS 1.0 Queue Manager API
 * (qmgr.h): opt-in progress callbacks.  Not a Windows header.
 *
 * Windows never calls IBackgroundCopyCallback1::OnProgress or OnProgressEx;
 * progress is poll-only (IBackgroundCopyGroup::GetProgress).  bgcopy does
 * the same by default, so code tested on Linux sees what Windows does.  A
 * client may opt in, per group, with BgCopyQMgrSetProgressGranularity;
 * docs/qmgr.md describes when the calls come.
 */
#ifndef BGCOPY_QMGR_EXT_H
#define BGCOPY_QMGR_EXT_H

#include "qmgr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ask the queue manager to call the group's IBackgroundCopyCallback1
 * OnProgress (or OnProgressEx when GROUPPROP_NOTIFYFLAGS has
 * QM_NOTIFY_USE_PROGRESSEX) while |pGroup| downloads: whenever at least
 * |dwBytes| more bytes arrived, or the percentage grew by |dwPercent|, or
 * |dwSeconds| passed with new bytes, since the previous call; and once
 * more when the group completes (100 %).  Progress is sampled at most
 * every 500 ms (the engine's JobModification rate).  ProgressType is
 * QM_PROGRESS_PERCENT_DONE (value 0-100) when dwPercent != 0, else
 * QM_PROGRESS_SIZE_DONE (bytes, clamped to a DWORD); dwFileIndex is the
 * file being transferred; OnProgressEx gets dwByteArraySize 0 and pByte
 * NULL.  All three 0 turns progress calls off again (the default).
 * QM_NOTIFY_DISABLE_NOTIFY silences them too.  The callback's return value
 * is ignored (no re-delivery).  Errors: E_INVALIDARG (pGroup NULL or not a
 * bgcopy group), QM_E_ITEM_NOT_FOUND (group cancelled), QM_E_INVALID_STATE
 * (group complete).  Thread-safe.  bgcopy extension: no Windows
 * counterpart. */
BGCOPY_COMPAT_API HRESULT BgCopyQMgrSetProgressGranularity(IBackgroundCopyGroup *pGroup,
                                                           DWORD dwBytes, DWORD dwPercent,
                                                           DWORD dwSeconds);

#ifdef __cplusplus
}
#endif

#endif /* BGCOPY_QMGR_EXT_H */
