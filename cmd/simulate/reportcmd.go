package main

import (
	"bytes"
	"context"
	"math"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/internal/atomicfile"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/quarter"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/scenarios"
)

func reportCommand() *command {
	return &command{
		Name:      "report",
		UsageLine: "simulate report -o report.html [--model FILE] [--scenarios FILE [--history FILE...]] [--target X] [--appendix [--optimize]] [--paper a4|letter] [--weeks N | --quarter Q [--by rep|channel|SEGMENT [--quota FILE]] [--deals FILE]] [--trials N] [--seed N] [--workers N]",
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
inline (SVG) and loads nothing from anywhere. --quarter Q (as forecast
takes it) makes the page the fiscal quarter's: booked to date, the rest,
the quarter's total and the chance of --target, with the quarter's fan
chart; the appendix adds the open deals by forecast category and the
largest of them, and with --by rep (or channel) the quarter by group. --paper a4 or --paper
letter sets the page's size for printing (by default the printer's).

To a PDF without the browser's header and footer (date, title, address,
page numbers): in the print dialog, untick "Headers and footers"; or, with
Chromium or Chrome,

	chromium --headless --no-pdf-header-footer --print-to-pdf=report.pdf report.html

Examples:

	simulate report --target 800k -o report.html
	simulate report --target 800k --appendix -o report-full.html
	simulate report --target 800k --paper a4 -o report.html
	simulate report --model model.yaml --quarter current --target 2.5M --by rep --appendix -o quarter.html
	simulate report --model model.yaml --scenarios plans.yaml --history leads.csv -o report.html

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runReport,
		Flags: func(fs *pflag.FlagSet) { new(reportFlags).declare(fs) },
	}
}

type reportFlags struct {
	compareFlags
	quarterFlags
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
	f.quarterFlags.declare(fs)
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
	inputs := []file{{"--model", f.model}, {"--scenarios", f.scenarios}, {"--recalibration", f.recalibration}, {"--quota", f.quotaFile}}
	for _, h := range f.history {
		inputs = append(inputs, file{"--history", h})
	}
	if err := distinctFiles(inputs, []file{{"-o", f.out}, {"--deals", f.deals}}); err != nil {
		return err
	}
	if err := f.runFlags.check(fs); err != nil {
		return err
	}
	if err := checkTarget(fs, f.target); err != nil {
		return err
	}
	if err := f.quarterFlags.check(fs); err != nil {
		return err
	}
	if f.quarter != "" && f.recalibration != "" {
		return usagef("--quarter sums the weekly paths, which --recalibration does not map: run it without --recalibration")
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
	run := f.options()
	w, err := f.quarterFlags.window(m, run)
	if err != nil {
		return err
	}
	if w != nil && w.From > 0 && (f.scenarios != "" || f.optimize) {
		return usagef("--quarter %s starts %d weeks after the model's as-of date: the scenarios and the budget's split are compared over the run from then, not over the quarter; give a quarter under way, or leave them out", w.Quarter, w.From)
	}
	if w != nil {
		run.Deals = true // the appendix lists the open deals
	}
	r, err := simulate(ctx, e, m, run)
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
		if c, err = compareScenarios(ctx, e, m, file, plain(run), ev); err != nil {
			return err
		}
	}
	var opt *scenarios.Optimum
	if f.optimize {
		if opt, err = f.optimizeBudget(ctx, e, m, plain(run)); err != nil {
			return err
		}
	}
	in := &report.Inputs{Model: m, Result: r, Target: f.target, Comparison: c, Optimum: opt}
	if w != nil {
		if in.QuarterView, err = f.quarterView(e, m, w, r); err != nil {
			return err
		}
		in.Quarter = w.Path(m, r)
	}
	page, err := report.Build(ctx, in, report.Options{Run: *plain(run), Appendix: f.appendix, Paper: paper})
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

// plain is o without what a quarter's run keeps beyond the totals: the
// scenarios' and the tornado's runs need none of it.
func plain(o *model.Options) *model.Options {
	p := *o
	p.Deals, p.By, p.ByChannel, p.From = false, "", false, 0
	return &p
}

// quarterView is the report's view of the quarter w from r: its document
// with the deals' categories and the groups, and the deals (written to
// --deals too, where given).
func (f *reportFlags) quarterView(e *env, m *model.Model, w *quarter.Window, r *model.Result) (*report.QuarterView, error) {
	doc := document.NewForecast(r, math.NaN())
	deals, err := f.quarterFlags.add(e, doc, m, w, r, f.target)
	if err != nil {
		return nil, err
	}
	return &report.QuarterView{Doc: doc.Quarter, Deals: deals}, nil
}

// optimizeBudget splits today's budget for the report: for the chance of
// the target, or median revenue without one, at the optimizer's default
// trials.
func (f *reportFlags) optimizeBudget(ctx context.Context, e *env, m *model.Model, run *model.Options) (*scenarios.Optimum, error) {
	o := scenarios.OptimizeOptions{Objective: scenarios.DefaultObjective(f.target), Target: f.target, Run: *run}
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
