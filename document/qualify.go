package document

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/funnelsim/funnelsim/qualify"
)

// Qualify is the comparison of qualification rules on closed deals.
type Qualify struct {
	Deals int           `json:"deals"`
	Wins  int           `json:"wins"`
	Seed  uint64        `json:"seed"`
	Rules []QualifyRule `json:"rules"`
}

// QualifyRule is one rule's effect: the deals that pass and fail it.
type QualifyRule struct {
	Name        string       `json:"name"`
	Rule        string       `json:"rule"`
	Share       *float64     `json:"share"`
	WinsKept    *float64     `json:"wins_kept"`
	PBetter     *float64     `json:"p_better"`
	PBetterMCSE *float64     `json:"p_better_mcse"`
	Pass        QualifyGroup `json:"pass"`
	Fail        QualifyGroup `json:"fail"`
	Warnings    []string     `json:"warnings,omitempty"`
}

// QualifyGroup is one side of a rule.
type QualifyGroup struct {
	Deals      int      `json:"deals"`
	Wins       int      `json:"wins"`
	WinRate    *float64 `json:"win_rate"`
	WinRateP5  *float64 `json:"win_rate_p5"`
	WinRateP95 *float64 `json:"win_rate_p95"`
	Revenue    *float64 `json:"revenue_per_deal"`
	RevenueP5  *float64 `json:"revenue_per_deal_p5"`
	RevenueP95 *float64 `json:"revenue_per_deal_p95"`
}

func qualifyGroup(g qualify.Group) QualifyGroup {
	return QualifyGroup{Deals: g.Deals, Wins: g.Wins, WinRate: Num(g.WinRate), WinRateP5: Num(g.WinLo), WinRateP95: Num(g.WinHi),
		Revenue: Num(g.Revenue), RevenueP5: Num(g.RevLo), RevenueP95: Num(g.RevHi)}
}

// NewQualify is the document of rs, compared on d with seed.
func NewQualify(d *qualify.Deals, rs []qualify.Result, seed uint64) *Qualify {
	q := &Qualify{Deals: len(d.Won), Seed: seed}
	for _, w := range d.Won {
		if w {
			q.Wins++
		}
	}
	for _, r := range rs {
		q.Rules = append(q.Rules, QualifyRule{Name: r.Name, Rule: r.Rule, Share: Num(r.Share), WinsKept: Num(r.WinsKept),
			PBetter: Num(r.PBetter), PBetterMCSE: Num(r.PBetterMCSE), Pass: qualifyGroup(r.Pass), Fail: qualifyGroup(r.Fail), Warnings: r.Warnings})
	}
	return q
}

func pctOf(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100**x)
}

func rangeOf(lo, hi *float64, f func(*float64) string) string {
	if lo == nil || hi == nil {
		return "-"
	}
	return f(lo) + "–" + f(hi)
}

func moneyOf(x *float64) string {
	if x == nil {
		return "-"
	}
	return Thousands(*x)
}

// WriteText writes a row per rule: the deals that pass it, their win rate
// and revenue per deal with 90% intervals, the win rate of those that
// fail, the share of wins kept and P(better).
func (q *Qualify) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%d closed deals, %d won (%.0f%%)\n\n", q.Deals, q.Wins, 100*float64(q.Wins)/float64(q.Deals))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rule\tpass\twin rate (90%)\trevenue per deal (90%)\tfail win rate\twins kept\tP(better)\t")
	for _, r := range q.Rules {
		fmt.Fprintf(tw, "%s\t%s\t%s (%s)\t%s (%s)\t%s\t%s\t%s\t\n", r.Name, pctOf(r.Share),
			pctOf(r.Pass.WinRate), rangeOf(r.Pass.WinRateP5, r.Pass.WinRateP95, pctOf),
			moneyOf(r.Pass.Revenue), rangeOf(r.Pass.RevenueP5, r.Pass.RevenueP95, moneyOf),
			pctOf(r.Fail.WinRate), pctOf(r.WinsKept), Prob(r.PBetter))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\npass: the share of deals that pass the rule; win rate and revenue per deal (won amounts over all the rule's deals): of those, with 90% credible intervals; fail win rate: of the others; wins kept: the share of wins that pass; P(better): the chance that a deal that passes wins more often than one that fails.")
	for _, r := range q.Rules {
		if r.Name != r.Rule {
			fmt.Fprintf(w, "%s: %s\n", r.Name, r.Rule)
		}
	}
	for _, r := range q.Rules {
		for _, warn := range r.Warnings {
			fmt.Fprintf(w, "warning: %s\n", warn)
		}
	}
	return nil
}

// WriteCSV writes a row per rule.
func (q *Qualify) WriteCSV(w io.Writer) error {
	header := []string{"seed", "name", "rule", "share", "wins_kept", "p_better", "p_better_mcse",
		"pass_deals", "pass_wins", "pass_win_rate", "pass_win_rate_p5", "pass_win_rate_p95", "pass_revenue_per_deal", "pass_revenue_per_deal_p5", "pass_revenue_per_deal_p95",
		"fail_deals", "fail_wins", "fail_win_rate", "fail_win_rate_p5", "fail_win_rate_p95", "fail_revenue_per_deal"}
	var rows [][]string
	for _, r := range q.Rules {
		g := func(x QualifyGroup) []string {
			return []string{strconv.Itoa(x.Deals), strconv.Itoa(x.Wins), csvNum(x.WinRate), csvNum(x.WinRateP5), csvNum(x.WinRateP95)}
		}
		row := []string{strconv.FormatUint(q.Seed, 10), r.Name, r.Rule, csvNum(r.Share), csvNum(r.WinsKept), csvNum(r.PBetter), csvNum(r.PBetterMCSE)}
		row = append(append(row, g(r.Pass)...), csvNum(r.Pass.Revenue), csvNum(r.Pass.RevenueP5), csvNum(r.Pass.RevenueP95))
		row = append(append(row, g(r.Fail)...), csvNum(r.Fail.Revenue))
		rows = append(rows, row)
	}
	return csvTable(w, header, rows)
}
