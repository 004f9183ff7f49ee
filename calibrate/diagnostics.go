package calibrate

import (
	"cmp"
	"errors"
	"slices"
)

// ObservedAdvance returns, per stage, the share of leads entering it that
// advanced within w weeks, for w = 0..weeks, estimated from the history
// without any model: the Aalen–Johansen estimate of the cumulative
// incidence of advancing, with losses as the competing risk and leads still
// open censored, over the same stays (and the same as-of and stale rule)
// as Estimate counts. It is the history's side of the calibration
// diagnostic, to set against model.CumulativeAdvance.
func ObservedAdvance(h *History, o Options, weeks int) ([][]float64, error) {
	if len(h.Leads) == 0 {
		return nil, errors.New("calibrate: no usable leads in the history")
	}
	o.defaults(h)
	e := newEstimator(h, &o)
	type stay struct {
		t   float64
		how exit
	}
	stays := make([][]stay, len(h.Stages))
	e.record = func(s int, t float64, how exit) { stays[s] = append(stays[s], stay{t, how}) }
	for i := range h.Leads {
		e.lead(&h.Leads[i])
	}
	out := make([][]float64, len(h.Stages))
	for s, list := range stays {
		slices.SortFunc(list, func(a, b stay) int { return cmp.Compare(a.t, b.t) })
		out[s] = make([]float64, weeks+1)
		atRisk := float64(len(list))
		surv, f := 1.0, 0.0
		w := 1
		for i := 0; i < len(list); {
			t := list[i].t
			for w <= weeks && float64(w) < t {
				out[s][w] = f
				w++
			}
			var nAdv, left float64
			j := i
			for ; j < len(list) && list[j].t == t; j++ {
				if list[j].how != censored {
					left++
				}
				if list[j].how == adv {
					nAdv++
				}
			}
			if atRisk > 0 {
				f += surv * nAdv / atRisk
				surv *= 1 - left/atRisk
			}
			atRisk -= float64(j - i)
			i = j
		}
		for ; w <= weeks; w++ {
			out[s][w] = f
		}
	}
	return out, nil
}
