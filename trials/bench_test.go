package trials_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/trials"
)

// benchShards runs the sample company over 13 weeks, trials in all, as n
// shards, and returns their files' bytes.
func benchShards(b *testing.B, trialsN, n int) [][]byte {
	b.Helper()
	var out [][]byte
	for i := range n {
		first, count := trials.Shard(i, n, trialsN)
		out = append(out, forecastFile(b, model.Options{Trials: count, FirstTrial: first, Seed: 1}, trialsN))
	}
	return out
}

// BenchmarkWrite writes 50,000 trials of the sample company (13 weeks) to
// Parquet: trials written per second and the file's bytes per trial.
func BenchmarkWrite(b *testing.B) {
	const n = 50000
	rs, err := model.RunAll(context.Background(), []*model.Model{sample.Model()}, model.Options{Trials: n, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	run, err := trials.NewRun("forecast", "bench", modelYAML, nil, rs, n)
	if err != nil {
		b.Fatal(err)
	}
	var size int
	b.ResetTimer()
	for b.Loop() {
		var buf bytes.Buffer
		if err := trials.Write(&buf, run, rs); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "trials/s")
	b.ReportMetric(float64(size)/n, "B/trial")
}

// BenchmarkMerge merges 8 shards of 50,000 trials in all and summarises
// every metric and week, as merge's outputs do: trials merged per second.
func BenchmarkMerge(b *testing.B) {
	const n = 50000
	files := benchShards(b, n, 8)
	b.ResetTimer()
	for b.Loop() {
		var open []*trials.File
		for _, f := range files {
			t, err := trials.Read("shard", bytes.NewReader(f), int64(len(f)))
			if err != nil {
				b.Fatal(err)
			}
			open = append(open, t)
		}
		m, err := trials.Merge(context.Background(), open, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		m.Results[0].Summaries()
		m.Results[0].WeeklySummaries()
		m.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "trials/s")
}
