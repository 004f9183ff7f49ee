package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/demo"
	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
	"github.com/funnelsim/funnelsim/trials"
)

func compareCommand() *command {
	return &command{
		Name:      "compare",
		UsageLine: "simulate compare --scenarios FILE [--model FILE] [--history FILE... [calibrate's reading flags]] [--weeks N] [--trials N] [--seed N] [--workers N] [--target X] [--json] [--csv FILE] [--plots DIR]",
		Short:     "compare what-if scenarios with the baseline on common random numbers",
		Long: `
Compare applies each scenario of a scenario file to the model (the
embedded sample company without --model) and runs the baseline and every
scenario on the same trials: trial i of each run shares its parameter
draws and random numbers, so the differences are the scenario's effect,
not luck. For each scenario it prints the median revenue and, against the
baseline, the mean paired difference in revenue, wins, win rate, SQLs and
cost per win with their standard errors, and the share of trials in which
the scenario does better. --json writes every metric and difference with
quantiles and Monte Carlo standard errors. --plots DIR writes the charts:
scenarios, scenarios-wins and scenarios-sql (each scenario's revenue,
wins and SQLs against the baseline, trial by trial) and funnel-scenario
(the scenario that moves revenue most against the baseline).

Attribute rules are evaluated on the history the model was calibrated
from: --history (with the reading flags calibrate was given), or else the
files the model file records, read again as calibration read them where
they are unchanged (their checksums match). Without --model it runs the
embedded sample company, with the embedded sample history.

A scenario file names a baseline and lists scenarios, each a list of
interventions from a week: budget (spend per channel, or a move of an
amount or share between channels, through each channel's response to
spend), campaign (volume and quality multipliers for a channel),
sql_criteria (a rule on lead attributes, such as job_level in ["manager",
"director"], evaluated on the history the model was calibrated from, or
multipliers on the hand-off into SQL and on the stages from SQL on),
reps (hires or departures, with ramp), sla (the weekly cold rate of
leads waiting for a rep), deal_size and conversion (multipliers). See
examples/sample-scenarios.yaml.

--csv FILE also writes the results as a CSV table for spreadsheets (plain
numbers, snake_case columns; docs/OUTPUT.md); --csv - writes it to
standard output instead of the text table.

Examples:

	simulate compare --scenarios examples/sample-scenarios.yaml
	simulate compare --model model.yaml --scenarios plans.yaml --target 800000 --json > compare.json

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runCompare,
		Flags: func(fs *pflag.FlagSet) { new(compareFlags).declareOutput(fs) },
	}
}

type compareFlags struct {
	runFlags
	outputFlags
	shardFlags
	scenarios string
	history   []string
	readFlags
	asOf       string
	staleAfter int
}

func (f *compareFlags) declare(fs *pflag.FlagSet) {
	f.runFlags.declare(fs)
	f.runFlags.declareRaw(fs)
	fs.StringVar(&f.scenarios, "scenarios", "", "scenario file (YAML)")
	fs.StringArrayVar(&f.history, "history", nil, "the history the model was calibrated from, for attribute rules (repeat to join files)")
	fs.StringToStringVar(&f.maps, "map", nil, "with --history: column names, as for calibrate")
	fs.StringToStringVar(&f.stageMap, "stage-map", nil, "with --history: stage names, as for calibrate")
	fs.StringVar(&f.preset, "preset", "", presetUsage())
	fs.StringVar(&f.dateFormat, "date-format", "", "with --history: date layout, as for calibrate")
	fs.Float64Var(&f.maxRejected, "max-rejected", calibrate.DefaultMaxRejected, "with --history: the largest share of rows that may be rejected, as for calibrate")
	fs.StringSliceVar(&f.stages, "stages", nil, "with --history: funnel stages, as for calibrate")
	fs.StringVar(&f.asOf, "as-of", "", "with --history: the cut-off, as for calibrate")
	fs.IntVar(&f.staleAfter, "stale-after", 0, "with --history: weeks after which an idle lead is lost, as for calibrate")
}

// declareOutput declares compare's flags: the common ones, --json and the
// chart flags.
func (f *compareFlags) declareOutput(fs *pflag.FlagSet) {
	f.declare(fs)
	f.outputFlags.declare(fs, compareTargetUsage)
	f.shardFlags.declare(fs)
}

const compareTargetUsage = "revenue target (800000, 800k or 1.2M): report P(revenue >= target) for each run"

// evidence reads the history behind model m: --history when given; else
// the files the model's provenance names, read as they were (for the
// embedded sample company, and a model calibrated from it, the embedded
// sample history). It is nil where there is none to read.
func (f *compareFlags) evidence(ctx context.Context, e *env, m *model.Model) (*scenarios.Evidence, error) {
	if len(f.history) == 0 && f.model == "" {
		return sampleEvidence()
	}
	if len(f.history) == 0 {
		return provenanceEvidence(ctx, e, f.model, m)
	}
	var asOf time.Time
	if f.asOf != "" {
		d, err := model.ParseDate(f.asOf)
		if err != nil {
			return nil, usagef("--as-of: %v", err)
		}
		asOf = d.Time
	}
	if f.staleAfter < 0 {
		return nil, usagef("--stale-after must be >= 0 weeks")
	}
	if err := f.readFlags.check(); err != nil {
		return nil, err
	}
	h, err := calibrate.ReadFiles(ctx, f.history, f.readOptions())
	if err != nil {
		return nil, err
	}
	return &scenarios.Evidence{History: h, Options: calibrate.Options{Names: flagNames(), AsOf: asOf, StaleAfter: time.Duration(f.staleAfter) * week}}, nil
}

func runCompare(ctx context.Context, e *env, args []string) error {
	var f compareFlags
	fs := pflag.NewFlagSet("compare", pflag.ContinueOnError)
	f.declareOutput(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if f.scenarios == "" {
		return usagef("--scenarios is required")
	}
	if err := f.runFlags.check(fs); err != nil {
		return err
	}
	if err := f.shardFlags.check(fs, f.trials, outputNames...); err != nil {
		return err
	}
	if err := f.outputFlags.check(fs); err != nil {
		return err
	}
	inputs := append(f.inputs(), file{"--scenarios", f.scenarios})
	for _, h := range f.history {
		inputs = append(inputs, file{"--history", h})
	}
	if err := distinctFiles(inputs, []file{f.csvFlag.output(), {"--trials-out", f.trialsOut}}, &f.plotFlags); err != nil {
		return err
	}
	m, err := f.load()
	if err != nil {
		return err
	}
	sf, err := scenarios.ReadFile(f.scenarios)
	if err != nil {
		return err
	}
	ev, err := f.evidence(ctx, e, m)
	if err != nil {
		return err
	}
	o := f.options()
	total := f.shardFlags.limit(o)
	c, err := compareScenarios(ctx, e, m, sf, o, ev)
	if err != nil {
		return err
	}
	if f.trialsOut != "" {
		yaml, err := model.ReadYAML(f.scenarios)
		if err != nil {
			return err
		}
		inputs, err := f.inputsHash()
		if err != nil {
			return err
		}
		run := &trials.Run{Command: "compare", Scenarios: string(yaml), Inputs: inputs}
		rs := []*model.Result{c.Baseline}
		for _, s := range c.Scenarios {
			rs = append(rs, s.Result)
			run.Notes = append(run.Notes, s.Warnings)
		}
		if rs, err = saveTrials(e, &f.runFlags, &f.shardFlags, run, rs, total); err != nil || rs == nil {
			return err
		}
		c = scenarios.Compared(rs[0], rs[1:], run.Notes)
	}
	return f.outputFlags.compare(e, m, c)
}

// compare writes a comparison's outputs.
func (f *outputFlags) compare(e *env, m *model.Model, c *scenarios.Comparison) error {
	doc := document.NewCompare(m, c, f.target, f.json)
	if err := f.plotFlags.write(e, &report.Inputs{Model: m, Comparison: c, Target: math.NaN()}); err != nil {
		return err
	}
	return f.emit(e, doc)
}

func compareScenarios(ctx context.Context, e *env, m *model.Model, file *scenarios.File, o *model.Options, ev *scenarios.Evidence) (*scenarios.Comparison, error) {
	if e.terminal {
		fmt.Fprintf(e.stderr, "running the baseline and %d scenarios, %d trials each\n", len(file.Scenarios), o.Trials)
	}
	finish := e.progress(o, "trials, every run at once")
	defer finish()
	if ev != nil { // the rules' posterior draws keyed by the run's seed
		keyed := *ev
		keyed.Seed = o.Seed
		ev = &keyed
	}
	c, err := scenarios.Compare(ctx, m, file, *o, ev)
	if errors.Is(err, scenarios.ErrNeedsHistory) {
		return nil, fmt.Errorf("%w (give it with --history)", err)
	}
	return c, err
}

// provenanceEvidence reads the history the model at path was calibrated
// from, as its provenance records it: each file found as named or beside
// the model, and the same file (its checksum) as calibration read, with
// the same settings. It says on stderr which files it read; it returns
// nil, with a note of why, where a file is missing or has changed since.
func provenanceEvidence(ctx context.Context, e *env, path string, m *model.Model) (*scenarios.Evidence, error) {
	rd := m.Provenance.Reading
	if rd == nil || len(rd.History) == 0 {
		return nil, nil
	}
	sums := map[string]string{}
	for _, src := range m.Provenance.Files {
		sums[src.Path] = src.SHA256
	}
	o, err := calibrate.ReadOptionsFor(rd, flagNames())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var files []calibrate.File
	for _, name := range rd.History {
		data, where, err := findHistory(name, filepath.Dir(path), sums[name])
		if err != nil {
			fmt.Fprintf(e.stderr, "note: the model's history is not read: %v\n", err)
			return nil, nil
		}
		files = append(files, calibrate.File{Name: where, R: bytes.NewReader(data), Size: int64(len(data))})
	}
	h, err := calibrate.Read(ctx, files, o)
	if err != nil {
		return nil, fmt.Errorf("the model's history: %w", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	fmt.Fprintf(e.stderr, "evidence for attribute rules: %s, the history the model was calibrated from\n", strings.Join(names, ", "))
	return &scenarios.Evidence{History: h, Options: calibrate.Options{Names: flagNames(), AsOf: m.AsOf.Time,
		StaleAfter: time.Duration(m.Provenance.StaleAfterWeeks * float64(week))}}, nil
}

// findHistory returns the bytes of a history file the provenance names,
// and where they were found: at its path, beside the model (dir), or, for
// the sample history, embedded. With a checksum, only a file whose bytes
// match it will do.
func findHistory(name, dir, sum string) ([]byte, string, error) {
	match := func(b []byte) bool {
		if sum == "" {
			return true
		}
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:]) == sum
	}
	changed := ""
	for _, p := range []string{name, filepath.Join(dir, name), filepath.Join(dir, filepath.Base(name))} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if match(b) {
			return b, p, nil
		}
		changed = p
	}
	if b := examples.HistoryGz(); name == demo.HistoryName && match(b) {
		return b, name + " (embedded)", nil
	}
	if changed != "" {
		return nil, "", fmt.Errorf("%s has changed since the model was calibrated (give --history to use it anyway)", changed)
	}
	return nil, "", fmt.Errorf("%s is not found (give it with --history)", name)
}

// sampleEvidence is the embedded sample history, read as the demo reads it.
func sampleEvidence() (*scenarios.Evidence, error) {
	truth, err := sample.DecodeTruth(examples.TruthYAML())
	if err != nil {
		return nil, err
	}
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: demo.HistoryName, R: bytes.NewReader(examples.HistoryGz())}}, calibrate.ReadOptions{Names: flagNames()})
	if err != nil {
		return nil, err
	}
	return &scenarios.Evidence{History: h, Options: calibrate.Options{AsOf: truth.AsOf.Time, DeriveStale: true}}, nil
}

// inputsHash is the SHA-256 of the --history files, in order, and of the
// flags they were read with, for a shard's metadata: shards of one
// comparison must evaluate its rules on the same history. It is empty
// without --history (the model's provenance, or the embedded sample
// history, is pinned by the model file).
func (f *compareFlags) inputsHash() (string, error) {
	if len(f.history) == 0 {
		return "", nil
	}
	h := sha256.New()
	for _, p := range f.history {
		file, err := os.Open(p)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, file)
		file.Close()
		if err != nil {
			return "", fmt.Errorf("%s: %w", p, err)
		}
		h.Write([]byte{0})
	}
	fmt.Fprintf(h, "%v|%v|%q|%q|%v|%q|%q|%d", f.maps, f.stageMap, f.dateFormat, f.stages, f.maxRejected, f.preset, f.asOf, f.staleAfter)
	return hex.EncodeToString(h.Sum(nil)), nil
}
