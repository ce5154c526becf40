/*
 * bitsadmin_capture.c - see bitsadmin_capture.h.
 */
#include "bitsadmin_capture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "bitsadmin.h"
#include "check.h"
#include "harness.h"

int ba_run_argv(bgcopy_manager *mgr, const char *dir, const char *tag, int argc, char **argv,
                char **out_t, char **err_t)
{
    char name[256];
    snprintf(name, sizeof name, "%s.out", tag);
    char *op = ts_path_join(dir, name);
    snprintf(name, sizeof name, "%s.err", tag);
    char *ep = ts_path_join(dir, name);
    FILE *out = fopen(op, "wb");
    FILE *err = fopen(ep, "wb");
    CHECK_NOT_NULL(out);
    CHECK_NOT_NULL(err);
    int rc = bitsadmin_run(mgr, argc, argv, out, err);
    CHECK_EQ_INT(fclose(out), 0);
    CHECK_EQ_INT(fclose(err), 0);
    *out_t = ts_read_file(op, NULL);
    *err_t = ts_read_file(ep, NULL);
    CHECK_NOT_NULL(*out_t);
    CHECK_NOT_NULL(*err_t);
    free(op);
    free(ep);
    return rc;
}

int ba_run(bgcopy_manager *mgr, const char *dir, char **out_t, char **err_t, const char *first,
           ...)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = (char *)"bitsadmin";
    va_list ap;
    va_start(ap, first);
    for (const char *w = first; w; w = va_arg(ap, const char *)) {
        CHECK(argc < 15);
        argv[argc++] = (char *)w;
    }
    va_end(ap);
    argv[argc] = NULL;

    free(*out_t);
    free(*err_t);
    *out_t = *err_t = NULL;
    return ba_run_argv(mgr, dir, "run", argc, argv, out_t, err_t);
}
