/*
 * fuzz_remote_name.c - bgt_url_parse, the one parser of remote names: what
 * a client passes to AddFile / SetRemoteName, and what a redirect's
 * Location becomes before it may replace a remote name.
 * Invariants: the answer is deterministic; BGT_URL_LOCAL yields a full
 * local path (bgt_path_is_absolute) with no CR or LF, and with the same
 * path when asked again; BGT_URL_HTTP yields no path and the name holds
 * no byte curl would refuse to send (controls, space); a refusal yields no
 * path.
 */
#include "bgt.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; /* AddFile refuses names longer than INTERNET_MAX_URL_LENGTH anyway */
    char *name = fuzz_cstring(data, size);
    char *path = NULL, *again = NULL;
    int kind = bgt_url_parse(name, &path);
    FUZZ_CHECK(kind == BGT_URL_HTTP || kind == BGT_URL_LOCAL || kind == UV_EINVAL ||
               kind == UV_ENOMEM);
    if (kind == BGT_URL_LOCAL) {
        FUZZ_CHECK(path != NULL && bgt_path_is_absolute(path));
        /* A bare path is taken as it is; a decoded file: URL must not gain
         * line breaks that a later log line or command line would split on. */
        if (!bgt_path_is_absolute(name))
            FUZZ_CHECK(strpbrk(path, "\r\n") == NULL);
    } else {
        FUZZ_CHECK(path == NULL);
    }
    if (kind == BGT_URL_HTTP) {
        for (const char *p = name; *p; p++)
            FUZZ_CHECK((unsigned char)*p > 0x20 && *p != 0x7f);
    }
    FUZZ_CHECK(bgt_url_parse(name, &again) == kind);
    FUZZ_CHECK((path == NULL) == (again == NULL));
    if (path != NULL)
        FUZZ_CHECK(strcmp(path, again) == 0);
    FUZZ_CHECK(bgt_url_parse(name, NULL) == kind);
    free(again);
    free(path);
    free(name);
    return 0;
}
