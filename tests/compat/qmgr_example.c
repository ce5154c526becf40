/*
 * qmgr_example - runs docs/examples/qmgr-group against bgcopy-testserver:
 * the documented example must download its two files and print the
 * completion OnStatus (and, with --progress, OnProgress lines), and report
 * an HTTP 404 with its Win32 and HTTP codes and exit status 1.
 */
#include <uv.h> /* first: uv.h must precede any <windows.h> */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#ifndef QMGR_EXAMPLE
#  error "QMGR_EXAMPLE must name the qmgr-group program"
#endif

int main(void)
{
    ts_server s;
    CHECK_EQ_INT(ts_server_start(&s, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK(dir != NULL);
    char *u1 = ts_url(&s, "/gen/20000");
    char *u2 = ts_url(&s, "/gen/30000");
    char *out = NULL;
    const char *ok_args[] = {"--progress", u1, u2, dir, NULL};
    CHECK_EQ_INT(ts_run_capture(QMGR_EXAMPLE, ok_args, &out), 0);
    CHECK_MSG(strstr(out, "OnStatus: group complete") != NULL, "output: %s", out);
    CHECK_MSG(strstr(out, "OnProgress: ") != NULL, "output: %s", out);
    CHECK_MSG(strstr(out, "50000 of 50000 bytes") != NULL, "output: %s", out);
    free(out);
    char *path = ts_path_join(dir, "file0");
    CHECK(ts_file_matches_gen(path, 20000));
    free(path);
    path = ts_path_join(dir, "file1");
    CHECK(ts_file_matches_gen(path, 30000));
    free(path);

    char *bad = ts_url(&s, "/gen/10?status=404");
    const char *bad_args[] = {u1, bad, dir, NULL};
    CHECK_EQ_INT(ts_run_capture(QMGR_EXAMPLE, bad_args, &out), 1);
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
