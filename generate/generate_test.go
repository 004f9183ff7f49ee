package generate_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/sample"
)

// TestCutOff checks that the export shows nothing from the as-of date on,
// and that the same seed writes the same bytes.
func TestCutOff(t *testing.T) {
	truth := sample.Company()
	write := func() []byte {
		h, err := generate.Generate(context.Background(), truth, generate.Options{Seed: 3, Weeks: 30, After: 13, Dirty: -1})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := h.WriteCSV(context.Background(), &buf, truth.AsOf.Time); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := write(), write()
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed wrote different histories")
	}
	rows, err := csv.NewReader(bytes.NewReader(a)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	for i, row := range rows[1:] {
		for j, v := range row {
			if v == "" || !strings.HasSuffix(header[j], "_at") {
				continue
			}
			at, err := calibrate.ParseTime(v, "")
			if err != nil {
				t.Fatalf("line %d, %s: %v", i+2, header[j], err)
			}
			if !at.Before(truth.AsOf.Time) {
				t.Fatalf("line %d, %s: %s is not before the as-of date", i+2, header[j], v)
			}
		}
	}
}

// TestConversion checks the simulator against its truth: among leads
// created long enough ago to have finished, the share that reached MQL
// is the lead stage's conversion within 4 binomial standard errors.
func TestConversion(t *testing.T) {
	truth := sample.Company()
	h, err := generate.Generate(context.Background(), truth, generate.Options{Seed: 5, Weeks: 104})
	if err != nil {
		t.Fatal(err)
	}
	old := truth.AsOf.AddDate(0, 0, -7*60)
	for c, ch := range truth.Channels {
		n, k := 0.0, 0.0
		for _, l := range h.Leads {
			if l.Channel == ch.Name && l.Reached[0].Before(old) {
				n++
				if !l.Reached[1].IsZero() {
					k++
				}
			}
		}
		p := truth.Stages[0].Conversion[c]
		se := (p * (1 - p) / n)
		if d := k/n - p; d*d > 16*se {
			t.Errorf("%s: %.0f of %.0f reached mql (%.3f), truth %.3f", ch.Name, k, n, k/n, p)
		}
	}
}

// TestAttributesChangeConversion checks that a lead's attributes change
// its conversion as the truth says: among finished leads, the share of
// each job level that reached MQL is its profiles' conversion (weighted
// by their shares and channels' volumes) within 4 binomial standard
// errors, and executives convert better than individual contributors.
func TestAttributesChangeConversion(t *testing.T) {
	truth := sample.Company()
	h, err := generate.Generate(context.Background(), truth, generate.Options{Seed: 6, Weeks: 104})
	if err != nil {
		t.Fatal(err)
	}
	hz, profiles, err := truth.ProfileHazards()
	if err != nil {
		t.Fatal(err)
	}
	old := truth.AsOf.AddDate(0, 0, -7*60)
	levels := truth.Attributes[0].Levels
	rate := make([]float64, len(levels))
	for k := range levels {
		// Expected: Σ over channels and profiles with this level.
		var want, weight float64
		for c, ch := range truth.Channels {
			for i, p := range profiles {
				if p.Levels[0] != k {
					continue
				}
				w := ch.WeeklyLeads * p.Share
				want += w * eventual(truth.Bands, hz[0][c][i])
				weight += w
			}
		}
		want /= weight
		n, got := 0.0, 0.0
		for _, l := range h.Leads {
			if h.Profiles[l.Profile].Levels[0] == k && l.Reached[0].Before(old) {
				n++
				if !l.Reached[1].IsZero() {
					got++
				}
			}
		}
		rate[k] = got / n
		se := math.Sqrt(want * (1 - want) / n)
		if math.Abs(rate[k]-want) > 4*se {
			t.Errorf("%s: %.0f of %.0f reached mql (%.3f), truth %.3f ± %.3f", levels[k], got, n, rate[k], want, se)
		}
	}
	if rate[len(rate)-1] <= rate[0] {
		t.Errorf("MQL rate of %s %.3f is not above %s %.3f", levels[len(rate)-1], rate[len(rate)-1], levels[0], rate[0])
	}
}

// eventual is the probability of advancing under piecewise-constant
// hazards, in closed form.
func eventual(bands []int, h sample.Hazards) float64 {
	surv, total := 1.0, 0.0
	for b := range bands {
		leave := h.Advance[b] + h.Lost[b]
		p := 1.0
		if b+1 < len(bands) {
			p = -math.Expm1(-leave * float64(bands[b+1]-bands[b]))
		}
		total += h.Advance[b] / leave * surv * p
		surv *= 1 - p
	}
	return total
}

// TestSafeCells: text a spreadsheet would run as a formula is written with
// a leading ', numbers (a negative amount) are not, and RawText writes the
// text as it is.
func TestSafeCells(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"organic", "organic"}, {"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"}, {"+1 555", "'+1 555"},
		{"-5", "-5"}, {"-x", "'-x"}, {"@SUM(A1)", "'@SUM(A1)"}, {"", ""},
	} {
		if got := generate.SafeCell(c.in); got != c.want {
			t.Errorf("SafeCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	truth := sample.Company()
	truth.Channels[0].Name = "=cmd()"
	h, err := generate.Generate(context.Background(), truth, generate.Options{Weeks: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []bool{false, true} {
		var b bytes.Buffer
		h.RawText = raw
		if err := h.WriteCSV(context.Background(), &b, truth.AsOf.Time); err != nil {
			t.Fatal(err)
		}
		safe, bare := strings.Contains(b.String(), ",'=cmd(),"), strings.Contains(b.String(), ",=cmd(),")
		if safe == raw || bare != raw {
			t.Errorf("RawText %v: neutralised %v, raw %v", raw, safe, bare)
		}
	}
}

// TestDrift checks each way the generator changes its truth over the
// history against the rate asked for, each within 4 standard errors of
// what the history can tell:
//   - growth and decline: the log ratio of the last year's leads to the
//     first year's is log(1+rate), with the quarterly shocks' and the
//     weekly spend's spread as its error (measured on a history without
//     drift from the same seed);
//   - conversion drift: the first stage's advance hazard in its first age
//     band, for leads created in the last year against the first, rises
//     by 1+rate (Poisson error of the advance counts);
//   - deal drift: the mean log amount of the last year's leads against
//     the first year's rises by log(1+rate) (the truth's log sd).
func TestDrift(t *testing.T) {
	truth := sample.Company()
	gen := func(d generate.Drift) *generate.History {
		h, err := generate.Generate(context.Background(), truth, generate.Options{Seed: 8, Weeks: 104, Drift: d, Dirty: -1})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	start := truth.AsOf.Add(-104 * 7 * 24 * time.Hour)
	year := func(l generate.Lead) int { return int(l.Reached[0].Sub(start).Hours() / (24 * 7 * 52)) }
	byYear := func(h *generate.History, f func(generate.Lead) (float64, float64)) (a, b [2]float64) {
		for _, l := range h.Leads {
			if y := year(l); y < 2 {
				x, n := f(l)
				a[y] += x
				b[y] += n
			}
		}
		return a, b
	}
	count := func(generate.Lead) (float64, float64) { return 1, 0 }
	flat, _ := byYear(gen(generate.Drift{}), count)
	// The flat history's own log ratio is its noise: the quarterly level
	// shocks (4 a year, cv 0.08) and the Poisson counts.
	cv := truth.ArrivalShockCV
	se := math.Sqrt(2*cv*cv/4 + 1/flat[0] + 1/flat[1])
	for _, rate := range []float64{0.6, -0.3} {
		n, _ := byYear(gen(generate.Drift{Growth: rate}), count)
		got, want := math.Log(n[1]/n[0])-math.Log(flat[1]/flat[0]), math.Log1p(rate)
		if math.Abs(got-want) > 4*se {
			t.Errorf("growth %+.1f: log ratio of the years' leads %.3f, want %.3f ± %.3f", rate, got, want, 4*se)
		}
	}

	// Conversion: advances and exposure in the first band of the first
	// stage (leads that leave by another way or stay are censored).
	width := float64(truth.Bands[1]) * 7 * 24
	hazard := func(l generate.Lead) (float64, float64) {
		exit, adv := math.Inf(1), 0.0
		switch {
		case !l.Reached[1].IsZero():
			exit, adv = l.Reached[1].Sub(l.Reached[0]).Hours(), 1
		case !l.Lost.IsZero():
			exit = l.Lost.Sub(l.Reached[0]).Hours()
		}
		if exit > width {
			return 0, width
		}
		return adv, exit
	}
	const rate = 0.5
	a0, e0 := byYear(gen(generate.Drift{}), hazard)
	a1, e1 := byYear(gen(generate.Drift{Conversion: rate}), hazard)
	got := math.Log(a1[1]/e1[1]) - math.Log(a1[0]/e1[0]) - (math.Log(a0[1]/e0[1]) - math.Log(a0[0]/e0[0]))
	se = math.Sqrt(1/a1[0] + 1/a1[1] + 1/a0[0] + 1/a0[1])
	if want := math.Log1p(rate); math.Abs(got-want) > 4*se {
		t.Errorf("conversion drift %+.1f: log ratio of the years' advance hazards %.3f, want %.3f ± %.3f", rate, got, want, 4*se)
	}

	// Deal sizes: the mean log amount by year of creation.
	logAmount := func(l generate.Lead) (float64, float64) { return math.Log(l.Amount), 1 }
	s, n := byYear(gen(generate.Drift{DealSize: 0.3}), logAmount)
	se = truth.DealLogSD * math.Sqrt(1/n[0]+1/n[1])
	if got, want := s[1]/n[1]-s[0]/n[0], math.Log1p(0.3); math.Abs(got-want) > 4*se {
		t.Errorf("deal drift +0.3: the years' mean log amounts differ by %.3f, want %.3f ± %.3f", got, want, 4*se)
	}
}

// TestThin checks an export thinned over its last weeks: those weeks keep
// the share asked for (within 4 binomial standard errors), every earlier
// lead is written, and the rest of the history is the unthinned one's.
func TestThin(t *testing.T) {
	truth := sample.Company()
	const weeks, thin, keep = 52, 6, 0.3
	write := func(o generate.Options) map[string][]string {
		o.Seed, o.Weeks, o.Dirty = 9, weeks, -1
		h, err := generate.Generate(context.Background(), truth, o)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := h.WriteCSV(context.Background(), &buf, truth.AsOf.Time); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, r := range rows[1:] {
			out[r[0]] = r
		}
		return out
	}
	full, cut := write(generate.Options{}), write(generate.Options{ThinWeeks: thin, ThinKeep: keep})
	from := truth.AsOf.Add(-thin * 7 * 24 * time.Hour)
	var late, kept float64
	for id, r := range full {
		created, err := calibrate.ParseTime(r[1], "")
		if err != nil {
			t.Fatal(err)
		}
		c, ok := cut[id]
		switch {
		case !created.Before(from):
			late++
			if ok {
				kept++
			}
		case !ok:
			t.Fatalf("lead %s, created %s before the thinning, is missing", id, r[1])
		case strings.Join(c, ",") != strings.Join(r, ","):
			t.Fatalf("lead %s differs from the unthinned history's", id)
		}
	}
	se := math.Sqrt(keep * (1 - keep) / late)
	if got := kept / late; math.Abs(got-keep) > 4*se {
		t.Errorf("the thinned weeks keep %.3f of %0.f leads, want %.2f ± %.3f", got, late, keep, 4*se)
	}
}
