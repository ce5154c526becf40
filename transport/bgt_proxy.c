/*
 * bgt_proxy.c - BITS's OVERRIDE proxy settings (a proxy list and a bypass
 * list in WinHTTP's syntax) turned into the one proxy libcurl uses for a
 * request (see bgt.h, bgt_proxy_pick, and docs/http.md, "Proxies").
 *
 * Every byte of both lists comes from a client, and the result is handed
 * to libcurl, so each proxy entry goes through libcurl's URL parser and is
 * rebuilt from its scheme, host and port only.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "bgt.h"

#define SEPARATORS " \t\r\n;,"

/* Next list item: skips separators, returns its start and sets *len (0 at
 * the end). */
static const char *next_item(const char **cur, size_t *len)
{
    const char *p = *cur + strspn(*cur, SEPARATORS);
    *len = strcspn(p, SEPARATORS);
    *cur = p + *len;
    return p;
}

static int item_is(const char *p, size_t n, const char *word)
{
    return strlen(word) == n && bgt_ascii_ncasecmp(p, word, n) == 0;
}

/* The URL's scheme and host (lower case as curl gives them; an IPv6 host
 * keeps its brackets). */
static int url_parts(const char *url, char **scheme, char **host)
{
    CURLU *u = curl_url();
    int rc = UV_EINVAL;
    *scheme = *host = NULL;
    if (u == NULL)
        return UV_ENOMEM;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, host, 0) == CURLUE_OK)
        rc = 0;
    curl_url_cleanup(u);
    if (rc != 0) {
        curl_free(*scheme);
        curl_free(*host);
        *scheme = *host = NULL;
    }
    return rc;
}

/* 127.0.0.0/8 written as a dotted quad, or [::1]. */
static int is_loopback(const char *host)
{
    if (strcmp(host, "[::1]") == 0)
        return 1;
    if (strncmp(host, "127.", 4) != 0)
        return 0;
    for (const char *p = host; *p; p++)
        if (!(*p == '.' || (*p >= '0' && *p <= '9')))
            return 0;
    return 1;
}

static int bypassed(const char *host, const char *list)
{
    const char *cur = list;
    size_t n, hl = strlen(host);
    for (const char *p = next_item(&cur, &n); n > 0; p = next_item(&cur, &n)) {
        if (item_is(p, n, "<local>")) {
            if (strchr(host, '.') == NULL || is_loopback(host))
                return 1;
        } else if (p[0] == '*') {
            /* Leading wildcard only: the host ends with the rest. */
            if (n - 1 <= hl && bgt_ascii_ncasecmp(host + hl - (n - 1), p + 1, n - 1) == 0)
                return 1;
        } else if (n == hl && bgt_ascii_ncasecmp(host, p, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Rebuilds one proxy entry (without its "scheme=") as scheme://host:port;
 * UV_EINVAL when it is anything more than a host and a port. */
static int proxy_url(const char *p, size_t n, char **out)
{
    char *text = malloc(n + sizeof "http://");
    char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *path = NULL, *query = NULL,
         *fragment = NULL;
    CURLU *u = curl_url();
    int rc = UV_EINVAL;
    *out = NULL;
    if (text == NULL || u == NULL) {
        rc = UV_ENOMEM;
        goto done;
    }
    /* WinHTTP's entries name the proxy's own scheme only as "http://" or
     * "https://"; without one the proxy is spoken to in plain HTTP. */
    {
        int has_scheme = 0;
        for (size_t i = 0; i + 3 <= n && !has_scheme; i++)
            has_scheme = memcmp(p + i, "://", 3) == 0;
        size_t off = has_scheme ? 0 : 7;
        memcpy(text, "http://", off);
        memcpy(text + off, p, n);
        text[off + n] = '\0';
    }
    if (curl_url_set(u, CURLUPART_URL, text, 0) != CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
        goto done;
    if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK)
        goto done; /* credentials belong in SetCredentials, never in a list */
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK || strcmp(path, "/") != 0)
        goto done;
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0) == CURLUE_OK)
        goto done;
    {
        size_t len = strlen(scheme) + strlen(host) + strlen(port) + sizeof "://:";
        *out = malloc(len);
        if (*out == NULL) {
            rc = UV_ENOMEM;
            goto done;
        }
        strcpy(*out, scheme);
        strcat(*out, "://");
        strcat(*out, host);
        strcat(*out, ":");
        strcat(*out, port);
        rc = 0;
    }
done:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(user);
    curl_free(path);
    curl_free(query);
    curl_free(fragment);
    curl_url_cleanup(u);
    free(text);
    return rc;
}

int bgt_proxy_pick(const char *url, const char *proxy_list, const char *bypass_list,
                   char **proxy)
{
    char *scheme = NULL, *host = NULL;
    const char *cur, *chosen = NULL, *p;
    size_t n, chosen_len = 0;
    int rc, any = 0, chosen_rank = 0;

    if (proxy == NULL)
        return UV_EINVAL;
    *proxy = NULL;
    if (url == NULL || proxy_list == NULL)
        return UV_EINVAL;
    rc = url_parts(url, &scheme, &host);
    if (rc != 0)
        return rc;
    /* Every entry is checked, used or not: a list is valid or it is not,
     * whatever URL it meets first. */
    cur = proxy_list;
    for (p = next_item(&cur, &n); n > 0; p = next_item(&cur, &n)) {
        const char *eq = memchr(p, '=', n);
        const char *entry = p;
        size_t entry_len = n;
        int rank = 1; /* 2: "<scheme>=" for this URL's scheme; 1: bare; 0: another scheme's */
        char *check;
        any = 1;
        if (eq != NULL) {
            size_t sl = (size_t)(eq - p);
            if (item_is(p, sl, scheme))
                rank = 2;
            else if (item_is(p, sl, "http") || item_is(p, sl, "https") ||
                     item_is(p, sl, "ftp") || item_is(p, sl, "socks"))
                rank = 0;
            else
                goto invalid;
            entry = eq + 1;
            entry_len = n - sl - 1;
            if (rank == 0)
                continue; /* never used for http(s); its syntax is not ours to judge */
        }
        rc = proxy_url(entry, entry_len, &check);
        if (rc == UV_ENOMEM)
            goto done;
        if (rc != 0)
            goto invalid;
        free(check);
        if (rank > chosen_rank) {
            chosen = entry;
            chosen_len = entry_len;
            chosen_rank = rank;
        }
    }
    if (!any)
        goto invalid;
    if (chosen == NULL || (bypass_list != NULL && bypassed(host, bypass_list)))
        *proxy = strdup("");
    else if ((rc = proxy_url(chosen, chosen_len, proxy)) != 0)
        goto done;
    rc = *proxy != NULL ? 0 : UV_ENOMEM;
    goto done;
invalid:
    rc = UV_EINVAL;
done:
    curl_free(scheme);
    curl_free(host);
    return rc;
}
