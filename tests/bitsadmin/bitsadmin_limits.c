/* bitsadmin and the Group Policy limits (docs/policy.md): /create beyond
 * MaxJobsPerUser and /addfile beyond MaxFilesPerJob fail, and bitsadmin
 * shows the BITS error code and its text, as on Windows.  The limits come
 * from a policy file found in this test's private per-user config
 * directory (XDG_CONFIG_HOME, or APPDATA on Windows; tests/CMakeLists.txt
 * sets both), the way a user raises or lowers them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgcopy.h"
#include "bitsadmin.h"
#include "bitsadmin_capture.h"
#include "check.h"
#include "harness.h"

static bgcopy_manager *mgr;
static char *scratch;
static char *out_text, *err_text;

#define run(...) ba_run(mgr, scratch, &out_text, &err_text, __VA_ARGS__)

static void check_shows(const char *code, const char *text)
{
    CHECK_MSG(strstr(out_text, code) || strstr(err_text, code), "no %s in:\n%s%s", code, out_text,
              err_text);
    CHECK_MSG(strstr(out_text, text) || strstr(err_text, text), "no \"%s\" in:\n%s%s", text,
              out_text, err_text);
}

int main(void)
{
#ifdef _WIN32
    const char *var = "APPDATA";
#else
    const char *var = "XDG_CONFIG_HOME";
#endif
    const char *home = getenv(var);
    if (!home || !*home || !strstr(home, "test-home")) {
        /* Never write into a real user's configuration. */
        printf("bitsadmin_limits: %s is not a private test directory; run it from ctest\n", var);
        return 77;
    }
    char *bgdir = ts_path_join(home, "bgcopy");
    CHECK_EQ_INT(ts_mkdir(home) == 0 || ts_is_dir(home), 1);
    CHECK_EQ_INT(ts_mkdir(bgdir) == 0 || ts_is_dir(bgdir), 1);
    char *conf = ts_path_join(bgdir, "bgcopy.conf");
    const char *text = "[BITS]\nMaxJobsPerUser = 2\nMaxFilesPerJob = 1\n";
    CHECK_EQ_INT(ts_write_file(conf, text, strlen(text)), 0);

    CHECK_HR_OK(bgcopy_manager_open(NULL, &mgr));
    scratch = ts_mkdtemp();
    char *dest1 = ts_path_join(scratch, "one.bin"), *dest2 = ts_path_join(scratch, "two.bin");

    CHECK_EQ_INT(run("/create", "first", NULL), 0);
    CHECK_EQ_INT(run("/create", "second", NULL), 0);
    CHECK(run("/create", "third", NULL) != 0);
    check_shows("0x80200049", "maximum number of jobs");

    CHECK_EQ_INT(run("/addfile", "first", "http://127.0.0.1:9/a", dest1, NULL), 0);
    CHECK(run("/addfile", "first", "http://127.0.0.1:9/b", dest2, NULL) != 0);
    check_shows("0x80200051", "maximum number of files");

    CHECK_EQ_INT(run("/cancel", "first", NULL), 0);
    CHECK_EQ_INT(run("/create", "third", NULL), 0);   /* a cancelled job frees its place */

    CHECK_EQ_INT(run("/reset", NULL), 0);
    bgcopy_manager_close(mgr);
    ts_rmtree(scratch);
    free(scratch);
    free(dest1);
    free(dest2);
    free(conf);
    free(bgdir);
    free(out_text);
    free(err_text);
    printf("bitsadmin_limits: ok\n");
    return 0;
}
