package backtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
)

// Options say how to backtest.
type Options struct {
	// Calibrate is how each origin's model is calibrated; its AsOf is set
	// to the origin.
	Calibrate calibrate.Options
	Origins   int // how many origins (default 20)
	Every     int // weeks between origins (default 4)
	Horizon   int // weeks forecast from each origin (default 13)
	// TrainWeeks is the least history before the first origin (default 26).
	TrainWeeks int
	Trials     int // trials per forecast (default 2000)
	Seed       uint64
	Workers    int
	// Progress, if set, is called after each origin with the origins done
	// and their number.
	Progress func(done, total int)
	// End is where the last origin's horizon ends (default: the day after
	// the history's last date).
	End time.Time
	// Parallel is how many origins are calibrated at once (default 1):
	// more is faster on several cores, for as many times the memory of
	// one calibration. It never changes the result.
	Parallel int
}

func (o *Options) defaults() {
	if o.Origins == 0 {
		o.Origins = 20
	}
	if o.Every == 0 {
		o.Every = 4
	}
	if o.Horizon == 0 {
		o.Horizon = 13
	}
	if o.TrainWeeks == 0 {
		o.TrainWeeks = 26
	}
	if o.Trials == 0 {
		o.Trials = 2000
	}
}

// Methods are the forecasts scored: the model and the baselines (see
// docs/ACCURACY.md): naive (the last quarter, times a quarter-to-quarter
// change the history has shown), seasonal (the same quarter last year,
// times a year-on-year change; where two years are recorded), run-rate
// (trailing weeks resampled), ets (damped-trend exponential smoothing of
// the weekly series, with bootstrapped errors) and pipeline (open leads
// weighted by their chance of winning within the horizon, plus new leads'
// wins; wins and revenue only). The last, recalibrated, is the model's
// forecast recalibrated on the origins whose forecast quarter had ended
// (Learn). A method that does not forecast a target at an origin scores
// NaN there.
var Methods = []string{"model", "naive", "seasonal", "run-rate", "ets", "pipeline", "recalibrated", "combined"}

// Method is a forecast scored, indexing Methods and an Outcome's Scores.
type Method int

// The methods, in the order of Methods. Recalibrated is the model's own
// forecast, not a baseline.
const (
	Model Method = iota
	Naive
	Seasonal
	RunRate
	ETS
	Pipeline
	Recalibrated
	Combined
)

func (m Method) String() string { return Methods[m] }

// maxSeriesWeeks is the most weeks of a target's series the baselines use.
const maxSeriesWeeks = 156

// Score is one method's forecast of one target at one origin, scored.
type Score struct {
	CRPS                      float64
	Pinball                   float64
	PIT                       float64
	Cover50, Cover80, Cover90 bool
	P10, P50, P90             float64
}

// Outcome is one target at one origin: what happened, and each method's
// scored forecast of it (in the order of Methods).
type Outcome struct {
	Origin time.Time
	Target string
	Actual float64
	Scores []Score
	// Quantiles are the model's forecast at QuantileLevels, and Median
	// its median, from which later origins learn their recalibration.
	Quantiles []float64
	Median    float64
	// Methods are the pooled methods' forecasts at QuantileLevels (nil
	// for a method that does not forecast it), from which later origins
	// learn the combination's weights.
	Methods [][]float64
}

// Result is a backtest's outcomes, with notes on origins left out.
type Result struct {
	// Horizon is the weeks each origin's forecast covers.
	Horizon  int
	Targets  []string
	Origins  []time.Time
	Outcomes []Outcome
	Notes    []string
	// Recalibration is learned from every outcome (Learn): the map to
	// apply to the model's forecasts from the last origin on.
	Recalibration *model.Recalibration
}

const week = 7 * 24 * time.Hour

// Run backtests the history: at each origin, the history as known then is
// calibrated and forecast over the horizon, and the forecast, with the
// naive (the last horizon's value, with Poisson noise) and run-rate
// (trailing weeks resampled) baselines, is scored against what the history
// shows happened.
func Run(ctx context.Context, h *calibrate.History, o Options) (*Result, error) {
	o.defaults()
	if len(h.Leads) == 0 {
		return nil, errors.New("backtest: no leads in the history")
	}
	first, last := span(h)
	horizon := time.Duration(o.Horizon) * week
	end := last.Truncate(24 * time.Hour).Add(24 * time.Hour)
	if !o.End.IsZero() {
		end = o.End
	}
	res := &Result{Horizon: o.Horizon}
	var origins []time.Time
	for k := o.Origins - 1; k >= 0; k-- {
		origin := end.Add(-horizon - time.Duration(k*o.Every)*week)
		if origin.Sub(first) < time.Duration(o.TrainWeeks)*week {
			res.Notes = append(res.Notes, fmt.Sprintf("origin %s left out: less than %d weeks of history before it", origin.Format(time.DateOnly), o.TrainWeeks))
			continue
		}
		origins = append(origins, origin)
	}
	if len(origins) == 0 {
		return nil, fmt.Errorf("backtest: the history (%s to %s) is too short for one origin with %d weeks before it and %d after", first.Format(time.DateOnly), end.Format(time.DateOnly), o.TrainWeeks, o.Horizon)
	}
	// A target is scored at an origin only if the quarter it forecasts
	// lies inside the span over which the history records that target
	// (a week's slack at the end, for an export that ends on a holiday).
	win := calibrate.FindWindows(h, calibrate.Options{EventsFrom: o.Calibrate.EventsFrom, LeadsUntil: o.Calibrate.LeadsUntil})
	inside := func(k int, origin time.Time) bool {
		from, to := win.Target(k)
		return !from.IsZero() && !origin.Before(from.Truncate(24*time.Hour)) && !origin.Add(horizon).After(to.Add(week))
	}
	fits, err := fitOrigins(ctx, h, o, origins)
	if err != nil {
		return nil, err
	}
	outside := map[string]int{}
	u := rng.NewStream()
	for i, origin := range origins {
		co := o.Calibrate
		co.AsOf = origin
		m, r := fits[i].m, fits[i].r
		if res.Targets == nil {
			for _, st := range m.Stages {
				res.Targets = append(res.Targets, st.MetricName())
			}
			res.Targets = append(res.Targets, "wins")
			if amounts(h) {
				res.Targets = append(res.Targets, "revenue")
			} else {
				res.Notes = append(res.Notes, "revenue is not scored: no won deal in the history has an amount")
			}
		}
		res.Origins = append(res.Origins, origin)
		actual := counts(h, origin, origin.Add(horizon))
		weekly := weeklyCounts(h, origin, min(int(origin.Sub(first)/week), maxSeriesWeeks))
		pipe := pipelineAt(h, co, m, horizon)
		for t, name := range res.Targets {
			k := min(t, len(h.Stages))
			if !inside(k, origin) {
				outside[name]++
				continue
			}
			fc, _ := r.Metric(name)
			u.Reset(o.Seed, uint64(i), uint64(t))
			from, _ := win.Target(k)
			y := series(weekly, t, origin, from)
			samples := baselineSamples(u, y, name, pipe, o.Horizon, o.Trials)
			samples[Model] = fc
			samples[Recalibrated] = recalibrated(fc, res.Outcomes, name, origin, o.Horizon)
			samples[Combined] = combined(samples, res.Outcomes, name, origin, o.Horizon, o.Trials)
			y0 := actual.value(t)
			out := Outcome{Origin: origin, Target: name, Actual: y0}
			keep(&out, fc)
			keepMethods(&out, samples)
			for _, xs := range samples {
				out.Scores = append(out.Scores, score(xs, y0, u.Uniform()))
			}
			res.Outcomes = append(res.Outcomes, out)
		}
	}
	for _, name := range res.Targets {
		if n := outside[name]; n > 0 {
			k := min(slices.Index(res.Targets, name), len(h.Stages))
			from, to := win.Target(k)
			why := ""
			if k == 0 && to.Equal(win.ThinFrom) {
				why = " (the leads thin out after it: an export cut, not a fall in leads)"
			}
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %d origins not scored: their quarter is not inside %s to %s, where the history records %s%s", name, n, from.Format(time.DateOnly), to.Format(time.DateOnly), name, why))
		}
	}
	res.Recalibration = Learn(res, o.Horizon)
	return res, nil
}

// series is target t's weekly series before origin, over the weeks the
// history records it (from on): index j is j whole weeks back.
func series(weekly []tally, t int, origin, from time.Time) []float64 {
	y := make([]float64, max(0, min(len(weekly), int(origin.Sub(from)/week))))
	for j := range y {
		y[j] = weekly[j].value(t)
	}
	return y
}

// baselineSamples are the baselines' forecasts of the target named over
// horizon weeks, from its weekly series y (index j is j weeks back) and,
// for wins and revenue, the pipeline at the origin; indexed by Method, nil
// where a method does not forecast it.
func baselineSamples(u *rng.Stream, y []float64, name string, pipe *pipeline, horizon, trials int) [][]float64 {
	samples := make([][]float64, len(Methods))
	samples[Naive] = laggedSample(u, y, horizon, horizon, trials)
	samples[RunRate] = runRateSample(u, y, horizon, trials)
	samples[ETS] = etsBaseline(u, y, horizon, trials)
	if len(y) >= 104 { // two years of the target recorded
		samples[Seasonal] = laggedSample(u, y, horizon, 52, trials)
	}
	if name == "wins" || name == "revenue" {
		samples[Pipeline] = pipe.sample(u, name == "revenue", trials)
	}
	return samples
}

// fit is one origin's model, calibrated on the history as known then,
// and its forecast.
type fit struct {
	m *model.Model
	r *model.Result
}

// fitOrigins calibrates and forecasts at each origin, o.Parallel at a
// time (the origins are independent: each forecast's streams are keyed
// by its origin's index), calling o.Progress as each is done. After an
// error no more origins start, and the first origin's error in order is
// returned.
func fitOrigins(ctx context.Context, h *calibrate.History, o Options, origins []time.Time) ([]fit, error) {
	fits := make([]fit, len(origins))
	errs := make([]error, len(origins))
	var mu sync.Mutex
	done, failed := 0, false
	one := func(i int) {
		co := o.Calibrate
		co.AsOf = origins[i]
		sub := *h
		sub.Report = &calibrate.Report{}
		m, err := calibrate.Estimate(ctx, &sub, co)
		var r *model.Result
		if err == nil {
			r, err = model.Run(ctx, m, model.Options{Trials: o.Trials, Weeks: o.Horizon, Seed: o.Seed + uint64(i), Workers: o.Workers})
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs[i], failed = fmt.Errorf("backtest: origin %s: %w", origins[i].Format(time.DateOnly), err), true
			return
		}
		fits[i] = fit{m, r}
		if done++; o.Progress != nil {
			o.Progress(done, len(origins))
		}
	}
	stop := func() bool { mu.Lock(); defer mu.Unlock(); return failed }
	sem := make(chan struct{}, max(o.Parallel, 1))
	var wg sync.WaitGroup
	for i := range origins {
		sem <- struct{}{}
		if stop() { // the origins before i are under way: one of theirs, or this error, is the first
			<-sem
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			one(i)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return fits, nil
}

func score(xs []float64, y, u float64) Score {
	x := finiteSorted(xs)
	q := func(p float64) float64 {
		if len(x) == 0 {
			return math.NaN()
		}
		return model.QuantileOf(x, p)
	}
	return Score{CRPS: CRPS(x, y), Pinball: Pinball(x, y), PIT: PIT(x, y, u), Cover50: Covers(x, y, 0.5), Cover80: Covers(x, y, 0.8), Cover90: Covers(x, y, 0.9),
		P10: q(0.1), P50: q(0.5), P90: q(0.9)}
}

// span is the first creation and the last date in the history.
func span(h *calibrate.History) (first, last time.Time) {
	first = h.Leads[0].Created()
	for i := range h.Leads {
		l := &h.Leads[i]
		if l.Created().Before(first) {
			first = l.Created()
		}
		for _, t := range append(append([]time.Time(nil), l.Reached...), l.Won, l.Lost) {
			if t.After(last) {
				last = t
			}
		}
	}
	return first, last
}

// tally is what happened in a window: entries into each stage (the first
// stage's are new leads), wins and won revenue.
type tally calibrate.Tally

func (t tally) value(target int) float64 {
	switch {
	case target < len(t.Entries):
		return t.Entries[target]
	case target == len(t.Entries):
		return t.Wins
	}
	return t.Revenue
}

func counts(h *calibrate.History, from, to time.Time) tally { return tally(h.Tally(from, to)) }

// weeklyCounts tallies each of the n weeks before to (index k is k whole
// weeks back), in one pass over the leads.
func weeklyCounts(h *calibrate.History, to time.Time, n int) []tally {
	out := make([]tally, n)
	for k := range out {
		out[k].Entries = make([]float64, len(h.Stages))
	}
	bin := func(x time.Time) int {
		if x.IsZero() || !x.Before(to) {
			return -1
		}
		if k := int(to.Sub(x) / week); k < n {
			return k
		}
		return -1
	}
	for i := range h.Leads {
		l := &h.Leads[i]
		for s, at := range l.Reached {
			if k := bin(at); k >= 0 {
				out[k].Entries[s]++
			}
		}
		if k := bin(l.Won); k >= 0 {
			out[k].Wins++
			if l.HasAmount() {
				out[k].Revenue += l.Amount
			}
		}
	}
	return out
}

// amounts reports whether any won lead has a recorded amount.
func amounts(h *calibrate.History) bool {
	for i := range h.Leads {
		if l := &h.Leads[i]; !l.Won.IsZero() && l.HasAmount() {
			return true
		}
	}
	return false
}
