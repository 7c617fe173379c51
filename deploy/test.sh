#!/usr/bin/env bash
# deploy/test.sh — build the solution and run every test against a real PostgreSQL.
#
#   deploy/test.sh [--fast] [extra dotnet test arguments, e.g. --filter FullyQualifiedName~ChainTests]
#
# --fast: the fast category, for between commits: the domain tests and the server tests without the browser
# (tests/CaseHandling.Server.Tests/Browser), the fault and cluster scenarios, the fuzzer, the benchmark smoke tests
# and the OpenAPI linter; no Chromium, nginx or Node is installed for it. CI runs everything.
#
# Prepares PostgreSQL (see lib/postgres.sh; set CASEHANDLING_DB to bring your own),
# exports CASEHANDLING_TEST_DB for the tests (its role has CREATEDB: tests make their own
# throwaway databases), builds Release, runs `dotnet test`, writes
#   artifacts/build.log, artifacts/test-output.log, artifacts/test-results/*.trx
# and ends with exactly one line `N passed, N failed, N skipped` (CI reads it).
# Exit status is non-zero if the build fails, any test fails, dotnet test fails, or no test ran.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# shellcheck source=lib/postgres.sh
source deploy/lib/postgres.sh
# shellcheck source=lib/chromium.sh
source deploy/lib/chromium.sh
# shellcheck source=lib/node.sh
source deploy/lib/node.sh
# shellcheck source=lib/nginx.sh
source deploy/lib/nginx.sh
# shellcheck source=lib/test-results.sh
source deploy/lib/test-results.sh

ARTIFACTS="$ROOT/artifacts"
RESULTS="$ARTIFACTS/test-results"
BUILD_LOG="$ARTIFACTS/build.log"
TEST_LOG="$ARTIFACTS/test-output.log"

# If anything stops the script before the tests are counted, still end with a closing line
# (zero counts) and a non-zero exit, so CI never sees a run without one. The line goes to a
# saved copy of stdout (fd 3): the script may stop inside a command whose stdout is redirected.
exec 3>&1
SUMMARY_PRINTED=""
on_exit() {
  local rc=$?
  if [[ -z $SUMMARY_PRINTED ]]; then
    echo "test.sh: stopped before the tests were counted (exit $rc)" >&2
    echo "0 passed, 0 failed, 0 skipped" >&3
    (( rc != 0 )) || exit 1
  fi
}
trap on_exit EXIT

mkdir -p "$ARTIFACTS"

FAST=""
if [[ ${1:-} == "--fast" ]]; then
  FAST=1
  shift
  set -- --filter "FullyQualifiedName!~.Browser.&FullyQualifiedName!~.FaultTests&FullyQualifiedName!~.ClusterTests&FullyQualifiedName!~.Fuzzing.&FullyQualifiedName!~BenchmarkSmokeTests&FullyQualifiedName!~.OpenApiLintTests&FullyQualifiedName!~.FairRateLimitTests" "$@"
fi

# --- Database -------------------------------------------------------------------------
ensure_postgres
export CASEHANDLING_TEST_DB="$CASEHANDLING_DB"
sweep_test_databases

if [[ -z $FAST ]]; then
  # --- Browser: the pages are tested in Debian's Chromium (tests/CaseHandling.Server.Tests/Browser) ------------------
  ensure_chromium

  # --- nginx: the several-instances test (ClusterTests) puts Debian's nginx in front of two API instances -------------
  ensure_nginx

  # --- The OpenAPI linter (Redocly CLI, pinned), run by a test over the document the app serves -------------------
  ensure_openapi_lint
fi

# --- Build ------------------------------------------------------------------------------
dotnet_tool_restore

log "building CaseHandling.sln (Release) ..."
build_rc=0
dotnet build CaseHandling.sln -c Release -nologo -v quiet -tl:off >"$BUILD_LOG" 2>&1 || build_rc=$?
if (( build_rc != 0 )); then
  echo "build FAILED (exit $build_rc); errors (full log: artifacts/build.log):" >&2
  # MSBuild repeats each error in its summary: print the error lines once, in order.
  if grep -qE ': (error|warning) ' "$BUILD_LOG"; then
    grep -E ': (error|warning) ' "$BUILD_LOG" | awk '!seen[$0]++' >&2
  else
    cat "$BUILD_LOG" >&2
  fi
  exit 1
fi

# --- Test -------------------------------------------------------------------------------
# `--logger trx` without LogFileName gives every test assembly its own uniquely named file;
# start from an empty folder so that only this run's files are counted.
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

log "running tests ..."
TESTS_STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# The run's databases stay until `verify-audit` has checked their audit trails (below), where this script can sweep them.
(( EUID == 0 )) && export CASEHANDLING_KEEP_TEST_DATABASES=1
set +o errexit
dotnet test CaseHandling.sln -c Release --no-build \
  --logger "trx" \
  --logger "console;verbosity=normal" \
  --results-directory "$RESULTS" \
  "$@" 2>&1 | tee "$TEST_LOG"
test_rc=${PIPESTATUS[0]}
# verify-audit over every audit trail the run wrote: each chain whole (docs/AUDIT.md); a broken one fails the run.
audit_rc=0
verify_test_audit_trails "$TESTS_STARTED" src/CaseHandling.Server/bin/Release/net10.0/CaseHandling.Server.dll \
  >"$ARTIFACTS/verify-audit.txt" 2>&1 || audit_rc=$?
if (( audit_rc != 0 )); then
  echo "test.sh: verify-audit failed after the run (artifacts/verify-audit.txt):" >&2
  cat "$ARTIFACTS/verify-audit.txt" >&2
else
  log "$(tail -n 1 "$ARTIFACTS/verify-audit.txt")"
fi
# The run's throwaway databases (its own clean-up does not run; see sweep_test_databases).
sweep_test_databases "$TESTS_STARTED" || true
set -o errexit

# --- Closing line -----------------------------------------------------------------------
summary_rc=0
summarise_tests "$RESULTS" "$TEST_LOG" "$test_rc" || summary_rc=$?
(( audit_rc == 0 )) || summary_rc=1
SUMMARY_PRINTED=1
exit "$summary_rc"
