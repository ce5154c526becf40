/*
 * fuzz_http_date.c - bgt_parse_http_date on a Last-Modified value from a
 * server (and If-Range validators), and bgt_format_http_date back.
 * Properties: parsing never reads past the NUL; a parsed date inside the
 * years 1601..9999 formats to an IMF-fixdate that parses back to the same
 * second; and, for the first 8 input bytes taken as a time (and their low
 * 38 bits, which land in range), format then parse is the identity there.
 * Outside 1601..9999 only formatting is checked: curl_getdate reads years
 * 0..99 as two-digit years, and -1 is its failure value.
 */
#include <time.h>

#include "bgt_headers.h"
#include "fuzz.h"

static void round_trip(int64_t t)
{
    char buf[64];
    if (!bgt_format_http_date(t, buf, sizeof buf)) {
        FUZZ_CHECK(buf[0] == '\0');
        FUZZ_CHECK(t < -62167219200LL || t > 253402300799LL);
        return;
    }
    FUZZ_CHECK(strlen(buf) == 29);
    /* 1601-01-01 (the FILETIME epoch BITS reports times in) and later. */
    if (t >= -11644473600LL && t != -1 && (sizeof(time_t) >= 8 || (t >= INT32_MIN && t <= INT32_MAX)))
        FUZZ_CHECK(bgt_parse_http_date(buf) == t);
    char small[29];
    FUZZ_CHECK(bgt_format_http_date(t, small, sizeof small) == 0 && small[0] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    int64_t t = bgt_parse_http_date(s);
    if (t != -1)
        round_trip(t);
    if (size >= 8) {
        uint64_t u;
        memcpy(&u, data, 8);
        round_trip((int64_t)u);
        /* Often inside the formattable range: the low 38 bits. */
        round_trip((int64_t)(u & ((1ull << 38) - 1)) - (1ll << 37));
    }
    free(s);
    return 0;
}
