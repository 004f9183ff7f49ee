package calibrate

import (
	"math"
	"time"
)

// Window is the span over which a history records one kind of event, as
// known at the as-of date: the first and last dates on which it happens.
type Window struct {
	Kind     string    // "created", "reached <stage>", "won" or "lost"
	From, To time.Time // first and last events of the kind
	Events   int
	// Expected is how many events of the kind the stays before From
	// would have had at the hazards seen after it, age band by age band.
	// None were recorded; many more than a few means the export starts
	// recording the kind at From (left truncation), not that none
	// happened.
	Expected  float64
	Truncated bool
}

// truncationEvents is the number of events expected before a kind's first
// one above which its window is taken as cut by the export: were the
// events there, none would be recorded with a chance of e^−10.
const truncationEvents = 10

// Windows holds the observation windows found in a history.
type Windows struct {
	Kinds []Window
	// EventsFrom is the start of the delayed entry: stays in a stage are
	// at risk only from then on (zero for none). It is the latest start of
	// a truncated window, or the date given (Options.EventsFrom).
	EventsFrom time.Time
	// LeadsFrom and LeadsUntil bound the weeks over which arrivals are
	// counted: from the first creation, or from EventsFrom where the leads
	// created before it look selected on being open then (LeadsSelected),
	// to the last creation (or the date given, Options.LeadsUntil).
	LeadsFrom, LeadsUntil time.Time
	// LeadsSelected says that the leads created before EventsFrom look
	// selected on being still open then, so arrivals are counted from it.
	LeadsSelected bool
	// ThinFrom is where the export thins out at its end: the weeks from
	// it on hold too few leads to be a fall in leads, and are left out of
	// the arrivals (zero for none; see Options.LeadsUntil).
	ThinFrom time.Time
}

// selectedOnSurvival tells whether the leads created before from are in
// the history only because they were still open then, as in an export of
// the deals open or closed since a date: their numbers then fall, going
// back in time, as the share of leads still open at that age does. It
// compares the count created before from with what the rate of creation
// after it gives, with and without that selection, and answers yes only
// where the two differ by more than a quarter and the count is nearer the
// selected one.
func selectedOnSurvival(h *History, asOf, from time.Time) bool {
	const maxAge = 104
	atRisk, closed := make([]float64, maxAge+1), make([]float64, maxAge+1)
	var post, pre float64
	first := from
	for i := range h.Leads {
		l := &h.Leads[i]
		c := l.Created()
		if !c.Before(asOf) {
			continue
		}
		if c.Before(from) {
			pre++
			if c.Before(first) {
				first = c
			}
			continue
		}
		post++
		end, done := asOf, false
		for _, t := range []time.Time{l.Won, l.Lost} {
			if !t.IsZero() && t.Before(end) {
				end, done = t, true
			}
		}
		age := min(int(end.Sub(c)/week), maxAge)
		for k := 0; k <= age; k++ {
			atRisk[k]++
		}
		if done {
			closed[age]++
		}
	}
	weeks := asOf.Sub(from).Hours() / 168
	if post == 0 || pre == 0 || weeks < 1 {
		return false
	}
	rate := post / weeks
	var withSel, without float64
	surv := 1.0
	for k := 0; k < int(from.Sub(first)/week)+1; k++ {
		if k <= maxAge && atRisk[k] > 0 {
			surv *= 1 - closed[k]/atRisk[k]
		}
		withSel += rate * surv
		without += rate
	}
	if withSel > 0.75*without {
		return false
	}
	return math.Abs(math.Log(pre/withSel)) < math.Abs(math.Log(pre/without))
}

// FindWindows finds the observation windows of a history as known at
// o.AsOf (zero: after its last date): see Windows.
func FindWindows(h *History, o Options) Windows {
	if len(h.Leads) == 0 {
		return Windows{}
	}
	o.defaults(h)
	e := newEstimator(h, &o)
	w := e.win
	if e.thinWeeks > 0 {
		w.ThinFrom = e.arrEnd
	}
	return w
}

// Target returns the window inside which counts of entries into stage k
// (k = len(Stages) for wins) are complete: that kind's own window within
// the leads' window, since the entries of a quarter come in part from the
// leads created in it. The leads created (k = 0) end where the export
// thins out, if it does.
func (w Windows) Target(k int) (from, to time.Time) {
	if k >= len(w.Kinds) || w.Kinds[k].Events == 0 {
		return time.Time{}, time.Time{}
	}
	from, to = w.LeadsFrom, w.LeadsUntil
	if k == 0 && !w.ThinFrom.IsZero() && w.ThinFrom.Before(to) {
		to = w.ThinFrom
	}
	if f := w.Kinds[k].From; f.After(from) {
		from = f
	}
	if t := w.Kinds[k].To; t.Before(to) {
		to = t
	}
	return from, to
}

// findWindows finds, for each kind of event, its first and last dates
// before o.AsOf, and tests whether the stays before its first date would
// have had many events at the hazards seen after it (see Window).
func findWindows(h *History, o *Options, bands []int) Windows {
	nS := len(h.Stages)
	kinds := make([]Window, nS+2) // creation and each stage reached, won, lost
	for k := range nS {
		kinds[k].Kind = "reached " + h.Stages[k]
	}
	kinds[0].Kind = "created"
	kinds[nS].Kind, kinds[nS+1].Kind = "won", "lost"
	note := func(k int, t time.Time) {
		if t.IsZero() || !t.Before(o.AsOf) {
			return
		}
		w := &kinds[k]
		if w.Events == 0 || t.Before(w.From) {
			w.From = t
		}
		if t.After(w.To) {
			w.To = t
		}
		w.Events++
	}
	for i := range h.Leads {
		l := &h.Leads[i]
		for k, t := range l.Reached {
			note(k, t)
		}
		note(nS, l.Won)
		note(nS+1, l.Lost)
	}
	nB := len(bands)
	type counts struct{ before, after, events []float64 }
	tally := make([]counts, nS+2)
	for k := 1; k < nS+2; k++ {
		tally[k] = counts{make([]float64, nB), make([]float64, nB), make([]float64, nB)}
	}
	// at adds a stay from entry to exit (an exit of kind kind, or -1 for
	// none) to the tallies of the kinds that could have ended it.
	at := func(stage int, entry, exit time.Time, kind int) {
		for k := 1; k < nS+2; k++ {
			w := &kinds[k]
			if w.Events == 0 || !(k == stage+1 || k == nS && stage == nS-1 || k == nS+1) {
				continue
			}
			cut := w.From.Sub(entry).Hours() / 168
			end := exit.Sub(entry).Hours() / 168
			c := &tally[k]
			for b, lo := range bands {
				hi := math.Inf(1)
				if b+1 < nB {
					hi = float64(bands[b+1])
				}
				if top := math.Min(hi, end); top > float64(lo) {
					c.before[b] += math.Max(0, math.Min(top, cut)-float64(lo))
					c.after[b] += math.Max(0, top-math.Max(float64(lo), cut))
				}
				if end <= hi {
					if kind == k {
						c.events[b]++
					}
					break
				}
			}
		}
	}
	for i := range h.Leads {
		l := &h.Leads[i]
		walkStays(l, o.AsOf, nS, at)
	}
	var out Windows
	if o.Without.Windows {
		out.Kinds = kinds
		out.LeadsFrom, out.LeadsUntil = kinds[0].From, o.AsOf
		return out
	}
	for k := 1; k < nS+2; k++ {
		w, c := &kinds[k], &tally[k]
		for b := range nB {
			if c.after[b] > 0 {
				w.Expected += c.events[b] / c.after[b] * c.before[b]
			}
		}
		w.Truncated = w.Expected > truncationEvents
		if w.Truncated && w.From.After(out.EventsFrom) {
			out.EventsFrom = w.From
		}
	}
	out.Kinds = kinds
	if !o.EventsFrom.IsZero() {
		out.EventsFrom = o.EventsFrom
	}
	out.LeadsFrom, out.LeadsUntil = kinds[0].From, kinds[0].To
	if out.EventsFrom.After(out.LeadsFrom) && selectedOnSurvival(h, o.AsOf, out.EventsFrom) {
		out.LeadsFrom, out.LeadsSelected = out.EventsFrom, true
	}
	if !o.LeadsUntil.IsZero() && o.LeadsUntil.Before(out.LeadsUntil) {
		out.LeadsUntil = o.LeadsUntil
	}
	return out
}

// walkStays calls at for each stay of l in a stage before asOf: the stage,
// its entry, its end (the next stage reached, the win or the loss, or asOf
// while still open) and the kind of event that ended it (the stage reached,
// nS for won, nS+1 for lost, −1 for none yet).
func walkStays(l *Lead, asOf time.Time, nS int, at func(stage int, entry, exit time.Time, kind int)) {
	known := func(t time.Time) bool { return !t.IsZero() && t.Before(asOf) }
	prev := -1
	for k, t := range l.Reached {
		if !known(t) {
			continue
		}
		if prev >= 0 {
			at(prev, l.Reached[prev], t, k)
		}
		prev = k
	}
	if prev < 0 {
		return
	}
	switch {
	case known(l.Won):
		at(prev, l.Reached[prev], l.Won, nS)
	case known(l.Lost):
		at(prev, l.Reached[prev], l.Lost, nS+1)
	default:
		at(prev, l.Reached[prev], asOf, -1)
	}
}
