#!/usr/bin/env bash
# Runs each fuzz target for FUZZTIME (default 10s). A crasher fails the run
# and is kept by go test under the package's testdata/fuzz, to become a
# regression test. A failure that leaves no crasher (the fuzzing engine's
# own: a worker that did not answer in time on a loaded machine) is shown
# in full and the target run once more; a second such failure fails.
# A new input is minimized for at most a second: the default minute on a
# shard file of 24 kB stopped FuzzShard after its first seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZTIME:-10s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fuzz() { # package, target
  go test "./$1/" -run '^$' -fuzz "^$2\$" -fuzztime "$t" -fuzzminimizetime 1s >"$log" 2>&1
}
crashers() { # package, target
  { find "$1/testdata/fuzz/$2" -type f 2>/dev/null || true; } | wc -l
}
for target in "calibrate FuzzRead" "calibrate FuzzParseTime" "model FuzzDecode" "model FuzzModelLeaves" "model FuzzRecalibration" "scenarios FuzzScenarioFile" "scenarios FuzzRule" "trials FuzzShard"; do
  set -- $target
  echo "fuzz $1 $2 for $t"
  before=$(crashers "$1" "$2")
  if fuzz "$1" "$2"; then
    grep -E "^(ok|FAIL|---)|elapsed: .*execs" "$log" | tail -2
    continue
  fi
  grep -v "elapsed: " "$log" | tail -20
  if [ "$(crashers "$1" "$2")" != "$before" ]; then
    echo "fuzz $1 $2: a crasher, kept under $1/testdata/fuzz/$2" >&2
    exit 1
  fi
  echo "fuzz $1 $2 failed without a crasher; once more" >&2
  if ! fuzz "$1" "$2"; then
    grep -v "elapsed: " "$log" | tail -20
    exit 1
  fi
  grep -E "^(ok|FAIL|---)|elapsed: .*execs" "$log" | tail -2
done
