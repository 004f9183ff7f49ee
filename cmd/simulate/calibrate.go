package main

import (
	"bytes"
	"context"
	"math"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/fiscal"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
)

func calibrateCommand() *command {
	return &command{
		Name:      "calibrate",
		UsageLine: "simulate calibrate --history FILE... [--as-of DATE] [--stale-after N] [--map k=v,...] [--stage-map k=v,...] [--date-format LAYOUT] [--deal-size X] [--spend FILE] [--csv FILE] -o model.yaml",
		Short:     "estimate a model from CRM history",
		Long: `
Calibrate reads CRM history (one row per lead with a <stage>_at date per
stage; one row per stage change with lead_id, stage and at; or one row per
deal with created_at, its current stage or outcome and a close date) and writes
the model file: per stage, channel and weeks in stage the exposure and exits
(leads still open are censored), arrivals per channel, deal sizes, and
the open pipeline at the as-of date. A deal export with one date and an
outcome (bids, orders) takes each deal as created and closed on that
date, in a funnel of one stage, and says so.

Dates are ISO 8601, or a layout found from the file's first rows (such
as 27-Mar-12, 3/27/2012 or spreadsheet serial days, said in the report;
dates that read both month first and day first ask for --date-format). A
leads file with no lead_id column takes each row as a lead, its line
number its id. --preset reads a CRM's standard export (salesforce,
hubspot, hubspot-contacts, pipedrive; docs/REAL-DATA.md) with no --map; a
header that cannot be placed is an error that lists it and proposes a
--map from the closest names, or the preset it looks like. More than
--max-rejected of the rows (5%) rejected is an error: the files look read
wrongly.

It follows what real exports do (docs/MODEL.md): it finds the span over
which the export records each kind of event and counts stays only inside
it (--events-from, --leads-until set the dates); a lead open in a stage
longer than --stale-after weeks counts as lost (by default the rule,
none, 52 or 26 weeks or the 95th percentile of the stays that ended, that
forecast the last 13 weeks' advances best); stage hazards weigh recent
stays first where that forecasts better; deal sizes come from the won
amounts where there are 30 or more; the trend is damped, and a growth of
leads sustained over six quarters or more is followed; the level of leads
comes from the last 26, 52 or 104 weeks, whichever forecast the last
year's quarters best; the reps' close capacity is set where closes stay
flat as the open work grows; and with two years of leads or more, a
yearly season is kept where the history shows one. --without turns these
parts off.

Every row is used, repaired or rejected; the report counts each reason and
shows the first examples as file:line: field: problem, and is kept in the
model's provenance. --plots DIR writes the calibration chart: per stage, the
share of leads that advanced by weeks in stage as the history shows it
(model-free, Aalen–Johansen) against the calibrated model. The summary
shows, per channel, weekly leads and trend; per stage, the eventual
conversion with its 90% interval and the median weeks in stage; the
windows found, the arrival shock and season, the close capacity and the
deal sizes.

Last, it checks itself: the model is backtested on the same history, at
quarterly origins over the two years before the as-of date, each
calibrated with the same options on the history as it stood then. The
model file keeps the track record (per target, the past quarters its 80%
intervals covered and its CRPS skill against each baseline) and, where
four or more quarters were scored, the combination of the model and the
baseline that forecast them best, which forecast and compare use for
their headline totals (--raw there for the model alone). The summary ends
with it. --no-check skips it.

Several --history files are joined on lead_id: the first defines the
leads, and a later file without created_at adds columns to them.

--csv FILE also writes the results as a CSV table for spreadsheets (plain
numbers, snake_case columns; docs/OUTPUT.md); --csv - writes it to
standard output instead of the text table.

Examples:

	simulate calibrate --history leads.csv -o model.yaml
	simulate calibrate --history leads.csv --as-of 2026-07-01 --stale-after 26 -o model.yaml
	simulate calibrate --history opportunities.csv --preset salesforce -o model.yaml
	simulate calibrate --history mqls.csv --history deals.csv \
		--map lead_id=mql_id,created_at=first_contact_date,channel=origin,won_at=won_date \
		--stages mql --deal-size 1000 -o model.yaml
	simulate calibrate --history sales_pipeline.csv \
		--map lead_id=opportunity_id,created_at=engage_date,outcome=deal_stage,closed_at=close_date,amount=close_value,rep=sales_agent \
		--stages engaging -o model.yaml

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runCalibrate,
		Flags: func(fs *pflag.FlagSet) { new(calibrateFlags).declare(fs) },
	}
}

type calibrateFlags struct {
	history    []string
	out        string
	asOf       string
	staleAfter int
	readFlags
	name     string
	currency string
	dealSize float64
	seed     uint64
	noCheck  bool
	spend    string
	csvFlag
	estimate estimateFlags
	plots    plotFlags
}

// estimateFlags state the history's observation windows where the data do
// not show them, and turn parts of the estimation off.
type estimateFlags struct {
	eventsFrom, leadsUntil string
	without                []string
	fiscalStart            string
}

func (f *estimateFlags) declare(fs *pflag.FlagSet) {
	fs.StringVar(&f.eventsFrom, "events-from", "", "date YYYY-MM-DD from which the history records stage changes and closes (default: found from the data)")
	fs.StringVar(&f.leadsUntil, "leads-until", "", "date YYYY-MM-DD up to which the history records new leads (default: found from the data)")
	fs.StringSliceVar(&f.without, "without", nil, "parts of the estimation to turn off, to measure what they do: "+strings.Join(calibrate.PartNames, ", "))
	fs.StringVar(&f.fiscalStart, "fiscal-year-start", "", "the month the fiscal year starts in, as a number or a name, for the quarter cycle of closes and the model's quarters (default January)")
}

// apply sets the windows, the fiscal year and the parts turned off in o.
func (f *estimateFlags) apply(o *calibrate.Options) error {
	if f.fiscalStart != "" {
		m, err := fiscal.ParseMonth(f.fiscalStart)
		if err != nil {
			return usagef("--fiscal-year-start: %v", err)
		}
		o.FiscalYearStart = int(m)
	}
	for _, name := range f.without {
		if err := o.Without.Set(name); err != nil {
			return usagef("--without %s: a part is one of %s", name, strings.Join(calibrate.PartNames, ", "))
		}
	}
	for _, x := range []struct {
		flag, v string
		t       *time.Time
	}{{"--events-from", f.eventsFrom, &o.EventsFrom}, {"--leads-until", f.leadsUntil, &o.LeadsUntil}} {
		if x.v == "" {
			continue
		}
		d, err := model.ParseDate(x.v)
		if err != nil {
			return usagef("%s: %v", x.flag, err)
		}
		*x.t = d.Time
	}
	return nil
}

func (f *calibrateFlags) declare(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.history, "history", nil, "history CSV file (repeat to join files on lead_id)")
	fs.StringVarP(&f.out, "out", "o", "", "model file to write (YAML; - for standard output, the summary then on standard error)")
	fs.StringVar(&f.asOf, "as-of", "", "cut-off date YYYY-MM-DD: the history as known then (default: the day after its last date)")
	fs.IntVar(&f.staleAfter, "stale-after", 0, "weeks open in a stage after which a lead counts as lost; 0 for never (default: chosen on the history, see help calibrate)")
	fs.StringToStringVar(&f.maps, "map", nil, "column names: canonical=column,... (lead_id, created_at, channel, rep, amount, stage, at, won_at, lost_at, <stage>_at, outcome, closed_at)")
	fs.StringToStringVar(&f.stageMap, "stage-map", nil, "stage names of an event log's stage or a deal export's outcome: value=stage,...")
	fs.StringVar(&f.preset, "preset", "", presetUsage())
	fs.StringVar(&f.dateFormat, "date-format", "", "Go time layout of non-ISO dates, e.g. 02/01/2006, or excel for spreadsheet serial days (default: found from the file)")
	fs.Float64Var(&f.maxRejected, "max-rejected", calibrate.DefaultMaxRejected, "the largest share of rows that may be rejected before the files are refused as read wrongly (1 for no limit)")
	fs.StringSliceVar(&f.stages, "stages", nil, "funnel stages in order (default lead,mql,sal,sql,opportunity,proposal)")
	fs.StringVar(&f.name, "name", "", "model name")
	fs.StringVar(&f.currency, "currency", "USD", "currency of amounts")
	fs.Float64Var(&f.dealSize, "deal-size", 0, "amount assumed for every won deal when the history records none")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed of the summary's intervals (posterior draws) and of the self-check")
	fs.BoolVar(&f.noCheck, "no-check", false, "skip the self-check: the backtest of the model on its own history, at quarterly origins over the last two years, whose track record forecasts print and combine with")
	f.estimate.declare(fs)
	f.plots.declare(fs)
	fs.StringVar(&f.spend, "spend", "", "weekly spend per channel (CSV: week, channel, spend): current spend and each channel's response to spend")
	f.csvFlag.declare(fs)
}

func runCalibrate(ctx context.Context, e *env, args []string) error {
	var f calibrateFlags
	fs := pflag.NewFlagSet("calibrate", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if len(f.history) == 0 {
		return usagef("--history is required")
	}
	if f.out == "" {
		return usagef("-o (the model file to write) is required")
	}
	if f.staleAfter < 0 {
		return usagef("--stale-after must be >= 0 weeks")
	}
	inputs := []file{{"--spend", f.spend}}
	for _, h := range f.history {
		inputs = append(inputs, file{"--history", h})
	}
	if err := distinctFiles(inputs, []file{{"-o", f.out}, f.csvFlag.output()}, &f.plots); err != nil {
		return err
	}
	if err := f.plots.check(); err != nil {
		return err
	}
	if f.dealSize < 0 || math.IsNaN(f.dealSize) || math.IsInf(f.dealSize, 0) {
		return usagef("--deal-size must be a positive amount")
	}
	var asOf time.Time
	if f.asOf != "" {
		d, err := model.ParseDate(f.asOf)
		if err != nil {
			return usagef("--as-of: %v", err)
		}
		asOf = d.Time
	}
	// A history holds every lead at once; collecting garbage at 30% of the
	// live heap rather than all of it keeps a million leads well under a
	// gigabyte, for a little more time (docs/BENCHMARKS.md).
	defer debug.SetGCPercent(debug.SetGCPercent(30))
	if err := f.readFlags.check(); err != nil {
		return err
	}
	ro := f.readOptions()
	progress, finish := e.bar("kB of history read")
	if progress != nil {
		ro.Progress = func(read, total int64) { progress(int(read>>10), int(total>>10)) }
	}
	h, err := calibrate.ReadFiles(ctx, f.history, ro)
	finish()
	if err != nil {
		return err
	}
	var spend *calibrate.Spend
	if f.spend != "" {
		if spend, err = calibrate.ReadSpendFile(f.spend, f.readOptions(), h.Report); err != nil {
			return err
		}
	} else {
		h.Report.Warn("no spend file: every channel's spend is zero, so costs are too (give --spend)")
	}
	co := calibrate.Options{Names: flagNames(), Spend: spend, AsOf: asOf, StaleAfter: time.Duration(f.staleAfter) * week, DeriveStale: !fs.Changed("stale-after"),
		DealSize: f.dealSize, Name: f.name, Currency: f.currency, Source: strings.Join(f.history, ", ")}
	if err := f.estimate.apply(&co); err != nil {
		return err
	}
	m, err := calibrate.Estimate(ctx, h, co)
	if rerr := h.Report.Write(e.stderr); rerr != nil {
		return rerr
	}
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err // interrupted: no model written
	}
	if !f.noCheck {
		progress, finish := e.bar("past quarters checked")
		m.TrackRecord, err = backtest.SelfCheck(ctx, h, m, backtest.Options{Calibrate: co, Seed: f.seed, Progress: progress})
		finish()
		if err != nil {
			return err // interrupted: no model written
		}
	}
	m.Provenance.Reading = calibrate.ReadingOf(f.history, f.readOptions())
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		return err
	}
	if err := e.writeOut(f.out, buf.Bytes()); err != nil {
		return err
	}
	if err := f.plots.write(e, &report.Inputs{Model: m, History: h, Calibration: co, Target: math.NaN()}); err != nil {
		return err
	}
	summary, err := document.NewCalibration(m, f.out, f.seed)
	if err != nil {
		return err
	}
	if done, err := f.csvFlag.write(e, summary.WriteCSV); done || err != nil {
		return err
	}
	return summary.WriteText(e.report(f.out))
}
