/*
 * v2_native - the BITS 1.5 ... 5.0 COM methods that are implemented over
 * the native functions issues 3 and 4 add (spec §3.5-§3.9, §3.12, §5.3):
 *  - IBackgroundCopyJob2::Set/GetNotifyCmdLine;
 *  - IBackgroundCopyJobHttpOptions::Set/GetCustomHeaders (S_FALSE + NULL
 *    when none) and Set/GetSecurityFlags;
 *  - IBackgroundCopyJob5::Set/GetProperty(DYNAMIC_CONTENT);
 *  - IBackgroundCopyJob3::AddFileWithRanges (ranges written back to back
 *    in the caller's order, checked byte by byte) and its range errors,
 *    IBackgroundCopyFile2::GetFileRanges, SetRemoteName and
 *    IBackgroundCopyJob3::ReplaceRemotePrefix;
 *  - IBackgroundCopyFile3::Set/GetValidationState (E_PENDING before the
 *    file is finished).
 * None of these may answer E_NOTIMPL: that would mean the native function
 * is missing from the link (compat/src/native_v2.h).
 */
#include <windows.h>
#include <objbase.h>
#include <bits.h>
#include <bits10_1.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "check.h"
#include "harness.h"

#define RES_SIZE 100000u
#define GARBAGE ((void *)(uintptr_t)1)

static ts_server g_server;
static char *g_dir;
static IBackgroundCopyManager *g_mgr;

static IBackgroundCopyJob5 *new_job(const wchar_t *name)
{
    GUID id;
    IBackgroundCopyJob *job = NULL;
    CHECK_EQ_HR(IBackgroundCopyManager_CreateJob(g_mgr, name, BG_JOB_TYPE_DOWNLOAD, &id, &job),
                S_OK);
    IBackgroundCopyJob5 *j5 = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob_QueryInterface(job, &IID_IBackgroundCopyJob5, (void **)&j5),
                S_OK);
    IBackgroundCopyJob_Release(job);
    return j5;
}

static IBackgroundCopyFile6 *first_file(IBackgroundCopyJob5 *job)
{
    IEnumBackgroundCopyFiles *e = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob5_EnumFiles(job, &e), S_OK);
    IBackgroundCopyFile *f = NULL;
    CHECK_EQ_HR(IEnumBackgroundCopyFiles_Next(e, 1, &f, NULL), S_OK);
    IEnumBackgroundCopyFiles_Release(e);
    IBackgroundCopyFile6 *f6 = NULL;
    CHECK_EQ_HR(IBackgroundCopyFile_QueryInterface(f, &IID_IBackgroundCopyFile6, (void **)&f6),
                S_OK);
    IBackgroundCopyFile_Release(f);
    return f6;
}

static int job_done(void *arg)
{
    BG_JOB_STATE s;
    CHECK_EQ_HR(IBackgroundCopyJob5_GetState((IBackgroundCopyJob5 *)arg, &s), S_OK);
    CHECK_MSG(s != BG_JOB_STATE_ERROR, "job went to ERROR");
    return s == BG_JOB_STATE_TRANSFERRED;
}

static void wurl(wchar_t *out, size_t n, const char *path)
{
    swprintf(out, n, L"%s%s", g_server.base_url, path);
}

static void test_cmdline(void)
{
    IBackgroundCopyJob5 *job = new_job(L"cmdline");
    LPWSTR prog = (LPWSTR)GARBAGE, params = (LPWSTR)GARBAGE;
    CHECK_EQ_HR(IBackgroundCopyJob5_GetNotifyCmdLine(job, &prog, &params), S_OK);
    CHECK(prog == NULL && params == NULL);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetNotifyCmdLine(job, L"/bin/true", L"true --flag"), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetNotifyCmdLine(job, &prog, &params), S_OK);
    CHECK(prog && wcscmp(prog, L"/bin/true") == 0);
    CHECK(params && wcscmp(params, L"true --flag") == 0);
    CoTaskMemFree(prog);
    CoTaskMemFree(params);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetNotifyCmdLine(job, NULL, L"x"), E_INVALIDARG);
    wchar_t longprog[300];
    wmemset(longprog, L'a', 299);
    longprog[0] = L'/';
    longprog[299] = 0;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetNotifyCmdLine(job, longprog, NULL), BG_E_STRING_TOO_LONG);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetNotifyCmdLine(job, NULL, NULL), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetNotifyCmdLine(job, &prog, &params), S_OK);
    CHECK(prog == NULL && params == NULL);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetNotifyCmdLine(job, NULL, &params), E_INVALIDARG);
    CHECK_EQ_HR(IBackgroundCopyJob5_Cancel(job), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetNotifyCmdLine(job, L"/bin/true", L"true"),
                BG_E_INVALID_STATE);
    IBackgroundCopyJob5_Release(job);
}

static void test_http_options(void)
{
    IBackgroundCopyJob5 *job = new_job(L"http options");
    IBackgroundCopyJobHttpOptions *http = NULL;
    CHECK_EQ_HR(IBackgroundCopyJob5_QueryInterface(job, &IID_IBackgroundCopyJobHttpOptions,
                                                   (void **)&http),
                S_OK);
    LPWSTR h = (LPWSTR)GARBAGE;
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_GetCustomHeaders(http, &h), S_FALSE);
    CHECK(h == NULL);
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_SetCustomHeaders(http, L"X-One: 1\r\nX-Two: 2\r\n"),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_GetCustomHeaders(http, &h), S_OK);
    CHECK(h && wcscmp(h, L"X-One: 1\r\nX-Two: 2\r\n") == 0);
    CoTaskMemFree(h);
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_SetCustomHeaders(http, NULL), S_OK);
    h = (LPWSTR)GARBAGE;
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_GetCustomHeaders(http, &h), S_FALSE);
    CHECK(h == NULL);

    ULONG f = 99;
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_GetSecurityFlags(http, &f), S_OK);
    CHECK_EQ_INT(f, 0);
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_SetSecurityFlags(
                    http, BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT | BG_SSL_IGNORE_UNKNOWN_CA),
                S_OK);
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_GetSecurityFlags(http, &f), S_OK);
    CHECK_EQ_INT(f, BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT | BG_SSL_IGNORE_UNKNOWN_CA);
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_SetSecurityFlags(http, 0x1000), E_NOTIMPL);
    CHECK_EQ_HR(IBackgroundCopyJobHttpOptions_GetSecurityFlags(http, NULL), E_INVALIDARG);
    IBackgroundCopyJobHttpOptions_Release(http);
    CHECK_EQ_HR(IBackgroundCopyJob5_Cancel(job), S_OK);
    IBackgroundCopyJob5_Release(job);
}

static void test_dynamic_content(void)
{
    IBackgroundCopyJob5 *job = new_job(L"dynamic");
    BITS_JOB_PROPERTY_VALUE v;
    memset(&v, 0xAB, sizeof v);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetProperty(job, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, &v), S_OK);
    CHECK_EQ_INT(v.Enable, FALSE);
    memset(&v, 0, sizeof v);
    v.Enable = TRUE;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(job, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, v), S_OK);
    memset(&v, 0, sizeof v);
    CHECK_EQ_HR(IBackgroundCopyJob5_GetProperty(job, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, &v), S_OK);
    CHECK_EQ_INT(v.Enable, TRUE);

    /* A server without a size is accepted by a dynamic job; afterwards the
     * property is read-only. */
    char local[4200];
    snprintf(local, sizeof local, "%s/dynamic.bin", g_dir);
    wchar_t wl[4200], wu[256];
    swprintf(wl, 4200, L"%s", local);
    char path[64];
    snprintf(path, sizeof path, "/gen/%u?nolength=1", RES_SIZE);
    wurl(wu, 256, path);
    CHECK_EQ_HR(IBackgroundCopyJob5_AddFile(job, wu, wl), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_SetPriority(job, BG_JOB_PRIORITY_FOREGROUND), S_OK);
    CHECK_EQ_HR(IBackgroundCopyJob5_Resume(job), S_OK);
    v.Enable = FALSE;
    CHECK_EQ_HR(IBackgroundCopyJob5_SetProperty(job, BITS_JOB_PROPERTY_DYNAMIC_CONTENT, v),
                BG_E_READ_ONLY_PROPERTY_AFTER_RESUME);
    CHECK_MSG(ts_wait_until(job_done, job, 60000), "dynamic job not TRANSFERRED");
    CHECK_EQ_HR(IBackgroundCopyJob5_Complete(job), S_OK);
    CHECK(ts_file_matches_gen(local, RES_SIZE));
    IBackgroundCopyJob5_Release(job);
}

static void test_ranges_and_names(void)
{
    IBackgroundCopyJob5 *job = new_job(L"ranges");
    char local[4200];
    snprintf(local, sizeof local, "%s/ranges.bin", g_dir);
    wchar_t wl[4200], wu[256];
    swprintf(wl, 4200, L"%s", local);
    char path[64];
    snprintf(path, sizeof path, "/gen/%u", RES_SIZE);
    wurl(wu, 256, path);

    /* Range errors add no file. */
    BG_FILE_RANGE bad[2] = {{10, 100}, {50, 10}};
    CHECK_EQ_HR(IBackgroundCopyJob5_AddFileWithRanges(job, wu, wl, 2, bad),
                BG_E_OVERLAPPING_RANGES);
    BG_FILE_RANGE eof_start = {BG_LENGTH_TO_EOF, 10};
    CHECK_EQ_HR(IBackgroundCopyJob5_AddFileWithRanges(job, wu, wl, 1, &eof_start),
                BG_E_INVALID_RANGE);
    BG_FILE_RANGE zero = {10, 0};
    CHECK_EQ_HR(IBackgroundCopyJob5_AddFileWithRanges(job, wu, wl, 1, &zero), BG_E_INVALID_RANGE);
    CHECK_EQ_HR(IBackgroundCopyJob5_AddFileWithRanges(job, wu, wl, 0, bad), E_INVALIDARG);
    CHECK_EQ_HR(IBackgroundCopyJob5_AddFileWithRanges(job, wu, wl, 501, bad),
                BG_E_TOO_MANY_RANGES_IN_FILE);
    BG_JOB_PROGRESS jp;
    CHECK_EQ_HR(IBackgroundCopyJob5_GetProgress(job, &jp), S_OK);
    CHECK_EQ_INT(jp.FilesTotal, 0);

    /* Out of order on purpose: written back to back in this order. */
    BG_FILE_RANGE r[3] = {{1000, 100}, {50, 10}, {RES_SIZE - 5000, BG_LENGTH_TO_EOF}};
    CHECK_EQ_HR(IBackgroundCopyJob5_AddFileWithRanges(job, wu, wl, 3, r), S_OK);
    IBackgroundCopyFile6 *file = first_file(job);
    DWORD count = 0;
    BG_FILE_RANGE *got = NULL;
    CHECK_EQ_HR(IBackgroundCopyFile6_GetFileRanges(file, &count, &got), S_OK);
    CHECK_EQ_INT(count, 3);
    CHECK_NOT_NULL(got);
    for (DWORD i = 0; i < 3; i++) {
        CHECK_EQ_U64(got[i].InitialOffset, r[i].InitialOffset);
        CHECK_EQ_U64(got[i].Length, r[i].Length);
    }
    CoTaskMemFree(got);

    /* Validation state: E_PENDING until the file is finished. */
    CHECK_EQ_HR(IBackgroundCopyFile6_SetValidationState(file, TRUE), E_PENDING);

    /* Remote names: a prefix that matches nothing is S_FALSE; SetRemoteName
     * and ReplaceRemotePrefix rewrite the URL (and back). */
    CHECK_EQ_HR(IBackgroundCopyJob5_ReplaceRemotePrefix(job, L"http://nomatch.invalid/", L"http://x/"),
                S_FALSE);
    wchar_t other[256], oldp[128], newp[128];
    wurl(other, 256, "/gen/12345");
    CHECK_EQ_HR(IBackgroundCopyFile6_SetRemoteName(file, other), S_OK);
    LPWSTR name = NULL;
    CHECK_EQ_HR(IBackgroundCopyFile6_GetRemoteName(file, &name), S_OK);
    CHECK(wcscmp(name, other) == 0);
    CoTaskMemFree(name);
    wurl(oldp, 128, "/gen/12345");
    wurl(newp, 128, path);
    CHECK_EQ_HR(IBackgroundCopyJob5_ReplaceRemotePrefix(job, oldp, newp), S_OK);
    CHECK_EQ_HR(IBackgroundCopyFile6_GetRemoteName(file, &name), S_OK);
    CHECK(wcscmp(name, wu) == 0);
    CoTaskMemFree(name);
    CHECK_EQ_HR(IBackgroundCopyJob5_ReplaceRemotePrefix(job, L"", L"http://x/"), E_INVALIDARG);
    CHECK_EQ_HR(IBackgroundCopyFile6_SetRemoteName(file, L"not a url"), E_INVALIDARG);

    CHECK_EQ_HR(IBackgroundCopyJob5_Resume(job), S_OK);
    CHECK_MSG(ts_wait_until(job_done, job, 60000), "ranged job not TRANSFERRED");
    BOOL valid = 7;
    CHECK_EQ_HR(IBackgroundCopyFile6_GetValidationState(file, &valid), S_OK);
    CHECK_EQ_INT(valid, FALSE);
    CHECK_EQ_HR(IBackgroundCopyFile6_SetValidationState(file, TRUE), S_OK);
    CHECK_EQ_HR(IBackgroundCopyFile6_GetValidationState(file, &valid), S_OK);
    CHECK_EQ_INT(valid, TRUE);
    CHECK_EQ_HR(IBackgroundCopyJob5_Complete(job), S_OK);

    size_t len = 0;
    unsigned char *data = (unsigned char *)ts_read_file(local, &len);
    CHECK_NOT_NULL(data);
    CHECK_EQ_U64(len, 100 + 10 + 5000);
    size_t at = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t l = r[i].Length == BG_LENGTH_TO_EOF ? RES_SIZE - r[i].InitialOffset : r[i].Length;
        for (uint64_t k = 0; k < l; k++, at++)
            CHECK_MSG(data[at] == ts_gen_byte(r[i].InitialOffset + k), "byte %zu (range %d)", at,
                      i);
    }
    free(data);
    IBackgroundCopyFile6_Release(file);
    IBackgroundCopyJob5_Release(job);

    /* A file without ranges: S_FALSE, 0, NULL. */
    job = new_job(L"no ranges");
    snprintf(local, sizeof local, "%s/plain.bin", g_dir);
    swprintf(wl, 4200, L"%s", local);
    CHECK_EQ_HR(IBackgroundCopyJob5_AddFile(job, wu, wl), S_OK);
    file = first_file(job);
    count = 7;
    got = (BG_FILE_RANGE *)GARBAGE;
    CHECK_EQ_HR(IBackgroundCopyFile6_GetFileRanges(file, &count, &got), S_FALSE);
    CHECK_EQ_INT(count, 0);
    CHECK(got == NULL);
    IBackgroundCopyFile6_Release(file);
    CHECK_EQ_HR(IBackgroundCopyJob5_Cancel(job), S_OK);
    IBackgroundCopyJob5_Release(job);
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_server, NULL), 0);
    g_dir = ts_mkdtemp();
    CHECK_EQ_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    CHECK_EQ_HR(BgCopyCreateInstance(&CLSID_BackgroundCopyManager5_0, NULL, CLSCTX_LOCAL_SERVER,
                                 &IID_IBackgroundCopyManager, (void **)&g_mgr),
                S_OK);
    test_cmdline();
    test_http_options();
    test_dynamic_content();
    test_ranges_and_names();
    CHECK_EQ_INT(IBackgroundCopyManager_Release(g_mgr), 0);
    CoUninitialize();
    CHECK_EQ_INT(ts_rmtree(g_dir), 0);
    free(g_dir);
    CHECK_EQ_INT(ts_server_stop(&g_server), 0);
    printf("v2_native: ok\n");
    return 0;
}
