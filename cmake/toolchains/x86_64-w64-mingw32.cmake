# Cross-compile bgcopy for 64-bit Windows with Debian's mingw-w64 and run
# what ctest runs under wine.
#
#   cmake -S . -B build-win -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/x86_64-w64-mingw32.cmake \
#     -DBGCOPY_WINDOWS_DEPS=<folder where libuv, libcurl, SQLite and
#                           libmicrohttpd for Windows are installed>
#
# (or the environment variable of the same name).
# scripts/windows-deps.sh builds those four from Debian's source packages.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(BGCOPY_MINGW_TRIPLET x86_64-w64-mingw32)
# The "posix" thread model (winpthreads underneath): GCC 12's "win32" model
# has no std::thread, std::mutex or std::promise, which C++ clients of a
# callback API use (the README's example does).  bgcopy itself is C and uses
# libuv's threads either way.
set(CMAKE_C_COMPILER   ${BGCOPY_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${BGCOPY_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER  ${BGCOPY_MINGW_TRIPLET}-windres)

# Headers and libraries come from the mingw sysroot and the dependency prefix
# only, never from the Linux host; programs (python3, pkg-config) from the host.
if(NOT BGCOPY_WINDOWS_DEPS AND DEFINED ENV{BGCOPY_WINDOWS_DEPS})
  set(BGCOPY_WINDOWS_DEPS "$ENV{BGCOPY_WINDOWS_DEPS}")
endif()
set(CMAKE_FIND_ROOT_PATH /usr/${BGCOPY_MINGW_TRIPLET} ${BGCOPY_WINDOWS_DEPS})
# try_compile projects see the same roots.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES BGCOPY_WINDOWS_DEPS)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# ctest runs every test program under wine (tests/CMakeLists.txt adds the
# environment that keeps wine quiet and off the network).
find_program(BGCOPY_WINE wine)
if(BGCOPY_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${BGCOPY_WINE})
endif()
