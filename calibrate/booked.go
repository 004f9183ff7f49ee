package calibrate

import (
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// bookedDays is how many days before the as-of date a model keeps the
// history's record of: the longest quarter.
const bookedDays = 92

// Tally is what a history recorded in a span of time: entries into each
// stage (the first stage's are new leads), wins and their revenue.
type Tally struct {
	Entries       []float64
	Wins, Revenue float64
}

// Tally counts what the history recorded from from to the moment before
// to.
func (h *History) Tally(from, to time.Time) Tally {
	t := Tally{Entries: make([]float64, len(h.Stages))}
	in := func(x time.Time) bool { return !x.IsZero() && !x.Before(from) && x.Before(to) }
	for i := range h.Leads {
		l := &h.Leads[i]
		for s, at := range l.Reached {
			if in(at) {
				t.Entries[s]++
			}
		}
		if in(l.Won) {
			t.Wins++
			if l.HasAmount() {
				t.Revenue += l.Amount
			}
		}
	}
	return t
}

// booked is the history's record of each day of the bookedDays before
// asOf (from its first recorded day on, where that is later), for the
// booked-to-date of a quarter under way, each win with its values of the
// segments segs.
func (h *History) booked(asOf time.Time, segs []int) *model.Booked {
	end := asOf.Truncate(24 * time.Hour)
	from := end.AddDate(0, 0, -bookedDays)
	if first := h.first(); !first.IsZero() && first.After(from) {
		from = first.Truncate(24 * time.Hour)
	}
	n := int(end.Sub(from).Hours() / 24)
	if n <= 0 {
		return nil
	}
	days := make([]model.BookedDay, n)
	for k := range days {
		days[k] = model.BookedDay{Date: model.Date{Time: from.AddDate(0, 0, k)}, Entries: make([]int, len(h.Stages))}
	}
	lo, hi := from.Unix(), end.Unix()
	day := func(x time.Time) int {
		u := x.Unix() // the zero time is long before lo
		if u < lo || u >= hi {
			return -1
		}
		return int((u - lo) / 86400)
	}
	for i := range h.Leads {
		l := &h.Leads[i]
		for s, at := range l.Reached {
			if k := day(at); k >= 0 {
				days[k].Entries[s]++
			}
		}
		if k := day(l.Won); k >= 0 {
			w := model.BookedWin{ID: l.ID, Channel: l.Channel, Rep: l.Rep, Segments: h.segmentsOf(l, segs)}
			if l.HasAmount() {
				w.Amount = l.Amount
			}
			days[k].Won = append(days[k].Won, w)
		}
	}
	b := &model.Booked{From: model.Date{Time: from}}
	for _, d := range days {
		if len(d.Won) > 0 || anyPositive(d.Entries) {
			b.Days = append(b.Days, d)
		}
	}
	return b
}

func anyPositive(xs []int) bool {
	for _, x := range xs {
		if x > 0 {
			return true
		}
	}
	return false
}

// first is the history's earliest date.
func (h *History) first() time.Time {
	var first time.Time
	for i := range h.Leads {
		for _, t := range h.Leads[i].Reached {
			if !t.IsZero() && (first.IsZero() || t.Before(first)) {
				first = t
			}
		}
	}
	return first
}
