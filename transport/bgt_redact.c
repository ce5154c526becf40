/* bgt_redact.c - URLs for display: the password replaced by "***" (see
 * bgt.h, bgt_url_redact). */
#include "bgt.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define MASK "***"

static char *copy_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* For text curl cannot parse: the authority is what follows "://" (or the
 * start when there is none) up to '/', '\', '?' or '#'; when it holds an
 * '@', everything before its last '@' may be a user and password, and all
 * of it is replaced.  Local paths (no '@' before their first separator)
 * come back unchanged. */
static char *redact_unparsed(const char *url)
{
    const char *sep = strstr(url, "://");
    const char *auth = sep ? sep + 3 : url;
    size_t auth_len = strcspn(auth, "/\\?#");
    const char *at = NULL;
    for (const char *p = auth; p < auth + auth_len; p++)
        if (*p == '@')
            at = p;
    if (!at)
        return copy_n(url, strlen(url));
    size_t head = (size_t)(auth - url), tail = strlen(at);
    char *d = malloc(head + sizeof MASK - 1 + tail + 1);
    if (d) {
        memcpy(d, url, head);
        memcpy(d + head, MASK, sizeof MASK - 1);
        memcpy(d + head + sizeof MASK - 1, at, tail + 1);
    }
    return d;
}

char *bgt_url_redact(const char *url)
{
    CURLU *u = curl_url();
    if (!u)
        return NULL;
    char *out = NULL;
    char *password = NULL;
    /* Any scheme (a URL the transport would refuse is still shown), the
     * path as written. */
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS);
    if (rc == CURLUE_OUT_OF_MEMORY)
        goto done;
    if (rc != CURLUE_OK) {
        out = redact_unparsed(url);
        goto done;
    }
    rc = curl_url_get(u, CURLUPART_PASSWORD, &password, 0);
    if (rc == CURLUE_OUT_OF_MEMORY)
        goto done;
    if (rc != CURLUE_OK || password[0] == '\0') {
        /* Nothing secret: shown exactly as the caller wrote it. */
        out = copy_n(url, strlen(url));
        goto done;
    }
    char *shown = NULL;
    if (curl_url_set(u, CURLUPART_PASSWORD, MASK, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &shown, 0) == CURLUE_OK) {
        out = copy_n(shown, strlen(shown));
        curl_free(shown);
    }
done:
    curl_free(password);
    curl_url_cleanup(u);
    return out;
}
