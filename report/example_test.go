package report_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/sample"
)

// Build gathers the one-page meeting report from a forecast, and Write
// renders it as a self-contained HTML page, laid out here for A4.
func ExampleBuild() {
	m := sample.Model()
	o := model.Options{Trials: 2000, Weeks: 13, Seed: 1}
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	page, err := report.Build(context.Background(), &report.Inputs{Model: m, Result: r, Target: 800000}, report.Options{Run: o, Paper: report.A4})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(page.Title)
	for _, h := range page.Headlines {
		fmt.Println(h.Label)
	}
	var html bytes.Buffer
	if err := report.Write(&html, page); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(html.String(), "@page { size: A4;"))
	// Output:
	// Sample B2B SaaS (true model): 20 November 2026 to 18 February 2027
	// Revenue (median)
	// Chance of reaching 800k
	// Wins (median)
	// Win rate (median)
	// true
}
