package model

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"

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
	purposeSeason
	purposeGroups
)

// params is one trial's parameters in force in a week: the trial's draw
// (drawn), which every epoch of the trial shares by pointer, and the
// parameters a model's changes scale (scaled), the draw's own or an
// epoch's copies of them (applyEpoch).
type params struct {
	*drawn
	scaled
	// own is the storage newParams made for the scaled parameters, which
	// an epoch's fill where it changes them.
	own scaled
}

// scaled are the parameters an epoch's changes scale: conversion (qAdv
// and the cells' chance of advancing), leads and deal sizes.
type scaled struct {
	qAdv   []float64  // per hz(s, c, b): P(advance | leave)
	cell   []cellRate // per hs(s, c, slot): see cellRates
	mean   []float64  // per channel
	dealMu []float64  // per channel
}

// drawn is the rest of one trial's draw of every parameter, and the
// buffers the draw works in.
type drawn struct {
	pLeave []float64 // per hz(s, c, b): P(leave in a week)
	// pEntry is, per hz(s, c, 0), the chance of leaving in the rest of
	// the week of entry, for an entry time uniform over the week; lambda,
	// per hz(s, c, b), the total hazard pLeave comes from; pCascade, per
	// (from, to, channel), the chance for a lead that entered from in the
	// week and crossed to to.
	pEntry, lambda, pCascade []float64
	la, ll                   []float64   // one stage and channel's band hazards, drawn
	destP                    [][]float64 // per stage, shares of advances by destination
	trend                    []float64   // per channel
	dealSigma                []float64
	// empCum is, per channel with empirical deal sizes, the cumulative
	// weights of the trial's Bayesian bootstrap, and poolCum the overall
	// amounts'; dealMu is then the log factor on the amounts.
	empCum  [][]float64
	poolCum []float64
	shock   float64
	// season is the trial's coefficients of the yearly cycle of arrivals,
	// and seasonZ the normals behind them.
	season, seasonZ []float64
	cycle           float64   // cycleWeeks of the draw
	reach, win      []float64 // cycleWeeks' buffers, per stage and won
}

func newParams(p *plan) *params {
	n := p.nS * p.nC * p.nB
	d := &drawn{pLeave: make([]float64, n), pEntry: make([]float64, n), lambda: make([]float64, n), pCascade: make([]float64, p.nS*p.nS*p.nC),
		la: make([]float64, p.nB), ll: make([]float64, p.nB), destP: make([][]float64, p.nS),
		trend: make([]float64, p.nC), dealSigma: make([]float64, p.nC),
		reach: make([]float64, p.nS+1), win: make([]float64, p.nS+1), empCum: make([][]float64, p.nC)}
	for s := range p.nS {
		d.destP[s] = make([]float64, len(p.dest[s]))
	}
	q := &params{drawn: d, scaled: scaled{qAdv: make([]float64, n), cell: make([]cellRate, p.nS*p.nC*p.nSlot), mean: make([]float64, p.nC), dealMu: make([]float64, p.nC)}}
	q.own = q.scaled
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
				q.la[b], q.ll[b], q.lambda[i] = la, ll, la+ll
				if b == 0 {
					q.pEntry[i] = entryWeek(la + ll)
				}
			}
			q.cellRates(p, s, c)
		}
		q.drawDest(p, st, s, fixed)
	}
	for s := range p.nS {
		for _, d := range p.dest[s] {
			if d == p.nS {
				continue
			}
			for c := range p.nC {
				q.pCascade[(s*p.nS+d)*p.nC+c] = cascadeWeek(q.lambda[p.hz(s, c, 0)], q.lambda[p.hz(d, c, 0)])
			}
		}
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
		if e := p.emp[c]; e != nil {
			q.dealMu[c], q.dealSigma[c] = 0, 0
			if e != p.pool {
				q.empCum[c] = e.weights(st, fixed, q.empCum[c])
			}
			continue
		}
		q.dealMu[c], q.dealSigma[c] = p.deal[c].draw(st, fixed)
	}
	if p.pool != nil {
		st.Reset(seed, trial, purposeDealParams, uint64(p.nC))
		q.poolCum = p.pool.weights(st, fixed, q.poolCum)
	}
	if p.season != nil {
		st.Reset(seed, trial, purposeSeason)
		q.season, q.seasonZ = p.season.draw(st, fixed, q.season, q.seasonZ)
	}
	q.shock = 1
	if p.shockK > 0 {
		st.Reset(seed, trial, purposeShock)
		k := p.shockK
		if p.shockDF > 0 && !fixed {
			// CV² ~ scaled inverse χ²(ν, s²): ν·s²/χ²_ν, χ²_ν = 2·Gamma(ν/2).
			k = 2 * rng.Gamma(st, p.shockDF/2, 1) / p.shockDF * p.shockK
		}
		q.shock = rng.Gamma(st, k, k)
	}
	q.cycle = q.cycleWeeks(p)
}

// amount returns the amount of a deal of channel c won at uniform u,
// for a channel with empirical deal sizes.
func (q *params) amount(p *plan, c int, u float64) float64 {
	return p.emp[c].at(q.cumOf(p, c), u, p.pool, q.poolCum) * math.Exp(q.dealMu[c])
}

// dealMean is the mean amount of channel c's won deals under q.
func (q *params) dealMean(p *plan, c int) float64 {
	e := p.emp[c]
	if e == nil {
		return math.Exp(q.dealMu[c] + q.dealSigma[c]*q.dealSigma[c]/2)
	}
	return e.mean(q.cumOf(p, c), p.pool, q.poolCum) * math.Exp(q.dealMu[c])
}

// cumOf is the trial's cumulative weights of channel c's empirical deal
// sizes: its own, or the overall amounts' where it has none of its own.
func (q *params) cumOf(p *plan, c int) []float64 {
	if p.emp[c] == p.pool {
		return q.poolCum
	}
	return q.empCum[c]
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

// entryWeek is the chance that a lead entering at a uniform time in a
// week leaves before the week ends, under total hazard λ per week:
// 1 − E[e^{−λ(1−U)}] = 1 − (1 − e^{−λ})/λ.
func entryWeek(lambda float64) float64 {
	if !(lambda > 1e-8) {
		return math.Max(lambda, 0) / 2
	}
	return 1 + math.Expm1(-lambda)/lambda
}

// cellRates sets the weekly probabilities of each age slot of stage s and
// channel c from the band hazards in q.la and q.ll and their weekly
// probabilities in q.pLeave and q.qAdv. A lead in age cell a entered, on
// average, mid-week, so its week runs over ages a+½ to a+1½: a week that
// ends in a new band takes half of each band's hazards, whose chance of
// staying is the geometric mean of the two bands'.
func (q *params) cellRates(p *plan, s, c int) {
	for b := range p.nB {
		i, h := p.hs(s, c, 2*b), p.hz(s, c, b)
		q.cell[i].set(q.pLeave[h], q.qAdv[h])
		if b+1 < p.nB {
			la, ll := q.la[b]+q.la[b+1], q.ll[b]+q.ll[b+1]
			adv := 0.0
			if la+ll > 0 {
				adv = la / (la + ll)
			}
			q.cell[i+1].set(1-math.Sqrt((1-q.pLeave[h])*(1-q.pLeave[h+1])), adv)
		}
	}
}

// cellRate is an age cell's weekly chances of leaving and of advancing
// given that it leaves, with the 32-bit thresholds of leaving and of
// advancing (leave·adv) that the lead-by-lead draws compare with.
type cellRate struct {
	leave, adv    float64
	tLeave, tBoth uint64
}

func (r *cellRate) set(leave, adv float64) {
	r.leave, r.adv = leave, adv
	r.tLeave, r.tBoth = rng.Threshold(leave), rng.Threshold(leave*adv)
}

// entry is the chance that a lead entering stage d of channel c in a
// week leaves before the week ends: entered at a uniform time (from < 0),
// or at the moment it left stage from, entered in the same week.
func (q *params) entry(p *plan, from, d, c int) float64 {
	if from < 0 {
		return q.pEntry[p.hz(d, c, 0)]
	}
	return q.pCascade[(from*p.nS+d)*p.nC+c]
}

// Gauss–Legendre nodes and weights of order 8 on [0, 1].
var glX, glW = func() ([]float64, []float64) {
	x, w := make([]float64, 8), make([]float64, 8)
	quad.Legendre{}.FixedLocations(x, w, 0, 1)
	return x, w
}()

// cascadeWeek is the chance that a lead leaves stage d, at total hazard
// ld, before the end of the week in which it entered stage s (at a
// uniform time) and left it for d (at total hazard ls). The time it
// leaves s has density 1 − e^{−ls·t} on [0, 1] (unnormalised), so the
// chance is ∫(1 − e^{−ls·t})(1 − e^{−ld·(1−t)})dt / ∫(1 − e^{−ls·t})dt:
// in closed form, [1 − A(ls) − A(ld) + (e^{−ls} − e^{−ld})/(ld − ls)] /
// (1 − A(ls)) with A(λ) = (1 − e^{−λ})/λ. The closed form cancels badly
// for small or nearly equal hazards; there 8-point Gauss–Legendre takes
// over (within 1e-9 of it for hazards up to 6 a week, tested).
func cascadeWeek(ls, ld float64) float64 {
	if ls > 0.05 && ld > 0.05 && math.Abs(ld-ls) > 1e-3*(ls+ld) {
		es, ed := math.Exp(-ls), math.Exp(-ld)
		as, ad := (1-es)/ls, (1-ed)/ld
		return (1 - as - ad + (es-ed)/(ld-ls)) / (1 - as)
	}
	var num, den float64
	for i, t := range glX {
		g := -math.Expm1(-ls * t)
		num += glW[i] * g * -math.Expm1(-ld*(1-t))
		den += glW[i] * g
	}
	if !(den > 0) {
		return entryWeek(ld)
	}
	return num / den
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
// E[weeks in stage | advances within cycleCapWeeks]: an advance in the
// week after age a takes a weeks and the mean part of the week of a
// leaver under that week's hazard (½ for a small hazard, near 0 for a
// stage left the day it is reached), the hazards' own continuous time.
// The hazards are constant within a band (and past the last band's
// start), so each band's part is a truncated geometric series, summed in
// closed form.
func (q *params) advance(p *plan, s, c int) (conv, weeks float64) {
	surv, num, den := 1.0, 0.0, 0.0
	bands := p.m.Bands
	for b := range p.nB {
		lo, hi := bands[b], cycleCapWeeks
		if b+1 < p.nB {
			hi = bands[b+1]
		}
		i := p.hz(s, c, b)
		pl := q.pLeave[i]
		if b == p.nB-1 {
			conv = den + surv*q.qAdv[i]
		}
		if hi <= lo {
			continue
		}
		s0, s1, rk := geometricSums(1-pl, hi-lo)
		pa := surv * pl * q.qAdv[i]
		num += pa * ((float64(lo)+withinWeek(q.lambda[i], pl))*s0 + s1)
		den += pa * s0
		surv *= rk
	}
	if den == 0 {
		return conv, 0
	}
	return conv, num / den
}

// withinWeek is the mean time within a week, in weeks, of a stay that
// ends in it under a constant hazard λ, whose chance of leaving in a week
// is pLeave = 1 − e^{−λ}: E[T | T < 1] = 1/λ − 1/(e^λ − 1), where
// e^λ − 1 = pLeave/(1 − pLeave).
func withinWeek(l, pLeave float64) float64 {
	switch {
	case l < 1e-4:
		return 0.5 - l/12
	case pLeave >= 1: // e^λ − 1 overflows the ratio: 1/λ alone
		return 1 / l
	}
	return 1/l - (1-pLeave)/pLeave
}

// geometricSums returns Σ_{j<k} r^j, Σ_{j<k} j·r^j and r^k, for k >= 1
// and 0 <= r <= 1. Where 1 − r is so small that the closed forms cancel,
// their expansions to first order in 1 − r take over (relative error
// below 1e-8).
func geometricSums(r float64, k int) (s0, s1, rk float64) {
	rk = powInt(r, k)
	kf, x := float64(k), 1-r
	if kf*x < 1e-4 {
		return kf - x*kf*(kf-1)/2, kf*(kf-1)/2 - x*(kf-1)*kf*(2*kf-1)/6, rk
	}
	s0 = (1 - rk) / x
	return s0, (r*s0 - kf*rk) / x, rk
}

// powInt is x^k for k >= 0, by squaring.
func powInt(x float64, k int) float64 {
	y := 1.0
	for ; k > 0; k >>= 1 {
		if k&1 == 1 {
			y *= x
		}
		x *= x
	}
	return y
}

// seasonAt is the trial's multiplier of arrivals in forecast week t: 1
// without a season.
func (q *params) seasonAt(p *plan, t int) float64 {
	if p.season == nil {
		return 1
	}
	x, b := 0.0, p.seasonBasis[t]
	for i, c := range q.season {
		x += c * b[i]
	}
	return math.Exp(x)
}
