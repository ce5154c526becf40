/*
 * headers_ccall.c - the C half of headers_cpp: proves that C and C++ see
 * the same vtables, in both directions a bgcopy program uses them.
 *
 *  - C objects called from C++: for the deepest interfaces (Job5, File6,
 *    HttpOptions3) and a sample of others, a C object whose method at slot k returns the
 *    HRESULT k.  headers_cpp calls every method virtually and checks the
 *    number, i.e. that C++ virtual order == C Vtbl order (what a C++ BITS
 *    client relies on when it calls bgcopy's C-implemented objects).
 *  - C++ objects called from C: ccall_drive_callback3() invokes a C++
 *    IBackgroundCopyCallback3 through the C macros, as bgcopy's engine
 *    calls a client's callback.
 *
 * The method bodies are generated from the interface table; every slot
 * must be present or the designated initialisers fail to compile.
 */
/* INITGUID before the first include makes DEFINE_GUID define the GUID
 * here; headers_cpp.cpp's DEFINE_GUID only declares it (SDK semantics). */
#define INITGUID
#include <bits10_3.h>

#include "headers_ccall.h"

DEFINE_GUID(CCALL_DEFINED_GUID, 0x01234567, 0x89ab, 0xcdef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef);

static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_AddFileSet(IBackgroundCopyJob5 *This, ULONG cFileCount, BG_FILE_INFO *pFileSet)
{
    (void)This;
    (void)cFileCount;
    (void)pFileSet;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_AddFile(IBackgroundCopyJob5 *This, LPCWSTR RemoteUrl, LPCWSTR LocalName)
{
    (void)This;
    (void)RemoteUrl;
    (void)LocalName;
    return (HRESULT)4;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_EnumFiles(IBackgroundCopyJob5 *This, IEnumBackgroundCopyFiles **pEnum)
{
    (void)This;
    (void)pEnum;
    return (HRESULT)5;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_Suspend(IBackgroundCopyJob5 *This)
{
    (void)This;
    return (HRESULT)6;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_Resume(IBackgroundCopyJob5 *This)
{
    (void)This;
    return (HRESULT)7;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_Cancel(IBackgroundCopyJob5 *This)
{
    (void)This;
    return (HRESULT)8;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_Complete(IBackgroundCopyJob5 *This)
{
    (void)This;
    return (HRESULT)9;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetId(IBackgroundCopyJob5 *This, GUID *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)10;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetType(IBackgroundCopyJob5 *This, BG_JOB_TYPE *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)11;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetProgress(IBackgroundCopyJob5 *This, BG_JOB_PROGRESS *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)12;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetTimes(IBackgroundCopyJob5 *This, BG_JOB_TIMES *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)13;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetState(IBackgroundCopyJob5 *This, BG_JOB_STATE *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)14;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetError(IBackgroundCopyJob5 *This, IBackgroundCopyError **ppError)
{
    (void)This;
    (void)ppError;
    return (HRESULT)15;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetOwner(IBackgroundCopyJob5 *This, LPWSTR *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)16;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetDisplayName(IBackgroundCopyJob5 *This, LPCWSTR Val)
{
    (void)This;
    (void)Val;
    return (HRESULT)17;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetDisplayName(IBackgroundCopyJob5 *This, LPWSTR *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)18;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetDescription(IBackgroundCopyJob5 *This, LPCWSTR Val)
{
    (void)This;
    (void)Val;
    return (HRESULT)19;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetDescription(IBackgroundCopyJob5 *This, LPWSTR *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)20;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetPriority(IBackgroundCopyJob5 *This, BG_JOB_PRIORITY Val)
{
    (void)This;
    (void)Val;
    return (HRESULT)21;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetPriority(IBackgroundCopyJob5 *This, BG_JOB_PRIORITY *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)22;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetNotifyFlags(IBackgroundCopyJob5 *This, ULONG Val)
{
    (void)This;
    (void)Val;
    return (HRESULT)23;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetNotifyFlags(IBackgroundCopyJob5 *This, ULONG *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)24;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetNotifyInterface(IBackgroundCopyJob5 *This, IUnknown *Val)
{
    (void)This;
    (void)Val;
    return (HRESULT)25;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetNotifyInterface(IBackgroundCopyJob5 *This, IUnknown **pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)26;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetMinimumRetryDelay(IBackgroundCopyJob5 *This, ULONG Seconds)
{
    (void)This;
    (void)Seconds;
    return (HRESULT)27;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetMinimumRetryDelay(IBackgroundCopyJob5 *This, ULONG *Seconds)
{
    (void)This;
    (void)Seconds;
    return (HRESULT)28;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetNoProgressTimeout(IBackgroundCopyJob5 *This, ULONG Seconds)
{
    (void)This;
    (void)Seconds;
    return (HRESULT)29;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetNoProgressTimeout(IBackgroundCopyJob5 *This, ULONG *Seconds)
{
    (void)This;
    (void)Seconds;
    return (HRESULT)30;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetErrorCount(IBackgroundCopyJob5 *This, ULONG *Errors)
{
    (void)This;
    (void)Errors;
    return (HRESULT)31;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetProxySettings(IBackgroundCopyJob5 *This, BG_JOB_PROXY_USAGE ProxyUsage, LPCWSTR ProxyList, LPCWSTR ProxyBypassList)
{
    (void)This;
    (void)ProxyUsage;
    (void)ProxyList;
    (void)ProxyBypassList;
    return (HRESULT)32;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetProxySettings(IBackgroundCopyJob5 *This, BG_JOB_PROXY_USAGE *pProxyUsage, LPWSTR *pProxyList, LPWSTR *pProxyBypassList)
{
    (void)This;
    (void)pProxyUsage;
    (void)pProxyList;
    (void)pProxyBypassList;
    return (HRESULT)33;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_TakeOwnership(IBackgroundCopyJob5 *This)
{
    (void)This;
    return (HRESULT)34;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetNotifyCmdLine(IBackgroundCopyJob5 *This, LPCWSTR Program, LPCWSTR Parameters)
{
    (void)This;
    (void)Program;
    (void)Parameters;
    return (HRESULT)35;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetNotifyCmdLine(IBackgroundCopyJob5 *This, LPWSTR *pProgram, LPWSTR *pParameters)
{
    (void)This;
    (void)pProgram;
    (void)pParameters;
    return (HRESULT)36;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetReplyProgress(IBackgroundCopyJob5 *This, BG_JOB_REPLY_PROGRESS *pProgress)
{
    (void)This;
    (void)pProgress;
    return (HRESULT)37;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetReplyData(IBackgroundCopyJob5 *This, byte **ppBuffer, UINT64 *pLength)
{
    (void)This;
    (void)ppBuffer;
    (void)pLength;
    return (HRESULT)38;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetReplyFileName(IBackgroundCopyJob5 *This, LPCWSTR ReplyFileName)
{
    (void)This;
    (void)ReplyFileName;
    return (HRESULT)39;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetReplyFileName(IBackgroundCopyJob5 *This, LPWSTR *pReplyFileName)
{
    (void)This;
    (void)pReplyFileName;
    return (HRESULT)40;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetCredentials(IBackgroundCopyJob5 *This, BG_AUTH_CREDENTIALS *credentials)
{
    (void)This;
    (void)credentials;
    return (HRESULT)41;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_RemoveCredentials(IBackgroundCopyJob5 *This, BG_AUTH_TARGET Target, BG_AUTH_SCHEME Scheme)
{
    (void)This;
    (void)Target;
    (void)Scheme;
    return (HRESULT)42;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_ReplaceRemotePrefix(IBackgroundCopyJob5 *This, LPCWSTR OldPrefix, LPCWSTR NewPrefix)
{
    (void)This;
    (void)OldPrefix;
    (void)NewPrefix;
    return (HRESULT)43;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_AddFileWithRanges(IBackgroundCopyJob5 *This, LPCWSTR RemoteUrl, LPCWSTR LocalName, DWORD RangeCount, BG_FILE_RANGE Ranges[])
{
    (void)This;
    (void)RemoteUrl;
    (void)LocalName;
    (void)RangeCount;
    (void)Ranges;
    return (HRESULT)44;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetFileACLFlags(IBackgroundCopyJob5 *This, DWORD Flags)
{
    (void)This;
    (void)Flags;
    return (HRESULT)45;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetFileACLFlags(IBackgroundCopyJob5 *This, DWORD *Flags)
{
    (void)This;
    (void)Flags;
    return (HRESULT)46;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetPeerCachingFlags(IBackgroundCopyJob5 *This, DWORD Flags)
{
    (void)This;
    (void)Flags;
    return (HRESULT)47;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetPeerCachingFlags(IBackgroundCopyJob5 *This, DWORD *pFlags)
{
    (void)This;
    (void)pFlags;
    return (HRESULT)48;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetOwnerIntegrityLevel(IBackgroundCopyJob5 *This, ULONG *pLevel)
{
    (void)This;
    (void)pLevel;
    return (HRESULT)49;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetOwnerElevationState(IBackgroundCopyJob5 *This, BOOL *pElevated)
{
    (void)This;
    (void)pElevated;
    return (HRESULT)50;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetMaximumDownloadTime(IBackgroundCopyJob5 *This, ULONG Timeout)
{
    (void)This;
    (void)Timeout;
    return (HRESULT)51;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetMaximumDownloadTime(IBackgroundCopyJob5 *This, ULONG *pTimeout)
{
    (void)This;
    (void)pTimeout;
    return (HRESULT)52;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_SetProperty(IBackgroundCopyJob5 *This, BITS_JOB_PROPERTY_ID PropertyId, BITS_JOB_PROPERTY_VALUE PropertyValue)
{
    (void)This;
    (void)PropertyId;
    (void)PropertyValue;
    return (HRESULT)53;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_GetProperty(IBackgroundCopyJob5 *This, BITS_JOB_PROPERTY_ID PropertyId, BITS_JOB_PROPERTY_VALUE *PropertyValue)
{
    (void)This;
    (void)PropertyId;
    (void)PropertyValue;
    return (HRESULT)54;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjob5_QueryInterface(IBackgroundCopyJob5 *This, REFIID riid, void **ppv)
{
    (void)This, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE backgroundcopyjob5_AddRef(IBackgroundCopyJob5 *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE backgroundcopyjob5_Release(IBackgroundCopyJob5 *This) { (void)This; return 2; }
static const IBackgroundCopyJob5Vtbl backgroundcopyjob5_vtbl = {
    .QueryInterface = backgroundcopyjob5_QueryInterface,
    .AddRef = backgroundcopyjob5_AddRef,
    .Release = backgroundcopyjob5_Release,
    .AddFileSet = backgroundcopyjob5_AddFileSet,
    .AddFile = backgroundcopyjob5_AddFile,
    .EnumFiles = backgroundcopyjob5_EnumFiles,
    .Suspend = backgroundcopyjob5_Suspend,
    .Resume = backgroundcopyjob5_Resume,
    .Cancel = backgroundcopyjob5_Cancel,
    .Complete = backgroundcopyjob5_Complete,
    .GetId = backgroundcopyjob5_GetId,
    .GetType = backgroundcopyjob5_GetType,
    .GetProgress = backgroundcopyjob5_GetProgress,
    .GetTimes = backgroundcopyjob5_GetTimes,
    .GetState = backgroundcopyjob5_GetState,
    .GetError = backgroundcopyjob5_GetError,
    .GetOwner = backgroundcopyjob5_GetOwner,
    .SetDisplayName = backgroundcopyjob5_SetDisplayName,
    .GetDisplayName = backgroundcopyjob5_GetDisplayName,
    .SetDescription = backgroundcopyjob5_SetDescription,
    .GetDescription = backgroundcopyjob5_GetDescription,
    .SetPriority = backgroundcopyjob5_SetPriority,
    .GetPriority = backgroundcopyjob5_GetPriority,
    .SetNotifyFlags = backgroundcopyjob5_SetNotifyFlags,
    .GetNotifyFlags = backgroundcopyjob5_GetNotifyFlags,
    .SetNotifyInterface = backgroundcopyjob5_SetNotifyInterface,
    .GetNotifyInterface = backgroundcopyjob5_GetNotifyInterface,
    .SetMinimumRetryDelay = backgroundcopyjob5_SetMinimumRetryDelay,
    .GetMinimumRetryDelay = backgroundcopyjob5_GetMinimumRetryDelay,
    .SetNoProgressTimeout = backgroundcopyjob5_SetNoProgressTimeout,
    .GetNoProgressTimeout = backgroundcopyjob5_GetNoProgressTimeout,
    .GetErrorCount = backgroundcopyjob5_GetErrorCount,
    .SetProxySettings = backgroundcopyjob5_SetProxySettings,
    .GetProxySettings = backgroundcopyjob5_GetProxySettings,
    .TakeOwnership = backgroundcopyjob5_TakeOwnership,
    .SetNotifyCmdLine = backgroundcopyjob5_SetNotifyCmdLine,
    .GetNotifyCmdLine = backgroundcopyjob5_GetNotifyCmdLine,
    .GetReplyProgress = backgroundcopyjob5_GetReplyProgress,
    .GetReplyData = backgroundcopyjob5_GetReplyData,
    .SetReplyFileName = backgroundcopyjob5_SetReplyFileName,
    .GetReplyFileName = backgroundcopyjob5_GetReplyFileName,
    .SetCredentials = backgroundcopyjob5_SetCredentials,
    .RemoveCredentials = backgroundcopyjob5_RemoveCredentials,
    .ReplaceRemotePrefix = backgroundcopyjob5_ReplaceRemotePrefix,
    .AddFileWithRanges = backgroundcopyjob5_AddFileWithRanges,
    .SetFileACLFlags = backgroundcopyjob5_SetFileACLFlags,
    .GetFileACLFlags = backgroundcopyjob5_GetFileACLFlags,
    .SetPeerCachingFlags = backgroundcopyjob5_SetPeerCachingFlags,
    .GetPeerCachingFlags = backgroundcopyjob5_GetPeerCachingFlags,
    .GetOwnerIntegrityLevel = backgroundcopyjob5_GetOwnerIntegrityLevel,
    .GetOwnerElevationState = backgroundcopyjob5_GetOwnerElevationState,
    .SetMaximumDownloadTime = backgroundcopyjob5_SetMaximumDownloadTime,
    .GetMaximumDownloadTime = backgroundcopyjob5_GetMaximumDownloadTime,
    .SetProperty = backgroundcopyjob5_SetProperty,
    .GetProperty = backgroundcopyjob5_GetProperty,
};
static IBackgroundCopyJob5 backgroundcopyjob5_object = {&backgroundcopyjob5_vtbl};
IBackgroundCopyJob5 *ccall_backgroundcopyjob5(void) { return &backgroundcopyjob5_object; }

static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_GetRemoteName(IBackgroundCopyFile6 *This, LPWSTR *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_GetLocalName(IBackgroundCopyFile6 *This, LPWSTR *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)4;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_GetProgress(IBackgroundCopyFile6 *This, BG_FILE_PROGRESS *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)5;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_GetFileRanges(IBackgroundCopyFile6 *This, DWORD *RangeCount, BG_FILE_RANGE **Ranges)
{
    (void)This;
    (void)RangeCount;
    (void)Ranges;
    return (HRESULT)6;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_SetRemoteName(IBackgroundCopyFile6 *This, LPCWSTR Val)
{
    (void)This;
    (void)Val;
    return (HRESULT)7;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_GetTemporaryName(IBackgroundCopyFile6 *This, LPWSTR *pFilename)
{
    (void)This;
    (void)pFilename;
    return (HRESULT)8;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_SetValidationState(IBackgroundCopyFile6 *This, BOOL state)
{
    (void)This;
    (void)state;
    return (HRESULT)9;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_GetValidationState(IBackgroundCopyFile6 *This, BOOL *pState)
{
    (void)This;
    (void)pState;
    return (HRESULT)10;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_IsDownloadedFromPeer(IBackgroundCopyFile6 *This, BOOL *pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)11;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_GetPeerDownloadStats(IBackgroundCopyFile6 *This, UINT64 *pFromOrigin, UINT64 *pFromPeers)
{
    (void)This;
    (void)pFromOrigin;
    (void)pFromPeers;
    return (HRESULT)12;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_SetProperty(IBackgroundCopyFile6 *This, BITS_FILE_PROPERTY_ID PropertyId, BITS_FILE_PROPERTY_VALUE PropertyValue)
{
    (void)This;
    (void)PropertyId;
    (void)PropertyValue;
    return (HRESULT)13;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_GetProperty(IBackgroundCopyFile6 *This, BITS_FILE_PROPERTY_ID PropertyId, BITS_FILE_PROPERTY_VALUE *PropertyValue)
{
    (void)This;
    (void)PropertyId;
    (void)PropertyValue;
    return (HRESULT)14;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_UpdateDownloadPosition(IBackgroundCopyFile6 *This, UINT64 offset)
{
    (void)This;
    (void)offset;
    return (HRESULT)15;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_RequestFileRanges(IBackgroundCopyFile6 *This, DWORD rangeCount, const BG_FILE_RANGE ranges[])
{
    (void)This;
    (void)rangeCount;
    (void)ranges;
    return (HRESULT)16;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_GetFilledFileRanges(IBackgroundCopyFile6 *This, DWORD *rangeCount, BG_FILE_RANGE **ranges)
{
    (void)This;
    (void)rangeCount;
    (void)ranges;
    return (HRESULT)17;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyfile6_QueryInterface(IBackgroundCopyFile6 *This, REFIID riid, void **ppv)
{
    (void)This, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE backgroundcopyfile6_AddRef(IBackgroundCopyFile6 *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE backgroundcopyfile6_Release(IBackgroundCopyFile6 *This) { (void)This; return 2; }
static const IBackgroundCopyFile6Vtbl backgroundcopyfile6_vtbl = {
    .QueryInterface = backgroundcopyfile6_QueryInterface,
    .AddRef = backgroundcopyfile6_AddRef,
    .Release = backgroundcopyfile6_Release,
    .GetRemoteName = backgroundcopyfile6_GetRemoteName,
    .GetLocalName = backgroundcopyfile6_GetLocalName,
    .GetProgress = backgroundcopyfile6_GetProgress,
    .GetFileRanges = backgroundcopyfile6_GetFileRanges,
    .SetRemoteName = backgroundcopyfile6_SetRemoteName,
    .GetTemporaryName = backgroundcopyfile6_GetTemporaryName,
    .SetValidationState = backgroundcopyfile6_SetValidationState,
    .GetValidationState = backgroundcopyfile6_GetValidationState,
    .IsDownloadedFromPeer = backgroundcopyfile6_IsDownloadedFromPeer,
    .GetPeerDownloadStats = backgroundcopyfile6_GetPeerDownloadStats,
    .SetProperty = backgroundcopyfile6_SetProperty,
    .GetProperty = backgroundcopyfile6_GetProperty,
    .UpdateDownloadPosition = backgroundcopyfile6_UpdateDownloadPosition,
    .RequestFileRanges = backgroundcopyfile6_RequestFileRanges,
    .GetFilledFileRanges = backgroundcopyfile6_GetFilledFileRanges,
};
static IBackgroundCopyFile6 backgroundcopyfile6_object = {&backgroundcopyfile6_vtbl};
IBackgroundCopyFile6 *ccall_backgroundcopyfile6(void) { return &backgroundcopyfile6_object; }

static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_SetClientCertificateByID(IBackgroundCopyJobHttpOptions3 *This, BG_CERT_STORE_LOCATION StoreLocation, LPCWSTR StoreName, BYTE *pCertHashBlob)
{
    (void)This;
    (void)StoreLocation;
    (void)StoreName;
    (void)pCertHashBlob;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_SetClientCertificateByName(IBackgroundCopyJobHttpOptions3 *This, BG_CERT_STORE_LOCATION StoreLocation, LPCWSTR StoreName, LPCWSTR SubjectName)
{
    (void)This;
    (void)StoreLocation;
    (void)StoreName;
    (void)SubjectName;
    return (HRESULT)4;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_RemoveClientCertificate(IBackgroundCopyJobHttpOptions3 *This)
{
    (void)This;
    return (HRESULT)5;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_GetClientCertificate(IBackgroundCopyJobHttpOptions3 *This, BG_CERT_STORE_LOCATION *pStoreLocation, LPWSTR *pStoreName, BYTE **ppCertHashBlob, LPWSTR *pSubjectName)
{
    (void)This;
    (void)pStoreLocation;
    (void)pStoreName;
    (void)ppCertHashBlob;
    (void)pSubjectName;
    return (HRESULT)6;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_SetCustomHeaders(IBackgroundCopyJobHttpOptions3 *This, LPCWSTR RequestHeaders)
{
    (void)This;
    (void)RequestHeaders;
    return (HRESULT)7;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_GetCustomHeaders(IBackgroundCopyJobHttpOptions3 *This, LPWSTR *pRequestHeaders)
{
    (void)This;
    (void)pRequestHeaders;
    return (HRESULT)8;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_SetSecurityFlags(IBackgroundCopyJobHttpOptions3 *This, ULONG Flags)
{
    (void)This;
    (void)Flags;
    return (HRESULT)9;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_GetSecurityFlags(IBackgroundCopyJobHttpOptions3 *This, ULONG *pFlags)
{
    (void)This;
    (void)pFlags;
    return (HRESULT)10;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_SetHttpMethod(IBackgroundCopyJobHttpOptions3 *This, LPCWSTR method)
{
    (void)This;
    (void)method;
    return (HRESULT)11;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_GetHttpMethod(IBackgroundCopyJobHttpOptions3 *This, LPWSTR *method)
{
    (void)This;
    (void)method;
    return (HRESULT)12;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_SetServerCertificateValidationInterface(IBackgroundCopyJobHttpOptions3 *This, IUnknown *certValidationCallback)
{
    (void)This;
    (void)certValidationCallback;
    return (HRESULT)13;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_MakeCustomHeadersWriteOnly(IBackgroundCopyJobHttpOptions3 *This)
{
    (void)This;
    return (HRESULT)14;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_QueryInterface(IBackgroundCopyJobHttpOptions3 *This, REFIID riid, void **ppv)
{
    (void)This, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_AddRef(IBackgroundCopyJobHttpOptions3 *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE backgroundcopyjobhttpoptions3_Release(IBackgroundCopyJobHttpOptions3 *This) { (void)This; return 2; }
static const IBackgroundCopyJobHttpOptions3Vtbl backgroundcopyjobhttpoptions3_vtbl = {
    .QueryInterface = backgroundcopyjobhttpoptions3_QueryInterface,
    .AddRef = backgroundcopyjobhttpoptions3_AddRef,
    .Release = backgroundcopyjobhttpoptions3_Release,
    .SetClientCertificateByID = backgroundcopyjobhttpoptions3_SetClientCertificateByID,
    .SetClientCertificateByName = backgroundcopyjobhttpoptions3_SetClientCertificateByName,
    .RemoveClientCertificate = backgroundcopyjobhttpoptions3_RemoveClientCertificate,
    .GetClientCertificate = backgroundcopyjobhttpoptions3_GetClientCertificate,
    .SetCustomHeaders = backgroundcopyjobhttpoptions3_SetCustomHeaders,
    .GetCustomHeaders = backgroundcopyjobhttpoptions3_GetCustomHeaders,
    .SetSecurityFlags = backgroundcopyjobhttpoptions3_SetSecurityFlags,
    .GetSecurityFlags = backgroundcopyjobhttpoptions3_GetSecurityFlags,
    .SetHttpMethod = backgroundcopyjobhttpoptions3_SetHttpMethod,
    .GetHttpMethod = backgroundcopyjobhttpoptions3_GetHttpMethod,
    .SetServerCertificateValidationInterface = backgroundcopyjobhttpoptions3_SetServerCertificateValidationInterface,
    .MakeCustomHeadersWriteOnly = backgroundcopyjobhttpoptions3_MakeCustomHeadersWriteOnly,
};
static IBackgroundCopyJobHttpOptions3 backgroundcopyjobhttpoptions3_object = {&backgroundcopyjobhttpoptions3_vtbl};
IBackgroundCopyJobHttpOptions3 *ccall_backgroundcopyjobhttpoptions3(void) { return &backgroundcopyjobhttpoptions3_object; }

static HRESULT STDMETHODCALLTYPE bitstokenoptions_SetHelperTokenFlags(IBitsTokenOptions *This, DWORD UsageFlags)
{
    (void)This;
    (void)UsageFlags;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE bitstokenoptions_GetHelperTokenFlags(IBitsTokenOptions *This, DWORD *pFlags)
{
    (void)This;
    (void)pFlags;
    return (HRESULT)4;
}
static HRESULT STDMETHODCALLTYPE bitstokenoptions_SetHelperToken(IBitsTokenOptions *This)
{
    (void)This;
    return (HRESULT)5;
}
static HRESULT STDMETHODCALLTYPE bitstokenoptions_ClearHelperToken(IBitsTokenOptions *This)
{
    (void)This;
    return (HRESULT)6;
}
static HRESULT STDMETHODCALLTYPE bitstokenoptions_GetHelperTokenSid(IBitsTokenOptions *This, LPWSTR *pSid)
{
    (void)This;
    (void)pSid;
    return (HRESULT)7;
}
static HRESULT STDMETHODCALLTYPE bitstokenoptions_QueryInterface(IBitsTokenOptions *This, REFIID riid, void **ppv)
{
    (void)This, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE bitstokenoptions_AddRef(IBitsTokenOptions *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE bitstokenoptions_Release(IBitsTokenOptions *This) { (void)This; return 2; }
static const IBitsTokenOptionsVtbl bitstokenoptions_vtbl = {
    .QueryInterface = bitstokenoptions_QueryInterface,
    .AddRef = bitstokenoptions_AddRef,
    .Release = bitstokenoptions_Release,
    .SetHelperTokenFlags = bitstokenoptions_SetHelperTokenFlags,
    .GetHelperTokenFlags = bitstokenoptions_GetHelperTokenFlags,
    .SetHelperToken = bitstokenoptions_SetHelperToken,
    .ClearHelperToken = bitstokenoptions_ClearHelperToken,
    .GetHelperTokenSid = bitstokenoptions_GetHelperTokenSid,
};
static IBitsTokenOptions bitstokenoptions_object = {&bitstokenoptions_vtbl};
IBitsTokenOptions *ccall_bitstokenoptions(void) { return &bitstokenoptions_object; }

static HRESULT STDMETHODCALLTYPE backgroundcopyservercertificatevalidationcallback_ValidateServerCertificate(IBackgroundCopyServerCertificateValidationCallback *This, IBackgroundCopyJob *job, IBackgroundCopyFile *file, DWORD certLength, const BYTE certData[], DWORD certEncodingType, DWORD certStoreLength, const BYTE certStoreData[])
{
    (void)This;
    (void)job;
    (void)file;
    (void)certLength;
    (void)certData;
    (void)certEncodingType;
    (void)certStoreLength;
    (void)certStoreData;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyservercertificatevalidationcallback_QueryInterface(IBackgroundCopyServerCertificateValidationCallback *This, REFIID riid, void **ppv)
{
    (void)This, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE backgroundcopyservercertificatevalidationcallback_AddRef(IBackgroundCopyServerCertificateValidationCallback *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE backgroundcopyservercertificatevalidationcallback_Release(IBackgroundCopyServerCertificateValidationCallback *This) { (void)This; return 2; }
static const IBackgroundCopyServerCertificateValidationCallbackVtbl backgroundcopyservercertificatevalidationcallback_vtbl = {
    .QueryInterface = backgroundcopyservercertificatevalidationcallback_QueryInterface,
    .AddRef = backgroundcopyservercertificatevalidationcallback_AddRef,
    .Release = backgroundcopyservercertificatevalidationcallback_Release,
    .ValidateServerCertificate = backgroundcopyservercertificatevalidationcallback_ValidateServerCertificate,
};
static IBackgroundCopyServerCertificateValidationCallback backgroundcopyservercertificatevalidationcallback_object = {&backgroundcopyservercertificatevalidationcallback_vtbl};
IBackgroundCopyServerCertificateValidationCallback *ccall_backgroundcopyservercertificatevalidationcallback(void) { return &backgroundcopyservercertificatevalidationcallback_object; }

static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_GetMaximumCacheSize(IBitsPeerCacheAdministration *This, DWORD *pBytes)
{
    (void)This;
    (void)pBytes;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_SetMaximumCacheSize(IBitsPeerCacheAdministration *This, DWORD Bytes)
{
    (void)This;
    (void)Bytes;
    return (HRESULT)4;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_GetMaximumContentAge(IBitsPeerCacheAdministration *This, ULONG *pSeconds)
{
    (void)This;
    (void)pSeconds;
    return (HRESULT)5;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_SetMaximumContentAge(IBitsPeerCacheAdministration *This, ULONG Seconds)
{
    (void)This;
    (void)Seconds;
    return (HRESULT)6;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_GetConfigurationFlags(IBitsPeerCacheAdministration *This, DWORD *pFlags)
{
    (void)This;
    (void)pFlags;
    return (HRESULT)7;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_SetConfigurationFlags(IBitsPeerCacheAdministration *This, DWORD Flags)
{
    (void)This;
    (void)Flags;
    return (HRESULT)8;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_EnumRecords(IBitsPeerCacheAdministration *This, IEnumBitsPeerCacheRecords **ppEnum)
{
    (void)This;
    (void)ppEnum;
    return (HRESULT)9;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_GetRecord(IBitsPeerCacheAdministration *This, REFGUID id, IBitsPeerCacheRecord **ppRecord)
{
    (void)This;
    (void)id;
    (void)ppRecord;
    return (HRESULT)10;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_ClearRecords(IBitsPeerCacheAdministration *This)
{
    (void)This;
    return (HRESULT)11;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_DeleteRecord(IBitsPeerCacheAdministration *This, REFGUID id)
{
    (void)This;
    (void)id;
    return (HRESULT)12;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_DeleteUrl(IBitsPeerCacheAdministration *This, LPCWSTR url)
{
    (void)This;
    (void)url;
    return (HRESULT)13;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_EnumPeers(IBitsPeerCacheAdministration *This, IEnumBitsPeers **ppEnum)
{
    (void)This;
    (void)ppEnum;
    return (HRESULT)14;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_ClearPeers(IBitsPeerCacheAdministration *This)
{
    (void)This;
    return (HRESULT)15;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_DiscoverPeers(IBitsPeerCacheAdministration *This)
{
    (void)This;
    return (HRESULT)16;
}
static HRESULT STDMETHODCALLTYPE bitspeercacheadministration_QueryInterface(IBitsPeerCacheAdministration *This, REFIID riid, void **ppv)
{
    (void)This, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE bitspeercacheadministration_AddRef(IBitsPeerCacheAdministration *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE bitspeercacheadministration_Release(IBitsPeerCacheAdministration *This) { (void)This; return 2; }
static const IBitsPeerCacheAdministrationVtbl bitspeercacheadministration_vtbl = {
    .QueryInterface = bitspeercacheadministration_QueryInterface,
    .AddRef = bitspeercacheadministration_AddRef,
    .Release = bitspeercacheadministration_Release,
    .GetMaximumCacheSize = bitspeercacheadministration_GetMaximumCacheSize,
    .SetMaximumCacheSize = bitspeercacheadministration_SetMaximumCacheSize,
    .GetMaximumContentAge = bitspeercacheadministration_GetMaximumContentAge,
    .SetMaximumContentAge = bitspeercacheadministration_SetMaximumContentAge,
    .GetConfigurationFlags = bitspeercacheadministration_GetConfigurationFlags,
    .SetConfigurationFlags = bitspeercacheadministration_SetConfigurationFlags,
    .EnumRecords = bitspeercacheadministration_EnumRecords,
    .GetRecord = bitspeercacheadministration_GetRecord,
    .ClearRecords = bitspeercacheadministration_ClearRecords,
    .DeleteRecord = bitspeercacheadministration_DeleteRecord,
    .DeleteUrl = bitspeercacheadministration_DeleteUrl,
    .EnumPeers = bitspeercacheadministration_EnumPeers,
    .ClearPeers = bitspeercacheadministration_ClearPeers,
    .DiscoverPeers = bitspeercacheadministration_DiscoverPeers,
};
static IBitsPeerCacheAdministration bitspeercacheadministration_object = {&bitspeercacheadministration_vtbl};
IBitsPeerCacheAdministration *ccall_bitspeercacheadministration(void) { return &bitspeercacheadministration_object; }

static HRESULT STDMETHODCALLTYPE enumbackgroundcopyjobs_Next(IEnumBackgroundCopyJobs *This, ULONG celt, IBackgroundCopyJob **rgelt, ULONG *pceltFetched)
{
    (void)This;
    (void)celt;
    (void)rgelt;
    (void)pceltFetched;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE enumbackgroundcopyjobs_Skip(IEnumBackgroundCopyJobs *This, ULONG celt)
{
    (void)This;
    (void)celt;
    return (HRESULT)4;
}
static HRESULT STDMETHODCALLTYPE enumbackgroundcopyjobs_Reset(IEnumBackgroundCopyJobs *This)
{
    (void)This;
    return (HRESULT)5;
}
static HRESULT STDMETHODCALLTYPE enumbackgroundcopyjobs_Clone(IEnumBackgroundCopyJobs *This, IEnumBackgroundCopyJobs **ppenum)
{
    (void)This;
    (void)ppenum;
    return (HRESULT)6;
}
static HRESULT STDMETHODCALLTYPE enumbackgroundcopyjobs_GetCount(IEnumBackgroundCopyJobs *This, ULONG *puCount)
{
    (void)This;
    (void)puCount;
    return (HRESULT)7;
}
static HRESULT STDMETHODCALLTYPE enumbackgroundcopyjobs_QueryInterface(IEnumBackgroundCopyJobs *This, REFIID riid, void **ppv)
{
    (void)This, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE enumbackgroundcopyjobs_AddRef(IEnumBackgroundCopyJobs *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE enumbackgroundcopyjobs_Release(IEnumBackgroundCopyJobs *This) { (void)This; return 2; }
static const IEnumBackgroundCopyJobsVtbl enumbackgroundcopyjobs_vtbl = {
    .QueryInterface = enumbackgroundcopyjobs_QueryInterface,
    .AddRef = enumbackgroundcopyjobs_AddRef,
    .Release = enumbackgroundcopyjobs_Release,
    .Next = enumbackgroundcopyjobs_Next,
    .Skip = enumbackgroundcopyjobs_Skip,
    .Reset = enumbackgroundcopyjobs_Reset,
    .Clone = enumbackgroundcopyjobs_Clone,
    .GetCount = enumbackgroundcopyjobs_GetCount,
};
static IEnumBackgroundCopyJobs enumbackgroundcopyjobs_object = {&enumbackgroundcopyjobs_vtbl};
IEnumBackgroundCopyJobs *ccall_enumbackgroundcopyjobs(void) { return &enumbackgroundcopyjobs_object; }

static HRESULT STDMETHODCALLTYPE backgroundcopymanager_CreateJob(IBackgroundCopyManager *This, LPCWSTR DisplayName, BG_JOB_TYPE Type, GUID *pJobId, IBackgroundCopyJob **ppJob)
{
    (void)This;
    (void)DisplayName;
    (void)Type;
    (void)pJobId;
    (void)ppJob;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE backgroundcopymanager_GetJob(IBackgroundCopyManager *This, REFGUID jobID, IBackgroundCopyJob **ppJob)
{
    (void)This;
    (void)jobID;
    (void)ppJob;
    return (HRESULT)4;
}
static HRESULT STDMETHODCALLTYPE backgroundcopymanager_EnumJobs(IBackgroundCopyManager *This, DWORD dwFlags, IEnumBackgroundCopyJobs **ppEnum)
{
    (void)This;
    (void)dwFlags;
    (void)ppEnum;
    return (HRESULT)5;
}
static HRESULT STDMETHODCALLTYPE backgroundcopymanager_GetErrorDescription(IBackgroundCopyManager *This, HRESULT hResult, DWORD LanguageId, LPWSTR *pErrorDescription)
{
    (void)This;
    (void)hResult;
    (void)LanguageId;
    (void)pErrorDescription;
    return (HRESULT)6;
}
static HRESULT STDMETHODCALLTYPE backgroundcopymanager_QueryInterface(IBackgroundCopyManager *This, REFIID riid, void **ppv)
{
    (void)This, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE backgroundcopymanager_AddRef(IBackgroundCopyManager *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE backgroundcopymanager_Release(IBackgroundCopyManager *This) { (void)This; return 2; }
static const IBackgroundCopyManagerVtbl backgroundcopymanager_vtbl = {
    .QueryInterface = backgroundcopymanager_QueryInterface,
    .AddRef = backgroundcopymanager_AddRef,
    .Release = backgroundcopymanager_Release,
    .CreateJob = backgroundcopymanager_CreateJob,
    .GetJob = backgroundcopymanager_GetJob,
    .EnumJobs = backgroundcopymanager_EnumJobs,
    .GetErrorDescription = backgroundcopymanager_GetErrorDescription,
};
static IBackgroundCopyManager backgroundcopymanager_object = {&backgroundcopymanager_vtbl};
IBackgroundCopyManager *ccall_backgroundcopymanager(void) { return &backgroundcopymanager_object; }

static HRESULT STDMETHODCALLTYPE backgroundcopyerror_GetError(IBackgroundCopyError *This, BG_ERROR_CONTEXT *pContext, HRESULT *pCode)
{
    (void)This;
    (void)pContext;
    (void)pCode;
    return (HRESULT)3;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyerror_GetFile(IBackgroundCopyError *This, IBackgroundCopyFile **pVal)
{
    (void)This;
    (void)pVal;
    return (HRESULT)4;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyerror_GetErrorDescription(IBackgroundCopyError *This, DWORD LanguageId, LPWSTR *pErrorDescription)
{
    (void)This;
    (void)LanguageId;
    (void)pErrorDescription;
    return (HRESULT)5;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyerror_GetErrorContextDescription(IBackgroundCopyError *This, DWORD LanguageId, LPWSTR *pContextDescription)
{
    (void)This;
    (void)LanguageId;
    (void)pContextDescription;
    return (HRESULT)6;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyerror_GetProtocol(IBackgroundCopyError *This, LPWSTR *pProtocol)
{
    (void)This;
    (void)pProtocol;
    return (HRESULT)7;
}
static HRESULT STDMETHODCALLTYPE backgroundcopyerror_QueryInterface(IBackgroundCopyError *This, REFIID riid, void **ppv)
{
    (void)This, (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE backgroundcopyerror_AddRef(IBackgroundCopyError *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE backgroundcopyerror_Release(IBackgroundCopyError *This) { (void)This; return 2; }
static const IBackgroundCopyErrorVtbl backgroundcopyerror_vtbl = {
    .QueryInterface = backgroundcopyerror_QueryInterface,
    .AddRef = backgroundcopyerror_AddRef,
    .Release = backgroundcopyerror_Release,
    .GetError = backgroundcopyerror_GetError,
    .GetFile = backgroundcopyerror_GetFile,
    .GetErrorDescription = backgroundcopyerror_GetErrorDescription,
    .GetErrorContextDescription = backgroundcopyerror_GetErrorContextDescription,
    .GetProtocol = backgroundcopyerror_GetProtocol,
};
static IBackgroundCopyError backgroundcopyerror_object = {&backgroundcopyerror_vtbl};
IBackgroundCopyError *ccall_backgroundcopyerror(void) { return &backgroundcopyerror_object; }

HRESULT ccall_drive_callback3(IBackgroundCopyCallback3 *cb, IBackgroundCopyJob *job, IBackgroundCopyError *err,
                              IBackgroundCopyFile *file)
{
    static const BG_FILE_RANGE ranges[2] = {{10, 20}, {100, BG_LENGTH_TO_EOF}};
    IBackgroundCopyCallback3 *same = NULL;
    HRESULT hr = IBackgroundCopyCallback3_QueryInterface(cb, &IID_IBackgroundCopyCallback3, (void **)&same);
    if (hr != S_OK || same != cb)
        return E_FAIL;
    /* Each call's result is folded in at its own decimal digit, so a call
     * landing in the wrong slot shows up in the total. */
    LONG total = 0;
    total += IBackgroundCopyCallback3_JobTransferred(cb, job);
    total += 10 * IBackgroundCopyCallback3_JobError(cb, job, err);
    total += 100 * IBackgroundCopyCallback3_JobModification(cb, job, 42);
    total += 1000 * IBackgroundCopyCallback3_FileTransferred(cb, job, file);
    total += 10000 * IBackgroundCopyCallback3_FileRangesTransferred(cb, job, file, 2, ranges);
    IBackgroundCopyCallback3_Release(same);
    return (HRESULT)total;
}
