#!/usr/bin/env bash
# Sharded runs on a real Slurm cluster, checked against one machine: starts
# a one-node cluster here (scripts/slurm-cluster.sh, which installs Slurm
# and munge from Debian's packages when missing), submits an 8-shard
# forecast and a 4-shard comparison as job arrays with their dependent
# merge jobs (deploy/slurm/submit.sh), waits for them, and checks that
# every merged output is byte-identical to the same run on one machine.
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/simulate ./cmd/simulate
export FUNNELSIM_BIN=$PWD/bin/simulate
work=$(mktemp -d /tmp/funnelsim-slurm.XXXXXX)
trap 'scripts/slurm-cluster.sh "$work/cluster" stop; rm -rf "$work"' EXIT
SLURM_CONF=$(scripts/slurm-cluster.sh "$work/cluster")
export SLURM_CONF
sinfo

fail=0
# check RUN: the merged outputs in $work/RUN/sharded against $work/RUN/one.
check() {
	local run=$1 f
	for f in $(cd "$work/$run/one" && find . -type f | sort); do
		if ! cmp -s "$work/$run/one/$f" "$work/$run/sharded/$f"; then
			echo "FAIL $run: $f differs from the run on one machine"
			fail=1
		fi
	done
	echo "$run: $(cd "$work/$run/one" && find . -type f | wc -l) outputs compared"
}

scen=examples/sample-scenarios.yaml
forecast=(forecast --trials 40000 --seed 7)
compare=(compare --scenarios "$scen" --trials 8000 --seed 3)

# One machine.
mkdir -p "$work/forecast/one" "$work/compare/one"
bin/simulate "${forecast[@]}" --target 800k --csv "$work/forecast/one/forecast.csv" \
	--plots "$work/forecast/one/charts" --plot-format svg >"$work/forecast/one/merge.out"
bin/simulate "${compare[@]}" --json >"$work/compare/one/merge.out"

# The cluster: shards and merges, each merge writing into sharded/.
mkdir -p "$work/forecast/sharded" "$work/compare/sharded"
deploy/slurm/submit.sh --shards 8 --out "$work/forecast/jobs" --wait \
	--merge "--target 800k --csv $work/forecast/sharded/forecast.csv --plots $work/forecast/sharded/charts --plot-format svg" \
	-- "${forecast[@]}"
deploy/slurm/submit.sh --shards 4 --out "$work/compare/jobs" --wait --merge "--json" -- "${compare[@]}"
cp "$work/forecast/jobs/merge.out" "$work/forecast/sharded/merge.out"
cp "$work/compare/jobs/merge.out" "$work/compare/sharded/merge.out"
cat "$work/forecast/jobs/merge.err" "$work/compare/jobs/merge.err"
ls "$work/forecast/jobs"/shard-*.parquet | wc -l | sed 's/^/forecast shards: /'
ls "$work/compare/jobs"/shard-*.parquet | wc -l | sed 's/^/compare shards: /'

check forecast
check compare
if [[ $fail != 0 ]]; then
	exit 1
fi
echo "slurm-e2e: the merged outputs of 8 and 4 shards are byte-identical to one machine's"
