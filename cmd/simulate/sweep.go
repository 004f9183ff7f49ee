package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/scenarios"
	"github.com/funnelsim/funnelsim/trials"
)

func sweepCommand() *command {
	return &command{
		Name:      "sweep",
		UsageLine: "simulate sweep --lever NAME [--range A:B[:STEP]] [--lever2 NAME [--range2 A:B[:STEP]]] [--model FILE] [--target X] [--weeks N] [--trials N] [--seed N] [--workers N] [--json] [--csv FILE] [--plots DIR] [--shard I/N --trials-out FILE.parquet]",
		Short:     "vary one lever, or two as a grid: revenue, wins and P(target) with bands",
		Long: `
Sweep runs the model with one lever at each value of a range, every value
on the same trials (common random numbers), and prints revenue (P10, P50,
P90), median wins and, with --target, the chance of reaching it, each
with its Monte Carlo standard error. --plots DIR writes the sweep chart.

With --lever2 (and --range2) it runs every pair of the two levers' values
(a grid of at most 1,000 cells, all on the same trials) and prints median
revenue and, with --target, P(target) as tables, the first lever down and
the second across; --plots DIR writes the grid as a heat map. A large grid
at many trials is work for a cluster: --shard I/N --trials-out FILE runs
the I-th of N trial ranges, and simulate merge writes the outputs
(docs/SCALE.md).

Levers: ` + scenarios.Levers + `.
Without --range: reps from half to twice the team, spend and budget from
zero (half, for budget) to twice the current, cold_rate from 0 to 0.5, in
ten steps (whole steps for reps).

--csv FILE also writes the results as a CSV table for spreadsheets (plain
numbers, snake_case columns; docs/OUTPUT.md); --csv - writes it to
standard output instead of the text table.

Examples:

	simulate sweep --lever reps --range 4:12 --target 800000
	simulate sweep --lever spend:paid_social --range 0:18000:2000 --json

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   func(ctx context.Context, e *env, args []string) error { return runLever(ctx, e, args, false) },
		Flags: func(fs *pflag.FlagSet) { new(leverFlags).declare(fs, false) },
	}
}

func goalCommand() *command {
	return &command{
		Name:      "goal",
		UsageLine: "simulate goal --lever NAME --target X [--confidence P] [--range A:B[:STEP]] [--model FILE] [--weeks N] [--trials N] [--seed N] [--workers N] [--json] [--csv FILE] [--shard I/N --trials-out FILE.parquet]",
		Short:     "find the smallest lever value that reaches a revenue target with a given confidence",
		Long: `
Goal finds the smallest value of a lever (reps, leads, spend:CHANNEL or
budget: levers where more never lowers revenue) whose chance of reaching
the revenue target is at least --confidence, by bisection over the range
on common random numbers. Where the range's top falls short, it looks at
four times the top: it answers from there if that reaches the target, and
otherwise says whether more of the lever stops helping, from which value,
what binds (the horizon against the weeks a lead takes to win, or rep
capacity) and what would move it. The lever's current value is printed
beside the answer. With --lever leads it is the reverse funnel: how many
new leads a week, at the current channel mix, the target needs (leads
take the funnel's cycle to win, so a short horizon may need more than the
sales team can take; the answer says so).

--csv FILE also writes the results as a CSV table for spreadsheets (plain
numbers, snake_case columns; docs/OUTPUT.md); --csv - writes it to
standard output instead of the text table.

Examples:

	simulate goal --lever reps --target 900000 --confidence 0.8
	simulate goal --lever budget --target 1000000 --confidence 0.7 --range 30000:80000:1000
	simulate goal --model plan.yaml --lever leads --target 200k --weeks 26

On a cluster, --shard I/N --trials-out FILE.parquet runs the I-th of N
trial ranges of every value the seek could ask for, its look beyond the
range included (at most 1,000; the target and confidence are not
needed), and simulate merge --target X --confidence P answers the seek
from them, as it is answered here.

Exit status is 0 on success (whether or not the target is reachable), 1 on
an error, 2 on a usage error.
`,
		Run:   func(ctx context.Context, e *env, args []string) error { return runLever(ctx, e, args, true) },
		Flags: func(fs *pflag.FlagSet) { new(leverFlags).declare(fs, true) },
	}
}

type leverFlags struct {
	runFlags
	shardFlags
	outputFlags
	lever, lever2 string
	rng, rng2     string
	confidence    float64
}

func (f *leverFlags) declare(fs *pflag.FlagSet, goal bool) {
	f.runFlags.declare(fs)
	if goal {
		fs.StringVar(&f.lever, "lever", "", "lever: "+scenarios.RisingLevers)
	} else {
		fs.StringVar(&f.lever, "lever", "", "lever: "+scenarios.Levers)
	}
	fs.StringVar(&f.rng, "range", "", "lever values A:B[:STEP] (default: reps and budget from half to twice the current, spend:CHANNEL from 0 to twice, cold_rate from 0 to 0.5)")
	moneyVar(fs, &f.target, "target", math.NaN(), "revenue target (800000, 800k or 1.2M)")
	if goal {
		fs.Float64Var(&f.confidence, "confidence", 0.8, "required chance of reaching the target")
	}
	f.docFlags.declare(fs)
	if !goal {
		fs.StringVar(&f.lever2, "lever2", "", "a second lever: run every pair of the two levers' values (a grid)")
		fs.StringVar(&f.rng2, "range2", "", "the second lever's values A:B[:STEP] (default as for --range)")
		f.plotFlags.declare(fs)
	}
	f.shardFlags.declare(fs)
}

// parseRange reads A:B[:STEP].
func parseRange(s string) (lo, hi, step float64, err error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, fmt.Errorf("--range %q: want A:B or A:B:STEP", s)
	}
	var x [3]float64
	for i, p := range parts {
		if x[i], err = strconv.ParseFloat(p, 64); err != nil || math.IsNaN(x[i]) || math.IsInf(x[i], 0) {
			return 0, 0, 0, fmt.Errorf("--range %q: %q is not a number", s, p)
		}
	}
	lo, hi, step = x[0], x[1], (x[1]-x[0])/10
	if len(parts) == 3 {
		step = x[2]
	}
	if !(lo <= hi) || !(step > 0) && hi > lo {
		return 0, 0, 0, fmt.Errorf("--range %q: want A <= B and STEP > 0", s)
	}
	return lo, hi, step, nil
}

func runLever(ctx context.Context, e *env, args []string, goal bool) error {
	var f leverFlags
	name := "sweep"
	if goal {
		name = "goal"
	}
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	f.declare(fs, goal)
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case f.lever == "":
		return usagef("--lever is required")
	case goal && math.IsNaN(f.target) && f.shard == "":
		return usagef("--target is required")
	case f.runFlags.check(fs) != nil:
		return f.runFlags.check(fs)
	case checkTarget(fs, f.target) != nil:
		return checkTarget(fs, f.target)
	case goal && !(f.confidence > 0 && f.confidence < 1):
		return usagef("--confidence must be in (0, 1)")
	}
	if err := f.shardFlags.check(fs, f.trials, append(outputNames, "confidence")...); err != nil {
		return err
	}
	if err := distinctFiles(f.inputs(), []file{f.csvFlag.output(), {"--trials-out", f.trialsOut}}, &f.plotFlags); err != nil {
		return err
	}
	m, err := f.load()
	if err != nil {
		return err
	}
	lever, err := parseLever(m, f.lever, "--lever")
	if err != nil {
		return err
	}
	if goal && !lever.Rising {
		return usagef("goal needs a lever where more never lowers revenue: %s", scenarios.RisingLevers)
	}
	lo, hi, step := lever.DefaultRange(m)
	if f.rng != "" {
		if lo, hi, step, err = parseRange(f.rng); err != nil {
			return usagef("%v", err)
		}
	}
	o := *f.options()
	if goal && f.trialsOut != "" {
		return f.goalFromValues(ctx, e, m, lever, lo, hi, step, o)
	}
	if goal {
		runs := scenarios.SeekRuns(lo, hi, step) // one after another
		prog, finish := e.bar("trials over the seek's runs")
		if prog != nil {
			k, last := 0, 0
			o.Progress = func(done, total int) {
				if done < last {
					k++
				}
				last = done
				prog(min(k*total+done, runs*total), runs*total)
			}
		}
		g, err := lever.Seek(ctx, m, lo, hi, step, f.target, f.confidence, o)
		finish()
		if err != nil {
			return err
		}
		d := document.NewGoal(f.run(m), f.confidence, g)
		return f.emit(e, d)
	}
	values, err := leverValues(lever, lo, hi, step, "--range")
	if err != nil {
		return err
	}
	if err := f.plotFlags.check(); err != nil {
		return err
	}
	if f.lever2 != "" {
		return f.grid(ctx, e, m, lever, values)
	}
	if f.rng2 != "" {
		return usagef("--range2 needs --lever2")
	}
	total := f.shardFlags.limit(&o)
	finish := e.progress(&o, "trials, every value at once")
	rs, warnings, err := lever.Run(ctx, m, values, o)
	finish()
	if err != nil {
		return err
	}
	if f.trialsOut != "" {
		run := &trials.Run{Command: "sweep", Lever: f.lever, Values: values, Notes: warnings}
		if rs, err = saveTrials(e, &f.runFlags, &f.shardFlags, run, rs, total); err != nil || rs == nil {
			return err
		}
	}
	return f.outputFlags.sweep(e, m, lever, scenarios.Points(values, rs, warnings, f.target), f.run(m))
}

// goalFromValues answers a goal seek from a run of every value the seek
// could ask for (scenarios.Lever.SeekValues), whose trials it writes to
// --trials-out: a shard runs its trials of them all, for simulate merge.
func (f *leverFlags) goalFromValues(ctx context.Context, e *env, m *model.Model, lever *scenarios.Lever, lo, hi, step float64, o model.Options) error {
	values, err := lever.SeekValues(lo, hi, step)
	if ge := new(scenarios.GridError); errors.As(err, &ge) {
		return usagef("a goal seek with --trials-out runs every value the seek could ask for, %.3g here; at most %d (use a larger step)", ge.N, scenarios.MaxSweepValues)
	}
	if err != nil {
		return err
	}
	total := f.shardFlags.limit(&o)
	finish := e.progress(&o, "trials, every value the seek could ask for at once")
	rs, warnings, err := lever.Run(ctx, m, values, o)
	finish()
	if err != nil {
		return err
	}
	run := &trials.Run{Command: "goal", Lever: f.lever, Values: values, Range: []float64{lo, hi, step}, Notes: warnings}
	if rs, err = saveTrials(e, &f.runFlags, &f.shardFlags, run, rs, total); err != nil || rs == nil {
		return err
	}
	return f.outputFlags.goal(e, m, lever, values, rs, warnings, run.Range, f.confidence, f.run(m))
}

// goal writes a goal seek's outputs, answered from the points of a run of
// every value it could ask for.
func (f *outputFlags) goal(e *env, m *model.Model, lever *scenarios.Lever, values []float64, rs []*model.Result, warnings [][]string, rng []float64, confidence float64, run document.Run) error {
	g, err := lever.SeekPoints(m, rng[0], rng[1], rng[2], confidence, scenarios.Points(values, rs, warnings, f.target))
	if err != nil {
		return err
	}
	return f.emit(e, document.NewGoal(run, confidence, g))
}

// leverValues is lever.Values with its errors as usage errors naming the
// flag.
func leverValues(lever *scenarios.Lever, lo, hi, step float64, flag string) ([]float64, error) {
	values, err := lever.Values(lo, hi, step)
	if ge := new(scenarios.GridError); errors.As(err, &ge) {
		return nil, usagef("%s %g:%g:%g is %.3g values; a sweep runs at most %d (use a larger step)", flag, lo, hi, step, ge.N, scenarios.MaxSweepValues)
	}
	if err != nil {
		return nil, usagef("%s: %v", flag, err)
	}
	return values, nil
}

// grid runs the sweep over every pair of the two levers' values.
func (f *leverFlags) grid(ctx context.Context, e *env, m *model.Model, a *scenarios.Lever, as []float64) error {
	b, err := parseLever(m, f.lever2, "--lever2")
	if err != nil {
		return err
	}
	lo, hi, step := b.DefaultRange(m)
	if f.rng2 != "" {
		if lo, hi, step, err = parseRange(f.rng2); err != nil {
			return usagef("%v", strings.Replace(err.Error(), "--range", "--range2", 1))
		}
	}
	bs, err := leverValues(b, lo, hi, step, "--range2")
	if err != nil {
		return err
	}
	if b.Name == a.Name {
		return usagef("--lever2 is --lever again: give two different levers")
	}
	if n := len(as) * len(bs); n > scenarios.MaxSweepValues {
		return usagef("the grid is %d by %d = %d cells; it runs at most %d (use larger steps)", len(as), len(bs), n, scenarios.MaxSweepValues)
	}
	o := *f.options()
	total := f.shardFlags.limit(&o)
	finish := e.progress(&o, "trials, every cell at once")
	rs, warnings, err := scenarios.Grid(ctx, m, a, as, b, bs, o)
	finish()
	if err != nil {
		return err
	}
	if f.trialsOut != "" {
		run := &trials.Run{Command: "sweep", Lever: f.lever, Values: as, Lever2: f.lever2, Values2: bs, Notes: warnings}
		if rs, err = saveTrials(e, &f.runFlags, &f.shardFlags, run, rs, total); err != nil || rs == nil {
			return err
		}
	}
	return f.outputFlags.grid(e, m, a, as, b, bs, scenarios.Cells(as, bs, rs, warnings, f.target), f.run(m))
}

// grid writes a grid's outputs.
func (f *outputFlags) grid(e *env, m *model.Model, a *scenarios.Lever, as []float64, b *scenarios.Lever, bs []float64, cells []scenarios.Cell, run document.Run) error {
	in := &report.Inputs{Model: m, Grid: &report.Grid{A: a, B: b, As: as, Bs: bs, Cells: cells}, Target: f.target}
	if err := f.plotFlags.write(e, in); err != nil {
		return err
	}
	d := document.NewGrid(run, b.Name, as, bs, cells)
	return f.emit(e, d)
}

// sweep writes a sweep's outputs.
func (f *outputFlags) sweep(e *env, m *model.Model, lever *scenarios.Lever, pts []scenarios.Point, run document.Run) error {
	if err := f.plotFlags.write(e, &report.Inputs{Model: m, Lever: lever, Points: pts, Target: f.target}); err != nil {
		return err
	}
	d := document.NewSweep(run, pts)
	return f.emit(e, d)
}

func (f *leverFlags) run(m *model.Model) document.Run {
	weeks := f.weeks
	if weeks == 0 {
		weeks = m.HorizonWeeks
	}
	return document.Run{Model: m.Name, Start: m.AsOf.String(), Weeks: weeks, Lever: f.lever, Trials: f.trials, Seed: f.seed, Target: f.target, Recalibrated: f.note(), TrackRecord: m.TrackRecord.Lines(weeks)}
}

// parseLever reads a lever flag's value for m, suggesting a lever's name
// for one it does not know.
func parseLever(m *model.Model, name, flag string) (*scenarios.Lever, error) {
	lever, err := scenarios.ParseLever(m, name)
	if err != nil {
		names := scenarios.LeverNames(m)
		if flag != "--lever" {
			err = fmt.Errorf("%s: %w", flag, err)
		}
		return nil, usagef("%v%s", err, didYouMean(name, names))
	}
	return lever, nil
}
