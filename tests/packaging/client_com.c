/*
 * client_com.c - a BITS client written as for Windows, in C: COM start-up,
 * the manager from CoCreateInstance (BgCopyCreateInstance on Windows), one
 * download job created, checked, cancelled and released, COM shut down.  Built by install_test.sh against
 * an installed prefix only (`pkg-config --cflags --libs bgcopy` and
 * find_package(bgcopy)); prints "com client ok" and exits 0 on success.
 */
#include <bits.h>

/* On Linux, CoCreateInstance is bgcopy's; on Windows it is the system's and
 * would reach the real BITS service, so clients of bgcopy there use
 * BgCopyCreateInstance (same parameters; works on Linux too). */
#ifdef _WIN32
#define CREATE_INSTANCE BgCopyCreateInstance
#else
#define CREATE_INSTANCE CoCreateInstance
#endif

#include <stdio.h>

static int check(HRESULT hr, HRESULT want, const char *what)
{
    if (hr != want) {
        fprintf(stderr, "%s returned 0x%08X, expected 0x%08X\n", what, (unsigned)hr, (unsigned)want);
        return 0;
    }
    return 1;
}

int main(void)
{
    IBackgroundCopyManager *mgr = NULL;
    IBackgroundCopyJob *job = NULL;
    GUID id;
    BG_JOB_STATE state = BG_JOB_STATE_ERROR;
    int ok;

    if (!check(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), S_OK, "CoInitializeEx"))
        return 1;
    ok = check(CREATE_INSTANCE(&CLSID_BackgroundCopyManager, NULL, CLSCTX_LOCAL_SERVER,
                                &IID_IBackgroundCopyManager, (void **)&mgr),
               S_OK, "creating CLSID_BackgroundCopyManager");
    if (ok)
        ok = check(mgr->lpVtbl->CreateJob(mgr, L"packaging", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                   S_OK, "IBackgroundCopyManager::CreateJob");
    if (ok) {
        /* A new job starts SUSPENDED: proves the call reached the engine. */
        ok = check(job->lpVtbl->GetState(job, &state), S_OK, "IBackgroundCopyJob::GetState");
        if (ok && state != BG_JOB_STATE_SUSPENDED) {
            fprintf(stderr, "new job is in state %d, expected BG_JOB_STATE_SUSPENDED\n", (int)state);
            ok = 0;
        }
        ok = check(job->lpVtbl->Cancel(job), S_OK, "IBackgroundCopyJob::Cancel") && ok;
        /* The client's last reference: Release returns 0 even though the
         * manager still knew the job until Cancel. */
        job->lpVtbl->Release(job);
    }
    if (mgr)
        mgr->lpVtbl->Release(mgr);
    CoUninitialize();
    if (!ok)
        return 1;
    printf("com client ok\n");
    return 0;
}
