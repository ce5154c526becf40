/*
 * state_dir.c - where the queue lives when the caller does not say:
 * %LOCALAPPDATA%\bgcopy on Windows (else %USERPROFILE%\AppData\Local\bgcopy),
 * $XDG_STATE_HOME/bgcopy elsewhere (else ~/.local/state/bgcopy), resolved
 * once when the manager opens, never created; an explicit state_dir wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bgcopy.h>

#include "check.h"
#include "harness.h"

/* Opens a manager with default options and returns its state directory. */
static char *default_dir(void)
{
    bgcopy_manager *m = NULL;
    char *dir = NULL;
    /* In memory: only the computed directory is looked at (a persistent
     * queue would create it). */
    bgcopy_manager_options mem;
    memset(&mem, 0, sizeof mem);
    mem.queue = BGCOPY_QUEUE_IN_MEMORY;
    CHECK_HR_OK(bgcopy_manager_open(&mem, &m));
    CHECK_HR_OK(bgcopy_manager_get_state_dir(m, &dir));
    bgcopy_manager_close(m);
    CHECK(dir != NULL);
    /* malloc'ed copy, so the test can free it the usual way */
    char *copy = strdup(dir);
    bgcopy_free(dir);
    CHECK(copy != NULL);
    return copy;
}

static void expect_default(const char *want)
{
    char *got = default_dir();
    CHECK_EQ_STR(got, want);
    /* Only computed: nothing exists there until a persistent queue does. */
    CHECK(!ts_path_exists(got));
    free(got);
}

int main(void)
{
    bgcopy_manager *m = NULL;
    char *dir = NULL;
    bgcopy_manager_options o;

#ifdef _WIN32
    /* The test stage's own override (docs/persistence.md) would win. */
    CHECK_EQ_INT(ts_setenv("BGCOPY_STATE_DIR", ""), 0);
    CHECK_EQ_INT(ts_setenv("LOCALAPPDATA", "C:\\bgcopy-test-nowhere\\Local"), 0);
    expect_default("C:\\bgcopy-test-nowhere\\Local\\bgcopy");
    CHECK_EQ_INT(ts_setenv("LOCALAPPDATA", "D:/elsewhere/"), 0);     /* either separator */
    expect_default("D:/elsewhere\\bgcopy");
    /* Unset or relative: the profile's AppData\Local, as Windows lays it out. */
    CHECK_EQ_INT(ts_setenv("LOCALAPPDATA", "relative"), 0);
    CHECK_EQ_INT(ts_setenv("USERPROFILE", "C:\\Users\\bgcopy-tester"), 0);
    expect_default("C:\\Users\\bgcopy-tester\\AppData\\Local\\bgcopy");
    CHECK_EQ_INT(ts_setenv("LOCALAPPDATA", NULL), 0);
    expect_default("C:\\Users\\bgcopy-tester\\AppData\\Local\\bgcopy");
#else
    CHECK_EQ_INT(ts_setenv("XDG_STATE_HOME", "/bgcopy-test-nowhere/state"), 0);
    expect_default("/bgcopy-test-nowhere/state/bgcopy");
    CHECK_EQ_INT(ts_setenv("XDG_STATE_HOME", "/bgcopy-test-nowhere/state/"), 0);
    expect_default("/bgcopy-test-nowhere/state/bgcopy");
    /* The XDG spec says to ignore a relative value. */
    CHECK_EQ_INT(ts_setenv("XDG_STATE_HOME", "relative/state"), 0);
    CHECK_EQ_INT(ts_setenv("HOME", "/home/bgcopy-tester"), 0);
    expect_default("/home/bgcopy-tester/.local/state/bgcopy");
    CHECK_EQ_INT(ts_setenv("XDG_STATE_HOME", NULL), 0);
    expect_default("/home/bgcopy-tester/.local/state/bgcopy");
#endif

    /* Resolved at open: a later change of the environment does not move it. */
    memset(&o, 0, sizeof o);
    o.queue = BGCOPY_QUEUE_IN_MEMORY;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
#ifdef _WIN32
    CHECK_EQ_INT(ts_setenv("USERPROFILE", "C:\\Users\\someone-else"), 0);
#else
    CHECK_EQ_INT(ts_setenv("HOME", "/home/someone-else"), 0);
#endif
    CHECK_HR_OK(bgcopy_manager_get_state_dir(m, &dir));
#ifdef _WIN32
    CHECK_EQ_STR(dir, "C:\\Users\\bgcopy-tester\\AppData\\Local\\bgcopy");
#else
    CHECK_EQ_STR(dir, "/home/bgcopy-tester/.local/state/bgcopy");
#endif
    bgcopy_free(dir);
    CHECK_EQ_HR(bgcopy_manager_get_state_dir(m, NULL), BGCOPY_E_INVALIDARG);
    bgcopy_manager_close(m);
    CHECK_EQ_HR(bgcopy_manager_get_state_dir(NULL, &dir), BGCOPY_E_INVALIDARG);
    CHECK(dir == NULL);

    /* An explicit directory wins over the environment. */
#ifdef _WIN32
    static const char *const mine = "E:\\queues\\mine";
#else
    static const char *const mine = "/srv/queues/mine";
#endif
    memset(&o, 0, sizeof o);
    o.state_dir = mine;
    o.queue = BGCOPY_QUEUE_IN_MEMORY;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
    CHECK_HR_OK(bgcopy_manager_get_state_dir(m, &dir));
    CHECK_EQ_STR(dir, mine);
    bgcopy_free(dir);
    bgcopy_manager_close(m);

    printf("core_state_dir: all passed\n");
    return 0;
}
