package model_test

import (
	"context"
	"fmt"
	"testing"

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
		if _, err := model.Run(context.Background(), m, &model.Options{Trials: benchTrials, Seed: 1, Workers: workers}); err != nil {
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
