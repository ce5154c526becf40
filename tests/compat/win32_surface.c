/*
 * win32_surface - the Win32 surface a BITS program uses around the BITS
 * calls, in C, through the mixed-case spellings Windows programs use:
 *  - <Bits.h> alone reaches every BITS version (the SDK's include chain):
 *    BITS 3.0, 5.0 and 10.3 types are usable without naming their headers;
 *  - <sal.h> annotations, VOID, _cdecl, TCHAR/TEXT and <tchar.h>'s mappings
 *    in a Unicode build agree with the LPCWSTR the BITS methods take;
 *  - Sleep, GetTickCount(64), GetLastError/SetLastError from
 *    libbgcopy-win32 (per-thread last error, monotonic ticks);
 *  - IBitsPeerCacheAdministration through the C vtable: answered by the
 *    manager's QueryInterface, one COM identity with it, every method
 *    S_FALSE with [out] values cleared, as BITS 4.0 and later.
 */
#include <Windows.h>
#include <ObjBase.h>
#include "Bits.h"
#include <tchar.h>
#include <sal.h>

#include <stdio.h>
#include <uv.h>

#include "check.h"

#ifndef _UNICODE
#  error "built as a Unicode program (UNICODE, _UNICODE), as BITS programs are"
#endif

/* The chain: these come from bits3_0.h, bits5_0.h, bits10_1.h and
 * bits10_3.h, none of which is included by name. */
_Static_assert(sizeof(IBackgroundCopyJob5Vtbl) > sizeof(IBackgroundCopyJob4Vtbl), "Job5 extends Job4");
_Static_assert(offsetof(IBackgroundCopyFile5Vtbl, GetProperty) / sizeof(void *) == 14, "File5 slot 14");
_Static_assert(offsetof(IBackgroundCopyCallback2Vtbl, FileTransferred) / sizeof(void *) == 6, "Callback2 slot 6");
_Static_assert(sizeof(IBackgroundCopyCallback3Vtbl) > 0, "bits10_1.h reached");
_Static_assert(sizeof(IBackgroundCopyJobHttpOptions3Vtbl) > 0, "bits10_3.h reached");
_Static_assert(BG_ENABLE_PEERCACHING_CLIENT == 1 && BG_ENABLE_PEERCACHING_SERVER == 2, "bits3_0.h constants");

/* TCHAR in a Unicode build is the WCHAR the BITS methods take. */
_Static_assert(sizeof(TCHAR) == sizeof(WCHAR) && sizeof(_TCHAR) == sizeof(WCHAR), "TCHAR is WCHAR");
_Static_assert(sizeof(_T("ab")) == 3 * sizeof(WCHAR), "_T() makes wide literals");
_Static_assert(sizeof(TEXT("ab")) == 3 * sizeof(WCHAR), "TEXT() makes wide literals");

/* Annotated the way the BITS reference pages declare parameters. */
static HRESULT _cdecl CopyName(_In_ LPCTSTR pszIn, _Out_writes_(cch) LPTSTR pszOut, _In_ size_t cch,
                               _Outptr_opt_result_maybenull_ LPCWSTR *ppszEnd)
{
    if (_tcslen(pszIn) >= cch)
        return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
    _tcscpy(pszOut, pszIn);
    if (ppszEnd)
        *ppszEnd = pszOut + _tcslen(pszOut);
    return S_OK;
}

static VOID test_tchar(void)
{
    TCHAR buf[16];
    LPCWSTR end = NULL;
    CHECK_EQ_INT(CopyName(_T("Bits-Job"), buf, 16, &end), S_OK);
    CHECK(wcscmp(buf, L"Bits-Job") == 0); /* a TCHAR string is an LPCWSTR */
    CHECK(end == buf + 8);
    CHECK_EQ_INT(CopyName(_T("a long job name, too long"), buf, 16, NULL),
                 (HRESULT)0x8007007A);
    CHECK(_tcscmp(_T("abc"), L"abc") == 0);
    CHECK(_tcsicmp(_T("BITS"), _T("bits")) == 0);
    CHECK(_tcsicmp(_T("BITS"), _T("bitz")) < 0);
    CHECK(_tcsnicmp(_T("BITSADMIN"), _T("bitsxxx"), 4) == 0);
    CHECK(_tcschr(_T("a=b"), _T('=')) != NULL);
    CHECK_EQ_INT(_ttoi(_T("42")), 42);
    CHECK_EQ_INT(_tcstol(_T("-17"), NULL, 10), -17);
    _TCHAR out[32];
    CHECK_EQ_INT(_sntprintf(out, 32, _T("%ls=%d"), _T("n"), 5), 3);
    CHECK(_tcscmp(out, _T("n=5")) == 0);
}

/* The winerror.h codes BITS documents, and their HRESULT forms. */
static void test_winerror(void)
{
    CHECK_EQ_INT(HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND), (HRESULT)0x80070002);
    CHECK_EQ_INT(HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND), (HRESULT)0x80070003);
    CHECK_EQ_INT(HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED), (HRESULT)0x80070005);
    CHECK_EQ_INT(HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND), (HRESULT)0x80070717);
    CHECK_EQ_INT(HRESULT_FROM_WIN32(ERROR_WINHTTP_NAME_NOT_RESOLVED), (HRESULT)0x80072EE7);
    CHECK_EQ_INT(HRESULT_FROM_WIN32(ERROR_SUCCESS), S_OK);
}

static void other_thread(void *arg)
{
    DWORD *seen = arg;
    seen[0] = GetLastError(); /* a new thread starts at 0 */
    SetLastError(ERROR_ACCESS_DENIED);
    seen[1] = GetLastError();
}

static void test_kernel32(void)
{
    /* Last error: per thread. */
    SetLastError(ERROR_FILE_NOT_FOUND);
    DWORD seen[2] = {99, 99};
    uv_thread_t t;
    CHECK_EQ_INT(uv_thread_create(&t, other_thread, seen), 0);
    CHECK_EQ_INT(uv_thread_join(&t), 0);
    CHECK_EQ_INT(seen[0], 0);
    CHECK_EQ_INT(seen[1], ERROR_ACCESS_DENIED);
    CHECK_EQ_INT(GetLastError(), ERROR_FILE_NOT_FOUND);
    SetLastError(ERROR_SUCCESS);
    CHECK_EQ_INT(GetLastError(), 0);

    /* Ticks: milliseconds of a monotonic clock; Sleep waits at least as
     * long as asked (and, on an idle machine, not much longer). */
    ULONGLONG t0 = GetTickCount64();
    DWORD d0 = GetTickCount();
    CHECK((DWORD)t0 == d0 || (DWORD)(d0 - (DWORD)t0) < 50);
    uint64_t h0 = uv_hrtime();
    Sleep(200);
    uint64_t slept_ms = (uv_hrtime() - h0) / 1000000u;
    ULONGLONG t1 = GetTickCount64();
    DWORD d1 = GetTickCount();
    CHECK_MSG(slept_ms >= 199, "Sleep(200) returned after %llu ms", (unsigned long long)slept_ms);
    CHECK_MSG(t1 - t0 >= 199 && t1 - t0 < 10000, "GetTickCount64 advanced %llu ms",
              (unsigned long long)(t1 - t0));
    CHECK((DWORD)(d1 - d0) >= 199 && (DWORD)(d1 - d0) < 10000);
    Sleep(0); /* yields, returns */
}

/* IBitsPeerCacheAdministration as BITS 4.0+ answers it. */
static void test_peercache(void)
{
    CHECK_EQ_INT(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_INT(CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                  &IID_IBackgroundCopyManager, (void **)&mgr),
                 S_OK);
    IBitsPeerCacheAdministration *admin = (IBitsPeerCacheAdministration *)(uintptr_t)1;
    CHECK_EQ_INT(IBackgroundCopyManager_QueryInterface(mgr, &IID_IBitsPeerCacheAdministration,
                                                       (void **)&admin),
                 S_OK);
    CHECK(admin != NULL);

    /* One object: IUnknown from either interface is the same pointer, and
     * the manager is reachable from the side interface. */
    IUnknown *unk_m = NULL, *unk_a = NULL;
    CHECK_EQ_INT(IBackgroundCopyManager_QueryInterface(mgr, &IID_IUnknown, (void **)&unk_m), S_OK);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_QueryInterface(admin, &IID_IUnknown, (void **)&unk_a),
                 S_OK);
    CHECK(unk_m == unk_a);
    IUnknown_Release(unk_a);
    IUnknown_Release(unk_m);
    IBackgroundCopyManager *mgr2 = NULL;
    CHECK_EQ_INT(IBitsPeerCacheAdministration_QueryInterface(admin, &IID_IBackgroundCopyManager,
                                                             (void **)&mgr2),
                 S_OK);
    CHECK(mgr2 == mgr);
    IBitsPeerCacheAdministration *admin2 = NULL;
    CHECK_EQ_INT(IBackgroundCopyManager_QueryInterface(mgr2, &IID_IBitsPeerCacheAdministration,
                                                       (void **)&admin2),
                 S_OK);
    CHECK(admin2 == admin);
    IBitsPeerCacheAdministration_Release(admin2);
    IBackgroundCopyManager_Release(mgr2);
    /* The record and peer interfaces belong to objects the deprecated
     * methods never hand out, not to the manager. */
    void *p = (void *)1;
    CHECK_EQ_INT(IBackgroundCopyManager_QueryInterface(mgr, &IID_IBitsPeer, &p), E_NOINTERFACE);
    CHECK(p == NULL);
    p = (void *)1;
    CHECK_EQ_INT(IBackgroundCopyManager_QueryInterface(mgr, &IID_IEnumBitsPeerCacheRecords, &p),
                 E_NOINTERFACE);
    CHECK(p == NULL);

    /* Reference counts are the manager's. */
    ULONG after_addref = IBitsPeerCacheAdministration_AddRef(admin);
    CHECK_EQ_INT(IBackgroundCopyManager_AddRef(mgr), after_addref + 1);
    IBackgroundCopyManager_Release(mgr);
    IBitsPeerCacheAdministration_Release(admin);

    /* Every method: S_FALSE, [out] values cleared. */
    DWORD dw = 77;
    ULONG ul = 77;
    CHECK_EQ_INT(IBitsPeerCacheAdministration_GetMaximumCacheSize(admin, &dw), S_FALSE);
    CHECK_EQ_INT(dw, 0);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_SetMaximumCacheSize(admin, 20), S_FALSE);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_GetMaximumContentAge(admin, &ul), S_FALSE);
    CHECK_EQ_INT(ul, 0);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_SetMaximumContentAge(admin, 3600), S_FALSE);
    dw = 77;
    CHECK_EQ_INT(IBitsPeerCacheAdministration_GetConfigurationFlags(admin, &dw), S_FALSE);
    CHECK_EQ_INT(dw, 0);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_SetConfigurationFlags(
                     admin, BG_ENABLE_PEERCACHING_CLIENT | BG_ENABLE_PEERCACHING_SERVER),
                 S_FALSE);
    dw = 77;
    CHECK_EQ_INT(IBitsPeerCacheAdministration_GetConfigurationFlags(admin, &dw), S_FALSE);
    CHECK_EQ_INT(dw, 0); /* nothing was kept: there is no peer cache */
    IEnumBitsPeerCacheRecords *records = (IEnumBitsPeerCacheRecords *)(uintptr_t)1;
    CHECK_EQ_INT(IBitsPeerCacheAdministration_EnumRecords(admin, &records), S_FALSE);
    CHECK(records == NULL);
    IBitsPeerCacheRecord *record = (IBitsPeerCacheRecord *)(uintptr_t)1;
    CHECK_EQ_INT(IBitsPeerCacheAdministration_GetRecord(admin, &GUID_NULL, &record), S_FALSE);
    CHECK(record == NULL);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_ClearRecords(admin), S_FALSE);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_DeleteRecord(admin, &GUID_NULL), S_FALSE);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_DeleteUrl(admin, L"http://127.0.0.1/x"), S_FALSE);
    IEnumBitsPeers *peers = (IEnumBitsPeers *)(uintptr_t)1;
    CHECK_EQ_INT(IBitsPeerCacheAdministration_EnumPeers(admin, &peers), S_FALSE);
    CHECK(peers == NULL);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_ClearPeers(admin), S_FALSE);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_DiscoverPeers(admin), S_FALSE);
    /* NULL [out] pointers: still S_FALSE, nothing written. */
    CHECK_EQ_INT(IBitsPeerCacheAdministration_GetMaximumCacheSize(admin, NULL), S_FALSE);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_EnumPeers(admin, NULL), S_FALSE);

    /* The side interface keeps the manager alive after the manager
     * pointer is gone. */
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 1);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_DiscoverPeers(admin), S_FALSE);
    CHECK_EQ_INT(IBitsPeerCacheAdministration_Release(admin), 0);
    CoUninitialize();
}

int wmain(int argc, wchar_t *argv[])
{
    /* libbgcopy-win32's main decoded the command line: ctest passes one
     * non-ASCII argument in UTF-8. */
    CHECK_EQ_INT(argc, 2);
    CHECK_MSG(wcscmp(argv[1], L"r\u00e9sum\u00e9-\u20ac") == 0, "argv[1] = \"%ls\"", argv[1]);
    CHECK(argv[2] == NULL);
    test_tchar();
    test_winerror();
    test_kernel32();
    test_peercache();
    printf("win32_surface: ok\n");
    return 0;
}
