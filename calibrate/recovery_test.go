package calibrate_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

func calibrated(t *testing.T, seed uint64, unrecorded float64, stale time.Duration) (*model.Model, *sample.Truth) {
	t.Helper()
	truth := sample.Company()
	h, err := generate.Generate(truth, generate.Options{Seed: seed, UnrecordedLoss: unrecorded})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := h.WriteCSV(&buf, truth.AsOf.Time); err != nil {
		t.Fatal(err)
	}
	hist, err := calibrate.Read([]calibrate.File{{Name: "history.csv", R: &buf}}, calibrate.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := calibrate.Estimate(hist, calibrate.Options{AsOf: truth.AsOf.Time, StaleAfter: stale})
	if err != nil {
		t.Fatal(err)
	}
	return m, truth
}

func TestRecoveryOne(t *testing.T) {
	for _, c := range []struct {
		unrec float64
		stale time.Duration
	}{{-1, 0}, {0.3, 0}, {0.3, 26 * 7 * 24 * time.Hour}} {
		m, truth := calibrated(t, 1, c.unrec, c.stale)
		conv, err := model.Conversions(m, 400, 1)
		if err != nil {
			t.Fatal(err)
		}
		cover, n := 0, 0
		for _, k := range conv {
			if k.Channel == "" {
				continue
			}
			s := m.StageIndex(k.Stage)
			ci := -1
			for i, ch := range truth.Channels {
				if ch.Name == k.Channel {
					ci = i
				}
			}
			want := truth.Stages[s].Conversion[ci]
			n++
			if want >= k.P5 && want <= k.P95 {
				cover++
			}
			t.Logf("unrec %.1f stale %v %-12s %-12s truth %.3f est %.3f [%.3f, %.3f]", c.unrec, c.stale, k.Stage, k.Channel, want, k.Mean, k.P5, k.P95)
		}
		t.Logf("coverage %d/%d", cover, n)
	}
}
