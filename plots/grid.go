package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/funnelsim/funnelsim/model"
)

// GridAxis is one lever of a two-lever grid: its name, its unit, its
// values and its value today (NaN where not known).
type GridAxis struct {
	Name    string
	Unit    model.Unit
	Values  []float64
	Current float64
}

// label is the axis's title: the lever and its unit (levers of money are
// weekly spend; of counts, leads come a week).
func (g GridAxis) label(currency string) string {
	switch {
	case g.Unit == model.Money:
		return fmt.Sprintf("%s (%s a week)", g.Name, currency)
	case g.Name == "leads":
		return "new leads a week"
	case g.Unit == model.Ratio:
		return g.Name + " (a share a week)"
	}
	return g.Name
}

// position is where v falls on the axis, whose values sit at 0, 1, 2 …:
// between two values by linear interpolation; ok is false outside them.
func (g GridAxis) position(v float64) (float64, bool) {
	for i := 1; i < len(g.Values); i++ {
		lo, hi := g.Values[i-1], g.Values[i]
		if v >= lo && v <= hi && hi > lo {
			return float64(i-1) + (v-lo)/(hi-lo), true
		}
	}
	if len(g.Values) == 1 && v == g.Values[0] {
		return 0, true
	}
	return 0, false
}

// cells is a grid's values as plotter.GridXYZ: columns b, rows a, placed
// at their positions so that every cell has the same size.
type cells struct {
	z    [][]float64 // z[a][b]
	a, b int
}

func (c cells) Dims() (int, int)       { return c.b, c.a }
func (c cells) Z(col, row int) float64 { return c.z[row][col] }
func (c cells) X(col int) float64      { return float64(col) }
func (c cells) Y(row int) float64      { return float64(row) }

// Grid is a heat map of a two-lever grid: lever a up the side, lever b
// along the bottom, each cell coloured and labelled by its value z[i][j]
// (a at a.Values[i], b at b.Values[j]), the chance of reaching target
// where target is finite (z in [0, 1]), else median revenue. The colours
// run from the lowest cell to the highest, over at least 20 points of
// chance (or a fifth of the highest revenue), so that small differences
// do not look large; the title gives the values at white and at the
// darkest. Today's levers, where inside the grid, are marked.
func Grid(a, b GridAxis, currency string, z [][]float64, target float64) (*plot.Plot, error) {
	if len(a.Values) == 0 || len(b.Values) == 0 || len(z) != len(a.Values) {
		return nil, fmt.Errorf("plots: grid: %w", ErrNoData)
	}
	label := func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }
	title := fmt.Sprintf("Chance revenue reaches %s, by %s and %s (darker: higher)", Money(target), a.Name, b.Name)
	if !finite(target) {
		title = fmt.Sprintf("Median revenue (%s), by %s and %s (darker: higher)", currency, a.Name, b.Name)
		label = Money
	}
	// The colours span the cells' own range, so that the differences a
	// decision turns on show; each cell's label gives its value.
	lo, hi := z[0][0], z[0][0]
	for i, row := range z {
		if len(row) != len(b.Values) {
			return nil, fmt.Errorf("plots: grid: row %d has %d cells for %d values", i, len(row), len(b.Values))
		}
		for _, v := range row {
			if !finite(v) {
				return nil, fmt.Errorf("plots: grid: %w", ErrNoData)
			}
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	// At least 20 points of chance, or a fifth of the top revenue, from
	// white to the darkest, centred on the cells' own range.
	span := 0.2
	if !finite(target) {
		span = math.Max(0.2*math.Abs(hi), 1)
	}
	if hi-lo < span {
		mid := (lo + hi) / 2
		lo, hi = mid-span/2, mid+span/2
		if finite(target) {
			if lo < 0 {
				lo, hi = 0, span
			} else if hi > 1 {
				lo, hi = 1-span, 1
			}
		}
	}
	title = strings.Replace(title, "(darker: higher)", fmt.Sprintf("(white %s, darkest %s)", label(lo), label(hi)), 1)
	pal, err := brewer.GetPalette(brewer.TypeSequential, "Blues", 9)
	if err != nil {
		return nil, err
	}
	p := newPlot(title, b.label(currency), a.label(currency))
	h := plotter.NewHeatMap(cells{z: z, a: len(a.Values), b: len(b.Values)}, pal)
	h.Min, h.Max = lo, hi
	p.Add(h)
	xy := plotter.XYLabels{}
	var styles []color.Color
	for i, row := range z {
		for j, v := range row {
			xy.XYs = append(xy.XYs, plotter.XY{X: float64(j), Y: float64(i)})
			xy.Labels = append(xy.Labels, label(v))
			// Dark cells take white text.
			if (v-lo)/(hi-lo) > 0.55 {
				styles = append(styles, color.White)
			} else {
				styles = append(styles, color.Black)
			}
		}
	}
	l, err := plotter.NewLabels(xy)
	if err != nil {
		return nil, err
	}
	size := vg.Points(9)
	if len(a.Values)*len(b.Values) > 150 {
		size = vg.Points(6)
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font = houseFont
		l.TextStyle[i].Font.Size = size
		l.TextStyle[i].Color = styles[i]
		l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = -0.5, -0.5
	}
	p.Add(l)
	if x, okX := b.position(b.Current); okX {
		if y, okY := a.position(a.Current); okY {
			now, err := plotter.NewScatter(plotter.XYs{{X: x, Y: y}})
			if err != nil {
				return nil, err
			}
			now.GlyphStyle = draw.GlyphStyle{Color: vermilion, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}
			p.Add(now)
			p.X.Label.Text += fmt.Sprintf("; the dot: today (%s %s, %s %s)", a.Name, tickLabel(a, a.Current), b.Name, tickLabel(b, b.Current))
		}
	}
	p.X.Tick.Marker = axisTicks(b)
	p.Y.Tick.Marker = axisTicks(a)
	p.X.Min, p.X.Max = -0.5, float64(len(b.Values))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(a.Values))-0.5
	p.X.Padding, p.Y.Padding = 0, 0
	return p, nil
}

// tickLabel is v as the axis labels it.
func tickLabel(g GridAxis, v float64) string {
	if g.Unit == model.Money {
		return Money(v)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// axisTicks labels a grid axis with its lever's values, every one where
// they fit, else every k-th.
func axisTicks(g GridAxis) plot.ConstantTicks {
	step := max(1, (len(g.Values)+11)/12)
	var ticks []plot.Tick
	for i, v := range g.Values {
		t := plot.Tick{Value: float64(i)}
		if i%step == 0 {
			t.Label = tickLabel(g, v)
		}
		ticks = append(ticks, t)
	}
	return ticks
}
