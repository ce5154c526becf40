/*
 * bgt_url.c - the one parser of remote names, shared by core (AddFile,
 * SetRemoteName, ReplaceRemotePrefix) and the transport (bgt_start), so
 * that what a job accepts is exactly what a transfer can fetch.
 *
 * URLs are parsed by libcurl's URL API, the parser that later sends the
 * request: whatever curl would refuse at transfer time (spaces, CR, LF and
 * other control bytes, a bad host or port) is refused here.  Local path
 * syntax stays in bgt_util.c (bgt_path_is_absolute).  Rules are in
 * docs/http.md ("Remote names").
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "bgt.h"
#include "bgt_internal.h"

/* curl leaves a '%' not followed by two hex digits as it is; a file name
 * spelled that way would be read differently by another parser, so it is
 * refused. */
static int escapes_are_valid(const char *s)
{
    static const char hex[] = "0123456789abcdefABCDEF";
    for (; *s; s++)
        if (*s == '%') {
            if (s[1] == '\0' || s[2] == '\0' || !strchr(hex, s[1]) || !strchr(hex, s[2]))
                return 0;
            s += 2;
        }
    return 1;
}

/* 1 if curl has the part (its value is of no interest). */
static int has_part(CURLU *u, CURLUPart part)
{
    char *v = NULL;
    CURLUcode rc = curl_url_get(u, part, &v, 0);
    curl_free(v);
    return rc == CURLUE_OK;
}

/* The path of the file: URL in u, decoded, as a local full path; or
 * UV_EINVAL / UV_ENOMEM. */
static int file_url_path(CURLU *u, char **out)
{
    char *raw = NULL, *path = NULL, *host = NULL;
    int rc = UV_EINVAL;
    /* A query or fragment means nothing to a file; a file name holding
     * '?' or '#' spells it %3F or %23. */
    if (has_part(u, CURLUPART_QUERY) || has_part(u, CURLUPART_FRAGMENT))
        return UV_EINVAL;
    if (curl_url_get(u, CURLUPART_PATH, &raw, 0) != CURLUE_OK)
        goto done;
    if (!escapes_are_valid(raw))
        goto done;
    /* Refuses %00 (CURLUE_URLDECODE): a C path ends at the first NUL. */
    CURLUcode uc = curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE);
    if (uc == CURLUE_OUT_OF_MEMORY) {
        rc = UV_ENOMEM;
        goto done;
    }
    if (uc != CURLUE_OK)
        goto done;
    /* curl keeps no host for file://, file://localhost/ and
     * file://127.0.0.1/ (this machine).  Another host is refused by curl
     * on POSIX; on Windows curl keeps it as the server of a UNC name. */
    uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    if (uc == CURLUE_OUT_OF_MEMORY) {
        rc = UV_ENOMEM;
        goto done;
    }
    size_t hl = uc == CURLUE_OK && host != NULL ? strlen(host) : 0;
#ifndef _WIN32
    if (hl != 0)
        goto done;
#endif
    const char *p = path;
#ifdef _WIN32
    /* curl 7.88 on Windows keeps the server as the host AND leaves the
     * path as the whole UNC name ("//server/share/f"): then the path is
     * the answer as it stands. */
    if (hl != 0 && p[0] == '/' && p[1] == '/')
        hl = 0;
    /* file:///C:/dir/f names C:/dir/f: that slash belongs to the URL.
     * (curl on Windows may already have dropped it.) */
    if (hl == 0 && p[0] == '/' && p[1] != '\0' && p[2] == ':')
        p++;
#endif
    size_t pl = strlen(p);
    char *res = malloc(hl + pl + 3);
    if (res == NULL) {
        rc = UV_ENOMEM;
        goto done;
    }
    char *o = res;
    if (hl != 0) {
        /* UNC: //server/share/f */
        memcpy(o, "//", 2);
        memcpy(o + 2, host, hl);
        o += hl + 2;
    }
    memcpy(o, p, pl + 1);
    if (!bgt_path_is_absolute(res)) {
        free(res);
        goto done;
    }
    *out = res;
    rc = 0;
done:
    curl_free(raw);
    curl_free(path);
    curl_free(host);
    return rc;
}

int bgt_url_parse(const char *name, char **local_path)
{
    if (local_path != NULL)
        *local_path = NULL;
    if (name == NULL || *name == '\0')
        return UV_EINVAL;
    /* A path first: on Windows "C:\x" would otherwise parse as scheme "c". */
    if (bgt_path_is_absolute(name)) {
        if (local_path != NULL && (*local_path = strdup(name)) == NULL)
            return UV_ENOMEM;
        return BGT_URL_LOCAL;
    }
    CURLU *u = curl_url();
    if (u == NULL)
        return UV_ENOMEM;
    char *scheme = NULL, *path = NULL;
    int rc = UV_EINVAL;
    /* NON_SUPPORT_SCHEME: whether this libcurl build can fetch file: URLs
     * does not matter (local sources are read by bgt_local.c), and another
     * scheme is refused below with the same error.  PATH_AS_IS: "a/../b"
     * is the file system's to resolve (through links), not the URL's. */
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, name, CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS);
    if (uc == CURLUE_OUT_OF_MEMORY)
        rc = UV_ENOMEM;
    if (uc != CURLUE_OK)
        goto done;
    uc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0); /* lower case */
    if (uc != CURLUE_OK) {
        rc = uc == CURLUE_OUT_OF_MEMORY ? UV_ENOMEM : UV_EINVAL;
        goto done;
    }
    if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) {
        rc = has_part(u, CURLUPART_HOST) ? BGT_URL_HTTP : UV_EINVAL;
    } else if (strcmp(scheme, "file") == 0) {
        rc = file_url_path(u, &path);
        if (rc == 0) {
            rc = BGT_URL_LOCAL;
            if (local_path != NULL) {
                *local_path = path;
                path = NULL;
            }
        }
    }
done:
    curl_free(scheme);
    free(path);
    curl_url_cleanup(u);
    return rc;
}

/* Declared in bgt_internal.h (the contract is there).  Resolved the way
 * curl follows a Location (URL-encoding spaces and non-ASCII bytes). */
char *bgt_url_resolve_redirect(const char *base, const char *location)
{
    const unsigned flags = CURLU_URLENCODE | CURLU_ALLOW_SPACE;
    CURLU *u = curl_url();
    char *out = NULL;
    if (u == NULL || base == NULL || location == NULL)
        goto done;
    if (curl_url_set(u, CURLUPART_URL, base, flags) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_URL, location, flags) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK) {
        out = NULL;
        goto done;
    }
    /* The same door as AddFile's: only what a client could have named as
     * an http(s) remote name comes out (a file: target is BGT_URL_LOCAL). */
    if (bgt_url_parse(out, NULL) != BGT_URL_HTTP) {
        curl_free(out);
        out = NULL;
    }
done:
    curl_url_cleanup(u);
    return out;
}
