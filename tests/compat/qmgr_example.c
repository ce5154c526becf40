/*
 * qmgr_example - runs docs/examples/qmgr-group against bgcopy-testserver:
 * the documented example must download its two files and print the
 * completion OnStatus (and, with --progress, OnProgress lines), and report
 * an HTTP 404 with its Win32 and HTTP codes and exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check.h"
#include "harness.h"

#ifndef QMGR_EXAMPLE
#  error "QMGR_EXAMPLE must name the qmgr-group program"
#endif

/* Run the example with |args|; its stdout in *out (malloc'ed); exit status. */
static int run(const char *args, char **out)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s", QMGR_EXAMPLE, args);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - 1 - len, p)) > 0)
        len += n;
    buf[len] = 0;
    int st = pclose(p);
    *out = buf;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
    ts_server s;
    CHECK_EQ_INT(ts_server_start(&s, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK(dir != NULL);
    char *u1 = ts_url(&s, "/gen/20000");
    char *u2 = ts_url(&s, "/gen/30000");
    char args[2048];
    snprintf(args, sizeof args, "--progress '%s' '%s' '%s'", u1, u2, dir);
    char *out = NULL;
    CHECK_EQ_INT(run(args, &out), 0);
    CHECK_MSG(strstr(out, "OnStatus: group complete") != NULL, "output: %s", out);
    CHECK_MSG(strstr(out, "OnProgress: ") != NULL, "output: %s", out);
    CHECK_MSG(strstr(out, "50000 of 50000 bytes") != NULL, "output: %s", out);
    free(out);
    char path[1024];
    snprintf(path, sizeof path, "%s/file0", dir);
    CHECK(ts_file_matches_gen(path, 20000));
    snprintf(path, sizeof path, "%s/file1", dir);
    CHECK(ts_file_matches_gen(path, 30000));

    char *bad = ts_url(&s, "/gen/10?status=404");
    snprintf(args, sizeof args, "'%s' '%s' '%s'", u1, bad, dir);
    CHECK_EQ_INT(run(args, &out), 1);
    CHECK_MSG(strstr(out, "OnStatus: group error, file 1,") != NULL, "output: %s", out);
    CHECK_MSG(strstr(out, "Win32 2, HTTP 404") != NULL, "output: %s", out);
    free(out);

    free(bad);
    free(u1);
    free(u2);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&s), 0);
    printf("qmgr_example: ok\n");
    return 0;
}
