/*
 * ts_range.c - parsing the HTTP Range request header (RFC 9110 §14.2) for a
 * single byte range, the only form BITS-style clients send.
 */
#include "testserver.h"

#include <ctype.h>
#include <string.h>

/* 1 if p starts with the lower-case word w, in any case (ASCII). */
static int starts_with_nocase(const char *p, const char *w)
{
    for (; *w; p++, w++)
        if (tolower((unsigned char)*p) != *w)
            return 0;
    return 1;
}

/* Parses decimal digits at *p into *out; 0 on no digits or overflow. */
static int parse_u64(const char **p, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    if (!isdigit((unsigned char)*s))
        return 0;
    while (isdigit((unsigned char)*s)) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
        s++;
    }
    *p = s;
    *out = v;
    return 1;
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

ts_range_result ts_range_parse(const char *value, uint64_t size, uint64_t *first, uint64_t *last)
{
    if (value == NULL)
        return TS_RANGE_NONE;
    const char *p = skip_ws(value);
    if (!starts_with_nocase(p, "bytes"))
        return TS_RANGE_NONE;
    p = skip_ws(p + 5);
    if (*p != '=')
        return TS_RANGE_NONE;
    p = skip_ws(p + 1);

    uint64_t a = 0, b = 0;
    int has_a = parse_u64(&p, &a);
    p = skip_ws(p);
    if (*p != '-')
        return TS_RANGE_NONE;
    p = skip_ws(p + 1);
    int has_b = parse_u64(&p, &b);
    p = skip_ws(p);
    if (*p != '\0') /* trailing junk or a second range: not ours to honour */
        return TS_RANGE_NONE;

    if (!has_a) {
        /* Suffix range "-n": the last n bytes. */
        if (!has_b)
            return TS_RANGE_NONE;
        if (b == 0 || size == 0)
            return TS_RANGE_UNSATISFIABLE;
        *first = b >= size ? 0 : size - b;
        *last = size - 1;
        return TS_RANGE_OK;
    }
    if (has_b && b < a)
        return TS_RANGE_NONE; /* invalid: RFC says ignore the header */
    if (a >= size)
        return TS_RANGE_UNSATISFIABLE;
    *first = a;
    *last = (!has_b || b >= size) ? size - 1 : b;
    return TS_RANGE_OK;
}
