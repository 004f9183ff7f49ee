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

// Run runs the demo's steps in turn: Calibrate, then the Demo's
// ForecastQuarter, CompareScenarios and, with Options.Report,
// BuildReport. With an error, the Demo returned (if not nil) holds what
// the steps before it made; the history as read is there from the
// first, its report saying what was found. A caller that shows each
// step's result as it comes (as `simulate demo` does, before the long
// runs) calls the steps itself.
func Run(ctx context.Context, o Options) (*Demo, error) {
	d, err := Calibrate(ctx, o)
	if err != nil {
		return d, err
	}
	steps := []func(context.Context, Options) error{d.ForecastQuarter, d.CompareScenarios}
	if o.Report {
		steps = append(steps, d.BuildReport)
	}
	for _, step := range steps {
		if err := step(ctx, o); err != nil {
			return d, err
		}
	}
	return d, nil
}

// ForecastQuarter forecasts the next quarter from the calibrated model,
// combined where its track record says so.
func (d *Demo) ForecastQuarter(ctx context.Context, o Options) error {
	run := o.run()
	var finish func()
	run.Progress, finish = o.progress("trials")
	r, err := model.Run(ctx, d.Model, run)
	finish()
	if err != nil {
		return fmt.Errorf("simulating %q: %w", d.Model.Name, err)
	}
	d.Forecast = r
	return nil
}

// CompareScenarios compares the sample scenarios with the calibrated
// model on common random numbers, the history as the evidence for their
// attribute rules.
func (d *Demo) CompareScenarios(ctx context.Context, o Options) error {
	file, err := scenarios.Decode(examples.ScenariosYAML())
	if err != nil {
		return fmt.Errorf("the embedded sample scenarios: %w", err)
	}
	// The attribute rules' posterior draws are keyed by the run's seed.
	ev := &scenarios.Evidence{History: d.History, Options: d.Calibration, Seed: o.Seed}
	run := o.run()
	var finish func()
	run.Progress, finish = o.progress("trials, every run at once")
	c, err := scenarios.Compare(ctx, d.Model, file, run, ev)
	finish()
	if err != nil {
		return err
	}
	d.Comparison = c
	return nil
}

// BuildReport makes the tornado and the meeting report, from the
// forecast and the comparison.
func (d *Demo) BuildReport(ctx context.Context, o Options) error {
	if d.Forecast == nil || d.Comparison == nil {
		return errors.New("demo: the report needs the forecast and the comparison first")
	}
	plain := o.run()
	plain.Combine = false
	t, err := report.NewTornado(ctx, d.Model, plain)
	if err != nil {
		return err
	}
	d.Tornado = t
	d.Page, err = report.Build(ctx, d.Inputs(o.Target), report.Options{Run: o.run()})
	return err
}

// run is the forecast's and the comparison's options: both combine.
func (o *Options) run() model.Options {
	return model.Options{Trials: o.Trials, Seed: o.Seed, Workers: o.Workers, Combine: true}
}

// Inputs are the report's inputs from the demo's results.
func (d *Demo) Inputs(target float64) *report.Inputs {
	return &report.Inputs{Model: d.Model, Result: d.Forecast, Target: target, Comparison: d.Comparison, History: d.History, Calibration: d.Calibration, Tornado: d.Tornado}
}

// Calibrate reads the embedded history and spend, calibrates a model as
// of the sample's as-of date with calibrate's defaults, and self-checks
// it. Where calibration fails, the Demo returned with the error holds the
// history as read.
func Calibrate(ctx context.Context, o Options) (*Demo, error) {
	if o.Trials < 1 {
		return nil, errors.New("demo: trials must be at least 1")
	}
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
