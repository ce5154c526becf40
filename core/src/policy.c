/*
 * policy.c - the Group Policy settings bgcopy enforces (docs/policy.md):
 * MaxJobsPerUser, MaxFilesPerJob, MaxRangesPerFile, JobInactivityTimeout.
 *
 * BITS reads them from the registry; bgcopy reads INI files, parsed by
 * Debian's inih on POSIX and by the system's own INI reader
 * (GetPrivateProfileStringW) on Windows, where inih is not a dependency
 * the Windows build can get (docs/policy.md): the machine-wide file, then
 * the user's, each key of the machine
 * file winning over the user's (as machine policy wins on Windows), or one
 * file named by bgcopy_manager_options.policy_file.  The result is fixed
 * when the manager opens (m->policy is never written afterwards, so it is
 * read without m->lock).
 *
 * The files are untrusted-ish input (a user's config directory): at most
 * BGC_POLICY_MAX_BYTES, regular files only, every value bounded.
 */
#include "internal.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <ini.h>
#endif
#include <stdlib.h>
#include <string.h>

#define BGC_POLICY_MAX_BYTES 65536

/* bgcopy's bounds for each value (docs/policy.md). */
#define MAX_COUNT 999999u
#define MAX_DAYS 999u

void bgc_policy_defaults(bgcopy_policy *p)
{
    p->max_jobs_per_user = BGCOPY_MAX_JOBS_PER_USER;
    p->max_files_per_job = BGCOPY_MAX_FILES_PER_JOB;
    p->max_ranges_per_file = BGCOPY_MAX_RANGES_PER_FILE;
    p->job_inactivity_timeout_days = BGCOPY_JOB_INACTIVITY_TIMEOUT_DAYS;
}

static int equal_nocase(const char *a, const char *b)
{
    size_t n = strlen(b);
    return strlen(a) == n && bgt_ascii_ncasecmp(a, b, n) == 0;
}

/* Decimal digits only, 1..max: 0 and *out, or -1. */
static int parse_count(const char *v, uint32_t max, uint32_t *out)
{
    uint64_t x = 0;
    if (!*v)
        return -1;
    for (; *v; v++) {
        if (*v < '0' || *v > '9')
            return -1;
        x = x * 10 + (uint64_t)(*v - '0');
        if (x > max)
            return -1;
    }
    if (x == 0)
        return -1;
    *out = (uint32_t)x;
    return 0;
}

/* One key=value of section [BITS]: nonzero = the pair was good (an
 * unknown key is good: newer, or not enforced). */
static int on_key(bgcopy_policy *p, const char *name, const char *value)
{
    uint32_t *field = NULL, max = MAX_COUNT;
    if (equal_nocase(name, "MaxJobsPerUser"))
        field = &p->max_jobs_per_user;
    else if (equal_nocase(name, "MaxFilesPerJob"))
        field = &p->max_files_per_job;
    else if (equal_nocase(name, "MaxRangesPerFile"))
        field = &p->max_ranges_per_file;
    else if (equal_nocase(name, "JobInactivityTimeout")) {
        field = &p->job_inactivity_timeout_days;
        max = MAX_DAYS;
    } else
        return 1;                            /* unknown keys: newer or not enforced */
    uint32_t v;
    if (parse_count(value, max, &v) != 0)
        return 0;                            /* the key keeps its earlier value */
    *field = v;
    return 1;
}

#ifndef _WIN32
/* inih's handler: nonzero = the line was good. */
static int on_pair(void *user, const char *section, const char *name, const char *value)
{
    if (!equal_nocase(section, "BITS"))
        return 1;                            /* other sections: not ours */
    return on_key(user, name, value);
}

/* Parse |text|: 0 when every line was good. */
static int parse_text(const char *path, const char *text, bgcopy_policy *p)
{
    (void)path;
    return ini_parse_string(text, on_pair, p);
}
#else
/* The system's INI reader looks up each key by itself, so lines it cannot
 * read are skipped rather than reported (docs/policy.md): only the values
 * are checked.  |text| was read only for the checks of read_small_file. */
static int parse_text(const char *path, const char *text, bgcopy_policy *p)
{
    static const char *const keys[] = {"MaxJobsPerUser", "MaxFilesPerJob", "MaxRangesPerFile",
                                       "JobInactivityTimeout"};
    (void)text;
    wchar_t wpath[1024];
    if (!MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, wpath, 1024))
        return -1;
    int bad = 0;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        wchar_t wkey[32], wval[64];
        char val[64];
        MultiByteToWideChar(CP_UTF8, 0, keys[i], -1, wkey, 32);
        /* A default no file can hold tells "absent" from "empty". */
        DWORD n = GetPrivateProfileStringW(L"BITS", wkey, L"\x01", wval, 64, wpath);
        if (n == 1 && wval[0] == 1)
            continue;
        if (n >= 63 || !WideCharToMultiByte(CP_UTF8, 0, wval, -1, val, sizeof val, NULL, NULL))
            val[0] = 'x', val[1] = '\0';    /* too long, or not text: a bad value */
        if (!on_key(p, keys[i], val))
            bad = 1;
    }
    return bad;
}
#endif

/* Read |path| (a regular file of at most BGC_POLICY_MAX_BYTES) into a
 * NUL-terminated buffer: 0, *out and its length *len, or a negative libuv
 * error; UV_EFBIG when too large, UV_EINVAL when not a regular file. */
static int read_small_file(const char *path, char **out, size_t *len)
{
    uv_fs_t req;
    /* NONBLOCK: a FIFO put in place of the file must not hang the open. */
    int fd = uv_fs_open(NULL, &req, path, UV_FS_O_RDONLY | UV_FS_O_NONBLOCK, 0, NULL);
    uv_fs_req_cleanup(&req);
    if (fd < 0)
        return fd;
    int rc = uv_fs_fstat(NULL, &req, fd, NULL);
    uint64_t mode = req.statbuf.st_mode, size = req.statbuf.st_size;
    uv_fs_req_cleanup(&req);
    char *buf = NULL;
    if (rc == 0 && (mode & S_IFMT) != S_IFREG)
        rc = UV_EINVAL;
    if (rc == 0 && size > BGC_POLICY_MAX_BYTES)
        rc = UV_EFBIG;
    if (rc == 0 && !(buf = malloc(BGC_POLICY_MAX_BYTES + 2)))
        rc = UV_ENOMEM;
    size_t have = 0;
    while (rc == 0) {
        uv_buf_t b = uv_buf_init(buf + have, (unsigned)(BGC_POLICY_MAX_BYTES + 1 - have));
        int n = uv_fs_read(NULL, &req, fd, &b, 1, -1, NULL);
        uv_fs_req_cleanup(&req);
        if (n < 0)
            rc = n;
        else if (n == 0)
            break;
        else if ((have += (size_t)n) > BGC_POLICY_MAX_BYTES)
            rc = UV_EFBIG;                   /* grew since the fstat */
    }
    uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    buf[have] = '\0';
    *out = buf;
    *len = have;
    return 0;
}

/* Apply |path| over *p.  strict: any problem is an error (a file the caller
 * named); else a missing or unreadable file changes nothing and a bad line
 * only loses its own key.  0 or -1. */
static int apply_file(const char *path, int strict, bgcopy_policy *p)
{
    char *text = NULL;
    size_t len = 0;
    if (read_small_file(path, &text, &len) != 0)
        return strict ? -1 : 0;
    /* A NUL byte would end the text early without a word: an error. */
    int bad = memchr(text, '\0', len) != NULL;
    bgcopy_policy tmp = *p;
    int line = parse_text(path, text, &tmp);
    free(text);
    if (strict && (line != 0 || bad))
        return -1;
    *p = tmp;
    return 0;
}

int bgc_policy_load(const char *explicit_file, bgcopy_policy *out)
{
    bgc_policy_defaults(out);
    if (explicit_file)
        return apply_file(explicit_file, 1, out);
    /* The user's first, then the machine's: the machine's keys win. */
    char *user = bgc_config_path(0), *machine = bgc_config_path(1);
    if (user)
        (void)apply_file(user, 0, out);
    if (machine)
        (void)apply_file(machine, 0, out);
    free(user);
    free(machine);
    return 0;
}

bgcopy_hr bgcopy_manager_get_policy(bgcopy_manager *m, bgcopy_policy *out)
{
    if (!m || !out)
        return BGCOPY_E_INVALIDARG;
    *out = m->policy;                        /* fixed since open */
    return BGCOPY_S_OK;
}

bgcopy_hr bgcopy_job_get_policy(bgcopy_job *job, bgcopy_policy *out)
{
    if (!job || !out)
        return BGCOPY_E_INVALIDARG;
    *out = job->m->policy;
    return BGCOPY_S_OK;
}
