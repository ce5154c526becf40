/*
 * store_open.c - opening the persistent queue (docs/persistence.md):
 * the directory and file modes, the schema, the single-owner lock against
 * a live child process (and free again after kill -9), damaged databases
 * kept byte-identical with the documented report, a newer schema refused
 * and untouched, unusable directories refused, a database written by
 * schema version 1 (tests/core/store_v1.sql) opening in the current one,
 * and the pending-delete list of Cancel.
 * Real SQLite files, real processes.
 */
#include "core_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

#define APP_ID 0x42474351 /* "BGCQ", docs/persistence.md */

static bgcopy_hr open_q(const char *dir, bgcopy_manager **m, char **text)
{
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.state_dir = dir;
    o.queue = BGCOPY_QUEUE_PERSISTENT;
    o.error_text = text;
    return bgcopy_manager_open(&o, m);
}

static char *join(const char *a, const char *b)
{
    return ts_path_join(a, b);
}

static int64_t sql_int(const char *db_path, const char *sql)
{
    sqlite3 *db = NULL;
    CHECK_EQ_INT(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    CHECK_EQ_INT(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void sql_exec(const char *db_path, const char *sql)
{
    sqlite3 *db = NULL;
    CHECK_EQ_INT(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                 SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    CHECK_MSG(rc == SQLITE_OK, "sqlite: %s", err ? err : "?");
    sqlite3_free(err);
    CHECK_EQ_INT(sqlite3_close(db), SQLITE_OK);
}

/* A fresh queue: directory 0700 (created with its parents), database 0600,
 * ours by application_id, the current schema version, WAL. */
static void fresh_queue(const char *base)
{
    char *parent = join(base, "fresh");
    char *dir = join(parent, "queue");
    bgcopy_manager *m = NULL;
    char *text = (char *)"untouched";
    CHECK_HR_OK(open_q(dir, &m, &text));
    CHECK(text == NULL);
    bgcopy_store_report r;
    CHECK_HR_OK(bgcopy_manager_get_store_report(m, &r));
    CHECK_EQ_INT(r.damage, BGCOPY_STORE_INTACT);
    CHECK(r.kept_path == NULL && r.kept_wal_path == NULL && r.detail == NULL);
    bgcopy_store_report_clear(&r);
    bgcopy_manager_close(m);

    char *db = join(dir, "queue.db");
    CHECK(ts_path_exists(db));
#ifndef _WIN32
    struct stat st;
    CHECK_EQ_INT(stat(dir, &st), 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0700);
    CHECK_EQ_INT(stat(parent, &st), 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0700);
    CHECK_EQ_INT(stat(db, &st), 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0600);
    char *lock = join(dir, "queue.lock");
    CHECK_EQ_INT(stat(lock, &st), 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0600);
    free(lock);
#endif
    CHECK_EQ_INT(sql_int(db, "PRAGMA application_id"), APP_ID);
    CHECK_EQ_INT(sql_int(db, "PRAGMA user_version"), 1);
    CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name IN"
                             " ('jobs','job_errors','files','file_ranges','filled_ranges',"
                             "'groups','pending_deletes')"), 7);
    /* The WAL journal mode is persistent in the file (header bytes 18-19). */
    size_t len = 0;
    unsigned char *bytes = (unsigned char *)ts_read_file(db, &len);
    CHECK(bytes && len >= 100);
    CHECK_EQ_INT(bytes[18], 2);
    CHECK_EQ_INT(bytes[19], 2);
    free(bytes);

    /* The same queue opens again; an in-memory manager has no report. */
    CHECK_HR_OK(open_q(dir, &m, NULL));
    bgcopy_manager_close(m);
    bgcopy_manager_options o;
    memset(&o, 0, sizeof o);
    o.state_dir = dir;
    o.queue = BGCOPY_QUEUE_IN_MEMORY;
    CHECK_HR_OK(bgcopy_manager_open(&o, &m));
    CHECK_EQ_HR(bgcopy_manager_get_store_report(m, &r), BGCOPY_S_FALSE);
    CHECK_EQ_INT(r.damage, BGCOPY_STORE_INTACT);
    bgcopy_manager_close(m);
    o.queue = 7;
    CHECK_EQ_HR(bgcopy_manager_open(&o, &m), BGCOPY_E_INVALIDARG);
    free(db);
    free(dir);
    free(parent);
}

/* Two managers of one process on one queue: flock belongs to the open
 * file, so the second is refused too, naming this process. */
static void same_process_lock(const char *base)
{
    char *dir = join(base, "twice");
    bgcopy_manager *a = NULL, *b = NULL;
    CHECK_HR_OK(open_q(dir, &a, NULL));
    char *text = NULL;
    CHECK_EQ_HR(open_q(dir, &b, &text), BGCOPY_E_QUEUE_IN_USE);
    CHECK(b == NULL);
    CHECK(text != NULL);
    char want[64];
    snprintf(want, sizeof want, "in use by process %d", (int)uv_os_getpid());
    CHECK_CONTAINS(text, want);
    bgcopy_free(text);
    bgcopy_manager_close(a);
    CHECK_HR_OK(open_q(dir, &b, NULL));
    bgcopy_manager_close(b);
    free(dir);
}

/* ---------------------------------------------------------- damaged files */

static char *make_bgcopy_db(const char *base, const char *name, int rows)
{
    char *dir = join(base, name);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(open_q(dir, &m, NULL));
    bgcopy_manager_close(m);
    char *db = join(dir, "queue.db");
    /* Enough rows for several pages, so that damage can hit one. */
    for (int i = 0; i < rows; i++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "INSERT INTO pending_deletes(path, dev, ino) VALUES("
                 "'/some/where/.BIT%08d.tmp-padding-padding-padding-padding-padding', %d, %d)",
                 i, i, i);
        sql_exec(db, sql);
    }
    free(db);
    return dir;
}

static void expect_kept(const char *dir, const void *bytes, size_t len, const void *wal,
                        size_t wal_len, bgcopy_store_damage damage, const char *word)
{
    char *db = join(dir, "queue.db");
    bgcopy_manager *m = NULL;
    char *text = NULL;
    bgcopy_hr ohr = open_q(dir, &m, &text);
    CHECK_MSG(ohr == BGCOPY_S_OK, "open: 0x%08x %s", (unsigned)ohr, text ? text : "(no text)");
    CHECK(text == NULL);
    bgcopy_store_report r;
    CHECK_HR_OK(bgcopy_manager_get_store_report(m, &r));
    CHECK_EQ_INT(r.damage, damage);
    CHECK(r.kept_path != NULL);
    CHECK(r.detail != NULL && r.detail[0]);
    char prefix[4096];
    snprintf(prefix, sizeof prefix, "%s.%s-", db, word);
    CHECK_MSG(strncmp(r.kept_path, prefix, strlen(prefix)) == 0, "kept as %s", r.kept_path);
    /* "YYYYMMDDTHHMMSSZ" */
    const char *stamp = r.kept_path + strlen(prefix);
    CHECK_EQ_INT(strlen(stamp), 16);
    CHECK(stamp[8] == 'T' && stamp[15] == 'Z');
    size_t got_len = 0;
    char *got = ts_read_file(r.kept_path, &got_len);
    CHECK(got != NULL);
    CHECK_EQ_U64(got_len, len);
    CHECK(len == 0 || memcmp(got, bytes, len) == 0);
    free(got);
    if (wal) {
        CHECK(r.kept_wal_path != NULL);
        char want[4200];
        snprintf(want, sizeof want, "%s-wal", r.kept_path);
        CHECK_EQ_STR(r.kept_wal_path, want);
        got = ts_read_file(r.kept_wal_path, &got_len);
        CHECK(got != NULL);
        CHECK_EQ_U64(got_len, wal_len);
        CHECK(memcmp(got, wal, wal_len) == 0);
        free(got);
    } else {
        CHECK(r.kept_wal_path == NULL);
    }
    bgcopy_store_report_clear(&r);
    CHECK(r.kept_path == NULL);
    bgcopy_manager_close(m);
    /* A new, empty queue took its place. */
    CHECK_EQ_INT(sql_int(db, "PRAGMA application_id"), APP_ID);
    CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM pending_deletes"), 0);
    /* And the next open finds nothing wrong. */
    CHECK_HR_OK(open_q(dir, &m, NULL));
    CHECK_HR_OK(bgcopy_manager_get_store_report(m, &r));
    CHECK_EQ_INT(r.damage, BGCOPY_STORE_INTACT);
    bgcopy_manager_close(m);
    free(db);
}

static void write_db(const char *dir, const void *bytes, size_t len)
{
    CHECK_EQ_INT(ts_mkdir(dir), 0);
#ifndef _WIN32
    CHECK_EQ_INT(chmod(dir, 0700), 0);
#endif
    char *db = join(dir, "queue.db");
    CHECK_EQ_INT(ts_write_file(db, bytes, len), 0);
    free(db);
}

static void damaged(const char *base)
{
    /* Zero-length. */
    char *dir = join(base, "empty");
    write_db(dir, "", 0);
    expect_kept(dir, "", 0, NULL, 0, BGCOPY_STORE_EMPTY, "empty");
    free(dir);

    /* Not an SQLite file at all. */
    char text[3000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + i % 26);
    dir = join(base, "text");
    write_db(dir, text, sizeof text);
    expect_kept(dir, text, sizeof text, NULL, 0, BGCOPY_STORE_FOREIGN, "foreign");
    free(dir);

    /* Another application's SQLite database. */
    dir = join(base, "other-app");
    CHECK_EQ_INT(ts_mkdir(dir), 0);
#ifndef _WIN32
    CHECK_EQ_INT(chmod(dir, 0700), 0);
#endif
    char *db = join(dir, "queue.db");
    sql_exec(db, "CREATE TABLE songs(title TEXT); INSERT INTO songs VALUES('la');");
    size_t len = 0;
    char *bytes = ts_read_file(db, &len);
    expect_kept(dir, bytes, len, NULL, 0, BGCOPY_STORE_FOREIGN, "foreign");
    free(bytes);
    free(db);
    free(dir);

    /* A bgcopy database with a damaged page, and a -wal beside it. */
    dir = make_bgcopy_db(base, "scribbled", 200);
    db = join(dir, "queue.db");
    bytes = ts_read_file(db, &len);
    CHECK(bytes && len >= 4 * 4096);
    /* Every b-tree page after the schema's gets a nonsense page header. */
    for (size_t pg = 1; pg < len / 4096; pg++)
        memset(bytes + pg * 4096, 0xA5, 12);
    CHECK_EQ_INT(ts_write_file(db, bytes, len), 0);
    char wal[777];
    for (size_t i = 0; i < sizeof wal; i++)
        wal[i] = (char)(i * 7);
    char *walp = join(dir, "queue.db-wal");
    CHECK_EQ_INT(ts_write_file(walp, wal, sizeof wal), 0);
    expect_kept(dir, bytes, len, wal, sizeof wal, BGCOPY_STORE_CORRUPT, "corrupt");
    free(walp);
    free(bytes);
    free(db);
    free(dir);

    /* Truncated to half its pages. */
    dir = make_bgcopy_db(base, "truncated", 200);
    db = join(dir, "queue.db");
    bytes = ts_read_file(db, &len);
    CHECK(bytes && len >= 4 * 4096);
    len = len / 2 / 4096 * 4096;
    CHECK_EQ_INT(ts_write_file(db, bytes, len), 0);
    expect_kept(dir, bytes, len, NULL, 0, BGCOPY_STORE_CORRUPT, "corrupt");
    free(bytes);
    free(db);
    free(dir);

    /* Its header cut: SQLite's magic, then nothing it can read. */
    dir = join(base, "header");
    write_db(dir, "SQLite format 3\0\x10\x00", 18);
    expect_kept(dir, "SQLite format 3\0\x10\x00", 18, NULL, 0, BGCOPY_STORE_CORRUPT, "corrupt");
    free(dir);
}

/* A database of a newer schema: refused, and not one byte changes. */
static void newer(const char *base)
{
    char *dir = make_bgcopy_db(base, "newer", 3);
    char *db = join(dir, "queue.db");
    sql_exec(db, "PRAGMA user_version=2");
    size_t len = 0, len2 = 0;
    char *before = ts_read_file(db, &len);
    CHECK(before != NULL);
    bgcopy_manager *m = NULL;
    char *text = NULL;
    CHECK_EQ_HR(open_q(dir, &m, &text), BGCOPY_E_QUEUE_TOO_NEW);
    CHECK(m == NULL);
    CHECK(text != NULL);
    CHECK_CONTAINS(text, "schema version 2");
    CHECK_CONTAINS(text, db);
    bgcopy_free(text);
    char *after = ts_read_file(db, &len2);
    CHECK_EQ_U64(len2, len);
    CHECK(memcmp(before, after, len) == 0);
    free(after);
    /* Refused again, still untouched, nothing kept aside. */
    CHECK_EQ_HR(open_q(dir, &m, NULL), BGCOPY_E_QUEUE_TOO_NEW);
    after = ts_read_file(db, &len2);
    CHECK_EQ_U64(len2, len);
    CHECK(memcmp(before, after, len) == 0);
    size_t n = 0;
    char **names = ts_list_dir(dir, &n);
    for (size_t i = 0; i < n; i++)
        CHECK_MSG(strstr(names[i], "queue.db.") == NULL, "unexpected %s", names[i]);
    ts_free_list(names);
    free(after);
    free(before);
    free(db);
    free(dir);
}

/* The checked-in database of schema version 1 opens and keeps its rows. */
static void version1(const char *base)
{
    char *dir = join(base, "v1");
    CHECK_EQ_INT(ts_mkdir(dir), 0);
#ifndef _WIN32
    CHECK_EQ_INT(chmod(dir, 0700), 0);
#endif
    char *db = join(dir, "queue.db");
    char *script = ts_read_file(BGCOPY_STORE_V1_SQL, NULL);
    CHECK_MSG(script != NULL, "cannot read %s", BGCOPY_STORE_V1_SQL);
    sql_exec(db, script);
    free(script);
    CHECK_EQ_INT(sql_int(db, "PRAGMA user_version"), 1);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(open_q(dir, &m, NULL));
    bgcopy_store_report r;
    CHECK_HR_OK(bgcopy_manager_get_store_report(m, &r));
    CHECK_EQ_INT(r.damage, BGCOPY_STORE_INTACT);
    bgcopy_manager_close(m);
    CHECK_EQ_INT(sql_int(db, "PRAGMA user_version"), 1);
    CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM jobs"), 1);
    CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM files"), 2);
    CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM file_ranges"), 2);
    CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM groups"), 1);
    free(db);
    free(dir);
}

/* The pending-delete list: Cancel records the temporary files it is about
 * to delete; the next open deletes what is still bgcopy's file under such a
 * name, leaves anything else alone, and forgets every entry. */
static void pending_deletes(const char *base)
{
    char *dir = join(base, "pending");
    char *src = join(base, "pending-src.bin");
    char *dest = join(base, "pending-dest.bin");
    CHECK_EQ_INT(ts_write_gen_file(src, 4096), 0);
    char *url = ts_file_url(src);
    bgcopy_manager *m = NULL;
    CHECK_HR_OK(open_q(dir, &m, NULL));
    bgcopy_job *job = NULL;
    CHECK_HR_OK(bgcopy_manager_create_job(m, "cancelled", BGCOPY_JOB_TYPE_DOWNLOAD, NULL, &job));
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    bgcopy_file_info fi;
    CHECK_HR_OK(bgcopy_job_get_file(job, 0, &fi));
    CHECK(ts_path_exists(fi.temporary_name));
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK(!ts_path_exists(fi.temporary_name));
    bgcopy_job_release(job);
    bgcopy_manager_close(m);
    char *db = join(dir, "queue.db");
    char sql[8400];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pending_deletes WHERE path='%s'",
             fi.temporary_name);
    CHECK_EQ_INT(sql_int(db, sql), 1);     /* recorded before the unlink */
    CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM jobs"), 0);
    bgcopy_file_info_clear(&fi);

    /* Entries as a Cancel interrupted by a crash leaves them: one naming
     * our file, one naming a file that is not the one recorded. */
    char *ours = join(base, ".BIT0000AAAA.tmp");
    char *theirs = join(base, ".BIT0000BBBB.tmp");
    CHECK_EQ_INT(ts_write_file(ours, "ours", 4), 0);
    CHECK_EQ_INT(ts_write_file(theirs, "theirs", 6), 0);
    uv_stat_t st_ours, st_theirs;
    CHECK_EQ_INT(ct_stat(ours, &st_ours), 0);
    CHECK_EQ_INT(ct_stat(theirs, &st_theirs), 0);
    snprintf(sql, sizeof sql,
             "INSERT INTO pending_deletes(path, dev, ino) VALUES('%s', %lld, %lld), "
             "('%s', %lld, %lld)", ours, (long long)st_ours.st_dev, (long long)st_ours.st_ino,
             theirs, (long long)st_theirs.st_dev, (long long)st_theirs.st_ino + 1);
    sql_exec(db, sql);
    CHECK_HR_OK(open_q(dir, &m, NULL));
    bgcopy_manager_close(m);
    CHECK(!ts_path_exists(ours));
    CHECK(ts_path_exists(theirs));
    CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM pending_deletes"), 0);
    free(ours);
    free(theirs);
    free(db);
    free(url);
    free(dest);
    free(src);
    free(dir);
}

#ifndef _WIN32
/* Directories that are not ours alone, and read-only ones.  Run as the
 * user "nobody" when the test runs as root (root's writes ignore modes). */
static int unusable_dirs(const char *base)
{
    char *dir = join(base, "shared");
    CHECK_EQ_INT(ts_mkdir(dir), 0);
    CHECK_EQ_INT(chmod(dir, 0770), 0);
    bgcopy_manager *m = NULL;
    char *text = NULL;
    CHECK_EQ_HR(open_q(dir, &m, &text), BGCOPY_E_ACCESSDENIED);
    CHECK(text != NULL);
    CHECK_CONTAINS(text, "writable by group or others");
    bgcopy_free(text);
    char *db = join(dir, "queue.db");
    CHECK(!ts_path_exists(db));
    free(db);
    free(dir);

    /* A new queue in a read-only directory. */
    dir = join(base, "readonly-new");
    CHECK_EQ_INT(ts_mkdir(dir), 0);
    CHECK_EQ_INT(chmod(dir, 0500), 0);
    CHECK_EQ_HR(open_q(dir, &m, &text), BGCOPY_E_ACCESSDENIED);
    CHECK(text != NULL);
    CHECK_CONTAINS(text, dir);
    bgcopy_free(text);
    free(dir);

    /* An existing queue whose directory became read-only. */
    dir = join(base, "readonly-old");
    CHECK_HR_OK(open_q(dir, &m, NULL));
    bgcopy_manager_close(m);
    CHECK_EQ_INT(chmod(dir, 0500), 0);
    CHECK_EQ_HR(open_q(dir, &m, &text), BGCOPY_E_ACCESSDENIED);
    CHECK(text != NULL);
    CHECK_CONTAINS(text, dir);
    bgcopy_free(text);
    CHECK_EQ_INT(chmod(dir, 0700), 0);
    CHECK_HR_OK(open_q(dir, &m, NULL));
    bgcopy_manager_close(m);
    free(dir);
    return 0;
}

static void not_ours(const char *base)
{
    /* A directory of another user: only root can make one. */
    char *dir = join(base, "theirs");
    CHECK_EQ_INT(ts_mkdir(dir), 0);
    CHECK_EQ_INT(chmod(dir, 0700), 0);
    CHECK_EQ_INT(chown(dir, 65534, 65534), 0);
    bgcopy_manager *m = NULL;
    char *text = NULL;
    CHECK_EQ_HR(open_q(dir, &m, &text), BGCOPY_E_ACCESSDENIED);
    CHECK(text != NULL);
    CHECK_CONTAINS(text, "belongs to user 65534");
    bgcopy_free(text);
    free(dir);
}

static void permissions(const char *base)
{
    if (geteuid() != 0) {
        unusable_dirs(base);
        return;
    }
    not_ours(base);
    /* As "nobody", in a directory nobody owns. */
    char *home = join(base, "nobody");
    CHECK_EQ_INT(ts_mkdir(home), 0);
    CHECK_EQ_INT(chmod(base, 0711), 0);
    CHECK_EQ_INT(chown(home, 65534, 65534), 0);
    CHECK_EQ_INT(chmod(home, 0700), 0);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(3);
        _exit(unusable_dirs(home));
    }
    int status = 0;
    CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    CHECK_EQ_INT(chmod(base, 0700), 0);
    free(home);
}
#endif

/* ------------------------------------------------- the lock, across processes */

typedef struct exit_info {
    int exited;
    int64_t status;
    int term_signal;
} exit_info;

static void on_exit_cb(uv_process_t *p, int64_t status, int term_signal)
{
    exit_info *e = p->data;
    e->exited = 1;
    e->status = status;
    e->term_signal = term_signal;
    uv_close((uv_handle_t *)p, NULL);
}

/* The child: owns the queue, says so through |ready|, and waits to be killed. */
static int hold(const char *dir, const char *ready)
{
    bgcopy_manager *m = NULL;
    if (BGCOPY_FAILED(open_q(dir, &m, NULL)))
        return 2;
    if (ts_write_file(ready, "ready", 5) != 0)
        return 3;
    for (int i = 0; i < 600; i++)
        ts_sleep_ms(100);
    bgcopy_manager_close(m);
    return 4;
}

static void other_process(const char *base)
{
    char *dir = join(base, "held");
    char *ready = join(base, "held.ready");
    char self[4096];
    size_t n = sizeof self;
    CHECK_EQ_INT(uv_exepath(self, &n), 0);
    char *args[] = { self, (char *)"--hold", dir, ready, NULL };
    uv_loop_t loop;
    CHECK_EQ_INT(uv_loop_init(&loop), 0);
    uv_process_t proc;
    exit_info e = { 0, -1, 0 };
    proc.data = &e;
    uv_process_options_t o;
    memset(&o, 0, sizeof o);
    o.file = self;
    o.args = args;
    o.exit_cb = on_exit_cb;
    uv_stdio_container_t io[3];
    for (int i = 0; i < 3; i++) {
        io[i].flags = UV_INHERIT_FD;
        io[i].data.fd = i;
    }
    o.stdio = io;
    o.stdio_count = 3;
    CHECK_EQ_INT(uv_spawn(&loop, &proc, &o), 0);
    uint64_t deadline = ts_now_ms() + 20000;
    while (!ts_path_exists(ready) && !e.exited && ts_now_ms() < deadline) {
        uv_run(&loop, UV_RUN_NOWAIT);
        ts_sleep_ms(20);
    }
    CHECK_MSG(ts_path_exists(ready), "the child did not open the queue (exited %d, status %d)",
              e.exited, (int)e.status);

    bgcopy_manager *m = NULL;
    char *text = NULL;
    CHECK_EQ_HR(open_q(dir, &m, &text), BGCOPY_E_QUEUE_IN_USE);
    CHECK(m == NULL);
    CHECK(text != NULL);
    char want[64];
    snprintf(want, sizeof want, "in use by process %d", proc.pid);
    CHECK_CONTAINS(text, want);
    CHECK_CONTAINS(text, dir);
    bgcopy_free(text);

    /* kill -9: the OS drops the lock with the process. */
    CHECK_EQ_INT(uv_process_kill(&proc, SIGKILL), 0);
    deadline = ts_now_ms() + 20000;
    while (!e.exited && ts_now_ms() < deadline)
        uv_run(&loop, UV_RUN_ONCE);
    CHECK(e.exited);
    CHECK_HR_OK(open_q(dir, &m, &text));
    CHECK(text == NULL);
    bgcopy_manager_close(m);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_EQ_INT(uv_loop_close(&loop), 0);
    free(dir);
    free(ready);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--hold") == 0)
        return hold(argv[2], argv[3]);
    char *base = ts_mkdtemp();
    fresh_queue(base);
    same_process_lock(base);
    damaged(base);
    newer(base);
    version1(base);
    pending_deletes(base);
#ifndef _WIN32
    permissions(base);
#endif
    other_process(base);
#ifndef _WIN32
    (void)chmod(base, 0700);
#endif
    ts_rmtree(base);
    free(base);
    printf("core_store_open: all passed\n");
    return 0;
}
