// win32_surface (C++) - the same Win32 surface from C++: a wmain defined in
// C++ links to libbgcopy-win32's main (C linkage from bgcopy_win32.h, as
// MSVC gives wmain), <Windows.h> + <Bits.h> reach every BITS version, and
// IBitsPeerCacheAdministration answers through the C++ interface with
// __uuidof and the typed QueryInterface, every method S_FALSE.
#include <Windows.h>
#include <Bits.h>
#include <tchar.h>

#include <cstdio>
#include <cwchar>

#include "check.h"

static_assert(sizeof(TCHAR) == sizeof(WCHAR), "Unicode build");

// Job5 and File5 from bits5_0.h, reached through <Bits.h> alone.
static HRESULT ProbeJob5(_In_ IBackgroundCopyJob *pJob, _Out_ BOOL *pfDynamic)
{
    IBackgroundCopyJob5 *pJob5 = NULL;
    *pfDynamic = FALSE;
    HRESULT hr = pJob->QueryInterface(__uuidof(IBackgroundCopyJob5), (void **)&pJob5);
    if (FAILED(hr))
        return hr;
    BITS_JOB_PROPERTY_VALUE v;
    hr = pJob5->GetProperty(BITS_JOB_PROPERTY_DYNAMIC_CONTENT, &v);
    if (SUCCEEDED(hr))
        *pfDynamic = v.Enable;
    pJob5->Release();
    return hr;
}

int _tmain(int argc, _TCHAR *argv[])
{
    CHECK_EQ_INT(argc, 2);
    CHECK_MSG(_tcscmp(argv[1], _T("r\u00e9sum\u00e9-\u20ac")) == 0, "argv[1] = \"%ls\"", argv[1]);

    CHECK_EQ_INT(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), S_OK);
    IBackgroundCopyManager *pbcm = NULL;
    CHECK_EQ_INT(CoCreateInstance(__uuidof(BackgroundCopyManager), NULL, CLSCTX_LOCAL_SERVER,
                                  __uuidof(IBackgroundCopyManager), (void **)&pbcm),
                 S_OK);

    IBitsPeerCacheAdministration *pAdmin = NULL;
    CHECK_EQ_INT(pbcm->QueryInterface(&pAdmin), S_OK);
    CHECK(pAdmin != NULL);
    IUnknown *pUnk1 = NULL, *pUnk2 = NULL;
    CHECK_EQ_INT(pbcm->QueryInterface(IID_PPV_ARGS(&pUnk1)), S_OK);
    CHECK_EQ_INT(pAdmin->QueryInterface(IID_PPV_ARGS(&pUnk2)), S_OK);
    CHECK(pUnk1 == pUnk2);
    pUnk1->Release();
    pUnk2->Release();

    DWORD dw = 5;
    ULONG ul = 5;
    CHECK_EQ_INT(pAdmin->SetConfigurationFlags(BG_ENABLE_PEERCACHING_CLIENT), S_FALSE);
    CHECK_EQ_INT(pAdmin->GetConfigurationFlags(&dw), S_FALSE);
    CHECK_EQ_INT(dw, 0);
    CHECK_EQ_INT(pAdmin->SetMaximumCacheSize(5), S_FALSE);
    dw = 5;
    CHECK_EQ_INT(pAdmin->GetMaximumCacheSize(&dw), S_FALSE);
    CHECK_EQ_INT(dw, 0);
    CHECK_EQ_INT(pAdmin->SetMaximumContentAge(60), S_FALSE);
    CHECK_EQ_INT(pAdmin->GetMaximumContentAge(&ul), S_FALSE);
    CHECK_EQ_INT(ul, 0);
    IEnumBitsPeerCacheRecords *pRecords = reinterpret_cast<IEnumBitsPeerCacheRecords *>(1);
    CHECK_EQ_INT(pAdmin->EnumRecords(&pRecords), S_FALSE);
    CHECK(pRecords == NULL);
    IBitsPeerCacheRecord *pRecord = reinterpret_cast<IBitsPeerCacheRecord *>(1);
    CHECK_EQ_INT(pAdmin->GetRecord(GUID_NULL, &pRecord), S_FALSE);
    CHECK(pRecord == NULL);
    CHECK_EQ_INT(pAdmin->DeleteRecord(GUID_NULL), S_FALSE);
    CHECK_EQ_INT(pAdmin->DeleteUrl(L"http://127.0.0.1/a"), S_FALSE);
    CHECK_EQ_INT(pAdmin->ClearRecords(), S_FALSE);
    IEnumBitsPeers *pPeers = reinterpret_cast<IEnumBitsPeers *>(1);
    CHECK_EQ_INT(pAdmin->EnumPeers(&pPeers), S_FALSE);
    CHECK(pPeers == NULL);
    CHECK_EQ_INT(pAdmin->ClearPeers(), S_FALSE);
    CHECK_EQ_INT(pAdmin->DiscoverPeers(), S_FALSE);

    // A job, to reach Job5 through QueryInterface.
    GUID id;
    IBackgroundCopyJob *pJob = NULL;
    CHECK_EQ_INT(pbcm->CreateJob(_T("win32_surface"), BG_JOB_TYPE_DOWNLOAD, &id, &pJob), S_OK);
    BOOL fDynamic = TRUE;
    CHECK_EQ_INT(ProbeJob5(pJob, &fDynamic), S_OK);
    CHECK(!fDynamic);
    CHECK_EQ_INT(pJob->Cancel(), S_OK);
    pJob->Release();

    pAdmin->Release();
    CHECK_EQ_INT(pbcm->Release(), 0);
    CoUninitialize();

    SetLastError(ERROR_NOT_FOUND);
    CHECK_EQ_INT(GetLastError(), ERROR_NOT_FOUND);
    DWORD t0 = GetTickCount();
    Sleep(20);
    CHECK(GetTickCount() - t0 >= 19);
    std::printf("win32_surface_cpp: ok\n");
    return 0;
}
