/*
 * v2_interfaces - the BITS 1.5 ... 10.1 interfaces of the COM objects that
 * need no native function beyond the walking skeleton's:
 *  - versioned CLSIDs: 1_5 ... 10_1 create a manager, 10_2 and 10_3 answer
 *    REGDB_E_CLASSNOTREG (spec §2: the version probe must tell the truth);
 *  - the job's QueryInterface graph (Job..Job5 one pointer, HttpOptions and
 *    IBitsTokenOptions side interfaces sharing the reference count and COM
 *    identity, HttpOptions2/3 refused) and the file's (File..File6);
 *  - the documented E_NOTIMPL slots, the stored-only values
 *    (SetFileACLFlags, SetPeerCachingFlags: seen by every object of the
 *    job, dropped with the job), GetOwnerIntegrityLevel/ElevationState,
 *    the Job5/File5 property codes, IsDownloadedFromPeer,
 *    GetPeerDownloadStats and GetTemporaryName after a real download.
 * Spec: /work/shared/spec/BITS-CONTRACT.md §3.5-§3.13, §5.3.
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>
#include <bits10_1.h>
#include <bits10_2.h>
#include <bits10_3.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#ifndef _WIN32
#  include <unistd.h> /* geteuid */
#endif

#include "check.h"
#include "harness.h"

/* 1 when this process runs elevated: an elevated token on Windows, root on
 * POSIX (bgcopy's stand-in for elevation there). */
static int process_elevated(void)
{
#ifdef _WIN32
    HANDLE token = NULL;
    TOKEN_ELEVATION e = {0};
    DWORD got = 0;
    CHECK(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    CHECK(GetTokenInformation(token, TokenElevation, &e, sizeof e, &got));
    CloseHandle(token);
    return e.TokenIsElevated != 0;
#else
    return geteuid() == 0;
#endif
}

#define FILE_SIZE 40000u
#define GARBAGE ((void *)(uintptr_t)1)

static BG_JOB_STATE job_state(IBackgroundCopyJob *job)
{
    BG_JOB_STATE s;
    CHECK_EQ_HR(IBackgroundCopyJob_GetState(job, &s), S_OK);
    return s;
}

static int job_done(void *arg)
{
    BG_JOB_STATE s = job_state(arg);
    CHECK_MSG(s != BG_JOB_STATE_ERROR, "job went to ERROR");
    return s == BG_JOB_STATE_TRANSFERRED;
}

static void check_versioned_clsids(void)
{
    const CLSID *present[] = {&CLSID_BackgroundCopyManager,    &CLSID_BackgroundCopyManager1_5,
                              &CLSID_BackgroundCopyManager2_0, &CLSID_BackgroundCopyManager2_5,
                              &CLSID_BackgroundCopyManager3_0, &CLSID_BackgroundCopyManager4_0,
                              &CLSID_BackgroundCopyManager5_0, &CLSID_BackgroundCopyManager10_1};
    for (size_t i = 0; i < sizeof present / sizeof present[0]; i++) {
        IBackgroundCopyManager *m = NULL;
        CHECK_EQ_HR(BgCopyCreateInstance(present[i], NULL, CLSCTX_LOCAL_SERVER,
                                     &IID_IBackgroundCopyManager, (void **)&m),
                    S_OK);
        CHECK_NOT_NULL(m);
        IBackgroundCopyManager_Release(m);
    }
    /* Above 10.1: IBackgroundCopyJobHttpOptions2 (10.2) and 3 (10.3) are
     * not implemented, so those versions must read as "not installed". */
    const CLSID *absent[] = {&CLSID_BackgroundCopyManager10_2, &CLSID_BackgroundCopyManager10_3};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        void *p = GARBAGE;
        CHECK_EQ_HR(BgCopyCreateInstance(absent[i], NULL, CLSCTX_LOCAL_SERVER, &IID_IUnknown, &p),
                    REGDB_E_CLASSNOTREG);
        CHECK(p == NULL);
    }
}

static void check_job_qi(IBackgroundCopyJob *job)
{
    const IID *same[] = {&IID_IUnknown,          &IID_IBackgroundCopyJob,
                         &IID_IBackgroundCopyJob2, &IID_IBackgroundCopyJob3,
                         &IID_IBackgroundCopyJob4, &IID_IBackgroundCopyJob5};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        void *p = NULL;
        CHECK_EQ_HR(IBackgroundCopyJob_QueryInterface(job, same[i], &p), S_OK);
        CHECK(p == (void *)job);
        IUnknown_Release((IUnknown *)p);
    }
    const IID *refused[] = {&IID_IBackgroundCopyJobHttpOptions2,
                            &IID_IBackgroundCopyJobHttpOptions3, &IID_IBackgroundCopyFile,
                            &IID_IBackgroundCopyCallback3};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        void *p = GARBAGE;
        CHECK_EQ_HR(IBackgroundCopyJob_QueryInterface(job, refused[i], &p), E_NOINTERFACE);
        CHECK(p == NULL);
    }

    /* Side interfaces: other pointers, same object (identity through
     * IUnknown, one reference count, QI back to every job interface). */
    IBackgroundCopyJobHttpOptions *http = NULL;
    IBitsTokenOptions *tok = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob_QueryInterface(job, &IID_IBackgroundCopyJobHttpOptions,
                                                  (void **)&http),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_QueryInterface(job, &IID_IBitsTokenOptions, (void **)&tok),
                S_OK);
    CHECK((void *)http != (void *)job && (void *)tok != (void *)job);
    IUnknown *u = NULL;
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_QueryInterface(http, &IID_IUnknown, (void **)&u),
                S_OK);
    CHECK(u == (IUnknown *)job);
    IUnknown_Release(u);
    IBackgroundCopyJob5 *j5 = NULL;
    CHECK_EQ_HR(IBitsTokenOptions_QueryInterface(tok, &IID_IBackgroundCopyJob5, (void **)&j5),
                S_OK);
    CHECK((void *)j5 == (void *)job);
    IBackgroundCopyJobHttpOptions *http2 = NULL;
    CHECK_EQ_HR(IBitsTokenOptions_QueryInterface(tok, &IID_IBackgroundCopyJobHttpOptions,
                                                 (void **)&http2),
                S_OK);
    CHECK(http2 == http);
    /* job (1) + http + tok + j5 + http2 = 5; AddRef through any of them. */
    CHECK_EQ_INT(IBackgroundCopyJobHttpOptions_AddRef(http), 6);
    CHECK_EQ_INT(IBackgroundCopyJob_Release(job), 5);
    CHECK_EQ_INT(IBackgroundCopyJob_AddRef(job), 6);
    IBackgroundCopyJobHttpOptions_Release(http2);
    IBackgroundCopyJob5_Release(j5);

    /* Client certificates and helper tokens: documented E_NOTIMPL. */
    BYTE hash[20] = {0};
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_SetClientCertificateByID(
                    http, BG_CERT_STORE_LOCATION_CURRENT_USER, L"MY", hash),
                E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_SetClientCertificateByName(
                    http, BG_CERT_STORE_LOCATION_CURRENT_USER, L"MY", L"CN=x"),
                E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_RemoveClientCertificate(http), E_NOTIMPL);
    BG_CERT_STORE_LOCATION loc;
    LPWSTR store = NULL, subject = NULL;
    BYTE *blob = NULL;
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_GetClientCertificate(http, &loc, &store, &blob,
                                                                   &subject),
                E_NOTIMPL);
    DWORD flags = 0;
    LPWSTR sid = (LPWSTR)GARBAGE;
    CHECK_EQ_HR(IBitsTokenOptions_SetHelperTokenFlags(tok, 1), E_NOTIMPL);
    CHECK_EQ_HR(IBitsTokenOptions_GetHelperTokenFlags(tok, &flags), E_NOTIMPL);
    CHECK_EQ_HR(IBitsTokenOptions_SetHelperToken(tok), E_NOTIMPL);
    CHECK_EQ_HR(IBitsTokenOptions_ClearHelperToken(tok), E_NOTIMPL);
    CHECK_EQ_HR(IBitsTokenOptions_GetHelperTokenSid(tok, &sid), E_NOTIMPL);
    CHECK(sid == NULL);
    /* Back to the caller's one reference. */
    CHECK_EQ_INT(IBitsTokenOptions_Release(tok), 3);
    CHECK_EQ_INT(IBackgroundCopyJobHttpOptions_Release(http), 2);
    CHECK_EQ_INT(IBackgroundCopyJobHttpOptions_Release(http), 1);
}

/* Job2..Job5 slots without a native counterpart. */
static void check_job_slots(IBackgroundCopyManager *mgr, IBackgroundCopyJob5 *j5)
{
    /* Job2: upload-reply methods are E_NOTIMPL on a download job, as in
     * BITS; credentials are not implemented. */
    BG_JOB_REPLY_PROGRESS rp;
    byte *buf = NULL;
    UINT64 len = 0;
    LPWSTR name = (LPWSTR)GARBAGE;
    CHECK_EQ_HR(IBackgroundCopyJob5_GetReplyProgress(j5, &rp), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetReplyData(j5, &buf, &len), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetReplyFileName(j5, L"/tmp/reply"), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetReplyFileName(j5, &name), E_NOTIMPL);
    CHECK(name == NULL);
    BG_AUTH_CREDENTIALS cred;
    memset(&cred, 0, sizeof cred);
    cred.Target = BG_AUTH_TARGET_SERVER;
    cred.Scheme = BG_AUTH_SCHEME_BASIC;
    cred.Credentials.Basic.UserName = L"u";
    cred.Credentials.Basic.Password = L"p";
    CHECK_EQ_HR(IBackgroundCopyJob5_SetCredentials(j5, &cred), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_RemoveCredentials(j5, BG_AUTH_TARGET_SERVER,
                                                      BG_AUTH_SCHEME_BASIC),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_RemoveCredentials(j5, BG_AUTH_TARGET_SERVER,
                                                      BG_AUTH_SCHEME_BASIC),
                S_FALSE);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetCredentials(j5, NULL), E_INVALIDARG);
    cred.Target = (BG_AUTH_TARGET)3;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetCredentials(j5, &cred), BG_E_INVALID_AUTH_TARGET);
    cred.Target = BG_AUTH_TARGET_PROXY;
    cred.Scheme = (BG_AUTH_SCHEME)6;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetCredentials(j5, &cred), BG_E_INVALID_AUTH_SCHEME);
    cred.Scheme = BG_AUTH_SCHEME_DIGEST;
    cred.Credentials.Basic.Password = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetCredentials(j5, &cred), E_INVALIDARG);
    cred.Scheme = BG_AUTH_SCHEME_NEGOTIATE;
    cred.Credentials.Basic.UserName = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetCredentials(j5, &cred), S_OK);

    /* Job3 ACL flags and Job4 peer-caching flags: kept per job, visible
     * through another object of the same job (GetJob). */
    DWORD v = 99;
    CHECK_EQ_HR(IBackgroundCopyJob5_GetFileACLFlags(j5, &v), S_OK);
    CHECK_EQ_INT(v, 0);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetFileACLFlags(j5, BG_COPY_FILE_OWNER | BG_COPY_FILE_DACL),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetFileACLFlags(j5, 0x10), E_INVALIDARG);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetPeerCachingFlags(j5, &v), S_OK);
    CHECK_EQ_INT(v, 0);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetPeerCachingFlags(j5, BG_JOB_DISABLE_BRANCH_CACHE), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetPeerCachingFlags(j5, 0x8), E_INVALIDARG);
    GUID id;
    CHECK_EQ_HR(IBackgroundCopyJob5_GetId(j5, &id), S_OK);
    IBackgroundCopyJob *other = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_GetJob(mgr, &id, &other), S_OK);
    CHECK((void *)other != (void *)j5);
    IBackgroundCopyJob4 *o4 = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob_QueryInterface(other, &IID_IBackgroundCopyJob4, (void **)&o4),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob4_GetFileACLFlags(o4, &v), S_OK);
    CHECK_EQ_INT(v, BG_COPY_FILE_OWNER | BG_COPY_FILE_DACL);
    CHECK_EQ_HR(IBackgroundCopyJob4_GetPeerCachingFlags(o4, &v), S_OK);
    CHECK_EQ_INT(v, BG_JOB_DISABLE_BRANCH_CACHE);
    IBackgroundCopyJob4_Release(o4);
    IBackgroundCopyJob_Release(other);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetFileACLFlags(j5, NULL), E_INVALIDARG);

    /* Job4: owner = this process's user. */
    ULONG level = 0;
    BOOL elevated = 7;
    CHECK_EQ_HR(IBackgroundCopyJob5_GetOwnerIntegrityLevel(j5, &level), S_OK);
    CHECK_EQ_INT(level, process_elevated() ? 0x3000 : 0x2000);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetOwnerElevationState(j5, &elevated), S_OK);
    CHECK_EQ_INT(elevated, process_elevated() ? TRUE : FALSE);
    ULONG t = 0;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetMaximumDownloadTime(j5, 60), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetMaximumDownloadTime(j5, &t), E_NOTIMPL);

    /* Job5 properties bgcopy does not implement, and invalid ids/values. */
    BITS_JOB_PROPERTY_VALUE pv;
    memset(&pv, 0, sizeof pv);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(j5, (BITS_JOB_PROPERTY_ID)6, pv),
                BG_E_UNKNOWN_PROPERTY_ID);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(j5, (BITS_JOB_PROPERTY_ID)11, pv),
                BG_E_UNKNOWN_PROPERTY_ID);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetProperty(j5, (BITS_JOB_PROPERTY_ID)0, &pv),
                BG_E_UNKNOWN_PROPERTY_ID);
    pv.Uint64 = 0;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(j5, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, pv),
                BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE);
    pv.Uint64 = 1000;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(j5, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, pv),
                E_NOTIMPL);
    memset(&pv, 0, sizeof pv);
    pv.Target = BG_AUTH_TARGET_SERVER;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(j5, BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS, pv),
                BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED);
    pv.Target = BG_AUTH_TARGET_PROXY;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(j5, BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS, pv),
                E_NOTIMPL);
    const BITS_JOB_PROPERTY_ID notimpl[] = {
        BITS_JOB_PROPERTY_ID_COST_FLAGS, BITS_JOB_PROPERTY_NOTIFICATION_CLSID,
        BITS_JOB_PROPERTY_HIGH_PERFORMANCE, BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS};
    for (size_t i = 0; i < sizeof notimpl / sizeof notimpl[0]; i++) {
        memset(&pv, 0, sizeof pv);
        CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(j5, notimpl[i], pv), E_NOTIMPL);
        CHECK_EQ_HR(IBackgroundCopyJob5_GetProperty(j5, notimpl[i], &pv), E_NOTIMPL);
    }
    CHECK_EQ_HR(IBackgroundCopyJob5_GetProperty(j5, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, NULL),
                E_INVALIDARG);
}

static void check_file(IBackgroundCopyFile *file, const char *local)
{
    const IID *same[] = {&IID_IUnknown,           &IID_IBackgroundCopyFile,
                         &IID_IBackgroundCopyFile2, &IID_IBackgroundCopyFile3,
                         &IID_IBackgroundCopyFile4, &IID_IBackgroundCopyFile5,
                         &IID_IBackgroundCopyFile6};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        void *p = NULL;
        CHECK_EQ_HR(IBackgroundCopyFile_QueryInterface(file, same[i], &p), S_OK);
        CHECK(p == (void *)file);
        IUnknown_Release((IUnknown *)p);
    }
    void *p = GARBAGE;
    CHECK_EQ_HR(IBackgroundCopyFile_QueryInterface(file, &IID_IBackgroundCopyJobHttpOptions, &p),
                E_NOINTERFACE);
    CHECK(p == NULL);

    IBackgroundCopyFile6 *f6 = (IBackgroundCopyFile6 *)(void *)file;
    BOOL peer = 7;
    CHECK_EQ_HR(IBackgroundCopyFile6_IsDownloadedFromPeer(f6, &peer), S_OK);
    CHECK_EQ_INT(peer, FALSE);
    UINT64 origin = 0, peers = 9;
    CHECK_EQ_HR(IBackgroundCopyFile6_GetPeerDownloadStats(f6, &origin, &peers), S_OK);
    CHECK_EQ_U64(origin, FILE_SIZE);
    CHECK_EQ_U64(peers, 0);

    /* The temporary file holds the bytes until Complete renames it. */
    LPWSTR tmp = NULL;
    CHECK_EQ_HR(IBackgroundCopyFile6_GetTemporaryName(f6, &tmp), S_OK);
    CHECK_NOT_NULL(tmp);
    char tmp8[4200];
    CHECK(wcstombs(tmp8, tmp, sizeof tmp8) < sizeof tmp8);
    CoTaskMemFree(tmp);
#ifdef _WIN32 /* absolute: a drive letter or a UNC / root path */
    CHECK((tmp8[0] != 0 && tmp8[1] == ':') || tmp8[0] == '\\' || tmp8[0] == '/');
#else
    CHECK(tmp8[0] == '/');
#endif
    CHECK(strcmp(tmp8, local) != 0);
    CHECK(ts_file_matches_gen(tmp8, FILE_SIZE));
    CHECK(!ts_path_exists(local));

    BITS_FILE_PROPERTY_VALUE fv;
    fv.String = (LPWSTR)GARBAGE;
    CHECK_EQ_HR(IBackgroundCopyFile6_GetProperty(f6, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS,
                                                 &fv),
                E_NOTIMPL);
    CHECK(fv.String == NULL);
    CHECK_EQ_HR(IBackgroundCopyFile6_SetProperty(f6, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS,
                                                 fv),
                BG_E_READ_ONLY_PROPERTY);
    CHECK_EQ_HR(IBackgroundCopyFile6_SetProperty(f6, (BITS_FILE_PROPERTY_ID)2, fv),
                BG_E_UNKNOWN_PROPERTY_ID);
    CHECK_EQ_HR(IBackgroundCopyFile6_GetProperty(f6, (BITS_FILE_PROPERTY_ID)2, &fv),
                BG_E_UNKNOWN_PROPERTY_ID);
}

int main(void)
{
    ts_server server;
    CHECK_EQ_INT(ts_server_start(&server, NULL), 0);
    char *dir = ts_mkdtemp();
    char local[4200];
    snprintf(local, sizeof local, "%s/v2.bin", dir);
    wchar_t wlocal[4200], wurl[256];
    swprintf(wlocal, sizeof wlocal / sizeof wlocal[0], L"%s", local);
    swprintf(wurl, sizeof wurl / sizeof wurl[0], L"%s/gen/%u", server.base_url, FILE_SIZE);

    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    check_versioned_clsids();

    IBackgroundCopyManager *mgr = NULL;
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager10_1, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&mgr),
                S_OK);
    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(mgr, L"v2", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                S_OK);
    check_job_qi(job);
    IBackgroundCopyJob5 *j5 = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob_QueryInterface(job, &IID_IBackgroundCopyJob5, (void **)&j5),
                S_OK);
    check_job_slots(mgr, j5);

    /* A real download, then the file object's BITS 3.0-5.0 getters. */
    CHECK_EQ_HR(IBackgroundCopyJob_AddFile(job, wurl, wlocal), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_SetPriority(job, BG_JOB_PRIORITY_FOREGROUND), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob_Resume(job), S_OK);
    CHECK_MSG(ts_wait_until(job_done, job, 60000), "not TRANSFERRED within 60 s");
    IEnumBackgroundCopyFiles *e = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob_EnumFiles(job, &e), S_OK);
    IBackgroundCopyFile *file = NULL;
    CHECK_EQ_HR(IEnumBackgroundCopyFiles_Next(e, 1, &file, NULL), S_OK);
    IEnumBackgroundCopyFiles_Release(e);
    check_file(file, local);

    /* In TRANSFERRED the stored-only setters are refused (spec §3.6). */
    CHECK_EQ_HR(IBackgroundCopyJob5_SetFileACLFlags(j5, 0), BG_E_INVALID_STATE);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetPeerCachingFlags(j5, 0), BG_E_INVALID_STATE);
    CHECK_EQ_HR(IBackgroundCopyJob_Complete(job), S_OK);
    CHECK(ts_file_matches_gen(local, FILE_SIZE));
    /* The job left the queue: its stored values went with it. */
    DWORD v = 99;
    CHECK_EQ_HR(IBackgroundCopyJob5_GetFileACLFlags(j5, &v), S_OK);
    CHECK_EQ_INT(v, 0);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetPeerCachingFlags(j5, &v), S_OK);
    CHECK_EQ_INT(v, 0);

    IBackgroundCopyFile_Release(file);
    IBackgroundCopyJob5_Release(j5);
    CHECK_EQ_INT(IBackgroundCopyJob_Release(job), 0);
    CHECK_EQ_INT(IBackgroundCopyManager_Release(mgr), 0);
    CoUninitialize();
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&server), 0);
    printf("v2_interfaces: ok\n");
    return 0;
}
