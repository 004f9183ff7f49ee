package quarter_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/fiscal"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/quarter"
)

// calibrated is the sample company's model, calibrated from its history.
func calibrated(t *testing.T) (*calibrate.History, *model.Model) {
	t.Helper()
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "sample-history.csv.gz", R: bytes.NewReader(examples.HistoryGz())}}, calibrate.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return h, m
}

func TestWindow(t *testing.T) {
	_, m := calibrated(t) // as of 2026-11-20
	cal := fiscal.Calendar{}
	for _, tc := range []struct {
		q           string
		from, weeks int
		started     bool
	}{
		{"current", 0, 6, true}, // 41 days to 2027-01-01
		{"next", 6, 19, false},  // 42 and 132 days
	} {
		q, err := cal.Parse(tc.q, m.AsOf.Time)
		if err != nil {
			t.Fatal(err)
		}
		w, err := quarter.NewWindow(m, q)
		if err != nil {
			t.Fatal(err)
		}
		if w.From != tc.from || w.Weeks != tc.weeks || w.Started != tc.started || (w.Booked != nil) != tc.started {
			t.Errorf("%s: from %d weeks %d started %v booked %v, want %d %d %v", tc.q, w.From, w.Weeks, w.Started, w.Booked != nil, tc.from, tc.weeks, tc.started)
		}
	}
	if _, err := quarter.NewWindow(m, cal.Quarter(2026, 3)); err == nil || !strings.Contains(err.Error(), "history") {
		t.Errorf("a quarter that ended: %v", err)
	}
}

// TestQuarterSums runs the current quarter by rep and by channel: booked
// to date is the history's, and the groups sum to the quarter's wins and
// revenue in every trial.
func TestQuarterSums(t *testing.T) {
	h, m := calibrated(t)
	q := fiscal.Calendar{}.Of(m.AsOf.Time)
	w, err := quarter.NewWindow(m, q)
	if err != nil {
		t.Fatal(err)
	}
	want := h.Tally(q.Start, m.AsOf.Time)
	if got := w.Booked; float64(len(got.Won)) != want.Wins || got.Revenue() != want.Revenue {
		t.Fatalf("booked %d wins %v revenue, the history %v and %v", len(got.Won), got.Revenue(), want.Wins, want.Revenue)
	}
	o := model.Options{Trials: 300, Seed: 4, Workers: 2, By: "rep", ByChannel: true, Deals: true}
	w.Options(&o)
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	wins, rev := w.Totals(r)
	if len(m.Segments) != 2 || m.Segments[0].Name != "job_level" || m.Segments[1].Name != "company_size" {
		t.Fatalf("segments %+v, want the sample's job_level and company_size (not its lead_score)", m.Segments)
	}
	bySize := o
	bySize.By = "company_size"
	rs, err := model.Run(context.Background(), m, bySize)
	if err != nil {
		t.Fatal(err)
	}
	for _, by := range []string{"rep", "channel", "company_size"} {
		r := r
		if by == "company_size" {
			r = rs
		}
		groups, err := quarter.By(w, r, by)
		if err != nil {
			t.Fatal(err)
		}
		booked := 0
		for _, g := range groups {
			booked += g.BookedWins
		}
		if len(groups) < 2 || float64(booked) != want.Wins {
			t.Errorf("by %s: %d wins booked, the history has %v", by, booked, want.Wins)
		}
		for i := range wins {
			var gw, gr float64
			for _, g := range groups {
				gw += g.Wins[i]
				gr += g.Revenue[i]
			}
			if gw != wins[i] || math.Abs(gr-rev[i]) > 1e-9*rev[i] {
				t.Fatalf("by %s, trial %d: groups sum to %v wins and %v revenue, the quarter has %v and %v", by, i, gw, gr, wins[i], rev[i])
			}
		}
	}
	deals, err := quarter.Deals(m, r, quarter.DefaultCategories)
	if err != nil {
		t.Fatal(err)
	}
	if len(deals) != len(m.Pipeline.Deals) {
		t.Fatalf("%d deals listed, the model has %d", len(deals), len(m.Pipeline.Deals))
	}
	for _, d := range deals {
		if d.P < 0 || d.P > 1 || d.Amount <= 0 || d.Category == "" || math.Abs(d.Expected-d.P*d.Amount) > 1e-9*d.Amount {
			t.Fatalf("deal %+v", d)
		}
	}
	totals := quarter.ByCategory(deals, quarter.DefaultCategories)
	n := 0
	for _, c := range totals {
		n += c.Deals
	}
	if n != len(deals) {
		t.Errorf("categories hold %d deals of %d", n, len(deals))
	}
}

func TestParseCategories(t *testing.T) {
	got, err := quarter.ParseCategories("best_case=0.3, commit=0.7")
	if err != nil {
		t.Fatal(err)
	}
	want := quarter.DefaultCategories
	if len(got) != len(want) {
		t.Fatalf("%v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%v, want %v", got, want)
		}
	}
	for _, bad := range []string{"commit", "commit=1.5", "commit=0", "a=0.5,b=0.5", "pipeline=0.2", "commit=0.7,commit=0.6", "=0.3"} {
		if _, err := quarter.ParseCategories(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestReadQuota(t *testing.T) {
	q, err := quarter.ReadQuotaFrom("q.csv", strings.NewReader("rep,quota\nann,120k\nbob,\"95,000\"\n"))
	if err != nil || q["ann"] != 120000 || q["bob"] != 95000 {
		t.Fatalf("%v %v", q, err)
	}
	if q, err := quarter.ReadQuotaFrom("q.csv", strings.NewReader("region,quota\nEMEA,1.2M\n")); err != nil || q["EMEA"] != 1.2e6 {
		t.Fatalf("a quota by region: %v %v", q, err)
	}
	for _, tc := range []struct{ in, want string }{
		{"who,what\nann,1\n", "q.csv:1: the header"},
		{"region,team,quota\nus,a,1\n", "q.csv:1: the header"},
		{"rep,quota\nann,-5\n", "q.csv:2: quota"},
		{"rep,quota\nann,5\nann,6\n", "q.csv:3: group"},
		{"rep,quota\n,5\n", "q.csv:2: group"},
		{"rep,quota\n", "no quotas"},
	} {
		if _, err := quarter.ReadQuotaFrom("q.csv", strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.want)
		}
	}
}
