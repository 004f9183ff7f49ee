package qualify_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/qualify"
)

// Compare sets SQL definitions side by side on closed deals without
// dates: the share that passes each, their win rate, and the chance that
// a deal that passes wins more often than one that fails. The outcome
// column is found from its values, and strings compare without case.
func ExampleCompare() {
	deals := "stage,budget_known,region\n" + strings.Repeat("Won,Yes,north\nLost,Yes,north\nLost,No,south\nLost,No,north\nWon,yes,south\n", 20)
	file := func() calibrate.File { return calibrate.File{Name: "deals.csv", R: strings.NewReader(deals)} }
	col, err := qualify.FindOutcome(context.Background(), file(), qualify.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := qualify.Read(context.Background(), file(), qualify.ReadOptions{Map: map[string]string{"outcome": col}})
	if err != nil {
		fmt.Println(err)
		return
	}
	rs, err := qualify.Compare(d, []qualify.Definition{{Name: "budget known", Rule: `budget_known == "yes"`}}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rs {
		fmt.Printf("outcome column %s; %s: %.0f%% of deals pass, win rate %.2f against %.2f, P(better) %.2f\n", col, r.Name, 100*r.Share, r.Pass.WinRate, r.Fail.WinRate, r.PBetter)
	}
	// Output:
	// outcome column stage; budget known: 60% of deals pass, win rate 0.66 against 0.01, P(better) 1.00
}
