/* enum_cursor.c - the shared cursor of the IEnum* objects (enum_cursor.h). */
#include "enum_cursor.h"

int bgc_cursor_init(bgc_cursor *c, size_t count, size_t pos)
{
    c->count = count;
    c->pos = pos;
    return uv_mutex_init(&c->lock) == 0 ? 0 : -1;
}

void bgc_cursor_destroy(bgc_cursor *c)
{
    uv_mutex_destroy(&c->lock);
}

HRESULT bgc_cursor_next(bgc_cursor *c, ULONG celt, int have_out, ULONG *pceltFetched,
                        bgc_cursor_make_fn make, bgc_cursor_drop_fn drop, void *ctx)
{
    if (!have_out || (!pceltFetched && celt != 1))
        return E_INVALIDARG;
    if (pceltFetched)
        *pceltFetched = 0;
    uv_mutex_lock(&c->lock);
    ULONG got = 0;
    while (got < celt && c->pos + got < c->count) {
        HRESULT hr = make(ctx, c->pos + got, got);
        if (FAILED(hr)) {
            /* All or nothing: the caller sees no half-filled array. */
            while (got > 0)
                drop(ctx, --got);
            uv_mutex_unlock(&c->lock);
            return hr;
        }
        got++;
    }
    c->pos += got;
    uv_mutex_unlock(&c->lock);
    if (pceltFetched)
        *pceltFetched = got;
    return got == celt ? S_OK : S_FALSE;
}

HRESULT bgc_cursor_skip(bgc_cursor *c, ULONG celt)
{
    HRESULT hr = S_OK;
    uv_mutex_lock(&c->lock);
    if ((size_t)celt > c->count - c->pos) {
        c->pos = c->count;
        hr = S_FALSE;
    } else {
        c->pos += celt;
    }
    uv_mutex_unlock(&c->lock);
    return hr;
}

void bgc_cursor_reset(bgc_cursor *c)
{
    uv_mutex_lock(&c->lock);
    c->pos = 0;
    uv_mutex_unlock(&c->lock);
}

size_t bgc_cursor_position(bgc_cursor *c)
{
    uv_mutex_lock(&c->lock);
    size_t pos = c->pos;
    uv_mutex_unlock(&c->lock);
    return pos;
}
