package plots

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/funnelsim/funnelsim/model"
)

// QuarterPath is a fiscal quarter's revenue as the quarter fan draws it:
// what was booked day by day from the quarter's start to the as-of date,
// then the simulated weeks to the quarter's end.
type QuarterPath struct {
	Name       string    // the quarter, 2027Q1
	Start, End time.Time // its first day, and the day after its last
	Currency   string
	// BookedDays and BookedCum are the days with wins before the as-of
	// date and the revenue booked in the quarter by each day's end.
	BookedDays []time.Time
	BookedCum  []float64
	// SimStart is the first simulated day in the quarter; Weeks holds, for
	// each simulated week in it, the quarter's revenue by the week's end
	// in every trial (booked plus simulated).
	SimStart time.Time
	Weeks    [][]float64
}

// NewQuarterPath is the quarter's path from r, a run whose weeks from
// from on fall in the quarter; booked is the revenue the history booked
// in the quarter before r's start, with its days and cumulative amounts.
func NewQuarterPath(name string, start, end time.Time, r *model.Result, from int, days []time.Time, cum []float64) *QuarterPath {
	q := &QuarterPath{Name: name, Start: start, End: end, Currency: r.Currency, BookedDays: days, BookedCum: cum,
		SimStart: r.Start.AddDate(0, 0, 7*from)}
	base := 0.0
	if len(cum) > 0 {
		base = cum[len(cum)-1]
	}
	for k := from; k < r.Weeks; k++ {
		xs := make([]float64, r.Trials)
		for i := range xs {
			path := r.CumRevenue[i*r.Weeks : (i+1)*r.Weeks]
			xs[i] = base + path[k]
			if from > 0 {
				xs[i] -= path[from-1]
			}
		}
		q.Weeks = append(q.Weeks, xs)
	}
	return q
}

// weeksIn is t's place on the quarter fan's axis: weeks since the
// quarter's first day.
func (q *QuarterPath) weeksIn(t time.Time) float64 { return t.Sub(q.Start).Hours() / 24 / 7 }

// QuarterFan is the fan chart of a fiscal quarter: revenue booked so far
// as a solid line, then the simulated rest's P10–P90 and P25–P75 bands
// and median, to the quarter's end; where target is a number, the target
// as a dashed line and the chance of reaching it in the title.
func QuarterFan(q *QuarterPath, target float64) (*plot.Plot, error) {
	if len(q.Weeks) == 0 {
		return nil, ErrNoData
	}
	n := len(q.Weeks)
	x0 := q.weeksIn(q.SimStart)
	base := 0.0
	if len(q.BookedCum) > 0 {
		base = q.BookedCum[len(q.BookedCum)-1]
	}
	// The bands start at the as-of date from what was booked by then.
	xs := []float64{x0}
	qs := map[float64][]float64{0.1: {base}, 0.25: {base}, 0.5: {base}, 0.75: {base}, 0.9: {base}}
	for k, trials := range q.Weeks {
		xs = append(xs, x0+float64(k+1))
		s := model.Summarize("revenue", trials)
		for p := range qs {
			v := s.Q(p).Value
			if !finite(v) {
				return nil, fmt.Errorf("plots: quarter fan: week %d has no finite revenue quantiles: %w", k+1, ErrNoData)
			}
			qs[p] = append(qs[p], v)
		}
	}
	title := fmt.Sprintf("%s revenue: booked, then forecast to the quarter's end (%s)", q.Name, q.Currency)
	if finite(target) {
		title = fmt.Sprintf("%s revenue: %.0f%% chance of %s %s by the quarter's end", q.Name, 100*share(q.Weeks[n-1], target), Money(target), q.Currency)
	}
	p := newPlot(title, "", "revenue in the quarter ("+q.Currency+")")
	p.Y.Tick.Marker = moneyTicks
	p.X.Tick.Marker = quarterTicks{q}
	outer, inner, med, err := fanLayers(xs, qs)
	if err != nil {
		return nil, err
	}
	p.Add(outer, inner, med)
	if len(q.BookedDays) > 0 || x0 > 0 {
		// The booked line is a step up on each day with wins, from 0 at
		// the quarter's start to what was booked by the as-of date.
		pts := plotter.XYs{{X: 0, Y: 0}}
		prev := 0.0
		for i, d := range q.BookedDays {
			x := q.weeksIn(d.AddDate(0, 0, 1))
			pts = append(pts, plotter.XY{X: x, Y: prev}, plotter.XY{X: x, Y: q.BookedCum[i]})
			prev = q.BookedCum[i]
		}
		pts = append(pts, plotter.XY{X: x0, Y: prev})
		booked, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		booked.Color, booked.Width = ink, vg.Points(2.5)
		p.Add(booked)
		p.Legend.Add("booked", booked)
	}
	p.Legend.Add("P10 to P90", outer)
	p.Legend.Add("P25 to P75", inner)
	p.Legend.Add("median", med)
	end := q.weeksIn(q.End)
	if finite(target) {
		l, err := refLine(target, 0, math.Max(end, xs[len(xs)-1]), false, vermilion)
		if err != nil {
			return nil, err
		}
		p.Add(l)
		p.Legend.Add("target "+Money(target), l)
	}
	p.X.Min, p.X.Max, p.Y.Min = 0, math.Max(end, xs[len(xs)-1]), 0
	top := qs[0.9][len(xs)-1]
	if finite(target) {
		top = math.Max(top, target)
	}
	p.Y.Max = 1.2 * top
	return p, nil
}

// quarterTicks marks the quarter's weeks, labelling the first day of each
// month in it.
type quarterTicks struct{ q *QuarterPath }

func (t quarterTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for w := math.Ceil(lo); w <= hi; w++ {
		ts = append(ts, plot.Tick{Value: w})
	}
	for d := t.q.Start; !d.After(t.q.Start.AddDate(0, 0, int(hi*7))); d = d.AddDate(0, 1, 0) {
		ts = append(ts, plot.Tick{Value: t.q.weeksIn(d), Label: d.Format("2 Jan 2006")})
	}
	return ts
}
