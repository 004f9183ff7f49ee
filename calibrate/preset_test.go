package calibrate_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
)

// TestPresets reads files shaped like the standard exports of Salesforce,
// HubSpot and Pipedrive (testdata/presets: their native headers, stage
// names, date layouts, a BOM, semicolons, no id column) with a preset and
// no column mapping, and checks every row is used and the leads, wins,
// losses, won amounts and channels are the file's, counted independently
// from its cells; then calibrates each.
func TestPresets(t *testing.T) {
	cases := []struct {
		file, preset         string
		won, lost, amountCol string // the columns or stage values that tell
		channelCol           string
		dealSize             float64
	}{
		{"salesforce-opportunities.csv", "salesforce", "Stage=Closed Won", "Stage=Closed Lost", "Amount", "Lead Source", 0},
		{"salesforce-dataloader.csv", "salesforce", "StageName=Closed Won", "StageName=Closed Lost", "Amount", "LeadSource", 0},
		{"hubspot-deals.csv", "hubspot", "Deal Stage=Closed Won", "Deal Stage=Closed Lost", "Amount", "Original Source Type", 0},
		{"hubspot-contacts.csv", "hubspot-contacts", "Became a Customer Date", "", "", "Original Source", 20000},
		{"pipedrive-deals.csv", "pipedrive", "Deal - Won time", "Deal - Lost time", "Deal - Value", "Deal - Source channel", 0},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", "presets", c.file)
			p, err := calibrate.PresetNamed(c.preset)
			if err != nil {
				t.Fatal(err)
			}
			h, err := calibrate.ReadFiles(context.Background(), []string{path}, calibrate.ReadOptions{Preset: p, MaxRejected: 1e-9})
			if err != nil {
				t.Fatal(err)
			}
			rows := readCells(t, path)
			if f := h.Report.Files[0]; f.Rows != len(rows) || f.Used != len(rows) {
				t.Fatalf("%d rows, %d used; the file has %d", f.Rows, f.Used, len(rows))
			}
			var won, lost, nWon, nLost int
			var amount, wantAmount float64
			for i, l := range h.Leads {
				if !l.Won.IsZero() {
					won++
					amount += l.Amount
				}
				if !l.Lost.IsZero() {
					lost++
				}
				r := rows[i]
				if is(r, c.won) {
					nWon++
					if c.amountCol != "" {
						wantAmount += number(t, r[c.amountCol])
					}
				}
				if c.lost != "" && is(r, c.lost) {
					nLost++
				}
				if l.Channel != r[c.channelCol] {
					t.Fatalf("lead %d: channel %q not the file's %q", i, l.Channel, r[c.channelCol])
				}
			}
			if won != nWon || lost != nLost || nWon == 0 || c.lost != "" && nLost == 0 {
				t.Errorf("won %d, lost %d; the file has %d and %d", won, lost, nWon, nLost)
			}
			if c.amountCol != "" && (amount < wantAmount-0.01 || amount > wantAmount+0.01) {
				t.Errorf("won amounts sum to %v; the file's to %v", amount, wantAmount)
			}
			if _, err := calibrate.Estimate(context.Background(), h, calibrate.Options{DealSize: c.dealSize, DeriveStale: true}); err != nil {
				t.Fatal(err)
			}
		})
	}
	if _, err := calibrate.PresetNamed("zoho"); err == nil || !strings.Contains(err.Error(), "presets are salesforce, hubspot, hubspot-contacts, pipedrive") {
		t.Errorf("unknown preset: %v", err)
	}
}

// readCells reads a CSV (BOM and semicolons allowed) as maps from header
// to cell, one per row.
func readCells(t *testing.T, path string) []map[string]string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimPrefix(string(b), "\ufeff")
	r := csv.NewReader(strings.NewReader(text))
	if first, _, _ := strings.Cut(text, "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

// is says whether row r's column=value holds, or, for a bare column,
// whether it has a value.
func is(r map[string]string, cond string) bool {
	col, v, ok := strings.Cut(cond, "=")
	if !ok {
		return r[col] != ""
	}
	return r[col] == v
}

func number(t *testing.T, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestPresetsDocumented checks that docs/REAL-DATA.md names every preset
// and every header name it tries.
func TestPresetsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "REAL-DATA.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, p := range calibrate.Presets {
		if !strings.Contains(doc, "| `"+p.Name+"` |") {
			t.Errorf("preset %s is not in docs/REAL-DATA.md's table", p.Name)
		}
		for c, names := range p.Columns {
			if want := c + ": " + strings.Join(names, ", "); !strings.Contains(doc, want) {
				t.Errorf("preset %s: %q is not in docs/REAL-DATA.md", p.Name, want)
			}
		}
	}
}
