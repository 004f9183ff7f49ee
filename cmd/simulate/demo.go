package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/demo"
	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/internal/atomicfile"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
)

func demoCommand() *command {
	return &command{
		Name:      "demo",
		UsageLine: "simulate demo [--target X] [--trials N] [--seed N] [--workers N] [--out DIR]",
		Short:     "calibrate the embedded sample history and forecast next quarter",
		Long: `
Demo runs the whole job on the embedded sample: a two-year CRM history of
the sample company and its weekly spend (examples/sample-history.csv.gz and
examples/sample-spend.csv, generated from examples/sample-truth.yaml). It
calibrates a model from the history as of
its last day with the defaults of simulate calibrate, prints the
calibration report and summary, then forecasts the next quarter with
the chance of reaching --target, and compares the sample what-if
scenarios (examples/sample-scenarios.yaml) with it on common random
numbers.

With --out DIR it also writes there the calibrated model (model.yaml), the
forecast (forecast.json), the comparison (compare.json), the calibration
report (calibration.txt), the charts (charts/*.png: fan, histogram,
funnel, response, tornado, scenarios, scenarios-wins, scenarios-sql,
funnel-scenario, calibration) and the one-page meeting report
(report.html).

Examples:

	simulate demo
	simulate demo --target 1000000 --out out/

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runDemo,
		Flags: func(fs *pflag.FlagSet) { new(demoFlags).declare(fs) },
	}
}

type demoFlags struct {
	target  float64
	trials  int
	seed    uint64
	workers int
	out     string
}

func (f *demoFlags) declare(fs *pflag.FlagSet) {
	moneyVar(fs, &f.target, "target", 800000, "revenue target (800000, 800k or 1.2M): report P(revenue >= target)")
	fs.IntVar(&f.trials, "trials", model.DefaultTrials, "Monte Carlo trials")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed; the same seed gives the same answer")
	fs.IntVar(&f.workers, "workers", 0, "worker goroutines (default: all cores); never changes the answer")
	fs.StringVar(&f.out, "out", "", "directory to write model.yaml, forecast.json, compare.json and calibration.txt")
}

const week = 7 * 24 * time.Hour

func runDemo(ctx context.Context, e *env, args []string) error {
	var f demoFlags
	fs := pflag.NewFlagSet("demo", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if !(f.target >= 0 && !math.IsInf(f.target, 1)) {
		return usagef("--target must be a finite number >= 0")
	}
	if f.trials < 1 {
		return usagef("--trials must be >= 1")
	}
	o := demo.Options{Target: f.target, Trials: f.trials, Seed: f.seed, Workers: f.workers, Names: flagNames(), Progress: e.bar}
	// Each step's result is printed as it comes, before the longer runs.
	d, err := demo.Calibrate(ctx, o)
	if d == nil {
		return err
	}
	var readReport bytes.Buffer
	if rerr := d.History.Report.Write(&readReport); rerr != nil {
		return rerr
	}
	e.stdout.Write(readReport.Bytes())
	m := d.Model
	if m == nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\ncalibrated as of %s with calibrate's defaults (as simulate calibrate --history %s --spend %s does);\n"+
		"without --model, the other commands run the sample company's true model (examples/sample-model.yaml), whose numbers differ by what two years of history leave uncertain\n", m.AsOf, demo.HistoryName, demo.SpendName)
	var summary bytes.Buffer
	doc, derr := document.NewCalibration(m, "model", f.seed)
	if derr != nil {
		return derr
	}
	if err := doc.WriteText(&summary); err != nil {
		return err
	}
	e.stdout.Write(summary.Bytes())
	fmt.Fprintln(e.stdout)
	if err := d.ForecastQuarter(ctx, o); err != nil {
		return err
	}
	fc := document.NewForecast(d.Forecast, f.target)
	if err := fc.WriteText(e.stdout); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nWHAT IF (examples/sample-scenarios.yaml)\n")
	if err := d.CompareScenarios(ctx, o); err != nil {
		return err
	}
	cmp := document.NewCompare(m, d.Comparison, f.target, true)
	if err := cmp.WriteText(e.stdout); err != nil {
		return err
	}
	if f.out == "" {
		return nil
	}
	if err := d.BuildReport(ctx, o); err != nil {
		return err
	}
	// Everything is written into a directory beside --out and moved into
	// it at the end: an interrupted or failed demo leaves nothing behind.
	parent := filepath.Dir(filepath.Clean(f.out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := mkdirFresh(parent, "."+filepath.Base(filepath.Clean(f.out))+".tmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := writeDemoOut(tmp, m, fc, cmp, append(readReport.Bytes(), summary.Bytes()...)); err != nil {
		return err
	}
	pf := plotFlags{dir: filepath.Join(tmp, "charts"), format: "png", page: plots.Page{W: plots.Size.W, H: plots.Size.H, DPI: plots.DPI}}
	if err := pf.write(nil, d.Inputs(f.target)); err != nil {
		return err
	}
	if err := writeReport(filepath.Join(tmp, "report.html"), d.Page); err != nil {
		return err
	}
	if err := publish(tmp, f.out); err != nil {
		return err
	}
	e.wrote(f.out + ": model.yaml, forecast.json, compare.json, calibration.txt, report.html and charts/")
	return nil
}

// mkdirFresh makes a new directory in parent whose name starts with
// prefix, with the mode the umask gives (os.MkdirTemp's 0700 would stay
// on the demo's folder once it is moved into place).
func mkdirFresh(parent, prefix string) (string, error) {
	var err error
	for i := range 100 {
		name := filepath.Join(parent, fmt.Sprintf("%s%d-%d", prefix, os.Getpid(), i))
		if err = os.Mkdir(name, 0o777); !os.IsExist(err) {
			return name, err
		}
	}
	return "", err
}

// publish moves what dir holds into out: dir itself where out does not
// exist yet, else entry by entry (each a rename, so each file is whole),
// into out's subdirectories where both have one. Every destination is
// checked before any is moved, so that one that cannot be replaced stops
// the demo with the folder as it was, not with new files beside old.
func publish(dir, out string) error {
	if _, err := os.Lstat(out); os.IsNotExist(err) {
		return os.Rename(dir, out)
	}
	if err := replaceable(dir, out); err != nil {
		return err
	}
	return move(dir, out)
}

// replaceable checks that every entry of dir can replace its namesake in
// out: a file a regular file, or nothing; a directory a directory, or
// nothing.
func replaceable(dir, out string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, en := range entries {
		src, dst := filepath.Join(dir, en.Name()), filepath.Join(out, en.Name())
		fi, err := os.Lstat(dst)
		switch {
		case os.IsNotExist(err):
		case err != nil:
			return err
		case en.IsDir() && fi.IsDir():
			if err := replaceable(src, dst); err != nil {
				return err
			}
		case en.IsDir() || !fi.Mode().IsRegular():
			return fmt.Errorf("writing %s: it is %s, which the demo's %s cannot replace; give --out a new folder", dst, modeWord(fi), map[bool]string{true: "folder", false: "file"}[en.IsDir()])
		}
	}
	return nil
}

// modeWord says what a file is, for an error.
func modeWord(fi os.FileInfo) string {
	switch {
	case fi.IsDir():
		return "a folder"
	case fi.Mode().IsRegular():
		return "a file"
	}
	return "not a regular file"
}

// move moves what dir holds into out, which exists and which replaceable
// has checked.
func move(dir, out string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, en := range entries {
		src, dst := filepath.Join(dir, en.Name()), filepath.Join(out, en.Name())
		if fi, err := os.Lstat(dst); err == nil && fi.IsDir() && en.IsDir() {
			if err := move(src, dst); err != nil {
				return err
			}
			continue
		}
		if err := os.Rename(src, dst); err != nil {
			return err
		}
	}
	return nil
}

// writeDemoOut writes the demo's files into dir, each whole or not at all.
func writeDemoOut(dir string, m *model.Model, fc *document.Forecast, cmp *document.Compare, report []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var mb bytes.Buffer
	if err := m.Encode(&mb); err != nil {
		return err
	}
	fb, err := json.MarshalIndent(fc, "", "  ")
	if err != nil {
		return err
	}
	cb, err := json.MarshalIndent(cmp, "", "  ")
	if err != nil {
		return err
	}
	for _, file := range []struct {
		name string
		data []byte
	}{{"model.yaml", mb.Bytes()}, {"forecast.json", append(fb, '\n')}, {"compare.json", append(cb, '\n')}, {"calibration.txt", report}} {
		if err := atomicfile.WriteFile(filepath.Join(dir, file.name), file.data); err != nil {
			return err
		}
	}
	return nil
}
