package calibrate

import (
	"math"
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// cycleStats are the stays from the opportunity stage on, by stage, age
// band and month of the fiscal quarter: their weeks at risk, their
// advances (to a later stage, or won) and their recorded losses.
type cycleStats struct {
	expo, adv, lost [][][3]float64 // [stage from opp][band][month]
	first, last     time.Time      // the span of the exits counted
}

// cycleStay adds one stay in stage s (from the opportunity stage on), from
// entry to end, which ends in an exit (advancing, or lost on a record)
// unless how is censored. Only the time from the first recorded close on
// counts.
func (e *estimator) cycleStay(s int, entry, end time.Time, how exit) {
	c := &e.cycle
	if c.expo == nil {
		n := e.nS - e.opp
		c.expo, c.adv, c.lost = make([][][3]float64, n), make([][][3]float64, n), make([][][3]float64, n)
		for k := range n {
			c.expo[k], c.adv[k], c.lost[k] = make([][3]float64, e.nB), make([][3]float64, e.nB), make([][3]float64, e.nB)
		}
	}
	s -= e.opp
	start := entry
	if from := e.win.EventsFrom; !from.IsZero() && start.Before(from) {
		if !end.After(from) {
			return
		}
		start = from
	}
	bandAt := func(t time.Time) int {
		age := t.Sub(entry).Hours() / 168
		b := 0
		for b+1 < e.nB && age >= float64(e.o.Bands[b+1]) {
			b++
		}
		return b
	}
	for at := start; at.Before(end); {
		b := bandAt(at)
		to := time.Date(at.Year(), at.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		if b+1 < e.nB {
			if edge := entry.Add(time.Duration(e.o.Bands[b+1]) * week); edge.Before(to) {
				to = edge
			}
		}
		if end.Before(to) {
			to = end
		}
		c.expo[s][b][model.MonthOfQuarter(e.o.FiscalYearStart, at)] += to.Sub(at).Hours() / 168
		at = to
	}
	if how == censored {
		return
	}
	b, k := bandAt(end), model.MonthOfQuarter(e.o.FiscalYearStart, end)
	if how == adv {
		c.adv[s][b][k]++
	} else {
		c.lost[s][b][k]++
	}
	if c.first.IsZero() || end.Before(c.first) {
		c.first = end
	}
	if end.After(c.last) {
		c.last = end
	}
}

// cycleLR is the likelihood-ratio statistic's bound for a cycle: the 0.999
// quantile of the chi-square with 2 degrees of freedom. A cycle of three
// months is kept only where the history shows it that clearly.
const cycleLR = 13.82

// minCycleWeeks is the least span of recorded closes that can show a cycle:
// two whole quarters.
const minCycleWeeks = 26

// monthFactors are, for events counted in ev (advances or losses) by
// stage, band and month, each month's observed events over those the
// stage and band's rate over all months expects (indirect
// standardization), and the likelihood-ratio statistic of the months'
// factors against none.
func (c *cycleStats) monthFactors(ev [][][3]float64) (f [3]float64, lr float64) {
	var obs, exp [3]float64
	for s := range ev {
		for b := range ev[s] {
			var n, t float64
			for k := range 3 {
				n, t = n+ev[s][b][k], t+c.expo[s][b][k]
			}
			if t <= 0 {
				continue
			}
			for k := range 3 {
				obs[k] += ev[s][b][k]
				exp[k] += c.expo[s][b][k] * n / t
			}
		}
	}
	for k := range 3 {
		if obs[k] == 0 || exp[k] == 0 {
			return [3]float64{1, 1, 1}, 0
		}
		f[k] = obs[k] / exp[k]
		lr += 2 * obs[k] * math.Log(f[k])
	}
	return f, lr
}

// quarterCycle is the quarter cycle the stays show, or nil: the months'
// factors on the hazards of advancing and of being lost, each kept where
// its likelihood-ratio test passes cycleLR.
func (e *estimator) quarterCycle() *model.QuarterCycle {
	c := &e.cycle
	if c.expo == nil || c.last.Sub(c.first) < minCycleWeeks*week {
		return nil
	}
	ones := [3]float64{1, 1, 1}
	out := &model.QuarterCycle{Advance: ones, Loss: ones}
	if f, lr := c.monthFactors(c.adv); lr >= cycleLR {
		out.Advance = f
	}
	if f, lr := c.monthFactors(c.lost); lr >= cycleLR {
		out.Loss = f
	}
	if out.Advance == ones && out.Loss == ones {
		return nil
	}
	return out
}

// cycleInto sets the model's fiscal year and, where the history shows one,
// its quarter cycle.
func (e *estimator) cycleInto(m *model.Model) {
	m.FiscalYearStart = e.o.FiscalYearStart
	if e.o.Without.Cycle {
		return
	}
	c := e.quarterCycle()
	if c == nil {
		return
	}
	m.QuarterCycle = c
	e.h.Report.warn("closes from %s on follow the fiscal quarter: in its first, second and third months deals are won at ×%.2f, ×%.2f and ×%.2f the rate over all months, and lost at ×%.2f, ×%.2f and ×%.2f (--without cycle ignores it)",
		m.OpportunityStage, c.Advance[0], c.Advance[1], c.Advance[2], c.Loss[0], c.Loss[1], c.Loss[2])
}
