/*
 * bitsadmin_child.h - a child process (the real bitsadmin executable, or a
 * helper that executes it) run on a private libuv loop, with its stdout and
 * stderr captured as text and a deadline on every wait.  Shared by
 * bitsadmin_exe and bitsadmin_process; works on POSIX and Windows.
 */
#ifndef BITSADMIN_CHILD_H
#define BITSADMIN_CHILD_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

/* Text read from one of the child's pipes, NUL-terminated at all times. */
typedef struct ba_capture {
    uv_pipe_t pipe;
    char *data;
    size_t len, cap;
} ba_capture;

/* One child process and the private loop that runs its pipes. */
typedef struct ba_child {
    uv_loop_t loop;
    uv_process_t proc;
    ba_capture out, err;
    int open_pipes;
    int exited;
    int64_t exit_status;
    int term_signal;
} ba_child;

/* How the child's stdout and stderr are connected (stdin is always the
 * null device). */
typedef enum ba_stdio {
    BA_CAPTURE,         /* both to pipes, read into out and err */
    BA_OUT_READER_GONE, /* stdout a pipe whose reader is gone before the
                           child writes a byte; stderr captured */
    BA_NO_PIPES         /* neither connected (UV_IGNORE); out and err stay
                           empty */
} ba_stdio;

/* <directory of this program>/<rel>, with native separators, into
 * path[size] (fails the test if it does not fit). */
void ba_program_path(char *path, size_t size, const char *rel);

/* Starts |program| with the arguments |words| (NULL-terminated, at most 38)
 * on a new loop in *c; fails the test if it cannot. */
void ba_spawn(ba_child *c, ba_stdio how, const char *program, const char *const *words);

/* Runs the child's loop until pred(c) holds or timeout_ms pass; returns
 * whether pred held. */
int ba_run_until(ba_child *c, int (*pred)(ba_child *), int timeout_ms);

/* The child has exited and its pipes have drained. */
int ba_done(ba_child *c);

/* Waits for ba_done (fails the test after 60 s: "bitsadmin did not exit")
 * and closes the child's loop; out, err, exit_status and term_signal stay. */
void ba_wait(ba_child *c);

/* Takes over cap's text (the caller frees it), as a test compares it: on
 * Windows the C runtime writes "\n" to a pipe as "\r\n" (text mode), which
 * is a line end there like "\n" elsewhere, so it is folded; any other "\r"
 * stays and is a redraw character. */
char *ba_take_text(ba_capture *cap);

/* Frees the captured text that was not taken. */
void ba_child_free(ba_child *c);

#endif
