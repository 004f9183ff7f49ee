package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/funnelsim/funnelsim/model/rng"
)

// PartSeed is the seed part p of a portfolio runs on: the run's own seed
// for the first part, so that its trials are those of its own forecast,
// and one derived from it for each other part, so that the parts (regions,
// business units) draw independently.
func PartSeed(seed uint64, p int) uint64 {
	if p == 0 {
		return seed
	}
	hi, _ := rng.Derive(seed, uint64(p), 0x706f7274666f6c69) // "portfoli"
	return hi
}

// RunPortfolio runs each of models as a part of a portfolio, part p on
// PartSeed(o.Seed, p), and returns the parts' results and their total
// (Sum). A name that repeats is numbered in its part's result: "East
// (2)". Recalibration, if set in o, applies to the total only: it was
// learned on one company's forecasts.
func RunPortfolio(ctx context.Context, models []*Model, o Options) (total *Result, parts []*Result, err error) {
	if len(models) < 2 {
		return nil, nil, errors.New("model: a portfolio needs two models or more")
	}
	base := o
	rc := base.Recalibration
	base.Recalibration = nil
	// Every part's results are kept for the total, and the total is one
	// more: they count against the limit together, before any part runs.
	size := base
	if err := size.fill(models[0], 1); err != nil {
		return nil, nil, err
	}
	need := int64(0)
	for _, m := range append(models, models[0]) {
		need += resultBytes(len(m.Stages), size.Trials, size.Weeks)
	}
	if need > maxRunBytes() {
		return nil, nil, fmt.Errorf("a portfolio of %d parts at %d trials over %d weeks needs about %d MiB of results (each part's and the total's), more than the %d MiB limit (half the memory here); use fewer trials, weeks or parts", len(models), size.Trials, size.Weeks, need>>20, maxRunBytes()>>20)
	}
	seen := map[string]int{}
	for p, m := range models {
		if seen[m.Name]++; seen[m.Name] > 1 { // parts are told apart by name
			mm := *m
			mm.Name = fmt.Sprintf("%s (%d)", m.Name, seen[m.Name])
			m = &mm
		}
		po := base
		po.Seed = PartSeed(base.Seed, p)
		r, err := Run(ctx, m, po)
		if err != nil {
			return nil, nil, fmt.Errorf("model %q: %w", m.Name, err)
		}
		parts = append(parts, r)
	}
	if total, err = PortfolioTotal(parts, base.Seed, rc); err != nil {
		return nil, nil, err
	}
	return total, parts, nil
}

// PortfolioTotal is the total of a portfolio's parts (Sum), named for
// them, recalibrated by rc where it is set.
func PortfolioTotal(parts []*Result, seed uint64, rc *Recalibration) (*Result, error) {
	total, err := Sum(portfolioName(parts), parts, seed)
	if err != nil || rc == nil {
		return total, err
	}
	return Join([]*Result{total}, rc)
}

func portfolioName(parts []*Result) string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.Model
	}
	return "portfolio (" + strings.Join(names, ", ") + ")"
}

// Sum returns the result of a portfolio whose parts' trial i happen
// together: trial by trial, the sum of the parts' counts, amounts and
// weekly paths, and ratios worked out from the sums (win rate, average
// deal, the costs per lead, SQL and win). Weeks to win is the parts'
// mean weighted by their new leads and utilization their mean weighted
// by their hand-offs. The parts must have the same stages (and so the
// same metrics), start, horizon, currency and trials; the total is named
// name and carries seed.
func Sum(name string, parts []*Result, seed uint64) (*Result, error) {
	if len(parts) == 0 {
		return nil, errors.New("model: no parts to sum")
	}
	if err := oneFunnel(parts); err != nil {
		return nil, err
	}
	first := parts[0]
	t := &Result{Model: name, Currency: first.Currency, Start: first.Start, Trials: first.Trials, FirstTrial: first.FirstTrial,
		Weeks: first.Weeks, Seed: seed, FixedParams: first.FixedParams, Metrics: first.Metrics}
	t.Values = make([][]float64, len(t.Metrics))
	for k, m := range t.Metrics {
		t.Values[k] = make([]float64, t.Trials)
		if m.Unit == Ratio || m.Unit == Weeks || strings.HasPrefix(m.Name, "cost_per_") || m.Name == "avg_deal" {
			continue // worked out from the sums
		}
		for _, p := range parts {
			for i, x := range p.Column(k) {
				t.Values[k][i] += x
			}
		}
	}
	t.workOut(parts)
	t.CumRevenue = make([]float64, t.Trials*t.Weeks)
	t.CumWins = make([]float64, t.Trials*t.Weeks)
	rev, won := make([]float64, t.Trials), make([]float64, t.Trials)
	for _, p := range parts {
		for w := range t.Weeks {
			p.weekColumns(w, rev, won)
			for i := range t.Trials {
				t.CumRevenue[i*t.Weeks+w] += rev[i]
				t.CumWins[i*t.Weeks+w] += won[i]
			}
		}
	}
	t.addWarnings()
	return t, nil
}

// oneFunnel returns an error unless parts can be summed.
func oneFunnel(parts []*Result) error {
	first := parts[0]
	for _, p := range parts[1:] {
		switch {
		case !slices.Equal(p.Metrics, first.Metrics):
			return fmt.Errorf("model: %q and %q have different stages or metrics; a portfolio sums models of one funnel", first.Model, p.Model)
		case !p.Start.Equal(first.Start.Time):
			return fmt.Errorf("model: %q starts on %s and %q on %s; a portfolio's parts start together", first.Model, first.Start, p.Model, p.Start)
		case p.Weeks != first.Weeks || p.Trials != first.Trials || p.FirstTrial != first.FirstTrial:
			return fmt.Errorf("model: %q and %q ran over different weeks or trials", first.Model, p.Model)
		case p.Currency != first.Currency:
			return fmt.Errorf("model: %q is in %s and %q in %s; a portfolio sums one currency", first.Model, first.Currency, p.Model, p.Currency)
		}
	}
	return nil
}

// workOut sets a total's ratios from its summed counts and amounts, and
// its weeks to win and utilization from the parts' (see Sum).
func (t *Result) workOut(parts []*Result) {
	index := map[string]int{}
	for k, m := range t.Metrics {
		index[m.Name] = k
	}
	get := func(metric string) []float64 {
		if k, ok := index[metric]; ok {
			return t.Values[k]
		}
		return make([]float64, t.Trials)
	}
	set := func(metric string, f func(i int) float64) {
		if k, ok := index[metric]; ok {
			for i := range t.Trials {
				t.Values[k][i] = f(i)
			}
		}
	}
	leads, sqls := t.Values[0], t.Values[sqlMetric(t.Metrics)]
	spend, wins, lost, revenue := get("spend"), get("wins"), get("lost_opportunities"), get("revenue")
	set("win_rate", func(i int) float64 { return ratio(wins[i], wins[i]+lost[i]) })
	set("avg_deal", func(i int) float64 { return ratio(revenue[i], wins[i]) })
	set("cost_per_lead", func(i int) float64 { return ratio(spend[i], leads[i]) })
	set("cost_per_sql", func(i int) float64 { return ratio(spend[i], sqls[i]) })
	set("cost_per_win", func(i int) float64 { return ratio(spend[i], wins[i]) })
	// The parts' means, weighted trial by trial.
	weighted := func(metric string, weight int) {
		k, ok := index[metric]
		if !ok {
			return
		}
		out, sum := t.Values[k], make([]float64, t.Trials)
		for _, p := range parts {
			x, w := p.Column(k), p.Column(weight)
			for i := range out {
				if w[i] > 0 {
					out[i] += x[i] * w[i]
					sum[i] += w[i]
				}
			}
		}
		for i := range out {
			out[i] = ratio(out[i], sum[i])
		}
	}
	weighted("cycle_weeks", 0)
	if k, ok := index["handoffs"]; ok {
		weighted("utilization", k)
	}
}

// sqlMetric is the index of the SQL stage's entries among metrics: the
// stage metric labelled "SQLs".
func sqlMetric(metrics []MetricInfo) int {
	for k, m := range metrics {
		if m.Label == "SQLs" {
			return k
		}
	}
	return 0
}
