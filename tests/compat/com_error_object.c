/*
 * com_error_object - IBackgroundCopyError answers for errors a download
 * against the test server does not produce: one tied to no file (GetFile ->
 * BG_E_FILE_NOT_AVAILABLE) and with no protocol (GetProtocol ->
 * BG_E_PROTOCOL_NOT_AVAILABLE), both with NULL out-pointers, plus the
 * language rule of the description methods.  The error object is made by
 * the compat constructor over a real job of a real engine.
 */
#include "compat_objects.h" /* first: it brings uv.h, which must precede <windows.h> */

#include <windows.h>
#include <objbase.h>
#include <bits.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "check.h"
#include "harness.h"

/* 1 if the WCHAR text equals the UTF-8 text. */
static int wide_equals_utf8(const wchar_t *w, const char *utf8)
{
    char *s = NULL;
    CHECK_EQ_HR(bgc_wstr_to_utf8(w, &s), S_OK);
    int eq = strcmp(s, utf8) == 0;
    free(s);
    return eq;
}

int main(void)
{
    /* The language rule: neutral or English, any sublanguage. */
    CHECK(bgc_lang_supported(0x0000));
    CHECK(bgc_lang_supported(0x0400)); /* LANG_USER_DEFAULT */
    CHECK(bgc_lang_supported(0x0800)); /* LANG_SYSTEM_DEFAULT */
    CHECK(bgc_lang_supported(0x0409)); /* en-US */
    CHECK(bgc_lang_supported(0x0809)); /* en-GB */
    CHECK(!bgc_lang_supported(0x0407)); /* de-DE */
    CHECK(!bgc_lang_supported(0x040C)); /* fr-FR */
    CHECK(!bgc_lang_supported(0x10409)); /* not a LANGID */

    bgcopy_manager *m = NULL;
    CHECK_EQ_HR(bgcopy_manager_open(NULL, &m), S_OK);
    bgcopy_job *job = NULL;
    CHECK_EQ_HR(bgcopy_manager_create_job(m, "error object", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job),
                S_OK);

    bgcopy_job_error e = {0};
    e.code = BGCOPY_E_DISK_FULL;
    e.context = BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER;
    e.file_index = -1;
    IBackgroundCopyError *err = NULL;
    CHECK_EQ_HR(bgc_error_create(job, &e, 0, &err), S_OK);

    BG_ERROR_CONTEXT ctx;
    HRESULT code;
    CHECK_EQ_HR(IBackgroundCopyError_GetError(err, &ctx, &code), S_OK);
    CHECK_EQ_INT(ctx, BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER);
    CHECK_EQ_HR(code, 0x80070070);
    CHECK_EQ_HR(IBackgroundCopyError_GetError(err, NULL, &code), E_INVALIDARG);

    IBackgroundCopyFile *file = (IBackgroundCopyFile *)(uintptr_t)1;
    CHECK_EQ_HR(IBackgroundCopyError_GetFile(err, &file), BG_E_FILE_NOT_AVAILABLE);
    CHECK(file == NULL);
    LPWSTR text = (LPWSTR)(uintptr_t)1;
    CHECK_EQ_HR(IBackgroundCopyError_GetProtocol(err, &text), BG_E_PROTOCOL_NOT_AVAILABLE);
    CHECK(text == NULL);

    CHECK_EQ_HR(IBackgroundCopyError_GetErrorDescription(err, 0x0409, &text), S_OK);
    CHECK(wide_equals_utf8(text, bgcopy_hr_description(BGCOPY_E_DISK_FULL)));
    CoTaskMemFree(text);
    CHECK_EQ_HR(IBackgroundCopyError_GetErrorContextDescription(err, LANG_NEUTRAL, &text), S_OK);
    CHECK(wide_equals_utf8(text, bgcopy_error_context_description(
                                     BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER)));
    CoTaskMemFree(text);
    text = (LPWSTR)(uintptr_t)1;
    CHECK_EQ_HR(IBackgroundCopyError_GetErrorContextDescription(err, 0x0407, &text),
                HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND));
    CHECK(text == NULL);

    void *pv = (void *)(uintptr_t)1;
    CHECK_EQ_HR(IBackgroundCopyError_QueryInterface(err, &IID_IBackgroundCopyFile, &pv),
                E_NOINTERFACE);
    CHECK(pv == NULL);
    CHECK_EQ_HR(IBackgroundCopyError_QueryInterface(err, &IID_IBackgroundCopyError, &pv), S_OK);
    CHECK(pv == err);
    CHECK_EQ_INT(IBackgroundCopyError_Release(err), 1);

    /* A file-tied error with a protocol: GetFile names file 0. */
    char *dir = ts_mkdtemp();
    char local[4200];
    snprintf(local, sizeof local, "%s/never-fetched", dir);
    CHECK_EQ_HR(bgcopy_job_add_file(job, "http://127.0.0.1:1/x", local), S_OK);
    IBackgroundCopyError *err2 = NULL;
    e.file_index = 0;
    memcpy(e.protocol, "http", 5);
    CHECK_EQ_HR(bgc_error_create(job, &e, 0, &err2), S_OK);
    CHECK_EQ_HR(IBackgroundCopyError_GetFile(err2, &file), S_OK);
    CHECK_EQ_HR(IBackgroundCopyFile_GetRemoteName(file, &text), S_OK);
    CHECK(wcscmp(text, L"http://127.0.0.1:1/x") == 0);
    CoTaskMemFree(text);
    IBackgroundCopyFile_Release(file);
    CHECK_EQ_HR(IBackgroundCopyError_GetProtocol(err2, &text), S_OK);
    CHECK(wcscmp(text, L"http") == 0);
    CoTaskMemFree(text);

    /* The error object keeps its job handle: usable after the job left. */
    CHECK_EQ_HR(bgcopy_job_cancel(job), S_OK);
    bgcopy_job_release(job);
    CHECK_EQ_HR(IBackgroundCopyError_GetError(err2, &ctx, &code), S_OK);
    CHECK_EQ_INT(IBackgroundCopyError_Release(err2), 0);
    CHECK_EQ_INT(IBackgroundCopyError_Release(err), 0);
    bgcopy_manager_close(m);
    ts_rmtree(dir);
    free(dir);
    printf("com_error_object: ok\n");
    return 0;
}
