#!/usr/bin/env bash
# deploy/lib/chromium.sh — Debian's Chromium for the browser tests (Playwright drives
# /usr/bin/chromium; nothing is downloaded). Sourced by deploy/test.sh.
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# ====================================================================================
# ensure_chromium — install Debian's `chromium` package if /usr/bin/chromium is missing.
# ====================================================================================
ensure_chromium() {
  if [[ -x /usr/bin/chromium ]]; then
    return 0
  fi
  if (( EUID != 0 )); then
    die "browser tests need Chromium; as root run: apt-get install -y --no-install-recommends chromium"
  fi
  log "installing Chromium (apt-get, about 130 MB) ..."
  export DEBIAN_FRONTEND=noninteractive
  run_quiet "apt-get update" apt-get update -qq
  run_quiet "apt-get install chromium" apt-get install -y -qq --no-install-recommends chromium
  [[ -x /usr/bin/chromium ]] || die "chromium was installed but /usr/bin/chromium is missing"
}
