/*
 * replay_main.c - runs a fuzz target over its seed corpus without libFuzzer,
 * so every ordinary build (release, asan, tsan, Windows) replays the corpus
 * as a ctest (fuzz_corpus_<name>).
 *
 * Usage: fuzz_<name>_replay PATH...   each PATH is a file (one input) or a
 * directory (every regular file in it, in name order; not recursive).  The
 * empty input runs first, as libFuzzer's does.  Exit status 0 when every
 * input ran, 1 when a path could not be read or held no input; a failed
 * invariant aborts (FUZZ_CHECK) and the last "running" line names the input.
 * Portable: directories are listed with libuv, files read with stdio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <uv.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    FUZZ_CHECK(buf != NULL);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            FUZZ_CHECK(buf != NULL);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(buf);
        return -1;
    }
    printf("running %s (%zu bytes)\n", path, len);
    fflush(stdout);
    /* An exact-size copy, so ASan sees reads past the input's end. */
    uint8_t *exact = malloc(len ? len : 1);
    FUZZ_CHECK(exact != NULL);
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    (void)LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Number of inputs run from |path|, or -1. */
static int run_path(const char *path)
{
    uv_fs_t req;
    int r = uv_fs_stat(NULL, &req, path, NULL);
    int is_dir = r == 0 && (req.statbuf.st_mode & S_IFMT) == S_IFDIR;
    uv_fs_req_cleanup(&req);
    if (r != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, uv_strerror(r));
        return -1;
    }
    if (!is_dir)
        return run_file(path) == 0 ? 1 : -1;

    r = uv_fs_scandir(NULL, &req, path, 0, NULL);
    if (r < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, uv_strerror(r));
        uv_fs_req_cleanup(&req);
        return -1;
    }
    size_t count = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    FUZZ_CHECK(names != NULL);
    uv_dirent_t ent;
    while (uv_fs_scandir_next(&req, &ent) != UV_EOF) {
        if (ent.type != UV_DIRENT_FILE && ent.type != UV_DIRENT_UNKNOWN)
            continue;
        if (count == cap) {
            cap *= 2;
            names = realloc(names, cap * sizeof *names);
            FUZZ_CHECK(names != NULL);
        }
        size_t n = strlen(path) + strlen(ent.name) + 2;
        names[count] = malloc(n);
        FUZZ_CHECK(names[count] != NULL);
        snprintf(names[count], n, "%s/%s", path, ent.name);
        count++;
    }
    uv_fs_req_cleanup(&req);
    qsort(names, count, sizeof *names, cmp_names);
    int ran = 0;
    for (size_t i = 0; i < count; i++) {
        if (ran >= 0 && run_file(names[i]) == 0)
            ran++;
        else
            ran = -1;
        free(names[i]);
    }
    free(names);
    return ran;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    (void)LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
    int total = 0;
    for (int i = 1; i < argc; i++) {
        int n = run_path(argv[i]);
        if (n <= 0) {
            fprintf(stderr, "replay: %s gave no input\n", argv[i]);
            return 1;
        }
        total += n;
    }
    printf("replay: %d input(s) ran\n", total);
    return 0;
}
