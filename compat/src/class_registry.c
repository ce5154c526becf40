/*
 * class_registry.c - the static CLSID -> constructor table behind
 * CoCreateInstance / BgCopyCreateInstance.
 *
 * Only CLSID_BackgroundCopyManager (BITS 1.0) is registered.  The versioned
 * CLSIDs (CLSID_BackgroundCopyManager1_5 ... 10_1) are deliberately absent:
 * clients detect the BITS version by trying them and must get
 * REGDB_E_CLASSNOTREG for a version whose interfaces bgcopy does not yet
 * implement (spec §2).  When a version is complete, add one row for its
 * CLSID pointing at the same constructor; nothing else changes.
 *
 * Later (the QMGR work): CoRegisterClassObject will add a small dynamic
 * table consulted before this one; this static table stays as it is.
 */
#include "class_registry.h"

#include "bits.h"

struct bgc_class_entry {
    const CLSID *clsid;
    bgc_class_create_fn create;
};

static const struct bgc_class_entry bgc_classes[] = {
    {&CLSID_BackgroundCopyManager, bgcopy_compat_manager_create},
    /* {&CLSID_BackgroundCopyManager1_5, bgcopy_compat_manager_create}, once
     * IBackgroundCopyJob2 is implemented; likewise for later versions. */
};

bgc_class_create_fn bgc_class_registry_lookup(REFCLSID rclsid)
{
    for (size_t i = 0; i < sizeof bgc_classes / sizeof bgc_classes[0]; i++) {
        if (IsEqualCLSID(rclsid, bgc_classes[i].clsid))
            return bgc_classes[i].create;
    }
    return NULL;
}
