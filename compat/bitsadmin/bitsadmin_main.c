/*
 * bitsadmin_main.c - the bitsadmin executable: one manager for the life of
 * the process, one command line run against it.
 *
 * Without the persistent queue, the jobs of this manager die with the
 * process, which is why /transfer (create, wait, complete in one run) is the
 * switch that matters on the command line today.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "bgcopy.h"
#include "bitsadmin.h"

static int run(int argc, char **argv)
{
    /* Started with stdin, stdout or stderr closed (cron, daemons), the next
     * descriptor opened would take their place: libuv aborts on such a
     * descriptor and progress text would be written into a downloaded file.
     * bgcopy_manager_open, the first call here that opens anything, puts the
     * null device on the closed ones (docs/security.md). */
#ifdef SIGPIPE
    /* A reader that has gone away (bitsadmin /transfer ... | head -1) ends
     * bitsadmin's output, not the process: writes then fail with EPIPE and
     * the transfer goes on to its normal end and exit code. */
    signal(SIGPIPE, SIG_IGN);
#endif
    bgcopy_manager *m = NULL;
    char *why = NULL;
    bgcopy_manager_options o = { 0 };
    o.error_text = &why;
    bgcopy_hr hr = bgcopy_manager_open(&o, &m);
    if (BGCOPY_FAILED(hr)) {
        fprintf(stderr, "Unable to connect to BITS - 0x%08x\n", (unsigned)hr);
        if (why)
            fprintf(stderr, "%s\n", why);
        bgcopy_free(why);
        return BITSADMIN_EXIT_FAILURE;
    }
    bitsadmin_print_store_report(m, stderr);
    int rc = bitsadmin_run(m, argc, argv, stdout, stderr);
    bgcopy_manager_close(m);
    return rc;
}

#ifdef _WIN32
#include <wchar.h>

/* UTF-16 (wchar_t on Windows) to a malloc'ed UTF-8 string; a lone
 * surrogate becomes U+FFFD, as Windows' own conversion does.  NULL when out
 * of memory. */
static char *utf16_to_utf8(const wchar_t *w)
{
    size_t n = wcslen(w);
    char *s = malloc(n * 3 + 1); /* one UTF-16 unit never needs more than 3 bytes */
    if (!s)
        return NULL;
    char *o = s;
    for (size_t i = 0; i < n; i++) {
        unsigned long c = (unsigned short)w[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && (unsigned short)w[i + 1] >= 0xDC00 &&
            (unsigned short)w[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + ((unsigned short)w[i + 1] - 0xDC00);
            i++;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        if (c < 0x80) {
            *o++ = (char)c;
        } else if (c < 0x800) {
            *o++ = (char)(0xC0 | (c >> 6));
            *o++ = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *o++ = (char)(0xE0 | (c >> 12));
            *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *o++ = (char)(0x80 | (c & 0x3F));
        } else {
            *o++ = (char)(0xF0 | (c >> 18));
            *o++ = (char)(0x80 | ((c >> 12) & 0x3F));
            *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *o++ = (char)(0x80 | (c & 0x3F));
        }
    }
    *o = '\0';
    return s;
}

/* Windows hands main() its arguments in the ANSI code page, which cannot
 * hold every file name or URL; bgcopy takes UTF-8.  wmain (linked with
 * -municode) receives them as UTF-16 and they are converted once here. */
int wmain(int argc, wchar_t **wargv)
{
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    if (!argv) {
        fprintf(stderr, "Out of memory.\n");
        return BITSADMIN_EXIT_FAILURE;
    }
    for (int i = 0; i < argc; i++) {
        argv[i] = utf16_to_utf8(wargv[i]);
        if (!argv[i]) {
            fprintf(stderr, "Out of memory.\n");
            return BITSADMIN_EXIT_FAILURE;
        }
    }
    int rc = run(argc, argv);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return rc;
}
#else
int main(int argc, char **argv)
{
    return run(argc, argv);
}
#endif
