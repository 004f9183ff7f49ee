package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuarterCommands runs the quarter's view end to end on the calibrated
// sample: forecast's text, JSON and deals file agree with one another, and
// the report's page is the quarter's, its appendix with the deals and the
// reps.
func TestQuarterCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("a calibration, a forecast and a report end to end; make test runs it without the race detector")
	}
	dir := t.TempDir()
	m := filepath.Join(dir, "m.yaml")
	if _, e, code := simulateCmd("calibrate", "--no-check", "--history", filepath.Join("..", "..", "examples", "sample-history.csv.gz"), "-o", m); code != 0 {
		t.Fatal(e)
	}
	deals := filepath.Join(dir, "deals.csv")
	out, e, code := simulateCmd("forecast", "--model", m, "--quarter", "current", "--trials", "500", "--json", "--deals", deals, "--by", "rep", "--target", "700k")
	if code != 0 {
		t.Fatal(e)
	}
	var doc struct {
		Quarter struct {
			Quarter    string             `json:"quarter"`
			Booked     map[string]float64 `json:"booked"`
			PTarget    *float64           `json:"p_target"`
			Categories []struct {
				Deals        int     `json:"deals"`
				ExpectedWins float64 `json:"expected_wins"`
			} `json:"categories"`
			Groups []struct {
				Name string `json:"name"`
			} `json:"groups"`
		} `json:"quarter"`
		PTarget *float64 `json:"p_target"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	q := doc.Quarter
	if q.Quarter != "2026Q4" || q.Booked["wins"] == 0 || q.PTarget == nil || doc.PTarget != nil || len(q.Groups) != 6 {
		t.Fatalf("quarter %s, booked %v, p_target %v (the forecast's %v), %d groups", q.Quarter, q.Booked, q.PTarget, doc.PTarget, len(q.Groups))
	}
	f, err := os.Open(deals)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range q.Categories {
		n += c.Deals
	}
	if len(rows)-1 != n || n == 0 {
		t.Errorf("the deals file has %d deals, the categories %d", len(rows)-1, n)
	}
	html := filepath.Join(dir, "q.html")
	if _, e, code := simulateCmd("report", "--model", m, "--quarter", "current", "--trials", "300", "--by", "rep", "--appendix", "--target", "700k", "-o", html); code != 0 {
		t.Fatal(e)
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2026Q4, 1 October 2026 to 31 December 2026", "Booked to date", "Open deals by forecast category", "The quarter by rep", "rep_01"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

func TestQuarterUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"forecast", "--deals", "d.csv"}, "--deals needs --quarter"},
		{[]string{"forecast", "--quarter", "current", "--weeks", "4"}, "give one of --quarter and --weeks"},
		{[]string{"forecast", "--quarter", "current", "--by", "segment"}, `the model has no segment "segment"`},
		{[]string{"forecast", "--quarter", "current", "--quota", "q.csv"}, "--quota needs --by"},
		{[]string{"forecast", "--quarter", "2026Q5"}, "is not YYYYQN"},
		{[]string{"forecast", "--quarter", "2026Q3"}, "it is history"},
		{[]string{"forecast", "--quarter", "current", "--fiscal-year-start", "13"}, "not 1..12"},
		{[]string{"forecast", "--quarter", "current", "--categories", "commit=2"}, "not in (0, 1]"},
		{[]string{"forecast", "--quarter", "current", "--by", "rep"}, "names no reps"},
		{[]string{"backtest", "--history", "h.csv", "--offsets", "4"}, "--offsets needs --quarter-aligned"},
		{[]string{"backtest", "--history", "h.csv", "--quarter-aligned", "--horizon", "8"}, "--horizon is for rolling origins"},
	} {
		_, e, code := simulateCmd(c.args...)
		if code == 0 || !strings.Contains(e, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, e, c.want)
		}
	}
}
