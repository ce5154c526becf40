/*
 * client_cpp - a BITS client in C++17 shaped like Microsoft's samples: a
 * callback class derived from IBackgroundCopyCallback whose JobTransferred
 * calls pJob->Complete() (as the IBackgroundCopyCallback2 documentation
 * sample does), QueryInterface written with __uuidof, and the final file
 * checked to appear only once Complete has run inside the callback.
 */
#include "cxx_monitor.h" /* first: uv.h before <windows.h> */

#include <windows.h>
#include <objbase.h>
#include <bits.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "check.h"
#include "harness.h"

static const unsigned kFileSize = 300007;

static bool Exists(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

class CNotifyInterface final : public IBackgroundCopyCallback
{
    LONG m_lRefCount = 1;

public:
    std::string localPath;
    Monitor mon;
    bool done = false;
    bool existedBeforeComplete = true;
    bool existsAfterComplete = false;
    HRESULT completeResult = E_FAIL;
    uv_thread_t callbackThread{};

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, LPVOID *ppvObj) override
    {
        if (riid == __uuidof(IUnknown) || riid == __uuidof(IBackgroundCopyCallback)) {
            *ppvObj = this;
        } else {
            *ppvObj = NULL;
            return E_NOINTERFACE;
        }
        AddRef();
        return NOERROR;
    }

    ULONG STDMETHODCALLTYPE AddRef() override { return (ULONG)InterlockedIncrement(&m_lRefCount); }

    /* Lives on main's stack: the count is checked by the test, never deletes. */
    ULONG STDMETHODCALLTYPE Release() override { return (ULONG)InterlockedDecrement(&m_lRefCount); }

    LONG Refs() { return InterlockedExchangeAdd(&m_lRefCount, 0); }

    HRESULT STDMETHODCALLTYPE JobTransferred(IBackgroundCopyJob *pJob) override
    {
        bool before = Exists(localPath);
        HRESULT hr = pJob->Complete();
        bool after = Exists(localPath);
        MonitorGuard g(mon);
        existedBeforeComplete = before;
        existsAfterComplete = after;
        completeResult = hr;
        callbackThread = uv_thread_self();
        done = true;
        mon.notify_all();
        return S_OK; // If you do not return S_OK, BITS continues to call this callback.
    }

    HRESULT STDMETHODCALLTYPE JobError(IBackgroundCopyJob *pJob, IBackgroundCopyError *pError) override
    {
        BG_ERROR_CONTEXT context;
        HRESULT code = S_OK;
        pError->GetError(&context, &code);
        std::fprintf(stderr, "client_cpp: unexpected JobError 0x%08X\n", (unsigned)code);
        pJob->Cancel();
        MonitorGuard g(mon);
        done = true;
        mon.notify_all();
        return S_OK;
    }

    HRESULT STDMETHODCALLTYPE JobModification(IBackgroundCopyJob *, DWORD) override { return S_OK; }
};

int main()
{
    ts_server server;
    CHECK_EQ_INT(ts_server_start(&server, NULL), 0);
    char *dir = ts_mkdtemp();
    std::string local = std::string(dir) + "/client_cpp.bin";
    std::wstring wlocal(local.begin(), local.end());
    std::string url = std::string(server.base_url) + "/gen/" + std::to_string(kFileSize);
    std::wstring wurl(url.begin(), url.end());

    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    {
        CNotifyInterface notify;
        notify.localPath = local;

        IBackgroundCopyManager *pManager = NULL;
        CHECK_EQ_HR(BgCopyCreateInstance(__uuidof(BackgroundCopyManager), NULL, CLSCTX_LOCAL_SERVER,
                                     __uuidof(IBackgroundCopyManager), (void **)&pManager),
                    S_OK);
        GUID jobId;
        IBackgroundCopyJob *pJob = NULL;
        CHECK_EQ_HR(pManager->CreateJob(L"client_cpp", BG_JOB_TYPE_DOWNLOAD, &jobId, &pJob), S_OK);
        CHECK_EQ_HR(pJob->AddFile(wurl.c_str(), wlocal.c_str()), S_OK);
        CHECK_EQ_HR(pJob->SetNotifyFlags(BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR), S_OK);
        CHECK_EQ_HR(pJob->SetNotifyInterface(&notify), S_OK);
        CHECK_EQ_HR(pJob->Resume(), S_OK);

        {
            MonitorGuard g(notify.mon);
            CHECK_MSG(notify.mon.wait_for(60000, [&] { return notify.done; }),
                      "no notification within 60 s");
            CHECK_EQ_HR(notify.completeResult, S_OK);
            CHECK(!notify.existedBeforeComplete);
            CHECK(notify.existsAfterComplete);
            const uv_thread_t self = uv_thread_self();
            CHECK(!uv_thread_equal(&notify.callbackThread, &self));
        }
        CHECK(ts_file_matches_gen(local.c_str(), kFileSize));

        BG_JOB_STATE state;
        CHECK_EQ_HR(pJob->GetState(&state), S_OK);
        CHECK_EQ_INT(state, BG_JOB_STATE_ACKNOWLEDGED);
        // An acknowledged job has left the queue.
        IBackgroundCopyJob *again = NULL;
        CHECK_EQ_HR(pManager->GetJob(jobId, &again), BG_E_NOT_FOUND);
        CHECK(again == NULL);

        CHECK_EQ_INT(pJob->Release(), 0);
        CHECK_EQ_INT(pManager->Release(), 0);
        CoUninitialize();
        CHECK_EQ_INT(notify.Refs(), 1);
    }
    CHECK_EQ_INT(ts_server_stop(&server), 0);
    ts_rmtree(dir);
    std::free(dir);
    std::printf("client_cpp: ok\n");
    return 0;
}
