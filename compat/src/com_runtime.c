/*
 * com_runtime.c - the mini COM runtime for non-Windows platforms:
 * CoInitialize(Ex)/CoUninitialize bookkeeping, CoCreateInstance over the
 * static class table, the CoTaskMem* allocator and GUID <-> string.
 * Declarations and per-function contracts: compat/include/bgcopy_win32.h.
 * On Windows ole32/oleaut32 are the COM runtime; only BgCopyCreateInstance
 * (bgcopy's own activation entry point) is compiled there.
 *
 * Apartments: a thread initialised as STA gets a single-threaded
 * apartment (apartment.c), to which notification sinks registered from it
 * are called; every bgcopy object itself is free-threaded, so nothing else
 * is marshalled.  The init bookkeeping exists because BITS clients rely on
 * its answers (S_OK / S_FALSE / RPC_E_CHANGED_MODE / CO_E_NOTINITIALIZED)
 * and because the last CoUninitialize in the process is the moment the
 * shared engine (bgcopy's stand-in for the BITS service) can go away.
 *
 * It also holds the two OLE Automation pieces of the BITS 1.0 Queue Manager
 * API: BSTR (SysAllocString...) and VARIANT (VariantInit/VariantClear), and
 * the process's table of registered class objects (CoRegisterClassObject),
 * consulted by CoCreateInstance before the static class table and by the
 * queue manager when it activates a GROUPPROP_NOTIFYCLSID callback.
 *
 * Invariants:
 *  - bgc_thread.count is the number of successful, not yet undone
 *    CoInitialize(Ex) calls of this thread; bgc_thread.model is meaningful
 *    only while count > 0.
 *  - bgc_process_inits is the sum of every thread's count (threads that
 *    exit without CoUninitialize keep theirs forever, as on Windows the
 *    apartment would leak).  It is only changed with atomic read-modify-write
 *    operations, so exactly one CoUninitialize observes the 1 -> 0 step and
 *    calls the hook, without holding any lock (the hook may wait for the
 *    notification thread, which may itself be calling into this file).
 */
#include "bgc_sync.h" /* before bgcopy_win32.h: uv.h needs winsock2.h first */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apartment.h"
#include "bgcopy_win32.h"
#include "class_registry.h"
#include "oleauto.h"

#ifndef _WIN32

enum bgc_model { BGC_MODEL_MTA = 0, BGC_MODEL_STA = 1 };

static _Thread_local struct {
    unsigned count;
    enum bgc_model model;
} bgc_thread;

static LONG volatile bgc_process_inits;

/* ------------------------------------------------------------ init counts */

BGCOPY_COMPAT_API HRESULT CoInitializeEx(LPVOID reserved, DWORD coinit)
{
    (void)reserved; /* must be NULL; Windows ignores it too */
    enum bgc_model model = (coinit & COINIT_APARTMENTTHREADED) ? BGC_MODEL_STA : BGC_MODEL_MTA;

    if (bgc_thread.count > 0 && bgc_thread.model != model)
        return RPC_E_CHANGED_MODE;

    HRESULT hr = bgc_thread.count == 0 ? S_OK : S_FALSE;
    bgc_thread.model = model;
    bgc_thread.count++;
    InterlockedIncrement(&bgc_process_inits);
    if (hr == S_OK && model == BGC_MODEL_STA)
        bgc_apartment_sta_begin();
    return hr;
}

BGCOPY_COMPAT_API HRESULT CoInitialize(LPVOID reserved)
{
    return CoInitializeEx(reserved, COINIT_APARTMENTTHREADED);
}

BGCOPY_COMPAT_API void CoUninitialize(void)
{
    if (bgc_thread.count == 0)
        return; /* unbalanced call: Windows ignores it as well */
    bgc_thread.count--;
    /* The STA's waiting calls fail before the engine may close below. */
    if (bgc_thread.count == 0 && bgc_thread.model == BGC_MODEL_STA)
        bgc_apartment_sta_end();
    if (InterlockedDecrement(&bgc_process_inits) == 0)
        bgcopy_compat_on_last_uninitialize();
}

BGCOPY_COMPAT_API HRESULT CoInitializeSecurity(PSECURITY_DESCRIPTOR pSecDesc, LONG cAuthSvc,
                                               SOLE_AUTHENTICATION_SERVICE *asAuthSvc,
                                               void *pReserved1, DWORD dwAuthnLevel,
                                               DWORD dwImpLevel, void *pAuthList,
                                               DWORD dwCapabilities, void *pReserved3)
{
    (void)pSecDesc, (void)cAuthSvc, (void)asAuthSvc, (void)pReserved1, (void)dwAuthnLevel;
    (void)dwImpLevel, (void)pAuthList, (void)dwCapabilities, (void)pReserved3;
    return S_OK;
}

/* ------------------------------------------------------------- activation */

BGCOPY_COMPAT_API HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD clsctx,
                                           REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL)
        return E_POINTER;
    *ppv = NULL;
    if (bgc_thread.count == 0)
        return CO_E_NOTINITIALIZED;
    return BgCopyCreateInstance(rclsid, pUnkOuter, clsctx, riid, ppv);
}

#endif /* !_WIN32 */

/* Shared by both platforms: the only runtime entry point bgcopy also
 * exports on Windows.  Check order follows Windows: pointer, class, then
 * the class's own refusal of aggregation. */
BGCOPY_COMPAT_API HRESULT BgCopyCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD clsctx,
                                               REFIID riid, LPVOID *ppv)
{
    (void)clsctx; /* every bgcopy object lives in-process, whatever is asked */
    if (ppv == NULL)
        return E_POINTER;
    *ppv = NULL;
    if (rclsid == NULL || riid == NULL)
        return E_INVALIDARG;
#ifndef _WIN32
    /* A class object registered by this process wins over the static table,
     * as a CoRegisterClassObject registration wins over HKCR on Windows. */
    IClassFactory *factory = NULL;
    if (SUCCEEDED(bgc_class_object_get(rclsid, &factory))) {
        HRESULT fhr = factory->lpVtbl->CreateInstance(factory, pUnkOuter, riid, ppv);
        factory->lpVtbl->Release(factory);
        if (FAILED(fhr))
            *ppv = NULL;
        return fhr;
    }
#endif
    bgc_class_create_fn create = bgc_class_registry_lookup(rclsid);
    if (create == NULL)
        return REGDB_E_CLASSNOTREG;
    if (pUnkOuter != NULL)
        return CLASS_E_NOAGGREGATION; /* no bgcopy class supports aggregation */
    HRESULT hr = create(riid, ppv);
    if (FAILED(hr))
        *ppv = NULL;
    return hr;
}

#ifndef _WIN32

/* -------------------------------------------------------- task allocator */

BGCOPY_COMPAT_API LPVOID CoTaskMemAlloc(SIZE_T cb)
{
    /* malloc(0) may return NULL, which callers would take for out-of-memory. */
    return malloc(cb ? cb : 1);
}

BGCOPY_COMPAT_API LPVOID CoTaskMemRealloc(LPVOID pv, SIZE_T cb)
{
    if (pv == NULL)
        return CoTaskMemAlloc(cb);
    if (cb == 0) {
        free(pv);
        return NULL;
    }
    return realloc(pv, cb);
}

BGCOPY_COMPAT_API void CoTaskMemFree(LPVOID pv)
{
    free(pv);
}

/* ------------------------------------------------------ GUID <-> string */

/* "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" is 38 characters + NUL. */
#define BGC_GUID_STRING_LEN 38

static void bgc_put_hex(WCHAR *out, uint32_t value, int digits)
{
    static const char hex[] = "0123456789ABCDEF";
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = (WCHAR)hex[value & 0xF];
        value >>= 4;
    }
}

BGCOPY_COMPAT_API int StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax)
{
    if (rguid == NULL || lpsz == NULL || cchMax < BGC_GUID_STRING_LEN + 1)
        return 0;
    WCHAR *p = lpsz;
    *p++ = L'{';
    bgc_put_hex(p, rguid->Data1, 8), p += 8;
    *p++ = L'-';
    bgc_put_hex(p, rguid->Data2, 4), p += 4;
    *p++ = L'-';
    bgc_put_hex(p, rguid->Data3, 4), p += 4;
    *p++ = L'-';
    for (int i = 0; i < 8; i++) {
        if (i == 2)
            *p++ = L'-';
        bgc_put_hex(p, rguid->Data4[i], 2), p += 2;
    }
    *p++ = L'}';
    *p = L'\0';
    return BGC_GUID_STRING_LEN + 1;
}

static int bgc_hex_value(WCHAR c)
{
    if (c >= L'0' && c <= L'9')
        return (int)(c - L'0');
    if (c >= L'a' && c <= L'f')
        return (int)(c - L'a') + 10;
    if (c >= L'A' && c <= L'F')
        return (int)(c - L'A') + 10;
    return -1;
}

/* Parse |digits| hex digits at |s| into *out; 0 on a non-hex character. */
static int bgc_get_hex(const WCHAR *s, int digits, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < digits; i++) {
        int d = bgc_hex_value(s[i]);
        if (d < 0)
            return 0;
        v = (v << 4) | (uint32_t)d;
    }
    *out = v;
    return 1;
}

/* 1 when |s| is exactly a braced GUID string, filling *g. */
static int bgc_parse_guid(LPCOLESTR s, GUID *g)
{
    /* Stop at the first NUL: never read past a short string. */
    for (int i = 0; i < BGC_GUID_STRING_LEN; i++) {
        if (s[i] == L'\0')
            return 0;
    }
    if (s[BGC_GUID_STRING_LEN] != L'\0' || s[0] != L'{' || s[37] != L'}' || s[9] != L'-' ||
        s[14] != L'-' || s[19] != L'-' || s[24] != L'-')
        return 0;
    uint32_t d1, d2, d3, b;
    if (!bgc_get_hex(s + 1, 8, &d1) || !bgc_get_hex(s + 10, 4, &d2) || !bgc_get_hex(s + 15, 4, &d3))
        return 0;
    GUID r;
    r.Data1 = d1;
    r.Data2 = (uint16_t)d2;
    r.Data3 = (uint16_t)d3;
    static const int offsets[8] = {20, 22, 25, 27, 29, 31, 33, 35};
    for (int i = 0; i < 8; i++) {
        if (!bgc_get_hex(s + offsets[i], 2, &b))
            return 0;
        r.Data4[i] = (uint8_t)b;
    }
    *g = r;
    return 1;
}

BGCOPY_COMPAT_API HRESULT CLSIDFromString(LPCOLESTR lpsz, LPCLSID pclsid)
{
    if (pclsid == NULL)
        return E_INVALIDARG;
    *pclsid = GUID_NULL;
    if (lpsz == NULL)
        return S_OK; /* Windows: a NULL string means CLSID_NULL */
    return bgc_parse_guid(lpsz, pclsid) ? S_OK : CO_E_CLASSSTRING;
}

BGCOPY_COMPAT_API HRESULT IIDFromString(LPCOLESTR lpsz, LPIID lpiid)
{
    if (lpiid == NULL)
        return E_INVALIDARG;
    *lpiid = GUID_NULL;
    if (lpsz == NULL)
        return S_OK;
    if (bgc_parse_guid(lpsz, lpiid))
        return S_OK;
    size_t len = 0;
    while (len <= BGC_GUID_STRING_LEN && lpsz[len] != L'\0')
        len++;
    return len == BGC_GUID_STRING_LEN ? CO_E_IIDSTRING : E_INVALIDARG;
}

#endif /* !_WIN32 */

#ifndef _WIN32

/* ------------------------------------------------------------------ BSTR */

/* Layout: [uint32 byte length][padding to 8][WCHAR chars...][WCHAR NUL].
 * The prefix sits in the 4 bytes just before the characters (as on
 * Windows); the header is 8 bytes so the characters stay wchar_t-aligned
 * and the block start (what free() needs) is 8 bytes before the BSTR. */
#define BGC_BSTR_HEADER 8

BGCOPY_COMPAT_API BSTR SysAllocStringLen(const OLECHAR *strIn, UINT ui)
{
    if ((size_t)ui > (UINT32_MAX - BGC_BSTR_HEADER) / sizeof(OLECHAR) - 1)
        return NULL;
    size_t bytes = (size_t)ui * sizeof(OLECHAR);
    char *block = malloc(BGC_BSTR_HEADER + bytes + sizeof(OLECHAR));
    if (!block)
        return NULL;
    uint32_t len = (uint32_t)bytes;
    memset(block, 0, BGC_BSTR_HEADER);
    memcpy(block + BGC_BSTR_HEADER - sizeof len, &len, sizeof len);
    BSTR s = (BSTR)(void *)(block + BGC_BSTR_HEADER);
    if (strIn)
        memcpy(s, strIn, bytes);
    else
        memset(s, 0, bytes);
    s[ui] = L'\0';
    return s;
}

BGCOPY_COMPAT_API BSTR SysAllocString(const OLECHAR *psz)
{
    if (!psz)
        return NULL;
    size_t n = 0;
    while (psz[n])
        n++;
    if (n > UINT32_MAX / sizeof(OLECHAR))
        return NULL;
    return SysAllocStringLen(psz, (UINT)n);
}

BGCOPY_COMPAT_API void SysFreeString(BSTR bstrString)
{
    if (bstrString)
        free((char *)(void *)bstrString - BGC_BSTR_HEADER);
}

BGCOPY_COMPAT_API UINT SysStringByteLen(BSTR pbstr)
{
    if (!pbstr)
        return 0;
    uint32_t len;
    memcpy(&len, (char *)(void *)pbstr - sizeof len, sizeof len);
    return len;
}

BGCOPY_COMPAT_API UINT SysStringLen(BSTR pbstr)
{
    return SysStringByteLen(pbstr) / (UINT)sizeof(OLECHAR);
}

/* --------------------------------------------------------------- VARIANT */

BGCOPY_COMPAT_API void VariantInit(VARIANTARG *pvarg)
{
    if (!pvarg)
        return;
    memset(pvarg, 0, sizeof *pvarg);
    pvarg->vt = VT_EMPTY;
}

BGCOPY_COMPAT_API HRESULT VariantClear(VARIANTARG *pvarg)
{
    if (!pvarg)
        return E_INVALIDARG;
    switch (pvarg->vt) {
    case VT_BSTR:
        SysFreeString(pvarg->bstrVal);
        break;
    case VT_EMPTY: case VT_NULL: case VT_I2: case VT_I4: case VT_BOOL:
    case VT_UI2: case VT_UI4: case VT_INT: case VT_UINT:
        break;
    default:
        return DISP_E_BADVARTYPE;
    }
    memset(pvarg, 0, sizeof *pvarg);
    pvarg->vt = VT_EMPTY;
    return S_OK;
}

/* ------------------------------------------------------- class objects */

/* Registered class objects, newest first.  Guarded by g_classes_lock, which
 * is never held while user code (AddRef/Release/CreateInstance) runs except
 * the AddRef of a lookup: a factory's AddRef must not call back into
 * CoRegisterClassObject (none does; it is an atomic increment). */
typedef struct bgc_class_object {
    CLSID clsid;
    IClassFactory *factory;
    DWORD cookie;
    struct bgc_class_object *next;
} bgc_class_object;

BGC_STATIC_MUTEX(g_classes_lock)
static bgc_class_object *g_classes;
static DWORD g_next_cookie = 1;

BGCOPY_COMPAT_API HRESULT CoRegisterClassObject(REFCLSID rclsid, LPUNKNOWN pUnk,
                                                DWORD dwClsContext, DWORD flags,
                                                LPDWORD lpdwRegister)
{
    (void)dwClsContext, (void)flags; /* every registration is in-process, multiple-use */
    if (lpdwRegister)
        *lpdwRegister = 0;
    if (!rclsid || !pUnk || !lpdwRegister)
        return E_INVALIDARG;
    if (bgc_thread.count == 0)
        return CO_E_NOTINITIALIZED;
    IClassFactory *factory = NULL;
    HRESULT hr = pUnk->lpVtbl->QueryInterface(pUnk, &IID_IClassFactory, (void **)&factory);
    if (FAILED(hr) || !factory)
        return E_NOINTERFACE;
    bgc_class_object *e = calloc(1, sizeof *e);
    if (!e) {
        factory->lpVtbl->Release(factory);
        return E_OUTOFMEMORY;
    }
    e->clsid = *rclsid;
    e->factory = factory; /* the reference QueryInterface took */
    uv_mutex_lock(g_classes_lock());
    e->cookie = g_next_cookie++;
    if (g_next_cookie == 0)
        g_next_cookie = 1;
    e->next = g_classes;
    g_classes = e;
    *lpdwRegister = e->cookie;
    uv_mutex_unlock(g_classes_lock());
    return S_OK;
}

BGCOPY_COMPAT_API HRESULT CoRevokeClassObject(DWORD dwRegister)
{
    bgc_class_object *found = NULL;
    uv_mutex_lock(g_classes_lock());
    for (bgc_class_object **pp = &g_classes; *pp; pp = &(*pp)->next) {
        if ((*pp)->cookie == dwRegister) {
            found = *pp;
            *pp = found->next;
            break;
        }
    }
    uv_mutex_unlock(g_classes_lock());
    if (!found)
        return CO_E_OBJNOTREG;
    found->factory->lpVtbl->Release(found->factory);
    free(found);
    return S_OK;
}

HRESULT bgc_class_object_get(REFCLSID rclsid, IClassFactory **out)
{
    *out = NULL;
    uv_mutex_lock(g_classes_lock());
    for (bgc_class_object *e = g_classes; e; e = e->next) {
        if (IsEqualCLSID(rclsid, &e->clsid)) {
            e->factory->lpVtbl->AddRef(e->factory);
            *out = e->factory;
            break;
        }
    }
    uv_mutex_unlock(g_classes_lock());
    return *out ? S_OK : REGDB_E_CLASSNOTREG;
}

#endif /* !_WIN32 */
