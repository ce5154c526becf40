#!/usr/bin/env bash
# install_test_windows.sh - ctest "packaging_install" of the Windows cross
# build: install the build tree into a scratch prefix, build clients against
# that prefix only the way a Windows user of mingw-w64 does (a CMake project
# with find_package(bgcopy) linking bgcopy::bgcopy_static), and run them
# under wine: the COM-style C and C++ clients, the native client and the
# README's two examples, which download a file from bgcopy-testserver.exe.
# (The Linux variant, install_test.sh, also covers pkg-config and the shared
# library; the Windows build has neither: it is static only, and pkg-config
# is not how Windows projects find libraries.)
#
# Options (all given by tests/packaging.cmake):
#   --build-dir DIR --cmake PATH --generator NAME --toolchain FILE
#   --deps DIR (BGCOPY_WINDOWS_DEPS of the build) --readme PATH
#   --testserver PATH (bgcopy-testserver.exe)
# Needs wine on PATH and WINEPREFIX with a running wineserver (scripts/test.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir='' cmake_cmd=cmake generator=Ninja toolchain='' deps='' readme='' testserver=''
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --cmake) cmake_cmd=$2; shift 2 ;;
    --generator) generator=$2; shift 2 ;;
    --toolchain) toolchain=$2; shift 2 ;;
    --deps) deps=$2; shift 2 ;;
    --readme) readme=$2; shift 2 ;;
    --testserver) testserver=$2; shift 2 ;;
    *) echo "install_test_windows.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$build_dir" ] && [ -n "$toolchain" ] || { echo "install_test_windows.sh: --build-dir and --toolchain are required" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bgcopy-packaging-win.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
prefix=$work/prefix

step() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
winpath() { wine winepath -w "$1" 2>/dev/null | tr -d '\r'; }

step "cmake --install $build_dir --prefix $prefix"
"$cmake_cmd" --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; fail "cmake --install failed"; }
for f in "$prefix/lib/libbgcopy.a" "$prefix/include/bgcopy/bgcopy.h" "$prefix/include/bgcopy/bits.h" \
         "$prefix/lib/cmake/bgcopy/bgcopyConfig.cmake" "$prefix/lib/cmake/bgcopy/bgcopyConfigVersion.cmake" \
         "$prefix/bin/bitsadmin.exe"; do
  [ -e "$f" ] || fail "not installed: $f"
done
src_root=$(cd "$here/../.." && pwd)
for h in "$src_root"/core/include/*.h "$src_root"/compat/include/*.h; do
  [ -f "$prefix/include/bgcopy/$(basename "$h")" ] || fail "header not installed: $(basename "$h")"
done

# The README's examples, with the server's URL and a destination in the
# scratch directory (a Windows path: bgcopy wants a full local name).
sources=("$here/client_com.c" "$here/client_native.c" "$here/client_com.cpp")
if [ -n "$readme" ]; then
  [ -f "$testserver" ] || fail "--readme needs --testserver"
  mkdir -p "$work/www"
  head -c 3000000 /dev/urandom >"$work/www/file.bin"
  # The Windows test server, under wine, serving the scratch directory.
  wine "$testserver" --port-file "$(winpath "$work/server.port")" --log "$(winpath "$work/server.log")" \
    --root "$(winpath "$work/www")" </dev/null >"$work/server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 400); do [ -s "$work/server.port" ] && break; kill -0 "$server_pid" || break; sleep 0.05; done
  [ -s "$work/server.port" ] || { cat "$work/server.out"; fail "bgcopy-testserver.exe did not start"; }
  port=$(tr -d '\r\n' <"$work/server.port")
  awk -v dir="$work" '
    /^```(c|cpp)$/ { n++; ext = substr($0, 4); file = dir "/readme" n "." ext; inside = 1; next }
    /^```/ { inside = 0; next }
    inside { print > file }' "$readme"
  n=0
  for src in "$work"/readme*.c "$work"/readme*.cpp; do
    [ -f "$src" ] || continue
    n=$((n + 1))
    name=$(basename "$src")
    dest=$(winpath "$work/${name%.*}.bin" | tr '\\' '/')   # C:/... : no escapes needed in a C string
    sed -i -e "s#http://127.0.0.1:8080/file.bin#http://127.0.0.1:$port/files/file.bin#" \
           -e "s#/tmp/file.bin#$dest#" "$src"
    sources+=("$src")
  done
  [ "$n" -ge 2 ] || fail "expected at least 2 examples in $readme, found $n"
fi

step "CMake project with find_package(bgcopy), cross-compiled"
extra=$(IFS=';'; echo "${sources[*]:1}")
"$cmake_cmd" -S "$here/consumer" -B "$work/consumer" -G "$generator" \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DBGCOPY_WINDOWS_DEPS="$deps;$prefix" \
  -DCMAKE_BUILD_TYPE=Release -DCLIENT_SOURCE="${sources[0]}" -DEXTRA_SOURCES="$extra" \
  >"$work/consumer-configure.log" 2>&1 \
  || { cat "$work/consumer-configure.log"; fail "consumer project did not configure"; }
grep -q "bgcopy_DIR:PATH=$prefix/lib/cmake/bgcopy" "$work/consumer/CMakeCache.txt" \
  || fail "find_package(bgcopy) did not use the scratch prefix"
"$cmake_cmd" --build "$work/consumer" >"$work/consumer-build.log" 2>&1 \
  || { cat "$work/consumer-build.log"; fail "consumer project did not build"; }

run() { # run NAME: run NAME.exe under wine, show its output
  local name=$1
  if ! timeout 120 wine "$work/consumer/$name.exe" </dev/null >"$work/$name.out" 2>&1; then
    cat "$work/$name.out"; fail "$name.exe exited with an error"
  fi
  tr -d '\r' <"$work/$name.out"
}
run consumer_static
for src in "${sources[@]:1}"; do
  name=$(basename "$src"); name=${name%.*}
  run "$name"
  case "$name" in
    readme*) cmp -s "$work/www/file.bin" "$work/$name.bin" || fail "README example $name did not download the file" ;;
  esac
done
step "packaging_install (Windows) passed"
