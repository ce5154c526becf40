/* platform.c - OS services libuv lacks (see platform.h). */
#include "platform.h"

#include <uv.h>

#ifdef _WIN32
#include <stdlib.h>
#include <windows.h>

int bgc_platform_set_hidden(const char *path, int hidden)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
    if (n <= 0)
        return UV_EINVAL;
    WCHAR *w = malloc((size_t)n * sizeof *w);
    if (!w)
        return UV_ENOMEM;
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, w, n);
    int rc = UV_EIO;
    DWORD attr = GetFileAttributesW(w);
    if (attr != INVALID_FILE_ATTRIBUTES) {
        DWORD want = hidden ? (attr | FILE_ATTRIBUTE_HIDDEN) : (attr & ~(DWORD)FILE_ATTRIBUTE_HIDDEN);
        /* No attribute left means "normal", which SetFileAttributes spells
         * FILE_ATTRIBUTE_NORMAL. */
        if (want == 0)
            want = FILE_ATTRIBUTE_NORMAL;
        rc = want == attr || SetFileAttributesW(w, want) ? 0 : UV_EIO;
    }
    free(w);
    return rc;
}

#else

int bgc_platform_set_hidden(const char *path, int hidden)
{
    (void)path;
    (void)hidden;
    return 0;
}

#endif
