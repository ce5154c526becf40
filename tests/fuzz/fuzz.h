/*
 * fuzz.h - what every fuzz target shares: the libFuzzer entry point's
 * declaration and FUZZ_CHECK, the invariant assertion.
 *
 * A target is one file defining LLVMFuzzerTestOneInput; it is linked either
 * with libFuzzer (-DBGCOPY_FUZZ=ON) or with replay_main.c, which feeds it the
 * checked-in corpus in every ordinary build (docs/fuzzing.md).
 */
#ifndef BGCOPY_FUZZ_H
#define BGCOPY_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() rather than return: libFuzzer and the replay driver both report an
 * abort as a crash and keep the input that caused it. */
#define FUZZ_CHECK(cond)                                                             \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                 \
        }                                                                            \
    } while (0)

/* A NUL-terminated heap copy of the input (parsers that take C strings);
 * the caller frees it.  Aborts when out of memory: the input is small. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* An exact-size heap copy, so that ASan sees a read one byte past the end. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    FUZZ_CHECK(s != NULL);
    if (size)
        memcpy(s, data, size);
    else
        s[0] = '\0'; /* never read (size 0), but compilers cannot tell */
    return s;
}

#endif /* BGCOPY_FUZZ_H */
