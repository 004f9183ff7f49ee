package main

import (
	"bytes"
	"context"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/scenarios"
)

func reportCommand() *command {
	return &command{
		Name:      "report",
		UsageLine: "simulate report -o report.html [--model FILE] [--scenarios FILE [--history FILE...]] [--target X] [--weeks N] [--trials N] [--seed N] [--workers N]",
		Short:     "write the one-page meeting report (HTML)",
		Long: `
Report forecasts the model (the embedded sample company without --model)
and writes one self-contained HTML page: the headline numbers, the charts
(revenue week by week, the horizon's revenue, the funnel) and the tables
(the forecast, the funnel's conversion and weeks in stage). With
--scenarios it adds the comparison of the scenarios with the baseline, on
common random numbers. The page has its charts inline (SVG), loads nothing
from anywhere and prints on A4 or letter.

Examples:

	simulate report --target 800000 -o report.html
	simulate report --model model.yaml --scenarios plans.yaml --history leads.csv -o report.html

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runReport,
		Flags: func(fs *pflag.FlagSet) { new(reportFlags).declare(fs) },
	}
}

type reportFlags struct {
	compareFlags
	out string
}

func (f *reportFlags) declare(fs *pflag.FlagSet) {
	f.compareFlags.declare(fs)
	fs.StringVarP(&f.out, "out", "o", "", "the HTML file to write (- for standard output)")
}

func runReport(ctx context.Context, e *env, args []string) error {
	var f reportFlags
	fs := pflag.NewFlagSet("report", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if f.out == "" {
		return usagef("-o (the HTML file to write) is required")
	}
	inputs := []file{{"--model", f.model}, {"--scenarios", f.scenarios}, {"--recalibration", f.recalibration}}
	for _, h := range f.history {
		inputs = append(inputs, file{"--history", h})
	}
	if err := distinctFiles(inputs, []file{{"-o", f.out}}); err != nil {
		return err
	}
	if err := f.runFlags.check(fs); err != nil {
		return err
	}
	if err := checkTarget(fs, f.target); err != nil {
		return err
	}
	m, err := f.load()
	if err != nil {
		return err
	}
	r, err := simulate(ctx, e, m, f.options())
	if err != nil {
		return err
	}
	var c *scenarios.Comparison
	if f.scenarios != "" {
		file, err := scenarios.ReadFile(f.scenarios)
		if err != nil {
			return err
		}
		ev, err := f.evidence(ctx)
		if err != nil {
			return err
		}
		if c, err = compareScenarios(ctx, e, m, file, f.options(), ev); err != nil {
			return err
		}
	}
	page, err := report.Build(ctx, &report.Inputs{Model: m, Result: r, Target: f.target, Comparison: c}, *f.options(), report.Charts)
	if err != nil {
		return err
	}
	b, err := renderReport(page)
	if err != nil {
		return err
	}
	return e.writeOut(f.out, b)
}

// renderReport is the page's HTML.
func renderReport(page *report.Page) ([]byte, error) {
	var buf bytes.Buffer
	if err := report.Write(&buf, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeReport(path string, page *report.Page) error {
	b, err := renderReport(page)
	if err != nil {
		return err
	}
	return model.WriteFileAtomic(path, b)
}
