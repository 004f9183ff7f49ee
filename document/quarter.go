package document

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/quarter"
)

// Quarter is a fiscal quarter's forecast: booked to date, the forecast of
// the rest and the quarter's total, of wins, revenue and (for a quarter
// under way) each stage's entries.
type Quarter struct {
	Quarter string `json:"quarter"`
	// First and Last are the quarter's first and last days; AsOf the
	// model's as-of date.
	First string `json:"first_day"`
	Last  string `json:"last_day"`
	AsOf  string `json:"as_of"`
	// SimulatedFrom and SimulatedTo are the first and last days of the
	// simulated rest: the quarter's days to the nearest whole week.
	SimulatedFrom string `json:"simulated_from"`
	SimulatedTo   string `json:"simulated_to"`
	// Booked is what the history recorded in the quarter before the as-of
	// date, by metric (wins, revenue, the stages'); null where the quarter
	// starts later or the model does not record it (Note).
	Booked  map[string]float64 `json:"booked"`
	Rest    map[string]Summary `json:"rest"`
	Total   map[string]Summary `json:"total"`
	Note    string             `json:"note,omitempty"`
	PTarget *float64           `json:"p_target,omitempty"`
	PMCSE   *float64           `json:"p_target_mcse,omitempty"`

	Categories []Category `json:"categories,omitempty"`
	By         string     `json:"by,omitempty"`
	Groups     []Group    `json:"groups,omitempty"`

	metrics []model.MetricInfo
}

// Category is a forecast category's open deals.
type Category struct {
	Name         string  `json:"name"`
	MinChance    float64 `json:"min_chance"`
	Deals        int     `json:"deals"`
	Amount       float64 `json:"amount"`
	ExpectedWins float64 `json:"expected_wins"`
	Expected     float64 `json:"expected_value"`
}

// Group is a rep's or channel's quarter, with its quota where one is
// given: the chance of reaching it and the expected attainment (mean
// revenue over quota).
type Group struct {
	Name          string   `json:"name"`
	BookedWins    int      `json:"booked_wins"`
	BookedRevenue float64  `json:"booked_revenue"`
	Wins          Summary  `json:"wins"`
	Revenue       Summary  `json:"revenue"`
	Quota         *float64 `json:"quota,omitempty"`
	PQuota        *float64 `json:"p_quota,omitempty"`
	Attainment    *float64 `json:"attainment,omitempty"`
}

// NewQuarter is the quarter's document from r, a run with w's options;
// target, where a number, adds the chance the quarter's revenue reaches
// it.
func NewQuarter(m *model.Model, w *quarter.Window, r *model.Result, target float64) *Quarter {
	last := w.SimEnd.AddDate(0, 0, -1)
	q := &Quarter{Quarter: w.Quarter.String(), First: date(w.Quarter.Start), Last: date(w.Quarter.Last()), AsOf: m.AsOf.String(),
		SimulatedFrom: date(w.SimStart), SimulatedTo: date(last), Rest: map[string]Summary{}, Total: map[string]Summary{}, Note: w.Note,
		metrics: r.Metrics}
	restW, restR := w.Rest(r)
	totW, totR := w.Totals(r)
	q.Rest["wins"], q.Rest["revenue"] = SummaryOf(model.Summarize("wins", restW)), SummaryOf(model.Summarize("revenue", restR))
	q.Total["wins"], q.Total["revenue"] = SummaryOf(model.Summarize("wins", totW)), SummaryOf(model.Summarize("revenue", totR))
	if b := w.Booked; b != nil {
		q.Booked = map[string]float64{"wins": float64(len(b.Won)), "revenue": b.Revenue()}
		for s, st := range m.Stages {
			q.Booked[st.MetricName()] = float64(b.Entries[s])
		}
	}
	for name, x := range w.Entries(m, r) {
		q.Total[name] = SummaryOf(model.Summarize(name, x))
		sim, _ := r.Metric(name)
		q.Rest[name] = SummaryOf(model.Summarize(name, sim))
	}
	if !math.IsNaN(target) {
		p, se := share(totR, func(x float64) bool { return x >= target })
		q.PTarget, q.PMCSE = Num(p), Num(se)
	}
	return q
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

// share is the share of xs for which ok holds, and its binomial standard
// error.
func share(xs []float64, ok func(float64) bool) (p, se float64) {
	n := 0
	for _, x := range xs {
		if ok(x) {
			n++
		}
	}
	p = float64(n) / float64(len(xs))
	return p, math.Sqrt(p * (1 - p) / float64(len(xs)))
}

// AddCategories adds the open deals' totals by category.
func (q *Quarter) AddCategories(totals []quarter.CategoryTotal) {
	for _, c := range totals {
		q.Categories = append(q.Categories, Category{Name: c.Name, MinChance: c.Min, Deals: c.Deals, Amount: c.Amount, ExpectedWins: c.ExpectedWins, Expected: c.Expected})
	}
}

// AddGroups adds the quarter by rep or channel, with the quotas given
// (nil for none).
func (q *Quarter) AddGroups(by string, groups []quarter.Group, quota quarter.Quota) {
	q.By = by
	for _, g := range groups {
		d := Group{Name: g.Name, BookedWins: g.BookedWins, BookedRevenue: g.BookedRevenue,
			Wins: SummaryOf(model.Summarize("wins", g.Wins)), Revenue: SummaryOf(model.Summarize("revenue", g.Revenue))}
		if x, ok := quota[g.Name]; ok {
			p, _ := share(g.Revenue, func(v float64) bool { return v >= x })
			mean := 0.0
			for _, v := range g.Revenue {
				mean += v
			}
			d.Quota, d.PQuota, d.Attainment = Num(x), Num(p), Num(mean/float64(len(g.Revenue))/x)
		}
		q.Groups = append(q.Groups, d)
	}
}

// metric is the description of the quarter's row name.
func (q *Quarter) metric(name string) model.MetricInfo {
	for _, m := range q.metrics {
		if m.Name == name {
			return m
		}
	}
	return model.MetricInfo{Name: name, Label: name, Unit: model.Count}
}

// rowNames are the quarter's rows in order: revenue, wins, then the
// stages' entries where the quarter has them.
func (q *Quarter) rowNames() []string {
	names := []string{"revenue", "wins"}
	for _, m := range q.metrics {
		if _, ok := q.Total[m.Name]; ok && m.Name != "revenue" && m.Name != "wins" {
			names = append(names, m.Name)
		}
	}
	return names
}

// WriteText writes the quarter's tables.
func (q *Quarter) WriteText(w io.Writer, currency string) error {
	fmt.Fprintf(w, "\nQUARTER %s (%s to %s), as of %s\n", q.Quarter, q.First, q.Last, q.AsOf)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tbooked\trest P10\tP50\tP90\tquarter P10\tP50\tP90\t")
	for _, name := range q.rowNames() {
		m := q.metric(name)
		label := m.Label
		if m.Unit == model.Money && currency != "" {
			label += " (" + currency + ")"
		}
		booked := "-"
		if x, ok := q.Booked[name]; ok {
			booked = Value(&x, m, false)
		}
		r, t := q.Rest[name], q.Total[name]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", label, booked, Value(r["p10"], m, false), Value(r["p50"], m, false), Value(r["p90"], m, false),
			Value(t["p10"], m, false), Value(t["p50"], m, false), Value(t["p90"], m, false))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if q.Booked != nil {
		fmt.Fprintf(w, "booked: %s to the day before %s; ", q.First, q.AsOf)
	}
	fmt.Fprintf(w, "rest: simulated %s to %s, the quarter's end to the nearest week\n", q.SimulatedFrom, q.SimulatedTo)
	if q.Note != "" {
		fmt.Fprintf(w, "note: %s\n", q.Note)
	}
	if q.PTarget != nil {
		fmt.Fprintf(w, "P(quarter revenue >= target) = %.3f ± %.3f (MCSE)\n", *q.PTarget, *q.PMCSE)
	}
	if len(q.Categories) > 0 {
		fmt.Fprintf(w, "\nOPEN DEALS BY CATEGORY (chance of a win in the quarter)\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "\tfrom\tdeals\tamount\texpected wins\texpected value\t")
		for _, c := range q.Categories {
			fmt.Fprintf(tw, "%s\t%.0f%%\t%d\t%s\t%.1f\t%s\t\n", c.Name, 100*c.MinChance, c.Deals, Thousands(c.Amount), c.ExpectedWins, Thousands(c.Expected))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(q.Groups) > 0 {
		return q.writeGroups(w)
	}
	return nil
}

func (q *Quarter) writeGroups(w io.Writer) error {
	fmt.Fprintf(w, "\nBY %s (quarter totals)\n", strings.ToUpper(q.By))
	quota := false
	for _, g := range q.Groups {
		quota = quota || g.Quota != nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "\tbooked revenue\twins P10\tP50\tP90\trevenue P10\tP50\tP90\t"
	if quota {
		head += "quota\tP(quota)\tattainment\t"
	}
	fmt.Fprintln(tw, head)
	rev, wins := q.metric("revenue"), q.metric("wins")
	for _, g := range q.Groups {
		row := []string{g.Name, Thousands(g.BookedRevenue), Value(g.Wins["p10"], wins, false), Value(g.Wins["p50"], wins, false), Value(g.Wins["p90"], wins, false),
			Value(g.Revenue["p10"], rev, false), Value(g.Revenue["p50"], rev, false), Value(g.Revenue["p90"], rev, false)}
		if quota {
			if g.Quota != nil {
				row = append(row, Thousands(*g.Quota), fmt.Sprintf("%.2f", *g.PQuota), fmt.Sprintf("%.0f%%", 100**g.Attainment))
			} else {
				row = append(row, "-", "-", "-")
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	return tw.Flush()
}

// csvRows are the quarter's rows of the forecast's CSV table (see
// docs/OUTPUT.md): quarter_NAME, quarter_rest_NAME and quarter_booked_NAME
// per row name, quarter_p_target, category_* per category (its name in
// the label) and by_GROUP_* per group.
func (q *Quarter) csvRows(run []string) [][]string {
	var rows [][]string
	blank := func(row []string) []string { return append(row, make([]string, len(summaryKeys)-1)...) }
	scalar := func(metric, label string, unit model.Unit, x float64) {
		rows = append(rows, blank(append(append([]string{}, run...), metric, label, "sales", unit.String(), csvFloat(x))))
	}
	summary := func(metric, label string, unit model.Unit, s Summary) {
		row := append(append([]string{}, run...), metric, label, "sales", unit.String())
		for _, k := range summaryKeys {
			row = append(row, csvNum(s[k]))
		}
		rows = append(rows, row)
	}
	for _, name := range q.rowNames() {
		m := q.metric(name)
		summary("quarter_"+name, fmt.Sprintf("%s in %s", m.Label, q.Quarter), m.Unit, q.Total[name])
		summary("quarter_rest_"+name, fmt.Sprintf("%s from %s to %s", m.Label, q.SimulatedFrom, q.SimulatedTo), m.Unit, q.Rest[name])
		if x, ok := q.Booked[name]; ok {
			scalar("quarter_booked_"+name, fmt.Sprintf("%s booked from %s to the day before %s", m.Label, q.First, q.AsOf), m.Unit, x)
		}
	}
	if q.PTarget != nil {
		rows = append(rows, append(append(append([]string{}, run...), "quarter_p_target", "chance the quarter's revenue reaches the target", "sales", model.Ratio.String(), csvNum(q.PTarget), csvNum(q.PMCSE)), make([]string, len(summaryKeys)-2)...))
	}
	for _, c := range q.Categories {
		scalar("category_deals", c.Name, model.Count, float64(c.Deals))
		scalar("category_amount", c.Name, model.Money, c.Amount)
		scalar("category_expected_wins", c.Name, model.Count, c.ExpectedWins)
		scalar("category_expected_value", c.Name, model.Money, c.Expected)
	}
	for _, g := range q.Groups {
		summary("by_"+q.By+"_wins", g.Name, model.Count, g.Wins)
		summary("by_"+q.By+"_revenue", g.Name, model.Money, g.Revenue)
		if g.Quota != nil {
			scalar("by_"+q.By+"_quota", g.Name, model.Money, *g.Quota)
			scalar("by_"+q.By+"_p_quota", g.Name, model.Ratio, *g.PQuota)
			scalar("by_"+q.By+"_attainment", g.Name, model.Ratio, *g.Attainment)
		}
	}
	return rows
}

// WriteDealsCSV writes the open deals, one row each: id, stage, weeks in
// stage, rep, channel, amount (known or the channel's mean), whether the
// amount is known, the chance of a win in the quarter with its MCSE, the
// expected value and the category.
func WriteDealsCSV(w io.Writer, deals []quarter.Deal) error {
	header := []string{"id", "stage", "weeks_in_stage", "rep", "channel", "amount", "amount_known", "p_win", "p_win_mcse", "expected_value", "category"}
	rows := make([][]string, len(deals))
	for i, d := range deals {
		rows[i] = []string{d.ID, d.Stage, strconv.Itoa(d.Weeks), d.Rep, d.Channel, csvFloat(d.Amount), strconv.FormatBool(d.AmountKnown),
			csvFloat(d.P), csvFloat(d.PMCSE), csvFloat(d.Expected), d.Category}
	}
	return csvTable(w, header, rows)
}
