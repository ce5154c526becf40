/*
 * bgcopy.h - the native C API of bgcopy, a portable implementation of the
 * Windows BITS (Background Intelligent Transfer Service) job model.
 *
 * Conventions (they hold for every function below unless it says otherwise):
 *  - Strings are UTF-8, NUL-terminated.  Strings returned through a char**
 *    are allocated by bgcopy and released by the caller with bgcopy_free().
 *  - Functions return a bgcopy_hr: an HRESULT with the exact value Windows
 *    uses (bitsmsg.h / winerror.h).  BGCOPY_SUCCEEDED(hr) is hr >= 0.
 *    BGCOPY_E_INVALIDARG is returned for NULL required pointers.
 *  - Thread-safety: every function may be called from any thread, including
 *    from inside a notification callback, without deadlock.  Calls on one
 *    job are serialised by the manager's engine lock, which is never held
 *    while user code runs.
 *  - Sizes and offsets are bytes (uint64_t); durations are seconds unless
 *    the name says _ms.  Times are FILETIME ticks: 100-ns units since
 *    1601-01-01 UTC, 0 meaning "not set".
 *  - Job handles (bgcopy_job*) are reference counted and owned by whoever
 *    received them; a handle keeps the job's memory alive, not its place in
 *    the queue.  Releasing the last handle never cancels a job.
 */
#ifndef BGCOPY_H
#define BGCOPY_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(BGCOPY_SHARED)
#  ifdef BGCOPY_BUILDING
#    define BGCOPY_API __declspec(dllexport)
#  else
#    define BGCOPY_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && !defined(_WIN32)
#  define BGCOPY_API __attribute__((visibility("default")))
#else
#  define BGCOPY_API
#endif

/* ---------------------------------------------------------------- values */

typedef int32_t bgcopy_hr;
#define BGCOPY_SUCCEEDED(hr) ((bgcopy_hr)(hr) >= 0)
#define BGCOPY_FAILED(hr) ((bgcopy_hr)(hr) < 0)

#define BGCOPY_S_OK                          ((bgcopy_hr)0x00000000)
#define BGCOPY_S_FALSE                       ((bgcopy_hr)0x00000001)
#define BGCOPY_E_NOTIMPL                     ((bgcopy_hr)0x80004001)
#define BGCOPY_E_NOINTERFACE                 ((bgcopy_hr)0x80004002)
#define BGCOPY_E_POINTER                     ((bgcopy_hr)0x80004003)
#define BGCOPY_E_FAIL                        ((bgcopy_hr)0x80004005)
#define BGCOPY_E_ACCESSDENIED                ((bgcopy_hr)0x80070005)
#define BGCOPY_E_OUTOFMEMORY                 ((bgcopy_hr)0x8007000E)
#define BGCOPY_E_INVALIDARG                  ((bgcopy_hr)0x80070057)
/* HRESULT_FROM_WIN32(e) for a Win32 error e (e.g. ERROR_FILE_NOT_FOUND 2). */
#define BGCOPY_HRESULT_FROM_WIN32(e) \
    ((bgcopy_hr)((e) <= 0 ? (uint32_t)(e) : (((uint32_t)(e) & 0x0000FFFFu) | 0x80070000u)))
#define BGCOPY_E_FILE_NOT_FOUND              ((bgcopy_hr)0x80070002) /* ERROR_FILE_NOT_FOUND */
#define BGCOPY_E_PATH_NOT_FOUND              ((bgcopy_hr)0x80070003) /* ERROR_PATH_NOT_FOUND */
#define BGCOPY_E_DISK_FULL                   ((bgcopy_hr)0x80070070) /* ERROR_DISK_FULL */
#define BGCOPY_E_BAD_FILE_TYPE               ((bgcopy_hr)0x800700DE) /* ERROR_BAD_FILE_TYPE */
#define BGCOPY_E_WINHTTP_TIMEOUT             ((bgcopy_hr)0x80072EE2)
#define BGCOPY_E_WINHTTP_NAME_NOT_RESOLVED   ((bgcopy_hr)0x80072EE7)
#define BGCOPY_E_WINHTTP_CANNOT_CONNECT      ((bgcopy_hr)0x80072EFD)
#define BGCOPY_E_WINHTTP_CONNECTION_ERROR    ((bgcopy_hr)0x80072EFE)
#define BGCOPY_E_WINHTTP_SECURE_FAILURE      ((bgcopy_hr)0x80072F8F)
#define BGCOPY_E_WINHTTP_INVALID_URL         ((bgcopy_hr)0x80072EE5)

/* BITS codes (FACILITY_BACKGROUNDCOPY), same values as bitsmsg.h. */
#define BGCOPY_E_NOT_FOUND                   ((bgcopy_hr)0x80200001)
#define BGCOPY_E_INVALID_STATE               ((bgcopy_hr)0x80200002)
#define BGCOPY_E_EMPTY                       ((bgcopy_hr)0x80200003)
#define BGCOPY_E_FILE_NOT_AVAILABLE          ((bgcopy_hr)0x80200004)
#define BGCOPY_E_PROTOCOL_NOT_AVAILABLE      ((bgcopy_hr)0x80200005)
#define BGCOPY_E_ERROR_INFORMATION_UNAVAILABLE ((bgcopy_hr)0x8020000F)
#define BGCOPY_E_MISSING_FILE_SIZE           ((bgcopy_hr)0x80200011)
#define BGCOPY_E_INSUFFICIENT_HTTP_SUPPORT   ((bgcopy_hr)0x80200012)
#define BGCOPY_E_INSUFFICIENT_RANGE_SUPPORT  ((bgcopy_hr)0x80200013)
#define BGCOPY_S_PARTIAL_COMPLETE            ((bgcopy_hr)0x00200017)
#define BGCOPY_S_UNABLE_TO_DELETE_FILES      ((bgcopy_hr)0x0020001A)
#define BGCOPY_E_INVALID_SERVER_RESPONSE     ((bgcopy_hr)0x8020001B)
#define BGCOPY_E_TOO_MANY_FILES              ((bgcopy_hr)0x8020001C)
#define BGCOPY_E_LOCAL_FILE_CHANGED          ((bgcopy_hr)0x8020001D)
#define BGCOPY_E_STRING_TOO_LONG             ((bgcopy_hr)0x80200021)
#define BGCOPY_E_CONNECTION_CLOSED           ((bgcopy_hr)0x8020002E)
#define BGCOPY_E_TOO_MANY_JOBS_PER_USER      ((bgcopy_hr)0x80200049)
#define BGCOPY_E_TOO_MANY_FILES_IN_JOB       ((bgcopy_hr)0x80200051)
#define BGCOPY_E_INVALID_RANGE               ((bgcopy_hr)0x8020002B)
#define BGCOPY_E_OVERLAPPING_RANGES          ((bgcopy_hr)0x8020002C)
#define BGCOPY_E_TOO_MANY_RANGES_IN_FILE     ((bgcopy_hr)0x80200052)
#define BGCOPY_E_RANDOM_ACCESS_NOT_SUPPORTED ((bgcopy_hr)0x8020006D)
#define BGCOPY_E_READ_ONLY_PROPERTY_AFTER_RESUME ((bgcopy_hr)0x80200062)
#define BGCOPY_E_PENDING                     ((bgcopy_hr)0x8000000A)
#define BGCOPY_E_REMOTE_FILE_CHANGED         ((bgcopy_hr)0x80200073)
#define BGCOPY_E_DATABASE_CORRUPT            ((bgcopy_hr)0x8020006C)
/* The persistent queue (docs/persistence.md): another process owns the
 * queue directory (ERROR_SHARING_VIOLATION), and a queue database written
 * by a newer bgcopy (ERROR_REVISION_MISMATCH), which is left untouched. */
#define BGCOPY_E_QUEUE_IN_USE                ((bgcopy_hr)0x80070020)
#define BGCOPY_E_QUEUE_TOO_NEW               ((bgcopy_hr)0x8007051A)
#define BGCOPY_E_PROXY_LIST_TOO_LARGE        ((bgcopy_hr)0x80200018)
#define BGCOPY_E_PROXY_BYPASS_LIST_TOO_LARGE ((bgcopy_hr)0x80200019)
#define BGCOPY_E_USERNAME_TOO_LARGE          ((bgcopy_hr)0x80200025)
#define BGCOPY_E_PASSWORD_TOO_LARGE          ((bgcopy_hr)0x80200026)
#define BGCOPY_E_INVALID_AUTH_TARGET         ((bgcopy_hr)0x80200027)
#define BGCOPY_E_INVALID_AUTH_SCHEME         ((bgcopy_hr)0x80200028)
#define BGCOPY_E_INVALID_PROXY_INFO          ((bgcopy_hr)0x8020003F)
/* BG_E_HTTP_ERROR_nnn = 0x80190000 | nnn (FACILITY_HTTP). */
#define BGCOPY_E_HTTP_ERROR(status)          ((bgcopy_hr)(0x80190000u | (uint32_t)(status)))

typedef enum bgcopy_job_state {
    BGCOPY_JOB_STATE_QUEUED = 0,
    BGCOPY_JOB_STATE_CONNECTING = 1,
    BGCOPY_JOB_STATE_TRANSFERRING = 2,
    BGCOPY_JOB_STATE_SUSPENDED = 3,
    BGCOPY_JOB_STATE_ERROR = 4,
    BGCOPY_JOB_STATE_TRANSIENT_ERROR = 5,
    BGCOPY_JOB_STATE_TRANSFERRED = 6,
    BGCOPY_JOB_STATE_ACKNOWLEDGED = 7,
    BGCOPY_JOB_STATE_CANCELLED = 8
} bgcopy_job_state;

typedef enum bgcopy_job_priority {
    BGCOPY_JOB_PRIORITY_FOREGROUND = 0,
    BGCOPY_JOB_PRIORITY_HIGH = 1,
    BGCOPY_JOB_PRIORITY_NORMAL = 2,
    BGCOPY_JOB_PRIORITY_LOW = 3
} bgcopy_job_priority;

typedef enum bgcopy_job_type {
    BGCOPY_JOB_TYPE_DOWNLOAD = 0,
    BGCOPY_JOB_TYPE_UPLOAD = 1,
    BGCOPY_JOB_TYPE_UPLOAD_REPLY = 2
} bgcopy_job_type;

typedef enum bgcopy_error_context {
    BGCOPY_ERROR_CONTEXT_NONE = 0,
    BGCOPY_ERROR_CONTEXT_UNKNOWN = 1,
    BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER = 2,
    BGCOPY_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION = 3,
    BGCOPY_ERROR_CONTEXT_LOCAL_FILE = 4,
    BGCOPY_ERROR_CONTEXT_REMOTE_FILE = 5,
    BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT = 6,
    BGCOPY_ERROR_CONTEXT_REMOTE_APPLICATION = 7,
    BGCOPY_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK = 8
} bgcopy_error_context;

#define BGCOPY_SIZE_UNKNOWN UINT64_MAX
#define BGCOPY_LENGTH_TO_EOF UINT64_MAX       /* a range's length: to the end of the file */
#define BGCOPY_MAX_RANGES_PER_FILE 500   /* MaxRangesPerFile's default (docs/policy.md) */

/* Notify flags (BG_NOTIFY_*). */
#define BGCOPY_NOTIFY_JOB_TRANSFERRED        0x0001u
#define BGCOPY_NOTIFY_JOB_ERROR              0x0002u
#define BGCOPY_NOTIFY_DISABLE                0x0004u
#define BGCOPY_NOTIFY_JOB_MODIFICATION       0x0008u
#define BGCOPY_NOTIFY_FILE_TRANSFERRED       0x0010u
#define BGCOPY_NOTIFY_FILE_RANGES_TRANSFERRED 0x0020u
#define BGCOPY_NOTIFY_DEFAULT                0x0003u

#define BGCOPY_JOB_ENUM_ALL_USERS 0x0001u

/* Limits (characters = UTF-8 code points, as BITS counts WCHARs). */
#define BGCOPY_MAX_DISPLAY_NAME 256
#define BGCOPY_MAX_DESCRIPTION 1024
#define BGCOPY_MAX_URL 2200
#define BGCOPY_MAX_FILES_PER_JOB 200     /* MaxFilesPerJob's default (docs/policy.md) */
#define BGCOPY_MAX_JOBS_PER_USER 60      /* MaxJobsPerUser's default */
#define BGCOPY_JOB_INACTIVITY_TIMEOUT_DAYS 90 /* JobInactivityTimeout's default */

/* Same layout as the Windows GUID. */
typedef struct bgcopy_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
} bgcopy_guid;

/* A byte range of a remote file (BG_FILE_RANGE). */
typedef struct bgcopy_file_range {
    uint64_t initial_offset;
    uint64_t length;             /* > 0, or BGCOPY_LENGTH_TO_EOF */
} bgcopy_file_range;

typedef struct bgcopy_job_progress {
    uint64_t bytes_total;        /* BGCOPY_SIZE_UNKNOWN while any file's size is unknown */
    uint64_t bytes_transferred;
    uint32_t files_total;
    uint32_t files_transferred;
} bgcopy_job_progress;

typedef struct bgcopy_file_progress {
    uint64_t bytes_total;        /* BGCOPY_SIZE_UNKNOWN until known */
    uint64_t bytes_transferred;
    int completed;               /* 1 once Complete handed the file to the user */
} bgcopy_file_progress;

typedef struct bgcopy_job_times {
    uint64_t creation_time;      /* FILETIME ticks */
    uint64_t modification_time;
    uint64_t transfer_completion_time; /* 0 until the job reached TRANSFERRED */
} bgcopy_job_times;

/* A job's current error (IBackgroundCopyError). */
typedef struct bgcopy_job_error {
    bgcopy_hr code;
    bgcopy_error_context context;
    int32_t file_index;          /* index of the failing file, or -1 when not tied to a file */
    char protocol[8];            /* "http" (HTTP and HTTPS), "file", or "" when none */
} bgcopy_job_error;

/* One file of a job.  Strings owned by the struct: release with
 * bgcopy_file_info_clear(). */
typedef struct bgcopy_file_info {
    char *remote_name;           /* URL (after a reported redirect: the final URL) */
    char *local_name;            /* absolute destination path */
    char *temporary_name;        /* absolute path of the hidden temporary file */
    bgcopy_file_progress progress;
} bgcopy_file_info;

typedef struct bgcopy_manager bgcopy_manager;
typedef struct bgcopy_job bgcopy_job;

/* ---------------------------------------------------------- notification */

/*
 * Native notification sink (IBackgroundCopyCallback / Callback2 / Callback3).
 * Every function pointer may be NULL.  Callbacks run on the manager's
 * dispatcher threads (never on the transfer thread) or, with
 * manual_dispatch, inside bgcopy_manager_pump: one at a time per job and in
 * order per job, while different jobs' callbacks may run concurrently on up
 * to 4 dispatcher threads (a sink shared by several jobs must be
 * thread-safe, as on Windows); |job| is a handle valid for the duration of the call (do not
 * release it; take bgcopy_job_addref() to keep it).  Any bgcopy_* call may be
 * made from inside a callback.
 *
 * job_transferred / job_error / file_transferred return S_OK when handled;
 * anything else makes bgcopy deliver the event again later (after the job's
 * minimum retry delay) while the job is still in that state.
 */
typedef struct bgcopy_notify_callbacks {
    bgcopy_hr (*job_transferred)(void *ctx, bgcopy_job *job);
    bgcopy_hr (*job_error)(void *ctx, bgcopy_job *job, const bgcopy_job_error *error);
    bgcopy_hr (*job_modification)(void *ctx, bgcopy_job *job);
    bgcopy_hr (*file_transferred)(void *ctx, bgcopy_job *job, uint32_t file_index);
    /* Lifetime of ctx: add_ref is called when bgcopy takes a reference (on
     * registration, before each delivery, in bgcopy_job_get_notify), release
     * when it drops one.  Both may be NULL when ctx needs no management. */
    void (*add_ref)(void *ctx);
    void (*release)(void *ctx);
    /* IBackgroundCopyCallback3::FileRangesTransferred: the ranges of file
     * |file_index| filled since the previous call (on-demand jobs only);
     * |ranges| is valid during the call.  Appended last so positional
     * initialisers of the fields above keep working. */
    bgcopy_hr (*file_ranges_transferred)(void *ctx, bgcopy_job *job, uint32_t file_index,
                                         const bgcopy_file_range *ranges, uint32_t count);
} bgcopy_notify_callbacks;

/* A notification delivery whose answer comes later (bgcopy_notify_defer). */
typedef struct bgcopy_notify_pending bgcopy_notify_pending;

/* Turn the notification being delivered on this thread into a deferred
 * one: call it from inside a callback of bgcopy_notify_callbacks (any of
 * the five events) on the thread that runs it.  The callback's return value
 * is then ignored; its answer is the HRESULT later given to
 * bgcopy_notify_complete, which counts exactly as if the callback had
 * returned it (a failing JobTransferred, JobError or FileTransferred is
 * delivered again after the minimum retry delay, docs/notifications.md).
 * Until then the delivery is still in progress for the job: its next
 * notification waits (one delivery per job at a time), while the
 * delivering thread (a dispatcher, or the bgcopy_manager_pump caller) goes
 * on with other jobs.  The job and the sink's ctx stay referenced until the
 * completion.
 *   out: receives the token, owned by the caller until it is passed to
 *   bgcopy_notify_complete (exactly once).  NULL on error.
 * Errors: E_INVALIDARG (out NULL), BG_E_INVALID_STATE (not inside a
 * callback on this thread, or the callback already deferred), E_OUTOFMEMORY.
 * Thread-safe.  No BITS method: it lets a layer carry a callback to another
 * thread (the COM layer's single-threaded apartments) without holding a
 * dispatcher thread while that thread is busy. */
BGCOPY_API bgcopy_hr bgcopy_notify_defer(bgcopy_notify_pending **out);

/* Finish a deferred delivery with the callback's answer |hr| and free
 * |pending|.  Any thread, no engine lock needed; it may run the sink's
 * release.  Also valid after bgcopy_manager_close (the answer is then
 * ignored), so a token must always be completed: an uncompleted token
 * keeps its job, its manager's memory and the sink referenced.  NULL is
 * ignored. */
BGCOPY_API void bgcopy_notify_complete(bgcopy_notify_pending *pending, bgcopy_hr hr);

/* --------------------------------------------------------------- manager */

typedef struct bgcopy_manager_options {
    /* Monotonic clock in milliseconds used by every timer (retry delay,
     * no-progress timeout, notification redelivery); NULL = the system's
     * monotonic clock.  Tests inject their own and call
     * bgcopy_manager_clock_changed() after moving it. */
    uint64_t (*clock_ms)(void *clock_ctx);
    void *clock_ctx;
    /* Directory of the persistent queue (UTF-8); NULL = the default per-user
     * location, see bgcopy_manager_get_state_dir.  Used with
     * queue = BGCOPY_QUEUE_PERSISTENT (docs/persistence.md). */
    const char *state_dir;
    /* 0: callbacks run on the manager's dispatcher thread.  1: no dispatcher
     * thread; callbacks run inside bgcopy_manager_pump() on the caller's
     * thread (the stand-in for the Windows message loop of STA clients). */
    int manual_dispatch;
    /* Stall timeout in seconds: a transfer that receives no body byte for
     * this long fails with ERROR_WINHTTP_TIMEOUT (a transient error, retried
     * after the minimum retry delay).  0 = the default, 60 s; at most 86400
     * (E_INVALIDARG above).  BITS has no such setting; tests shorten it. */
    uint32_t stall_timeout_s;
    /* Policy file to read instead of the machine-wide and per-user ones
     * (UTF-8 path; docs/policy.md); NULL = those two.  A named file must
     * exist and parse cleanly, else bgcopy_manager_open fails with
     * E_INVALIDARG.  Tests use it to raise or lower the limits. */
    const char *policy_file;
    /* Where the queue lives (docs/persistence.md): BGCOPY_QUEUE_DEFAULT,
     * BGCOPY_QUEUE_PERSISTENT (an SQLite database in the state directory,
     * which is created, mode 0700, and locked for this manager alone) or
     * BGCOPY_QUEUE_IN_MEMORY (nothing is written; jobs end with the
     * manager: for benchmarks and programs that want no queue on disk).
     * BGCOPY_QUEUE_DEFAULT (and opts == NULL) is BGCOPY_QUEUE_PERSISTENT in
     * the state directory, as BITS keeps every job until Complete or
     * Cancel. */
    int queue;
    /* Optional.  When not NULL and bgcopy_manager_open fails, *error_text
     * receives an English UTF-8 description of why (which process holds the
     * queue, which path is not usable, what SQLite said), freed with
     * bgcopy_free(); on success, or when no more than the HRESULT is known,
     * it is set to NULL.  The HRESULT alone stays the contract: the text is
     * for people. */
    char **error_text;
} bgcopy_manager_options;

#define BGCOPY_QUEUE_DEFAULT 0
#define BGCOPY_QUEUE_PERSISTENT 1
#define BGCOPY_QUEUE_IN_MEMORY 2

/* The Group Policy settings bgcopy enforces (docs/policy.md), with BITS's
 * policy names.  Read once by bgcopy_manager_open from the policy files;
 * fixed for the manager's life.  They apply to every user, root and
 * elevated Windows tokens included (docs/policy.md says why). */
typedef struct bgcopy_policy {
    uint32_t max_jobs_per_user;   /* MaxJobsPerUser: non-final jobs in the queue; default 60 */
    uint32_t max_files_per_job;   /* MaxFilesPerJob; default 200 */
    uint32_t max_ranges_per_file; /* MaxRangesPerFile (AddFileWithRanges); default 500 */
    uint32_t job_inactivity_timeout_days; /* JobInactivityTimeout in days; default 90 */
} bgcopy_policy;

/* Open a manager: starts its transfer thread (a libuv loop) and its
 * notification dispatcher thread, and with a persistent queue opens the
 * queue database in the state directory (docs/persistence.md).  |opts| may
 * be NULL for defaults.  *out is owned by the caller and closed with
 * bgcopy_manager_close().
 * Errors: E_INVALIDARG (out NULL, stall_timeout_s above 86400, an unknown
 * queue value, a policy_file that cannot be read or has an error),
 * E_OUTOFMEMORY, E_FAIL (thread or loop could not start, no
 * state directory could be determined); with a persistent queue also
 * BGCOPY_E_QUEUE_IN_USE (another open manager, in this process or another,
 * owns the directory; opts->error_text names its process ID),
 * BGCOPY_E_QUEUE_TOO_NEW (the database has a newer schema; it is not
 * modified), E_ACCESSDENIED (the directory is owned by another user, is
 * writable by group or others, or cannot be written), ERROR_PATH_NOT_FOUND,
 * ERROR_DISK_FULL, ERROR_WRITE_FAULT (I/O errors creating or reading the
 * queue).  A damaged database is not an error: it is kept aside, a new
 * queue starts and bgcopy_manager_get_store_report says so.
 * Mirrors CoCreateInstance(CLSID_BackgroundCopyManager).
 * Thread-safe. */
BGCOPY_API bgcopy_hr bgcopy_manager_open(const bgcopy_manager_options *opts,
                                         bgcopy_manager **out);

/* Stop all transfers (bytes already on disk stay in the temporary files),
 * release every job's notification sink, stop both threads and drop the
 * manager.  Job handles the caller still holds stay valid: getters keep
 * answering, every other call fails with BG_E_INVALID_STATE.  With a
 * persistent queue the jobs stay in it (progress as of a last checkpoint)
 * and the queue directory is free for the next open; with an in-memory
 * queue they are gone with the manager.  Must not be called
 * from inside a notification callback (it waits for the dispatcher).  NULL
 * is ignored.  Thread-safe with respect to calls on other objects. */
BGCOPY_API void bgcopy_manager_close(bgcopy_manager *m);

/* The directory of the manager's persistent queue: the options' state_dir,
 * or when that was NULL the per-user default, resolved when the manager
 * opened: %LOCALAPPDATA%\bgcopy on Windows (%USERPROFILE%\AppData\Local\bgcopy
 * if LOCALAPPDATA is unset), $XDG_STATE_HOME/bgcopy elsewhere
 * (~/.local/state/bgcopy if XDG_STATE_HOME is unset or not absolute).  The
 * directory is created only by a persistent queue (BGCOPY_QUEUE_PERSISTENT).
 *   m: the manager.  out: receives a UTF-8 copy, owned by the caller, freed
 *   with bgcopy_free(); NULL on every error.
 * Errors: E_INVALIDARG (NULL argument), E_FAIL (no default could be
 * determined: no such variable and no home directory), E_OUTOFMEMORY.
 * Thread-safe.  BITS keeps its queue in a fixed system location and has no
 * such method; this is bgcopy's own. */
BGCOPY_API bgcopy_hr bgcopy_manager_get_state_dir(bgcopy_manager *m, char **out);

/* The policy the manager enforces (docs/policy.md): *out receives the
 * values read from the policy files when it opened, defaults for the keys
 * no file set.  Errors: E_INVALIDARG (NULL argument).  Thread-safe.  BITS
 * reads these from Group Policy (HKLM\Software\Policies\Microsoft\Windows\BITS);
 * there is no BITS method. */
BGCOPY_API bgcopy_hr bgcopy_manager_get_policy(bgcopy_manager *m, bgcopy_policy *out);

/* What the open of the persistent queue found (docs/persistence.md). */
typedef enum bgcopy_store_damage {
    BGCOPY_STORE_INTACT = 0,     /* nothing was moved aside */
    BGCOPY_STORE_CORRUPT = 1,    /* an SQLite database that failed PRAGMA quick_check or could
                                    not be read (damaged or truncated pages, a bad header) */
    BGCOPY_STORE_EMPTY = 2,      /* a zero-length file */
    BGCOPY_STORE_FOREIGN = 3     /* not an SQLite database, or one of another application */
} bgcopy_store_damage;

typedef struct bgcopy_store_report {
    bgcopy_store_damage damage;
    char *kept_path;             /* UTF-8 path of the database moved aside, byte-identical to what
                                    was found: "<dir>/queue.db.<kind>-<YYYYMMDDTHHMMSSZ>"; NULL
                                    when INTACT */
    char *kept_wal_path;         /* its write-ahead log, moved aside as "<kept_path>-wal"; NULL
                                    when there was none */
    char *detail;                /* English: what was wrong (SQLite's message, or the first
                                    problem quick_check listed); NULL when INTACT */
} bgcopy_store_report;

/* What opening the persistent queue found: whether the database was
 * damaged and, if so, where the damaged file was kept.  A damaged database
 * is never emptied or deleted: it is renamed aside (with its -wal), and a
 * new, empty queue is started in its place; BITS instead discards a
 * corrupt queue (Microsoft's "Job Database Integrity" page; docs/persistence.md).
 *   m: the manager.  out: filled; its strings are owned by the caller and
 *   released with bgcopy_store_report_clear().
 * Returns S_OK, or S_FALSE with damage INTACT when the manager has no
 * persistent queue (BGCOPY_QUEUE_IN_MEMORY).  Errors: E_INVALIDARG (NULL
 * argument), E_OUTOFMEMORY.  Thread-safe.  BITS has no such method. */
BGCOPY_API bgcopy_hr bgcopy_manager_get_store_report(bgcopy_manager *m,
                                                     bgcopy_store_report *out);
/* Frees the strings of |r| and zeroes it.  NULL is ignored. */
BGCOPY_API void bgcopy_store_report_clear(bgcopy_store_report *r);

/* Tell the manager that the injected clock moved: timers are re-evaluated
 * at once.  Thread-safe; no-op with the system clock. */
BGCOPY_API void bgcopy_manager_clock_changed(bgcopy_manager *m);

/* Create a job in SUSPENDED state with default properties (priority NORMAL,
 * notify flags 0x3, minimum retry delay 600 s, no-progress timeout
 * 1 209 600 s).  |display_name|: UTF-8, at most 256 characters, need not be
 * unique.  |out_id| (optional) receives the new job's GUID, |out_job|
 * (optional) a new handle.  Errors: E_INVALIDARG (display_name NULL or too
 * long, type not DOWNLOAD), E_NOTIMPL (upload types, not implemented yet),
 * BG_E_TOO_MANY_JOBS_PER_USER (the queue already holds MaxJobsPerUser
 * non-final jobs, docs/policy.md), BG_E_INVALID_STATE (manager closed),
 * E_OUTOFMEMORY.  Mirrors IBackgroundCopyManager::CreateJob. */
BGCOPY_API bgcopy_hr bgcopy_manager_create_job(bgcopy_manager *m, const char *display_name,
                                               bgcopy_job_type type, bgcopy_guid *out_id,
                                               bgcopy_job **out_job);

/* Look a job up by GUID; *out_job receives a new handle.  Errors:
 * BG_E_NOT_FOUND (no such job, or it is CANCELLED/ACKNOWLEDGED),
 * E_INVALIDARG.  Mirrors IBackgroundCopyManager::GetJob. */
BGCOPY_API bgcopy_hr bgcopy_manager_get_job(bgcopy_manager *m, const bgcopy_guid *id,
                                            bgcopy_job **out_job);

/* Snapshot of the manager's jobs, oldest first, without CANCELLED and
 * ACKNOWLEDGED ones.  *out_jobs is an array of *out_count new handles; free
 * it with bgcopy_job_list_free().  |flags|: 0 or BGCOPY_JOB_ENUM_ALL_USERS
 * (every job here belongs to the calling user, so both give the same list).
 * Errors: E_INVALIDARG (unknown flag bits or NULL out pointers),
 * E_OUTOFMEMORY.  Mirrors IBackgroundCopyManager::EnumJobs. */
BGCOPY_API bgcopy_hr bgcopy_manager_enum_jobs(bgcopy_manager *m, uint32_t flags,
                                              bgcopy_job ***out_jobs, size_t *out_count);

/* Release every handle of a list from bgcopy_manager_enum_jobs and the
 * array itself.  NULL is ignored. */
BGCOPY_API void bgcopy_job_list_free(bgcopy_job **jobs, size_t count);

/* ------------------------------------------------------------ job handle */

/* Take / drop a reference on a job handle.  Thread-safe.  Dropping the last
 * reference frees the handle's memory only once the job has also left the
 * manager's queue (CANCELLED, ACKNOWLEDGED or manager closed). */
BGCOPY_API void bgcopy_job_addref(bgcopy_job *job);
BGCOPY_API void bgcopy_job_release(bgcopy_job *job);

/* ------------------------------------------------------------ job: files */

/* Add one file to a download job.  |remote_url|: http://, https://,
 * file:// URL or an absolute local path, at most 2200 characters.
 * |local_name|: absolute path whose directory exists and is writable.
 * The file is written to a hidden temporary file in that directory and gets
 * its name only on Complete.  Errors: E_INVALIDARG (NULL or empty, relative
 * local path, local name that exists and is not a regular file: a
 * directory, symbolic link, FIFO, device or socket; unsupported scheme, URL
 * longer than 2200 characters, invalid UTF-8), E_ACCESSDENIED (directory
 * not writable), HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND) 0x80070003
 * (directory missing), BG_E_TOO_MANY_FILES_IN_JOB (the job holds
 * MaxFilesPerJob files already, 200 by default: docs/policy.md),
 * E_OUTOFMEMORY, BG_E_INVALID_STATE
 * (CANCELLED or ACKNOWLEDGED).  Mirrors IBackgroundCopyJob::AddFile. */
BGCOPY_API bgcopy_hr bgcopy_job_add_file(bgcopy_job *job, const char *remote_url,
                                         const char *local_name);

/* Number of files in the job.  Mirrors IEnumBackgroundCopyFiles::GetCount. */
BGCOPY_API bgcopy_hr bgcopy_job_get_file_count(bgcopy_job *job, uint32_t *out_count);

/* Copy of file |index|'s names and progress into *out (clear it with
 * bgcopy_file_info_clear).  Errors: E_INVALIDARG (index out of range or
 * NULL), E_OUTOFMEMORY.  Mirrors IBackgroundCopyFile::GetRemoteName,
 * GetLocalName, GetProgress and IBackgroundCopyFile3::GetTemporaryName. */
BGCOPY_API bgcopy_hr bgcopy_job_get_file(bgcopy_job *job, uint32_t index,
                                         bgcopy_file_info *out);

/* Only the progress of file |index| (no allocation).  Errors as above.
 * Mirrors IBackgroundCopyFile::GetProgress. */
BGCOPY_API bgcopy_hr bgcopy_job_get_file_progress(bgcopy_job *job, uint32_t index,
                                                  bgcopy_file_progress *out);

/* Free the strings of a bgcopy_file_info and zero it.  NULL is ignored. */
BGCOPY_API void bgcopy_file_info_clear(bgcopy_file_info *info);

/* ------------------------------------------------------- job: life cycle */

/* Queue the job for transfer (SUSPENDED, ERROR, TRANSIENT_ERROR -> QUEUED;
 * an active job stays as it is; a TRANSFERRED job with files left to fetch
 * is queued again).  Bytes already in a file's temporary file are kept and
 * the transfer continues with a Range request.  Errors: BG_E_EMPTY (no
 * files; job stays SUSPENDED), BG_E_INVALID_STATE (CANCELLED or
 * ACKNOWLEDGED).  Mirrors IBackgroundCopyJob::Resume. */
BGCOPY_API bgcopy_hr bgcopy_job_resume(bgcopy_job *job);

/* Stop the job's transfer and put it in SUSPENDED; bytes on disk are kept.
 * S_OK also when already suspended.  Errors: BG_E_INVALID_STATE (final
 * states).  Mirrors IBackgroundCopyJob::Suspend. */
BGCOPY_API bgcopy_hr bgcopy_job_suspend(bgcopy_job *job);

/* Stop the job, delete its temporary files, state CANCELLED.  Returns S_OK,
 * or BG_S_UNABLE_TO_DELETE_FILES when a temporary file could not be deleted
 * (also when its name now holds something bgcopy did not create, such as a
 * symbolic link: that is left alone).
 * Errors: BG_E_INVALID_STATE (already CANCELLED or ACKNOWLEDGED).  Mirrors
 * IBackgroundCopyJob::Cancel. */
BGCOPY_API bgcopy_hr bgcopy_job_cancel(bgcopy_job *job);

/* Stop the job, rename every fully transferred temporary file to its local
 * name, delete the others, state ACKNOWLEDGED.  Returns S_OK when every file
 * was kept, BG_S_PARTIAL_COMPLETE when unfinished files were discarded,
 * BG_S_UNABLE_TO_DELETE_FILES when a temporary file could not be deleted.
 * If a rename fails, returns that error (HRESULT_FROM_WIN32) and the job
 * stays as it was (files renamed so far keep their names).  Nothing but the
 * regular file bgcopy created is renamed, and only over nothing or a regular
 * file: HRESULT_FROM_WIN32(ERROR_BAD_FILE_TYPE) 0x800700DE when a local name
 * now is a directory, symbolic link, FIFO, device or socket (nothing is
 * renamed, the job stays TRANSFERRED; clear the name and call Complete
 * again); BG_E_LOCAL_FILE_CHANGED 0x8020001D when a temporary name holds
 * something else (a link, another file): it is left alone and that file
 * downloads again from zero under a new temporary name (a TRANSFERRED job
 * goes back to QUEUED).  Errors also:
 * BG_E_INVALID_STATE (CANCELLED or ACKNOWLEDGED).  Mirrors
 * IBackgroundCopyJob::Complete. */
BGCOPY_API bgcopy_hr bgcopy_job_complete(bgcopy_job *job);

/* ------------------------------------------------------ job: properties */

BGCOPY_API bgcopy_hr bgcopy_job_get_id(bgcopy_job *job, bgcopy_guid *out);            /* GetId */
BGCOPY_API bgcopy_hr bgcopy_job_get_type(bgcopy_job *job, bgcopy_job_type *out);      /* GetType */
BGCOPY_API bgcopy_hr bgcopy_job_get_state(bgcopy_job *job, bgcopy_job_state *out);    /* GetState */
/* Job progress; a job without files reports all zeros.  GetProgress. */
BGCOPY_API bgcopy_hr bgcopy_job_get_progress(bgcopy_job *job, bgcopy_job_progress *out);
BGCOPY_API bgcopy_hr bgcopy_job_get_times(bgcopy_job *job, bgcopy_job_times *out);    /* GetTimes */

/* The job's current error.  Errors: BG_E_ERROR_INFORMATION_UNAVAILABLE when
 * the job has no current error (the error of a TRANSIENT_ERROR or ERROR
 * state is cleared when the job next reaches TRANSFERRING).  Mirrors
 * IBackgroundCopyJob::GetError + IBackgroundCopyError::GetError/GetProtocol. */
BGCOPY_API bgcopy_hr bgcopy_job_get_error(bgcopy_job *job, bgcopy_job_error *out);

/* Number of times the job went into TRANSIENT_ERROR or ERROR.  GetErrorCount. */
BGCOPY_API bgcopy_hr bgcopy_job_get_error_count(bgcopy_job *job, uint32_t *out);

/* Display name (<= 256 characters) and description (<= 1024).  Setters:
 * E_INVALIDARG (NULL), BG_E_STRING_TOO_LONG, BG_E_INVALID_STATE (final
 * states).  Getters return a copy to bgcopy_free().  Mirrors
 * Set/GetDisplayName, Set/GetDescription. */
BGCOPY_API bgcopy_hr bgcopy_job_set_display_name(bgcopy_job *job, const char *name);
BGCOPY_API bgcopy_hr bgcopy_job_get_display_name(bgcopy_job *job, char **out);
BGCOPY_API bgcopy_hr bgcopy_job_set_description(bgcopy_job *job, const char *text);
BGCOPY_API bgcopy_hr bgcopy_job_get_description(bgcopy_job *job, char **out);

/* Priority.  Setter errors: E_NOTIMPL (value outside the enum),
 * BG_E_INVALID_STATE.  Mirrors Set/GetPriority. */
BGCOPY_API bgcopy_hr bgcopy_job_set_priority(bgcopy_job *job, bgcopy_job_priority p);
BGCOPY_API bgcopy_hr bgcopy_job_get_priority(bgcopy_job *job, bgcopy_job_priority *out);

/* Notify flags (BGCOPY_NOTIFY_*).  Setter errors: E_NOTIMPL (unknown bits,
 * as Windows), BG_E_INVALID_STATE.  Mirrors Set/GetNotifyFlags. */
BGCOPY_API bgcopy_hr bgcopy_job_set_notify_flags(bgcopy_job *job, uint32_t flags);
BGCOPY_API bgcopy_hr bgcopy_job_get_notify_flags(bgcopy_job *job, uint32_t *out);

/* Register (or with cb NULL, clear) the job's notification sink; the last
 * registration wins.  *cb is copied; ctx is add_ref'ed.  Events that already
 * happened (job in TRANSFERRED or ERROR) are delivered after registration.
 * Errors: BG_E_INVALID_STATE (final states).  Mirrors SetNotifyInterface. */
BGCOPY_API bgcopy_hr bgcopy_job_set_notify(bgcopy_job *job, const bgcopy_notify_callbacks *cb,
                                           void *ctx);
/* The registered sink: *out_ctx receives its ctx (add_ref'ed for the
 * caller, who drops it with out_cb->release) or NULL when none is
 * registered; *out_cb (optional, may be NULL) a copy of its callbacks, all
 * NULL when none.  Errors: E_INVALIDARG (job or out_ctx NULL).  Mirrors
 * GetNotifyInterface. */
BGCOPY_API bgcopy_hr bgcopy_job_get_notify(bgcopy_job *job, bgcopy_notify_callbacks *out_cb,
                                           void **out_ctx);

/* Minimum retry delay in seconds (default 600; values below 5 become 5) and
 * no-progress timeout in seconds (default 1 209 600; 0 = never retry).
 * Setter errors: BG_E_INVALID_STATE.  Mirrors Set/GetMinimumRetryDelay,
 * Set/GetNoProgressTimeout. */
BGCOPY_API bgcopy_hr bgcopy_job_set_minimum_retry_delay(bgcopy_job *job, uint32_t seconds);
BGCOPY_API bgcopy_hr bgcopy_job_get_minimum_retry_delay(bgcopy_job *job, uint32_t *out);
BGCOPY_API bgcopy_hr bgcopy_job_set_no_progress_timeout(bgcopy_job *job, uint32_t seconds);
BGCOPY_API bgcopy_hr bgcopy_job_get_no_progress_timeout(bgcopy_job *job, uint32_t *out);

/* Owner of the job: the account name of the user running the process
 * (uv_os_get_passwd; "unknown user" if the system cannot say), on every
 * platform.  BITS answers a SID string ("S-1-5-21-...") on Windows;
 * bgcopy keeps the name there too, so the value reads alike everywhere
 * and needs no security API.  *out is UTF-8, owned by the caller, freed
 * with bgcopy_free().  Errors: E_INVALIDARG (NULL argument),
 * E_OUTOFMEMORY.  Thread-safe.  Mirrors IBackgroundCopyJob::GetOwner. */
BGCOPY_API bgcopy_hr bgcopy_job_get_owner(bgcopy_job *job, char **out);

/* The policy of the manager |job| belongs to, as bgcopy_manager_get_policy
 * (compat's AddFileSet checks MaxFilesPerJob with it before adding any
 * file).  Errors: E_INVALIDARG (NULL argument).  Thread-safe.  No BITS
 * method. */
BGCOPY_API bgcopy_hr bgcopy_job_get_policy(bgcopy_job *job, bgcopy_policy *out);


/* ------------------------------------------------ ranges and remote names */

/* Add a file of which only |ranges| are fetched, written back to back into
 * the local file in the caller's order (docs/http.md).  |count| 1 to
 * MaxRangesPerFile (500 by default, docs/policy.md); a
 * range's length is > 0 or BGCOPY_LENGTH_TO_EOF.  Errors: E_INVALIDARG
 * (count 0, bad names as bgcopy_job_add_file, not an http(s) URL),
 * BG_E_INVALID_RANGE (initial offset BGCOPY_LENGTH_TO_EOF, length 0),
 * BG_E_OVERLAPPING_RANGES (ranges overlap once sorted by offset),
 * BG_E_TOO_MANY_RANGES_IN_FILE (count above MaxRangesPerFile), and the
 * errors of bgcopy_job_add_file.
 * Ranges beyond the end of the resource fail the job at transfer time with
 * BG_E_INVALID_RANGE.  Mirrors IBackgroundCopyJob3::AddFileWithRanges. */
BGCOPY_API bgcopy_hr bgcopy_job_add_file_with_ranges(bgcopy_job *job, const char *remote_url,
                                                     const char *local_name,
                                                     const bgcopy_file_range *ranges,
                                                     uint32_t count);

/* The ranges of file |index|: *out (to bgcopy_free) and *count; S_FALSE
 * with NULL and 0 when the file has none.  Errors: E_INVALIDARG.  Mirrors
 * IBackgroundCopyFile2::GetFileRanges. */
BGCOPY_API bgcopy_hr bgcopy_job_get_file_ranges(bgcopy_job *job, uint32_t index,
                                                bgcopy_file_range **out, uint32_t *count);

/* Change file |index|'s remote URL (same rules as add_file).  Bytes already
 * fetched are kept only if the new URL serves the same version.  Errors:
 * E_INVALIDARG, BG_E_INVALID_STATE.  Mirrors IBackgroundCopyFile2::SetRemoteName. */
BGCOPY_API bgcopy_hr bgcopy_job_set_file_remote_name(bgcopy_job *job, uint32_t index,
                                                     const char *remote_url);

/* Replace |old_prefix| by |new_prefix| at the start of every remote name
 * (case-sensitive).  S_FALSE when no name starts with it.  Errors:
 * E_INVALIDARG (empty prefix, resulting URL invalid or too long),
 * BG_E_INVALID_STATE.  Mirrors IBackgroundCopyJob3::ReplaceRemotePrefix. */
BGCOPY_API bgcopy_hr bgcopy_job_replace_remote_prefix(bgcopy_job *job, const char *old_prefix,
                                                      const char *new_prefix);

/* -------------------------------------------------------- HTTP options */

/* Security flags: the values of BITS's BG_SSL_* and BG_HTTP_REDIRECT_POLICY_*
 * (IBackgroundCopyJobHttpOptions::SetSecurityFlags), with BITS's names.
 * Certificate checks (docs/http.md says which ones OpenSSL can relax): */
#define BGCOPY_SSL_ENABLE_CRL_CHECK                 0x0001u
#define BGCOPY_SSL_IGNORE_CERT_CN_INVALID           0x0002u
#define BGCOPY_SSL_IGNORE_CERT_DATE_INVALID         0x0004u
#define BGCOPY_SSL_IGNORE_UNKNOWN_CA                0x0008u
#define BGCOPY_SSL_IGNORE_CERT_WRONG_USAGE          0x0010u
/* The redirect policy: a field (the mask) holding one of three values, plus
 * one independent bit. */
#define BGCOPY_HTTP_REDIRECT_POLICY_MASK            0x0700u
#define BGCOPY_HTTP_REDIRECT_POLICY_ALLOW_SILENT    0x0000u /* default */
#define BGCOPY_HTTP_REDIRECT_POLICY_ALLOW_REPORT    0x0100u
#define BGCOPY_HTTP_REDIRECT_POLICY_DISALLOW        0x0200u
#define BGCOPY_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP 0x0800u

/* Security flags: BGCOPY_SSL_* | one BGCOPY_HTTP_REDIRECT_POLICY_* value of
 * the MASK field | BGCOPY_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP.
 * Default 0.  Setter errors: E_NOTIMPL (unknown bits, or a policy value
 * above DISALLOW), BG_E_INVALID_STATE.  Mirrors
 * IBackgroundCopyJobHttpOptions::SetSecurityFlags / GetSecurityFlags. */
BGCOPY_API bgcopy_hr bgcopy_job_set_security_flags(bgcopy_job *job, uint32_t flags);
BGCOPY_API bgcopy_hr bgcopy_job_get_security_flags(bgcopy_job *job, uint32_t *out);

/* Custom request headers, "Name: value\r\n" each (NULL removes), at most
 * 16 383 characters; sent on every request of the job.  Getter: S_FALSE
 * with NULL when none.  Errors: BG_E_STRING_TOO_LONG, E_INVALIDARG,
 * BG_E_INVALID_STATE.  Mirrors Set/GetCustomHeaders. */
BGCOPY_API bgcopy_hr bgcopy_job_set_custom_headers(bgcopy_job *job, const char *headers);
BGCOPY_API bgcopy_hr bgcopy_job_get_custom_headers(bgcopy_job *job, char **out);

/* Dynamic content (BITS_JOB_PROPERTY_DYNAMIC_CONTENT): servers without a
 * size are accepted; any interruption restarts a file from zero.  Only
 * before the first Resume (else BG_E_READ_ONLY_PROPERTY_AFTER_RESUME) and
 * not with ranges.  Mirrors IBackgroundCopyJob5::SetProperty/GetProperty. */
BGCOPY_API bgcopy_hr bgcopy_job_set_dynamic_content(bgcopy_job *job, int enable);
BGCOPY_API bgcopy_hr bgcopy_job_get_dynamic_content(bgcopy_job *job, int *out);

/* ------------------------------------------------ proxies and credentials */

/* BG_JOB_PROXY_USAGE. */
typedef enum bgcopy_proxy_usage {
    BGCOPY_PROXY_USAGE_PRECONFIG = 0,  /* default: the user's settings (on Linux and, for now,
                                          on Windows the http_proxy / https_proxy / no_proxy
                                          environment, as libcurl reads it) */
    BGCOPY_PROXY_USAGE_NO_PROXY = 1,   /* straight to the server, whatever the environment */
    BGCOPY_PROXY_USAGE_OVERRIDE = 2,   /* the job's own proxy list and bypass list */
    BGCOPY_PROXY_USAGE_AUTODETECT = 3  /* WPAD/PAC is not implemented: behaves as PRECONFIG */
} bgcopy_proxy_usage;

/* Sets how the job's requests reach servers.  list, bypass: UTF-8, only
 * with OVERRIDE (else they must be NULL); list is required then.  Syntax
 * (docs/http.md, "Proxies"): proxy entries "[http=|https=][http://|https://]
 * host[:port]" and bypass names (a leading '*' wildcard, "<local>")
 * separated by spaces, ';' or ','; at most 32 000 characters each.  A list
 * that does not parse is found when the job runs: ERROR with
 * BG_E_INVALID_PROXY_INFO.  Copied; applies from the next request.
 * Errors: E_INVALIDARG (NULL job, OVERRIDE without list, a list with
 * another usage, invalid UTF-8), E_NOTIMPL (usage outside the enum),
 * BG_E_PROXY_LIST_TOO_LARGE, BG_E_PROXY_BYPASS_LIST_TOO_LARGE,
 * BG_E_INVALID_STATE, E_OUTOFMEMORY.  Thread-safe.  Mirrors
 * IBackgroundCopyJob::SetProxySettings. */
BGCOPY_API bgcopy_hr bgcopy_job_set_proxy_settings(bgcopy_job *job, bgcopy_proxy_usage usage,
                                                   const char *list, const char *bypass);
/* *usage, and copies of the lists (bgcopy_free; NULL when not set).
 * Errors: E_INVALIDARG (NULL argument), E_OUTOFMEMORY.  Thread-safe.
 * Mirrors IBackgroundCopyJob::GetProxySettings. */
BGCOPY_API bgcopy_hr bgcopy_job_get_proxy_settings(bgcopy_job *job, bgcopy_proxy_usage *usage,
                                                   char **list, char **bypass);

/* BG_AUTH_TARGET and BG_AUTH_SCHEME. */
typedef enum bgcopy_auth_target {
    BGCOPY_AUTH_TARGET_SERVER = 1,
    BGCOPY_AUTH_TARGET_PROXY = 2
} bgcopy_auth_target;
typedef enum bgcopy_auth_scheme {
    BGCOPY_AUTH_SCHEME_BASIC = 1,
    BGCOPY_AUTH_SCHEME_DIGEST = 2,
    BGCOPY_AUTH_SCHEME_NTLM = 3,
    BGCOPY_AUTH_SCHEME_NEGOTIATE = 4,
    BGCOPY_AUTH_SCHEME_PASSPORT = 5   /* accepted; never answered (docs/http.md) */
} bgcopy_auth_scheme;

/* Stores credentials for (target, scheme), replacing that pair's; they are
 * sent only when the server or proxy asks for that scheme, never to
 * another host or port (docs/security.md, rule 14), and never shown (there
 * is no getter, as in BITS).  user, password: UTF-8, at most 300
 * characters each; both NULL with NTLM or NEGOTIATE = the process's own
 * identity.  Several schemes with the same user and password answer
 * whichever the server offers; with different ones the strongest scheme's
 * (NEGOTIATE, NTLM, DIGEST, BASIC, PASSPORT) is used for that target.
 * Copied.  Errors: E_INVALIDARG (NULL job, NULL user or password with
 * BASIC or DIGEST, invalid UTF-8), BG_E_INVALID_AUTH_TARGET,
 * BG_E_INVALID_AUTH_SCHEME, BG_E_USERNAME_TOO_LARGE,
 * BG_E_PASSWORD_TOO_LARGE, BG_E_INVALID_STATE, E_OUTOFMEMORY.
 * Thread-safe.  Mirrors IBackgroundCopyJob2::SetCredentials. */
BGCOPY_API bgcopy_hr bgcopy_job_set_credentials(bgcopy_job *job, bgcopy_auth_target target,
                                                bgcopy_auth_scheme scheme, const char *user,
                                                const char *password);
/* Forgets (target, scheme)'s credentials: S_OK, or S_FALSE when there were
 * none.  Errors: E_INVALIDARG, BG_E_INVALID_AUTH_TARGET,
 * BG_E_INVALID_AUTH_SCHEME, BG_E_INVALID_STATE.  Thread-safe.  Mirrors
 * IBackgroundCopyJob2::RemoveCredentials. */
BGCOPY_API bgcopy_hr bgcopy_job_remove_credentials(bgcopy_job *job, bgcopy_auth_target target,
                                                   bgcopy_auth_scheme scheme);

/* ------------------------------------------------ stored-only properties */

/* BG_COPY_FILE_OWNER / GROUP / DACL / SACL (SetFileACLFlags). */
#define BGCOPY_COPY_FILE_OWNER 0x1u
#define BGCOPY_COPY_FILE_GROUP 0x2u
#define BGCOPY_COPY_FILE_DACL  0x4u
#define BGCOPY_COPY_FILE_SACL  0x8u
#define BGCOPY_COPY_FILE_ALL   0xFu
/* BG_JOB_ENABLE_PEERCACHING_CLIENT / _SERVER, BG_JOB_DISABLE_BRANCH_CACHE. */
#define BGCOPY_PEERCACHING_CLIENT      0x1u
#define BGCOPY_PEERCACHING_SERVER      0x2u
#define BGCOPY_DISABLE_BRANCH_CACHE    0x4u
#define BGCOPY_PEERCACHING_ALL         0x7u

/* File ACL flags (BGCOPY_COPY_FILE_*), default 0.  BITS applies them to SMB
 * transfers only and ignores them for HTTP; bgcopy has no SMB transport, so
 * the value is only stored in the job record and handed back.  The getter
 * reports 0 once the job left the queue (ACKNOWLEDGED or CANCELLED).
 * Setter errors: E_INVALIDARG (NULL job, bits outside
 * BGCOPY_COPY_FILE_ALL), BG_E_INVALID_STATE (job TRANSFERRED, ACKNOWLEDGED
 * or CANCELLED, or manager closed).  Getter errors: E_INVALIDARG (NULL
 * argument).  Thread-safe.  Mirrors IBackgroundCopyJob3::SetFileACLFlags /
 * GetFileACLFlags. */
BGCOPY_API bgcopy_hr bgcopy_job_set_file_acl_flags(bgcopy_job *job, uint32_t flags);
BGCOPY_API bgcopy_hr bgcopy_job_get_file_acl_flags(bgcopy_job *job, uint32_t *out);

/* Peer-caching flags (BGCOPY_PEERCACHING_CLIENT, _SERVER,
 * BGCOPY_DISABLE_BRANCH_CACHE), default 0.  bgcopy has no peer caching and
 * no BranchCache (every byte comes from the origin server): the value is
 * only stored and handed back, and reads 0 once the job left the queue.
 * Errors as bgcopy_job_set_file_acl_flags (E_INVALIDARG for bits outside
 * BGCOPY_PEERCACHING_ALL).  Thread-safe.  Mirrors
 * IBackgroundCopyJob4::SetPeerCachingFlags / GetPeerCachingFlags. */
BGCOPY_API bgcopy_hr bgcopy_job_set_peer_caching_flags(bgcopy_job *job, uint32_t flags);
BGCOPY_API bgcopy_hr bgcopy_job_get_peer_caching_flags(bgcopy_job *job, uint32_t *out);

/* ------------------------------------------------- notification extras */

/* Program run on TRANSFERRED and ERROR (no shell, no PATH search; the
 * parameters start with argv[0]).  Both NULL removes it; program NULL with
 * parameters non-NULL is E_INVALIDARG.  Limits: program 260, parameters
 * 4000 characters (BG_E_STRING_TOO_LONG).  Getters return copies (NULL
 * when unset) to bgcopy_free.  Mirrors IBackgroundCopyJob2::Set/GetNotifyCmdLine. */
BGCOPY_API bgcopy_hr bgcopy_job_set_notify_cmdline(bgcopy_job *job, const char *program,
                                                   const char *parameters);
BGCOPY_API bgcopy_hr bgcopy_job_get_notify_cmdline(bgcopy_job *job, char **program,
                                                   char **parameters);

/* Validation state of file |index| (IBackgroundCopyFile3).  Setter errors:
 * E_PENDING (file not finished), E_INVALIDARG. */
BGCOPY_API bgcopy_hr bgcopy_job_set_file_validation_state(bgcopy_job *job, uint32_t index,
                                                          int valid);
BGCOPY_API bgcopy_hr bgcopy_job_get_file_validation_state(bgcopy_job *job, uint32_t index,
                                                          int *out);

/* Deliver pending notifications of a manager opened with manual_dispatch
 * on the calling thread, waiting up to |timeout_ms| for the first one.
 * S_OK when at least one was delivered (*delivered, optional, says how
 * many), S_FALSE on timeout.  Errors: E_INVALIDARG, BG_E_INVALID_STATE
 * (manager without manual_dispatch).  The stand-in for the Windows message
 * loop of single-threaded clients. */
BGCOPY_API bgcopy_hr bgcopy_manager_pump(bgcopy_manager *m, uint32_t timeout_ms,
                                         uint32_t *delivered);

/* ------------------------------------------- on-demand (IBackgroundCopyFile6) */

/* BITS_JOB_PROPERTY_ON_DEMAND_MODE: the job fetches only what
 * bgcopy_job_request_file_ranges asks for; when every requested byte is
 * there and the file is incomplete the job goes to SUSPENDED.  Only before
 * the first Resume.  Mirrors IBackgroundCopyJob5 property 10. */
BGCOPY_API bgcopy_hr bgcopy_job_set_on_demand(bgcopy_job *job, int enable);
BGCOPY_API bgcopy_hr bgcopy_job_get_on_demand(bgcopy_job *job, int *out);
/* Errors: BG_E_RANDOM_ACCESS_NOT_SUPPORTED (not an eligible file),
 * BG_E_INVALID_RANGE (outside the file).  Mirror IBackgroundCopyFile6
 * RequestFileRanges / GetFilledFileRanges (*out to bgcopy_free) /
 * UpdateDownloadPosition. */
BGCOPY_API bgcopy_hr bgcopy_job_request_file_ranges(bgcopy_job *job, uint32_t index,
                                                    const bgcopy_file_range *ranges,
                                                    uint32_t count);
BGCOPY_API bgcopy_hr bgcopy_job_get_filled_file_ranges(bgcopy_job *job, uint32_t index,
                                                       bgcopy_file_range **out, uint32_t *count);
BGCOPY_API bgcopy_hr bgcopy_job_update_download_position(bgcopy_job *job, uint32_t index,
                                                         uint64_t offset);

/* ------------------------------------------ groups (BITS 1.0 Queue Manager)
 *
 * A group (IBackgroundCopyGroup of qmgr.h) is a core object of the
 * manager, like a job, and lives in the manager's queue until
 * bgcopy_group_cancel or bgcopy_manager_close (docs/qmgr.md).  Each group
 * owns one native download job, created with it and visible to
 * bgcopy_manager_enum_jobs: the group refers to it by reference
 * (bgcopy_group_get_job) and the job's file list is the group's.  The
 * engine drives the group's life: when the job has every byte, the group
 * Completes it (the files get their local names) and stays, complete and
 * suspended, until cancelled.  Handles are reference-counted like job
 * handles (bgcopy_group_addref / _release), thread-safe, and stay valid
 * after the group is cancelled or the manager closed: then
 * bgcopy_group_get_id and bgcopy_group_get_job still answer, every other
 * bgcopy_group_* call fails with BG_E_NOT_FOUND.
 */
typedef struct bgcopy_group bgcopy_group;

/* Group status bits (the QM_STATUS_GROUP_* values of qmgr.h). */
#define BGCOPY_GROUP_STATUS_COMPLETE   0x0040u
#define BGCOPY_GROUP_STATUS_INCOMPLETE 0x0080u
#define BGCOPY_GROUP_STATUS_SUSPENDED  0x0100u
#define BGCOPY_GROUP_STATUS_ERROR      0x0200u
#define BGCOPY_GROUP_STATUS_FOREGROUND 0x0400u
/* Status bits of the group's job (the QM_STATUS_JOB_* values). */
#define BGCOPY_GROUP_JOB_COMPLETE      0x0004u
#define BGCOPY_GROUP_JOB_INCOMPLETE    0x0008u
#define BGCOPY_GROUP_JOB_ERROR         0x0010u
/* Group notify flags (the QM_NOTIFY_* values). */
#define BGCOPY_GROUP_NOTIFY_FILE_DONE      0x01u /* accepted, no effect (as Windows) */
#define BGCOPY_GROUP_NOTIFY_JOB_DONE       0x02u /* accepted, no effect (as Windows) */
#define BGCOPY_GROUP_NOTIFY_GROUP_DONE     0x04u /* on_status when the group completes */
#define BGCOPY_GROUP_NOTIFY_DISABLE_NOTIFY 0x40u /* no notification at all */
#define BGCOPY_GROUP_NOTIFY_USE_PROGRESSEX 0x80u /* stored for the COM layer (OnProgressEx) */
#define BGCOPY_GROUP_NOTIFY_ALL            0xC7u
/* The only group protocol (QM_PROTOCOL_HTTP) and priority. */
#define BGCOPY_GROUP_PROTOCOL_HTTP 1u
#define BGCOPY_GROUP_PRIORITY      1u
/* Progress report types (the QM_PROGRESS_* values). */
#define BGCOPY_GROUP_PROGRESS_PERCENT 1u
#define BGCOPY_GROUP_PROGRESS_SIZE    3u

/* A group's status.  |error|, |error_file| and |error_count| are set only
 * with BGCOPY_GROUP_STATUS_ERROR (else S_OK, UINT32_MAX, 0). */
typedef struct bgcopy_group_status {
    uint32_t group_status;       /* BGCOPY_GROUP_STATUS_* */
    uint32_t job_status;         /* BGCOPY_GROUP_JOB_* */
    bgcopy_hr error;             /* the job's error HRESULT */
    uint32_t error_file;         /* index of the failing file, UINT32_MAX when none */
    uint32_t error_count;        /* times the job went into error (retries) */
} bgcopy_group_status;

/* A group's progress.  A complete group reports its final byte count as
 * both total and transferred, and percent 100. */
typedef struct bgcopy_group_progress {
    uint64_t bytes_total;        /* BGCOPY_SIZE_UNKNOWN while any size is unknown */
    uint64_t bytes_transferred;
    uint32_t percent;            /* 0-100; 0 while the total is unknown */
} bgcopy_group_progress;

/* One opt-in progress report (bgcopy_group_set_progress_granularity). */
typedef struct bgcopy_group_progress_report {
    uint32_t type;               /* BGCOPY_GROUP_PROGRESS_PERCENT or _SIZE */
    uint32_t value;              /* percent 0-100, or bytes clamped to UINT32_MAX */
    uint32_t file_index;         /* the file being downloaded */
} bgcopy_group_progress_report;

/*
 * Group notification sink (IBackgroundCopyCallback1's OnStatus and
 * OnProgress).  Every pointer may be NULL.  Calls run on the manager's
 * dispatcher threads (or inside bgcopy_manager_pump), one at a time per
 * group, never with a bgcopy lock held: any bgcopy_* call may be made from
 * them.  |group| is valid for the call (take bgcopy_group_addref to keep
 * it).  Rules (docs/qmgr.md):
 *  - on_status when the download fails (always, unless
 *    BGCOPY_GROUP_NOTIFY_DISABLE_NOTIFY) and when the group completes (with
 *    BGCOPY_GROUP_NOTIFY_GROUP_DONE, without DISABLE_NOTIFY);
 *  - on_status must return S_OK.  Anything else means the notification is
 *    owed: an error is delivered again after the job's minimum retry delay
 *    while the group stays in error; a completion likewise, by a due time
 *    on the manager's clock (bgcopy_manager_options.clock_ms; moved with
 *    bgcopy_manager_clock_changed).  S_FALSE from an error on_status means
 *    "nobody to tell" and is not retried;
 *  - a new target (bgcopy_group_set_notify with a sink, or a non-null
 *    NOTIFYCLSID) makes what is owed due at once;
 *  - on_progress per bgcopy_group_set_progress_granularity; its result is
 *    not retried.
 */
typedef struct bgcopy_group_callbacks {
    /* Lifetime of ctx: add_ref when bgcopy takes a reference (registration,
     * before each call), release when it drops one.  add_ref may run with
     * the manager's lock held: keep it a counter increment that calls no
     * bgcopy function; release never runs with a lock held.  Both may be
     * NULL. */
    void (*add_ref)(void *ctx);
    void (*release)(void *ctx);
    bgcopy_hr (*on_status)(void *ctx, bgcopy_group *group, const bgcopy_group_status *status);
    void (*on_progress)(void *ctx, bgcopy_group *group,
                        const bgcopy_group_progress_report *report);
} bgcopy_group_callbacks;

/* Create group |id| (the caller's GUID): suspended, no files, notify flags
 * 0, protocol HTTP, with a new download job named after the GUID
 * ("{XXXXXXXX-...}") until a display name is set.  *out receives a new
 * handle (bgcopy_group_release).  Errors: E_INVALIDARG (NULL argument, a
 * group |id| exists), BG_E_INVALID_STATE (manager closed), E_OUTOFMEMORY.
 * Thread-safe.  Mirrors IBackgroundCopyQMgr::CreateGroup. */
BGCOPY_API bgcopy_hr bgcopy_manager_create_group(bgcopy_manager *m, const bgcopy_guid *id,
                                                 bgcopy_group **out);
/* Group |id|: a new handle in *out.  A group whose job was cancelled
 * behind its back (a modern client's Cancel) is dropped and not found.
 * Errors: E_INVALIDARG, BG_E_NOT_FOUND.  Thread-safe.  Mirrors
 * IBackgroundCopyQMgr::GetGroup. */
BGCOPY_API bgcopy_hr bgcopy_manager_get_group(bgcopy_manager *m, const bgcopy_guid *id,
                                              bgcopy_group **out);
/* Snapshot of the manager's groups, oldest first: *out an array of *count
 * new handles, freed with bgcopy_group_list_free.  Errors: E_INVALIDARG,
 * E_OUTOFMEMORY.  Thread-safe.  Mirrors IBackgroundCopyQMgr::EnumGroups. */
BGCOPY_API bgcopy_hr bgcopy_manager_enum_groups(bgcopy_manager *m, bgcopy_group ***out,
                                                size_t *count);
/* Release every handle of a bgcopy_manager_enum_groups list and the array.
 * NULL is ignored. */
BGCOPY_API void bgcopy_group_list_free(bgcopy_group **groups, size_t count);
/* Take / drop a handle reference.  NULL is ignored.  Thread-safe. */
BGCOPY_API void bgcopy_group_addref(bgcopy_group *g);
BGCOPY_API void bgcopy_group_release(bgcopy_group *g);

/* The group's GUID.  Errors: E_INVALIDARG.  Mirrors get_GroupID. */
BGCOPY_API bgcopy_hr bgcopy_group_get_id(bgcopy_group *g, bgcopy_guid *out);
/* The group's native job: a new handle in *out, also once the group is
 * complete (the job is ACKNOWLEDGED then; its file list stays readable).
 * Errors: E_INVALIDARG.  Thread-safe.  Mirrors QueryNewJobInterface. */
BGCOPY_API bgcopy_hr bgcopy_group_get_job(bgcopy_group *g, bgcopy_job **out);

/* Name the group's BITS 1.0 job (IBackgroundCopyJob1, the group's file
 * list) |job_id|, the caller's GUID.  Errors: E_INVALIDARG, E_NOTIMPL (the
 * group has its job already), BG_E_INVALID_STATE (the group is complete,
 * or queued or transferring), BG_E_NOT_FOUND (cancelled).  Thread-safe.
 * Mirrors IBackgroundCopyGroup::CreateJob. */
BGCOPY_API bgcopy_hr bgcopy_group_create_job(bgcopy_group *g, const bgcopy_guid *job_id);
/* The GUID given to bgcopy_group_create_job: S_OK, or S_FALSE (*out zeroed)
 * when none was.  Errors: E_INVALIDARG.  Mirrors get_JobID / EnumJobs. */
BGCOPY_API bgcopy_hr bgcopy_group_get_job_id(bgcopy_group *g, bgcopy_guid *out);
/* Add a file to the group's job: an http:// or https:// URL (the group's
 * only protocol) and a local name, as bgcopy_job_add_file.  Errors:
 * E_INVALIDARG (NULL, another scheme, bad names), BG_E_INVALID_STATE (the
 * group is complete), BG_E_NOT_FOUND (cancelled), and bgcopy_job_add_file's.
 * Thread-safe.  Mirrors IBackgroundCopyJob1::AddFiles (one file). */
BGCOPY_API bgcopy_hr bgcopy_group_add_file(bgcopy_group *g, const char *remote_url,
                                           const char *local_name);

/* Suspend (bytes are kept) / resume (also retries after an error) the
 * group's download.  S_OK with nothing to do on a complete group.  Errors:
 * E_INVALIDARG, BG_E_NOT_FOUND (cancelled), BG_E_EMPTY (resume without
 * files).  Thread-safe.  Mirror SuspendGroup / ResumeGroup. */
BGCOPY_API bgcopy_hr bgcopy_group_suspend(bgcopy_group *g);
BGCOPY_API bgcopy_hr bgcopy_group_resume(bgcopy_group *g);
/* Remove the group, irreversibly.  Files that finished downloading get
 * their local names (kept, unlike bgcopy_job_cancel); unfinished ones are
 * deleted.  Nothing is owed or delivered any more; the sink is released.
 * Errors: E_INVALIDARG, BG_E_NOT_FOUND (already cancelled).  Thread-safe;
 * waits for the transfer to stop.  Mirrors CancelGroup. */
BGCOPY_API bgcopy_hr bgcopy_group_cancel(bgcopy_group *g);
/* Download at foreground priority; the status gains
 * BGCOPY_GROUP_STATUS_FOREGROUND.  Errors: E_INVALIDARG, BG_E_NOT_FOUND.
 * Mirrors IBackgroundCopyGroup::SwitchToForeground. */
BGCOPY_API bgcopy_hr bgcopy_group_switch_to_foreground(bgcopy_group *g);

/* Status (see bgcopy_group_status): COMPLETE|SUSPENDED once complete;
 * INCOMPLETE, with SUSPENDED unless queued, connecting, transferring or
 * retrying a transient error, and ERROR after a fatal error.  Errors:
 * E_INVALIDARG, BG_E_NOT_FOUND (cancelled).  Thread-safe.  Mirrors
 * IBackgroundCopyGroup::GetStatus and IBackgroundCopyJob1::GetStatus. */
BGCOPY_API bgcopy_hr bgcopy_group_get_status(bgcopy_group *g, bgcopy_group_status *out);
/* Progress (see bgcopy_group_progress).  Errors: E_INVALIDARG,
 * BG_E_NOT_FOUND.  Thread-safe.  Mirrors GetProgress and get_Size. */
BGCOPY_API bgcopy_hr bgcopy_group_get_progress(bgcopy_group *g, bgcopy_group_progress *out);

/* Display name (<= 256 characters) and description (<= 1024), UTF-8;
 * empty by default; also given to the group's job while it is in the
 * queue.  Setters: E_INVALIDARG (NULL, too long, not UTF-8),
 * BG_E_NOT_FOUND, E_OUTOFMEMORY.  Getters: a copy to bgcopy_free.  Mirror
 * GetProp/SetProp GROUPPROP_DISPLAYNAME / GROUPPROP_DESCRIPTION. */
BGCOPY_API bgcopy_hr bgcopy_group_set_display_name(bgcopy_group *g, const char *name);
BGCOPY_API bgcopy_hr bgcopy_group_get_display_name(bgcopy_group *g, char **out);
BGCOPY_API bgcopy_hr bgcopy_group_set_description(bgcopy_group *g, const char *text);
BGCOPY_API bgcopy_hr bgcopy_group_get_description(bgcopy_group *g, char **out);
/* Priority (only BGCOPY_GROUP_PRIORITY) and protocol flags (only
 * BGCOPY_GROUP_PROTOCOL_HTTP).  Setters: E_INVALIDARG for another value,
 * BG_E_NOT_FOUND.  Mirror GROUPPROP_PRIORITY / GROUPPROP_PROTOCOLFLAGS. */
BGCOPY_API bgcopy_hr bgcopy_group_set_priority(bgcopy_group *g, uint32_t priority);
BGCOPY_API bgcopy_hr bgcopy_group_get_priority(bgcopy_group *g, uint32_t *out);
BGCOPY_API bgcopy_hr bgcopy_group_set_protocol_flags(bgcopy_group *g, uint32_t flags);
BGCOPY_API bgcopy_hr bgcopy_group_get_protocol_flags(bgcopy_group *g, uint32_t *out);
/* Notify flags (BGCOPY_GROUP_NOTIFY_*, default 0).  Setter: E_INVALIDARG
 * for other bits, BG_E_NOT_FOUND.  Mirrors GROUPPROP_NOTIFYFLAGS. */
BGCOPY_API bgcopy_hr bgcopy_group_set_notify_flags(bgcopy_group *g, uint32_t flags);
BGCOPY_API bgcopy_hr bgcopy_group_get_notify_flags(bgcopy_group *g, uint32_t *out);
/* NOTIFYCLSID: the class the manager's group sink activates for this group
 * (all-zero GUID = none, the default).  Setting a non-null one makes owed
 * notifications due at once.  Errors: E_INVALIDARG, BG_E_NOT_FOUND.
 * Mirrors GROUPPROP_NOTIFYCLSID. */
BGCOPY_API bgcopy_hr bgcopy_group_set_notify_clsid(bgcopy_group *g, const bgcopy_guid *clsid);
BGCOPY_API bgcopy_hr bgcopy_group_get_notify_clsid(bgcopy_group *g, bgcopy_guid *out);

/* The group's own sink (cb NULL clears it; *cb copied, ctx add_ref'ed,
 * released when replaced, cleared, or the group is cancelled or the
 * manager closed).  A group with its own sink is told through it;
 * otherwise, when its NOTIFYCLSID is set, through the manager's group sink
 * (bgcopy_manager_set_group_notify); otherwise nobody is told (an owed
 * completion stays owed).  Registering a sink makes owed notifications due
 * at once.  Errors: E_INVALIDARG, BG_E_NOT_FOUND.  Thread-safe.  Mirrors
 * IBackgroundCopyGroup::SetNotificationPointer. */
BGCOPY_API bgcopy_hr bgcopy_group_set_notify(bgcopy_group *g, const bgcopy_group_callbacks *cb,
                                             void *ctx);
/* The manager's group sink: told about groups without their own sink whose
 * NOTIFYCLSID is set (the COM layer activates that class).  Same rules as
 * bgcopy_group_set_notify; the last registration wins.  Errors:
 * E_INVALIDARG, BG_E_INVALID_STATE (closed).  Thread-safe.  Stands for the
 * BITS service's activation of NOTIFYCLSID classes; mirrors no method. */
BGCOPY_API bgcopy_hr bgcopy_manager_set_group_notify(bgcopy_manager *m,
                                                     const bgcopy_group_callbacks *cb, void *ctx);

/* Opt-in progress reports (docs/qmgr.md): on_progress when at least
 * |bytes| more bytes arrived, or the percentage grew by |percent|, or
 * |seconds| (manager clock) passed with new bytes since the previous
 * report (0 disables a criterion; all 0 turns reports off), and once more
 * at completion.  Sampled on the job's JobModification (at most every
 * 500 ms).  Errors: E_INVALIDARG, BG_E_NOT_FOUND (cancelled),
 * BG_E_INVALID_STATE (complete).  Thread-safe.  bgcopy extension
 * (BgCopyQMgrSetProgressGranularity); mirrors no BITS method. */
BGCOPY_API bgcopy_hr bgcopy_group_set_progress_granularity(bgcopy_group *g, uint32_t bytes,
                                                           uint32_t percent, uint32_t seconds);

/* ---------------------------------------------------------------- texts */

/* English description of an HRESULT bgcopy can return (every BITS code,
 * BG_E_HTTP_ERROR_nnn, the generic ones), or NULL for an unknown code.
 * Static storage.  Mirrors IBackgroundCopyManager::GetErrorDescription. */
BGCOPY_API const char *bgcopy_hr_description(bgcopy_hr hr);

/* Symbolic name of an HRESULT ("BG_E_INVALID_STATE", "BG_E_HTTP_ERROR_404",
 * "E_INVALIDARG") or NULL when unknown.  Static storage. */
BGCOPY_API const char *bgcopy_hr_name(bgcopy_hr hr);

/* English description of an error context.  Never NULL.  Mirrors
 * IBackgroundCopyError::GetErrorContextDescription. */
BGCOPY_API const char *bgcopy_error_context_description(bgcopy_error_context ctx);

/* "QUEUED", "CONNECTING", ..., "CANCELLED" for a state; "UNKNOWN" else. */
BGCOPY_API const char *bgcopy_job_state_name(bgcopy_job_state s);

/* Free a string returned by bgcopy.  NULL is ignored. */
BGCOPY_API void bgcopy_free(void *p);

/* GUID <-> "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" (upper case out, 39
 * bytes with NUL; in: either case, braces optional).  parse returns
 * E_INVALIDARG for malformed text. */
BGCOPY_API void bgcopy_guid_to_string(const bgcopy_guid *g, char out[39]);
BGCOPY_API bgcopy_hr bgcopy_guid_from_string(const char *text, bgcopy_guid *out);

/* ---- URLs for display (docs/security.md) -------------------
 *
 * bgcopy_url_for_display: a copy of |url| fit to print or log, with a
 * password embedded in it hidden: "http://user:secret@host/a" becomes
 * "http://user:***@host/a" (the URL reassembled by libcurl's URL API,
 * which may normalise the rest, e.g. lower-case the scheme and host).  A
 * URL without a password (or with an empty one), and a local path, comes
 * back unchanged.  Text that libcurl cannot parse as a URL is returned
 * unchanged unless an '@' appears in its authority (after "://", up to
 * the first '/', '\\', '?' or '#'): then everything before the last such
 * '@' is replaced by "***", the user name included.
 *
 * |url|: NUL-terminated UTF-8, only read.  |out| receives a new string the
 * caller frees with bgcopy_free(); NULL on every error.
 * Errors: E_INVALIDARG (|url| or |out| NULL), E_OUTOFMEMORY.
 * Thread-safe; needs no manager.  Remote names given to and returned by
 * the API (AddFile, GetRemoteName: bgcopy_job_get_file) keep the real URL;
 * only display is masked.  Mirrors no BITS method.
 */
BGCOPY_API bgcopy_hr bgcopy_url_for_display(const char *url, char **out);

#ifdef __cplusplus
}
#endif
#endif /* BGCOPY_H */
