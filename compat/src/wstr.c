/*
 * wstr.c - WCHAR <-> UTF-8 conversion (see wstr.h for the contract).
 *
 * Decoding is strict (RFC 3629): overlong forms, UTF-16 surrogate code points
 * and values above U+10FFFF are refused rather than repaired, because these
 * strings become URLs and file names, where a silently altered byte is worse
 * than an error the caller can see.
 */
#include "wstr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <objbase.h> /* CoTaskMemAlloc */

#define WSTR_UTF16 (sizeof(wchar_t) == 2)

static int is_surrogate(uint32_t c) { return c >= 0xD800u && c <= 0xDFFFu; }

/* Decode the code point starting at w[*i] (advancing *i).  Returns -1 on a
 * malformed unit. */
static int64_t wide_next(const wchar_t *w, size_t *i)
{
    uint32_t c = (uint32_t)w[*i];
    if (WSTR_UTF16) {
        c &= 0xFFFFu;
        if (c >= 0xD800u && c <= 0xDBFFu) {
            uint32_t lo = (uint32_t)w[*i + 1] & 0xFFFFu;
            if (lo < 0xDC00u || lo > 0xDFFFu)
                return -1;
            *i += 2;
            return 0x10000 + (((int64_t)c - 0xD800) << 10) + ((int64_t)lo - 0xDC00);
        }
        if (is_surrogate(c))
            return -1;
        *i += 1;
        return c;
    }
    if (c > 0x10FFFFu || is_surrogate(c))
        return -1;
    *i += 1;
    return c;
}

static size_t utf8_len_of(uint32_t c)
{
    return c < 0x80u ? 1 : c < 0x800u ? 2 : c < 0x10000u ? 3 : 4;
}

bgcopy_hr bgc_wstr_to_utf8(const wchar_t *w, char **out)
{
    if (out)
        *out = NULL;
    if (!w || !out)
        return BGCOPY_E_INVALIDARG;

    /* First pass validates and sizes, so the buffer is allocated once. */
    size_t need = 1;
    for (size_t i = 0; w[i] != 0;) {
        int64_t c = wide_next(w, &i);
        if (c < 0)
            return BGCOPY_E_INVALIDARG;
        need += utf8_len_of((uint32_t)c);
    }
    char *buf = malloc(need);
    if (!buf)
        return BGCOPY_E_OUTOFMEMORY;
    size_t o = 0;
    for (size_t i = 0; w[i] != 0;) {
        uint32_t c = (uint32_t)wide_next(w, &i);
        if (c < 0x80u) {
            buf[o++] = (char)c;
        } else if (c < 0x800u) {
            buf[o++] = (char)(0xC0u | (c >> 6));
            buf[o++] = (char)(0x80u | (c & 0x3Fu));
        } else if (c < 0x10000u) {
            buf[o++] = (char)(0xE0u | (c >> 12));
            buf[o++] = (char)(0x80u | ((c >> 6) & 0x3Fu));
            buf[o++] = (char)(0x80u | (c & 0x3Fu));
        } else {
            buf[o++] = (char)(0xF0u | (c >> 18));
            buf[o++] = (char)(0x80u | ((c >> 12) & 0x3Fu));
            buf[o++] = (char)(0x80u | ((c >> 6) & 0x3Fu));
            buf[o++] = (char)(0x80u | (c & 0x3Fu));
        }
    }
    buf[o] = '\0';
    *out = buf;
    return BGCOPY_S_OK;
}

size_t bgc_wstr_codepoints(const wchar_t *w)
{
    if (!w)
        return SIZE_MAX;
    size_t n = 0;
    for (size_t i = 0; w[i] != 0; n++) {
        /* A malformed unit still counts as one character; the conversion,
         * not the count, is where it gets refused. */
        if (wide_next(w, &i) < 0)
            i++;
    }
    return n;
}

/* Decode the UTF-8 sequence at s (advancing *p).  Returns -1 when malformed. */
static int64_t utf8_next(const unsigned char *s, size_t *p)
{
    unsigned char b = s[*p];
    uint32_t c;
    size_t n;
    uint32_t min;
    if (b < 0x80u) {
        *p += 1;
        return b;
    } else if (b >= 0xC2u && b <= 0xDFu) {
        c = b & 0x1Fu; n = 1; min = 0x80u;
    } else if (b >= 0xE0u && b <= 0xEFu) {
        c = b & 0x0Fu; n = 2; min = 0x800u;
    } else if (b >= 0xF0u && b <= 0xF4u) {
        c = b & 0x07u; n = 3; min = 0x10000u;
    } else {
        return -1; /* stray continuation byte, C0/C1 overlong lead, F5..FF */
    }
    for (size_t k = 1; k <= n; k++) {
        unsigned char cb = s[*p + k]; /* the NUL terminator fails this test */
        if ((cb & 0xC0u) != 0x80u)
            return -1;
        c = (c << 6) | (cb & 0x3Fu);
    }
    if (c < min || c > 0x10FFFFu || is_surrogate(c))
        return -1;
    *p += n + 1;
    return c;
}

bgcopy_hr bgc_utf8_to_wstr_alloc(const char *s, void *(*alloc)(size_t), wchar_t **out)
{
    if (out)
        *out = NULL;
    if (!s || !alloc || !out)
        return BGCOPY_E_INVALIDARG;
    const unsigned char *u = (const unsigned char *)s;
    size_t units = 1;
    for (size_t p = 0; u[p] != 0;) {
        int64_t c = utf8_next(u, &p);
        if (c < 0)
            return BGCOPY_E_INVALIDARG;
        units += (WSTR_UTF16 && c >= 0x10000) ? 2 : 1;
    }
    wchar_t *w = alloc(units * sizeof(wchar_t));
    if (!w)
        return BGCOPY_E_OUTOFMEMORY;
    size_t o = 0;
    for (size_t p = 0; u[p] != 0;) {
        uint32_t c = (uint32_t)utf8_next(u, &p);
        if (WSTR_UTF16 && c >= 0x10000u) {
            c -= 0x10000u;
            w[o++] = (wchar_t)(0xD800u + (c >> 10));
            w[o++] = (wchar_t)(0xDC00u + (c & 0x3FFu));
        } else {
            w[o++] = (wchar_t)c;
        }
    }
    w[o] = 0;
    *out = w;
    return BGCOPY_S_OK;
}

static void *cotask_alloc(size_t n) { return CoTaskMemAlloc(n); }

bgcopy_hr bgc_utf8_to_cotask_wstr(const char *s, wchar_t **out)
{
    return bgc_utf8_to_wstr_alloc(s, cotask_alloc, out);
}
