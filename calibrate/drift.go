package calibrate

import (
	"math"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/model"
)

// driftQuarters bound the entry quarters that test a stage's conversion
// for a drift: at least minDriftQuarters with advances expected, at most
// the last maxDriftQuarters; driftZ is the rank test's least |z|, and
// maxDrift the most a drift may scale a stage's advances.
const (
	minDriftQuarters = 6
	maxDriftQuarters = 8
	driftZ           = 2.0
	maxDrift         = 2.0
)

// conversionDrift finds, per stage, a conversion that drifts over the
// quarters, as a business's lead quality or sales process changes:
// the stays are grouped by the quarter they entered the stage in, and
// each quarter's recorded advances (or wins) within 13 weeks of entry are
// set against those the model's own hazards expect of its stays over the
// same weeks, given how long each stayed or is still open (the
// standardised ratio, which open stays do not bias).
// Where the Mann–Kendall test finds a trend over the quarters in the
// stages' mean log ratio (|z| > driftZ), each stage's log-linear fit of
// its ratios (driftFactor) gives the ratio at the as-of date and half the
// horizon on, and that scales the stage's advances, so that its hazards
// forecast from today's conversion rather than the window's average. It
// returns the factor per stage (1 for none).
func conversionDrift(h *History, m *model.Model, o *Options) []float64 {
	nS := len(h.Stages)
	out := make([]float64, len(m.Stages))
	for s := range out {
		out[s] = 1
	}
	const q = 13 * week
	from := o.AsOf.Add(-maxDriftQuarters * q)
	if w := findWindows(h, o, o.Bands); w.EventsFrom.After(from) {
		from = w.EventsFrom
	}
	hz := newHazardTable(m)
	obs := make([][]float64, len(m.Stages))
	exp := make([][]float64, len(m.Stages))
	for s := range obs {
		obs[s], exp[s] = make([]float64, maxDriftQuarters), make([]float64, maxDriftQuarters)
	}
	for i := range h.Leads {
		l := &h.Leads[i]
		if !l.Created().Before(o.AsOf) {
			continue
		}
		walkStays(l, o.AsOf, nS, func(s int, entry, exit time.Time, kind int) {
			if entry.Before(from) || s >= len(m.Stages) {
				return
			}
			k := int(o.AsOf.Sub(entry) / q)
			if k >= maxDriftQuarters {
				return
			}
			// Each stay counts over its first quarter in the stage only,
			// so that old entries, open longer, do not weigh the late age
			// bands more than new ones.
			stay := exit.Sub(entry)
			if o.StaleAfter > 0 && stay > o.StaleAfter {
				stay = o.StaleAfter
				kind = nS + 1
			}
			if stay > q {
				stay, kind = q, -1
			}
			exp[s][k] += hz.cumAdvance(s, l.Channel, stay.Hours()/168)
			if kind > s && kind <= nS {
				obs[s][k]++
			}
		})
	}
	// One test for the funnel: the mean over the stages of each
	// quarter's log ratio, so that six stages are not six chances of a
	// drift found by luck; then each stage's own fit, shrunk.
	var qx, qy []float64
	for k := range maxDriftQuarters {
		var sum, n float64
		for s := range obs {
			if exp[s][k] >= 1 && obs[s][k] > 0 {
				sum += math.Log(obs[s][k] / exp[s][k])
				n++
			}
		}
		if n > 0 {
			qx, qy = append(qx, -float64(k)), append(qy, sum/n)
		}
	}
	if len(qx) < minDriftQuarters || math.Abs(mannKendall(qx, qy)) <= driftZ {
		return out
	}
	for s := range out {
		var x, y, w []float64
		for k := range maxDriftQuarters {
			if exp[s][k] < 1 || obs[s][k] == 0 {
				continue
			}
			// The log ratio's variance is about 1/advances (Poisson).
			x, y, w = append(x, -float64(k)), append(y, math.Log(obs[s][k]/exp[s][k])), append(w, obs[s][k])
		}
		if len(x) >= minDriftQuarters {
			out[s] = driftFactor(x, y, w, 0.5+float64(o.HorizonWeeks)/26)
		}
	}
	return out
}

// driftFactor is the ratio that the weighted log-linear fit of the
// quarters' log ratios y at x (quarters from the as-of date, weights the
// inverse of their variances) gives at `at`, shrunk toward 1 by its own
// uncertainty: the log is multiplied by max(0, 1 − se²/log²), se its
// standard error with the residuals' overdispersion, so that a drift the
// quarters barely show moves the forecast little. It stays within
// [1/maxDrift, maxDrift].
func driftFactor(x, y, w []float64, at float64) float64 {
	a, b := stat.LinearRegression(x, y, w, false)
	var sw, swx, sxx, chi float64
	mx := stat.Mean(x, w)
	for i := range x {
		r := y[i] - a - b*x[i]
		chi += w[i] * r * r
		sw += w[i]
		swx += w[i] * x[i]
		sxx += w[i] * (x[i] - mx) * (x[i] - mx)
	}
	disp := math.Max(1, chi/float64(len(x)-2))
	se := math.Sqrt(disp * (1/sw + (at-mx)*(at-mx)/sxx))
	l := a + b*at
	if l == 0 {
		return 1
	}
	l *= math.Max(0, 1-se*se/(l*l))
	return math.Min(math.Max(math.Exp(l), 1/maxDrift), maxDrift)
}

// cumAdvance is the advance hazard a lead of the channel accumulates over
// its first weeks in stage s.
func (t *hazardTable) cumAdvance(s int, channel string, weeks float64) float64 {
	c := t.channel(s, channel)
	sum := 0.0
	for b, lo := range t.bands {
		if b >= len(t.adv[s][c]) || weeks <= float64(lo) {
			break
		}
		hi := weeks
		if b+1 < len(t.bands) {
			hi = math.Min(hi, float64(t.bands[b+1]))
		}
		sum += t.adv[s][c][b] * (hi - float64(lo))
	}
	return sum
}

// applyDrift scales each stage's advances by its drift factor.
func applyDrift(m *model.Model, f []float64) {
	for s := range m.Stages {
		if f[s] == 1 {
			continue
		}
		for c := range m.Stages[s].Exits {
			for k := range m.Stages[s].Exits[c].Bands {
				m.Stages[s].Exits[c].Bands[k].Advance *= f[s]
			}
		}
	}
}
