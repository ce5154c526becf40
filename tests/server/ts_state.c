/*
 * ts_state.c - the little state the server keeps across requests: how many
 * body bytes it has served per request target, so that change=N can make a
 * resource "change on the server" after N bytes, as a file being replaced
 * while clients download it.
 *
 * Keyed by the exact request target (query included); tests that want fresh
 * state use a new target, e.g. by adding id=<anything>.  Entries live until
 * the server exits (a test server sees few distinct targets).
 */
#include "testserver.h"

#include <stdlib.h>
#include <string.h>
#include <uv.h>

struct ts_target_state {
    struct ts_target_state *next;
    uint64_t served; /* body bytes sent for this target, all requests */
    char target[];
};

static uv_once_t g_state_once = UV_ONCE_INIT;
static uv_mutex_t g_state_lock;
static ts_target_state *g_states;

static void init_lock(void)
{
    if (uv_mutex_init(&g_state_lock) != 0)
        abort();
}

static void lock(void)
{
    uv_once(&g_state_once, init_lock);
    uv_mutex_lock(&g_state_lock);
}

ts_target_state *ts_state_get(const char *target)
{
    lock();
    ts_target_state *st = g_states;
    while (st != NULL && strcmp(st->target, target) != 0)
        st = st->next;
    if (st == NULL) {
        size_t n = strlen(target) + 1;
        st = calloc(1, sizeof *st + n);
        if (st != NULL) {
            memcpy(st->target, target, n);
            st->next = g_states;
            g_states = st;
        }
    }
    uv_mutex_unlock(&g_state_lock);
    return st;
}

uint64_t ts_state_served(ts_target_state *st)
{
    lock();
    uint64_t v = st->served;
    uv_mutex_unlock(&g_state_lock);
    return v;
}

uint64_t ts_state_add(ts_target_state *st, uint64_t n)
{
    lock();
    uint64_t before = st->served;
    st->served += n;
    uv_mutex_unlock(&g_state_lock);
    return before;
}

void ts_state_free_all(void)
{
    lock();
    while (g_states != NULL) {
        ts_target_state *next = g_states->next;
        free(g_states);
        g_states = next;
    }
    uv_mutex_unlock(&g_state_lock);
}
