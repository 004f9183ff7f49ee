package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

// HistoryName and SpendName are the names the embedded sample history and
// spend are read by, as a model's provenance records them.
const (
	HistoryName = "examples/sample-history.csv.gz"
	SpendName   = "examples/sample-spend.csv"
)

// Options are the demo's settings.
type Options struct {
	Target  float64 // the revenue target
	Trials  int
	Seed    uint64
	Workers int // 0 for every core; never changes the answer
	// Report asks for the tornado and the meeting report as well.
	Report bool
	// Names are the calibration settings' names for its messages.
	Names calibrate.SettingNames
	// Progress, if set, gives each run's progress callback, described by
	// what, and the function that ends it.
	Progress func(what string) (progress func(done, total int), finish func())
}

// Demo is what the demo found.
type Demo struct {
	// History is the sample history as read, with its report; Calibration
	// the options it was calibrated with.
	History     *calibrate.History
	Calibration calibrate.Options
	// Model is the calibrated model, with its track record.
	Model *model.Model
	// Forecast is the next quarter's forecast, combined where the track
	// record says so; Comparison the sample scenarios against it.
	Forecast   *model.Result
	Comparison *scenarios.Comparison
	// Tornado and Page are the tornado and the meeting report, with
	// Options.Report.
	Tornado *report.TornadoResult
	Page    *report.Page
}

// Run runs the demo. With an error, the Demo returned (if not nil) holds
// what was done before it: the history as read, whose report says what
// was found, and the model, the forecast or the comparison where they
// were made.
func Run(ctx context.Context, o Options) (*Demo, error) {
	if o.Trials < 1 {
		return nil, errors.New("demo: trials must be at least 1")
	}
	d, err := calibrated(ctx, o)
	if err != nil {
		return d, err
	}
	run := model.Options{Trials: o.Trials, Seed: o.Seed, Workers: o.Workers, Combine: true}
	progress, finish := o.progress("trials")
	run.Progress = progress
	r, err := model.Run(ctx, d.Model, run)
	finish()
	if err != nil {
		return d, fmt.Errorf("simulating %q: %w", d.Model.Name, err)
	}
	d.Forecast = r
	file, err := scenarios.Decode(examples.ScenariosYAML())
	if err != nil {
		return d, fmt.Errorf("the embedded sample scenarios: %w", err)
	}
	// The attribute rules' posterior draws are keyed by the run's seed.
	ev := &scenarios.Evidence{History: d.History, Options: d.Calibration, Seed: o.Seed}
	progress, finish = o.progress("trials, every run at once")
	run.Progress = progress
	c, err := scenarios.Compare(ctx, d.Model, file, run, ev)
	finish()
	if err != nil {
		return d, err
	}
	if d.Comparison = c; !o.Report {
		return d, nil
	}
	plain := model.Options{Trials: o.Trials, Seed: o.Seed, Workers: o.Workers}
	if d.Tornado, err = report.NewTornado(ctx, d.Model, plain); err != nil {
		return d, err
	}
	plain.Combine = true
	d.Page, err = report.Build(ctx, d.Inputs(o.Target), report.Options{Run: plain})
	return d, err
}

// Inputs are the report's inputs from the demo's results.
func (d *Demo) Inputs(target float64) *report.Inputs {
	return &report.Inputs{Model: d.Model, Result: d.Forecast, Target: target, Comparison: d.Comparison, History: d.History, Calibration: d.Calibration, Tornado: d.Tornado}
}

// calibrated reads the embedded history and spend, calibrates a model as
// of the sample's as-of date with calibrate's defaults, and self-checks
// it.
func calibrated(ctx context.Context, o Options) (*Demo, error) {
	truth, err := sample.DecodeTruth(examples.TruthYAML())
	if err != nil {
		return nil, fmt.Errorf("the embedded sample truth: %w", err)
	}
	ro := calibrate.ReadOptions{Names: o.Names}
	h, err := calibrate.Read(ctx, []calibrate.File{{Name: HistoryName, R: bytes.NewReader(examples.HistoryGz())}}, ro)
	if err != nil {
		return nil, err
	}
	d := &Demo{History: h}
	spend, err := calibrate.ReadSpend(calibrate.File{Name: SpendName, R: bytes.NewReader(examples.SpendCSV())}, ro, h.Report)
	if err != nil {
		return nil, err
	}
	d.Calibration = calibrate.Options{Names: o.Names, AsOf: truth.AsOf.Time, DeriveStale: true, Spend: spend,
		Name: truth.Name + " (calibrated)", Currency: truth.Currency, Source: HistoryName}
	m, err := calibrate.Estimate(ctx, h, d.Calibration)
	if err != nil {
		return d, err
	}
	if m.TrackRecord, err = backtest.SelfCheck(ctx, h, m, backtest.Options{Calibrate: d.Calibration, Seed: o.Seed}); err != nil {
		return d, err
	}
	m.Provenance.Reading = &model.Reading{History: []string{HistoryName}}
	d.Model = m
	return d, nil
}

func (o *Options) progress(what string) (func(done, total int), func()) {
	if o.Progress == nil {
		return nil, func() {}
	}
	return o.Progress(what)
}
