/*
 * fuzz_bitsadmin_args.c - bitsadmin's argument parsing: bitsadmin_run() on
 * an argv built from the input (NUL-separated words, at most 16), against a
 * fresh manager per input so no input depends on an earlier one.
 *
 * bitsadmin_run() parses and acts in one pass (compat/bitsadmin), so the
 * harness keeps it from acting on the file system or the network: when the
 * switch is /transfer or /addfile, the job argument gets a leading 0xFF byte.
 * Each manager starts with one job named "j", so <job> arguments resolve.
 * That is never valid UTF-8, so /transfer's option and pair parsing runs in
 * full and then bgcopy_manager_create_job refuses the name, and /addfile
 * finds no job (no job can have that name): no job ever has a file, so
 * /resume and /complete have nothing to transfer or move.  Everything else
 * bitsadmin does is in memory.  Output goes to the null device.
 * Invariants: the exit code is 0 or 1; a guarded /transfer or /addfile
 * fails; afterwards no job of the manager has a file.
 */
#include "bgcopy.h"
#include "bitsadmin.h"
#include "bitsadmin_format.h"
#include "fuzz.h"

#ifdef _WIN32
#define NULL_DEVICE "NUL"
#else
#define NULL_DEVICE "/dev/null"
#endif

#define MAX_WORDS 16

static FILE *null_out;

/* The index of the switch word, skipping the global options as
 * bitsadmin_run does; argc when there is none. */
static int switch_index(int argc, char **argv)
{
    int i = 1;
    while (i < argc && (ba_word_is(argv[i], "/rawreturn") || ba_word_is(argv[i], "/wrap") ||
                        ba_word_is(argv[i], "/nowrap")))
        i++;
    return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!null_out) {
        null_out = fopen(NULL_DEVICE, "w");
        FUZZ_CHECK(null_out != NULL);
    }
    /* words[k] points into buf; one spare byte in front of each word lets
     * the harness prefix 0xFF in place. */
    char *buf = malloc(2 * size + 2);
    FUZZ_CHECK(buf != NULL);
    char *argv[MAX_WORDS + 2];
    int argc = 0;
    argv[argc++] = "bitsadmin";
    size_t o = 0, i = 0;
    while (i <= size && argc <= MAX_WORDS) {
        buf[o++] = '\xff';
        argv[argc++] = buf + o;
        while (i < size && data[i] != 0)
            buf[o++] = (char)data[i++];
        buf[o++] = '\0';
        i++; /* the separator, or one past the end */
    }
    argv[argc] = NULL;
    if (size == 0)
        argc = 1; /* no words at all: "No switch given." */

    int sw = switch_index(argc, argv);
    int guarded = sw + 1 < argc &&
                  (ba_word_is(argv[sw], "/transfer") || ba_word_is(argv[sw], "/addfile"));
    if (guarded)
        argv[sw + 1]--; /* now starts with the 0xFF in front of it */

    bgcopy_manager *m = NULL;
    bgcopy_manager_options opts;
    memset(&opts, 0, sizeof opts);
    opts.manual_dispatch = 1; /* no dispatcher thread: nothing here calls back */
    /* In memory: each input starts from one empty queue, and fuzzing never
     * writes to the user's own queue (docs/persistence.md). */
    opts.queue = BGCOPY_QUEUE_IN_MEMORY;
    FUZZ_CHECK(bgcopy_manager_open(&opts, &m) == BGCOPY_S_OK);
    /* One job named "j", so <job> arguments can resolve. */
    FUZZ_CHECK(bgcopy_manager_create_job(m, "j", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, NULL) ==
               BGCOPY_S_OK);
    int rc = bitsadmin_run(m, argc, argv, null_out, null_out);
    FUZZ_CHECK(rc == BITSADMIN_EXIT_OK || rc == BITSADMIN_EXIT_FAILURE);
    if (guarded)
        FUZZ_CHECK(rc == BITSADMIN_EXIT_FAILURE);
    /* No job has a file, whatever the input created. */
    bgcopy_job **jobs = NULL;
    size_t count = 0;
    FUZZ_CHECK(bgcopy_manager_enum_jobs(m, 0, &jobs, &count) == BGCOPY_S_OK);
    for (size_t k = 0; k < count; k++) {
        uint32_t files = 1;
        FUZZ_CHECK(bgcopy_job_get_file_count(jobs[k], &files) == BGCOPY_S_OK && files == 0);
    }
    bgcopy_job_list_free(jobs, count);
    bgcopy_manager_close(m);
    free(buf);
    return 0;
}
