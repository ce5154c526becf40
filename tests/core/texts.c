/*
 * texts.c - tests of core/src/hresult.c: bgcopy_hr_name,
 * bgcopy_hr_description, bgcopy_error_context_description and
 * bgcopy_job_state_name.
 *
 * What must hold: every BGCOPY_* HRESULT constant of bgcopy.h (checked both
 * from an explicit list with the expected symbolic names and by scanning the
 * header itself, so a constant added later cannot be forgotten) and every
 * code of the contract spec section 7 has a name and a description; the
 * BG_E_HTTP_ERROR_nnn codes 100..599 are all answered; unknown codes give
 * NULL; the fixed table is sorted without duplicates (the binary search
 * depends on it); the lazily built HTTP texts are initialised safely when
 * several threads ask first at the same moment (run this under TSan).
 */
#include "bgcopy.h"
#include "check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

/* Test-only hook defined in core/src/hresult.c (not public API). */
int bgcopy_hr_table_entry_(size_t i, uint32_t *value, const char **name, const char **text);

/* A description is one or two complete English sentences. */
static void check_text(uint32_t v, const char *text)
{
    CHECK_MSG(text != NULL, "no description for 0x%08X", (unsigned)v);
    size_t n = strlen(text);
    CHECK_MSG(n >= 10, "description of 0x%08X too short: \"%s\"", (unsigned)v, text);
    CHECK_MSG(text[n - 1] == '.', "description of 0x%08X does not end with '.': \"%s\"",
              (unsigned)v, text);
    CHECK_MSG(!isspace((unsigned char)text[0]), "description of 0x%08X starts with a space",
              (unsigned)v);
}

static void check_code(uint32_t v, const char *want_name)
{
    const char *name = bgcopy_hr_name((bgcopy_hr)v);
    CHECK_MSG(name != NULL, "no name for 0x%08X (want %s)", (unsigned)v, want_name);
    CHECK_MSG(strcmp(name, want_name) == 0, "name of 0x%08X: got %s, want %s", (unsigned)v,
              name, want_name);
    check_text(v, bgcopy_hr_description((bgcopy_hr)v));
}

static void check_unknown(uint32_t v)
{
    CHECK_MSG(bgcopy_hr_name((bgcopy_hr)v) == NULL, "0x%08X should have no name, got %s",
              (unsigned)v, bgcopy_hr_name((bgcopy_hr)v));
    CHECK_MSG(bgcopy_hr_description((bgcopy_hr)v) == NULL,
              "0x%08X should have no description", (unsigned)v);
}

/* ------------------------------------------------ lazy init from 4 threads */

#define N_THREADS 4
#define HTTP_N 500

typedef struct http_seen {
    uv_barrier_t *start;
    const char *names[HTTP_N];
    const char *texts[HTTP_N];
} http_seen;

static void http_reader(void *arg)
{
    http_seen *s = arg;
    /* All threads leave the barrier together so that their first lookups
     * (which trigger the one-time formatting) overlap. */
    uv_barrier_wait(s->start);
    for (int i = HTTP_N - 1; i >= 0; i--) {
        s->names[i] = bgcopy_hr_name(BGCOPY_E_HTTP_ERROR(100 + i));
        s->texts[i] = bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(100 + i));
    }
}

static void test_concurrent_first_use(void)
{
    static http_seen seen[N_THREADS];
    uv_thread_t threads[N_THREADS];
    uv_barrier_t start;

    CHECK_EQ_INT(uv_barrier_init(&start, N_THREADS), 0);
    for (int t = 0; t < N_THREADS; t++) {
        seen[t].start = &start;
        CHECK_EQ_INT(uv_thread_create(&threads[t], http_reader, &seen[t]), 0);
    }
    for (int t = 0; t < N_THREADS; t++)
        CHECK_EQ_INT(uv_thread_join(&threads[t]), 0);
    uv_barrier_destroy(&start);

    for (int i = 0; i < HTTP_N; i++) {
        char want_name[32], want_prefix[32];
        snprintf(want_name, sizeof want_name, "BG_E_HTTP_ERROR_%d", 100 + i);
        snprintf(want_prefix, sizeof want_prefix, "HTTP status %d: ", 100 + i);
        for (int t = 0; t < N_THREADS; t++) {
            /* Same static storage for everyone, fully formatted. */
            CHECK(seen[t].names[i] == seen[0].names[i]);
            CHECK(seen[t].texts[i] == seen[0].texts[i]);
        }
        CHECK_EQ_STR(seen[0].names[i], want_name);
        CHECK_MSG(strncmp(seen[0].texts[i], want_prefix, strlen(want_prefix)) == 0,
                  "description of %s: \"%s\"", want_name, seen[0].texts[i]);
        check_text((uint32_t)BGCOPY_E_HTTP_ERROR(100 + i), seen[0].texts[i]);
    }
}

/* ------------------------------------------------- bgcopy.h, explicitly */

static void test_header_constants(void)
{
    static const struct {
        bgcopy_hr hr;
        const char *name;
    } k[] = {
        { BGCOPY_S_OK, "S_OK" },
        { BGCOPY_S_FALSE, "S_FALSE" },
        { BGCOPY_E_NOTIMPL, "E_NOTIMPL" },
        { BGCOPY_E_NOINTERFACE, "E_NOINTERFACE" },
        { BGCOPY_E_POINTER, "E_POINTER" },
        { BGCOPY_E_FAIL, "E_FAIL" },
        { BGCOPY_E_ACCESSDENIED, "E_ACCESSDENIED" },
        { BGCOPY_E_OUTOFMEMORY, "E_OUTOFMEMORY" },
        { BGCOPY_E_INVALIDARG, "E_INVALIDARG" },
        { BGCOPY_E_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND" },
        { BGCOPY_E_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND" },
        { BGCOPY_E_DISK_FULL, "ERROR_DISK_FULL" },
        { BGCOPY_E_BAD_FILE_TYPE, "ERROR_BAD_FILE_TYPE" },
        { BGCOPY_E_WINHTTP_TIMEOUT, "ERROR_WINHTTP_TIMEOUT" },
        { BGCOPY_E_WINHTTP_NAME_NOT_RESOLVED, "ERROR_WINHTTP_NAME_NOT_RESOLVED" },
        { BGCOPY_E_WINHTTP_CANNOT_CONNECT, "ERROR_WINHTTP_CANNOT_CONNECT" },
        { BGCOPY_E_WINHTTP_CONNECTION_ERROR, "ERROR_WINHTTP_CONNECTION_ERROR" },
        { BGCOPY_E_WINHTTP_SECURE_FAILURE, "ERROR_WINHTTP_SECURE_FAILURE" },
        { BGCOPY_E_NOT_FOUND, "BG_E_NOT_FOUND" },
        { BGCOPY_E_INVALID_STATE, "BG_E_INVALID_STATE" },
        { BGCOPY_E_EMPTY, "BG_E_EMPTY" },
        { BGCOPY_E_FILE_NOT_AVAILABLE, "BG_E_FILE_NOT_AVAILABLE" },
        { BGCOPY_E_PROTOCOL_NOT_AVAILABLE, "BG_E_PROTOCOL_NOT_AVAILABLE" },
        { BGCOPY_E_ERROR_INFORMATION_UNAVAILABLE, "BG_E_ERROR_INFORMATION_UNAVAILABLE" },
        { BGCOPY_E_MISSING_FILE_SIZE, "BG_E_MISSING_FILE_SIZE" },
        { BGCOPY_E_INSUFFICIENT_HTTP_SUPPORT, "BG_E_INSUFFICIENT_HTTP_SUPPORT" },
        { BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT, "BG_E_INSUFFICIENT_RANGE_SUPPORT" },
        { BGCOPY_S_PARTIAL_COMPLETE, "BG_S_PARTIAL_COMPLETE" },
        { BGCOPY_S_UNABLE_TO_DELETE_FILES, "BG_S_UNABLE_TO_DELETE_FILES" },
        { BGCOPY_E_INVALID_SERVER_RESPONSE, "BG_E_INVALID_SERVER_RESPONSE" },
        { BGCOPY_E_TOO_MANY_FILES, "BG_E_TOO_MANY_FILES" },
        { BGCOPY_E_LOCAL_FILE_CHANGED, "BG_E_LOCAL_FILE_CHANGED" },
        { BGCOPY_E_STRING_TOO_LONG, "BG_E_STRING_TOO_LONG" },
        { BGCOPY_E_CONNECTION_CLOSED, "BG_E_CONNECTION_CLOSED" },
        { BGCOPY_E_TOO_MANY_FILES_IN_JOB, "BG_E_TOO_MANY_FILES_IN_JOB" },
        { BGCOPY_E_REMOTE_FILE_CHANGED, "BG_E_REMOTE_FILE_CHANGED" },
        { BGCOPY_E_HTTP_ERROR(404), "BG_E_HTTP_ERROR_404" },
        { BGCOPY_HRESULT_FROM_WIN32(2), "ERROR_FILE_NOT_FOUND" },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        check_code((uint32_t)k[i].hr, k[i].name);

    CHECK_EQ_HR(BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT, 0x80200013);
    CHECK_EQ_STR(bgcopy_hr_name((bgcopy_hr)0x80200013), "BG_E_INSUFFICIENT_RANGE_SUPPORT");
    const char *range = bgcopy_hr_description(BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT);
    CHECK_CONTAINS(range, "FOREGROUND");
    CHECK_CONTAINS(range, "2 GB");
}

/* --------------------------------------------- bgcopy.h, by scanning it */

/* Every "#define BGCOPY_[ES]_X ((bgcopy_hr)0x...)" line of the header must
 * have a name and description; for the BITS and generic COM codes the name
 * is the constant with BGCOPY_ replaced by BG_ (BITS) or removed (COM). */
static void test_header_scan(void)
{
    FILE *f = fopen(BGCOPY_HEADER_PATH, "r");
    CHECK_MSG(f != NULL, "cannot open %s", BGCOPY_HEADER_PATH);
    char line[512];
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        char macro[128];
        unsigned value;
        if (sscanf(line, "#define BGCOPY_%127[A-Z0-9_] ((bgcopy_hr)0x%x)", macro, &value) != 2)
            continue;
        if (strncmp(macro, "E_", 2) != 0 && strncmp(macro, "S_", 2) != 0)
            continue;
        found++;
        const char *name = bgcopy_hr_name((bgcopy_hr)value);
        CHECK_MSG(name != NULL, "BGCOPY_%s (0x%08X) has no name", macro, value);
        check_text(value, bgcopy_hr_description((bgcopy_hr)value));
        char want[160];
        if ((value & 0x7FFF0000u) == 0x00200000u) {
            snprintf(want, sizeof want, "BG_%s", macro);
            CHECK_EQ_STR(name, want);
        } else if ((value & 0xFFFF0000u) == 0x80000000u || value <= 1u) {
            CHECK_EQ_STR(name, macro);
        }
    }
    fclose(f);
    /* The header held 33 such constants when this test was written. */
    CHECK_MSG(found >= 33, "only %d constants found in %s: scan pattern broken?", found,
              BGCOPY_HEADER_PATH);
}

/* ------------------------------------------------------- spec section 7 */

/* Section 7.1: every value 0x0001..0x0076 in FACILITY_BACKGROUNDCOPY is an
 * error code, a success code (BG_S_*), or one of the unused gaps. */
static void test_bits_codes(void)
{
    for (uint32_t low = 0x01; low <= 0x76; low++) {
        uint32_t err = 0x80200000u | low, ok = 0x00200000u | low;
        int success = low == 0x06 || low == 0x17 || low == 0x1A || low == 0x2A || low == 0x55;
        int gap = (low >= 0x4A && low <= 0x4F) || (low >= 0x5A && low <= 0x5F);
        if (gap) {
            check_unknown(err);
            check_unknown(ok);
        } else if (success) {
            check_unknown(err);
            const char *name = bgcopy_hr_name((bgcopy_hr)ok);
            CHECK_MSG(name && strncmp(name, "BG_S_", 5) == 0, "0x%08X: %s", (unsigned)ok,
                      name ? name : "(null)");
            check_text(ok, bgcopy_hr_description((bgcopy_hr)ok));
        } else {
            check_unknown(ok);
            const char *name = bgcopy_hr_name((bgcopy_hr)err);
            CHECK_MSG(name && strncmp(name, "BG_E_", 5) == 0, "0x%08X: %s", (unsigned)err,
                      name ? name : "(null)");
            check_text(err, bgcopy_hr_description((bgcopy_hr)err));
        }
    }
    check_unknown(0x80200000u);
    check_unknown(0x80200077u);

    /* Spot checks of names across the range, including old-SDK codes. */
    check_code(0x00200006u, "BG_S_ERROR_CONTEXT_NONE");
    check_code(0x00200017u, "BG_S_PARTIAL_COMPLETE");
    check_code(0x0020002Au, "BG_S_PROXY_CHANGED");
    check_code(0x00200055u, "BG_S_OVERRIDDEN_BY_POLICY");
    check_code(0x8020000Du, "BG_E_DESTINATION_LOCKED");
    check_code(0x80200010u, "BG_E_NETWORK_DISCONNECTED");
    check_code(0x8020001Du, "BG_E_LOCAL_FILE_CHANGED");
    check_code(0x80200029u, "BG_E_FILE_NOT_FOUND");
    check_code(0x8020002Fu, "BG_E_KEEP_ALIVE_FAILURE");
    check_code(0x80200032u, "BG_E_PENDING");
    check_code(0x8020003Bu, "BG_E_TIMEOUT");
    check_code(0x8020003Du, "BG_E_UNKNOWN_ERROR");
    check_code(0x8020003Eu, "BG_E_BLOCKED_BY_POLICY");
    check_code(0x80200041u, "BG_E_INVALID_HASH_ALGORITHM");
    check_code(0x80200049u, "BG_E_TOO_MANY_JOBS_PER_USER");
    check_code(0x80200050u, "BG_E_TOO_MANY_JOBS_PER_MACHINE");
    check_code(0x80200059u, "BG_E_BLOCKED_BY_COST_TRANSFER_POLICY");
    check_code(0x80200060u, "BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY");
    check_code(0x8020006Du, "BG_E_RANDOM_ACCESS_NOT_SUPPORTED");
    check_code(0x80200075u, "BG_E_READ_ONLY_WHEN_JOB_ACTIVE");
    check_code(0x80200076u, "BG_E_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK");

    /* Section 7.4. */
    check_code(0x81001001u, "QM_E_INVALID_STATE");
    check_code(0x81001002u, "QM_E_SERVICE_UNAVAILABLE");
    check_code(0x81001003u, "QM_E_DOWNLOADER_UNAVAILABLE");
    check_code(0x81001004u, "QM_E_ITEM_NOT_FOUND");
    check_unknown(0x81001000u);
    check_unknown(0x81001005u);
}

/* Section 7.5 and the Win32 errors bgcopy reports for local files. */
static void test_generic_codes(void)
{
    static const struct {
        uint32_t v;
        const char *name;
    } k[] = {
        { 0x8000000Au, "E_PENDING" },
        { 0x80040110u, "CLASS_E_NOAGGREGATION" },
        { 0x80040154u, "REGDB_E_CLASSNOTREG" },
        { 0x800401F0u, "CO_E_NOTINITIALIZED" },
        { 0x80070015u, "ERROR_NOT_READY" },
        { 0x8007001Du, "ERROR_WRITE_FAULT" },
        { 0x8007001Eu, "ERROR_READ_FAULT" },
        { 0x80070020u, "ERROR_SHARING_VIOLATION" },
        { 0x80070027u, "ERROR_HANDLE_DISK_FULL" },
        { 0x80070050u, "ERROR_FILE_EXISTS" },
        { 0x8007007Bu, "ERROR_INVALID_NAME" },
        { 0x800700B7u, "ERROR_ALREADY_EXISTS" },
        { 0x800700CEu, "ERROR_FILENAME_EXCED_RANGE" },
        { 0x8007010Bu, "ERROR_DIRECTORY" },
        { 0x8007012Cu, "HTTP_STATUS_AMBIGUOUS" },
        { 0x8007012Du, "HTTP_STATUS_MOVED" },
        { 0x8007012Eu, "HTTP_STATUS_REDIRECT" },
        { 0x8007012Fu, "HTTP_STATUS_REDIRECT_METHOD" },
        { 0x80070130u, "HTTP_STATUS_NOT_MODIFIED" },
        { 0x80070131u, "HTTP_STATUS_USE_PROXY" },
        { 0x80070132u, "HTTP_STATUS_306" },
        { 0x80070133u, "HTTP_STATUS_REDIRECT_KEEP_VERB" },
        { 0x800706F4u, "RPC_X_NULL_REF_POINTER" },
        { 0x800706F7u, "RPC_X_BAD_STUB_DATA" },
        { 0x80070717u, "ERROR_RESOURCE_LANG_NOT_FOUND" },
        { 0x80072EF3u, "ERROR_WINHTTP_INCORRECT_HANDLE_STATE" },
        { 0x80072F0Cu, "ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED" },
        { 0x80072F19u, "ERROR_WINHTTP_SECURE_CERT_REV_FAILED" },
        { 0x80072F76u, "ERROR_WINHTTP_HEADER_NOT_FOUND" },
        { 0x80072F8Au, "ERROR_WINHTTP_SECURE_CERT_REVOKED" },
        { 0x80072F9Au, "ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY" },
        { 0x80092004u, "CRYPT_E_NOT_FOUND" },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        check_code(k[i].v, k[i].name);
    /* The Win32 values as bgcopy computes them. */
    CHECK_EQ_STR(bgcopy_hr_name(BGCOPY_HRESULT_FROM_WIN32(5)), "E_ACCESSDENIED");
    CHECK_EQ_STR(bgcopy_hr_name(BGCOPY_HRESULT_FROM_WIN32(32)), "ERROR_SHARING_VIOLATION");
    CHECK_EQ_STR(bgcopy_hr_name(BGCOPY_HRESULT_FROM_WIN32(307)),
                 "HTTP_STATUS_REDIRECT_KEEP_VERB");
    CHECK_EQ_STR(bgcopy_hr_name(BGCOPY_HRESULT_FROM_WIN32(12175)),
                 "ERROR_WINHTTP_SECURE_FAILURE");
}

static void test_http(void)
{
    CHECK_EQ_HR(BGCOPY_E_HTTP_ERROR(404), 0x80190194);
    CHECK_EQ_STR(bgcopy_hr_name(BGCOPY_E_HTTP_ERROR(404)), "BG_E_HTTP_ERROR_404");
    const char *d = bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(404));
    CHECK_CONTAINS(d, "HTTP status 404: Not Found.");
    CHECK_CONTAINS(bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(416)),
                   "HTTP status 416: Range Not Satisfiable.");
    CHECK_CONTAINS(bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(503)),
                   "HTTP status 503: Service Unavailable.");
    CHECK_EQ_STR(bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(100)), "HTTP status 100: Continue.");
    CHECK_EQ_STR(bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(308)),
                 "HTTP status 308: Permanent Redirect.");

    /* Statuses BITS reads as protocol violations (spec 7.2). */
    static const int violations[] = { 200, 205, 304, 402, 415, 449 };
    for (size_t i = 0; i < sizeof violations / sizeof violations[0]; i++)
        CHECK_CONTAINS(bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(violations[i])), "protocol");
    CHECK(strstr(bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(206)), "protocol") == NULL);

    /* Unregistered statuses get the generic sentence, still non-NULL. */
    CHECK_CONTAINS(bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(599)), "HTTP status 599: ");
    CHECK_CONTAINS(bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(599)), "no standard meaning");
    CHECK_CONTAINS(bgcopy_hr_description(BGCOPY_E_HTTP_ERROR(306)), "no standard meaning");
    CHECK_EQ_STR(bgcopy_hr_name(BGCOPY_E_HTTP_ERROR(599)), "BG_E_HTTP_ERROR_599");

    /* Outside 100..599 the facility is not ours. */
    check_unknown(0x80190000u);
    check_unknown(0x80190063u); /* 99 */
    check_unknown(0x80190258u); /* 600 */
    check_unknown(0x80194000u); /* BITS_MC_JOB_CANCELLED: an event id, not an HRESULT */
    check_unknown(0x00190194u); /* success bit pattern */
}

static void test_unknown(void)
{
    check_unknown(0x12345678u);
    check_unknown(0x00000002u);
    check_unknown(0x80070001u);
    check_unknown(0x8007FFFFu);
    check_unknown(0xFFFFFFFFu);
    check_unknown(0x7FFFFFFFu);
    check_unknown(0x80004000u);
}

/* ---------------------------------------------------------- fixed table */

static void test_table(void)
{
    uint32_t prev = 0, v;
    const char *name, *text;
    size_t i = 0;
    while (bgcopy_hr_table_entry_(i, &v, &name, &text)) {
        CHECK_NOT_NULL(name);
        CHECK_MSG(name[0] != '\0', "entry %zu has an empty name", i);
        check_text(v, text);
        if (i > 0)
            CHECK_MSG(v > prev, "table not sorted / duplicate at entry %zu: 0x%08X after 0x%08X",
                      i, (unsigned)v, (unsigned)prev);
        /* Lookups find exactly this entry (not shadowed by the HTTP range). */
        CHECK(bgcopy_hr_name((bgcopy_hr)v) == name);
        CHECK(bgcopy_hr_description((bgcopy_hr)v) == text);
        for (size_t j = 0; j < i; j++) {
            uint32_t v2;
            const char *n2, *t2;
            CHECK(bgcopy_hr_table_entry_(j, &v2, &n2, &t2));
            CHECK_MSG(strcmp(n2, name) != 0, "name %s used twice", name);
        }
        prev = v;
        i++;
    }
    CHECK_MSG(i >= 150, "table has only %zu entries", i);
}

/* ---------------------------------------------------- contexts, states */

static void test_contexts(void)
{
    const char *texts[9];
    for (int c = 0; c <= 8; c++) {
        texts[c] = bgcopy_error_context_description((bgcopy_error_context)c);
        check_text((uint32_t)c, texts[c]);
        for (int d = 0; d < c; d++)
            CHECK_MSG(strcmp(texts[c], texts[d]) != 0, "contexts %d and %d share a text", c, d);
    }
    CHECK_CONTAINS(texts[BGCOPY_ERROR_CONTEXT_NONE], "No error");
    CHECK_CONTAINS(texts[BGCOPY_ERROR_CONTEXT_LOCAL_FILE], "local file");
    CHECK_CONTAINS(texts[BGCOPY_ERROR_CONTEXT_REMOTE_FILE], "remote file");
    CHECK_CONTAINS(texts[8], "certificate");
    const char *unknown = texts[BGCOPY_ERROR_CONTEXT_UNKNOWN];
    CHECK_EQ_STR(bgcopy_error_context_description((bgcopy_error_context)9), unknown);
    CHECK_EQ_STR(bgcopy_error_context_description((bgcopy_error_context)-1), unknown);
    CHECK_EQ_STR(bgcopy_error_context_description((bgcopy_error_context)1000), unknown);

    /* The BG_*_ERROR_CONTEXT_* message ids carry the context texts. */
    CHECK_EQ_STR(bgcopy_hr_description((bgcopy_hr)0x00200006), texts[0]);
    CHECK_EQ_STR(bgcopy_hr_description((bgcopy_hr)0x80200007), texts[1]);
    CHECK_EQ_STR(bgcopy_hr_description((bgcopy_hr)0x80200008), texts[2]);
    CHECK_EQ_STR(bgcopy_hr_description((bgcopy_hr)0x8020000C), texts[3]);
    CHECK_EQ_STR(bgcopy_hr_description((bgcopy_hr)0x80200009), texts[4]);
    CHECK_EQ_STR(bgcopy_hr_description((bgcopy_hr)0x8020000A), texts[5]);
    CHECK_EQ_STR(bgcopy_hr_description((bgcopy_hr)0x8020000B), texts[6]);
    CHECK_EQ_STR(bgcopy_hr_description((bgcopy_hr)0x8020001E), texts[7]);
    CHECK_EQ_STR(bgcopy_hr_description((bgcopy_hr)0x80200076), texts[8]);
}

static void test_states(void)
{
    static const char *const want[] = { "QUEUED",          "CONNECTING",  "TRANSFERRING",
                                        "SUSPENDED",       "ERROR",       "TRANSIENT_ERROR",
                                        "TRANSFERRED",     "ACKNOWLEDGED", "CANCELLED" };
    for (int s = 0; s < 9; s++)
        CHECK_EQ_STR(bgcopy_job_state_name((bgcopy_job_state)s), want[s]);
    CHECK_EQ_STR(bgcopy_job_state_name(BGCOPY_JOB_STATE_TRANSIENT_ERROR), "TRANSIENT_ERROR");
    CHECK_EQ_STR(bgcopy_job_state_name((bgcopy_job_state)9), "UNKNOWN");
    CHECK_EQ_STR(bgcopy_job_state_name((bgcopy_job_state)-1), "UNKNOWN");
}

int main(void)
{
    /* First, before anything else formats the HTTP texts. */
    test_concurrent_first_use();
    test_header_constants();
    test_header_scan();
    test_bits_codes();
    test_generic_codes();
    test_http();
    test_unknown();
    test_table();
    test_contexts();
    test_states();
    printf("core_texts ok\n");
    return 0;
}
