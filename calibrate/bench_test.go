package calibrate_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/sample"
)

// BenchmarkCalibrate reads and calibrates a generated two-year history of
// ten times the sample company's leads (about 150,000 leads); scripts/bench.sh
// times a million-lead file through the command as well.
func BenchmarkCalibrate(b *testing.B) {
	truth := sample.Company()
	for i := range truth.Channels {
		truth.Channels[i].WeeklyLeads *= 10
	}
	g, err := generate.Generate(context.Background(), truth, generate.Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	var csv bytes.Buffer
	if err := g.WriteCSV(context.Background(), &csv, truth.AsOf.Time); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(csv.Len()))
	b.ResetTimer()
	for range b.N {
		h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "history.csv", R: bytes.NewReader(csv.Bytes()), Size: int64(csv.Len())}}, calibrate.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := calibrate.Estimate(context.Background(), h, calibrate.Options{AsOf: truth.AsOf.Time, StaleAfter: staleWeeks}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(g.Leads))*float64(b.N)/b.Elapsed().Seconds(), "leads/s")
}
