package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Origin is a backtest's forecast of a target at one origin, and what
// happened.
type Origin struct {
	Label              string // the last day of the horizon forecast, when what happened was known
	P10, P50, P90, Got float64
}

// ForecastVsActual draws, origin by origin, the forecast's P10–P90 band
// and median against what happened, each at the end of the horizon it
// totals.
func ForecastVsActual(target, unit string, origins []Origin) (*plot.Plot, error) {
	if len(origins) < 2 {
		return nil, fmt.Errorf("plots: forecast against actual: %d origins: %w", len(origins), ErrNoData)
	}
	n := len(origins)
	xs, lo, mid, hi := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	got := make(plotter.XYs, n)
	for i, o := range origins {
		if !finite(o.P10, o.P50, o.P90, o.Got) {
			return nil, fmt.Errorf("plots: forecast against actual: origin %s: %w", o.Label, ErrNoData)
		}
		xs[i], lo[i], mid[i], hi[i] = float64(i), o.P10, o.P50, o.P90
		got[i] = plotter.XY{X: float64(i), Y: o.Got}
	}
	p := newPlot(fmt.Sprintf("Backtest: %s forecast at each origin against what happened", target), "the forecast's horizon ending on", target+unit)
	if unit != "" {
		p.Y.Tick.Marker = moneyTicks
	}
	b, err := band(xs, lo, hi, bandOuter)
	if err != nil {
		return nil, err
	}
	l, err := plotter.NewLine(xy(xs, mid))
	if err != nil {
		return nil, err
	}
	l.Color, l.Width = blue, vg.Points(2)
	sc, err := plotter.NewScatter(got)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = vermilion, draw.CircleGlyph{}, vg.Points(3.5)
	p.Add(b, l, sc)
	p.Legend.Add("forecast P10 to P90", b)
	p.Legend.Add("forecast median", l)
	p.Legend.Add("what happened", sc)
	labels := make([]string, n)
	for i, o := range origins {
		labels[i] = o.Label
	}
	p.X.Tick.Marker = originTicks(labels)
	p.Y.Min = 0
	_, _, _, top := b.DataRange()
	p.Y.Max = 1.3 * math.Max(top, maxY(got)) // room for the legend
	return p, nil
}

func maxY(pts plotter.XYs) float64 {
	m := 0.0
	for _, p := range pts {
		m = math.Max(m, p.Y)
	}
	return m
}

// Coverage draws, target by target, the share of outcomes that fell in
// the forecast's central 50, 80 and 90% intervals, against those levels.
func Coverage(targets []string, cover [][3]float64) (*plot.Plot, error) {
	if len(targets) == 0 || len(cover) != len(targets) {
		return nil, fmt.Errorf("plots: coverage: %w", ErrNoData)
	}
	p := newPlot("Backtest: do the intervals hold? Share of outcomes inside each central interval", "", "share of outcomes inside")
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Y.Tick.Marker = percentTicks
	w := vg.Points(10)
	levels := []float64{0.5, 0.8, 0.9}
	cols := []struct {
		c    color.Color
		name string
	}{{sky, "50% interval"}, {blue, "80% interval"}, {orange, "90% interval"}}
	for k := range levels {
		vs := make(plotter.Values, len(targets))
		for i := range targets {
			if !finite(cover[i][k]) {
				return nil, fmt.Errorf("plots: coverage: %s: %w", targets[i], ErrNoData)
			}
			vs[i] = cover[i][k]
		}
		bars, err := plotter.NewBarChart(vs, w)
		if err != nil {
			return nil, err
		}
		bars.Color, bars.LineStyle.Width, bars.Offset = cols[k].c, 0, vg.Length(k-1)*w
		p.Add(bars)
		p.Legend.Add(cols[k].name, bars)
		l, err := refLine(levels[k], -0.5, float64(len(targets))-0.5, false, cols[k].c)
		if err != nil {
			return nil, err
		}
		l.Width = vg.Points(1)
		p.Add(l)
	}
	p.NominalX(targets...)
	p.Y.Min, p.Y.Max = 0, 1
	// The legend would cover bars that reach 100%: the colours are said
	// under the axis instead.
	p.Legend = plot.NewLegend()
	p.X.Label.Text = "bars: the 50% (light blue), 80% (dark blue) and 90% (orange) intervals; lines: where each should be"
	return p, nil
}

// PITHistogram draws the randomized PIT values of the forecasts in ten
// bins against the flat line they follow when the forecasts are honest.
func PITHistogram(pits []float64) (*plot.Plot, error) {
	var vs plotter.Values
	for _, v := range pits {
		if finite(v) {
			vs = append(vs, v)
		}
	}
	if len(vs) < 2 {
		return nil, fmt.Errorf("plots: PIT: %w", ErrNoData)
	}
	p := newPlot(fmt.Sprintf("Backtest: PIT of %d forecasts (flat when the forecast distributions are honest)", len(vs)), "PIT: where what happened fell in the forecast", "share of forecasts")
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Y.Tick.Marker = percentTicks
	h, err := plotter.NewHist(vs, 10)
	if err != nil {
		return nil, err
	}
	// Ten bins over [0, 1] exactly, not over the values' own range.
	h.Bins = make([]plotter.HistogramBin, 10)
	for i := range h.Bins {
		h.Bins[i].Min, h.Bins[i].Max = float64(i)/10, float64(i+1)/10
	}
	for _, v := range vs {
		h.Bins[min(int(v*10), 9)].Weight += 1 / float64(len(vs))
	}
	h.Width = 0.1
	h.FillColor, h.LineStyle.Color = sky, blue
	p.Add(h)
	l, err := refLine(0.1, 0, 1, false, vermilion)
	if err != nil {
		return nil, err
	}
	p.Add(l)
	p.Legend.Add("flat: 10% a bin", l)
	_, _, _, top := h.DataRange()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, math.Max(0.2, 1.3*top)
	p.Legend.Left = false
	return p, nil
}

// CoverageSeries is a record of whether the forecast's 80% intervals
// covered what happened, by origin: for one target 1 or 0, for several
// the share covered; NaN where nothing was scored.
type CoverageSeries struct {
	Target  string
	Covered []float64
}

// RollingCoverage draws, for each series, the share of the last window
// scored origins' outcomes that the 80% intervals covered, origin by
// origin (from the third scored origin on), against the 80% a calibrated
// forecast covers: the track record a planner checks before trusting the
// next interval.
func RollingCoverage(labels []string, series []CoverageSeries, window int) (*plot.Plot, error) {
	p := newPlot(fmt.Sprintf("Backtest: share of the last %d forecasts whose 80%% interval held", window), "forecast origin", "share covered")
	colours := []color.Color{blue, orange, vermilion, sky, grey, color.NRGBA{0x00, 0x9E, 0x73, 0xff}, color.NRGBA{0xCC, 0x79, 0xA7, 0xff}, color.NRGBA{0xF0, 0xE4, 0x42, 0xff}}
	drawn := 0
	for k, s := range series {
		var pts plotter.XYs
		var last []float64
		for i, c := range s.Covered {
			if math.IsNaN(c) {
				continue
			}
			if last = append(last, c); len(last) > window {
				last = last[1:]
			}
			if len(last) >= 3 {
				pts = append(pts, plotter.XY{X: float64(i), Y: stat.Mean(last, nil)})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = colours[k%len(colours)], vg.Points(2)
		if k >= len(colours) {
			l.Dashes = dashed
		}
		p.Add(l)
		p.Legend.Add(s.Target, l)
		drawn++
	}
	if drawn == 0 {
		return nil, fmt.Errorf("plots: rolling coverage: %w", ErrNoData)
	}
	ref, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0.8}, {X: float64(len(labels) - 1), Y: 0.8}})
	if err != nil {
		return nil, err
	}
	ref.Color, ref.Dashes = grey, dashed
	p.Add(ref)
	p.Legend.Add("80%, where a calibrated forecast sits", ref)
	p.Legend.Left, p.Legend.Top = true, false
	p.X.Tick.Marker = originTicks(labels)
	p.X.Min, p.X.Max = 0, float64(len(labels)-1)
	p.Y.Min, p.Y.Max = 0, 1.05
	return p, nil
}

// originTicks labels about six of the origins.
func originTicks(labels []string) plot.Ticker {
	n := len(labels)
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		var ts []plot.Tick
		step := int(math.Max(1, math.Ceil(float64(n)/6)))
		for i := range n {
			t := plot.Tick{Value: float64(i)}
			if i%step == 0 {
				t.Label = labels[i]
			}
			ts = append(ts, t)
		}
		return ts
	})
}
