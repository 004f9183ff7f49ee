package quarter

import (
	"fmt"
	"math"
	"time"

	"github.com/funnelsim/funnelsim/fiscal"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
)

// Window is a fiscal quarter as a forecast from a model's as-of date sees
// it: the run's weeks (Weeks, of which those from From on fall in the
// quarter) and what the history booked in the quarter before the as-of
// date.
type Window struct {
	Quarter fiscal.Quarter
	AsOf    time.Time
	// From and Weeks are the run's Options.From and Weeks: the quarter's
	// simulated part is weeks From to Weeks-1, the days SimStart to the
	// day before SimEnd, the quarter's days to the nearest week.
	From, Weeks      int
	SimStart, SimEnd time.Time
	// Booked is what the history recorded from the quarter's start to the
	// day before the as-of date; nil where the quarter starts later
	// (Started is false) or the model does not record it (Note says why).
	Booked  *model.BookedDay
	Started bool
	Note    string
}

// weeksTo is the whole weeks from asOf to t, to the nearest.
func weeksTo(asOf, t time.Time) int { return int(math.Round(t.Sub(asOf).Hours() / 24 / 7)) }

// NewWindow places quarter q against model m's as-of date. A quarter that
// ended by then is history, not a forecast, and is refused.
func NewWindow(m *model.Model, q fiscal.Quarter) (*Window, error) {
	asOf := m.AsOf.Time
	if !q.End.After(asOf) {
		return nil, fmt.Errorf("quarter %s ended on %s, before the model's as-of date %s: it is history, not a forecast (simulate backtest scores forecasts of past quarters)", q, q.Last().Format(time.DateOnly), m.AsOf)
	}
	w := &Window{Quarter: q, AsOf: asOf, Started: !q.Start.After(asOf)}
	if !w.Started {
		w.From = weeksTo(asOf, q.Start)
	}
	w.Weeks = max(weeksTo(asOf, q.End), w.From+1)
	if w.Weeks > model.MaxWeeks {
		return nil, fmt.Errorf("quarter %s ends %d weeks after the model's as-of date %s, more than the %d a run covers", q, w.Weeks, m.AsOf, model.MaxWeeks)
	}
	w.SimStart, w.SimEnd = asOf.AddDate(0, 0, 7*w.From), asOf.AddDate(0, 0, 7*w.Weeks)
	switch {
	case !w.Started:
	case m.Booked == nil:
		w.Note = "the model holds no record of the days before its as-of date (calibrate it from a history): booked-to-date is not known, and the quarter's totals are the rest of the quarter only"
	default:
		b, err := m.Booked.Between(q.Start, asOf, asOf)
		if err != nil {
			w.Note = fmt.Sprintf("booked-to-date is not known (%v): the quarter's totals are the rest of the quarter only", err)
			break
		}
		w.Booked = &b
	}
	return w, nil
}

// Options sets the run's weeks and the first week counted (From) in o.
func (w *Window) Options(o *model.Options) { o.Weeks, o.From = w.Weeks, w.From }

// Rest is the quarter's simulated wins and revenue per trial of r (a run
// with w's Options): those of weeks From to the end.
func (w *Window) Rest(r *model.Result) (wins, revenue []float64) {
	wins, revenue = make([]float64, r.Trials), make([]float64, r.Trials)
	for i := range r.Trials {
		cw, cr := r.CumWins[i*r.Weeks:(i+1)*r.Weeks], r.CumRevenue[i*r.Weeks:(i+1)*r.Weeks]
		wins[i], revenue[i] = cw[r.Weeks-1], cr[r.Weeks-1]
		if w.From > 0 {
			wins[i] -= cw[w.From-1]
			revenue[i] -= cr[w.From-1]
		}
	}
	return wins, revenue
}

// Totals is the quarter's wins and revenue per trial: booked to date (if
// known) plus the rest.
func (w *Window) Totals(r *model.Result) (wins, revenue []float64) {
	wins, revenue = w.Rest(r)
	if w.Booked != nil {
		bw, br := float64(len(w.Booked.Won)), w.Booked.Revenue()
		for i := range wins {
			wins[i] += bw
			revenue[i] += br
		}
	}
	return wins, revenue
}

// Entries is, for a quarter under way with its booked days known, each
// stage's entries in the quarter per trial of r: booked plus simulated,
// by the stages' metric names. It is nil otherwise: the run counts a
// stage's entries over all its weeks, so a quarter that starts later has
// only its wins and revenue.
func (w *Window) Entries(m *model.Model, r *model.Result) map[string][]float64 {
	if !w.Started || w.Booked == nil || w.From != 0 {
		return nil
	}
	out := map[string][]float64{}
	for s, st := range m.Stages {
		sim, ok := r.Metric(st.MetricName())
		if !ok {
			continue
		}
		x := make([]float64, len(sim))
		for i, v := range sim {
			x[i] = v + float64(w.Booked.Entries[s])
		}
		out[st.MetricName()] = x
	}
	return out
}

// BookedByDay is the revenue booked in the quarter by the end of each day
// with a win before the as-of date, from m's booked days; nil where
// booked-to-date is not known.
func (w *Window) BookedByDay(m *model.Model) (days []time.Time, cum []float64) {
	if w.Booked == nil {
		return nil, nil
	}
	sum := 0.0
	for _, d := range m.Booked.Days {
		if d.Date.Before(w.Quarter.Start) || !d.Date.Before(w.AsOf) || len(d.Won) == 0 {
			continue
		}
		sum += d.Revenue()
		days, cum = append(days, d.Date.Time), append(cum, sum)
	}
	return days, cum
}

// Path is the quarter's revenue path for the quarter fan chart, from r, a
// run with w's options.
func (w *Window) Path(m *model.Model, r *model.Result) *plots.QuarterPath {
	days, cum := w.BookedByDay(m)
	return plots.NewQuarterPath(w.Quarter.String(), w.Quarter.Start, w.Quarter.End, r, w.From, days, cum)
}
