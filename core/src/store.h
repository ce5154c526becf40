/*
 * store.h - the persistent queue's database layer (store.c): the queue
 * directory, its single-owner lock, the SQLite database (schema, migrations,
 * corruption handling) and the statements that write and read rows.
 *
 * The store knows rows, not jobs: the engine maps its records to the row
 * structs below and back.  Rules, file names and what a crash can lose are
 * in docs/persistence.md.
 *
 * Threads: a bgc_store is used by one thread at a time; the caller
 * serialises (the engine does so under its lock, or from its one writer).
 * Every function returning bgcopy_hr maps SQLite's errors with
 * bgc_store_hr: SQLITE_FULL -> ERROR_DISK_FULL, SQLITE_IOERR ->
 * ERROR_WRITE_FAULT, SQLITE_READONLY / CANTOPEN / PERM -> E_ACCESSDENIED,
 * SQLITE_CORRUPT / NOTADB -> BG_E_DATABASE_CORRUPT, SQLITE_NOMEM ->
 * E_OUTOFMEMORY, anything else -> E_FAIL.
 */
#ifndef BGCOPY_STORE_H
#define BGCOPY_STORE_H

#include "bgcopy.h"

#include <stdint.h>

/* The schema version this build writes (PRAGMA user_version). */
#define BGC_STORE_VERSION 1
/* PRAGMA application_id of a bgcopy queue: "BGCQ". */
#define BGC_STORE_APPLICATION_ID 0x42474351

/* File names inside the queue directory. */
#define BGC_STORE_DB_NAME "queue.db"
#define BGC_STORE_LOCK_NAME "queue.lock"

typedef struct bgc_store bgc_store;

/* A job row and its error record.  Strings are UTF-8; NULL means none.
 * When read back (bgc_store_load) the strings live until the callback
 * returns. */
typedef struct bgc_store_job {
    bgcopy_guid id;
    uint64_t seq;                /* creation order */
    int type;                    /* bgcopy_job_type */
    const char *display_name;
    const char *description;
    int state;                   /* bgcopy_job_state */
    int priority;                /* bgcopy_job_priority */
    const char *owner;
    bgcopy_job_times times;      /* FILETIME ticks */
    uint32_t notify_flags;
    const char *notify_program, *notify_parameters;
    uint32_t min_retry_delay_s, no_progress_timeout_s, error_count;
    /* Timers stored as time already spent (ms of the manager's clock), so a
     * restart resumes them and wall-clock jumps do not move them:
     * retry_spent_ms, of the retry delay (TRANSIENT_ERROR); and
     * no_progress_spent_ms, 0 when no no-progress timer runs, else 1 + the
     * time since the first error without progress. */
    uint64_t retry_spent_ms, no_progress_spent_ms;
    int ever_resumed;
    uint32_t security_flags;
    const char *custom_headers;  /* "Name: value\r\n..." */
    int dynamic_content, on_demand;
    uint32_t file_acl_flags, peer_caching_flags;
    int has_error;               /* the error record below exists */
    bgcopy_job_error error;
} bgc_store_job;

/* A file row (key: job id + index). */
typedef struct bgc_store_file {
    uint32_t index;
    const char *remote_name, *local_name, *temporary_name;
    int temp_created;            /* temp_dev/temp_ino name the file bgcopy created */
    uint64_t temp_dev, temp_ino;
    uint64_t bytes_total, bytes_transferred, remote_size; /* BGCOPY_SIZE_UNKNOWN allowed */
    int finished, completed, need_probe;
    const char *etag, *last_modified; /* pinned validators */
    int64_t last_modified_unix;  /* -1 unknown */
    int validation_state;
} bgc_store_file;

/* A BITS 1.0 group row. */
typedef struct bgc_store_group {
    bgcopy_guid id;
    bgcopy_guid job_id;          /* the group's native job */
    int complete;
    int has_job1;
    bgcopy_guid job1_id;
    int foreground;
    uint32_t notify_flags;
    int has_clsid;
    bgcopy_guid clsid;           /* NOTIFYCLSID */
    const char *display_name, *description;
    uint64_t done_bytes;
    uint32_t prog_bytes, prog_percent, prog_seconds;
} bgc_store_group;

/* Callbacks of bgc_store_load, in this order: every job (creation order),
 * each followed by its files (index order), each file followed by its
 * ranges (AddFileWithRanges order) and filled on-demand ranges (offset
 * order); then every group; then the pending deletes.  A callback returns
 * S_OK to go on, anything else to stop the load with that value.  NULL
 * callbacks are skipped. */
typedef struct bgc_store_loader {
    bgcopy_hr (*job)(void *ctx, const bgc_store_job *job);
    bgcopy_hr (*file)(void *ctx, const bgcopy_guid *job, const bgc_store_file *file);
    bgcopy_hr (*range)(void *ctx, const bgcopy_guid *job, uint32_t file_index,
                       const bgcopy_file_range *range);
    bgcopy_hr (*filled)(void *ctx, const bgcopy_guid *job, uint32_t file_index,
                        const bgcopy_file_range *range);
    bgcopy_hr (*group)(void *ctx, const bgc_store_group *group);
    bgcopy_hr (*pending_delete)(void *ctx, const char *path, uint64_t dev, uint64_t ino);
} bgc_store_loader;

/* Opens the queue in |dir| (UTF-8): creates the directory (and missing
 * parents) with mode 0700, refuses one owned by another user or writable
 * by group or others (POSIX), takes the single-owner lock
 * (BGC_STORE_LOCK_NAME, bgc_platform_lock_acquire), opens or creates
 * BGC_STORE_DB_NAME (mode 0600, WAL, synchronous=NORMAL,
 * secure_delete=ON, foreign_keys=ON), refuses a newer schema, migrates an
 * older one, and moves a damaged database aside (docs/persistence.md).
 *   out: the store, closed with bgc_store_close.
 *   report: filled (the caller clears it with bgcopy_store_report_clear).
 *   text: on failure, an English description (free()), or NULL.
 * Returns S_OK; BGCOPY_E_QUEUE_IN_USE (text names the holder's PID);
 * BGCOPY_E_QUEUE_TOO_NEW (nothing written); E_ACCESSDENIED; E_OUTOFMEMORY;
 * a file error of bgc_hr_from_errno; bgc_store_hr's codes. */
bgcopy_hr bgc_store_open(const char *dir, bgc_store **out, bgcopy_store_report *report,
                         char **text);
/* Finalizes the statements, closes the database (checkpointing the WAL)
 * and releases the lock.  NULL is ignored. */
void bgc_store_close(bgc_store *st);

/* Transactions: one per API call or checkpoint.  begin is BEGIN IMMEDIATE
 * (the write lock is taken at once, so a commit cannot fail on it). */
bgcopy_hr bgc_store_begin(bgc_store *st);
bgcopy_hr bgc_store_commit(bgc_store *st);
void bgc_store_rollback(bgc_store *st);

/* Row writes (inside a transaction, or each its own when there is none). */
bgcopy_hr bgc_store_put_job(bgc_store *st, const bgc_store_job *job);   /* with its error record */
bgcopy_hr bgc_store_delete_job(bgc_store *st, const bgcopy_guid *id);   /* and its files, ranges */
bgcopy_hr bgc_store_put_file(bgc_store *st, const bgcopy_guid *job, const bgc_store_file *file);
/* Checkpoint of one file's progress: only these two columns change. */
bgcopy_hr bgc_store_put_progress(bgc_store *st, const bgcopy_guid *job, uint32_t index,
                                 uint64_t bytes_transferred, int finished);
/* Replaces the file's ranges (AddFileWithRanges) or filled on-demand ranges. */
bgcopy_hr bgc_store_put_ranges(bgc_store *st, const bgcopy_guid *job, uint32_t index,
                               const bgcopy_file_range *ranges, uint32_t count);
bgcopy_hr bgc_store_put_filled(bgc_store *st, const bgcopy_guid *job, uint32_t index,
                               const bgcopy_file_range *ranges, uint32_t count);
bgcopy_hr bgc_store_put_group(bgc_store *st, const bgc_store_group *group);
bgcopy_hr bgc_store_delete_group(bgc_store *st, const bgcopy_guid *id);
/* The pending-delete list: temporary files a Cancel is about to unlink,
 * recorded first so that recovery deletes only names the store knows. */
bgcopy_hr bgc_store_add_pending_delete(bgc_store *st, const char *path, uint64_t dev,
                                       uint64_t ino);
bgcopy_hr bgc_store_remove_pending_delete(bgc_store *st, const char *path);

/* Reads the whole queue through |l| (see bgc_store_loader). */
bgcopy_hr bgc_store_load(bgc_store *st, const bgc_store_loader *l, void *ctx);

/* The HRESULT of an SQLite result code (see the top of this file). */
bgcopy_hr bgc_store_hr(int sqlite_rc);

#endif /* BGCOPY_STORE_H */
