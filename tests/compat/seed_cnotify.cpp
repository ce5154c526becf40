/*
 * seed_cnotify - Microsoft's IBackgroundCopyCallback2 sample class
 * (CNotifyInterface), run unchanged against bgcopy and bgcopy-testserver.
 *
 * The class below is the example of the "IBackgroundCopyCallback2
 * interface (bits3_0.h)" documentation page, copied verbatim from the
 * founding document /work/shared/seeds/001_fcee28533ab53c97.txt.  Only what
 * it lacks to compile was added, each marked "bgcopy:":
 *  - the #includes (<windows.h>, <bits.h>, <bits3_0.h>);
 *  - `final` on the class: its `delete this` with a non-virtual destructor
 *    draws -Wdelete-non-virtual-dtor (compat/include/bgcopy_win32.h);
 *  - the declaration `IBackgroundCopyFile *pFile = NULL;` that JobError
 *    uses but the sample forgets;
 *  - a pragma around the sample: its unused `hr` values and parameters
 *    would fail -Wall -Wextra -Werror.
 *
 * What the test proves (the sample's own comments):
 *  1. a NORMAL-priority job on a server that ignores Range (/gen/N?norange=1)
 *     gets JobError with BG_E_INSUFFICIENT_RANGE_SUPPORT and a known
 *     BytesTotal; the sample switches it to FOREGROUND and Resumes;
 *  2. FileTransferred QueryInterfaces the file for IBackgroundCopyFile3 and
 *     calls SetValidationState(FALSE) successfully;
 *  3. JobTransferred calls Complete, so the file has its bytes under its own
 *     name when the callback returns;
 *  4. the calls come in that order: JobError, FileTransferred, JobTransferred.
 * The sample is wrapped by a recording callback (Recorder) that forwards
 * every call to it, and FileTransferred gets a recording proxy of the file,
 * so the order and the sample's own calls can be checked without changing
 * the sample.
 */
#include "cxx_monitor.h" // bgcopy: added, first (uv.h before <windows.h>)
#include <windows.h>  // bgcopy: added
#include <objbase.h>  // bgcopy: added
#include <bits.h>     // bgcopy: added
#include <bits3_0.h>  // bgcopy: added

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <string>
#include <vector>

#include "check.h"
#include "harness.h"

// bgcopy: the sample assigns hr without reading it and ignores parameters.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wunused-parameter"

// ---- begin: sample from /work/shared/seeds/001_fcee28533ab53c97.txt ----
#define TWO_GB 2147483648    // 2GB


class CNotifyInterface final : public IBackgroundCopyCallback2 // bgcopy: `final` added
{
  LONG m_lRefCount;
  LONG m_PendingJobModificationCount;

public:
  //Constructor, Destructor
  CNotifyInterface() {m_lRefCount = 1; m_PendingJobModificationCount = 0;};
  ~CNotifyInterface() {};

  //IUnknown
  HRESULT __stdcall QueryInterface(REFIID riid, LPVOID *ppvObj);
  ULONG __stdcall AddRef();
  ULONG __stdcall Release();

  //IBackgroundCopyCallback methods
  HRESULT __stdcall JobTransferred(IBackgroundCopyJob* pJob);
  HRESULT __stdcall JobError(IBackgroundCopyJob* pJob, IBackgroundCopyError* pError);
  HRESULT __stdcall JobModification(IBackgroundCopyJob* pJob, DWORD dwReserved);
  HRESULT __stdcall FileTransferred(IBackgroundCopyJob* pJob, IBackgroundCopyFile* pFile);
};

HRESULT CNotifyInterface::QueryInterface(REFIID riid, LPVOID* ppvObj) 
{
  if (riid == __uuidof(IUnknown) || 
      riid == __uuidof(IBackgroundCopyCallback) ||
      riid == __uuidof(IBackgroundCopyCallback2)) 
  {
    *ppvObj = this;
  }
  else
  {
    *ppvObj = NULL;
    return E_NOINTERFACE;
  }

  AddRef();
  return NOERROR;
}

ULONG CNotifyInterface::AddRef() 
{
  return InterlockedIncrement(&m_lRefCount);
}

ULONG CNotifyInterface::Release() 
{
  ULONG  ulCount = InterlockedDecrement(&m_lRefCount);

  if(0 == ulCount) 
  {
    delete this;
  }

  return ulCount;
}

HRESULT CNotifyInterface::JobTransferred(IBackgroundCopyJob* pJob)
{
  HRESULT hr;

  //Add logic that will not block the callback thread. If you need to perform
  //extensive logic at this time, consider creating a separate thread to perform
  //the work.

  hr = pJob->Complete();
  if (FAILED(hr))
  {
    //Handle error. BITS probably was unable to rename one or more of the 
    //temporary files. See the Remarks section of the IBackgroundCopyJob::Complete 
    //method for more details.
  }

  //If you do not return S_OK, BITS continues to call this callback.
  return S_OK;
}

HRESULT CNotifyInterface::JobError(IBackgroundCopyJob* pJob, IBackgroundCopyError* pError)
{
  HRESULT hr;
  BG_FILE_PROGRESS Progress;
  BG_ERROR_CONTEXT Context;
  HRESULT ErrorCode = S_OK;
  WCHAR* pszJobName = NULL;
  WCHAR* pszErrorDescription = NULL;
  BOOL IsError = TRUE;
  IBackgroundCopyFile *pFile = NULL; // bgcopy: added, the sample uses pFile undeclared

  //Use pJob and pError to retrieve information of interest. For example,
  //if the job is an upload reply, call the IBackgroundCopyError::GetError method 
  //to determine the context in which the job failed. If the context is 
  //BG_JOB_CONTEXT_REMOTE_APPLICATION, the server application that received the 
  //upload file failed.

  hr = pError->GetError(&Context, &ErrorCode);

  //If the proxy or server does not support the Content-Range header or if
  //antivirus software removes the range requests, BITS returns BG_E_INSUFFICIENT_RANGE_SUPPORT.
  //This implementation tries to switch the job to foreground priority, so
  //the content has a better chance of being successfully downloaded.
  if (BG_E_INSUFFICIENT_RANGE_SUPPORT == ErrorCode)
  {
    hr = pError->GetFile(&pFile);
    hr = pFile->GetProgress(&Progress);
    if (BG_SIZE_UNKNOWN == Progress.BytesTotal)
    {
      //The content is dynamic, do not change priority. Handle as an error.
    }
    else if (Progress.BytesTotal > TWO_GB)
    {
      //BITS does not use range requests if the content is less than 2 GB. 
      //However, if the content is greater than 2 GB, BITS
      //uses 2 GB ranges to download the file, so switching to foreground 
      //priority will not help.
    }
    else
    {
      hr = pJob->SetPriority(BG_JOB_PRIORITY_FOREGROUND);
      hr = pJob->Resume();
      IsError = FALSE;
    }

    pFile->Release();
  }

  if (TRUE == IsError)
  {
    hr = pJob->GetDisplayName(&pszJobName);
    hr = pError->GetErrorDescription(LANGIDFROMLCID(GetThreadLocale()), &pszErrorDescription);

    if (pszJobName && pszErrorDescription)
    {
      //Do something with the job name and description. 
    }

    CoTaskMemFree(pszJobName);
    CoTaskMemFree(pszErrorDescription);
  }

  //If you do not return S_OK, BITS continues to call this callback.
  return S_OK;
}

HRESULT CNotifyInterface::JobModification(IBackgroundCopyJob* pJob, DWORD dwReserved)
{
  HRESULT hr;
  WCHAR* pszJobName = NULL;
  BG_JOB_PROGRESS Progress;
  BG_JOB_STATE State;

  //If you are already processing a callback, ignore this notification.
  if (InterlockedCompareExchange(&m_PendingJobModificationCount, 1, 0) == 1)
  {
    return S_OK;
  }

  hr = pJob->GetDisplayName(&pszJobName);
  if (SUCCEEDED(hr))
  {
    hr = pJob->GetProgress(&Progress);
    if (SUCCEEDED(hr))
    {
      hr = pJob->GetState(&State);
      if (SUCCEEDED(hr))
      {
        //Do something with the progress and state information.
        //BITS generates a high volume of modification
        //callbacks. Use this callback with discretion. Consider creating a timer and 
        //polling for state and progress information.
      }
    }
    CoTaskMemFree(pszJobName);
  }

  m_PendingJobModificationCount = 0;

  return S_OK;
}

HRESULT CNotifyInterface::FileTransferred(IBackgroundCopyJob* pJob, IBackgroundCopyFile* pFile)
{
  HRESULT hr = S_OK;
  IBackgroundCopyFile3* pFile3 = NULL;
  BOOL IsValid = FALSE;

  hr = pFile->QueryInterface(__uuidof(IBackgroundCopyFile3), (void**)&pFile3);
  if (SUCCEEDED(hr))
  {
    // Add code to validate downloaded content and set IsValid.

    hr = pFile3->SetValidationState(IsValid);
    if (FAILED(hr))
    {
      // Handle error
    }

    pFile3->Release();
  }

	return S_OK;
}
// ---- end of the sample ----

#pragma GCC diagnostic pop

// ===================================================================== test

static const unsigned kFileSize = 250000;

// A stack-held IBackgroundCopyFile3 handed to the sample's FileTransferred
// instead of bgcopy's file object: forwards every call to the real File3
// and records the QueryInterface for IBackgroundCopyFile3 and the
// SetValidationState call (value and bgcopy's HRESULT).
class FileProxy final : public IBackgroundCopyFile3
{
    IBackgroundCopyFile3 *m_real;
    LONG m_ref = 1;

public:
    int qiFile3 = 0;
    int setValidationCalls = 0;
    BOOL validationValue = 7;
    HRESULT setValidationResult = E_FAIL;

    explicit FileProxy(IBackgroundCopyFile3 *real) : m_real(real) {}

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppv) override
    {
        if (riid == __uuidof(IBackgroundCopyFile3))
            qiFile3++;
        if (riid == __uuidof(IUnknown) || riid == __uuidof(IBackgroundCopyFile) ||
            riid == __uuidof(IBackgroundCopyFile2) || riid == __uuidof(IBackgroundCopyFile3)) {
            *ppv = this;
            AddRef();
            return S_OK;
        }
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return (ULONG)InterlockedIncrement(&m_ref); }
    ULONG STDMETHODCALLTYPE Release() override { return (ULONG)InterlockedDecrement(&m_ref); }
    LONG Refs() const { return m_ref; }

    HRESULT STDMETHODCALLTYPE GetRemoteName(LPWSTR *p) override { return m_real->GetRemoteName(p); }
    HRESULT STDMETHODCALLTYPE GetLocalName(LPWSTR *p) override { return m_real->GetLocalName(p); }
    HRESULT STDMETHODCALLTYPE GetProgress(BG_FILE_PROGRESS *p) override
    {
        return m_real->GetProgress(p);
    }
    HRESULT STDMETHODCALLTYPE GetFileRanges(DWORD *n, BG_FILE_RANGE **r) override
    {
        return m_real->GetFileRanges(n, r);
    }
    HRESULT STDMETHODCALLTYPE SetRemoteName(LPCWSTR v) override { return m_real->SetRemoteName(v); }
    HRESULT STDMETHODCALLTYPE GetTemporaryName(LPWSTR *p) override
    {
        return m_real->GetTemporaryName(p);
    }
    HRESULT STDMETHODCALLTYPE SetValidationState(BOOL state) override
    {
        setValidationCalls++;
        validationValue = state;
        setValidationResult = m_real->SetValidationState(state);
        return setValidationResult;
    }
    HRESULT STDMETHODCALLTYPE GetValidationState(BOOL *p) override
    {
        return m_real->GetValidationState(p);
    }
    HRESULT STDMETHODCALLTYPE IsDownloadedFromPeer(BOOL *p) override
    {
        return m_real->IsDownloadedFromPeer(p);
    }
};

// The callback registered with the job: logs each event, forwards it to the
// sample, then records what the sample's call did to the job.
class Recorder final : public IBackgroundCopyCallback2
{
    LONG m_ref = 1;
    CNotifyInterface *m_sample;

public:
    std::string localPath;
    Monitor mon;
    std::vector<std::string> events;
    HRESULT errorCode = S_OK;
    BG_ERROR_CONTEXT errorContext = BG_ERROR_CONTEXT_NONE;
    BG_JOB_PRIORITY priorityAfterError = BG_JOB_PRIORITY_LOW;
    int fileQiFile3 = 0, fileSetValidation = 0;
    BOOL fileValidationValue = 7;
    HRESULT fileSetValidationResult = E_FAIL;
    BOOL validationAfter = 7;
    BG_JOB_STATE stateAfterTransferred = BG_JOB_STATE_QUEUED;
    bool bytesAfterTransferred = false;
    bool done = false;

    explicit Recorder(CNotifyInterface *sample) : m_sample(sample) {}

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppv) override
    {
        if (riid == __uuidof(IUnknown) || riid == __uuidof(IBackgroundCopyCallback) ||
            riid == __uuidof(IBackgroundCopyCallback2)) {
            *ppv = this;
            AddRef();
            return S_OK;
        }
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return (ULONG)InterlockedIncrement(&m_ref); }
    ULONG STDMETHODCALLTYPE Release() override { return (ULONG)InterlockedDecrement(&m_ref); }

    HRESULT STDMETHODCALLTYPE JobTransferred(IBackgroundCopyJob *pJob) override
    {
        HRESULT hr = m_sample->JobTransferred(pJob);
        BG_JOB_STATE st = BG_JOB_STATE_QUEUED;
        CHECK_EQ_HR(pJob->GetState(&st), S_OK);
        bool bytes = ts_file_matches_gen(localPath.c_str(), kFileSize) != 0;
        MonitorGuard g(mon);
        events.push_back("JobTransferred");
        stateAfterTransferred = st;
        bytesAfterTransferred = bytes;
        done = true;
        mon.notify_all();
        return hr;
    }

    HRESULT STDMETHODCALLTYPE JobError(IBackgroundCopyJob *pJob,
                                       IBackgroundCopyError *pError) override
    {
        BG_ERROR_CONTEXT ctx = BG_ERROR_CONTEXT_NONE;
        HRESULT code = S_OK;
        CHECK_EQ_HR(pError->GetError(&ctx, &code), S_OK);
        HRESULT hr = m_sample->JobError(pJob, pError);
        BG_JOB_PRIORITY prio = BG_JOB_PRIORITY_LOW;
        CHECK_EQ_HR(pJob->GetPriority(&prio), S_OK);
        MonitorGuard g(mon);
        events.push_back("JobError");
        errorCode = code;
        errorContext = ctx;
        priorityAfterError = prio;
        if (code != BG_E_INSUFFICIENT_RANGE_SUPPORT) {
            done = true; // not the scenario: let main fail at once
            mon.notify_all();
        }
        return hr;
    }

    HRESULT STDMETHODCALLTYPE JobModification(IBackgroundCopyJob *pJob, DWORD r) override
    {
        return m_sample->JobModification(pJob, r);
    }

    HRESULT STDMETHODCALLTYPE FileTransferred(IBackgroundCopyJob *pJob,
                                              IBackgroundCopyFile *pFile) override
    {
        IBackgroundCopyFile3 *real = NULL;
        CHECK_EQ_HR(pFile->QueryInterface(__uuidof(IBackgroundCopyFile3), (void **)&real), S_OK);
        FileProxy proxy(real);
        HRESULT hr = m_sample->FileTransferred(pJob, &proxy);
        CHECK_EQ_INT(proxy.Refs(), 1); // the sample released what it took
        BOOL after = 7;
        CHECK_EQ_HR(real->GetValidationState(&after), S_OK);
        real->Release();
        MonitorGuard g(mon);
        events.push_back("FileTransferred");
        fileQiFile3 = proxy.qiFile3;
        fileSetValidation = proxy.setValidationCalls;
        fileValidationValue = proxy.validationValue;
        fileSetValidationResult = proxy.setValidationResult;
        validationAfter = after;
        return hr;
    }
};

int main()
{
    ts_server server;
    CHECK_EQ_INT(ts_server_start(&server, NULL), 0);
    char *dir = ts_mkdtemp();
    std::string local = std::string(dir) + "/seed_cnotify.bin";
    // (Not swprintf's %s: a char * on glibc, a wchar_t * in Microsoft's CRT.)
    char *url = ts_url(&server, "/gen/%u?norange=1", kFileSize);
    const std::string surl(url);
    free(url);
    const std::wstring wlocal(local.begin(), local.end()), wurl(surl.begin(), surl.end());

    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                 __uuidof(IBackgroundCopyManager), (void **)&mgr),
                S_OK);

    CNotifyInterface *sample = new CNotifyInterface();
    Recorder recorder(sample);
    recorder.localPath = local;

    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(mgr->CreateJob(L"seed CNotifyInterface", BG_JOB_TYPE_DOWNLOAD, &id, &job), S_OK);
    CHECK_EQ_HR(job->AddFile(wurl.c_str(), wlocal.c_str()), S_OK);
    BG_JOB_PRIORITY prio = BG_JOB_PRIORITY_LOW;
    CHECK_EQ_HR(job->GetPriority(&prio), S_OK);
    CHECK_EQ_INT(prio, BG_JOB_PRIORITY_NORMAL); // a background job: ranged requests
    CHECK_EQ_HR(job->SetNotifyFlags(BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR |
                                    BG_NOTIFY_FILE_TRANSFERRED),
                S_OK);
    CHECK_EQ_HR(job->SetNotifyInterface(&recorder), S_OK);
    CHECK_EQ_HR(job->Resume(), S_OK);

    {
        MonitorGuard g(recorder.mon);
        CHECK_MSG(recorder.mon.wait_for(60000, [&] { return recorder.done; }),
                  "no JobTransferred within 60 s");
        std::string order;
        for (const std::string &e : recorder.events)
            order += e + " ";
        CHECK_MSG(recorder.events.size() == 3 && recorder.events[0] == "JobError" &&
                      recorder.events[1] == "FileTransferred" &&
                      recorder.events[2] == "JobTransferred",
                  "calls: %s", order.c_str());
        // 1. JobError: the range failure, then the sample's FOREGROUND switch.
        CHECK_EQ_HR(recorder.errorCode, BG_E_INSUFFICIENT_RANGE_SUPPORT);
        CHECK_EQ_INT(recorder.errorContext, BG_ERROR_CONTEXT_REMOTE_FILE);
        CHECK_EQ_INT(recorder.priorityAfterError, BG_JOB_PRIORITY_FOREGROUND);
        // 2. FileTransferred: QI for File3 and SetValidationState(FALSE).
        CHECK_EQ_INT(recorder.fileQiFile3, 1);
        CHECK_EQ_INT(recorder.fileSetValidation, 1);
        CHECK_EQ_INT(recorder.fileValidationValue, FALSE);
        CHECK_EQ_HR(recorder.fileSetValidationResult, S_OK);
        CHECK_EQ_INT(recorder.validationAfter, FALSE);
        // 3. JobTransferred: Complete ran inside the sample's callback.
        CHECK_EQ_INT(recorder.stateAfterTransferred, BG_JOB_STATE_ACKNOWLEDGED);
        CHECK(recorder.bytesAfterTransferred);
    }
    CHECK(ts_file_matches_gen(local.c_str(), kFileSize));

    // The requests: ranged GETs answered 200 (ignored Range), then one
    // plain GET once FOREGROUND.
    char *path = ts_url(&server, "/gen/%u?norange=1", kFileSize);
    std::string target = std::string("GET\t") + (path + std::strlen(server.base_url));
    free(path);
    CHECK_GE_U64((uint64_t)ts_server_log_count(&server, (target + "\tbytes=").c_str()), 1);
    CHECK_EQ_INT(ts_server_log_count(&server, (target + "\t-\t200").c_str()), 1);

    CHECK_EQ_INT(job->Release(), 0);
    CHECK_EQ_INT(mgr->Release(), 0);
    CoUninitialize();
    CHECK_EQ_INT(sample->Release(), 0); // deletes the sample
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&server), 0);
    std::printf("seed_cnotify: ok\n");
    return 0;
}
