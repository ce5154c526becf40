/*
 * class_registry.h - which COM classes bgcopy can create, and the two hooks
 * the mini COM runtime calls into the COM-layout objects (internal to
 * compat/; not installed).
 *
 * Windows finds a class through the registry (HKCR\CLSID) and a class
 * factory.  bgcopy has a fixed, static table instead: CLSID -> constructor.
 * A BITS client probes the installed BITS version by CoCreateInstance on a
 * versioned CLSID (BackgroundCopyManager1_5 ... 10_1) and expects
 * REGDB_E_CLASSNOTREG when that version is absent, so a versioned CLSID is
 * only added to the table once bgcopy implements every interface of that
 * version (see class_registry.c).
 */
#ifndef BGCOPY_COMPAT_CLASS_REGISTRY_H
#define BGCOPY_COMPAT_CLASS_REGISTRY_H

#include "bgcopy_win32.h"

/* Constructor of one class: creates a new object and returns its |riid|
 * interface in *ppv (one reference owned by the caller).  Returns S_OK, or
 * E_NOINTERFACE / E_OUTOFMEMORY / ... with *ppv NULL.  |riid| and |ppv|
 * are never NULL (the runtime checks them first).  Must be thread-safe. */
typedef HRESULT (*bgc_class_create_fn)(REFIID riid, void **ppv);

/* The constructor registered for |rclsid|, or NULL when bgcopy does not
 * provide that class (CoCreateInstance then answers REGDB_E_CLASSNOTREG).
 * |rclsid| must not be NULL.  Pure lookup in a constant table: thread-safe. */
bgc_class_create_fn bgc_class_registry_lookup(REFCLSID rclsid);

/* ---- implemented by the COM-objects code (compat/src/manager.c) ---- */

/* Constructor of CLSID_BackgroundCopyManager: a new IBackgroundCopyManager
 * object over the shared bgcopy engine (opened on first use), answered as
 * |riid|.  Contract as bgc_class_create_fn.  Mirrors what
 * CoCreateInstance(CLSID_BackgroundCopyManager, ...) does on Windows. */
HRESULT bgcopy_compat_manager_create(REFIID riid, void **ppv);

/* Called by CoUninitialize when the process-wide count of CoInitialize(Ex)
 * calls drops to zero: the COM-objects code releases the shared engine
 * there (at once, or when its last live object goes).
 * Concurrency: called with no runtime lock held, on whichever thread made
 * the last CoUninitialize (possibly inside a notification callback), and it
 * may race with a CoInitializeEx + CoCreateInstance on another thread or
 * with another call of itself (0 -> 1 -> 0 on two threads).  It must
 * therefore be thread-safe and must not assume the count is still zero. */
void bgcopy_compat_on_last_uninitialize(void);

/* ---- class objects registered at run time (com_runtime.c) ---- */

/* The class object registered with CoRegisterClassObject for |rclsid|
 * (newest registration first): S_OK with *out AddRef'ed for the caller, or
 * REGDB_E_CLASSNOTREG with *out NULL.  Neither argument may be NULL.
 * Thread-safe.  Used by CoCreateInstance and by the queue manager to create
 * a GROUPPROP_NOTIFYCLSID callback (the role of CoGetClassObject). */
HRESULT bgc_class_object_get(REFCLSID rclsid, IClassFactory **out);

/* ---- implemented by the QMGR code (compat/src/qmgr_manager.c) ---- */

/* Constructor of CLSID_BackgroundCopyQMgr: a new IBackgroundCopyQMgr over
 * the shared engine, answered as |riid|.  Contract as bgc_class_create_fn.
 * Mirrors CoCreateInstance(CLSID_BackgroundCopyQMgr, ...). */
HRESULT bgcopy_compat_qmgr_create(REFIID riid, void **ppv);

#endif /* BGCOPY_COMPAT_CLASS_REGISTRY_H */
