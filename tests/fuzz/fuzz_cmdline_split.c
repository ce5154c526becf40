/*
 * fuzz_cmdline_split.c - bgc_cmdline_split on the Parameters string a
 * client gives SetNotifyCmdLine (core/src/cmdline.c).
 * Invariants: argv is NULL-terminated; every argument is a NUL-terminated
 * string inside the single allocation; no argument is longer than the
 * input, and together they hold no more bytes than the input; the count
 * is at most len/2+1 (+1 for argv[0]); splitting is deterministic; an input
 * of only spaces/tabs gives no argument; an argument holds no byte that is
 * not in the input except '"' and '\\' (they come from the quoting rules).
 * The input is cut at its first NUL: a C string is what clients pass.
 */
#include "internal.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    size_t len = strlen(s);
    char **argv = bgc_cmdline_split(s);
    FUZZ_CHECK(argv != NULL);
    char **again = bgc_cmdline_split(s);
    FUZZ_CHECK(again != NULL);

    int blank = 1;
    for (size_t i = 0; i < len; i++)
        blank = blank && (s[i] == ' ' || s[i] == '\t');

    size_t argc = 0, bytes = 0;
    for (; argv[argc]; argc++) {
        FUZZ_CHECK(argc <= len / 2 + 1);
        size_t n = strlen(argv[argc]);
        FUZZ_CHECK(n <= len);
        bytes += n;
        for (size_t i = 0; i < n; i++) {
            char ch = argv[argc][i];
            FUZZ_CHECK(ch == '"' || ch == '\\' || memchr(s, ch, len) != NULL);
        }
        FUZZ_CHECK(again[argc] != NULL && strcmp(again[argc], argv[argc]) == 0);
    }
    FUZZ_CHECK(again[argc] == NULL);
    FUZZ_CHECK(bytes <= len);
    FUZZ_CHECK(blank == (argc == 0));
    free(argv);
    free(again);
    free(s);
    return 0;
}
