/*
 * headers_ccall.h - C functions and objects headers_cpp.cpp uses to check
 * C / C++ vtable agreement (see headers_ccall.c).  Not thread-safe: the
 * objects are static and for one test thread.
 */
#ifndef BGCOPY_TEST_HEADERS_CCALL_H
#define BGCOPY_TEST_HEADERS_CCALL_H

#include <bits10_3.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Static C objects whose method at vtable slot k returns (HRESULT)k;
 * AddRef returns 1, Release 2, QueryInterface E_NOINTERFACE. */
IBackgroundCopyJob5 *ccall_backgroundcopyjob5(void);
IBackgroundCopyFile6 *ccall_backgroundcopyfile6(void);
IBackgroundCopyJobHttpOptions3 *ccall_backgroundcopyjobhttpoptions3(void);
IBitsTokenOptions *ccall_bitstokenoptions(void);
IBackgroundCopyServerCertificateValidationCallback *ccall_backgroundcopyservercertificatevalidationcallback(void);
IBitsPeerCacheAdministration *ccall_bitspeercacheadministration(void);
IEnumBackgroundCopyJobs *ccall_enumbackgroundcopyjobs(void);
IBackgroundCopyManager *ccall_backgroundcopymanager(void);
IBackgroundCopyError *ccall_backgroundcopyerror(void);

/* Calls every method of |cb| through the C macros (JobTransferred,
 * JobError, JobModification with 42, FileTransferred, FileRangesTransferred
 * with two ranges) after a QueryInterface for IID_IBackgroundCopyCallback3,
 * and returns r3 + 10*r4 + 100*r5 + 1000*r6 + 10000*r7 of their results, or
 * E_FAIL when the QueryInterface fails. */
HRESULT ccall_drive_callback3(IBackgroundCopyCallback3 *cb, IBackgroundCopyJob *job, IBackgroundCopyError *err,
                              IBackgroundCopyFile *file);

#ifdef __cplusplus
}
#endif

#endif /* BGCOPY_TEST_HEADERS_CCALL_H */
