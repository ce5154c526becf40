#!/usr/bin/env bash
# demo.sh - bgcopy end to end, the README's first command:
#   1. install dependencies (scripts/deps.sh) and build bitsadmin in build/
#   2. make a 1 GiB file of random bytes and record its SHA-256
#   3. serve it with a real nginx on 127.0.0.1:<free port> (temporary config)
#   4. bitsadmin /transfer demo http://127.0.0.1:<port>/file.bin <abs path>
#      with its live progress, exactly as on Windows
#   5. compare the SHA-256 of the downloaded file with the source
# then stop nginx and delete the big files.  Exit 0 only when the bytes match.
#
# Usage: bash scripts/demo.sh
# Environment:
#   BGCOPY_DEMO_SIZE_MB   size of the file (default 1024)
#   BGCOPY_DEMO_PRIORITY  FOREGROUND | HIGH | NORMAL | LOW (default FOREGROUND)
#   BGCOPY_DEMO_CLIENT    bitsadmin (default) or curl: curl checks only the
#                         nginx/file/hash part, for when bitsadmin is broken
#   BGCOPY_SKIP_DEPS=1    do not run scripts/deps.sh
#   TMPDIR                where the two copies (2 x size) are written
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib/local_nginx.sh
. "$root/scripts/lib/local_nginx.sh"

size_mb=${BGCOPY_DEMO_SIZE_MB:-1024}
priority=${BGCOPY_DEMO_PRIORITY:-FOREGROUND}
client=${BGCOPY_DEMO_CLIENT:-bitsadmin}
bitsadmin=$root/build/compat/bitsadmin/bitsadmin

if [ -t 1 ]; then
  say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
  say() { printf '\n== %s\n' "$*"; }
fi

if [ "${BGCOPY_SKIP_DEPS:-0}" != 1 ]; then
  say "dependencies (scripts/deps.sh)"
  bash scripts/deps.sh
fi

if [ "$client" = bitsadmin ]; then
  say "building bitsadmin in build/"
  if [ ! -f build/CMakeCache.txt ]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build build --target bitsadmin >/dev/null 2>build/demo-build.err || {
    cat build/demo-build.err >&2; echo "demo: building bitsadmin failed" >&2; exit 1; }
  [ -x "$bitsadmin" ] || { echo "demo: $bitsadmin was not built" >&2; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bgcopy-demo.XXXXXX")
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  bgcopy_nginx_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$work/www" "$work/download"
# nginx workers run as "nobody" when started as root: they must reach www/.
chmod 0755 "$work"
src=$work/www/file.bin
dst=$work/download/file.bin

say "generating ${size_mb} MiB of random data"
t0=$(date +%s%N)
# One pass: the bytes go to the file and through SHA-256 at the same time.
src_sha=$(openssl rand $((size_mb * 1024 * 1024)) | tee "$src" | openssl dgst -sha256 -r | cut -d' ' -f1)
printf 'source:  %s\nsha256:  %s  (%d ms)\n' "$src" "$src_sha" $(( ($(date +%s%N) - t0) / 1000000 ))

say "starting nginx on 127.0.0.1"
bgcopy_nginx_start "$work/nginx" "$work/www"
url=http://127.0.0.1:$BGCOPY_NGINX_PORT/file.bin
printf 'nginx pid %s serving %s (sendfile on)\n' "$BGCOPY_NGINX_PID" "$url"

if [ "$client" = bitsadmin ]; then
  say "bitsadmin /transfer demo /priority $priority $url $dst"
  cmd=("$bitsadmin" /transfer demo /priority "$priority" "$url" "$dst")
else
  say "curl -o $dst $url   (BGCOPY_DEMO_CLIENT=curl: bitsadmin not used)"
  cmd=(curl -sS --fail -o "$dst" "$url")
fi
t0=$(date +%s%N)
set +e
"${cmd[@]}"
rc=$?
set -e
elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$elapsed_ms" -gt 0 ] || elapsed_ms=1

say "nginx access log"
# (without the readiness probes "GET /" of bgcopy_nginx_start)
grep -v '"GET / ' "$BGCOPY_NGINX_ACCESS_LOG" || true

say "result"
if [ "$rc" -ne 0 ]; then
  echo "FAILED: $client exited with status $rc after ${elapsed_ms} ms"
  exit 1
fi
if [ ! -f "$dst" ]; then
  echo "FAILED: $client exited 0 but $dst does not exist"
  exit 1
fi
dst_sha=$(bgcopy_sha256 "$dst")
dst_size=$(stat -c %s "$dst")
printf 'downloaded: %s (%d bytes)\nsha256:     %s\n' "$dst" "$dst_size" "$dst_sha"
mib_s=$(awk -v b="$dst_size" -v ms="$elapsed_ms" 'BEGIN { printf "%.1f", b / 1048576 / (ms / 1000) }')
if [ "$dst_sha" = "$src_sha" ]; then
  printf 'OK: SHA-256 matches; %d MiB in %d.%03d s (%s MiB/s)\n' \
    "$size_mb" $((elapsed_ms / 1000)) $((elapsed_ms % 1000)) "$mib_s"
  exit 0
fi
printf 'FAILED: SHA-256 mismatch (source %s, download %s)\n' "$src_sha" "$dst_sha"
exit 1
