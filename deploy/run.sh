#!/usr/bin/env bash
# deploy/run.sh — run CaseHandling locally against PostgreSQL.
#
#   deploy/run.sh                                  # http://127.0.0.1:5080
#   CASEHANDLING_URL=http://0.0.0.0:8080 deploy/run.sh
#   CASEHANDLING_DB='Host=...;Database=...' deploy/run.sh   # bring your own database
#
# Prepares PostgreSQL (lib/postgres.sh), then starts the server. The app itself applies the
# migrations (Database:MigrateOnStartup), loads demo data on the first run (Demo:Seed) and
# prints the URL and the demo accounts on start-up. Ctrl-C stops it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# shellcheck source=lib/postgres.sh
source deploy/lib/postgres.sh

CASEHANDLING_URL=${CASEHANDLING_URL:-http://127.0.0.1:5080}

ensure_postgres
dotnet_tool_restore

log "starting CaseHandling.Server on $CASEHANDLING_URL (first start builds Release) ..."
# exec: the app replaces this shell, so Ctrl-C and signals reach it directly.
exec dotnet run --project src/CaseHandling.Server -c Release -- \
  --urls "$CASEHANDLING_URL" \
  --ConnectionStrings:CaseHandling="$CASEHANDLING_DB" \
  --Database:MigrateOnStartup=true \
  --Demo:Seed=true
