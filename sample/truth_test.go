package sample

import (
	"math"
	"testing"
)

// TestHazardsReproduceTruth checks that the solved hazards give every
// stage and channel its stated conversion (by the closed form) and median
// weeks in stage (by integrating the leave hazard to ln 2).
func TestHazardsReproduceTruth(t *testing.T) {
	tr := Company()
	for s, st := range tr.Stages {
		for c := range tr.Channels {
			hz, err := tr.Hazards(s, c)
			if err != nil {
				t.Fatal(err)
			}
			leave := make([]float64, len(hz.Advance))
			share := make([]float64, len(hz.Advance))
			for b := range leave {
				leave[b] = hz.Advance[b] + hz.Lost[b]
				share[b] = hz.Advance[b] / leave[b]
			}
			if got := conversion(tr.Bands, leave, share); math.Abs(got-st.Conversion[c]) > 1e-9 {
				t.Errorf("%s/%s: conversion %v, want %v", st.Name, tr.Channels[c].Name, got, st.Conversion[c])
			}
			h, median := 0.0, math.NaN()
			for b, lo := range tr.Bands {
				width := math.Inf(1)
				if b+1 < len(tr.Bands) {
					width = float64(tr.Bands[b+1] - lo)
				}
				if h+leave[b]*width >= math.Ln2 {
					median = float64(lo) + (math.Ln2-h)/leave[b]
					break
				}
				h += leave[b] * width
			}
			if math.Abs(median-st.MedianWeeks) > 1e-9 {
				t.Errorf("%s/%s: median %v weeks, want %v", st.Name, tr.Channels[c].Name, median, st.MedianWeeks)
			}
		}
	}
}

// TestSampleCompanyFigures checks the sample company against its brief:
// about 140 leads a week and a lead-to-won rate near 2%.
func TestSampleCompanyFigures(t *testing.T) {
	tr := Company()
	leads, wins := 0.0, 0.0
	for c, ch := range tr.Channels {
		leads += ch.WeeklyLeads
		p := ch.WeeklyLeads
		for _, st := range tr.Stages {
			p *= st.Conversion[c]
		}
		wins += p
	}
	if leads != 140 {
		t.Errorf("%v leads a week, want 140", leads)
	}
	if r := wins / leads; r < 0.015 || r > 0.025 {
		t.Errorf("lead-to-won %.4f, want near 0.02", r)
	}
}

// TestProfilesKeepStatedConversion checks the claim of ProfileHazards: at
// every stage and channel, the profiles' conversions averaged over the
// leads entering the stage give the stated conversion, while the best
// profile converts better than the worst.
func TestProfilesKeepStatedConversion(t *testing.T) {
	tr := Company()
	hz, ps, err := tr.ProfileHazards()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 16 {
		t.Fatalf("%d profiles, want 16", len(ps))
	}
	for c := range tr.Channels {
		w := make([]float64, len(ps))
		for i, p := range ps {
			w[i] = p.Share
		}
		for s, st := range tr.Stages {
			mean, sum := 0.0, 0.0
			conv := make([]float64, len(ps))
			for i := range ps {
				h := hz[s][c][i]
				leave := make([]float64, len(h.Advance))
				share := make([]float64, len(h.Advance))
				for b := range leave {
					leave[b] = h.Advance[b] + h.Lost[b]
					share[b] = h.Advance[b] / leave[b]
				}
				conv[i] = conversion(tr.Bands, leave, share)
				mean += w[i] * conv[i]
				sum += w[i]
			}
			if got := mean / sum; math.Abs(got-st.Conversion[c]) > 1e-9 {
				t.Errorf("%s/%s: entrants convert at %v, want %v", st.Name, tr.Channels[c].Name, got, st.Conversion[c])
			}
			if conv[len(ps)-1] <= conv[0] {
				t.Errorf("%s/%s: best profile %v does not beat worst %v", st.Name, tr.Channels[c].Name, conv[len(ps)-1], conv[0])
			}
			for i := range w {
				w[i] *= conv[i]
			}
		}
	}
}
