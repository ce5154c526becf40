/*
 * bitsmsg.h - BITS HRESULT codes (the Windows SDK header of the same name).
 *
 * Every BG_E_* / BG_S_* code of FACILITY_BACKGROUNDCOPY (32), every
 * BG_E_HTTP_ERROR_nnn of FACILITY_HTTP (25, value 0x80190000 | nnn) and the
 * BITS_MC_* event-log message ids, with the exact Windows values (spec §7).
 *
 * Unlike the SDK's plain 0x8020xxxxL literals these are HRESULT-typed
 * (_HRESULT_TYPEDEF_): on LP64 Linux a bare 0x80200013L is a positive long
 * and would never compare equal to an HRESULT such as the one
 * IBackgroundCopyError::GetError returns.
 *
 * 0x8020002F-0x8020003D are defined by the older SDK (and mingw-w64) only;
 * the Windows 10 SDK marks them reserved.  bgcopy keeps them for source
 * compatibility but never returns them (modern BITS reports WinHTTP errors
 * as HRESULT_FROM_WIN32 instead).
 */
#ifndef BGCOPY_BITSMSG_H
#define BGCOPY_BITSMSG_H

#include "bgcopy_win32.h"

#ifndef _HRESULT_TYPEDEF_
#  define _HRESULT_TYPEDEF_(x) ((HRESULT)(x))
#endif

/* ---- FACILITY_BACKGROUNDCOPY ---- */

/* No job with that id (for this caller). */
#define BG_E_NOT_FOUND _HRESULT_TYPEDEF_(0x80200001)
/* Operation not permitted in the job's current state (typically cancelled/acknowledged = read-only). */
#define BG_E_INVALID_STATE _HRESULT_TYPEDEF_(0x80200002)
/* Job contains no files. */
#define BG_E_EMPTY _HRESULT_TYPEDEF_(0x80200003)
/* Error object has no associated file. */
#define BG_E_FILE_NOT_AVAILABLE _HRESULT_TYPEDEF_(0x80200004)
/* Error object has no associated protocol. */
#define BG_E_PROTOCOL_NOT_AVAILABLE _HRESULT_TYPEDEF_(0x80200005)
/* (success) No error has happened. */
#define BG_S_ERROR_CONTEXT_NONE _HRESULT_TYPEDEF_(0x00200006)
/* Ctx: error location unknown. */
#define BG_E_ERROR_CONTEXT_UNKNOWN _HRESULT_TYPEDEF_(0x80200007)
/* Ctx: raised by the BITS queue manager. */
#define BG_E_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER _HRESULT_TYPEDEF_(0x80200008)
/* Ctx: problem with the local file (in use, permissions…). */
#define BG_E_ERROR_CONTEXT_LOCAL_FILE _HRESULT_TYPEDEF_(0x80200009)
/* Ctx: problem with the remote file. */
#define BG_E_ERROR_CONTEXT_REMOTE_FILE _HRESULT_TYPEDEF_(0x8020000A)
/* Ctx: transport layer, could not reach server. */
#define BG_E_ERROR_CONTEXT_GENERAL_TRANSPORT _HRESULT_TYPEDEF_(0x8020000B)
/* Ctx: failure while delivering a notification; will retry. */
#define BG_E_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION _HRESULT_TYPEDEF_(0x8020000C)
/* Destination volume unavailable (e.g. locked by chkdsk); retried when free. */
#define BG_E_DESTINATION_LOCKED _HRESULT_TYPEDEF_(0x8020000D)
/* Destination volume replaced (removable media); reinsert and Resume. */
#define BG_E_VOLUME_CHANGED _HRESULT_TYPEDEF_(0x8020000E)
/* No error information exists (GetError with no current error). */
#define BG_E_ERROR_INFORMATION_UNAVAILABLE _HRESULT_TYPEDEF_(0x8020000F)
/* No active network connection; retried on reconnect. */
#define BG_E_NETWORK_DISCONNECTED _HRESULT_TYPEDEF_(0x80200010)
/* Server gave no size (no Content-Length); probably dynamic content. */
#define BG_E_MISSING_FILE_SIZE _HRESULT_TYPEDEF_(0x80200011)
/* Server lacks HTTP/1.1. */
#define BG_E_INSUFFICIENT_HTTP_SUPPORT _HRESULT_TYPEDEF_(0x80200012)
/* Server (or path) does not honour Range requests. */
#define BG_E_INSUFFICIENT_RANGE_SUPPORT _HRESULT_TYPEDEF_(0x80200013)
/* BITS cannot be driven from a remote machine. */
#define BG_E_REMOTE_NOT_SUPPORTED _HRESULT_TYPEDEF_(0x80200014)
/* New owner's drive-letter mapping differs; use UNC paths. */
#define BG_E_NEW_OWNER_DIFF_MAPPING _HRESULT_TYPEDEF_(0x80200015)
/* New owner cannot access the job's local/temp files. */
#define BG_E_NEW_OWNER_NO_FILE_ACCESS _HRESULT_TYPEDEF_(0x80200016)
/* (success) Complete kept only some files; incomplete ones were deleted. */
#define BG_S_PARTIAL_COMPLETE _HRESULT_TYPEDEF_(0x00200017)
/* Proxy list too long. */
#define BG_E_PROXY_LIST_TOO_LARGE _HRESULT_TYPEDEF_(0x80200018)
/* Proxy bypass list too long. */
#define BG_E_PROXY_BYPASS_LIST_TOO_LARGE _HRESULT_TYPEDEF_(0x80200019)
/* (success) Done, but some temp files could not be deleted (see event log). */
#define BG_S_UNABLE_TO_DELETE_FILES _HRESULT_TYPEDEF_(0x0020001A)
/* Server reply broke the protocol; Resume retries. */
#define BG_E_INVALID_SERVER_RESPONSE _HRESULT_TYPEDEF_(0x8020001B)
/* No more files can be added (upload jobs hold one). */
#define BG_E_TOO_MANY_FILES _HRESULT_TYPEDEF_(0x8020001C)
/* Local (upload) file changed during transfer; recreate job. */
#define BG_E_LOCAL_FILE_CHANGED _HRESULT_TYPEDEF_(0x8020001D)
/* Ctx: the server-side application reported the error. */
#define BG_E_ERROR_CONTEXT_REMOTE_APPLICATION _HRESULT_TYPEDEF_(0x8020001E)
/* Upload session unknown to server; retried. */
#define BG_E_SESSION_NOT_FOUND _HRESULT_TYPEDEF_(0x8020001F)
/* Upload exceeds server limit (also GetReplyData reply > 1 MB). */
#define BG_E_TOO_LARGE _HRESULT_TYPEDEF_(0x80200020)
/* A string argument exceeds its limit. */
#define BG_E_STRING_TOO_LONG _HRESULT_TYPEDEF_(0x80200021)
/* Client and server share no upload protocol version. */
#define BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH _HRESULT_TYPEDEF_(0x80200022)
/* Target IIS virtual directory allows scripts/execute; uploads refused. */
#define BG_E_SERVER_EXECUTE_ENABLE _HRESULT_TYPEDEF_(0x80200023)
/* Job makes no headway (server misconfigured?); retried later. */
#define BG_E_NO_PROGRESS _HRESULT_TYPEDEF_(0x80200024)
/* User name > 300 chars. */
#define BG_E_USERNAME_TOO_LARGE _HRESULT_TYPEDEF_(0x80200025)
/* Password > 300 chars. */
#define BG_E_PASSWORD_TOO_LARGE _HRESULT_TYPEDEF_(0x80200026)
/* Unknown BG_AUTH_TARGET. */
#define BG_E_INVALID_AUTH_TARGET _HRESULT_TYPEDEF_(0x80200027)
/* Unknown BG_AUTH_SCHEME. */
#define BG_E_INVALID_AUTH_SCHEME _HRESULT_TYPEDEF_(0x80200028)
/* Named file is not part of the job. */
#define BG_E_FILE_NOT_FOUND _HRESULT_TYPEDEF_(0x80200029)
/* (success) Proxy server changed. */
#define BG_S_PROXY_CHANGED _HRESULT_TYPEDEF_(0x0020002A)
/* Byte range lies (partly) past the end of the resource. */
#define BG_E_INVALID_RANGE _HRESULT_TYPEDEF_(0x8020002B)
/* Range list has duplicates/overlaps. */
#define BG_E_OVERLAPPING_RANGES _HRESULT_TYPEDEF_(0x8020002C)
/* Connection could not be made. */
#define BG_E_CONNECT_FAILURE _HRESULT_TYPEDEF_(0x8020002D)
/* Connection closed early. */
#define BG_E_CONNECTION_CLOSED _HRESULT_TYPEDEF_(0x8020002E)
/* old SDK only: keep-alive connection dropped unexpectedly. */
#define BG_E_KEEP_ALIVE_FAILURE _HRESULT_TYPEDEF_(0x8020002F)
/* old SDK only: message exceeded the size limit. */
#define BG_E_MESSAGE_LENGTH_LIMIT_EXCEEDED _HRESULT_TYPEDEF_(0x80200030)
/* old SDK only: host name not found. */
#define BG_E_NAME_RESOLUTION_FAILURE _HRESULT_TYPEDEF_(0x80200031)
/* old SDK only: internal async request pending. */
#define BG_E_PENDING _HRESULT_TYPEDEF_(0x80200032)
/* old SDK only: pipeline failure. */
#define BG_E_PIPELINE_FAILURE _HRESULT_TYPEDEF_(0x80200033)
/* old SDK only: complete reply signalled a protocol error. */
#define BG_E_PROTOCOL_ERROR _HRESULT_TYPEDEF_(0x80200034)
/* old SDK only: proxy name not found. */
#define BG_E_PROXY_NAME_RESOLUTION_FAILURE _HRESULT_TYPEDEF_(0x80200035)
/* old SDK only: incomplete response. */
#define BG_E_RECEIVE_FAILURE _HRESULT_TYPEDEF_(0x80200036)
/* old SDK only: request cancelled. */
#define BG_E_REQUEST_CANCELED _HRESULT_TYPEDEF_(0x80200037)
/* old SDK only: TLS/SSL setup failed. */
#define BG_E_SECURE_CHANNEL_FAILURE _HRESULT_TYPEDEF_(0x80200038)
/* old SDK only: request could not be sent completely. */
#define BG_E_SEND_FAILURE _HRESULT_TYPEDEF_(0x80200039)
/* old SDK only: invalid server response. */
#define BG_E_SERVER_PROTOCOL_VIOLATION _HRESULT_TYPEDEF_(0x8020003A)
/* old SDK only: operation timed out. */
#define BG_E_TIMEOUT _HRESULT_TYPEDEF_(0x8020003B)
/* old SDK only: server certificate not trusted. */
#define BG_E_TRUST_FAILURE _HRESULT_TYPEDEF_(0x8020003C)
/* old SDK only: unknown error. (Windows 10 SDK: 0x2F–0x3D "reserved"; modern BITS reports WinHTTP errors as HRESULT_FROM_WIN32, e.g. 0x80072EE7.) */
#define BG_E_UNKNOWN_ERROR _HRESULT_TYPEDEF_(0x8020003D)
/* Group Policy forbids transfers now (e.g. MaxInternetBandwidth 0). */
#define BG_E_BLOCKED_BY_POLICY _HRESULT_TYPEDEF_(0x8020003E)
/* Proxy list / bypass list invalid. */
#define BG_E_INVALID_PROXY_INFO _HRESULT_TYPEDEF_(0x8020003F)
/* Credential format invalid. */
#define BG_E_INVALID_CREDENTIALS _HRESULT_TYPEDEF_(0x80200040)
/* Unsupported hash algorithm (peer cache). */
#define BG_E_INVALID_HASH_ALGORITHM _HRESULT_TYPEDEF_(0x80200041)
/* Cache record was deleted; update abandoned. */
#define BG_E_RECORD_DELETED _HRESULT_TYPEDEF_(0x80200042)
/* Another thread is updating the cache record. */
#define BG_E_COMMIT_IN_PROGRESS _HRESULT_TYPEDEF_(0x80200043)
/* Peer discovery already running; retry shortly. */
#define BG_E_DISCOVERY_IN_PROGRESS _HRESULT_TYPEDEF_(0x80200044)
/* UPnP / Internet gateway device error. */
#define BG_E_UPNP_ERROR _HRESULT_TYPEDEF_(0x80200045)
/* Test option blocks download after search. */
#define BG_E_TEST_OPTION_BLOCKED_DOWNLOAD _HRESULT_TYPEDEF_(0x80200046)
/* Peer caching disabled. */
#define BG_E_PEERCACHING_DISABLED _HRESULT_TYPEDEF_(0x80200047)
/* Cache record busy; retry shortly. */
#define BG_E_BUSYCACHERECORD _HRESULT_TYPEDEF_(0x80200048)
/* MaxJobsPerUser exceeded. */
#define BG_E_TOO_MANY_JOBS_PER_USER _HRESULT_TYPEDEF_(0x80200049)
/* MaxJobsPerMachine exceeded. (0x4A–0x4F unused) */
#define BG_E_TOO_MANY_JOBS_PER_MACHINE _HRESULT_TYPEDEF_(0x80200050)
/* MaxFilesPerJob exceeded. */
#define BG_E_TOO_MANY_FILES_IN_JOB _HRESULT_TYPEDEF_(0x80200051)
/* MaxRangesPerFile exceeded. */
#define BG_E_TOO_MANY_RANGES_IN_FILE _HRESULT_TYPEDEF_(0x80200052)
/* App marked content invalid / response invalid (see BITS-Client Operational log). */
#define BG_E_VALIDATION_FAILED _HRESULT_TYPEDEF_(0x80200053)
/* MaximumDownloadTime exceeded. */
#define BG_E_MAXDOWNLOAD_TIMEOUT _HRESULT_TYPEDEF_(0x80200054)
/* (success) Settings saved but some overridden by policy. */
#define BG_S_OVERRIDDEN_BY_POLICY _HRESULT_TYPEDEF_(0x00200055)
/* Helper token needed but absent; set it and Resume. */
#define BG_E_TOKEN_REQUIRED _HRESULT_TYPEDEF_(0x80200056)
/* Get/SetProperty with unknown id. */
#define BG_E_UNKNOWN_PROPERTY_ID _HRESULT_TYPEDEF_(0x80200057)
/* SetProperty on a read-only property. */
#define BG_E_READ_ONLY_PROPERTY _HRESULT_TYPEDEF_(0x80200058)
/* Network cost policy blocks transfer now. (0x5A–0x5F unused) */
#define BG_E_BLOCKED_BY_COST_TRANSFER_POLICY _HRESULT_TYPEDEF_(0x80200059)
/* Property valid for download jobs only. */
#define BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY _HRESULT_TYPEDEF_(0x80200060)
/* Property frozen once a file was added. */
#define BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE _HRESULT_TYPEDEF_(0x80200061)
/* Property frozen after first Resume. */
#define BG_E_READ_ONLY_PROPERTY_AFTER_RESUME _HRESULT_TYPEDEF_(0x80200062)
/* MAX_DOWNLOAD_SIZE must be 1..UINT64_MAX. */
#define BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE _HRESULT_TYPEDEF_(0x80200063)
/* Download hit MAX_DOWNLOAD_SIZE. */
#define BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED _HRESULT_TYPEDEF_(0x80200064)
/* Paused: machine in power-saving mode. */
#define BG_E_STANDBY_MODE _HRESULT_TYPEDEF_(0x80200065)
/* USE_STORED_CREDENTIALS only for proxy target. */
#define BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED _HRESULT_TYPEDEF_(0x80200066)
/* Paused: on battery. */
#define BG_E_BLOCKED_BY_BATTERY_POLICY _HRESULT_TYPEDEF_(0x80200067)
/* Paused: battery saver. */
#define BG_E_BLOCKED_BY_BATTERY_SAVER _HRESULT_TYPEDEF_(0x80200068)
/* Internal operation overran its time budget. */
#define BG_E_WATCHDOG_TIMEOUT _HRESULT_TYPEDEF_(0x80200069)
/* No app package matches job owner / caller. */
#define BG_E_APP_PACKAGE_NOT_FOUND _HRESULT_TYPEDEF_(0x8020006A)
/* App-package BITS use unsupported on device. */
#define BG_E_APP_PACKAGE_SCENARIO_NOT_SUPPORTED _HRESULT_TYPEDEF_(0x8020006B)
/* Persistent store corrupt; service stops, repairs on restart. */
#define BG_E_DATABASE_CORRUPT _HRESULT_TYPEDEF_(0x8020006C)
/* IBackgroundCopyFile6 unusable (SMB, dynamic, multi-range, upload, upload-reply). */
#define BG_E_RANDOM_ACCESS_NOT_SUPPORTED _HRESULT_TYPEDEF_(0x8020006D)
/* Owner app's background-access setting blocks transfer. */
#define BG_E_BLOCKED_BY_BACKGROUND_ACCESS_POLICY _HRESULT_TYPEDEF_(0x8020006E)
/* Paused while another app holds Game Mode. */
#define BG_E_BLOCKED_BY_GAME_MODE _HRESULT_TYPEDEF_(0x8020006F)
/* Paused for system resource constraints. */
#define BG_E_BLOCKED_BY_SYSTEM_POLICY _HRESULT_TYPEDEF_(0x80200070)
/* Action not allowed with a custom HTTP verb. */
#define BG_E_NOT_SUPPORTED_WITH_CUSTOM_HTTP_METHOD _HRESULT_TYPEDEF_(0x80200071)
/* Job configuration incompatible with the request. */
#define BG_E_UNSUPPORTED_JOB_CONFIGURATION _HRESULT_TYPEDEF_(0x80200072)
/* Remote file changed during transfer; Resume to retry. */
#define BG_E_REMOTE_FILE_CHANGED _HRESULT_TYPEDEF_(0x80200073)
/* Cert-validation callback required but not registered. */
#define BG_E_SERVER_CERT_VALIDATION_INTERFACE_REQUIRED _HRESULT_TYPEDEF_(0x80200074)
/* Only allowed while paused (SUSPENDED/ERROR/TRANSFERRED). */
#define BG_E_READ_ONLY_WHEN_JOB_ACTIVE _HRESULT_TYPEDEF_(0x80200075)
/* Ctx: failure inside the app's certificate-validation callback. */
#define BG_E_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK _HRESULT_TYPEDEF_(0x80200076)

/* ---- FACILITY_HTTP: the server answered HTTP status nnn ---- */
#define BG_E_HTTP_ERROR_100 _HRESULT_TYPEDEF_(0x80190064)
#define BG_E_HTTP_ERROR_101 _HRESULT_TYPEDEF_(0x80190065)
#define BG_E_HTTP_ERROR_200 _HRESULT_TYPEDEF_(0x801900C8)
#define BG_E_HTTP_ERROR_201 _HRESULT_TYPEDEF_(0x801900C9)
#define BG_E_HTTP_ERROR_202 _HRESULT_TYPEDEF_(0x801900CA)
#define BG_E_HTTP_ERROR_203 _HRESULT_TYPEDEF_(0x801900CB)
#define BG_E_HTTP_ERROR_204 _HRESULT_TYPEDEF_(0x801900CC)
#define BG_E_HTTP_ERROR_205 _HRESULT_TYPEDEF_(0x801900CD)
#define BG_E_HTTP_ERROR_206 _HRESULT_TYPEDEF_(0x801900CE)
#define BG_E_HTTP_ERROR_300 _HRESULT_TYPEDEF_(0x8019012C)
#define BG_E_HTTP_ERROR_301 _HRESULT_TYPEDEF_(0x8019012D)
#define BG_E_HTTP_ERROR_302 _HRESULT_TYPEDEF_(0x8019012E)
#define BG_E_HTTP_ERROR_303 _HRESULT_TYPEDEF_(0x8019012F)
#define BG_E_HTTP_ERROR_304 _HRESULT_TYPEDEF_(0x80190130)
#define BG_E_HTTP_ERROR_305 _HRESULT_TYPEDEF_(0x80190131)
#define BG_E_HTTP_ERROR_307 _HRESULT_TYPEDEF_(0x80190133)
#define BG_E_HTTP_ERROR_400 _HRESULT_TYPEDEF_(0x80190190)
#define BG_E_HTTP_ERROR_401 _HRESULT_TYPEDEF_(0x80190191)
#define BG_E_HTTP_ERROR_402 _HRESULT_TYPEDEF_(0x80190192)
#define BG_E_HTTP_ERROR_403 _HRESULT_TYPEDEF_(0x80190193)
#define BG_E_HTTP_ERROR_404 _HRESULT_TYPEDEF_(0x80190194)
#define BG_E_HTTP_ERROR_405 _HRESULT_TYPEDEF_(0x80190195)
#define BG_E_HTTP_ERROR_406 _HRESULT_TYPEDEF_(0x80190196)
#define BG_E_HTTP_ERROR_407 _HRESULT_TYPEDEF_(0x80190197)
#define BG_E_HTTP_ERROR_408 _HRESULT_TYPEDEF_(0x80190198)
#define BG_E_HTTP_ERROR_409 _HRESULT_TYPEDEF_(0x80190199)
#define BG_E_HTTP_ERROR_410 _HRESULT_TYPEDEF_(0x8019019A)
#define BG_E_HTTP_ERROR_411 _HRESULT_TYPEDEF_(0x8019019B)
#define BG_E_HTTP_ERROR_412 _HRESULT_TYPEDEF_(0x8019019C)
#define BG_E_HTTP_ERROR_413 _HRESULT_TYPEDEF_(0x8019019D)
#define BG_E_HTTP_ERROR_414 _HRESULT_TYPEDEF_(0x8019019E)
#define BG_E_HTTP_ERROR_415 _HRESULT_TYPEDEF_(0x8019019F)
#define BG_E_HTTP_ERROR_416 _HRESULT_TYPEDEF_(0x801901A0)
#define BG_E_HTTP_ERROR_417 _HRESULT_TYPEDEF_(0x801901A1)
#define BG_E_HTTP_ERROR_449 _HRESULT_TYPEDEF_(0x801901C1)
#define BG_E_HTTP_ERROR_500 _HRESULT_TYPEDEF_(0x801901F4)
#define BG_E_HTTP_ERROR_501 _HRESULT_TYPEDEF_(0x801901F5)
#define BG_E_HTTP_ERROR_502 _HRESULT_TYPEDEF_(0x801901F6)
#define BG_E_HTTP_ERROR_503 _HRESULT_TYPEDEF_(0x801901F7)
#define BG_E_HTTP_ERROR_504 _HRESULT_TYPEDEF_(0x801901F8)
#define BG_E_HTTP_ERROR_505 _HRESULT_TYPEDEF_(0x801901F9)

/* ---- event-log message ids (0x80194000-0x801940FF reserved) ---- */
#define BITS_MC_JOB_CANCELLED _HRESULT_TYPEDEF_(0x80194000)
#define BITS_MC_FILE_DELETION_FAILED _HRESULT_TYPEDEF_(0x80194001)
#define BITS_MC_FILE_DELETION_FAILED_MORE _HRESULT_TYPEDEF_(0x80194002)
#define BITS_MC_JOB_PROPERTY_CHANGE _HRESULT_TYPEDEF_(0x80194003)
#define BITS_MC_JOB_TAKE_OWNERSHIP _HRESULT_TYPEDEF_(0x80194004)
#define BITS_MC_JOB_SCAVENGED _HRESULT_TYPEDEF_(0x80194005)
#define BITS_MC_JOB_NOTIFICATION_FAILURE _HRESULT_TYPEDEF_(0x80194006)
#define BITS_MC_STATE_FILE_CORRUPT _HRESULT_TYPEDEF_(0x80194007)
#define BITS_MC_FAILED_TO_START _HRESULT_TYPEDEF_(0x80194008)
#define BITS_MC_FATAL_IGD_ERROR _HRESULT_TYPEDEF_(0x80194009)
#define BITS_MC_PEERCACHING_PORT _HRESULT_TYPEDEF_(0x8019400A)
#define BITS_MC_WSD_PORT _HRESULT_TYPEDEF_(0x8019400B)

#endif /* BGCOPY_BITSMSG_H */
