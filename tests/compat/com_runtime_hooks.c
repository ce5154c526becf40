/*
 * com_runtime_hooks.c - the two functions the mini COM runtime calls into
 * the COM-objects code, given test bodies so that the runtime
 * (com_runtime.c, class_registry.c, guids.c) can be linked and tested on
 * its own: what it passes to the class constructor, what it does with the
 * result, and when it calls the last-uninitialize hook.  The real versions
 * live in compat/src/manager.c and are exercised by the COM-objects tests.
 *
 * The "manager" made here is a minimal real COM object (IUnknown only,
 * atomic reference count, freed on the last Release), so leaks and double
 * releases show up under ASan.
 */
#include <stdlib.h>

#include "class_registry.h"
#include "com_runtime_hooks.h"

typedef struct {
    IUnknown iface;
    LONG volatile ref;
} hook_object;

static LONG volatile hook_last_uninit_calls;
static LONG volatile hook_create_calls;
static LONG volatile hook_live_objects;

static HRESULT STDMETHODCALLTYPE hook_QueryInterface(IUnknown *This, REFIID riid, void **ppv)
{
    if (!IsEqualIID(riid, &IID_IUnknown)) {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    *ppv = This;
    InterlockedIncrement(&((hook_object *)(void *)This)->ref);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE hook_AddRef(IUnknown *This)
{
    return (ULONG)InterlockedIncrement(&((hook_object *)(void *)This)->ref);
}

static ULONG STDMETHODCALLTYPE hook_Release(IUnknown *This)
{
    LONG ref = InterlockedDecrement(&((hook_object *)(void *)This)->ref);
    if (ref == 0) {
        free(This);
        InterlockedDecrement(&hook_live_objects);
    }
    return (ULONG)ref;
}

static const IUnknownVtbl hook_vtbl = {hook_QueryInterface, hook_AddRef, hook_Release};

HRESULT bgcopy_compat_manager_create(REFIID riid, void **ppv)
{
    InterlockedIncrement(&hook_create_calls);
    hook_object *o = malloc(sizeof *o);
    if (o == NULL)
        return E_OUTOFMEMORY;
    o->iface.lpVtbl = &hook_vtbl;
    o->ref = 1;
    InterlockedIncrement(&hook_live_objects);
    HRESULT hr = hook_QueryInterface(&o->iface, riid, ppv);
    hook_Release(&o->iface); /* drop the construction reference */
    return hr;
}

void bgcopy_compat_on_last_uninitialize(void)
{
    InterlockedIncrement(&hook_last_uninit_calls);
}

int hooks_last_uninit_calls(void) { return (int)InterlockedCompareExchange(&hook_last_uninit_calls, 0, 0); }
int hooks_create_calls(void) { return (int)InterlockedCompareExchange(&hook_create_calls, 0, 0); }
int hooks_live_objects(void) { return (int)InterlockedCompareExchange(&hook_live_objects, 0, 0); }

/* The runtime's class table also names the BITS 1.0 queue manager; this
 * test links the runtime without the COM objects, so the class answers
 * "no such interface" here. */
HRESULT bgcopy_compat_qmgr_create(REFIID riid, void **ppv)
{
    (void)riid;
    if (ppv)
        *ppv = NULL;
    return E_NOINTERFACE;
}
