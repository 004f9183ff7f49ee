package calibrate

import (
	"math"
	"slices"
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// halfLives are the recency half-lives, in weeks, that chooseHalfLives
// tries; +Inf weighs every stay alike.
var halfLives = []float64{math.Inf(1), 52, 26, 13}

// holdoutWeeks is the span whose stage exits choose the half-life, and
// recencyGain the log likelihood a half-life must gain there over
// weighing every stay alike.
const (
	holdoutWeeks = 13
	recencyGain  = 1.92
)

// chooseHalfLives chooses each stage's recency half-life of the hazards
// by a rolling-origin test inside the history: calibrated as of
// holdoutWeeks before o.AsOf with each candidate half-life, which hazards
// best forecast the stage's exits of the weeks after, given the exposure
// then (Poisson log likelihood, band by band, summed over causes and
// channels)? The exits and exposure of those weeks are the difference of
// the statistics as of o.AsOf and as of the inner origin. Without enough
// history, or unless a half-life is clearly better (recencyGain), every
// stay counts alike.
func chooseHalfLives(h *History, o Options) []float64 {
	best := make([]float64, len(h.Stages))
	for s := range best {
		best[s] = math.Inf(1)
	}
	// The candidates differ only in their stage hazards: no spend to fit,
	// a deal size assumed so that a history without amounts calibrates,
	// and the windows as of o.AsOf for all, so that the statistics before
	// and after the inner origin are counted alike.
	full := o
	full.HazardHalfLife = math.Inf(1)
	full.Spend = nil
	full.DealSize = math.Max(o.DealSize, 1)
	if w := findWindows(h, &o, o.Bands); !w.EventsFrom.IsZero() {
		full.EventsFrom = w.EventsFrom
	}
	inner := full
	inner.AsOf = o.AsOf.Add(-holdoutWeeks * 7 * 24 * time.Hour)
	before, err := estimateQuiet(h, inner)
	if err != nil {
		return best
	}
	after, err := estimateQuiet(h, full)
	if err != nil {
		return best
	}
	bestLL := make([]float64, len(best))
	for s := range bestLL {
		bestLL[s] = math.Inf(-1)
	}
	for _, hl := range halfLives {
		fit := before
		if !math.IsInf(hl, 1) {
			o := inner
			o.HazardHalfLife = hl
			if fit, err = estimateQuiet(h, o); err != nil {
				continue
			}
		}
		for s := range best {
			// A finite half-life must beat weighing all stays alike by
			// more than recencyGain, the likelihood ratio a significant
			// extra parameter gives (χ²₁ at 95%, halved).
			gain := 0.0
			if !math.IsInf(hl, 1) {
				gain = recencyGain
			}
			if ll := holdoutLL(fit, before, after, s) - gain; ll > bestLL[s]+1e-9 {
				best[s], bestLL[s] = hl, ll
			}
		}
	}
	return best
}

// estimateQuiet calibrates with a report of its own, so that the
// candidates' warnings stay out of the caller's.
func estimateQuiet(h *History, o Options) (*model.Model, error) {
	sub := *h
	sub.Report = &Report{}
	return estimate(&sub, o)
}

// holdoutLL is the Poisson log likelihood of stage s's exits between the
// inner origin (statistics before) and the as-of date (after), at the
// hazards of fit, each a Gamma posterior mean with a weak prior.
func holdoutLL(fit, before, after *model.Model, s int) float64 {
	ll := 0.0
	for c := range fit.Stages[s].Exits {
		f, b, a := fit.Stages[s].Exits[c].Bands, before.Stages[s].Exits[c].Bands, after.Stages[s].Exits[c].Bands
		for k := range f {
			e := a[k].Exposure - b[k].Exposure
			if e <= 0 {
				continue
			}
			for _, x := range [][2]float64{{f[k].Advance, a[k].Advance - b[k].Advance}, {f[k].Lost, a[k].Lost - b[k].Lost}} {
				lambda := (x[0] + 0.01) / (f[k].Exposure + 0.1)
				ll += x[1]*math.Log(lambda*e) - lambda*e
			}
		}
	}
	return ll
}

// deriveStale is the stale rule's time derived from the history as known
// at asOf: the 95th percentile of the stays in a stage that ended before
// it, rounded up to whole weeks, at least 4 weeks.
func deriveStale(h *History, asOf time.Time) time.Duration {
	var stays []float64
	nS := len(h.Stages)
	for i := range h.Leads {
		walkStays(&h.Leads[i], asOf, nS, func(_ int, entry, exit time.Time, kind int) {
			if kind >= 0 {
				stays = append(stays, exit.Sub(entry).Hours()/168)
			}
		})
	}
	weeks := 4.0
	if len(stays) > 0 {
		slices.Sort(stays)
		weeks = math.Max(weeks, math.Ceil(stays[int(0.95*float64(len(stays)-1))]))
	}
	return time.Duration(weeks) * 7 * 24 * time.Hour
}
