#!/usr/bin/env bash
# deploy/lib/node.sh — Node.js and the OpenAPI linter (Redocly CLI, pinned in tools/openapi-lint/package-lock.json),
# which a test runs over the document the app serves. Sourced by deploy/test.sh.
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Redocly CLI 2.x needs Node.js 20.19 or later (or 22.12+).
_node_new_enough() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)||(a===20&&b>=19)||(a===21)?0:1)'
}

# ====================================================================================
# ensure_openapi_lint — Node.js (Debian's package if none is there), then the pinned linter
# in tools/openapi-lint/node_modules (npm ci: exactly the lock file's versions).
# ====================================================================================
ensure_openapi_lint() {
  local root dir
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  dir="$root/tools/openapi-lint"
  if ! _node_new_enough; then
    (( EUID == 0 )) || die "the OpenAPI lint test needs Node.js 20.19+ with npm; as root run: apt-get install -y nodejs npm"
    log "installing Node.js (apt-get) ..."
    export DEBIAN_FRONTEND=noninteractive
    run_quiet "apt-get update" apt-get update -qq
    run_quiet "apt-get install nodejs npm" apt-get install -y -qq --no-install-recommends nodejs npm
    _node_new_enough || die "Node.js $(node --version 2>/dev/null || echo '(none)') is too old for Redocly CLI 2.x (20.19+ or 22.12+ needed)"
  fi
  local want have=""
  want=$(node -p 'require(process.argv[1]).devDependencies["@redocly/cli"]' "$dir/package.json")
  [[ -f $dir/node_modules/@redocly/cli/package.json ]] &&
    have=$(node -p 'require(process.argv[1]).version' "$dir/node_modules/@redocly/cli/package.json")
  if [[ $have != "$want" ]]; then
    log "installing the OpenAPI linter (Redocly CLI $want, npm ci) ..."
    (cd "$dir" && run_quiet "npm ci" npm ci --no-audit --no-fund --ignore-scripts)
  fi
}
