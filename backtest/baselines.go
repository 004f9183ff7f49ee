package backtest

import "github.com/funnelsim/funnelsim/model/rng"

// The baselines forecast a target from its own weekly series, y[k] being
// the value k whole weeks before the origin, over the weeks the history
// records the target.

// laggedSample is a naive forecast: the quarter lag weeks before the one
// forecast (lag = horizon: the last quarter, the naive; lag = 52: the same
// quarter last year, the seasonal naive), times a change drawn at random
// from the changes over lag weeks the series has shown, quarter by quarter
// at every week back. With no change to draw from, it is the quarter
// itself. It returns nil when y is shorter than the lag.
func laggedSample(st *rng.Stream, y []float64, horizon, lag, n int) []float64 {
	if len(y) < lag {
		return nil
	}
	quarter := func(end int) float64 { // the horizon weeks from end weeks back
		var s float64
		for j := end; j < end+horizon && j < len(y); j++ {
			s += y[j]
		}
		return s
	}
	base := quarter(lag - horizon)
	var ratios []float64
	for k := 0; k+lag+horizon <= len(y); k++ {
		if a, b := quarter(k), quarter(k+lag); a > 0 && b > 0 {
			ratios = append(ratios, a/b)
		}
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = base
		if len(ratios) > 0 {
			out[i] *= ratios[int(st.Uniform()*float64(len(ratios)))]
		}
	}
	return out
}

// runRateSample sums horizon weeks drawn at random from the trailing
// weeks (at most 26), so that the weeks' own spread carries into the
// quarter.
func runRateSample(st *rng.Stream, y []float64, horizon, n int) []float64 {
	y = y[:min(len(y), 26)]
	out := make([]float64, n)
	if len(y) == 0 {
		return out
	}
	for i := range out {
		for range horizon {
			out[i] += y[int(st.Uniform()*float64(len(y)))]
		}
	}
	return out
}

// etsBaseline is the damped-trend exponential smoothing of the last two
// years of the weekly series (etsSample).
func etsBaseline(st *rng.Stream, y []float64, horizon, n int) []float64 {
	y = y[:min(len(y), 104)]
	old := make([]float64, len(y)) // oldest first
	for k, v := range y {
		old[len(y)-1-k] = v
	}
	return etsSample(st, old, horizon, n)
}
