/*
 * bits-props: downloads one file with BITS from a C program that includes
 * only <bits.h>, the way Microsoft's BITS documentation writes one: a wmain
 * entry point, _In_/_Out_ annotations, the newer interfaces
 * (IBackgroundCopyJob5, IBackgroundCopyFile5) through QueryInterface, and
 * the BITS 3.0 peer-cache administration (which BITS 4.0 and later answer
 * with S_FALSE everywhere).
 *
 * The same source builds with the Windows SDK.  On Linux, build it against
 * bgcopy (docs/windows-programs.md):
 *   cc -DUNICODE -D_UNICODE bits-props.c $(pkg-config --cflags --libs bgcopy-win32)
 * Usage: bits-props URL LOCAL-FILE
 * Exit status: 0 transferred and completed, 1 the job failed, 2 bad usage
 * or a BITS call failed.
 */
#include <bits.h>
#include <stdio.h>

/* Configures the machine's peer cache the BITS 3.0 way.  Since BITS 4.0
 * every method answers S_FALSE ("not used"), which is no failure. */
static HRESULT ConfigurePeerCache(_In_ IBackgroundCopyManager *pManager)
{
    IBitsPeerCacheAdministration *pAdmin = NULL;
    IEnumBitsPeerCacheRecords *pRecords = NULL;
    DWORD dwMaxSize = 1, dwFlags = 1;
    HRESULT hr;

    hr = pManager->lpVtbl->QueryInterface(pManager, &IID_IBitsPeerCacheAdministration,
                                          (void **)&pAdmin);
    if (FAILED(hr)) {
        wprintf(L"Peer cache administration: QueryInterface failed 0x%08x\n", hr);
        return hr;
    }
    hr = pAdmin->lpVtbl->SetConfigurationFlags(pAdmin, BG_ENABLE_PEERCACHING_CLIENT |
                                                           BG_ENABLE_PEERCACHING_SERVER);
    wprintf(L"SetConfigurationFlags: 0x%08x\n", hr);
    hr = pAdmin->lpVtbl->GetConfigurationFlags(pAdmin, &dwFlags);
    wprintf(L"GetConfigurationFlags: 0x%08x flags %lu\n", hr, (unsigned long)dwFlags);
    hr = pAdmin->lpVtbl->GetMaximumCacheSize(pAdmin, &dwMaxSize);
    wprintf(L"GetMaximumCacheSize: 0x%08x size %lu\n", hr, (unsigned long)dwMaxSize);
    hr = pAdmin->lpVtbl->EnumRecords(pAdmin, &pRecords);
    wprintf(L"EnumRecords: 0x%08x %ls\n", hr, pRecords ? L"records" : L"no records");
    if (pRecords)
        pRecords->lpVtbl->Release(pRecords);
    hr = pAdmin->lpVtbl->DiscoverPeers(pAdmin);
    wprintf(L"DiscoverPeers: 0x%08x\n", hr);
    pAdmin->lpVtbl->Release(pAdmin);
    return S_OK;
}

/* Prints what the BITS 5.0 interfaces say about |pJob|'s first file. */
static void ShowFile5(_In_ IBackgroundCopyJob *pJob)
{
    IEnumBackgroundCopyFiles *pFiles = NULL;
    IBackgroundCopyFile *pFile = NULL;
    IBackgroundCopyFile5 *pFile5 = NULL;
    BITS_FILE_PROPERTY_VALUE Value;
    HRESULT hr;

    if (FAILED(pJob->lpVtbl->EnumFiles(pJob, &pFiles)))
        return;
    if (pFiles->lpVtbl->Next(pFiles, 1, &pFile, NULL) == S_OK) {
        hr = pFile->lpVtbl->QueryInterface(pFile, &IID_IBackgroundCopyFile5, (void **)&pFile5);
        if (SUCCEEDED(hr)) {
            hr = pFile5->lpVtbl->GetProperty(pFile5, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS,
                                             &Value);
            if (SUCCEEDED(hr)) {
                wprintf(L"Response headers: %ls\n", Value.String);
                CoTaskMemFree(Value.String);
            } else {
                wprintf(L"Response headers: not available (0x%08x)\n", hr);
            }
            pFile5->lpVtbl->Release(pFile5);
        }
        pFile->lpVtbl->Release(pFile);
    }
    pFiles->lpVtbl->Release(pFiles);
}

int wmain(int argc, wchar_t *argv[])
{
    IBackgroundCopyManager *pManager = NULL;
    IBackgroundCopyJob *pJob = NULL;
    IBackgroundCopyJob5 *pJob5 = NULL;
    BITS_JOB_PROPERTY_VALUE Value;
    BG_JOB_STATE State;
    GUID JobId;
    int rc = 2;
    HRESULT hr;

    if (argc != 3) {
        fwprintf(stderr, L"usage: %ls URL LOCAL-FILE\n", argv[0]);
        return 2;
    }
    hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr))
        return 2;
    hr = CoCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                          &IID_IBackgroundCopyManager, (void **)&pManager);
    if (FAILED(hr))
        goto cleanup;
    if (FAILED(ConfigurePeerCache(pManager)))
        goto cleanup;

    hr = pManager->lpVtbl->CreateJob(pManager, L"bits-props", BG_JOB_TYPE_DOWNLOAD, &JobId, &pJob);
    if (FAILED(hr))
        goto cleanup;
    hr = pJob->lpVtbl->AddFile(pJob, argv[1], argv[2]);
    if (FAILED(hr))
        goto cleanup;

    /* BITS 5.0 and later. */
    hr = pJob->lpVtbl->QueryInterface(pJob, &IID_IBackgroundCopyJob5, (void **)&pJob5);
    if (SUCCEEDED(hr)) {
        Value.Enable = TRUE;
        hr = pJob5->lpVtbl->SetProperty(pJob5, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, Value);
        Value.Enable = FALSE;
        if (SUCCEEDED(hr))
            hr = pJob5->lpVtbl->GetProperty(pJob5, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, &Value);
        wprintf(L"Dynamic content: 0x%08x %ls\n", hr,
                Value.Enable ? L"on" : L"off");
        pJob5->lpVtbl->Release(pJob5);
    }

    hr = pJob->lpVtbl->Resume(pJob);
    if (FAILED(hr))
        goto cleanup;
    do {
        Sleep(50);
        hr = pJob->lpVtbl->GetState(pJob, &State);
    } while (SUCCEEDED(hr) && State != BG_JOB_STATE_TRANSFERRED && State != BG_JOB_STATE_ERROR);
    if (FAILED(hr))
        goto cleanup;
    if (State == BG_JOB_STATE_ERROR) {
        wprintf(L"Job failed\n");
        pJob->lpVtbl->Cancel(pJob);
        rc = 1;
        goto cleanup;
    }
    ShowFile5(pJob);
    hr = pJob->lpVtbl->Complete(pJob);
    if (FAILED(hr))
        goto cleanup;
    wprintf(L"Job completed\n");
    rc = 0;

cleanup:
    if (FAILED(hr))
        wprintf(L"BITS call failed: 0x%08x\n", hr);
    if (pJob)
        pJob->lpVtbl->Release(pJob);
    if (pManager)
        pManager->lpVtbl->Release(pManager);
    CoUninitialize();
    return rc;
}
