/*
 * wait.c - waiting for state that has no event to wait on, and the clock
 * tests measure with.
 */
#include "harness.h"

#include <errno.h>
#include <time.h>

uint64_t ts_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int ts_wait_until(int (*pred)(void *), void *arg, int timeout_ms)
{
    uint64_t deadline = ts_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        if (pred(arg))
            return 1;
        if (ts_now_ms() >= deadline)
            return pred(arg) ? 1 : 0;
        /* 1 ms keeps latency low without spinning a core. */
        struct timespec d = {0, 1000000};
        while (nanosleep(&d, &d) != 0 && errno == EINTR) {
        }
    }
}
