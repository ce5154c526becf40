/*
 * oleauto.h - BSTR and VARIANT, the two OLE Automation types the BITS 1.0
 * Queue Manager API (qmgr.h) needs, plus CoRegisterClassObject /
 * CoRevokeClassObject with which a client makes its IBackgroundCopyCallback1
 * class creatable (GROUPPROP_NOTIFYCLSID).  bgcopy's stand-in for the parts
 * of the Windows SDK's oleauto.h / oaidl.h / wtypes.h / objbase.h that these
 * interfaces use; on Windows the SDK headers are used instead.
 *
 * BSTR: a WCHAR string allocated by SysAllocString*, preceded by a 32-bit
 * byte length and followed by a NUL WCHAR; the BSTR value points at the
 * first character, so it can be passed where a LPCWSTR is expected.  NULL is
 * a valid, empty BSTR.  (WCHAR is wchar_t, 4 bytes on Linux: the length
 * prefix counts bytes, as on Windows, so SysStringLen = prefix / sizeof(WCHAR).)
 *
 * VARIANT: the Windows layout of the header (vt + three reserved WORDs)
 * followed by a union; only the members bgcopy uses are named, the union is
 * padded to the Windows size (16 bytes on 32-bit, 24 on 64-bit).
 */
#ifndef BGCOPY_OLEAUTO_H
#define BGCOPY_OLEAUTO_H

#ifdef _WIN32
#  if defined(__GNUC__)
#    include_next <oleauto.h>
#  else
#    error "bgcopy compat/include/oleauto.h is for non-Windows builds: list the Windows SDK include directories before bgcopy's compat/include"
#  endif
#else

#include "bgcopy_win32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef OLECHAR *BSTR;
typedef unsigned short VARTYPE;
typedef short VARIANT_BOOL;
#define VARIANT_TRUE ((VARIANT_BOOL)-1)
#define VARIANT_FALSE ((VARIANT_BOOL)0)

/* VARENUM values (wtypes.h) of the types bgcopy handles. */
enum VARENUM {
    VT_EMPTY = 0,
    VT_NULL = 1,
    VT_I2 = 2,
    VT_I4 = 3,
    VT_BSTR = 8,
    VT_BOOL = 11,
    VT_UI2 = 18,
    VT_UI4 = 19,
    VT_INT = 22,
    VT_UINT = 23
};

typedef struct tagVARIANT {
    VARTYPE vt;
    WORD wReserved1;
    WORD wReserved2;
    WORD wReserved3;
    union {
        LONG lVal;          /* VT_I4 */
        SHORT iVal;         /* VT_I2 */
        ULONG ulVal;        /* VT_UI4 */
        USHORT uiVal;       /* VT_UI2 */
        INT intVal;         /* VT_INT */
        UINT uintVal;       /* VT_UINT */
        VARIANT_BOOL boolVal; /* VT_BOOL */
        BSTR bstrVal;       /* VT_BSTR: owned by the VARIANT */
        void *bgcopy_pad_[2]; /* the Windows union is two pointers wide */
    };
} VARIANT, VARIANTARG;
typedef VARIANT *LPVARIANT;

/* Macros of the SDK (oleauto.h) for reading and writing a VARIANT. */
#define V_VT(X) ((X)->vt)
#define V_I2(X) ((X)->iVal)
#define V_I4(X) ((X)->lVal)
#define V_UI2(X) ((X)->uiVal)
#define V_UI4(X) ((X)->ulVal)
#define V_INT(X) ((X)->intVal)
#define V_UINT(X) ((X)->uintVal)
#define V_BOOL(X) ((X)->boolVal)
#define V_BSTR(X) ((X)->bstrVal)

/* A new BSTR copy of the NUL-terminated |psz|; NULL when psz is NULL or
 * memory runs out.  Free with SysFreeString.  Thread-safe. */
BGCOPY_COMPAT_API BSTR SysAllocString(const OLECHAR *psz);

/* A new BSTR of |ui| characters copied from |strIn| (which may contain NULs),
 * or uninitialised (but NUL-terminated) when strIn is NULL.  NULL when out of
 * memory.  Thread-safe. */
BGCOPY_COMPAT_API BSTR SysAllocStringLen(const OLECHAR *strIn, UINT ui);

/* Free a BSTR from SysAllocString*; NULL is ignored.  Thread-safe. */
BGCOPY_COMPAT_API void SysFreeString(BSTR bstrString);

/* Length of |pbstr| in characters (from its length prefix, not strlen);
 * 0 for NULL.  Thread-safe. */
BGCOPY_COMPAT_API UINT SysStringLen(BSTR pbstr);

/* Length of |pbstr| in bytes (the prefix itself); 0 for NULL. */
BGCOPY_COMPAT_API UINT SysStringByteLen(BSTR pbstr);

/* Set *pvarg to VT_EMPTY (without freeing anything it held). */
BGCOPY_COMPAT_API void VariantInit(VARIANTARG *pvarg);

/* Free what *pvarg owns (the BSTR of a VT_BSTR) and set it to VT_EMPTY.
 * S_OK; E_INVALIDARG for NULL; DISP_E_BADVARTYPE for a type bgcopy does
 * not know (the VARIANT is then left unchanged). */
BGCOPY_COMPAT_API HRESULT VariantClear(VARIANTARG *pvarg);

#ifndef DISP_E_BADVARTYPE
#  define DISP_E_BADVARTYPE ((HRESULT)0x80020008)
#endif

/* ---- class objects (objbase.h) ---- */

/* REGCLS flags of CoRegisterClassObject. */
typedef enum tagREGCLS {
    REGCLS_SINGLEUSE = 0,
    REGCLS_MULTIPLEUSE = 1,
    REGCLS_MULTI_SEPARATE = 2,
    REGCLS_SUSPENDED = 4,
    REGCLS_SURROGATE = 8
} REGCLS;

#ifndef CO_E_OBJNOTREG
#  define CO_E_OBJNOTREG ((HRESULT)0x800401FB)
#endif

/* Register |pUnk| (an object answering IID_IClassFactory) as the class
 * object of |rclsid| for this process: CoCreateInstance(rclsid) and the
 * queue manager's GROUPPROP_NOTIFYCLSID activation then create objects
 * through its IClassFactory::CreateInstance.  The class object is AddRef'ed
 * until CoRevokeClassObject.  |dwClsContext| and |flags| are accepted but
 * every registration is in-process and multiple-use.  *lpdwRegister
 * receives a non-zero cookie.  A later registration of the same CLSID
 * shadows an earlier one until revoked.  Errors: E_INVALIDARG (NULL
 * arguments), E_NOINTERFACE (pUnk has no IClassFactory), E_OUTOFMEMORY,
 * CO_E_NOTINITIALIZED (thread without CoInitialize(Ex)).  Thread-safe.
 * Mirrors CoRegisterClassObject. */
BGCOPY_COMPAT_API HRESULT CoRegisterClassObject(REFCLSID rclsid, LPUNKNOWN pUnk,
                                                DWORD dwClsContext, DWORD flags,
                                                LPDWORD lpdwRegister);

/* Undo the registration |dwRegister| and Release its class object.
 * Errors: CO_E_OBJNOTREG (unknown or already revoked cookie).
 * Thread-safe.  Mirrors CoRevokeClassObject. */
BGCOPY_COMPAT_API HRESULT CoRevokeClassObject(DWORD dwRegister);

#ifdef __cplusplus
}
#endif

#endif /* !_WIN32 */
#endif /* BGCOPY_OLEAUTO_H */
