package model

import (
	"math"
	"slices"
	"time"
)

// QuarterCycle is how closing varies over the fiscal quarter (the
// quarter-end push): for each month of the quarter (by the model's
// fiscal_year_start), a factor on the hazard of advancing from each stage
// from opportunity_stage on (Advance: to the next stage, or won), and one
// on the hazard of being lost from it (Loss). Calibration sets them only
// where the history shows the cycle clearly.
type QuarterCycle struct {
	Advance [3]float64 `yaml:"advance,flow"`
	Loss    [3]float64 `yaml:"loss,flow"`
}

// cycleWeek is one forecast week's factors of the quarter cycle on the
// hazards of advancing and of being lost.
type cycleWeek struct{ adv, loss float64 }

// apply is a cell's chances of leaving (p) and of advancing once it
// leaves (q) under the factors: its hazard λ = −log(1−p) splits into
// λq advancing and λ(1−q) lost, each scaled by its factor.
func (cw cycleWeek) apply(p, q float64) (leave, adv float64) {
	return leaveScaled(p, q*cw.adv+(1-q)*cw.loss), oddsScaled(q, cw.adv/cw.loss)
}

// compileCycle sets, for every week a run may take, the quarter cycle's
// factors of the month its middle day falls in; nil without a cycle.
func (p *plan) compileCycle() {
	c := p.m.QuarterCycle
	if c == nil {
		return
	}
	p.cycle = make([]cycleWeek, MaxWeeks)
	for t := range p.cycle {
		mid := p.m.AsOf.AddDate(0, 0, 7*t+3)
		k := MonthOfQuarter(p.m.FiscalYearStart, mid)
		p.cycle[t] = cycleWeek{adv: c.Advance[k], loss: c.Loss[k]}
	}
}

// MonthOfQuarter is 0, 1 or 2: the month of its fiscal quarter t is in,
// for a fiscal year that starts in month start (0 for January): the
// quarters are the months from the start in threes.
func MonthOfQuarter(start int, t time.Time) int {
	if start == 0 {
		start = 1
	}
	return (int(t.Month()) - start + 12) % 12 % 3
}

// leaveScaled is a week's chance of leaving p with the hazard multiplied
// by f.
func leaveScaled(p, f float64) float64 {
	if f == 1 || p <= 0 {
		return p
	}
	if p >= 1 {
		return 1
	}
	return -math.Expm1(f * math.Log1p(-p))
}

// oddsScaled is the chance q with its odds multiplied by f.
func oddsScaled(q, f float64) float64 {
	if f == 1 || q <= 0 || q >= 1 {
		return q
	}
	return f * q / (1 - q + f*q)
}

// cycled returns a stage and channel's cell rates with the quarter cycle
// of week t applied, in the worker's buffer.
func (w *worker) cycled(rates []cellRate, t int) []cellRate {
	cw := w.p.cycle[t]
	w.cyc = append(w.cyc[:0], rates...)
	for i := range w.cyc {
		r := &w.cyc[i]
		r.set(cw.apply(r.leave, r.adv))
	}
	return w.cyc
}

// cycledCopy is a copy of q with the quarter cycle's factors cw applied to
// the stages from the opportunity stage on: every cell's chances of leaving
// and advancing, and those of a lead entering mid-week (for Expect).
func (q *params) cycledCopy(p *plan, cw cycleWeek) *params {
	c, d := *q, *q.drawn
	c.drawn = &d // its own, for the fields set below
	c.cell, c.pEntry, c.pCascade, c.qAdv = slices.Clone(q.cell), slices.Clone(q.pEntry), slices.Clone(q.pCascade), slices.Clone(q.qAdv)
	for s := p.oppStage; s < p.nS; s++ {
		for ch := range p.nC {
			for k := p.hs(s, ch, 0); k < p.hs(s, ch, p.nSlot); k++ {
				r := &c.cell[k]
				r.set(cw.apply(r.leave, r.adv))
			}
			b := p.hz(s, ch, 0)
			qa := q.qAdv[b]
			c.pEntry[b], c.qAdv[b] = cw.apply(q.pEntry[b], qa)
			for from := range p.nS {
				i := (from*p.nS+s)*p.nC + ch
				c.pCascade[i], _ = cw.apply(q.pCascade[i], qa)
			}
		}
	}
	return &c
}
