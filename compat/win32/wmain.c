/*
 * wmain.c - libbgcopy-win32's main(): runs a program's wmain (or _tmain in
 * a _UNICODE build) on Linux, as the Windows C runtime does.
 *
 * An archive member is linked only to resolve a missing symbol, so this
 * main() is used exactly when the program defines no main() of its own
 * (docs/windows-programs.md).
 *
 * Windows hands wmain the command line as UTF-16 text, already decoded.
 * Linux hands main bytes in the encoding of the user's locale (POSIX), so
 * the locale is adopted (setlocale(LC_ALL, ""), which the wide printf
 * family also needs to print non-ASCII text) and each argument decoded
 * with the C library's mbstowcs.  In the "C"/"POSIX" locale, whose charset
 * is ASCII, LC_CTYPE is switched to C.UTF-8 where it exists, as Python does
 * (PEP 538): UTF-8 arguments then decode instead of failing.
 */
#include <windows.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void adopt_locale(void)
{
    const char *ctype = setlocale(LC_ALL, "");
    if (!ctype)
        ctype = setlocale(LC_CTYPE, NULL);
    if (ctype && (strcmp(ctype, "C") == 0 || strcmp(ctype, "POSIX") == 0))
        setlocale(LC_CTYPE, "C.UTF-8");
}

/* argv[i] decoded in the current locale; malloc'ed; NULL when it is not
 * valid text there or memory is short. */
static wchar_t *decode_arg(const char *arg)
{
    size_t n = mbstowcs(NULL, arg, 0);
    if (n == (size_t)-1)
        return NULL;
    wchar_t *w = malloc((n + 1) * sizeof *w);
    if (w)
        mbstowcs(w, arg, n + 1);
    return w;
}

int main(int argc, char **argv)
{
    adopt_locale();
    wchar_t **wargv = calloc((size_t)argc + 1, sizeof *wargv);
    if (!wargv) {
        fputs("out of memory decoding the command line\n", stderr);
        return EXIT_FAILURE;
    }
    int rc = EXIT_FAILURE;
    int i;
    for (i = 0; i < argc; i++) {
        wargv[i] = decode_arg(argv[i]);
        if (!wargv[i]) {
            fprintf(stderr, "argument %d is not valid text in the current locale\n", i);
            goto out;
        }
    }
    rc = wmain(argc, wargv);
out:
    for (int j = 0; j < i; j++)
        free(wargv[j]);
    free(wargv);
    return rc;
}
