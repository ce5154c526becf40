/* util.c - small helpers the engine shares: strings, clocks, GUIDs, paths,
 * file error codes, the default state directory. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h> /* S_IFMT for libuv's st_mode, on Windows too */

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

/* BITS limits count WCHARs; counting code points is the portable reading.
 * Well-formed means RFC 3629 (Unicode table 3-7): overlong forms (an
 * overlong "/" is E0 80 AF), UTF-16 surrogates and code points above
 * U+10FFFF are refused, because no UTF-16 string (what BITS stores) has them
 * and a later conversion would turn them into something else. */
size_t bgc_utf8_length(const char *s)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra;
        unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
        if (*p < 0x80) extra = 0;
        else if (*p >= 0xC2 && *p <= 0xDF) extra = 1;
        else if (*p >= 0xE0 && *p <= 0xEF) extra = 2;
        else if (*p >= 0xF0 && *p <= 0xF4) extra = 3;
        else return SIZE_MAX;
        if (*p == 0xE0) lo = 0xA0;      /* below: overlong */
        else if (*p == 0xED) hi = 0x9F; /* above: surrogates */
        else if (*p == 0xF0) lo = 0x90; /* below: overlong */
        else if (*p == 0xF4) hi = 0x8F; /* above: beyond U+10FFFF */
        p++;
        if (extra && (*p < lo || *p > hi))
            return SIZE_MAX;
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

int bgc_is_running(bgcopy_job_state s)
{
    return s == BGCOPY_JOB_STATE_CONNECTING || s == BGCOPY_JOB_STATE_TRANSFERRING;
}

/* Win32 error numbers for the errors local file work produces.  |err| is a
 * libuv error code negated (on POSIX that is errno), so one table serves
 * both platforms: libuv already mapped Windows' own errors to these. */
bgcopy_hr bgc_hr_from_errno(int err)
{
    switch (err) {
    case 0: return BGCOPY_S_OK;
    case -UV_ENOENT: return BGCOPY_E_PATH_NOT_FOUND;
    case -UV_ENOTDIR: return BGCOPY_E_PATH_NOT_FOUND;
    case -UV_EACCES:
    case -UV_EPERM:
    case -UV_EROFS: return BGCOPY_E_ACCESSDENIED;
    case -UV_ENOSPC:
#if !defined(_WIN32) && defined(EDQUOT)
    case EDQUOT:  /* libuv passes errnos it has no name for through as -errno */
#endif
        return BGCOPY_E_DISK_FULL;
    case -UV_EEXIST: return BGCOPY_HRESULT_FROM_WIN32(183);     /* ERROR_ALREADY_EXISTS */
    case -UV_EISDIR: return BGCOPY_HRESULT_FROM_WIN32(267);     /* ERROR_DIRECTORY */
    case -UV_ENAMETOOLONG: return BGCOPY_HRESULT_FROM_WIN32(206); /* ERROR_FILENAME_EXCED_RANGE */
    case -UV_ENOMEM: return BGCOPY_E_OUTOFMEMORY;
    case -UV_EBUSY:
    case -UV_ETXTBSY: return BGCOPY_HRESULT_FROM_WIN32(32);     /* ERROR_SHARING_VIOLATION */
    case -UV_EIO: return BGCOPY_HRESULT_FROM_WIN32(29);         /* ERROR_WRITE_FAULT */
    case -UV_EINVAL: return BGCOPY_E_INVALIDARG;
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

/* BITS's own name, "BIT" + hex digits + ".tmp", beside the destination (the
 * directory part ends at either separator on Windows).  Hidden as each
 * platform hides: a leading dot on POSIX (".BIT1A2B3C4D.tmp"), the hidden
 * attribute on Windows ("BIT1A2B3C4D.tmp", set when the file is created).
 * Uniqueness is enforced with an exclusive create; this only proposes a
 * name. */
char *bgc_make_temp_name(const char *local_name)
{
#ifdef _WIN32
#define TEMP_HIDE_PREFIX ""
#else
#define TEMP_HIDE_PREFIX "."
#endif
    const char *slash = bgt_path_last_sep(local_name);
    size_t dirlen = slash ? (size_t)(slash - local_name) + 1 : 0;
    unsigned char r[4];
    if (uv_random(NULL, NULL, r, sizeof r, 0, NULL) != 0)
        return NULL;
    char *out = malloc(dirlen + 18);
    if (!out)
        return NULL;
    memcpy(out, local_name, dirlen);
    snprintf(out + dirlen, 18, TEMP_HIDE_PREFIX "BIT%02X%02X%02X%02X.tmp", r[0], r[1], r[2], r[3]);
    return out;
}

/* One parser for every remote name (bgt_url_parse), so a name accepted
 * here is fetched by the transport as the same thing.  A local source that
 * exists must be a regular file: a FIFO or device would block or never end
 * a copy.  stat opens nothing, so it cannot block on a FIFO; a source that
 * changes later is checked again by the transport (bgt_local.c). */
bgcopy_hr bgc_check_remote_name(const char *remote_name, int *is_http)
{
    char *path = NULL;
    int kind = bgt_url_parse(remote_name, &path);
    *is_http = kind == BGT_URL_HTTP;
    if (kind == UV_ENOMEM)
        return BGCOPY_E_OUTOFMEMORY;
    if (kind < 0)
        return BGCOPY_E_INVALIDARG;
    bgcopy_hr hr = BGCOPY_S_OK;
    if (kind == BGT_URL_LOCAL) {
        uv_fs_t req;
        /* A missing or unreadable source is allowed here, as in BITS: it
         * may exist by the time the job runs. */
        if (uv_fs_stat(NULL, &req, path, NULL) == 0 &&
            (req.statbuf.st_mode & S_IFMT) != S_IFREG)
            hr = BGCOPY_E_INVALIDARG;
        uv_fs_req_cleanup(&req);
    }
    free(path);
    return hr;
}

/* dir, then middle (if not empty), then "bgcopy", joined with the
 * platform's separator; malloc'ed, NULL when out of memory. */
static char *join_bgcopy(const char *dir, const char *middle)
{
#ifdef _WIN32
    const char sep = '\\';
#else
    const char sep = '/';
#endif
    size_t n = strlen(dir);
    while (n > 1 && bgt_path_is_sep(dir[n - 1]))
        n--;
    size_t m = strlen(middle);
    char *out = malloc(n + m + 9);
    if (!out)
        return NULL;
    memcpy(out, dir, n);
    char *o = out + n;
    *o++ = sep;
    if (m) {
        memcpy(o, middle, m);
        o += m;
        *o++ = sep;
    }
    memcpy(o, "bgcopy", 7);
    return out;
}

/* Reads an environment variable into a malloc'ed string; NULL if unset,
 * empty or not absolute. */
static char *abs_env(const char *name)
{
    char small[512];
    size_t len = sizeof small;
    int rc = uv_os_getenv(name, small, &len);
    if (rc == UV_ENOBUFS) {
        char *big = malloc(len);
        if (!big)
            return NULL;
        if (uv_os_getenv(name, big, &len) != 0 || !bgt_path_is_absolute(big)) {
            free(big);
            return NULL;
        }
        return big;
    }
    if (rc != 0 || !bgt_path_is_absolute(small))
        return NULL;
    return bgc_strdup(small);
}

char *bgc_default_state_dir(void)
{
    /* BGCOPY_STATE_DIR names the queue directory itself (docs/persistence.md):
     * wine replaces LOCALAPPDATA with its profile's, so tests under wine
     * give each test its own queue through this variable. */
    char *own = abs_env("BGCOPY_STATE_DIR");
    if (own)
        return own;
#ifdef _WIN32
    static const char *const env = "LOCALAPPDATA", *const below_home = "AppData\\Local";
#else
    static const char *const env = "XDG_STATE_HOME", *const below_home = ".local/state";
#endif
    char *base = abs_env(env);
    if (base) {
        char *out = join_bgcopy(base, "");
        free(base);
        return out;
    }
    char home[1024];
    size_t len = sizeof home;
    if (uv_os_homedir(home, &len) != 0 || !bgt_path_is_absolute(home))
        return NULL;
    return join_bgcopy(home, below_home);
}

char *bgc_config_path(int machine)
{
#ifdef _WIN32
    const char *env = machine ? "PROGRAMDATA" : "APPDATA";
    const char *below_home = machine ? NULL : "AppData\\Roaming";
    const char *fixed = NULL;
    static const char *const file = "\\bgcopy.conf";
#else
    const char *env = machine ? NULL : "XDG_CONFIG_HOME";
    const char *below_home = ".config";
    const char *fixed = machine ? "/etc" : NULL;
    static const char *const file = "/bgcopy.conf";
#endif
    char *dir = NULL;
    char *base = env ? abs_env(env) : NULL;
    if (fixed)
        dir = join_bgcopy(fixed, "");
    else if (base)
        dir = join_bgcopy(base, "");
    else if (below_home) {
        char home[1024];
        size_t len = sizeof home;
        if (uv_os_homedir(home, &len) == 0 && bgt_path_is_absolute(home))
            dir = join_bgcopy(home, below_home);
    }
    free(base);
    if (!dir)
        return NULL;
    size_t n = strlen(dir), f = strlen(file);
    char *out = realloc(dir, n + f + 1);
    if (!out) {
        free(dir);
        return NULL;
    }
    memcpy(out + n, file, f + 1);
    return out;
}

void bgcopy_free(void *p)
{
    free(p);
}
