#!/usr/bin/env bash
# download.sh - one large download from one local nginx, timed the same way
# for every client: bitsadmin /transfer (FOREGROUND and NORMAL priority),
# curl -o and, when installed, aria2c.  Rounds are interleaved (round 1 of
# every client, then round 2, ...) and the order rotates from round to round,
# so that drift of the machine and the place in a round affect all clients
# alike.  Reports medians and ratios to curl on stdout and writes every run
# and the medians to CSV files.
#
# A benchmark is never a pass/fail test: the exit status is 0 whatever the
# speed.  It is 1 only when setup failed or a download came out with the wrong
# bytes (then its numbers mean nothing, and the table says so).
#
# Usage: bash bench/download.sh [-n ROUNDS] [-s SIZE_MB] [-o OUTDIR] [-c CLIENTS]
#   -n ROUNDS   rounds per client (default 3; env BGCOPY_BENCH_ROUNDS)
#   -s SIZE_MB  file size in MiB (default 1024; env BGCOPY_BENCH_SIZE_MB)
#   -o OUTDIR   where the CSV files go (default build/bench)
#   -c CLIENTS  comma-separated subset of bitsadmin-FOREGROUND,bitsadmin-HIGH,
#               bitsadmin-NORMAL,bitsadmin-LOW,curl,aria2c (default:
#               bitsadmin-FOREGROUND,bitsadmin-NORMAL,curl and aria2c if
#               installed); curl is the reference of the ratios
# Environment: TMPDIR (source and downloaded copy live there, 2 x SIZE_MB),
#   BGCOPY_SKIP_DEPS=1 (do not run scripts/deps.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib/local_nginx.sh
. "$root/scripts/lib/local_nginx.sh"

rounds=${BGCOPY_BENCH_ROUNDS:-3}
size_mb=${BGCOPY_BENCH_SIZE_MB:-1024}
outdir=$root/build/bench
client_list=
while getopts "n:s:o:c:h" opt; do
  case "$opt" in
    n) rounds=$OPTARG ;;
    s) size_mb=$OPTARG ;;
    o) outdir=$OPTARG ;;
    c) client_list=$OPTARG ;;
    *) sed -n '2,23p' "$0"; exit 2 ;;
  esac
done
bitsadmin=$root/build/compat/bitsadmin/bitsadmin
gnu_time=/usr/bin/time

if [ -n "$client_list" ]; then
  IFS=, read -r -a clients <<<"$client_list"
else
  clients=(bitsadmin-FOREGROUND bitsadmin-NORMAL curl)
  if command -v aria2c >/dev/null 2>&1; then clients+=(aria2c); fi
fi
need_bitsadmin=0
for name in "${clients[@]}"; do
  case "$name" in
    bitsadmin-FOREGROUND|bitsadmin-HIGH|bitsadmin-NORMAL|bitsadmin-LOW) need_bitsadmin=1 ;;
    curl|aria2c) ;;
    *) echo "bench: unknown client '$name'" >&2; exit 2 ;;
  esac
done

if [ "${BGCOPY_SKIP_DEPS:-0}" != 1 ]; then bash scripts/deps.sh; fi
[ -x "$gnu_time" ] || { echo "bench: $gnu_time (GNU time) is required" >&2; exit 1; }
if [ "$need_bitsadmin" = 1 ]; then
  if [ ! -f build/CMakeCache.txt ]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  sanitize=$(sed -n 's/^BGCOPY_SANITIZE:[A-Z]*=//p' build/CMakeCache.txt)
  case "$sanitize" in ""|OFF|0|FALSE|NO|N) sanitize= ;; esac
  if [ -n "$sanitize" ]; then
    echo "bench: build/ is a sanitizer build; numbers would be meaningless" >&2
    exit 1
  fi
  cmake --build build --target bitsadmin >/dev/null
  [ -x "$bitsadmin" ] || { echo "bench: $bitsadmin was not built" >&2; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bgcopy-bench.XXXXXX")
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() { bgcopy_nginx_stop; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 0755 "$work"
mkdir -p "$work/www" "$work/dl" "$outdir"
src=$work/www/file.bin

echo "bench: generating ${size_mb} MiB"
src_sha=$(openssl rand $((size_mb * 1024 * 1024)) | tee "$src" | openssl dgst -sha256 -r | cut -d' ' -f1)
bytes=$(stat -c %s "$src")
bgcopy_nginx_start "$work/nginx" "$work/www"
url=http://127.0.0.1:$BGCOPY_NGINX_PORT/file.bin
# Warm the page cache with the source so the first client is not penalised.
cat "$src" >/dev/null

stamp=$(date -u +%Y%m%dT%H%M%SZ)
runs_csv=$outdir/download-$stamp-runs.csv
summary_csv=$outdir/download-$stamp-summary.csv
echo "client,round,bytes,wall_s,user_s,sys_s,cpu_s,peak_rss_kib,exit_status,sha256_ok" >"$runs_csv"

# client_cmd NAME DEST: sets cmd to the command line of client NAME writing DEST
client_cmd() {
  local name=$1 dst=$2
  case "$name" in
    bitsadmin-*) cmd=("$bitsadmin" /transfer "bench-$name" /priority "${name#bitsadmin-}" "$url" "$dst") ;;
    curl) cmd=(curl -sS --fail -o "$dst" "$url") ;;
    aria2c) cmd=(aria2c -q --file-allocation=none --allow-overwrite=true --auto-file-renaming=false
                 -x1 -s1 -d "$(dirname "$dst")" -o "$(basename "$dst")" "$url") ;;
  esac
}

bad=0
echo "bench: ${#clients[@]} clients x $rounds rounds of $url (${size_mb} MiB)"
for round in $(seq 1 "$rounds"); do
  # The order rotates each round: whichever client runs first in a round
  # was measured slower here, so no client keeps that place.
  order=()
  for i in $(seq 0 $((${#clients[@]} - 1))); do
    order+=("${clients[$(( (i + round - 1) % ${#clients[@]} ))]}")
  done
  for name in "${order[@]}"; do
    dst=$work/dl/$name.bin
    rm -f "$dst"
    sync   # earlier runs' write-back must not land in this run's time
    client_cmd "$name" "$dst"
    set +e
    "$gnu_time" -f '%e %U %S %M' -o "$work/time.out" "${cmd[@]}" >"$work/client.out" 2>&1
    status=$?
    set -e
    read -r wall user sys rss < <(tail -n 1 "$work/time.out")
    ok=0
    if [ "$status" -eq 0 ] && [ -f "$dst" ] && [ "$(bgcopy_sha256 "$dst")" = "$src_sha" ]; then ok=1; fi
    if [ "$ok" != 1 ]; then
      bad=1
      echo "bench: $name round $round: exit $status, wrong or missing bytes; its output:" >&2
      tail -n 5 "$work/client.out" >&2
    fi
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$name" "$round" "$bytes" "$wall" "$user" "$sys" \
      "$cpu" "$rss" "$status" "$ok" >>"$runs_csv"
    printf '  round %s %-22s %6ss wall %6ss cpu %8s KiB peak%s\n' "$round" "$name" "$wall" "$cpu" "$rss" \
      "$([ "$ok" = 1 ] || echo '  INVALID')"
    rm -f "$dst" "$dst.aria2"
  done
done

# Medians per client, then ratios to curl (the reference every user knows).
awk -F, -v gib="$(awk -v b="$bytes" 'BEGIN { print b / 1073741824 }')" -v summary="$summary_csv" '
  NR == 1 { next }
  {
    c = $1
    if (!(c in n)) order[++nc] = c
    n[c]++; wall[c, n[c]] = $4; cpu[c, n[c]] = $7; rss[c, n[c]] = $8
    if ($10 != 1) invalid[c] = 1
  }
  function median(arr, c, k,    i, j, t, v) {
    for (i = 1; i <= k; i++) v[i] = arr[c, i]
    for (i = 2; i <= k; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] + 0 > t + 0; j--) v[j + 1] = v[j]; v[j + 1] = t }
    return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
  }
  END {
    for (i = 1; i <= nc; i++) {
      c = order[i]
      mw[c] = median(wall, c, n[c]); mc[c] = median(cpu, c, n[c]); mr[c] = median(rss, c, n[c])
      if (mw[c] <= 0) mw[c] = 0.001
      tp[c] = gib * 1024 / mw[c]; cg[c] = mc[c] / gib
    }
    ref = "curl"
    printf "\n%-22s %10s %10s %12s %12s %10s %10s %10s  %s\n", "client", "MiB/s", "wall s", "CPU s/GiB", "peak MiB", "x tput", "x CPU/GiB", "x memory", ""
    print "client,median_wall_s,median_mib_per_s,median_cpu_s_per_gib,median_peak_rss_mib,throughput_ratio_to_curl,cpu_per_gib_ratio_to_curl,peak_rss_ratio_to_curl,valid" > summary
    for (i = 1; i <= nc; i++) {
      c = order[i]
      rt = (ref in tp && tp[ref] > 0) ? tp[c] / tp[ref] : 0
      rc = (ref in cg && cg[ref] > 0) ? cg[c] / cg[ref] : 0
      rm = (ref in mr && mr[ref] > 0) ? mr[c] / mr[ref] : 0
      printf "%-22s %10.1f %10.3f %12.3f %12.1f %10.2f %10.2f %10.2f  %s\n", c, tp[c], mw[c], cg[c], mr[c] / 1024, rt, rc, rm, (c in invalid) ? "INVALID (wrong bytes)" : ""
      printf "%s,%.3f,%.1f,%.3f,%.1f,%.3f,%.3f,%.3f,%d\n", c, mw[c], tp[c], cg[c], mr[c] / 1024, rt, rc, rm, (c in invalid) ? 0 : 1 > summary
    }
  }' "$runs_csv"
printf '\nmedians of %s rounds; ratios are client / curl (x tput > 1: faster; x CPU/GiB and x memory < 1: cheaper)\n' "$rounds"
printf 'runs:    %s\nsummary: %s\n' "$runs_csv" "$summary_csv"
exit "$bad"
