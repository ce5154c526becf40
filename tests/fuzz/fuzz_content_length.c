/*
 * fuzz_content_length.c - bgt_parse_content_length, what the header
 * callback applies to a server's Content-Length value (after
 * bgt_header_split trimmed it), and bgt_parse_u64 under it.
 * Invariants: an accepted value is a comma list of members that are each
 * 1+ ASCII digits (spaces and tabs around commas) fitting 64 bits, all
 * equal to the result; a refused value leaves the output untouched; a bare
 * number is accepted exactly when bgt_parse_u64 accepts it, with the same
 * value.
 */
#include "bgt_headers.h"
#include "fuzz.h"

static int is_ows(char c) { return c == ' ' || c == '\t'; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_copy(data, size);
    const uint64_t mark = 0x5a5a5a5a5a5a5a5aull;
    uint64_t v = mark, w = mark;
    int ok = bgt_parse_content_length(s, size, &v);
    if (ok) {
        /* Re-check every member against the plain number parser. */
        size_t i = 0;
        while (i <= size) {
            size_t j = i;
            while (j < size && s[j] != ',')
                j++;
            size_t a = i, b = j;
            while (a < b && is_ows(s[a]))
                a++;
            while (b > a && is_ows(s[b - 1]))
                b--;
            uint64_t m = mark;
            FUZZ_CHECK(bgt_parse_u64(s + a, b - a, &m) && m == v);
            i = j + 1;
        }
    } else {
        FUZZ_CHECK(v == mark);
    }
    if (memchr(s, ',', size) == NULL && (size == 0 || (!is_ows(s[0]) && !is_ows(s[size - 1])))) {
        int plain = bgt_parse_u64(s, size, &w);
        FUZZ_CHECK(plain == ok);
        FUZZ_CHECK(!ok || w == v);
    }
    free(s);
    return 0;
}
