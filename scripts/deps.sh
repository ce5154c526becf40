#!/usr/bin/env bash
# deps.sh - install what bgcopy needs to build, test, demo and benchmark on
# Debian 12 (bookworm).  Quiet and idempotent: when every package is already
# installed it does nothing at all (no apt-get update, no network).
#
# Usage: bash scripts/deps.sh            (as root, or with sudo available)
# Environment:
#   BGCOPY_DEPS_CLANG=1   also install clang and its sanitizer runtimes
#                         (scripts/test.sh sets it when it builds TSan with clang)
#   BGCOPY_DEPS_WINDOWS=1 also install the mingw-w64 cross toolchain, wine and
#                         what scripts/windows-deps.sh needs, and add deb-src
#                         entries to apt's sources (scripts/test.sh sets it for
#                         its windows stage)
#
# Debian's nginx package starts a system nginx listening on 0.0.0.0:80 as soon
# as it is installed (tinyproxy's and squid's start proxies on 8888 and 3128).
# bgcopy only ever uses servers it starts itself on 127.0.0.1, so the install
# runs under a policy-rc.d that forbids starting services (exit 101), and any
# nginx the install managed to start is stopped.
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config libuv1-dev libcurl4-openssl-dev
          libsqlite3-dev libinih-dev libmicrohttpd-dev nginx-light tinyproxy squid curl aria2
          time ca-certificates openssl)
if [ "${BGCOPY_DEPS_CLANG:-0}" = 1 ]; then
  packages+=(clang libclang-rt-14-dev)
fi
# The Windows stage: mingw-w64 (posix thread model) and 64-bit wine; dpkg-dev and
# Debian's source packages for building libuv, curl, SQLite and
# libmicrohttpd for Windows (scripts/windows-deps.sh); tcl for SQLite's
# amalgamation.
need_deb_src=0
if [ "${BGCOPY_DEPS_WINDOWS:-0}" = 1 ]; then
  packages+=(gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix mingw-w64-x86-64-dev
             binutils-mingw-w64-x86-64 wine wine64 dpkg-dev tcl)
  if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    need_deb_src=1
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ] && [ "$need_deb_src" = 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps.sh: missing packages (${missing[*]}) and no apt-get: this script targets Debian 12" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "deps.sh: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps.sh: installing ${missing[*]}"
fi
if [ "$need_deb_src" = 1 ]; then
  echo "deps.sh: adding deb-src entries to apt's sources"
  # Source packages: the same archives as the binary ones, in a file of our own.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      | "${sudo[@]}" tee /etc/apt/sources.list.d/bgcopy-deb-src.sources >/dev/null
  else
    grep -hE '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      | "${sudo[@]}" tee /etc/apt/sources.list.d/bgcopy-deb-src.list >/dev/null
  fi
fi

# --- keep the package scripts from starting services --------------------
policy=/usr/sbin/policy-rc.d
policy_backup=
policy_installed=0
nginx_pidfile=/run/nginx.pid
nginx_pid_before=
if [ -s "$nginx_pidfile" ]; then nginx_pid_before=$(cat "$nginx_pidfile" 2>/dev/null || true); fi

restore_policy() {
  if [ "$policy_installed" = 1 ]; then
    if [ -n "$policy_backup" ]; then
      "${sudo[@]}" mv -f "$policy_backup" "$policy"
    else
      "${sudo[@]}" rm -f "$policy"
    fi
  fi
}
trap restore_policy EXIT

if [ -e "$policy" ] && grep -qx 'exit 101' "$policy" 2>/dev/null; then
  : # already forbids starting services (e.g. Docker images ship one)
else
  if [ -e "$policy" ]; then
    policy_backup=$("${sudo[@]}" mktemp /usr/sbin/policy-rc.d.bgcopy.XXXXXX)
    "${sudo[@]}" cp -p "$policy" "$policy_backup"
  fi
  printf '#!/bin/sh\n# installed by bgcopy scripts/deps.sh for the duration of apt-get install\nexit 101\n' \
    | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 0755 "$policy"
  policy_installed=1
fi

# apt's chatter goes to a log that is shown only when something fails.
apt_log=$(mktemp "${TMPDIR:-/tmp}/bgcopy-deps.XXXXXX")
apt_run() {
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "$@" >>"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    rm -f "$apt_log"
    echo "deps.sh: failed: $*" >&2
    exit 1
  fi
}
apt_run apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  apt_run apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
rm -f "$apt_log"

# --- stop a system nginx the install started anyway (e.g. no policy-rc.d support)
if [ -s "$nginx_pidfile" ]; then
  pid=$(cat "$nginx_pidfile" 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$pid" != "$nginx_pid_before" ] && kill -0 "$pid" 2>/dev/null; then
    echo "deps.sh: stopping the system nginx (pid $pid) started by the package install"
    "${sudo[@]}" kill -QUIT "$pid" || true
  fi
fi
installing_nginx=0
for p in "${missing[@]}"; do [ "$p" = nginx-light ] && installing_nginx=1; done
if [ "$installing_nginx" = 1 ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  if "${sudo[@]}" systemctl is-active --quiet nginx 2>/dev/null && [ -z "$nginx_pid_before" ]; then
    "${sudo[@]}" systemctl stop nginx || true
  fi
  "${sudo[@]}" systemctl disable --quiet nginx 2>/dev/null || true
fi

echo "deps.sh: done"
