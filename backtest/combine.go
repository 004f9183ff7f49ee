package backtest

import (
	"math"
	"slices"
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// pooled are the methods the combination weighs: the model and the
// baselines (the recalibrated model is the model again).
var pooled = []Method{Model, Naive, Seasonal, RunRate, ETS, Pipeline}

const (
	// combineMinOrigins is the fewest past forecasts, ended, that the
	// combination learns its weights from; with fewer, it is the model.
	combineMinOrigins = 4
	// combinePriorQuarters is the weight, in non-overlapping quarters, of
	// the model alone: weights learned over q of them are shrunk toward
	// the model's by q/(q + combinePriorQuarters).
	combinePriorQuarters = 4
	// combineGrid is the step of the grid of weights searched.
	combineGrid = 10
)

// keepMethods records in o each pooled method's forecast at QuantileLevels
// (nil where it does not forecast), for later combinations to learn from.
func keepMethods(o *Outcome, samples [][]float64) {
	o.Methods = make([][]float64, len(Methods))
	for _, m := range pooled {
		x := finiteSorted(samples[m])
		if len(x) == 0 {
			continue
		}
		q := make([]float64, len(QuantileLevels))
		for k, p := range QuantileLevels {
			q[k] = model.QuantileOf(x, p)
		}
		o.Methods[m] = q
	}
}

// combined is the forecast of target at origin as a combination of the
// model and one baseline: their quantile average (Vincentization), with
// the baseline and the weights learned on the outcomes whose forecast
// quarter had ended by then (no look-ahead) and shrunk toward the model
// (combineWeights). It is the model's forecast where fewer than
// combineMinOrigins past outcomes are known.
func combined(samples [][]float64, outcomes []Outcome, target string, origin time.Time, horizon, n int) []float64 {
	w := combineWeights(forecastsIn(samples), outcomes, target, origin, horizon)
	if w == nil {
		return slices.Clone(samples[Model])
	}
	sorted := make([][]float64, len(Methods))
	for _, m := range pooled {
		if w[m] > 0 {
			sorted[m] = finiteSorted(samples[m])
		}
	}
	out := make([]float64, n)
	for i := range out {
		p := (float64(i) + 0.5) / float64(n)
		for _, m := range pooled {
			if w[m] > 0 {
				out[i] += w[m] * model.QuantileOf(sorted[m], p)
			}
		}
	}
	return out
}

// forecastsIn reports, for each method, whether samples holds a forecast
// of it: a finite value.
func forecastsIn(samples [][]float64) func(Method) bool {
	return func(m Method) bool {
		return slices.ContainsFunc(samples[m], func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) })
	}
}

// combineWeights learns the combination's weights from the past outcomes
// of the target: of the pooled baselines that forecast it now and at
// every past outcome, the one whose past forecasts had the least pinball
// loss over QuantileLevels (a discrete CRPS); then the weights of the
// model and that baseline, in tenths, with the least loss of their
// quantile average; then shrunk toward the model by q/(q + 4), q the
// non-overlapping quarters the past forecasts span. Nil with too few.
// (Weighing every baseline at once, or shrinking by the count of past
// forecasts rather than the quarters, did worse on the corpus:
// docs/ACCURACY.md.)
func combineWeights(forecasts func(Method) bool, outcomes []Outcome, target string, origin time.Time, horizon int) []float64 {
	var past []Outcome
	for _, o := range outcomes {
		if o.Target == target && o.Methods != nil && !o.Origin.Add(time.Duration(horizon)*week).After(origin) {
			past = append(past, o)
		}
	}
	if len(past) < combineMinOrigins {
		return nil
	}
	var avail []Method
	for _, m := range pooled {
		ok := forecasts(m)
		for _, o := range past {
			ok = ok && o.Methods[m] != nil
		}
		if ok {
			avail = append(avail, m)
		}
	}
	if len(avail) < 2 || avail[0] != Model {
		return nil
	}
	// The model and the one baseline whose past forecasts scored best.
	top, topLoss := avail[1], pastLoss(past, avail[1:2], []int{1}, 1)
	for _, m := range avail[2:] {
		if loss := pastLoss(past, []Method{m}, []int{1}, 1); loss < topLoss {
			top, topLoss = m, loss
		}
	}
	avail = []Method{Model, top}
	var best []int
	bestLoss := math.Inf(1)
	eachSplit(len(avail), combineGrid, func(parts []int) {
		if loss := pastLoss(past, avail, parts, combineGrid); best == nil || loss < bestLoss-1e-12*bestLoss {
			best, bestLoss = slices.Clone(parts), loss
		}
	})
	if best == nil {
		return nil // no finite loss: outcomes the past forecasts cannot score
	}
	quarters := spannedQuarters(past, horizon)
	shrink := quarters / (quarters + combinePriorQuarters)
	w := make([]float64, len(Methods))
	for j, m := range avail {
		w[m] = shrink * float64(best[j]) / combineGrid
	}
	w[Model] += 1 - shrink
	return w
}

// pastLoss is the pinball loss over QuantileLevels, summed over the past
// outcomes, of the quantile average of methods with weights parts/total.
func pastLoss(past []Outcome, methods []Method, parts []int, total int) float64 {
	loss := 0.0
	for _, o := range past {
		for k, p := range QuantileLevels {
			q := 0.0
			for j, m := range methods {
				q += float64(parts[j]) / float64(total) * o.Methods[m][k]
			}
			loss += pinball(q, o.Actual, p)
		}
	}
	return loss
}

// spannedQuarters is how many non-overlapping horizons the past outcomes'
// origins span, at most their number.
func spannedQuarters(past []Outcome, horizon int) float64 {
	first, last := past[0].Origin, past[0].Origin
	for _, o := range past {
		if o.Origin.Before(first) {
			first = o.Origin
		}
		if o.Origin.After(last) {
			last = o.Origin
		}
	}
	return math.Min(float64(len(past)), math.Floor(last.Sub(first).Hours()/(24*7)/float64(horizon))+1)
}

// pinball is the pinball loss of quantile q at level p for outcome y.
func pinball(q, y, p float64) float64 {
	if y >= q {
		return p * (y - q)
	}
	return (1 - p) * (q - y)
}

// eachSplit calls f with every way of splitting total into k whole parts
// (compositions), the first part varying slowest.
func eachSplit(k, total int, f func([]int)) {
	parts := make([]int, k)
	var rec func(i, left int)
	rec = func(i, left int) {
		if i == k-1 {
			parts[i] = left
			f(parts)
			return
		}
		for x := left; x >= 0; x-- {
			parts[i] = x
			rec(i+1, left-x)
		}
	}
	rec(0, total)
}
