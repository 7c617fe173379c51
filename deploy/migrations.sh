#!/usr/bin/env bash
# deploy/migrations.sh — produce the database deployment artifacts without running the app.
#
#   deploy/migrations.sh           # artifacts/migrations.sql (idempotent SQL script)
#   deploy/migrations.sh bundle    # ... and artifacts/efbundle (standalone migrator)
#
# Both come from the migrations project (migrations/CaseHandling.Migrations), which is its own
# startup project (it has an IDesignTimeDbContextFactory); no database is needed to make them.
#
# Applying them to a database:
#   psql "postgresql://USER:PASSWORD@HOST:5432/DATABASE" -v ON_ERROR_STOP=1 -f artifacts/migrations.sql
#   artifacts/efbundle --connection "$CASEHANDLING_DB"     # an Npgsql connection string
# The SQL script is idempotent: it checks __EFMigrationsHistory and applies only what is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# shellcheck source=lib/common.sh
source deploy/lib/common.sh

PROJECT=migrations/CaseHandling.Migrations
mode=${1:-script}
case $mode in
  script|bundle) ;;
  -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
  *) die "unknown argument '$mode' (expected: bundle, or nothing)" ;;
esac

mkdir -p artifacts
dotnet_tool_restore

log "writing artifacts/migrations.sql ..."
dotnet ef migrations script --idempotent \
  --project "$PROJECT" --startup-project "$PROJECT" \
  -o artifacts/migrations.sql

if [[ $mode == bundle ]]; then
  log "writing artifacts/efbundle ..."
  dotnet ef migrations bundle \
    --project "$PROJECT" --startup-project "$PROJECT" \
    -o artifacts/efbundle --force
fi

cat >&2 <<MSG

Database deployment artifacts:
  artifacts/migrations.sql   apply with:  psql "\$URL" -v ON_ERROR_STOP=1 -f artifacts/migrations.sql
                             (\$URL like postgresql://casehandling:casehandling@127.0.0.1:5432/casehandling)
MSG
if [[ $mode == bundle ]]; then
  cat >&2 <<'MSG'
  artifacts/efbundle         apply with:  artifacts/efbundle --connection "$CASEHANDLING_DB"
                             ($CASEHANDLING_DB is an Npgsql string: Host=...;Port=5432;Username=...;Password=...;Database=...)
MSG
fi
