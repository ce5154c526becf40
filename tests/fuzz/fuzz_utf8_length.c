/*
 * fuzz_utf8_length.c - bgc_utf8_length, which every client string (URL,
 * local name, display name, description, headers, notify command line)
 * passes before BITS's length limits are applied (core/src/util.c).
 * Invariants: never reads past the NUL; SIZE_MAX exactly when the string is
 * not well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates
 * U+D800..U+DFFF, nothing above U+10FFFF); otherwise the number of code
 * points, which is the number of bytes that are not continuation bytes.
 * The reference below decodes each sequence to its code point and checks
 * the ranges, a different method from the byte-pattern checks under test.
 */
#include "internal.h"
#include "fuzz.h"

/* 1 if s is well-formed UTF-8, counting code points into *count. */
static int reference(const unsigned char *s, size_t *count)
{
    size_t n = 0;
    while (*s) {
        unsigned long cp;
        int extra;
        if (*s < 0x80) { cp = *s; extra = 0; }
        else if ((*s & 0xE0) == 0xC0) { cp = *s & 0x1F; extra = 1; }
        else if ((*s & 0xF0) == 0xE0) { cp = *s & 0x0F; extra = 2; }
        else if ((*s & 0xF8) == 0xF0) { cp = *s & 0x07; extra = 3; }
        else return 0;
        s++;
        for (int i = 0; i < extra; i++, s++) {
            if ((*s & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (*s & 0x3F);
        }
        static const unsigned long min[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        n++;
    }
    *count = n;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    size_t want = 0;
    int valid = reference((const unsigned char *)s, &want);
    size_t got = bgc_utf8_length(s);
    if (valid)
        FUZZ_CHECK(got == want);
    else
        FUZZ_CHECK(got == SIZE_MAX);
    free(s);
    return 0;
}
