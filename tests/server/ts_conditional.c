/*
 * ts_conditional.c - the conditional request headers a resuming download
 * client sends (RFC 9110 §13): If-Range, and If-Unmodified-Since or its
 * pre-standard twin Unless-Modified-Since (which Microsoft's BITS sends).
 * With change= these let tests see what a client does when the resource
 * changed between two requests.
 */
#include "testserver.h"

#include <string.h>
#include <time.h>

/* Parses an IMF-fixdate ("Tue, 14 Nov 2023 22:13:20 GMT"); -1 if malformed. */
static int64_t parse_http_date(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == NULL || *end != '\0')
        return -1;
    return (int64_t)timegm(&tm);
}

int ts_if_range_allows(const char *if_range, const char *etag, const char *last_modified)
{
    if (if_range == NULL)
        return 1;
    if (if_range[0] == '"' || strncmp(if_range, "W/", 2) == 0)
        return strcmp(if_range, etag) == 0; /* strong comparison; W/ never matches */
    return strcmp(if_range, last_modified) == 0;
}

int ts_unmodified_since_fails(const char *value, int64_t mtime)
{
    if (value == NULL)
        return 0;
    int64_t since = parse_http_date(value);
    if (since < 0)
        return 0; /* RFC 9110: ignore an invalid date */
    return mtime > since;
}
