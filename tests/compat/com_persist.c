/*
 * com_persist - the COM layer keeps queued jobs across the last
 * CoUninitialize (docs/persistence.md): a job created, described and given
 * a file through IBackgroundCopyManager is found again by GetJob and
 * EnumJobs after CoUninitialize and a new CoInitializeEx, with its
 * properties; on Linux the engine really closed in between (the queue is
 * the persistent one, in the test's private XDG_STATE_HOME).
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "check.h"
#include "harness.h"

static IBackgroundCopyManager *activate(void)
{
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                     &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);
    return mgr;
}

int main(void)
{
    char *dir = ts_mkdtemp();
    wchar_t local[4200];
    swprintf(local, sizeof local / sizeof local[0], L"%s%cpersisted.bin", dir, TS_PATH_SEP);

    IBackgroundCopyManager *mgr = activate();
    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"kept \u2713", BG_JOB_TYPE_DOWNLOAD, &id,
                                                 &job),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetDescription(job, L"across CoUninitialize"), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetPriority(job, BG_JOB_PRIORITY_LOW), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_AddFile(job, L"http://127.0.0.1:1/x", local), S_OK);
    IBackgroundCopyJob_Release(job);
    IBackgroundCopyManager_Release(mgr);
    CoUninitialize();                        /* nothing alive: the engine closes (Linux) */

    mgr = activate();
    job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_GetJob(mgr, &id, &job), S_OK);
    LPWSTR text = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob_GetDisplayName(job, &text), S_OK);
    CHECK(wcscmp(text, L"kept \u2713") == 0);
    CoTaskMemFree(text);
    CHECK_EQ_HR(IBackgroundCopyJob_GetDescription(job, &text), S_OK);
    CHECK(wcscmp(text, L"across CoUninitialize") == 0);
    CoTaskMemFree(text);
    BG_JOB_PRIORITY pr;
    CHECK_EQ_HR(IBackgroundCopyJob_GetPriority(job, &pr), S_OK);
    CHECK_EQ_INT(pr, BG_JOB_PRIORITY_LOW);
    BG_JOB_STATE st;
    CHECK_EQ_HR(IBackgroundCopyJob_GetState(job, &st), S_OK);
    CHECK_EQ_INT(st, BG_JOB_STATE_SUSPENDED);
    BG_JOB_PROGRESS p;
    CHECK_EQ_HR(IBackgroundCopyJob_GetProgress(job, &p), S_OK);
    CHECK_EQ_INT(p.FilesTotal, 1);
    IEnumBackgroundCopyJobs *en = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_EnumJobs(mgr, 0, &en), S_OK);
    ULONG count = 0;
    CHECK_EQ_HR(IEnumBackgroundCopyJobs_GetCount(en, &count), S_OK);
    CHECK_EQ_INT(count, 1);
    IEnumBackgroundCopyJobs_Release(en);
    CHECK_EQ_HR(IBackgroundCopyJob_Cancel(job), S_OK);
    IBackgroundCopyJob_Release(job);
    IBackgroundCopyManager_Release(mgr);
    CoUninitialize();

    /* Cancel was committed: gone in the next cycle too. */
    mgr = activate();
    job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_GetJob(mgr, &id, &job), BG_E_NOT_FOUND);
    IBackgroundCopyManager_Release(mgr);
    CoUninitialize();

    ts_rmtree(dir);
    free(dir);
    printf("com_persist: all passed\n");
    return 0;
}
