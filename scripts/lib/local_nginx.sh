# shellcheck shell=bash
# local_nginx.sh - sourced by scripts/demo.sh and bench/download.sh: a real
# nginx serving one directory on 127.0.0.1 only, as a foreground (non-daemon)
# child of the calling script, stopped by its PID.
#
#   bgcopy_nginx_start WORKDIR DOCROOT   sets BGCOPY_NGINX_PID, BGCOPY_NGINX_PORT,
#                                        BGCOPY_NGINX_ACCESS_LOG; returns 1 on failure
#   bgcopy_nginx_stop                    stops it (safe to call twice)
#   bgcopy_sha256 FILE                   prints the file's SHA-256 (hex)
#
# Everything nginx writes (config, pid file, logs, temp dirs) stays under
# WORKDIR; nothing touches /etc/nginx or /var/log/nginx.

# Results for the sourcing script.
# shellcheck disable=SC2034
BGCOPY_NGINX_PID='' BGCOPY_NGINX_PORT='' BGCOPY_NGINX_ACCESS_LOG=''

bgcopy_nginx_bin() {
  if command -v nginx >/dev/null 2>&1; then command -v nginx
  elif [ -x /usr/sbin/nginx ]; then echo /usr/sbin/nginx
  else return 1
  fi
}

# bgcopy_nginx_start WORKDIR DOCROOT
bgcopy_nginx_start() {
  local work=$1 docroot=$2 nginx port conf deadline
  nginx=$(bgcopy_nginx_bin) || { echo "nginx not found (run scripts/deps.sh)" >&2; return 1; }
  mkdir -p "$work/tmp"
  # Workers drop to "nobody" when nginx starts as root: let them read the files.
  chmod 0755 "$work" "$docroot"
  BGCOPY_NGINX_ACCESS_LOG=$work/access.log
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    # A random high port; if another process holds it nginx exits at once
    # with "Address already in use" and the next attempt takes another.
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    conf=$work/nginx.conf
    cat >"$conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 256; }
http {
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    log_format bgcopy '\$remote_addr "\$request" range="\$http_range" \$status \$body_bytes_sent \$request_time';
    access_log $BGCOPY_NGINX_ACCESS_LOG bgcopy;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $docroot;
        location / { }
    }
}
CONF
    "$nginx" -p "$work" -c "$conf" -e "$work/error.log" >"$work/nginx.stdout" 2>&1 &
    BGCOPY_NGINX_PID=$!
    # Ready when it answers; gone when the port was taken or the config is bad.
    deadline=$((SECONDS + 10))
    while [ $SECONDS -lt $deadline ]; do
      if ! kill -0 "$BGCOPY_NGINX_PID" 2>/dev/null; then break; fi
      if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
        # shellcheck disable=SC2034  # read by the sourcing script
        BGCOPY_NGINX_PORT=$port
        return 0
      fi
      sleep 0.05
    done
    bgcopy_nginx_stop
    if ! grep -q 'Address already in use' "$work/error.log" "$work/nginx.stdout" 2>/dev/null; then
      echo "nginx did not start:" >&2
      cat "$work/error.log" "$work/nginx.stdout" >&2 2>/dev/null || true
      return 1
    fi
  done
  echo "nginx: no free port found on 127.0.0.1" >&2
  return 1
}

bgcopy_nginx_stop() {
  if [ -n "$BGCOPY_NGINX_PID" ]; then
    # TERM: fast shutdown of master and workers (the master is our child);
    # a graceful QUIT would wait for a client that may be gone half-way.
    kill -TERM "$BGCOPY_NGINX_PID" 2>/dev/null || true
    wait "$BGCOPY_NGINX_PID" 2>/dev/null || true
    BGCOPY_NGINX_PID=
  fi
}

bgcopy_sha256() {
  # openssl's assembler SHA-256 is several times faster than coreutils'.
  if command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  else
    sha256sum "$1" | cut -d' ' -f1
  fi
}
