/*
 * com_wstr - the WCHAR <-> UTF-8 conversions every COM string goes through
 * (compat/src/wstr.c): round trips across all UTF-8 lengths, and refusal of
 * malformed input on both sides.
 */
#include <objbase.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "check.h"
#include "wstr.h"

static void round_trip(const wchar_t *w, const char *utf8)
{
    char *s = NULL;
    CHECK_EQ_HR(bgc_wstr_to_utf8(w, &s), BGCOPY_S_OK);
    CHECK_EQ_STR(s, utf8);
    wchar_t *back = NULL;
    CHECK_EQ_HR(bgc_utf8_to_cotask_wstr(s, &back), BGCOPY_S_OK);
    CHECK(wcscmp(back, w) == 0);
    CoTaskMemFree(back);
    free(s);
}

static void bad_utf8(const char *s)
{
    wchar_t *w = (wchar_t *)(uintptr_t)1;
    CHECK_EQ_HR(bgc_utf8_to_cotask_wstr(s, &w), BGCOPY_E_INVALIDARG);
    CHECK(w == NULL);
}

int main(void)
{
    round_trip(L"", "");
    round_trip(L"plain ASCII", "plain ASCII");
    round_trip(L"\u00e9", "\xc3\xa9");               /* 2 bytes */
    round_trip(L"\u20ac", "\xe2\x82\xac");           /* 3 bytes */
    round_trip(L"\U0001F600", "\xf0\x9f\x98\x80");   /* 4 bytes (a UTF-16 pair on Windows) */
    round_trip(L"\U0010FFFF", "\xf4\x8f\xbf\xbf");   /* the last code point */
    round_trip(L"a\u00e9\u20ac\U0001F600z", "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z");

    CHECK_EQ_U64(bgc_wstr_codepoints(L"a\u00e9\U0001F600"), 3);
    CHECK_EQ_U64(bgc_wstr_codepoints(L""), 0);

    /* Malformed UTF-8 is refused, never repaired. */
    bad_utf8("\x80");             /* stray continuation byte */
    bad_utf8("\xc3");             /* truncated */
    bad_utf8("\xc0\xaf");         /* overlong '/' */
    bad_utf8("\xe0\x80\xaf");     /* overlong, 3 bytes */
    bad_utf8("\xed\xa0\x80");     /* UTF-16 surrogate D800 */
    bad_utf8("\xf4\x90\x80\x80"); /* above U+10FFFF */
    bad_utf8("\xff");
    bad_utf8("ok\xe2\x82");       /* truncated at the end */

    /* Wide strings that are not text are refused too. */
    char *s = (char *)(uintptr_t)1;
    if (sizeof(wchar_t) == 4) {
        const wchar_t sur[] = {L'x', (wchar_t)0xDC00, 0};
        CHECK_EQ_HR(bgc_wstr_to_utf8(sur, &s), BGCOPY_E_INVALIDARG);
        CHECK(s == NULL);
        const wchar_t big[] = {(wchar_t)0x110000, 0};
        CHECK_EQ_HR(bgc_wstr_to_utf8(big, &s), BGCOPY_E_INVALIDARG);
    } else { /* UTF-16 (Windows): unpaired surrogates */
        const wchar_t lone[] = {(wchar_t)0xD800, L'x', 0};
        CHECK_EQ_HR(bgc_wstr_to_utf8(lone, &s), BGCOPY_E_INVALIDARG);
        CHECK(s == NULL);
        const wchar_t low_first[] = {L'x', (wchar_t)0xDC00, (wchar_t)0xD800, 0};
        CHECK_EQ_HR(bgc_wstr_to_utf8(low_first, &s), BGCOPY_E_INVALIDARG);
        const wchar_t high_last[] = {L'x', (wchar_t)0xD83D, 0};
        CHECK_EQ_HR(bgc_wstr_to_utf8(high_last, &s), BGCOPY_E_INVALIDARG);
        /* a pair counts as one character */
        const wchar_t pair[] = {(wchar_t)0xD83D, (wchar_t)0xDE00, 0};
        CHECK_EQ_U64(bgc_wstr_codepoints(pair), 1);
    }
    CHECK_EQ_HR(bgc_wstr_to_utf8(NULL, &s), BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgc_utf8_to_cotask_wstr(NULL, NULL), BGCOPY_E_INVALIDARG);
    printf("com_wstr: ok\n");
    return 0;
}
