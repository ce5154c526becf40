# wine.sh - start and stop the wine environment that ctest runs Windows test
# programs in.  Sourced by scripts/test.sh; bash.
#
# wine_start PREFIX: a private wine prefix (created on first use, ~700 MB,
# ~8 s) and a persistent wineserver whose helper services and desktop process
# were started with /dev/null as stdio.  Without the persistent server every test pays ~2.5 s of
# wine start-up; without the explicit `wine wineboot` the services spawned by
# the first test inherit ctest's output pipe and ctest waits for them forever
# (see ../shared notes, "ctest through wine").
# wine_stop: `wineserver -k` for that prefix only (killing the server's PID
# would orphan its processes).

wine_env() {
  export WINEPREFIX=$1 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=,winemenubuilder.exe=d"
  unset DISPLAY
}

wine_start() {
  wine_env "$1"
  mkdir -p "$WINEPREFIX"
  # A persistent server left from an earlier run would make `wineserver -w`
  # below wait forever: end it first.
  wineserver -k </dev/null >/dev/null 2>&1 || true
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    wineboot -i </dev/null >/dev/null 2>&1 || return 1
  fi
  wineserver -w </dev/null >/dev/null 2>&1 || true   # else "wineserver -p" exits 2
  wineserver -p </dev/null >/dev/null 2>&1 || return 1
  wine wineboot </dev/null >/dev/null 2>&1 || return 1
  # A crashing test must fail at once, not start winedbg and wait for the
  # test's timeout: no post-mortem debugger.
  wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' \
    /v Debugger /t REG_SZ /d '' /f </dev/null >/dev/null 2>&1 || return 1
  # The desktop process (explorer.exe /desktop) starts the first time a
  # program makes a window, a COM apartment's hidden one included, inherits
  # that program's stderr, and lingers after the last window is gone: a test
  # with an STA thread would have ctest wait on its pipe for as long as the
  # desktop lives.  One started by name, with /dev/null as stdio, serves
  # every test and stays up until `wineserver -k`.  Started while the one
  # wineboot may have made is still going away, it goes too: hence the wait
  # and the check that it stayed.
  local try i
  for try in 1 2 3; do
    for i in $(seq 1 50); do
      pgrep -x explorer.exe >/dev/null || break
      sleep 0.1
    done
    sleep 1
    wine explorer.exe /desktop </dev/null >/dev/null 2>&1 &
    sleep 2
    if pgrep -f 'explorer.exe /desktop' >/dev/null; then
      return 0
    fi
  done
  echo "wine.sh: the wine desktop process does not stay up" >&2
  return 1
}

wine_stop() {
  [ -n "${WINEPREFIX:-}" ] || return 0
  wineserver -k </dev/null >/dev/null 2>&1 || true
}
