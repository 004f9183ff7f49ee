package report

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/scenarios"
)

// TornadoTrials caps the trials of each of the tornado's runs (two per
// driver), which matter less than the forecast's own.
const TornadoTrials = 2000

// Options say how Build runs and what the page holds.
type Options struct {
	// Run is how the tornado's runs go (at most TornadoTrials trials a
	// run); its seed also keys the funnel rates' intervals.
	Run model.Options
	// Charts are the kinds of chart to draw; nil for Charts.
	Charts Registry
	// Appendix adds, after page one, every other chart, the tables and
	// the notes.
	Appendix bool
	// Paper is the size the page is laid out to print on: A4, Letter, or
	// "" for the printer's own.
	Paper Paper
}

// Paper is a paper size a report prints on.
type Paper string

// The paper sizes a report knows.
const (
	A4     Paper = "a4"
	Letter Paper = "letter"
)

// ParsePaper reads a paper size, in any case: a4 or letter.
func ParsePaper(s string) (Paper, error) {
	switch p := Paper(strings.ToLower(s)); p {
	case A4, Letter:
		return p, nil
	}
	return "", fmt.Errorf("paper %q: a4 or letter", s)
}

// CSS is the size as CSS's @page names it.
func (p Paper) CSS() string {
	switch p {
	case A4:
		return "A4"
	case Letter:
		return "letter"
	}
	return "auto"
}

// Build gathers the report's page from in, which must hold a model and
// its forecast. Page one is what a meeting needs: the answer in a
// sentence, the headline numbers, the fan chart, the scenarios as a
// decision (best first, with the shares of trials in which each does
// better and worse) and the three drivers that move revenue most. The
// appendix, with o.Appendix, holds the other charts of o.Charts that have
// a caption, the tornado, the forecast and funnel tables and the notes.
func Build(ctx context.Context, in *Inputs, o Options) (*Page, error) {
	m, res := in.Model, in.Result
	if m == nil || res == nil {
		return nil, fmt.Errorf("report: a model and its forecast are needed")
	}
	reg := o.Charts
	if reg == nil {
		reg = Charts
	}
	end := m.AsOf.AddDate(0, 0, 7*res.Weeks-1)
	page := &Page{
		Paper: o.Paper.CSS(),
		Title: fmt.Sprintf("%s: %s to %s", m.Name, m.AsOf.Format("2 January 2006"), end.Format("2 January 2006")),
		Subtitle: fmt.Sprintf("A forecast of the next %d weeks from %d trials (seed %d); money in %s. Ranges are P10 to P90: eight trials in ten fall inside.",
			res.Weeks, res.Trials, res.Seed, m.Currency),
	}
	page.Headlines = headlines(m, res, in.Target)
	var decision []choice
	if in.Comparison != nil {
		decision = choices(in.Comparison)
		if v := in.QuarterView; v != nil {
			// The quarter's revenue: what is booked plus each one's rest.
			for i := range decision {
				decision[i].p50 += v.Doc.Booked["revenue"]
			}
		}
		page.Decision = decisionTable(decision)
	}
	page.Sentence = sentence(res, in.Target, decision)
	page.Trust = trust(m.TrackRecord, res)
	if v := in.QuarterView; v != nil {
		page.quarterPage(m.Name, v.Doc, res.Trials, res.Seed, m.Currency, in.Target)
		if len(decision) > 0 && decision[0].delta > 0 {
			page.Sentence += fmt.Sprintf(" Of the scenarios, %s adds the most to the rest of the quarter: %s on average.", decision[0].name, "+"+plots.Money(decision[0].delta))
		}
	}
	var rest []Figure
	for _, f := range reg.Figures(in) {
		switch {
		case f.Caption == "":
		case f.Name == Fan.Name && page.Lead == nil:
			p, err := f.Draw()
			if err != nil {
				return nil, fmt.Errorf("report: %s: %w", f.Caption, err)
			}
			page.Lead = &Chart{Caption: f.Caption, Plot: p}
		default:
			rest = append(rest, f)
		}
	}
	tor := in.Tornado
	if tor == nil {
		var err error
		if tor, err = NewTornado(ctx, m, o.Run); err != nil {
			return nil, err
		}
	}
	// The drivers' runs take fewer trials than the forecast: their median
	// today is their own, and said to be so.
	base := plots.Money(tor.Base)
	if res.Raw != nil { // the drivers move the model; the headline is combined
		base += " from the model alone"
	}
	now := "now " + base
	if tor.Trials < res.Trials {
		now = fmt.Sprintf("%s in these runs of %s trials", base, document.Thousands(float64(tor.Trials)))
	}
	what := "median revenue"
	if in.QuarterView != nil {
		what = "the rest of the quarter's median revenue"
	}
	for _, s := range tor.Swings[:min(3, len(tor.Swings))] {
		page.Assumptions = append(page.Assumptions, fmt.Sprintf("%s: %s from %s to %s (%s).", s.Driver, what, plots.Money(s.Low), plots.Money(s.High), now))
	}
	if !o.Appendix {
		page.Footer = "The appendix (the funnel, the fit to the history, every driver's effect, the tables and the notes) is in the report written with --appendix."
		return page, nil
	}
	page.Footer = "The appendix follows: the funnel, the fit to the history, every driver's effect, the tables and the notes."
	for _, f := range rest {
		if err := page.add(f.Caption, f.Draw); err != nil {
			return nil, err
		}
	}
	withTornado := *in
	withTornado.Tornado = tor
	for _, f := range Tornado.Figures(&withTornado) {
		if err := page.add(tor.caption(), f.Draw); err != nil {
			return nil, err
		}
	}
	if in.QuarterView != nil {
		page.quarterTables(in.QuarterView)
	}
	if err := page.tables(m, in, o.Run.Seed); err != nil {
		return nil, err
	}
	page.Notes = append(page.Notes, res.Warnings...)
	if res.Recalibrated != "" {
		page.Notes = append(page.Notes, res.Recalibrated)
	}
	if res.Combined != "" {
		page.Notes = append(page.Notes, res.Combined)
	}
	return page, nil
}

// choice is one scenario's effect on revenue, as the decision table and
// the sentence tell it.
type choice struct {
	name          string
	p50, delta    float64
	better, worse float64
}

// choices are the comparison's scenarios, the one that adds most revenue
// on average first.
func choices(c *scenarios.Comparison) []choice {
	var out []choice
	for _, o := range c.Scenarios {
		d, _ := o.Delta("revenue")
		v, _ := o.Result.Metric("revenue")
		p50, _, _ := model.Summarize("revenue", v).Quantile(0.5)
		out = append(out, choice{name: o.Name, p50: p50, delta: d.Summary.Mean, better: d.PBetter, worse: d.PWorse})
	}
	slices.SortStableFunc(out, func(a, b choice) int { return cmp.Compare(b.delta, a.delta) })
	return out
}

// verdict says in words what a scenario does to revenue, trial by trial.
func (c choice) verdict() string {
	switch ties := 1 - c.better - c.worse; {
	case math.IsNaN(ties):
		return "-"
	case ties >= 0.5:
		return "the same revenue in most trials"
	case c.better >= 1.5*c.worse:
		return "more revenue, most likely"
	case c.worse >= 1.5*c.better:
		return "less revenue, most likely"
	}
	return "could go either way"
}

func decisionTable(cs []choice) *Table {
	t := &Table{Title: "The scenarios, the one that adds most revenue first", Columns: []string{"scenario", "revenue (median)", "change (mean)", "trials with more revenue", "with less", "in words"}}
	for _, c := range cs {
		sign := "+"
		if c.delta < 0 {
			sign = ""
		}
		t.Rows = append(t.Rows, []string{c.name, plots.Money(c.p50), sign + plots.Money(c.delta), pct(c.better), pct(c.worse), c.verdict()})
	}
	return t
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}

// sentence is the answer in words: the likely revenue and its range, the
// chance of the target, and the scenario that adds most.
func sentence(r *model.Result, target float64, cs []choice) string {
	v, _ := r.Metric("revenue")
	s := model.Summarize("revenue", v)
	p10, _, _ := s.Quantile(0.1)
	p50, _, _ := s.Quantile(0.5)
	p90, _, _ := s.Quantile(0.9)
	out := fmt.Sprintf("Revenue will most likely be about %s, and 8 times in 10 between %s and %s", plots.Money(p50), plots.Money(p10), plots.Money(p90))
	if !math.IsNaN(target) {
		p, _, _ := r.PTarget("revenue", target)
		out += fmt.Sprintf("; the chance of reaching %s is %.0f%%", plots.Money(target), 100*p)
	}
	out += "."
	if len(cs) > 0 && cs[0].delta > 0 {
		c := cs[0]
		out += fmt.Sprintf(" Of the scenarios, %s adds the most: %s on average, with more revenue in %.0f%% of trials and less in %.0f%%.",
			c.name, "+"+plots.Money(c.delta), 100*c.better, 100*c.worse)
	}
	return out
}

// trust is the track record in a sentence: how the model's forecasts of
// revenue (of wins, without amounts) did on its own history, and whether
// the totals on the page are combined.
func trust(tr *model.TrackRecord, r *model.Result) string {
	var rec *model.TargetTrackRecord
	for _, name := range []string{"revenue", "wins"} {
		if rec = tr.Target(name); rec != nil && rec.Scored > 0 {
			break
		}
	}
	if rec == nil || rec.Scored == 0 {
		return "Track record: " + strings.TrimPrefix(tr.Lines(r.Weeks)[0], "no track record: ") + ", so how far to trust this forecast is not known."
	}
	s := fmt.Sprintf("Track record: on this history, the model's %d-week forecasts of %s %s.", tr.HorizonWeeks, rec.Target, rec.Record(tr.HorizonWeeks, r.Weeks))
	if strings.HasPrefix(r.Combined, "combined") {
		s += " The totals here are combined with the baselines that forecast best on it."
	}
	return s
}

// trackTable is the model's track record as a table: per target, the past
// quarters its 80% intervals covered, its skill against the strongest
// baseline, and the baseline its totals are combined with; false where
// there is no record.
func trackTable(tr *model.TrackRecord) (Table, bool) {
	if tr == nil || tr.Skipped != "" || len(tr.Targets) == 0 {
		return Table{}, false
	}
	t := Table{Title: fmt.Sprintf("Track record: the model's %d-week forecasts on this history", tr.HorizonWeeks),
		Columns: []string{"target", "80% intervals covered", "skill against the strongest baseline", "combined with"}}
	for _, r := range tr.Targets {
		skill := "-"
		if v, ok := r.Skill[r.Strongest]; ok {
			skill = fmt.Sprintf("%+.2f (%s)", v, r.Strongest)
		}
		with := "the model alone"
		if c := r.Combination; c != nil {
			with = fmt.Sprintf("%s, %.0f%%", c.Baseline, 100*c.Weight)
		}
		t.Rows = append(t.Rows, []string{r.Target, fmt.Sprintf("%d of %d quarters", r.Covered80, r.Scored), skill, with})
	}
	return t, true
}

// add draws a chart onto the page.
func (p *Page) add(caption string, draw func() (*plot.Plot, error)) error {
	pl, err := draw()
	if err != nil {
		return fmt.Errorf("report: %s: %w", caption, err)
	}
	p.Charts = append(p.Charts, Chart{Caption: caption, Plot: pl})
	return nil
}

// headlines are revenue, P(target) and the median wins and win rate, each
// with its P10 to P90.
func headlines(m *model.Model, r *model.Result, target float64) []Headline {
	rev, revBand := quantiles(r, "revenue")
	hs := []Headline{{Label: "Revenue (median)", Value: rev, Detail: revBand}}
	if !math.IsNaN(target) {
		p, se, _ := r.PTarget("revenue", target)
		hs = append(hs, Headline{Label: "Chance of reaching " + plots.Money(target), Value: fmt.Sprintf("%.0f%%", 100*p), Detail: fmt.Sprintf("± %.1f points (Monte Carlo)", 100*se)})
	}
	for _, metric := range []string{"wins", "win_rate"} {
		info, ok := r.Info(metric)
		if !ok {
			continue
		}
		v, band := quantiles(r, metric)
		hs = append(hs, Headline{Label: capital(info.Label) + " (median)", Value: v, Detail: band})
	}
	return hs
}

// capital is s with its first letter upper-case.
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// quantiles formats a metric's P50 with its P10–P90: money as money,
// shares as percentages, the others whole.
func quantiles(r *model.Result, name string) (p50, band string) {
	info, _ := r.Info(name)
	v, _ := r.Metric(name)
	s := model.Summarize(name, v)
	a, _, _ := s.Quantile(0.1)
	b, _, _ := s.Quantile(0.5)
	c, _, _ := s.Quantile(0.9)
	f := func(x float64) string {
		switch {
		case math.IsNaN(x):
			return "-"
		case info.Unit == model.Money:
			return plots.Money(x)
		case info.Unit == model.Ratio:
			return fmt.Sprintf("%.1f%%", 100*x)
		}
		return fmt.Sprintf("%.0f", x)
	}
	return f(b), "P10 " + f(a) + " to P90 " + f(c)
}

// tables are the forecast's metrics, the funnel's rates (seed draws their
// intervals) and, with a comparison, the scenarios against the baseline.
func (p *Page) tables(m *model.Model, in *Inputs, seed uint64) error {
	fc := document.NewForecastTotals(in.Result, in.Target)
	t := Table{Title: "Forecast", Columns: []string{"metric", "mean", "P10", "P50", "P90"}}
	for _, row := range fc.Rows(nil) {
		t.Rows = append(t.Rows, row[:5])
	}
	p.Tables = append(p.Tables, t)
	conv, err := model.Conversions(m, 1000, seed)
	if err != nil {
		return err
	}
	ft := Table{Title: "The funnel's rates", Columns: []string{"stage", "eventual conversion", "90% interval", "median weeks in stage"}}
	for _, k := range conv {
		if k.Channel == "" {
			ft.Rows = append(ft.Rows, []string{k.Stage, fmt.Sprintf("%.1f%%", 100*k.Mean), fmt.Sprintf("%.1f%% to %.1f%%", 100*k.P5, 100*k.P95), model.FormatWeeks(k.MedianWeeks)})
		}
	}
	p.Tables = append(p.Tables, ft)
	if t, ok := trackTable(m.TrackRecord); ok {
		p.Tables = append(p.Tables, t)
	}
	if in.Optimum != nil {
		p.Tables = append(p.Tables, optimumTable(in.Optimum, m.Currency))
		p.Notes = append(p.Notes, in.Optimum.Warnings...)
	}
	if in.Comparison == nil {
		return nil
	}
	doc := document.NewCompare(m, in.Comparison, in.Target, false)
	st := Table{Title: "Scenarios against the baseline (paired, trial by trial)", Columns: []string{"scenario", "revenue P50", "Δ revenue (mean ± se)", "better in", "Δ wins", "Δ SQLs"}}
	wins, _ := in.Result.Info("wins")
	sql, _ := in.Result.Info(document.SQLMetric(m))
	for i := range doc.Scenarios {
		s := &doc.Scenarios[i]
		st.Rows = append(st.Rows, []string{s.Name, document.Thousands(*s.Forecast.Metrics["revenue"]["p50"]), doc.Change(s, "revenue"),
			fmt.Sprintf("%.0f%%", 100**s.Delta["revenue"].PBetter), document.Signed(s.Delta["wins"].Summary["mean"], wins), document.Signed(s.Delta[sql.Name].Summary["mean"], sql)})
		for _, w := range s.Warnings {
			p.Notes = append(p.Notes, s.Name+": "+w)
		}
	}
	p.Tables = append(p.Tables, st)
	return nil
}
