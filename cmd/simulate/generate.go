package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/sample"
)

func generateCommand() *command {
	return &command{
		Name:      "generate",
		UsageLine: "simulate generate [--truth FILE] [--weeks N] [--seed N] [--unrecorded-loss P] [--dirty P] [--lead-scale K] [--growth R] [--conversion-drift R] [--deal-drift R] [--level-shift K] [--thin-weeks N] [--write-truth FILE] [--spend-out FILE] -o history.csv[.gz]",
		Short:     "write a synthetic CRM history whose truth is known",
		Long: `
Generate simulates a truth (by default the sample company; --truth reads
one from a YAML file, and --write-truth writes the one used) lead by lead,
in continuous time and independently of the forecasting engine, over
--weeks before its as-of date. Each lead has attributes (job level, company
size) and a lead score that change its conversion. It writes the history a
CRM export would show on that date: one row per lead with its stage dates
and attributes, leads still open, a share of losses never recorded
(--unrecorded-loss) and a share of dirty rows (--dirty: duplicate ids,
unparsable dates, negative amounts). Weekly spend varies around each
channel's current level and its leads follow the truth's response to spend;
--spend-out writes that spend. The truth may change over the history, as
businesses do: --growth, --conversion-drift and --deal-drift are yearly
rates up to the as-of date (where the truth holds as written),
--level-shift a step in leads, and --thin-weeks an export cut before its
last weeks' leads were all synced. A file name ending in .gz is written
gzipped. Calibrating the file should give back the truth; that is how
calibration is tested.

Examples:

	simulate generate --seed 7 -o history.csv
	simulate generate --write-truth truth.yaml --spend-out spend.csv -o history.csv.gz
	simulate generate --truth truth.yaml --weeks 156 --unrecorded-loss 0 --dirty 0 -o clean.csv

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runGenerate,
		Flags: func(fs *pflag.FlagSet) { new(generateFlags).declare(fs) },
	}
}

type generateFlags struct {
	out        string
	weeks      int
	seed       uint64
	unrecorded float64
	dirty      float64
	truth      string
	writeTruth string
	leadScale  float64
	rawText    bool
	spendOut   string
	drift      generate.Drift
	shift      float64
	shiftWeek  int
	thinWeeks  int
	thinKeep   float64
}

func (f *generateFlags) declare(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "out", "o", "", "history file to write (CSV; - for standard output)")
	fs.IntVar(&f.weeks, "weeks", 104, "weeks of history before the as-of date")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.Float64Var(&f.unrecorded, "unrecorded-loss", 0.3, "share of losses never recorded")
	fs.Float64Var(&f.dirty, "dirty", 0.002, "share of dirty rows")
	fs.StringVar(&f.truth, "truth", "", "truth file (YAML); default: the sample company")
	fs.StringVar(&f.writeTruth, "write-truth", "", "also write the truth used to this file (YAML)")
	fs.Float64Var(&f.leadScale, "lead-scale", 1, "multiply every channel's weekly leads (for volume tests)")
	fs.StringVar(&f.spendOut, "spend-out", "", "also write the weekly spend per channel to this file (CSV: week, channel, spend)")
	fs.Float64Var(&f.drift.Growth, "growth", 0, "yearly growth of every channel's leads up to the as-of date (0.6: +60% a year; -0.3: a decline)")
	fs.Float64Var(&f.drift.Conversion, "conversion-drift", 0, "yearly change of every stage's advance rate up to the as-of date")
	fs.Float64Var(&f.drift.DealSize, "deal-drift", 0, "yearly change of the deal amounts up to the as-of date")
	fs.Float64Var(&f.shift, "level-shift", 0, "multiply every channel's leads from --level-shift-week on (0: none)")
	fs.IntVar(&f.shiftWeek, "level-shift-week", 0, "the week of history the level shift starts (default: the middle)")
	fs.IntVar(&f.thinWeeks, "thin-weeks", 0, "leave a share of the leads of the export's last N weeks out, as an export cut before they were synced")
	fs.Float64Var(&f.thinKeep, "thin-keep", 0.3, "the share of those weeks' leads the export keeps")
	fs.BoolVar(&f.rawText, "raw-text", false, "write the truth's names as they are, without the ' that keeps a spreadsheet from running one beginning with =, +, -, @ as a formula")
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
	case !(f.leadScale > 0 && f.leadScale <= 1000):
		return usagef("--lead-scale must be in (0, 1000]")
	case !(f.shift >= 0 && f.shift <= 100):
		return usagef("--level-shift must be in [0, 100]")
	case f.shiftWeek < 0 || f.shiftWeek >= f.weeks:
		return usagef("--level-shift-week must be in 0..%d (the weeks of history)", f.weeks-1)
	case f.thinWeeks < 0 || f.thinWeeks > f.weeks:
		return usagef("--thin-weeks must be in 0..%d (the weeks of history)", f.weeks)
	case !(f.thinKeep >= 0 && f.thinKeep <= 1):
		return usagef("--thin-keep must be a share in [0, 1]")
	}
	if err := f.drift.Check(); err != nil {
		return usagef("%s", strings.TrimPrefix(err.Error(), "generate: "))
	}
	if err := distinctFiles([]file{{"--truth", f.truth}}, []file{{"-o", f.out}, {"--spend-out", f.spendOut}, {"--write-truth", f.writeTruth}}); err != nil {
		return err
	}
	truth := sample.Company()
	if f.truth != "" {
		t, err := sample.ReadTruth(f.truth)
		if err != nil {
			return err
		}
		truth = t
	}
	for i := range truth.Channels {
		truth.Channels[i].WeeklyLeads *= f.leadScale
	}
	o := generate.Options{Weeks: f.weeks, Seed: f.seed, UnrecordedLoss: f.unrecorded, Dirty: f.dirty, Drift: f.drift,
		LevelShift: f.shift, LevelShiftWeek: f.shiftWeek, ThinWeeks: f.thinWeeks, ThinKeep: f.thinKeep}
	if f.unrecorded == 0 {
		o.UnrecordedLoss = -1
	}
	if f.dirty == 0 {
		o.Dirty = -1
	}
	h, err := generate.Generate(ctx, truth, o)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	var w io.Writer = &buf
	var zw *gzip.Writer
	if strings.HasSuffix(f.out, ".gz") {
		zw = gzip.NewWriter(&buf)
		w = zw
	}
	h.RawText = f.rawText
	if err := h.WriteCSV(ctx, w, truth.AsOf.Time); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	if f.spendOut != "" {
		var sb bytes.Buffer
		if err := h.WriteSpendCSV(&sb, truth.AsOf.Time); err != nil {
			return err
		}
		if err := e.writeOut(f.spendOut, sb.Bytes()); err != nil {
			return err
		}
	}
	if f.writeTruth != "" {
		var tb bytes.Buffer
		if err := truth.Encode(&tb); err != nil {
			return err
		}
		if err := e.writeOut(f.writeTruth, tb.Bytes()); err != nil {
			return err
		}
	}
	if err := e.writeOut(f.out, buf.Bytes()); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.report(f.out), "%s: %d leads over %d weeks to %s\n", f.out, len(h.Leads), f.weeks, truth.AsOf)
	return err
}
