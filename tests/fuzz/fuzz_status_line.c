/*
 * fuzz_status_line.c - bgt_parse_status_line on a server's status line, as
 * libcurl hands it to the header callback (not NUL-terminated).
 * Invariants: a line that parses starts with "HTTP/", its status has three
 * digits (100..999 or leading zeros: 000..999), its version is one of
 * 0/10/11/20/30; a rejected line leaves the outputs untouched.
 */
#include "bgt_headers.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = fuzz_copy(data, size);
    long status = -7;
    int version = -7;
    int ok = bgt_parse_status_line(line, size, &status, &version);
    if (ok) {
        FUZZ_CHECK(size >= 5 && memcmp(line, "HTTP/", 5) == 0);
        FUZZ_CHECK(status >= 0 && status <= 999);
        FUZZ_CHECK(version == 0 || version == 10 || version == 11 || version == 20 ||
                   version == 30);
    } else {
        FUZZ_CHECK(status == -7 && version == -7);
    }
    /* Deterministic: the same bytes give the same answer. */
    long status2 = -7;
    int version2 = -7;
    FUZZ_CHECK(bgt_parse_status_line(line, size, &status2, &version2) == ok);
    FUZZ_CHECK(status2 == status && version2 == version);
    free(line);
    return 0;
}
