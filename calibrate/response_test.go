package calibrate_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
	"github.com/funnelsim/funnelsim/sample"
)

// calibratedWithSpend calibrates a generated history with its spend file.
func calibratedWithSpend(t *testing.T, o generate.Options) (*model.Model, *calibrate.Report, *sample.Truth) {
	t.Helper()
	truth := sample.Company()
	g, err := generate.Generate(context.Background(), truth, o)
	if err != nil {
		t.Fatal(err)
	}
	var hb, sb bytes.Buffer
	if err := g.WriteCSV(context.Background(), &hb, truth.AsOf.Time); err != nil {
		t.Fatal(err)
	}
	if err := g.WriteSpendCSV(&sb, truth.AsOf.Time); err != nil {
		t.Fatal(err)
	}
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "history.csv", R: &hb}}, calibrate.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := calibrate.ReadSpend(calibrate.File{Name: "spend.csv", R: &sb}, calibrate.ReadOptions{}, h.Report)
	if err != nil {
		t.Fatal(err)
	}
	m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{AsOf: truth.AsOf.Time, Spend: sp})
	if err != nil {
		t.Fatal(err)
	}
	return m, h.Report, truth
}

// TestResponseRecovery fits each channel's response to spend on generated
// histories whose weekly spend varies by 25% and checks, over the
// replicates and channels, that the 90% interval of the cost of one more
// weekly lead at the current spend covers the truth's at least as often as
// the 99% binomial lower bound allows (the interval leans conservative:
// 239 of 250 over 50 histories), and that the current spend is within 4 of
// its standard errors (25%/√13 of the mean, for 13 weeks of lognormal
// spend).
func TestResponseRecovery(t *testing.T) {
	st := rng.NewStream()
	in, n := 0, 0
	for seed := uint64(1); seed <= uint64(*replicates); seed++ {
		m, _, truth := calibratedWithSpend(t, generate.Options{Seed: seed, Dirty: -1})
		for _, ch := range m.Channels {
			tc := truth.Channels[channelIndex(truth, ch.Name)]
			if ch.Response == nil || ch.Response.Source != "fitted" {
				t.Fatalf("seed %d, %s: response %+v, want a fitted one", seed, ch.Name, ch.Response)
			}
			if se := 0.25 / math.Sqrt(13) * tc.WeeklySpend; math.Abs(ch.WeeklySpend-tc.WeeklySpend) > 4*se {
				t.Errorf("seed %d, %s: weekly spend %.0f, truth %.0f ± %.0f", seed, ch.Name, ch.WeeklySpend, tc.WeeklySpend, se)
			}
			want := 1 / tc.Response().Marginal(ch.WeeklySpend)
			st.Reset(seed)
			_, lo, hi, _ := calibrate.MarginalCost(ch, 2000, st)
			n++
			if lo <= want && want <= hi {
				in++
			}
		}
	}
	f := float64(in) / float64(n)
	t.Logf("%d histories: the 90%% interval of the next lead's cost covers the truth in %d of %d (%.3f)", *replicates, in, n, f)
	if floor := 0.9 - 2.58*math.Sqrt(0.09/float64(n)); f < floor {
		t.Errorf("coverage %.3f below %.3f", f, floor)
	}
}

// TestResponseDefault checks that flat spend, which cannot identify a
// response, gets the documented default curve and a warning.
func TestResponseDefault(t *testing.T) {
	m, rep, _ := calibratedWithSpend(t, generate.Options{Seed: 3, Dirty: -1, SpendCV: -1})
	for _, ch := range m.Channels {
		r := ch.Response
		if r == nil || r.Source != "default" || r.HalfSpend != 2*ch.WeeklySpend || math.Abs(r.Leads(ch.WeeklySpend)-ch.WeeklyLeads) > 1e-9*ch.WeeklyLeads {
			t.Errorf("%s: response %+v at spend %v and %v leads a week, want the default curve through them", ch.Name, r, ch.WeeklySpend, ch.WeeklyLeads)
		}
	}
	found := false
	for _, w := range rep.Warnings {
		found = found || strings.Contains(w, "do not identify its response to spend; the default curve")
	}
	if !found {
		t.Errorf("no warning about the default curve in %q", rep.Warnings)
	}
}
