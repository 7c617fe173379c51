#!/usr/bin/env bash
# deploy/lib/nginx.sh — Debian's nginx in front of several API instances (deploy/cluster.sh, docs/CLUSTER.md).
# Sourced, not executed. Defines:
#   ensure_nginx                               install Debian's nginx (nginx-light) when /usr/sbin/nginx is missing
#   nginx_self_signed_cert DIR                 DIR/tls/cert.pem and DIR/tls/key.pem for 127.0.0.1 and localhost, once
#   nginx_render_conf DIR LISTEN PORT...       DIR/nginx.conf from deploy/nginx/cluster.conf.template
#   nginx_start DIR / nginx_stop DIR           run it in the background from DIR, and stop it (by its pid file)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CASEHANDLING_NGINX_TEMPLATE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/nginx/cluster.conf.template"

ensure_nginx() {
  if [[ -x /usr/sbin/nginx ]]; then
    return 0
  fi
  if (( EUID != 0 )); then
    die "nginx is not installed; as root run: apt-get install -y --no-install-recommends nginx-light"
  fi
  log "installing nginx (apt-get) ..."
  export DEBIAN_FRONTEND=noninteractive
  run_quiet "apt-get update" apt-get update -qq
  # nginx-light: TLS, upstreams and map are all this needs. The package's own server is not started (no systemd here;
  # where there is one, the cluster's nginx runs beside it on its own port and never touches /etc/nginx).
  run_quiet "apt-get install nginx-light" apt-get install -y -qq --no-install-recommends nginx-light
  [[ -x /usr/sbin/nginx ]] || die "nginx was installed but /usr/sbin/nginx is missing"
}

# nginx_self_signed_cert DIR — a key pair for this local run only (never for a real installation: there the
# certificate comes from the organisation's CA or ACME). Made once; kept while DIR is.
nginx_self_signed_cert() {
  local dir=$1/tls
  [[ -s $dir/cert.pem && -s $dir/key.pem ]] && return 0
  command -v openssl >/dev/null 2>&1 || die "openssl is needed for the local certificate (apt-get install openssl)"
  mkdir -p "$dir"
  (umask 077 && run_quiet "openssl req" openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
      -keyout "$dir/key.pem" -out "$dir/cert.pem" \
      -subj "/CN=casehandling-local-cluster" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost")
}

# nginx_render_conf DIR LISTEN API_PORT... — fills the template: the run directory, the listen address, the API instances.
nginx_render_conf() {
  local dir=$1 listen=$2; shift 2
  local servers="" port
  for port in "$@"; do
    servers+="server 127.0.0.1:$port max_fails=1 fail_timeout=10s; "
  done
  mkdir -p "$dir/nginx-temp"
  sed -e "s|@RUN_DIR@|$dir|g" -e "s|@LISTEN@|$listen|g" -e "s|@API_SERVERS@|$servers|g" \
    "$CASEHANDLING_NGINX_TEMPLATE" >"$dir/nginx.conf"
  /usr/sbin/nginx -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" ||
    die "nginx refused $dir/nginx.conf (see $dir/nginx-error.log)"
}

# nginx_start DIR — nginx's master detaches itself and writes DIR/nginx.pid.
nginx_start() {
  local dir=$1
  /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" ||
    die "nginx did not start (see $dir/nginx-error.log)"
}

# nginx_stop DIR — a graceful stop (QUIT), then KILL after 10 s.
nginx_stop() {
  local dir=$1 pid
  [[ -s $dir/nginx.pid ]] || return 0
  pid=$(cat "$dir/nginx.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/nginx.pid"
}
