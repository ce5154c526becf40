/*
 * class_registry.c - the static CLSID -> constructor table behind
 * CoCreateInstance / BgCopyCreateInstance.
 *
 * CLSID_BackgroundCopyManager and the versioned CLSIDs 1_5 ... 10_1 are
 * registered, all to the same constructor; 10_2 and 10_3 are deliberately
 * absent: clients detect the BITS version by trying them and must get
 * REGDB_E_CLASSNOTREG for a version whose interfaces bgcopy does not yet
 * implement (spec §2).  When a version is complete, add one row for its
 * CLSID pointing at the same constructor; nothing else changes.
 *
 * Later (the QMGR work): CoRegisterClassObject will add a small dynamic
 * table consulted before this one; this static table stays as it is.
 */
#include "class_registry.h"

#include "bits.h"
#include "qmgr.h"
#include "bits10_1.h" /* versioned CLSIDs up to 10.1 */

struct bgc_class_entry {
    const CLSID *clsid;
    bgc_class_create_fn create;
};

static const struct bgc_class_entry bgc_classes[] = {
    {&CLSID_BackgroundCopyManager, bgcopy_compat_manager_create},
    {&CLSID_BackgroundCopyQMgr, bgcopy_compat_qmgr_create}, /* BITS 1.0 QMGR (qmgr.h) */
    /* Versioned CLSIDs: every interface of BITS 1.5 ... 10.1 answers
     * QueryInterface (some methods E_NOTIMPL, docs/conformance.md).  10.2
     * and 10.3 stay absent (IBackgroundCopyJobHttpOptions2/3 are not
     * implemented), as does the unconfirmed "10_0" CLSID. */
    {&CLSID_BackgroundCopyManager1_5, bgcopy_compat_manager_create},
    {&CLSID_BackgroundCopyManager2_0, bgcopy_compat_manager_create},
    {&CLSID_BackgroundCopyManager2_5, bgcopy_compat_manager_create},
    {&CLSID_BackgroundCopyManager3_0, bgcopy_compat_manager_create},
    {&CLSID_BackgroundCopyManager4_0, bgcopy_compat_manager_create},
    {&CLSID_BackgroundCopyManager5_0, bgcopy_compat_manager_create},
    {&CLSID_BackgroundCopyManager10_1, bgcopy_compat_manager_create},
};

bgc_class_create_fn bgc_class_registry_lookup(REFCLSID rclsid)
{
    for (size_t i = 0; i < sizeof bgc_classes / sizeof bgc_classes[0]; i++) {
        if (IsEqualCLSID(rclsid, bgc_classes[i].clsid))
            return bgc_classes[i].create;
    }
    return NULL;
}
