package scenarios_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

// BenchmarkCompare runs the baseline and the five sample scenarios on the
// sample company, on two workers, as `simulate compare --scenarios
// examples/sample-scenarios.yaml` does (with the embedded history as the
// evidence for the attribute rules); trials/s counts the trials of every
// run.
func BenchmarkCompare(b *testing.B) {
	f, err := scenarios.Decode(examples.ScenariosYAML())
	if err != nil {
		b.Fatal(err)
	}
	truth, err := sample.DecodeTruth(examples.TruthYAML())
	if err != nil {
		b.Fatal(err)
	}
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "sample-history.csv.gz", R: bytes.NewReader(examples.HistoryGz())}}, calibrate.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ev := &scenarios.Evidence{History: h, Options: calibrate.Options{AsOf: truth.AsOf.Time, StaleAfter: 26 * 7 * 24 * time.Hour}}
	const trials = 20000
	for b.Loop() {
		if _, err := scenarios.Compare(context.Background(), sample.Model(), f, model.Options{Trials: trials, Seed: 1, Workers: 2}, ev); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(trials*(len(f.Scenarios)+1)*b.N)/b.Elapsed().Seconds(), "trials/s")
}
