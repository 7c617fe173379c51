#!/usr/bin/env bash
# deploy/lib/common.sh — small helpers shared by the deploy scripts.
# Sourced, not executed. Callers run with `set -euo pipefail`.
set -euo pipefail

# Keep the .NET CLI from printing banners and telemetry notices.
export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# log MESSAGE... — one status line on stderr, prefixed with the script's name.
log() {
  printf '%s: %s\n' "$(basename "${0:-deploy}")" "$*" >&2
}

# die MESSAGE... — print an error on stderr and fail (exit in a script).
die() {
  printf '%s: error: %s\n' "$(basename "${0:-deploy}")" "$*" >&2
  exit 1
}

# run_quiet DESCRIPTION COMMAND [ARGS...]
# Runs a command with its output captured; prints the output only if it fails.
run_quiet() {
  local what=$1; shift
  local out rc=0
  out=$(mktemp)
  "$@" >"$out" 2>&1 || rc=$?
  if (( rc != 0 )); then
    printf '%s: %s failed (exit %d):\n' "$(basename "${0:-deploy}")" "$what" "$rc" >&2
    cat "$out" >&2
  fi
  rm -f "$out"
  return "$rc"
}

# dotnet_tool_restore — restore the local tools (dotnet-ef) from dotnet-tools.json, quietly.
dotnet_tool_restore() {
  run_quiet "dotnet tool restore" dotnet tool restore
}
