#!/usr/bin/env python3
"""Generate bgcopy's Windows-named BITS headers from one table.

Usage: gen_bits_headers.py REPO_ROOT SPEC_MD
  REPO_ROOT  the bgcopy checkout (writes compat/include/bits*.h,
             compat/include/bitsmsg.h and compat/src/guids.c)
  SPEC_MD    BITS-CONTRACT.md (bitsmsg.h codes are read from its §7.1 table)

Every interface gets the MIDL header shape: the IID declaration, a C++
abstract struct (MIDL_INTERFACE) with BGCOPY_UUID_DECL for __uuidof, a C
Vtbl struct repeating all inherited slots, and one IFace_Method(This, ...)
macro per slot.  Slot orders, parameter types and GUIDs follow the spec
§2/§3/§5; tests/compat/headers_c.c re-checks them against the spec.
Hand edits to the outputs are lost on the next run: edit the table.
"""
import sys

ROOT = sys.argv[1]
SPEC = sys.argv[2]
OUT = f'{ROOT}/compat/include'

def P(s):
    """'TYPE name, TYPE name' -> [(type, name)]"""
    s = s.strip()
    if not s:
        return []
    res = []
    for part in s.split(','):
        part = part.strip()
        # name is the last identifier (possibly with [] suffix)
        i = len(part)
        while i > 0 and (part[i - 1].isalnum() or part[i - 1] in '_[]'):
            i -= 1
        res.append((part[:i].strip(), part[i:]))
    return res

IUNKNOWN = [
    ('QueryInterface', 'REFIID riid, void **ppvObject', None, 'HRESULT'),
    ('AddRef', '', None, 'ULONG'),
    ('Release', '', None, 'ULONG'),
]

IFACES = {}
ORDER = []

def iface(name, base, iid, header, doc, methods):
    IFACES[name] = dict(name=name, base=base, iid=iid, header=header, doc=doc,
                        methods=[(m[0], m[1], m[2], 'HRESULT') for m in methods])
    ORDER.append(name)

def all_methods(name):
    if name == 'IUnknown':
        return list(IUNKNOWN)
    i = IFACES[name]
    return all_methods(i['base']) + i['methods']

def guid_nums(g):
    a, b, c, d, e = g.split('-')
    bs = d + e
    return ['0x' + a, '0x' + b, '0x' + c] + ['0x' + bs[k:k + 2] for k in range(0, 16, 2)]

# ---------------------------------------------------------------- bits.h
iface('IBackgroundCopyFile', 'IUnknown', '01b7bd23-fb88-4a77-8490-5891d3e4653a', 'bits.h',
      'One file of a job (BITS 1.0).  Strings returned are CoTaskMemAlloc\'ed; the caller frees them with CoTaskMemFree.',
      [('GetRemoteName', 'LPWSTR *pVal', 'remote URL (the final URL after a reported redirect)'),
       ('GetLocalName', 'LPWSTR *pVal', 'local destination path'),
       ('GetProgress', 'BG_FILE_PROGRESS *pVal', 'bytes total (BG_SIZE_UNKNOWN until known) / transferred, Completed'),
       ])
iface('IEnumBackgroundCopyFiles', 'IUnknown', 'ca51e165-c365-424c-8d41-24aaa4ff3c40', 'bits.h',
      'Enumerator over the files of a job (BITS 1.0).',
      [('Next', 'ULONG celt, IBackgroundCopyFile **rgelt, ULONG *pceltFetched', 'S_OK when celt returned, S_FALSE when fewer; pceltFetched may be NULL only for celt == 1; elements are AddRef\'ed'),
       ('Skip', 'ULONG celt', 'S_OK, or S_FALSE when fewer remained'),
       ('Reset', '', 'back to the first element'),
       ('Clone', 'IEnumBackgroundCopyFiles **ppenum', 'copy at the same position'),
       ('GetCount', 'ULONG *puCount', 'number of elements'),
       ])
iface('IBackgroundCopyError', 'IUnknown', '19c613a0-fcb8-4f28-81ae-897c3d078f81', 'bits.h',
      'The error a job is in (BITS 1.0), from IBackgroundCopyJob::GetError or IBackgroundCopyCallback::JobError.',
      [('GetError', 'BG_ERROR_CONTEXT *pContext, HRESULT *pCode', 'where it happened and the HRESULT'),
       ('GetFile', 'IBackgroundCopyFile **pVal', 'the failing file; BG_E_FILE_NOT_AVAILABLE when the error is not tied to one'),
       ('GetErrorDescription', 'DWORD LanguageId, LPWSTR *pErrorDescription', 'text of the code; HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND) for a language without texts'),
       ('GetErrorContextDescription', 'DWORD LanguageId, LPWSTR *pContextDescription', 'text of the context'),
       ('GetProtocol', 'LPWSTR *pProtocol', '"http" or "file"; BG_E_PROTOCOL_NOT_AVAILABLE'),
       ])
iface('IBackgroundCopyJob', 'IUnknown', '37668d37-507e-4160-9316-26306d150b12', 'bits.h',
      'A transfer job (BITS 1.0).  New jobs are SUSPENDED; almost every mutator returns BG_E_INVALID_STATE once the job is CANCELLED or ACKNOWLEDGED.',
      [('AddFileSet', 'ULONG cFileCount, BG_FILE_INFO *pFileSet', 'add files (all or none); BG_E_TOO_MANY_FILES, E_INVALIDARG, E_ACCESSDENIED'),
       ('AddFile', 'LPCWSTR RemoteUrl, LPCWSTR LocalName', 'add one file; same errors as AddFileSet'),
       ('EnumFiles', 'IEnumBackgroundCopyFiles **pEnum', 'enumerate the files'),
       ('Suspend', '', 'SUSPENDED'),
       ('Resume', '', 'QUEUED; BG_E_EMPTY when the job has no files'),
       ('Cancel', '', 'CANCELLED, temporary files deleted; BG_S_UNABLE_TO_DELETE_FILES'),
       ('Complete', '', 'ACKNOWLEDGED, finished files renamed into place; BG_S_PARTIAL_COMPLETE'),
       ('GetId', 'GUID *pVal', 'job id'),
       ('GetType', 'BG_JOB_TYPE *pVal', 'download / upload / upload-reply'),
       ('GetProgress', 'BG_JOB_PROGRESS *pVal', 'job progress'),
       ('GetTimes', 'BG_JOB_TIMES *pVal', 'creation / modification / transfer-completion times'),
       ('GetState', 'BG_JOB_STATE *pVal', 'current state'),
       ('GetError', 'IBackgroundCopyError **ppError', 'current error; BG_E_ERROR_INFORMATION_UNAVAILABLE when none'),
       ('GetOwner', 'LPWSTR *pVal', 'owner SID string'),
       ('SetDisplayName', 'LPCWSTR Val', 'at most 256 characters'),
       ('GetDisplayName', 'LPWSTR *pVal', 'display name'),
       ('SetDescription', 'LPCWSTR Val', 'at most 1024 characters'),
       ('GetDescription', 'LPWSTR *pVal', 'description'),
       ('SetPriority', 'BG_JOB_PRIORITY Val', 'E_NOTIMPL for a value outside BG_JOB_PRIORITY'),
       ('GetPriority', 'BG_JOB_PRIORITY *pVal', 'priority (default NORMAL)'),
       ('SetNotifyFlags', 'ULONG Val', 'BG_NOTIFY_* mask; E_NOTIMPL for unknown bits'),
       ('GetNotifyFlags', 'ULONG *pVal', 'BG_NOTIFY_* mask (default 0x3)'),
       ('SetNotifyInterface', 'IUnknown *Val', 'callback object (QueryInterface\'d for IBackgroundCopyCallback/2/3); NULL clears'),
       ('GetNotifyInterface', 'IUnknown **pVal', 'registered callback (AddRef\'ed) or NULL'),
       ('SetMinimumRetryDelay', 'ULONG Seconds', 'seconds; values below 5 become 5'),
       ('GetMinimumRetryDelay', 'ULONG *Seconds', 'seconds (default 600)'),
       ('SetNoProgressTimeout', 'ULONG Seconds', 'seconds; 0 makes every error fatal'),
       ('GetNoProgressTimeout', 'ULONG *Seconds', 'seconds (default 1209600)'),
       ('GetErrorCount', 'ULONG *Errors', 'number of errors so far'),
       ('SetProxySettings', 'BG_JOB_PROXY_USAGE ProxyUsage, LPCWSTR ProxyList, LPCWSTR ProxyBypassList', 'lists only with BG_JOB_PROXY_USAGE_OVERRIDE'),
       ('GetProxySettings', 'BG_JOB_PROXY_USAGE *pProxyUsage, LPWSTR *pProxyList, LPWSTR *pProxyBypassList', 'proxy usage and lists'),
       ('TakeOwnership', '', 'make the caller the owner (administrators)'),
       ])
iface('IEnumBackgroundCopyJobs', 'IUnknown', '1af4f612-3b71-466f-8f58-7b6f73ac57ad', 'bits.h',
      'Enumerator over a snapshot of the caller\'s jobs (BITS 1.0).',
      [('Next', 'ULONG celt, IBackgroundCopyJob **rgelt, ULONG *pceltFetched', 'S_OK when celt returned, S_FALSE when fewer; pceltFetched may be NULL only for celt == 1; elements are AddRef\'ed'),
       ('Skip', 'ULONG celt', 'S_OK, or S_FALSE when fewer remained'),
       ('Reset', '', 'back to the first element'),
       ('Clone', 'IEnumBackgroundCopyJobs **ppenum', 'copy at the same position'),
       ('GetCount', 'ULONG *puCount', 'number of elements'),
       ])
iface('IBackgroundCopyCallback', 'IUnknown', '97ea99c7-0186-4ad4-8df9-c5b4e0ed6b22', 'bits.h',
      'Implemented by the client, called by BITS (BITS 1.0).  The pJob / pError arguments must not be Released by the callee.  A return other than S_OK from JobTransferred / JobError makes BITS call again later.',
      [('JobTransferred', 'IBackgroundCopyJob *pJob', 'every file transferred (BG_NOTIFY_JOB_TRANSFERRED)'),
       ('JobError', 'IBackgroundCopyJob *pJob, IBackgroundCopyError *pError', 'job entered ERROR (BG_NOTIFY_JOB_ERROR); never for TRANSIENT_ERROR'),
       ('JobModification', 'IBackgroundCopyJob *pJob, DWORD dwReserved', 'progress / property / state change (BG_NOTIFY_JOB_MODIFICATION); best effort'),
       ])
iface('IBackgroundCopyManager', 'IUnknown', '5ce34c0d-0dc9-4c1f-897c-daa1b78cee7c', 'bits.h',
      'The BITS manager (BITS 1.0): create, find and list jobs.  Created with CoCreateInstance(CLSID_BackgroundCopyManager, ...).',
      [('CreateJob', 'LPCWSTR DisplayName, BG_JOB_TYPE Type, GUID *pJobId, IBackgroundCopyJob **ppJob', 'new SUSPENDED job; E_INVALIDARG, BG_E_TOO_MANY_JOBS_PER_USER / _PER_MACHINE'),
       ('GetJob', 'REFGUID jobID, IBackgroundCopyJob **ppJob', 'job by id; BG_E_NOT_FOUND'),
       ('EnumJobs', 'DWORD dwFlags, IEnumBackgroundCopyJobs **ppEnum', 'the caller\'s jobs (BG_JOB_ENUM_ALL_USERS: everybody\'s)'),
       ('GetErrorDescription', 'HRESULT hResult, DWORD LanguageId, LPWSTR *pErrorDescription', 'text of any HRESULT'),
       ])

# ---------------------------------------------------------------- bits1_5.h
iface('IBackgroundCopyJob2', 'IBackgroundCopyJob', '54b50739-686f-45eb-9dff-d6a9a0faa9af', 'bits1_5.h',
      'BITS 1.5 job additions: command-line notification, upload-reply, credentials.',
      [('SetNotifyCmdLine', 'LPCWSTR Program, LPCWSTR Parameters', 'program run on TRANSFERRED / ERROR; both NULL removes; BG_E_STRING_TOO_LONG'),
       ('GetNotifyCmdLine', 'LPWSTR *pProgram, LPWSTR *pParameters', 'the command line'),
       ('GetReplyProgress', 'BG_JOB_REPLY_PROGRESS *pProgress', 'reply progress; E_NOTIMPL for non upload-reply jobs'),
       ('GetReplyData', 'byte **ppBuffer, UINT64 *pLength', 'reply bytes (CoTaskMemAlloc\'ed); BG_E_TOO_LARGE above 1 MB'),
       ('SetReplyFileName', 'LPCWSTR ReplyFileName', 'where the reply goes'),
       ('GetReplyFileName', 'LPWSTR *pReplyFileName', 'reply file name'),
       ('SetCredentials', 'BG_AUTH_CREDENTIALS *credentials', 'add/replace credentials for (target, scheme)'),
       ('RemoveCredentials', 'BG_AUTH_TARGET Target, BG_AUTH_SCHEME Scheme', 'S_FALSE when there were none'),
       ])

# ---------------------------------------------------------------- bits2_0.h
iface('IBackgroundCopyJob3', 'IBackgroundCopyJob2', '443c8934-90ff-48ed-bcde-26f5c7450042', 'bits2_0.h',
      'BITS 2.0 job additions: remote prefix replacement, ranges, ACL flags.',
      [('ReplaceRemotePrefix', 'LPCWSTR OldPrefix, LPCWSTR NewPrefix', 'S_FALSE when no remote name starts with OldPrefix'),
       ('AddFileWithRanges', 'LPCWSTR RemoteUrl, LPCWSTR LocalName, DWORD RangeCount, BG_FILE_RANGE Ranges[]', 'download only the ranges, back to back; BG_E_INVALID_RANGE, BG_E_OVERLAPPING_RANGES'),
       ('SetFileACLFlags', 'DWORD Flags', 'BG_COPY_FILE_* (SMB only)'),
       ('GetFileACLFlags', 'DWORD *Flags', 'BG_COPY_FILE_* flags'),
       ])
iface('IBackgroundCopyFile2', 'IBackgroundCopyFile', '83e81b93-0873-474d-8a8c-f2018b1a939c', 'bits2_0.h',
      'BITS 2.0 file additions.',
      [('GetFileRanges', 'DWORD *RangeCount, BG_FILE_RANGE **Ranges', 'ranges (CoTaskMemAlloc\'ed); S_FALSE when none'),
       ('SetRemoteName', 'LPCWSTR Val', 'new remote URL'),
       ])

# ---------------------------------------------------------------- bits2_5.h
iface('IBackgroundCopyJobHttpOptions', 'IUnknown', 'f1bd1079-9f01-4bdc-8036-f09b70095066', 'bits2_5.h',
      'BITS 2.5 HTTP options of a job (QueryInterface on the job).',
      [('SetClientCertificateByID', 'BG_CERT_STORE_LOCATION StoreLocation, LPCWSTR StoreName, BYTE *pCertHashBlob', 'client certificate by 20-byte SHA-1 hash'),
       ('SetClientCertificateByName', 'BG_CERT_STORE_LOCATION StoreLocation, LPCWSTR StoreName, LPCWSTR SubjectName', 'client certificate by subject'),
       ('RemoveClientCertificate', '', 'S_FALSE when none was set'),
       ('GetClientCertificate', 'BG_CERT_STORE_LOCATION *pStoreLocation, LPWSTR *pStoreName, BYTE **ppCertHashBlob, LPWSTR *pSubjectName', 'the client certificate; RPC_X_BAD_STUB_DATA when none'),
       ('SetCustomHeaders', 'LPCWSTR RequestHeaders', 'CR LF terminated headers sent on every request; NULL removes'),
       ('GetCustomHeaders', 'LPWSTR *pRequestHeaders', 'S_FALSE with *out NULL when none'),
       ('SetSecurityFlags', 'ULONG Flags', 'BG_SSL_* | BG_HTTP_REDIRECT_POLICY_*'),
       ('GetSecurityFlags', 'ULONG *pFlags', 'security flags (default 0)'),
       ])

# ---------------------------------------------------------------- bits3_0.h
iface('IBitsPeerCacheRecord', 'IUnknown', '659cdeaf-489e-11d9-a9cd-000d56965251', 'bits3_0.h',
      'A peer-cache record (BITS 3.0; peer caching was replaced by BranchCache in 4.0 - bgcopy does not implement it).',
      [('GetId', 'GUID *pVal', ''),
       ('GetOriginUrl', 'LPWSTR *pVal', ''),
       ('GetFileSize', 'UINT64 *pVal', ''),
       ('GetFileModificationTime', 'FILETIME *pVal', ''),
       ('GetLastAccessTime', 'FILETIME *pVal', ''),
       ('IsFileValidated', '', ''),
       ('GetFileRanges', 'DWORD *pRangeCount, BG_FILE_RANGE **ppRanges', ''),
       ])
iface('IEnumBitsPeerCacheRecords', 'IUnknown', '659cdea4-489e-11d9-a9cd-000d56965251', 'bits3_0.h',
      'Enumerator over peer-cache records (BITS 3.0).',
      [('Next', 'ULONG celt, IBitsPeerCacheRecord **rgelt, ULONG *pceltFetched', ''),
       ('Skip', 'ULONG celt', ''),
       ('Reset', '', ''),
       ('Clone', 'IEnumBitsPeerCacheRecords **ppenum', ''),
       ('GetCount', 'ULONG *puCount', ''),
       ])
iface('IBitsPeer', 'IUnknown', '659cdea2-489e-11d9-a9cd-000d56965251', 'bits3_0.h',
      'A peer (BITS 3.0).',
      [('GetPeerName', 'LPWSTR *pName', ''),
       ('IsAuthenticated', 'BOOL *pAuth', ''),
       ('IsAvailable', 'BOOL *pOnline', ''),
       ])
iface('IEnumBitsPeers', 'IUnknown', '659cdea5-489e-11d9-a9cd-000d56965251', 'bits3_0.h',
      'Enumerator over peers (BITS 3.0).',
      [('Next', 'ULONG celt, IBitsPeer **rgelt, ULONG *pceltFetched', ''),
       ('Skip', 'ULONG celt', ''),
       ('Reset', '', ''),
       ('Clone', 'IEnumBitsPeers **ppenum', ''),
       ('GetCount', 'ULONG *puCount', ''),
       ])
iface('IBitsPeerCacheAdministration', 'IUnknown', '659cdead-489e-11d9-a9cd-000d56965251', 'bits3_0.h',
      'Peer-cache administration (BITS 3.0).',
      [('GetMaximumCacheSize', 'DWORD *pBytes', ''),
       ('SetMaximumCacheSize', 'DWORD Bytes', ''),
       ('GetMaximumContentAge', 'ULONG *pSeconds', ''),
       ('SetMaximumContentAge', 'ULONG Seconds', ''),
       ('GetConfigurationFlags', 'DWORD *pFlags', ''),
       ('SetConfigurationFlags', 'DWORD Flags', ''),
       ('EnumRecords', 'IEnumBitsPeerCacheRecords **ppEnum', ''),
       ('GetRecord', 'REFGUID id, IBitsPeerCacheRecord **ppRecord', ''),
       ('ClearRecords', '', ''),
       ('DeleteRecord', 'REFGUID id', ''),
       ('DeleteUrl', 'LPCWSTR url', ''),
       ('EnumPeers', 'IEnumBitsPeers **ppEnum', ''),
       ('ClearPeers', '', ''),
       ('DiscoverPeers', '', ''),
       ])
iface('IBackgroundCopyJob4', 'IBackgroundCopyJob3', '659cdeae-489e-11d9-a9cd-000d56965251', 'bits3_0.h',
      'BITS 3.0 job additions: peer caching, owner integrity, maximum download time.',
      [('SetPeerCachingFlags', 'DWORD Flags', 'BG_JOB_ENABLE_PEERCACHING_* / BG_JOB_DISABLE_BRANCH_CACHE'),
       ('GetPeerCachingFlags', 'DWORD *pFlags', ''),
       ('GetOwnerIntegrityLevel', 'ULONG *pLevel', 'mandatory integrity RID of the owner'),
       ('GetOwnerElevationState', 'BOOL *pElevated', 'TRUE when the owner token was elevated'),
       ('SetMaximumDownloadTime', 'ULONG Timeout', 'seconds in CONNECTING+TRANSFERRING before BG_E_MAXDOWNLOAD_TIMEOUT'),
       ('GetMaximumDownloadTime', 'ULONG *pTimeout', 'seconds (default 7776000)'),
       ])
iface('IBackgroundCopyFile3', 'IBackgroundCopyFile2', '659cdeaa-489e-11d9-a9cd-000d56965251', 'bits3_0.h',
      'BITS 3.0 file additions: temporary name, validation, peers.',
      [('GetTemporaryName', 'LPWSTR *pFilename', 'full path of the temporary file'),
       ('SetValidationState', 'BOOL state', 'accept (TRUE) or reject the downloaded content; E_PENDING before the file finished'),
       ('GetValidationState', 'BOOL *pState', ''),
       ('IsDownloadedFromPeer', 'BOOL *pVal', 'FALSE in bgcopy (no peers)'),
       ])
iface('IBackgroundCopyCallback2', 'IBackgroundCopyCallback', '659cdeac-489e-11d9-a9cd-000d56965251', 'bits3_0.h',
      'BITS 3.0 callback addition (implemented by the client).',
      [('FileTransferred', 'IBackgroundCopyJob *pJob, IBackgroundCopyFile *pFile', 'one file finished (BG_NOTIFY_FILE_TRANSFERRED); do not Release the arguments'),
       ])

# ---------------------------------------------------------------- bits4_0.h
iface('IBitsTokenOptions', 'IUnknown', '9a2584c3-f7d2-457a-9a5e-22b67bffc7d2', 'bits4_0.h',
      'BITS 4.0 helper tokens (QueryInterface on the job).',
      [('SetHelperTokenFlags', 'DWORD UsageFlags', 'BG_TOKEN_* mask'),
       ('GetHelperTokenFlags', 'DWORD *pFlags', ''),
       ('SetHelperToken', '', 'use the caller\'s impersonation token'),
       ('ClearHelperToken', '', ''),
       ('GetHelperTokenSid', 'LPWSTR *pSid', ''),
       ])
iface('IBackgroundCopyFile4', 'IBackgroundCopyFile3', 'ef7e0655-7888-4960-b0e5-730846e03492', 'bits4_0.h',
      'BITS 4.0 file addition.',
      [('GetPeerDownloadStats', 'UINT64 *pFromOrigin, UINT64 *pFromPeers', 'bytes from the origin server / from peers'),
       ])

# ---------------------------------------------------------------- bits5_0.h
iface('IBackgroundCopyJob5', 'IBackgroundCopyJob4', 'e847030c-bbba-4657-af6d-484aa42bf1fe', 'bits5_0.h',
      'BITS 5.0 job properties.',
      [('SetProperty', 'BITS_JOB_PROPERTY_ID PropertyId, BITS_JOB_PROPERTY_VALUE PropertyValue', 'set a BITS_JOB_PROPERTY_ID (value passed by value); BG_E_UNKNOWN_PROPERTY_ID, BG_E_READ_ONLY_PROPERTY...'),
       ('GetProperty', 'BITS_JOB_PROPERTY_ID PropertyId, BITS_JOB_PROPERTY_VALUE *PropertyValue', 'read a property'),
       ])
iface('IBackgroundCopyFile5', 'IBackgroundCopyFile4', '85c1657f-dafc-40e8-8834-df18ea25717e', 'bits5_0.h',
      'BITS 5.0 file properties.',
      [('SetProperty', 'BITS_FILE_PROPERTY_ID PropertyId, BITS_FILE_PROPERTY_VALUE PropertyValue', 'set a file property (the only one defined is read-only)'),
       ('GetProperty', 'BITS_FILE_PROPERTY_ID PropertyId, BITS_FILE_PROPERTY_VALUE *PropertyValue', 'e.g. the raw HTTP response headers (CoTaskMemFree the String)'),
       ])

# ---------------------------------------------------------------- bits10_1.h
iface('IBackgroundCopyFile6', 'IBackgroundCopyFile5', 'cf6784f7-d677-49fd-9368-cb47aee9d1ad', 'bits10_1.h',
      'BITS 10.1 on-demand (random access) file download.',
      [('UpdateDownloadPosition', 'UINT64 offset', 'fill missing data from this offset on; BG_E_RANDOM_ACCESS_NOT_SUPPORTED'),
       ('RequestFileRanges', 'DWORD rangeCount, const BG_FILE_RANGE ranges[]', 'fetch these ranges first; BG_E_INVALID_RANGE'),
       ('GetFilledFileRanges', 'DWORD *rangeCount, BG_FILE_RANGE **ranges', 'downloaded ranges, coalesced and sorted (CoTaskMemAlloc\'ed)'),
       ])
iface('IBackgroundCopyCallback3', 'IBackgroundCopyCallback2', '98c97bd2-e32b-4ad8-a528-95fd8b16bd42', 'bits10_1.h',
      'BITS 10.1 callback addition (implemented by the client).',
      [('FileRangesTransferred', 'IBackgroundCopyJob *job, IBackgroundCopyFile *file, DWORD rangeCount, const BG_FILE_RANGE ranges[]', 'ranges finished since the last call (BG_NOTIFY_FILE_RANGES_TRANSFERRED); ranges is owned by BITS'),
       ])

# ---------------------------------------------------------------- bits10_2.h
iface('IBackgroundCopyJobHttpOptions2', 'IBackgroundCopyJobHttpOptions', 'b591a192-a405-4fc3-8323-4c5c542578fc', 'bits10_2.h',
      'BITS 10.2 HTTP options: a custom HTTP method (QueryInterface on the job).',
      [('SetHttpMethod', 'LPCWSTR method', 'replace the default verb; only before the first Resume; forces FOREGROUND'),
       ('GetHttpMethod', 'LPWSTR *method', 'the verb (CoTaskMemAlloc\'ed)'),
       ])

# ---------------------------------------------------------------- bits10_3.h
iface('IBackgroundCopyServerCertificateValidationCallback', 'IUnknown', '4cec0d02-def7-4158-813a-c32a46945ff7', 'bits10_3.h',
      'BITS 10.3 server certificate check, implemented by the client.  S_OK accepts the certificate, any other HRESULT rejects it.',
      [('ValidateServerCertificate', 'IBackgroundCopyJob *job, IBackgroundCopyFile *file, DWORD certLength, const BYTE certData[], DWORD certEncodingType, DWORD certStoreLength, const BYTE certStoreData[]', 'called after the OS validation passed, before the request is sent'),
       ])
iface('IBackgroundCopyJobHttpOptions3', 'IBackgroundCopyJobHttpOptions2', '8a9263d3-fd4c-4eda-9b28-30132a4d4e3c', 'bits10_3.h',
      'BITS 10.3 HTTP options: certificate-validation callback, write-only custom headers.',
      [('SetServerCertificateValidationInterface', 'IUnknown *certValidationCallback', 'NULL clears; BG_E_READ_ONLY_WHEN_JOB_ACTIVE unless the job is paused'),
       ('MakeCustomHeadersWriteOnly', '', 'irreversible; always S_OK'),
       ])

# ---------------------------------------------------------------- qmgr.h
# BITS 1.0 Queue Manager (spec §4).  Not part of the bits*.h chain: qmgr.h
# stands alone, as in the SDK.  GUID parameters are BY VALUE where spec §4.2
# says so.
iface('IBackgroundCopyJob1', 'IUnknown', '59f5553c-2031-4629-bb18-2645a6970947', 'qmgr.h',
      'The one job of a BITS 1.0 group (a file list).',
      [('CancelJob', '', 'documented as not implemented: E_NOTIMPL'),
       ('GetProgress', 'DWORD dwFlags, DWORD *pdwProgress', 'QM_PROGRESS_PERCENT_DONE or QM_PROGRESS_SIZE_DONE; E_NOTIMPL for QM_PROGRESS_TIME_DONE'),
       ('GetStatus', 'DWORD *pdwStatus, DWORD *pdwWin32Result, DWORD *pdwTransportResult, DWORD *pdwNumOfRetries', 'QM_STATUS_JOB_* bits; the other three are meaningful with QM_STATUS_JOB_ERROR'),
       ('AddFiles', 'ULONG cFileCount, FILESETINFO **ppFileSet', 'array of cFileCount pointers to FILESETINFO (MIDL shape)'),
       ('GetFile', 'ULONG cFileIndex, FILESETINFO *pFileInfo', 'BSTRs returned belong to the caller (SysFreeString); QM_E_ITEM_NOT_FOUND past the end'),
       ('GetFileCount', 'DWORD *pdwFileCount', 'number of files'),
       ('SwitchToForeground', '', 'documented as not implemented: E_NOTIMPL'),
       ('get_JobID', 'GUID *pguidJobID', 'the caller-chosen job GUID'),
       ])
iface('IEnumBackgroundCopyJobs1', 'IUnknown', '8baeba9d-8f1c-42c4-b82c-09ae79980d25', 'qmgr.h',
      'Enumerator over the job GUIDs of a group (at most one).',
      [('Next', 'ULONG celt, GUID *rgelt, ULONG *pceltFetched', 'copies up to celt GUIDs; S_FALSE when fewer'),
       ('Skip', 'ULONG celt', 'S_OK, or S_FALSE when fewer remained'),
       ('Reset', '', 'back to the first element'),
       ('Clone', 'IEnumBackgroundCopyJobs1 **ppenum', 'copy at the same position'),
       ('GetCount', 'ULONG *puCount', 'number of elements'),
       ])
iface('IBackgroundCopyGroup', 'IUnknown', '1ded80a7-53ea-424f-8a04-17fea9adc4f5', 'qmgr.h',
      'A BITS 1.0 group: state, properties and notifications of one job.',
      [('GetProp', 'GROUPPROP propID, VARIANT *pvarVal', 'E_NOTIMPL for unsupported properties'),
       ('SetProp', 'GROUPPROP propID, VARIANT *pvarVal', 'E_INVALIDARG for a VARIANT of the wrong type'),
       ('GetProgress', 'DWORD dwFlags, DWORD *pdwProgress', 'QM_PROGRESS_PERCENT_DONE or QM_PROGRESS_SIZE_DONE; E_NOTIMPL for QM_PROGRESS_TIME_DONE'),
       ('GetStatus', 'DWORD *pdwStatus, DWORD *pdwJobIndex', 'QM_STATUS_GROUP_* bits; job index always 0'),
       ('GetJob', 'GUID jobID, IBackgroundCopyJob1 **ppJob', 'QM_E_ITEM_NOT_FOUND'),
       ('SuspendGroup', '', 'S_OK'),
       ('ResumeGroup', '', 'S_OK'),
       ('CancelGroup', '', 'removes the group; files already finished stay'),
       ('get_Size', 'DWORD *pdwSize', 'total bytes or 0 when unknown'),
       ('get_GroupID', 'GUID *pguidGroupID', 'the caller-chosen group GUID'),
       ('CreateJob', 'GUID guidJobID, IBackgroundCopyJob1 **ppJob', 'E_NOTIMPL when the group has its job; QM_E_INVALID_STATE while running'),
       ('EnumJobs', 'DWORD dwFlags, IEnumBackgroundCopyJobs1 **ppEnumJobs', 'dwFlags must be 0 (else E_NOTIMPL)'),
       ('SwitchToForeground', '', 'download in the foreground'),
       ('QueryNewJobInterface', 'REFIID iid, IUnknown **pUnk', 'internal use only; bgcopy: the modern IBackgroundCopyJob behind the group'),
       ('SetNotificationPointer', 'REFIID iid, IUnknown *pUnk', 'internal use only; bgcopy: registers an IBackgroundCopyCallback1 directly'),
       ])
iface('IEnumBackgroundCopyGroups', 'IUnknown', 'd993e603-4aa4-47c5-8665-c20d39c2ba4f', 'qmgr.h',
      'Enumerator over the GUIDs of the caller\'s groups.',
      [('Next', 'ULONG celt, GUID *rgelt, ULONG *pceltFetched', 'copies up to celt GUIDs; S_FALSE when fewer'),
       ('Skip', 'ULONG celt', 'S_OK, or S_FALSE when fewer remained'),
       ('Reset', '', 'back to the first element'),
       ('Clone', 'IEnumBackgroundCopyGroups **ppenum', 'copy at the same position'),
       ('GetCount', 'ULONG *puCount', 'number of elements'),
       ])
iface('IBackgroundCopyCallback1', 'IUnknown', '084f6593-3800-4e08-9b59-99fa59addf82', 'qmgr.h',
      'Implemented by the client; created by the queue manager from GROUPPROP_NOTIFYCLSID.',
      [('OnStatus', 'IBackgroundCopyGroup *pGroup, IBackgroundCopyJob1 *pJob, DWORD dwFileIndex, DWORD dwStatus, DWORD dwNumOfRetries, DWORD dwWin32Result, DWORD dwTransportResult', 'group complete or error; anything but S_OK is retried later'),
       ('OnProgress', 'DWORD ProgressType, IBackgroundCopyGroup *pGroup, IBackgroundCopyJob1 *pJob, DWORD dwFileIndex, DWORD dwProgressValue', 'never called by Windows; bgcopy only on opt-in'),
       ('OnProgressEx', 'DWORD ProgressType, IBackgroundCopyGroup *pGroup, IBackgroundCopyJob1 *pJob, DWORD dwFileIndex, DWORD dwProgressValue, DWORD dwByteArraySize, BYTE *pByte', 'never called by Windows; bgcopy only on opt-in with QM_NOTIFY_USE_PROGRESSEX'),
       ])
iface('IBackgroundCopyQMgr', 'IUnknown', '16f41c69-09f5-41d2-8cd8-3c08c47bc8a8', 'qmgr.h',
      'The BITS 1.0 queue manager (CLSID_BackgroundCopyQMgr).',
      [('CreateGroup', 'GUID guidGroupID, IBackgroundCopyGroup **ppGroup', 'E_INVALIDARG when a group with that GUID exists'),
       ('GetGroup', 'GUID groupID, IBackgroundCopyGroup **ppGroup', 'QM_E_ITEM_NOT_FOUND'),
       ('EnumGroups', 'DWORD dwFlags, IEnumBackgroundCopyGroups **ppEnumGroups', 'dwFlags must be 0 (else E_NOTIMPL)'),
       ])

COCLASSES = {
    'bits.h': [('BackgroundCopyManager', '4991d34b-80a1-4291-83b6-3328366b9097', '1.0')],
    'bits1_5.h': [('BackgroundCopyManager1_5', 'f087771f-d74f-4c1a-bb8a-e16aca9124ea', '1.5')],
    'bits2_0.h': [('BackgroundCopyManager2_0', '6d18ad12-bde3-4393-b311-099c346e6df9', '2.0')],
    'bits2_5.h': [('BackgroundCopyManager2_5', '03ca98d6-ff5d-49b8-abc6-03dd84127020', '2.5')],
    'bits3_0.h': [('BackgroundCopyManager3_0', '659cdea7-489e-11d9-a9cd-000d56965251', '3.0')],
    'bits4_0.h': [('BackgroundCopyManager4_0', 'bb6df56b-cace-11dc-9992-0019b93a3a84', '4.0')],
    'bits5_0.h': [('BackgroundCopyManager5_0', '1ecca34c-e88a-44e3-8d6a-8921bde9e452', '5.0')],
    'bits10_1.h': [('BackgroundCopyManager10_1', '4bd3e4e1-7bd4-4a2b-9964-496400de5193', '10.1')],
    'bits10_2.h': [('BackgroundCopyManager10_2', '4575438f-a6c8-4976-b0fe-2f26b80d959e', '10.2')],
    'bits10_3.h': [('BackgroundCopyManager10_3', '5fd42ad5-c04e-4d36-adc7-e08ff15737ad', '10.3')],
}

HEADERS = ['bits.h', 'bits1_5.h', 'bits2_0.h', 'bits2_5.h', 'bits3_0.h', 'bits4_0.h', 'bits5_0.h', 'bits10_1.h',
           'bits10_2.h', 'bits10_3.h']
PREV = {h: (HEADERS[i - 1] if i else None) for i, h in enumerate(HEADERS)}
# Each header ends by including the next one, as the Windows SDK's do (bits.h
# -> bits1_5.h -> ... -> bits10_3.h; see docs/windows-programs.md), so a
# program that includes only <bits.h> sees every interface.
NEXT = {h: (HEADERS[i + 1] if i + 1 < len(HEADERS) else None) for i, h in enumerate(HEADERS)}
VERSION = {'bits.h': '1.0', 'bits1_5.h': '1.5', 'bits2_0.h': '2.0', 'bits2_5.h': '2.5', 'bits3_0.h': '3.0',
           'bits4_0.h': '4.0', 'bits5_0.h': '5.0', 'bits10_1.h': '10.1', 'bits10_2.h': '10.2', 'bits10_3.h': '10.3'}

TYPES = {}
TYPES['bits.h'] = r'''
/* ---- constants ---- */

/* BG_FILE_PROGRESS / BG_JOB_PROGRESS BytesTotal while the size is not known. */
#define BG_SIZE_UNKNOWN ((UINT64)(-1))

/* IBackgroundCopyJob::SetNotifyFlags bits.  Default 0x3 (TRANSFERRED|ERROR);
 * DISABLE overrides every other bit. */
#define BG_NOTIFY_JOB_TRANSFERRED 0x0001
#define BG_NOTIFY_JOB_ERROR 0x0002
#define BG_NOTIFY_DISABLE 0x0004
#define BG_NOTIFY_JOB_MODIFICATION 0x0008
#define BG_NOTIFY_FILE_TRANSFERRED 0x0010        /* BITS 3.0, IBackgroundCopyCallback2 */
#define BG_NOTIFY_FILE_RANGES_TRANSFERRED 0x0020 /* BITS 10.1, IBackgroundCopyCallback3 */

/* IBackgroundCopyManager::EnumJobs flag: every user's jobs (administrators). */
#define BG_JOB_ENUM_ALL_USERS 0x0001

/* ---- structures (field order is ABI) ---- */

/* One remote -> local pair for IBackgroundCopyJob::AddFileSet. */
typedef struct _BG_FILE_INFO {
    LPWSTR RemoteName;
    LPWSTR LocalName;
} BG_FILE_INFO;

/* IBackgroundCopyFile::GetProgress.  24 bytes. */
typedef struct _BG_FILE_PROGRESS {
    UINT64 BytesTotal;       /* BG_SIZE_UNKNOWN until known */
    UINT64 BytesTransferred;
    BOOL Completed;          /* download: handed over by Complete; upload: uploaded */
} BG_FILE_PROGRESS;

/* ---- enumerations (32-bit) ---- */

typedef enum {
    BG_JOB_PRIORITY_FOREGROUND = 0,
    BG_JOB_PRIORITY_HIGH = 1,
    BG_JOB_PRIORITY_NORMAL = 2, /* default */
    BG_JOB_PRIORITY_LOW = 3
} BG_JOB_PRIORITY;

typedef enum {
    BG_JOB_STATE_QUEUED = 0,
    BG_JOB_STATE_CONNECTING = 1,
    BG_JOB_STATE_TRANSFERRING = 2,
    BG_JOB_STATE_SUSPENDED = 3, /* state of a new job */
    BG_JOB_STATE_ERROR = 4,
    BG_JOB_STATE_TRANSIENT_ERROR = 5,
    BG_JOB_STATE_TRANSFERRED = 6,
    BG_JOB_STATE_ACKNOWLEDGED = 7, /* final */
    BG_JOB_STATE_CANCELLED = 8     /* final */
} BG_JOB_STATE;

typedef enum {
    BG_JOB_TYPE_DOWNLOAD = 0,
    BG_JOB_TYPE_UPLOAD = 1,
    BG_JOB_TYPE_UPLOAD_REPLY = 2
} BG_JOB_TYPE;

typedef enum {
    BG_JOB_PROXY_USAGE_PRECONFIG = 0, /* default */
    BG_JOB_PROXY_USAGE_NO_PROXY = 1,
    BG_JOB_PROXY_USAGE_OVERRIDE = 2,
    BG_JOB_PROXY_USAGE_AUTODETECT = 3
} BG_JOB_PROXY_USAGE;

/* IBackgroundCopyJob::GetProgress.  24 bytes.  BytesTotal is BG_SIZE_UNKNOWN
 * while any file size is unknown. */
typedef struct _BG_JOB_PROGRESS {
    UINT64 BytesTotal;
    UINT64 BytesTransferred;
    ULONG FilesTotal;
    ULONG FilesTransferred;
} BG_JOB_PROGRESS;

/* IBackgroundCopyJob::GetTimes.  24 bytes; FILETIME 0 = not happened yet. */
typedef struct _BG_JOB_TIMES {
    FILETIME CreationTime;
    FILETIME ModificationTime;
    FILETIME TransferCompletionTime;
} BG_JOB_TIMES;

/* Where an error happened (IBackgroundCopyError::GetError). */
typedef enum {
    BG_ERROR_CONTEXT_NONE = 0,
    BG_ERROR_CONTEXT_UNKNOWN = 1,
    BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER = 2,
    BG_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION = 3,
    BG_ERROR_CONTEXT_LOCAL_FILE = 4,
    BG_ERROR_CONTEXT_REMOTE_FILE = 5,
    BG_ERROR_CONTEXT_GENERAL_TRANSPORT = 6,
    BG_ERROR_CONTEXT_REMOTE_APPLICATION = 7,         /* BITS 1.5 */
    BG_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK = 8 /* BITS 10.3 */
} BG_ERROR_CONTEXT;
'''
TYPES['bits1_5.h'] = r'''
/* IBackgroundCopyJob2::GetReplyProgress.  16 bytes. */
typedef struct _BG_JOB_REPLY_PROGRESS {
    UINT64 BytesTotal; /* BG_SIZE_UNKNOWN until the reply download starts */
    UINT64 BytesTransferred;
} BG_JOB_REPLY_PROGRESS;

typedef enum {
    BG_AUTH_TARGET_SERVER = 1,
    BG_AUTH_TARGET_PROXY = 2
} BG_AUTH_TARGET;

typedef enum {
    BG_AUTH_SCHEME_BASIC = 1,
    BG_AUTH_SCHEME_DIGEST = 2,
    BG_AUTH_SCHEME_NTLM = 3,
    BG_AUTH_SCHEME_NEGOTIATE = 4,
    BG_AUTH_SCHEME_PASSPORT = 5
} BG_AUTH_SCHEME;

/* User name and password, each at most 300 characters. */
typedef struct {
    LPWSTR UserName;
    LPWSTR Password;
} BG_BASIC_CREDENTIALS;
typedef BG_BASIC_CREDENTIALS *PBG_BASIC_CREDENTIALS;

typedef union {
    BG_BASIC_CREDENTIALS Basic; /* used by every scheme */
} BG_AUTH_CREDENTIALS_UNION;

/* IBackgroundCopyJob2::SetCredentials. */
typedef struct {
    BG_AUTH_TARGET Target;
    BG_AUTH_SCHEME Scheme;
    BG_AUTH_CREDENTIALS_UNION Credentials;
} BG_AUTH_CREDENTIALS;
typedef BG_AUTH_CREDENTIALS *PBG_AUTH_CREDENTIALS;
'''
TYPES['bits2_0.h'] = r'''
/* BG_FILE_RANGE.Length meaning "to the end of the file" (same bit pattern
 * as BG_SIZE_UNKNOWN). */
#define BG_LENGTH_TO_EOF ((UINT64)(-1))

/* IBackgroundCopyJob3::SetFileACLFlags (SMB transfers only). */
#define BG_COPY_FILE_OWNER 1
#define BG_COPY_FILE_GROUP 2
#define BG_COPY_FILE_DACL 4
#define BG_COPY_FILE_SACL 8
#define BG_COPY_FILE_ALL 15

/* One byte range of a remote file.  16 bytes. */
typedef struct _BG_FILE_RANGE {
    UINT64 InitialOffset;
    UINT64 Length; /* != 0; BG_LENGTH_TO_EOF allowed */
} BG_FILE_RANGE;
'''
TYPES['bits2_5.h'] = r'''
/* IBackgroundCopyJobHttpOptions::SetSecurityFlags bits. */
#define BG_SSL_ENABLE_CRL_CHECK 0x0001
#define BG_SSL_IGNORE_CERT_CN_INVALID 0x0002
#define BG_SSL_IGNORE_CERT_DATE_INVALID 0x0004
#define BG_SSL_IGNORE_UNKNOWN_CA 0x0008
#define BG_SSL_IGNORE_CERT_WRONG_USAGE 0x0010
/* Redirect policy: a 3-bit field (mask 0x0700) plus the HTTPS -> HTTP bit. */
#define BG_HTTP_REDIRECT_POLICY_MASK 0x0700
#define BG_HTTP_REDIRECT_POLICY_ALLOW_SILENT 0x0000 /* default */
#define BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT 0x0100
#define BG_HTTP_REDIRECT_POLICY_DISALLOW 0x0200
#define BG_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP 0x0800

typedef enum {
    BG_CERT_STORE_LOCATION_CURRENT_USER = 0,
    BG_CERT_STORE_LOCATION_LOCAL_MACHINE = 1,
    BG_CERT_STORE_LOCATION_CURRENT_SERVICE = 2,
    BG_CERT_STORE_LOCATION_SERVICES = 3,
    BG_CERT_STORE_LOCATION_USERS = 4,
    BG_CERT_STORE_LOCATION_CURRENT_USER_GROUP_POLICY = 5,
    BG_CERT_STORE_LOCATION_LOCAL_MACHINE_GROUP_POLICY = 6,
    BG_CERT_STORE_LOCATION_LOCAL_MACHINE_ENTERPRISE = 7
} BG_CERT_STORE_LOCATION;
'''
TYPES['bits3_0.h'] = r'''
/* IBackgroundCopyJob4::SetPeerCachingFlags (job level). */
#define BG_JOB_ENABLE_PEERCACHING_CLIENT 0x0001
#define BG_JOB_ENABLE_PEERCACHING_SERVER 0x0002
#define BG_JOB_DISABLE_BRANCH_CACHE 0x0004
/* IBitsPeerCacheAdministration::SetConfigurationFlags (machine level). */
#define BG_ENABLE_PEERCACHING_CLIENT 0x0001
#define BG_ENABLE_PEERCACHING_SERVER 0x0002
#define BG_DISABLE_BRANCH_CACHE 0x0004
'''
TYPES['bits4_0.h'] = r'''
/* IBitsTokenOptions::SetHelperTokenFlags bits. */
#define BG_TOKEN_LOCAL_FILE 0x0001
#define BG_TOKEN_NETWORK 0x0002
'''
TYPES['bits5_0.h'] = r'''
/* BITS_JOB_PROPERTY_ID_COST_FLAGS bits. */
#define BITS_COST_STATE_UNRESTRICTED 0x00000001
#define BITS_COST_STATE_CAPPED_USAGE_UNKNOWN 0x00000002
#define BITS_COST_STATE_BELOW_CAP 0x00000004
#define BITS_COST_STATE_NEAR_CAP 0x00000008
#define BITS_COST_STATE_OVERCAP_CHARGED 0x00000010
#define BITS_COST_STATE_OVERCAP_THROTTLED 0x00000020
#define BITS_COST_STATE_USAGE_BASED 0x00000040
#define BITS_COST_STATE_ROAMING 0x00000080
#define BITS_COST_OPTION_IGNORE_CONGESTION 0x80000000
#define BITS_COST_STATE_RESERVED 0x40000000
#define BITS_COST_STATE_TRANSFER_ALWAYS 0x800000FF
#define BITS_COST_STATE_TRANSFER_NOT_ROAMING 0x8000007F
#define BITS_COST_STATE_TRANSFER_NO_SURCHARGE 0x8000006F
#define BITS_COST_STATE_TRANSFER_STANDARD 0x80000067
#define BITS_COST_STATE_TRANSFER_UNRESTRICTED 0x80000021

/* Preset cost policies (same numbers as the TRANSFER_* macros).  The values
 * have the top bit set, so the enum is declared through 32-bit integers to
 * stay an int-sized type in C (INT32: the Windows name for int32_t). */
typedef INT32 BITS_JOB_TRANSFER_POLICY;
#define BITS_JOB_TRANSFER_POLICY_ALWAYS ((BITS_JOB_TRANSFER_POLICY)0x800000FF)
#define BITS_JOB_TRANSFER_POLICY_NOT_ROAMING ((BITS_JOB_TRANSFER_POLICY)0x8000007F)
#define BITS_JOB_TRANSFER_POLICY_NO_SURCHARGE ((BITS_JOB_TRANSFER_POLICY)0x8000006F)
#define BITS_JOB_TRANSFER_POLICY_STANDARD ((BITS_JOB_TRANSFER_POLICY)0x80000067)
#define BITS_JOB_TRANSFER_POLICY_UNRESTRICTED ((BITS_JOB_TRANSFER_POLICY)0x80000021)

/* IBackgroundCopyJob5::Get/SetProperty ids (6 and 8 are unassigned). */
typedef enum {
    BITS_JOB_PROPERTY_ID_COST_FLAGS = 1,                /* Dword */
    BITS_JOB_PROPERTY_NOTIFICATION_CLSID = 2,           /* ClsID */
    BITS_JOB_PROPERTY_DYNAMIC_CONTENT = 3,              /* Enable */
    BITS_JOB_PROPERTY_HIGH_PERFORMANCE = 4,             /* Enable */
    BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE = 5,            /* Uint64 */
    BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS = 7,       /* Target */
    BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS = 9, /* Dword, BITS 10.1 */
    BITS_JOB_PROPERTY_ON_DEMAND_MODE = 10               /* Enable, BITS 10.1 */
} BITS_JOB_PROPERTY_ID;

/* The value of a job property; 16 bytes, 8-byte aligned, passed BY VALUE
 * to IBackgroundCopyJob5::SetProperty. */
typedef union {
    DWORD Dword;
    GUID ClsID;
    BOOL Enable;
    UINT64 Uint64;
    BG_AUTH_TARGET Target;
} BITS_JOB_PROPERTY_VALUE;

typedef enum {
    BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS = 1
} BITS_FILE_PROPERTY_ID;

/* The value of a file property (String: CoTaskMemAlloc'ed). */
typedef union {
    LPWSTR String;
} BITS_FILE_PROPERTY_VALUE;
'''
TYPES['bits10_1.h'] = ''
TYPES['bits10_2.h'] = ''
TYPES['bits10_3.h'] = ''

HEADER_DOC = {
    'bits.h': 'BITS 1.0: the manager, jobs, files, errors, enumerators and the\n * notification callback, with their enums and structures.',
    'bits1_5.h': 'BITS 1.5: IBackgroundCopyJob2 (command-line notification, upload-reply,\n * credentials) and the BG_AUTH_* types.',
    'bits2_0.h': 'BITS 2.0: IBackgroundCopyJob3, IBackgroundCopyFile2, byte ranges\n * (BG_FILE_RANGE) and ACL flags.',
    'bits2_5.h': 'BITS 2.5: IBackgroundCopyJobHttpOptions (client certificates, custom\n * headers, security and redirect flags).',
    'bits3_0.h': 'BITS 3.0: IBackgroundCopyJob4, IBackgroundCopyFile3,\n * IBackgroundCopyCallback2 and the peer-cache interfaces.',
    'bits4_0.h': 'BITS 4.0: IBackgroundCopyFile4 and IBitsTokenOptions (helper tokens).',
    'bits5_0.h': 'BITS 5.0: IBackgroundCopyJob5 / IBackgroundCopyFile5 properties and the\n * network cost flags.',
    'bits10_1.h': 'BITS 10.1: IBackgroundCopyFile6 (on-demand ranges) and\n * IBackgroundCopyCallback3.',
    'bits10_2.h': 'BITS 10.2: IBackgroundCopyJobHttpOptions2 (custom HTTP method).',
    'bits10_3.h': 'BITS 10.3: IBackgroundCopyJobHttpOptions3 and the server\n * certificate validation callback.',
}

# types that must be fixed before all interfaces of the header (MIDL emits
# types in IDL order; our interfaces only need them declared first).
EXTRA_TYPEDEFS = {}


def params_c(this, params):
    ps = [f'{this} *This'] + [f'{t} {n}' if not t.endswith('*') else f'{t}{n}' for t, n in params]
    return ', '.join(ps)


def params_cpp(params):
    if not params:
        return 'void'
    return ', '.join(f'{t} {n}' if not t.endswith('*') else f'{t}{n}' for t, n in params)


def gen_iface(name):
    i = IFACES[name]
    g = i['iid']
    nums = ', '.join(guid_nums(g))
    out = []
    w = out.append
    w(f'/* ---------------------------------------------------------------- {name} */')
    w('')
    w(f'/* {{{g}}} */')
    w(f'EXTERN_C BGCOPY_COMPAT_API const IID IID_{name};')
    w('')
    w('#if defined(__cplusplus) && !defined(CINTERFACE)')
    doc = i['doc']
    w('/* ' + wrap(f'{name} : {i["base"]}.  {doc}', ' * ') + ' */')
    w(f'MIDL_INTERFACE("{g}")')
    w(f'{name} : public {i["base"]}')
    w('{')
    w('public:')
    base_slots = len(all_methods(i['base']))
    for k, (m, ps, mdoc, rt) in enumerate(i['methods']):
        slot = base_slots + k
        d = f'slot {slot}' + (f': {mdoc}' if mdoc else '')
        w('    /* ' + wrap(d, '     * ', 72) + ' */')
        w(f'    virtual {rt} STDMETHODCALLTYPE {m}({params_cpp(P(ps))}) = 0;')
    w('')
    w('protected:')
    w(f'    ~{name}() = default; /* see IUnknown in bgcopy_win32.h */')
    w('};')
    w(f'BGCOPY_UUID_DECL({name}, {nums})')
    w('#else')
    w(f'typedef struct {name}Vtbl {{')
    w('    BEGIN_INTERFACE')
    for k, (m, ps, mdoc, rt) in enumerate(all_methods(name)):
        w(f'    {rt}(STDMETHODCALLTYPE *{m})({params_c(name, P(ps))}); /* slot {k} */')
    w('    END_INTERFACE')
    w(f'}} {name}Vtbl;')
    w(f'interface {name} {{')
    w(f'    CONST_VTBL struct {name}Vtbl *lpVtbl;')
    w('};')
    w('')
    for m, ps, mdoc, rt in all_methods(name):
        names = [n.rstrip('[]') for t, n in P(ps)]
        args = ', '.join(['This'] + names)
        w(f'#define {name}_{m}({args}) ((This)->lpVtbl->{m}({args}))')
    w(f'#endif /* C style {name} */')
    w('')
    return '\n'.join(out)


def wrap(text, prefix, width=74):
    words = text.split()
    lines, cur = [], ''
    for wd in words:
        if cur and len(cur) + 1 + len(wd) > width:
            lines.append(cur)
            cur = wd
        else:
            cur = (cur + ' ' + wd) if cur else wd
    lines.append(cur)
    return ('\n' + prefix).join(lines)


def gen_header(h):
    guard = 'BGCOPY_' + h.upper().replace('.', '_')
    out = []
    w = out.append
    w('/*')
    w(f' * {h} - {HEADER_DOC[h]}')
    w(' *')
    w(' * bgcopy\'s version of the Windows SDK header of the same name: the same')
    w(' * names, vtable orders, parameter types and GUIDs (spec §2/§3/§5), in the')
    w(' * MIDL shape: in C++ abstract structs (p->Method(...), __uuidof(IFoo)); in')
    w(' * C lpVtbl structs that repeat every inherited slot, plus an')
    w(' * IFoo_Method(p, ...) macro per slot.  (Unlike the SDK the macros are not')
    w(' * gated by COBJMACROS; defining it is harmless.)  IIDs and CLSIDs are')
    w(' * defined in libbgcopy (compat/src/guids.c).')
    if PREV[h]:
        w(f' * Includes {PREV[h]} and, through it, every earlier BITS header, as the SDK does.')
    if NEXT[h]:
        w(f' * Ends by including {NEXT[h]}, as the SDK\'s {h} does, so that including')
        w(' * any BITS header gives every BITS interface (docs/windows-programs.md).')
    w(' *')
    w(' * Generated by gen_bits_headers.py from one interface table; regenerate')
    w(' * rather than hand-edit, so the C, C++ and macro forms cannot drift apart.')
    w(' */')
    w(f'#ifndef {guard}')
    w(f'#define {guard}')
    w('')
    w('#include "bgcopy_win32.h"')
    if PREV[h]:
        w(f'#include "{PREV[h]}"')
    else:
        w('#include "bitsmsg.h" /* the SDK\'s bits.h includes it too */')
    w('')
    names = [n for n in ORDER if IFACES[n]['header'] == h]
    w('/* ---- forward declarations ---- */')
    for n in names:
        w(f'#ifndef __{n}_FWD_DEFINED__')
        w(f'#define __{n}_FWD_DEFINED__')
        w(f'typedef interface {n} {n};')
        w('#endif')
    w('')
    if h in EXTRA_TYPEDEFS:
        w(EXTRA_TYPEDEFS[h])
    if TYPES[h].strip():
        w(TYPES[h].strip('\n'))
        w('')
    for n in names:
        w(gen_iface(n))
    w('/* ---- coclass (BITS ' + VERSION[h] + ') ---- */')
    w('')
    for cname, g, ver in COCLASSES[h]:
        nums = ', '.join(guid_nums(g))
        w(f'/* {{{g}}}: the manager of a BITS {ver} installation; CoCreateInstance')
        w(' * answers REGDB_E_CLASSNOTREG for a version bgcopy does not provide. */')
        w(f'EXTERN_C BGCOPY_COMPAT_API const CLSID CLSID_{cname};')
        w('#ifdef __cplusplus')
        w(f'BGCOPY_COCLASS({cname}, "{g}");')
        w(f'BGCOPY_UUID_DECL({cname}, {nums})')
        w('#endif')
        w('')
    if NEXT[h]:
        w(f'#include "{NEXT[h]}"')
        w('')
    w(f'#endif /* {guard} */')
    return '\n'.join(out) + '\n'


QMGR_CLSID = '69ad4aee-51be-439b-a92c-86ae490e8b30'
QMGR_TYPES = r"""
/* ---- constants (spec §4.4) ---- */
#define QM_NOTIFY_FILE_DONE 0x00000001        /* not supported (as Windows) */
#define QM_NOTIFY_JOB_DONE 0x00000002         /* not supported (as Windows) */
#define QM_NOTIFY_GROUP_DONE 0x00000004       /* OnStatus when the group completes */
#define QM_NOTIFY_DISABLE_NOTIFY 0x00000040   /* no notification at all */
#define QM_NOTIFY_USE_PROGRESSEX 0x00000080   /* bgcopy opt-in progress: OnProgressEx */

#define QM_STATUS_FILE_COMPLETE 0x00000001
#define QM_STATUS_FILE_INCOMPLETE 0x00000002
#define QM_STATUS_JOB_COMPLETE 0x00000004
#define QM_STATUS_JOB_INCOMPLETE 0x00000008
#define QM_STATUS_JOB_ERROR 0x00000010
#define QM_STATUS_JOB_FOREGROUND 0x00000020
#define QM_STATUS_GROUP_COMPLETE 0x00000040
#define QM_STATUS_GROUP_INCOMPLETE 0x00000080
#define QM_STATUS_GROUP_SUSPENDED 0x00000100
#define QM_STATUS_GROUP_ERROR 0x00000200
#define QM_STATUS_GROUP_FOREGROUND 0x00000400

#define QM_PROTOCOL_HTTP 1
#define QM_PROTOCOL_FTP 2
#define QM_PROTOCOL_SMB 3
#define QM_PROTOCOL_CUSTOM 4

#define QM_PROGRESS_PERCENT_DONE 1
#define QM_PROGRESS_TIME_DONE 2
#define QM_PROGRESS_SIZE_DONE 3

#define QM_E_INVALID_STATE _HRESULT_TYPEDEF_(0x81001001)
#define QM_E_SERVICE_UNAVAILABLE _HRESULT_TYPEDEF_(0x81001002)
#define QM_E_DOWNLOADER_UNAVAILABLE _HRESULT_TYPEDEF_(0x81001003)
#define QM_E_ITEM_NOT_FOUND _HRESULT_TYPEDEF_(0x81001004)

/* One file of a BITS 1.0 job.  Remote URL <= 2200 characters; local name a
 * full path whose directory exists; dwSizeHint is not supported (ignored). */
typedef struct _FILESETINFO {
    BSTR bstrRemoteFile;
    BSTR bstrLocalFile;
    DWORD dwSizeHint;
} FILESETINFO;

/* Group properties (spec §4.3); 32-bit enum. */
typedef enum GROUPPROP {
    GROUPPROP_PRIORITY = 0,
    GROUPPROP_REMOTEUSERID = 1,
    GROUPPROP_REMOTEUSERPWD = 2,
    GROUPPROP_LOCALUSERID = 3,
    GROUPPROP_LOCALUSERPWD = 4,
    GROUPPROP_PROTOCOLFLAGS = 5,
    GROUPPROP_NOTIFYFLAGS = 6,
    GROUPPROP_NOTIFYCLSID = 7,
    GROUPPROP_PROGRESSSIZE = 8,
    GROUPPROP_PROGRESSPERCENT = 9,
    GROUPPROP_PROGRESSTIME = 10,
    GROUPPROP_DISPLAYNAME = 11,
    GROUPPROP_DESCRIPTION = 12
} GROUPPROP;
"""


def gen_qmgr_header():
    out = []
    w = out.append
    w('/*')
    w(' * qmgr.h - BITS 1.0 Queue Manager (QMGR): groups, their one job, the')
    w(' * group/job enumerators (which yield GUIDs) and IBackgroundCopyCallback1.')
    w(' *')
    w(' * bgcopy\'s version of the Windows SDK header of the same name: the same')
    w(' * names, vtable orders, parameter types and GUIDs (spec §4), in the MIDL')
    w(' * shape (C++ abstract structs; C lpVtbl structs plus IFoo_Method macros).')
    w(' * GUID parameters of CreateGroup, GetGroup, GetJob and CreateJob are passed')
    w(' * BY VALUE, as in the SDK.  IIDs and the CLSID are defined in libbgcopy')
    w(' * (compat/src/guids.c).  BSTR and VARIANT come from oleauto.h.')
    w(' *')
    w(' * Generated by gen_bits_headers.py; regenerate rather than hand-edit.')
    w(' */')
    w('#ifndef BGCOPY_QMGR_H')
    w('#define BGCOPY_QMGR_H')
    w('')
    w('#include "bgcopy_win32.h"')
    w('#include "oleauto.h"')
    w('')
    w('#ifndef _HRESULT_TYPEDEF_')
    w('#  define _HRESULT_TYPEDEF_(x) ((HRESULT)(x))')
    w('#endif')
    w('')
    names = [n for n in ORDER if IFACES[n]['header'] == 'qmgr.h']
    w('/* ---- forward declarations ---- */')
    for n in names:
        w(f'#ifndef __{n}_FWD_DEFINED__')
        w(f'#define __{n}_FWD_DEFINED__')
        w(f'typedef interface {n} {n};')
        w('#endif')
    w('')
    w(QMGR_TYPES.strip('\n'))
    w('')
    for n in names:
        w(gen_iface(n))
    nums_ = ', '.join(guid_nums(QMGR_CLSID))
    w('/* ---- coclass ---- */')
    w('')
    w(f'/* {{{QMGR_CLSID}}}: the BITS 1.0 queue manager. */')
    w('EXTERN_C BGCOPY_COMPAT_API const CLSID CLSID_BackgroundCopyQMgr;')
    w('#ifdef __cplusplus')
    w(f'BGCOPY_COCLASS(BackgroundCopyQMgr, "{QMGR_CLSID}");')
    w(f'BGCOPY_UUID_DECL(BackgroundCopyQMgr, {nums_})')
    w('#endif')
    w('')
    w('#endif /* BGCOPY_QMGR_H */')
    return '\n'.join(out) + '\n'


for h in HEADERS:
    open(f'{OUT}/{h}', 'w').write(gen_header(h))
open(f'{OUT}/qmgr.h', 'w').write(gen_qmgr_header())

lines = [(f'IID_{n}', IFACES[n]['iid'], IFACES[n]['header']) for n in ORDER if IFACES[n]['header'] != 'qmgr.h']
lines += [(f'CLSID_{c}', gg, h) for h in HEADERS for c, gg, v in COCLASSES[h]]

# ---------------------------------------------------------------- bitsmsg.h
import re
spec = open(SPEC).read()
sec = spec[spec.index('### 7.1'):spec.index('### 7.2')]
rows = []
for line in sec.splitlines():
    m = re.match(r'\| (0x[0-9A-F]{8}) \| (\w+) \| (.*) \|$', line)
    if m:
        rows.append(m.groups())
assert len(rows) == 106, len(rows)
http = [100, 101] + list(range(200, 207)) + list(range(300, 306)) + [307] + list(range(400, 418)) + [449] + list(range(500, 506))
mc = [(0x80194000,'BITS_MC_JOB_CANCELLED'),(0x80194001,'BITS_MC_FILE_DELETION_FAILED'),(0x80194002,'BITS_MC_FILE_DELETION_FAILED_MORE'),
      (0x80194003,'BITS_MC_JOB_PROPERTY_CHANGE'),(0x80194004,'BITS_MC_JOB_TAKE_OWNERSHIP'),(0x80194005,'BITS_MC_JOB_SCAVENGED'),
      (0x80194006,'BITS_MC_JOB_NOTIFICATION_FAILURE'),(0x80194007,'BITS_MC_STATE_FILE_CORRUPT'),(0x80194008,'BITS_MC_FAILED_TO_START'),
      (0x80194009,'BITS_MC_FATAL_IGD_ERROR'),(0x8019400A,'BITS_MC_PEERCACHING_PORT'),(0x8019400B,'BITS_MC_WSD_PORT')]
out = []
w = out.append
w('''/*
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
''')
for v, n, mean in rows:
    mean = mean.replace('*old SDK only*: ', 'old SDK only: ').replace('*', '')
    mean = mean.replace('/*', '/ *').replace('*/', '* /')
    w(f'/* {mean} */')
    w(f'#define {n} _HRESULT_TYPEDEF_({v})')
w('')
w('/* ---- FACILITY_HTTP: the server answered HTTP status nnn ---- */')
for s in http:
    w(f'#define BG_E_HTTP_ERROR_{s} _HRESULT_TYPEDEF_(0x{0x80190000|s:08X})')
w('')
w('/* ---- event-log message ids (0x80194000-0x801940FF reserved) ---- */')
for v, n in mc:
    w(f'#define {n} _HRESULT_TYPEDEF_(0x{v:08X})')
w('')
w('#endif /* BGCOPY_BITSMSG_H */')
open(f'{ROOT}/compat/include/bitsmsg.h', 'w').write('\n'.join(out) + '\n')

# ---------------------------------------------------------------- guids.c
def nums(g):
    a,b,c,d,e = g.split('-'); bs = d+e
    return f"0x{a}, 0x{b}, 0x{c}, {{" + ', '.join('0x'+bs[k:k+2] for k in range(0,16,2)) + "}"
out = ['''/*
 * guids.c - the one definition of every IID and CLSID the compat headers
 * declare (the role of the SDK's uuid.lib / bits_i.c).
 *
 * Values from the spec (BITS-CONTRACT.md §2, §3).  The C++ __uuidof traits
 * in the headers carry the same numbers; tests/compat/headers_cpp.cpp checks
 * that both agree and tests/compat/headers_c.c checks them against the spec
 * strings.  Read-only data: thread-safe.
 */
#include "bgcopy_win32.h"
#include "bits10_3.h"

#define BGCOPY_GUID(name, ...) BGCOPY_COMPAT_API const GUID name = {__VA_ARGS__}

#ifndef _WIN32 /* on Windows these three come from the SDK's uuid.lib */
BGCOPY_GUID(GUID_NULL, 0x00000000, 0x0000, 0x0000, {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
BGCOPY_GUID(IID_IUnknown, 0x00000000, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});
BGCOPY_GUID(IID_IClassFactory, 0x00000001, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});
#endif
''']
hdr = None
for name, g, h in lines:
    if h != hdr:
        out.append(f'\n/* {h} */')
        hdr = h
    out.append(f'BGCOPY_GUID({name}, {nums(g)});')
open(f'{ROOT}/compat/src/guids.c','w').write('\n'.join(out) + '\n')

# ---------------------------------------------------------------- qmgr_guids.c
out = ['''/*
 * qmgr_guids.c - the IIDs and the CLSID of qmgr.h (the BITS 1.0 Queue
 * Manager), values from the spec (BITS-CONTRACT.md §4.1).
 * Generated by gen_bits_headers.py.  Read-only data: thread-safe.
 */
#include "bgcopy_win32.h"
#include "qmgr.h"

#define BGCOPY_GUID(name, ...) BGCOPY_COMPAT_API const GUID name = {__VA_ARGS__}
''']
for n in ORDER:
    if IFACES[n]['header'] == 'qmgr.h':
        out.append(f"BGCOPY_GUID(IID_{n}, {nums(IFACES[n]['iid'])});")
out.append(f"BGCOPY_GUID(CLSID_BackgroundCopyQMgr, {nums(QMGR_CLSID)});")
open(f'{ROOT}/compat/src/qmgr_guids.c', 'w').write('\n'.join(out) + '\n')
