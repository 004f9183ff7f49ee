package backtest

import (
	"math"

	"gonum.org/v1/gonum/optimize"

	"github.com/funnelsim/funnelsim/model/rng"
)

// dampedTrend is additive damped-trend exponential smoothing, ETS(A,Ad,N)
// in the state-space form of Hyndman and Athanasopoulos, Forecasting:
// Principles and Practice, section 8.2 (the form R's forecast::ets fits):
//
//	ŷ_t = l_{t−1} + φ·b_{t−1}
//	l_t = ŷ_t + α·e_t
//	b_t = φ·b_{t−1} + β·e_t
//
// with e_t = y_t − ŷ_t the one-step error.
type dampedTrend struct {
	Alpha, Beta, Phi float64
	Level, Trend     float64 // the initial states l_0 and b_0
}

// smooth runs the recursions over y and returns the one-step forecasts
// ŷ_t and the final level and trend.
func (d dampedTrend) smooth(y []float64) (fitted []float64, level, trend float64) {
	level, trend = d.Level, d.Trend
	fitted = make([]float64, len(y))
	for t, v := range y {
		f := level + d.Phi*trend
		e := v - f
		fitted[t] = f
		level = f + d.Alpha*e
		trend = d.Phi*trend + d.Beta*e
	}
	return fitted, level, trend
}

// forecast returns the point forecasts h = 1..n steps after the states
// (level, trend): l + (φ + … + φ^h)·b.
func (d dampedTrend) forecast(level, trend float64, n int) []float64 {
	out := make([]float64, n)
	damp, acc := 1.0, 0.0
	for h := range out {
		damp *= d.Phi
		acc += damp
		out[h] = level + acc*trend
	}
	return out
}

// fitDampedTrend fits α, β and φ to y by least squares of the one-step
// errors (Nelder–Mead over a logistic transform that keeps 0 < β < α < 1
// and φ in [0.8, 0.98], the bounds of forecast::ets), from initial states
// that a least-squares line through the first ten values gives.
func fitDampedTrend(y []float64) dampedTrend {
	n := min(len(y), 10)
	var sx, sy, sxx, sxy float64
	for i := range n {
		x := float64(i + 1)
		sx, sy, sxx, sxy = sx+x, sy+y[i], sxx+x*x, sxy+x*y[i]
	}
	fn := float64(n)
	slope := 0.0
	if den := fn*sxx - sx*sx; den > 0 {
		slope = (fn*sxy - sx*sy) / den
	}
	base := dampedTrend{Level: sy/fn - slope*sx/fn, Trend: slope}
	logistic := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	params := func(x []float64) dampedTrend {
		d := base
		d.Alpha = 0.0001 + 0.9998*logistic(x[0])
		d.Beta = d.Alpha * logistic(x[1])
		d.Phi = 0.8 + 0.18*logistic(x[2])
		return d
	}
	sse := func(x []float64) float64 {
		fitted, _, _ := params(x).smooth(y)
		var s float64
		for t, f := range fitted {
			s += (y[t] - f) * (y[t] - f)
		}
		return s
	}
	x0 := []float64{-1, -2, 0} // α ≈ 0.27, β ≈ 0.03, φ ≈ 0.89
	res, err := optimize.Minimize(optimize.Problem{Func: sse}, x0, &optimize.Settings{FuncEvaluations: 2000}, &optimize.NelderMead{})
	if err != nil || res == nil {
		return params(x0)
	}
	return params(res.X)
}

// etsSample fits the damped trend to the weekly series y (oldest first)
// and draws n sums of the next horizon weeks by simulating the state
// equations with one-step errors resampled from the fit's own (a
// bootstrap, so the errors keep their shape); a week below zero counts
// as zero.
func etsSample(st *rng.Stream, y []float64, horizon, n int) []float64 {
	out := make([]float64, n)
	if len(y) < 4 {
		return out
	}
	d := fitDampedTrend(y)
	fitted, level, trend := d.smooth(y)
	resid := make([]float64, len(y))
	for t := range y {
		resid[t] = y[t] - fitted[t]
	}
	for i := range out {
		l, b := level, trend
		for range horizon {
			f := l + d.Phi*b
			e := resid[int(st.Uniform()*float64(len(resid)))]
			out[i] += math.Max(f+e, 0)
			l = f + d.Alpha*e
			b = d.Phi*b + d.Beta*e
		}
	}
	return out
}
