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
 * are flushed before returning.  /transfer asks libuv whether fileno(out)
 * is a terminal (uv_guess_handle() == UV_TTY) to choose between a redrawn
 * progress line ("\r") and plain lines, so |out| may be a memory stream or
 * a file (fileno -1 or not a console: plain lines).
 *
 * Returns BITSADMIN_EXIT_OK or BITSADMIN_EXIT_FAILURE (see the macros).
 *
 * Thread-safety: may run concurrently with other bgcopy_* calls on |m|.
 * While /transfer waits for its job, Ctrl+C (SIGINT; on Windows also
 * Ctrl+Break) and bitsadmin_interrupt() cancel the job and make it return
 * BITSADMIN_EXIT_FAILURE with "Transfer interrupted" on |err|; on POSIX
 * SIGTERM and SIGHUP do the same.  These signals are caught through libuv
 * for that time only: when /transfer returns, SIGINT, SIGTERM and SIGHUP
 * have their default action again (an earlier handler of the caller is not
 * restored).  Only one /transfer should run per process at a time.
 *
 * Mirrors bitsadmin.exe (see docs/bitsadmin.md for the switches).
 */
int bitsadmin_run(bgcopy_manager *m, int argc, char **argv, FILE *out, FILE *err);

/*
 * Do what Ctrl+C does to the /transfer that bitsadmin_run() is running in
 * this process: cancel its job and make it return BITSADMIN_EXIT_FAILURE.
 * For programs that embed bitsadmin_run() and have their own way to stop
 * (a service's stop request, a GUI button), and for tests on systems where
 * a console Ctrl+C cannot be sent to a process.
 *
 * Returns 1 when a /transfer was waiting on its job and has been told
 * (it reacts within milliseconds, on its own thread), 0 when none was.
 * A /transfer that has not yet printed its "DISPLAY:" line is not reached.
 *
 * Thread-safety: callable from any thread, but not from a signal handler.
 * No BITS method: bitsadmin.exe is stopped with Ctrl+C only.
 */
int bitsadmin_interrupt(void);

/* Print the usage text (the /help output: every switch with its syntax, and
 * the exit codes) to |out|, which stays open.  No errors; thread-safe as
 * long as the caller owns |out|.  Mirrors bitsadmin /?. */
void bitsadmin_print_usage(FILE *out);

/* When opening |m|'s persistent queue found a damaged database and kept
 * it aside (bgcopy_manager_get_store_report), print to |err| what was
 * wrong, the path of the kept file (and of its kept write-ahead log) and
 * that a new, empty queue was started; print nothing otherwise.  The
 * executable calls it once after opening its manager, before the command
 * runs.  Returns 1 when it printed, 0 when there was nothing to say (or no
 * memory to ask).  Thread-safe as long as the caller owns |err|.  No
 * bitsadmin.exe counterpart: BITS discards a corrupt queue silently
 * (docs/persistence.md). */
int bitsadmin_print_store_report(bgcopy_manager *m, FILE *err);

#endif /* BITSADMIN_H */
