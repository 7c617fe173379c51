#!/usr/bin/env bash
# deploy/lib/postgres.sh — make a PostgreSQL database available for CaseHandling.
#
# Sourced by deploy/test.sh and deploy/run.sh. Defines `ensure_postgres`, which leaves
# an Npgsql connection string in the exported variable CASEHANDLING_DB:
#
#   * CASEHANDLING_DB already set  -> the user brings their own database; nothing is touched.
#   * otherwise                    -> use the PostgreSQL answering on 127.0.0.1:5432, or
#                                     install/create/start a local Debian cluster (as root,
#                                     no systemd: pg_ctlcluster), then idempotently provision
#                                     role `casehandling` (LOGIN CREATEDB, password
#                                     `casehandling`) and database `casehandling` owned by it.
#
# Quiet on success apart from one status line on stderr. See ../shared/env/STACK.md.
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CASEHANDLING_PG_HOST=127.0.0.1
CASEHANDLING_PG_PORT=5432
CASEHANDLING_PG_ROLE=casehandling
CASEHANDLING_PG_PASSWORD=casehandling
CASEHANDLING_PG_DATABASE=casehandling
# Seconds to wait for the server to accept connections. A cluster that was stopped without a shutdown (a machine
# restored from a snapshot, a killed container) first runs crash recovery, which syncs every file of the data
# directory: with a few thousand leftover test databases that took over a minute, past pg_ctl's own 60 s, and a CI
# run stopped there. The server goes on starting after pg_ctl gives up, so we wait for it ourselves.
CASEHANDLING_PG_START_TIMEOUT=900

# _pg_ready — true when a server accepts connections on 127.0.0.1:5432.
_pg_ready() {
  command -v pg_isready >/dev/null 2>&1 &&
    pg_isready -q -h "$CASEHANDLING_PG_HOST" -p "$CASEHANDLING_PG_PORT"
}

# _pg_as_superuser CMD [ARGS...] — run a command as the `postgres` OS user.
_pg_as_superuser() {
  if (( EUID == 0 )); then
    # cd / so that postgres does not complain about an unreadable working directory.
    (cd / && runuser -u postgres -- "$@")
  elif [[ $(id -un) == postgres ]]; then
    "$@"
  elif sudo -n -u postgres true 2>/dev/null; then
    (cd / && sudo -n -u postgres -- "$@")
  else
    die "provisioning the database needs root (or passwordless sudo to the postgres user);" \
        "run as root, or set CASEHANDLING_DB to a connection string of your own database"
  fi
}

# _pg_install_and_start — install the Debian packages if missing, create and start the cluster.
_pg_install_and_start() {
  export DEBIAN_FRONTEND=noninteractive

  # 1. Packages (only when no server binary is present at all).
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if (( EUID != 0 )); then
      die "PostgreSQL is not installed. Install it as root with:" \
          "apt-get install -y --no-install-recommends postgresql postgresql-contrib" \
          "(or set CASEHANDLING_DB to a connection string of your own database)"
    fi
    log "installing PostgreSQL (apt-get) ..."
    run_quiet "apt-get update" apt-get update -qq
    run_quiet "apt-get install postgresql" \
      apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib
  fi

  # 2. Cluster: prefer one already configured on port 5432; else create "<newest> main" there.
  local version cluster
  read -r version cluster < <(pg_lsclusters -h 2>/dev/null |
    awk -v p="$CASEHANDLING_PG_PORT" '$3 == p {print $1, $2; exit}') || true
  if [[ -z ${version:-} ]]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    cluster=main
    if pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$version $cluster"; then
      die "cluster $version/$cluster exists but not on port $CASEHANDLING_PG_PORT;" \
          "change its port in /etc/postgresql/$version/$cluster/postgresql.conf or set CASEHANDLING_DB"
    fi
    (( EUID == 0 )) || die "no PostgreSQL cluster on port $CASEHANDLING_PG_PORT; as root run:" \
                           "pg_createcluster -p $CASEHANDLING_PG_PORT $version main"
    run_quiet "pg_createcluster" pg_createcluster -p "$CASEHANDLING_PG_PORT" "$version" "$cluster"
  fi

  # 3. Start it (no systemd here; pg_ctlcluster works as root).
  if ! pg_ctlcluster "$version" "$cluster" status >/dev/null 2>&1; then
    if (( EUID != 0 )) && [[ $(id -un) != postgres ]]; then
      die "PostgreSQL $version/$cluster is not running; as root run: pg_ctlcluster $version $cluster start"
    fi
    # Options after `--` go to pg_ctl: its -t is the wait for the start (recovery included).
    if ! run_quiet "pg_ctlcluster $version $cluster start" \
        pg_ctlcluster "$version" "$cluster" start -- -t "$CASEHANDLING_PG_START_TIMEOUT"; then
      pg_ctlcluster "$version" "$cluster" status >/dev/null 2>&1 ||
        die "PostgreSQL $version/$cluster did not start; see /var/log/postgresql/postgresql-$version-$cluster.log"
      log "PostgreSQL $version/$cluster is still starting (crash recovery?); waiting for it"
    fi
  fi

  # 4. Wait until it accepts connections.
  local deadline=$((SECONDS + CASEHANDLING_PG_START_TIMEOUT))
  until _pg_ready; do
    if (( SECONDS >= deadline )); then
      die "PostgreSQL $version/$cluster did not accept connections on" \
          "$CASEHANDLING_PG_HOST:$CASEHANDLING_PG_PORT within ${CASEHANDLING_PG_START_TIMEOUT}s;" \
          "see /var/log/postgresql/postgresql-$version-$cluster.log"
    fi
    sleep 1
  done
}

# _pg_provision — create/repair the role and the database. Idempotent.
# \gexec runs each row of the preceding query as a statement; it works via stdin, not -c.
_pg_provision() {
  _pg_as_superuser true   # fails here, with its message, if we cannot become postgres
  _pg_as_superuser psql -X -q -v ON_ERROR_STOP=1 \
      -p "$CASEHANDLING_PG_PORT" -d postgres \
      -v role="$CASEHANDLING_PG_ROLE" -v pw="$CASEHANDLING_PG_PASSWORD" \
      -v db="$CASEHANDLING_PG_DATABASE" >/dev/null <<'SQL'
-- Role: create when missing ...
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
-- ... and make sure an existing one can log in, create databases and has the password.
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
\gexec
-- Database: create when missing, owned by the role.
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SQL
}

# _pg_app_login_ok — true when the role logs in over TCP with its password, to its database,
# and may create databases (the tests make their own throwaway databases).
_pg_app_login_ok() {
  local createdb
  createdb=$(PGPASSWORD=$CASEHANDLING_PG_PASSWORD PGCONNECT_TIMEOUT=10 psql -X -q -t -A \
      -h "$CASEHANDLING_PG_HOST" -p "$CASEHANDLING_PG_PORT" -U "$CASEHANDLING_PG_ROLE" \
      -d "$CASEHANDLING_PG_DATABASE" \
      -c 'select rolcreatedb from pg_roles where rolname = current_user' 2>/dev/null) &&
    [[ $createdb == t ]]
}

# _pg_tune — room for a test run whose fixtures run in parallel (each app host has its pools, the key store its
# own) and for the benchmarks: the default of 100 connections runs out. Only on a local cluster run as root.
_pg_tune() {
  (( EUID == 0 )) || return 0
  local current version cluster
  # Crash recovery syncs the data directory first; syncfs (PostgreSQL 14 and later, Linux) does it per file system
  # instead of per file: seconds instead of minutes on a directory of many databases. A reload applies it.
  current=$(_pg_as_superuser psql -p "$CASEHANDLING_PG_PORT" -tAc 'show server_version_num' 2>/dev/null) || return 0
  if (( current >= 140000 )) &&
     [[ $(_pg_as_superuser psql -p "$CASEHANDLING_PG_PORT" -tAc 'show recovery_init_sync_method') != syncfs ]]; then
    _pg_as_superuser psql -p "$CASEHANDLING_PG_PORT" -qc "ALTER SYSTEM SET recovery_init_sync_method = 'syncfs'" \
      -c 'SELECT pg_reload_conf()' >/dev/null
  fi
  current=$(_pg_as_superuser psql -p "$CASEHANDLING_PG_PORT" -tAc 'show max_connections' 2>/dev/null) || return 0
  (( current >= 300 )) && return 0
  _pg_as_superuser psql -p "$CASEHANDLING_PG_PORT" -qc 'ALTER SYSTEM SET max_connections = 300' >/dev/null
  read -r version cluster < <(pg_lsclusters -h 2>/dev/null | awk -v p="$CASEHANDLING_PG_PORT" '$3 == p {print $1, $2; exit}') || return 0
  run_quiet "pg_ctlcluster $version $cluster restart" pg_ctlcluster "$version" "$cluster" restart -- -t "$CASEHANDLING_PG_START_TIMEOUT"
  until _pg_ready; do sleep 1; done
}

# sweep_test_databases [SINCE] — drop the throwaway databases (ch_test_*, ch_bench_*) that runs left behind. They pile
# up: the tests' own clean-up (TestRun, a SetUpFixture in a namespace that holds no tests) never runs, so every run left
# about 160, and 1,983 of them (16 GB) made a crash recovery outlast pg_ctl's wait. Dropped: those made over three hours
# ago (no run takes that long), and with SINCE (an instant; test.sh passes its own start after the tests) those made
# since then; in both cases only with nobody connected, so a run beside this one on the same server keeps its own.
# Needs the superuser (the age is the directory's); skipped otherwise, and on a database of your own.
sweep_test_databases() {
  (( EUID == 0 )) || [[ $(id -un) == postgres ]] || return 0
  [[ ${CASEHANDLING_DB:-} == "Host=$CASEHANDLING_PG_HOST;Port=$CASEHANDLING_PG_PORT;Username=$CASEHANDLING_PG_ROLE;"* ]] || return 0
  local names count=0 name since=${1:-infinity}
  names=$(_pg_as_superuser psql -X -p "$CASEHANDLING_PG_PORT" -d postgres -tA -v since="$since" <<'SQL'
SELECT d.datname FROM pg_database d
 WHERE (d.datname LIKE 'ch\_test\_%' OR d.datname LIKE 'ch\_bench\_%')
   AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)
   AND ((pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification < now() - interval '3 hours'
        OR (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification >= :'since'::timestamptz)
SQL
  ) || return 0
  while IFS= read -r name; do
    [[ -n $name ]] || continue
    # Without FORCE: a database someone connected to meanwhile stays.
    _pg_as_superuser psql -X -q -p "$CASEHANDLING_PG_PORT" -d postgres -c "DROP DATABASE IF EXISTS \"$name\"" \
      >/dev/null 2>&1 && count=$((count + 1))
  done <<<"$names"
  (( count == 0 )) || log "dropped $count test databases left behind"
}

# verify_test_audit_trails SINCE SERVER_DLL — runs the app's `verify-audit` on every test database made since SINCE that
# has an audit trail; prints one line per database and a total; non-zero if any chain is broken. As root only (it
# lists the databases as the superuser; elsewhere it checks nothing and says so).
verify_test_audit_trails() {
  local since=$1 dll=$2 name names checked=0 broken=0 out
  if ! (( EUID == 0 )); then echo "verify-audit: not run (needs root to list the test databases)"; return 0; fi
  names=$(_pg_as_superuser psql -X -p "$CASEHANDLING_PG_PORT" -d postgres -tA -v since="$since" <<'SQL'
SELECT d.datname FROM pg_database d
 WHERE d.datname LIKE 'ch\_test\_%' AND d.datname NOT LIKE 'ch\_test\_template\_%'
   AND (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification >= :'since'::timestamptz
SQL
  ) || return 1
  while IFS= read -r name; do
    [[ -n $name ]] || continue
    [[ $(_pg_as_superuser psql -X -p "$CASEHANDLING_PG_PORT" -d "$name" -tA -c "SELECT to_regclass('audit_entries') IS NOT NULL") == t ]] || continue
    if out=$(dotnet "$dll" verify-audit --ConnectionStrings:CaseHandling="${CASEHANDLING_DB%%;Database=*};Database=$name" 2>&1); then
      checked=$((checked + 1))
    else
      broken=$((broken + 1))
      echo "$name: $out"
    fi
  done <<<"$names"
  echo "verify-audit after the run: $checked test databases intact, $broken broken"
  (( broken == 0 ))
}

# ensure_postgres — see the header. Exports CASEHANDLING_DB.
ensure_postgres() {
  if [[ -n ${CASEHANDLING_DB:-} ]]; then
    export CASEHANDLING_DB
    log "database: using CASEHANDLING_DB from the environment"
    return 0
  fi

  local started=""
  if ! _pg_ready; then
    _pg_install_and_start
    started=" (started)"
  fi
  _pg_tune

  # Root (or postgres) provisions every time: it is idempotent and takes a fraction of a
  # second. Other users can only do so through sudo, so they skip it when already done.
  if (( EUID == 0 )) || [[ $(id -un) == postgres ]] || ! _pg_app_login_ok; then
    _pg_provision
  fi

  export CASEHANDLING_DB="Host=$CASEHANDLING_PG_HOST;Port=$CASEHANDLING_PG_PORT;Username=$CASEHANDLING_PG_ROLE;Password=$CASEHANDLING_PG_PASSWORD;Database=$CASEHANDLING_PG_DATABASE"

  # Prove the application's own path works: password login over TCP.
  if ! _pg_app_login_ok; then
    die "role $CASEHANDLING_PG_ROLE cannot log in to $CASEHANDLING_PG_HOST:$CASEHANDLING_PG_PORT/$CASEHANDLING_PG_DATABASE (check pg_hba.conf)"
  fi

  log "database: PostgreSQL at $CASEHANDLING_PG_HOST:$CASEHANDLING_PG_PORT$started, database $CASEHANDLING_PG_DATABASE, role $CASEHANDLING_PG_ROLE"
}

# ensure_keystore — the database that holds the data keys (docs/ENCRYPTION.md), apart from the case
# database so that a copy of that one holds no key. Exports CASEHANDLING_KEYSTORE_DB.
#
#   * CASEHANDLING_KEYSTORE_DB already set -> used as it is.
#   * the local cluster of ensure_postgres  -> database `casehandling_keys`, created by the role (it has CREATEDB).
#   * CASEHANDLING_DB of your own and no key store named -> empty: the app keeps the keys in the case
#     database and warns about it at start-up.
ensure_keystore() {
  if [[ -n ${CASEHANDLING_KEYSTORE_DB:-} ]]; then
    export CASEHANDLING_KEYSTORE_DB
    return 0
  fi
  if [[ $CASEHANDLING_DB != "Host=$CASEHANDLING_PG_HOST;Port=$CASEHANDLING_PG_PORT;Username=$CASEHANDLING_PG_ROLE;"* ]]; then
    export CASEHANDLING_KEYSTORE_DB=""
    return 0
  fi
  local keys=${CASEHANDLING_PG_DATABASE}_keys
  PGPASSWORD=$CASEHANDLING_PG_PASSWORD psql -X -q -v ON_ERROR_STOP=1 -h "$CASEHANDLING_PG_HOST" -p "$CASEHANDLING_PG_PORT" \
      -U "$CASEHANDLING_PG_ROLE" -d "$CASEHANDLING_PG_DATABASE" -v db="$keys" >/dev/null <<'SQL' ||
SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SQL
    die "could not create the key store database $keys"
  export CASEHANDLING_KEYSTORE_DB="Host=$CASEHANDLING_PG_HOST;Port=$CASEHANDLING_PG_PORT;Username=$CASEHANDLING_PG_ROLE;Password=$CASEHANDLING_PG_PASSWORD;Database=$keys"
  log "key store: database $keys"
}
