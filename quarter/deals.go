package quarter

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/funnelsim/funnelsim/model"
)

// Category is a forecast category: the deals whose chance of being won in
// the quarter is at least Min (and below the category before it's).
type Category struct {
	Name string
	Min  float64
}

// DefaultCategories are the categories deals fall in unless told others:
// commit from a 70% chance, best case from 30%, the rest pipeline.
var DefaultCategories = []Category{{"commit", 0.7}, {"best_case", 0.3}, {"pipeline", 0}}

// ParseCategories reads categories as NAME=MIN pairs, commas between
// (commit=0.7,best_case=0.3), each MIN a chance in (0, 1]. The deals below
// every one given fall in pipeline.
func ParseCategories(s string) ([]Category, error) {
	var out []Category
	for _, part := range strings.Split(s, ",") {
		name, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		name = strings.TrimSpace(name)
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		switch {
		case !ok || name == "" || err != nil:
			return nil, fmt.Errorf("categories: %q is not NAME=CHANCE (commit=0.7)", part)
		case !(x > 0 && x <= 1):
			return nil, fmt.Errorf("categories: %s's chance %v is not in (0, 1]", name, x)
		case name == "pipeline" || slices.ContainsFunc(out, func(c Category) bool { return c.Name == name }):
			return nil, fmt.Errorf("categories: %q is given twice (pipeline is the rest)", name)
		}
		out = append(out, Category{name, x})
	}
	slices.SortStableFunc(out, func(a, b Category) int { return -cmpFloat(a.Min, b.Min) })
	for i := 1; i < len(out); i++ {
		if out[i].Min == out[i-1].Min {
			return nil, fmt.Errorf("categories: %s and %s have the same chance %v", out[i-1].Name, out[i].Name, out[i].Min)
		}
	}
	return append(out, Category{"pipeline", 0}), nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Deal is one open deal at the as-of date with its chance of being won in
// the quarter (P, with its Monte Carlo standard error) and its expected
// value: its amount where known, else its channel's mean deal size
// (AmountKnown false), times P.
type Deal struct {
	ID, Stage, Channel, Rep string
	Weeks                   int
	Amount                  float64
	AmountKnown             bool
	P, PMCSE                float64
	Expected                float64
	Category                string
}

// Deals lists the model's open deals with their chances from r, a run
// with Options.Deals over w's weeks, in descending expected value.
func Deals(m *model.Model, r *model.Result, cats []Category) ([]Deal, error) {
	if r.Deals == nil {
		return nil, fmt.Errorf("the run did not keep the deals' outcomes (model.Options.Deals)")
	}
	if len(r.Deals) != len(m.Pipeline.Deals) {
		return nil, fmt.Errorf("the run has %d deals, the model %d", len(r.Deals), len(m.Pipeline.Deals))
	}
	mean, err := model.MeanDealSizes(m)
	if err != nil {
		return nil, err
	}
	n := float64(r.Trials)
	out := make([]Deal, len(r.Deals))
	for i, d := range m.Pipeline.Deals {
		p := float64(r.Deals[i].Won) / n
		x := Deal{ID: d.ID, Stage: d.Stage, Channel: d.Channel, Rep: d.Rep, Weeks: d.Weeks, Amount: d.Amount, AmountKnown: d.Amount > 0,
			P: p, PMCSE: math.Sqrt(p * (1 - p) / n)}
		if !x.AmountKnown {
			x.Amount = mean[m.ChannelIndex(d.Channel)]
		}
		x.Expected = p * x.Amount
		x.Category = categoryOf(p, cats)
		out[i] = x
	}
	slices.SortStableFunc(out, func(a, b Deal) int { return -cmpFloat(a.Expected, b.Expected) })
	return out, nil
}

func categoryOf(p float64, cats []Category) string {
	for _, c := range cats {
		if p >= c.Min {
			return c.Name
		}
	}
	return cats[len(cats)-1].Name
}

// CategoryTotal is one category's deals: how many, their amounts, the
// wins expected of them (the sum of their chances) and their expected
// value.
type CategoryTotal struct {
	Name                           string
	Min                            float64
	Deals                          int
	Amount, ExpectedWins, Expected float64
}

// ByCategory totals the deals by category, in the categories' order.
func ByCategory(deals []Deal, cats []Category) []CategoryTotal {
	out := make([]CategoryTotal, len(cats))
	for k, c := range cats {
		out[k] = CategoryTotal{Name: c.Name, Min: c.Min}
	}
	for _, d := range deals {
		k := slices.IndexFunc(cats, func(c Category) bool { return c.Name == d.Category })
		out[k].Deals++
		out[k].Amount += d.Amount
		out[k].ExpectedWins += d.P
		out[k].Expected += d.Expected
	}
	return out
}
