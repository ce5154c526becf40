/*
 * ts_routes.c - the server's URL space:
 *   /gen/<size>          generated resource of <size> bytes (no disk)
 *   /files/<rel-path>    a regular file under --root
 * Both take the query options of ts_options.c.
 */
#include "testserver.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

/* Strict decimal: digits only, no sign, no overflow. */
static int parse_size(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0')
        return 0;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s))
            return 0;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

/* 1 if rel has no "." or ".." segment and no empty segment (no escaping root). */
static int safe_relative(const char *rel)
{
    if (rel[0] == '\0' || rel[0] == '/')
        return 0;
#ifdef _WIN32
    /* Windows also splits at '\\' and takes "C:" as a drive: either could
     * leave the root. */
    if (strpbrk(rel, "\\:") != NULL)
        return 0;
#endif
    const char *seg = rel;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return 0;
        if (end == NULL)
            return 1;
        seg = end + 1;
    }
}

enum MHD_Result ts_route(struct MHD_Connection *c, ts_request *rq, const char *method,
                         const char *path)
{
    ts_options o;
    char err[256];
    if (ts_options_parse(c, &o, err, sizeof err) != 0)
        return ts_respond_text(c, rq, method, MHD_HTTP_BAD_REQUEST, err);
    enum MHD_Result answer;
    if (!ts_auth_passes(c, rq, method, &o, &answer))
        return answer;

    ts_resource res = {0, o.lm, -1, 0, NULL};
    if (o.change != TS_NONE) {
        res.state = ts_state_get(rq->target);
        if (res.state == NULL)
            return ts_respond(c, rq, method, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
        res.changed = ts_state_served(res.state) >= o.change;
    }
    if (strncmp(path, "/gen/", 5) == 0) {
        if (!parse_size(path + 5, &res.size))
            return ts_respond_text(c, rq, method, MHD_HTTP_NOT_FOUND,
                                   "/gen/<size>: size must be a decimal byte count");
        if (res.changed) {
            res.mtime += 86400;
            if (o.newsize != TS_NONE)
                res.size = o.newsize;
        }
        return ts_serve(c, rq, method, path, &res, &o);
    }
    if (strncmp(path, "/files/", 7) == 0) {
        const char *rel = path + 7;
        if (ts_cfg.root == NULL)
            return ts_respond_text(c, rq, method, MHD_HTTP_NOT_FOUND,
                                   "no --root given: /files/ serves nothing");
        if (!safe_relative(rel))
            return ts_respond_text(c, rq, method, MHD_HTTP_NOT_FOUND, "bad path");
        size_t n = strlen(ts_cfg.root) + strlen(rel) + 2;
        char *full = malloc(n);
        if (full == NULL)
            return ts_respond(c, rq, method, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
        snprintf(full, n, "%s/%s", ts_cfg.root, rel);
        /* libuv: binary, UTF-8 path, and on Windows opened with full sharing
         * so a test may replace or delete the file while it is served, as on
         * Linux. */
        uv_fs_t req;
        int fd = uv_fs_open(NULL, &req, full, UV_FS_O_RDONLY, 0, NULL);
        uv_fs_req_cleanup(&req);
        free(full);
        if (fd == UV_EACCES || fd == UV_EPERM)
            return ts_respond_text(c, rq, method, MHD_HTTP_FORBIDDEN, "permission denied");
        if (fd < 0)
            return ts_respond_text(c, rq, method, MHD_HTTP_NOT_FOUND, "no such file");
        int r = uv_fs_fstat(NULL, &req, fd, NULL);
        uv_stat_t st = req.statbuf;
        uv_fs_req_cleanup(&req);
        if (r != 0 || (st.st_mode & S_IFMT) != S_IFREG) {
            ts_file_close(fd);
            return ts_respond_text(c, rq, method, MHD_HTTP_NOT_FOUND, "not a regular file");
        }
        res.size = st.st_size;
        res.mtime = (o.lm_set ? o.lm : (int64_t)st.st_mtim.tv_sec) + (res.changed ? 86400 : 0);
        res.fd = fd;
        return ts_serve(c, rq, method, path, &res, &o);
    }
    return ts_respond_text(c, rq, method, MHD_HTTP_NOT_FOUND,
                           "no such resource (try /gen/<size> or /files/<path>)");
}
