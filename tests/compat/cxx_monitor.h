/*
 * cxx_monitor.h - a mutex + condition variable for the C++ tests, on libuv.
 *
 * Debian's mingw-w64 g++ (win32 thread model, GCC 12) has no std::mutex,
 * std::condition_variable or std::thread, so the C++ tests use libuv's,
 * which the library links anyway.  Include it before <windows.h>: uv.h
 * needs <winsock2.h> first.
 */
#ifndef BGCOPY_TESTS_CXX_MONITOR_H
#define BGCOPY_TESTS_CXX_MONITOR_H

#include <uv.h>

#include <cstdint>
#include <cstdlib>

class Monitor
{
    uv_mutex_t m_mutex;
    uv_cond_t m_cond;

public:
    Monitor()
    {
        if (uv_mutex_init(&m_mutex) != 0 || uv_cond_init(&m_cond) != 0)
            std::abort();
    }
    ~Monitor()
    {
        uv_cond_destroy(&m_cond);
        uv_mutex_destroy(&m_mutex);
    }
    Monitor(const Monitor &) = delete;
    Monitor &operator=(const Monitor &) = delete;

    void lock() { uv_mutex_lock(&m_mutex); }
    void unlock() { uv_mutex_unlock(&m_mutex); }
    void notify_all() { uv_cond_broadcast(&m_cond); }

    /* With the lock held: wait until pred() is true (true) or |ms|
     * milliseconds have passed (false). */
    template <class Pred> bool wait_for(unsigned ms, Pred pred)
    {
        const uint64_t end = uv_hrtime() + (uint64_t)ms * 1000000u;
        while (!pred()) {
            const uint64_t now = uv_hrtime();
            if (now >= end)
                return false;
            (void)uv_cond_timedwait(&m_cond, &m_mutex, end - now);
        }
        return true;
    }
};

/* Holds a Monitor's lock for the scope. */
class MonitorGuard
{
    Monitor &m_monitor;

public:
    explicit MonitorGuard(Monitor &m) : m_monitor(m) { m_monitor.lock(); }
    ~MonitorGuard() { m_monitor.unlock(); }
    MonitorGuard(const MonitorGuard &) = delete;
    MonitorGuard &operator=(const MonitorGuard &) = delete;
};

#endif /* BGCOPY_TESTS_CXX_MONITOR_H */
