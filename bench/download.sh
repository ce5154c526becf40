#!/usr/bin/env bash
# download.sh - issue 3's download matrix: the same large resources (1 GiB and
# 5 GiB by default) from one local nginx, fetched by bgcopy at FOREGROUND
# priority (one GET up to 2 GB, 2 GB ranges above) and NORMAL priority
# (background: always ranged, 2 GB pieces), by the curl command line and, when
# installed, aria2c; every run timed the same way.  Reports throughput, CPU
# seconds per GiB and peak memory with their spread (min / median / max over
# the rounds), the ratios of the medians to curl, and whether peak memory
# stays flat from the smallest to the largest size.
#
# Rounds are interleaved (round 1 of every size and client, then round 2, ...)
# and the order of the clients rotates from round to round, so that drift of
# the machine and the place in a round affect all clients alike.
#
# A benchmark is never a pass/fail test: the exit status is 0 whatever the
# speed.  It is 1 only when setup failed or a download came out with the wrong
# bytes (then its numbers mean nothing, and the table says so).
#
# Usage: bash bench/download.sh [-n ROUNDS] [-s SIZES_MB] [-d DESTS] [-b BUILD]
#                               [-o OUTDIR] [-c CLIENTS] [-k CACHE]
#   -n ROUNDS    rounds per size and client (default 5; env BGCOPY_BENCH_ROUNDS)
#   -s SIZES_MB  comma-separated sizes in MiB (default 1024,5120;
#                env BGCOPY_BENCH_SIZES_MB)
#   -d DESTS     comma-separated destinations of the downloads: disk (a
#                directory under $TMPDIR, a real filesystem with write-back to
#                the disk) and/or shm (/dev/shm, tmpfs: no disk, so only the
#                clients' own cost).  Default disk.
#   -b BUILD     build directory holding bitsadmin and bench-download (default
#                build; env BGCOPY_BENCH_BUILD); configured RelWithDebInfo if
#                missing, refused if it is a sanitizer build
#   -o OUTDIR    where the CSV files go (default BUILD/bench)
#   -c CLIENTS   comma-separated subset of bgcopy-FOREGROUND, bgcopy-NORMAL,
#                bgcopy-HIGH, bgcopy-LOW (the native API through
#                bench/bench_download.c: completion by callback),
#                bitsadmin-FOREGROUND, bitsadmin-NORMAL, bitsadmin-HIGH,
#                bitsadmin-LOW (bitsadmin /transfer, which polls the job every
#                100 ms), curl, aria2c.  Default: bgcopy-FOREGROUND,
#                bgcopy-NORMAL, curl and aria2c if installed.  curl is the
#                reference of the ratios.
#   -k CACHE     what happens before every timed run: "drop" = sync, then
#                drop the clean page cache (echo 1 > /proc/sys/vm/drop_caches,
#                needs root), "sync" = sync only.  Default: drop when
#                permitted, else sync.
# Environment: TMPDIR (the disk destination), BGCOPY_SKIP_DEPS=1 (do not run
#   scripts/deps.sh).  The sources live in /dev/shm when it has room for all
#   of them (so dropping caches never evicts them and nginx serves them from
#   memory), else under $TMPDIR.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib/local_nginx.sh
. "$root/scripts/lib/local_nginx.sh"

rounds=${BGCOPY_BENCH_ROUNDS:-5}
sizes_list=${BGCOPY_BENCH_SIZES_MB:-1024,5120}
dests_list=disk
build=${BGCOPY_BENCH_BUILD:-build}
outdir=
client_list=
cache=auto
while getopts "n:s:d:b:o:c:k:h" opt; do
  case "$opt" in
    n) rounds=$OPTARG ;;
    s) sizes_list=$OPTARG ;;
    d) dests_list=$OPTARG ;;
    b) build=$OPTARG ;;
    o) outdir=$OPTARG ;;
    c) client_list=$OPTARG ;;
    k) cache=$OPTARG ;;
    *) sed -n '2,47p' "$0"; exit 2 ;;
  esac
done
case "$build" in /*) ;; *) build=$root/$build ;; esac
[ -n "$outdir" ] || outdir=$build/bench
bitsadmin=$build/compat/bitsadmin/bitsadmin
bench_download=$build/bench/bench-download
gnu_time=/usr/bin/time
IFS=, read -r -a sizes <<<"$sizes_list"
IFS=, read -r -a dests <<<"$dests_list"
for s in "${sizes[@]}"; do
  [[ "$s" =~ ^[1-9][0-9]*$ ]] || { echo "bench: bad size '$s' (MiB)" >&2; exit 2; }
done
for d in "${dests[@]}"; do
  case "$d" in disk|shm) ;; *) echo "bench: unknown destination '$d'" >&2; exit 2 ;; esac
done
case "$cache" in
  auto) if [ -w /proc/sys/vm/drop_caches ]; then cache=drop; else cache=sync; fi ;;
  drop) [ -w /proc/sys/vm/drop_caches ] || { echo "bench: cannot write /proc/sys/vm/drop_caches" >&2; exit 1; } ;;
  sync) ;;
  *) echo "bench: -k takes drop or sync" >&2; exit 2 ;;
esac

if [ -n "$client_list" ]; then
  IFS=, read -r -a clients <<<"$client_list"
else
  clients=(bgcopy-FOREGROUND bgcopy-NORMAL curl)
  if command -v aria2c >/dev/null 2>&1; then clients+=(aria2c); fi
fi
targets=()
for name in "${clients[@]}"; do
  case "$name" in
    bgcopy-FOREGROUND|bgcopy-HIGH|bgcopy-NORMAL|bgcopy-LOW) targets+=(bgcopy_static) ;;
    bitsadmin-FOREGROUND|bitsadmin-HIGH|bitsadmin-NORMAL|bitsadmin-LOW) targets+=(bitsadmin) ;;
    curl|aria2c) ;;
    *) echo "bench: unknown client '$name'" >&2; exit 2 ;;
  esac
done

if [ "${BGCOPY_SKIP_DEPS:-0}" != 1 ]; then bash scripts/deps.sh; fi
[ -x "$gnu_time" ] || { echo "bench: $gnu_time (GNU time) is required" >&2; exit 1; }
if [ "${#targets[@]}" -gt 0 ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  sanitize=$(sed -n 's/^BGCOPY_SANITIZE:[A-Z]*=//p' "$build/CMakeCache.txt")
  case "$sanitize" in ""|OFF|0|FALSE|NO|N) sanitize= ;; esac
  if [ -n "$sanitize" ]; then
    echo "bench: $build is a sanitizer build; numbers would be meaningless" >&2
    exit 1
  fi
  # Only the targets needed: half-finished code elsewhere must not stop a run.
  mapfile -t targets < <(printf '%s\n' "${targets[@]}" | sort -u)
  if ! cmake --build "$build" --target "${targets[@]}" >"$build/bench-build.log" 2>&1; then
    echo "bench: building ${targets[*]} in $build failed; see $build/bench-build.log" >&2
    exit 1
  fi
  case " ${targets[*]} " in
    *" bgcopy_static "*)
      # bench/ is not a CMake subdirectory: build the client here, against
      # the static library just built, with the project's warning flags.
      mkdir -p "$(dirname "$bench_download")"
      # shellcheck disable=SC2046  # pkg-config prints several words
      ${CC:-cc} -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I core/include \
        bench/bench_download.c "$build/libbgcopy.a" \
        $(pkg-config --libs libuv libcurl sqlite3 inih) -lpthread -o "$bench_download"
      ;;
  esac
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bgcopy-bench.XXXXXX")
srcdir=
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  bgcopy_nginx_stop
  rm -rf "$work"
  if [ -n "$srcdir" ]; then rm -rf "$srcdir"; fi
  if [ -n "${shmdl:-}" ]; then rm -rf "$shmdl"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 0755 "$work"
mkdir -p "$work/dl" "$outdir"

# Room: the sources (once) plus the largest download, per filesystem.
total_mb=0 max_mb=0
for s in "${sizes[@]}"; do
  total_mb=$((total_mb + s))
  if [ "$s" -gt "$max_mb" ]; then max_mb=$s; fi
done
avail_mb() { df -Pm "$1" | awk 'NR == 2 { print $4 }'; }
need_shm_dl=0
for d in "${dests[@]}"; do if [ "$d" = shm ]; then need_shm_dl=$max_mb; fi; done
if [ -d /dev/shm ] && [ "$(avail_mb /dev/shm)" -gt $((total_mb + need_shm_dl + 1024)) ]; then
  srcdir=$(mktemp -d /dev/shm/bgcopy-bench-src.XXXXXX)
  src_fs=tmpfs
else
  srcdir=$work/www
  mkdir -p "$srcdir"
  src_fs=disk
fi
chmod 0755 "$srcdir"
need_disk=$max_mb
if [ "$src_fs" = disk ]; then need_disk=$((need_disk + total_mb)); fi
if [ "$(avail_mb "$work")" -lt $((need_disk + 1024)) ]; then
  echo "bench: $work has $(avail_mb "$work") MiB free, needs $((need_disk + 1024))" >&2
  exit 1
fi
shmdl=
for d in "${dests[@]}"; do
  if [ "$d" = shm ]; then shmdl=$(mktemp -d /dev/shm/bgcopy-bench-dl.XXXXXX); fi
done

for s in "${sizes[@]}"; do
  echo "bench: generating ${s} MiB in $srcdir ($src_fs)"
  # openssl rand takes at most INT_MAX bytes: 1 GiB pieces.
  left=$((s * 1024 * 1024))
  while [ "$left" -gt 0 ]; do
    piece=$(( left < 1073741824 ? left : 1073741824 ))
    openssl rand "$piece"
    left=$((left - piece))
  done >"$srcdir/$s.bin"
done
bgcopy_nginx_start "$work/nginx" "$srcdir"
base_url=http://127.0.0.1:$BGCOPY_NGINX_PORT

# warm_sources: nginx must find every source in memory.  A no-op on tmpfs.
warm_sources() {
  local s
  if [ "$src_fs" = disk ]; then for s in "${sizes[@]}"; do cat "$srcdir/$s.bin" >/dev/null; done; fi
}
warm_sources

stamp=$(date -u +%Y%m%dT%H%M%SZ)
runs_csv=$outdir/download-$stamp-runs.csv
summary_csv=$outdir/download-$stamp-summary.csv
echo "dest,size_mib,client,round,bytes,wall_s,user_s,sys_s,cpu_s,peak_rss_kib,exit_status,bytes_ok,load1" >"$runs_csv"

# client_cmd NAME URL DEST: sets cmd to the command line of client NAME
client_cmd() {
  local name=$1 url=$2 dst=$3
  case "$name" in
    bgcopy-*) cmd=("$bench_download" "${name#bgcopy-}" "$url" "$dst") ;;
    bitsadmin-*) cmd=("$bitsadmin" /transfer "bench-$name" /priority "${name#bitsadmin-}" "$url" "$dst") ;;
    curl) cmd=(curl -sS --fail -o "$dst" "$url") ;;
    aria2c) cmd=(aria2c -q --file-allocation=none --allow-overwrite=true --auto-file-renaming=false
                 -x1 -s1 -d "$(dirname "$dst")" -o "$(basename "$dst")" "$url") ;;
  esac
}

machine="$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "bench: ${#clients[@]} clients x ${#sizes[@]} sizes x ${#dests[@]} destinations x $rounds rounds;" \
  "before each run: $cache; sources on $src_fs; $machine; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
bad=0
for round in $(seq 1 "$rounds"); do
  # The order rotates each round: whichever client runs first in a round
  # was measured slower here, so no client keeps that place.
  order=()
  for i in $(seq 0 $((${#clients[@]} - 1))); do
    order+=("${clients[$(( (i + round - 1) % ${#clients[@]} ))]}")
  done
  for dest in "${dests[@]}"; do
    if [ "$dest" = shm ]; then dldir=$shmdl; else dldir=$work/dl; fi
    for size in "${sizes[@]}"; do
      src=$srcdir/$size.bin
      bytes=$(stat -c %s "$src")
      for name in "${order[@]}"; do
        dst=$dldir/$name.bin
        rm -f "$dst" "$dst.aria2"
        # Earlier runs' write-back must not land in this run's time, and
        # every run should start from the same page cache state.
        sync
        if [ "$cache" = drop ]; then echo 1 >/proc/sys/vm/drop_caches; warm_sources; fi
        load1=$(cut -d' ' -f1 /proc/loadavg)
        client_cmd "$name" "$base_url/$size.bin" "$dst"
        set +e
        "$gnu_time" -f '%e %U %S %M' -o "$work/time.out" "${cmd[@]}" >"$work/client.out" 2>&1
        status=$?
        set -e
        read -r wall user sys rss < <(tail -n 1 "$work/time.out")
        ok=0
        # cmp, not a hash: byte-exact and about as fast as reading both files.
        if [ "$status" -eq 0 ] && [ -f "$dst" ] && cmp -s "$src" "$dst"; then ok=1; fi
        if [ "$ok" != 1 ]; then
          bad=1
          echo "bench: $name $size MiB round $round: exit $status, wrong or missing bytes; its output:" >&2
          tail -n 5 "$work/client.out" >&2
        fi
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
        printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$dest" "$size" "$name" "$round" "$bytes" \
          "$wall" "$user" "$sys" "$cpu" "$rss" "$status" "$ok" "$load1" >>"$runs_csv"
        printf '  round %s %-4s %5s MiB %-22s %7ss wall %6ss cpu %8s KiB peak  load %s%s\n' \
          "$round" "$dest" "$size" "$name" "$wall" "$cpu" "$rss" "$load1" "$([ "$ok" = 1 ] || echo '  INVALID')"
        rm -f "$dst" "$dst.aria2"
      done
    done
  done
done

echo
awk -F, -v summary="$summary_csv" -f "$root/bench/summarize.awk" "$runs_csv"
printf '\nratios are of medians, client / curl (x tput > 1: faster; x CPU/GiB and x mem < 1: cheaper)\n'
printf 'before each run: %s; sources on %s; %s; load at end: %s\n' "$cache" "$src_fs" "$machine" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'runs:    %s\nsummary: %s\n' "$runs_csv" "$summary_csv"
exit "$bad"
