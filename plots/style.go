package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/funnelsim/funnelsim/internal/atomicfile"
)

// Okabe–Ito colours, distinct for colour-blind readers.
var (
	blue      = color.NRGBA{0x00, 0x72, 0xB2, 0xff}
	orange    = color.NRGBA{0xE6, 0x9F, 0x00, 0xff}
	sky       = color.NRGBA{0x56, 0xB4, 0xE9, 0xff}
	vermilion = color.NRGBA{0xD5, 0x5E, 0x00, 0xff}
	grey      = color.NRGBA{0x55, 0x55, 0x55, 0xff}
	green     = color.NRGBA{0x00, 0x9E, 0x73, 0xff}
	purple    = color.NRGBA{0xCC, 0x79, 0xA7, 0xff}
	ink       = color.NRGBA{0x1A, 0x1A, 0x1A, 0xff}
	// Bands: the same blue, light and lighter, so that grayscale keeps
	// the order.
	bandOuter = color.NRGBA{0x00, 0x72, 0xB2, 0x33}
	bandInner = color.NRGBA{0x00, 0x72, 0xB2, 0x66}
)

var dashed = []vg.Length{vg.Points(6), vg.Points(3)}

// Size is the size charts are saved at: landscape, for a slide or half a
// page.
var Size = struct{ W, H vg.Length }{8 * vg.Inch, 4.5 * vg.Inch}

// ErrNoData is returned for a chart with nothing finite to draw.
var ErrNoData = errors.New("plots: no finite data to draw")

// houseFont is the charts' typeface, the report's sans-serif.
var houseFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot with the house style: the report's sans-serif
// throughout.
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	for _, t := range []struct {
		style *text.Style
		size  float64
	}{{&p.Title.TextStyle, 13}, {&p.X.Label.TextStyle, 11}, {&p.Y.Label.TextStyle, 11}, {&p.X.Tick.Label, 10}, {&p.Y.Tick.Label, 10}, {&p.Legend.TextStyle, 10}} {
		t.style.Font = houseFont
		t.style.Font.Size = vg.Points(t.size)
	}
	p.Legend.Top = true
	p.Legend.Left = true
	return p
}

// Money formats an amount as a planner reads it: 1.2M, 850k, 920.
func Money(x float64) string {
	a := math.Abs(x)
	switch {
	case a >= 1e9:
		return trim(fmt.Sprintf("%.1f", x/1e9)) + "B"
	case a >= 1e6:
		return trim(fmt.Sprintf("%.2f", x/1e6)) + "M"
	case a >= 1e3:
		return trim(fmt.Sprintf("%.0f", x/1e3)) + "k"
	}
	return trim(fmt.Sprintf("%.0f", x))
}

func trim(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// labelTicks labels the default ticks' labelled values by its function.
type labelTicks func(float64) string

func (f labelTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = f(ts[i].Value)
		}
	}
	return ts
}

// niceTicks labels every tick by its function, at the multiples of a step
// of 1, 2 or 5 times a power of ten that gives four to ten of them, so
// that 0 is one wherever the range holds it (the default ticks label
// every other one, and a range of -130 to 50 read -120, -40, 40).
type niceTicks func(float64) string

func (f niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	raw := (hi - lo) / 5
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * pow
	for _, m := range []float64{1, 2, 5} {
		if m*pow >= raw {
			step = m * pow
			break
		}
	}
	var ts []plot.Tick
	for k := math.Ceil(lo / step); k*step <= hi+step*1e-9; k++ {
		v := k * step
		ts = append(ts, plot.Tick{Value: v, Label: f(v)})
	}
	return ts
}

// moneyTicks labels the default ticks as money.
var moneyTicks = labelTicks(Money)

// Save writes p to path, as PNG, SVG or PDF by its extension, whole or
// not at all, at the default page: Size, and DPI for a PNG.
func Save(p *plot.Plot, path string) error {
	return SavePage(p, path, Page{W: Size.W, H: Size.H, DPI: DPI})
}

// DPI is the resolution PNG charts are saved at by default: 1600 by 900
// pixels at Size, sharp on a projector and on paper.
const DPI = 200

// Page is the size a chart is saved at, and the resolution of a PNG
// (dots per inch; fonts keep their size in points, so a higher
// resolution is sharper, not smaller).
type Page struct {
	W, H vg.Length
	DPI  int
}

// SavePage writes p to path, as PNG, SVG or PDF by its extension, whole
// or not at all, at the page's size (and a PNG at its resolution).
func SavePage(p *plot.Plot, path string, pg Page) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	switch format {
	case "png", "svg", "pdf":
	default:
		return fmt.Errorf("plots: %s: the format must be png, svg or pdf", path)
	}
	if !(pg.W > 0 && pg.H > 0 && pg.W <= 100*vg.Inch && pg.H <= 100*vg.Inch) || pg.DPI < 1 || float64(pg.W/vg.Inch)*float64(pg.DPI) > 20000 || float64(pg.H/vg.Inch)*float64(pg.DPI) > 20000 {
		return fmt.Errorf("plots: %s: a page of %.3g by %.3g inches at %d dpi is not one to draw (at most 20,000 pixels a side)", path, pg.W/vg.Inch, pg.H/vg.Inch, pg.DPI)
	}
	var buf bytes.Buffer
	if format == "png" {
		c := vgimg.NewWith(vgimg.UseWH(pg.W, pg.H), vgimg.UseDPI(pg.DPI))
		p.Draw(draw.New(c))
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
			return err
		}
	} else {
		wt, err := p.WriterTo(pg.W, pg.H, format)
		if err != nil {
			return err
		}
		if _, err := wt.WriteTo(&buf); err != nil {
			return err
		}
	}
	b := buf.Bytes()
	if format == "svg" {
		b = XMLSafe(b)
	}
	return atomicfile.WriteFile(path, b)
}

// XMLSafe replaces, in an SVG document, every character that XML 1.0
// does not allow (the C0 controls but tab, newline and carriage return,
// U+FFFE, U+FFFF, and bytes that are not UTF-8) with U+FFFD: a channel
// named with an ESC or a BEL in a CRM export would otherwise make the
// chart, and a report that inlines it, not well-formed XML, which
// browsers refuse to show.
func XMLSafe(b []byte) []byte {
	ok := func(r rune, size int) bool {
		switch {
		case r == utf8.RuneError && size <= 1:
			return false
		case r < 0x20:
			return r == '\t' || r == '\n' || r == '\r'
		case r == 0xFFFE || r == 0xFFFF:
			return false
		}
		return true
	}
	clean := true
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if !ok(r, n) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if ok(r, n) {
			out = append(out, b[i:i+n]...)
		} else {
			out = utf8.AppendRune(out, utf8.RuneError)
		}
		i += n
	}
	return out
}

// finite reports whether every x is a finite number.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
