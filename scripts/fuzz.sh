#!/usr/bin/env bash
# Runs each fuzz target for FUZZTIME (default 10s). A crasher fails the run
# and is kept by go test under the package's testdata/fuzz, to become a
# regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZTIME:-10s}
for target in "calibrate FuzzRead" "calibrate FuzzParseTime" "model FuzzDecode" "model FuzzModelLeaves" "scenarios FuzzScenarioFile" "scenarios FuzzRule"; do
  set -- $target
  echo "fuzz $1 $2 for $t"
  go test "./$1/" -run '^$' -fuzz "^$2\$" -fuzztime "$t" 2>&1 | grep -E "^(ok|FAIL|---)|elapsed: .*execs" | tail -2
done
