/*
 * bgt_util.c - the few portable helpers the transport and core share:
 * ASCII case-insensitive compares (strings.h is POSIX-only, and locale-aware
 * strcasecmp is wrong for protocol tokens anyway) and local path syntax,
 * which differs between POSIX and Windows.
 */
#include <string.h>

#include "bgt.h"

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int bgt_ascii_ncasecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = ascii_lower((unsigned char)a[i]), cb = ascii_lower((unsigned char)b[i]);
        if (ca != cb)
            return ca - cb;
        if (ca == 0)
            break;
    }
    return 0;
}

int bgt_ascii_prefix(const char *s, const char *prefix)
{
    return bgt_ascii_ncasecmp(s, prefix, strlen(prefix)) == 0;
}

int bgt_path_is_sep(char c)
{
#ifdef _WIN32
    return c == '/' || c == '\\';
#else
    return c == '/';
#endif
}

int bgt_path_is_absolute(const char *path)
{
    if (path == NULL)
        return 0;
#ifdef _WIN32
    /* "C:\x" and "C:/x"; "C:x" is relative to C:'s current directory and
     * "\x" to the current drive, and BITS wants a full path. */
    if (((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')) &&
        path[1] == ':' && bgt_path_is_sep(path[2]))
        return 1;
    /* UNC "\\server\share\..." (and "\\?\" long paths). */
    return bgt_path_is_sep(path[0]) && bgt_path_is_sep(path[1]) && path[2] != '\0' &&
           !bgt_path_is_sep(path[2]);
#else
    return path[0] == '/';
#endif
}

const char *bgt_path_last_sep(const char *path)
{
    const char *last = NULL;
    for (const char *p = path; *p; p++)
        if (bgt_path_is_sep(*p))
            last = p;
    return last;
}
