#!/usr/bin/env bash
# deploy/lib/test-results.sh — sum the results of every test assembly of a `dotnet test` run
# and print CI's closing line `N passed, N failed, N skipped`. Sourced by deploy/test.sh.
set -euo pipefail

# sum_trx DIR — prints "passed failed skipped files" summed over every *.trx under DIR.
# Reads the <Counters .../> element of each file:
#   passed  = passed
#   failed  = failed + error + timeout + aborted
#   skipped = notExecuted (NUnit's ignored/skipped tests)
sum_trx() {
  local dir=$1 f a counters p=0 fl=0 s=0 n=0
  local -A c
  while IFS= read -r -d '' f; do
    # The whole element, even if it is spread over several lines.
    counters=$(tr '\n' ' ' <"$f" | grep -o '<Counters [^>]*>' | head -1) || true
    [[ -n $counters ]] || { echo "warning: no <Counters> in $f" >&2; continue; }
    for a in passed failed error timeout aborted notExecuted; do
      # The leading space keeps `passed` from matching `passedButRunAborted`, etc.
      c[$a]=$(grep -o " $a=\"[0-9]*\"" <<<"$counters" | grep -o '[0-9]\+' || echo 0)
    done
    p=$((p + c[passed]))
    fl=$((fl + c[failed] + c[error] + c[timeout] + c[aborted]))
    s=$((s + c[notExecuted]))
    n=$((n + 1))
  done < <(find "$dir" -type f -name '*.trx' -print0 2>/dev/null)
  echo "$p $fl $s $n"
}

# sum_console LOG — prints "passed failed skipped lines" summed over dotnet test's
# per-assembly summary lines, e.g.
#   Passed!  - Failed:     0, Passed:     5, Skipped:     0, Total:     5, Duration: ...
#   Failed!  - Failed:     1, Passed:     4, Skipped:     0, Total:     5, Duration: ...
sum_console() {
  local log=$1
  [[ -r $log ]] || { echo "0 0 0 0"; return 0; }
  sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$log" |
    sed -nE 's/^[[:space:]]*(Passed|Failed|Skipped)![[:space:]]*-[[:space:]]*Failed:[[:space:]]*([0-9]+),[[:space:]]*Passed:[[:space:]]*([0-9]+),[[:space:]]*Skipped:[[:space:]]*([0-9]+),.*/\3 \2 \4/p' |
    awk '{p += $1; f += $2; s += $3; n++} END {print p+0, f+0, s+0, n+0}'
}

# summarise_tests RESULTS_DIR CONSOLE_LOG TEST_EXIT_CODE
# Prints reasons on stderr, then exactly one closing line on stdout as the last output:
#   N passed, N failed, N skipped
# Returns non-zero if any test failed, dotnet test failed, or no test ran at all.
summarise_tests() {
  local dir=$1 log=$2 test_rc=$3
  local tp tf ts tn cp cf cs cn passed failed skipped rc=0
  read -r tp tf ts tn < <(sum_trx "$dir")
  read -r cp cf cs cn < <(sum_console "$log")

  # TRX is preferred. Fall back to the console lines when there is no TRX, or when fewer TRX
  # files than assemblies turned up (e.g. a test host crashed before writing its file).
  if (( tn > 0 && tn >= cn )); then
    passed=$tp failed=$tf skipped=$ts
  else
    (( tn == 0 )) || echo "note: $tn TRX file(s) but $cn assembly summaries; counting the console summaries" >&2
    passed=$cp failed=$cf skipped=$cs
  fi

  if (( failed > 0 )); then
    echo "test run FAILED: $failed test(s) failed (see artifacts/test-output.log)" >&2
    rc=1
  fi
  if (( test_rc != 0 )); then
    echo "test run FAILED: dotnet test exited with code $test_rc" >&2
    rc=1
  fi
  if (( passed + failed == 0 )); then
    echo "test run FAILED: no test ran" >&2
    rc=1
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  return "$rc"
}
