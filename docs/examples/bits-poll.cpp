// bits-poll: downloads one file with BITS and polls the job until it is
// done, the way Microsoft's BITS documentation writes a console program
// ("Polling for the Status of the Job"): a _tmain Unicode program over
// <windows.h> + <Bits.h>, Sleep/GetTickCount polling, IBackgroundCopyJob4
// through QueryInterface.
//
// The same source builds with the Windows SDK.  On Linux, build it as a
// Unicode program against bgcopy (docs/windows-programs.md):
//   c++ -DUNICODE -D_UNICODE bits-poll.cpp $(pkg-config --cflags --libs bgcopy-win32)
// Usage: bits-poll URL LOCAL-FILE [TIMEOUT-SECONDS]
// Exit status: 0 transferred and completed, 1 the job failed or timed out,
// 2 bad usage or a BITS call failed.
#include <windows.h>
#include <Bits.h>
#include <tchar.h>
#include <stdio.h>

// Prints the job's error (context, HRESULT, BITS's description).
static void ReportJobError(_In_ IBackgroundCopyJob *pJob)
{
    IBackgroundCopyError *pError = NULL;
    if (FAILED(pJob->GetError(&pError)))
        return;
    BG_ERROR_CONTEXT Context;
    HRESULT hrError;
    LPWSTR pszDescription = NULL;
    pError->GetError(&Context, &hrError);
    if (SUCCEEDED(pError->GetErrorDescription(LANGIDFROMLCID(GetThreadLocale()), &pszDescription))) {
        _tprintf(_T("Job error 0x%08x (context %d): %ls\n"), hrError, (int)Context,
                 pszDescription);
        CoTaskMemFree(pszDescription);
    }
    pError->Release();
}

// Resumes |pJob| and polls it every |dwPollMs| ms until it is transferred
// (then completes it), fails, or |dwTimeoutMs| has passed (then cancels it).
static HRESULT WaitForJob(_In_ IBackgroundCopyJob *pJob, _In_ DWORD dwPollMs,
                          _In_ DWORD dwTimeoutMs, _Out_ BOOL *pfTransferred)
{
    BG_JOB_STATE State;
    BG_JOB_PROGRESS Progress;
    DWORD dwStart = GetTickCount();
    HRESULT hr;

    *pfTransferred = FALSE;
    hr = pJob->Resume();
    if (FAILED(hr))
        return hr;
    for (;;) {
        hr = pJob->GetState(&State);
        if (FAILED(hr))
            return hr;
        if (BG_JOB_STATE_TRANSFERRED == State) {
            pJob->GetProgress(&Progress);
            hr = pJob->Complete();
            if (SUCCEEDED(hr)) {
                *pfTransferred = TRUE;
                _tprintf(_T("Job transferred: %llu bytes\n"),
                         (unsigned long long)Progress.BytesTransferred);
            }
            return hr;
        }
        if (BG_JOB_STATE_ERROR == State) {
            ReportJobError(pJob);
            pJob->Cancel();
            return S_OK;
        }
        if (GetTickCount() - dwStart > dwTimeoutMs) {
            _tprintf(_T("Timed out in state %d\n"), (int)State);
            pJob->Cancel();
            return S_OK;
        }
        Sleep(dwPollMs);
    }
}

int _tmain(int argc, _TCHAR *argv[])
{
    if (argc < 3 || argc > 4) {
        _ftprintf(stderr, _T("usage: %ls URL LOCAL-FILE [TIMEOUT-SECONDS]\n"), argv[0]);
        return 2;
    }
    DWORD dwTimeoutMs = argc == 4 ? (DWORD)_ttoi(argv[3]) * 1000 : 60 * 1000;

    HRESULT hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    if (FAILED(hr))
        return 2;
    // The BITS samples' security set-up; bgcopy accepts and ignores it.
    CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                         RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, 0);

    int rc = 2;
    IBackgroundCopyManager *pbcm = NULL;
    IBackgroundCopyJob *pJob = NULL;
    IBackgroundCopyJob4 *pJob4 = NULL;
    GUID JobId;
    BOOL fTransferred = FALSE;

    hr = CoCreateInstance(__uuidof(BackgroundCopyManager), NULL, CLSCTX_LOCAL_SERVER,
                          __uuidof(IBackgroundCopyManager), (void **)&pbcm);
    if (FAILED(hr)) {
        _tprintf(_T("CoCreateInstance failed: 0x%08x\n"), hr);
        goto cleanup;
    }
    hr = pbcm->CreateJob(L"bits-poll", BG_JOB_TYPE_DOWNLOAD, &JobId, &pJob);
    if (FAILED(hr))
        goto cleanup;
    hr = pJob->AddFile(argv[1], argv[2]);
    if (FAILED(hr)) {
        _tprintf(_T("AddFile failed: 0x%08x\n"), hr);
        goto cleanup;
    }
    // BITS 3.0 and later: E_NOINTERFACE on older versions.
    hr = pJob->QueryInterface(__uuidof(IBackgroundCopyJob4), (void **)&pJob4);
    if (SUCCEEDED(hr)) {
        DWORD dwFlags = 0;
        pJob4->SetPeerCachingFlags(BG_JOB_ENABLE_PEERCACHING_CLIENT);
        pJob4->GetPeerCachingFlags(&dwFlags);
        _tprintf(_T("Peer caching flags: 0x%lx\n"), (unsigned long)dwFlags);
        pJob4->Release();
    }
    hr = WaitForJob(pJob, 100, dwTimeoutMs, &fTransferred);
    if (FAILED(hr))
        goto cleanup;
    rc = fTransferred ? 0 : 1;

cleanup:
    if (pJob)
        pJob->Release();
    if (pbcm)
        pbcm->Release();
    CoUninitialize();
    return rc;
}
