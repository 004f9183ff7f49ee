package calibrate

import (
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
)

// weeklySpend returns channel c's spend per arrival week (index k is k
// whole weeks back from the as-of date, as e.arrivals), with has[k] false
// for a week with no spend row. A row counts in the week that holds its
// midpoint (the day it starts plus three and a half days).
func (e *estimator) weeklySpend(c int) (x []float64, has []bool) {
	x, has = make([]float64, e.window), make([]bool, e.window)
	if e.o.Spend == nil {
		return x, has
	}
	name := e.channels[c]
	for _, r := range e.o.Spend.Rows {
		if r.Channel != name {
			continue
		}
		mid := r.Week.Add(week / 2)
		if !mid.Before(e.o.AsOf) {
			continue
		}
		if k := int(e.o.AsOf.Sub(mid) / week); k < e.window {
			x[k] += r.Amount
			has[k] = true
		}
	}
	return x, has
}

// minSpendWeeks is the fewest weeks of spend that a response is fitted on,
// and minSpendCV the least spread of spend that identifies one.
const (
	minSpendWeeks = 8
	minSpendCV    = 0.05
)

// defaultResponse is the curve assumed where spend data do not identify
// one: every lead bought, and the current spend a third of the way to
// saturation (HalfSpend twice the spend).
func defaultResponse(leads, spend float64) *model.Response {
	return &model.Response{Max: 3 * leads, HalfSpend: 2 * spend, Source: "default"}
}

// fitResponse fits μ_k = (b + M·x_k/(x_k + K))·f_k to weekly arrivals y_k
// at spend x_k (f_k the trend's factor), by the maximum of the negative
// binomial likelihood (dispersion phi) with weak priors on the logs: K
// about the median spend (sd 1, for a curve bent within the data's range),
// b about half and M about twice the mean arrivals (sd 3). The covariance
// of (log b, log M, log K) is the inverse Hessian at the maximum (Laplace).
func fitResponse(y, x, f []float64, phi float64) (*model.Response, error) {
	ybar := stat.Mean(y, nil)
	med := slices.Clone(x)
	slices.Sort(med)
	xm := med[len(med)/2]
	if !(ybar > 0 && xm > 0) {
		return nil, errors.New("no leads or no spend")
	}
	prior := []struct{ mean, sd float64 }{{math.Log(ybar / 2), 3}, {math.Log(2 * ybar), 3}, {math.Log(xm), 1}}
	nlp := func(th []float64) float64 {
		b, m, k := math.Exp(th[0]), math.Exp(th[1]), math.Exp(th[2])
		v := 0.0
		for i := range y {
			mu := (b + m*x[i]/(x[i]+k)) * f[i]
			if math.IsInf(phi, 1) {
				v -= y[i]*math.Log(mu) - mu
			} else {
				v -= y[i]*math.Log(mu) - (y[i]+phi)*math.Log(phi+mu)
			}
		}
		for j, p := range prior {
			z := (th[j] - p.mean) / p.sd
			v += z * z / 2
		}
		return v
	}
	init := []float64{prior[0].mean, prior[1].mean, prior[2].mean}
	res, err := optimize.Minimize(optimize.Problem{Func: nlp}, init, &optimize.Settings{MajorIterations: 2000}, &optimize.NelderMead{})
	if err != nil && res == nil {
		return nil, err
	}
	th := res.X
	var h mat.SymDense
	fd.Hessian(&h, nlp, th, nil)
	var ch mat.Cholesky
	if !ch.Factorize(&h) {
		return nil, errors.New("the likelihood is flat: spend does not identify the curve")
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return nil, err
	}
	r := &model.Response{Base: math.Exp(th[0]), Max: math.Exp(th[1]), HalfSpend: math.Exp(th[2]), Source: "fitted"}
	for i := range 3 {
		row := make([]float64, 3)
		for j := range 3 {
			row[j] = cov.At(i, j)
		}
		r.Cov = append(r.Cov, row)
	}
	return r, nil
}

// MarginalCost returns the spend that buys one more weekly lead at the
// channel's current spend (1 / the response's slope), with its 90%
// interval from draws of the fit's Laplace approximation (draws of a
// default curve, which has none, give its point value). ok is false for a
// channel without a response.
func MarginalCost(ch model.Channel, draws int, st *rng.Stream) (cost, lo, hi float64, ok bool) {
	r := ch.Response
	if r == nil || ch.WeeklySpend <= 0 {
		return 0, 0, 0, false
	}
	x0 := ch.WeeklySpend
	cost = 1 / r.Marginal(x0)
	if len(r.Cov) != 3 {
		return cost, cost, cost, true
	}
	draw, ok := r.Sampler()
	if !ok {
		return cost, cost, cost, true
	}
	costs := make([]float64, draws)
	for i := range costs {
		d := draw(st)
		costs[i] = 1 / d.Marginal(x0)
	}
	slices.Sort(costs)
	return cost, model.QuantileOf(costs, 0.05), model.QuantileOf(costs, 0.95), true
}
