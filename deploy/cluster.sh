#!/usr/bin/env bash
# deploy/cluster.sh — the topology of a larger installation, on this one machine (docs/CLUSTER.md):
# Debian's nginx terminating TLS (a self-signed certificate made for this run), two API instances (Jobs:Mode=Api)
# and two workers (Jobs:Mode=Worker), all on one PostgreSQL (lib/postgres.sh). Loopback only.
#
#   deploy/cluster.sh          # start; https://127.0.0.1:18443 (the certificate is self-signed: curl -k)
#   deploy/cluster.sh start --surfaces
#                              # the reporter surface and the staff surface apart (docs/CLUSTER.md, "Two surfaces"):
#                              # api-1 serves only the reporter's pages and API, behind https://127.0.0.1:18443; the other
#                              # API instances only the staff's, behind their own nginx on https://127.0.0.1:18444
#   deploy/cluster.sh status   # which processes run
#   deploy/cluster.sh stop     # stop them all
#
# Everything lives in .local/cluster/ (CASEHANDLING_CLUSTER_DIR): pids, logs, nginx's configuration and the key pair.
# Ports (CASEHANDLING_CLUSTER_*): nginx 18443, API 18081 and 18082, workers 18091 and 18092 (a worker serves no page;
# its port is only where it listens). The database, the key-encryption key and the matching key are those of
# deploy/run.sh (.local/keys.json, .local/matching-keys.json), so both see the same data; do not run both at once.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# shellcheck source=lib/postgres.sh
source deploy/lib/postgres.sh
# shellcheck source=lib/nginx.sh
source deploy/lib/nginx.sh

RUN=${CASEHANDLING_CLUSTER_DIR:-$ROOT/.local/cluster}
NGINX_PORT=${CASEHANDLING_CLUSTER_PORT:-18443}
API_PORTS=(${CASEHANDLING_CLUSTER_API_PORTS:-18081 18082})
WORKER_PORTS=(${CASEHANDLING_CLUSTER_WORKER_PORTS:-18091 18092})
START_TIMEOUT=${CASEHANDLING_CLUSTER_START_TIMEOUT:-180}   # seconds for one instance to start
URL="https://127.0.0.1:$NGINX_PORT"
STAFF_PORT=${CASEHANDLING_CLUSTER_STAFF_PORT:-18444}
STAFF_URL="https://127.0.0.1:$STAFF_PORT"
PROJECT="$ROOT/src/CaseHandling.Server"

# The app's processes, by name: api-1, api-2, worker-1, worker-2. Their pid files are $RUN/<name>.pid.
names() {
  local i
  for i in "${!API_PORTS[@]}"; do echo "api-$((i + 1))"; done
  for i in "${!WORKER_PORTS[@]}"; do echo "worker-$((i + 1))"; done
}

alive() { [[ -s $RUN/$1.pid ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_app NAME — SIGTERM (the app finishes its requests and jobs), SIGKILL after 20 s. Only the pid this script wrote.
stop_app() {
  local name=$1 pid
  [[ -s $RUN/$name.pid ]] || return 0
  pid=$(cat "$RUN/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop within 20 s: killed"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$RUN/$name.pid"
}

stop_all() {
  nginx_stop "$RUN"
  nginx_stop "$RUN/staff"
  local name
  for name in $(names | tac); do stop_app "$name"; done
}

status() {
  local name any=""
  for name in $(names); do
    if alive "$name"; then echo "$name: running (pid $(cat "$RUN/$name.pid"))"; any=1; else echo "$name: stopped"; fi
  done
  if [[ -s $RUN/nginx.pid ]] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null; then
    echo "nginx: running on $URL (pid $(cat "$RUN/nginx.pid"))"; any=1
  else
    echo "nginx: stopped"
  fi
  if [[ -s $RUN/staff/nginx.pid ]] && kill -0 "$(cat "$RUN/staff/nginx.pid")" 2>/dev/null; then
    echo "nginx (staff surface): running on $STAFF_URL (pid $(cat "$RUN/staff/nginx.pid"))"; any=1
  fi
  [[ -n $any ]]
}

# start_app NAME PORT MODE [ARGS...] — in its own session, in the background; waits for its start-up line.
start_app() {
  local name=$1 port=$2 mode=$3; shift 3
  local logfile="$RUN/$name.log"
  : >"$logfile"
  (
    cd "$PROJECT"
    ASPNETCORE_ENVIRONMENT=Production exec setsid dotnet "$DLL" \
      --contentRoot "$PROJECT" \
      --urls "http://127.0.0.1:$port" \
      --Jobs:Mode="$mode" \
      --ConnectionStrings:CaseHandling="$CASEHANDLING_DB" \
      --ConnectionStrings:KeyStore="$CASEHANDLING_KEYSTORE_DB" \
      --Encryption:KeyFile="$KEY_FILE" \
      --Matching:KeyFile="$MATCH_KEY_FILE" \
      --ReverseProxy:TrustedProxies:0=127.0.0.1 \
      --Security:RequireHttps=true \
      "${LINK_ARGS[@]}" "${MAIL_ARGS[@]}" "$@"
  ) </dev/null >>"$logfile" 2>&1 &
  echo $! >"$RUN/$name.pid"
  local deadline=$((SECONDS + START_TIMEOUT))
  until grep -q "CaseHandling is running at" "$logfile"; do
    if ! alive "$name"; then
      tail -n 20 "$logfile" >&2
      stop_all
      die "$name stopped during start-up (log: $logfile)"
    fi
    if (( SECONDS >= deadline )); then
      tail -n 20 "$logfile" >&2
      stop_all
      die "$name did not start within ${START_TIMEOUT}s (log: $logfile)"
    fi
    sleep 0.5
  done
  log "$name ($mode) is running on 127.0.0.1:$port"
}

# ensure_key_file PATH PREFIX — as deploy/run.sh: a random 256-bit key with a random id, made once, kept in .local/.
ensure_key_file() {
  local file=$1 prefix=$2 id
  [[ -f $file ]] && return 0
  mkdir -p "$(dirname "$file")"
  id="$prefix-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  (umask 077 && printf '{"activeKeyId":"%s","keys":{"%s":"%s"}}\n' "$id" "$id" "$(head -c 32 /dev/urandom | base64 -w0)" >"$file")
  log "made $file (keep it: without it the data cannot be read)"
}

# wait_for URL PROBE — until nginx answers the probe with 2xx, at most 30 s.
wait_for() {
  local url=$1 probe=$2 deadline=$((SECONDS + 30))
  until curl -ksf -o /dev/null "$url$probe"; do
    (( SECONDS < deadline )) || { stop_all; die "nginx did not answer on $url within 30 s (see its nginx-error.log under $RUN)"; }
    sleep 0.5
  done
}

start() {
  local split=${1:-} name port
  if [[ -n $split ]] && (( ${#API_PORTS[@]} < 2 )); then die "--surfaces needs two API instances or more (CASEHANDLING_CLUSTER_API_PORTS)"; fi
  for name in $(names); do
    alive "$name" && die "the cluster is already running ($name); deploy/cluster.sh stop first"
  done
  local ports=("$NGINX_PORT" "${API_PORTS[@]}" "${WORKER_PORTS[@]}")
  [[ -n $split ]] && ports+=("$STAFF_PORT")
  for port in "${ports[@]}"; do
    port_taken "$port" && die "port $port on 127.0.0.1 is in use; choose others with CASEHANDLING_CLUSTER_PORT / _STAFF_PORT / _API_PORTS / _WORKER_PORTS"
  done
  mkdir -p "$RUN"

  ensure_nginx
  ensure_postgres
  ensure_keystore
  KEY_FILE=${CASEHANDLING_KEY_FILE:-$ROOT/.local/keys.json}
  MATCH_KEY_FILE=${CASEHANDLING_MATCHING_KEY_FILE:-$ROOT/.local/matching-keys.json}
  ensure_key_file "$KEY_FILE" local
  ensure_key_file "$MATCH_KEY_FILE" match

  # Mail as deploy/run.sh: .eml files in the run directory, or an SMTP server named by CASEHANDLING_SMTP_HOST/PORT.
  if [[ -n ${CASEHANDLING_SMTP_HOST:-} ]]; then
    MAIL_ARGS=(--Mail:Host="$CASEHANDLING_SMTP_HOST" --Mail:Port="${CASEHANDLING_SMTP_PORT:-25}" --Mail:Security="${CASEHANDLING_SMTP_SECURITY:-Auto}")
  else
    mkdir -p "$RUN/mail"
    MAIL_ARGS=(--Mail:PickupDirectory="$RUN/mail")
  fi

  # The links in mails: to the staff surface's address, and the notice of a reply to the reporter surface's.
  if [[ -n $split ]]; then
    LINK_ARGS=(--Notifications:PublicBaseUrl="$STAFF_URL" --Notifications:ReporterBaseUrl="$URL")
  else
    LINK_ARGS=(--Notifications:PublicBaseUrl="$URL")
  fi

  log "building CaseHandling.Server and the demo data (Release) ..."
  run_quiet "dotnet build" dotnet build "$ROOT/src/CaseHandling.Demo" -c Release -nologo -v quiet -tl:off
  DLL="$PROJECT/bin/Release/net10.0/CaseHandling.Server.dll"
  local demo="$ROOT/src/CaseHandling.Demo/bin/Release/net10.0/CaseHandling.Demo.dll"
  [[ -f $DLL && -f $demo ]] || die "the build left no $DLL or $demo"

  # The database first, once: migrations, the first administrator and, on a first run, the demo data (src/CaseHandling.Demo,
  # which the server and its image do not contain). Then the instances, none of which migrates at the same time as another.
  log "preparing the database and the demo data ..."
  (
    cd "$PROJECT"
    ASPNETCORE_ENVIRONMENT=Production exec dotnet "$demo" --contentRoot "$PROJECT" \
      --ConnectionStrings:CaseHandling="$CASEHANDLING_DB" --ConnectionStrings:KeyStore="$CASEHANDLING_KEYSTORE_DB" \
      --Encryption:KeyFile="$KEY_FILE" --Matching:KeyFile="$MATCH_KEY_FILE" --Jobs:Mode=Api \
      --Database:MigrateOnStartup=true "${LINK_ARGS[@]}" "${MAIL_ARGS[@]}"
  ) </dev/null >>"$RUN/demo.log" 2>&1 || { tail -n 20 "$RUN/demo.log" >&2; die "the demo data could not be loaded (log: $RUN/demo.log)"; }
  if [[ -z $split ]]; then
    start_app api-1 "${API_PORTS[0]}" Api
    local i
    for i in "${!API_PORTS[@]}"; do
      (( i == 0 )) && continue
      start_app "api-$((i + 1))" "${API_PORTS[$i]}" Api
    done
  else
    # The reporter surface (what the internet reaches) on api-1 alone; the staff surface on the others. Each has its own
    # address and its own proxy, as SecureDrop's source and journalist interfaces do; neither proxy needs a path rule.
    start_app api-1 "${API_PORTS[0]}" Api --Hosting:Surfaces=Reporter
    local i
    for i in "${!API_PORTS[@]}"; do
      (( i == 0 )) && continue
      start_app "api-$((i + 1))" "${API_PORTS[$i]}" Api --Hosting:Surfaces=Staff
    done
  fi
  for i in "${!WORKER_PORTS[@]}"; do
    start_app "worker-$((i + 1))" "${WORKER_PORTS[$i]}" Worker
  done

  nginx_self_signed_cert "$RUN"
  if [[ -z $split ]]; then
    nginx_render_conf "$RUN" "127.0.0.1:$NGINX_PORT" "${API_PORTS[@]}"
    nginx_start "$RUN"
    wait_for "$URL" "$PORTAL_PROBE"
    log "nginx terminates TLS on $URL (self-signed: curl -k; a browser asks once) and proxies to ${API_PORTS[*]}"
  else
    nginx_render_conf "$RUN" "127.0.0.1:$NGINX_PORT" "${API_PORTS[0]}"
    nginx_start "$RUN"
    nginx_self_signed_cert "$RUN/staff"
    nginx_render_conf "$RUN/staff" "127.0.0.1:$STAFF_PORT" "${API_PORTS[@]:1}"
    nginx_start "$RUN/staff"
    wait_for "$URL" "$REPORTER_PROBE"
    wait_for "$STAFF_URL" "$PORTAL_PROBE"
    log "the reporter surface: $URL (api-1); the staff surface: $STAFF_URL (${API_PORTS[*]:1}); TLS self-signed: curl -k"
  fi
  log "logs and pids: $RUN; mail: ${CASEHANDLING_SMTP_HOST:-$RUN/mail}; stop with: deploy/cluster.sh stop"
}

# Cheap pages served without a sign-in: the staff portal's sign-in page, and (reporter surface) the home page.
PORTAL_PROBE=/aanmelden
REPORTER_PROBE=/

case ${1:-start} in
  start)
    case ${2:-} in
      "") start ;;
      --surfaces) start split ;;
      *) echo "usage: deploy/cluster.sh [start [--surfaces]|status|stop]" >&2; exit 2 ;;
    esac ;;
  stop) stop_all; log "stopped" ;;
  status) status ;;
  *) echo "usage: deploy/cluster.sh [start [--surfaces]|status|stop]" >&2; exit 2 ;;
esac
