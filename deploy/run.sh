#!/usr/bin/env bash
# deploy/run.sh — run CaseHandling locally against PostgreSQL.
#
#   deploy/run.sh                                  # http://127.0.0.1:5080
#   CASEHANDLING_URL=http://0.0.0.0:8080 deploy/run.sh
#   CASEHANDLING_DB='Host=...;Database=...' deploy/run.sh   # bring your own database
#
# Prepares PostgreSQL (lib/postgres.sh); applies the migrations and loads demo data on the first run
# (src/CaseHandling.Demo, which the server and its image do not contain) and prints the demo accounts;
# then starts the server, which prints its URL. Ctrl-C stops it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# shellcheck source=lib/postgres.sh
source deploy/lib/postgres.sh

CASEHANDLING_URL=${CASEHANDLING_URL:-http://127.0.0.1:5080}

ensure_postgres
ensure_keystore
dotnet_tool_restore

# The key-encryption key (docs/ENCRYPTION.md): for a local run, a key file made on the first run and
# kept in .local/ (never committed). Its key id is random, so a lost and remade file is named as
# missing rather than failing as a wrong key. In production, set Encryption:KeyFile to a file that is
# mounted from a secret store, or Encryption:ActiveKeyId and Encryption:Keys:<id> from one.
KEY_FILE=${CASEHANDLING_KEY_FILE:-$ROOT/.local/keys.json}
if [[ ! -f $KEY_FILE ]]; then
  mkdir -p "$(dirname "$KEY_FILE")"
  id="local-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  (umask 077 && printf '{"activeKeyId":"%s","keys":{"%s":"%s"}}\n' "$id" "$id" "$(head -c 32 /dev/urandom | base64 -w0)" > "$KEY_FILE")
  log "made a key-encryption key in $KEY_FILE (keep it: without it the data cannot be read)"
fi

# The matching key (docs/MATCHING.md): keyed hashes of the accused's identifiers. Like the key-encryption
# key it is held outside the database; for a local run a key file in .local/, in production a mounted secret.
MATCH_KEY_FILE=${CASEHANDLING_MATCHING_KEY_FILE:-$ROOT/.local/matching-keys.json}
if [[ ! -f $MATCH_KEY_FILE ]]; then
  mkdir -p "$(dirname "$MATCH_KEY_FILE")"
  id="match-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  (umask 077 && printf '{"activeKeyId":"%s","keys":{"%s":"%s"}}\n' "$id" "$id" "$(head -c 32 /dev/urandom | base64 -w0)" > "$MATCH_KEY_FILE")
  log "made a matching key in $MATCH_KEY_FILE"
fi

# Mail: by default the demo's reminder and escalation mails are written as .eml files to
# .local/mail/ (open them with any mail program). To use a real SMTP server (or a local sink such as
# MailHog or smtp4dev) instead, set CASEHANDLING_SMTP_HOST and CASEHANDLING_SMTP_PORT.
MAIL_ARGS=()
if [[ -n ${CASEHANDLING_SMTP_HOST:-} ]]; then
  MAIL_ARGS=(--Mail:Host="$CASEHANDLING_SMTP_HOST" --Mail:Port="${CASEHANDLING_SMTP_PORT:-25}" --Mail:Security="${CASEHANDLING_SMTP_SECURITY:-Auto}")
  log "mail goes to SMTP at $CASEHANDLING_SMTP_HOST:${CASEHANDLING_SMTP_PORT:-25}"
else
  mkdir -p "$ROOT/.local/mail"
  MAIL_ARGS=(--Mail:PickupDirectory="$ROOT/.local/mail")
  log "mail is written to $ROOT/.local/mail/*.eml (set CASEHANDLING_SMTP_HOST/PORT to use an SMTP server)"
fi

APP_ARGS=(
  --ConnectionStrings:CaseHandling="$CASEHANDLING_DB"
  --ConnectionStrings:KeyStore="$CASEHANDLING_KEYSTORE_DB"
  --Encryption:KeyFile="$KEY_FILE"
  --Matching:KeyFile="$MATCH_KEY_FILE"
  --Database:MigrateOnStartup=true
  --Notifications:PublicBaseUrl="$CASEHANDLING_URL"
  "${MAIL_ARGS[@]}"
)

log "preparing the database and the demo data (first run builds Release) ..."
dotnet run --project src/CaseHandling.Demo -c Release -- --contentRoot "$ROOT/src/CaseHandling.Server" --Jobs:Mode=Api "${APP_ARGS[@]}"

log "starting CaseHandling.Server on $CASEHANDLING_URL ..."
# exec: the app replaces this shell, so Ctrl-C and signals reach it directly.
exec dotnet run --project src/CaseHandling.Server -c Release --no-build -- --urls "$CASEHANDLING_URL" "${APP_ARGS[@]}"
