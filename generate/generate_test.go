package generate_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/sample"
)

// TestCutOff checks that the export shows nothing from the as-of date on,
// and that the same seed writes the same bytes.
func TestCutOff(t *testing.T) {
	truth := sample.Company()
	write := func() []byte {
		h, err := generate.Generate(truth, generate.Options{Seed: 3, Weeks: 30, After: 13, Dirty: -1})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := h.WriteCSV(&buf, truth.AsOf.Time); err != nil {
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
	h, err := generate.Generate(truth, generate.Options{Seed: 5, Weeks: 104})
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
	h, err := generate.Generate(truth, generate.Options{Seed: 6, Weeks: 104})
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
	h, err := generate.Generate(truth, generate.Options{Weeks: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []bool{false, true} {
		var b bytes.Buffer
		h.RawText = raw
		if err := h.WriteCSV(&b, truth.AsOf.Time); err != nil {
			t.Fatal(err)
		}
		safe, bare := strings.Contains(b.String(), ",'=cmd(),"), strings.Contains(b.String(), ",=cmd(),")
		if safe == raw || bare != raw {
			t.Errorf("RawText %v: neutralised %v, raw %v", raw, safe, bare)
		}
	}
}
