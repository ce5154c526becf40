/*
 * bitsadmin_internal.h - what the command files of bitsadmin share: the
 * per-run context and job lookup by name or GUID.
 */
#ifndef BITSADMIN_INTERNAL_H
#define BITSADMIN_INTERNAL_H

#include <stdio.h>

#include "bgcopy.h"

typedef struct ba_ctx {
    bgcopy_manager *m;
    FILE *out;
    FILE *err;
    int raw; /* /rawreturn: values only, no labels, no trailing newline */
} ba_ctx;

/* Resolve a <job> argument: "{GUID}" looks the job up by id, anything else
 * by display name (exact, case-sensitive match).  On success *out receives a
 * new handle (release it) and 0 is returned; otherwise the reason (not
 * found, several jobs with that name, API failure) is printed to c->err and
 * -1 returned. */
int ba_find_job(ba_ctx *c, const char *spec, bgcopy_job **out);

/* /transfer: argv[0] is "/transfer", argc counts the remaining words too.
 * Returns the exit code. */
int ba_cmd_transfer(ba_ctx *c, int argc, char **argv);

#endif /* BITSADMIN_INTERNAL_H */
