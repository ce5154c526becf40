/*
 * sink_refs.h - the check that bgcopy gave back every reference it took on
 * a notification sink, made after the client's last CoUninitialize.
 *
 * On Linux that CoUninitialize closed the engine and joined its dispatcher
 * threads, so the count must be exact at once.  On Windows the engine stays
 * open until the process exits (docs/conformance.md): a delivery whose
 * callback has just returned drops its reference on the dispatcher thread a
 * moment later, so the count is given up to 10 s to settle there.
 */
#ifndef BGCOPY_TEST_SINK_REFS_H
#define BGCOPY_TEST_SINK_REFS_H

#include <windows.h>

#include "check.h"
#include "harness.h"

static int sink_refs_settled_(void *arg)
{
    return __atomic_load_n((LONG *)arg, __ATOMIC_SEQ_CST) == 1;
}

/* CHECKs that *ref (a sink's reference count, the client's own reference
 * included) is back at 1. */
#define CHECK_SINK_RELEASED(ref)                                                  \
    do {                                                                          \
        LONG *ref_ = (ref);                                                       \
        if (!SINK_REFS_ENGINE_CLOSES)                                             \
            (void)ts_wait_until(sink_refs_settled_, ref_, 10000);                 \
        CHECK_EQ_INT(__atomic_load_n(ref_, __ATOMIC_SEQ_CST), 1);                 \
    } while (0)

#ifdef _WIN32
#define SINK_REFS_ENGINE_CLOSES 0
#else
#define SINK_REFS_ENGINE_CLOSES 1
#endif

#endif /* BGCOPY_TEST_SINK_REFS_H */
