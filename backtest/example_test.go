package backtest_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/examples"
)

// Run backtests a history at rolling origins: at each, it calibrates on
// the history as known then, forecasts the next quarter and scores the
// forecast beside the baselines. Here four origins over the sample
// company's history, four weeks apart, with wins' strongest baseline and
// the model's interval coverage.
func ExampleRun() {
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "sample-history.csv.gz", R: bytes.NewReader(examples.HistoryGz())}}, calibrate.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := backtest.Run(context.Background(), h, backtest.Options{
		Calibrate: calibrate.Options{StaleAfter: 26 * 7 * 24 * time.Hour}, Origins: 4, Trials: 1000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range res.Summary() {
		if s.Target != "wins" {
			continue
		}
		m, b := s.Model(), s.Methods[s.Best]
		fmt.Printf("wins at %d origins: model CRPS %.1f, best baseline %s %.1f; the model's 80%% intervals cover %.0f of %d\n",
			s.N, m.CRPS, b.Method, b.CRPS, m.Cover80*float64(m.N), m.N)
	}
	// Output:
	// wins at 4 origins: model CRPS 3.7, best baseline pipeline 2.9; the model's 80% intervals cover 2 of 4
}
