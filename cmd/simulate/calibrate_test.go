package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// history writes a generated clean history of weeks weeks with extra rows
// appended, and returns its path.
func history(t *testing.T, weeks string, extra string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "history.csv")
	if _, errOut, code := simulateCmd("generate", "--weeks", weeks, "--dirty", "0", "--seed", "4", "-o", path); code != 0 {
		t.Fatalf("generate: %s", errOut)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(extra); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCalibrateReportsBadRows appends one row of each bad class to a
// generated history: calibration still succeeds, and the report on stderr
// shows each with its exact message, naming the file, line and field.
func TestCalibrateReportsBadRows(t *testing.T) {
	bad := "L0000001,2026-01-01T10:00,organic,,,,,,,,,,manager,1-50,50\n" + // duplicate id
		"X1,2026-13-01,organic,,,,,,,,,,manager,1-50,50\n" +
		"X2,2026-02-01T10:00,organic,2026-01-01T10:00,,,,,,,,,manager,1-50,50\n" +
		"X3,2026-02-01T10:00,organic,,,,,,,,-20,,manager,1-50,50\n" +
		"X4,2026-02-01T10:00,organic\n" +
		"X5,2026-02-01T10:00,organic,,,,,,2026-03-01T10:00,2026-03-02T10:00,,,manager,1-50,50\n" +
		",2026-02-01T10:00,organic,,,,,,,,,,manager,1-50,50\n"
	path := history(t, "30", bad)
	n := strings.Count(readFile(t, path), "\n")
	out := filepath.Join(filepath.Dir(path), "model.yaml")
	stdout, stderr, code := simulateCmd("calibrate", "--history", path, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	first := n - strings.Count(bad, "\n") + 1 // line number of the first bad row
	line := func(k int) string { return path + ":" + strconv.Itoa(first+k) }
	for _, want := range []string{
		line(0) + `: lead_id: "L0000001" first on line 2`,
		line(1) + `: created_at: "2026-13-01" is not an ISO date (YYYY-MM-DD[THH:MM[:SS][zone]]); give --date-format`,
		line(2) + `: mql_at: 2026-01-01 10:00 is before created_at 2026-02-01 10:00`,
		line(3) + `: amount: -20`,
		line(4) + `: row: 3 fields, the header has 15`,
		line(5) + `: lost_at: won 2026-03-01 10:00, lost 2026-03-02 10:00`,
		line(6) + `: lead_id: empty`,
		"rejected 1: duplicate lead_id",
		"rejected 1: ragged row",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("report lacks %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stderr, "7 rejected") || !strings.Contains(stdout, "conversion") {
		t.Errorf("stdout %q\nstderr %q", stdout, stderr)
	}
	m, err := model.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Provenance.Files[0].Rejected; got != 7 {
		t.Errorf("provenance: %d rows rejected, want 7", got)
	}
	// 30 weeks leave no origin for the self-check: the model and the
	// summary say so.
	if tr := m.TrackRecord; tr == nil || !strings.Contains(tr.Skipped, "too short for one origin") || !strings.Contains(stdout, "TRACK RECORD\nno track record: the history") {
		t.Errorf("track record %+v; summary %q", tr, stdout)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCalibrateErrors checks the messages and exit codes of histories that
// cannot be used at all (the error is the last line, after the report) and
// of bad flags (the first line), and that no model file is left behind.
func TestCalibrateErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.csv", "")
	noID := write("noid.csv", "name,email\nx,y\n")
	few := write("few.csv", "lead_id,created_at\na,2026-01-01\n")
	binary := write("binary.csv", "\x00\x01\x02\xff\xfe")
	out := filepath.Join(dir, "model.yaml")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"calibrate", "-o", out}, 2, "simulate calibrate: --history is required"},
		{[]string{"calibrate", "--history", empty}, 2, "simulate calibrate: -o (the model file to write) is required"},
		{[]string{"calibrate", "--history", empty, "-o", out}, 1, "simulate: " + empty + ": empty file: no header"},
		{[]string{"calibrate", "--history", noID, "-o", out}, 1, "simulate: " + noID + ": header: no lead_id column, nor a created_at column that would make each row a lead (use --map lead_id=COLUMN or created_at=COLUMN)"},
		{[]string{"calibrate", "--history", few, "-o", out}, 1, "simulate: calibrate: only 0 whole weeks of history before the as-of date; arrivals need at least 4"},
		{[]string{"calibrate", "--history", binary, "-o", out}, 1, "simulate: " + binary + ": header: no lead_id column"},
		{[]string{"calibrate", "--history", filepath.Join(dir, "nope.csv"), "-o", out}, 1, "simulate: open " + filepath.Join(dir, "nope.csv") + ": no such file or directory"},
		{[]string{"calibrate", "--history", few, "--as-of", "yesterday", "-o", out}, 2, "simulate calibrate: --as-of:"},
		{[]string{"calibrate", "--history", few, "--stale-after", "-1", "-o", out}, 2, "simulate calibrate: --stale-after must be >= 0 weeks"},
		{[]string{"calibrate", "--history", few, "--map", "source=origin", "-o", out}, 1, `simulate: --map source=origin: "source" is not a column name funnelsim knows`},
		{[]string{"generate", "--weeks", "2", "-o", out}, 2, "simulate generate: --weeks must be in 4..520"},
		{[]string{"generate", "--truth", empty, "-o", out}, 1, "simulate: " + empty + ": empty file"},
	} {
		_, stderr, code := simulateCmd(c.args...)
		// The report, where there is one, comes first; the error is last.
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		last := lines[len(lines)-1]
		if c.code == 2 {
			last = lines[0]
		}
		if code != c.code || !strings.HasPrefix(last, c.want) {
			t.Errorf("simulate %v: exit %d, %q; want exit %d and %q", c.args, code, stderr, c.code, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("simulate %v left %s behind", c.args, out)
		}
	}
}

// TestGenerateTruthRoundTrip writes the truth a history came from, and
// generates the same history again from that file.
func TestGenerateTruthRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a, b, truth := filepath.Join(dir, "a.csv.gz"), filepath.Join(dir, "b.csv.gz"), filepath.Join(dir, "truth.yaml")
	if _, e, code := simulateCmd("generate", "--weeks", "20", "--write-truth", truth, "-o", a); code != 0 {
		t.Fatal(e)
	}
	if _, e, code := simulateCmd("generate", "--weeks", "20", "--truth", truth, "-o", b); code != 0 {
		t.Fatal(e)
	}
	if !bytes.Equal([]byte(readFile(t, a)), []byte(readFile(t, b))) {
		t.Fatal("the history from the written truth differs")
	}
	if _, err := sample.ReadTruth(truth); err != nil {
		t.Fatal(err)
	}
	if _, e, code := simulateCmd("calibrate", "--no-check", "--history", a, "-o", filepath.Join(dir, "m.yaml")); code != 0 {
		t.Fatalf("calibrating the gzipped history: %s", e)
	}
}

// TestDemo runs the whole job on the embedded sample and checks what it
// writes to --out.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("every step of the demo; make test runs it without the race detector")
	}
	dir := t.TempDir()
	stdout, stderr, code := simulateCmd("demo", "--trials", "500", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"examples/sample-history.csv.gz: 14925 rows", "conversion", "SALES", "P(revenue >= 800,000) = "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if _, err := model.ReadFile(filepath.Join(dir, "model.yaml")); err != nil {
		t.Fatal(err)
	}
	var fc map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "forecast.json"))), &fc); err != nil {
		t.Fatal(err)
	}
	if fc["trials"] != 500.0 || fc["p_target"] == nil {
		t.Errorf("forecast.json: trials %v, p_target %v", fc["trials"], fc["p_target"])
	}
	if r := readFile(t, filepath.Join(dir, "calibration.txt")); !strings.Contains(r, "rejected 12: unparsable date") {
		t.Errorf("calibration.txt:\n%s", r)
	}
	// One story of numbers: the demo's forecast is calibrate's, then
	// forecast's, on the same files, to the byte of its P(target); it used
	// to calibrate with a stale rule of its own, so that the README's
	// commands gave other numbers with no word why.
	m := filepath.Join(dir, "m.yaml")
	if _, e, code := simulateCmd("calibrate", "--history", "../../examples/sample-history.csv.gz", "--spend", "../../examples/sample-spend.csv", "-o", m); code != 0 {
		t.Fatal(e)
	}
	out, e, code := simulateCmd("forecast", "--model", m, "--trials", "500", "--target", "800000", "--json")
	var again map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &again) != nil {
		t.Fatalf("forecast: %d %s", code, e)
	}
	if fc["p_target"] != again["p_target"] || !strings.Contains(stdout, "calibrated as of 2026-11-20 with calibrate's defaults") {
		t.Errorf("the demo's P(target) %v, calibrate then forecast %v", fc["p_target"], again["p_target"])
	}
}

// TestCalibratePlots writes the calibration chart beside the model.
func TestCalibratePlots(t *testing.T) {
	path := history(t, "30", "")
	dir := t.TempDir()
	if _, errOut, code := simulateCmd("calibrate", "--no-check", "--history", path, "-o", filepath.Join(dir, "m.yaml"), "--plots", dir, "--plot-format", "svg"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if b := readFile(t, filepath.Join(dir, "calibration.svg")); !strings.Contains(b, "weeks in stage") {
		t.Error("calibration.svg lacks its axis")
	}
}

// TestBacktestCommand backtests a short generated history through the
// command: a table by target and JSON with every outcome.
func TestBacktestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("backtests with their calibrations; make test runs it without the race detector")
	}
	path := history(t, "52", "")
	out, errOut, code := simulateCmd("backtest", "--history", path, "--origins", "3", "--trials", "200", "--stale-after", "26")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"3 origins from", "model's skill", "wins", "revenue", "naive", "seasonal", "run-rate", "ets", "pipeline", "combined", "wins: best baseline", "calibrated ones would cover"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	out, _, code = simulateCmd("backtest", "--history", path, "--origins", "2", "--trials", "200", "--json")
	var doc struct {
		Targets []struct {
			Target  string `json:"target"`
			Methods []struct {
				Method  string   `json:"method"`
				N       int      `json:"n"`
				Cover80 *float64 `json:"cover80"`
				PITMean *float64 `json:"pit_mean"`
			} `json:"methods"`
		} `json:"targets"`
		Outcomes []map[string]any `json:"outcomes"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Targets) != 8 || len(doc.Outcomes) != 16 {
		t.Errorf("json: exit %d, %d targets, %d outcomes", code, len(doc.Targets), len(doc.Outcomes))
	}
	// Every method's coverage is there where it forecasts: the pipeline
	// only wins and revenue.
	for _, tg := range doc.Targets {
		if len(tg.Methods) != 8 {
			t.Fatalf("%s: %d methods, want 8 (the model, five baselines, recalibrated and combined)", tg.Target, len(tg.Methods))
		}
		for _, m := range tg.Methods {
			if has := m.Cover80 != nil && m.PITMean != nil; has != (m.N > 0) {
				t.Errorf("%s, %s: n %d, cover80 %v", tg.Target, m.Method, m.N, m.Cover80)
			}
			if m.Method == "pipeline" && (m.N > 0) != (tg.Target == "wins" || tg.Target == "revenue") {
				t.Errorf("pipeline forecasts %s at %d origins", tg.Target, m.N)
			}
		}
	}
	dir := t.TempDir()
	if _, errOut, code := simulateCmd("backtest", "--history", path, "--origins", "3", "--trials", "200", "--plots", dir, "--plot-format", "svg"); code != 0 {
		t.Fatalf("--plots: exit %d: %s", code, errOut)
	}
	for _, name := range []string{"forecast-leads.svg", "forecast-wins.svg", "forecast-revenue.svg", "coverage.svg", "coverage-over-time.svg", "pit.svg"} {
		if !strings.Contains(readFile(t, filepath.Join(dir, name)), "<svg") {
			t.Errorf("%s is not a chart", name)
		}
	}
	// The recalibration learned from the backtest, applied to a forecast.
	cal := filepath.Join(dir, "recalibration.yaml")
	if _, errOut, code := simulateCmd("backtest", "--history", path, "--origins", "6", "--every", "2", "--trials", "200", "--save-calibration", cal); code != 0 {
		t.Fatalf("--save-calibration: exit %d: %s", code, errOut)
	}
	if b := readFile(t, cal); !strings.Contains(b, "horizon_weeks: 13") || !strings.Contains(b, "target: revenue") {
		t.Errorf("recalibration file:\n%s", b)
	}
	out, errOut, code = simulateCmd("forecast", "--trials", "500", "--recalibration", cal)
	if code != 0 || !strings.Contains(out, "note: intervals recalibrated on the model's backtest") {
		t.Errorf("forecast --recalibration: exit %d, %s\n%s", code, errOut, out)
	}
	_, errOut, code = simulateCmd("forecast", "--trials", "500", "--weeks", "26", "--recalibration", cal)
	if code != 1 || !strings.Contains(errOut, "recalibration.yaml was learned on 13-week forecasts; this run is 26 weeks") {
		t.Errorf("forecast --weeks 26 --recalibration: exit %d, %q", code, errOut)
	}
	// A shard, which leaves the recalibration to the merge, refuses it
	// too, before it runs, not at the merge after every shard has.
	shard := filepath.Join(t.TempDir(), "s.parquet")
	_, errOut, code = simulateCmd("forecast", "--trials", "500", "--weeks", "26", "--recalibration", cal, "--shard", "0/2", "--trials-out", shard)
	if _, err := os.Stat(shard); code != 1 || !strings.Contains(errOut, "this run is 26 weeks") || err == nil {
		t.Errorf("a shard with --weeks 26 --recalibration: exit %d, %q, shard written: %v", code, errOut, err == nil)
	}
	_, errOut, code = simulateCmd("backtest", "--history", path, "--origins", "0")
	if code != 2 || !strings.HasPrefix(errOut, "simulate backtest: --origins, --every and --horizon must be >= 1") {
		t.Errorf("origins 0: exit %d, %q", code, errOut)
	}
}

// TestStdoutOutput: "-" writes a command's file to standard output, whole
// and as it is, and its messages to standard error.
func TestStdoutOutput(t *testing.T) {
	csvOut, errOut, code := simulateCmd("generate", "--weeks", "30", "-o", "-")
	if code != 0 || !strings.HasPrefix(csvOut, "lead_id,created_at,") || !strings.Contains(errOut, "-: ") {
		t.Fatalf("generate -o -: exit %d, stderr %q, stdout starts %.40q", code, errOut, csvOut)
	}
	path := filepath.Join(t.TempDir(), "h.csv")
	if err := os.WriteFile(path, []byte(csvOut), 0o644); err != nil {
		t.Fatal(err)
	}
	yamlOut, errOut, code := simulateCmd("calibrate", "--no-check", "--history", path, "-o", "-", "--stale-after", "26")
	if code != 0 || !strings.Contains(errOut, "Calibrated funnel") {
		t.Fatalf("calibrate -o -: exit %d, stderr %q", code, errOut)
	}
	if _, err := model.Decode([]byte(yamlOut)); err != nil {
		t.Errorf("calibrate -o - wrote no model to standard output: %v", err)
	}
	html, _, code := simulateCmd("report", "--trials", "300", "-o", "-")
	if code != 0 || !strings.HasPrefix(html, "<!DOCTYPE html>") {
		t.Errorf("report -o -: exit %d, stdout starts %.40q", code, html)
	}
}
