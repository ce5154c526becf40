/*
 * fuzz_content_range.c - bgt_parse_content_range on a Content-Range value
 * from a server: where the body's bytes will be written.
 * Invariants: RANGE gives first <= last, last < total when the total is
 * known, and a length last-first+1 that fits 64 bits (no wrap to 0) and
 * is not BGT_UNKNOWN;
 * UNSATISFIED gives a known total; INVALID leaves the outputs untouched.
 */
#include "bgt_headers.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *v = fuzz_copy(data, size);
    const uint64_t mark = 0x5a5a5a5a5a5a5a5aull;
    uint64_t first = mark, last = mark, total = mark;
    bgt_content_range_kind k = bgt_parse_content_range(v, size, &first, &last, &total);
    switch (k) {
    case BGT_CR_RANGE:
        FUZZ_CHECK(first <= last);
        FUZZ_CHECK(total == BGT_UNKNOWN || last < total);
        /* The transport computes last - first + 1 as the body length. */
        FUZZ_CHECK(last - first + 1 != 0 && last - first + 1 != BGT_UNKNOWN);
        break;
    case BGT_CR_UNSATISFIED:
        FUZZ_CHECK(total != BGT_UNKNOWN);
        FUZZ_CHECK(first == mark && last == mark);
        break;
    case BGT_CR_INVALID:
        FUZZ_CHECK(first == mark && last == mark && total == mark);
        break;
    default:
        FUZZ_CHECK(!"unknown bgt_content_range_kind");
    }
    free(v);
    return 0;
}
