package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/report"
)

// plotFlags are --plots and --plot-format.
type plotFlags struct {
	dir, format string
}

func (f *plotFlags) declare(fs *pflag.FlagSet) {
	fs.StringVar(&f.dir, "plots", "", "directory to write the charts to")
	fs.StringVar(&f.format, "plot-format", "png", "chart format: png, svg or pdf")
}

func (f *plotFlags) check() error {
	switch f.format {
	case "png", "svg", "pdf":
		return nil
	}
	return usagef("--plot-format must be png, svg or pdf (got %q)", f.format)
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
		if err := plots.Save(p, filepath.Join(f.dir, name)); err != nil {
			return err
		}
		names = append(names, name)
	}
	if e != nil && len(names) > 0 {
		e.wrote(fmt.Sprintf("%d charts to %s: %s", len(names), f.dir, strings.Join(names, ", ")))
	}
	return nil
}
