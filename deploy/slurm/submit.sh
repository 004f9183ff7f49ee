#!/usr/bin/env bash
# Runs a funnelsim forecast or comparison on a Slurm cluster: a job array
# of N shards, then a merge job that starts when every shard has
# succeeded and writes the run's outputs, byte-identical to one machine's.
#
#   deploy/slurm/submit.sh --shards 8 --out /shared/run1 [--cpus 4] \
#       [--merge '--json --target 800k'] [--wait] -- forecast --model model.yaml --trials 1000000
#
# --out is a directory every node sees: the shards' Parquet files go
# there, and the merge's standard output (merge.out) and messages
# (merge.err). --merge holds merge's output flags, split at spaces.
# --wait waits for the merge and exits with its status. FUNNELSIM_BIN is the
# simulate binary on the nodes (default: simulate on the PATH). Any
# other sbatch option can be set by its SBATCH_ environment variable
# (SBATCH_PARTITION, SBATCH_ACCOUNT, ...).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards= out= cpus=1 merge= wait=
while [[ $# -gt 0 ]]; do
	case $1 in
	--shards) shards=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--merge) merge=$2; shift 2 ;;
	--wait) wait=--wait; shift ;;
	--) shift; break ;;
	*) echo "submit.sh: unknown option $1 (the command goes after --)" >&2; exit 2 ;;
	esac
done
if [[ -z $shards || -z $out || $# -eq 0 ]]; then
	echo "usage: submit.sh --shards N --out DIR [--cpus C] [--merge 'FLAGS'] [--wait] -- forecast|compare ARGS..." >&2
	exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
if compgen -G "$out/shard-*.parquet" >/dev/null; then
	echo "submit.sh: $out already holds shards; give each run its own directory" >&2
	exit 1
fi
export FUNNELSIM_OUT=$out
array=$(sbatch --parsable --array=0-$((shards - 1)) --cpus-per-task="$cpus" \
	--output="$out/shard-%a.log" "$here/shard.sbatch" "$@")
array=${array%%;*}
echo "shards: job array $array, $shards tasks"
# shellcheck disable=SC2086 # merge's flags are split at spaces on purpose
sbatch --parsable $wait --dependency=afterok:"$array" --kill-on-invalid-dep=yes \
	--output="$out/merge.out" --error="$out/merge.err" "$here/merge.sbatch" $merge |
	sed 's/^/merge: job /'
