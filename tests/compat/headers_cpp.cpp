/*
 * headers_cpp - the compat headers seen from C++ (built as C++17 and, by a
 * second target, as C++11).
 *
 * Compile time: every header together; widths and struct sizes; REFIID is
 * a reference (so the samples' `riid == __uuidof(IUnknown)` works); the
 * interface inheritance chains of spec §3; the line every BITS sample
 * starts with, CoCreateInstance(__uuidof(BackgroundCopyManager), ...).
 * Run time: __uuidof of every interface and coclass equals the IID_/CLSID_
 * constant (the two copies of each GUID cannot drift apart); virtual calls
 * on C-implemented objects land in the right slots and a C++ callback
 * object is driven correctly from C (headers_ccall.c); the seed sample's
 * idioms (InterlockedCompareExchange on a LONG member, typed
 * QueryInterface, IID_PPV_ARGS, LANGIDFROMLCID(GetThreadLocale())).
 *
 * Sanitizer note: calling a C-implemented object through a C++ interface
 * trips UBSan's -fsanitize=vptr (the object has no C++ type information),
 * so this target is built with -fno-sanitize=vptr; every C++ client of
 * bgcopy needs the same.
 */
#include <windows.h>
#include <objbase.h>
#include <unknwn.h>
#include <wtypes.h>
#include <winerror.h>
#include <bitsmsg.h>
#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits2_5.h>
#include <bits3_0.h>
#include <bits4_0.h>
#include <bits5_0.h>
#include <bits10_1.h>
#include <bits10_2.h>
#include <bits10_3.h>

#include <cstddef>
#include <cstdio>
#include <cwchar>
#include <type_traits>

#include "check.h"
#include "headers_ccall.h"

static_assert(sizeof(ULONG) == 4 && sizeof(LONG) == 4 && sizeof(DWORD) == 4 && sizeof(BOOL) == 4, "32-bit");
static_assert(sizeof(HRESULT) == 4 && sizeof(UINT64) == 8, "widths");
static_assert(sizeof(GUID) == 16 && alignof(GUID) == 4, "GUID");
static_assert(sizeof(FILETIME) == 8, "FILETIME");
static_assert(sizeof(BG_FILE_PROGRESS) == 24 && sizeof(BG_JOB_PROGRESS) == 24 && sizeof(BG_JOB_TIMES) == 24,
              "progress structs");
static_assert(sizeof(BG_FILE_RANGE) == 16, "BG_FILE_RANGE");
static_assert(sizeof(BITS_JOB_PROPERTY_VALUE) == 16 && alignof(BITS_JOB_PROPERTY_VALUE) == 8,
              "BITS_JOB_PROPERTY_VALUE");
static_assert(std::is_same<WCHAR, wchar_t>::value, "WCHAR is wchar_t");
static_assert(std::is_same<REFIID, const IID &>::value && std::is_same<REFGUID, const GUID &>::value &&
                  std::is_same<REFCLSID, const CLSID &>::value,
              "REFxxx are references in C++");
static_assert(std::is_same<decltype(BG_E_NOT_FOUND), HRESULT>::value, "bitsmsg codes are HRESULTs");

/* One vtable pointer, no data: the COM object layout. */
static_assert(sizeof(IUnknown) == sizeof(void *) && sizeof(IBackgroundCopyJob5) == sizeof(void *),
              "interfaces hold only the vtable pointer");
static_assert(std::is_abstract<IBackgroundCopyJob>::value && std::is_polymorphic<IUnknown>::value, "abstract");
static_assert(!std::has_virtual_destructor<IUnknown>::value, "a virtual destructor would add vtable slots");
static_assert(!std::is_destructible<IBackgroundCopyJob>::value,
              "objects are destroyed by Release, not through an interface pointer");
#ifndef _WIN32 /* on Windows IUnknown is the SDK's, whose destructor is public */
static_assert(!std::is_destructible<IUnknown>::value, "nor through IUnknown");
#endif

/* DEFINE_GUID without INITGUID declares (headers_ccall.c defines it). */
DEFINE_GUID(CCALL_DEFINED_GUID, 0x01234567, 0x89ab, 0xcdef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef);

/* The SDK's DECLARE_INTERFACE_ / STDMETHOD / THIS_ / PURE macro family. */
#undef INTERFACE
#define INTERFACE IMine
DECLARE_INTERFACE_(IMine, IUnknown)
{
    BEGIN_INTERFACE
    STDMETHOD(QueryInterface)(THIS_ REFIID riid, void **ppv) PURE;
    STDMETHOD_(ULONG, AddRef)(THIS) PURE;
    STDMETHOD_(ULONG, Release)(THIS) PURE;
    STDMETHOD(Twice)(THIS_ int x) PURE;
    END_INTERFACE
};
#undef INTERFACE

class Mine final : public IMine
{
public:
    STDMETHODIMP QueryInterface(REFIID, void **ppv) override
    {
        *ppv = nullptr;
        return E_NOINTERFACE;
    }
    STDMETHODIMP_(ULONG) AddRef() override { return 1; }
    STDMETHODIMP_(ULONG) Release() override { return 1; }
    STDMETHODIMP Twice(int x) override { return 2 * x; }
};

#define CHECK_BASE(derived, base) \
    static_assert(std::is_base_of<base, derived>::value, #derived " derives from " #base)
CHECK_BASE(IClassFactory, IUnknown);
CHECK_BASE(IBackgroundCopyManager, IUnknown);
CHECK_BASE(IBackgroundCopyJob, IUnknown);
CHECK_BASE(IBackgroundCopyJob2, IBackgroundCopyJob);
CHECK_BASE(IBackgroundCopyJob3, IBackgroundCopyJob2);
CHECK_BASE(IBackgroundCopyJob4, IBackgroundCopyJob3);
CHECK_BASE(IBackgroundCopyJob5, IBackgroundCopyJob4);
CHECK_BASE(IBackgroundCopyFile2, IBackgroundCopyFile);
CHECK_BASE(IBackgroundCopyFile3, IBackgroundCopyFile2);
CHECK_BASE(IBackgroundCopyFile4, IBackgroundCopyFile3);
CHECK_BASE(IBackgroundCopyFile5, IBackgroundCopyFile4);
CHECK_BASE(IBackgroundCopyFile6, IBackgroundCopyFile5);
CHECK_BASE(IBackgroundCopyCallback2, IBackgroundCopyCallback);
CHECK_BASE(IBackgroundCopyCallback3, IBackgroundCopyCallback2);
CHECK_BASE(IBackgroundCopyJobHttpOptions, IUnknown);
CHECK_BASE(IBackgroundCopyJobHttpOptions2, IBackgroundCopyJobHttpOptions);
CHECK_BASE(IBackgroundCopyJobHttpOptions3, IBackgroundCopyJobHttpOptions2);
CHECK_BASE(IBackgroundCopyServerCertificateValidationCallback, IUnknown);
CHECK_BASE(IBitsTokenOptions, IUnknown);
static_assert(!std::is_base_of<IBackgroundCopyJob, IBackgroundCopyJobHttpOptions>::value,
              "HttpOptions is a separate interface reached by QueryInterface");

/* ---- __uuidof ---- */

static void test_uuidof()
{
    CHECK(__uuidof(IUnknown) == IID_IUnknown);
    CHECK(__uuidof(IClassFactory) == IID_IClassFactory);
    CHECK(__uuidof(IBackgroundCopyFile) == IID_IBackgroundCopyFile);
    CHECK(__uuidof(IEnumBackgroundCopyFiles) == IID_IEnumBackgroundCopyFiles);
    CHECK(__uuidof(IBackgroundCopyError) == IID_IBackgroundCopyError);
    CHECK(__uuidof(IBackgroundCopyJob) == IID_IBackgroundCopyJob);
    CHECK(__uuidof(IEnumBackgroundCopyJobs) == IID_IEnumBackgroundCopyJobs);
    CHECK(__uuidof(IBackgroundCopyCallback) == IID_IBackgroundCopyCallback);
    CHECK(__uuidof(IBackgroundCopyManager) == IID_IBackgroundCopyManager);
    CHECK(__uuidof(IBackgroundCopyJob2) == IID_IBackgroundCopyJob2);
    CHECK(__uuidof(IBackgroundCopyJob3) == IID_IBackgroundCopyJob3);
    CHECK(__uuidof(IBackgroundCopyFile2) == IID_IBackgroundCopyFile2);
    CHECK(__uuidof(IBackgroundCopyJobHttpOptions) == IID_IBackgroundCopyJobHttpOptions);
    CHECK(__uuidof(IBitsPeerCacheRecord) == IID_IBitsPeerCacheRecord);
    CHECK(__uuidof(IEnumBitsPeerCacheRecords) == IID_IEnumBitsPeerCacheRecords);
    CHECK(__uuidof(IBitsPeer) == IID_IBitsPeer);
    CHECK(__uuidof(IEnumBitsPeers) == IID_IEnumBitsPeers);
    CHECK(__uuidof(IBitsPeerCacheAdministration) == IID_IBitsPeerCacheAdministration);
    CHECK(__uuidof(IBackgroundCopyJob4) == IID_IBackgroundCopyJob4);
    CHECK(__uuidof(IBackgroundCopyFile3) == IID_IBackgroundCopyFile3);
    CHECK(__uuidof(IBackgroundCopyCallback2) == IID_IBackgroundCopyCallback2);
    CHECK(__uuidof(IBitsTokenOptions) == IID_IBitsTokenOptions);
    CHECK(__uuidof(IBackgroundCopyFile4) == IID_IBackgroundCopyFile4);
    CHECK(__uuidof(IBackgroundCopyJob5) == IID_IBackgroundCopyJob5);
    CHECK(__uuidof(IBackgroundCopyFile5) == IID_IBackgroundCopyFile5);
    CHECK(__uuidof(IBackgroundCopyFile6) == IID_IBackgroundCopyFile6);
    CHECK(__uuidof(IBackgroundCopyCallback3) == IID_IBackgroundCopyCallback3);
    CHECK(__uuidof(IBackgroundCopyJobHttpOptions2) == IID_IBackgroundCopyJobHttpOptions2);
    CHECK(__uuidof(IBackgroundCopyServerCertificateValidationCallback) == IID_IBackgroundCopyServerCertificateValidationCallback);
    CHECK(__uuidof(IBackgroundCopyJobHttpOptions3) == IID_IBackgroundCopyJobHttpOptions3);
    CHECK(__uuidof(BackgroundCopyManager) == CLSID_BackgroundCopyManager);
    CHECK(__uuidof(BackgroundCopyManager1_5) == CLSID_BackgroundCopyManager1_5);
    CHECK(__uuidof(BackgroundCopyManager2_0) == CLSID_BackgroundCopyManager2_0);
    CHECK(__uuidof(BackgroundCopyManager2_5) == CLSID_BackgroundCopyManager2_5);
    CHECK(__uuidof(BackgroundCopyManager3_0) == CLSID_BackgroundCopyManager3_0);
    CHECK(__uuidof(BackgroundCopyManager4_0) == CLSID_BackgroundCopyManager4_0);
    CHECK(__uuidof(BackgroundCopyManager5_0) == CLSID_BackgroundCopyManager5_0);
    CHECK(__uuidof(BackgroundCopyManager10_1) == CLSID_BackgroundCopyManager10_1);
    CHECK(__uuidof(BackgroundCopyManager10_2) == CLSID_BackgroundCopyManager10_2);
    CHECK(__uuidof(BackgroundCopyManager10_3) == CLSID_BackgroundCopyManager10_3);
    CHECK(__uuidof(IBackgroundCopyJob) != __uuidof(IBackgroundCopyJob2));
    CHECK(IsEqualGUID(__uuidof(IBackgroundCopyFile3), IID_IBackgroundCopyFile3));
    CHECK(IsEqualIID(IID_IBackgroundCopyJob, IID_IBackgroundCopyJob) && !IsEqualCLSID(CLSID_NULL, IID_IUnknown));

    static const GUID expected = {0x01234567, 0x89ab, 0xcdef, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
    CHECK(CCALL_DEFINED_GUID == expected);

    Mine m;
    IMine *pm = &m;
    CHECK(pm->Twice(21) == 42 && static_cast<IUnknown *>(pm)->AddRef() == 1);
}

/* ---- C objects, called virtually ---- */

static void test_c_objects_from_cpp()
{
    {
        IBackgroundCopyJob5 *p = ccall_backgroundcopyjob5();
        CHECK(p->AddRef() == 1 && p->Release() == 2);
        CHECK_EQ_HR(p->AddFileSet({}, {}), 3);
        CHECK_EQ_HR(p->AddFile({}, {}), 4);
        CHECK_EQ_HR(p->EnumFiles({}), 5);
        CHECK_EQ_HR(p->Suspend(), 6);
        CHECK_EQ_HR(p->Resume(), 7);
        CHECK_EQ_HR(p->Cancel(), 8);
        CHECK_EQ_HR(p->Complete(), 9);
        CHECK_EQ_HR(p->GetId({}), 10);
        CHECK_EQ_HR(p->GetType({}), 11);
        CHECK_EQ_HR(p->GetProgress({}), 12);
        CHECK_EQ_HR(p->GetTimes({}), 13);
        CHECK_EQ_HR(p->GetState({}), 14);
        CHECK_EQ_HR(p->GetError({}), 15);
        CHECK_EQ_HR(p->GetOwner({}), 16);
        CHECK_EQ_HR(p->SetDisplayName({}), 17);
        CHECK_EQ_HR(p->GetDisplayName({}), 18);
        CHECK_EQ_HR(p->SetDescription({}), 19);
        CHECK_EQ_HR(p->GetDescription({}), 20);
        CHECK_EQ_HR(p->SetPriority({}), 21);
        CHECK_EQ_HR(p->GetPriority({}), 22);
        CHECK_EQ_HR(p->SetNotifyFlags({}), 23);
        CHECK_EQ_HR(p->GetNotifyFlags({}), 24);
        CHECK_EQ_HR(p->SetNotifyInterface({}), 25);
        CHECK_EQ_HR(p->GetNotifyInterface({}), 26);
        CHECK_EQ_HR(p->SetMinimumRetryDelay({}), 27);
        CHECK_EQ_HR(p->GetMinimumRetryDelay({}), 28);
        CHECK_EQ_HR(p->SetNoProgressTimeout({}), 29);
        CHECK_EQ_HR(p->GetNoProgressTimeout({}), 30);
        CHECK_EQ_HR(p->GetErrorCount({}), 31);
        CHECK_EQ_HR(p->SetProxySettings({}, {}, {}), 32);
        CHECK_EQ_HR(p->GetProxySettings({}, {}, {}), 33);
        CHECK_EQ_HR(p->TakeOwnership(), 34);
        CHECK_EQ_HR(p->SetNotifyCmdLine({}, {}), 35);
        CHECK_EQ_HR(p->GetNotifyCmdLine({}, {}), 36);
        CHECK_EQ_HR(p->GetReplyProgress({}), 37);
        CHECK_EQ_HR(p->GetReplyData({}, {}), 38);
        CHECK_EQ_HR(p->SetReplyFileName({}), 39);
        CHECK_EQ_HR(p->GetReplyFileName({}), 40);
        CHECK_EQ_HR(p->SetCredentials({}), 41);
        CHECK_EQ_HR(p->RemoveCredentials({}, {}), 42);
        CHECK_EQ_HR(p->ReplaceRemotePrefix({}, {}), 43);
        CHECK_EQ_HR(p->AddFileWithRanges({}, {}, {}, {}), 44);
        CHECK_EQ_HR(p->SetFileACLFlags({}), 45);
        CHECK_EQ_HR(p->GetFileACLFlags({}), 46);
        CHECK_EQ_HR(p->SetPeerCachingFlags({}), 47);
        CHECK_EQ_HR(p->GetPeerCachingFlags({}), 48);
        CHECK_EQ_HR(p->GetOwnerIntegrityLevel({}), 49);
        CHECK_EQ_HR(p->GetOwnerElevationState({}), 50);
        CHECK_EQ_HR(p->SetMaximumDownloadTime({}), 51);
        CHECK_EQ_HR(p->GetMaximumDownloadTime({}), 52);
        CHECK_EQ_HR(p->SetProperty({}, {}), 53);
        CHECK_EQ_HR(p->GetProperty({}, {}), 54);
    }
    {
        IBackgroundCopyFile6 *p = ccall_backgroundcopyfile6();
        CHECK(p->AddRef() == 1 && p->Release() == 2);
        CHECK_EQ_HR(p->GetRemoteName({}), 3);
        CHECK_EQ_HR(p->GetLocalName({}), 4);
        CHECK_EQ_HR(p->GetProgress({}), 5);
        CHECK_EQ_HR(p->GetFileRanges({}, {}), 6);
        CHECK_EQ_HR(p->SetRemoteName({}), 7);
        CHECK_EQ_HR(p->GetTemporaryName({}), 8);
        CHECK_EQ_HR(p->SetValidationState({}), 9);
        CHECK_EQ_HR(p->GetValidationState({}), 10);
        CHECK_EQ_HR(p->IsDownloadedFromPeer({}), 11);
        CHECK_EQ_HR(p->GetPeerDownloadStats({}, {}), 12);
        CHECK_EQ_HR(p->SetProperty({}, {}), 13);
        CHECK_EQ_HR(p->GetProperty({}, {}), 14);
        CHECK_EQ_HR(p->UpdateDownloadPosition({}), 15);
        CHECK_EQ_HR(p->RequestFileRanges({}, {}), 16);
        CHECK_EQ_HR(p->GetFilledFileRanges({}, {}), 17);
    }
    {
        IBackgroundCopyJobHttpOptions3 *p = ccall_backgroundcopyjobhttpoptions3();
        CHECK(p->AddRef() == 1 && p->Release() == 2);
        CHECK_EQ_HR(p->SetClientCertificateByID({}, {}, {}), 3);
        CHECK_EQ_HR(p->SetClientCertificateByName({}, {}, {}), 4);
        CHECK_EQ_HR(p->RemoveClientCertificate(), 5);
        CHECK_EQ_HR(p->GetClientCertificate({}, {}, {}, {}), 6);
        CHECK_EQ_HR(p->SetCustomHeaders({}), 7);
        CHECK_EQ_HR(p->GetCustomHeaders({}), 8);
        CHECK_EQ_HR(p->SetSecurityFlags({}), 9);
        CHECK_EQ_HR(p->GetSecurityFlags({}), 10);
        CHECK_EQ_HR(p->SetHttpMethod({}), 11);
        CHECK_EQ_HR(p->GetHttpMethod({}), 12);
        CHECK_EQ_HR(p->SetServerCertificateValidationInterface({}), 13);
        CHECK_EQ_HR(p->MakeCustomHeadersWriteOnly(), 14);
    }
    {
        IBitsTokenOptions *p = ccall_bitstokenoptions();
        CHECK(p->AddRef() == 1 && p->Release() == 2);
        CHECK_EQ_HR(p->SetHelperTokenFlags({}), 3);
        CHECK_EQ_HR(p->GetHelperTokenFlags({}), 4);
        CHECK_EQ_HR(p->SetHelperToken(), 5);
        CHECK_EQ_HR(p->ClearHelperToken(), 6);
        CHECK_EQ_HR(p->GetHelperTokenSid({}), 7);
    }
    {
        IBackgroundCopyServerCertificateValidationCallback *p = ccall_backgroundcopyservercertificatevalidationcallback();
        CHECK(p->AddRef() == 1 && p->Release() == 2);
        CHECK_EQ_HR(p->ValidateServerCertificate({}, {}, {}, {}, {}, {}, {}), 3);
    }
    {
        IBitsPeerCacheAdministration *p = ccall_bitspeercacheadministration();
        CHECK(p->AddRef() == 1 && p->Release() == 2);
        CHECK_EQ_HR(p->GetMaximumCacheSize({}), 3);
        CHECK_EQ_HR(p->SetMaximumCacheSize({}), 4);
        CHECK_EQ_HR(p->GetMaximumContentAge({}), 5);
        CHECK_EQ_HR(p->SetMaximumContentAge({}), 6);
        CHECK_EQ_HR(p->GetConfigurationFlags({}), 7);
        CHECK_EQ_HR(p->SetConfigurationFlags({}), 8);
        CHECK_EQ_HR(p->EnumRecords({}), 9);
        CHECK_EQ_HR(p->GetRecord({}, {}), 10);
        CHECK_EQ_HR(p->ClearRecords(), 11);
        CHECK_EQ_HR(p->DeleteRecord({}), 12);
        CHECK_EQ_HR(p->DeleteUrl({}), 13);
        CHECK_EQ_HR(p->EnumPeers({}), 14);
        CHECK_EQ_HR(p->ClearPeers(), 15);
        CHECK_EQ_HR(p->DiscoverPeers(), 16);
    }
    {
        IEnumBackgroundCopyJobs *p = ccall_enumbackgroundcopyjobs();
        CHECK(p->AddRef() == 1 && p->Release() == 2);
        CHECK_EQ_HR(p->Next({}, {}, {}), 3);
        CHECK_EQ_HR(p->Skip({}), 4);
        CHECK_EQ_HR(p->Reset(), 5);
        CHECK_EQ_HR(p->Clone({}), 6);
        CHECK_EQ_HR(p->GetCount({}), 7);
    }
    {
        IBackgroundCopyManager *p = ccall_backgroundcopymanager();
        CHECK(p->AddRef() == 1 && p->Release() == 2);
        CHECK_EQ_HR(p->CreateJob({}, {}, {}, {}), 3);
        CHECK_EQ_HR(p->GetJob({}, {}), 4);
        CHECK_EQ_HR(p->EnumJobs({}, {}), 5);
        CHECK_EQ_HR(p->GetErrorDescription({}, {}, {}), 6);
    }
    {
        IBackgroundCopyError *p = ccall_backgroundcopyerror();
        CHECK(p->AddRef() == 1 && p->Release() == 2);
        CHECK_EQ_HR(p->GetError({}, {}), 3);
        CHECK_EQ_HR(p->GetFile({}), 4);
        CHECK_EQ_HR(p->GetErrorDescription({}, {}), 5);
        CHECK_EQ_HR(p->GetErrorContextDescription({}, {}), 6);
        CHECK_EQ_HR(p->GetProtocol({}), 7);
    }
}

/* ---- a C++ callback in the style of the Microsoft samples ---- */

class Notify final : public IBackgroundCopyCallback3
{
public:
    LONG m_ref = 1;
    LONG m_pending = 0;
    IBackgroundCopyJob *m_job = nullptr;
    IBackgroundCopyError *m_error = nullptr;
    IBackgroundCopyFile *m_file = nullptr;
    DWORD m_reserved = 0;
    DWORD m_ranges = 0;
    UINT64 m_last_offset = 0;

    HRESULT __stdcall QueryInterface(REFIID riid, LPVOID *ppvObj) override
    {
        if (riid == __uuidof(IUnknown) || riid == __uuidof(IBackgroundCopyCallback) ||
            riid == __uuidof(IBackgroundCopyCallback2) || riid == __uuidof(IBackgroundCopyCallback3)) {
            *ppvObj = this;
        } else {
            *ppvObj = NULL;
            return E_NOINTERFACE;
        }
        AddRef();
        return NOERROR;
    }
    ULONG __stdcall AddRef() override { return InterlockedIncrement(&m_ref); }
    ULONG __stdcall Release() override { return InterlockedDecrement(&m_ref); } /* on the stack: no delete */

    HRESULT __stdcall JobTransferred(IBackgroundCopyJob *pJob) override
    {
        m_job = pJob;
        return 1;
    }
    HRESULT __stdcall JobError(IBackgroundCopyJob *pJob, IBackgroundCopyError *pError) override
    {
        m_job = pJob;
        m_error = pError;
        return 2;
    }
    HRESULT __stdcall JobModification(IBackgroundCopyJob *pJob, DWORD dwReserved) override
    {
        /* The seed's re-entrancy guard. */
        if (InterlockedCompareExchange(&m_pending, 1, 0) == 1)
            return S_OK;
        m_job = pJob;
        m_reserved = dwReserved;
        m_pending = 0;
        return 3;
    }
    HRESULT __stdcall FileTransferred(IBackgroundCopyJob *pJob, IBackgroundCopyFile *pFile) override
    {
        m_job = pJob;
        m_file = pFile;
        return 4;
    }
    HRESULT __stdcall FileRangesTransferred(IBackgroundCopyJob *job, IBackgroundCopyFile *file, DWORD rangeCount,
                                            const BG_FILE_RANGE ranges[]) override
    {
        m_job = job;
        m_file = file;
        m_ranges = rangeCount;
        m_last_offset = ranges[rangeCount - 1].InitialOffset;
        return 5;
    }
};

static void test_cpp_callback_from_c()
{
    Notify n;
    IBackgroundCopyJob *job = reinterpret_cast<IBackgroundCopyJob *>(ccall_backgroundcopyjob5());
    IBackgroundCopyError *err = ccall_backgroundcopyerror();
    IBackgroundCopyFile *file = reinterpret_cast<IBackgroundCopyFile *>(ccall_backgroundcopyfile6());
    CHECK_EQ_HR(ccall_drive_callback3(&n, job, err, file), 54321);
    CHECK(n.m_job == job && n.m_error == err && n.m_file == file);
    CHECK(n.m_reserved == 42 && n.m_ranges == 2 && n.m_last_offset == 100);
    CHECK(n.m_ref == 1); /* the QueryInterface reference was released */

    /* Typed QueryInterface and IID_PPV_ARGS from the SDK's C++ helpers (the
     * template lives in IUnknown; Notify's own QueryInterface hides it). */
    IUnknown *unk = &n;
    IBackgroundCopyCallback2 *two = nullptr;
    CHECK_EQ_HR(unk->QueryInterface(&two), S_OK);
    CHECK(two == &n);
    two->Release();
    IBackgroundCopyCallback *one = nullptr;
    CHECK_EQ_HR(n.QueryInterface(IID_PPV_ARGS(&one)), S_OK);
    one->Release();
    IBackgroundCopyJob *notme = reinterpret_cast<IBackgroundCopyJob *>(&n);
    CHECK_EQ_HR(n.QueryInterface(IID_PPV_ARGS(&notme)), E_NOINTERFACE);
    CHECK(notme == nullptr && n.m_ref == 1);
}

/* ---- the samples' activation line ---- */

static void test_activation_compiles()
{
    IBackgroundCopyManager *p = reinterpret_cast<IBackgroundCopyManager *>(&p);
    /* This thread has not called CoInitializeEx. */
    CHECK_EQ_HR(CoCreateInstance(__uuidof(BackgroundCopyManager), NULL, CLSCTX_LOCAL_SERVER,
                                 __uuidof(IBackgroundCopyManager), (void **)&p),
                CO_E_NOTINITIALIZED);
    CHECK(p == nullptr);
    CHECK_EQ_HR(CoCreateInstance(__uuidof(BackgroundCopyManager10_1), NULL, CLSCTX_LOCAL_SERVER,
                                 IID_PPV_ARGS(&p)),
                CO_E_NOTINITIALIZED);

#ifdef _WIN32 /* the system's: the user's locale, whatever it is */
    CHECK(LANGIDFROMLCID(GetThreadLocale()) != 0);
#else /* bgcopy's: its texts are English */
    CHECK(LANGIDFROMLCID(GetThreadLocale()) == MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US));
#endif
    WCHAR *text = static_cast<WCHAR *>(CoTaskMemAlloc(8 * sizeof(WCHAR)));
    CHECK(text != nullptr);
    std::wcscpy(text, L"bgcopy");
    CHECK(std::wcslen(text) == 6);
    CoTaskMemFree(text);
    CoTaskMemFree(nullptr);

    HRESULT ErrorCode = BG_E_INSUFFICIENT_RANGE_SUPPORT;
    CHECK(BG_E_INSUFFICIENT_RANGE_SUPPORT == ErrorCode && FAILED(ErrorCode));
    BG_FILE_PROGRESS Progress = {};
    Progress.BytesTotal = BG_SIZE_UNKNOWN;
    CHECK(BG_SIZE_UNKNOWN == Progress.BytesTotal);
}

int main()
{
    test_uuidof();
    test_c_objects_from_cpp();
    test_cpp_callback_from_c();
    test_activation_compiles();
    std::printf("headers_cpp (C++%ld): ok\n", (long)(__cplusplus / 100 % 100));
    return 0;
}
