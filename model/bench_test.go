package model_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/internal/benchref"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// BenchmarkRun measures whole runs of the sample company over 13 weeks;
// trials/s is the figure to read.
func BenchmarkRun(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			benchRun(b, sample.Model(), workers)
		})
	}
}

// BenchmarkRunTenfold runs the sample company with ten and a hundred times
// the lead volume, open pipeline and reps, on one worker, to compare with
// workers=1 above.
func BenchmarkRunTenfold(b *testing.B) {
	for _, k := range []int{10, 100} {
		b.Run(fmt.Sprintf("leads=%dx", k), func(b *testing.B) {
			benchRun(b, scaled(sample.Model(), k), 1)
		})
	}
}

const benchTrials = 20000

func benchRun(b *testing.B, m *model.Model, workers int) {
	for b.Loop() {
		if _, err := model.Run(context.Background(), m, model.Options{Trials: benchTrials, Seed: 1, Workers: workers}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchTrials*b.N)/b.Elapsed().Seconds(), "trials/s")
}

// scaled multiplies arrivals, open leads and queued leads by k.
func scaled(m *model.Model, k int) *model.Model {
	for i := range m.Channels {
		m.Channels[i].WeeklyLeads *= float64(k)
	}
	for i := range m.Pipeline.Open {
		m.Pipeline.Open[i].Count *= k
	}
	m.Reps.Count *= k
	return m
}

// BenchmarkGuard times the engine (the sample company, one worker) and the
// fixed reference workload of internal/benchref alternately in this one
// process, and reports the median ratio of their speeds (engine/ref): a
// figure of the engine's own speed that the machine's speed and load
// mostly cancel out of. scripts/bench.sh fails when it falls more than 15%
// below the one docs/BENCHMARKS.md records.
func BenchmarkGuard(b *testing.B) {
	const trials = 2000
	m := sample.Model()
	var ratios []float64
	for b.Loop() {
		start := time.Now()
		if _, err := model.Run(context.Background(), m, model.Options{Trials: trials, Seed: 1, Workers: 1}); err != nil {
			b.Fatal(err)
		}
		engine := time.Since(start)
		start = time.Now()
		refSink += benchref.Run(trials, 1)
		ratios = append(ratios, time.Since(start).Seconds()/engine.Seconds())
	}
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "engine/ref")
}

var refSink float64
