package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// readCSV reads a CSV file back as encoding/csv reads it: a header and
// rows of as many cells.
func readCSV(t *testing.T, path string) (header []string, rows []map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s: %d records", path, len(recs))
	}
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		rows = append(rows, row)
	}
	return recs[0], rows
}

// TestCSVOutputs: every command with a table writes it as CSV with --csv,
// a table encoding/csv reads back whose numbers are plain and agree with
// the JSON; text from the data cannot run as a spreadsheet formula.
func TestCSVOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command end to end; make test runs it without the race detector")
	}
	dir := t.TempDir()
	hist := filepath.Join(dir, "h.csv")
	if _, e, code := simulateCmd("generate", "--weeks", "40", "-o", hist); code != 0 {
		t.Fatal(e)
	}
	scen := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(scen, []byte("scenarios:\n  - name: \"=HYPERLINK(1)\"\n    interventions:\n      - reps: {week: 0, hires: 2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []map[string]string {
		t.Helper()
		path := filepath.Join(dir, args[0]+".csv")
		if _, e, code := simulateCmd(append(args, "--csv", path)...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
		header, rows := readCSV(t, path)
		for _, h := range header {
			if h != strings.ToLower(h) || strings.ContainsAny(h, " -") {
				t.Errorf("%s: column %q is not snake_case", args[0], h)
			}
		}
		return rows
	}
	number := func(what, s string) float64 {
		t.Helper()
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || strings.Contains(s, ",") {
			t.Fatalf("%s: %q is not a plain number", what, s)
		}
		return x
	}

	rows := run("forecast", "--trials", "400", "--target", "800000")
	out, _, _ := simulateCmd("forecast", "--trials", "400", "--target", "800000", "--json")
	var doc struct {
		Metrics map[string]map[string]*float64 `json:"metrics"`
		PTarget float64                        `json:"p_target"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rows, func(r map[string]string) bool { return r["metric"] == "revenue" })
	if i < 0 || number("revenue p50", rows[i]["p50"]) != *doc.Metrics["revenue"]["p50"] || rows[i]["unit"] != "money" {
		t.Errorf("revenue row %v, JSON p50 %v", rows[i], *doc.Metrics["revenue"]["p50"])
	}
	if i := slices.IndexFunc(rows, func(r map[string]string) bool { return r["metric"] == "p_target" }); i < 0 || number("p_target", rows[i]["mean"]) != doc.PTarget {
		t.Errorf("no p_target row with %v", doc.PTarget)
	}
	if last := rows[len(rows)-1]; last["metric"] != "track_record" || !strings.HasPrefix(last["label"], "no track record: ") {
		t.Errorf("last row %v, want the track record's line", last)
	}

	rows = run("compare", "--scenarios", scen, "--trials", "300")
	names := map[string]bool{}
	for _, r := range rows {
		names[r["scenario"]] = true
	}
	if !names["'=HYPERLINK(1)"] || names["=HYPERLINK(1)"] {
		t.Errorf("scenarios in the CSV: %v; a name that is a formula must be quoted", names)
	}
	for _, r := range rows {
		if r["scenario"] == "'=HYPERLINK(1)" && r["metric"] == "revenue" {
			number("delta_mean", r["delta_mean"])
			if pb, pw := number("p_better", r["p_better"]), number("p_worse", r["p_worse"]); pb+pw > 1+1e-12 {
				t.Errorf("p_better %v + p_worse %v > 1", pb, pw)
			}
		}
	}

	rows = run("sweep", "--lever", "reps", "--range", "2:6:2", "--trials", "300", "--target", "800000")
	if len(rows) != 3 || number("value", rows[2]["value"]) != 6 {
		t.Errorf("sweep rows %v", rows)
	}
	rows = run("goal", "--lever", "reps", "--target", "1e9", "--trials", "300")
	if len(rows) != 1 || rows[0]["reached"] != "false" || rows[0]["value"] != "" {
		t.Errorf("goal row %v", rows)
	}
	rows = run("backtest", "--history", hist, "--origins", "2", "--trials", "100", "--stale-after", "26")
	if rows[0]["method"] != "model" || number("crps", rows[0]["crps"]) <= 0 {
		t.Errorf("backtest first row %v", rows[0])
	}
	rows = run("calibrate", "--no-check", "--history", hist, "-o", filepath.Join(dir, "m.yaml"))
	if rows[0]["channel"] != "" || number("conversion", rows[0]["conversion"]) <= 0 {
		t.Errorf("calibrate first row %v", rows[0])
	}
}
