package generate_test

import (
	"bytes"
	"encoding/csv"
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
	for i, row := range rows[1:] {
		for j, v := range row[1 : len(row)-1] {
			if v == "" || j == 1 { // channel
				continue
			}
			at, err := calibrate.ParseTime(v, "")
			if err != nil {
				t.Fatalf("line %d, %s: %v", i+2, rows[0][j+1], err)
			}
			if !at.Before(truth.AsOf.Time) {
				t.Fatalf("line %d, %s: %s is not before the as-of date", i+2, rows[0][j+1], v)
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
