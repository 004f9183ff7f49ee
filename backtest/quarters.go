package backtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/fiscal"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
	"github.com/funnelsim/funnelsim/quarter"
)

// QuarterOptions say how to backtest quarter-end forecasts: at Offsets
// weeks into each fiscal quarter of the history, the quarter's totals
// (booked to the origin plus the forecast of the rest) against what the
// quarter ended with.
type QuarterOptions struct {
	// Calibrate is how each origin's model is calibrated; its AsOf is set
	// to the origin.
	Calibrate calibrate.Options
	Calendar  fiscal.Calendar
	// Offsets are the weeks into each quarter the forecasts are made
	// (default 0, 4 and 8).
	Offsets []int
	// TrainWeeks is the least history before an origin (default 26).
	TrainWeeks int
	Trials     int // trials per forecast (default 2000)
	Seed       uint64
	Workers    int
	// Progress, if set, is called after each origin with the origins done
	// and their number.
	Progress func(done, total int)
}

func (o *QuarterOptions) defaults() {
	if o.Offsets == nil {
		o.Offsets = []int{0, 4, 8}
	}
	if o.TrainWeeks == 0 {
		o.TrainWeeks = 26
	}
	if o.Trials == 0 {
		o.Trials = 2000
	}
}

// QuarterMethods are the quarter-end forecasts scored: the model's, and
// two baselines for the rest of the quarter added to what was booked:
// naive (the same number of weeks just before the origin, times a change
// the history has shown) and run-rate (trailing weeks resampled).
var QuarterMethods = []string{"model", "naive", "run-rate"}

// QuarterOutcome is one target's quarter-end forecast from one origin,
// scored: what was booked by the origin, what the quarter ended with, and
// each of QuarterMethods' scores.
type QuarterOutcome struct {
	Quarter string
	Offset  int
	Origin  time.Time
	Target  string
	Booked  float64
	Actual  float64
	Scores  []Score
}

// QuarterResult is a quarter-aligned backtest's outcomes.
type QuarterResult struct {
	Targets  []string
	Offsets  []int
	Outcomes []QuarterOutcome
	Notes    []string
}

// RunQuarters backtests quarter-end forecasts on the history: every fiscal
// quarter that ends inside it, with TrainWeeks of history before its
// first origin, is forecast from each offset into it.
func RunQuarters(ctx context.Context, h *calibrate.History, o QuarterOptions) (*QuarterResult, error) {
	o.defaults()
	if len(h.Leads) == 0 {
		return nil, errors.New("backtest: no leads in the history")
	}
	first, last := span(h)
	end := last.Truncate(24 * time.Hour).Add(24 * time.Hour)
	win := calibrate.FindWindows(h, calibrate.Options{EventsFrom: o.Calibrate.EventsFrom, LeadsUntil: o.Calibrate.LeadsUntil})
	type origin struct {
		q      fiscal.Quarter
		offset int
		at     time.Time
	}
	var origins []origin
	for q := o.Calendar.Of(first); !q.End.After(end); q = o.Calendar.Next(q) {
		for _, k := range o.Offsets {
			at := q.Start.AddDate(0, 0, 7*k)
			if at.Sub(first) >= time.Duration(o.TrainWeeks)*week && at.Before(q.End) {
				origins = append(origins, origin{q, k, at})
			}
		}
	}
	if len(origins) == 0 {
		return nil, fmt.Errorf("backtest: the history (%s to %s) holds no whole quarter with %d weeks of history before it", first.Format(time.DateOnly), end.Format(time.DateOnly), o.TrainWeeks)
	}
	res := &QuarterResult{Offsets: o.Offsets}
	outside := map[string]int{}
	u := rng.NewStream()
	for i, or := range origins {
		co := o.Calibrate
		co.AsOf = or.at
		sub := *h
		sub.Report = &calibrate.Report{}
		m, err := calibrate.Estimate(ctx, &sub, co)
		if err != nil {
			return nil, fmt.Errorf("backtest: origin %s: %w", or.at.Format(time.DateOnly), err)
		}
		if res.Targets == nil {
			res.Targets = targets(m, h, &res.Notes)
		}
		w, err := quarter.NewWindow(m, or.q)
		if err != nil {
			return nil, fmt.Errorf("backtest: origin %s: %w", or.at.Format(time.DateOnly), err)
		}
		ro := model.Options{Trials: o.Trials, Seed: o.Seed + uint64(i), Workers: o.Workers}
		w.Options(&ro)
		r, err := model.Run(ctx, m, ro)
		if err != nil {
			return nil, fmt.Errorf("backtest: origin %s: %w", or.at.Format(time.DateOnly), err)
		}
		if o.Progress != nil {
			o.Progress(i+1, len(origins))
		}
		booked := h.Tally(or.q.Start, or.at)
		actual := h.Tally(or.q.Start, or.q.End)
		weekly := weeklyCounts(h, or.at, min(int(or.at.Sub(first)/week), maxSeriesWeeks))
		rest := w.Weeks
		wins, rev := w.Rest(r)
		for t, name := range res.Targets {
			k := min(t, len(h.Stages))
			if from, to := win.Target(k); from.IsZero() || or.q.Start.Before(from.Truncate(24*time.Hour)) || or.q.End.After(to.Add(week)) {
				outside[name]++
				continue
			}
			var fc []float64
			switch name {
			case "wins":
				fc = wins
			case "revenue":
				fc = rev
			default:
				fc, _ = r.Metric(name)
			}
			from, _ := win.Target(k)
			y := make([]float64, min(len(weekly), int(or.at.Sub(from)/week)))
			for j := range y {
				y[j] = weekly[j].value(t)
			}
			b := tally(booked).value(t)
			u.Reset(o.Seed, uint64(i), uint64(t))
			samples := [][]float64{fc, laggedSample(u, y, rest, rest, o.Trials), runRateSample(u, y, rest, o.Trials)}
			out := QuarterOutcome{Quarter: or.q.String(), Offset: or.offset, Origin: or.at, Target: name, Booked: b, Actual: tally(actual).value(t)}
			for _, xs := range samples {
				shifted := make([]float64, len(xs))
				for j, x := range xs {
					shifted[j] = b + x
				}
				if xs == nil {
					shifted = nil
				}
				out.Scores = append(out.Scores, score(shifted, out.Actual, u.Uniform()))
			}
			res.Outcomes = append(res.Outcomes, out)
		}
	}
	for _, name := range res.Targets {
		if n := outside[name]; n > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %d origins not scored: their quarter is not inside the span where the history records %s", name, n, name))
		}
	}
	return res, nil
}

// targets are the backtest's targets for models like m: each stage's
// entries, wins and, where the history has amounts, revenue.
func targets(m *model.Model, h *calibrate.History, notes *[]string) []string {
	var out []string
	for _, st := range m.Stages {
		out = append(out, st.MetricName())
	}
	out = append(out, "wins")
	if amounts(h) {
		return append(out, "revenue")
	}
	*notes = append(*notes, "revenue is not scored: no won deal in the history has an amount")
	return out
}

// QuarterSummary is one target's quarter-end forecasts from one offset
// into the quarter: how many, the model's 80% coverage with its binomial
// band, its CRPS scaled by the mean outcome, the median absolute error of
// its median as a share of the outcome, and its CRPS skill against each
// baseline (1 - model/baseline; positive: the model is better).
type QuarterSummary struct {
	Target      string
	Offset      int
	N           int
	Covered     int
	Lo, Hi      int
	Scaled      float64
	MedianError float64
	Skill       []float64 // per baseline of QuarterMethods[1:]
}

// Summary summarises the outcomes by target and offset.
func (r *QuarterResult) Summary() []QuarterSummary {
	var out []QuarterSummary
	for _, name := range r.Targets {
		for _, k := range r.Offsets {
			s := QuarterSummary{Target: name, Offset: k, Skill: make([]float64, len(QuarterMethods)-1)}
			var crps, mean float64
			var errs []float64
			own, base := make([]float64, len(QuarterMethods)), make([]float64, len(QuarterMethods))
			for _, o := range r.Outcomes {
				if o.Target != name || o.Offset != k {
					continue
				}
				s.N++
				if o.Scores[0].Cover80 {
					s.Covered++
				}
				crps += o.Scores[0].CRPS
				mean += o.Actual
				if o.Actual > 0 {
					errs = append(errs, math.Abs(o.Scores[0].P50-o.Actual)/o.Actual)
				}
				for j, sc := range o.Scores[1:] {
					if !math.IsNaN(sc.CRPS) {
						own[j] += o.Scores[0].CRPS
						base[j] += sc.CRPS
					}
				}
			}
			if s.N == 0 {
				continue
			}
			s.Lo, s.Hi = CoverageBand(s.N, 0.8)
			s.Scaled = crps / mean
			s.MedianError = median(errs)
			for j := range s.Skill {
				s.Skill[j] = math.NaN()
				if base[j] > 0 {
					s.Skill[j] = 1 - own[j]/base[j]
				}
			}
			out = append(out, s)
		}
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := finiteSorted(xs)
	return model.QuantileOf(s, 0.5)
}
