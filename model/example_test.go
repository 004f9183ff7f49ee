package model_test

import (
	"context"
	"fmt"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// Run simulates a model forward: here the embedded sample company's next
// quarter, 4,000 trials, whose revenue is read as a distribution and a
// chance of reaching a target. The same seed gives the same answer,
// whatever the number of workers.
func ExampleRun() {
	m := sample.Model()
	r, err := model.Run(context.Background(), m, model.Options{Trials: 4000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	rev, _ := r.Metric("revenue")
	s := model.Summarize("revenue", rev)
	p, _, _ := r.PTarget("revenue", 800_000)
	fmt.Printf("%d weeks, %d trials\n", r.Weeks, r.Trials)
	fmt.Printf("revenue P10 %.0fk, P50 %.0fk, P90 %.0fk\n", s.Q(0.1).Value/1000, s.Q(0.5).Value/1000, s.Q(0.9).Value/1000)
	fmt.Printf("P(revenue >= 800k) = %.2f\n", p)
	// Output:
	// 13 weeks, 4000 trials
	// revenue P10 510k, P50 744k, P90 1034k
	// P(revenue >= 800k) = 0.40
}
