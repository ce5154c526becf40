/*
 * record.h - the persistent part of a job and of its files: what a
 * restarted process needs to continue the job as BITS would
 * (docs/architecture.md, "The job record").
 *
 * The fields are listed once, in the BGC_*_RECORD_FIELDS macros, and appear
 * twice in struct bgcopy_job / bgc_file (internal.h), in an anonymous union:
 *  - an anonymous struct whose members are const: the rest of core reads
 *    job->display_name, f->bytes_transferred, ... and cannot assign them
 *    (a compile error under -Werror);
 *  - rec_w_, the same fields writable, used by core/src/record.c only (the
 *    ctest core_record_writer fails if the name appears anywhere else);
 *  - rec, a const bgc_job_record / bgc_file_record: the whole record, for
 *    the store.
 * The three have the same representation (a qualifier does not change
 * it), so a value written through rec_w_ is read through the others.
 *
 * R1. record.c is the only writer of record fields; every setter there
 *     calls bgc_record_dirty with what it changed, lock held.
 * R2. A job is on the manager's dirty list (m->dirty_head..tail, oldest first,
 *     linked through job->dirty_prev/next) exactly while job->dirty != 0; the list holds one
 *     reference per job, so a job that left the queue (BGC_DIRTY_GONE) can
 *     still be written as gone; after BGC_DIRTY_GONE a job takes no other
 *     mark (its rows are deleted).  Marks are kept only while m->record_tracking
 *     is set (a store, or a test, drains them), so nothing accumulates when
 *     no one drains; bgc_record_close empties the list.
 */
#ifndef BGCOPY_RECORD_H
#define BGCOPY_RECORD_H

/* Who a temporary file is: what fstat said when bgcopy created it
 * (tempfile.c, T1). */
typedef struct bgc_temp_id {
    uint64_t dev;
    uint64_t ino;
} bgc_temp_id;

/* A file's record.  C is empty (writable, record.c) or const (everyone). */
#define BGC_FILE_RECORD_FIELDS(C)                                               \
    char *C remote_name;                                                        \
    char *C local_name;                                                         \
    char *C temporary_name;                                                     \
    uint64_t C bytes_total;       /* BGCOPY_SIZE_UNKNOWN until a probe told us */ \
    uint64_t C bytes_transferred; /* contiguous bytes at the start of the temp file */ \
    int C finished;               /* all bytes on disk */                      \
    int C completed;              /* renamed to local_name by Complete */      \
    int C temp_created;           /* the temporary file exists (we created it) */ \
    bgc_temp_id C temp_id;        /* its identity, valid while temp_created (tempfile.c) */ \
    char *C etag;                 /* pinned validators, NULL when unknown */   \
    char *C last_modified;                                                      \
    int64_t C last_modified_unix; /* -1 unknown */                             \
    bgcopy_file_range *C ranges;  /* AddFileWithRanges, caller's order; NULL = whole file */ \
    uint32_t C range_count;                                                     \
    uint64_t C remote_size;       /* pinned size of the remote resource; BGCOPY_SIZE_UNKNOWN \
                                     until probed (bytes_total differs from it for ranged files) */ \
    bgcopy_file_range *C od_filled; /* on-demand: bytes on disk, sorted by offset, coalesced */ \
    uint32_t C od_filled_count;                                                 \
    uint32_t C od_filled_cap;                                                   \
    int C validation_state;       /* IBackgroundCopyFile3::SetValidationState */

typedef struct bgc_file_record {
    BGC_FILE_RECORD_FIELDS()
} bgc_file_record;

struct bgc_file;

/* One SetCredentials entry: a (target, scheme) slot (bgc_credential_slot),
 * its user name and password (UTF-8, malloc'ed; NULL for NTLM / NEGOTIATE
 * with the process's own identity).  Secrets: never logged or shown;
 * overwritten before they are freed (record.c). */
typedef struct bgc_credential {
    int set;
    char *user;
    char *password;
} bgc_credential;
/* Slots: (target - 1) * 5 + (scheme - 1), BITS's BG_AUTH_TARGET 1..2 and
 * BG_AUTH_SCHEME 1..5. */
#define BGC_CREDENTIAL_SLOTS 10

/* A job's record (BITS persists every one of these with the job). */
#define BGC_JOB_RECORD_FIELDS(C)                                                \
    bgcopy_guid C id;                                                           \
    uint64_t C seq;               /* creation order, for enumeration */        \
    bgcopy_job_type C type;                                                     \
    char *C display_name;                                                       \
    char *C description;                                                        \
    bgcopy_job_state C state;                                                   \
    bgcopy_job_priority C priority;                                             \
    uint32_t C notify_flags;                                                    \
    uint32_t C min_retry_delay_s;                                               \
    uint32_t C no_progress_timeout_s;                                           \
    uint32_t C error_count;                                                     \
    bgcopy_job_times C times;                                                   \
    int C has_error;                                                            \
    bgcopy_job_error C error;                                                   \
    struct bgc_file *C files;     /* file_count used of file_cap */            \
    uint32_t C file_count;                                                      \
    uint32_t C file_cap;                                                        \
    int C ever_resumed;           /* set by the first Resume (some properties lock then) */ \
    uint32_t C security_flags;    /* BGCOPY_SSL_* | BGCOPY_HTTP_REDIRECT_POLICY_* */ \
    char *C custom_headers;       /* "Name: value\r\n..." or NULL */           \
    int C dynamic_content;        /* BITS_JOB_PROPERTY_DYNAMIC_CONTENT */      \
    int C on_demand;              /* BITS_JOB_PROPERTY_ON_DEMAND_MODE */       \
    uint32_t C file_acl_flags;    /* SetFileACLFlags: BGCOPY_COPY_FILE_* */    \
    uint32_t C peer_caching_flags; /* SetPeerCachingFlags: BGCOPY_PEERCACHING_* */ \
    char *C notify_program;       /* SetNotifyCmdLine; NULL = none */          \
    char *C notify_parameters;                                                  \
    uint32_t C proxy_usage;       /* SetProxySettings: BGCOPY_PROXY_USAGE_* */ \
    char *C proxy_list;           /* OVERRIDE only; NULL otherwise */          \
    char *C proxy_bypass;                                                       \
    bgc_credential C credentials[BGC_CREDENTIAL_SLOTS]; /* SetCredentials, write-only */

typedef struct bgc_job_record {
    BGC_JOB_RECORD_FIELDS()
} bgc_job_record;

/* What changed (job->dirty; a file's own marks in f->dirty). */
#define BGC_DIRTY_JOB      0x01u  /* the job row: any job record field */
#define BGC_DIRTY_FILE     0x02u  /* some file rows: the files with BGC_DIRTY_FILE in f->dirty */
#define BGC_DIRTY_PROGRESS 0x04u  /* progress only (bytes, filled ranges) of the files marked so */
#define BGC_DIRTY_GONE     0x08u  /* Cancel/Complete: delete the job's rows */

#endif
