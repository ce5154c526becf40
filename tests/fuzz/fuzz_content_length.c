/*
 * fuzz_content_length.c - bgt_parse_u64 as the header callback applies it to
 * a Content-Length value (after bgt_header_split trimmed it).
 * Invariants: accepted only for 1+ ASCII digits whose value fits 64 bits;
 * the value printed back in decimal is the input without leading zeros; a
 * rejected value leaves the output untouched.
 */
#include <inttypes.h>

#include "bgt_headers.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_copy(data, size);
    uint64_t v = 12345;
    int ok = bgt_parse_u64(s, size, &v);
    size_t digits = 0;
    while (digits < size && s[digits] >= '0' && s[digits] <= '9')
        digits++;
    size_t lead = 0;
    while (lead + 1 < size && s[lead] == '0')
        lead++;
    if (ok) {
        FUZZ_CHECK(size > 0 && digits == size);
        char back[32];
        int n = snprintf(back, sizeof back, "%" PRIu64, v);
        FUZZ_CHECK(n > 0 && (size_t)n == size - lead && memcmp(back, s + lead, (size_t)n) == 0);
    } else {
        FUZZ_CHECK(v == 12345);
        /* Only an empty value, a non-digit or more than 64 bits is refused. */
        FUZZ_CHECK(size == 0 || digits < size || size - lead >= 20);
    }
    free(s);
    return 0;
}
