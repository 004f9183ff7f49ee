#!/usr/bin/env bash
# make bench: the engine's speed and memory, measured in one run and
# written to docs/BENCHMARKS.md (docs/benchmarks-head.md, the figures of
# this run, docs/benchmarks-tail.md).
#
# - Whole processes (/usr/bin/time): forecast at 100,000 trials, compare of
#   the baseline and the 5 sample scenarios at 100,000 trials each, a 20x20
#   sweep grid at 2,000 trials, calibrate of a generated million leads, and
#   the peak memory of a forecast of a million trials.
# - The NumPy peer (../shared/peers/numpy_funnel.py, or $PEER), timed in the
#   same run where Python 3 and NumPy are present, and the ratio of the
#   forecast's trials per second to the peer's.
# - The Go benchmarks: the engine on 1 and 2 workers and at 10 and 100
#   times the leads, the samplers against gonum's, calibration, compare,
#   and the trials files.
# - The guard: the engine against a fixed reference workload timed in the
#   same process (BenchmarkGuard). The script fails when that ratio is more
#   than 15% below the one docs/BENCHMARKS.md records; RECORD=1 records
#   this run's instead.
#
# Figures are medians of COUNT runs (default 5) made in this one run, so
# that ratios compare like with like on a noisy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-5}
peer=${PEER:-../shared/peers/numpy_funnel.py}
doc=docs/BENCHMARKS.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/bench.txt

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) exit 1; print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
field() { # benchmark name, unit -> median value
  grep -E "^$1-[0-9]+ " "$out" | awk -v u="$2" '{for (i=1;i<NF;i++) if ($(i+1)==u) print $i}' | median
}
calc() { awk "BEGIN {printf \"$1\", $2}"; }
num() { calc '%.0f' "$1" | sed -E ':a;s/^([0-9]+)([0-9]{3})/\1,\2/;ta'; } # 12,345
# timed NAME CMD...: runs CMD count times; sets NAME_s and NAME_mib to the
# medians of wall time and peak RSS.
timed() {
  local name=$1 i
  shift
  for i in $(seq "$count"); do
    /usr/bin/time -f '%M %e' -o "$work/$name.$i" "$@" >/dev/null 2>"$work/$name.err" ||
      { cat "$work/$name.err" >&2; return 1; }
  done
  printf -v "${name}_s" '%s' "$(cat "$work/$name".[0-9]* | awk '{print $2}' | median)"
  printf -v "${name}_mib" '%s' "$(cat "$work/$name".[0-9]* | awk '{print $1/1024}' | median)"
}

echo "go benchmarks ($count runs each)..."
go test -run '^$' -bench 'Run' -benchtime 3x -count "$count" ./model/ >>"$out"
go test -run '^$' -bench 'Guard' -benchtime 10x -count "$count" ./model/ >>"$out"
go test -run '^$' -bench . -benchtime 200000x -count "$count" ./model/rng/ >>"$out"
go test -run '^$' -bench Calibrate -benchtime 3x -count "$count" ./calibrate/ >>"$out"
go test -run '^$' -bench Compare -benchtime 2x -count "$count" ./scenarios/ >>"$out"
go test -run '^$' -bench . -benchtime 3x -count "$count" ./trials/ >>"$out"

echo "whole processes ($count runs each)..."
go build -o bin/simulate ./cmd/simulate
sim=bin/simulate
timed forecast "$sim" forecast --json --trials 100000 --seed 1
timed compare "$sim" compare --scenarios examples/sample-scenarios.yaml --trials 100000 --seed 1
timed grid "$sim" sweep --lever reps --range 4:23 --lever2 spend:paid_social --range2 0:19000:1000 --trials 2000 --seed 1
"$sim" generate --lead-scale 70 -o "$work/history.csv" >/dev/null
leads=$(($(wc -l <"$work/history.csv") - 1))
timed calib "$sim" calibrate --no-check --history "$work/history.csv" -o "$work/model.yaml"
count=1 timed million "$sim" forecast --json --trials 1000000 --seed 1
count=1 timed check "$sim" calibrate --history "$work/history.csv" -o "$work/model.yaml"

peer_tps="" peer_note=""
py=""
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import numpy' 2>/dev/null; then py=$p; break; fi
done
if [ ! -f "$peer" ]; then
  peer_note="the NumPy peer ($peer) is not here; set PEER to its path"
elif [ -z "$py" ]; then
  peer_note="Python 3 with NumPy is not installed (Debian: apt-get install -y python3-numpy)"
else
  echo "the NumPy peer ($count runs)..."
  for i in $(seq "$count"); do
    "$py" "$peer" --trials 10000 | sed -n 's/.*"trials_per_s": \([0-9.]*\).*/\1/p' >>"$work/peer"
  done
  peer_tps=$(median <"$work/peer")
fi
[ -n "$peer_note" ] && echo "peer skipped: $peer_note"

one=$(field 'BenchmarkRun/workers=1' trials/s)
two=$(field 'BenchmarkRun/workers=2' trials/s)
ten=$(field 'BenchmarkRunTenfold/leads=10x' trials/s)
hundred=$(field 'BenchmarkRunTenfold/leads=100x' trials/s)
guard=$(field 'BenchmarkGuard' engine/ref)
recorded=$(sed -n 's/^<!-- guard: \([0-9.]*\) .*-->$/\1/p' "$doc" 2>/dev/null | head -1)
recorded_on=$(sed -n 's/^<!-- guard: [0-9.]* recorded \(.*\) -->$/\1/p' "$doc" 2>/dev/null | head -1)
guard_ok=1
if [ "${RECORD:-0}" = 1 ] || [ -z "$recorded" ]; then
  recorded=$guard recorded_on="$(date -u +%Y-%m-%d), $(go env GOVERSION)"
elif awk "BEGIN {exit !($guard < 0.85 * $recorded)}"; then
  guard_ok=0
fi
fc_tps=$(calc '%.0f' "100000 / $forecast_s")

check() { awk "BEGIN {exit !($1)}" && echo met || echo "not met"; }
{
  cat docs/benchmarks-head.md
  echo
  echo "## The latest \`make bench\`"
  echo
  echo "$(date -u +%Y-%m-%d), $(go env GOVERSION), $(nproc) cores; medians of $count runs made in this one run."
  echo
  echo "### Whole processes"
  echo
  echo "| command | median wall time | peak RSS | target |"
  echo "|---|---|---|---|"
  echo "| \`forecast --json --trials 100000\` | $(calc '%.2f' "$forecast_s") s ($(num "$fc_tps") trials/s) | $(calc '%.0f' "$forecast_mib") MiB | see the peer |"
  echo "| \`compare\` of the 5 sample scenarios, 100,000 trials each (600,000 in all) | $(calc '%.1f' "$compare_s") s | $(calc '%.0f' "$compare_mib") MiB | ≤ 8 s: $(check "$compare_s <= 8") |"
  echo "| \`sweep\` grid of reps 4-23 by paid social spend 0-19,000 (400 cells), 2,000 trials a cell | $(calc '%.1f' "$grid_s") s | $(calc '%.0f' "$grid_mib") MiB | |"
  echo "| \`calibrate --no-check\` (the estimation, without the self-check) of a generated history of $(num "$leads") leads | $(calc '%.1f' "$calib_s") s | $(calc '%.0f' "$calib_mib") MiB | |"
  echo "| \`calibrate\` of the same history with its self-check (one run) | $(calc '%.1f' "$check_s") s | $(calc '%.0f' "$check_mib") MiB | |"
  echo "| \`forecast --json --trials 1000000\` (one run) | $(calc '%.1f' "$million_s") s | $(calc '%.0f' "$million_mib") MiB | ≤ 512 MiB: $(check "$million_mib <= 512") |"
  echo
  echo "### Against the NumPy peer"
  echo
  if [ -n "$peer_tps" ]; then
    ratio=$(calc '%.1f' "$fc_tps / $peer_tps")
    echo "\`numpy_funnel.py --trials 10000\` (the sample company vectorised in NumPy, one process): $(num "$peer_tps") trials/s."
    echo "The engine's forecast above: $(num "$fc_tps") trials/s, **${ratio}×** the peer's (target ≥ 20×: $(check "$fc_tps >= 20 * $peer_tps"))."
  else
    echo "Not measured in this run: $peer_note."
  fi
  echo
  echo "### Engine"
  echo
  echo "\`go test -bench Run -benchtime 3x ./model/\`: the sample company over 13 weeks, 20,000 trials a run, parameters drawn per trial."
  echo
  echo "| case | trials/s | ratio | target |"
  echo "|---|---|---|---|"
  echo "| 1 worker | $(num "$one") | | ≥ 20,000: $(check "$one >= 20000") |"
  echo "| 2 workers | $(num "$two") | $(calc '%.2f' "$two / $one")× 1 worker | ≥ 1.9×: $(check "$two >= 1.9 * $one") |"
  echo "| 10× leads, open leads and reps, 1 worker | $(num "$ten") | time $(calc '%.2f' "$one / $ten")× the sample's | ≤ 2.5×: $(check "$one / $ten <= 2.5") |"
  echo "| 100× leads, open leads and reps, 1 worker | $(num "$hundred") | time $(calc '%.2f' "$one / $hundred")× the sample's | |"
  echo
  echo "The guard (\`BenchmarkGuard\`): the engine's speed over the reference workload's, timed alternately in one process: **$(calc '%.3f' "$guard")**; recorded $(calc '%.3f' "$recorded") ($recorded_on); \`make bench\` fails below $(calc '%.3f' "0.85 * $recorded")."
  echo
  echo "<!-- guard: $recorded recorded $recorded_on -->"
  echo
  echo "### Samplers against gonum (ns per draw)"
  echo
  echo "| draw | ns |"
  echo "|---|---|"
  for b in $(grep -oE '^Benchmark(Gonum)?(Binomial|Poisson|Gamma|NegBinomial)[^ ]*-[0-9]+' "$out" | sed 's/-[0-9]*$//' | sort -u); do
    echo "| \`${b#Benchmark}\` | $(calc '%.1f' "$(field "$b" ns/op)") |"
  done
  echo
  echo "### Calibration, scenarios and trials files"
  echo
  echo "- calibrate (\`BenchmarkCalibrate\`, about 150,000 leads in memory): $(num "$(field BenchmarkCalibrate leads/s)") leads/s."
  echo "- compare (\`BenchmarkCompare\`, the baseline and 5 scenarios at 20,000 trials each, 2 workers): $(num "$(field BenchmarkCompare trials/s)") trials/s."
  echo "- trials files: $(num "$(field BenchmarkWrite trials/s)") trials/s written, $(calc '%.1f' "$(field BenchmarkWrite B/trial)") bytes a trial; merge of 8 shards with every summary: $(num "$(field BenchmarkMerge trials/s)") trials/s."
  echo
  cat docs/benchmarks-tail.md
} >"$work/doc.md"
mv "$work/doc.md" "$doc"
sed -n '/^## The latest/,/^### Samplers/p' "$doc" | grep -v '^<!--' | sed '$d'
if [ "$guard_ok" = 0 ]; then
  echo "FAIL: the guard is $guard, more than 15% below the recorded $recorded: the engine has become slower" >&2
  exit 1
fi
