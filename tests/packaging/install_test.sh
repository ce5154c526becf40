#!/usr/bin/env bash
# install_test.sh - ctest "packaging_install": install this build tree into a
# scratch prefix and use it the two ways the README documents:
#   1. cc client.c $(pkg-config --cflags --libs bgcopy)   (C and C++)
#   2. a CMake project with find_package(bgcopy) linking bgcopy::bgcopy and
#      bgcopy::bgcopy_static
# and run every program built.  Only the prefix is visible to the clients:
# the source tree's include directories are never passed.
#
# Options (all given by tests/packaging.cmake):
#   --build-dir DIR  --cmake PATH  --generator NAME  --cc PATH  --cxx PATH
#   --sanitize VALUE (BGCOPY_SANITIZE of the build, may be empty)
#   --com 0|1        (1: the COM-style client over <bits.h> must work too)
#   --readme PATH    README.md: its C and C++ examples are built against the
#                    prefix and run against bgcopy-testserver
#   --testserver PATH  the bgcopy-testserver executable (with --readme)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir='' cmake_cmd=cmake generator=Ninja cc=cc cxx=c++ sanitize='' com=0 readme='' testserver=
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --cmake) cmake_cmd=$2; shift 2 ;;
    --generator) generator=$2; shift 2 ;;
    --cc) cc=$2; shift 2 ;;
    --cxx) cxx=$2; shift 2 ;;
    --sanitize) sanitize=$2; shift 2 ;;
    --com) com=$2; shift 2 ;;
    --readme) readme=$2; shift 2 ;;
    --testserver) testserver=$2; shift 2 ;;
    *) echo "install_test.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$build_dir" ] || { echo "install_test.sh: --build-dir is required" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bgcopy-packaging.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
prefix=$work/prefix

step() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# A sanitized libbgcopy needs its runtime in every program that links it,
# and the runtime must come first: build the clients with the same flags.
san_flags=()
san_cxx_flags=()
if [ -n "$sanitize" ]; then
  san_flags=("-fsanitize=$sanitize" -fno-omit-frame-pointer)
  # COM objects are C structs with a vtable pointer but no C++ RTTI behind
  # it, so UBSan's vptr check (part of "undefined") rejects every C++ method
  # call on them: C++ clients of bgcopy built with UBSan leave vptr out.
  case "$sanitize" in *undefined*|*vptr*) san_cxx_flags=(-fno-sanitize=vptr) ;; esac
fi

step "cmake --install $build_dir --prefix $prefix"
"$cmake_cmd" --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; fail "cmake --install failed"; }

libdir=
for d in "$prefix/lib" "$prefix"/lib/*-linux-gnu "$prefix/lib64"; do
  if [ -f "$d/pkgconfig/bgcopy.pc" ]; then libdir=$d; break; fi
done
[ -n "$libdir" ] || fail "bgcopy.pc not installed under $prefix"
for f in "$libdir/libbgcopy.so" "$libdir/libbgcopy.a" "$prefix/include/bgcopy/bgcopy.h" \
         "$libdir/cmake/bgcopy/bgcopyConfig.cmake" "$libdir/cmake/bgcopy/bgcopyConfigVersion.cmake"; do
  [ -e "$f" ] || fail "not installed: $f"
done
# Every public header of the source tree must be in the prefix: a header
# added after the last configure would be missing from the install.
src_root=$(cd "$here/../.." && pwd)
for h in "$src_root"/core/include/*.h "$src_root"/compat/include/*.h; do
  [ -e "$h" ] || continue
  [ -f "$prefix/include/bgcopy/$(basename "$h")" ] || fail "header not installed: $(basename "$h") (re-run cmake?)"
done
[ -x "$prefix/bin/bitsadmin" ] || fail "not installed: $prefix/bin/bitsadmin"
if [ "$com" = 1 ]; then
  [ -f "$prefix/include/bgcopy/bits.h" ] || fail "not installed: $prefix/include/bgcopy/bits.h"
  client_c=$here/client_com.c
  client_cxx=$here/client_com.cpp
else
  client_c=$here/client_native.c
  client_cxx=$here/client_native.cpp
fi

# pkg-config sees only the scratch prefix (and the system's libuv/libcurl).
export PKG_CONFIG_PATH=$libdir/pkgconfig
pc_flags=$(pkg-config --cflags --libs bgcopy) || fail "pkg-config --cflags --libs bgcopy"
step "pkg-config --cflags --libs bgcopy: $pc_flags"
case "$pc_flags" in
  *"-I$libdir/pkgconfig/../../include/bgcopy"*|*"-I$prefix/include/bgcopy"*) ;;
  *) fail "pkg-config cflags do not point into $prefix/include/bgcopy" ;;
esac
version=$(pkg-config --modversion bgcopy)
step "bgcopy.pc version $version"

run() { # run NAME PROGRAM: run with the prefix's libraries, show its output
  local name=$1; shift
  if ! LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@" >"$work/$name.out" 2>&1; then
    cat "$work/$name.out"; fail "$name exited with an error"
  fi
  cat "$work/$name.out"
}

step "C client ($(basename "$client_c")) via pkg-config"
# shellcheck disable=SC2086  # pc_flags is a list of words by design
"$cc" -std=c11 -Wall -Wextra -Werror "${san_flags[@]}" -o "$work/client_c" "$client_c" $pc_flags \
  || fail "C client did not compile/link with pkg-config flags"
run client_c "$work/client_c"
# The program must really use the installed shared library.
# (ldd's output is read whole: "ldd | grep -q" can die of SIGPIPE under pipefail.)
deps=$(LD_LIBRARY_PATH=$libdir ldd "$work/client_c") || fail "ldd client_c"
case "$deps" in
  *"$libdir/libbgcopy.so"*) ;;
  *) fail "client_c is not linked against $libdir/libbgcopy.so" ;;
esac

step "C++ client ($(basename "$client_cxx")) via pkg-config"
# shellcheck disable=SC2086
"$cxx" -std=c++17 -Wall -Wextra -Werror "${san_flags[@]}" "${san_cxx_flags[@]}" -o "$work/client_cxx" \
  "$client_cxx" $pc_flags || fail "C++ client did not compile/link with pkg-config flags"
run client_cxx "$work/client_cxx"
if [ "$com" = 1 ]; then
  # The native API stays usable next to the compat layer.
  step "native C client via pkg-config"
  # shellcheck disable=SC2086
  "$cc" -std=c11 -Wall -Wextra -Werror "${san_flags[@]}" -o "$work/client_native" \
    "$here/client_native.c" $pc_flags || fail "native C client did not compile/link"
  run client_native "$work/client_native"
fi

# Windows BITS programs (docs/windows-programs.md): the documented build
# line (Unicode build, pkg-config's bgcopy-win32), mixed-case header
# spellings from the prefix, and a run of each against the test server.
if [ "$com" = 1 ] && [ -f "$libdir/pkgconfig/bgcopy-win32.pc" ]; then
  for h in Windows.h Bits.h Bits3_0.h ObjBase.h; do
    [ -f "$prefix/include/bgcopy/$h" ] || fail "spelling not installed: $h"
  done
  [ -f "$libdir/libbgcopy-win32.a" ] || fail "not installed: $libdir/libbgcopy-win32.a"
  w32_flags=$(pkg-config --cflags --libs bgcopy-win32) || fail "pkg-config --cflags --libs bgcopy-win32"
  step "Windows BITS programs via pkg-config: $w32_flags"
  # shellcheck disable=SC2086
  "$cc" -std=c11 -Wall -Wextra -Werror "${san_flags[@]}" -DUNICODE -D_UNICODE -o "$work/bits-props" \
    "$src_root/docs/examples/bits-props.c" $w32_flags || fail "bits-props did not compile/link"
  # shellcheck disable=SC2086
  "$cxx" -std=c++17 -Wall -Wextra -Werror "${san_flags[@]}" "${san_cxx_flags[@]}" -DUNICODE -D_UNICODE \
    -o "$work/bits-poll" "$src_root/docs/examples/bits-poll.cpp" $w32_flags \
    || fail "bits-poll did not compile/link"
  if [ -x "$testserver" ]; then
    mkdir -p "$work/w32"
    "$testserver" --port-file "$work/w32.port" --log "$work/w32.log" &
    w32_pid=$!
    for _ in $(seq 1 200); do [ -s "$work/w32.port" ] && break; kill -0 "$w32_pid" || break; sleep 0.05; done
    [ -s "$work/w32.port" ] || fail "bgcopy-testserver did not start"
    w32_port=$(cat "$work/w32.port")
    run bits-props timeout 60 "$work/bits-props" "http://127.0.0.1:$w32_port/gen/4096" "$work/w32/props.bin"
    run bits-poll timeout 60 "$work/bits-poll" "http://127.0.0.1:$w32_port/gen/8192" "$work/w32/poll.bin" 60
    kill -TERM "$w32_pid" 2>/dev/null || true
    wait "$w32_pid" 2>/dev/null || true
    [ "$(stat -c %s "$work/w32/props.bin")" = 4096 ] || fail "bits-props did not download 4096 bytes"
    [ "$(stat -c %s "$work/w32/poll.bin")" = 8192 ] || fail "bits-poll did not download 8192 bytes"
  fi
fi

step "CMake project with find_package(bgcopy)"
san_cmake=()
if [ -n "$sanitize" ]; then
  san_cmake=("-DCMAKE_C_FLAGS=${san_flags[*]}" "-DCMAKE_EXE_LINKER_FLAGS=${san_flags[*]}")
fi
"$cmake_cmd" -S "$here/consumer" -B "$work/consumer" -G "$generator" \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix" -DCLIENT_SOURCE="$client_c" \
  "${san_cmake[@]}" >"$work/consumer-configure.log" 2>&1 \
  || { cat "$work/consumer-configure.log"; fail "consumer project did not configure"; }
"$cmake_cmd" --build "$work/consumer" >"$work/consumer-build.log" 2>&1 \
  || { cat "$work/consumer-build.log"; fail "consumer project did not build"; }
grep -q "bgcopy_DIR:PATH=$libdir/cmake/bgcopy" "$work/consumer/CMakeCache.txt" \
  || fail "find_package(bgcopy) did not use the scratch prefix"
run consumer_shared "$work/consumer/consumer_shared"
run consumer_static "$work/consumer/consumer_static"
# consumer_static must not need libbgcopy.so at all.
deps=$(ldd "$work/consumer/consumer_static") || fail "ldd consumer_static"
case "$deps" in
  *libbgcopy*) fail "consumer_static links libbgcopy.so instead of libbgcopy.a" ;;
esac

if [ -n "$readme" ]; then
  # The README's examples are what users copy first: they must build with
  # the documented command and download a file.  They name
  # http://127.0.0.1:8080/file.bin and /tmp/file.bin; both are replaced by
  # the test server's URL and a path in the scratch directory.
  step "README examples against bgcopy-testserver"
  [ -x "$testserver" ] || fail "--readme needs --testserver"
  mkdir -p "$work/www"
  head -c 3000000 /dev/urandom >"$work/www/file.bin"
  "$testserver" --port-file "$work/server.port" --log "$work/server.log" --root "$work/www" &
  server_pid=$!
  for _ in $(seq 1 200); do [ -s "$work/server.port" ] && break; kill -0 "$server_pid" || break; sleep 0.05; done
  [ -s "$work/server.port" ] || fail "bgcopy-testserver did not start"
  port=$(cat "$work/server.port")
  n=0
  # Each fenced block: ```c or ```cpp up to the closing ```.
  awk -v dir="$work" '
    /^```(c|cpp)$/ { n++; ext = substr($0, 4); file = dir "/readme" n "." ext; inside = 1; next }
    /^```/ { inside = 0; next }
    inside { print > file }' "$readme"
  for src in "$work"/readme*.c "$work"/readme*.cpp; do
    [ -f "$src" ] || continue
    n=$((n + 1))
    name=$(basename "$src"); out=$work/${name%.*}.bin
    sed -i -e "s#http://127.0.0.1:8080/file.bin#http://127.0.0.1:$port/files/file.bin#" \
           -e "s#/tmp/file.bin#$out#" "$src"
    case "$src" in
      *.c)   # shellcheck disable=SC2086
             "$cc" -std=c11 -Wall -Wextra -Werror "${san_flags[@]}" -o "$work/${name%.*}" "$src" $pc_flags \
               || fail "README example $name does not compile" ;;
      *.cpp) # shellcheck disable=SC2086
             "$cxx" -std=c++17 -Wall -Wextra -Werror "${san_flags[@]}" "${san_cxx_flags[@]}" \
               -o "$work/${name%.*}" "$src" $pc_flags || fail "README example $name does not compile" ;;
    esac
    run "${name%.*}" timeout 60 "$work/${name%.*}"
    cmp -s "$work/www/file.bin" "$out" || fail "README example $name did not download the file"
  done
  [ "$n" -ge 2 ] || fail "expected at least 2 examples in $readme, found $n"
fi

step "packaging_install passed"
