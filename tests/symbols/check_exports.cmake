# check_exports.cmake - libbgcopy.so exports the public API and nothing else.
#
#   cmake -DNM=<nm> -DLIB=<libbgcopy.so> -DSOURCE_DIR=<repo> -P check_exports.cmake
#
# Lists the dynamic symbols the library defines (nm -D --defined-only) and
# fails on any name outside the allowlist below, and on any allowlisted
# public declaration the library does not export (a declaration that lost
# its BGCOPY_API / BGCOPY_COMPAT_API, which -fvisibility=hidden then hides).
# Rule for new code (docs/building.md): every public declaration carries
# BGCOPY_API (core/include/bgcopy.h) or BGCOPY_COMPAT_API (compat/include).

cmake_minimum_required(VERSION 3.20)

# Win32 stand-ins the compat headers declare for non-Windows clients: each
# is a function a BITS client program calls by its Windows name.
set(ALLOWED_FUNCTIONS
  CoInitialize              # COM apartment setup every BITS client starts with
  CoInitializeEx            # the same, with a concurrency model
  CoUninitialize            # the last one closes the engine (docs/compat.md)
  CoInitializeSecurity      # BITS samples call it; accepted and ignored
  CoCreateInstance          # how a client gets IBackgroundCopyManager
  CoTaskMemAlloc            # strings BITS methods return are CoTaskMem memory
  CoTaskMemRealloc          #   "
  CoTaskMemFree             # the client frees those strings
  CoRegisterClassObject     # a client registers its IBackgroundCopyCallback1 class (qmgr.h)
  CoRevokeClassObject       #   and unregisters it
  StringFromGUID2           # GUID <-> text, as in ole32
  CLSIDFromString           #   "
  IIDFromString             #   "
  SysAllocString            # BSTRs of the BITS 1.0 Queue Manager API (oleauto.h)
  SysAllocStringLen         #   "
  SysFreeString             #   "
  SysStringLen              #   "
  SysStringByteLen          #   "
  VariantInit               # VARIANTs of IBackgroundCopyGroup::GetProp/SetProp
  VariantClear              #   "
  BgCopyCreateInstance      # CoCreateInstance without COM initialisation (bgcopy_win32.h)
  BgCopyQMgrSetProgressGranularity # bgcopy_qmgr.h: the Queue Manager's progress knob
  GetCurrentThreadId        # the thread message queue of an STA client (winuser.h)
  GetMessageA               #   its message loop
  GetMessageW               #   "
  PeekMessageA              #   "
  PeekMessageW              #   "
  TranslateMessage          #   "
  DispatchMessageA          #   "
  DispatchMessageW          #   "
  PostMessageA              #   "
  PostMessageW              #   "
  PostThreadMessageA        #   "
  PostThreadMessageW        #   "
  PostQuitMessage           #   how JobTransferred ends the loop
  WaitMessage               #   "
  MsgWaitForMultipleObjects #   "
  MsgWaitForMultipleObjectsEx # "
)
# Data: the GUIDs a C client passes by address (&IID_IBackgroundCopyManager),
# defined once in the library as uuid.lib / bits_i.c would be on Windows.
set(ALLOWED_DATA
  GUID_NULL                 # IID_NULL / CLSID_NULL
)
# Names the linker itself may define in any shared object.
set(ALLOWED_LINKER _init _fini _edata _end __bss_start)

foreach(v NM LIB SOURCE_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_exports.cmake: -D${v}= is required")
  endif()
endforeach()

execute_process(COMMAND ${NM} -D --defined-only ${LIB}
  OUTPUT_VARIABLE nm_out RESULT_VARIABLE nm_rc ERROR_VARIABLE nm_err)
if(NOT nm_rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D --defined-only ${LIB} failed (${nm_rc}): ${nm_err}")
endif()

# What the public headers declare: bgcopy_* functions of bgcopy.h, the
# IID_*/CLSID_* constants of compat/include.
# Every function bgcopy.h declares counts, with or without BGCOPY_API, so
# that one declared without it is reported as not exported.
file(READ ${SOURCE_DIR}/core/include/bgcopy.h bgcopy_h)
string(REGEX REPLACE "/\\*([^*]|\\*+[^*/])*\\*+/" "" bgcopy_h "${bgcopy_h}")  # comments
string(REGEX REPLACE "\n#[^\n]*" "\n" bgcopy_h "${bgcopy_h}")                  # macros
string(REGEX MATCHALL "bgcopy_[a-z0-9_]+[ \t\n]*\\([^*]" decls "${bgcopy_h}")
set(PUBLIC_FUNCTIONS "")
foreach(d IN LISTS decls)
  string(REGEX REPLACE "^(bgcopy_[a-z0-9_]+).*$" "\\1" name "${d}")
  list(APPEND PUBLIC_FUNCTIONS ${name})
endforeach()
list(REMOVE_DUPLICATES PUBLIC_FUNCTIONS)
file(GLOB compat_headers ${SOURCE_DIR}/compat/include/*.h)
set(PUBLIC_GUIDS "")
foreach(h IN LISTS compat_headers)
  file(STRINGS ${h} lines REGEX "^EXTERN_C BGCOPY_COMPAT_API const (IID|CLSID|GUID) ")
  foreach(l IN LISTS lines)
    string(REGEX REPLACE "^.* ([A-Za-z0-9_]+);.*$" "\\1" name "${l}")
    list(APPEND PUBLIC_GUIDS ${name})
  endforeach()
endforeach()
list(LENGTH PUBLIC_FUNCTIONS nfun)
list(LENGTH PUBLIC_GUIDS nguid)
if(nfun LESS 50 OR nguid LESS 40)
  message(FATAL_ERROR "found only ${nfun} BGCOPY_API functions and ${nguid} GUIDs in the headers: "
                      "the declaration patterns in this script no longer match")
endif()

string(REPLACE "\n" ";" nm_lines "${nm_out}")
set(exported "")
set(bad "")
foreach(l IN LISTS nm_lines)
  if(l MATCHES "^[0-9a-fA-F]* *([A-Za-z]) ([^ ]+)$")
    set(name ${CMAKE_MATCH_2})
    string(REGEX REPLACE "@.*$" "" name "${name}")   # symbol versions, if any
    # AddressSanitizer adds a one-definition-rule indicator beside every
    # exported global (GCC: __odr_asan.NAME, clang: __odr_asan_gen_NAME):
    # allowed exactly when NAME is.
    if(name MATCHES "^__odr_asan(\\.|_gen_)(.+)$")
      set(base ${CMAKE_MATCH_2})
      if(NOT base IN_LIST PUBLIC_GUIDS AND NOT base IN_LIST ALLOWED_DATA)
        list(APPEND bad ${name})
      endif()
      continue()
    endif()
    list(APPEND exported ${name})
    if(name IN_LIST PUBLIC_FUNCTIONS OR name IN_LIST PUBLIC_GUIDS OR name IN_LIST ALLOWED_FUNCTIONS
       OR name IN_LIST ALLOWED_DATA OR name IN_LIST ALLOWED_LINKER)
      continue()
    endif()
    list(APPEND bad ${name})
  endif()
endforeach()

set(missing "")
foreach(name IN LISTS PUBLIC_FUNCTIONS PUBLIC_GUIDS ALLOWED_FUNCTIONS ALLOWED_DATA)
  if(NOT name IN_LIST exported)
    list(APPEND missing ${name})
  endif()
endforeach()

list(LENGTH exported nexp)
if(bad)
  list(JOIN bad "\n  " bad_text)
  message(SEND_ERROR "libbgcopy.so exports names outside the public API (hide them, or declare "
                     "them in a public header with BGCOPY_API/BGCOPY_COMPAT_API and list them "
                     "in tests/symbols/check_exports.cmake):\n  ${bad_text}")
endif()
if(missing)
  list(JOIN missing "\n  " missing_text)
  message(SEND_ERROR "public names libbgcopy.so does not export (a declaration without "
                     "BGCOPY_API/BGCOPY_COMPAT_API?):\n  ${missing_text}")
endif()
if(bad OR missing)
  message(FATAL_ERROR "export check failed")
endif()
message(STATUS "libbgcopy.so exports ${nexp} names, all public (${nfun} bgcopy_* functions, "
               "${nguid} GUIDs declared in the headers)")
