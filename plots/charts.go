package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/funnelsim/funnelsim/model"
)

// band returns the polygon between lo and hi over xs.
func band(xs, lo, hi []float64, c color.Color) (*plotter.Polygon, error) {
	pts := make(plotter.XYs, 0, 2*len(xs))
	for i := range xs {
		pts = append(pts, plotter.XY{X: xs[i], Y: hi[i]})
	}
	for i := len(xs) - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: xs[i], Y: lo[i]})
	}
	poly, err := plotter.NewPolygon(pts)
	if err != nil {
		return nil, err
	}
	poly.Color = c
	poly.LineStyle.Width = 0
	return poly, nil
}

// refLine draws a dashed line at v, horizontal from x = from to to, or
// vertical from y = from to to.
func refLine(v, from, to float64, vertical bool, c color.Color) (*plotter.Line, error) {
	pts := plotter.XYs{{X: from, Y: v}, {X: to, Y: v}}
	if vertical {
		pts = plotter.XYs{{X: v, Y: from}, {X: v, Y: to}}
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.Color = c
	l.Width = vg.Points(1.5)
	l.Dashes = dashed
	return l, nil
}

// Fan is the fan chart of revenue booked to date, week by week: the
// P10–P90 and P25–P75 bands, the median and, when target is a number, the
// target as a dashed line, with the chance of reaching it in the title.
func Fan(r *model.Result, target float64) (*plot.Plot, error) {
	weeks := r.WeeklySummaries()
	if len(weeks) == 0 {
		return nil, ErrNoData
	}
	n := len(weeks)
	xs := make([]float64, n)
	q := map[float64][]float64{0.1: make([]float64, n), 0.25: make([]float64, n), 0.5: make([]float64, n), 0.75: make([]float64, n), 0.9: make([]float64, n)}
	for i, w := range weeks {
		xs[i] = float64(w.Week)
		for p, v := range q {
			x, _, _ := w.Revenue.Quantile(p)
			if !finite(x) {
				return nil, fmt.Errorf("plots: fan: week %d has no finite revenue quantiles: %w", w.Week, ErrNoData)
			}
			v[i] = x
		}
	}
	title := fmt.Sprintf("Revenue booked week by week (%s)", r.Currency)
	if finite(target) {
		rev, _ := r.Metric("revenue")
		pt := share(rev, target)
		title = fmt.Sprintf("Revenue booked week by week: %.0f%% chance of %s %s by %s", 100*pt, Money(target), r.Currency, r.Start.AddDate(0, 0, 7*n-1).Format("2 January 2006"))
	}
	p := newPlot(title, "week ending", "revenue to date ("+r.Currency+")")
	p.Y.Tick.Marker = moneyTicks
	p.X.Tick.Marker = weekEnds{start: r.Start.Time, weeks: n}
	outer, inner, med, err := fanLayers(xs, q)
	if err != nil {
		return nil, err
	}
	p.Add(outer, inner, med)
	p.Legend.Add("P10 to P90", outer)
	p.Legend.Add("P25 to P75", inner)
	p.Legend.Add("median", med)
	if finite(target) {
		l, err := refLine(target, 1, float64(n), false, vermilion)
		if err != nil {
			return nil, err
		}
		p.Add(l)
		p.Legend.Add("target "+Money(target), l)
	}
	p.X.Min, p.X.Max, p.Y.Min = 1, float64(n), 0
	// Headroom for the legend, top left, above the target's line and the
	// band's first weeks, whatever the chart's shape.
	top := q[0.9][n-1]
	if finite(target) {
		top = math.Max(top, target)
	}
	p.Y.Max = 1.2 * top
	return p, nil
}

// fanLayers are a fan chart's layers over xs from the quantiles q (at
// 0.1, 0.25, 0.5, 0.75 and 0.9): the P10–P90 and P25–P75 bands and the
// median.
func fanLayers(xs []float64, q map[float64][]float64) (outer, inner *plotter.Polygon, med *plotter.Line, err error) {
	if outer, err = band(xs, q[0.1], q[0.9], bandOuter); err != nil {
		return nil, nil, nil, err
	}
	if inner, err = band(xs, q[0.25], q[0.75], bandInner); err != nil {
		return nil, nil, nil, err
	}
	if med, err = plotter.NewLine(xy(xs, q[0.5])); err != nil {
		return nil, nil, nil, err
	}
	med.Color, med.Width = blue, vg.Points(2.5)
	return outer, inner, med, nil
}

// weekTicks marks every week, labelling every other one.
type weekTicks struct{}

func (weekTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	step := math.Max(1, math.Ceil((hi-lo)/13))
	for w := math.Ceil(lo); w <= hi; w++ {
		t := plot.Tick{Value: w}
		if int(w-math.Ceil(lo))%int(2*step) == 0 || w == hi {
			t.Label = fmt.Sprint(w)
		}
		ts = append(ts, t)
	}
	return ts
}

func xy(xs, ys []float64) plotter.XYs {
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	return pts
}

// share is the fraction of the finite values at or above x.
func share(vs []float64, x float64) float64 {
	n, k := 0.0, 0.0
	for _, v := range vs {
		if finite(v) {
			n++
			if v >= x {
				k++
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return k / n
}

// Histogram is the distribution of the horizon's revenue over the trials,
// with P10, P50 and P90 marked and, when target is a number, the target
// and the chance of reaching it in the title.
func Histogram(r *model.Result, target float64) (*plot.Plot, error) {
	rev, ok := r.Metric("revenue")
	if !ok {
		return nil, fmt.Errorf("plots: histogram: no revenue metric")
	}
	var vs plotter.Values
	for _, v := range rev {
		if finite(v) {
			vs = append(vs, v)
		}
	}
	if len(vs) < 2 {
		return nil, fmt.Errorf("plots: histogram: %w", ErrNoData)
	}
	s := model.Summarize("revenue", rev)
	title := fmt.Sprintf("Revenue over %d weeks: %d trials", r.Weeks, len(vs))
	if finite(target) {
		title = fmt.Sprintf("Revenue over %d weeks: %.0f%% chance of reaching %s %s", r.Weeks, 100*share(rev, target), Money(target), r.Currency)
	}
	xlabel := "revenue (" + r.Currency + ")"
	// A long run's rare extremes would stretch the axis until the bars
	// are a sliver: the 0.1% of trials beyond either end go into the end
	// bars, and the axis label says so.
	sorted := slices.Clone([]float64(vs))
	slices.Sort(sorted)
	lo, hi := model.QuantileOf(sorted, 0.001), model.QuantileOf(sorted, 0.999)
	if sorted[0] < lo || sorted[len(sorted)-1] > hi {
		for i, v := range vs {
			vs[i] = min(max(v, lo), hi)
		}
		xlabel += "; the 0.1% of trials beyond each end are in its end bar"
	}
	p := newPlot(title, xlabel, "share of trials")
	p.X.Tick.Marker = moneyTicks
	h, err := plotter.NewHist(vs, 40)
	if err != nil {
		return nil, err
	}
	for i := range h.Bins { // the share of trials in each bin
		h.Bins[i].Weight /= float64(len(vs))
	}
	p.Y.Tick.Marker = percentTicks
	h.FillColor = sky
	h.LineStyle.Color = blue
	h.LineStyle.Width = vg.Points(0.5)
	p.Add(h)
	_, _, _, ymax := h.DataRange()
	p.Y.Min, p.Y.Max = 0, 1.1*ymax // room above the tallest bar
	for _, m := range []struct {
		p     float64
		name  string
		width float64
	}{{0.1, "P10", 1}, {0.5, "P50", 2}, {0.9, "P90", 1}} {
		v, _, _ := s.Quantile(m.p)
		l, err := refLine(v, 0, ymax, true, grey)
		if err != nil {
			return nil, err
		}
		l.Width = vg.Points(m.width)
		if m.p == 0.5 {
			l.Dashes = nil
		}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s %s", m.name, Money(v)), l)
	}
	if finite(target) {
		l, err := refLine(target, 0, ymax, true, vermilion)
		if err != nil {
			return nil, err
		}
		l.Width = vg.Points(2)
		p.Add(l)
		p.Legend.Add("target "+Money(target), l)
	}
	p.Legend.Left = false
	return p, nil
}

// Funnel is the median number of leads entering each stage over the
// horizon and of wins, each bar labelled with its count and each stage
// with the share of the stage before that reached it (of the medians),
// the marketing stages and the sales stages told apart by the hand-off
// line; with a second result (a scenario), its bars stand beside the
// baseline's and the shares read baseline → scenario.
func Funnel(m *model.Model, base *model.Result, scen *model.Result, scenName string) (*plot.Plot, error) {
	n := len(m.Stages)
	if n == 0 {
		return nil, ErrNoData
	}
	metrics := make([]string, 0, n+1)
	names := make([]string, 0, n+1)
	for _, st := range m.Stages {
		metrics, names = append(metrics, st.MetricName()), append(names, st.Name)
	}
	metrics, names = append(metrics, "wins"), append(names, "won")
	values := func(r *model.Result) (plotter.Values, error) {
		vs := make(plotter.Values, len(metrics))
		for s, name := range metrics {
			x, ok := r.Metric(name)
			if !ok {
				return nil, fmt.Errorf("plots: funnel: no metric %q", name)
			}
			v, _, _ := model.Summarize("", x).Quantile(0.5)
			if !finite(v) {
				return nil, fmt.Errorf("plots: funnel: stage %s: %w", names[s], ErrNoData)
			}
			vs[s] = v
		}
		return vs, nil
	}
	bv, err := values(base)
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("The funnel: median leads entering each stage over %d weeks, and wins", base.Weeks)
	var sv plotter.Values
	if scen != nil {
		title = fmt.Sprintf("The funnel over %d weeks: %s against the baseline", base.Weeks, scenName)
		if sv, err = values(scen); err != nil {
			return nil, err
		}
	}
	p := newPlot(title, "under each stage: the share of the stage before that reached it", "leads entering the stage (median)")
	w := vg.Points(22)
	if scen != nil {
		w = vg.Points(27) // a pair's labels side by side
	}
	top := 0.0
	for _, set := range []struct {
		vs     plotter.Values
		c      color.Color
		name   string
		offset vg.Length
	}{{bv, blue, base.Model, 0}, {sv, orange, scenName, w / 2}} {
		if set.vs == nil {
			continue
		}
		b, err := plotter.NewBarChart(set.vs, w)
		if err != nil {
			return nil, err
		}
		if scen != nil && set.offset == 0 {
			set.offset = -w / 2
		}
		b.Color, b.LineStyle.Width, b.Offset = set.c, 0, set.offset
		p.Add(b)
		p.Legend.Add(set.name, b)
		l, err := barLabels(set.vs, set.offset)
		if err != nil {
			return nil, err
		}
		p.Add(l)
		_, _, _, t := b.DataRange()
		top = math.Max(top, t)
	}
	ticks := make([]string, len(names))
	for s, name := range names {
		ticks[s] = name
		if s == 0 {
			continue
		}
		share := percent(bv[s], bv[s-1])
		if scen != nil {
			share = percent(bv[s], bv[s-1]) + " → " + percent(sv[s], sv[s-1])
		}
		ticks[s] = name + "\n" + share
	}
	p.NominalX(ticks...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4 // room for the outer bars
	p.Y.Min, p.Y.Max = 0, 1.15*top                   // and for the labels and the legend
	if hs := m.StageIndex(m.SalesStart); hs > 0 {
		l, err := refLine(float64(hs)-0.5, 0, top, true, grey)
		if err != nil {
			return nil, err
		}
		p.Add(l)
		p.Legend.Add("hand-off: marketing | sales", l)
	}
	p.Legend.Left = false
	return p, nil
}

// percent is a/b as a whole percentage, "-" where b is not positive.
func percent(a, b float64) string {
	if !(b > 0) {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*a/b)
}

// barLabels labels bars of values vs, drawn offset from their category,
// with their counts, just above each bar.
func barLabels(vs plotter.Values, offset vg.Length) (*plotter.Labels, error) {
	xy := plotter.XYLabels{XYs: make(plotter.XYs, len(vs)), Labels: make([]string, len(vs))}
	for i, v := range vs {
		xy.XYs[i] = plotter.XY{X: float64(i), Y: v}
		xy.Labels[i] = thousands(v)
	}
	l, err := plotter.NewLabels(xy)
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font = houseFont
		l.TextStyle[i].Font.Size = vg.Points(9)
		l.TextStyle[i].XAlign = draw.XCenter
	}
	l.Offset = vg.Point{X: offset, Y: vg.Points(3)}
	return l, nil
}

// thousands formats a count with thousands separators.
func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", math.Abs(v))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if v < 0 && s != "0" {
		s = "-" + s
	}
	return s
}

// Delta is one scenario's paired difference in a metric: its mean and its
// P10 and P90 over the trials.
type Delta struct {
	Name            string
	Mean, P10, P90  float64
	PBetter, PWorse float64 // shares of trials; the rest are ties
}

// Scenarios draws each scenario's paired difference from the baseline in
// one metric (revenue, say) as its P10–P90 interval over the trials and
// its mean, against a zero line, the scenario that moves it most (in
// the direction the metric improves) on top. Each name says in how many
// trials the scenario does better and worse; for a count that is neither
// good nor bad in itself (SQLs: fewer is what stricter criteria intend),
// more and fewer.
func Scenarios(info model.MetricInfo, currency string, deltas []Delta) (*plot.Plot, error) {
	if len(deltas) == 0 {
		return nil, ErrNoData
	}
	deltas = slices.Clone(deltas)
	sign := 1.0
	if info.Better == model.Lower {
		sign = -1
	}
	slices.SortStableFunc(deltas, func(a, b Delta) int { return cmp.Compare(sign*b.Mean, sign*a.Mean) })
	metric := cmp.Or(info.Label, info.Name)
	unit := metric
	money := info.Unit == model.Money
	if money {
		unit = metric + " (" + currency + ")"
	}
	p := newPlot(fmt.Sprintf("Each scenario against the baseline, trial by trial: %s", metric), unit+", scenario minus baseline: P10 to P90 and mean", "")
	p.X.Tick.Marker = niceTicks(func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) })
	if money {
		p.X.Tick.Marker = niceTicks(Money)
	}
	names := make([]string, len(deltas))
	means := make(plotter.XYs, len(deltas))
	errs := make(plotter.XErrors, len(deltas))
	lo, hi := 0.0, 0.0
	for i, d := range deltas {
		if !finite(d.Mean, d.P10, d.P90) {
			return nil, fmt.Errorf("plots: scenarios: %s: %w", d.Name, ErrNoData)
		}
		y := float64(len(deltas) - 1 - i) // first scenario on top
		names[len(deltas)-1-i] = wrap(d.Name, 28) + "\n" + shares(info, d)
		means[i] = plotter.XY{X: d.Mean, Y: y}
		errs[i] = struct{ Low, High float64 }{d.Mean - d.P10, d.P90 - d.Mean}
		lo, hi = math.Min(lo, d.P10), math.Max(hi, d.P90)
	}
	type xyerr struct {
		plotter.XYs
		plotter.XErrors
	}
	eb, err := plotter.NewXErrorBars(xyerr{means, errs})
	if err != nil {
		return nil, err
	}
	eb.LineStyle.Color, eb.LineStyle.Width = blue, vg.Points(3)
	eb.CapWidth = vg.Points(8)
	sc, err := plotter.NewScatter(means)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = vermilion, vg.Points(4), draw.CircleGlyph{}
	zero, err := refLine(0, -0.5, float64(len(deltas))-0.5, true, grey)
	if err != nil {
		return nil, err
	}
	p.Add(zero, eb, sc)
	p.NominalY(names...)
	thumb, err := plotter.NewLine(plotter.XYs{{}, {}}) // the legend's swatch for the bars
	if err != nil {
		return nil, err
	}
	thumb.LineStyle = eb.LineStyle
	p.Legend.Add("P10 to P90", thumb)
	p.Legend.Add("mean", sc)
	p.Legend.Add("no change", zero)
	// Room on the right, past every bar, for the legend.
	pad := 0.05 * (hi - lo)
	p.X.Min, p.X.Max = lo-pad, hi+0.4*(hi-lo)
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs = -vg.Points(12) // the thick bar's thumbnail clear of the edge
	return p, nil
}

// wrap breaks s into lines of at most width characters at spaces (a word
// longer than width has a line of its own).
func wrap(s string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines, line = append(lines, line), w
			continue
		}
		line = strings.TrimSpace(line + " " + w)
	}
	return strings.Join(append(lines, line), "\n")
}

// shares says in how many trials a scenario does better and worse in a
// metric: "better 60%, worse 40%", or, for a count of leads in a stage,
// "more 60%, fewer 40%".
func shares(info model.MetricInfo, d Delta) string {
	if info.Unit == model.Count && info.Name != "wins" {
		more, fewer := d.PBetter, d.PWorse
		if info.Better == model.Lower {
			more, fewer = fewer, more
		}
		return fmt.Sprintf("more %.0f%%, fewer %.0f%%", 100*more, 100*fewer)
	}
	return fmt.Sprintf("better %.0f%%, worse %.0f%%", 100*d.PBetter, 100*d.PWorse)
}

// weekEnds labels a fan's weeks 1..weeks by the date each ends, every
// other week where there are many.
type weekEnds struct {
	start time.Time
	weeks int
}

func (w weekEnds) Ticks(lo, hi float64) []plot.Tick {
	step := max(1, (w.weeks+6)/7)
	var ts []plot.Tick
	year := 0
	for k := 1; k <= w.weeks; k++ {
		t := plot.Tick{Value: float64(k)}
		if (k-1)%step == 0 || k == w.weeks {
			// The year on the first label and wherever it turns.
			d := w.start.AddDate(0, 0, 7*k-1)
			t.Label = d.Format("2 Jan")
			if d.Year() != year {
				t.Label, year = d.Format("2 Jan 2006"), d.Year()
			}
		}
		ts = append(ts, t)
	}
	return ts
}

// SweepPoint is one lever value's revenue quantiles.
type SweepPoint struct {
	Value, P10, P50, P90 float64
}

// Sweep draws revenue against a lever's value, in unit: the P10–P90 band,
// the median and, where they are numbers, the target and the lever's
// current value (marked "now").
func Sweep(lever string, unit model.Unit, currency string, pts []SweepPoint, target, current float64) (*plot.Plot, error) {
	if len(pts) < 2 {
		return nil, fmt.Errorf("plots: sweep: %d values: %w", len(pts), ErrNoData)
	}
	xs, lo, mid, hi := make([]float64, len(pts)), make([]float64, len(pts)), make([]float64, len(pts)), make([]float64, len(pts))
	for i, pt := range pts {
		if !finite(pt.Value, pt.P10, pt.P50, pt.P90) {
			return nil, fmt.Errorf("plots: sweep: value %v: %w", pt.Value, ErrNoData)
		}
		xs[i], lo[i], mid[i], hi[i] = pt.Value, pt.P10, pt.P50, pt.P90
	}
	p := newPlot(fmt.Sprintf("Revenue as %s varies (P10 to P90 and median)", lever), lever, "revenue ("+currency+")")
	p.Y.Tick.Marker = moneyTicks
	if unit == model.Money {
		p.X.Tick.Marker = moneyTicks
	}
	b, err := band(xs, lo, hi, bandOuter)
	if err != nil {
		return nil, err
	}
	l, pts2, err := plotter.NewLinePoints(xy(xs, mid))
	if err != nil {
		return nil, err
	}
	l.Color, l.Width = blue, vg.Points(2.5)
	pts2.GlyphStyle.Color = blue
	p.Add(b, l, pts2)
	p.Legend.Add("P10 to P90", b)
	p.Legend.Add("median", l)
	if finite(target) {
		t, err := refLine(target, xs[0], xs[len(xs)-1], false, vermilion)
		if err != nil {
			return nil, err
		}
		p.Add(t)
		p.Legend.Add("target "+Money(target), t)
	}
	top := 0.0
	for _, h := range hi {
		top = math.Max(top, h)
	}
	if finite(current) && current >= xs[0] && current <= xs[len(xs)-1] {
		now, err := refLine(current, 0, top, true, grey)
		if err != nil {
			return nil, err
		}
		p.Add(now)
		label := strconv.FormatFloat(current, 'g', 4, 64)
		if unit == model.Money {
			label = Money(current)
		}
		p.Legend.Add("now: "+label, now)
	}
	// The band rises with the lever: the legend goes where it is not.
	p.Legend.Top, p.Legend.Left = false, false
	p.Y.Min = 0
	return p, nil
}

// percentTicks labels shares as percentages.
var percentTicks = labelTicks(func(v float64) string { return trim(fmt.Sprintf("%.1f", 100*v)) + "%" })

// Swing is one driver's effect for the tornado chart: the metric's value
// with the driver moved down and up.
type Swing struct {
	Driver    string
	Low, High float64
}

// Tornado draws how far the median of a metric moves when each driver
// moves, the widest swing on top, around the baseline's median.
func Tornado(metric, currency string, base float64, swings []Swing) (*plot.Plot, error) {
	if len(swings) == 0 || !finite(base) {
		return nil, fmt.Errorf("plots: tornado: %w", ErrNoData)
	}
	p := newPlot(fmt.Sprintf("What moves the median %s most", metric), "median "+metric+" ("+currency+")", "")
	p.X.Tick.Marker = moneyTicks
	n := len(swings)
	names := make([]string, n)
	lo, hi := base, base
	for i, s := range swings {
		if !finite(s.Low, s.High) {
			return nil, fmt.Errorf("plots: tornado: %s: %w", s.Driver, ErrNoData)
		}
		y := float64(n - 1 - i)
		names[n-1-i] = s.Driver
		for _, end := range []struct {
			v   float64
			col color.Color
		}{{s.Low, orange}, {s.High, blue}} {
			bar, err := plotter.NewPolygon(plotter.XYs{{X: base, Y: y - 0.3}, {X: end.v, Y: y - 0.3}, {X: end.v, Y: y + 0.3}, {X: base, Y: y + 0.3}})
			if err != nil {
				return nil, err
			}
			bar.Color, bar.LineStyle.Width = end.col, 0
			p.Add(bar)
			if i == 0 {
				label := "driver down"
				if end.col == blue {
					label = "driver up"
				}
				p.Legend.Add(label, bar)
			}
		}
		lo, hi = math.Min(lo, math.Min(s.Low, s.High)), math.Max(hi, math.Max(s.Low, s.High))
	}
	mid, err := refLine(base, -0.6, float64(n)-0.4, true, grey)
	if err != nil {
		return nil, err
	}
	p.Add(mid)
	p.Legend.Add("baseline "+Money(base), mid)
	p.NominalY(names...)
	pad := 0.08 * (hi - lo)
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.Legend.Top, p.Legend.Left = false, false
	return p, nil
}

// stagePalette gives each stage a colour and a glyph, so that stages stay
// apart in grayscale too.
var stagePalette = []struct {
	c     color.Color
	glyph draw.GlyphDrawer
}{
	{blue, draw.CircleGlyph{}}, {orange, draw.SquareGlyph{}}, {color.NRGBA{0x00, 0x9E, 0x73, 0xff}, draw.TriangleGlyph{}},
	{vermilion, draw.RingGlyph{}}, {color.NRGBA{0xCC, 0x79, 0xA7, 0xff}, draw.BoxGlyph{}}, {sky, draw.PyramidGlyph{}},
	{grey, draw.CrossGlyph{}}, {color.Black, draw.PlusGlyph{}},
}

// Calibration sets, for each stage, the share of entering leads that
// advanced within each number of weeks as the history shows it (points,
// model-free) against the calibrated model (lines); observed[s][w] and
// fitted[s][w] for w = 0..weeks.
func Calibration(stages []string, observed, fitted [][]float64) (*plot.Plot, error) {
	if len(stages) == 0 || len(observed) != len(stages) || len(fitted) != len(stages) {
		return nil, fmt.Errorf("plots: calibration: %w", ErrNoData)
	}
	p := newPlot("Does the model fit its history? Advanced by weeks in stage: lines the model, points the history", "weeks in stage", "share of entering leads that advanced")
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Y.Tick.Marker = percentTicks
	for s, name := range stages {
		if len(observed[s]) != len(fitted[s]) || len(fitted[s]) < 2 {
			return nil, fmt.Errorf("plots: calibration: stage %s: %w", name, ErrNoData)
		}
		var fit, obs plotter.XYs
		for w := range fitted[s] {
			if !finite(fitted[s][w], observed[s][w]) {
				return nil, fmt.Errorf("plots: calibration: stage %s, week %d: %w", name, w, ErrNoData)
			}
			fit = append(fit, plotter.XY{X: float64(w), Y: fitted[s][w]})
			obs = append(obs, plotter.XY{X: float64(w), Y: observed[s][w]})
		}
		style := stagePalette[s%len(stagePalette)]
		l, err := plotter.NewLine(fit)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = style.c, vg.Points(1.5)
		sc, err := plotter.NewScatter(obs)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = style.c, style.glyph, vg.Points(2.5)
		p.Add(l, sc)
		p.Legend.Add(name, l, sc)
	}
	p.Y.Min, p.X.Min, p.X.Max = 0, 0, float64(len(fitted[0])-1)
	p.X.Tick.Marker = weekTicks{}
	p.Legend.Left, p.Legend.Top = false, false
	return p, nil
}

// Response draws each channel's leads a week against its spend a week,
// for the channels with a fitted response to spend: solid over the spend
// the history showed, dashed beyond it, with the current spend marked.
func Response(m *model.Model) (*plot.Plot, error) {
	p := newPlot("Leads a week against spend a week, by channel", "spend a week ("+m.Currency+"); dots: now; dashed: beyond the spend the history showed", "leads a week")
	p.X.Tick.Marker = moneyTicks
	p.Y.Tick.Marker = plainTicks
	colours := []color.Color{blue, orange, vermilion, green, purple, sky, grey}
	drawn := 0
	for _, ch := range m.Channels {
		r := ch.Response
		if r == nil {
			continue
		}
		lo, hi, ok := r.SpendRange()
		if !ok {
			lo, hi = 0, 2*ch.WeeklySpend
		}
		top := math.Max(2*ch.WeeklySpend, 1.25*hi)
		if !finite(top) || top <= 0 {
			continue
		}
		c := colours[drawn%len(colours)]
		curve := func(a, b float64) plotter.XYs {
			const n = 60
			xys := make(plotter.XYs, n+1)
			for i := range xys {
				x := a + (b-a)*float64(i)/n
				xys[i] = plotter.XY{X: x, Y: r.Leads(x)}
			}
			return xys
		}
		for _, part := range []struct {
			a, b   float64
			dashed bool
		}{{0, lo, true}, {lo, hi, false}, {hi, top, true}} {
			if part.b <= part.a {
				continue
			}
			l, err := plotter.NewLine(curve(part.a, part.b))
			if err != nil {
				return nil, err
			}
			l.Color, l.Width = c, vg.Points(2)
			if part.dashed {
				l.Dashes = dashed
			} else {
				p.Legend.Add(ch.Name, l)
			}
			p.Add(l)
		}
		now, err := plotter.NewScatter(plotter.XYs{{X: ch.WeeklySpend, Y: r.Leads(ch.WeeklySpend)}})
		if err != nil {
			return nil, err
		}
		now.GlyphStyle.Color, now.GlyphStyle.Radius, now.GlyphStyle.Shape = c, vg.Points(4), draw.CircleGlyph{}
		p.Add(now)
		drawn++
	}
	if drawn == 0 {
		return nil, fmt.Errorf("plots: response: no channel has a response to spend: %w", ErrNoData)
	}
	p.X.Min, p.Y.Min = 0, 0
	return p, nil
}

// plainTicks labels the default ticks as plain numbers (25, not 25.00).
var plainTicks = labelTicks(func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) })

// FrontierPoint is one weekly budget's objective for the frontier chart:
// at today's mix of spend and at the best split found, each with its
// Monte Carlo standard error.
type FrontierPoint struct {
	Budget              float64
	TodayMix, TodayMCSE float64
	Best, BestMCSE      float64
}

// Frontier draws the objective against the weekly budget: the best split
// found at each budget and today's mix scaled to it, with ±2 MCSE bars,
// today's point (today's mix at today's budget) and the chosen one
// marked. A share objective (ratio) is drawn in percent, else in money.
func Frontier(objective, currency string, ratio bool, pts []FrontierPoint, today, chosen FrontierPoint) (*plot.Plot, error) {
	if len(pts) < 2 {
		return nil, fmt.Errorf("plots: frontier: %d budgets: %w", len(pts), ErrNoData)
	}
	xs, best, mix := make([]float64, len(pts)), make([]float64, len(pts)), make([]float64, len(pts))
	for i, pt := range pts {
		if !finite(pt.Budget, pt.Best, pt.TodayMix) {
			return nil, fmt.Errorf("plots: frontier: budget %v: %w", pt.Budget, ErrNoData)
		}
		xs[i], best[i], mix[i] = pt.Budget, pt.Best, pt.TodayMix
	}
	y := objective
	if !ratio {
		y += " (" + currency + ")"
	}
	p := newPlot("What each weekly budget can reach", "weekly budget ("+currency+")", y)
	p.X.Tick.Marker = moneyTicks
	p.Y.Tick.Marker = moneyTicks
	if ratio {
		p.Y.Tick.Marker = percentTicks
	}
	for _, s := range []struct {
		ys    []float64
		mcse  func(FrontierPoint) float64
		c     color.Color
		label string
		dash  bool
	}{{mix, func(f FrontierPoint) float64 { return f.TodayMCSE }, grey, "today's mix, scaled", true},
		{best, func(f FrontierPoint) float64 { return f.BestMCSE }, blue, "best split found", false}} {
		l, g, err := plotter.NewLinePoints(xy(xs, s.ys))
		if err != nil {
			return nil, err
		}
		l.Color, l.Width, g.GlyphStyle.Color = s.c, vg.Points(2), s.c
		if s.dash {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		bars := make(plotter.YErrors, len(pts))
		for i, pt := range pts {
			e := 2 * s.mcse(pt)
			if !finite(e) {
				e = 0
			}
			bars[i].Low, bars[i].High = e, e
		}
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYer
			plotter.YErrorer
		}{xy(xs, s.ys), bars})
		if err != nil {
			return nil, err
		}
		eb.Color = s.c
		p.Add(l, g, eb)
		p.Legend.Add(s.label+" (±2 MCSE)", l)
	}
	for _, m := range []struct {
		pt    FrontierPoint
		y     float64
		c     color.Color
		shape draw.GlyphDrawer
		label string
	}{{today, today.TodayMix, vermilion, draw.BoxGlyph{}, "today"}, {chosen, chosen.Best, green, draw.PyramidGlyph{}, "chosen split"}} {
		if !finite(m.pt.Budget, m.y) {
			continue
		}
		s, err := plotter.NewScatter(xy([]float64{m.pt.Budget}, []float64{m.y}))
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: m.c, Radius: vg.Points(6), Shape: m.shape}
		p.Add(s)
		p.Legend.Add(m.label, s)
	}
	// Room either side for the end points' markers and bars.
	pad := 0.05 * (xs[len(xs)-1] - xs[0])
	p.X.Min, p.X.Max = xs[0]-pad, xs[len(xs)-1]+pad
	p.Legend.Top, p.Legend.Left = false, false
	return p, nil
}
