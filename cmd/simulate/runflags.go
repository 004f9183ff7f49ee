package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/internal/amount"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// runFlags are the flags of every command that runs the simulation.
type runFlags struct {
	model       string
	weeks       int
	trials      int
	seed        uint64
	workers     int
	fixedParams bool
	// recalibration names the file of --recalibration, and rc is what
	// load read from it.
	recalibration string
	rc            *model.Recalibration
	// modelYAML is the file --model names, as load read it.
	modelYAML []byte
	// combine is set for the commands whose totals are combined with the
	// baselines (declareRaw); raw is their --raw.
	combine, raw bool
	// m is the model load returned.
	m *model.Model
}

// declareRaw declares --raw, for a command whose headline totals are
// combined with the baselines by the model's track record.
func (r *runFlags) declareRaw(fs *pflag.FlagSet) {
	r.combine = true
	fs.BoolVar(&r.raw, "raw", false, "the model's totals alone: not combined with the baselines that forecast best on the model's own history (its track record, from calibrate's self-check)")
}

func (r *runFlags) declare(fs *pflag.FlagSet) {
	fs.StringVar(&r.model, "model", "", "model file (YAML); default: the embedded sample company")
	fs.IntVar(&r.weeks, "weeks", 0, "horizon in weeks (default: the model's horizon_weeks)")
	fs.IntVar(&r.trials, "trials", model.DefaultTrials, "Monte Carlo trials")
	fs.Uint64Var(&r.seed, "seed", 1, "random seed; the same seed gives the same answer")
	fs.IntVar(&r.workers, "workers", 0, "worker goroutines (default: all cores); never changes the answer")
	fs.BoolVar(&r.fixedParams, "fixed-params", false, "use posterior means instead of drawing parameters per trial")
	fs.StringVar(&r.recalibration, "recalibration", "", "recalibrate the totals with the map a backtest learned (simulate backtest --save-calibration FILE)")
}

// load returns the model named by --model, or the embedded sample, and
// reads the --recalibration file.
func (r *runFlags) load() (*model.Model, error) {
	if err := r.loadRecalibration(); err != nil {
		return nil, err
	}
	m := sample.Model()
	if r.model != "" {
		var b []byte
		var err error
		if m, b, err = readModel(r.model); err != nil {
			return nil, err
		}
		r.modelYAML = b
	}
	// A shard leaves the recalibration to the merge, which would refuse
	// it only after every shard had run: it is checked here, for all.
	if weeks := cmp.Or(r.weeks, m.HorizonWeeks); r.rc != nil && r.rc.HorizonWeeks != weeks {
		return nil, fmt.Errorf("--recalibration %s was learned on %d-week forecasts; this run is %d weeks", r.recalibration, r.rc.HorizonWeeks, weeks)
	}
	r.m = m
	return m, nil
}

// loadRecalibration reads the --recalibration file, where one is given.
func (r *runFlags) loadRecalibration() error {
	if r.recalibration == "" {
		return nil
	}
	rc, err := model.ReadRecalibration(r.recalibration)
	if err != nil {
		return err
	}
	rc.Source = r.recalibration
	r.rc = rc
	return nil
}

// readModel reads and decodes the model (or planner's) file at path, and
// returns its bytes too.
func readModel(path string) (*model.Model, []byte, error) {
	b, err := model.ReadYAML(path)
	if err != nil {
		return nil, nil, err
	}
	m, err := model.Decode(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, b, nil
}

// note is the line that says the totals were recalibrated, or "".
func (r *runFlags) note() string {
	if r.rc == nil {
		return ""
	}
	return r.rc.Describe()
}

func (r *runFlags) options() *model.Options {
	return &model.Options{Trials: r.trials, Weeks: r.weeks, Seed: r.seed, Workers: r.workers, FixedParams: r.fixedParams, Recalibration: r.rc, Combine: r.combine && !r.raw}
}

// progress sets o.Progress to draw a bar labelled what on standard error
// when it is a terminal (nothing otherwise), and returns what ends it.
func (e *env) progress(o *model.Options, what string) (finish func()) {
	o.Progress, finish = e.bar(what)
	return finish
}

// bar returns a progress callback drawing a bar on stderr, described by
// what, where stderr is a terminal (nil otherwise), and the function that
// finishes the bar.
func (e *env) bar(what string) (progress func(done, total int), finish func()) {
	if !e.terminal {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	progress = func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(e.rawStderr), progressbar.OptionSetDescription(what),
				progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		}
		bar.Set(done)
	}
	return progress, func() {
		if bar != nil {
			bar.Finish()
		}
	}
}

// simulate runs m, drawing a progress bar on stderr when it is a terminal.
func simulate(ctx context.Context, e *env, m *model.Model, o *model.Options) (*model.Result, error) {
	finish := e.progress(o, "trials")
	defer finish()
	r, err := model.Run(ctx, m, *o)
	if err != nil {
		return nil, fmt.Errorf("simulating %q: %w", m.Name, err)
	}
	return r, nil
}

// check refuses --trials and --weeks given as 0 or less (0 is no
// horizon and no trials, not "the default") or past the engine's limits,
// as usage errors before anything is read.
func (r *runFlags) check(fs *pflag.FlagSet) error {
	if fs.Changed("trials") && (r.trials < 1 || r.trials > model.MaxTrials) {
		return usagef("--trials must be 1 to %d (got %d)", model.MaxTrials, r.trials)
	}
	if fs.Changed("weeks") && (r.weeks < 1 || r.weeks > model.MaxWeeks) {
		return usagef("--weeks must be 1 to %d (got %d)", model.MaxWeeks, r.weeks)
	}
	return nil
}

// inputs are the files the run reads.
func (r *runFlags) inputs() []file {
	return []file{{"--model", r.model}, {"--recalibration", r.recalibration}}
}

// checkTarget refuses a --target that is given but not a finite amount
// >= 0.
func checkTarget(fs *pflag.FlagSet, target float64) error {
	if fs.Changed("target") && !(target >= 0 && !math.IsInf(target, 1)) {
		return usagef("--target must be a finite number >= 0")
	}
	return nil
}

// file is a path named by a flag, for distinctFiles.
type file struct{ flag, path string }

// distinctFiles refuses an output that is one of the inputs or another
// output of the same run: calibrate -o history.csv would overwrite its
// input, and one path given to two outputs would keep only the last.
// Paths are compared cleaned and, where they exist, as files (os.SameFile
// sees through links).
func distinctFiles(inputs, outputs []file, plots ...*plotFlags) error {
	same := func(a, b string) bool {
		if filepath.Clean(a) == filepath.Clean(b) {
			return true
		}
		fa, errA := os.Stat(a)
		fb, errB := os.Stat(b)
		return errA == nil && errB == nil && os.SameFile(fa, fb)
	}
	for i, o := range outputs {
		if o.path == "" || o.path == "-" {
			continue
		}
		// The directory must be there before the run, not found missing
		// after it.
		if fi, err := os.Stat(filepath.Dir(o.path)); err != nil || !fi.IsDir() {
			return fmt.Errorf("%s %s: no directory %s to write it in", o.flag, o.path, filepath.Dir(o.path))
		}
		for _, in := range inputs {
			if in.path != "" && same(o.path, in.path) {
				return usagef("%s %s is also the input %s: it would be overwritten", o.flag, o.path, in.flag)
			}
		}
		for _, p := range outputs[:i] {
			if p.path != "" && same(o.path, p.path) {
				return usagef("%s and %s both name %s: give each output its own file", p.flag, o.flag, o.path)
			}
		}
		// Writing there needs permission, found now and not after the run.
		if err := writable(filepath.Dir(o.path)); err != nil {
			return fmt.Errorf("%s %s: cannot write in %s: %w", o.flag, o.path, filepath.Dir(o.path), err)
		}
	}
	for _, pf := range plots {
		if err := pf.clash(append(slices.Clone(inputs), outputs...)); err != nil {
			return err
		}
	}
	return nil
}

// writable checks that a file can be made in dir, by making one and
// removing it.
func writable(dir string) error {
	probe, err := os.CreateTemp(dir, ".funnelsim-probe-*")
	if err != nil {
		return err
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// readFlags are how a history file is read: --stages, --map, --stage-map
// and --date-format.
type readFlags struct {
	maps        map[string]string
	stageMap    map[string]string
	dateFormat  string
	stages      []string
	maxRejected float64
	preset      string
	presetV     *calibrate.Preset // --preset's, set by check
}

// readOptions are the flags as the reader takes them, its messages naming
// the flags.
func (f *readFlags) readOptions() calibrate.ReadOptions {
	return calibrate.ReadOptions{Stages: f.stages, Map: f.maps, StageMap: f.stageMap, DateFormat: f.dateFormat, MaxRejected: calibrate.MaxRejectedOf(f.maxRejected), Preset: f.presetV, Names: flagNames()}
}

// check refuses a --max-rejected that is not a share and an unknown
// --preset, and finds the preset.
func (f *readFlags) check() error {
	if !(f.maxRejected >= 0 && f.maxRejected <= 1) {
		return usagef("--max-rejected must be a share in [0, 1] (got %v)", f.maxRejected)
	}
	if f.preset != "" {
		p, err := calibrate.PresetNamed(f.preset)
		if err != nil {
			return usagef("--preset: %v", err)
		}
		f.presetV = p
	}
	return nil
}

// presetUsage is --preset's help.
func presetUsage() string {
	var names []string
	for _, p := range calibrate.Presets {
		names = append(names, p.Name)
	}
	return "read a CRM's standard export with no --map: " + strings.Join(names, ", ") + " (docs/REAL-DATA.md)"
}

// flagNames are the flags that set the calibration's settings, for its
// messages.
func flagNames() calibrate.SettingNames {
	return calibrate.SettingNames{calibrate.SetMap: "--map", calibrate.SetStageMap: "--stage-map", calibrate.SetDateFormat: "--date-format",
		calibrate.SetAsOf: "--as-of", calibrate.SetStaleAfter: "--stale-after", calibrate.SetLeadsUntil: "--leads-until",
		calibrate.SetEventsFrom: "--events-from", calibrate.SetDealSize: "--deal-size", calibrate.SetMaxRejected: "--max-rejected", calibrate.SetPreset: "--preset", calibrate.SetStages: "--stages"}
}

// docFlags are --json and --csv: how a command writes its document.
type docFlags struct {
	csvFlag
	json bool
}

func (f *docFlags) declare(fs *pflag.FlagSet) {
	fs.BoolVar(&f.json, "json", false, "write JSON instead of a table")
	f.csvFlag.declare(fs)
}

// emit writes d as --csv and --json say: the CSV table to its file (and
// nothing else when that is standard output), then JSON or the text table.
func (f *docFlags) emit(e *env, d document.Document) error {
	if done, err := f.csvFlag.write(e, d.WriteCSV); done || err != nil {
		return err
	}
	if f.json {
		return writeJSON(e.stdout, d)
	}
	return d.WriteText(e.stdout)
}

// csvFlag is --csv: the results as a CSV table, besides the text table or
// instead of it on standard output.
type csvFlag struct{ csv string }

func (f *csvFlag) declare(fs *pflag.FlagSet) {
	fs.StringVar(&f.csv, "csv", "", "also write the results as a CSV table to FILE, for spreadsheets (- for standard output, instead of the text table)")
}

// write writes doc's CSV where --csv says; done reports that it went to
// standard output, so that nothing else should.
func (f *csvFlag) write(e *env, doc func(io.Writer) error) (done bool, err error) {
	if f.csv == "" {
		return false, nil
	}
	var buf bytes.Buffer
	if err := doc(&buf); err != nil {
		return false, err
	}
	if err := e.writeOut(f.csv, buf.Bytes()); err != nil {
		return false, err
	}
	e.wrote(f.csv)
	return f.csv == "-", nil
}

// output is --csv as an output file, for distinctFiles.
func (f *csvFlag) output() file { return file{"--csv", f.csv} }

// money is a flag's amount of money: a number with thousands separators
// (800,000), an exponent (8e5) or a suffix k, M or B (800k, 1.2M); NaN for
// none.
type money struct{ p *float64 }

// moneyVar declares a money flag.
func moneyVar(fs *pflag.FlagSet, p *float64, name string, def float64, usage string) {
	*p = def
	fs.Var(money{p}, name, usage)
}

func (m money) String() string {
	if m.p == nil || math.IsNaN(*m.p) {
		return ""
	}
	return strconv.FormatFloat(*m.p, 'f', -1, 64)
}

func (m money) Type() string { return "amount" }

func (m money) Set(s string) error {
	x, err := parseMoney(s)
	if err != nil {
		return err
	}
	*m.p = x
	return nil
}

// parseMoney reads an amount as money reads it.
func parseMoney(s string) (float64, error) { return amount.Parse(s) }
