package calibrate_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/examples"
)

// TestBooked checks the model's booked days against the history: over any
// span of the last quarter before the as-of date, they hold the history's
// entries into each stage, wins and revenue, and the deals' reps and
// channels.
func TestBooked(t *testing.T) {
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "sample-history.csv.gz", R: bytes.NewReader(examples.HistoryGz())}}, calibrate.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Booked == nil || len(m.Booked.Days) == 0 {
		t.Fatal("no booked days")
	}
	asOf := m.AsOf.Time
	if got := asOf.Sub(m.Booked.From.Time).Hours() / 24; got != 92 {
		t.Errorf("booked from %s, %v days before the as-of date, want 92", m.Booked.From, got)
	}
	for _, back := range []int{92, 50, 7, 1} {
		from := asOf.AddDate(0, 0, -back)
		got, err := m.Booked.Between(from, asOf, asOf)
		if err != nil {
			t.Fatal(err)
		}
		want := h.Tally(from, asOf)
		for s, n := range want.Entries {
			if float64(got.Entries[s]) != n {
				t.Errorf("%d days back, %s: %d entries booked, the history has %v", back, h.Stages[s], got.Entries[s], n)
			}
		}
		if float64(len(got.Won)) != want.Wins || got.Revenue() != want.Revenue {
			t.Errorf("%d days back: %d wins and %v revenue booked, the history has %v and %v", back, len(got.Won), got.Revenue(), want.Wins, want.Revenue)
		}
		for _, w := range got.Won {
			if w.Rep == "" || w.Channel == "" || w.ID == "" {
				t.Fatalf("%d days back: win %+v lacks its id, rep or channel", back, w)
			}
		}
	}
	if _, err := m.Booked.Between(asOf.AddDate(0, 0, -93), asOf, asOf); err == nil {
		t.Error("a span before the booked days: no error")
	}
	var reps float64
	for _, s := range m.Reps.Shares {
		reps += s.Share
	}
	if len(m.Reps.Shares) != m.Reps.Count || reps < 1-1e-12 || reps > 1+1e-12 {
		t.Errorf("rep shares %+v for %d reps", m.Reps.Shares, m.Reps.Count)
	}
	for _, d := range m.Pipeline.Deals {
		if d.Rep == "" {
			t.Fatalf("open deal %s has no rep", d.ID)
		}
	}
}
