/*
 * sta_example - runs docs/examples/sta-download (a BITS console program in
 * the style of Microsoft's documentation: CoInitialize(NULL), a callback
 * object, a GetMessage loop that JobTransferred ends with PostQuitMessage)
 * against bgcopy-testserver: it must download the file, say so and exit 0;
 * on a 404 it must report the job's error and exit 1.  Either way its loop
 * ends only if the callback ran on its main thread.
 */
#include <uv.h> /* first: uv.h must precede any <windows.h> */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#ifndef STA_EXAMPLE
#  error "STA_EXAMPLE must name the sta-download program"
#endif

int main(void)
{
    ts_server s;
    CHECK_EQ_INT(ts_server_start(&s, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK(dir != NULL);
    char *url = ts_url(&s, "/gen/250000");
    char *path = ts_path_join(dir, "download.bin");
    char *out = NULL;
    const char *ok_args[] = {url, path, NULL};
    CHECK_EQ_INT(ts_run_capture(STA_EXAMPLE, ok_args, &out), 0);
    CHECK_MSG(strstr(out, "Job transferred and completed.") != NULL, "output: %s", out);
    free(out);
    CHECK(ts_file_matches_gen(path, 250000));

    char *bad = ts_url(&s, "/gen/10?status=404");
    char *bad_path = ts_path_join(dir, "missing.bin");
    const char *bad_args[] = {bad, bad_path, NULL};
    CHECK_EQ_INT(ts_run_capture(STA_EXAMPLE, bad_args, &out), 1);
    CHECK_MSG(strstr(out, "Job failed, context 5, hr=0x80190194") != NULL, "output: %s", out);
    free(out);
    CHECK(!ts_path_exists(bad_path));

    free(bad);
    free(bad_path);
    free(url);
    free(path);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&s), 0);
    printf("sta_example: ok\n");
    return 0;
}
