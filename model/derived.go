package model

import (
	"fmt"
	"math"
)

// MaxWeeklyLeads bounds a channel's weekly leads, changes included: a
// billion a week is beyond any funnel, and far below where counts lose
// their precision.
const MaxWeeklyLeads = 1e9

// checkDerived checks that every distribution parameter the plan derives
// from the model is finite and in its range, so that a model whose fields
// pass Validate one by one but combine into an impossible distribution
// (a history of 1e308 weeks, a shock's CV of 1e-155, every field 5e-324)
// is an error naming the keys it came from, not a panic in a worker.
func (p *plan) checkDerived() error {
	pos := func(x float64) bool { return x > 0 && !math.IsInf(x, 0) }
	for s, st := range p.m.Stages {
		for c, ch := range p.m.Channels {
			for b := range p.nB {
				i := p.hz(s, c, b)
				if !pos(p.advShape[i]) || !pos(p.lostShape[i]) || !pos(p.rate[i]) {
					return fmt.Errorf("stages[%s].bands[%d] with channel %s: the hazards' Gamma posterior (shapes %g, %g, rate %g) is not finite and positive; check the band's exposure, advance and lost and pool_weeks",
						st.Name, b, ch.Name, p.advShape[i], p.lostShape[i], p.rate[i])
				}
			}
		}
	}
	for c, ch := range p.m.Channels {
		if ch.WeeklyLeads > 0 && (!pos(p.arrShape[c]) || !pos(p.arrRate[c])) {
			return fmt.Errorf("channels[%s]: weekly_leads %g, history_weeks %g and dispersion %g give the arrivals' Gamma posterior shape %g and rate %g, not finite and positive",
				ch.Name, ch.WeeklyLeads, ch.HistoryWeeks, ch.Dispersion, p.arrShape[c], p.arrRate[c])
		}
		if math.IsInf(ch.WeeklyLeads*math.Exp(math.Abs(ch.Trend)*float64(MaxWeeks)), 0) {
			return fmt.Errorf("channels[%s]: weekly_leads %g with trend %g overflows", ch.Name, ch.WeeklyLeads, ch.Trend)
		}
		for _, e := range p.epochs {
			if x := ch.WeeklyLeads * e.leads[c]; !(x <= MaxWeeklyLeads) {
				how := "weekly_leads"
				if e.leads[c] != 1 {
					how = fmt.Sprintf("weekly_leads times the changes from week %d (×%g)", e.week, e.leads[c])
				}
				return fmt.Errorf("channels[%s]: %s makes %g leads a week, more than %g", ch.Name, how, x, float64(MaxWeeklyLeads))
			}
		}
	}
	if p.m.ArrivalShockCV > 0 && !pos(p.shockK) {
		return fmt.Errorf("arrival_shock_cv: %g gives a Gamma shape of %g, not finite and positive", p.m.ArrivalShockCV, p.shockK)
	}
	for c, d := range p.deal {
		if !(d.kappa >= 0) || !pos(d.alpha) || !(d.beta >= 0) || math.IsInf(d.mu, 0) || math.IsNaN(d.mu) || math.IsInf(d.beta, 0) {
			return fmt.Errorf("deal_size (channel %s): the lognormal's posterior (mu %g, kappa %g, alpha %g, beta %g) is not finite", p.m.Channels[c].Name, d.mu, d.kappa, d.alpha, d.beta)
		}
	}
	return nil
}
