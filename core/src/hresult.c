/*
 * hresult.c - symbolic names and English descriptions of the HRESULTs bgcopy
 * can return, of the BG_ERROR_CONTEXT values and of the job states.
 *
 * Why a table and not FormatMessage-style message files: bgcopy runs where
 * there is no message table, and callers (bitsadmin, COM GetErrorDescription)
 * need one stable English text per code.  The texts are written for bgcopy
 * (paraphrased from the meaning of each code, never copied from SDK message
 * files) and say, where it helps, what the caller can do about the error.
 *
 * Three sources of codes:
 *  - k_codes: every fixed code (BITS bitsmsg.h codes including the old-SDK
 *    0x2F-0x3D block, QMGR codes, the generic winerror.h/winhttp.h codes the
 *    API and the transport report).  Sorted by the unsigned 32-bit value so
 *    lookups are a binary search; tests/core/texts.c checks the order through
 *    bgcopy_hr_table_entry_().
 *  - BG_E_HTTP_ERROR_nnn (0x80190000 | nnn, nnn in 100..599): computed.  The
 *    500 names and descriptions are formatted once, on first use, under a
 *    uv_once so that concurrent first callers never race and every later call
 *    returns the same static strings.
 *  - Names of HRESULT_FROM_WIN32(e) codes are the Win32 constant e
 *    ("ERROR_FILE_NOT_FOUND", "ERROR_WINHTTP_TIMEOUT", and for the redirects
 *    BITS refuses, the winhttp.h HTTP_STATUS_* constant), except where
 *    winerror.h has an HRESULT name of its own (E_ACCESSDENIED, E_INVALIDARG,
 *    E_OUTOFMEMORY).
 */
#include "bgcopy.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uv.h>

/* ------------------------------------------------------ shared sentences */

/* The BG_E_ERROR_CONTEXT_* message ids carry the same text that
 * GetErrorContextDescription returns, so both lookups share these. */
static const char k_ctx_none[] = "No error has occurred.";
static const char k_ctx_unknown[] = "The location of the error is not known.";
static const char k_ctx_queue_manager[] =
    "The error was raised by the transfer queue manager itself.";
static const char k_ctx_notification[] =
    "The error happened while the queue manager was notifying the application "
    "of an event; the notification will be attempted again.";
static const char k_ctx_local_file[] =
    "The error concerns the local file: for example it is in use, its disk is "
    "full, or the job's owner may not write to it.";
static const char k_ctx_remote_file[] =
    "The error concerns the remote file: for example the server does not have "
    "it or refused access to it.";
static const char k_ctx_transport[] =
    "The error happened in the network transport, for example while trying to "
    "reach the server.";
static const char k_ctx_remote_app[] =
    "The server-side application that received the upload reported the error.";
static const char k_ctx_cert_callback[] =
    "The error happened inside the application's server certificate "
    "validation callback.";

/* Meaning BITS gives to a few HTTP statuses it treats as protocol
 * violations (docs/http.md, "Errors"). */
static const char k_protocol_violation[] =
    "the server's response was not valid for the request and did not follow "
    "the HTTP protocol. Resume the job to try again.";

/* ------------------------------------------------------- the fixed table */

typedef struct hr_entry {
    uint32_t value;
    const char *name;
    const char *text;
} hr_entry;

static const hr_entry k_codes[] = {
    /* --- success codes --- */
    { 0x00000000u, "S_OK", "The operation completed successfully." },
    { 0x00000001u, "S_FALSE",
      "The operation succeeded but had nothing to do, or returned fewer items than "
      "were asked for." },
    { 0x00200006u, "BG_S_ERROR_CONTEXT_NONE", k_ctx_none },
    { 0x00200017u, "BG_S_PARTIAL_COMPLETE",
      "The job was completed, but only the files that had finished transferring "
      "were kept; the unfinished files were deleted." },
    { 0x0020001Au, "BG_S_UNABLE_TO_DELETE_FILES",
      "The operation succeeded, but one or more of the job's temporary files could "
      "not be deleted and remain in the destination directory." },
    { 0x0020002Au, "BG_S_PROXY_CHANGED",
      "The operation succeeded and the proxy server used by the job changed." },
    { 0x00200055u, "BG_S_OVERRIDDEN_BY_POLICY",
      "The settings were saved, but group policy overrides some of them." },

    /* --- generic COM failures --- */
    { 0x8000000Au, "E_PENDING",
      "The data the operation needs is not available yet; try again once the file "
      "has finished transferring." },
    { 0x80004001u, "E_NOTIMPL",
      "The requested operation, or a value passed to it, is not supported." },
    { 0x80004002u, "E_NOINTERFACE",
      "The object does not support the requested interface." },
    { 0x80004003u, "E_POINTER", "A required pointer argument was NULL or not valid." },
    { 0x80004005u, "E_FAIL", "The operation failed for an unspecified reason." },
    { 0x80040110u, "CLASS_E_NOAGGREGATION",
      "The object cannot be created as part of an aggregate; pass no outer object." },
    { 0x80040154u, "REGDB_E_CLASSNOTREG",
      "The requested class is not registered; the requested version of the "
      "transfer service is not available." },
    { 0x800401F0u, "CO_E_NOTINITIALIZED",
      "COM has not been initialised on the calling thread; call CoInitializeEx "
      "first." },

    /* --- HRESULT_FROM_WIN32(e) --- */
    { 0x80070002u, "ERROR_FILE_NOT_FOUND",
      "The file could not be found. Check that the name and its location are "
      "correct." },
    { 0x80070003u, "ERROR_PATH_NOT_FOUND",
      "The path could not be found: a directory in it does not exist." },
    { 0x80070005u, "E_ACCESSDENIED",
      "Access was denied: the caller lacks the permission the operation needs, for "
      "example to write to the destination directory or to change another user's "
      "job." },
    { 0x8007000Eu, "E_OUTOFMEMORY", "There was not enough memory to complete the operation." },
    { 0x80070015u, "ERROR_NOT_READY",
      "The device holding the file is not ready; check that the drive or medium is "
      "available." },
    { 0x8007001Du, "ERROR_WRITE_FAULT",
      "The device reported an error while the file was being written." },
    { 0x8007001Eu, "ERROR_READ_FAULT",
      "The device reported an error while the file was being read." },
    { 0x80070020u, "ERROR_SHARING_VIOLATION",
      "The file is in use by another process and cannot be opened; close the other "
      "program and try again." },
    { 0x80070027u, "ERROR_HANDLE_DISK_FULL",
      "The disk is full; free some space and resume the job." },
    { 0x80070050u, "ERROR_FILE_EXISTS", "A file with that name already exists." },
    { 0x80070057u, "E_INVALIDARG",
      "One or more arguments are not valid, for example a NULL or relative path, "
      "an unsupported URL or a value out of range." },
    { 0x80070070u, "ERROR_DISK_FULL",
      "There is not enough space on the disk; free some space and resume the job." },
    { 0x8007007Bu, "ERROR_INVALID_NAME",
      "The file name, directory name or volume label syntax is not valid." },
    { 0x800700B7u, "ERROR_ALREADY_EXISTS",
      "The file cannot be created because it already exists." },
    { 0x800700CEu, "ERROR_FILENAME_EXCED_RANGE",
      "The file name or path is too long." },
    { 0x800700DEu, "ERROR_BAD_FILE_TYPE",
      "The file is not a regular file. A local source that is a FIFO, socket or "
      "device is never read; a destination that is a directory, symbolic link, "
      "device, pipe or socket is never replaced (remove or rename it and complete "
      "the job again)." },
    { 0x8007010Bu, "ERROR_DIRECTORY",
      "The directory name is not valid, or a file was given where a directory was "
      "expected." },
    { 0x8007012Cu, "HTTP_STATUS_AMBIGUOUS",
      "The server answered with a redirect (HTTP 300, multiple choices) and the "
      "job's redirect policy does not allow redirects." },
    { 0x8007012Du, "HTTP_STATUS_MOVED",
      "The server answered with a permanent redirect (HTTP 301) and the job's "
      "redirect policy does not allow redirects." },
    { 0x8007012Eu, "HTTP_STATUS_REDIRECT",
      "The server answered with a redirect (HTTP 302) and the job's redirect "
      "policy does not allow redirects." },
    { 0x8007012Fu, "HTTP_STATUS_REDIRECT_METHOD",
      "The server answered with a redirect to another resource (HTTP 303) and the "
      "job's redirect policy does not allow redirects." },
    { 0x80070130u, "HTTP_STATUS_NOT_MODIFIED",
      "The server answered with a redirect-class status (HTTP 304, not modified) "
      "that the job's redirect policy does not accept." },
    { 0x80070131u, "HTTP_STATUS_USE_PROXY",
      "The server asked the client to use a proxy (HTTP 305) and the job's "
      "redirect policy does not allow redirects." },
    { 0x80070132u, "HTTP_STATUS_306",
      "The server answered with the unused redirect status HTTP 306 and the "
      "job's redirect policy does not allow redirects." },
    { 0x80070133u, "HTTP_STATUS_REDIRECT_KEEP_VERB",
      "The server answered with a temporary redirect (HTTP 307) and the job's "
      "redirect policy does not allow redirects." },
    { 0x800706F4u, "RPC_X_NULL_REF_POINTER",
      "A pointer that must not be NULL was NULL." },
    { 0x800706F7u, "RPC_X_BAD_STUB_DATA",
      "Data passed to the call was malformed, for example a certificate hash that "
      "is not 20 bytes long, or the requested data does not exist." },
    { 0x80070717u, "ERROR_RESOURCE_LANG_NOT_FOUND",
      "No message text exists in the requested language." },
    { 0x80072EE2u, "ERROR_WINHTTP_TIMEOUT",
      "The request to the server timed out. The job will try again later." },
    { 0x80072EE5u, "ERROR_WINHTTP_INVALID_URL",
      "The remote name is not a valid URL; fix it with SetRemoteName or "
      "ReplaceRemotePrefix, or cancel the job." },
    { 0x80072EE7u, "ERROR_WINHTTP_NAME_NOT_RESOLVED",
      "The server name could not be resolved; check the URL and the DNS "
      "configuration." },
    { 0x80072EF3u, "ERROR_WINHTTP_INCORRECT_HANDLE_STATE",
      "The request could not be carried out because the connection was in the "
      "wrong state for it." },
    { 0x80072EFDu, "ERROR_WINHTTP_CANNOT_CONNECT",
      "A connection to the server could not be established. The job will try "
      "again later." },
    { 0x80072EFEu, "ERROR_WINHTTP_CONNECTION_ERROR",
      "The connection to the server was reset or ended unexpectedly. The job will "
      "try again later." },
    { 0x80072F0Cu, "ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED",
      "The server requires a client certificate and none was provided; set one on "
      "the job." },
    { 0x80072F19u, "ERROR_WINHTTP_SECURE_CERT_REV_FAILED",
      "The revocation status of the server's certificate could not be checked." },
    { 0x80072F76u, "ERROR_WINHTTP_HEADER_NOT_FOUND",
      "An expected HTTP header was missing from the server's response." },
    { 0x80072F7Cu, "ERROR_WINHTTP_REDIRECT_FAILED",
      "A redirect could not be followed: a redirect loop, too many redirects, a "
      "redirect to a target that is not an HTTP or HTTPS URL, or a redirect from "
      "HTTPS to HTTP that the job's security flags do not allow." },
    { 0x80072F8Au, "ERROR_WINHTTP_SECURE_CERT_REVOKED",
      "The server's certificate has been revoked." },
    { 0x80072F8Fu, "ERROR_WINHTTP_SECURE_FAILURE",
      "The secure (TLS) connection failed: the server's certificate is not valid "
      "or not trusted, or no common protocol could be negotiated." },
    { 0x80072F9Au, "ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY",
      "The private key of the client certificate cannot be accessed by the account "
      "making the request." },
    { 0x80092004u, "CRYPT_E_NOT_FOUND",
      "The certificate could not be found in the certificate store." },

    /* --- BITS, FACILITY_BACKGROUNDCOPY (bitsmsg.h) --- */
    { 0x80200001u, "BG_E_NOT_FOUND",
      "The requested job was not found; it may have been completed or cancelled, "
      "or it belongs to another user." },
    { 0x80200002u, "BG_E_INVALID_STATE",
      "The requested action is not allowed in the job's current state; a cancelled "
      "or acknowledged job can no longer be changed." },
    { 0x80200003u, "BG_E_EMPTY",
      "The job has no files; add at least one file before resuming it." },
    { 0x80200004u, "BG_E_FILE_NOT_AVAILABLE",
      "No file is associated with this error." },
    { 0x80200005u, "BG_E_PROTOCOL_NOT_AVAILABLE",
      "No protocol is associated with this error." },
    { 0x80200007u, "BG_E_ERROR_CONTEXT_UNKNOWN", k_ctx_unknown },
    { 0x80200008u, "BG_E_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER", k_ctx_queue_manager },
    { 0x80200009u, "BG_E_ERROR_CONTEXT_LOCAL_FILE", k_ctx_local_file },
    { 0x8020000Au, "BG_E_ERROR_CONTEXT_REMOTE_FILE", k_ctx_remote_file },
    { 0x8020000Bu, "BG_E_ERROR_CONTEXT_GENERAL_TRANSPORT", k_ctx_transport },
    { 0x8020000Cu, "BG_E_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION", k_ctx_notification },
    { 0x8020000Du, "BG_E_DESTINATION_LOCKED",
      "The destination volume is not available, for example because a disk check "
      "has locked it. The job will continue once the volume is free." },
    { 0x8020000Eu, "BG_E_VOLUME_CHANGED",
      "The destination volume was replaced, for example a removable disk was "
      "swapped. Put the original volume back and resume the job." },
    { 0x8020000Fu, "BG_E_ERROR_INFORMATION_UNAVAILABLE",
      "There is no error information: the job has no current error." },
    { 0x80200010u, "BG_E_NETWORK_DISCONNECTED",
      "There is no network connection. The job will continue when the network is "
      "available again." },
    { 0x80200011u, "BG_E_MISSING_FILE_SIZE",
      "The server did not report the size of the file (no Content-Length), which "
      "usually means the content is generated dynamically and cannot be "
      "downloaded in the background." },
    { 0x80200012u, "BG_E_INSUFFICIENT_HTTP_SUPPORT",
      "The server does not support HTTP/1.1, which background downloads require." },
    { 0x80200013u, "BG_E_INSUFFICIENT_RANGE_SUPPORT",
      "The server (or a proxy on the way) does not honour HTTP Range requests, so "
      "the download cannot be resumed in pieces. Set the job's priority to "
      "FOREGROUND to download content of up to 2 GB in one request." },
    { 0x80200014u, "BG_E_REMOTE_NOT_SUPPORTED",
      "The transfer service cannot be used from a remote computer." },
    { 0x80200015u, "BG_E_NEW_OWNER_DIFF_MAPPING",
      "The new owner of the job has a different drive mapping for the local file; "
      "use UNC paths for the job's files." },
    { 0x80200016u, "BG_E_NEW_OWNER_NO_FILE_ACCESS",
      "The new owner of the job cannot access the job's local or temporary files." },
    { 0x80200018u, "BG_E_PROXY_LIST_TOO_LARGE",
      "The proxy server list is longer than allowed." },
    { 0x80200019u, "BG_E_PROXY_BYPASS_LIST_TOO_LARGE",
      "The proxy bypass list is longer than allowed." },
    { 0x8020001Bu, "BG_E_INVALID_SERVER_RESPONSE",
      "The server's response was not valid and did not follow the protocol. Resume "
      "the job to try again." },
    { 0x8020001Cu, "BG_E_TOO_MANY_FILES",
      "No more files can be added to the job; an upload job holds exactly one "
      "file." },
    { 0x8020001Du, "BG_E_LOCAL_FILE_CHANGED",
      "The local file changed during the transfer. For an upload, create a new job "
      "to upload the current version; for a download, the job's temporary file was "
      "replaced by someone else, so it was left alone and the file is downloaded "
      "again." },
    { 0x8020001Eu, "BG_E_ERROR_CONTEXT_REMOTE_APPLICATION", k_ctx_remote_app },
    { 0x8020001Fu, "BG_E_SESSION_NOT_FOUND",
      "The server does not know the upload session. The job will try again." },
    { 0x80200020u, "BG_E_TOO_LARGE",
      "The upload is larger than the server accepts, or the reply is larger than "
      "can be returned." },
    { 0x80200021u, "BG_E_STRING_TOO_LONG",
      "A string argument is longer than its limit allows." },
    { 0x80200022u, "BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH",
      "The client and the server do not share a version of the upload protocol." },
    { 0x80200023u, "BG_E_SERVER_EXECUTE_ENABLE",
      "The server refuses uploads to this virtual directory because scripts or "
      "executables may run there." },
    { 0x80200024u, "BG_E_NO_PROGRESS",
      "The job is not making progress; the server may be misconfigured. The job "
      "will try again later." },
    { 0x80200025u, "BG_E_USERNAME_TOO_LARGE", "The user name is too long." },
    { 0x80200026u, "BG_E_PASSWORD_TOO_LARGE", "The password is too long." },
    { 0x80200027u, "BG_E_INVALID_AUTH_TARGET",
      "The authentication target (server or proxy) is not valid." },
    { 0x80200028u, "BG_E_INVALID_AUTH_SCHEME",
      "The authentication scheme is not valid." },
    { 0x80200029u, "BG_E_FILE_NOT_FOUND",
      "The named file is not part of the job." },
    { 0x8020002Bu, "BG_E_INVALID_RANGE",
      "A requested byte range extends past the end of the remote file." },
    { 0x8020002Cu, "BG_E_OVERLAPPING_RANGES",
      "The list of byte ranges contains duplicate or overlapping ranges." },
    { 0x8020002Du, "BG_E_CONNECT_FAILURE",
      "A connection to the server could not be made. The job will try again "
      "later." },
    { 0x8020002Eu, "BG_E_CONNECTION_CLOSED",
      "The connection was closed before the transfer finished. The job will try "
      "again later." },
    { 0x8020002Fu, "BG_E_KEEP_ALIVE_FAILURE",
      "A kept-alive connection was closed unexpectedly." },
    { 0x80200030u, "BG_E_MESSAGE_LENGTH_LIMIT_EXCEEDED",
      "A message was larger than the allowed size." },
    { 0x80200031u, "BG_E_NAME_RESOLUTION_FAILURE",
      "The server's host name could not be found." },
    { 0x80200032u, "BG_E_PENDING",
      "An internal asynchronous request is still pending." },
    { 0x80200033u, "BG_E_PIPELINE_FAILURE",
      "A pipelined request failed." },
    { 0x80200034u, "BG_E_PROTOCOL_ERROR",
      "The server's complete response indicated a protocol error." },
    { 0x80200035u, "BG_E_PROXY_NAME_RESOLUTION_FAILURE",
      "The proxy server's host name could not be found." },
    { 0x80200036u, "BG_E_RECEIVE_FAILURE",
      "The server's response was not received completely." },
    { 0x80200037u, "BG_E_REQUEST_CANCELED", "The request was cancelled." },
    { 0x80200038u, "BG_E_SECURE_CHANNEL_FAILURE",
      "The secure (TLS) connection to the server could not be set up." },
    { 0x80200039u, "BG_E_SEND_FAILURE",
      "The request could not be sent to the server completely." },
    { 0x8020003Au, "BG_E_SERVER_PROTOCOL_VIOLATION",
      "The server's response broke the protocol." },
    { 0x8020003Bu, "BG_E_TIMEOUT", "The operation timed out." },
    { 0x8020003Cu, "BG_E_TRUST_FAILURE",
      "The server's certificate is not trusted." },
    { 0x8020003Du, "BG_E_UNKNOWN_ERROR", "An unknown error occurred." },
    { 0x8020003Eu, "BG_E_BLOCKED_BY_POLICY",
      "Group policy does not allow transfers at this time. The job will continue "
      "when the policy allows it." },
    { 0x8020003Fu, "BG_E_INVALID_PROXY_INFO",
      "The proxy list or the proxy bypass list is not valid." },
    { 0x80200040u, "BG_E_INVALID_CREDENTIALS",
      "The format of the supplied credentials is not valid." },
    { 0x80200041u, "BG_E_INVALID_HASH_ALGORITHM",
      "The hash algorithm is not supported." },
    { 0x80200042u, "BG_E_RECORD_DELETED",
      "The cache record was deleted, so the update was abandoned." },
    { 0x80200043u, "BG_E_COMMIT_IN_PROGRESS",
      "Another thread is already updating the cache record." },
    { 0x80200044u, "BG_E_DISCOVERY_IN_PROGRESS",
      "Peer discovery is already running; try again shortly." },
    { 0x80200045u, "BG_E_UPNP_ERROR",
      "An error occurred while talking to the Internet gateway device (UPnP)." },
    { 0x80200046u, "BG_E_TEST_OPTION_BLOCKED_DOWNLOAD",
      "A test option prevents the download after the search." },
    { 0x80200047u, "BG_E_PEERCACHING_DISABLED", "Peer caching is disabled." },
    { 0x80200048u, "BG_E_BUSYCACHERECORD",
      "The cache record is busy; try again shortly." },
    { 0x80200049u, "BG_E_TOO_MANY_JOBS_PER_USER",
      "The user already has the maximum number of jobs allowed; complete or cancel "
      "some jobs first." },
    { 0x80200050u, "BG_E_TOO_MANY_JOBS_PER_MACHINE",
      "The computer already has the maximum number of jobs allowed; complete or "
      "cancel some jobs first." },
    { 0x80200051u, "BG_E_TOO_MANY_FILES_IN_JOB",
      "The job already has the maximum number of files allowed; put further files "
      "in another job." },
    { 0x80200052u, "BG_E_TOO_MANY_RANGES_IN_FILE",
      "The file already has the maximum number of byte ranges allowed." },
    { 0x80200053u, "BG_E_VALIDATION_FAILED",
      "The downloaded content was rejected as not valid, by the application or by "
      "a check of the server's response." },
    { 0x80200054u, "BG_E_MAXDOWNLOAD_TIMEOUT",
      "The job did not finish within its maximum download time." },
    { 0x80200056u, "BG_E_TOKEN_REQUIRED",
      "The job needs a helper token that has not been set; set it and resume the "
      "job." },
    { 0x80200057u, "BG_E_UNKNOWN_PROPERTY_ID", "The property id is not known." },
    { 0x80200058u, "BG_E_READ_ONLY_PROPERTY", "The property cannot be changed." },
    { 0x80200059u, "BG_E_BLOCKED_BY_COST_TRANSFER_POLICY",
      "The job's cost policy does not allow transfers on the current network. The "
      "job will continue when the network cost allows it." },
    { 0x80200060u, "BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY",
      "The property can only be used with download jobs." },
    { 0x80200061u, "BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE",
      "The property cannot be changed once a file has been added to the job." },
    { 0x80200062u, "BG_E_READ_ONLY_PROPERTY_AFTER_RESUME",
      "The property cannot be changed once the job has been resumed." },
    { 0x80200063u, "BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE",
      "The maximum download size must be greater than zero." },
    { 0x80200064u, "BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED",
      "The download reached the job's maximum download size." },
    { 0x80200065u, "BG_E_STANDBY_MODE",
      "Transfers are paused while the computer is in a power-saving mode." },
    { 0x80200066u, "BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED",
      "Stored credentials can only be used for a proxy." },
    { 0x80200067u, "BG_E_BLOCKED_BY_BATTERY_POLICY",
      "Transfers are paused while the computer runs on battery." },
    { 0x80200068u, "BG_E_BLOCKED_BY_BATTERY_SAVER",
      "Transfers are paused while battery saver is on." },
    { 0x80200069u, "BG_E_WATCHDOG_TIMEOUT",
      "An internal operation took longer than it is allowed to." },
    { 0x8020006Au, "BG_E_APP_PACKAGE_NOT_FOUND",
      "No application package matches the job's owner or the caller." },
    { 0x8020006Bu, "BG_E_APP_PACKAGE_SCENARIO_NOT_SUPPORTED",
      "Use of the transfer service by application packages is not supported on "
      "this device." },
    { 0x8020006Cu, "BG_E_DATABASE_CORRUPT",
      "The persistent job store is corrupt; the service stops and repairs it when "
      "it next starts." },
    { 0x8020006Du, "BG_E_RANDOM_ACCESS_NOT_SUPPORTED",
      "Random access to the file is not supported for this job, for example for "
      "dynamic content, uploads or files with several ranges." },
    { 0x8020006Eu, "BG_E_BLOCKED_BY_BACKGROUND_ACCESS_POLICY",
      "The owning application's background access setting does not allow "
      "transfers." },
    { 0x8020006Fu, "BG_E_BLOCKED_BY_GAME_MODE",
      "Transfers are paused while another application uses Game Mode." },
    { 0x80200070u, "BG_E_BLOCKED_BY_SYSTEM_POLICY",
      "Transfers are paused because system resources are constrained." },
    { 0x80200071u, "BG_E_NOT_SUPPORTED_WITH_CUSTOM_HTTP_METHOD",
      "The action is not allowed for a job that uses a custom HTTP method." },
    { 0x80200072u, "BG_E_UNSUPPORTED_JOB_CONFIGURATION",
      "The request is not compatible with the job's configuration." },
    { 0x80200073u, "BG_E_REMOTE_FILE_CHANGED",
      "The remote file changed during the transfer; resume the job to download it "
      "again." },
    { 0x80200074u, "BG_E_SERVER_CERT_VALIDATION_INTERFACE_REQUIRED",
      "The job requires a server certificate validation callback, but none is "
      "registered." },
    { 0x80200075u, "BG_E_READ_ONLY_WHEN_JOB_ACTIVE",
      "The property can only be changed while the job is suspended, in error or "
      "transferred." },
    { 0x80200076u, "BG_E_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK", k_ctx_cert_callback },

    /* --- BITS 1.0 queue manager (qmgr.h) --- */
    { 0x81001001u, "QM_E_INVALID_STATE",
      "The requested action is not allowed in the group's current state." },
    { 0x81001002u, "QM_E_SERVICE_UNAVAILABLE",
      "The queue manager service is not available." },
    { 0x81001003u, "QM_E_DOWNLOADER_UNAVAILABLE",
      "The downloader is not available." },
    { 0x81001004u, "QM_E_ITEM_NOT_FOUND",
      "The requested group or job was not found." },
};

#define K_CODES_COUNT (sizeof k_codes / sizeof k_codes[0])

static const hr_entry *find_code(uint32_t v)
{
    size_t lo = 0, hi = K_CODES_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k_codes[mid].value == v)
            return &k_codes[mid];
        if (k_codes[mid].value < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* --------------------------------------------------- BG_E_HTTP_ERROR_nnn */

#define HTTP_FIRST 100
#define HTTP_LAST 599
#define HTTP_COUNT (HTTP_LAST - HTTP_FIRST + 1)
#define HTTP_FACILITY_BASE 0x80190000u

/* Reason phrases: RFC 9110 section 15, plus the other IANA-registered codes a
 * server may plausibly send.  306 and 418 are "(Unused)" there and fall to
 * the generic sentence.  Sorted by status. */
typedef struct http_reason {
    uint16_t status;
    const char *phrase;
} http_reason;

static const http_reason k_reasons[] = {
    { 100, "Continue" },
    { 101, "Switching Protocols" },
    { 102, "Processing" },
    { 103, "Early Hints" },
    { 200, "OK" },
    { 201, "Created" },
    { 202, "Accepted" },
    { 203, "Non-Authoritative Information" },
    { 204, "No Content" },
    { 205, "Reset Content" },
    { 206, "Partial Content" },
    { 207, "Multi-Status" },
    { 208, "Already Reported" },
    { 226, "IM Used" },
    { 300, "Multiple Choices" },
    { 301, "Moved Permanently" },
    { 302, "Found" },
    { 303, "See Other" },
    { 304, "Not Modified" },
    { 305, "Use Proxy" },
    { 307, "Temporary Redirect" },
    { 308, "Permanent Redirect" },
    { 400, "Bad Request" },
    { 401, "Unauthorized" },
    { 402, "Payment Required" },
    { 403, "Forbidden" },
    { 404, "Not Found" },
    { 405, "Method Not Allowed" },
    { 406, "Not Acceptable" },
    { 407, "Proxy Authentication Required" },
    { 408, "Request Timeout" },
    { 409, "Conflict" },
    { 410, "Gone" },
    { 411, "Length Required" },
    { 412, "Precondition Failed" },
    { 413, "Content Too Large" },
    { 414, "URI Too Long" },
    { 415, "Unsupported Media Type" },
    { 416, "Range Not Satisfiable" },
    { 417, "Expectation Failed" },
    { 421, "Misdirected Request" },
    { 422, "Unprocessable Content" },
    { 423, "Locked" },
    { 424, "Failed Dependency" },
    { 425, "Too Early" },
    { 426, "Upgrade Required" },
    { 428, "Precondition Required" },
    { 429, "Too Many Requests" },
    { 431, "Request Header Fields Too Large" },
    { 451, "Unavailable For Legal Reasons" },
    { 500, "Internal Server Error" },
    { 501, "Not Implemented" },
    { 502, "Bad Gateway" },
    { 503, "Service Unavailable" },
    { 504, "Gateway Timeout" },
    { 505, "HTTP Version Not Supported" },
    { 506, "Variant Also Negotiates" },
    { 507, "Insufficient Storage" },
    { 508, "Loop Detected" },
    { 510, "Not Extended" },
    { 511, "Network Authentication Required" },
};

/* A second sentence for the statuses a download typically meets, saying
 * what it means for the job. */
static const char *http_hint(unsigned status)
{
    switch (status) {
    case 400: return "The server could not understand the request.";
    case 401: return "The server requires credentials; set them on the job.";
    case 403: return "The server refuses access to the file.";
    case 404: return "The server has no file at this URL; check the URL.";
    case 407: return "The proxy server requires credentials; set them on the job.";
    case 408: return "The server timed out waiting for the request.";
    case 410: return "The file has been removed from the server for good.";
    case 412: return "The file on the server no longer matches what was requested.";
    case 416: return "The requested byte range is outside the file on the server.";
    case 429: return "The server is limiting requests; the job will try again later.";
    case 500: return "The server failed while handling the request.";
    case 502: return "A gateway or proxy got an invalid response from the next server.";
    case 503: return "The server is temporarily unavailable; the job will try again later.";
    case 504: return "A gateway or proxy timed out waiting for the next server.";
    }
    return NULL;
}

static const char *http_phrase(unsigned status)
{
    size_t lo = 0, hi = sizeof k_reasons / sizeof k_reasons[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k_reasons[mid].status == status)
            return k_reasons[mid].phrase;
        if (k_reasons[mid].status < status)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const char *http_class(unsigned status)
{
    switch (status / 100) {
    case 1: return "an informational status";
    case 2: return "a success status";
    case 3: return "a redirection status";
    case 4: return "a client error status";
    default: return "a server error status";
    }
}

/* Longest description: "HTTP status nnn: " + longest phrase + longest hint,
 * or the protocol-violation sentence; 256 leaves room, and format_http()
 * detects truncation (the test checks every text ends with '.'). */
static char g_http_names[HTTP_COUNT][32];
static char g_http_texts[HTTP_COUNT][256];
static uv_once_t g_http_once = UV_ONCE_INIT;

static void format_http(void)
{
    for (unsigned status = HTTP_FIRST; status <= HTTP_LAST; status++) {
        char *name = g_http_names[status - HTTP_FIRST];
        char *text = g_http_texts[status - HTTP_FIRST];
        const size_t cap = sizeof g_http_texts[0];
        const char *phrase = http_phrase(status);
        const char *hint = http_hint(status);
        int n;

        snprintf(name, sizeof g_http_names[0], "BG_E_HTTP_ERROR_%u", status);
        switch (status) {
        case 200: case 205: case 304: case 402: case 415: case 449:
            /* BITS reads these as a server breaking the protocol. */
            n = snprintf(text, cap, "HTTP status %u: %s", status, k_protocol_violation);
            break;
        default:
            if (phrase && hint)
                n = snprintf(text, cap, "HTTP status %u: %s. %s", status, phrase, hint);
            else if (phrase)
                n = snprintf(text, cap, "HTTP status %u: %s.", status, phrase);
            else
                n = snprintf(text, cap,
                             "HTTP status %u: the server answered with %s that has "
                             "no standard meaning.",
                             status, http_class(status));
            break;
        }
        /* Never reached with the texts above; keeps a too-long future text
         * a complete sentence instead of a cut one. */
        if (n < 0 || (size_t)n >= cap)
            snprintf(text, cap, "HTTP status %u.", status);
    }
}

/* Index of hr in the HTTP arrays, or -1 when hr is not BG_E_HTTP_ERROR_nnn. */
static int http_index(uint32_t v)
{
    if ((v & 0xFFFF0000u) != HTTP_FACILITY_BASE)
        return -1;
    uint32_t status = v & 0xFFFFu;
    if (status < HTTP_FIRST || status > HTTP_LAST)
        return -1;
    uv_once(&g_http_once, format_http);
    return (int)(status - HTTP_FIRST);
}

/* ------------------------------------------------------------- public API */

/* Thread-safe; static storage; NULL for codes not in the table.
 * Mirrors IBackgroundCopyManager::GetErrorDescription (English only). */
const char *bgcopy_hr_description(bgcopy_hr hr)
{
    uint32_t v = (uint32_t)hr;
    int i = http_index(v);
    if (i >= 0)
        return g_http_texts[i];
    const hr_entry *e = find_code(v);
    return e ? e->text : NULL;
}

/* Thread-safe; static storage; NULL for codes not in the table. */
const char *bgcopy_hr_name(bgcopy_hr hr)
{
    uint32_t v = (uint32_t)hr;
    int i = http_index(v);
    if (i >= 0)
        return g_http_names[i];
    const hr_entry *e = find_code(v);
    return e ? e->name : NULL;
}

/* Value 8 is BG_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK (BITS 10.3), not
 * (yet) in the bgcopy_error_context enum; the switch is on int so that it
 * is accepted without a cast warning. */
const char *bgcopy_error_context_description(bgcopy_error_context ctx)
{
    switch ((int)ctx) {
    case BGCOPY_ERROR_CONTEXT_NONE: return k_ctx_none;
    case BGCOPY_ERROR_CONTEXT_UNKNOWN: return k_ctx_unknown;
    case BGCOPY_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER: return k_ctx_queue_manager;
    case BGCOPY_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION: return k_ctx_notification;
    case BGCOPY_ERROR_CONTEXT_LOCAL_FILE: return k_ctx_local_file;
    case BGCOPY_ERROR_CONTEXT_REMOTE_FILE: return k_ctx_remote_file;
    case BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT: return k_ctx_transport;
    case BGCOPY_ERROR_CONTEXT_REMOTE_APPLICATION: return k_ctx_remote_app;
    case 8: return k_ctx_cert_callback;
    }
    return k_ctx_unknown;
}

const char *bgcopy_job_state_name(bgcopy_job_state s)
{
    switch ((int)s) {
    case BGCOPY_JOB_STATE_QUEUED: return "QUEUED";
    case BGCOPY_JOB_STATE_CONNECTING: return "CONNECTING";
    case BGCOPY_JOB_STATE_TRANSFERRING: return "TRANSFERRING";
    case BGCOPY_JOB_STATE_SUSPENDED: return "SUSPENDED";
    case BGCOPY_JOB_STATE_ERROR: return "ERROR";
    case BGCOPY_JOB_STATE_TRANSIENT_ERROR: return "TRANSIENT_ERROR";
    case BGCOPY_JOB_STATE_TRANSFERRED: return "TRANSFERRED";
    case BGCOPY_JOB_STATE_ACKNOWLEDGED: return "ACKNOWLEDGED";
    case BGCOPY_JOB_STATE_CANCELLED: return "CANCELLED";
    }
    return "UNKNOWN";
}

/* ------------------------------------------------------ test-only access */

/* Not part of the API (no BGCOPY_API, hidden from the shared library):
 * lets tests/core/texts.c walk the fixed table to check that it is sorted
 * and free of duplicates, which the binary search relies on.  Returns 1 and
 * fills the outputs for i < table size, else 0.  Thread-safe (read-only). */
#if defined(__GNUC__) && !defined(_WIN32) /* PE has no ELF visibility: the DLL exports by BGCOPY_API */
__attribute__((visibility("hidden")))
#endif
int bgcopy_hr_table_entry_(size_t i, uint32_t *value, const char **name, const char **text);

int bgcopy_hr_table_entry_(size_t i, uint32_t *value, const char **name, const char **text)
{
    if (i >= K_CODES_COUNT)
        return 0;
    *value = k_codes[i].value;
    *name = k_codes[i].name;
    *text = k_codes[i].text;
    return 1;
}
