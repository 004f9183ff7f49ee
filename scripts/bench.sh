#!/usr/bin/env bash
# Benchmarks of the engine: trials per second for the sample company over 13
# weeks on 1 and 2 workers, ten times the lead volume on 1 worker, the
# samplers against gonum's, the peak memory of a 1M-trial forecast, and the
# sample scenarios compared with the baseline; and of calibration: leads
# per second, and the time and peak memory of calibrating a generated
# history of a million leads; and of sharded runs: trials written to
# Parquet per second, bytes per trial, and trials merged per second.
# Figures are medians of COUNT runs (default 5) made in this one run, so
# that ratios compare like with like on a noisy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-5}
out=$(mktemp)
trap 'rm -f "$out" "$out.time"' EXIT

go test -run '^$' -bench 'Run' -benchtime 3x -count "$count" ./model/ | tee "$out" >/dev/null
go test -run '^$' -bench . -benchtime 200000x -count "$count" ./model/rng/ | tee -a "$out" >/dev/null
go test -run '^$' -bench Calibrate -benchtime 3x -count "$count" ./calibrate/ | tee -a "$out" >/dev/null
go test -run '^$' -bench Compare -benchtime 2x -count "$count" ./scenarios/ | tee -a "$out" >/dev/null
go test -run '^$' -bench . -benchtime 3x -count "$count" ./trials/ | tee -a "$out" >/dev/null

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
field() { # benchmark name, unit -> median value
  grep -E "^$1-[0-9]+ " "$out" | awk -v u="$2" '{for (i=1;i<NF;i++) if ($(i+1)==u) print $i}' | median
}

one=$(field 'BenchmarkRun/workers=1' trials/s)
two=$(field 'BenchmarkRun/workers=2' trials/s)
ten=$(field 'BenchmarkRunTenfold/leads=10x' trials/s)
hundred=$(field 'BenchmarkRunTenfold/leads=100x' trials/s)
echo "engine (sample company, 13 weeks, 20,000 trials a run; medians of $count runs)"
printf '  1 worker:           %8.0f trials/s\n' "$one"
printf '  2 workers:          %8.0f trials/s  (%.2fx 1 worker)\n' "$two" "$(echo "$two/$one" | bc -l)"
printf '  10x leads, 1 worker: %7.0f trials/s  (time %.2fx the sample'"'"'s)\n' "$ten" "$(echo "$one/$ten" | bc -l)"
printf '  100x leads, 1 worker: %6.0f trials/s  (time %.2fx the sample'"'"'s)\n' "$hundred" "$(echo "$one/$hundred" | bc -l)"
echo
echo "samplers (ns per draw, medians of $count runs)"
for b in $(grep -oE '^Benchmark(Gonum)?(Binomial|Poisson|Gamma|NegBinomial)[^ ]*-[0-9]+' "$out" | sed 's/-[0-9]*$//' | sort -u); do
  printf '  %-45s %8.1f\n' "$b" "$(field "$b" ns/op)"
done
echo
go build -o bin/simulate ./cmd/simulate
for trials in 100000 1000000; do
  /usr/bin/time -f '%M %e' -o "$out.time" ./bin/simulate forecast --trials "$trials" --json >/dev/null
  read -r kb secs <"$out.time"
  printf 'forecast --trials %-8d peak RSS %5.0f MiB, %5.1f s\n' "$trials" "$(echo "$kb/1024" | bc -l)" "$secs"
done
echo
printf 'compare (baseline and the 5 sample scenarios, 20,000 trials each, 2 workers): %.0f trials/s (median of %d runs)\n' "$(field BenchmarkCompare trials/s)" "$count"
echo
printf 'trials files: %.0f trials/s written, %.1f bytes per trial (sample company, 13 weeks); merge of 8 shards with every summary: %.0f trials/s (medians of %d runs)\n' "$(field BenchmarkWrite trials/s)" "$(field BenchmarkWrite B/trial)" "$(field BenchmarkMerge trials/s)" "$count"
echo
printf 'calibrate (10x the sample, about 150,000 leads): %.0f leads/s (median of %d runs)\n' "$(field BenchmarkCalibrate leads/s)" "$count"
big=$(mktemp -d)
trap 'rm -f "$out" "$out.time"; rm -rf "$big"' EXIT
./bin/simulate generate --lead-scale 70 -o "$big/history.csv" >/dev/null
rows=$(($(wc -l <"$big/history.csv") - 1))
for i in $(seq "$count"); do
  /usr/bin/time -f '%M %e' -o "$big/time.$i" ./bin/simulate calibrate --history "$big/history.csv" --stale-after 26 -o "$big/model.yaml" >/dev/null 2>&1
done
kb=$(cat "$big"/time.* | awk '{print $1}' | median)
secs=$(cat "$big"/time.* | awk '{print $2}' | median)
printf 'calibrate --history (%d leads, %.0f MB): peak RSS %.0f MiB, %.1f s (medians of %d runs)\n' "$rows" "$(echo "$(stat -c %s "$big/history.csv")/1000000" | bc -l)" "$(echo "$kb/1024" | bc -l)" "$secs" "$count"
echo
for i in $(seq "$count"); do
  /usr/bin/time -f '%M %e' -o "$big/compare.$i" ./bin/simulate compare --scenarios examples/sample-scenarios.yaml --trials 100000 --workers 2 >/dev/null
done
kb=$(cat "$big"/compare.* | awk '{print $1}' | median)
secs=$(cat "$big"/compare.* | awk '{print $2}' | median)
printf 'compare (baseline and the 5 sample scenarios, 100,000 trials each, 2 workers): %.1f s, peak RSS %.0f MiB (medians of %d runs)\n' "$secs" "$(echo "$kb/1024" | bc -l)" "$count"
