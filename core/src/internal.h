/*
 * internal.h - the engine's data model and the invariants that keep it sane.
 *
 * Threads (see docs/architecture.md):
 *  - API threads: any thread calling bgcopy_*; they take m->lock, change job
 *    state, wake the loop and (for Suspend/Cancel/Complete) wait on m->idle
 *    until the loop has stopped the job's transfer.
 *  - the loop thread: runs the uv loop, the transport and the scheduler.  It
 *    takes m->lock only for short updates and never calls user code, so an
 *    API thread may always wait for it.
 *  - the dispatcher thread: delivers notifications.  It never holds m->lock
 *    while user code runs, so callbacks may call any bgcopy_* function.
 *
 * A job's and a file's record (what a persistent queue stores) is declared
 * in record.h and written only by record.c (R1-R2 there); the rest of
 * core reads it through the const view of the unions below.
 *
 * Invariants (m->lock protects every field not marked "loop only"):
 *  I1. A job is in the queue (job->queued; the list m->queue_head..tail)
 *      exactly while its state is not CANCELLED or ACKNOWLEDGED (and the
 *      manager is open); the queue holds one reference.
 *  I2. job->xfer != NULL only while job->running; both are written only by
 *      the loop thread.  running==0 means no transfer exists and the loop
 *      will not touch the job's files until the state says it may run again.
 *  I3. Files are transferred strictly in order: the loop works on the
 *      first unfinished file only.  (On-demand jobs are the exception: they
 *      fetch requested ranges of any file, so files may finish out of
 *      order; FileTransferred is still delivered in file order.)
 *  I4. A file's bytes_transferred bytes at the start of its temporary file
 *      are the first bytes of the pinned version (size + validators) of the
 *      remote resource; when the remote version changes the file restarts
 *      from zero.
 */
#ifndef BGCOPY_INTERNAL_H
#define BGCOPY_INTERNAL_H

#include "bgcopy.h"
#include "bgt.h"

#include <stdatomic.h>
#include <uv.h>

#include "record.h"

/* A file: its record (record.h; read-only outside record.c) and the
 * runtime state recomputed after a restart. */
typedef struct bgc_file {
    union {
        struct { BGC_FILE_RECORD_FIELDS(const) };
        const bgc_file_record rec;
        bgc_file_record rec_w_;  /* record.c only (R1) */
    };
    uint32_t dirty;              /* BGC_DIRTY_FILE / _PROGRESS since the last drain (R2) */
    int need_probe;              /* a HEAD must precede the next GET */
    uint32_t restarts;           /* restarts because the remote version changed, since the last
                                    Resume/retry (a server whose validators never hold still
                                    must not make us loop) */
    bgcopy_file_range *od_wanted;/* on-demand: requested ranges not yet known to be filled,
                                    in request order (lengths resolved, never TO_EOF once the
                                    size is known) */
    uint32_t od_wanted_count, od_wanted_cap;
} bgc_file;

/* --- notifications (notify.c) --- */
typedef struct bgc_range_note {  /* a range filled in file idx, not yet reported */
    uint32_t idx;
    uint64_t offset, length;
} bgc_range_note;

typedef struct bgc_notify {
    bgcopy_notify_callbacks cb;
    void *ctx;
} bgc_notify;

/* Job lifetime (docs/architecture.md, "Job lifetime").  |refs| counts the
 * job's owners: the queue (I1), every handle the API gave out
 * (CreateJob/GetJob/EnumJobs/addref), every scheduler-pass list entry (loop
 * thread, for one abort/park/advance) and every notification delivery
 * (dispatcher, from prepare to the end of the callback).
 *  O1. A thread touches a job's fields only while it owns a reference, or
 *      as the loop thread inside a transport callback of a job whose
 *      |running| it has not yet cleared: such a job is still in the queue,
 *      because Cancel and Complete, the only ways out of it, wait for
 *      running == 0 (bgc_wait_idle) first.  After park/abort_step clear
 *      |running|, the loop touches the job only through a pass reference.
 *  O2. A job pointer read from the queue under m->lock may be used after the
 *      unlock only if a reference was taken before the unlock.
 *  O3. Fields (other than "loop only" ones) are read and written under
 *      m->lock; bgc_job_free runs without it, on whichever thread drops the
 *      last reference.  That is safe because every owner's last access
 *      precedes its own decrement, and the decrements are acq_rel (the
 *      default seq_cst atomic_fetch_sub): the last one happens after every
 *      access of every owner.  Never decrement with a weaker order, never
 *      read a field after your own decrement, never free a job's field
 *      outside the lock while it is in the queue. */
struct bgcopy_job {
    atomic_int refs;
    bgcopy_manager *m;           /* the job holds a reference on m */

    /* The record (record.h, R1): read-only outside record.c. */
    union {
        struct { BGC_JOB_RECORD_FIELDS(const) };
        const bgc_job_record rec;
        bgc_job_record rec_w_;   /* record.c only (R1) */
    };
    uint32_t dirty;              /* BGC_DIRTY_* marks not yet drained (R2) */
    struct bgcopy_job *dirty_prev, *dirty_next; /* m->dirty_head..tail, oldest first, while dirty (R2) */

    /* retry bookkeeping, in clock ms */
    uint64_t retry_at_ms;        /* TRANSIENT_ERROR: when to go back to QUEUED */
    uint64_t no_progress_since_ms; /* first transient error without progress; 0 = none */

    /* scheduler handshakes */
    int hold;                    /* >0: API callers need the transfer stopped (bgc_job_hold) */
    int running;                 /* the loop owns an active step (I2) */
    int finishing;               /* Complete or Cancel won the job and works on its files
                                    outside the lock: the other one answers BG_E_INVALID_STATE */

    /* --- queue and scheduler sets (manager.c, sched.c P1-P3) --- */
    int queued;                  /* in the queue (I1) */
    struct bgcopy_job *queue_prev, *queue_next;  /* creation order */
    struct bgcopy_job *run_prev, *run_next;      /* running list, while running */
    int rq_set;                  /* the m->runnable heap holding it, or -1 */
    size_t rq_idx;               /* its index there */
    int in_timer;                /* in m->timers */
    size_t timer_idx;
    uint64_t timer_at_ms;        /* its key there: min(retry_at_ms, no-progress deadline) */

    /* notifications */
    bgc_notify notify;           /* cb all NULL when none registered */
    int transferred_delivered;   /* JobTransferred accepted for this entry into TRANSFERRED */
    int error_delivered;         /* JobError accepted for this entry into ERROR */
    uint64_t notify_retry_at_ms; /* redelivery time after a failed callback */
    int modification_pending;
    uint64_t last_modification_ms;
    int delivering;              /* the dispatcher is calling into this job's sink */

    /* --- ranges and HTTP (job_ranges.c, job_http.c, step.c) --- */
    uint64_t xfer_offset;        /* loop only: on-demand GET's first byte (file offset) */

    /* --- notifications (job_notify.c, notify.c) --- */
    uint32_t next_file_to_notify;/* FileTransferred cursor (files before it were accepted) */
    uint64_t file_retry_at_ms;   /* FileTransferred redelivery time after a failure */
    uint64_t files_done_seq;     /* bumped by bgc_notify_file_done: names entries into TRANSFERRED */
    int cmd_fallback;            /* a callback failed with a command line set: the command */
    bgcopy_job_state cmd_fallback_state; /*  line handles the event named by state + seq */
    uint64_t cmd_fallback_seq;
    struct bgc_range_note *ranges_pending; /* FileRangesTransferred: filled since the last call */
    uint32_t ranges_pending_count, ranges_pending_cap;
    uint64_t last_ranges_ms;     /* clock ms of the last FileRangesTransferred; 0 = never */
    uint64_t file_done_ns;       /* uv_hrtime() of the last bgc_notify_file_done (benchmark) */
    /* The dispatcher's place for this job (notify.c, N1-N5; docs/architecture.md,
     * "Data structures"): one of idle, the ready list, the timed heap. */
    int notify_where;            /* BGC_NQ_IDLE, BGC_NQ_READY, BGC_NQ_TIMED, BGC_NQ_LATE */
    int notify_gone;             /* left the queue (bgc_notify_job_leaving): never placed again */
    struct bgcopy_job *ready_prev, *ready_next; /* links in m->ready_* or m->late (intrusive) */
    uint64_t notify_due_ms;      /* BGC_NQ_TIMED/LATE: clock ms when it is worth a new look */
    size_t timed_index;          /* BGC_NQ_TIMED: its slot in m->timed */

    /* loop only */
    bgt_transfer *xfer;
    uv_file fd;
    uint32_t xfer_file;          /* index of the file xfer works on */
    int xfer_is_probe;
    uint64_t xfer_base;          /* bytes_transferred when the GET started */

    /* --- policy (policy.c, sched.c; docs/policy.md) --- */
    uint64_t active_ms;          /* clock ms of the last activity (creation, bgc_job_touch,
                                    a state change): JobInactivityTimeout counts from it */
};

/* A binary min-heap of jobs (sched.c): by seq, or by (timer_at_ms, seq). */
typedef struct bgc_job_heap {
    struct bgcopy_job **v;
    size_t n, cap;
    int by_timer;
} bgc_job_heap;

#define BGC_SCHED_HEAPS 5        /* m->runnable[0..3] and m->timers */

/* --- groups (group.c; docs/qmgr.md) ---
 * A group's sink: its own (bgcopy_group_set_notify) or the manager's. */
typedef struct bgc_group_sink {
    bgcopy_group_callbacks cb;
    void *ctx;
} bgc_group_sink;

/* A BITS 1.0 group.  |refs| counts the manager's table (while |listed|),
 * every handle, every delivery in flight and the job sink group.c
 * registers on |job| (until the job leaves the queue: Complete or Cancel
 * release it).  Fields other than refs, m, id and job (immutable) are
 * under m->lock.
 *  G1. listed == 1 exactly while the group is in m->groups (from
 *      CreateGroup to CancelGroup, a job gone behind the group's back, or
 *      bgcopy_manager_close).
 *  G2. complete == 1 once group.c Complete'd the job; the job is then
 *      ACKNOWLEDGED and the group keeps done_bytes; it never changes back.
 *  G3. owed == 1 (counted in m->groups_owed) while a completion on_status
 *      is owed: due at owed_due_ms on the manager's clock; delivering == 1
 *      while one thread delivers it (one delivery per group at a time). */
struct bgcopy_group {
    atomic_int refs;
    bgcopy_manager *m;           /* the group holds a reference on m */
    bgcopy_guid id;
    bgcopy_job *job;             /* one reference, for the group's whole life */
    int listed;
    int complete;
    int has_job1;                /* CreateJob was called: the QMGR job's GUID */
    bgcopy_guid job1_id;
    int foreground;              /* SwitchToForeground */
    uint32_t notify_flags;       /* BGCOPY_GROUP_NOTIFY_* */
    int has_clsid;               /* NOTIFYCLSID set (not null) */
    bgcopy_guid clsid;
    char *display_name;          /* NULL = empty */
    char *description;
    uint64_t done_bytes;         /* bytes at completion (G2) */
    int has_sink;
    bgc_group_sink sink;
    int owed;                    /* G3 */
    uint64_t owed_due_ms;
    int owed_kicked;             /* a new target came while a delivery ran */
    int delivering;
    uint32_t prog_bytes, prog_percent, prog_seconds; /* opt-in progress; 0 = off */
    uint64_t prog_last_bytes;
    uint32_t prog_last_percent;
    uint64_t prog_last_ms;
    int prog_reported;
};

struct bgcopy_manager {
    atomic_int refs;             /* 1 while open + 1 per job object alive */
    uv_mutex_t lock;
    uv_cond_t idle;              /* signalled when a job's running drops to 0 */
    uv_cond_t notify_cond;       /* wakes the dispatcher */

    uint64_t (*clock_ms)(void *);
    void *clock_ctx;
    char *state_dir;

    bgcopy_job *queue_head, *queue_tail; /* queue (I1), in creation order */
    size_t job_count;
    uint64_t next_seq;
    uint32_t stall_timeout_s;    /* options.stall_timeout_s; 0 = the transport's 60 s */

    /* scheduler sets (sched.c, P1-P4) */
    bgc_job_heap runnable[4];    /* per priority, FOREGROUND..LOW, by seq */
    bgc_job_heap timers;         /* TRANSIENT_ERROR jobs by timer_at_ms */
    bgcopy_job *running_head;    /* jobs with |running| set */

    int closed;                  /* bgcopy_manager_close started: API mutators fail */
    int loop_dead;               /* the loop thread has finished: nobody will stop transfers */

    /* loop thread */
    uv_thread_t loop_thread;
    uv_loop_t loop;
    uv_async_t wake;
    uv_timer_t timer;
    bgt_engine *transport;
    int stopping;                /* loop: abort everything and exit */

    /* dispatcher thread */
    int dispatch_stop;

    /* --- notifications (notify.c) --- */
    int manual_dispatch;         /* options.manual_dispatch: no threads, bgcopy_manager_pump */
    int dispatch_workers;        /* dispatcher threads started (dispatch_pool) */

    /* --- groups (group.c) --- */
    bgcopy_group **groups;       /* listed groups (G1), in creation order */
    size_t group_count, group_cap;
    size_t groups_owed;          /* groups with an owed completion (G3) */
    int has_group_sink;          /* bgcopy_manager_set_group_notify */
    bgc_group_sink group_sink;
    uv_thread_t dispatch_pool[4];/* BGC_DISPATCH_WORKERS: one delivery per job at a time */
    /* The dispatcher's ready structures (notify.c, N1-N5): the jobs with
     * something due now, oldest first, and the jobs due later, earliest
     * first.  They hold no reference: a job on them is in the queue (N1). */
    bgcopy_job *ready_head, *ready_tail;
    bgcopy_job **timed;          /* binary min-heap on notify_due_ms */
    size_t timed_count, timed_cap;
    bgcopy_job *late;            /* due later but the heap could not grow (out of memory) */

    /* --- the record's dirty list (record.c, R2) --- */
    int record_tracking;         /* marks are kept (a store drains them) */
    bgcopy_job *dirty_head, *dirty_tail; /* one reference each */

    /* --- policy (policy.c; docs/policy.md) --- */
    bgcopy_policy policy;        /* read at open, never written after: read without the lock */
    uint64_t inactive_next_ms;   /* sched.c: no job's inactivity deadline is earlier (S1) */
    bgc_notify *orphans;         /* sinks of scavenged jobs, released by a dispatcher (notify.c) */
    size_t orphan_count, orphan_cap;

    /* --- the persistent queue (store.c; docs/persistence.md) --- */
    struct bgc_store *store;     /* NULL with BGCOPY_QUEUE_IN_MEMORY; written by open and
                                    close only, used under m->lock */
    bgcopy_store_report store_report; /* what the open found; immutable after open */
    int persist_urgent;          /* a dirty mark other than progress is waiting (record.c sets,
                                    persist.c clears): the next UNLOCK_M commits it */
    uv_timer_t checkpoint;       /* loop thread: the progress checkpoint (persist.c) */
};

/* A client's sink, kept as {cb, ctx} (bgc_notify, bgc_group_sink): fill
 * |s| from the client's callbacks |cbp| (NULL = none) and take the client's
 * reference; drop that reference.  Never with m->lock held: add_ref and
 * release are client code.  Macros because the two sinks' callback tables
 * differ in type, not in how their references are handled. */
#define BGC_SINK_TAKE(s, cbp, c)                                                \
    do {                                                                        \
        memset(&(s), 0, sizeof(s));                                             \
        if (cbp) {                                                              \
            (s).cb = *(cbp);                                                    \
            (s).ctx = (c);                                                      \
            if ((s).cb.add_ref)                                                 \
                (s).cb.add_ref((s).ctx);                                        \
        }                                                                       \
    } while (0)
#define BGC_SINK_DROP(s)                                                        \
    do {                                                                        \
        if ((s).cb.release)                                                     \
            (s).cb.release((s).ctx);                                            \
        memset(&(s), 0, sizeof(s));                                             \
    } while (0)

/* The engine's one lock (m->lock), taken through the manager or a job. */
#define LOCK_M(m) uv_mutex_lock(&(m)->lock)
/* Unlocking commits what the caller changed in the record to the persistent
 * queue first (persist.c, docs/persistence.md), so an API call's changes
 * are in the database before it returns. */
#define UNLOCK_M(m) bgc_persist_unlock(m)
#define LOCK(job) LOCK_M((job)->m)
#define UNLOCK(job) UNLOCK_M((job)->m)

/* persist.c: the engine's side of the persistent queue (docs/persistence.md).
 * bgc_persist_unlock: lock held on entry, released on return; commits the
 * dirty job and file rows when a non-progress mark is waiting, in one
 * transaction, then unlocks and drops the dirty list's references. */
void bgc_persist_unlock(bgcopy_manager *m);
/* bgcopy_manager_open, before any thread starts: load every job of the
 * store into the queue, recover it (docs/persistence.md, "Start-up
 * recovery") and commit what recovery changed.  S_OK or an error. */
bgcopy_hr bgc_persist_load(bgcopy_manager *m);
/* Loop thread: start / stop (with a last checkpoint) the progress
 * checkpoint timer.  No-ops without a store. */
void bgc_persist_loop_start(bgcopy_manager *m);
void bgc_persist_loop_stop(bgcopy_manager *m);
/* bgcopy_manager_close, after the loop stopped: commit what is left and
 * empty the dirty list.  No lock held. */
void bgc_persist_close(bgcopy_manager *m);

/* util.c */
char *bgc_strdup(const char *s);
size_t bgc_utf8_length(const char *s);       /* code points; SIZE_MAX if invalid */
uint64_t bgc_filetime_now(void);
uint64_t bgc_now_ms(bgcopy_manager *m);
bgcopy_hr bgc_hr_from_errno(int err);       /* err: a libuv error code negated (errno on POSIX) */
int bgc_is_final(bgcopy_job_state s);
int bgc_is_active(bgcopy_job_state s);       /* QUEUED, CONNECTING, TRANSFERRING */
int bgc_is_running(bgcopy_job_state s);      /* CONNECTING, TRANSFERRING: a step may own it */
bgcopy_hr bgc_new_guid(bgcopy_guid *out);
char *bgc_make_temp_name(const char *local_name);
/* Checks a remote name for AddFile / SetRemoteName / ReplaceRemotePrefix:
 * bgt_url_parse's rules, and an existing local source must be a regular
 * file.  *is_http: 1 for http(s) URLs.  S_OK, E_INVALIDARG, E_OUTOFMEMORY.
 * No lock needed (it may stat a file). */
bgcopy_hr bgc_check_remote_name(const char *remote_name, int *is_http);
/* The queue's default directory, malloc'ed: %LOCALAPPDATA%\bgcopy on Windows
 * (else %USERPROFILE%\AppData\Local\bgcopy), $XDG_STATE_HOME/bgcopy elsewhere
 * (else ~/.local/state/bgcopy); NULL if no home directory is known or out
 * of memory.  Only computed, never created. */
char *bgc_default_state_dir(void);
/* The policy file's default path, malloc'ed (docs/policy.md): machine != 0:
 * /etc/bgcopy/bgcopy.conf, %PROGRAMDATA%\bgcopy\bgcopy.conf on Windows;
 * else $XDG_CONFIG_HOME/bgcopy/bgcopy.conf (~/.config/bgcopy/bgcopy.conf),
 * %APPDATA%\bgcopy\bgcopy.conf (%USERPROFILE%\AppData\Roaming\...).  NULL
 * when no location is known or out of memory. */
char *bgc_config_path(int machine);

/* policy.c (docs/policy.md) */
void bgc_policy_defaults(bgcopy_policy *p);
/* Read the policy into *out: |explicit_file| alone when not NULL (0, or -1
 * when it cannot be read or has a bad line), else the user's file then the
 * machine-wide one (always 0: what cannot be read is skipped).  No lock. */
int bgc_policy_load(const char *explicit_file, bgcopy_policy *out);
/* JobInactivityTimeout in clock ms. */
static inline uint64_t bgc_inactivity_ms(const bgcopy_manager *m)
{
    return (uint64_t)m->policy.job_inactivity_timeout_days * 86400000u;
}

/* tempfile.c: temporary-file I/O (invariants T1-T5 there).  Synchronous,
 * no lock taken, any thread.  Errors are negative libuv codes; the positive
 * codes below say the name holds something that is not ours. */
#define BGC_TEMP_FOREIGN 1       /* the name holds another file, a link, a FIFO... */
#define BGC_DEST_NOT_REGULAR 2   /* the destination exists and is not a regular file */
/* Create |path| exclusively for writing (mode 0666 minus umask); *fd and
 * *id on success.  0, UV_EEXIST when the name is taken, or another error. */
int bgc_temp_create(const char *path, uv_file *fd, bgc_temp_id *id);
/* Reopen our temporary file for writing, never through a link: 0 and *fd
 * when |path| still is the regular file |id|; BGC_TEMP_FOREIGN (nothing was
 * opened or written), UV_ENOENT, or another error. */
int bgc_temp_reopen(const char *path, const bgc_temp_id *id, uv_file *fd);
/* lstat |path|: 0 when it is the regular file |id|, BGC_TEMP_FOREIGN,
 * UV_ENOENT, or another error. */
int bgc_temp_check(const char *path, const bgc_temp_id *id);
/* Unlink |path| only if it is the regular file |id|: 0 (removed, or already
 * gone), BGC_TEMP_FOREIGN (left alone), or the unlink's error. */
int bgc_temp_remove(const char *path, const bgc_temp_id *id);
/* May Complete put a file at |path|?  0 when nothing is there or a regular
 * file (replaced); BGC_DEST_NOT_REGULAR for a symbolic link, directory, FIFO,
 * device or socket; another error when lstat fails otherwise. */
int bgc_dest_check(const char *path);

/* manager.c */
void bgc_manager_unref(bgcopy_manager *m);
/* Lock held; O(1) plus the scheduler sets' O(log n).  No-op when the job
 * is not queued.  The caller drops the queue's reference after unlocking. */
void bgc_queue_remove(bgcopy_manager *m, bgcopy_job *job);
void bgc_kick(bgcopy_manager *m);            /* wake the loop: re-run the scheduler (takes the lock) */
void bgc_kick_locked(bgcopy_manager *m);     /* the same, lock held */

/* job.c */
bgcopy_hr bgc_job_check_mutable(bgcopy_job *job);   /* lock held: BG_E_INVALID_STATE when final/closed */
/* Add a file (ranges: NULL/0 for the whole file; copied).  Validation of
 * the names as bgcopy_job_add_file; ranges must be validated by the caller. */
bgcopy_hr bgc_job_add_file_ex(bgcopy_job *job, const char *remote_url, const char *local_name,
                              const bgcopy_file_range *ranges, uint32_t range_count);

/* job_ondemand.c (lock held): on-demand files' filled and wanted ranges. */
/* Room for |need| ranges in *v (capacity *cap, doubling): 0 or -1 (ENOMEM). */
int bgc_od_reserve(bgcopy_file_range **v, uint32_t *cap, uint32_t need);
uint64_t bgc_od_filled_bytes(const bgc_file *f);
int bgc_od_complete(const bgc_file *f);      /* every byte of the pinned size is filled */
/* The next byte run to fetch for f (first wanted range minus filled
 * bytes); drops fully filled wanted ranges.  Returns 1 (and *off, *len) or 0. */
int bgc_od_next_gap(bgc_file *f, uint64_t *off, uint64_t *len);
/* Resolve TO_EOF lengths and check the wanted ranges against the pinned
 * size: 0, or -1 when one lies beyond it (BG_E_INVALID_RANGE). */
int bgc_od_resolve(bgc_file *f);
void bgc_job_touch(bgcopy_job *job);         /* lock held: modification time + JobModification */
void bgc_job_touch_progress(bgcopy_job *job); /* the same, for bytes that arrived (BGC_DIRTY_PROGRESS) */
void bgc_job_set_state(bgcopy_job *job, bgcopy_job_state s); /* lock held */
void bgc_job_set_error(bgcopy_job *job, bgcopy_hr code, bgcopy_error_context ctx,
                       int32_t file_index, int transient); /* lock held */
void bgc_job_free(bgcopy_job *job);
/* Loop thread, lock not held: finish cancelling a job the scheduler made
 * CANCELLED for inactivity and whose |running| is clear (sched.c): as
 * bgcopy_job_cancel, its sink released later by a dispatcher. */
void bgc_job_scavenge(bgcopy_job *job);

/* record.c: the only writer of record fields (record.h, R1-R2).  Lock held
 * unless said otherwise; each call is O(1) apart from the strings and
 * ranges it copies, and marks what it changed (bgc_record_dirty). */
/* Mark |what| (BGC_DIRTY_*) changed in |job| and, for BGC_DIRTY_FILE or
 * BGC_DIRTY_PROGRESS, in file |file_index| (-1: none); links the job onto
 * m->dirty_head..tail (one reference) if it is not there.  O(1).  No-op
 * unless m->record_tracking. */
void bgc_record_dirty(bgcopy_job *job, uint32_t what, int32_t file_index);
/* Keep marks (on != 0) or not.  A store turns this on when it opens. */
void bgc_record_set_tracking(bgcopy_manager *m, int on);
/* Pop the oldest dirty job and its marks (*what), clearing them; the list's
 * reference passes to the caller (bgcopy_job_release it after the unlock).
 * NULL when nothing is dirty.  Take each marked file's own marks with
 * bgc_record_take_file_dirty while still holding the lock. */
bgcopy_job *bgc_record_take_dirty(bgcopy_manager *m, uint32_t *what);
uint32_t bgc_record_take_file_dirty(bgcopy_job *job, uint32_t idx);
/* The same for |job|, which is on the list (job->dirty != 0). */
void bgc_record_take_job(bgcopy_manager *m, bgcopy_job *job, uint32_t *what);
/* bgcopy_manager_close, lock not held: stop tracking and release the list. */
void bgc_record_close(bgcopy_manager *m);
/* A new job's record (no lock: not shared yet): id, names, BITS's defaults.
 * S_OK or E_OUTOFMEMORY (nothing allocated). */
bgcopy_hr bgc_rec_job_init(bgcopy_job *job, bgcopy_job_type type, const char *display_name);
void bgc_rec_job_set_seq(bgcopy_job *job, uint64_t seq);  /* in the queue now: a new row */
void bgc_rec_job_free(bgcopy_job *job);      /* no lock: the last reference */
void bgc_rec_touch(bgcopy_job *job, uint32_t what);  /* modification time, marked |what| */
/* State (and the times and error it implies); entering CANCELLED or
 * ACKNOWLEDGED marks BGC_DIRTY_GONE. */
void bgc_rec_set_state(bgcopy_job *job, bgcopy_job_state s);
void bgc_rec_set_error(bgcopy_job *job, bgcopy_hr code, bgcopy_error_context ctx,
                       int32_t file_index);  /* the error record; error_count + 1 */
typedef enum bgc_rec_str {
    BGC_REC_DISPLAY_NAME, BGC_REC_DESCRIPTION, BGC_REC_CUSTOM_HEADERS,
    BGC_REC_NOTIFY_PROGRAM, BGC_REC_NOTIFY_PARAMETERS, BGC_REC_PROXY_LIST, BGC_REC_PROXY_BYPASS
} bgc_rec_str;
/* Store |value| (malloc'ed or NULL; owned by the record now); returns the
 * old value for the caller to free (after the unlock). */
char *bgc_rec_swap_string(bgcopy_job *job, bgc_rec_str which, char *value);
typedef enum bgc_rec_u32 {
    BGC_REC_PRIORITY, BGC_REC_NOTIFY_FLAGS, BGC_REC_MIN_RETRY_DELAY, BGC_REC_NO_PROGRESS_TIMEOUT,
    BGC_REC_EVER_RESUMED, BGC_REC_SECURITY_FLAGS, BGC_REC_DYNAMIC_CONTENT, BGC_REC_ON_DEMAND,
    BGC_REC_FILE_ACL_FLAGS, BGC_REC_PEER_CACHING_FLAGS, BGC_REC_PROXY_USAGE
} bgc_rec_u32;
void bgc_rec_set_u32(bgcopy_job *job, bgc_rec_u32 which, uint32_t v);
/* SetCredentials / RemoveCredentials: slot |slot| (record.h) takes |set|,
 * |user| and |password| (malloc'ed or NULL, owned by the record now); the
 * old strings come back in *old for the caller to free with
 * bgc_credential_clear after the unlock. */
void bgc_rec_set_credential(bgcopy_job *job, unsigned slot, int set, char *user, char *password,
                            bgc_credential *old);
/* Overwrites and frees a credential's strings (no lock needed). */
void bgc_credential_clear(bgc_credential *c);
/* Append a file: |nr| gives the names and ranges (owned by the record now);
 * sizes start unknown.  S_OK or E_OUTOFMEMORY (nothing taken). */
bgcopy_hr bgc_rec_add_file(bgcopy_job *job, const bgc_file_record *nr);
void bgc_rec_file_progress(bgcopy_job *job, uint32_t idx, uint64_t bytes); /* bytes_transferred */
/* On-demand: |length| bytes at |offset| are on disk; bytes_transferred
 * becomes the filled total.  Out of memory loses the note (fetched again). */
void bgc_rec_file_filled(bgcopy_job *job, uint32_t idx, uint64_t offset, uint64_t length);
void bgc_rec_file_finished(bgcopy_job *job, uint32_t idx);
void bgc_rec_file_set_total(bgcopy_job *job, uint32_t idx, uint64_t total);
/* Dynamic content: the body one GET returned is the file. */
void bgc_rec_file_dynamic_done(bgcopy_job *job, uint32_t idx, int64_t last_modified_unix);
/* Pin the remote version: size and validators (copied; NULL or "" = none). */
void bgc_rec_file_pin(bgcopy_job *job, uint32_t idx, uint64_t remote_size, const char *etag,
                      const char *last_modified, int64_t last_modified_unix);
/* The remote version changed: no byte, nothing filled, not finished. */
void bgc_rec_file_restart(bgcopy_job *job, uint32_t idx);
/* The temporary file vanished: recreate it, from zero. */
void bgc_rec_file_temp_vanished(bgcopy_job *job, uint32_t idx);
/* The temporary name no longer holds our file (T4): forget the name without
 * touching it, propose a fresh one, restart the file from zero. */
void bgc_temp_abandon(bgcopy_job *job, uint32_t idx);
typedef enum bgc_rec_file_name { BGC_REC_REMOTE_NAME, BGC_REC_TEMPORARY_NAME } bgc_rec_file_name;
/* Replace a file's remote or temporary name (|name| malloc'ed, owned by the
 * record now; the old one is freed). */
void bgc_rec_file_set_name(bgcopy_job *job, uint32_t idx, bgc_rec_file_name which, char *name);
void bgc_rec_file_temp_created(bgcopy_job *job, uint32_t idx, const bgc_temp_id *id);
/* The temporary file is gone: renamed by Complete (completed != 0) or removed. */
void bgc_rec_file_temp_removed(bgcopy_job *job, uint32_t idx, int completed);
void bgc_rec_file_set_validation(bgcopy_job *job, uint32_t idx, int state);
/* Loading from the store (persist.c; no lock: the manager is not shared
 * yet).  The row's strings are copied; a loaded file is not marked dirty.
 * S_OK, E_OUTOFMEMORY, or BG_E_DATABASE_CORRUPT for a row bgcopy cannot
 * have written. */
struct bgc_store_job;
struct bgc_store_file;
bgcopy_hr bgc_rec_job_load(bgcopy_job *job, const struct bgc_store_job *row);
bgcopy_hr bgc_rec_file_load(bgcopy_job *job, const struct bgc_store_file *row);
bgcopy_hr bgc_rec_file_load_range(bgcopy_job *job, uint32_t idx, const bgcopy_file_range *range);
bgcopy_hr bgc_rec_file_load_filled(bgcopy_job *job, uint32_t idx, const bgcopy_file_range *range);

/* sched.c: policy, timers, wakeups, loop life cycle */
int bgc_loop_start(bgcopy_manager *m);
void bgc_loop_stop(bgcopy_manager *m);
/* lock held by caller: wake the loop and wait until job->running == 0. */
void bgc_wait_idle(bgcopy_manager *m, bgcopy_job *job);
/* Lock held.  Refile the job in the scheduler sets after a change of
 * queued, state, hold, priority or its timers (P1); O(log n), never fails. */
void bgc_sched_update(bgcopy_job *job);
/* Lock held.  hold++ / hold-- and bgc_sched_update. */
void bgc_job_hold(bgcopy_job *job);
void bgc_job_unhold(bgcopy_job *job);
/* Lock held.  Room in every set for |jobs| queued jobs (P2): 0 or -1 (ENOMEM). */
int bgc_sched_reserve(bgcopy_manager *m, size_t jobs);
void bgc_sched_free(bgcopy_manager *m);      /* no lock: the manager's last reference */
/* Lock held, loop thread.  Set or clear job->running and the running list (P3). */
void bgc_sched_set_running(bgcopy_manager *m, bgcopy_job *job, int on);

/* step.c (loop thread, lock not held): start the next step of a running
 * job or finish/park it; give up a job's step (park: no transfer exists;
 * abort: stop its transfer, keeping the bytes that arrived). */
void bgc_step_advance(bgcopy_manager *m, bgcopy_job *job);
void bgc_step_park(bgcopy_manager *m, bgcopy_job *job);
void bgc_step_abort(bgcopy_manager *m, bgcopy_job *job);

/* Hooks between areas (lock held unless said otherwise). */
void bgc_notify_file_done(bgcopy_job *job, uint32_t idx);   /* notify.c: a file finished */
void bgc_notify_ranges_filled(bgcopy_job *job, uint32_t idx, uint64_t offset, uint64_t length);
void bgc_notify_job_free(bgcopy_job *job);                  /* job_notify.c: free its fields; no lock */
void bgc_ranges_job_free(bgcopy_job *job);                  /* job_ranges.c: free its fields; no lock */

/* notify.c (dispatcher thread) */
int bgc_dispatch_start(bgcopy_manager *m);
void bgc_dispatch_stop(bgcopy_manager *m);
/* Lock held, O(1) or O(log N): something |job| may have to deliver changed
 * (a state, a flag, the sink, a pending event); put it on the ready list. */
void bgc_notify_job_changed(bgcopy_job *job);
/* Lock held, O(1) or O(log N): |job| leaves the queue (Cancel, Complete);
 * it leaves the ready structures for good. */
void bgc_notify_job_leaving(bgcopy_job *job);
/* Lock held: the manager's clock moved; waiting dispatchers look at the
 * timed heap again. */
void bgc_notify_clock_changed(bgcopy_manager *m);
/* Lock held: a sink to release without the lock on a dispatcher (the
 * loop thread never runs client code).  0, or -1 when out of memory (the
 * caller keeps it). */
int bgc_notify_release_later(bgcopy_manager *m, bgc_notify *sink);
/* Lock held: an owed group completion became due or changed its due time
 * (group.c); waiting dispatchers look again. */
void bgc_notify_groups_changed(bgcopy_manager *m);

/* group.c */
/* Dispatcher, lock held on entry and exit (it is dropped while the sink
 * runs): deliver one due owed group completion.  Returns 1 when it did;
 * else 0 with *next lowered to the earliest due time (manager clock). */
int bgc_group_deliver_one(bgcopy_manager *m, uint64_t *next);
/* bgcopy_manager_close, no lock, after the dispatcher stopped: unlist
 * every group and release the group sinks and the table's references. */
void bgc_groups_close(bgcopy_manager *m);
/* cmdline.c: split a Windows command line into a NULL-terminated argv
 * (one allocation, free() it); NULL on out of memory. */
char **bgc_cmdline_split(const char *cmdline);
/* cmdline.c: run |program| with |argv| (no shell, no PATH search) and wait
 * for it; 0 with *exit_status set, or a negative libuv error.  No lock. */
int bgc_cmdline_run(const char *program, char *const *argv, int64_t *exit_status);

#endif
