package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"gonum.org/v1/plot/vg"

	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/report"
)

// plotFlags are --plots, --plot-format, --plot-size and --plot-dpi.
type plotFlags struct {
	dir, format, size string
	dpi               int
	page              plots.Page // set by check
}

func (f *plotFlags) declare(fs *pflag.FlagSet) {
	fs.StringVar(&f.dir, "plots", "", "directory to write the charts to")
	fs.StringVar(&f.format, "plot-format", "png", "chart format: png, svg or pdf")
	fs.StringVar(&f.size, "plot-size", defaultPlotSize, "chart size in inches, WIDTHxHEIGHT")
	fs.IntVar(&f.dpi, "plot-dpi", plots.DPI, "resolution of PNG charts, dots per inch (fonts keep their size: more is sharper)")
}

// maxPlotPixels bounds a PNG chart: drawn in memory at 4 bytes a pixel,
// 33 by 33 inches at 600 dpi (392 million pixels) ran out of memory.
// The default chart is 1.4 million; 40 by 40 inches at 150 dpi is 36.
const maxPlotPixels = 50e6

// defaultPlotSize is plots.Size as --plot-size writes it.
const defaultPlotSize = "8x4.5"

func (f *plotFlags) check() error {
	switch f.format {
	case "png", "svg", "pdf":
	default:
		return usagef("--plot-format must be png, svg or pdf (got %q)", f.format)
	}
	ws, hs, ok := strings.Cut(f.size, "x")
	w, err1 := strconv.ParseFloat(ws, 64)
	h, err2 := strconv.ParseFloat(hs, 64)
	if !ok || err1 != nil || err2 != nil || !(w >= 1 && w <= 40 && h >= 1 && h <= 40) {
		return usagef("--plot-size must be WIDTHxHEIGHT in inches, each 1 to 40, such as 8x4.5 (got %q)", f.size)
	}
	if f.dpi < 36 || f.dpi > 600 {
		return usagef("--plot-dpi must be 36 to 600 (got %d)", f.dpi)
	}
	if px := w * h * float64(f.dpi*f.dpi); f.format == "png" && px > maxPlotPixels {
		return usagef("--plot-size %s at --plot-dpi %d is a PNG of %.0f million pixels, past the %.0f million (%.0f MB to draw) a chart may take: lower either, or draw it with --plot-format svg", f.size, f.dpi, px/1e6, maxPlotPixels/1e6, maxPlotPixels*4/1e6)
	}
	f.page = plots.Page{W: vg.Length(w) * vg.Inch, H: vg.Length(h) * vg.Inch, DPI: f.dpi}
	return nil
}

// clash refuses, before the run, a file of the run (an input, or another
// output) that lies in the --plots folder with the charts' extension: a
// chart of that name would replace it (a --csv named fan.png in it did,
// and the run still said it wrote the chart). It also checks that the
// folder can be written in, where it is there already.
func (f *plotFlags) clash(files []file) error {
	if f.dir == "" {
		return nil
	}
	dir, err := os.Stat(f.dir)
	if err != nil {
		return nil // made by the run
	}
	if !dir.IsDir() {
		return usagef("--plots %s is not a directory", f.dir)
	}
	if err := writable(f.dir); err != nil {
		return fmt.Errorf("--plots %s: cannot write in it: %w", f.dir, err)
	}
	for _, x := range files {
		if x.path == "" || x.path == "-" || !strings.EqualFold(filepath.Ext(x.path), "."+f.format) {
			continue
		}
		if d, err := os.Stat(filepath.Dir(x.path)); err == nil && os.SameFile(d, dir) {
			return usagef("%s %s lies in the --plots folder with the charts' extension .%s: a chart could replace it; give it another folder or name", x.flag, x.path, f.format)
		}
	}
	return nil
}

// write draws each chart that in has the inputs for and saves it in the
// directory; it stops at the first that fails, naming it. With e, it says
// what it wrote.
func (f *plotFlags) write(e *env, in *report.Inputs) error {
	if f.dir == "" {
		return nil
	}
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return err
	}
	var names []string
	for _, c := range report.Charts.Figures(in) {
		p, err := c.Draw()
		if err != nil {
			return fmt.Errorf("chart %s: %w", c.Name, err)
		}
		name := c.Name + "." + f.format
		if err := plots.SavePage(p, filepath.Join(f.dir, name), f.page); err != nil {
			return err
		}
		names = append(names, name)
	}
	if e != nil && len(names) > 0 {
		e.wrote(fmt.Sprintf("%d charts to %s: %s", len(names), f.dir, strings.Join(names, ", ")))
	}
	return nil
}
