// sta-download - a BITS console program written the way Microsoft's
// documentation writes them ("Registering a COM callback", "Polling for the
// status of the job"): a single-threaded apartment (CoInitialize(NULL)), one
// download job, an IBackgroundCopyCallback object registered with
// SetNotifyInterface, and a message loop that ends when JobTransferred
// (after Complete) or JobError posts WM_QUIT.  Callbacks arrive on the main
// thread, from inside GetMessage (docs/notifications.md, "Apartments").
//
// Usage: sta-download <remote URL> <local file (full path)>
// Exit status: 0 when the file was transferred and completed, 1 when the job
// failed (the error is printed), 2 on a usage or COM error.
//
// Written with int main and the headers bgcopy has today (a wmain taking
// WCHAR arguments would replace Widen); on Windows the message loop and the
// apartment are the system's.
#include <windows.h>
#include <bits.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

class CNotifyInterface : public IBackgroundCopyCallback
{
    LONG m_lRefCount;

public:
    CNotifyInterface() { m_lRefCount = 1; }
    virtual ~CNotifyInterface() {}

    HRESULT __stdcall QueryInterface(REFIID riid, LPVOID *ppvObj)
    {
        if (riid == __uuidof(IUnknown) || riid == __uuidof(IBackgroundCopyCallback)) {
            *ppvObj = this;
            AddRef();
            return NOERROR;
        }
        *ppvObj = NULL;
        return E_NOINTERFACE;
    }
    ULONG __stdcall AddRef() { return InterlockedIncrement(&m_lRefCount); }
    ULONG __stdcall Release()
    {
        ULONG ulCount = InterlockedDecrement(&m_lRefCount);
        if (0 == ulCount)
            delete this;
        return ulCount;
    }

    HRESULT __stdcall JobTransferred(IBackgroundCopyJob *pJob)
    {
        HRESULT hr = pJob->Complete();
        if (FAILED(hr)) {
            // Returning a failure makes BITS call JobTransferred again later.
            wprintf(L"Complete failed, hr=0x%08x\n", (unsigned)hr);
            return hr;
        }
        wprintf(L"Job transferred and completed.\n");
        PostQuitMessage(0);
        return S_OK;
    }

    HRESULT __stdcall JobError(IBackgroundCopyJob *pJob, IBackgroundCopyError *pError)
    {
        HRESULT hrError = S_OK;
        BG_ERROR_CONTEXT context = BG_ERROR_CONTEXT_NONE;
        pError->GetError(&context, &hrError);
        wprintf(L"Job failed, context %d, hr=0x%08x\n", (int)context, (unsigned)hrError);
        pJob->Cancel();
        PostQuitMessage(1);
        return S_OK;
    }

    HRESULT __stdcall JobModification(IBackgroundCopyJob *pJob, DWORD dwReserved)
    {
        (void)pJob;
        (void)dwReserved;
        return S_OK;
    }
};

// The command line's bytes as a WCHAR string (a wmain would get it so).
static WCHAR *Widen(const char *s)
{
    size_t n = mbstowcs(NULL, s, 0);
    if (n == (size_t)-1)
        return NULL;
    WCHAR *w = (WCHAR *)malloc((n + 1) * sizeof(WCHAR));
    if (w)
        mbstowcs(w, s, n + 1);
    return w;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fwprintf(stderr, L"usage: sta-download <remote URL> <local file>\n");
        return 2;
    }
    WCHAR *remote = Widen(argv[1]);
    WCHAR *local = Widen(argv[2]);
    if (!remote || !local)
        return 2;

    int status = 2;
    HRESULT hr = CoInitialize(NULL);
    if (FAILED(hr)) {
        wprintf(L"CoInitialize failed, hr=0x%08x\n", (unsigned)hr);
        return 2;
    }

    IBackgroundCopyManager *pManager = NULL;
    IBackgroundCopyJob *pJob = NULL;
    CNotifyInterface *pNotify = NULL;
    GUID JobId;
    // Where Microsoft's samples call CoCreateInstance: on Windows that
    // reaches the system's BITS service, so bgcopy's own entry point (same
    // parameters; it works on Linux too) is used (docs/windows.md).
    hr = BgCopyCreateInstance(__uuidof(BackgroundCopyManager), NULL, CLSCTX_LOCAL_SERVER,
                              __uuidof(IBackgroundCopyManager), (void **)&pManager);
    if (SUCCEEDED(hr))
        hr = pManager->CreateJob(L"sta-download", BG_JOB_TYPE_DOWNLOAD, &JobId, &pJob);
    if (SUCCEEDED(hr))
        hr = pJob->AddFile(remote, local);
    if (SUCCEEDED(hr)) {
        pNotify = new CNotifyInterface();
        hr = pJob->SetNotifyInterface(pNotify);
    }
    if (SUCCEEDED(hr))
        hr = pJob->SetNotifyFlags(BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR);
    if (SUCCEEDED(hr))
        hr = pJob->Resume();

    if (SUCCEEDED(hr)) {
        // The STA's message loop: the callbacks run inside GetMessage, and
        // the one that ends the job posts WM_QUIT.
        MSG msg;
        BOOL bRet;
        while ((bRet = GetMessage(&msg, NULL, 0, 0)) != 0) {
            if (bRet == -1)
                break;
            TranslateMessage(&msg);
            DispatchMessage(&msg);
        }
        status = bRet == 0 ? (int)msg.wParam : 2;
    } else {
        wprintf(L"Setting up the job failed, hr=0x%08x\n", (unsigned)hr);
        if (pJob)
            pJob->Cancel();
    }

    if (pNotify)
        pNotify->Release();
    if (pJob)
        pJob->Release();
    if (pManager)
        pManager->Release();
    CoUninitialize();
    free(remote);
    free(local);
    return status;
}
