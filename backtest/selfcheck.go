package backtest

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
)

// The self-check's defaults: quarterly origins over the last two years,
// each forecasting a quarter, with fewer trials than a forecast.
const (
	SelfCheckOrigins = 8
	SelfCheckHorizon = 13
	SelfCheckTrials  = 1000
	// combineQuantiles is how many quantiles of a baseline's forecast a
	// track record keeps for its combination.
	combineQuantiles = 50
)

// SelfCheck backtests m, calibrated from h with o.Calibrate, on h itself:
// at quarterly origins over the two years before m's as-of date (fewer
// where the history is shorter), each calibrated with the same options
// on the history as known then and forecast a quarter ahead. It returns
// the model's track record: per target, the past quarters scored, how many
// the 80% intervals covered, the CRPS skill against each baseline and the
// strongest of them; and, where at least four past quarters are scored,
// the combination of the model and the baseline that forecast them best
// (as the backtest's combined method learns it), with that baseline's
// forecast from the as-of date. Origins, Every, Horizon and End of o are
// set here; Trials defaults to SelfCheckTrials, and Parallel to two
// origins at once where there are two cores. A history too short for
// an origin gives a record that says so, not an error.
func SelfCheck(ctx context.Context, h *calibrate.History, m *model.Model, o Options) (*model.TrackRecord, error) {
	o.Origins, o.Every, o.Horizon, o.End = SelfCheckOrigins, SelfCheckHorizon, SelfCheckHorizon, m.AsOf.Time
	if o.Trials == 0 {
		o.Trials = SelfCheckTrials
	}
	if o.Parallel == 0 {
		o.Parallel = min(runtime.GOMAXPROCS(0), 2)
	}
	tr := &model.TrackRecord{HorizonWeeks: o.Horizon, Trials: o.Trials}
	res, err := Run(ctx, h, o)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		tr.Skipped = strings.TrimPrefix(err.Error(), "backtest: ")
		return tr, nil
	}
	for _, t := range res.Origins {
		tr.Origins = append(tr.Origins, model.Date{Time: t})
	}
	for _, s := range res.Summary() {
		if s.N == 0 {
			continue
		}
		r := model.TargetTrackRecord{Target: s.Target, Scored: s.N, Covered80: int(math.Round(s.Model().Cover80 * float64(s.N))), Skill: map[string]float64{}}
		for k := Naive; k <= Pipeline; k++ {
			if ms := s.Methods[k]; ms.N > 0 && !math.IsNaN(ms.Skill) {
				r.Skill[ms.Method] = ms.Skill
			}
		}
		if s.Best > 0 {
			r.Strongest = Methods[s.Best]
		}
		tr.Targets = append(tr.Targets, r)
	}
	if err := combineAtAsOf(h, m, o, res, tr); err != nil {
		return nil, err
	}
	return tr, nil
}

// combineAtAsOf learns each target's combination from the self-check's
// outcomes and keeps its baseline's forecast from m's as-of date, for the
// targets the history records up to then.
func combineAtAsOf(h *calibrate.History, m *model.Model, o Options, res *Result, tr *model.TrackRecord) error {
	asOf := m.AsOf.Time
	first, _ := span(h)
	horizon := time.Duration(o.Horizon) * week
	co := o.Calibrate
	co.AsOf = asOf
	win := calibrate.FindWindows(h, calibrate.Options{EventsFrom: co.EventsFrom, LeadsUntil: co.LeadsUntil})
	weekly := weeklyCounts(h, asOf, min(int(asOf.Sub(first)/week), maxSeriesWeeks))
	pipe := pipelineAt(h, co, m, horizon)
	u := rng.NewStream()
	for t, name := range res.Targets {
		r := tr.Target(name)
		if r == nil {
			continue
		}
		k := min(t, len(h.Stages))
		from, to := win.Target(k)
		if from.IsZero() || to.Add(week).Before(asOf) {
			continue // the history stops recording it before the as-of date
		}
		u.Reset(o.Seed, math.MaxUint32, uint64(t))
		samples := baselineSamples(u, series(weekly, t, asOf, from), name, pipe, o.Horizon, o.Trials)
		forecasts := forecastsIn(samples)
		w := combineWeights(func(m Method) bool { return m == Model || forecasts(m) }, res.Outcomes, name, asOf, o.Horizon)
		if w == nil {
			continue
		}
		for _, b := range pooled[1:] {
			if w[b] == 0 {
				continue
			}
			x := finiteSorted(samples[b])
			if len(x) == 0 {
				return errors.New("backtest: a baseline's forecast has no finite value")
			}
			c := &model.Combination{Baseline: Methods[b], Weight: w[b], Quantiles: make([]float64, combineQuantiles)}
			for j := range c.Quantiles {
				c.Quantiles[j] = math.Max(model.QuantileOf(x, (float64(j)+0.5)/combineQuantiles), 0)
			}
			r.Combination = c
		}
	}
	return nil
}
