package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/scenarios"
)

func sweepCommand() *command {
	return &command{
		Name:      "sweep",
		UsageLine: "simulate sweep --lever NAME [--range A:B[:STEP]] [--model FILE] [--target X] [--weeks N] [--trials N] [--seed N] [--workers N] [--json] [--plots DIR]",
		Short:     "vary one lever over a range: revenue, wins and P(target) with bands",
		Long: `
Sweep runs the model with one lever at each value of a range, every value
on the same trials (common random numbers), and prints revenue (P10, P50,
P90), median wins and, with --target, the chance of reaching it, each
with its Monte Carlo standard error. --plots DIR writes the sweep chart.

Levers: ` + scenarios.Levers + `.
Without --range: reps from half to twice the team, spend and budget from
zero (half, for budget) to twice the current, cold_rate from 0 to 0.5, in
ten steps (whole steps for reps).

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
		UsageLine: "simulate goal --lever NAME --target X [--confidence P] [--range A:B[:STEP]] [--model FILE] [--weeks N] [--trials N] [--seed N] [--workers N] [--json]",
		Short:     "find the smallest lever value that reaches a revenue target with a given confidence",
		Long: `
Goal finds the smallest value of a lever (reps, spend:CHANNEL or budget:
levers where more never lowers revenue) whose chance of reaching the
revenue target is at least --confidence, by bisection over the range on
common random numbers, or says that the range cannot reach it and how
close its top comes.

Examples:

	simulate goal --lever reps --target 900000 --confidence 0.8
	simulate goal --lever budget --target 1000000 --confidence 0.7 --range 30000:80000:1000

Exit status is 0 on success (whether or not the target is reachable), 1 on
an error, 2 on a usage error.
`,
		Run:   func(ctx context.Context, e *env, args []string) error { return runLever(ctx, e, args, true) },
		Flags: func(fs *pflag.FlagSet) { new(leverFlags).declare(fs, true) },
	}
}

type leverFlags struct {
	runFlags
	plotFlags
	lever      string
	rng        string
	target     float64
	confidence float64
	json       bool
}

func (f *leverFlags) declare(fs *pflag.FlagSet, goal bool) {
	f.runFlags.declare(fs)
	fs.StringVar(&f.lever, "lever", "", "lever: "+scenarios.Levers)
	fs.StringVar(&f.rng, "range", "", "lever values A:B[:STEP] (default: see above)")
	fs.Float64Var(&f.target, "target", math.NaN(), "revenue target")
	if goal {
		fs.Float64Var(&f.confidence, "confidence", 0.8, "required chance of reaching the target")
	}
	fs.BoolVar(&f.json, "json", false, "write JSON instead of a table")
	if !goal {
		f.plotFlags.declare(fs)
	}
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
	case goal && math.IsNaN(f.target):
		return usagef("--target is required")
	case f.runFlags.check(fs) != nil:
		return f.runFlags.check(fs)
	case checkTarget(fs, f.target) != nil:
		return checkTarget(fs, f.target)
	case goal && !(f.confidence > 0 && f.confidence < 1):
		return usagef("--confidence must be in (0, 1)")
	}
	m, err := f.load()
	if err != nil {
		return err
	}
	lever, err := scenarios.ParseLever(m, f.lever)
	if err != nil {
		return usagef("%v", err)
	}
	if goal && !lever.Rising {
		return usagef("goal needs a lever where more never lowers revenue: reps, spend:CHANNEL or budget")
	}
	lo, hi, step := lever.DefaultRange(m)
	if f.rng != "" {
		if lo, hi, step, err = parseRange(f.rng); err != nil {
			return usagef("%v", err)
		}
	}
	o := *f.options()
	if goal {
		g, err := lever.Seek(ctx, m, lo, hi, step, f.target, f.confidence, o)
		if err != nil {
			return err
		}
		return writeGoal(e.stdout, f, g, f.json)
	}
	values, err := lever.Values(lo, hi, step)
	if ge := new(scenarios.GridError); errors.As(err, &ge) {
		return usagef("--range %g:%g:%g is %.3g values; a sweep runs at most %d (use a larger step)", lo, hi, step, ge.N, scenarios.MaxSweepValues)
	}
	if err != nil {
		return usagef("--range: %v", err)
	}
	pts, err := lever.Sweep(ctx, m, values, f.target, o)
	if err != nil {
		return err
	}
	if err := f.plotFlags.check(); err != nil {
		return err
	}
	if err := f.plotFlags.write(sweepCharts(lever, m.Currency, pts, f.target)); err != nil {
		return err
	}
	return writeSweep(e.stdout, f, pts, f.json)
}

type pointJSON struct {
	Value       float64     `json:"value"`
	Revenue     summaryJSON `json:"revenue"`
	Wins        summaryJSON `json:"wins"`
	PTarget     *float64    `json:"p_target,omitempty"`
	PTargetMCSE *float64    `json:"p_target_mcse,omitempty"`
	Warnings    []string    `json:"warnings,omitempty"`
}

func pointOf(p *scenarios.Point) *pointJSON {
	if p == nil {
		return nil
	}
	return &pointJSON{Value: p.Value, Revenue: summaryOf(p.Revenue), Wins: summaryOf(p.Wins), PTarget: num(p.PTarget), PTargetMCSE: num(p.PTargetMCSE), Warnings: p.Warnings}
}

func writeSweep(w io.Writer, f leverFlags, pts []scenarios.Point, asJSON bool) error {
	if asJSON {
		var out []*pointJSON
		for i := range pts {
			out = append(out, pointOf(&pts[i]))
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"lever": f.lever, "trials": f.trials, "seed": f.seed, "points": out, "recalibrated": f.note()})
	}
	fmt.Fprintf(w, "sweep of %s, %d trials a value, seed %d, the same trials at every value\n\n", f.lever, f.trials, f.seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "value\trevenue P10\tP50\tP90\t± (P50)\twins P50\t"
	if !math.IsNaN(f.target) {
		head += fmt.Sprintf("P(revenue >= %s)\t", thousands(f.target))
	}
	fmt.Fprintln(tw, head)
	for _, p := range pts {
		q := summaryOf(p.Revenue)
		fmt.Fprintf(tw, "%g\t%s\t%s\t%s\t%s\t%s\t", p.Value, thousands(*q["p10"]), thousands(*q["p50"]), thousands(*q["p90"]), formatSE(q["p50_mcse"]),
			strconv.FormatFloat(*summaryOf(p.Wins)["p50"], 'f', 0, 64))
		if !math.IsNaN(f.target) {
			fmt.Fprintf(tw, "%.3f ± %.3f\t", p.PTarget, p.PTargetMCSE)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range pts {
		for _, warn := range p.Warnings {
			if !seen[warn] {
				fmt.Fprintf(w, "warning: %s\n", warn)
				seen[warn] = true
			}
		}
	}
	if n := f.note(); n != "" {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

func writeGoal(w io.Writer, f leverFlags, g *scenarios.Goal, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"lever": f.lever, "target": f.target, "confidence": f.confidence, "reached": g.Reached,
			"value": num(map[bool]float64{true: g.Value, false: math.NaN()}[g.Reached]), "at": pointOf(g.At), "below": pointOf(g.Below), "runs": g.Evals, "recalibrated": f.note()})
	}
	if !g.Reached {
		fmt.Fprintf(w, "%s cannot reach P(revenue >= %s) >= %.2f in its range: at %g it is %.3f ± %.3f\n",
			f.lever, thousands(f.target), f.confidence, g.Below.Value, g.Below.PTarget, g.Below.PTargetMCSE)
		return nil
	}
	fmt.Fprintf(w, "%s = %g is the smallest value reaching P(revenue >= %s) >= %.2f: %.3f ± %.3f (median revenue %s)\n",
		f.lever, g.Value, thousands(f.target), f.confidence, g.At.PTarget, g.At.PTargetMCSE, thousands(*summaryOf(g.At.Revenue)["p50"]))
	if g.Below != nil {
		fmt.Fprintf(w, "at %g it is %.3f ± %.3f\n", g.Below.Value, g.Below.PTarget, g.Below.PTargetMCSE)
	}
	fmt.Fprintf(w, "(%d runs of %d trials, seed %d, on common random numbers)\n", g.Evals, f.trials, f.seed)
	if n := f.note(); n != "" {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}
