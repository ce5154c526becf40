#!/usr/bin/env bash
# test.sh - the whole test suite, four times: a RelWithDebInfo build in
# build/, an AddressSanitizer+UndefinedBehaviorSanitizer build in build-asan/
# and a ThreadSanitizer build in build-tsan/, each followed by ctest; then the
# fuzz targets (clang, libFuzzer+ASan+UBSan, build-fuzz/, docs/fuzzing.md)
# over their corpora and fuzzing for a bounded time; then a Windows build (mingw-w64 cross compiler, static) in build-win/ whose ctest
# runs every test program under wine.
# This is what CI runs (.ci/run) and the README's second command.
#
# Usage: bash scripts/test.sh [release] [asan] [tsan] [fuzz] [windows]   (default: all five)
# Environment:
#   BGCOPY_CTEST_JOBS  parallel tests per stage (default 2)
#   BGCOPY_TSAN_CC     C compiler for the TSan stage (default: the system
#                      compiler, gcc; set "clang" if gcc's TSan misbehaves;
#                      the C++ compiler follows: clang -> clang++).  Applies
#                      when build-tsan/ is configured; delete build-tsan/
#                      to switch back.
#   BGCOPY_FUZZ_SECONDS total fuzzing time of the fuzz stage over all targets
#                      (default 360), shared equally by the targets
#   BGCOPY_SKIP_DEPS=1 do not run scripts/deps.sh
#   BGCOPY_WINDOWS_DEPS folder of the Windows builds of libuv, curl, SQLite and
#                      libmicrohttpd (default build-win-deps/; built by
#                      scripts/windows-deps.sh when missing or outdated)
# Exit status: 0 when every stage configured, built and passed; 1 otherwise.
# Every stage runs even after an earlier one failed, so one run shows all
# failures; the summary at the end names them.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(release asan tsan fuzz windows)
ctest_jobs=${BGCOPY_CTEST_JOBS:-2}
tsan_cc=${BGCOPY_TSAN_CC:-}

if [ "${BGCOPY_SKIP_DEPS:-0}" != 1 ]; then
  case "$tsan_cc" in clang*) export BGCOPY_DEPS_CLANG=1 ;; esac
  case " ${stages[*]} " in *" fuzz "*) export BGCOPY_DEPS_CLANG=1 ;; esac
  case " ${stages[*]} " in *" windows "*) export BGCOPY_DEPS_WINDOWS=1 ;; esac
  bash scripts/deps.sh
fi

summary=()
failed=0
t_start=$SECONDS

# run_stage NAME BUILD_DIR CMAKE_ARGS...  (environment for ctest comes from
# the caller's exported variables; when the variable before_ctest names a
# function, it runs between the build and ctest and its failure fails the stage)
run_stage() {
  local name=$1 dir=$2; shift 2
  local t0=$SECONDS log="$root/$dir/bgcopy-stage.log" result tests=""
  mkdir -p "$dir"
  : >"$log"
  printf '\n===== %s: configure + build in %s/\n' "$name" "$dir"
  if ! cmake -S . -B "$dir" -G Ninja "$@" >>"$log" 2>&1; then
    tail -n 60 "$log"
    result="FAILED (configure; log: $dir/bgcopy-stage.log)"
  elif ! cmake --build "$dir" >>"$log" 2>&1; then
    tail -n 80 "$log"
    result="FAILED (build; log: $dir/bgcopy-stage.log)"
  elif [ -n "${before_ctest:-}" ] && ! "$before_ctest" >>"$log" 2>&1; then
    tail -n 40 "$log"
    result="FAILED (test set-up; log: $dir/bgcopy-stage.log)"
  else
    printf '===== %s: ctest -j%s\n' "$name" "$ctest_jobs"
    local ctest_out="$root/$dir/bgcopy-ctest.log"
    if (cd "$dir" && ctest --output-on-failure --no-tests=error -j"$ctest_jobs") 2>&1 | tee "$ctest_out"; then
      result="passed"
    else
      result="FAILED (tests)"
    fi
    # "100% tests passed, 0 tests failed out of 17" -> the counts for the summary
    tests=$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$ctest_out" | tail -n 1 || true)
    # A skipped test (exit 77: a tool it needs is missing) passes but proves nothing.
    local skipped
    skipped=$(grep -c '\*\*\*Skipped' "$ctest_out" || true)
    if [ "$skipped" -gt 0 ]; then tests="$tests, $skipped skipped"; fi
  fi
  case "$result" in passed) ;; *) failed=1 ;; esac
  summary+=("$(printf '%-8s %-48s %4ds  %s' "$name" "$result" $((SECONDS - t0)) "$tests")")
}

# fuzz_stage: configure build-fuzz/ with clang and -DBGCOPY_FUZZ=ON, build
# the targets listed in build-fuzz/fuzz/targets.tsv (tests/fuzz.cmake), run
# each over its checked-in corpus, then fuzz each for an equal share of
# BGCOPY_FUZZ_SECONDS.  New inputs go to build-fuzz/scratch/<name>/ (wiped
# at the start), crash/leak/timeout inputs to build-fuzz/artifacts/.  Any
# crash, sanitizer report, leak or timeout fails the stage.
fuzz_stage() {
  local dir=build-fuzz t0=$SECONDS result="passed" detail=""
  local log="$root/$dir/bgcopy-stage.log" budget=${BGCOPY_FUZZ_SECONDS:-360}
  mkdir -p "$dir"
  : >"$log"
  printf '\n===== fuzz: configure + build in %s/\n' "$dir"
  if ! cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DBGCOPY_FUZZ=ON >>"$log" 2>&1; then
    tail -n 60 "$log"
    result="FAILED (configure; log: $dir/bgcopy-stage.log)"
  elif ! cmake --build "$dir" --target bgcopy_fuzzers >>"$log" 2>&1; then
    tail -n 80 "$log"
    result="FAILED (build; log: $dir/bgcopy-stage.log)"
  else
    local -a names=() exes=() corpora=() dicts=() rows=()
    local name exe corpus dict
    while IFS=$'\t' read -r name exe corpus dict; do
      [ -n "$name" ] || continue
      names+=("$name"); exes+=("$exe"); corpora+=("$corpus"); dicts+=("$dict")
    done <"$dir/fuzz/targets.tsv"
    local n=${#names[@]}
    # Equal shares of the budget: a target the lead adds shortens the others.
    local per=$(( n > 0 ? budget / n : 0 ))
    [ "$per" -ge 1 ] || per=1
    rm -rf "$dir/scratch"
    mkdir -p "$dir/artifacts"
    printf '===== fuzz: %d targets, %ds each (budget %ds)\n' "$n" "$per" "$budget"
    local i total_execs=0 bad=0
    for ((i = 0; i < n; i++)); do
      name=${names[$i]}
      local tlog="$root/$dir/fuzz-$name.log" scratch="$dir/scratch/$name" status="ok"
      local -a opts=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1
                     "-artifact_prefix=$root/$dir/artifacts/$name-")
      [ -z "${dicts[$i]}" ] || opts+=("-dict=${dicts[$i]}")
      mkdir -p "$scratch"
      # The seeds alone first: a failure here is a regression, not a find.
      if ! "${exes[$i]}" "${opts[@]}" -runs=0 "${corpora[$i]}" >"$tlog" 2>&1; then
        status="FAILED (corpus)"
      elif ! "${exes[$i]}" "${opts[@]}" -max_total_time="$per" \
             "$scratch" "${corpora[$i]}" >>"$tlog" 2>&1; then
        status="FAILED (fuzzing)"
      elif grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$tlog"; then
        status="FAILED (report)"
      fi
      local execs rate
      execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$tlog" | tail -n 1 | grep -Eo '[0-9]+$' || true)
      rate=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$tlog" | tail -n 1 | grep -Eo '[0-9]+$' || true)
      total_execs=$((total_execs + ${execs:-0}))
      if [ "$status" != ok ]; then
        bad=$((bad + 1))
        printf '%s\n' "--- fuzz target $name: $status (log: $dir/fuzz-$name.log)"
        grep -E -A 30 'ERROR: |runtime error:|invariant failed' "$tlog" | head -n 40 || tail -n 30 "$tlog"
      fi
      rows+=("$(printf '  %-22s %-18s %10s %14s' "$name" "$status" "${rate:--}" "${execs:--}")")
    done
    printf '===== fuzz: results (artifacts: %s/artifacts/)\n' "$dir"
    printf '  %-22s %-18s %10s %14s\n' target result exec/s executions
    for row in "${rows[@]}"; do printf '%s\n' "$row"; done
    detail="$n targets, $total_execs executions"
    [ "$bad" = 0 ] || result="FAILED ($bad of $n targets)"
  fi
  case "$result" in passed) ;; *) failed=1 ;; esac
  summary+=("$(printf '%-8s %-48s %4ds  %s' fuzz "$result" $((SECONDS - t0)) "$detail")")
}

for stage in "${stages[@]}"; do
  case "$stage" in
    release)
      run_stage release build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBGCOPY_SANITIZE=
      ;;
    asan)
      ASAN_OPTIONS=detect_leaks=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run_stage asan build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBGCOPY_SANITIZE=address,undefined
      ;;
    tsan)
      # Only an explicit choice is passed: naming the compiler again on every
      # run would make CMake discard build-tsan/'s cache each time.
      tsan_compilers=()
      if [ -n "$tsan_cc" ]; then
        tsan_cxx=c++
        case "$tsan_cc" in clang) tsan_cxx=clang++ ;; gcc) tsan_cxx=g++ ;; clang-[0-9]*) tsan_cxx=clang++-${tsan_cc#clang-} ;; esac
        tsan_compilers=(-DCMAKE_C_COMPILER="$tsan_cc" -DCMAKE_CXX_COMPILER="$tsan_cxx")
      fi
      # Suppressions only for proven false positives inside uninstrumented
      # libcurl/libuv; each entry is explained in the file.  Never bgcopy code.
      TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/.ci/tsan.supp" \
        run_stage tsan build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBGCOPY_SANITIZE=thread \
          "${tsan_compilers[@]}"
      ;;
    fuzz)
      # libFuzzer's own leak check stays on; UBSan findings abort
      # (-fno-sanitize-recover), so each is a crash with an artifact.
      ASAN_OPTIONS=detect_leaks=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        fuzz_stage
      ;;
    windows)
      # Cross-build with mingw-w64 and run ctest under wine (docs/windows.md).
      # The dependencies are built once from Debian's source packages and
      # reused until their versions change.
      win_deps=${BGCOPY_WINDOWS_DEPS:-$root/build-win-deps}
      t_deps=$SECONDS
      printf '\n===== windows: dependencies in %s\n' "$win_deps"
      if ! bash scripts/windows-deps.sh "$win_deps"; then
        summary+=("$(printf '%-8s %-48s %4ds' windows "FAILED (dependencies)" $((SECONDS - t_deps)))")
        failed=1
        continue
      fi
      summary+=("$(printf '%-8s %-48s %4ds' win-deps "ready" $((SECONDS - t_deps)))")
      # shellcheck source=lib/wine.sh
      . "$root/scripts/lib/wine.sh"
      start_wine() { wine_start "$root/build-win/wineprefix"; }
      trap wine_stop EXIT
      before_ctest=start_wine \
        run_stage windows build-win -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/x86_64-w64-mingw32.cmake" \
          -DBGCOPY_WINDOWS_DEPS="$win_deps"
      wine_stop
      trap - EXIT
      ;;
    *)
      echo "test.sh: unknown stage '$stage' (release, asan, tsan, fuzz, windows)" >&2
      exit 2
      ;;
  esac
done

printf '\n===== bgcopy test summary (%ds)\n' $((SECONDS - t_start))
for line in "${summary[@]}"; do printf '%s\n' "$line"; done
if [ "$failed" = 0 ]; then
  echo "ALL STAGES PASSED"
else
  echo "SOME STAGES FAILED"
fi
exit "$failed"
