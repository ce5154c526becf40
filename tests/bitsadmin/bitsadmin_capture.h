/*
 * bitsadmin_capture.h - bitsadmin_run() in-process with its stdout and
 * stderr captured as text.  Shared by bitsadmin_inprocess and
 * bitsadmin_secrets.
 */
#ifndef BITSADMIN_CAPTURE_H
#define BITSADMIN_CAPTURE_H

#include "bgcopy.h"

/* Runs bitsadmin_run(mgr, argc, argv) with stdout/stderr going to files
 * named <dir>/<tag>.out and .err (binary mode: the bytes bitsadmin writes,
 * no CRLF translation), then reads them back into *out_t / *err_t (the
 * caller frees them).  Returns bitsadmin_run's exit code. */
int ba_run_argv(bgcopy_manager *mgr, const char *dir, const char *tag, int argc, char **argv,
                char **out_t, char **err_t);

/* Runs one command line: "bitsadmin" and the words from |first| on, up to
 * a NULL (at most 14).  Frees *out_t / *err_t and sets them to the new
 * output (tag "run"). */
int ba_run(bgcopy_manager *mgr, const char *dir, char **out_t, char **err_t, const char *first,
           ...);

#endif
