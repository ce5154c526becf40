/*
 * wstr.h - WCHAR <-> UTF-8 conversion for the COM-layout objects.
 *
 * The COM surface speaks WCHAR (= wchar_t in bgcopy: UTF-32 on Linux, UTF-16
 * on Windows, see DESIGN.md §2) while the native bgcopy_* API speaks UTF-8.
 * Every string crossing that line goes through these functions, so malformed
 * text is refused in one place (E_INVALIDARG) instead of being passed on to
 * URLs and file names half-decoded.  The width of wchar_t is tested at
 * compile time, so one source serves both platforms.
 *
 * Internal to compat/; not installed.
 */
#ifndef BGCOPY_COMPAT_WSTR_H
#define BGCOPY_COMPAT_WSTR_H

#include <stddef.h>
#include <wchar.h>

#include "bgcopy.h"

/* Convert a NUL-terminated wide string to UTF-8.
 * |w|: UTF-32 (4-byte wchar_t) or UTF-16 (2-byte wchar_t) text.
 * *out: malloc'ed, NUL-terminated UTF-8; the caller frees it with free().
 * Errors: E_INVALIDARG (w or out NULL; a surrogate code point in UTF-32, an
 * unpaired surrogate in UTF-16, a value above U+10FFFF), E_OUTOFMEMORY.
 * On error *out is NULL (when out is not NULL).  Thread-safe (pure). */
bgcopy_hr bgc_wstr_to_utf8(const wchar_t *w, char **out);

/* Count the code points of a NUL-terminated wide string (a UTF-16 pair
 * counts once), i.e. the characters BITS limits are stated in.  Returns
 * SIZE_MAX for NULL.  Thread-safe (pure). */
size_t bgc_wstr_codepoints(const wchar_t *w);

/* Convert NUL-terminated UTF-8 to a wide string allocated with |alloc|
 * (which must behave like malloc; the caller frees with the matching free).
 * Errors: E_INVALIDARG (s, alloc or out NULL; overlong forms, surrogates,
 * values above U+10FFFF, truncated or stray continuation bytes),
 * E_OUTOFMEMORY.  On error *out is NULL.  Thread-safe (pure). */
bgcopy_hr bgc_utf8_to_wstr_alloc(const char *s, void *(*alloc)(size_t), wchar_t **out);

/* bgc_utf8_to_wstr_alloc() with CoTaskMemAlloc: the form every COM [out]
 * LPWSTR takes (the client frees it with CoTaskMemFree).  Same errors. */
bgcopy_hr bgc_utf8_to_cotask_wstr(const char *s, wchar_t **out);

#endif /* BGCOPY_COMPAT_WSTR_H */
