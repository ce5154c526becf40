/*
 * wait.c - waiting for state that has no event to wait on, and the clock
 * tests measure with.  libuv's clock and sleep: the same on Linux and
 * Windows.
 */
#include "harness.h"

#include <uv.h>

uint64_t ts_now_ms(void)
{
    return uv_hrtime() / 1000000u;
}

void ts_sleep_ms(unsigned ms)
{
    uv_sleep(ms);
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
        uv_sleep(1);
    }
}
