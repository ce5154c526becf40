/*
 * fuzz_header_line.c - bgt_header_split on one header line from a server,
 * then bgt_header_is on the name it found, as the header callback does.
 * Invariants: name and value lie inside the line, the name is not empty,
 * starts with no space or tab and is followed by the first ':'; the value
 * has no surrounding spaces/tabs and no trailing CR/LF; bgt_header_is
 * agrees with a case-insensitive compare of the names the transport asks for.
 */
#include <ctype.h>

#include "bgt_headers.h"
#include "fuzz.h"

static const char *const known[] = {"content-range", "content-length", "etag", "last-modified",
                                    "accept-ranges", "location", "content-encoding", ""};

static int ows(char c) { return c == ' ' || c == '\t'; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = fuzz_copy(data, size);
    const char *name = NULL, *value = NULL;
    size_t name_len = 0, value_len = 0;
    if (bgt_header_split(line, size, &name, &name_len, &value, &value_len)) {
        const char *colon = memchr(line, ':', size);
        FUZZ_CHECK(colon != NULL);
        FUZZ_CHECK(name == line && name_len > 0 && name + name_len == colon);
        FUZZ_CHECK(!ows(name[0]) && !ows(name[name_len - 1]));
        FUZZ_CHECK(value >= colon + 1 && value + value_len <= line + size);
        if (value_len > 0) {
            FUZZ_CHECK(!ows(value[0]));
            char last = value[value_len - 1];
            FUZZ_CHECK(!ows(last) && last != '\r' && last != '\n');
        }
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
            size_t n = strlen(known[k]);
            int same = n == name_len;
            for (size_t i = 0; same && i < n; i++)
                same = tolower((unsigned char)name[i]) == known[k][i] &&
                       (unsigned char)name[i] < 0x80;
            FUZZ_CHECK(bgt_header_is(name, name_len, known[k]) == same);
        }
    } else {
        FUZZ_CHECK(name == NULL && value == NULL && name_len == 0 && value_len == 0);
    }
    free(line);
    return 0;
}
