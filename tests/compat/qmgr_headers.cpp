/*
 * qmgr_headers - qmgr.h and oleauto.h seen from C++ (C++17 and C++11): the
 * interfaces are abstract structs with the spec §4.2 methods, GUID
 * parameters by value, __uuidof of every interface and of the coclass equal
 * to the IID_/CLSID_ constants, and a C++ client driving the C-implemented
 * queue manager through virtual calls (so the slot order of the C++ form
 * matches the C vtables the objects fill).
 */
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include <qmgr.h>

#include <cstdio>
#include <cstring>
#include <cwchar>
#include <type_traits>

#define REQUIRE(c)                                                         \
    do {                                                                   \
        if (!(c)) {                                                        \
            std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);   \
            return 1;                                                      \
        }                                                                  \
    } while (0)

static_assert(std::is_abstract<IBackgroundCopyGroup>::value, "abstract");
static_assert(std::is_base_of<IUnknown, IBackgroundCopyQMgr>::value, "IUnknown base");
static_assert(std::is_base_of<IUnknown, IBackgroundCopyCallback1>::value, "IUnknown base");
/* by-value GUIDs (spec §4.2) */
static_assert(std::is_same<decltype(&IBackgroundCopyQMgr::CreateGroup),
                           HRESULT (STDMETHODCALLTYPE IBackgroundCopyQMgr::*)(
                               GUID, IBackgroundCopyGroup **)>::value, "CreateGroup(GUID)");
static_assert(std::is_same<decltype(&IBackgroundCopyGroup::CreateJob),
                           HRESULT (STDMETHODCALLTYPE IBackgroundCopyGroup::*)(
                               GUID, IBackgroundCopyJob1 **)>::value, "CreateJob(GUID)");
static_assert(std::is_same<decltype(&IEnumBackgroundCopyGroups::Next),
                           HRESULT (STDMETHODCALLTYPE IEnumBackgroundCopyGroups::*)(
                               ULONG, GUID *, ULONG *)>::value, "Next yields GUIDs");
static_assert(sizeof(FILESETINFO) == 2 * sizeof(void *) + sizeof(void *), "FILESETINFO");
static_assert(sizeof(GROUPPROP) == 4, "GROUPPROP is 32-bit");
static_assert(sizeof(VARIANT) == (sizeof(void *) == 8 ? 24 : 16), "VARIANT size");

int main()
{
    REQUIRE(__uuidof(IBackgroundCopyQMgr) == IID_IBackgroundCopyQMgr);
    REQUIRE(__uuidof(IBackgroundCopyGroup) == IID_IBackgroundCopyGroup);
    REQUIRE(__uuidof(IBackgroundCopyJob1) == IID_IBackgroundCopyJob1);
    REQUIRE(__uuidof(IEnumBackgroundCopyGroups) == IID_IEnumBackgroundCopyGroups);
    REQUIRE(__uuidof(IEnumBackgroundCopyJobs1) == IID_IEnumBackgroundCopyJobs1);
    REQUIRE(__uuidof(IBackgroundCopyCallback1) == IID_IBackgroundCopyCallback1);
    REQUIRE(__uuidof(BackgroundCopyQMgr) == CLSID_BackgroundCopyQMgr);
    /* spec §4.1 values */
    WCHAR s[40];
    StringFromGUID2(CLSID_BackgroundCopyQMgr, s, 40);
    REQUIRE(std::wcscmp(s, L"{69AD4AEE-51BE-439B-A92C-86AE490E8B30}") == 0);
    StringFromGUID2(IID_IBackgroundCopyGroup, s, 40);
    REQUIRE(std::wcscmp(s, L"{1DED80A7-53EA-424F-8A04-17FEA9ADC4F5}") == 0);
    StringFromGUID2(IID_IBackgroundCopyCallback1, s, 40);
    REQUIRE(std::wcscmp(s, L"{084F6593-3800-4E08-9B59-99FA59ADDF82}") == 0);

    REQUIRE(CoInitializeEx(nullptr, COINIT_MULTITHREADED) == S_OK);
    IBackgroundCopyQMgr *qm = nullptr;
    REQUIRE(BgCopyCreateInstance(__uuidof(BackgroundCopyQMgr), nullptr, CLSCTX_LOCAL_SERVER,
                             __uuidof(IBackgroundCopyQMgr), (void **)&qm) == S_OK);
    GUID gid = {0x7e57c0de, 0x1, 0x2, {3, 4, 5, 6, 7, 8, 9, 10}};
    IBackgroundCopyGroup *g = nullptr;
    REQUIRE(qm->CreateGroup(gid, &g) == S_OK);
    GUID back{};
    REQUIRE(g->get_GroupID(&back) == S_OK); /* slot 12 */
    REQUIRE(back == gid);
    DWORD st = 0, idx = 9;
    REQUIRE(g->GetStatus(&st, &idx) == S_OK); /* slot 6 */
    REQUIRE(st == (QM_STATUS_GROUP_INCOMPLETE | QM_STATUS_GROUP_SUSPENDED) && idx == 0);
    DWORD p = 0;
    REQUIRE(g->GetProgress(QM_PROGRESS_TIME_DONE, &p) == E_NOTIMPL); /* slot 5 */
    IBackgroundCopyJob1 *job = nullptr;
    REQUIRE(g->CreateJob(gid, &job) == S_OK); /* slot 13 */
    REQUIRE(job->CancelJob() == E_NOTIMPL);   /* slot 3 */
    GUID jid{};
    REQUIRE(job->get_JobID(&jid) == S_OK); /* slot 10 */
    REQUIRE(jid == gid);
    IEnumBackgroundCopyGroups *e = nullptr;
    REQUIRE(qm->EnumGroups(0, &e) == S_OK); /* slot 5 */
    ULONG n = 0;
    REQUIRE(e->GetCount(&n) == S_OK && n >= 1); /* slot 7 */
    e->Release();
    REQUIRE(g->SetNotificationPointer(__uuidof(IUnknown), nullptr) == E_NOINTERFACE); /* slot 17 */
    REQUIRE(g->CancelGroup() == S_OK); /* slot 10 */
    job->Release();
    g->Release();
    qm->Release();
    CoUninitialize();
    std::printf("qmgr_headers: ok\n");
    return 0;
}
