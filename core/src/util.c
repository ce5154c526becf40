/* util.c - small helpers the engine shares: strings, clocks, GUIDs, paths, errno. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *bgc_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* BITS limits count WCHARs; counting code points is the portable reading. */
size_t bgc_utf8_length(const char *s)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra;
        if (*p < 0x80) extra = 0;
        else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2) extra = 1;
        else if ((*p & 0xF0) == 0xE0) extra = 2;
        else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4) extra = 3;
        else return SIZE_MAX;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return SIZE_MAX;
        n++;
    }
    return n;
}

uint64_t bgc_filetime_now(void)
{
    uv_timeval64_t tv;
    if (uv_gettimeofday(&tv) != 0)
        return 0;
    /* 100-ns ticks between 1601-01-01 and 1970-01-01. */
    return (uint64_t)tv.tv_sec * 10000000u + (uint64_t)tv.tv_usec * 10u + 116444736000000000ull;
}

uint64_t bgc_now_ms(bgcopy_manager *m)
{
    if (m->clock_ms)
        return m->clock_ms(m->clock_ctx);
    return uv_hrtime() / 1000000u;
}

int bgc_is_final(bgcopy_job_state s)
{
    return s == BGCOPY_JOB_STATE_CANCELLED || s == BGCOPY_JOB_STATE_ACKNOWLEDGED;
}

int bgc_is_active(bgcopy_job_state s)
{
    return s == BGCOPY_JOB_STATE_QUEUED || s == BGCOPY_JOB_STATE_CONNECTING ||
           s == BGCOPY_JOB_STATE_TRANSFERRING;
}

/* Win32 error numbers for the errno values local file work produces. */
bgcopy_hr bgc_hr_from_errno(int err)
{
    switch (err) {
    case 0: return BGCOPY_S_OK;
    case ENOENT: return BGCOPY_E_PATH_NOT_FOUND;
    case ENOTDIR: return BGCOPY_E_PATH_NOT_FOUND;
    case EACCES:
    case EPERM:
    case EROFS: return BGCOPY_E_ACCESSDENIED;
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return BGCOPY_E_DISK_FULL;
    case EEXIST: return BGCOPY_HRESULT_FROM_WIN32(183);     /* ERROR_ALREADY_EXISTS */
    case EISDIR: return BGCOPY_HRESULT_FROM_WIN32(267);     /* ERROR_DIRECTORY */
    case ENAMETOOLONG: return BGCOPY_HRESULT_FROM_WIN32(206); /* ERROR_FILENAME_EXCED_RANGE */
    case ENOMEM: return BGCOPY_E_OUTOFMEMORY;
    case EBUSY:
    case ETXTBSY: return BGCOPY_HRESULT_FROM_WIN32(32);     /* ERROR_SHARING_VIOLATION */
    case EIO: return BGCOPY_HRESULT_FROM_WIN32(29);         /* ERROR_WRITE_FAULT */
    case EINVAL: return BGCOPY_E_INVALIDARG;
    default: return BGCOPY_E_FAIL;
    }
}

bgcopy_hr bgc_new_guid(bgcopy_guid *out)
{
    unsigned char b[16];
    if (uv_random(NULL, NULL, b, sizeof b, 0, NULL) != 0)
        return BGCOPY_E_FAIL;
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    out->data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    out->data2 = (uint16_t)(b[4] << 8 | b[5]);
    out->data3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(out->data4, b + 8, 8);
    return BGCOPY_S_OK;
}

void bgcopy_guid_to_string(const bgcopy_guid *g, char out[39])
{
    snprintf(out, 39, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             (unsigned)g->data1, (unsigned)g->data2, (unsigned)g->data3,
             g->data4[0], g->data4[1], g->data4[2], g->data4[3],
             g->data4[4], g->data4[5], g->data4[6], g->data4[7]);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bgcopy_hr bgcopy_guid_from_string(const char *text, bgcopy_guid *out)
{
    if (!text || !out)
        return BGCOPY_E_INVALIDARG;
    size_t len = strlen(text);
    int braces = len == 38 && text[0] == '{' && text[37] == '}';
    if (!braces && len != 36)
        return BGCOPY_E_INVALIDARG;
    const char *p = text + braces;
    unsigned char b[16];
    int bi = 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (p[i] != '-')
                return BGCOPY_E_INVALIDARG;
            continue;
        }
        int hi = hexval(p[i]), lo = hexval(p[i + 1]);
        if (hi < 0 || lo < 0)
            return BGCOPY_E_INVALIDARG;
        b[bi++] = (unsigned char)(hi << 4 | lo);
        i++;
    }
    out->data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    out->data2 = (uint16_t)(b[4] << 8 | b[5]);
    out->data3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(out->data4, b + 8, 8);
    return BGCOPY_S_OK;
}

/* ".BIT" + 8 hex digits + ".tmp" beside the destination: hidden on POSIX,
 * named like BITS's own BIT*.tmp files.  Uniqueness is enforced with O_EXCL
 * when the file is created; this only proposes a name. */
char *bgc_make_temp_name(const char *local_name)
{
    const char *slash = strrchr(local_name, '/');
    size_t dirlen = slash ? (size_t)(slash - local_name) + 1 : 0;
    unsigned char r[4];
    if (uv_random(NULL, NULL, r, sizeof r, 0, NULL) != 0)
        return NULL;
    char *out = malloc(dirlen + 18);
    if (!out)
        return NULL;
    memcpy(out, local_name, dirlen);
    snprintf(out + dirlen, 18, ".BIT%02X%02X%02X%02X.tmp", r[0], r[1], r[2], r[3]);
    return out;
}

char *bgc_local_path_of(const char *remote_url)
{
    if (remote_url[0] == '/')
        return bgc_strdup(remote_url);
    if (strncasecmp(remote_url, "file://", 7) == 0) {
        const char *p = remote_url + 7;
        if (strncasecmp(p, "localhost/", 10) == 0)
            p += 9;
        if (*p != '/')
            return NULL;
        /* Percent-decoding keeps paths with spaces usable. */
        char *out = malloc(strlen(p) + 1), *o = out;
        if (!out)
            return NULL;
        for (; *p; p++) {
            if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
                *o++ = (char)(hexval(p[1]) << 4 | hexval(p[2]));
                p += 2;
            } else {
                *o++ = *p;
            }
        }
        *o = 0;
        return out;
    }
    return NULL;
}

void bgcopy_free(void *p)
{
    free(p);
}
