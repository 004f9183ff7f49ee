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
	// Attrs holds the lead's values of the history's Attributes.
	Attrs []string
	File  string
	Line  int
}

// Created is when the lead entered the funnel.
func (l *Lead) Created() time.Time { return l.Reached[0] }

// HasAmount reports whether the lead has a recorded amount.
func (l *Lead) HasAmount() bool { return !math.IsNaN(l.Amount) }
