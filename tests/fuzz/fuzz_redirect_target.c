/*
 * fuzz_redirect_target.c - bgt_url_resolve_redirect, where a server's
 * Location header becomes a URL that may replace a job's remote name.
 * Input: a base URL and a Location value separated by the first NUL byte
 * (no NUL: a fixed base).  Invariants: a result is an absolute http(s) URL
 * that the remote-name parser accepts as BGT_URL_HTTP (never a local file
 * or another scheme), and resolving it again against the base gives the
 * same URL.
 */
#include <curl/curl.h>

#include "bgt_internal.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0; /* curl refuses a header line past 100 KB; keep inputs quick */
    const uint8_t *nul = memchr(data, 0, size);
    char *base, *location;
    if (nul != NULL) {
        base = fuzz_cstring(data, (size_t)(nul - data));
        location = fuzz_cstring(nul + 1, size - (size_t)(nul - data) - 1);
    } else {
        base = fuzz_cstring((const uint8_t *)"http://127.0.0.1:8080/dir/file.bin", 34);
        location = fuzz_cstring(data, size);
    }
    char *target = bgt_url_resolve_redirect(base, location);
    if (target != NULL) {
        FUZZ_CHECK(bgt_url_parse(target, NULL) == BGT_URL_HTTP);
        FUZZ_CHECK(bgt_ascii_prefix(target, "http://") || bgt_ascii_prefix(target, "https://"));
        char *again = bgt_url_resolve_redirect(base, target);
        FUZZ_CHECK(again != NULL && strcmp(again, target) == 0);
        curl_free(again);
    }
    curl_free(target);
    free(location);
    free(base);
    return 0;
}
