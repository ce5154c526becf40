/*
 * bitsadmin.h - the bitsadmin command line as a function, so that the
 * executable and in-process tests share one implementation and tests can
 * run several commands against one manager.
 */
#ifndef BITSADMIN_H
#define BITSADMIN_H

#include <stdio.h>

#include "bgcopy.h"

/* Exit codes of bitsadmin_run (and so of the bitsadmin executable). */
#define BITSADMIN_EXIT_OK 0      /* the command did what it was asked */
#define BITSADMIN_EXIT_FAILURE 1 /* usage error, failed API call, job not found,
                                  * /transfer ended in ERROR or was interrupted */

/*
 * Run one bitsadmin command line against manager |m|.
 *
 * |argc|/|argv| are shaped as main()'s: argv[0] is the program name and is
 * ignored; argv[1..] are the switches ("/transfer", "/create", ...; matched
 * case-insensitively, "/rawreturn", "/wrap" and "/nowrap" may precede the
 * command).  Strings are UTF-8 and only read.
 *
 * Results go to |out|, usage and API failure messages ("Unable to ... -
 * 0x%08x" plus the description) to |err|; neither stream is closed.  Both
 * are flushed before returning.  /transfer checks isatty(fileno(out)) to
 * choose between a redrawn progress line and plain lines, so |out| may be a
 * memory stream (fileno -1 is treated as "not a terminal").
 *
 * Returns BITSADMIN_EXIT_OK or BITSADMIN_EXIT_FAILURE (see the macros).
 *
 * Thread-safety: may run concurrently with other bgcopy_* calls on |m|.
 * /transfer installs a SIGINT handler for its duration (restoring the
 * previous one afterwards) so Ctrl+C cancels the job; only one /transfer
 * should run per process at a time.
 *
 * Mirrors bitsadmin.exe (see docs/bitsadmin.md for the switches).
 */
int bitsadmin_run(bgcopy_manager *m, int argc, char **argv, FILE *out, FILE *err);

/* Print the usage text (the /help output: every switch with its syntax, and
 * the exit codes) to |out|, which stays open.  No errors; thread-safe as
 * long as the caller owns |out|.  Mirrors bitsadmin /?. */
void bitsadmin_print_usage(FILE *out);

#endif /* BITSADMIN_H */
