/*
 * enum_cursor.h - the cursor behind every IEnum* object: a fixed count of
 * elements, a position guarded by a mutex (one enumerator may be shared
 * between threads), and the Next/Skip/Reset rules of COM enumerators.
 * Each enumerator keeps its own typed element creation (make/drop).
 */
#ifndef BGC_ENUM_CURSOR_H
#define BGC_ENUM_CURSOR_H

#include "compat_objects.h"

#include <stddef.h>

typedef struct bgc_cursor {
    uv_mutex_t lock;             /* guards pos */
    size_t pos;
    size_t count;                /* fixed at creation */
} bgc_cursor;

/* 0, or -1 when the mutex cannot be created. */
int bgc_cursor_init(bgc_cursor *c, size_t count, size_t pos);
void bgc_cursor_destroy(bgc_cursor *c);

/* Makes element |index| in slot |slot| of the caller's output array. */
typedef HRESULT (*bgc_cursor_make_fn)(void *ctx, size_t index, ULONG slot);
/* Releases the element in slot |slot| and clears the slot. */
typedef void (*bgc_cursor_drop_fn)(void *ctx, ULONG slot);

/* IEnum*::Next: up to |celt| elements from the position on.  S_OK when
 * celt were returned, S_FALSE when fewer remained.  E_INVALIDARG when the
 * output array is missing (have_out 0) or pceltFetched is NULL with celt
 * != 1.  When make fails, the elements made so far are dropped, the cursor
 * does not move and make's HRESULT is returned. */
HRESULT bgc_cursor_next(bgc_cursor *c, ULONG celt, int have_out, ULONG *pceltFetched,
                        bgc_cursor_make_fn make, bgc_cursor_drop_fn drop, void *ctx);

/* IEnum*::Skip: S_OK, or S_FALSE (cursor at the end) when fewer than celt
 * elements remained. */
HRESULT bgc_cursor_skip(bgc_cursor *c, ULONG celt);

/* IEnum*::Reset. */
void bgc_cursor_reset(bgc_cursor *c);

/* The position now (for Clone). */
size_t bgc_cursor_position(bgc_cursor *c);

#endif
