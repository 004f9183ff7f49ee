package report

import (
	"fmt"
	"time"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/quarter"
)

// QuarterView is a fiscal quarter's forecast for the report: its document
// (booked, the rest, the total, the deals' categories and the groups) and
// the open deals, largest expected value first.
type QuarterView struct {
	Doc   *document.Quarter
	Deals []quarter.Deal
}

// maxDealRows is the most open deals the appendix lists; the deals CSV
// holds them all.
const maxDealRows = 25

func longDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("2 January 2006")
}

// quarterPage sets page one for a quarter: the title, the answer in a
// sentence and the headline numbers, from booked to date and the
// quarter's total.
func (p *Page) quarterPage(name string, q *document.Quarter, trials int, seed uint64, currency string, target float64) {
	p.Title = fmt.Sprintf("%s: %s, %s to %s", name, q.Quarter, longDate(q.First), longDate(q.Last))
	booked := "Nothing is booked yet: the quarter starts after the model's as-of date."
	if q.Booked != nil {
		booked = fmt.Sprintf("Booked from %s to the day before %s, as the history records it.", longDate(q.First), longDate(q.AsOf))
	} else if q.Note != "" {
		booked = "Booked to date is not known: " + q.Note + "."
	}
	p.Subtitle = fmt.Sprintf("%s The rest, %s to %s, forecast from %d trials (seed %d); money in %s. Ranges are P10 to P90: eight trials in ten fall inside.",
		booked, longDate(q.SimulatedFrom), longDate(q.SimulatedTo), trials, seed, currency)
	rev := q.Total["revenue"]
	p50, p10, p90 := val(rev["p50"]), val(rev["p10"]), val(rev["p90"])
	p.Sentence = fmt.Sprintf("The quarter's revenue will most likely be about %s, and 8 times in 10 between %s and %s", plots.Money(p50), plots.Money(p10), plots.Money(p90))
	if b, ok := q.Booked["revenue"]; ok {
		p.Sentence += fmt.Sprintf(", of which %s is booked", plots.Money(b))
	}
	if q.PTarget != nil {
		p.Sentence += fmt.Sprintf("; the chance of reaching %s is %.0f%%", plots.Money(target), 100**q.PTarget)
	}
	p.Sentence += "."
	p.Headlines = []Headline{{Label: "Quarter revenue (median)", Value: plots.Money(p50), Detail: fmt.Sprintf("P10 %s to P90 %s", plots.Money(p10), plots.Money(p90))}}
	if b, ok := q.Booked["revenue"]; ok {
		p.Headlines = append(p.Headlines, Headline{Label: "Booked to date", Value: plots.Money(b), Detail: fmt.Sprintf("%.0f wins", q.Booked["wins"])})
	}
	r := q.Rest["revenue"]
	p.Headlines = append(p.Headlines, Headline{Label: "Rest of the quarter (median)", Value: plots.Money(val(r["p50"])),
		Detail: fmt.Sprintf("P10 %s to P90 %s", plots.Money(val(r["p10"])), plots.Money(val(r["p90"])))})
	if q.PTarget != nil {
		p.Headlines = append(p.Headlines, Headline{Label: "Chance of reaching " + plots.Money(target), Value: fmt.Sprintf("%.0f%%", 100**q.PTarget),
			Detail: fmt.Sprintf("± %.1f points (Monte Carlo)", 100**q.PMCSE)})
	}
}

func val(x *float64) float64 {
	if x == nil {
		return 0
	}
	return *x
}

// quarterTables are the appendix's tables of the quarter: its totals, the
// open deals by category and the largest of them, and the groups.
func (p *Page) quarterTables(v *QuarterView) {
	q := v.Doc
	t := Table{Title: fmt.Sprintf("The quarter %s: booked, the rest and the total", q.Quarter), Columns: []string{"metric", "booked", "rest P50", "total P10", "total P50", "total P90"}}
	for _, name := range []string{"revenue", "wins"} {
		b := "-"
		if x, ok := q.Booked[name]; ok {
			b = document.Thousands(x)
		}
		r, tot := q.Rest[name], q.Total[name]
		t.Rows = append(t.Rows, []string{name, b, document.Thousands(val(r["p50"])), document.Thousands(val(tot["p10"])), document.Thousands(val(tot["p50"])), document.Thousands(val(tot["p90"]))})
	}
	p.Tables = append(p.Tables, t)
	if len(q.Categories) > 0 {
		ct := Table{Title: "Open deals by forecast category (chance of a win in the quarter)", Columns: []string{"category", "from", "deals", "amount", "expected wins", "expected value"}}
		for _, c := range q.Categories {
			ct.Rows = append(ct.Rows, []string{c.Name, fmt.Sprintf("%.0f%%", 100*c.MinChance), fmt.Sprint(c.Deals), document.Thousands(c.Amount), fmt.Sprintf("%.1f", c.ExpectedWins), document.Thousands(c.Expected)})
		}
		p.Tables = append(p.Tables, ct)
	}
	if len(v.Deals) > 0 {
		title := "The open deals, largest expected value first"
		if len(v.Deals) > maxDealRows {
			title = fmt.Sprintf("The %d open deals of largest expected value (of %d; forecast --quarter with --deals FILE lists them all)", maxDealRows, len(v.Deals))
		}
		dt := Table{Title: title, Columns: []string{"deal", "stage", "weeks in stage", "rep", "amount", "chance", "expected value", "category"}}
		for _, d := range v.Deals[:min(maxDealRows, len(v.Deals))] {
			amount := document.Thousands(d.Amount)
			if !d.AmountKnown {
				amount += " (mean)"
			}
			dt.Rows = append(dt.Rows, []string{d.ID, d.Stage, fmt.Sprint(d.Weeks), d.Rep, amount, fmt.Sprintf("%.0f%%", 100*d.P), document.Thousands(d.Expected), d.Category})
		}
		p.Tables = append(p.Tables, dt)
	}
	if len(q.Groups) > 0 {
		gt := Table{Title: fmt.Sprintf("The quarter by %s", q.By), Columns: []string{q.By, "booked", "wins P50", "revenue P10", "revenue P50", "revenue P90", "quota", "P(quota)"}}
		for _, g := range q.Groups {
			quota, pq := "-", "-"
			if g.Quota != nil {
				quota, pq = document.Thousands(*g.Quota), fmt.Sprintf("%.0f%%", 100**g.PQuota)
			}
			gt.Rows = append(gt.Rows, []string{g.Name, document.Thousands(g.BookedRevenue), document.Thousands(val(g.Wins["p50"])),
				document.Thousands(val(g.Revenue["p10"])), document.Thousands(val(g.Revenue["p50"])), document.Thousands(val(g.Revenue["p90"])), quota, pq})
		}
		p.Tables = append(p.Tables, gt)
	}
}
