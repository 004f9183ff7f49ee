package calibrate

import (
	"math"
	"time"
)

// DefaultStages is the funnel assumed when none is given: the stage names
// of the wide history format, in order. Creation is the first stage.
var DefaultStages = []string{"lead", "mql", "sal", "sql", "opportunity", "proposal"}

// History is a set of leads read from one or more files.
type History struct {
	Stages []string // in funnel order; Stages[0] is entered on creation
	// Attributes names the leads file's other columns (job level, company
	// size, lead score...), as identifiers: lower case, with any character
	// other than a letter, digit or underscore made an underscore.
	Attributes []string
	Leads      []Lead
	Report     *Report
}

// Filter returns the history of the leads for which keep is true, sharing
// their data and the report.
func (h *History) Filter(keep func(*Lead) bool) *History {
	out := &History{Stages: h.Stages, Attributes: h.Attributes, Report: h.Report}
	for i := range h.Leads {
		if keep(&h.Leads[i]) {
			out.Leads = append(out.Leads, h.Leads[i])
		}
	}
	return out
}

// Lead is one lead's recorded history.
type Lead struct {
	ID      string
	Channel string
	Rep     string
	// Reached holds when the lead entered each stage (zero if it did not);
	// Reached[0] is its creation.
	Reached   []time.Time
	Won, Lost time.Time
	Amount    float64 // NaN when not recorded
	// AmountAtClose says the amount is the deal's closing value, as in a
	// deal export: known only once the deal closed (or, for a deal still
	// open, at the export's end), never at an earlier as-of date. Otherwise
	// the amount is known from the opportunity stage on.
	AmountAtClose bool
	// Attrs holds the lead's values of the history's Attributes.
	Attrs []string
	File  string
	Line  int
}

// Created is when the lead entered the funnel.
func (l *Lead) Created() time.Time { return l.Reached[0] }

// HasAmount reports whether the lead has a recorded amount.
func (l *Lead) HasAmount() bool { return !math.IsNaN(l.Amount) }

// AmountKnown reports whether the lead's amount had been recorded before
// asOf, for a history whose last date is end: a closing value once the
// deal closed, or, for a deal open at the export, after the export's end;
// any other amount is the caller's to judge (it is known from the
// opportunity stage on).
func (l *Lead) AmountKnown(asOf, end time.Time) bool {
	if !l.HasAmount() {
		return false
	}
	if !l.AmountAtClose || asOf.After(end) {
		return true
	}
	closed := l.Won
	if closed.IsZero() {
		closed = l.Lost
	}
	return !closed.IsZero() && closed.Before(asOf)
}

// Last returns the latest date in the history: of a creation, a stage
// reached, a win or a loss.
func (h *History) Last() time.Time {
	var last time.Time
	for i := range h.Leads {
		l := &h.Leads[i]
		for _, t := range l.Reached {
			last = later(last, t)
		}
		last = later(later(last, l.Won), l.Lost)
	}
	return last
}
