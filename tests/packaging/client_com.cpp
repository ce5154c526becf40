// client_com.cpp - the same client as client_com.c in the C++ form of
// Microsoft's BITS samples (__uuidof, method calls on interface pointers):
// proves the installed Windows-named headers compile as C++ and link
// against libbgcopy with nothing but `pkg-config --cflags --libs bgcopy`.
#include <bits.h>

/* On Linux, CoCreateInstance is bgcopy's; on Windows it is the system's and
 * would reach the real BITS service, so clients of bgcopy there use
 * BgCopyCreateInstance (same parameters; works on Linux too). */
#ifdef _WIN32
#define CREATE_INSTANCE BgCopyCreateInstance
#else
#define CREATE_INSTANCE CoCreateInstance
#endif

#include <cstdio>

int main()
{
    HRESULT hr = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
    if (FAILED(hr)) {
        std::fprintf(stderr, "CoInitializeEx: 0x%08X\n", static_cast<unsigned>(hr));
        return 1;
    }
    IBackgroundCopyManager *mgr = nullptr;
    IBackgroundCopyJob *job = nullptr;
    GUID id;
    BG_JOB_STATE state = BG_JOB_STATE_ERROR;
    hr = CREATE_INSTANCE(__uuidof(BackgroundCopyManager), nullptr, CLSCTX_LOCAL_SERVER,
                          __uuidof(IBackgroundCopyManager), reinterpret_cast<void **>(&mgr));
    if (SUCCEEDED(hr))
        hr = mgr->CreateJob(L"packaging c++", BG_JOB_TYPE_DOWNLOAD, &id, &job);
    if (SUCCEEDED(hr))
        hr = job->GetState(&state);
    if (SUCCEEDED(hr) && state != BG_JOB_STATE_SUSPENDED)
        hr = E_FAIL;
    if (job) {
        HRESULT cancel = job->Cancel();
        if (SUCCEEDED(hr))
            hr = cancel;
        job->Release();
    }
    if (mgr)
        mgr->Release();
    CoUninitialize();
    if (FAILED(hr)) {
        std::fprintf(stderr, "c++ com client failed: 0x%08X\n", static_cast<unsigned>(hr));
        return 1;
    }
    std::printf("c++ com client ok\n");
    return 0;
}
