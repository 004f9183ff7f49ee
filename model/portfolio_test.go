package model_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// TestPortfolioSums runs the sample company twice as a portfolio and
// checks that its total is the parts' sum trial by trial, its ratios are
// worked out from the sums, the first part's trials are its own
// forecast's, and the parts draw independently: their revenues'
// correlation is within 4 standard errors (1/√N) of 0, where one shared
// stream would make it 1.
func TestPortfolioSums(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a portfolio of 3,000 trials; make test runs it without the race detector")
	}
	east, west := sample.Model(), sample.Model()
	east.Name, west.Name = "east", "west"
	const n = 3000
	o := model.Options{Trials: n, Weeks: 13, Seed: 21}
	total, parts, err := model.RunPortfolio(context.Background(), []*model.Model{east, west}, o)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := model.Run(context.Background(), east, o)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := parts[0].Metric("revenue")
	b, _ := parts[1].Metric("revenue")
	own, _ := alone.Metric("revenue")
	sum, _ := total.Metric("revenue")
	wins, _ := total.Metric("wins")
	lost, _ := total.Metric("lost_opportunities")
	rate, _ := total.Metric("win_rate")
	avg, _ := total.Metric("avg_deal")
	for i := range n {
		if a[i] != own[i] {
			t.Fatalf("trial %d: the first part's revenue %v is not its own forecast's %v", i, a[i], own[i])
		}
		if math.Abs(sum[i]-(a[i]+b[i])) > 1e-9*sum[i] {
			t.Fatalf("trial %d: total revenue %v, parts %v + %v", i, sum[i], a[i], b[i])
		}
		if wins[i] > 0 && (math.Abs(rate[i]-wins[i]/(wins[i]+lost[i])) > 1e-12 || math.Abs(avg[i]-sum[i]/wins[i]) > 1e-6) {
			t.Fatalf("trial %d: win rate %v and average deal %v are not worked out from the sums", i, rate[i], avg[i])
		}
		if w := total.CumRevenue[i*13+12]; math.Abs(w-sum[i]) > 1e-6*math.Max(1, sum[i]) {
			t.Fatalf("trial %d: the weekly path ends at %v, not the total %v", i, w, sum[i])
		}
	}
	if r := stat.Correlation(a, b, nil); math.Abs(r) > 4/math.Sqrt(n) {
		t.Errorf("the parts' revenues correlate at %.3f; independent parts stay within %.3f", r, 4/math.Sqrt(n))
	}
	other := sample.Model()
	other.Currency = "EUR"
	if _, _, err := model.RunPortfolio(context.Background(), []*model.Model{east, other}, o); err == nil || !strings.Contains(err.Error(), "a portfolio sums one currency") {
		t.Errorf("a portfolio of two currencies: %v", err)
	}
}

// TestPortfolioLimit checks that a portfolio's parts count against the
// results limit together, before any of them runs: one part's 10
// million trials hold about 3.8 GB of results, within half a machine of
// 8 GB, and a thousand parts' and their total 3.8 TB, beyond any (such a
// portfolio ran 147 s before it ran out of memory).
func TestPortfolioLimit(t *testing.T) {
	parts := make([]*model.Model, 1000)
	for i := range parts {
		parts[i] = sample.Model()
	}
	_, _, err := model.RunPortfolio(context.Background(), parts, model.Options{Trials: 10_000_000})
	if err == nil || !strings.Contains(err.Error(), "a portfolio of 1000 parts at 10000000 trials over 13 weeks needs about") {
		t.Errorf("got %v", err)
	}
}
