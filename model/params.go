package model

import (
	"math"

	"github.com/funnelsim/funnelsim/model/rng"
)

// Purposes key the random streams of a trial. A stream is derived from
// (seed, trial, purpose, index), so a change that makes one part of the
// model consume more numbers leaves every other part's numbers alone, which
// keeps scenario comparisons on common random numbers in step.
const (
	purposeHazards uint64 = iota + 1
	purposeArrivalParams
	purposeDealParams
	purposeShock
	purposeArrivals
	purposeTransitions
	purposeAmounts
	purposeCapacity
	purposeOpenDeals
)

// params is one trial's draw of every parameter.
type params struct {
	pLeave, qAdv []float64   // per hz(s, c, b): P(leave in a week), P(advance | leave)
	destP        [][]float64 // per stage, shares of advances by destination
	mean, trend  []float64   // per channel
	dealMu       []float64   // per channel
	dealSigma    []float64
	shock        float64
	reach, win   []float64 // cycleWeeks' buffers, per stage and won
}

func newParams(p *plan) *params {
	n := p.nS * p.nC * p.nB
	q := &params{pLeave: make([]float64, n), qAdv: make([]float64, n), destP: make([][]float64, p.nS),
		mean: make([]float64, p.nC), trend: make([]float64, p.nC), dealMu: make([]float64, p.nC), dealSigma: make([]float64, p.nC),
		reach: make([]float64, p.nS+1), win: make([]float64, p.nS+1)}
	for s := range p.nS {
		q.destP[s] = make([]float64, len(p.dest[s]))
	}
	return q
}

// draw sets q to the trial's parameters: posterior draws, or posterior
// means when fixed. The shared arrival shock is process noise and is always
// drawn.
func (q *params) draw(p *plan, st *rng.Stream, seed, trial uint64, fixed bool) {
	for s := range p.nS {
		st.Reset(seed, trial, purposeHazards, uint64(s))
		for c := range p.nC {
			for b := range p.nB {
				i := p.hz(s, c, b)
				la, ll := p.advShape[i]/p.rate[i], p.lostShape[i]/p.rate[i]
				if !fixed {
					la = rng.Gamma(st, p.advShape[i], p.rate[i])
					ll = rng.Gamma(st, p.lostShape[i], p.rate[i])
				}
				q.pLeave[i], q.qAdv[i] = weekly(la, ll)
			}
		}
		q.drawDest(p, st, s, fixed)
	}
	for c := range p.nC {
		st.Reset(seed, trial, purposeArrivalParams, uint64(c))
		q.mean[c], q.trend[c] = 0, p.trend[c]
		if p.arrShape[c] > 0 {
			q.mean[c] = p.arrShape[c] / p.arrRate[c]
			if !fixed {
				q.mean[c] = rng.Gamma(st, p.arrShape[c], p.arrRate[c])
				q.trend[c] += p.trendSE[c] * st.NormFloat64()
			}
		}
		st.Reset(seed, trial, purposeDealParams, uint64(c))
		q.dealMu[c], q.dealSigma[c] = p.deal[c].draw(st, fixed)
	}
	q.shock = 1
	if p.shockK > 0 {
		st.Reset(seed, trial, purposeShock)
		q.shock = rng.Gamma(st, p.shockK, p.shockK)
	}
}

// weekly turns cause-specific hazards per week into the probability of
// leaving within a week and the share of leavers who advance; exact for
// hazards constant over the week.
func weekly(adv, lost float64) (pLeave, qAdv float64) {
	total := adv + lost
	if !(total > 0) {
		return 0, 0
	}
	return -math.Expm1(-total), adv / total
}

func (q *params) drawDest(p *plan, st *rng.Stream, s int, fixed bool) {
	d := q.destP[s]
	if len(d) == 1 {
		d[0] = 1
		return
	}
	sum := 0.0
	for j, a := range p.destAlpha[s] {
		d[j] = a
		if !fixed {
			d[j] = rng.Gamma(st, a, 1)
		}
		sum += d[j]
	}
	for j := range d {
		d[j] /= sum
	}
}

// draw returns (μ, σ) of the log amount: a posterior draw, or the posterior
// means of μ and σ² when fixed.
func (g nig) draw(st *rng.Stream, fixed bool) (mu, sigma float64) {
	if fixed {
		return g.mu, math.Sqrt(g.beta / (g.alpha - 1))
	}
	s2 := 0.0
	if g.beta > 0 {
		s2 = g.beta / rng.Gamma(st, g.alpha, 1)
	}
	return g.mu + math.Sqrt(s2/g.kappa)*st.NormFloat64(), math.Sqrt(s2)
}

// cycleWeeks is the expected number of weeks from arrival to won for a new
// lead, under q: per stage, the mean weeks in stage of those who advance,
// summed along the path (clock-reset stages are independent given the path;
// skips are weighted by their shares). Channels are weighted by their
// expected wins. Waiting for a rep is not included.
func (q *params) cycleWeeks(p *plan) float64 {
	reach := q.reach // P(reach s | advance at every stage)
	win := q.win     // P(a new lead reaches s)
	var num, den float64
	for c := range p.nC {
		clear(reach)
		clear(win)
		reach[0], win[0] = 1, 1
		weeks := 0.0
		for s := range p.nS {
			conv, w := q.advance(p, s, c)
			weeks += reach[s] * w
			for j, d := range p.dest[s] {
				reach[d] += reach[s] * q.destP[s][j]
				win[d] += win[s] * conv * q.destP[s][j]
			}
		}
		if wt := q.mean[c] * win[p.nS]; wt > 0 && !math.IsNaN(weeks) {
			num += wt * weeks
			den += wt
		}
	}
	if den == 0 {
		return math.NaN()
	}
	return num / den
}

// cycleCapWeeks truncates the time in stage counted by cycle_weeks: a thin
// last band can have a posterior draw near zero hazard, which would make
// the mean time of the few leads that wait that long unbounded.
const cycleCapWeeks = 104

// advance returns the eventual probability of advancing from stage s and
// E[weeks in stage | advances within cycleCapWeeks], where an advance in
// the week after age a counts a+1 weeks. Past the last band start the
// hazards are constant, so that part is a truncated geometric series,
// summed in closed form.
func (q *params) advance(p *plan, s, c int) (conv, weeks float64) {
	surv, num, den := 1.0, 0.0, 0.0
	for a := 0; a < p.maxAge; a++ {
		i := p.hz(s, c, p.bandOf[a])
		pa := surv * q.pLeave[i] * q.qAdv[i]
		num += pa * float64(a+1)
		den += pa
		surv *= 1 - q.pLeave[i]
	}
	i := p.hz(s, c, p.nB-1)
	conv = den + surv*q.qAdv[i]
	if k := cycleCapWeeks - p.maxAge; k > 0 {
		s0, s1 := geometricSums(1-q.pLeave[i], k)
		pa := surv * q.pLeave[i] * q.qAdv[i]
		num += pa * (float64(p.maxAge+1)*s0 + s1)
		den += pa * s0
	}
	if den == 0 {
		return conv, 0
	}
	return conv, num / den
}

// geometricSums returns Σ_{j<k} r^j and Σ_{j<k} j·r^j.
func geometricSums(r float64, k int) (s0, s1 float64) {
	kf := float64(k)
	if 1-r < 1e-9 {
		return kf, kf * (kf - 1) / 2
	}
	rk := math.Pow(r, kf)
	s0 = (1 - rk) / (1 - r)
	s1 = r * (1 - kf*rk/r + (kf-1)*rk) / ((1 - r) * (1 - r))
	return s0, s1
}
