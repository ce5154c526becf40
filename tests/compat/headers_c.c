/*
 * headers_c - the compat headers seen from C11.
 *
 * Compile time: every Windows-named header is included together (no
 * clashes); type widths and struct sizes of spec §1; the absolute vtable
 * slot of EVERY method the spec's §3 tables list, through offsetof on the C
 * Vtbl structs (a shifted or missing method moves every later slot and
 * fails here); the total size of each vtable; every bitsmsg.h value of spec
 * §7.1/§7.2 and its HRESULT type.
 * Run time: every IID/CLSID against the GUID text of the spec (through
 * StringFromGUID2, which is checked on the way), the IFoo_Method macros
 * against a C object whose methods record what they were called with, and
 * the winerror/winnt helper macros.
 *
 * The slot, GUID and code tables below were transcribed from the spec
 * (BITS-CONTRACT.md), independently of the table the headers were
 * generated from.
 */
#include <windows.h>
#include <objbase.h>
#include <unknwn.h>
#include <wtypes.h>
#include <winerror.h>
#include <bitsmsg.h>
#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits2_5.h>
#include <bits3_0.h>
#include <bits4_0.h>
#include <bits5_0.h>
#include <bits10_1.h>
#include <bits10_2.h>
#include <bits10_3.h>
#ifdef _WIN32
#  include <winhttp.h> /* the SDK keeps ERROR_WINHTTP_* there, not in winerror.h */
#endif

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "check.h"

/* ------------------------------------------------------------ widths (§1) */

#define IS_TYPE(expr, type) _Generic((expr), type: 1, default: 0)

_Static_assert(sizeof(BYTE) == 1, "BYTE");
_Static_assert(sizeof(WORD) == 2, "WORD");
_Static_assert(sizeof(DWORD) == 4, "DWORD");
_Static_assert(sizeof(ULONG) == 4, "ULONG is 32-bit even on LP64");
_Static_assert(sizeof(LONG) == 4, "LONG is 32-bit even on LP64");
_Static_assert(sizeof(BOOL) == 4, "BOOL");
_Static_assert(sizeof(UINT) == 4, "UINT");
_Static_assert(sizeof(INT) == 4, "INT");
_Static_assert(sizeof(HRESULT) == 4, "HRESULT");
_Static_assert(sizeof(UINT64) == 8, "UINT64");
_Static_assert(sizeof(ULONGLONG) == 8, "ULONGLONG");
_Static_assert(sizeof(LONGLONG) == 8, "LONGLONG");
_Static_assert(sizeof(ULONG_PTR) == sizeof(void *), "ULONG_PTR");
_Static_assert(IS_TYPE((WCHAR)0, wchar_t), "WCHAR is wchar_t (spec §1 decision)");
_Static_assert(IS_TYPE((LPWSTR)0, wchar_t *), "LPWSTR");
_Static_assert(IS_TYPE((LPCWSTR)0, const wchar_t *), "LPCWSTR");
_Static_assert(((LONG)-1) < 0 && ((ULONG)-1) > 0 && ((HRESULT)-1) < 0, "signedness");
_Static_assert(sizeof(GUID) == 16 && alignof(GUID) == 4, "GUID layout");
_Static_assert(offsetof(GUID, Data2) == 4 && offsetof(GUID, Data3) == 6 && offsetof(GUID, Data4) == 8, "GUID fields");
_Static_assert(sizeof(FILETIME) == 8 && offsetof(FILETIME, dwHighDateTime) == 4, "FILETIME");
_Static_assert(sizeof(LANGID) == 2 && sizeof(LCID) == 4, "LANGID/LCID");

/* -------------------------------------------------- structures (§1, §5.4) */

_Static_assert(sizeof(BG_FILE_PROGRESS) == 24, "BG_FILE_PROGRESS");
_Static_assert(offsetof(BG_FILE_PROGRESS, Completed) == 16, "BG_FILE_PROGRESS.Completed");
_Static_assert(sizeof(BG_JOB_PROGRESS) == 24, "BG_JOB_PROGRESS");
_Static_assert(offsetof(BG_JOB_PROGRESS, FilesTotal) == 16 && offsetof(BG_JOB_PROGRESS, FilesTransferred) == 20, "BG_JOB_PROGRESS fields");
_Static_assert(sizeof(BG_JOB_TIMES) == 24, "BG_JOB_TIMES");
_Static_assert(offsetof(BG_JOB_TIMES, TransferCompletionTime) == 16, "BG_JOB_TIMES fields");
_Static_assert(sizeof(BG_FILE_RANGE) == 16 && offsetof(BG_FILE_RANGE, Length) == 8, "BG_FILE_RANGE");
_Static_assert(sizeof(BG_FILE_INFO) == 2 * sizeof(void *), "BG_FILE_INFO");
_Static_assert(sizeof(BG_JOB_REPLY_PROGRESS) == 16, "BG_JOB_REPLY_PROGRESS");
_Static_assert(sizeof(BG_AUTH_CREDENTIALS) == 8 + 2 * sizeof(void *), "BG_AUTH_CREDENTIALS (24 on x64)");
_Static_assert(offsetof(BG_AUTH_CREDENTIALS, Credentials) == 8, "BG_AUTH_CREDENTIALS.Credentials");
_Static_assert(sizeof(BITS_JOB_PROPERTY_VALUE) == 16 && alignof(BITS_JOB_PROPERTY_VALUE) == 8, "BITS_JOB_PROPERTY_VALUE");
_Static_assert(sizeof(BITS_FILE_PROPERTY_VALUE) == sizeof(void *), "BITS_FILE_PROPERTY_VALUE");
_Static_assert(sizeof(BG_JOB_STATE) == 4 && sizeof(BG_JOB_PRIORITY) == 4 && sizeof(BG_JOB_TYPE) == 4 &&
                   sizeof(BG_JOB_PROXY_USAGE) == 4 && sizeof(BG_ERROR_CONTEXT) == 4 && sizeof(BG_AUTH_TARGET) == 4 &&
                   sizeof(BG_AUTH_SCHEME) == 4 && sizeof(BG_CERT_STORE_LOCATION) == 4 &&
                   sizeof(BITS_JOB_PROPERTY_ID) == 4 && sizeof(BITS_FILE_PROPERTY_ID) == 4 &&
                   sizeof(BITS_JOB_TRANSFER_POLICY) == 4,
               "enums are 32-bit");

/* ------------------------------------------------------ enum values (§5) */

_Static_assert(BG_JOB_STATE_QUEUED == 0 && BG_JOB_STATE_CONNECTING == 1 && BG_JOB_STATE_TRANSFERRING == 2 &&
                   BG_JOB_STATE_SUSPENDED == 3 && BG_JOB_STATE_ERROR == 4 && BG_JOB_STATE_TRANSIENT_ERROR == 5 &&
                   BG_JOB_STATE_TRANSFERRED == 6 && BG_JOB_STATE_ACKNOWLEDGED == 7 && BG_JOB_STATE_CANCELLED == 8,
               "BG_JOB_STATE");
_Static_assert(BG_JOB_PRIORITY_FOREGROUND == 0 && BG_JOB_PRIORITY_HIGH == 1 && BG_JOB_PRIORITY_NORMAL == 2 &&
                   BG_JOB_PRIORITY_LOW == 3, "BG_JOB_PRIORITY");
_Static_assert(BG_JOB_TYPE_DOWNLOAD == 0 && BG_JOB_TYPE_UPLOAD == 1 && BG_JOB_TYPE_UPLOAD_REPLY == 2, "BG_JOB_TYPE");
_Static_assert(BG_JOB_PROXY_USAGE_PRECONFIG == 0 && BG_JOB_PROXY_USAGE_NO_PROXY == 1 &&
                   BG_JOB_PROXY_USAGE_OVERRIDE == 2 && BG_JOB_PROXY_USAGE_AUTODETECT == 3, "BG_JOB_PROXY_USAGE");
_Static_assert(BG_ERROR_CONTEXT_NONE == 0 && BG_ERROR_CONTEXT_UNKNOWN == 1 && BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER == 2 &&
                   BG_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION == 3 && BG_ERROR_CONTEXT_LOCAL_FILE == 4 &&
                   BG_ERROR_CONTEXT_REMOTE_FILE == 5 && BG_ERROR_CONTEXT_GENERAL_TRANSPORT == 6 &&
                   BG_ERROR_CONTEXT_REMOTE_APPLICATION == 7 && BG_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK == 8,
               "BG_ERROR_CONTEXT");
_Static_assert(BG_AUTH_TARGET_SERVER == 1 && BG_AUTH_TARGET_PROXY == 2, "BG_AUTH_TARGET");
_Static_assert(BG_AUTH_SCHEME_BASIC == 1 && BG_AUTH_SCHEME_DIGEST == 2 && BG_AUTH_SCHEME_NTLM == 3 &&
                   BG_AUTH_SCHEME_NEGOTIATE == 4 && BG_AUTH_SCHEME_PASSPORT == 5, "BG_AUTH_SCHEME");
_Static_assert(BG_CERT_STORE_LOCATION_CURRENT_USER == 0 && BG_CERT_STORE_LOCATION_LOCAL_MACHINE_ENTERPRISE == 7,
               "BG_CERT_STORE_LOCATION");
_Static_assert(BITS_JOB_PROPERTY_ID_COST_FLAGS == 1 && BITS_JOB_PROPERTY_NOTIFICATION_CLSID == 2 &&
                   BITS_JOB_PROPERTY_DYNAMIC_CONTENT == 3 && BITS_JOB_PROPERTY_HIGH_PERFORMANCE == 4 &&
                   BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE == 5 && BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS == 7 &&
                   BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS == 9 && BITS_JOB_PROPERTY_ON_DEMAND_MODE == 10,
               "BITS_JOB_PROPERTY_ID");
_Static_assert(BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS == 1, "BITS_FILE_PROPERTY_ID");
_Static_assert(BG_NOTIFY_JOB_TRANSFERRED == 1 && BG_NOTIFY_JOB_ERROR == 2 && BG_NOTIFY_DISABLE == 4 &&
                   BG_NOTIFY_JOB_MODIFICATION == 8 && BG_NOTIFY_FILE_TRANSFERRED == 0x10 &&
                   BG_NOTIFY_FILE_RANGES_TRANSFERRED == 0x20 && BG_JOB_ENUM_ALL_USERS == 1, "notify flags");
_Static_assert(BG_SIZE_UNKNOWN == UINT64_MAX && BG_LENGTH_TO_EOF == UINT64_MAX, "BG_SIZE_UNKNOWN / BG_LENGTH_TO_EOF");
_Static_assert(BG_COPY_FILE_OWNER == 1 && BG_COPY_FILE_GROUP == 2 && BG_COPY_FILE_DACL == 4 && BG_COPY_FILE_SACL == 8 &&
                   BG_COPY_FILE_ALL == 15, "BG_COPY_FILE_*");
_Static_assert(BG_SSL_ENABLE_CRL_CHECK == 1 && BG_SSL_IGNORE_CERT_CN_INVALID == 2 && BG_SSL_IGNORE_CERT_DATE_INVALID == 4 &&
                   BG_SSL_IGNORE_UNKNOWN_CA == 8 && BG_SSL_IGNORE_CERT_WRONG_USAGE == 0x10, "BG_SSL_*");
_Static_assert(BG_HTTP_REDIRECT_POLICY_MASK == 0x700 && BG_HTTP_REDIRECT_POLICY_ALLOW_SILENT == 0 &&
                   BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT == 0x100 && BG_HTTP_REDIRECT_POLICY_DISALLOW == 0x200 &&
                   BG_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP == 0x800, "BG_HTTP_REDIRECT_POLICY_*");
_Static_assert(BG_JOB_ENABLE_PEERCACHING_CLIENT == 1 && BG_JOB_ENABLE_PEERCACHING_SERVER == 2 &&
                   BG_JOB_DISABLE_BRANCH_CACHE == 4 && BG_TOKEN_LOCAL_FILE == 1 && BG_TOKEN_NETWORK == 2, "job flags");
_Static_assert(BITS_COST_STATE_TRANSFER_ALWAYS == 0x800000FF && BITS_COST_STATE_ROAMING == 0x80 &&
                   BITS_JOB_TRANSFER_POLICY_ALWAYS == (BITS_JOB_TRANSFER_POLICY)0x800000FF &&
                   BITS_JOB_TRANSFER_POLICY_NOT_ROAMING == (BITS_JOB_TRANSFER_POLICY)0x8000007F &&
                   BITS_JOB_TRANSFER_POLICY_NO_SURCHARGE == (BITS_JOB_TRANSFER_POLICY)0x8000006F &&
                   BITS_JOB_TRANSFER_POLICY_STANDARD == (BITS_JOB_TRANSFER_POLICY)0x80000067 &&
                   BITS_JOB_TRANSFER_POLICY_UNRESTRICTED == (BITS_JOB_TRANSFER_POLICY)0x80000021, "cost flags");

/* ------------------------------------------------------- vtable slots (§3) */

#define SLOT(iface, method) (offsetof(iface##Vtbl, method) / sizeof(void (*)(void)))
#define CHECK_SLOT(iface, method, n) \
    _Static_assert(SLOT(iface, method) == (n), #iface "::" #method " must be slot " #n)
#define CHECK_VTBL_SIZE(iface, n) \
    _Static_assert(sizeof(iface##Vtbl) == (n) * sizeof(void (*)(void)), #iface " must have " #n " slots")

/* The three IUnknown slots, for every interface. */
#define CHECK_IUNKNOWN_SLOTS(iface) \
    CHECK_SLOT(iface, QueryInterface, 0); CHECK_SLOT(iface, AddRef, 1); CHECK_SLOT(iface, Release, 2)
CHECK_IUNKNOWN_SLOTS(IUnknown);
CHECK_VTBL_SIZE(IUnknown, 3);
CHECK_IUNKNOWN_SLOTS(IClassFactory);
CHECK_SLOT(IClassFactory, CreateInstance, 3);
CHECK_SLOT(IClassFactory, LockServer, 4);
CHECK_IUNKNOWN_SLOTS(IBackgroundCopyJob5);
CHECK_IUNKNOWN_SLOTS(IBackgroundCopyFile6);
CHECK_IUNKNOWN_SLOTS(IBackgroundCopyCallback3);

/* Inherited slots are repeated in derived Vtbls at the same place. */
CHECK_SLOT(IBackgroundCopyJob5, Resume, 7);
CHECK_SLOT(IBackgroundCopyJob5, GetNotifyInterface, 26);
CHECK_SLOT(IBackgroundCopyJob5, SetNotifyCmdLine, 35);
CHECK_SLOT(IBackgroundCopyJob5, AddFileWithRanges, 44);
CHECK_SLOT(IBackgroundCopyFile6, GetProgress, 5);
CHECK_SLOT(IBackgroundCopyFile6, GetTemporaryName, 8);
CHECK_SLOT(IBackgroundCopyCallback3, JobModification, 5);
CHECK_SLOT(IBackgroundCopyCallback3, FileTransferred, 6);

/* Every slot of spec §3 (§3.1-§3.13) for the interfaces bgcopy declares. */
CHECK_SLOT(IBackgroundCopyFile, GetRemoteName, 3);
CHECK_SLOT(IBackgroundCopyFile, GetLocalName, 4);
CHECK_SLOT(IBackgroundCopyFile, GetProgress, 5);
CHECK_VTBL_SIZE(IBackgroundCopyFile, 6);
CHECK_SLOT(IEnumBackgroundCopyFiles, Next, 3);
CHECK_SLOT(IEnumBackgroundCopyFiles, Skip, 4);
CHECK_SLOT(IEnumBackgroundCopyFiles, Reset, 5);
CHECK_SLOT(IEnumBackgroundCopyFiles, Clone, 6);
CHECK_SLOT(IEnumBackgroundCopyFiles, GetCount, 7);
CHECK_VTBL_SIZE(IEnumBackgroundCopyFiles, 8);
CHECK_SLOT(IBackgroundCopyError, GetError, 3);
CHECK_SLOT(IBackgroundCopyError, GetFile, 4);
CHECK_SLOT(IBackgroundCopyError, GetErrorDescription, 5);
CHECK_SLOT(IBackgroundCopyError, GetErrorContextDescription, 6);
CHECK_SLOT(IBackgroundCopyError, GetProtocol, 7);
CHECK_VTBL_SIZE(IBackgroundCopyError, 8);
CHECK_SLOT(IBackgroundCopyJob, AddFileSet, 3);
CHECK_SLOT(IBackgroundCopyJob, AddFile, 4);
CHECK_SLOT(IBackgroundCopyJob, EnumFiles, 5);
CHECK_SLOT(IBackgroundCopyJob, Suspend, 6);
CHECK_SLOT(IBackgroundCopyJob, Resume, 7);
CHECK_SLOT(IBackgroundCopyJob, Cancel, 8);
CHECK_SLOT(IBackgroundCopyJob, Complete, 9);
CHECK_SLOT(IBackgroundCopyJob, GetId, 10);
CHECK_SLOT(IBackgroundCopyJob, GetType, 11);
CHECK_SLOT(IBackgroundCopyJob, GetProgress, 12);
CHECK_SLOT(IBackgroundCopyJob, GetTimes, 13);
CHECK_SLOT(IBackgroundCopyJob, GetState, 14);
CHECK_SLOT(IBackgroundCopyJob, GetError, 15);
CHECK_SLOT(IBackgroundCopyJob, GetOwner, 16);
CHECK_SLOT(IBackgroundCopyJob, SetDisplayName, 17);
CHECK_SLOT(IBackgroundCopyJob, GetDisplayName, 18);
CHECK_SLOT(IBackgroundCopyJob, SetDescription, 19);
CHECK_SLOT(IBackgroundCopyJob, GetDescription, 20);
CHECK_SLOT(IBackgroundCopyJob, SetPriority, 21);
CHECK_SLOT(IBackgroundCopyJob, GetPriority, 22);
CHECK_SLOT(IBackgroundCopyJob, SetNotifyFlags, 23);
CHECK_SLOT(IBackgroundCopyJob, GetNotifyFlags, 24);
CHECK_SLOT(IBackgroundCopyJob, SetNotifyInterface, 25);
CHECK_SLOT(IBackgroundCopyJob, GetNotifyInterface, 26);
CHECK_SLOT(IBackgroundCopyJob, SetMinimumRetryDelay, 27);
CHECK_SLOT(IBackgroundCopyJob, GetMinimumRetryDelay, 28);
CHECK_SLOT(IBackgroundCopyJob, SetNoProgressTimeout, 29);
CHECK_SLOT(IBackgroundCopyJob, GetNoProgressTimeout, 30);
CHECK_SLOT(IBackgroundCopyJob, GetErrorCount, 31);
CHECK_SLOT(IBackgroundCopyJob, SetProxySettings, 32);
CHECK_SLOT(IBackgroundCopyJob, GetProxySettings, 33);
CHECK_SLOT(IBackgroundCopyJob, TakeOwnership, 34);
CHECK_VTBL_SIZE(IBackgroundCopyJob, 35);
CHECK_SLOT(IEnumBackgroundCopyJobs, Next, 3);
CHECK_SLOT(IEnumBackgroundCopyJobs, Skip, 4);
CHECK_SLOT(IEnumBackgroundCopyJobs, Reset, 5);
CHECK_SLOT(IEnumBackgroundCopyJobs, Clone, 6);
CHECK_SLOT(IEnumBackgroundCopyJobs, GetCount, 7);
CHECK_VTBL_SIZE(IEnumBackgroundCopyJobs, 8);
CHECK_SLOT(IBackgroundCopyCallback, JobTransferred, 3);
CHECK_SLOT(IBackgroundCopyCallback, JobError, 4);
CHECK_SLOT(IBackgroundCopyCallback, JobModification, 5);
CHECK_VTBL_SIZE(IBackgroundCopyCallback, 6);
CHECK_SLOT(IBackgroundCopyManager, CreateJob, 3);
CHECK_SLOT(IBackgroundCopyManager, GetJob, 4);
CHECK_SLOT(IBackgroundCopyManager, EnumJobs, 5);
CHECK_SLOT(IBackgroundCopyManager, GetErrorDescription, 6);
CHECK_VTBL_SIZE(IBackgroundCopyManager, 7);
CHECK_SLOT(IBackgroundCopyJob2, SetNotifyCmdLine, 35);
CHECK_SLOT(IBackgroundCopyJob2, GetNotifyCmdLine, 36);
CHECK_SLOT(IBackgroundCopyJob2, GetReplyProgress, 37);
CHECK_SLOT(IBackgroundCopyJob2, GetReplyData, 38);
CHECK_SLOT(IBackgroundCopyJob2, SetReplyFileName, 39);
CHECK_SLOT(IBackgroundCopyJob2, GetReplyFileName, 40);
CHECK_SLOT(IBackgroundCopyJob2, SetCredentials, 41);
CHECK_SLOT(IBackgroundCopyJob2, RemoveCredentials, 42);
CHECK_VTBL_SIZE(IBackgroundCopyJob2, 43);
CHECK_SLOT(IBackgroundCopyJob3, ReplaceRemotePrefix, 43);
CHECK_SLOT(IBackgroundCopyJob3, AddFileWithRanges, 44);
CHECK_SLOT(IBackgroundCopyJob3, SetFileACLFlags, 45);
CHECK_SLOT(IBackgroundCopyJob3, GetFileACLFlags, 46);
CHECK_VTBL_SIZE(IBackgroundCopyJob3, 47);
CHECK_SLOT(IBackgroundCopyFile2, GetFileRanges, 6);
CHECK_SLOT(IBackgroundCopyFile2, SetRemoteName, 7);
CHECK_VTBL_SIZE(IBackgroundCopyFile2, 8);
CHECK_SLOT(IBackgroundCopyJobHttpOptions, SetClientCertificateByID, 3);
CHECK_SLOT(IBackgroundCopyJobHttpOptions, SetClientCertificateByName, 4);
CHECK_SLOT(IBackgroundCopyJobHttpOptions, RemoveClientCertificate, 5);
CHECK_SLOT(IBackgroundCopyJobHttpOptions, GetClientCertificate, 6);
CHECK_SLOT(IBackgroundCopyJobHttpOptions, SetCustomHeaders, 7);
CHECK_SLOT(IBackgroundCopyJobHttpOptions, GetCustomHeaders, 8);
CHECK_SLOT(IBackgroundCopyJobHttpOptions, SetSecurityFlags, 9);
CHECK_SLOT(IBackgroundCopyJobHttpOptions, GetSecurityFlags, 10);
CHECK_VTBL_SIZE(IBackgroundCopyJobHttpOptions, 11);
CHECK_SLOT(IBitsPeerCacheRecord, GetId, 3);
CHECK_SLOT(IBitsPeerCacheRecord, GetOriginUrl, 4);
CHECK_SLOT(IBitsPeerCacheRecord, GetFileSize, 5);
CHECK_SLOT(IBitsPeerCacheRecord, GetFileModificationTime, 6);
CHECK_SLOT(IBitsPeerCacheRecord, GetLastAccessTime, 7);
CHECK_SLOT(IBitsPeerCacheRecord, IsFileValidated, 8);
CHECK_SLOT(IBitsPeerCacheRecord, GetFileRanges, 9);
CHECK_VTBL_SIZE(IBitsPeerCacheRecord, 10);
CHECK_SLOT(IEnumBitsPeerCacheRecords, Next, 3);
CHECK_SLOT(IEnumBitsPeerCacheRecords, Skip, 4);
CHECK_SLOT(IEnumBitsPeerCacheRecords, Reset, 5);
CHECK_SLOT(IEnumBitsPeerCacheRecords, Clone, 6);
CHECK_SLOT(IEnumBitsPeerCacheRecords, GetCount, 7);
CHECK_VTBL_SIZE(IEnumBitsPeerCacheRecords, 8);
CHECK_SLOT(IBitsPeer, GetPeerName, 3);
CHECK_SLOT(IBitsPeer, IsAuthenticated, 4);
CHECK_SLOT(IBitsPeer, IsAvailable, 5);
CHECK_VTBL_SIZE(IBitsPeer, 6);
CHECK_SLOT(IEnumBitsPeers, Next, 3);
CHECK_SLOT(IEnumBitsPeers, Skip, 4);
CHECK_SLOT(IEnumBitsPeers, Reset, 5);
CHECK_SLOT(IEnumBitsPeers, Clone, 6);
CHECK_SLOT(IEnumBitsPeers, GetCount, 7);
CHECK_VTBL_SIZE(IEnumBitsPeers, 8);
CHECK_SLOT(IBitsPeerCacheAdministration, GetMaximumCacheSize, 3);
CHECK_SLOT(IBitsPeerCacheAdministration, SetMaximumCacheSize, 4);
CHECK_SLOT(IBitsPeerCacheAdministration, GetMaximumContentAge, 5);
CHECK_SLOT(IBitsPeerCacheAdministration, SetMaximumContentAge, 6);
CHECK_SLOT(IBitsPeerCacheAdministration, GetConfigurationFlags, 7);
CHECK_SLOT(IBitsPeerCacheAdministration, SetConfigurationFlags, 8);
CHECK_SLOT(IBitsPeerCacheAdministration, EnumRecords, 9);
CHECK_SLOT(IBitsPeerCacheAdministration, GetRecord, 10);
CHECK_SLOT(IBitsPeerCacheAdministration, ClearRecords, 11);
CHECK_SLOT(IBitsPeerCacheAdministration, DeleteRecord, 12);
CHECK_SLOT(IBitsPeerCacheAdministration, DeleteUrl, 13);
CHECK_SLOT(IBitsPeerCacheAdministration, EnumPeers, 14);
CHECK_SLOT(IBitsPeerCacheAdministration, ClearPeers, 15);
CHECK_SLOT(IBitsPeerCacheAdministration, DiscoverPeers, 16);
CHECK_VTBL_SIZE(IBitsPeerCacheAdministration, 17);
CHECK_SLOT(IBackgroundCopyJob4, SetPeerCachingFlags, 47);
CHECK_SLOT(IBackgroundCopyJob4, GetPeerCachingFlags, 48);
CHECK_SLOT(IBackgroundCopyJob4, GetOwnerIntegrityLevel, 49);
CHECK_SLOT(IBackgroundCopyJob4, GetOwnerElevationState, 50);
CHECK_SLOT(IBackgroundCopyJob4, SetMaximumDownloadTime, 51);
CHECK_SLOT(IBackgroundCopyJob4, GetMaximumDownloadTime, 52);
CHECK_VTBL_SIZE(IBackgroundCopyJob4, 53);
CHECK_SLOT(IBackgroundCopyFile3, GetTemporaryName, 8);
CHECK_SLOT(IBackgroundCopyFile3, SetValidationState, 9);
CHECK_SLOT(IBackgroundCopyFile3, GetValidationState, 10);
CHECK_SLOT(IBackgroundCopyFile3, IsDownloadedFromPeer, 11);
CHECK_VTBL_SIZE(IBackgroundCopyFile3, 12);
CHECK_SLOT(IBackgroundCopyCallback2, FileTransferred, 6);
CHECK_VTBL_SIZE(IBackgroundCopyCallback2, 7);
CHECK_SLOT(IBitsTokenOptions, SetHelperTokenFlags, 3);
CHECK_SLOT(IBitsTokenOptions, GetHelperTokenFlags, 4);
CHECK_SLOT(IBitsTokenOptions, SetHelperToken, 5);
CHECK_SLOT(IBitsTokenOptions, ClearHelperToken, 6);
CHECK_SLOT(IBitsTokenOptions, GetHelperTokenSid, 7);
CHECK_VTBL_SIZE(IBitsTokenOptions, 8);
CHECK_SLOT(IBackgroundCopyFile4, GetPeerDownloadStats, 12);
CHECK_VTBL_SIZE(IBackgroundCopyFile4, 13);
CHECK_SLOT(IBackgroundCopyJob5, SetProperty, 53);
CHECK_SLOT(IBackgroundCopyJob5, GetProperty, 54);
CHECK_VTBL_SIZE(IBackgroundCopyJob5, 55);
CHECK_SLOT(IBackgroundCopyFile5, SetProperty, 13);
CHECK_SLOT(IBackgroundCopyFile5, GetProperty, 14);
CHECK_VTBL_SIZE(IBackgroundCopyFile5, 15);
CHECK_SLOT(IBackgroundCopyFile6, UpdateDownloadPosition, 15);
CHECK_SLOT(IBackgroundCopyFile6, RequestFileRanges, 16);
CHECK_SLOT(IBackgroundCopyFile6, GetFilledFileRanges, 17);
CHECK_VTBL_SIZE(IBackgroundCopyFile6, 18);
CHECK_SLOT(IBackgroundCopyCallback3, FileRangesTransferred, 7);
CHECK_VTBL_SIZE(IBackgroundCopyCallback3, 8);
CHECK_SLOT(IBackgroundCopyJobHttpOptions2, SetHttpMethod, 11);
CHECK_SLOT(IBackgroundCopyJobHttpOptions2, GetHttpMethod, 12);
CHECK_VTBL_SIZE(IBackgroundCopyJobHttpOptions2, 13);
CHECK_SLOT(IBackgroundCopyServerCertificateValidationCallback, ValidateServerCertificate, 3);
CHECK_VTBL_SIZE(IBackgroundCopyServerCertificateValidationCallback, 4);
CHECK_SLOT(IBackgroundCopyJobHttpOptions3, SetServerCertificateValidationInterface, 13);
CHECK_SLOT(IBackgroundCopyJobHttpOptions3, MakeCustomHeadersWriteOnly, 14);
CHECK_VTBL_SIZE(IBackgroundCopyJobHttpOptions3, 15);
/* ------------------------------------------------- bitsmsg.h (§7.1, §7.2) */

#define CHECK_HR_CONST(name, value)                                          \
    _Static_assert(IS_TYPE(name, HRESULT) && (uint32_t)(name) == (value##u), \
                   #name " must be the HRESULT " #value)
CHECK_HR_CONST(BG_E_NOT_FOUND, 0x80200001);
CHECK_HR_CONST(BG_E_INVALID_STATE, 0x80200002);
CHECK_HR_CONST(BG_E_EMPTY, 0x80200003);
CHECK_HR_CONST(BG_E_FILE_NOT_AVAILABLE, 0x80200004);
CHECK_HR_CONST(BG_E_PROTOCOL_NOT_AVAILABLE, 0x80200005);
CHECK_HR_CONST(BG_S_ERROR_CONTEXT_NONE, 0x00200006);
CHECK_HR_CONST(BG_E_ERROR_CONTEXT_UNKNOWN, 0x80200007);
CHECK_HR_CONST(BG_E_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER, 0x80200008);
CHECK_HR_CONST(BG_E_ERROR_CONTEXT_LOCAL_FILE, 0x80200009);
CHECK_HR_CONST(BG_E_ERROR_CONTEXT_REMOTE_FILE, 0x8020000A);
CHECK_HR_CONST(BG_E_ERROR_CONTEXT_GENERAL_TRANSPORT, 0x8020000B);
CHECK_HR_CONST(BG_E_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION, 0x8020000C);
CHECK_HR_CONST(BG_E_DESTINATION_LOCKED, 0x8020000D);
CHECK_HR_CONST(BG_E_VOLUME_CHANGED, 0x8020000E);
CHECK_HR_CONST(BG_E_ERROR_INFORMATION_UNAVAILABLE, 0x8020000F);
CHECK_HR_CONST(BG_E_NETWORK_DISCONNECTED, 0x80200010);
CHECK_HR_CONST(BG_E_MISSING_FILE_SIZE, 0x80200011);
CHECK_HR_CONST(BG_E_INSUFFICIENT_HTTP_SUPPORT, 0x80200012);
CHECK_HR_CONST(BG_E_INSUFFICIENT_RANGE_SUPPORT, 0x80200013);
CHECK_HR_CONST(BG_E_REMOTE_NOT_SUPPORTED, 0x80200014);
CHECK_HR_CONST(BG_E_NEW_OWNER_DIFF_MAPPING, 0x80200015);
CHECK_HR_CONST(BG_E_NEW_OWNER_NO_FILE_ACCESS, 0x80200016);
CHECK_HR_CONST(BG_S_PARTIAL_COMPLETE, 0x00200017);
CHECK_HR_CONST(BG_E_PROXY_LIST_TOO_LARGE, 0x80200018);
CHECK_HR_CONST(BG_E_PROXY_BYPASS_LIST_TOO_LARGE, 0x80200019);
CHECK_HR_CONST(BG_S_UNABLE_TO_DELETE_FILES, 0x0020001A);
CHECK_HR_CONST(BG_E_INVALID_SERVER_RESPONSE, 0x8020001B);
CHECK_HR_CONST(BG_E_TOO_MANY_FILES, 0x8020001C);
CHECK_HR_CONST(BG_E_LOCAL_FILE_CHANGED, 0x8020001D);
CHECK_HR_CONST(BG_E_ERROR_CONTEXT_REMOTE_APPLICATION, 0x8020001E);
CHECK_HR_CONST(BG_E_SESSION_NOT_FOUND, 0x8020001F);
CHECK_HR_CONST(BG_E_TOO_LARGE, 0x80200020);
CHECK_HR_CONST(BG_E_STRING_TOO_LONG, 0x80200021);
CHECK_HR_CONST(BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH, 0x80200022);
CHECK_HR_CONST(BG_E_SERVER_EXECUTE_ENABLE, 0x80200023);
CHECK_HR_CONST(BG_E_NO_PROGRESS, 0x80200024);
CHECK_HR_CONST(BG_E_USERNAME_TOO_LARGE, 0x80200025);
CHECK_HR_CONST(BG_E_PASSWORD_TOO_LARGE, 0x80200026);
CHECK_HR_CONST(BG_E_INVALID_AUTH_TARGET, 0x80200027);
CHECK_HR_CONST(BG_E_INVALID_AUTH_SCHEME, 0x80200028);
CHECK_HR_CONST(BG_E_FILE_NOT_FOUND, 0x80200029);
CHECK_HR_CONST(BG_S_PROXY_CHANGED, 0x0020002A);
CHECK_HR_CONST(BG_E_INVALID_RANGE, 0x8020002B);
CHECK_HR_CONST(BG_E_OVERLAPPING_RANGES, 0x8020002C);
CHECK_HR_CONST(BG_E_CONNECT_FAILURE, 0x8020002D);
CHECK_HR_CONST(BG_E_CONNECTION_CLOSED, 0x8020002E);
CHECK_HR_CONST(BG_E_KEEP_ALIVE_FAILURE, 0x8020002F);
CHECK_HR_CONST(BG_E_MESSAGE_LENGTH_LIMIT_EXCEEDED, 0x80200030);
CHECK_HR_CONST(BG_E_NAME_RESOLUTION_FAILURE, 0x80200031);
CHECK_HR_CONST(BG_E_PENDING, 0x80200032);
CHECK_HR_CONST(BG_E_PIPELINE_FAILURE, 0x80200033);
CHECK_HR_CONST(BG_E_PROTOCOL_ERROR, 0x80200034);
CHECK_HR_CONST(BG_E_PROXY_NAME_RESOLUTION_FAILURE, 0x80200035);
CHECK_HR_CONST(BG_E_RECEIVE_FAILURE, 0x80200036);
CHECK_HR_CONST(BG_E_REQUEST_CANCELED, 0x80200037);
CHECK_HR_CONST(BG_E_SECURE_CHANNEL_FAILURE, 0x80200038);
CHECK_HR_CONST(BG_E_SEND_FAILURE, 0x80200039);
CHECK_HR_CONST(BG_E_SERVER_PROTOCOL_VIOLATION, 0x8020003A);
CHECK_HR_CONST(BG_E_TIMEOUT, 0x8020003B);
CHECK_HR_CONST(BG_E_TRUST_FAILURE, 0x8020003C);
CHECK_HR_CONST(BG_E_UNKNOWN_ERROR, 0x8020003D);
CHECK_HR_CONST(BG_E_BLOCKED_BY_POLICY, 0x8020003E);
CHECK_HR_CONST(BG_E_INVALID_PROXY_INFO, 0x8020003F);
CHECK_HR_CONST(BG_E_INVALID_CREDENTIALS, 0x80200040);
CHECK_HR_CONST(BG_E_INVALID_HASH_ALGORITHM, 0x80200041);
CHECK_HR_CONST(BG_E_RECORD_DELETED, 0x80200042);
CHECK_HR_CONST(BG_E_COMMIT_IN_PROGRESS, 0x80200043);
CHECK_HR_CONST(BG_E_DISCOVERY_IN_PROGRESS, 0x80200044);
CHECK_HR_CONST(BG_E_UPNP_ERROR, 0x80200045);
CHECK_HR_CONST(BG_E_TEST_OPTION_BLOCKED_DOWNLOAD, 0x80200046);
CHECK_HR_CONST(BG_E_PEERCACHING_DISABLED, 0x80200047);
CHECK_HR_CONST(BG_E_BUSYCACHERECORD, 0x80200048);
CHECK_HR_CONST(BG_E_TOO_MANY_JOBS_PER_USER, 0x80200049);
CHECK_HR_CONST(BG_E_TOO_MANY_JOBS_PER_MACHINE, 0x80200050);
CHECK_HR_CONST(BG_E_TOO_MANY_FILES_IN_JOB, 0x80200051);
CHECK_HR_CONST(BG_E_TOO_MANY_RANGES_IN_FILE, 0x80200052);
CHECK_HR_CONST(BG_E_VALIDATION_FAILED, 0x80200053);
CHECK_HR_CONST(BG_E_MAXDOWNLOAD_TIMEOUT, 0x80200054);
CHECK_HR_CONST(BG_S_OVERRIDDEN_BY_POLICY, 0x00200055);
CHECK_HR_CONST(BG_E_TOKEN_REQUIRED, 0x80200056);
CHECK_HR_CONST(BG_E_UNKNOWN_PROPERTY_ID, 0x80200057);
CHECK_HR_CONST(BG_E_READ_ONLY_PROPERTY, 0x80200058);
CHECK_HR_CONST(BG_E_BLOCKED_BY_COST_TRANSFER_POLICY, 0x80200059);
CHECK_HR_CONST(BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY, 0x80200060);
CHECK_HR_CONST(BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE, 0x80200061);
CHECK_HR_CONST(BG_E_READ_ONLY_PROPERTY_AFTER_RESUME, 0x80200062);
CHECK_HR_CONST(BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE, 0x80200063);
CHECK_HR_CONST(BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED, 0x80200064);
CHECK_HR_CONST(BG_E_STANDBY_MODE, 0x80200065);
CHECK_HR_CONST(BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED, 0x80200066);
CHECK_HR_CONST(BG_E_BLOCKED_BY_BATTERY_POLICY, 0x80200067);
CHECK_HR_CONST(BG_E_BLOCKED_BY_BATTERY_SAVER, 0x80200068);
CHECK_HR_CONST(BG_E_WATCHDOG_TIMEOUT, 0x80200069);
CHECK_HR_CONST(BG_E_APP_PACKAGE_NOT_FOUND, 0x8020006A);
CHECK_HR_CONST(BG_E_APP_PACKAGE_SCENARIO_NOT_SUPPORTED, 0x8020006B);
CHECK_HR_CONST(BG_E_DATABASE_CORRUPT, 0x8020006C);
CHECK_HR_CONST(BG_E_RANDOM_ACCESS_NOT_SUPPORTED, 0x8020006D);
CHECK_HR_CONST(BG_E_BLOCKED_BY_BACKGROUND_ACCESS_POLICY, 0x8020006E);
CHECK_HR_CONST(BG_E_BLOCKED_BY_GAME_MODE, 0x8020006F);
CHECK_HR_CONST(BG_E_BLOCKED_BY_SYSTEM_POLICY, 0x80200070);
CHECK_HR_CONST(BG_E_NOT_SUPPORTED_WITH_CUSTOM_HTTP_METHOD, 0x80200071);
CHECK_HR_CONST(BG_E_UNSUPPORTED_JOB_CONFIGURATION, 0x80200072);
CHECK_HR_CONST(BG_E_REMOTE_FILE_CHANGED, 0x80200073);
CHECK_HR_CONST(BG_E_SERVER_CERT_VALIDATION_INTERFACE_REQUIRED, 0x80200074);
CHECK_HR_CONST(BG_E_READ_ONLY_WHEN_JOB_ACTIVE, 0x80200075);
CHECK_HR_CONST(BG_E_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK, 0x80200076);
CHECK_HR_CONST(BG_E_HTTP_ERROR_100, 0x80190064);
CHECK_HR_CONST(BG_E_HTTP_ERROR_101, 0x80190065);
CHECK_HR_CONST(BG_E_HTTP_ERROR_200, 0x801900C8);
CHECK_HR_CONST(BG_E_HTTP_ERROR_201, 0x801900C9);
CHECK_HR_CONST(BG_E_HTTP_ERROR_202, 0x801900CA);
CHECK_HR_CONST(BG_E_HTTP_ERROR_203, 0x801900CB);
CHECK_HR_CONST(BG_E_HTTP_ERROR_204, 0x801900CC);
CHECK_HR_CONST(BG_E_HTTP_ERROR_205, 0x801900CD);
CHECK_HR_CONST(BG_E_HTTP_ERROR_206, 0x801900CE);
CHECK_HR_CONST(BG_E_HTTP_ERROR_300, 0x8019012C);
CHECK_HR_CONST(BG_E_HTTP_ERROR_301, 0x8019012D);
CHECK_HR_CONST(BG_E_HTTP_ERROR_302, 0x8019012E);
CHECK_HR_CONST(BG_E_HTTP_ERROR_303, 0x8019012F);
CHECK_HR_CONST(BG_E_HTTP_ERROR_304, 0x80190130);
CHECK_HR_CONST(BG_E_HTTP_ERROR_305, 0x80190131);
CHECK_HR_CONST(BG_E_HTTP_ERROR_307, 0x80190133);
CHECK_HR_CONST(BG_E_HTTP_ERROR_400, 0x80190190);
CHECK_HR_CONST(BG_E_HTTP_ERROR_401, 0x80190191);
CHECK_HR_CONST(BG_E_HTTP_ERROR_402, 0x80190192);
CHECK_HR_CONST(BG_E_HTTP_ERROR_403, 0x80190193);
CHECK_HR_CONST(BG_E_HTTP_ERROR_404, 0x80190194);
CHECK_HR_CONST(BG_E_HTTP_ERROR_405, 0x80190195);
CHECK_HR_CONST(BG_E_HTTP_ERROR_406, 0x80190196);
CHECK_HR_CONST(BG_E_HTTP_ERROR_407, 0x80190197);
CHECK_HR_CONST(BG_E_HTTP_ERROR_408, 0x80190198);
CHECK_HR_CONST(BG_E_HTTP_ERROR_409, 0x80190199);
CHECK_HR_CONST(BG_E_HTTP_ERROR_410, 0x8019019A);
CHECK_HR_CONST(BG_E_HTTP_ERROR_411, 0x8019019B);
CHECK_HR_CONST(BG_E_HTTP_ERROR_412, 0x8019019C);
CHECK_HR_CONST(BG_E_HTTP_ERROR_413, 0x8019019D);
CHECK_HR_CONST(BG_E_HTTP_ERROR_414, 0x8019019E);
CHECK_HR_CONST(BG_E_HTTP_ERROR_415, 0x8019019F);
CHECK_HR_CONST(BG_E_HTTP_ERROR_416, 0x801901A0);
CHECK_HR_CONST(BG_E_HTTP_ERROR_417, 0x801901A1);
CHECK_HR_CONST(BG_E_HTTP_ERROR_449, 0x801901C1);
CHECK_HR_CONST(BG_E_HTTP_ERROR_500, 0x801901F4);
CHECK_HR_CONST(BG_E_HTTP_ERROR_501, 0x801901F5);
CHECK_HR_CONST(BG_E_HTTP_ERROR_502, 0x801901F6);
CHECK_HR_CONST(BG_E_HTTP_ERROR_503, 0x801901F7);
CHECK_HR_CONST(BG_E_HTTP_ERROR_504, 0x801901F8);
CHECK_HR_CONST(BG_E_HTTP_ERROR_505, 0x801901F9);
/* ---- winerror.h values bgcopy relies on (§7.5) ---- */
CHECK_HR_CONST(S_OK, 0x00000000);
CHECK_HR_CONST(S_FALSE, 0x00000001);
CHECK_HR_CONST(E_NOTIMPL, 0x80004001);
CHECK_HR_CONST(E_NOINTERFACE, 0x80004002);
CHECK_HR_CONST(E_POINTER, 0x80004003);
CHECK_HR_CONST(E_ABORT, 0x80004004);
CHECK_HR_CONST(E_FAIL, 0x80004005);
CHECK_HR_CONST(E_UNEXPECTED, 0x8000FFFF);
CHECK_HR_CONST(E_PENDING, 0x8000000A);
CHECK_HR_CONST(E_ACCESSDENIED, 0x80070005);
CHECK_HR_CONST(E_HANDLE, 0x80070006);
CHECK_HR_CONST(E_OUTOFMEMORY, 0x8007000E);
CHECK_HR_CONST(E_INVALIDARG, 0x80070057);
CHECK_HR_CONST(CLASS_E_NOAGGREGATION, 0x80040110);
CHECK_HR_CONST(CLASS_E_CLASSNOTAVAILABLE, 0x80040111);
CHECK_HR_CONST(REGDB_E_CLASSNOTREG, 0x80040154);
CHECK_HR_CONST(CO_E_NOTINITIALIZED, 0x800401F0);
CHECK_HR_CONST(RPC_E_CHANGED_MODE, 0x80010106);
#ifdef _WIN32
/* The SDK's RPC_X_* are Win32 error codes; BITS reports them as HRESULTs. */
_Static_assert(RPC_X_NULL_REF_POINTER == 1780 && RPC_X_BAD_STUB_DATA == 1783, "RPC_X_* codes");
#else
/* bgcopy's are the HRESULTs themselves (spec §7.2). */
CHECK_HR_CONST(RPC_X_NULL_REF_POINTER, 0x800706F4);
CHECK_HR_CONST(RPC_X_BAD_STUB_DATA, 0x800706F7);
#endif
/* Written this way, the same code yields the HRESULT on both platforms. */
CHECK_HR_CONST(HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER), 0x800706F4);
CHECK_HR_CONST(HRESULT_FROM_WIN32(RPC_X_BAD_STUB_DATA), 0x800706F7);
CHECK_HR_CONST(CRYPT_E_NOT_FOUND, 0x80092004);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND), 0x80070717);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND), 0x80070002);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND), 0x80070003);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_WINHTTP_TIMEOUT), 0x80072EE2);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_WINHTTP_NAME_NOT_RESOLVED), 0x80072EE7);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CONNECT), 0x80072EFD);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED), 0x80072F0C);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_WINHTTP_SECURE_CERT_REV_FAILED), 0x80072F19);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_WINHTTP_SECURE_CERT_REVOKED), 0x80072F8A);
CHECK_HR_CONST(HRESULT_FROM_WIN32(ERROR_WINHTTP_CLIENT_CERT_NO_ACCESS_PRIVATE_KEY), 0x80072F9A);
CHECK_HR_CONST(HRESULT_FROM_WIN32(301), 0x8007012D);
CHECK_HR_CONST(HRESULT_FROM_WIN32(0), 0x00000000);
CHECK_HR_CONST(HRESULT_FROM_WIN32(E_FAIL), 0x80004005); /* already an HRESULT: unchanged */
CHECK_HR_CONST(MAKE_HRESULT(SEVERITY_ERROR, FACILITY_HTTP, 404), 0x80190194);

/* ---- the SDK's DECLARE_INTERFACE_ / STDMETHOD / THIS_ / PURE family ----
 * bgcopy's versions.  On Windows these macros are the SDK's own, whose C
 * DECLARE_INTERFACE ends in "const struct IMineVtbl", an empty declaration
 * GCC warns about without any option to silence it: nothing of bgcopy's to
 * check there. */
#ifndef _WIN32
#undef INTERFACE
#define INTERFACE IMine
DECLARE_INTERFACE_(IMine, IUnknown)
{
    BEGIN_INTERFACE
    STDMETHOD(QueryInterface)(THIS_ REFIID riid, void **ppv) PURE;
    STDMETHOD_(ULONG, AddRef)(THIS) PURE;
    STDMETHOD_(ULONG, Release)(THIS) PURE;
    STDMETHOD(Twice)(THIS_ int x) PURE;
    END_INTERFACE
};
#undef INTERFACE
CHECK_IUNKNOWN_SLOTS(IMine);
CHECK_SLOT(IMine, Twice, 3);
#endif /* !_WIN32 */

/* ================================================================ run time */

/* Every IID and CLSID, with the GUID text of the spec (§2, §3). */
static const struct {
    const GUID *guid;
    const char *name;
    const char *text;
} spec_guids[] = {
    {&IID_IUnknown, "IID_IUnknown", "{00000000-0000-0000-c000-000000000046}"},
    {&IID_IClassFactory, "IID_IClassFactory", "{00000001-0000-0000-c000-000000000046}"},
    {&GUID_NULL, "GUID_NULL", "{00000000-0000-0000-0000-000000000000}"},
    {&IID_IBackgroundCopyFile, "IID_IBackgroundCopyFile", "{01b7bd23-fb88-4a77-8490-5891d3e4653a}"},
    {&IID_IEnumBackgroundCopyFiles, "IID_IEnumBackgroundCopyFiles", "{ca51e165-c365-424c-8d41-24aaa4ff3c40}"},
    {&IID_IBackgroundCopyError, "IID_IBackgroundCopyError", "{19c613a0-fcb8-4f28-81ae-897c3d078f81}"},
    {&IID_IBackgroundCopyJob, "IID_IBackgroundCopyJob", "{37668d37-507e-4160-9316-26306d150b12}"},
    {&IID_IEnumBackgroundCopyJobs, "IID_IEnumBackgroundCopyJobs", "{1af4f612-3b71-466f-8f58-7b6f73ac57ad}"},
    {&IID_IBackgroundCopyCallback, "IID_IBackgroundCopyCallback", "{97ea99c7-0186-4ad4-8df9-c5b4e0ed6b22}"},
    {&IID_IBackgroundCopyManager, "IID_IBackgroundCopyManager", "{5ce34c0d-0dc9-4c1f-897c-daa1b78cee7c}"},
    {&IID_IBackgroundCopyJob2, "IID_IBackgroundCopyJob2", "{54b50739-686f-45eb-9dff-d6a9a0faa9af}"},
    {&IID_IBackgroundCopyJob3, "IID_IBackgroundCopyJob3", "{443c8934-90ff-48ed-bcde-26f5c7450042}"},
    {&IID_IBackgroundCopyFile2, "IID_IBackgroundCopyFile2", "{83e81b93-0873-474d-8a8c-f2018b1a939c}"},
    {&IID_IBackgroundCopyJobHttpOptions, "IID_IBackgroundCopyJobHttpOptions", "{f1bd1079-9f01-4bdc-8036-f09b70095066}"},
    {&IID_IBitsPeerCacheRecord, "IID_IBitsPeerCacheRecord", "{659cdeaf-489e-11d9-a9cd-000d56965251}"},
    {&IID_IEnumBitsPeerCacheRecords, "IID_IEnumBitsPeerCacheRecords", "{659cdea4-489e-11d9-a9cd-000d56965251}"},
    {&IID_IBitsPeer, "IID_IBitsPeer", "{659cdea2-489e-11d9-a9cd-000d56965251}"},
    {&IID_IEnumBitsPeers, "IID_IEnumBitsPeers", "{659cdea5-489e-11d9-a9cd-000d56965251}"},
    {&IID_IBitsPeerCacheAdministration, "IID_IBitsPeerCacheAdministration", "{659cdead-489e-11d9-a9cd-000d56965251}"},
    {&IID_IBackgroundCopyJob4, "IID_IBackgroundCopyJob4", "{659cdeae-489e-11d9-a9cd-000d56965251}"},
    {&IID_IBackgroundCopyFile3, "IID_IBackgroundCopyFile3", "{659cdeaa-489e-11d9-a9cd-000d56965251}"},
    {&IID_IBackgroundCopyCallback2, "IID_IBackgroundCopyCallback2", "{659cdeac-489e-11d9-a9cd-000d56965251}"},
    {&IID_IBitsTokenOptions, "IID_IBitsTokenOptions", "{9a2584c3-f7d2-457a-9a5e-22b67bffc7d2}"},
    {&IID_IBackgroundCopyFile4, "IID_IBackgroundCopyFile4", "{ef7e0655-7888-4960-b0e5-730846e03492}"},
    {&IID_IBackgroundCopyJob5, "IID_IBackgroundCopyJob5", "{e847030c-bbba-4657-af6d-484aa42bf1fe}"},
    {&IID_IBackgroundCopyFile5, "IID_IBackgroundCopyFile5", "{85c1657f-dafc-40e8-8834-df18ea25717e}"},
    {&IID_IBackgroundCopyFile6, "IID_IBackgroundCopyFile6", "{cf6784f7-d677-49fd-9368-cb47aee9d1ad}"},
    {&IID_IBackgroundCopyCallback3, "IID_IBackgroundCopyCallback3", "{98c97bd2-e32b-4ad8-a528-95fd8b16bd42}"},
    {&IID_IBackgroundCopyJobHttpOptions2, "IID_IBackgroundCopyJobHttpOptions2", "{b591a192-a405-4fc3-8323-4c5c542578fc}"},
    {&IID_IBackgroundCopyServerCertificateValidationCallback, "IID_IBackgroundCopyServerCertificateValidationCallback", "{4cec0d02-def7-4158-813a-c32a46945ff7}"},
    {&IID_IBackgroundCopyJobHttpOptions3, "IID_IBackgroundCopyJobHttpOptions3", "{8a9263d3-fd4c-4eda-9b28-30132a4d4e3c}"},
    {&CLSID_BackgroundCopyManager, "CLSID_BackgroundCopyManager", "{4991d34b-80a1-4291-83b6-3328366b9097}"},
    {&CLSID_BackgroundCopyManager1_5, "CLSID_BackgroundCopyManager1_5", "{f087771f-d74f-4c1a-bb8a-e16aca9124ea}"},
    {&CLSID_BackgroundCopyManager2_0, "CLSID_BackgroundCopyManager2_0", "{6d18ad12-bde3-4393-b311-099c346e6df9}"},
    {&CLSID_BackgroundCopyManager2_5, "CLSID_BackgroundCopyManager2_5", "{03ca98d6-ff5d-49b8-abc6-03dd84127020}"},
    {&CLSID_BackgroundCopyManager3_0, "CLSID_BackgroundCopyManager3_0", "{659cdea7-489e-11d9-a9cd-000d56965251}"},
    {&CLSID_BackgroundCopyManager4_0, "CLSID_BackgroundCopyManager4_0", "{bb6df56b-cace-11dc-9992-0019b93a3a84}"},
    {&CLSID_BackgroundCopyManager5_0, "CLSID_BackgroundCopyManager5_0", "{1ecca34c-e88a-44e3-8d6a-8921bde9e452}"},
    {&CLSID_BackgroundCopyManager10_1, "CLSID_BackgroundCopyManager10_1", "{4bd3e4e1-7bd4-4a2b-9964-496400de5193}"},
    {&CLSID_BackgroundCopyManager10_2, "CLSID_BackgroundCopyManager10_2", "{4575438f-a6c8-4976-b0fe-2f26b80d959e}"},
    {&CLSID_BackgroundCopyManager10_3, "CLSID_BackgroundCopyManager10_3", "{5fd42ad5-c04e-4d36-adc7-e08ff15737ad}"},
};

static void test_guids(void)
{
    for (size_t i = 0; i < sizeof spec_guids / sizeof spec_guids[0]; i++) {
        WCHAR w[39];
        char narrow[39];
        CHECK_MSG(StringFromGUID2(spec_guids[i].guid, w, 39) == 39, "%s", spec_guids[i].name);
        for (int k = 0; k < 39; k++) {
            CHECK(w[k] >= 0 && w[k] < 128);
            narrow[k] = (char)w[k];
        }
        CHECK_MSG(strcasecmp(narrow, spec_guids[i].text) == 0, "%s is %s, spec says %s", spec_guids[i].name,
                  narrow, spec_guids[i].text);
        /* and back */
        GUID back;
        CHECK_EQ_HR(IIDFromString(w, &back), S_OK);
        CHECK_MSG(IsEqualGUID(&back, spec_guids[i].guid), "%s round trip", spec_guids[i].name);
        /* no two names share a GUID (except where the spec does: none) */
        for (size_t j = 0; j < i; j++)
            CHECK_MSG(!IsEqualGUID(spec_guids[i].guid, spec_guids[j].guid), "%s == %s", spec_guids[i].name,
                      spec_guids[j].name);
    }
    /* The byte layout of Data4 (the part printed as two groups). */
    CHECK(IID_IBackgroundCopyJob.Data1 == 0x37668d37u && IID_IBackgroundCopyJob.Data2 == 0x507e &&
          IID_IBackgroundCopyJob.Data3 == 0x4160 && IID_IBackgroundCopyJob.Data4[0] == 0x93 &&
          IID_IBackgroundCopyJob.Data4[7] == 0x12);
    CHECK(IsEqualIID(&IID_IBackgroundCopyJob, &IID_IBackgroundCopyJob));
    CHECK(!IsEqualCLSID(&CLSID_BackgroundCopyManager, &CLSID_BackgroundCopyManager1_5));
}

/* ---- a C implementation of IBackgroundCopyCallback3 whose methods record
 * their slot and arguments, to check every IFoo_Method macro passes This
 * and the arguments to the right slot in the right order. */
typedef struct {
    IBackgroundCopyCallback3 iface;
    LONG ref;
    int last_slot;
    const void *args[4];
    DWORD dw;
} recorder;

static recorder *rec_of(IBackgroundCopyCallback3 *This) { return (recorder *)(void *)This; }

static HRESULT STDMETHODCALLTYPE rec_QueryInterface(IBackgroundCopyCallback3 *This, REFIID riid, void **ppv)
{
    rec_of(This)->last_slot = 0;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IBackgroundCopyCallback) ||
        IsEqualIID(riid, &IID_IBackgroundCopyCallback2) || IsEqualIID(riid, &IID_IBackgroundCopyCallback3)) {
        *ppv = This;
        InterlockedIncrement(&rec_of(This)->ref);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE rec_AddRef(IBackgroundCopyCallback3 *This)
{
    rec_of(This)->last_slot = 1;
    return (ULONG)InterlockedIncrement(&rec_of(This)->ref);
}
static ULONG STDMETHODCALLTYPE rec_Release(IBackgroundCopyCallback3 *This)
{
    rec_of(This)->last_slot = 2;
    return (ULONG)InterlockedDecrement(&rec_of(This)->ref);
}
static HRESULT STDMETHODCALLTYPE rec_JobTransferred(IBackgroundCopyCallback3 *This, IBackgroundCopyJob *pJob)
{
    rec_of(This)->last_slot = 3;
    rec_of(This)->args[0] = pJob;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE rec_JobError(IBackgroundCopyCallback3 *This, IBackgroundCopyJob *pJob,
                                              IBackgroundCopyError *pError)
{
    rec_of(This)->last_slot = 4;
    rec_of(This)->args[0] = pJob;
    rec_of(This)->args[1] = pError;
    return (HRESULT)4;
}
static HRESULT STDMETHODCALLTYPE rec_JobModification(IBackgroundCopyCallback3 *This, IBackgroundCopyJob *pJob,
                                                     DWORD dwReserved)
{
    rec_of(This)->last_slot = 5;
    rec_of(This)->args[0] = pJob;
    rec_of(This)->dw = dwReserved;
    return (HRESULT)5;
}
static HRESULT STDMETHODCALLTYPE rec_FileTransferred(IBackgroundCopyCallback3 *This, IBackgroundCopyJob *pJob,
                                                     IBackgroundCopyFile *pFile)
{
    rec_of(This)->last_slot = 6;
    rec_of(This)->args[0] = pJob;
    rec_of(This)->args[1] = pFile;
    return (HRESULT)6;
}
static HRESULT STDMETHODCALLTYPE rec_FileRangesTransferred(IBackgroundCopyCallback3 *This, IBackgroundCopyJob *job,
                                                           IBackgroundCopyFile *file, DWORD rangeCount,
                                                           const BG_FILE_RANGE ranges[])
{
    rec_of(This)->last_slot = 7;
    rec_of(This)->args[0] = job;
    rec_of(This)->args[1] = file;
    rec_of(This)->args[2] = ranges;
    rec_of(This)->dw = rangeCount;
    return (HRESULT)7;
}

/* Designated initialisers: a member name the header lacks fails to compile. */
static const IBackgroundCopyCallback3Vtbl rec_vtbl = {
    .QueryInterface = rec_QueryInterface,
    .AddRef = rec_AddRef,
    .Release = rec_Release,
    .JobTransferred = rec_JobTransferred,
    .JobError = rec_JobError,
    .JobModification = rec_JobModification,
    .FileTransferred = rec_FileTransferred,
    .FileRangesTransferred = rec_FileRangesTransferred,
};

static void test_macros(void)
{
    recorder r = {.iface.lpVtbl = &rec_vtbl, .ref = 1, .last_slot = -1};
    IBackgroundCopyCallback3 *cb = &r.iface;
    IBackgroundCopyJob *job = (IBackgroundCopyJob *)(uintptr_t)0x1000;
    IBackgroundCopyError *err = (IBackgroundCopyError *)(uintptr_t)0x2000;
    IBackgroundCopyFile *file = (IBackgroundCopyFile *)(uintptr_t)0x3000;
    BG_FILE_RANGE ranges[2] = {{0, 10}, {100, BG_LENGTH_TO_EOF}};

    CHECK(IBackgroundCopyCallback3_AddRef(cb) == 2 && r.last_slot == 1);
    CHECK(IBackgroundCopyCallback3_Release(cb) == 1 && r.last_slot == 2);
    CHECK_EQ_HR(IBackgroundCopyCallback3_JobTransferred(cb, job), 3);
    CHECK(r.last_slot == 3 && r.args[0] == job);
    CHECK_EQ_HR(IBackgroundCopyCallback3_JobError(cb, job, err), 4);
    CHECK(r.last_slot == 4 && r.args[0] == job && r.args[1] == err);
    CHECK_EQ_HR(IBackgroundCopyCallback3_JobModification(cb, job, 77), 5);
    CHECK(r.last_slot == 5 && r.args[0] == job && r.dw == 77);
    CHECK_EQ_HR(IBackgroundCopyCallback3_FileTransferred(cb, job, file), 6);
    CHECK(r.last_slot == 6 && r.args[0] == job && r.args[1] == file);
    CHECK_EQ_HR(IBackgroundCopyCallback3_FileRangesTransferred(cb, job, file, 2, ranges), 7);
    CHECK(r.last_slot == 7 && r.args[2] == ranges && r.dw == 2);

    /* The same object through its base-interface macros: the engine calls a
     * Callback3 sink as IBackgroundCopyCallback / Callback2. */
    IBackgroundCopyCallback *base = NULL;
    CHECK_EQ_HR(IBackgroundCopyCallback3_QueryInterface(cb, &IID_IBackgroundCopyCallback, (void **)&base), S_OK);
    CHECK(r.last_slot == 0 && (void *)base == (void *)cb && r.ref == 2);
    CHECK_EQ_HR(IBackgroundCopyCallback_JobModification(base, job, 5), 5);
    CHECK(IBackgroundCopyCallback_Release(base) == 1);
    IBackgroundCopyCallback2 *two = NULL;
    CHECK_EQ_HR(IUnknown_QueryInterface((IUnknown *)cb, &IID_IBackgroundCopyCallback2, (void **)&two), S_OK);
    CHECK_EQ_HR(IBackgroundCopyCallback2_FileTransferred(two, job, file), 6);
    CHECK(IBackgroundCopyCallback2_Release(two) == 1);
    void *none = cb;
    CHECK_EQ_HR(IBackgroundCopyCallback3_QueryInterface(cb, &IID_IBackgroundCopyJob, &none), E_NOINTERFACE);
    CHECK(none == NULL);
}

static void test_helpers(void)
{
    CHECK(SUCCEEDED(S_OK) && SUCCEEDED(S_FALSE) && SUCCEEDED(BG_S_PARTIAL_COMPLETE));
    CHECK(FAILED(E_FAIL) && FAILED(BG_E_NOT_FOUND) && !FAILED(BG_S_UNABLE_TO_DELETE_FILES));
    CHECK(HRESULT_FACILITY(BG_E_NOT_FOUND) == FACILITY_BACKGROUNDCOPY);
    CHECK(HRESULT_FACILITY(BG_E_HTTP_ERROR_404) == FACILITY_HTTP && HRESULT_CODE(BG_E_HTTP_ERROR_404) == 404);
    CHECK(HRESULT_FACILITY(E_ACCESSDENIED) == FACILITY_WIN32 && HRESULT_CODE(E_ACCESSDENIED) == ERROR_ACCESS_DENIED);
    CHECK(HRESULT_SEVERITY(E_FAIL) == SEVERITY_ERROR && HRESULT_SEVERITY(S_FALSE) == SEVERITY_SUCCESS);
    /* The seed's comparison: an HRESULT variable against a bitsmsg constant. */
    HRESULT code = (HRESULT)0x80200013;
    CHECK(BG_E_INSUFFICIENT_RANGE_SUPPORT == code);

    CHECK(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US) == 0x0409);
#ifdef _WIN32 /* the system's: the user's locale, whatever it is */
    CHECK(LANGIDFROMLCID(GetThreadLocale()) != 0);
#else /* bgcopy's: its texts are English */
    CHECK(LANGIDFROMLCID(GetThreadLocale()) == 0x0409);
#endif
    CHECK(PRIMARYLANGID(0x0409) == LANG_ENGLISH && SUBLANGID(0x0409) == SUBLANG_ENGLISH_US);
    CHECK(LANG_USER_DEFAULT == 0x0400 && LANG_SYSTEM_DEFAULT == 0x0800);

    LONG volatile v = 5;
    CHECK(InterlockedIncrement(&v) == 6 && v == 6);
    CHECK(InterlockedDecrement(&v) == 5 && v == 5);
    CHECK(InterlockedExchange(&v, 9) == 5 && v == 9);
    CHECK(InterlockedExchangeAdd(&v, 3) == 9 && v == 12);
    CHECK(InterlockedCompareExchange(&v, 1, 0) == 12 && v == 12); /* no match: unchanged */
    CHECK(InterlockedCompareExchange(&v, 1, 12) == 12 && v == 1);
    v = -1;
    CHECK(InterlockedIncrement(&v) == 0);
    int target;
    PVOID volatile p = NULL;
    CHECK(InterlockedCompareExchangePointer(&p, &target, NULL) == NULL && p == &target);
    CHECK(InterlockedExchangePointer(&p, NULL) == &target && p == NULL);

    BITS_JOB_PROPERTY_VALUE pv;
    pv.ClsID = CLSID_BackgroundCopyManager;
    CHECK(IsEqualGUID(&pv.ClsID, &CLSID_BackgroundCopyManager));
    pv.Uint64 = UINT64_MAX;
    CHECK(pv.Uint64 == UINT64_MAX);
    WCHAR text[] = L"wide";
    LPWSTR s = text;
    CHECK(wcslen(s) == 4 && sizeof(text[0]) == sizeof(wchar_t));
}

int main(void)
{
    test_guids();
    test_macros();
    test_helpers();
    printf("headers_c: ok\n");
    return 0;
}
