/*
 * compat_objects.h - the COM-layout BITS objects over the native bgcopy_* API
 * (internal to compat/; not installed).
 *
 * Object pattern (DESIGN.md §3): every object is a struct that embeds its
 * lpVtbl-headed interface struct; methods get the object back with an
 * offsetof-based impl_from_<Interface>() helper.  Reference counts are
 * atomic, so AddRef/Release may be called from any thread (the notification
 * dispatcher thread included).  QueryInterface answers IID_IUnknown and the
 * one interface each object really implements; everything else gets
 * E_NOINTERFACE with *ppv = NULL.
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
 *    no live object remains, else when the last live object is released;
 *  - a later CoCreateInstance opens a fresh engine (after waiting for a
 *    close still in progress, except on the dispatcher thread).
 * Known limit: the hook cannot see the CoInitialize count, so if another
 * thread initializes COM again and creates objects before the hook runs,
 * the engine still closes once those objects are gone (and the next
 * CoCreateInstance reopens one).
 * Closing waits for the dispatcher thread, so it must never run on it: if
 * the last live object is released from inside a notification callback,
 * the close is handed to a short-lived helper thread.
 */
#ifndef BGCOPY_COMPAT_OBJECTS_H
#define BGCOPY_COMPAT_OBJECTS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <windows.h>
#include <bits.h>
#include <bits3_0.h> /* IBackgroundCopyCallback2 */

#include "bgcopy.h"
#include "wstr.h"

/* Recover the object that embeds interface member |member| of |type|. */
#define BGC_IMPL_FROM(type, member, iface) \
    ((type *)(void *)((char *)(iface) - offsetof(type, member)))

/* The vtables are static const: bgcopy_win32.h makes CONST_VTBL const. */
#define BGC_SET_VTBL(iface, vtbl) ((iface)->lpVtbl = (vtbl))

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
