package model

import "slices"

// A scenario that changes only the sales funnel, or only some channels,
// leaves the marketing stages of the other channels as they were: their
// leads arrive, advance and are lost on the same random streams, with the
// same parameters, so they do what the baseline's do, trial by trial. When
// models run together (RunAll), the first of a group with the same draws
// logs what its marketing stages send on into the sales funnel, step by
// step, and the others replay the log for the channels they share instead
// of simulating them again. The replay calls what the simulation would
// have called, in the same order, so the results are bit-identical.

// marketingLog is one trial's crossings from the marketing stages into the
// sales funnel (or to won), in segments: one per marketing stage and
// channel stepped, and one per channel's arrivals, in the order of the
// week loop.
type marketingLog struct {
	ev  []crossing
	end []int32 // the end of each segment in ev
}

// crossing is n leads entering stage d (cascading from stage from within
// the week, or -1); the segment gives the channel and the week.
type crossing struct{ d, n, from int32 }

func (l *marketingLog) reset() {
	if l != nil {
		l.ev, l.end = l.ev[:0], l.end[:0]
	}
}

func (l *marketingLog) add(d, n, from int) {
	l.ev = append(l.ev, crossing{int32(d), int32(n), int32(from)})
}

// close ends a segment; a nil log keeps nothing.
func (l *marketingLog) close() {
	if l != nil {
		l.end = append(l.end, int32(len(l.ev)))
	}
}

// replay makes segment k of the lead's log, channel c's crossings in week
// t, happen in w.
func (w *worker) replay(l *marketingLog, k, c, t int) {
	lo := int32(0)
	if k > 0 {
		lo = l.end[k-1]
	}
	for _, x := range l.ev[lo:l.end[k]] {
		w.enter(int(x.d), c, int(x.n), t, int(x.from))
	}
}

// takeEntries copies the entries into the marketing stages of the shared
// channels from the lead's trial.
func (w *worker) takeEntries(lead *worker) {
	p := w.p
	for c, shared := range w.share {
		if !shared {
			continue
		}
		for s := range p.salesStart {
			w.tot.entries[s*p.nC+c] = lead.tot.entries[s*p.nC+c]
		}
	}
}

// sharedMarketing reports, per channel, whether o's marketing stages do
// what p's do over the first weeks of a trial, given that the two plans
// have the same draws: the same open leads in them, arrivals and
// conversion changed alike in every week, the same dispersion and damping
// of arrivals.
// It is nil when no channel is shared, or when the funnel has no marketing
// stages or counts lost opportunities among them.
func (p *plan) sharedMarketing(o *plan, weeks int) []bool {
	if p.salesStart == 0 || p.salesStart != o.salesStart || p.oppStage < p.salesStart || o.oppStage < o.salesStart {
		return nil
	}
	share := make([]bool, p.nC)
	any := false
	for c := range p.nC {
		share[c] = p.phi[c] == o.phi[c] && p.damping[c] == o.damping[c]
		for s := range p.salesStart {
			lo := p.cell(c, s, 0)
			share[c] = share[c] && slices.Equal(p.open[lo:lo+p.maxAge+1], o.open[lo:lo+p.maxAge+1])
		}
		for t := 0; t < weeks && share[c]; t++ {
			ep, eo := p.epochAt(t), o.epochAt(t)
			share[c] = ep.leads[c] == eo.leads[c]
			for s := range p.salesStart {
				share[c] = share[c] && ep.conv[s*p.nC+c] == eo.conv[s*p.nC+c]
			}
		}
		any = any || share[c]
	}
	if !any {
		return nil
	}
	return share
}

// epochAt is the epoch in force in week t.
func (p *plan) epochAt(t int) *epoch {
	e := &p.epochs[0]
	for i := range p.epochs {
		if p.epochs[i].week <= t {
			e = &p.epochs[i]
		}
	}
	return e
}

// The leads followed one by one (open deals, and the opening pipeline's
// old leads) draw from their own streams and never meet the queue, so a
// channel's do the same in two plans with the same draws when the sales
// stages' conversion and the deal sizes of that channel are changed alike
// in every week. A worker then takes their outcomes from its lead's trial
// (dealTotals) instead of following them again.

// dealTotals is what one trial's followed leads did, per channel.
type dealTotals struct {
	rev, wins []float64 // per channel and week: c*weeks + t
	lost      []float64 // lost opportunities, per channel
	entries   []float64 // per stage and channel: s*nC + c
}

func (d *dealTotals) reset(nS, nC, weeks int) {
	d.rev, d.wins = grow(d.rev, nC*weeks), grow(d.wins, nC*weeks)
	d.lost, d.entries = grow(d.lost, nC), grow(d.entries, nS*nC)
	for _, x := range [][]float64{d.rev, d.wins, d.lost, d.entries} {
		clear(x)
	}
}

// sharedDeals reports, per channel, whether o's followed leads do what
// p's do over the first weeks of a trial, given that the two plans have
// the same draws; nil when no channel's do.
func (p *plan) sharedDeals(o *plan, weeks int) []bool {
	// A close capacity ties the followed leads' exits to the cohorts'.
	if p.salesStart != o.salesStart || p.oppStage != o.oppStage || p.closeCap || o.closeCap ||
		!slices.Equal(p.deals, o.deals) || !slices.Equal(p.tracked, o.tracked) ||
		!slices.Equal(p.cycle, o.cycle) || !slices.Equal(p.groupNames, o.groupNames) || !slices.Equal(p.groupCum, o.groupCum) || p.track != o.track {
		return nil
	}
	share := make([]bool, p.nC)
	any := false
	for c := range p.nC {
		share[c] = true
		for t := 0; t < weeks && share[c]; t++ {
			ep, eo := p.epochAt(t), o.epochAt(t)
			share[c] = ep.dealLog[c] == eo.dealLog[c]
			for s := p.salesStart; s < p.nS; s++ {
				share[c] = share[c] && ep.conv[s*p.nC+c] == eo.conv[s*p.nC+c]
			}
		}
		any = any || share[c]
	}
	if !any {
		return nil
	}
	return share
}
