package model_test

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// TestChannelsSum checks that the channels' leads, wins and revenue sum to
// the run's in every trial, and that keeping them changes nothing else.
func TestChannelsSum(t *testing.T) {
	m := sample.Model()
	o := model.Options{Trials: 400, Seed: 3, Workers: 2}
	plain, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	o.ByChannel = true
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Channels != nil || len(r.Channels) != len(m.Channels) {
		t.Fatalf("channels: %d without ByChannel, %d with, want 0 and %d", len(plain.Channels), len(r.Channels), len(m.Channels))
	}
	for _, name := range []string{"leads", "wins", "revenue"} {
		got, ok := r.Metric(name)
		want, _ := plain.Metric(name)
		if !ok || len(got) != o.Trials {
			t.Fatalf("no metric %s", name)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s of trial %d: %v with ByChannel, %v without", name, i, got[i], want[i])
			}
			sum := 0.0
			for _, ch := range r.Channels {
				sum += map[string][]float64{"leads": ch.Leads, "wins": ch.Wins, "revenue": ch.Revenue}[name][i]
			}
			if math.Abs(sum-got[i]) > 1e-6*math.Max(1, got[i]) {
				t.Fatalf("%s of trial %d: channels sum to %v, the run has %v", name, i, sum, got[i])
			}
		}
	}
}
