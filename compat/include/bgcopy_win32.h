/*
 * bgcopy_win32.h - the Win32 / COM basics that BITS client code expects,
 * for platforms without the Windows SDK.
 *
 * BITS samples are written against <windows.h>, <objbase.h> and <bits.h>.
 * bgcopy ships Windows-named headers (windows.h, objbase.h, unknwn.h,
 * wtypes.h, winerror.h, bits*.h, bitsmsg.h) that all funnel into this file,
 * so that such source compiles unchanged on Linux, as C (lpVtbl structs and
 * IFoo_Method(p, ...) macros) and as C++ (abstract structs, __uuidof).
 * sal.h (annotations as no-ops) and tchar.h come along; Sleep,
 * GetTickCount and GetLastError are declared here but defined in
 * libbgcopy-win32 (docs/windows-programs.md).
 *
 * Decisions (see the spec /work/shared/spec/BITS-CONTRACT.md §1 and DESIGN.md):
 *  - Windows integer widths hold on LP64: ULONG, LONG, DWORD, BOOL, HRESULT
 *    are 32 bits (ULONG is NOT C's unsigned long here).
 *  - WCHAR is wchar_t everywhere (UTF-32 on Linux), so L"..." literals and
 *    wcs* functions work unchanged.  bgcopy is source-compatible with BITS
 *    clients, not binary-compatible with Windows DLLs.
 *  - Calling-convention macros (__stdcall, STDMETHODCALLTYPE) are empty: the
 *    platform ABI is used.  C and C++ vtables still have the same layout
 *    (single inheritance, no virtual destructors), so a C-implemented object
 *    can be called from C++ and the other way round.
 *  - CONST_VTBL is `const` (as if the SDK's CONST_VTABLE were defined), so
 *    objects written in C can keep their vtables in read-only memory.
 *  - The Interlocked* functions are sequentially consistent atomics.
 *  - REFGUID/REFIID/REFCLSID are `const GUID *` in C and `const GUID &` in
 *    C++, as in the SDK; C++ gets operator== / != on GUIDs.
 *  - C++ interfaces have a protected, non-virtual destructor (see IUnknown):
 *    no extra vtable slot, and -Wnon-virtual-dtor stays quiet.
 *
 * Notes for C++ clients:
 *  - bgcopy's objects are implemented in C, so they carry no C++ type
 *    information; a client built with -fsanitize=undefined must add
 *    -fno-sanitize=vptr or UBSan reports every call on them.
 *  - The samples' `delete this` in a non-final class draws GCC's
 *    -Wdelete-non-virtual-dtor (part of -Wall); mark the class `final`.
 *
 * On Windows (_WIN32) this file includes the SDK's <windows.h> and
 * <objbase.h> and defines nothing the SDK defines; it only adds bgcopy's own
 * entry point BgCopyCreateInstance and the helper macros the bits*.h headers
 * use (BGCOPY_UUID_DECL: __uuidof through mingw-w64's __CRT_UUID_DECL).
 * Types, HRESULTs, IUnknown, IClassFactory, the COM runtime (ole32,
 * oleaut32) and IID_IUnknown / IID_IClassFactory / GUID_NULL (uuid.lib) are
 * the SDK's; the BITS IIDs and CLSIDs are libbgcopy's (the SDK's uuid.lib
 * has none of them, so nothing is defined twice).
 * Include order on Windows: bgcopy's compat/include may come first (-I is
 * searched before the system directories): its bits*.h, qmgr.h and
 * bitsmsg.h replace the SDK's headers of the same name, and its windows.h,
 * objbase.h, unknwn.h, wtypes.h, winerror.h and oleauto.h forward to the
 * SDK's with #include_next (GCC and Clang; other compilers must list the
 * SDK directories first, and the wrappers say so).
 * Differences a Windows C client sees, both the SDK's own rules:
 *  - CONST_VTBL is `const` only when CONST_VTABLE is defined before the
 *    first SDK header (this file defines it when it comes first; define it
 *    on the command line to be sure); a client that keeps its vtables const
 *    needs it, as with the SDK alone;
 *  - IUnknown_Release(p) and the other SDK interface macros need
 *    COBJMACROS (bgcopy's IFoo_Method macros never do);
 *  - RPC_X_NULL_REF_POINTER / RPC_X_BAD_STUB_DATA are Win32 error codes
 *    (HRESULTs here): HRESULT_FROM_WIN32(RPC_X_...) is right on both;
 *  - the ERROR_WINHTTP_* codes are in <winhttp.h>.
 */
#ifndef BGCOPY_WIN32_H
#define BGCOPY_WIN32_H

/* Visibility of the functions and data libbgcopy exports from compat/.
 * Same scheme as BGCOPY_API in bgcopy.h, under its own name so that both
 * headers can be included in any order. */
#if defined(_WIN32) && defined(BGCOPY_SHARED)
#  ifdef BGCOPY_BUILDING
#    define BGCOPY_COMPAT_API __declspec(dllexport)
#  else
#    define BGCOPY_COMPAT_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && !defined(_WIN32)
#  define BGCOPY_COMPAT_API __attribute__((visibility("default")))
#else
#  define BGCOPY_COMPAT_API
#endif

#ifdef _WIN32
/* ------------------------------------------------------------ Windows */
/* Const vtables, as on the other platforms, when this header is the first
 * to reach the SDK's COM headers (CONST_VTABLE is the client's switch, not
 * an SDK definition; see "Differences a Windows C client sees" above). */
#  ifndef CONST_VTABLE
#    define CONST_VTABLE
#  endif
#  include <windows.h>
#  include <objbase.h>

/* __uuidof for bgcopy's headers: MSVC takes it from DECLSPEC_UUID, mingw-w64
 * from __CRT_UUID_DECL. */
#  if defined(__cplusplus) && defined(__MINGW32__)
#    define BGCOPY_UUID_DECL(type, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
         __CRT_UUID_DECL(type, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)
#  else
#    define BGCOPY_UUID_DECL(type, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)
#  endif
#  define BGCOPY_COCLASS(name, uuidstr) class DECLSPEC_UUID(uuidstr) name

#else /* !_WIN32 */
/* -------------------------------------------------------- everything else */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "sal.h" /* the SDK's windows.h brings the annotations too */

#ifdef __cplusplus
#  define EXTERN_C extern "C"
#else
#  define EXTERN_C extern
#endif

/* ---- integer and pointer types (winnt.h / basetsd.h / wtypes.h) ---- */

typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef uint32_t ULONG;
typedef int32_t LONG;
typedef int32_t BOOL;
typedef uint8_t BOOLEAN;
typedef uint32_t UINT;
typedef int32_t INT;
typedef int16_t SHORT;
typedef uint16_t USHORT;
typedef char CHAR;
typedef unsigned char UCHAR;
typedef int32_t INT32;
typedef uint32_t UINT32;
typedef int64_t INT64;
typedef uint64_t UINT64;
typedef uint64_t DWORD64;
typedef uint64_t ULONGLONG;
typedef int64_t LONGLONG;
typedef uintptr_t ULONG_PTR;
typedef intptr_t LONG_PTR;
typedef uintptr_t UINT_PTR;
typedef intptr_t INT_PTR;
typedef uintptr_t DWORD_PTR;
typedef size_t SIZE_T;
typedef unsigned char byte; /* rpcndr.h: MIDL's "byte" (GetReplyData) */

typedef int32_t HRESULT;
typedef int32_t SCODE;

typedef wchar_t WCHAR;
typedef WCHAR OLECHAR;
typedef WCHAR *LPWSTR, *PWSTR;
typedef const WCHAR *LPCWSTR, *PCWSTR;
typedef OLECHAR *LPOLESTR;
typedef const OLECHAR *LPCOLESTR;
typedef char *LPSTR, *PSTR;
typedef const char *LPCSTR, *PCSTR;
typedef void *LPVOID, *PVOID;
typedef const void *LPCVOID;
typedef void *HANDLE;
typedef BYTE *LPBYTE, *PBYTE;
typedef DWORD *LPDWORD, *PDWORD;
typedef LONG *LPLONG;
typedef BOOL *LPBOOL, *PBOOL;

#ifndef VOID
#  define VOID void
#endif
typedef WCHAR *PWCHAR;

/* TCHAR and TEXT() follow UNICODE, as in the SDK's winnt.h (<tchar.h>'s
 * _TCHAR and _T() follow _UNICODE; define both, see
 * docs/windows-programs.md).  BITS methods take LPCWSTR, so BITS programs
 * are Unicode builds. */
#ifndef _TCHAR_DEFINED
#  define _TCHAR_DEFINED
#  ifdef UNICODE
typedef WCHAR TCHAR, *PTCHAR;
#  else
typedef char TCHAR, *PTCHAR;
#  endif
#endif
#ifdef UNICODE
#  define __TEXT(quote) L##quote
#else
#  define __TEXT(quote) quote
#endif
#define TEXT(quote) __TEXT(quote)
typedef TCHAR *LPTSTR, *PTSTR;
typedef const TCHAR *LPCTSTR, *PCTSTR;

#ifndef TRUE
#  define TRUE 1
#endif
#ifndef FALSE
#  define FALSE 0
#endif
#ifndef MAX_PATH
#  define MAX_PATH 260
#endif
#ifndef INFINITE
#  define INFINITE 0xFFFFFFFF /* Sleep: never return */
#endif

/* ---- GUIDs (guiddef.h) ---- */

/* 16 bytes, 4-byte aligned; Data1..Data3 are in host byte order, as on
 * Windows (the canonical string prints them as numbers). */
typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
typedef GUID IID;
typedef GUID CLSID;
typedef GUID *LPGUID;
typedef IID *LPIID;
typedef CLSID *LPCLSID;

#ifdef __cplusplus
typedef const GUID &REFGUID;
typedef const IID &REFIID;
typedef const CLSID &REFCLSID;
#else
typedef const GUID *REFGUID;
typedef const IID *REFIID;
typedef const CLSID *REFCLSID;
#endif

/* DEFINE_GUID(name, ...) declares |name|; with INITGUID defined before the
 * include it also defines it (one translation unit only). */
#ifdef INITGUID
#  ifdef __cplusplus
#    define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
         EXTERN_C const GUID name = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
#  else
#    define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
         const GUID name = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
#  endif
#else
#  define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
       EXTERN_C const GUID name
#endif

/* All-zero GUID ({00000000-0000-0000-0000-000000000000}); defined in
 * libbgcopy (guids.c).  BITS uses it to clear the notification CLSID. */
EXTERN_C BGCOPY_COMPAT_API const GUID GUID_NULL;
#define IID_NULL GUID_NULL
#define CLSID_NULL GUID_NULL

#ifdef __cplusplus
/* 1 when both GUIDs are equal byte for byte.  Pure, thread-safe. */
inline int IsEqualGUID(REFGUID a, REFGUID b) { return memcmp(&a, &b, sizeof(GUID)) == 0; }
inline bool operator==(REFGUID a, REFGUID b) { return IsEqualGUID(a, b) != 0; }
inline bool operator!=(REFGUID a, REFGUID b) { return !(a == b); }
#else
/* 1 when both GUIDs are equal byte for byte.  Pure, thread-safe. */
static inline int IsEqualGUID(REFGUID a, REFGUID b) { return memcmp(a, b, sizeof(GUID)) == 0; }
#endif
#define IsEqualIID(a, b) IsEqualGUID(a, b)
#define IsEqualCLSID(a, b) IsEqualGUID(a, b)

/* ---- time and language (minwinbase.h / winnt.h) ---- */

/* 100-ns ticks since 1601-01-01 UTC, split in two 32-bit halves. */
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

typedef WORD LANGID;
typedef DWORD LCID;

#define MAKELANGID(p, s) ((WORD)((((WORD)(s)) << 10) | (WORD)(p)))
#define PRIMARYLANGID(lgid) ((WORD)((WORD)(lgid) & 0x3ff))
#define SUBLANGID(lgid) ((WORD)((WORD)(lgid) >> 10))
#define MAKELCID(lgid, srtid) ((DWORD)((((DWORD)((WORD)(srtid))) << 16) | ((DWORD)((WORD)(lgid)))))
#define LANGIDFROMLCID(lcid) ((WORD)(lcid))
#define SORT_DEFAULT 0x0
#define LANG_NEUTRAL 0x00
#define LANG_ENGLISH 0x09
#define SUBLANG_NEUTRAL 0x00
#define SUBLANG_DEFAULT 0x01
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US 0x01
#define LANG_USER_DEFAULT MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT)
#define LANG_SYSTEM_DEFAULT MAKELANGID(LANG_NEUTRAL, SUBLANG_SYS_DEFAULT)
#define LOCALE_USER_DEFAULT MAKELCID(LANG_USER_DEFAULT, SORT_DEFAULT)
#define LOCALE_SYSTEM_DEFAULT MAKELCID(LANG_SYSTEM_DEFAULT, SORT_DEFAULT)

/* Mirrors Win32 GetThreadLocale.  bgcopy only has English texts, so the
 * thread locale is always en-US (0x0409); BITS samples pass
 * LANGIDFROMLCID(GetThreadLocale()) to GetErrorDescription.  Thread-safe. */
static inline LCID GetThreadLocale(void) { return 0x0409; /* MAKELCID(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), SORT_DEFAULT) */ }

/* ---- HRESULTs (winerror.h) ---- */

/* Typed constants: a bare 0x80004001L would be a positive 64-bit long on
 * LP64 and never compare equal to a (negative) HRESULT. */
#define _HRESULT_TYPEDEF_(x) ((HRESULT)(x))

#define SEVERITY_SUCCESS 0
#define SEVERITY_ERROR 1
#define FACILITY_NULL 0
#define FACILITY_RPC 1
#define FACILITY_DISPATCH 2
#define FACILITY_STORAGE 3
#define FACILITY_ITF 4
#define FACILITY_WIN32 7
#define FACILITY_WINDOWS 8
#define FACILITY_SECURITY 9
#define FACILITY_HTTP 25
#define FACILITY_BACKGROUNDCOPY 32

#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#define IS_ERROR(hr) ((((uint32_t)(hr)) >> 31) == SEVERITY_ERROR)
#define HRESULT_CODE(hr) ((int)(((uint32_t)(hr)) & 0xFFFFu))
#define SCODE_CODE(sc) HRESULT_CODE(sc)
#define HRESULT_FACILITY(hr) ((int)((((uint32_t)(hr)) >> 16) & 0x1FFFu))
#define SCODE_FACILITY(sc) HRESULT_FACILITY(sc)
#define HRESULT_SEVERITY(hr) ((int)((((uint32_t)(hr)) >> 31) & 0x1u))
#define MAKE_HRESULT(sev, fac, code) \
    ((HRESULT)((((uint32_t)(sev)) << 31) | (((uint32_t)(fac)) << 16) | ((uint32_t)(code))))
#define MAKE_SCODE(sev, fac, code) ((SCODE)MAKE_HRESULT(sev, fac, code))
/* Win32 error code -> HRESULT (0 and already-negative values pass through).
 * A macro, not the SDK's inline function, so it is a constant expression. */
#define HRESULT_FROM_WIN32(x)                                                     \
    ((HRESULT)(((HRESULT)(x)) <= 0 ? ((uint32_t)(x))                               \
                                   : ((((uint32_t)(x)) & 0x0000FFFFu) |            \
                                      ((uint32_t)FACILITY_WIN32 << 16) | 0x80000000u)))

#define S_OK _HRESULT_TYPEDEF_(0x00000000)
#define S_FALSE _HRESULT_TYPEDEF_(0x00000001)
#define NOERROR 0
#define E_UNEXPECTED _HRESULT_TYPEDEF_(0x8000FFFF)
#define E_NOTIMPL _HRESULT_TYPEDEF_(0x80004001)
#define E_NOINTERFACE _HRESULT_TYPEDEF_(0x80004002)
#define E_POINTER _HRESULT_TYPEDEF_(0x80004003)
#define E_ABORT _HRESULT_TYPEDEF_(0x80004004)
#define E_FAIL _HRESULT_TYPEDEF_(0x80004005)
#define E_PENDING _HRESULT_TYPEDEF_(0x8000000A)
#define E_BOUNDS _HRESULT_TYPEDEF_(0x8000000B)
#define E_ACCESSDENIED _HRESULT_TYPEDEF_(0x80070005)
#define E_HANDLE _HRESULT_TYPEDEF_(0x80070006)
#define E_OUTOFMEMORY _HRESULT_TYPEDEF_(0x8007000E)
#define E_INVALIDARG _HRESULT_TYPEDEF_(0x80070057)
#define CLASS_E_NOAGGREGATION _HRESULT_TYPEDEF_(0x80040110)
#define CLASS_E_CLASSNOTAVAILABLE _HRESULT_TYPEDEF_(0x80040111)
#define REGDB_E_CLASSNOTREG _HRESULT_TYPEDEF_(0x80040154)
#define CO_E_NOTINITIALIZED _HRESULT_TYPEDEF_(0x800401F0)
#define CO_E_CLASSSTRING _HRESULT_TYPEDEF_(0x800401F3)
#define CO_E_IIDSTRING _HRESULT_TYPEDEF_(0x800401F4)
#define RPC_E_CHANGED_MODE _HRESULT_TYPEDEF_(0x80010106)
#define RPC_E_DISCONNECTED _HRESULT_TYPEDEF_(0x80010108)
#define RPC_X_NULL_REF_POINTER _HRESULT_TYPEDEF_(0x800706F4)
#define RPC_X_BAD_STUB_DATA _HRESULT_TYPEDEF_(0x800706F7)
#define CRYPT_E_NOT_FOUND _HRESULT_TYPEDEF_(0x80092004)

/* Win32 error codes bgcopy reports through HRESULT_FROM_WIN32. */
#define ERROR_SUCCESS 0L
#define NO_ERROR 0L
#define ERROR_FILE_NOT_FOUND 2L
#define ERROR_PATH_NOT_FOUND 3L
#define ERROR_ACCESS_DENIED 5L
#define ERROR_INVALID_HANDLE 6L
#define ERROR_NOT_ENOUGH_MEMORY 8L
#define ERROR_INVALID_DATA 13L
#define ERROR_OUTOFMEMORY 14L
#define ERROR_SHARING_VIOLATION 32L
#define ERROR_HANDLE_EOF 38L
#define ERROR_NOT_SUPPORTED 50L
#define ERROR_FILE_EXISTS 80L
#define ERROR_INVALID_PARAMETER 87L
#define ERROR_DISK_FULL 112L
#define ERROR_INSUFFICIENT_BUFFER 122L
#define ERROR_INVALID_NAME 123L
#define ERROR_ALREADY_EXISTS 183L
#define ERROR_MORE_DATA 234L
#define ERROR_NO_MORE_ITEMS 259L
#define ERROR_MR_MID_NOT_FOUND 317L
#define ERROR_NOT_FOUND 1168L
#define ERROR_CANCELLED 1223L
#define ERROR_TIMEOUT 1460L
#define ERROR_RESOURCE_LANG_NOT_FOUND 1815L
/* WinHTTP errors (winhttp.h), the transport errors BITS reports. */
#define ERROR_WINHTTP_TIMEOUT 12002L
#define ERROR_WINHTTP_INVALID_URL 12005L
#define ERROR_WINHTTP_UNRECOGNIZED_SCHEME 12006L
#define ERROR_WINHTTP_NAME_NOT_RESOLVED 12007L
#define ERROR_WINHTTP_CANNOT_CONNECT 12029L
#define ERROR_WINHTTP_CONNECTION_ERROR 12030L
#define ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED 12044L
#define ERROR_WINHTTP_SECURE_CERT_REV_FAILED 12057L
#define ERROR_WINHTTP_INVALID_SERVER_RESPONSE 12152L
#define ERROR_WINHTTP_REDIRECT_FAILED 12156L
#define ERROR_WINHTTP_SECURE_CERT_REVOKED 12170L
#define ERROR_WINHTTP_SECURE_FAILURE 12175L
#define ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY 12186L

/* ---- calling conventions and interface-declaration macros ---- */

#ifndef __stdcall
#  define __stdcall
#endif
#ifndef __cdecl
#  define __cdecl
#endif
#ifndef _cdecl
#  define _cdecl /* the older spelling, still in Microsoft's samples */
#endif
#define WINAPI
#define CALLBACK
#define STDMETHODCALLTYPE
#define STDMETHODVCALLTYPE
#define STDAPICALLTYPE
#define STDAPI EXTERN_C HRESULT STDAPICALLTYPE
#define STDAPI_(type) EXTERN_C type STDAPICALLTYPE
#define DECLSPEC_UUID(x)
#define DECLSPEC_NOVTABLE
#define BEGIN_INTERFACE
#define END_INTERFACE
#define CONST_VTBL const

#ifdef __cplusplus
#  define interface struct
#  define MIDL_INTERFACE(x) struct DECLSPEC_UUID(x) DECLSPEC_NOVTABLE
#  define STDMETHOD(method) virtual HRESULT STDMETHODCALLTYPE method
#  define STDMETHOD_(type, method) virtual type STDMETHODCALLTYPE method
#  define STDMETHODIMP HRESULT STDMETHODCALLTYPE
#  define STDMETHODIMP_(type) type STDMETHODCALLTYPE
#  define PURE = 0
#  define THIS_
#  define THIS void
#  define DECLARE_INTERFACE(iface) interface DECLSPEC_NOVTABLE iface
#  define DECLARE_INTERFACE_(iface, baseiface) interface DECLSPEC_NOVTABLE iface : public baseiface
#else
#  define interface struct
#  define STDMETHOD(method) HRESULT(STDMETHODCALLTYPE *method)
#  define STDMETHOD_(type, method) type(STDMETHODCALLTYPE *method)
#  define STDMETHODIMP HRESULT STDMETHODCALLTYPE
#  define STDMETHODIMP_(type) type STDMETHODCALLTYPE
#  define PURE
#  define THIS_ INTERFACE *This,
#  define THIS INTERFACE *This
/* (The SDK ends with "const struct iface##Vtbl", which GCC rejects as a
 * useless qualifier; the table is const through the typedef instead.) */
#  define DECLARE_INTERFACE(iface)                   \
       typedef interface iface {                     \
           const struct iface##Vtbl *lpVtbl;         \
       } iface;                                      \
       typedef const struct iface##Vtbl iface##Vtbl; \
       struct iface##Vtbl
#  define DECLARE_INTERFACE_(iface, baseiface) DECLARE_INTERFACE(iface)
#endif

/* ---- C++ __uuidof ----
 * MSVC attaches a GUID to a type with __declspec(uuid); here a trait is
 * specialised per interface and coclass by BGCOPY_UUID_DECL (every bgcopy
 * header uses it right after the type), and __uuidof(Type) reads it.  Only
 * types are accepted (not expressions); an unknown type fails to compile. */
#ifdef __cplusplus
namespace bgcopy_uuid {
template <typename T> struct traits; /* no primary definition on purpose */
template <typename T> inline const GUID &of_ptr(T **) { return traits<T>::get(); }
} /* namespace bgcopy_uuid */
#  define BGCOPY_UUID_DECL(type, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)      \
       namespace bgcopy_uuid {                                                    \
       template <> struct traits<type> {                                          \
           static const GUID &get() {                                             \
               static const GUID g = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}; \
               return g;                                                          \
           }                                                                      \
       };                                                                         \
       }
#  define __uuidof(type) (::bgcopy_uuid::traits<type>::get())
/* IID_PPV_ARGS(&p): "the IID of *p, (void **)&p" for QueryInterface and
 * CoCreateInstance, as in combaseapi.h. */
template <typename T> inline void **IID_PPV_ARGS_Helper(T **pp) { return reinterpret_cast<void **>(pp); }
#  define IID_PPV_ARGS(pp) ::bgcopy_uuid::of_ptr(pp), IID_PPV_ARGS_Helper(pp)
#  define BGCOPY_COCLASS(name, uuidstr) class name
#else
#  define BGCOPY_UUID_DECL(type, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)
#endif

/* ---- atomics (winnt.h Interlocked*) ----
 * Sequentially consistent, like the Windows functions (full barriers).
 * Each returns what Windows returns: the new value for Increment/Decrement,
 * the previous value for Exchange, ExchangeAdd and CompareExchange. */
static inline LONG InterlockedIncrement(LONG volatile *addend) { return __atomic_add_fetch(addend, 1, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedDecrement(LONG volatile *addend) { return __atomic_sub_fetch(addend, 1, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedExchange(LONG volatile *target, LONG value) { return __atomic_exchange_n(target, value, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedExchangeAdd(LONG volatile *addend, LONG value) { return __atomic_fetch_add(addend, value, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedCompareExchange(LONG volatile *dest, LONG exchange, LONG comparand)
{
    LONG expected = comparand;
    __atomic_compare_exchange_n(dest, &expected, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected;
}
static inline PVOID InterlockedExchangePointer(PVOID volatile *target, PVOID value) { return __atomic_exchange_n(target, value, __ATOMIC_SEQ_CST); }
static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *dest, PVOID exchange, PVOID comparand)
{
    PVOID expected = comparand;
    __atomic_compare_exchange_n(dest, &expected, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected;
}

/* ---- IUnknown (unknwn.h) ---- */

#ifndef __IUnknown_FWD_DEFINED__
#define __IUnknown_FWD_DEFINED__
typedef interface IUnknown IUnknown;
#endif
typedef IUnknown *LPUNKNOWN;

/* {00000000-0000-0000-C000-000000000046} */
EXTERN_C BGCOPY_COMPAT_API const IID IID_IUnknown;

#if defined(__cplusplus) && !defined(CINTERFACE)
/* The root of every COM interface: QueryInterface (slot 0), AddRef (1),
 * Release (2).  AddRef/Release return the new count (informational only). */
MIDL_INTERFACE("00000000-0000-0000-C000-000000000046")
IUnknown
{
public:
    BEGIN_INTERFACE
    virtual HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) = 0;
    virtual ULONG STDMETHODCALLTYPE AddRef(void) = 0;
    virtual ULONG STDMETHODCALLTYPE Release(void) = 0;
    /* Typed QueryInterface, as in the SDK: p->QueryInterface(&pJob2). */
    template <class Q> HRESULT STDMETHODCALLTYPE QueryInterface(Q **pp)
    {
        return QueryInterface(::bgcopy_uuid::traits<Q>::get(), reinterpret_cast<void **>(pp));
    }
    END_INTERFACE

protected:
    /* A COM object is destroyed by its own Release, never through an
     * interface pointer.  A protected, non-virtual destructor states that
     * without adding a vtable slot (a virtual one would shift every method
     * of every interface), and keeps -Wnon-virtual-dtor quiet in clients.
     * Every interface repeats it. */
    ~IUnknown() = default;
};
BGCOPY_UUID_DECL(IUnknown, 0x00000000, 0x0000, 0x0000, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46)
#else
typedef struct IUnknownVtbl {
    BEGIN_INTERFACE
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IUnknown *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IUnknown *This);
    ULONG(STDMETHODCALLTYPE *Release)(IUnknown *This);
    END_INTERFACE
} IUnknownVtbl;
interface IUnknown {
    CONST_VTBL struct IUnknownVtbl *lpVtbl;
};
#define IUnknown_QueryInterface(This, riid, ppvObject) ((This)->lpVtbl->QueryInterface(This, riid, ppvObject))
#define IUnknown_AddRef(This) ((This)->lpVtbl->AddRef(This))
#define IUnknown_Release(This) ((This)->lpVtbl->Release(This))
#endif

/* ---- IClassFactory (unknwn.h) ---- */

#ifndef __IClassFactory_FWD_DEFINED__
#define __IClassFactory_FWD_DEFINED__
typedef interface IClassFactory IClassFactory;
#endif
typedef IClassFactory *LPCLASSFACTORY;

/* {00000001-0000-0000-C000-000000000046} */
EXTERN_C BGCOPY_COMPAT_API const IID IID_IClassFactory;

#if defined(__cplusplus) && !defined(CINTERFACE)
/* Creates instances of one class: CreateInstance (slot 3), LockServer (4). */
MIDL_INTERFACE("00000001-0000-0000-C000-000000000046")
IClassFactory : public IUnknown
{
public:
    virtual HRESULT STDMETHODCALLTYPE CreateInstance(IUnknown *pUnkOuter, REFIID riid, void **ppvObject) = 0;
    virtual HRESULT STDMETHODCALLTYPE LockServer(BOOL fLock) = 0;

protected:
    ~IClassFactory() = default;
};
BGCOPY_UUID_DECL(IClassFactory, 0x00000001, 0x0000, 0x0000, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46)
#else
typedef struct IClassFactoryVtbl {
    BEGIN_INTERFACE
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IClassFactory *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IClassFactory *This);
    ULONG(STDMETHODCALLTYPE *Release)(IClassFactory *This);
    HRESULT(STDMETHODCALLTYPE *CreateInstance)(IClassFactory *This, IUnknown *pUnkOuter, REFIID riid, void **ppvObject);
    HRESULT(STDMETHODCALLTYPE *LockServer)(IClassFactory *This, BOOL fLock);
    END_INTERFACE
} IClassFactoryVtbl;
interface IClassFactory {
    CONST_VTBL struct IClassFactoryVtbl *lpVtbl;
};
#define IClassFactory_QueryInterface(This, riid, ppvObject) ((This)->lpVtbl->QueryInterface(This, riid, ppvObject))
#define IClassFactory_AddRef(This) ((This)->lpVtbl->AddRef(This))
#define IClassFactory_Release(This) ((This)->lpVtbl->Release(This))
#define IClassFactory_CreateInstance(This, pUnkOuter, riid, ppvObject) \
    ((This)->lpVtbl->CreateInstance(This, pUnkOuter, riid, ppvObject))
#define IClassFactory_LockServer(This, fLock) ((This)->lpVtbl->LockServer(This, fLock))
#endif

/* ---- COM activation constants (wtypesbase.h / objbase.h) ---- */

typedef enum tagCLSCTX {
    CLSCTX_INPROC_SERVER = 0x1,
    CLSCTX_INPROC_HANDLER = 0x2,
    CLSCTX_LOCAL_SERVER = 0x4,
    CLSCTX_REMOTE_SERVER = 0x10
} CLSCTX;
#define CLSCTX_INPROC (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER)
#define CLSCTX_SERVER (CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER)
#define CLSCTX_ALL (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER | CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER)

typedef enum tagCOINIT {
    COINIT_MULTITHREADED = 0x0,
    COINIT_APARTMENTTHREADED = 0x2,
    COINIT_DISABLE_OLE1DDE = 0x4,
    COINIT_SPEED_OVER_MEMORY = 0x8
} COINIT;

/* CoInitializeSecurity arguments used by the BITS samples
 * ("connecting to the BITS service"); bgcopy accepts and ignores them. */
#define RPC_C_AUTHN_LEVEL_DEFAULT 0
#define RPC_C_AUTHN_LEVEL_NONE 1
#define RPC_C_AUTHN_LEVEL_CONNECT 2
#define RPC_C_AUTHN_LEVEL_CALL 3
#define RPC_C_AUTHN_LEVEL_PKT 4
#define RPC_C_AUTHN_LEVEL_PKT_INTEGRITY 5
#define RPC_C_AUTHN_LEVEL_PKT_PRIVACY 6
#define RPC_C_IMP_LEVEL_DEFAULT 0
#define RPC_C_IMP_LEVEL_ANONYMOUS 1
#define RPC_C_IMP_LEVEL_IDENTIFY 2
#define RPC_C_IMP_LEVEL_IMPERSONATE 3
#define RPC_C_IMP_LEVEL_DELEGATE 4
#define EOAC_NONE 0
typedef void *PSECURITY_DESCRIPTOR;
typedef struct tagSOLE_AUTHENTICATION_SERVICE SOLE_AUTHENTICATION_SERVICE;

#endif /* !_WIN32 */

/* ==================================================================== */
/* The mini COM runtime (compat/src/com_runtime.c, class_registry.c).     */
/* On Windows these functions come from ole32 (except BgCopyCreateInstance). */
/* ==================================================================== */

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _WIN32

/* Mirrors CoInitializeEx.  Initialises COM for the calling thread.
 * |reserved| must be NULL (ignored otherwise, as Windows does), |coinit| a
 * COINIT_* value (APARTMENTTHREADED or MULTITHREADED; the other bits are
 * accepted and ignored).  Calls nest: every successful call (S_OK or
 * S_FALSE) must be balanced by one CoUninitialize on the same thread.
 * Returns S_OK the first time on a thread, S_FALSE when already initialised
 * with the same model, RPC_E_CHANGED_MODE (not counted, needs no
 * CoUninitialize) when already initialised with the other model.
 * COINIT_APARTMENTTHREADED makes the thread a single-threaded apartment
 * (STA): notification sinks it registers are then called on this thread,
 * from its message loop (winuser.h; docs/notifications.md, "Apartments");
 * bgcopy's own objects may still be called from any thread.  Thread-safe. */
BGCOPY_COMPAT_API HRESULT CoInitializeEx(LPVOID reserved, DWORD coinit);

/* Mirrors CoInitialize: CoInitializeEx(reserved, COINIT_APARTMENTTHREADED).
 * Same results. */
BGCOPY_COMPAT_API HRESULT CoInitialize(LPVOID reserved);

/* Mirrors CoUninitialize: undoes one successful CoInitialize(Ex) of the
 * calling thread (a call without one is ignored, as on Windows).  The last
 * one of an STA thread ends its apartment: calls to its sinks still waiting
 * for its message loop fail with RPC_E_DISCONNECTED.  When the
 * last initialisation in the whole process is undone, the shared bgcopy
 * engine is released (its jobs persist), at once or when the last bgcopy
 * object is released.  Thread-safe; may also be called inside a
 * notification callback. */
BGCOPY_COMPAT_API void CoUninitialize(void);

/* Mirrors CoInitializeSecurity.  bgcopy has no DCOM security layer; every
 * argument is ignored and S_OK returned, so the BITS samples' start-up code
 * runs unchanged. */
BGCOPY_COMPAT_API HRESULT CoInitializeSecurity(PSECURITY_DESCRIPTOR pSecDesc, LONG cAuthSvc,
                                               SOLE_AUTHENTICATION_SERVICE *asAuthSvc,
                                               void *pReserved1, DWORD dwAuthnLevel,
                                               DWORD dwImpLevel, void *pAuthList,
                                               DWORD dwCapabilities, void *pReserved3);

/* Mirrors CoCreateInstance: creates an object of class |rclsid| and returns
 * its |riid| interface in *ppv (AddRef'ed; the caller Releases it).
 * |clsctx|: any CLSCTX_* combination (bgcopy objects live in-process
 * whatever is asked; CLSCTX_LOCAL_SERVER, as BITS samples pass, is fine).
 * Errors, in the order they are checked: E_POINTER (ppv NULL),
 * CO_E_NOTINITIALIZED (the calling thread has not called CoInitialize(Ex)),
 * E_INVALIDARG (C only: rclsid or riid NULL), REGDB_E_CLASSNOTREG (class
 * unknown to bgcopy, e.g. a BITS version bgcopy does not implement yet),
 * CLASS_E_NOAGGREGATION (pUnkOuter not NULL), then what the class's
 * constructor returns (E_NOINTERFACE for an interface it lacks,
 * E_OUTOFMEMORY...).  *ppv is NULL on every failure.  Thread-safe. */
BGCOPY_COMPAT_API HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD clsctx,
                                           REFIID riid, LPVOID *ppv);

/* Mirrors CoTaskMemAlloc: |cb| bytes from the COM task allocator (malloc);
 * NULL when out of memory.  Every [out] string/array a BITS method returns
 * is allocated this way and freed by the caller with CoTaskMemFree.
 * cb == 0 returns a unique, freeable pointer.  Thread-safe. */
BGCOPY_COMPAT_API LPVOID CoTaskMemAlloc(SIZE_T cb);

/* Mirrors CoTaskMemRealloc: resizes |pv| (NULL acts as CoTaskMemAlloc) to
 * |cb| bytes; returns NULL and leaves |pv| valid when out of memory.
 * cb == 0 with a non-NULL pv frees pv and returns NULL.  Thread-safe. */
BGCOPY_COMPAT_API LPVOID CoTaskMemRealloc(LPVOID pv, SIZE_T cb);

/* Mirrors CoTaskMemFree: frees memory from CoTaskMemAlloc/Realloc; NULL is
 * a no-op.  Thread-safe. */
BGCOPY_COMPAT_API void CoTaskMemFree(LPVOID pv);

/* Mirrors StringFromGUID2: writes "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}"
 * (upper-case hex, NUL-terminated, 39 WCHARs) to |lpsz|, which holds
 * |cchMax| WCHARs.  Returns the number of WCHARs written including the NUL
 * (39), or 0 when the buffer is too small or NULL.  Thread-safe. */
BGCOPY_COMPAT_API int StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax);

/* Mirrors CLSIDFromString for the "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}"
 * form (hex digits of either case; braces required, nothing after them).
 * A NULL |lpsz| yields GUID_NULL and S_OK, as on Windows.  Errors:
 * E_INVALIDARG (pclsid NULL), CO_E_CLASSSTRING (not a braced GUID string;
 * *pclsid is then GUID_NULL).  bgcopy has no registry, so ProgIDs are not
 * accepted.  Thread-safe. */
BGCOPY_COMPAT_API HRESULT CLSIDFromString(LPCOLESTR lpsz, LPCLSID pclsid);

/* Mirrors IIDFromString: same parsing as CLSIDFromString; for a malformed
 * string it answers as ole32 does: E_INVALIDARG when the string is not 38
 * characters long, CO_E_IIDSTRING when it is but is no braced GUID (*lpiid
 * is GUID_NULL in both cases). */
BGCOPY_COMPAT_API HRESULT IIDFromString(LPCOLESTR lpsz, LPIID lpiid);

/* ---- the Win32 calls BITS programs make around the BITS calls ----
 * Defined in libbgcopy-win32 (CMake target bgcopy::win32), not in
 * libbgcopy, so that these common names never clash with other code that
 * links the BITS library; a program that calls them links that library too
 * (docs/windows-programs.md). */

/* Mirrors Win32 Sleep: suspends the calling thread for |dwMilliseconds|
 * milliseconds (0 yields; INFINITE never returns).
 * Thread-safe. */
void Sleep(DWORD dwMilliseconds);

/* Mirrors Win32 GetTickCount64: milliseconds since an arbitrary fixed
 * point before the process started (system start on Linux), from the
 * monotonic clock: never goes back, unaffected by clock changes.
 * Thread-safe. */
ULONGLONG GetTickCount64(void);

/* Mirrors Win32 GetTickCount: GetTickCount64 truncated to 32 bits (wraps
 * after 49.7 days, as on Windows: compare differences, not values).
 * Thread-safe. */
DWORD GetTickCount(void);

/* Mirror Win32 GetLastError / SetLastError: the calling thread's last-error
 * code (an ERROR_* value), 0 in a new thread.  libbgcopy never sets it (BITS
 * methods return HRESULTs); only the program's own SetLastError calls do.
 * Thread-safe (one value per thread). */
DWORD GetLastError(void);
void SetLastError(DWORD dwErrCode);

/* A program's wide entry point (Unicode builds; <tchar.h> maps _tmain to
 * it).  libbgcopy-win32 provides the main() that converts the command line
 * and calls it; declared here with C linkage so that a C++ program's
 * definition links to it, as MSVC treats wmain.  Signature: (int argc,
 * wchar_t *argv[]) only. */
int wmain(int argc, wchar_t *argv[]);

#endif /* !_WIN32 */

/* bgcopy's own activation entry point, the one to use on every platform:
 * creates an object of bgcopy's class |rclsid| (CLSID_BackgroundCopyManager,
 * its versioned CLSIDs up to 10_1, CLSID_BackgroundCopyQMgr) and returns its
 * |riid| interface in *ppv (AddRef'ed; the caller Releases it).  |clsctx| is
 * ignored (bgcopy's objects live in-process).  No CoInitialize(Ex) is
 * needed and the call does not count as one.
 * Errors, in this order: E_POINTER (ppv NULL), E_INVALIDARG (C only: rclsid
 * or riid NULL), REGDB_E_CLASSNOTREG (not a bgcopy class, e.g. a BITS
 * version bgcopy does not implement yet), CLASS_E_NOAGGREGATION (pUnkOuter
 * not NULL), then what the class's constructor returns (E_NOINTERFACE,
 * E_OUTOFMEMORY, E_FAIL when the engine cannot start); *ppv is NULL on
 * every failure.  Thread-safe.
 * On Windows, CoCreateInstance is ole32's and would reach the system's BITS
 * service (or wine's qmgr.dll), never bgcopy, so this is the only way to
 * get bgcopy's objects there.  On Linux the first consultation is the class
 * objects registered with CoRegisterClassObject, as CoCreateInstance does.
 * The shared engine (bgcopy's stand-in for the BITS service, opened by the
 * first activation) closes:
 *  - on Linux, when the process-wide CoInitialize count drops to zero (the
 *    last CoUninitialize) and no bgcopy object is alive any more, at once or
 *    at the Release of the last object; a program that never calls
 *    CoInitialize(Ex) keeps it until the process ends;
 *  - on Windows, never before the process ends: ole32's CoUninitialize
 *    cannot be observed, and closing when the last object goes would drop
 *    the queued jobs between two activations, which the BITS service never
 *    does.  Jobs stay reachable from any later activation. */
BGCOPY_COMPAT_API HRESULT BgCopyCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD clsctx,
                                               REFIID riid, LPVOID *ppv);

#ifdef __cplusplus
}
#endif

#endif /* BGCOPY_WIN32_H */
