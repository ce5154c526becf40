/*
 * check.h - assertions for bgcopy's tests.
 *
 * Every CHECK evaluates its arguments exactly once, and on failure prints
 * "file:line: CHECK failed: <expression> ..." with the values involved to
 * stderr, then calls exit(1).  exit() (not abort()) so that atexit handlers
 * run: the harness uses one to stop test servers a failing test started.
 * Unlike assert() these are never compiled out (NDEBUG has no effect).
 *
 * Thread-safety: usable from any thread; a failure on any thread ends the
 * process.  (exit() from a non-main thread while others run is what we want
 * here: the test has already failed.)
 */
#ifndef BGCOPY_TEST_CHECK_H
#define BGCOPY_TEST_CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ts_format.h" /* TS_PRINTF_FORMAT */

/* Not for direct use: prints the failure location and message, then exits. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noreturn, format(TS_PRINTF_FORMAT, 3, 4)))
#endif
static inline void ts_check_fail_(const char *file, int line, const char *fmt, ...);

static inline void ts_check_fail_(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "%s:%d: CHECK failed: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    exit(1);
}

/* Fails unless cond is true (non-zero). */
#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond))                                                         \
            ts_check_fail_(__FILE__, __LINE__, "%s", #cond);                 \
    } while (0)

/* Like CHECK, with a printf-style explanation appended to the message. */
#define CHECK_MSG(cond, ...)                                                 \
    do {                                                                     \
        if (!(cond)) {                                                       \
            char ts_msg_[1024];                                              \
            snprintf(ts_msg_, sizeof ts_msg_, __VA_ARGS__);                  \
            ts_check_fail_(__FILE__, __LINE__, "%s (%s)", #cond, ts_msg_);   \
        }                                                                    \
    } while (0)

/* Unconditional failure with a printf-style message (unreachable paths). */
#define CHECK_FAIL(...)                                                      \
    do {                                                                     \
        char ts_msg_[1024];                                                  \
        snprintf(ts_msg_, sizeof ts_msg_, __VA_ARGS__);                      \
        ts_check_fail_(__FILE__, __LINE__, "%s", ts_msg_);                   \
    } while (0)

/* HRESULTs compare as 32-bit patterns and print in hex (0x80200010), the way
 * Microsoft documents them; works for HRESULT, bgcopy_hr, int32_t or long. */
#define CHECK_EQ_HR(actual, expected)                                        \
    do {                                                                     \
        uint32_t ts_a_ = (uint32_t)(actual);                                 \
        uint32_t ts_e_ = (uint32_t)(expected);                               \
        if (ts_a_ != ts_e_)                                                  \
            ts_check_fail_(__FILE__, __LINE__,                               \
                           "%s == %s: got 0x%08" PRIX32 ", want 0x%08" PRIX32, \
                           #actual, #expected, ts_a_, ts_e_);                \
    } while (0)

/* Fails unless the HRESULT is a success code (high bit clear); prints it. */
#define CHECK_HR_OK(hr)                                                      \
    do {                                                                     \
        uint32_t ts_a_ = (uint32_t)(hr);                                     \
        if (ts_a_ & UINT32_C(0x80000000))                                    \
            ts_check_fail_(__FILE__, __LINE__, "SUCCEEDED(%s): got 0x%08" PRIX32, \
                           #hr, ts_a_);                                      \
    } while (0)

/* Unsigned 64-bit equality (sizes, offsets, byte counts); prints decimal. */
#define CHECK_EQ_U64(actual, expected)                                       \
    do {                                                                     \
        uint64_t ts_a_ = (uint64_t)(actual);                                 \
        uint64_t ts_e_ = (uint64_t)(expected);                               \
        if (ts_a_ != ts_e_)                                                  \
            ts_check_fail_(__FILE__, __LINE__,                               \
                           "%s == %s: got %" PRIu64 ", want %" PRIu64,       \
                           #actual, #expected, ts_a_, ts_e_);                \
    } while (0)

/* Signed 64-bit equality (ints, enums, longs, status codes); prints decimal. */
#define CHECK_EQ_INT(actual, expected)                                       \
    do {                                                                     \
        int64_t ts_a_ = (int64_t)(actual);                                   \
        int64_t ts_e_ = (int64_t)(expected);                                 \
        if (ts_a_ != ts_e_)                                                  \
            ts_check_fail_(__FILE__, __LINE__,                               \
                           "%s == %s: got %" PRId64 ", want %" PRId64,       \
                           #actual, #expected, ts_a_, ts_e_);                \
    } while (0)
#define CHECK_EQ_I64 CHECK_EQ_INT

/* Signed 64-bit inequality; prints the shared value. */
#define CHECK_NE_INT(actual, unexpected)                                     \
    do {                                                                     \
        int64_t ts_a_ = (int64_t)(actual);                                   \
        int64_t ts_e_ = (int64_t)(unexpected);                               \
        if (ts_a_ == ts_e_)                                                  \
            ts_check_fail_(__FILE__, __LINE__, "%s != %s: both %" PRId64,    \
                           #actual, #unexpected, ts_a_);                     \
    } while (0)

/* Unsigned ordering checks, e.g. CHECK_LE_U64(bytes_done, total). */
#define TS_CHECK_CMP_U64_(a, op, b)                                          \
    do {                                                                     \
        uint64_t ts_a_ = (uint64_t)(a);                                      \
        uint64_t ts_b_ = (uint64_t)(b);                                      \
        if (!(ts_a_ op ts_b_))                                               \
            ts_check_fail_(__FILE__, __LINE__,                               \
                           "%s %s %s: got %" PRIu64 " vs %" PRIu64,          \
                           #a, #op, #b, ts_a_, ts_b_);                       \
    } while (0)
#define CHECK_LT_U64(a, b) TS_CHECK_CMP_U64_(a, <, b)
#define CHECK_LE_U64(a, b) TS_CHECK_CMP_U64_(a, <=, b)
#define CHECK_GT_U64(a, b) TS_CHECK_CMP_U64_(a, >, b)
#define CHECK_GE_U64(a, b) TS_CHECK_CMP_U64_(a, >=, b)

/* C string equality; a NULL on either side fails unless both are NULL. */
#define CHECK_EQ_STR(actual, expected)                                       \
    do {                                                                     \
        const char *ts_a_ = (actual);                                        \
        const char *ts_e_ = (expected);                                      \
        if (!((ts_a_ == NULL && ts_e_ == NULL) ||                            \
              (ts_a_ != NULL && ts_e_ != NULL && strcmp(ts_a_, ts_e_) == 0))) \
            ts_check_fail_(__FILE__, __LINE__,                               \
                           "%s == %s: got \"%s\", want \"%s\"", #actual,     \
                           #expected, ts_a_ ? ts_a_ : "(null)",              \
                           ts_e_ ? ts_e_ : "(null)");                        \
    } while (0)

/* Fails unless haystack (a C string) contains needle. */
#define CHECK_CONTAINS(haystack, needle)                                     \
    do {                                                                     \
        const char *ts_h_ = (haystack);                                      \
        const char *ts_n_ = (needle);                                        \
        if (ts_h_ == NULL || strstr(ts_h_, ts_n_) == NULL)                   \
            ts_check_fail_(__FILE__, __LINE__,                               \
                           "%s contains \"%s\": got \"%s\"", #haystack,      \
                           ts_n_, ts_h_ ? ts_h_ : "(null)");                 \
    } while (0)

/* Byte-wise equality of len bytes; prints the first differing offset. */
#define CHECK_EQ_MEM(actual, expected, len)                                  \
    do {                                                                     \
        const unsigned char *ts_a_ = (const unsigned char *)(actual);        \
        const unsigned char *ts_e_ = (const unsigned char *)(expected);      \
        size_t ts_n_ = (size_t)(len);                                        \
        for (size_t ts_i_ = 0; ts_i_ < ts_n_; ts_i_++)                       \
            if (ts_a_[ts_i_] != ts_e_[ts_i_])                                \
                ts_check_fail_(__FILE__, __LINE__,                           \
                               "%s == %s (%zu bytes): first difference at "  \
                               "offset %zu: 0x%02x vs 0x%02x", #actual,      \
                               #expected, ts_n_, ts_i_, ts_a_[ts_i_],        \
                               ts_e_[ts_i_]);                                \
    } while (0)

/* Fails if ptr is NULL (allocation results, lookups). */
#define CHECK_NOT_NULL(ptr) CHECK((ptr) != NULL)

#endif /* BGCOPY_TEST_CHECK_H */
