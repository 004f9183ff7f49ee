package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/scenarios"
	"github.com/funnelsim/funnelsim/trials"
)

func mergeCommand() *command {
	return &command{
		Name:      "merge",
		UsageLine: "simulate merge [--target X] [--json] [--csv FILE] [--plots DIR [--plot-format png|svg|pdf]] SHARDS...",
		Short:     "merge the shards of a forecast, comparison, sweep, goal seek or portfolio into its outputs",
		Long: `
Merge reads the trials files (SHARDS: files, or directories of .parquet
files) that the shards of one forecast, comparison, sweep, goal seek or
portfolio
wrote (--shard I/N --trials-out FILE.parquet, on as many machines as there
are shards) and writes the outputs of the whole run: the same table, JSON,
CSV and charts, byte for byte, as the run on one machine writes, since
every trial draws from random streams keyed by its index, and the
summaries, quantiles, standard errors and paired differences are computed
from every merged trial.

Each file carries the run in its metadata (the model file and its SHA-256,
the scenario file, the seed, the weeks, the trials and the software's
version), so merge needs nothing else. It refuses files of different runs,
a shard given twice or overlapping another, and a missing shard, naming
the files. A --recalibration given to the shards is applied here, once
every trial is in.

A goal seek's shards (goal --shard I/N --trials-out FILE) each run their
trials of every value the seek could ask for; merge answers the seek from
them, as goal answers it on one machine, for its --target and
--confidence (which may differ from run to run of merge: the values do
not depend on them).

Examples:

	simulate forecast --model model.yaml --trials 1000000 --shard 0/8 --trials-out shard-0.parquet
	...
	simulate forecast --model model.yaml --trials 1000000 --shard 7/8 --trials-out shard-7.parquet
	simulate merge --target 800k --json shard-*.parquet > forecast.json

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runMerge,
		Flags: func(fs *pflag.FlagSet) { new(mergeFlags).declare(fs) },
	}
}

// mergeFlags are the outputs' flags, and a goal seek's confidence.
type mergeFlags struct {
	outputFlags
	confidence float64
}

func (f *mergeFlags) declare(fs *pflag.FlagSet) {
	f.outputFlags.declare(fs, "revenue target (800000, 800k or 1.2M): report P(revenue >= target); a goal seek's, required")
	fs.Float64Var(&f.confidence, "confidence", 0.8, "for a goal seek's shards: the chance of reaching the target required")
}

func runMerge(ctx context.Context, e *env, args []string) (err error) {
	var f mergeFlags
	fs := pflag.NewFlagSet("merge", pflag.ContinueOnError)
	f.declare(fs)
	if err := parseWithArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("give the shards' trials files (FILE.parquet ...)")
	}
	if err := f.check(fs); err != nil {
		return err
	}
	if !(f.confidence > 0 && f.confidence < 1) {
		return usagef("--confidence must be in (0, 1)")
	}
	// The merge's working set is a few columns of the run at a time (of
	// 80 MB each for 10 million trials); a soft limit makes the collector
	// return the rest as it goes instead of letting the heap double.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(mergeMemory)
	}
	paths, err := shardPaths(fs.Args())
	if err != nil {
		return err
	}
	var inputs []file
	for _, p := range paths {
		inputs = append(inputs, file{"shard", p})
	}
	if err := distinctFiles(inputs, []file{f.csvFlag.output()}, &f.plotFlags); err != nil {
		return err
	}
	var files []*trials.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		t, err := trials.Open(p)
		if err != nil {
			return err
		}
		files = append(files, t)
	}
	merged, err := trials.Merge(ctx, files, "")
	if err != nil {
		return err
	}
	defer merged.Close()
	// A column that cannot be read once the merge has begun writing is
	// reported as the command's error.
	defer model.RecoverColumnError(&err)
	run, rs := merged.Run, merged.Results
	yaml := run.Model
	if run.Parts != nil {
		yaml = run.Parts[0] // a portfolio's parts share its funnel
	}
	m, err := model.Decode([]byte(yaml))
	if err != nil {
		return fmt.Errorf("the model in %s: %w", files[0].Name, err)
	}
	if want := model.Metrics(m); !slices.Equal(run.Results[0].Metrics, want) {
		return fmt.Errorf("%s: the metrics in the metadata are not those of its model's runs (%d where it has %d)", files[0].Name, len(run.Results[0].Metrics), len(want))
	}
	fmt.Fprintf(e.stderr, "merged %d files: %s of %d trials, seed %d, model sha256 %s\n", len(files), run.Command, run.Trials, run.Seed, run.ModelSHA256[:12])
	if run.Combine {
		m.TrackRecord.Combine(rs)
	}
	switch run.Command {
	case "forecast":
		o := model.Options{Trials: run.Trials, Weeks: run.Weeks, Seed: run.Seed, FixedParams: run.FixedParams, Recalibration: run.Recalibration}
		return f.forecast(ctx, e, m, rs[0], o, nil)
	case "compare":
		return f.compare(e, m, scenarios.Compared(rs[0], rs[1:], run.Notes))
	case "portfolio":
		return f.portfolio(e, m, rs, run.Seed, run.Recalibration)
	case "sweep", "goal":
		lever, err := scenarios.ParseLever(m, run.Lever)
		if err != nil {
			return fmt.Errorf("%s: %w", files[0].Name, err)
		}
		d := document.Run{Model: m.Name, Start: m.AsOf.String(), Weeks: run.Weeks, Lever: run.Lever, Trials: run.Trials, Seed: run.Seed, Target: f.target, TrackRecord: rs[0].TrackRecord}
		if run.Recalibration != nil {
			d.Recalibrated = run.Recalibration.Describe()
		}
		if run.Command == "goal" {
			if math.IsNaN(f.target) {
				return usagef("the shards are a goal seek's: give its --target (and --confidence)")
			}
			if len(run.Range) != 3 {
				return fmt.Errorf("%s: a goal seek's shards without its range", files[0].Name)
			}
			return f.goal(e, m, lever, run.Values, rs, run.Notes, run.Range, f.confidence, d)
		}
		if run.Lever2 == "" {
			return f.sweep(e, m, lever, scenarios.Points(run.Values, rs, run.Notes, f.target), d)
		}
		lever2, err := scenarios.ParseLever(m, run.Lever2)
		if err != nil {
			return fmt.Errorf("%s: %w", files[0].Name, err)
		}
		if len(rs) != len(run.Values)*len(run.Values2) {
			return fmt.Errorf("%s: %d results for a grid of %d by %d", files[0].Name, len(rs), len(run.Values), len(run.Values2))
		}
		cells := scenarios.Cells(run.Values, run.Values2, rs, run.Notes, f.target)
		return f.grid(e, m, lever, run.Values, lever2, run.Values2, cells, d)
	}
	return fmt.Errorf("%s: a %q run cannot be merged (forecast, compare, sweep, goal and portfolio can)", files[0].Name, run.Command)
}

// mergeMemory is the soft memory limit of a merge, unless GOMEMLIMIT sets
// one.
const mergeMemory = 1 << 30

// shardPaths returns args with each directory replaced by the .parquet
// files in it, in name order.
func shardPaths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		found, err := filepath.Glob(filepath.Join(a, "*.parquet"))
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no .parquet files in the directory", a)
		}
		out = append(out, found...)
	}
	return out, nil
}
