/*
 * compat_objects.h - the COM-layout BITS objects over the native bgcopy_* API
 * (internal to compat/; not installed).
 *
 * Object pattern (DESIGN.md §3): every object is a struct that embeds its
 * lpVtbl-headed interface struct; methods get the object back with an
 * offsetof-based impl_from_<Interface>() helper.  Reference counts are
 * atomic, so AddRef/Release may be called from any thread (the notification
 * dispatcher thread included).  QueryInterface answers IID_IUnknown and the
 * interfaces each object really implements (the job: Job..Job5 through one
 * Job5 vtable plus two side interfaces; the file: File..File6 through one
 * File6 vtable); everything else gets E_NOINTERFACE with *ppv = NULL.
 *
 * Ownership of native handles: a job COM object owns one bgcopy_job
 * reference; file, error and enumerator objects own their own references,
 * so a client may release objects in any order.
 *
 * --- The shared engine (stand-in for the BITS service) --------------------
 * BITS runs in a service that outlives its clients.  bgcopy runs the engine
 * (one bgcopy_manager: transfer thread + dispatcher thread) inside the
 * process instead, shared by every IBackgroundCopyManager object:
 *  - it is opened lazily by the first bgcopy_compat_manager_create()
 *    (CoCreateInstance of CLSID_BackgroundCopyManager), under a mutex;
 *  - every COM object that may need it is "live" (counted).  Objects made
 *    on the dispatcher thread for a notification (the pJob / pError handed
 *    to IBackgroundCopyCallback) and any non-manager object created while a
 *    callback runs are not counted: they only use job handles, which the
 *    native API keeps valid after the engine closes (getters answer, state
 *    changes fail with BG_E_INVALID_STATE).  Manager objects always count;
 *  - when the process-wide CoInitialize count drops to zero
 *    (bgcopy_compat_on_last_uninitialize), the engine is closed at once if
 *    no live object remains, else when the last live object is released.
 *    On Windows the count is ole32's and nothing calls that hook, so the
 *    engine stays open until the process exits (the rule documented at
 *    BgCopyCreateInstance in bgcopy_win32.h);
 *  - a later CoCreateInstance opens a fresh engine (after waiting for a
 *    close still in progress, except on the dispatcher thread).
 * Known limit: the hook cannot see the CoInitialize count, so if another
 * thread initializes COM again and creates objects before the hook runs,
 * the engine still closes once those objects are gone (and the next
 * CoCreateInstance reopens one).
 * Closing waits for the dispatcher thread, so it must never run on it: if
 * the last live object is released from inside a notification callback,
 * the close is handed to a closer thread (started once, idle until the
 * process exits).
 */
#ifndef BGCOPY_COMPAT_OBJECTS_H
#define BGCOPY_COMPAT_OBJECTS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bgc_sync.h" /* before <windows.h>: uv.h needs winsock2.h first */

#include <windows.h>
#include <bits.h>
#include <bits3_0.h> /* IBackgroundCopyCallback2 */
#include <bits10_1.h> /* and through it every version up to 10.1 */

#include "bgcopy.h"
#include "wstr.h"

/* Recover the object that embeds interface member |member| of |type|. */
#define BGC_IMPL_FROM(type, member, iface) \
    ((type *)(void *)((char *)(iface) - offsetof(type, member)))

/* The vtables are static const.  lpVtbl is a pointer to const only where
 * CONST_VTABLE was defined before the SDK's first COM header (always on
 * Linux, see bgcopy_win32.h; on Windows uv.h may have pulled <windows.h> in
 * first), so the const is cast away here and nothing ever writes through
 * lpVtbl. */
#define BGC_SET_VTBL(iface, vtbl) ((iface)->lpVtbl = (void *)(vtbl))

/* IID comparison without relying on the shape of the IsEqualIID macro. */
static inline int bgc_iid_eq(REFIID a, const IID *b)
{
    return a != NULL && memcmp(a, b, sizeof(IID)) == 0;
}

/* Language check shared by every GetErrorDescription-style method: 1 when
 * |lang| (a LANGID in a DWORD) asks for text bgcopy has, i.e. LANG_NEUTRAL
 * (any sublanguage: 0x0000, 0x0400 user default, 0x0800 system default) or
 * primary language English (0x09) with any sublanguage (0x0409, 0x0809...). */
int bgc_lang_supported(DWORD lang);

/* HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND): no text in that language. */
#define BGC_E_RESOURCE_LANG_NOT_FOUND ((HRESULT)0x80070717)
/* HRESULT_FROM_WIN32(ERROR_MR_MID_NOT_FOUND): no text for that code at all
 * (what FormatMessage reports for a message id missing from the table). */
#define BGC_E_MR_MID_NOT_FOUND ((HRESULT)0x8007013D)

/* Text of |hr| as a CoTaskMemAlloc'ed WCHAR string for LanguageId |lang|.
 * Errors: E_INVALIDARG (out NULL), BGC_E_RESOURCE_LANG_NOT_FOUND,
 * BGC_E_MR_MID_NOT_FOUND (bgcopy has no text for hr), E_OUTOFMEMORY.
 * Mirrors IBackgroundCopyManager::GetErrorDescription.  Thread-safe. */
HRESULT bgc_error_text(HRESULT hr, DWORD lang, LPWSTR *out);

/* BG_FILE_RANGE and bgcopy_file_range are both {UINT64 offset, UINT64
 * length}; the conversions still copy field by field (no aliasing). */
_Static_assert(sizeof(BG_FILE_RANGE) == sizeof(bgcopy_file_range), "range layouts differ");

/* ---- the job object (job.c, job_v2.c, job_http_options.c) --------------
 * One object answers IBackgroundCopyJob..Job5 through |iface| (each
 * version's vtable extends the previous one, so one Job5 vtable serves
 * all), IBackgroundCopyJobHttpOptions through |http| and IBitsTokenOptions
 * through |token|; all three share one reference count and QueryInterface
 * (COM identity: QI for IUnknown always gives |iface|). */
typedef struct bgc_job {
    IBackgroundCopyJob5 iface;
    IBackgroundCopyJobHttpOptions http;
    IBitsTokenOptions token;
    _Atomic ULONG ref;
    bgcopy_job *h;
    int counted;
} bgc_job;

static inline bgc_job *bgc_job_from_iface(IBackgroundCopyJob5 *iface)
{
    return BGC_IMPL_FROM(bgc_job, iface, iface);
}

/* The vtables of the two side interfaces (job_http_options.c). */
extern const IBackgroundCopyJobHttpOptionsVtbl bgc_job_http_vtbl;
extern const IBitsTokenOptionsVtbl bgc_job_token_vtbl;

/* IBackgroundCopyJob2..Job5 slots 35..54 (job_v2.c); each mirrors the BITS
 * method of the same name, documented there. */
HRESULT STDMETHODCALLTYPE bgc_job_SetNotifyCmdLine(IBackgroundCopyJob5 *iface, LPCWSTR Program,
                                                   LPCWSTR Parameters);
HRESULT STDMETHODCALLTYPE bgc_job_GetNotifyCmdLine(IBackgroundCopyJob5 *iface, LPWSTR *pProgram,
                                                   LPWSTR *pParameters);
HRESULT STDMETHODCALLTYPE bgc_job_GetReplyProgress(IBackgroundCopyJob5 *iface,
                                                   BG_JOB_REPLY_PROGRESS *pProgress);
HRESULT STDMETHODCALLTYPE bgc_job_GetReplyData(IBackgroundCopyJob5 *iface, byte **ppBuffer,
                                               UINT64 *pLength);
HRESULT STDMETHODCALLTYPE bgc_job_SetReplyFileName(IBackgroundCopyJob5 *iface,
                                                   LPCWSTR ReplyFileName);
HRESULT STDMETHODCALLTYPE bgc_job_GetReplyFileName(IBackgroundCopyJob5 *iface,
                                                   LPWSTR *pReplyFileName);
HRESULT STDMETHODCALLTYPE bgc_job_SetCredentials(IBackgroundCopyJob5 *iface,
                                                 BG_AUTH_CREDENTIALS *credentials);
HRESULT STDMETHODCALLTYPE bgc_job_RemoveCredentials(IBackgroundCopyJob5 *iface,
                                                    BG_AUTH_TARGET Target, BG_AUTH_SCHEME Scheme);
HRESULT STDMETHODCALLTYPE bgc_job_ReplaceRemotePrefix(IBackgroundCopyJob5 *iface,
                                                      LPCWSTR OldPrefix, LPCWSTR NewPrefix);
HRESULT STDMETHODCALLTYPE bgc_job_AddFileWithRanges(IBackgroundCopyJob5 *iface, LPCWSTR RemoteUrl,
                                                    LPCWSTR LocalName, DWORD RangeCount,
                                                    BG_FILE_RANGE Ranges[]);
HRESULT STDMETHODCALLTYPE bgc_job_SetFileACLFlags(IBackgroundCopyJob5 *iface, DWORD Flags);
HRESULT STDMETHODCALLTYPE bgc_job_GetFileACLFlags(IBackgroundCopyJob5 *iface, DWORD *Flags);
HRESULT STDMETHODCALLTYPE bgc_job_SetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD Flags);
HRESULT STDMETHODCALLTYPE bgc_job_GetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD *pFlags);
HRESULT STDMETHODCALLTYPE bgc_job_GetOwnerIntegrityLevel(IBackgroundCopyJob5 *iface,
                                                         ULONG *pLevel);
HRESULT STDMETHODCALLTYPE bgc_job_GetOwnerElevationState(IBackgroundCopyJob5 *iface,
                                                         BOOL *pElevated);
HRESULT STDMETHODCALLTYPE bgc_job_SetMaximumDownloadTime(IBackgroundCopyJob5 *iface,
                                                         ULONG Timeout);
HRESULT STDMETHODCALLTYPE bgc_job_GetMaximumDownloadTime(IBackgroundCopyJob5 *iface,
                                                         ULONG *pTimeout);
HRESULT STDMETHODCALLTYPE bgc_job_SetProperty(IBackgroundCopyJob5 *iface,
                                              BITS_JOB_PROPERTY_ID PropertyId,
                                              BITS_JOB_PROPERTY_VALUE PropertyValue);
HRESULT STDMETHODCALLTYPE bgc_job_GetProperty(IBackgroundCopyJob5 *iface,
                                              BITS_JOB_PROPERTY_ID PropertyId,
                                              BITS_JOB_PROPERTY_VALUE *PropertyValue);

/* ---- engine (manager.c) ------------------------------------------------ */

/* Count one live object (see the rule above).  Thread-safe. */
void bgc_live_add(void);
/* Uncount one live object; closes the engine when it was the last one and
 * the last CoUninitialize already happened.  Thread-safe; never blocks on
 * the dispatcher thread (see above). */
void bgc_live_release(void);

/* ---- notification bridge (notify_bridge.c) ----------------------------- */

/* 1 while the calling thread is inside a notification delivery (user code
 * called by the bridge on the dispatcher thread), else 0.  Objects created
 * then are not counted as live. */
int bgc_in_notification(void);

/* IBackgroundCopyJob::SetNotifyInterface for |job|: |sink| NULL clears the
 * registration; otherwise |sink| is AddRef'ed and held until replaced,
 * cleared, or the job leaves the queue.  Returns bgcopy_job_set_notify's
 * result (BG_E_INVALID_STATE in final states), E_OUTOFMEMORY. */
HRESULT bgc_notify_set(bgcopy_job *job, IUnknown *sink);

/* IBackgroundCopyJob::GetNotifyInterface: *out = the registered IUnknown,
 * AddRef'ed, or NULL when none (or when a native, non-COM sink is
 * registered).  Errors: E_INVALIDARG (out NULL). */
HRESULT bgc_notify_get(bgcopy_job *job, IUnknown **out);

/* The engine behind manager object |iface| (manager.c): valid while the
 * caller holds |iface|; no reference is taken. */
bgcopy_manager *bgc_manager_engine(IBackgroundCopyManager *iface);

/* IBitsPeerCacheAdministration, a side interface of the manager object
 * (peercache.c: every method S_FALSE, as BITS 4.0 and later), and the
 * manager that embeds it (manager.c; no reference is taken). */
extern const IBitsPeerCacheAdministrationVtbl bgc_peercache_vtbl;
IBackgroundCopyManager *bgc_manager_from_peercache(IBitsPeerCacheAdministration *iface);

/* ---- object constructors ----------------------------------------------
 * Each returns S_OK with *out holding one reference, or E_OUTOFMEMORY /
 * E_INVALIDARG with *out NULL.  |counted|: count the new object as live
 * (pass !bgc_in_notification() unless told otherwise). */

/* Job object over |handle|; TAKES OVER the caller's handle reference (also
 * on failure, where it is released). */
HRESULT bgc_job_create(bgcopy_job *handle, int counted, IBackgroundCopyJob **out);

/* File object for file |index| of |job| (job is addref'ed). */
HRESULT bgc_file_create(bgcopy_job *job, uint32_t index, int counted,
                        IBackgroundCopyFile **out);

/* Error object holding a copy of |err| for |job| (job is addref'ed). */
HRESULT bgc_error_create(bgcopy_job *job, const bgcopy_job_error *err, int counted,
                         IBackgroundCopyError **out);

/* Job enumerator over a snapshot; TAKES OVER |jobs| (an array of |count|
 * handles from bgcopy_manager_enum_jobs), also on failure. */
HRESULT bgc_enum_jobs_create(bgcopy_job **jobs, size_t count, int counted,
                             IEnumBackgroundCopyJobs **out);

/* File enumerator over the files |job| has now (job is addref'ed). */
HRESULT bgc_enum_files_create(bgcopy_job *job, int counted, IEnumBackgroundCopyFiles **out);

#endif /* BGCOPY_COMPAT_OBJECTS_H */
