/*
 * cmdline.c - the notification command line (IBackgroundCopyJob2::
 * SetNotifyCmdLine): splitting the parameters string into argv with the
 * Windows rules, and running the program with libuv.
 *
 * Splitting follows CommandLineToArgvW / the Microsoft C runtime (2008+),
 * because BITS hands Parameters to CreateProcess and the program's runtime
 * splits it that way:
 *  - argv[0] (the program name Parameters starts with): if it starts with a
 *    double quote it runs to the next double quote, else to the first space
 *    or tab; backslashes are literal in it.
 *  - other arguments are separated by spaces/tabs outside double quotes;
 *    2n backslashes before a '"' give n backslashes and the quote toggles
 *    quoting; 2n+1 backslashes before a '"' give n backslashes and a
 *    literal '"'; backslashes before anything else are literal; inside
 *    quotes, '""' gives a literal '"'.
 *
 * Running, on the calling thread (a dispatcher worker or the
 * bgcopy_manager_pump caller), which waits for the exit: on POSIX
 * bgc_platform_spawn_wait (core/src/platform.c), which closes every
 * descriptor above 2 in the child, because libcurl opens some without
 * close-on-exec and a notification program must not inherit the engine's
 * sockets or files (docs/security.md); on Windows uv_spawn on a
 * private uv_loop_t (only handles marked inheritable are passed there).
 * uv_spawn searches PATH for a name without a
 * directory part (execvp on POSIX; libuv's own search on Windows), so such
 * a name is made "./name" first: like CreateProcess with lpApplicationName
 * it is then taken relative to the current directory and never looked up
 * in PATH (posix_spawn never searches PATH; the "./" is kept for one rule).
 * A directory part is anything with a separator ('/', and on
 * Windows '\' or a drive letter).  No shell and no environment-variable
 * expansion are involved.  The child's stdin/stdout/stderr are the null
 * device.
 */
#include "internal.h"
#include "platform.h"

#include <stdlib.h>
#include <string.h>

static int is_blank(char c) { return c == ' ' || c == '\t'; }

char **bgc_cmdline_split(const char *cmdline)
{
    size_t len = strlen(cmdline);
    /* At most len/2+2 arguments; every argument's text fits in len+args bytes. */
    size_t max_args = len / 2 + 2;
    size_t bytes = (max_args + 1) * sizeof(char *) + len + max_args + 1;
    char **argv = malloc(bytes);
    if (!argv)
        return NULL;
    char *out = (char *)(argv + max_args + 1);
    size_t argc = 0;
    const char *p = cmdline;

    /* argv[0]: quotes delimit, no escapes. */
    while (is_blank(*p))
        p++;
    if (*p) {
        argv[argc++] = out;
        if (*p == '"') {
            p++;
            while (*p && *p != '"')
                *out++ = *p++;
            if (*p == '"')
                p++;
        } else {
            while (*p && !is_blank(*p))
                *out++ = *p++;
        }
        *out++ = 0;
    }

    for (;;) {
        while (is_blank(*p))
            p++;
        if (!*p)
            break;
        argv[argc++] = out;
        int quoted = 0;
        while (*p && (quoted || !is_blank(*p))) {
            if (*p == '\\') {
                size_t n = 0;
                while (*p == '\\') {
                    n++;
                    p++;
                }
                if (*p == '"') {
                    for (size_t i = 0; i < n / 2; i++)
                        *out++ = '\\';
                    if (n % 2) {
                        *out++ = '"';
                        p++;
                    }
                } else {
                    for (size_t i = 0; i < n; i++)
                        *out++ = '\\';
                }
            } else if (*p == '"') {
                if (quoted && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else {
                    quoted = !quoted;
                    p++;
                }
            } else {
                *out++ = *p++;
            }
        }
        *out++ = 0;
    }
    argv[argc] = NULL;
    return argv;
}

#ifdef _WIN32
typedef struct run_state {
    int exited;
    int64_t status;
} run_state;

static void on_exit_cb(uv_process_t *proc, int64_t exit_status, int term_signal)
{
    run_state *st = proc->data;
    st->exited = 1;
    /* A program killed by a signal did not succeed. */
    st->status = term_signal ? 128 + term_signal : exit_status;
    uv_close((uv_handle_t *)proc, NULL);
}
#endif

static int has_dir_part(const char *program)
{
#ifdef _WIN32
    if (program[0] != '\0' && program[1] == ':')
        return 1;
#endif
    return bgt_path_last_sep(program) != NULL;
}

int bgc_cmdline_run(const char *program, char *const *argv, int64_t *exit_status)
{
    char *file = NULL;
    if (!has_dir_part(program)) {
        size_t n = strlen(program);
        file = malloc(n + 3);
        if (!file)
            return UV_ENOMEM;
        memcpy(file, "./", 2);
        memcpy(file + 2, program, n + 1);
    }
#ifndef _WIN32
    int rc = bgc_platform_spawn_wait(file ? file : program, argv, exit_status);
    free(file);
    return rc;
#else
    uv_loop_t loop;
    int rc = uv_loop_init(&loop);
    if (rc != 0) {
        free(file);
        return rc;
    }
    run_state st = {0, -1};
    uv_process_t proc;
    memset(&proc, 0, sizeof proc);
    proc.data = &st;
    uv_process_options_t o;
    memset(&o, 0, sizeof o);
    o.file = file ? file : program;
    o.args = (char **)argv;
    o.exit_cb = on_exit_cb;
    rc = uv_spawn(&loop, &proc, &o);
    if (rc != 0)
        uv_close((uv_handle_t *)&proc, NULL);  /* libuv wants the handle closed even then */
    (void)uv_run(&loop, UV_RUN_DEFAULT);
    (void)uv_loop_close(&loop);
    free(file);
    if (rc != 0)
        return rc;
    *exit_status = st.status;
    return 0;
#endif
}
