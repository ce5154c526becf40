/*
 * bitsadmin_store.c - what bitsadmin prints when opening the persistent
 * queue kept a damaged database aside (docs/persistence.md): why, and the
 * path of the kept file; and nothing when the queue was intact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bgcopy.h"
#include "bitsadmin.h"
#include "check.h"
#include "harness.h"

static bgcopy_manager *open_q(const char *dir)
{
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.state_dir = dir;
    o.queue = BGCOPY_QUEUE_PERSISTENT;
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
    return m;
}

/* What bitsadmin_print_store_report writes for |m|, malloc'ed. */
static char *report_text(bgcopy_manager *m, const char *scratch, int *printed)
{
    FILE *f = fopen(scratch, "wb");
    CHECK(f != NULL);
    *printed = bitsadmin_print_store_report(m, f);
    CHECK_EQ_INT(fclose(f), 0);
    char *text = ts_read_file(scratch, NULL);
    CHECK(text != NULL);
    return text;
}

int main(void)
{
    char *base = ts_mkdtemp();
    char *dir = ts_path_join(base, "queue");
    char *scratch = ts_path_join(base, "err.txt");
    CHECK_EQ_INT(ts_mkdir(dir), 0);
#ifndef _WIN32
    CHECK_EQ_INT(chmod(dir, 0700), 0);
#endif
    char *db = ts_path_join(dir, "queue.db");
    static const char junk[] = "this is a shopping list, not a job queue\n";
    CHECK_EQ_INT(ts_write_file(db, junk, sizeof junk - 1), 0);

    bgcopy_manager *m = open_q(dir);
    bgcopy_store_report r;
    CHECK_HR_OK(bgcopy_manager_get_store_report(m, &r));
    CHECK(r.kept_path != NULL);
    int printed = 0;
    char *text = report_text(m, scratch, &printed);
    CHECK_EQ_INT(printed, 1);
    CHECK_CONTAINS(text, "not a bgcopy queue database");
    CHECK_CONTAINS(text, r.kept_path);
    CHECK_CONTAINS(text, "new, empty job queue");
    /* The file it names is the one that was there. */
    size_t len = 0;
    char *kept = ts_read_file(r.kept_path, &len);
    CHECK(kept != NULL);
    CHECK_EQ_U64(len, sizeof junk - 1);
    CHECK(memcmp(kept, junk, len) == 0);
    free(kept);
    free(text);
    bgcopy_store_report_clear(&r);
    bgcopy_manager_close(m);

    /* Opened again: intact, nothing printed. */
    m = open_q(dir);
    text = report_text(m, scratch, &printed);
    CHECK_EQ_INT(printed, 0);
    CHECK_EQ_STR(text, "");
    free(text);
    bgcopy_manager_close(m);

    ts_rmtree(base);
    free(db);
    free(scratch);
    free(dir);
    free(base);
    printf("bitsadmin_store: all passed\n");
    return 0;
}
