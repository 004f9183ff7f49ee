package backtest

import (
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/optimize"

	"github.com/funnelsim/funnelsim/model"
)

// QuantileLevels are the levels at which an Outcome keeps the model's
// forecast, for learning a recalibration from it: (k + ½)/40.
var QuantileLevels = func() []float64 {
	l := make([]float64, 40)
	for k := range l {
		l[k] = (float64(k) + 0.5) / float64(len(l))
	}
	return l
}()

const (
	// recalibrationMinOrigins is the fewest past forecasts a map is
	// learned from; with fewer, the forecast is left as it is.
	recalibrationMinOrigins = 4
	// recalibrationPriorQuarters is the weight, in non-overlapping
	// horizons, of doing nothing: a map learned over q of them is shrunk
	// toward the identity by q/(q + 8): a prior standard deviation of 0.25
	// on the log of the scale, whose estimate from q quarters has a
	// variance of about 1/(2q).
	recalibrationPriorQuarters = 8
)

// Learn learns the recalibration of every target from all the backtest's
// outcomes (see learnTarget), for forecasts over horizon weeks.
func Learn(res *Result, horizon int) *model.Recalibration {
	rc := &model.Recalibration{HorizonWeeks: horizon}
	for _, target := range res.Targets {
		var past []Outcome
		for _, o := range res.Outcomes {
			if o.Target == target {
				past = append(past, o)
			}
		}
		if len(past) > 0 {
			rc.Targets = append(rc.Targets, learnTarget(target, past, horizon))
		}
	}
	if len(res.Origins) > 0 {
		rc.Source = "backtest from " + res.Origins[0].Format(time.DateOnly) + " to " + res.Origins[len(res.Origins)-1].Format(time.DateOnly)
	}
	return rc
}

// learnTarget fits the map of one target (model.RecalibratedTarget) to
// the model's past forecasts of it and what happened: the scale and shift
// on the log scale that minimise the forecasts' mean pinball loss over
// QuantileLevels (a discrete CRPS), the minimum-CRPS fit of ensemble model
// output statistics (Gneiting et al., 2005), shrunk toward the identity
// by the number of non-overlapping horizons the forecasts span.
func learnTarget(target string, past []Outcome, horizon int) model.RecalibratedTarget {
	t := model.RecalibratedTarget{Target: target, Scale: 1, Origins: len(past)}
	if len(past) == 0 {
		return t
	}
	t.Quarters = spannedQuarters(past, horizon)
	if len(past) < recalibrationMinOrigins {
		return t
	}
	loss := func(x []float64) float64 {
		s, c := math.Exp(math.Abs(x[0])), x[1]
		var sum float64
		for _, o := range past {
			m := math.Log1p(math.Max(o.Median, 0))
			for k, q := range o.Quantiles {
				v := math.Max(math.Expm1(m+s*(math.Log1p(math.Max(q, 0))-m)+c), 0)
				tau := QuantileLevels[k]
				if o.Actual >= v {
					sum += tau * (o.Actual - v)
				} else {
					sum += (1 - tau) * (v - o.Actual)
				}
			}
		}
		return sum
	}
	x0 := []float64{0, 0}
	res, err := optimize.Minimize(optimize.Problem{Func: loss}, x0, &optimize.Settings{FuncEvaluations: 1000}, &optimize.NelderMead{})
	if err != nil || res == nil || !(res.F < loss(x0)) {
		return t
	}
	w := t.Quarters / (t.Quarters + recalibrationPriorQuarters)
	logS := math.Min(math.Abs(res.X[0]), math.Log(10))
	// Four decimals: finer is noise, and an identity stays one.
	t.Scale, t.Shift = math.Round(math.Exp(w*logS)*1e4)/1e4, math.Round(w*res.X[1]*1e4)/1e4
	return t
}

// recalibrated returns a copy of the forecast fc of target at origin,
// recalibrated on the outcomes whose forecast quarter had ended by then.
func recalibrated(fc []float64, outcomes []Outcome, target string, origin time.Time, horizon int) []float64 {
	out := slices.Clone(fc)
	recalTarget(outcomes, target, origin, horizon).Transform(out)
	return out
}

// recalTarget learns target's map at origin from the outcomes whose
// forecast quarter had ended by then.
func recalTarget(outcomes []Outcome, target string, origin time.Time, horizon int) model.RecalibratedTarget {
	var past []Outcome
	for _, o := range outcomes {
		if o.Target == target && !o.Origin.Add(time.Duration(horizon)*week).After(origin) {
			past = append(past, o)
		}
	}
	return learnTarget(target, past, horizon)
}

// keep records the model's forecast in o for later recalibrations: its
// quantiles at QuantileLevels and its median.
func keep(o *Outcome, fc []float64) {
	x := finiteSorted(fc)
	if len(x) == 0 {
		return
	}
	o.Quantiles = make([]float64, len(QuantileLevels))
	for k, p := range QuantileLevels {
		o.Quantiles[k] = model.QuantileOf(x, p)
	}
	// The median on the log scale, as RecalibratedTarget.Transform takes it.
	z := make([]float64, len(x))
	for i, v := range x {
		z[i] = math.Log1p(math.Max(v, 0))
	}
	o.Median = math.Expm1(model.QuantileOf(z, 0.5))
}
