/*
 * fuzz_guid.c - bgcopy_guid_from_string on a job id a client (bitsadmin's
 * <job> argument, a COM caller) typed.
 * Invariants: accepted only for 36 characters or 38 with braces; what is
 * accepted formats back (bgcopy_guid_to_string, upper case with braces) to
 * the input, ignoring case and the braces; a rejection is
 * BGCOPY_E_INVALIDARG and leaves the output untouched.
 */
#include <ctype.h>

#include "bgcopy.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    size_t len = strlen(s);
    bgcopy_guid g, mark;
    memset(&mark, 0xa5, sizeof mark);
    g = mark;
    bgcopy_hr hr = bgcopy_guid_from_string(s, &g);
    if (hr == BGCOPY_S_OK) {
        FUZZ_CHECK(len == 36 || len == 38);
        const char *body = len == 38 ? s + 1 : s;
        char back[39];
        bgcopy_guid_to_string(&g, back);
        FUZZ_CHECK(strlen(back) == 38);
        for (size_t i = 0; i < 36; i++)
            FUZZ_CHECK(toupper((unsigned char)body[i]) == back[i + 1]);
        bgcopy_guid g2;
        FUZZ_CHECK(bgcopy_guid_from_string(back, &g2) == BGCOPY_S_OK);
        FUZZ_CHECK(memcmp(&g, &g2, sizeof g) == 0);
    } else {
        FUZZ_CHECK(hr == BGCOPY_E_INVALIDARG);
        FUZZ_CHECK(memcmp(&g, &mark, sizeof g) == 0);
    }
    FUZZ_CHECK(bgcopy_guid_from_string(NULL, &g) == BGCOPY_E_INVALIDARG);
    FUZZ_CHECK(bgcopy_guid_from_string(s, NULL) == BGCOPY_E_INVALIDARG);
    free(s);
    return 0;
}
