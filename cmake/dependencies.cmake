# dependencies.cmake - find libuv, libcurl, SQLite, inih (the policy file's
# INI parser on POSIX, docs/policy.md) and (for the test server) libmicrohttpd, and
# name each by one variable that the rest of the build links:
#   BGCOPY_UV_TARGET  BGCOPY_CURL_TARGET  BGCOPY_SQLITE_TARGET
#   BGCOPY_INIH_TARGET  BGCOPY_MHD_TARGET
#
# On Linux, Debian's -dev packages ship only pkg-config files, so pkg-config
# is used.  On Windows (mingw-w64, see cmake/toolchains/) the libraries built
# by scripts/windows-deps.sh are static and come with CMake packages (libuv,
# curl) or are found by CMake's own modules (SQLite) and by name
# (libmicrohttpd, whose pkg-config file does not name its system libraries).
# BGCOPY_SQLITE_TARGET is found now so that the build fails early where it is
# missing; the persistent queue that links it is not written yet.

find_package(Threads REQUIRED)

if(WIN32)
  find_package(libuv CONFIG REQUIRED)        # targets uv (DLL) and uv_a (static)
  find_package(CURL CONFIG REQUIRED)         # CURL::libcurl, static, carries CURL_STATICLIB
  find_package(SQLite3 REQUIRED)             # SQLite::SQLite3 (CMake's FindSQLite3)
  set(BGCOPY_UV_TARGET uv_a)
  set(BGCOPY_CURL_TARGET CURL::libcurl)
  set(BGCOPY_SQLITE_TARGET SQLite::SQLite3)
  # No inih on Windows: the policy file is read with the system's own INI
  # reader (core/src/policy.c, docs/policy.md).
  set(BGCOPY_INIH_TARGET "")
  if(BGCOPY_BUILD_TESTS)
    find_path(BGCOPY_MHD_INCLUDE_DIR microhttpd.h REQUIRED)
    find_library(BGCOPY_MHD_LIBRARY NAMES microhttpd libmicrohttpd REQUIRED)
    add_library(bgcopy_dep_mhd INTERFACE IMPORTED)
    set_target_properties(bgcopy_dep_mhd PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "${BGCOPY_MHD_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "${BGCOPY_MHD_LIBRARY};ws2_32")
    set(BGCOPY_MHD_TARGET bgcopy_dep_mhd)
  endif()
  # COM and OLE automation come from the system on Windows.
  set(BGCOPY_SYSTEM_LIBS ole32 oleaut32 uuid)
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv>=1.40)
  pkg_check_modules(LIBCURL REQUIRED IMPORTED_TARGET libcurl>=7.68)
  pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3>=3.31)
  set(BGCOPY_UV_TARGET PkgConfig::LIBUV)
  set(BGCOPY_CURL_TARGET PkgConfig::LIBCURL)
  set(BGCOPY_SQLITE_TARGET PkgConfig::SQLITE3)
  pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)   # Debian's libinih-dev
  set(BGCOPY_INIH_TARGET PkgConfig::INIH)
  if(BGCOPY_BUILD_TESTS)
    pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
    set(BGCOPY_MHD_TARGET PkgConfig::MHD)
  endif()
  set(BGCOPY_SYSTEM_LIBS)
endif()
