package qualify

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/funnelsim/funnelsim/model"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model/rng"
	"github.com/funnelsim/funnelsim/scenarios"
)

// Deals are closed deals: each won or lost, with its amount where known
// and its attributes, as a history the rules can run on.
type Deals struct {
	// History holds the deals as leads: their attributes, Won set for
	// the won ones (at a date that means nothing), and amounts.
	History *calibrate.History
	Won     []bool
}

// ReadOptions say how to read a deals file: Map names its outcome and
// amount columns (canonical outcome, amount; default those names),
// Outcomes maps its outcome values to "won" or "lost" (beside won/lost,
// win/loss, closed won/closed lost, yes/no, true/false and 1/0, in any
// case).
// MaxRejected, when positive, refuses a file of which more than that
// share of the rows is rejected (calibrate.Report.CheckRejected), and
// MaxRejectedName names the setting in the error.
type ReadOptions struct {
	Map             map[string]string
	Outcomes        map[string]string
	MaxRejected     float64
	MaxRejectedName string
}

// Read reads closed deals from f: every row with an outcome; the columns
// other than the outcome and the amount are the attributes. Rows whose
// outcome is neither won nor lost, or whose amount is not a number, are
// rejected into the report.
func Read(ctx context.Context, f calibrate.File, o ReadOptions) (*Deals, error) {
	col := func(name string) string {
		if c, ok := o.Map[name]; ok {
			return strings.ToLower(c)
		}
		return name
	}
	d := &Deals{History: &calibrate.History{Report: &calibrate.Report{}}}
	outcome, amount := -1, -1
	var attrs []int
	err := calibrate.ReadRows(ctx, f, d.History.Report, func(header, rec []string, line int) (bool, string, string, string) {
		if outcome < 0 {
			for i, h := range header {
				switch strings.ToLower(strings.TrimSpace(h)) {
				case col("outcome"):
					outcome = i
				case col("amount"):
					amount = i
				default:
					attrs = append(attrs, i)
					d.History.Attributes = append(d.History.Attributes, calibrate.Identifier(h))
				}
			}
			if outcome < 0 {
				outcome = -2 // reported once, below
			}
		}
		if outcome == -2 {
			return false, "outcome", "no outcome column", ""
		}
		won, ok := wonOrLost(rec[outcome], o.Outcomes)
		if !ok {
			return false, col("outcome"), "unknown outcome", fmt.Sprintf("%q is neither won nor lost (map it to one)", rec[outcome])
		}
		l := calibrate.Lead{ID: strconv.Itoa(line), Line: line, File: f.Name, Amount: math.NaN()}
		if amount >= 0 {
			if s := strings.TrimSpace(rec[amount]); s != "" {
				x, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
				if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
					return false, col("amount"), "unparsable amount", fmt.Sprintf("%q is not an amount", s)
				}
				l.Amount = x
			}
		}
		for _, i := range attrs {
			l.Attrs = append(l.Attrs, strings.Clone(strings.TrimSpace(rec[i])))
		}
		d.History.Leads = append(d.History.Leads, l)
		d.Won = append(d.Won, won)
		return true, "", "", ""
	})
	if err != nil {
		return nil, err
	}
	if outcome == -2 {
		return nil, fmt.Errorf("%s: no outcome column %q", f.Name, col("outcome"))
	}
	name := o.MaxRejectedName
	if name == "" {
		name = "ReadOptions.MaxRejected"
	}
	if err := d.History.Report.CheckRejected(o.MaxRejected, name, nil); err != nil {
		return nil, err
	}
	if len(d.Won) == 0 {
		return nil, fmt.Errorf("%s: no closed deal", f.Name)
	}
	return d, nil
}

// wonOrLost reads an outcome value.
func wonOrLost(v string, m map[string]string) (won, ok bool) {
	v = strings.TrimSpace(v)
	if to, found := m[v]; found {
		v = to
	}
	won, ok, _ = calibrate.ReadOutcome(v)
	return won, ok
}

// Definition is a named rule: the leads that pass it qualify.
type Definition struct {
	Name, Rule string
}

// Group is the deals on one side of a rule: how many, how many won, the
// win rate's posterior mean and 90% interval (Jeffreys prior), and the
// revenue per deal (won amounts over all the group's deals) with its 90%
// interval (Bayesian bootstrap), NaN without amounts.
type Group struct {
	Deals, Wins           int
	WinRate, WinLo, WinHi float64
	Revenue, RevLo, RevHi float64
}

// Result is one definition's effect.
type Result struct {
	Definition
	// Pass and Fail are the deals that pass and fail the rule.
	Pass, Fail Group
	// Share is the share of deals that pass, and WinsKept the share of
	// wins.
	Share, WinsKept float64
	// PBetter is the posterior chance that a deal passing the rule wins
	// more often than one failing it, and PBetterMCSE its Monte Carlo
	// error; NaN where either side is empty.
	PBetter, PBetterMCSE float64
	// Warnings are what compiling the rule found odd (scenarios.Rule.
	// Warnings): a value it compares a column with that no deal has.
	Warnings []string
}

// Draws are the Monte Carlo draws behind PBetter and the revenue
// intervals.
const Draws = 20000

// MaxRules bounds the definitions one comparison takes: each is
// evaluated on every deal and costs Draws posterior draws, and a table of
// more than a few dozen is read by no one (a million ran past 300 s at
// 2 GB).
const MaxRules = 1000

// Compare evaluates each definition on the deals; seed keys the draws.
func Compare(d *Deals, defs []Definition, seed uint64) ([]Result, error) {
	if len(defs) > MaxRules {
		return nil, fmt.Errorf("%d rules to compare, more than the %d one comparison may take; compare them in several runs", len(defs), MaxRules)
	}
	var out []Result
	st := rng.NewStream()
	for k, def := range defs {
		rule, err := scenarios.CompileRule(def.Rule, d.History)
		if err != nil {
			return nil, err
		}
		var pass, fail []int
		for i := range d.History.Leads {
			ok, err := rule.Match(&d.History.Leads[i])
			if err != nil {
				return nil, err
			}
			if ok {
				pass = append(pass, i)
			} else {
				fail = append(fail, i)
			}
		}
		st.Reset(seed, uint64(k))
		r := Result{Definition: def, Pass: group(d, pass, st), Fail: group(d, fail, st), Warnings: rule.Warnings()}
		r.Share = float64(len(pass)) / float64(len(d.Won))
		if all := r.Pass.Wins + r.Fail.Wins; all > 0 {
			r.WinsKept = float64(r.Pass.Wins) / float64(all)
		} else {
			r.WinsKept = math.NaN()
		}
		r.PBetter, r.PBetterMCSE = pBetter(r.Pass, r.Fail, st)
		out = append(out, r)
	}
	return out, nil
}

// group summarizes the deals at indexes idx.
func group(d *Deals, idx []int, st *rng.Stream) Group {
	g := Group{Deals: len(idx), WinRate: math.NaN(), WinLo: math.NaN(), WinHi: math.NaN(), Revenue: math.NaN(), RevLo: math.NaN(), RevHi: math.NaN()}
	for _, i := range idx {
		if d.Won[i] {
			g.Wins++
		}
	}
	if g.Deals == 0 {
		return g
	}
	b := distuv.Beta{Alpha: float64(g.Wins) + 0.5, Beta: float64(g.Deals-g.Wins) + 0.5}
	g.WinRate, g.WinLo, g.WinHi = b.Mean(), b.Quantile(0.05), b.Quantile(0.95)
	// Revenue per deal, where every won deal has an amount.
	rev := make([]float64, len(idx))
	for k, i := range idx {
		if d.Won[i] {
			if a := d.History.Leads[i].Amount; !math.IsNaN(a) {
				rev[k] = a
			} else {
				return g
			}
		}
	}
	mean := 0.0
	for _, x := range rev {
		mean += x
	}
	g.Revenue = mean / float64(len(rev))
	draws := make([]float64, 2000)
	for j := range draws {
		var sw, s float64
		for _, x := range rev {
			w := st.ExpFloat64() // Dirichlet(1, …, 1) weights, normalized below
			sw += w
			s += w * x
		}
		draws[j] = s / sw
	}
	g.RevLo, g.RevHi = quantile(draws, 0.05), quantile(draws, 0.95)
	return g
}

// pBetter is P(p_pass > p_fail) under the two Jeffreys posteriors, by
// Draws draws, and its Monte Carlo standard error.
func pBetter(pass, fail Group, st *rng.Stream) (p, mcse float64) {
	if pass.Deals == 0 || fail.Deals == 0 {
		return math.NaN(), math.NaN()
	}
	a, b := float64(pass.Wins)+0.5, float64(pass.Deals-pass.Wins)+0.5
	c, e := float64(fail.Wins)+0.5, float64(fail.Deals-fail.Wins)+0.5
	n := 0
	for range Draws {
		if beta(st, a, b) > beta(st, c, e) {
			n++
		}
	}
	p = float64(n) / Draws
	return p, math.Sqrt(p * (1 - p) / Draws)
}

// beta draws from Beta(a, b) as Gamma(a)/(Gamma(a)+Gamma(b)).
func beta(st *rng.Stream, a, b float64) float64 {
	x, y := rng.Gamma(st, a, 1), rng.Gamma(st, b, 1)
	return x / (x + y)
}

// quantile is the p-quantile of xs (sorted in place), by the model's
// definition.
func quantile(xs []float64, p float64) float64 {
	slices.Sort(xs)
	return model.QuantileOf(xs, p)
}

// ReadFile reads the deals file at path (see Read). Where o names no
// outcome column and the file has none called outcome, it is found from
// its values (FindOutcome) and returned as found, so that the caller can
// say which it took; found is "" otherwise.
func ReadFile(ctx context.Context, path string, o ReadOptions) (d *Deals, found string, err error) {
	in, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer in.Close()
	if _, ok := o.Map["outcome"]; !ok {
		col, err := FindOutcome(ctx, calibrate.File{Name: path, R: in}, o)
		if err != nil {
			return nil, "", err
		}
		if col != "outcome" {
			found = col
			m := map[string]string{"outcome": col}
			for k, v := range o.Map {
				m[k] = v
			}
			o.Map = m
		}
		if _, err := in.Seek(0, io.SeekStart); err != nil {
			return nil, "", err
		}
	}
	d, err = Read(ctx, calibrate.File{Name: path, R: in}, o)
	return d, found, err
}

// FindOutcome names the outcome column of a deals file that has none
// called outcome: the one column whose values are won and lost (in the
// words wonOrLost and o.Outcomes know, in any case), both present and at
// least half of its non-empty values. It reads at most findRows rows.
// Where the header has an outcome column, or o.Map names one, it returns
// that. Where no column or several qualify, the error lists the header
// and how to name one.
func FindOutcome(ctx context.Context, f calibrate.File, o ReadOptions) (string, error) {
	if c, ok := o.Map["outcome"]; ok {
		return c, nil
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var header []string
	var won, lost, other, worded []int
	rows := 0
	err := calibrate.ReadRows(ctx, f, &calibrate.Report{}, func(h, rec []string, line int) (bool, string, string, string) {
		if header == nil {
			header = slices.Clone(h)
			won, lost, other, worded = make([]int, len(h)), make([]int, len(h)), make([]int, len(h)), make([]int, len(h))
			if slices.ContainsFunc(h, func(c string) bool { return strings.EqualFold(strings.TrimSpace(c), "outcome") }) {
				stop()
			}
		}
		for i, v := range rec {
			switch w, ok := wonOrLost(v, o.Outcomes); {
			case strings.TrimSpace(v) == "":
			case ok && w:
				won[i]++
			case ok:
				lost[i]++
			default:
				other[i]++
			}
			if _, _, words := calibrate.ReadOutcome(v); words {
				worded[i]++
			}
		}
		if rows++; rows >= findRows {
			stop()
		}
		return true, "", "", ""
	})
	if header == nil {
		if err == nil {
			err = fmt.Errorf("%s: no header", f.Name)
		}
		return "", err
	}
	if err != nil && ctx.Err() == nil {
		return "", err
	}
	for _, c := range header {
		if strings.EqualFold(strings.TrimSpace(c), "outcome") {
			return "outcome", nil
		}
	}
	var found []string
	for i, c := range header {
		if won[i] > 0 && lost[i] > 0 && won[i]+lost[i] >= other[i] {
			found = append(found, strings.TrimSpace(c))
		}
	}
	if len(found) > 1 {
		// Yes/No and 1/0 columns are often attributes: a column of Won
		// and Lost says outcome.
		var words []string
		for i, c := range header {
			if slices.Contains(found, strings.TrimSpace(c)) && worded[i] > 0 {
				words = append(words, strings.TrimSpace(c))
			}
		}
		if len(words) == 1 {
			found = words
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("%s: no outcome column: no column is named outcome, and none holds won and lost values (won/lost, closed won/closed lost, yes/no, true/false, 1/0 in any case); the columns are %s: name one with --map outcome=COLUMN, and its values with --outcomes VALUE=won,VALUE=lost", f.Name, strings.Join(header, ", "))
	default:
		return "", fmt.Errorf("%s: no column is named outcome, and %d hold won and lost values (%s): name one with --map outcome=COLUMN", f.Name, len(found), strings.Join(found, ", "))
	}
}

// findRows is how many rows FindOutcome reads.
const findRows = 10_000
