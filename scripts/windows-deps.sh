#!/usr/bin/env bash
# windows-deps.sh - build bgcopy's dependencies for 64-bit Windows from
# Debian's source packages, once, with mingw-w64: libuv, libcurl (Schannel,
# HTTP and HTTPS only, no optional dependencies), SQLite and libmicrohttpd
# (for bgcopy-testserver.exe).  Static libraries, installed into one prefix.
#
# Usage: bash scripts/windows-deps.sh PREFIX
# The prefix is rebuilt only when a source package version or this script
# changes (PREFIX/.stamp holds the key); otherwise the script exits at once.
# Needs: deb-src lines in apt's sources (scripts/windows-test.sh adds them),
# dpkg-dev, cmake, ninja-build, tcl (SQLite's amalgamation) and the mingw-w64
# toolchain.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=${1:?usage: windows-deps.sh PREFIX}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
toolchain=$root/cmake/toolchains/x86_64-w64-mingw32.cmake
host=x86_64-w64-mingw32
jobs=$(nproc)

sources=(libuv1 curl sqlite3 libmicrohttpd)
# The newest version apt would fetch of each source package, plus this script.
key=$(for s in "${sources[@]}"; do
        printf '%s=%s ' "$s" "$(apt-cache showsrc "$s" | awk '/^Version:/{print $2}' | sort -V | tail -n 1)"
      done; sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)
if [ "$(cat "$prefix/.stamp" 2>/dev/null)" = "$key" ]; then
  echo "windows-deps: cached in $prefix ($key)"
  exit 0
fi

work=$prefix.work
rm -rf "$work" "$prefix"
mkdir -p "$work" "$prefix"
log=$work/build.log
step() {  # step NAME COMMAND... : run quietly, show the log's end on failure
  local name=$1 t0=$SECONDS; shift
  if ! "$@" >>"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "windows-deps: $name failed (log: $log)" >&2
    exit 1
  fi
  printf 'windows-deps: %-34s %4ds\n' "$name" $((SECONDS - t0))
}

cd "$work"
step "apt-get source ${sources[*]}" apt-get source -qq "${sources[@]}"

# --- libuv (CMake; exports the un-namespaced targets uv and uv_a)
step "libuv configure" cmake -S "$work"/libuv1-*/ -B b-uv -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DLIBUV_BUILD_TESTS=OFF -DLIBUV_BUILD_BENCH=OFF
step "libuv build" cmake --build b-uv -j"$jobs"
step "libuv install" cmake --install b-uv

# --- libcurl (CMake; CURL::libcurl carries CURL_STATICLIB)
step "curl configure" cmake -S "$work"/curl-*/ -B b-curl -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DBUILD_SHARED_LIBS=OFF -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF -DENABLE_MANUAL=OFF -DHTTP_ONLY=ON \
  -DCURL_USE_SCHANNEL=ON -DCURL_USE_OPENSSL=OFF -DCURL_ZLIB=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF \
  -DUSE_NGHTTP2=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBSSH=OFF -DCURL_USE_LIBPSL=OFF \
  -DUSE_LIBIDN2=OFF -DUSE_WIN32_IDN=OFF -DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON
step "curl build" cmake --build b-curl -j"$jobs"
step "curl install" cmake --install b-curl

# --- SQLite: the amalgamation is generated on the host (tclsh), then built
# for Windows as one static library beside its header.
mkdir -p b-sqlite "$prefix/include" "$prefix/lib"
step "sqlite amalgamation" sh -c "cd b-sqlite && $work/sqlite3-*/configure --disable-tcl && make -j$jobs sqlite3.c"
step "sqlite build" sh -c "cd b-sqlite && $host-gcc-posix -O2 -DSQLITE_THREADSAFE=1 -DSQLITE_OMIT_LOAD_EXTENSION \
  -c sqlite3.c -o sqlite3.o && $host-gcc-ar-posix rcs libsqlite3.a sqlite3.o"
step "sqlite install" sh -c "install -m 0644 b-sqlite/sqlite3.h '$prefix/include/' \
  && install -m 0644 b-sqlite/libsqlite3.a '$prefix/lib/'"

# --- libmicrohttpd (autotools; Windows threads, no TLS: the test server is plain HTTP)
mkdir -p b-mhd
step "libmicrohttpd configure" sh -c "cd b-mhd && $work/libmicrohttpd-*/configure --host=$host --prefix=$prefix \
  --enable-static --disable-shared --disable-https --disable-doc --disable-examples --disable-curl \
  --disable-tools --without-gnutls"
step "libmicrohttpd build" make -C b-mhd/src/microhttpd -j"$jobs"
step "libmicrohttpd install" sh -c "make -C b-mhd/src/microhttpd install && make -C b-mhd/src/include install && make -C b-mhd install-pkgconfigDATA"

echo "$key" > "$prefix/.stamp"
rm -rf "$work"
echo "windows-deps: installed into $prefix"
