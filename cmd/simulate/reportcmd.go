package main

import (
	"bytes"
	"context"
	"math"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/internal/atomicfile"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/scenarios"
)

func reportCommand() *command {
	return &command{
		Name:      "report",
		UsageLine: "simulate report -o report.html [--model FILE] [--scenarios FILE [--history FILE...]] [--target X] [--appendix [--optimize]] [--paper a4|letter] [--weeks N] [--trials N] [--seed N] [--workers N]",
		Short:     "write the one-page meeting report (HTML)",
		Long: `
Report forecasts the model (the embedded sample company without --model)
and writes the one-page meeting report, a self-contained HTML page that
prints on one page of A4 or Letter: the answer in a sentence (the likely
revenue, its P10 to P90 and the chance of --target), the headline numbers,
revenue booked week by week, and with --scenarios the scenarios compared
with the baseline on common random numbers, best first, with the shares
of trials in which each does better and worse; then the three drivers
that move revenue most. --appendix adds, after a page break, the other
charts (the horizon's revenue, the funnel, the scenarios, every driver's
effect), the tables (the forecast, the funnel's conversion and weeks in
stage, the scenarios' changes) and the notes; with --optimize, also the
split of today's marketing budget that gives the best chance of --target
(or the best median revenue) and its frontier (see simulate optimize). The page has its charts
inline (SVG) and loads nothing from anywhere. --paper a4 or --paper
letter sets the page's size for printing (by default the printer's).

To a PDF without the browser's header and footer (date, title, address,
page numbers): in the print dialog, untick "Headers and footers"; or, with
Chromium or Chrome,

	chromium --headless --no-pdf-header-footer --print-to-pdf=report.pdf report.html

Examples:

	simulate report --target 800k -o report.html
	simulate report --target 800k --appendix -o report-full.html
	simulate report --target 800k --paper a4 -o report.html
	simulate report --model model.yaml --scenarios plans.yaml --history leads.csv -o report.html

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runReport,
		Flags: func(fs *pflag.FlagSet) { new(reportFlags).declare(fs) },
	}
}

type reportFlags struct {
	compareFlags
	out      string
	appendix bool
	optimize bool
	paper    string
}

func (f *reportFlags) declare(fs *pflag.FlagSet) {
	f.compareFlags.declare(fs)
	moneyVar(fs, &f.target, "target", math.NaN(), compareTargetUsage)
	fs.StringVarP(&f.out, "out", "o", "", "the HTML file to write (- for standard output)")
	fs.BoolVar(&f.appendix, "appendix", false, "add, after the one page, every other chart, the tables and the notes")
	fs.StringVar(&f.paper, "paper", "", "paper to lay the page out on: a4 or letter (default: the printer's)")
	fs.BoolVar(&f.optimize, "optimize", false, "with --appendix, also split today's marketing budget for the best chance of --target (median revenue without one): the split and its frontier")
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
	if f.optimize && !f.appendix {
		return usagef("--optimize adds the budget's split to the appendix: give --appendix too")
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
	var paper report.Paper
	if f.paper != "" {
		p, err := report.ParsePaper(f.paper)
		if err != nil {
			return usagef("--paper: %v", err)
		}
		paper = p
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
		ev, err := f.evidence(ctx, e, m)
		if err != nil {
			return err
		}
		if c, err = compareScenarios(ctx, e, m, file, f.options(), ev); err != nil {
			return err
		}
	}
	var opt *scenarios.Optimum
	if f.optimize {
		if opt, err = f.optimizeBudget(ctx, e, m); err != nil {
			return err
		}
	}
	page, err := report.Build(ctx, &report.Inputs{Model: m, Result: r, Target: f.target, Comparison: c, Optimum: opt}, report.Options{Run: *f.options(), Appendix: f.appendix, Paper: paper})
	if err != nil {
		return err
	}
	b, err := renderReport(page)
	if err != nil {
		return err
	}
	if err := e.writeOut(f.out, b); err != nil {
		return err
	}
	e.wrote(f.out)
	return nil
}

// optimizeBudget splits today's budget for the report: for the chance of
// the target, or median revenue without one, at the optimizer's default
// trials.
func (f *reportFlags) optimizeBudget(ctx context.Context, e *env, m *model.Model) (*scenarios.Optimum, error) {
	o := scenarios.OptimizeOptions{Objective: scenarios.DefaultObjective(f.target), Target: f.target, Run: *f.options()}
	o.Run.Trials = optimizeTrials
	prog, finish := e.bar("trials over the optimizer's runs")
	o.Progress = prog
	defer finish()
	return scenarios.Optimize(ctx, m, o)
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
	return atomicfile.WriteFile(path, b)
}
