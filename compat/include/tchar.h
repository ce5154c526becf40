/*
 * tchar.h - bgcopy's stand-in for the C runtime header of the same name:
 * generic-text mappings for programs written once for "Unicode" and
 * "ANSI" builds.
 *
 * With _UNICODE defined (a Unicode build, which every BITS program is,
 * since BITS methods take LPCWSTR), _TCHAR is wchar_t (= WCHAR here),
 * _T("x") is L"x", _tmain is wmain and every _t/_tcs function is the C
 * library's wide function; without it they are char and the narrow
 * functions.  Define _UNICODE and UNICODE together (Visual Studio's
 * "Unicode character set"): UNICODE drives TCHAR and TEXT() in <windows.h>.
 *
 * The functions are the C library's, so two of Microsoft's rules differ
 * (docs/windows-programs.md):
 *  - in the wide printf family, "%s" means a char string in ISO C and a
 *    wide string in Microsoft's; write "%ls" for a wide argument (it means
 *    the same on Windows);
 *  - a stream is either wide or narrow: do not mix _tprintf with printf on
 *    stdout in a Unicode build.
 * Microsoft's _s functions (_tcscpy_s, ...) and the file-name functions
 * (_tfopen) are not mapped: Linux file names are bytes, not UTF-16.
 *
 * On Windows the C runtime's own <tchar.h> is used (GCC-family compilers
 * are forwarded to it; others stop with an error that says so).
 */
#ifdef _WIN32
#  if defined(__GNUC__)
#    include_next <tchar.h>
#  else
#    error "bgcopy compat/include/tchar.h is for non-Windows builds: list the Windows SDK include directories before bgcopy's compat/include"
#  endif
#else
#  ifndef BGCOPY_WRAP_TCHAR_H
#  define BGCOPY_WRAP_TCHAR_H

#  include <ctype.h>
#  include <stdio.h>
#  include <stdlib.h>
#  include <string.h>
#  include <wchar.h>
#  include <wctype.h>

#  ifdef _UNICODE

typedef wchar_t _TCHAR;
typedef wchar_t _TSCHAR;
typedef wchar_t _TUCHAR;
typedef wchar_t _TXCHAR;
typedef wint_t _TINT;
#    define __T(x) L##x
#    define _TEOF WEOF

#    define _tmain wmain

#    define _tprintf wprintf
#    define _ftprintf fwprintf
#    define _vtprintf vwprintf
#    define _vftprintf vfwprintf
#    define _sntprintf swprintf /* ISO form: (buffer, count, format, ...) */
#    define _vsntprintf vswprintf
#    define _tscanf wscanf
#    define _ftscanf fwscanf
#    define _stscanf swscanf
#    define _fgetts fgetws
#    define _fputts fputws
#    define _fgettc fgetwc
#    define _fputtc fputwc
#    define _gettchar getwchar
#    define _puttchar putwchar

#    define _tcslen wcslen
#    define _tcscpy wcscpy
#    define _tcsncpy wcsncpy
#    define _tcscat wcscat
#    define _tcsncat wcsncat
#    define _tcscmp wcscmp
#    define _tcsncmp wcsncmp
#    define _tcscoll wcscoll
#    define _tcschr wcschr
#    define _tcsrchr wcsrchr
#    define _tcsstr wcsstr
#    define _tcsspn wcsspn
#    define _tcscspn wcscspn
#    define _tcspbrk wcspbrk
#    define _tcstol wcstol
#    define _tcstoul wcstoul
#    define _tcstoi64 wcstoll
#    define _tcstoui64 wcstoull
#    define _tcstod wcstod
#    define _ttoi(s) ((int)wcstol((s), NULL, 10))
#    define _tstoi(s) ((int)wcstol((s), NULL, 10))
#    define _ttol(s) ((long)wcstol((s), NULL, 10))
#    define _tstol(s) ((long)wcstol((s), NULL, 10))
#    define _ttoi64(s) wcstoll((s), NULL, 10)
#    define _tstoi64(s) wcstoll((s), NULL, 10)
#    define _tcsicmp bgcopy_tcsicmp_
#    define _tcsnicmp bgcopy_tcsnicmp_
#    define _istalpha iswalpha
#    define _istdigit iswdigit
#    define _istspace iswspace
#    define _istupper iswupper
#    define _istlower iswlower
#    define _istalnum iswalnum
#    define _totupper towupper
#    define _totlower towlower

/* Case-insensitive comparisons (simple case folding of the C library's
 * locale), as Microsoft's _wcsicmp / _wcsnicmp.  Pure, thread-safe. */
static inline int bgcopy_tcsnicmp_(const wchar_t *a, const wchar_t *b, size_t n)
{
    for (; n > 0; a++, b++, n--) {
        wint_t ca = towlower((wint_t)*a), cb = towlower((wint_t)*b);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (ca == 0)
            break;
    }
    return 0;
}
static inline int bgcopy_tcsicmp_(const wchar_t *a, const wchar_t *b)
{
    return bgcopy_tcsnicmp_(a, b, (size_t)-1);
}

#  else /* !_UNICODE: narrow ("ANSI", here UTF-8) build */

typedef char _TCHAR;
typedef signed char _TSCHAR;
typedef unsigned char _TUCHAR;
typedef char _TXCHAR;
typedef int _TINT;
#    define __T(x) x
#    define _TEOF EOF

#    define _tmain main

#    define _tprintf printf
#    define _ftprintf fprintf
#    define _vtprintf vprintf
#    define _vftprintf vfprintf
#    define _sntprintf snprintf
#    define _vsntprintf vsnprintf
#    define _tscanf scanf
#    define _ftscanf fscanf
#    define _stscanf sscanf
#    define _fgetts fgets
#    define _fputts fputs
#    define _fgettc fgetc
#    define _fputtc fputc
#    define _gettchar getchar
#    define _puttchar putchar

#    define _tcslen strlen
#    define _tcscpy strcpy
#    define _tcsncpy strncpy
#    define _tcscat strcat
#    define _tcsncat strncat
#    define _tcscmp strcmp
#    define _tcsncmp strncmp
#    define _tcscoll strcoll
#    define _tcschr strchr
#    define _tcsrchr strrchr
#    define _tcsstr strstr
#    define _tcsspn strspn
#    define _tcscspn strcspn
#    define _tcspbrk strpbrk
#    define _tcstol strtol
#    define _tcstoul strtoul
#    define _tcstoi64 strtoll
#    define _tcstoui64 strtoull
#    define _tcstod strtod
#    define _ttoi atoi
#    define _tstoi atoi
#    define _ttol atol
#    define _tstol atol
#    define _ttoi64 atoll
#    define _tstoi64 atoll
#    define _istalpha isalpha
#    define _istdigit isdigit
#    define _istspace isspace
#    define _istupper isupper
#    define _istlower islower
#    define _istalnum isalnum
#    define _totupper toupper
#    define _totlower tolower

#  endif /* _UNICODE */

#  define _T(x) __T(x)
#  define _TEXT(x) __T(x)

#  endif /* BGCOPY_WRAP_TCHAR_H */
#endif
