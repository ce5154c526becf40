/*
 * ts_conditional.c - the conditional request headers a resuming download
 * client sends (RFC 9110 §13): If-Range, and If-Unmodified-Since or its
 * pre-standard twin Unless-Modified-Since (which Microsoft's BITS sends).
 * With change= these let tests see what a client does when the resource
 * changed between two requests.
 */
#include "testserver.h"

#include <ctype.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil); m is 1..12.  By hand: Windows has no timegm. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads exactly n digits at *p. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return 0;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 1;
}

/* Index (0-based) of the 3-letter name at p in names (case-insensitive,
 * as strptime's %a/%b), or -1. */
static int name_index(const char *p, const char *const *names, int count)
{
    for (int i = 0; i < count; i++) {
        int eq = 1;
        for (int k = 0; k < 3 && eq; k++)
            eq = p[k] != '\0' && tolower((unsigned char)p[k]) == tolower((unsigned char)names[i][k]);
        if (eq)
            return i;
    }
    return -1;
}

/* Parses an IMF-fixdate ("Tue, 14 Nov 2023 22:13:20 GMT"); -1 if malformed.
 * By hand: Windows has no strptime. */
static int64_t parse_http_date(const char *s)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const char *p = s;
    if (name_index(p, days, 7) < 0 || p[3] != ',' || p[4] != ' ')
        return -1;
    p += 5;
    int day, year, hh, mm, ss;
    if (!digits(&p, 2, &day) || *p++ != ' ')
        return -1;
    int month = name_index(p, months, 12);
    if (month < 0 || p[3] != ' ')
        return -1;
    p += 4;
    if (!digits(&p, 4, &year) || *p++ != ' ' || !digits(&p, 2, &hh) || *p++ != ':' ||
        !digits(&p, 2, &mm) || *p++ != ':' || !digits(&p, 2, &ss) || strcmp(p, " GMT") != 0)
        return -1;
    if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
        return -1;
    return days_from_civil(year, month + 1, day) * 86400 + hh * 3600 + mm * 60 + ss;
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
