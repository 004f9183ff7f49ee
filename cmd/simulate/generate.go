package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

var generateCmd = &command{
	Name:      "generate",
	UsageLine: "simulate generate [--weeks N] [--seed N] [--unrecorded-loss P] [--dirty P] -o history.csv",
	Short:     "write a synthetic CRM history whose truth is known",
	Long: `
Generate simulates the sample company lead by lead, in continuous time and
independently of the forecasting engine, over --weeks before its as-of date,
and writes the history a CRM export would show on that date: one row per
lead with its stage dates, leads still open, a share of losses never
recorded (--unrecorded-loss) and a share of dirty rows (--dirty: duplicate
ids, unparsable dates, negative amounts). Calibrating the file should give
back the truth; that is how calibration is tested.

Examples:

	simulate generate --seed 7 -o history.csv
	simulate generate --weeks 156 --unrecorded-loss 0 --dirty 0 -o clean.csv

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
}

type generateFlags struct {
	out        string
	weeks      int
	seed       uint64
	unrecorded float64
	dirty      float64
}

func (f *generateFlags) declare(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "out", "o", "", "history file to write (CSV)")
	fs.IntVar(&f.weeks, "weeks", 104, "weeks of history before the as-of date")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.Float64Var(&f.unrecorded, "unrecorded-loss", 0.3, "share of losses never recorded")
	fs.Float64Var(&f.dirty, "dirty", 0.002, "share of dirty rows")
}

func init() {
	generateCmd.Run = runGenerate
	flagSets["generate"] = func(fs *pflag.FlagSet) { new(generateFlags).declare(fs) }
	commands = append(commands, calibrateCmd, generateCmd)
}

func runGenerate(ctx context.Context, e *env, args []string) error {
	var f generateFlags
	fs := pflag.NewFlagSet("generate", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case f.out == "":
		return usagef("-o (the history file to write) is required")
	case f.weeks < 4 || f.weeks > 520:
		return usagef("--weeks must be in 4..520")
	case !(f.unrecorded >= 0 && f.unrecorded <= 1):
		return usagef("--unrecorded-loss must be a share in [0, 1]")
	case !(f.dirty >= 0 && f.dirty <= 1):
		return usagef("--dirty must be a share in [0, 1]")
	}
	truth := sample.Company()
	o := generate.Options{Weeks: f.weeks, Seed: f.seed, UnrecordedLoss: f.unrecorded, Dirty: f.dirty}
	if f.unrecorded == 0 {
		o.UnrecordedLoss = -1
	}
	if f.dirty == 0 {
		o.Dirty = -1
	}
	h, err := generate.Generate(truth, o)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := h.WriteCSV(&buf, truth.AsOf.Time); err != nil {
		return err
	}
	if err := model.WriteFileAtomic(f.out, buf.Bytes()); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "%s: %d leads over %d weeks to %s\n", f.out, len(h.Leads), f.weeks, truth.AsOf)
	return err
}
