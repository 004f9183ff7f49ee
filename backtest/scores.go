package backtest

import (
	"math"
	"slices"

	"github.com/funnelsim/funnelsim/model"
)

// CRPS is the continuous ranked probability score of the sample forecast
// xs for outcome y: E|X − y| − ½E|X − X'|, from the sorted sample in
// O(n log n). Lower is better; for a point forecast it is the absolute
// error.
func CRPS(xs []float64, y float64) float64 {
	x := finiteSorted(xs)
	n := float64(len(x))
	if n == 0 {
		return math.NaN()
	}
	var abs, spread float64
	for i, v := range x {
		abs += math.Abs(v - y)
		spread += (2*float64(i+1) - n - 1) * v
	}
	return abs/n - spread/(n*n)
}

// PIT is the randomized probability integral transform of y under the
// sample xs: P(X < y) + u·P(X = y), uniform on (0, 1) when y is drawn from
// the forecast distribution, even a discrete one.
func PIT(xs []float64, y, u float64) float64 {
	var below, equal, n float64
	for _, v := range xs {
		if math.IsNaN(v) {
			continue
		}
		n++
		switch {
		case v < y:
			below++
		case v == y:
			equal++
		}
	}
	return (below + u*equal) / n
}

// Covers reports whether y lies in the central interval of the sample
// holding share p of it.
func Covers(xs []float64, y, p float64) bool {
	x := finiteSorted(xs)
	if len(x) == 0 {
		return false
	}
	return y >= model.QuantileOf(x, (1-p)/2) && y <= model.QuantileOf(x, (1+p)/2)
}

func finiteSorted(xs []float64) []float64 {
	x := make([]float64, 0, len(xs))
	for _, v := range xs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			x = append(x, v)
		}
	}
	slices.Sort(x)
	return x
}

// M5Quantiles are the quantiles of the M5 uncertainty competition, at
// which Pinball scores a forecast.
var M5Quantiles = []float64{0.005, 0.025, 0.165, 0.25, 0.5, 0.75, 0.835, 0.975, 0.995}

// Pinball is the mean pinball (quantile) loss of the sample's quantiles at
// M5Quantiles for outcome y: for quantile q at level τ, (y − q)·τ when y ≥
// q, else (q − y)·(1 − τ). Lower is better.
func Pinball(xs []float64, y float64) float64 {
	x := finiteSorted(xs)
	if len(x) == 0 {
		return math.NaN()
	}
	total := 0.0
	for _, tau := range M5Quantiles {
		q := model.QuantileOf(x, tau)
		if y >= q {
			total += (y - q) * tau
		} else {
			total += (q - y) * (1 - tau)
		}
	}
	return total / float64(len(M5Quantiles))
}

// KSUniform is the Kolmogorov–Smirnov distance of the sample p from the
// uniform distribution on (0, 1): how far PIT values are from flat.
func KSUniform(p []float64) float64 {
	x := finiteSorted(p)
	n := float64(len(x))
	d := 0.0
	for i, v := range x {
		d = math.Max(d, math.Max(float64(i+1)/n-v, v-float64(i)/n))
	}
	return d
}
