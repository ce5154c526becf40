/*
 * store.c - the persistent queue's database layer (store.h): the queue
 * directory, its single-owner lock, the SQLite database and its rows.
 *
 * Opening a queue (docs/persistence.md, "Opening"):
 *  1. The directory is created 0700 when missing; an existing one must be a
 *     directory of ours that group and others cannot write (POSIX), because
 *     the database holds custom headers and, later, credentials.
 *  2. The single-owner lock (queue.lock, platform.c) is taken before the
 *     database is looked at, so two processes never repair, migrate or
 *     write one queue at once.
 *  3. A missing database is created under a temporary name with mode 0600,
 *     given its schema and renamed into place: a queue.db that exists is
 *     therefore always one that had a complete schema, and a zero-length
 *     queue.db is never ours.  SQLite gives -wal and -shm the database's
 *     mode.
 *  4. An existing database is checked before anything is written to it:
 *     application_id (is it ours?), user_version (a newer schema is
 *     refused and left byte-identical), PRAGMA quick_check.  Until it
 *     passes, the connection runs with SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, so
 *     closing it never writes the WAL back into the file being judged.
 *  5. A damaged database is renamed aside with its -wal (never emptied,
 *     never deleted), and step 3 starts a new queue.
 *  6. An older schema is migrated in one transaction, step by step through
 *     k_migrations (one entry per earlier version).
 *
 * Numbers: every uint64_t is stored as SQLite's signed 64-bit integer of
 * the same bits (BGCOPY_SIZE_UNKNOWN is -1 in the file) and read back the
 * same way.  GUIDs are 16-byte blobs in RFC 4122 byte order.
 */
#include "store.h"

#include "internal.h"
#include "platform.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h> /* S_IFMT and friends for libuv's st_mode, on Windows too */

#ifdef _WIN32
#define SEP "\\"
#else
#define SEP "/"
#endif

/* ---------------------------------------------------------------- schema */

/* Version 1: jobs, their error record, files, ranges, filled on-demand
 * ranges, groups and the pending-delete list.  Children are deleted with
 * their job (ON DELETE CASCADE, foreign_keys=ON). */
static const char k_schema_v1[] =
    "CREATE TABLE jobs("
    " id BLOB PRIMARY KEY NOT NULL CHECK(length(id) = 16),"
    " seq INTEGER NOT NULL,"
    " type INTEGER NOT NULL,"
    " display_name TEXT NOT NULL,"
    " description TEXT NOT NULL,"
    " state INTEGER NOT NULL,"
    " priority INTEGER NOT NULL,"
    " owner TEXT,"
    " creation_time INTEGER NOT NULL,"
    " modification_time INTEGER NOT NULL,"
    " transfer_completion_time INTEGER NOT NULL,"
    " notify_flags INTEGER NOT NULL,"
    " notify_program TEXT,"
    " notify_parameters TEXT,"
    " min_retry_delay_s INTEGER NOT NULL,"
    " no_progress_timeout_s INTEGER NOT NULL,"
    " error_count INTEGER NOT NULL,"
    " retry_spent_ms INTEGER NOT NULL,"
    " no_progress_spent_ms INTEGER NOT NULL,"
    " ever_resumed INTEGER NOT NULL,"
    " security_flags INTEGER NOT NULL,"
    " custom_headers TEXT,"
    " dynamic_content INTEGER NOT NULL,"
    " on_demand INTEGER NOT NULL,"
    " file_acl_flags INTEGER NOT NULL,"
    " peer_caching_flags INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX jobs_by_seq ON jobs(seq);"
    "CREATE TABLE job_errors("
    " job_id BLOB PRIMARY KEY NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
    " code INTEGER NOT NULL,"
    " context INTEGER NOT NULL,"
    " file_index INTEGER NOT NULL,"
    " protocol TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE files("
    " job_id BLOB NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL,"
    " remote_name TEXT NOT NULL,"
    " local_name TEXT NOT NULL,"
    " temporary_name TEXT,"
    " temp_created INTEGER NOT NULL,"
    " temp_dev INTEGER NOT NULL,"
    " temp_ino INTEGER NOT NULL,"
    " bytes_total INTEGER NOT NULL,"
    " bytes_transferred INTEGER NOT NULL,"
    " remote_size INTEGER NOT NULL,"
    " finished INTEGER NOT NULL,"
    " completed INTEGER NOT NULL,"
    " need_probe INTEGER NOT NULL,"
    " etag TEXT,"
    " last_modified TEXT,"
    " last_modified_unix INTEGER NOT NULL,"
    " validation_state INTEGER NOT NULL,"
    " PRIMARY KEY(job_id, idx)"
    ") WITHOUT ROWID;"
    "CREATE TABLE file_ranges("
    " job_id BLOB NOT NULL,"
    " file_idx INTEGER NOT NULL,"
    " idx INTEGER NOT NULL,"
    " initial_offset INTEGER NOT NULL,"
    " length INTEGER NOT NULL,"
    " PRIMARY KEY(job_id, file_idx, idx),"
    " FOREIGN KEY(job_id, file_idx) REFERENCES files(job_id, idx) ON DELETE CASCADE"
    ") WITHOUT ROWID;"
    "CREATE TABLE filled_ranges("
    " job_id BLOB NOT NULL,"
    " file_idx INTEGER NOT NULL,"
    " initial_offset INTEGER NOT NULL,"
    " length INTEGER NOT NULL,"
    " PRIMARY KEY(job_id, file_idx, initial_offset),"
    " FOREIGN KEY(job_id, file_idx) REFERENCES files(job_id, idx) ON DELETE CASCADE"
    ") WITHOUT ROWID;"
    "CREATE TABLE groups("
    " id BLOB PRIMARY KEY NOT NULL CHECK(length(id) = 16),"
    " job_id BLOB NOT NULL,"
    " complete INTEGER NOT NULL,"
    " job1_id BLOB,"
    " foreground INTEGER NOT NULL,"
    " notify_flags INTEGER NOT NULL,"
    " clsid BLOB,"
    " display_name TEXT,"
    " description TEXT,"
    " done_bytes INTEGER NOT NULL,"
    " prog_bytes INTEGER NOT NULL,"
    " prog_percent INTEGER NOT NULL,"
    " prog_seconds INTEGER NOT NULL,"
    " seq INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE pending_deletes("
    " path TEXT PRIMARY KEY NOT NULL,"
    " dev INTEGER NOT NULL,"
    " ino INTEGER NOT NULL"
    ") WITHOUT ROWID;";

/* k_migrations[v] takes a database from user_version v to v + 1; entry 0
 * builds an empty database.  A new version appends one entry (never edits
 * an old one) and a checked-in database of the old version
 * (tests/store/) proves it opens. */
static const char *const k_migrations[BGC_STORE_VERSION] = {
    k_schema_v1,
};

/* ------------------------------------------------------------ statements */

enum {
    S_BEGIN, S_COMMIT, S_ROLLBACK,
    S_JOB_PUT, S_ERR_DEL, S_ERR_PUT, S_JOB_DEL,
    S_FILE_PUT, S_PROGRESS,
    S_RANGES_DEL, S_RANGE_INS, S_FILLED_DEL, S_FILLED_INS,
    S_GROUP_PUT, S_GROUP_DEL, S_PD_INS, S_PD_DEL,
    S_LOAD_JOBS, S_LOAD_FILES, S_LOAD_RANGES, S_LOAD_FILLED, S_LOAD_GROUPS, S_LOAD_PD,
    S_COUNT
};

#define JOB_COLS "id, seq, type, display_name, description, state, priority, owner," \
    " creation_time, modification_time, transfer_completion_time, notify_flags," \
    " notify_program, notify_parameters, min_retry_delay_s, no_progress_timeout_s," \
    " error_count, retry_spent_ms, no_progress_spent_ms, ever_resumed, security_flags," \
    " custom_headers, dynamic_content, on_demand, file_acl_flags, peer_caching_flags"
#define FILE_COLS "idx, remote_name, local_name, temporary_name, temp_created, temp_dev," \
    " temp_ino, bytes_total, bytes_transferred, remote_size, finished, completed," \
    " need_probe, etag, last_modified, last_modified_unix, validation_state"
#define GROUP_COLS "id, job_id, complete, job1_id, foreground, notify_flags, clsid," \
    " display_name, description, done_bytes, prog_bytes, prog_percent, prog_seconds, seq"

static const char *const k_sql[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_JOB_PUT] = "INSERT INTO jobs(" JOB_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
        "?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26) ON CONFLICT(id) DO UPDATE SET"
        " seq=?2, type=?3, display_name=?4, description=?5, state=?6, priority=?7, owner=?8,"
        " creation_time=?9, modification_time=?10, transfer_completion_time=?11,"
        " notify_flags=?12, notify_program=?13, notify_parameters=?14, min_retry_delay_s=?15,"
        " no_progress_timeout_s=?16, error_count=?17, retry_spent_ms=?18,"
        " no_progress_spent_ms=?19, ever_resumed=?20, security_flags=?21, custom_headers=?22,"
        " dynamic_content=?23, on_demand=?24, file_acl_flags=?25, peer_caching_flags=?26",
    [S_ERR_DEL] = "DELETE FROM job_errors WHERE job_id=?1",
    [S_ERR_PUT] = "INSERT OR REPLACE INTO job_errors(job_id, code, context, file_index, protocol)"
        " VALUES(?1,?2,?3,?4,?5)",
    [S_JOB_DEL] = "DELETE FROM jobs WHERE id=?1",
    [S_FILE_PUT] = "INSERT INTO files(job_id, " FILE_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,"
        "?10,?11,?12,?13,?14,?15,?16,?17,?18) ON CONFLICT(job_id, idx) DO UPDATE SET"
        " remote_name=?3, local_name=?4, temporary_name=?5, temp_created=?6, temp_dev=?7,"
        " temp_ino=?8, bytes_total=?9, bytes_transferred=?10, remote_size=?11, finished=?12,"
        " completed=?13, need_probe=?14, etag=?15, last_modified=?16,"
        " last_modified_unix=?17, validation_state=?18",
    [S_PROGRESS] = "UPDATE files SET bytes_transferred=?3, finished=?4 WHERE job_id=?1 AND idx=?2",
    [S_RANGES_DEL] = "DELETE FROM file_ranges WHERE job_id=?1 AND file_idx=?2",
    [S_RANGE_INS] = "INSERT INTO file_ranges(job_id, file_idx, idx, initial_offset, length)"
        " VALUES(?1,?2,?3,?4,?5)",
    [S_FILLED_DEL] = "DELETE FROM filled_ranges WHERE job_id=?1 AND file_idx=?2",
    [S_FILLED_INS] = "INSERT OR REPLACE INTO filled_ranges(job_id, file_idx, initial_offset, length)"
        " VALUES(?1,?2,?3,?4)",
    [S_GROUP_PUT] = "INSERT INTO groups(" GROUP_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
        "?11,?12,?13,(SELECT ifnull(max(seq), 0) + 1 FROM groups)) ON CONFLICT(id) DO UPDATE SET"
        " job_id=?2, complete=?3, job1_id=?4, foreground=?5, notify_flags=?6, clsid=?7,"
        " display_name=?8, description=?9, done_bytes=?10, prog_bytes=?11, prog_percent=?12,"
        " prog_seconds=?13",
    [S_GROUP_DEL] = "DELETE FROM groups WHERE id=?1",
    [S_PD_INS] = "INSERT OR REPLACE INTO pending_deletes(path, dev, ino) VALUES(?1,?2,?3)",
    [S_PD_DEL] = "DELETE FROM pending_deletes WHERE path=?1",
    [S_LOAD_JOBS] = "SELECT " JOB_COLS ", e.code, e.context, e.file_index, e.protocol"
        " FROM jobs LEFT JOIN job_errors AS e ON e.job_id = jobs.id ORDER BY seq",
    [S_LOAD_FILES] = "SELECT " FILE_COLS " FROM files WHERE job_id=?1 ORDER BY idx",
    [S_LOAD_RANGES] = "SELECT initial_offset, length FROM file_ranges"
        " WHERE job_id=?1 AND file_idx=?2 ORDER BY idx",
    [S_LOAD_FILLED] = "SELECT initial_offset, length FROM filled_ranges"
        " WHERE job_id=?1 AND file_idx=?2 ORDER BY initial_offset",
    [S_LOAD_GROUPS] = "SELECT " GROUP_COLS " FROM groups ORDER BY seq",
    [S_LOAD_PD] = "SELECT path, dev, ino FROM pending_deletes ORDER BY path",
};

struct bgc_store {
    sqlite3 *db;
    bgc_platform_lock *lock;
    sqlite3_stmt *st[S_COUNT];
    int in_txn;
};

bgcopy_hr bgc_store_hr(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return BGCOPY_S_OK;
    case SQLITE_FULL: return BGCOPY_E_DISK_FULL;
    case SQLITE_IOERR: return BGCOPY_HRESULT_FROM_WIN32(29);  /* ERROR_WRITE_FAULT */
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH: return BGCOPY_E_ACCESSDENIED;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return BGCOPY_E_DATABASE_CORRUPT;
    case SQLITE_NOMEM: return BGCOPY_E_OUTOFMEMORY;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return BGCOPY_E_QUEUE_IN_USE;
    default: return BGCOPY_E_FAIL;
    }
}

/* --------------------------------------------------------------- helpers */

static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

static void set_text(char **text, char *s)
{
    if (text && !*text)
        *text = s;
    else
        free(s);
}

/* lstat; 0 with *st, or a negative libuv error. */
static int lstat_path(const char *path, uv_stat_t *st)
{
    uv_fs_t req;
    int rc = uv_fs_lstat(NULL, &req, path, NULL);
    if (rc == 0)
        *st = req.statbuf;
    uv_fs_req_cleanup(&req);
    return rc;
}

static int fs_rename(const char *from, const char *to)
{
    uv_fs_t req;
    int rc = uv_fs_rename(NULL, &req, from, to, NULL);
    uv_fs_req_cleanup(&req);
    return rc;
}

static int fs_unlink(const char *path)
{
    uv_fs_t req;
    int rc = uv_fs_unlink(NULL, &req, path, NULL);
    uv_fs_req_cleanup(&req);
    return rc;
}

/* Makes the directory entries of |dir| durable (after a rename).  POSIX
 * only: Windows has no directory fsync and NTFS journals its metadata. */
static void sync_dir(const char *dir)
{
#ifndef _WIN32
    uv_fs_t req;
    int fd = uv_fs_open(NULL, &req, dir, UV_FS_O_RDONLY, 0, NULL);
    uv_fs_req_cleanup(&req);
    if (fd < 0)
        return;
    (void)uv_fs_fsync(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
    (void)uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
#else
    (void)dir;
#endif
}

static int is_sep(char c)
{
#ifdef _WIN32
    return c == '/' || c == '\\';
#else
    return c == '/';
#endif
}

/* mkdir -p with mode 0700 for every directory it creates.  Errors on the
 * way are ignored: the final check of the directory itself reports what
 * matters. */
static void make_dirs(const char *dir)
{
    char *p = bgc_strdup(dir);
    if (!p)
        return;
    uv_fs_t req;
    for (size_t i = 1; p[i]; i++) {
        if (!is_sep(p[i]) || is_sep(p[i - 1]))
            continue;
        p[i] = '\0';
        (void)uv_fs_mkdir(NULL, &req, p, 0700, NULL);
        uv_fs_req_cleanup(&req);
        p[i] = SEP[0];
    }
    (void)uv_fs_mkdir(NULL, &req, p, 0700, NULL);
    uv_fs_req_cleanup(&req);
    free(p);
}

/* The queue directory is ours alone (docs/security.md): a directory (a
 * symbolic link to one is followed), owned by the effective user, not
 * writable by group or others.  Windows: %LOCALAPPDATA% is per-user by its
 * ACL, and ownership is not what libuv's stat reports, so only "is a
 * directory" is checked there. */
static bgcopy_hr check_dir(const char *dir, char **text)
{
    uv_fs_t req;
    int rc = uv_fs_stat(NULL, &req, dir, NULL);
    uv_stat_t st = req.statbuf;
    uv_fs_req_cleanup(&req);
    if (rc != 0) {
        set_text(text, fmt("the queue directory %s cannot be created or read: %s", dir,
                           uv_strerror(rc)));
        return bgc_hr_from_errno(-rc);
    }
    if ((st.st_mode & S_IFMT) != S_IFDIR) {
        set_text(text, fmt("the queue directory %s is not a directory", dir));
        return BGCOPY_E_PATH_NOT_FOUND;
    }
#ifndef _WIN32
    uv_passwd_t pw;
    if (uv_os_get_passwd(&pw) == 0) {
        unsigned long uid = pw.uid;
        uv_os_free_passwd(&pw);
        if (st.st_uid != uid) {
            set_text(text, fmt("the queue directory %s belongs to user %lu, not to this user"
                               " (%lu); it is not used", dir, (unsigned long)st.st_uid, uid));
            return BGCOPY_E_ACCESSDENIED;
        }
    }
    if (st.st_mode & 022) {
        set_text(text, fmt("the queue directory %s is writable by group or others (mode %03o);"
                           " it is not used", dir, (unsigned)(st.st_mode & 0777)));
        return BGCOPY_E_ACCESSDENIED;
    }
#endif
    return BGCOPY_S_OK;
}

/* "YYYYMMDDTHHMMSSZ" (UTC) of the current time, for kept names. */
static void utc_stamp(char out[32])
{
    uv_timeval64_t tv;
    int64_t t = uv_gettimeofday(&tv) == 0 ? tv.tv_sec : 0;
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    /* Howard Hinnant's civil_from_days. */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t mo = mp < 10 ? mp + 3 : mp - 9;
    if (mo <= 2)
        y++;
    snprintf(out, 32, "%04d%02d%02dT%02d%02d%02dZ", (int)(y % 10000), (int)mo, (int)d,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

static const char *damage_word(bgcopy_store_damage d)
{
    switch (d) {
    case BGCOPY_STORE_CORRUPT: return "corrupt";
    case BGCOPY_STORE_EMPTY: return "empty";
    case BGCOPY_STORE_FOREIGN: return "foreign";
    default: return "kept";
    }
}

/* Renames |db| (and its -wal) aside and fills |report|; the -shm, which
 * SQLite rebuilds from the WAL, is deleted.  The lock is held, so nobody
 * else renames here meanwhile. */
static bgcopy_hr move_aside(const char *db, int had_wal, bgcopy_store_damage damage,
                            char *detail, bgcopy_store_report *report, char **text)
{
    char stamp[32];
    utc_stamp(stamp);
    char *kept = NULL;
    uv_stat_t st;
    for (int n = 1; n < 1000; n++) {
        free(kept);
        kept = n == 1 ? fmt("%s.%s-%s", db, damage_word(damage), stamp)
                      : fmt("%s.%s-%s-%d", db, damage_word(damage), stamp, n);
        if (!kept || lstat_path(kept, &st) == UV_ENOENT)
            break;
    }
    char *wal = fmt("%s-wal", db), *kept_wal = kept ? fmt("%s-wal", kept) : NULL;
    char *shm = fmt("%s-shm", db);
    bgcopy_hr hr = BGCOPY_E_OUTOFMEMORY;
    if (kept && wal && kept_wal && shm) {
        int rc = fs_rename(db, kept);
        if (rc != 0) {
            set_text(text, fmt("the damaged queue database %s could not be moved aside: %s", db,
                               uv_strerror(rc)));
            hr = bgc_hr_from_errno(-rc);
        } else {
            hr = BGCOPY_S_OK;
            report->damage = damage;
            report->kept_path = kept;
            kept = NULL;
            report->detail = detail;
            detail = NULL;
            if (!had_wal) {
                /* The empty log our own look at the file created: not part
                 * of what was found. */
                (void)fs_unlink(wal);
            } else if (lstat_path(wal, &st) == 0) {
                rc = fs_rename(wal, kept_wal);
                if (rc == 0) {
                    report->kept_wal_path = kept_wal;
                    kept_wal = NULL;
                } else {
                    /* A WAL left under the live name would be replayed into
                     * the new queue: refuse to go on rather than mix them. */
                    set_text(text, fmt("the write-ahead log %s of a damaged queue could not be"
                                       " moved aside: %s", wal, uv_strerror(rc)));
                    hr = bgc_hr_from_errno(-rc);
                }
            }
            (void)fs_unlink(shm);
        }
    }
    free(kept);
    free(wal);
    free(kept_wal);
    free(shm);
    free(detail);
    return hr;
}

static int pragma_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

/* SQLITE_NOTADB for a file that starts with SQLite's magic is a damaged
 * database; without the magic it is some other kind of file. */
static bgcopy_store_damage classify_unreadable(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    uv_fs_t req;
    int fd = uv_fs_open(NULL, &req, path, UV_FS_O_RDONLY, 0, NULL);
    uv_fs_req_cleanup(&req);
    if (fd < 0)
        return BGCOPY_STORE_CORRUPT;
    uv_buf_t b = uv_buf_init(head, sizeof head);
    int n = uv_fs_read(NULL, &req, fd, &b, 1, 0, NULL);
    uv_fs_req_cleanup(&req);
    (void)uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
    return n == (int)sizeof head && memcmp(head, magic, sizeof magic) == 0
        ? BGCOPY_STORE_CORRUPT : BGCOPY_STORE_FOREIGN;
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Brings |db| from |from| to BGC_STORE_VERSION in one transaction. */
static int migrate(sqlite3 *db, int64_t from)
{
    int rc = exec(db, "BEGIN IMMEDIATE");
    for (int64_t v = from; rc == SQLITE_OK && v < BGC_STORE_VERSION; v++)
        rc = exec(db, k_migrations[v]);
    if (rc == SQLITE_OK) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", BGC_STORE_VERSION);
        rc = exec(db, sql);
    }
    if (rc == SQLITE_OK)
        rc = exec(db, "COMMIT");
    if (rc != SQLITE_OK)
        (void)exec(db, "ROLLBACK");
    return rc;
}

static int open_db(const char *path, int flags, sqlite3 **out)
{
    *out = NULL;
    int rc = sqlite3_open_v2(path, out, flags | SQLITE_OPEN_FULLMUTEX, NULL);
    if (*out) {
        sqlite3_extended_result_codes(*out, 1);
        /* Nothing may be written back into a file before it is judged
         * (step 4 at the top). */
        sqlite3_db_config(*out, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    }
    return rc;
}

/* Step 3: a new queue database under a temporary name, then renamed. */
static bgcopy_hr create_db(const char *dir, const char *db, char **text)
{
    char *tmp = fmt("%s.new", db);
    char *tmp_wal = fmt("%s.new-wal", db), *tmp_shm = fmt("%s.new-shm", db);
    char *tmp_journal = fmt("%s.new-journal", db);
    bgcopy_hr hr = BGCOPY_E_OUTOFMEMORY;
    if (!tmp || !tmp_wal || !tmp_shm || !tmp_journal)
        goto out;
    /* Leftovers of a creation that a crash interrupted: our names, in our
     * locked directory, never renamed into place. */
    (void)fs_unlink(tmp);
    (void)fs_unlink(tmp_wal);
    (void)fs_unlink(tmp_shm);
    (void)fs_unlink(tmp_journal);
    uv_fs_t req;
    int rc = uv_fs_open(NULL, &req, tmp, UV_FS_O_WRONLY | UV_FS_O_CREAT | UV_FS_O_EXCL, 0600, NULL);
    uv_fs_req_cleanup(&req);
    if (rc < 0) {
        set_text(text, fmt("the queue database %s cannot be created: %s", tmp, uv_strerror(rc)));
        hr = bgc_hr_from_errno(-rc);
        goto out;
    }
    (void)uv_fs_close(NULL, &req, rc, NULL);
    uv_fs_req_cleanup(&req);

    sqlite3 *sdb = NULL;
    rc = open_db(tmp, SQLITE_OPEN_READWRITE, &sdb);
    if (rc == SQLITE_OK) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id=%d", BGC_STORE_APPLICATION_ID);
        rc = exec(sdb, sql);
    }
    if (rc == SQLITE_OK)
        rc = exec(sdb, "PRAGMA journal_mode=WAL");
    if (rc == SQLITE_OK)
        rc = migrate(sdb, 0);
    if (rc == SQLITE_OK)
        sqlite3_db_config(sdb, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
    if (rc != SQLITE_OK)
        set_text(text, fmt("the queue database %s cannot be created: %s", tmp,
                           sdb ? sqlite3_errmsg(sdb) : sqlite3_errstr(rc)));
    /* Closing the last connection checkpoints and removes the -wal, so the
     * file renamed below is the whole database. */
    int crc = sqlite3_close(sdb);
    if (rc == SQLITE_OK)
        rc = crc;
    if (rc != SQLITE_OK) {
        hr = bgc_store_hr(rc);
        (void)fs_unlink(tmp);
        (void)fs_unlink(tmp_wal);
        (void)fs_unlink(tmp_shm);
        goto out;
    }
    rc = fs_rename(tmp, db);
    if (rc != 0) {
        set_text(text, fmt("the queue database %s cannot be created: %s", db, uv_strerror(rc)));
        hr = bgc_hr_from_errno(-rc);
        (void)fs_unlink(tmp);
        goto out;
    }
    sync_dir(dir);
    hr = BGCOPY_S_OK;
out:
    free(tmp);
    free(tmp_wal);
    free(tmp_shm);
    free(tmp_journal);
    return hr;
}

/* Step 4 on an existing |db|.  S_OK with *out open and current; S_FALSE
 * with *damage and *detail (the database is closed, untouched); or an
 * error. */
static bgcopy_hr open_existing(const char *db, sqlite3 **out, bgcopy_store_damage *damage,
                               char **detail, char **text)
{
    *out = NULL;
    sqlite3 *sdb = NULL;
    int64_t app = 0, version = 0;
    int rc = open_db(db, SQLITE_OPEN_READWRITE, &sdb);
    if (rc == SQLITE_OK)
        rc = pragma_int(sdb, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = pragma_int(sdb, "PRAGMA user_version", &version);
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
        *damage = (rc & 0xff) == SQLITE_NOTADB ? classify_unreadable(db) : BGCOPY_STORE_CORRUPT;
        *detail = fmt("%s", sdb ? sqlite3_errmsg(sdb) : sqlite3_errstr(rc));
        sqlite3_close(sdb);
        return BGCOPY_S_FALSE;
    }
    if (rc != SQLITE_OK)
        goto fail;
    if (app != BGC_STORE_APPLICATION_ID) {
        *damage = BGCOPY_STORE_FOREIGN;
        *detail = fmt("an SQLite database of another application (application_id %lld)",
                      (long long)app);
        sqlite3_close(sdb);
        return BGCOPY_S_FALSE;
    }
    if (version > BGC_STORE_VERSION || version < 1) {
        sqlite3_close(sdb);
        if (version < 1) {
            /* Ours by its id but never given a schema: we never rename such
             * a file into place (step 3), so something else wrote it. */
            *damage = BGCOPY_STORE_CORRUPT;
            *detail = fmt("a bgcopy database without a schema version");
            return BGCOPY_S_FALSE;
        }
        set_text(text, fmt("the queue database %s has schema version %lld, written by a newer"
                           " bgcopy; this one reads versions up to %d and leaves it untouched",
                           db, (long long)version, BGC_STORE_VERSION));
        return BGCOPY_E_QUEUE_TOO_NEW;
    }
    sqlite3_stmt *qc = NULL;
    rc = sqlite3_prepare_v2(sdb, "PRAGMA quick_check", -1, &qc, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(qc);
        if (rc == SQLITE_ROW) {
            const char *r = (const char *)sqlite3_column_text(qc, 0);
            if (!r || strcmp(r, "ok") != 0) {
                *damage = BGCOPY_STORE_CORRUPT;
                *detail = fmt("quick_check: %s", r ? r : "(no text)");
                sqlite3_finalize(qc);
                sqlite3_close(sdb);
                return BGCOPY_S_FALSE;
            }
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(qc);
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
        *damage = BGCOPY_STORE_CORRUPT;
        *detail = fmt("quick_check: %s", sqlite3_errmsg(sdb));
        sqlite3_close(sdb);
        return BGCOPY_S_FALSE;
    }
    if (rc != SQLITE_OK)
        goto fail;
    rc = exec(sdb, "PRAGMA journal_mode=WAL");
    if (rc == SQLITE_OK)
        rc = exec(sdb, "PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
                       " PRAGMA foreign_keys=ON");
    if (rc == SQLITE_OK && version < BGC_STORE_VERSION)
        rc = migrate(sdb, version);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_db_config(sdb, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
    *out = sdb;
    return BGCOPY_S_OK;
fail:
    set_text(text, fmt("the queue database %s cannot be opened: %s", db,
                       sdb ? sqlite3_errmsg(sdb) : sqlite3_errstr(rc)));
    sqlite3_close(sdb);
    return bgc_store_hr(rc);
}

/* ------------------------------------------------------------------ open */

void bgc_store_close(bgc_store *st)
{
    if (!st)
        return;
    if (st->in_txn)
        bgc_store_rollback(st);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->st[i]);
    sqlite3_close(st->db);
    bgc_platform_lock_release(st->lock);
    free(st);
}

bgcopy_hr bgc_store_open(const char *dir, bgc_store **out, bgcopy_store_report *report,
                         char **text)
{
    *out = NULL;
    memset(report, 0, sizeof *report);
    if (text)
        *text = NULL;
    if (!dir) {
        set_text(text, fmt("no queue directory: neither XDG_STATE_HOME/LOCALAPPDATA nor a home"
                           " directory is known"));
        return BGCOPY_E_FAIL;
    }
    bgc_store *st = calloc(1, sizeof *st);
    char *lock = fmt("%s" SEP "%s", dir, BGC_STORE_LOCK_NAME);
    char *db = fmt("%s" SEP "%s", dir, BGC_STORE_DB_NAME);
    bgcopy_hr hr = BGCOPY_E_OUTOFMEMORY;
    if (!st || !lock || !db)
        goto fail;

    make_dirs(dir);
    hr = check_dir(dir, text);
    if (hr != BGCOPY_S_OK)
        goto fail;

    int64_t holder = 0;
    int rc = bgc_platform_lock_acquire(lock, &st->lock, &holder);
    if (rc == UV_EBUSY) {
        if (holder > 0)
            set_text(text, fmt("the queue in %s is in use by process %lld", dir, (long long)holder));
        else
            set_text(text, fmt("the queue in %s is in use by another process", dir));
        hr = BGCOPY_E_QUEUE_IN_USE;
        goto fail;
    }
    if (rc != 0) {
        set_text(text, fmt("the queue lock %s cannot be taken: %s", lock, uv_strerror(rc)));
        hr = bgc_hr_from_errno(-rc);
        goto fail;
    }

    /* Steps 3 to 5: at most one damaged database is moved aside and one
     * new database created per open. */
    int moved = 0;
    for (int round = 0; round < 3 && !st->db; round++) {
        uv_stat_t sb;
        rc = lstat_path(db, &sb);
        if (rc == UV_ENOENT) {
            /* A -wal without its database would be replayed into the new
             * one: keep it aside too. */
            char *wal = fmt("%s-wal", db);
            uv_stat_t wb;
            if (wal && lstat_path(wal, &wb) == 0) {
                char stamp[32];
                utc_stamp(stamp);
                char *kept = fmt("%s.orphan-%s", wal, stamp);
                if (kept)
                    (void)fs_rename(wal, kept);
                free(kept);
            }
            free(wal);
            hr = create_db(dir, db, text);
            if (hr != BGCOPY_S_OK)
                goto fail;
            continue;
        }
        if (rc != 0) {
            set_text(text, fmt("the queue database %s cannot be read: %s", db, uv_strerror(rc)));
            hr = bgc_hr_from_errno(-rc);
            goto fail;
        }
        if ((sb.st_mode & S_IFMT) != S_IFREG) {
            set_text(text, fmt("the queue database %s is not a regular file; it is not used", db));
            hr = BGCOPY_E_ACCESSDENIED;
            goto fail;
        }
        bgcopy_store_damage damage = BGCOPY_STORE_INTACT;
        char *detail = NULL;
        char *wal = fmt("%s-wal", db);
        uv_stat_t wb;
        int had_wal = !wal || lstat_path(wal, &wb) == 0;
        free(wal);
        if (sb.st_size == 0) {
            damage = BGCOPY_STORE_EMPTY;
            detail = fmt("a zero-length file");
            hr = BGCOPY_S_FALSE;
        } else {
#ifndef _WIN32
            /* Mode 0600: a database copied in, or created by an older
             * version under a wider umask, is narrowed to its owner. */
            if (sb.st_mode & 077) {
                uv_fs_t req;
                (void)uv_fs_chmod(NULL, &req, db, 0600, NULL);
                uv_fs_req_cleanup(&req);
            }
#endif
            hr = open_existing(db, &st->db, &damage, &detail, text);
        }
        if (hr == BGCOPY_S_OK)
            break;
        if (hr != BGCOPY_S_FALSE || moved) {
            free(detail);
            if (hr == BGCOPY_S_FALSE) {
                set_text(text, fmt("the new queue database %s cannot be read", db));
                hr = BGCOPY_E_DATABASE_CORRUPT;
            }
            goto fail;
        }
        hr = move_aside(db, had_wal, damage, detail, report, text);
        if (hr != BGCOPY_S_OK)
            goto fail;
        moved = 1;
    }
    if (!st->db) {
        hr = BGCOPY_E_FAIL;
        goto fail;
    }

    for (int i = 0; i < S_COUNT; i++) {
        rc = sqlite3_prepare_v3(st->db, k_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st->st[i], NULL);
        if (rc != SQLITE_OK) {
            set_text(text, fmt("the queue database %s: %s", db, sqlite3_errmsg(st->db)));
            hr = bgc_store_hr(rc);
            goto fail;
        }
    }
    free(lock);
    free(db);
    *out = st;
    return BGCOPY_S_OK;
fail:
    bgc_store_close(st);
    free(lock);
    free(db);
    /* A failed open reports nothing kept: the caller gets no manager to ask;
     * the kept file stays where the text of a later open will name it. */
    if (hr != BGCOPY_S_OK)
        bgcopy_store_report_clear(report);
    return hr;
}

/* ------------------------------------------------------------ row writes */

static void guid_bytes(const bgcopy_guid *g, unsigned char b[16])
{
    b[0] = (unsigned char)(g->data1 >> 24);
    b[1] = (unsigned char)(g->data1 >> 16);
    b[2] = (unsigned char)(g->data1 >> 8);
    b[3] = (unsigned char)g->data1;
    b[4] = (unsigned char)(g->data2 >> 8);
    b[5] = (unsigned char)g->data2;
    b[6] = (unsigned char)(g->data3 >> 8);
    b[7] = (unsigned char)g->data3;
    memcpy(b + 8, g->data4, 8);
}

static int column_guid(sqlite3_stmt *s, int col, bgcopy_guid *g)
{
    memset(g, 0, sizeof *g);
    const unsigned char *b = sqlite3_column_blob(s, col);
    if (!b || sqlite3_column_bytes(s, col) != 16)
        return 0;
    g->data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    g->data2 = (uint16_t)(b[4] << 8 | b[5]);
    g->data3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(g->data4, b + 8, 8);
    return 1;
}

static void bind_guid(sqlite3_stmt *s, int i, const bgcopy_guid *g)
{
    unsigned char b[16];
    guid_bytes(g, b);
    sqlite3_bind_blob(s, i, b, 16, SQLITE_TRANSIENT);
}

static void bind_text(sqlite3_stmt *s, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void bind_u64(sqlite3_stmt *s, int i, uint64_t v)
{
    sqlite3_bind_int64(s, i, (sqlite3_int64)v);
}

static const char *column_text(sqlite3_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(s, col);
}

/* Steps a write statement once and makes it ready for the next use. */
static int run(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    int rrc = sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return SQLITE_OK;
    return rrc != SQLITE_OK ? rrc : rc;
}

bgcopy_hr bgc_store_begin(bgc_store *st)
{
    if (st->in_txn)
        return BGCOPY_E_FAIL;
    int rc = run(st->st[S_BEGIN]);
    if (rc == SQLITE_OK)
        st->in_txn = 1;
    return bgc_store_hr(rc);
}

bgcopy_hr bgc_store_commit(bgc_store *st)
{
    if (!st->in_txn)
        return BGCOPY_E_FAIL;
    int rc = run(st->st[S_COMMIT]);
    if (rc == SQLITE_OK) {
        st->in_txn = 0;
        return BGCOPY_S_OK;
    }
    /* A failed COMMIT (disk full, I/O error) may leave the transaction
     * open; it is rolled back so the database keeps what it had. */
    bgc_store_rollback(st);
    return bgc_store_hr(rc);
}

void bgc_store_rollback(bgc_store *st)
{
    if (!st->in_txn)
        return;
    if (sqlite3_get_autocommit(st->db) == 0)
        (void)run(st->st[S_ROLLBACK]);
    st->in_txn = 0;
}

/* A write outside a transaction gets one of its own. */
#define OWN_BEGIN(st) \
    int own_ = !(st)->in_txn; \
    if (own_) { bgcopy_hr h_ = bgc_store_begin(st); if (h_ != BGCOPY_S_OK) return h_; }
static bgcopy_hr own_end(bgc_store *st, int own, int rc)
{
    if (!own)
        return bgc_store_hr(rc);
    if (rc != SQLITE_OK) {
        bgc_store_rollback(st);
        return bgc_store_hr(rc);
    }
    return bgc_store_commit(st);
}

bgcopy_hr bgc_store_put_job(bgc_store *st, const bgc_store_job *j)
{
    OWN_BEGIN(st);
    sqlite3_stmt *s = st->st[S_JOB_PUT];
    bind_guid(s, 1, &j->id);
    bind_u64(s, 2, j->seq);
    sqlite3_bind_int(s, 3, j->type);
    bind_text(s, 4, j->display_name ? j->display_name : "");
    bind_text(s, 5, j->description ? j->description : "");
    sqlite3_bind_int(s, 6, j->state);
    sqlite3_bind_int(s, 7, j->priority);
    bind_text(s, 8, j->owner);
    bind_u64(s, 9, j->times.creation_time);
    bind_u64(s, 10, j->times.modification_time);
    bind_u64(s, 11, j->times.transfer_completion_time);
    sqlite3_bind_int64(s, 12, j->notify_flags);
    bind_text(s, 13, j->notify_program);
    bind_text(s, 14, j->notify_parameters);
    sqlite3_bind_int64(s, 15, j->min_retry_delay_s);
    sqlite3_bind_int64(s, 16, j->no_progress_timeout_s);
    sqlite3_bind_int64(s, 17, j->error_count);
    bind_u64(s, 18, j->retry_spent_ms);
    bind_u64(s, 19, j->no_progress_spent_ms);
    sqlite3_bind_int(s, 20, j->ever_resumed);
    sqlite3_bind_int64(s, 21, j->security_flags);
    bind_text(s, 22, j->custom_headers);
    sqlite3_bind_int(s, 23, j->dynamic_content);
    sqlite3_bind_int(s, 24, j->on_demand);
    sqlite3_bind_int64(s, 25, j->file_acl_flags);
    sqlite3_bind_int64(s, 26, j->peer_caching_flags);
    int rc = run(s);
    if (rc == SQLITE_OK && j->has_error) {
        s = st->st[S_ERR_PUT];
        bind_guid(s, 1, &j->id);
        sqlite3_bind_int64(s, 2, (uint32_t)j->error.code);
        sqlite3_bind_int(s, 3, (int)j->error.context);
        sqlite3_bind_int(s, 4, j->error.file_index);
        char proto[sizeof j->error.protocol + 1];
        memcpy(proto, j->error.protocol, sizeof j->error.protocol);
        proto[sizeof j->error.protocol] = '\0';
        bind_text(s, 5, proto);
        rc = run(s);
    } else if (rc == SQLITE_OK) {
        s = st->st[S_ERR_DEL];
        bind_guid(s, 1, &j->id);
        rc = run(s);
    }
    return own_end(st, own_, rc);
}

bgcopy_hr bgc_store_delete_job(bgc_store *st, const bgcopy_guid *id)
{
    OWN_BEGIN(st);
    sqlite3_stmt *s = st->st[S_JOB_DEL];
    bind_guid(s, 1, id);
    return own_end(st, own_, run(s));
}

bgcopy_hr bgc_store_put_file(bgc_store *st, const bgcopy_guid *job, const bgc_store_file *f)
{
    OWN_BEGIN(st);
    sqlite3_stmt *s = st->st[S_FILE_PUT];
    bind_guid(s, 1, job);
    sqlite3_bind_int64(s, 2, f->index);
    bind_text(s, 3, f->remote_name ? f->remote_name : "");
    bind_text(s, 4, f->local_name ? f->local_name : "");
    bind_text(s, 5, f->temporary_name);
    sqlite3_bind_int(s, 6, f->temp_created);
    bind_u64(s, 7, f->temp_dev);
    bind_u64(s, 8, f->temp_ino);
    bind_u64(s, 9, f->bytes_total);
    bind_u64(s, 10, f->bytes_transferred);
    bind_u64(s, 11, f->remote_size);
    sqlite3_bind_int(s, 12, f->finished);
    sqlite3_bind_int(s, 13, f->completed);
    sqlite3_bind_int(s, 14, f->need_probe);
    bind_text(s, 15, f->etag);
    bind_text(s, 16, f->last_modified);
    sqlite3_bind_int64(s, 17, f->last_modified_unix);
    sqlite3_bind_int(s, 18, f->validation_state);
    return own_end(st, own_, run(s));
}

bgcopy_hr bgc_store_put_progress(bgc_store *st, const bgcopy_guid *job, uint32_t index,
                                 uint64_t bytes_transferred, int finished)
{
    OWN_BEGIN(st);
    sqlite3_stmt *s = st->st[S_PROGRESS];
    bind_guid(s, 1, job);
    sqlite3_bind_int64(s, 2, index);
    bind_u64(s, 3, bytes_transferred);
    sqlite3_bind_int(s, 4, finished);
    return own_end(st, own_, run(s));
}

static bgcopy_hr put_range_list(bgc_store *st, int del, int ins, int with_idx,
                                const bgcopy_guid *job, uint32_t index,
                                const bgcopy_file_range *r, uint32_t count)
{
    OWN_BEGIN(st);
    sqlite3_stmt *s = st->st[del];
    bind_guid(s, 1, job);
    sqlite3_bind_int64(s, 2, index);
    int rc = run(s);
    for (uint32_t i = 0; rc == SQLITE_OK && i < count; i++) {
        s = st->st[ins];
        int c = 1;
        bind_guid(s, c++, job);
        sqlite3_bind_int64(s, c++, index);
        if (with_idx)
            sqlite3_bind_int64(s, c++, i);
        bind_u64(s, c++, r[i].initial_offset);
        bind_u64(s, c++, r[i].length);
        rc = run(s);
    }
    return own_end(st, own_, rc);
}

bgcopy_hr bgc_store_put_ranges(bgc_store *st, const bgcopy_guid *job, uint32_t index,
                               const bgcopy_file_range *ranges, uint32_t count)
{
    return put_range_list(st, S_RANGES_DEL, S_RANGE_INS, 1, job, index, ranges, count);
}

bgcopy_hr bgc_store_put_filled(bgc_store *st, const bgcopy_guid *job, uint32_t index,
                               const bgcopy_file_range *ranges, uint32_t count)
{
    return put_range_list(st, S_FILLED_DEL, S_FILLED_INS, 0, job, index, ranges, count);
}

bgcopy_hr bgc_store_put_group(bgc_store *st, const bgc_store_group *g)
{
    OWN_BEGIN(st);
    sqlite3_stmt *s = st->st[S_GROUP_PUT];
    bind_guid(s, 1, &g->id);
    bind_guid(s, 2, &g->job_id);
    sqlite3_bind_int(s, 3, g->complete);
    if (g->has_job1)
        bind_guid(s, 4, &g->job1_id);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_int(s, 5, g->foreground);
    sqlite3_bind_int64(s, 6, g->notify_flags);
    if (g->has_clsid)
        bind_guid(s, 7, &g->clsid);
    else
        sqlite3_bind_null(s, 7);
    bind_text(s, 8, g->display_name);
    bind_text(s, 9, g->description);
    bind_u64(s, 10, g->done_bytes);
    sqlite3_bind_int64(s, 11, g->prog_bytes);
    sqlite3_bind_int64(s, 12, g->prog_percent);
    sqlite3_bind_int64(s, 13, g->prog_seconds);
    return own_end(st, own_, run(s));
}

bgcopy_hr bgc_store_delete_group(bgc_store *st, const bgcopy_guid *id)
{
    OWN_BEGIN(st);
    sqlite3_stmt *s = st->st[S_GROUP_DEL];
    bind_guid(s, 1, id);
    return own_end(st, own_, run(s));
}

bgcopy_hr bgc_store_add_pending_delete(bgc_store *st, const char *path, uint64_t dev,
                                       uint64_t ino)
{
    OWN_BEGIN(st);
    sqlite3_stmt *s = st->st[S_PD_INS];
    bind_text(s, 1, path);
    bind_u64(s, 2, dev);
    bind_u64(s, 3, ino);
    return own_end(st, own_, run(s));
}

bgcopy_hr bgc_store_remove_pending_delete(bgc_store *st, const char *path)
{
    OWN_BEGIN(st);
    sqlite3_stmt *s = st->st[S_PD_DEL];
    bind_text(s, 1, path);
    return own_end(st, own_, run(s));
}

/* ------------------------------------------------------------------ load */

static int load_ranges(bgc_store *st, int which, const bgcopy_guid *job, uint32_t index,
                       bgcopy_hr (*cb)(void *, const bgcopy_guid *, uint32_t,
                                       const bgcopy_file_range *),
                       void *ctx, bgcopy_hr *hr)
{
    sqlite3_stmt *s = st->st[which];
    bind_guid(s, 1, job);
    sqlite3_bind_int64(s, 2, index);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        bgcopy_file_range r;
        r.initial_offset = (uint64_t)sqlite3_column_int64(s, 0);
        r.length = (uint64_t)sqlite3_column_int64(s, 1);
        if ((*hr = cb(ctx, job, index, &r)) != BGCOPY_S_OK)
            break;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int load_files(bgc_store *st, const bgcopy_guid *job, const bgc_store_loader *l,
                      void *ctx, bgcopy_hr *hr)
{
    sqlite3_stmt *s = st->st[S_LOAD_FILES];
    bind_guid(s, 1, job);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        bgc_store_file f;
        memset(&f, 0, sizeof f);
        f.index = (uint32_t)sqlite3_column_int64(s, 0);
        f.remote_name = column_text(s, 1);
        f.local_name = column_text(s, 2);
        f.temporary_name = column_text(s, 3);
        f.temp_created = sqlite3_column_int(s, 4);
        f.temp_dev = (uint64_t)sqlite3_column_int64(s, 5);
        f.temp_ino = (uint64_t)sqlite3_column_int64(s, 6);
        f.bytes_total = (uint64_t)sqlite3_column_int64(s, 7);
        f.bytes_transferred = (uint64_t)sqlite3_column_int64(s, 8);
        f.remote_size = (uint64_t)sqlite3_column_int64(s, 9);
        f.finished = sqlite3_column_int(s, 10);
        f.completed = sqlite3_column_int(s, 11);
        f.need_probe = sqlite3_column_int(s, 12);
        f.etag = column_text(s, 13);
        f.last_modified = column_text(s, 14);
        f.last_modified_unix = sqlite3_column_int64(s, 15);
        f.validation_state = sqlite3_column_int(s, 16);
        if (l->file && (*hr = l->file(ctx, job, &f)) != BGCOPY_S_OK)
            break;
        if (l->range && (rc = load_ranges(st, S_LOAD_RANGES, job, f.index, l->range, ctx, hr))
                != SQLITE_OK)
            break;
        if (*hr != BGCOPY_S_OK)
            break;
        if (l->filled && (rc = load_ranges(st, S_LOAD_FILLED, job, f.index, l->filled, ctx, hr))
                != SQLITE_OK)
            break;
        if (*hr != BGCOPY_S_OK)
            break;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

bgcopy_hr bgc_store_load(bgc_store *st, const bgc_store_loader *l, void *ctx)
{
    bgcopy_hr hr = BGCOPY_S_OK;
    /* One read transaction: the load sees one state of the queue. */
    int rc = sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *s = st->st[S_LOAD_JOBS];
    while (rc == SQLITE_OK && hr == BGCOPY_S_OK) {
        int r = sqlite3_step(s);
        if (r != SQLITE_ROW) {
            rc = r == SQLITE_DONE ? SQLITE_OK : r;
            break;
        }
        bgc_store_job j;
        memset(&j, 0, sizeof j);
        column_guid(s, 0, &j.id);
        j.seq = (uint64_t)sqlite3_column_int64(s, 1);
        j.type = sqlite3_column_int(s, 2);
        j.display_name = column_text(s, 3);
        j.description = column_text(s, 4);
        j.state = sqlite3_column_int(s, 5);
        j.priority = sqlite3_column_int(s, 6);
        j.owner = column_text(s, 7);
        j.times.creation_time = (uint64_t)sqlite3_column_int64(s, 8);
        j.times.modification_time = (uint64_t)sqlite3_column_int64(s, 9);
        j.times.transfer_completion_time = (uint64_t)sqlite3_column_int64(s, 10);
        j.notify_flags = (uint32_t)sqlite3_column_int64(s, 11);
        j.notify_program = column_text(s, 12);
        j.notify_parameters = column_text(s, 13);
        j.min_retry_delay_s = (uint32_t)sqlite3_column_int64(s, 14);
        j.no_progress_timeout_s = (uint32_t)sqlite3_column_int64(s, 15);
        j.error_count = (uint32_t)sqlite3_column_int64(s, 16);
        j.retry_spent_ms = (uint64_t)sqlite3_column_int64(s, 17);
        j.no_progress_spent_ms = (uint64_t)sqlite3_column_int64(s, 18);
        j.ever_resumed = sqlite3_column_int(s, 19);
        j.security_flags = (uint32_t)sqlite3_column_int64(s, 20);
        j.custom_headers = column_text(s, 21);
        j.dynamic_content = sqlite3_column_int(s, 22);
        j.on_demand = sqlite3_column_int(s, 23);
        j.file_acl_flags = (uint32_t)sqlite3_column_int64(s, 24);
        j.peer_caching_flags = (uint32_t)sqlite3_column_int64(s, 25);
        if (sqlite3_column_type(s, 26) != SQLITE_NULL) {
            j.has_error = 1;
            j.error.code = (bgcopy_hr)(uint32_t)sqlite3_column_int64(s, 26);
            j.error.context = (bgcopy_error_context)sqlite3_column_int(s, 27);
            j.error.file_index = sqlite3_column_int(s, 28);
            const char *p = column_text(s, 29);
            snprintf(j.error.protocol, sizeof j.error.protocol, "%s", p ? p : "");
        }
        if (l->job && (hr = l->job(ctx, &j)) != BGCOPY_S_OK)
            break;
        rc = load_files(st, &j.id, l, ctx, &hr);
    }
    sqlite3_reset(s);
    if (rc == SQLITE_OK && hr == BGCOPY_S_OK) {
        s = st->st[S_LOAD_GROUPS];
        int r;
        while ((r = sqlite3_step(s)) == SQLITE_ROW) {
            bgc_store_group g;
            memset(&g, 0, sizeof g);
            column_guid(s, 0, &g.id);
            column_guid(s, 1, &g.job_id);
            g.complete = sqlite3_column_int(s, 2);
            g.has_job1 = column_guid(s, 3, &g.job1_id);
            g.foreground = sqlite3_column_int(s, 4);
            g.notify_flags = (uint32_t)sqlite3_column_int64(s, 5);
            g.has_clsid = column_guid(s, 6, &g.clsid);
            g.display_name = column_text(s, 7);
            g.description = column_text(s, 8);
            g.done_bytes = (uint64_t)sqlite3_column_int64(s, 9);
            g.prog_bytes = (uint32_t)sqlite3_column_int64(s, 10);
            g.prog_percent = (uint32_t)sqlite3_column_int64(s, 11);
            g.prog_seconds = (uint32_t)sqlite3_column_int64(s, 12);
            if (l->group && (hr = l->group(ctx, &g)) != BGCOPY_S_OK)
                break;
        }
        sqlite3_reset(s);
        rc = r == SQLITE_ROW || r == SQLITE_DONE ? SQLITE_OK : r;
    }
    if (rc == SQLITE_OK && hr == BGCOPY_S_OK) {
        s = st->st[S_LOAD_PD];
        int r;
        while ((r = sqlite3_step(s)) == SQLITE_ROW) {
            if (l->pending_delete
                && (hr = l->pending_delete(ctx, column_text(s, 0),
                                           (uint64_t)sqlite3_column_int64(s, 1),
                                           (uint64_t)sqlite3_column_int64(s, 2))) != BGCOPY_S_OK)
                break;
        }
        sqlite3_reset(s);
        rc = r == SQLITE_ROW || r == SQLITE_DONE ? SQLITE_OK : r;
    }
    (void)sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return rc != SQLITE_OK ? bgc_store_hr(rc) : hr;
}

/* ---------------------------------------------------------------- public */

void bgcopy_store_report_clear(bgcopy_store_report *r)
{
    if (!r)
        return;
    free(r->kept_path);
    free(r->kept_wal_path);
    free(r->detail);
    memset(r, 0, sizeof *r);
}
