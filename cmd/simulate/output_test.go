package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/backtest"
)

// documented reads docs/OUTPUT.md: per section, the keys its bullets list
// and which of them are optional.
func documented(t *testing.T) (keys map[string][]string, optional map[string]bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "OUTPUT.md"))
	if err != nil {
		t.Fatal(err)
	}
	keys, optional = map[string][]string{}, map[string]bool{}
	section := ""
	key := regexp.MustCompile("`([a-z0-9_]+)`")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			section = strings.TrimPrefix(line, "## ")
			continue
		}
		if !strings.HasPrefix(line, "- `") {
			continue
		}
		head, _, _ := strings.Cut(line, " — ")
		for _, m := range key.FindAllStringSubmatch(head, -1) {
			keys[section] = append(keys[section], m[1])
			if strings.Contains(line, "*optional*") {
				optional[section+"/"+m[1]] = true
			}
		}
	}
	return keys, optional
}

// jsonKeys are every object key in v, but the names of metrics and
// methods that key the maps metrics, delta and scores.
func jsonKeys(v any, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			into[k] = true
			if k == "metrics" || k == "delta" || k == "scores" {
				for _, cc := range c.(map[string]any) {
					jsonKeys(cc, into)
				}
				continue
			}
			jsonKeys(c, into)
		}
	case []any:
		for _, c := range x {
			jsonKeys(c, into)
		}
	}
}

// TestOutputDocumented: every key and column each command writes is in
// docs/OUTPUT.md, under its document's section (or the summary's), and
// every key listed there, but the optional ones, is written.
func TestOutputDocumented(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command end to end; make test runs it without the race detector")
	}
	keys, optional := documented(t)
	dir := t.TempDir()
	hist := filepath.Join(dir, "h.csv")
	if _, e, code := simulateCmd("generate", "--weeks", "40", "-o", hist); code != 0 {
		t.Fatal(e)
	}
	scen := filepath.Join("..", "..", "examples", "sample-scenarios.yaml")
	sampleModel := filepath.Join("..", "..", "examples", "sample-model.yaml")
	deals := filepath.Join(dir, "deals.csv")
	if err := os.WriteFile(deals, []byte("region,outcome,amount\nnorth,won,100\nnorth,lost,50\nsouth,won,200\nsouth,lost,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hist60 := filepath.Join(dir, "h60.csv")
	if _, e, code := simulateCmd("generate", "--weeks", "60", "-o", hist60); code != 0 {
		t.Fatal(e)
	}
	quota := filepath.Join(dir, "quota.csv")
	if err := os.WriteFile(quota, []byte("rep,quota\nrep_01,40k\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		doc  string
		args []string
	}{
		{"forecast", []string{"forecast", "--trials", "300", "--target", "800000"}},
		{"compare", []string{"compare", "--scenarios", scen, "--trials", "300", "--history", hist}},
		{"sweep", []string{"sweep", "--lever", "reps", "--range", "2:4:2", "--trials", "300", "--target", "800000"}},
		{"goal", []string{"goal", "--lever", "reps", "--target", "800000", "--trials", "300"}},
		{"optimize", []string{"optimize", "--trials", "200", "--final-trials", "400", "--frontier", "0.5", "--target", "800000"}},
		{"grid", []string{"sweep", "--lever", "reps", "--range", "2:4:2", "--lever2", "budget", "--range2", "40000:50000:10000", "--trials", "300", "--target", "800000"}},
		{"portfolio", []string{"portfolio", "--model", sampleModel, "--model", sampleModel, "--trials", "300", "--target", "1.5M"}},
		{"backtest", []string{"backtest", "--history", hist, "--origins", "2", "--trials", "100", "--stale-after", "26"}},
		{"calibrate", []string{"calibrate", "--history", hist, "-o", filepath.Join(dir, "m.yaml")}},
		{"forecast quarter", []string{"forecast", "--model", filepath.Join(dir, "m.yaml"), "--quarter", "current", "--trials", "300", "--target", "100k",
			"--deals", filepath.Join(dir, "open-deals.csv"), "--by", "rep", "--quota", quota}},
		{"backtest quarter-aligned", []string{"backtest", "--history", hist60, "--quarter-aligned", "--trials", "100", "--stale-after", "26"}},
		{"qualify", []string{"qualify", "--deals", deals, "--rule", `region == "north"`}},
	}
	names := map[string]bool{}
	for _, m := range []string{"leads", "mql", "sal", "sql", "opportunities", "proposals"} {
		names[m] = true
	}
	for _, m := range backtest.Methods {
		names[strings.ReplaceAll(m, "-", "_")] = true
	}
	check := func(section string, got map[string]bool, also ...string) {
		t.Helper()
		doc := keys[section]
		if len(doc) == 0 {
			t.Errorf("docs/OUTPUT.md has no section %q", section)
			return
		}
		allowed := map[string]bool{}
		for _, k := range append(doc, also...) {
			allowed[k] = true
		}
		for k := range got {
			if !allowed[k] && !names[k] {
				t.Errorf("%s: %q is written but not documented", section, k)
			}
		}
		for _, k := range doc {
			if !got[k] && !optional[section+"/"+k] {
				t.Errorf("%s: %q is documented but not written", section, k)
			}
		}
	}
	for _, c := range cases {
		if c.doc != "calibrate" {
			out, e, code := simulateCmd(append(c.args, "--json")...)
			if code != 0 {
				t.Fatalf("%v: %s", c.args, e)
			}
			var v any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			jsonKeys(v, got)
			also := keys["Summary"]
			if c.doc == "compare" || c.doc == "goal" || c.doc == "sweep" || c.doc == "grid" || c.doc == "portfolio" || c.doc == "forecast quarter" {
				also = append(also, keys["forecast JSON"]...)
			}
			check(c.doc+" JSON", got, also...)
		}
		path := filepath.Join(dir, c.doc+".csv")
		if _, e, code := simulateCmd(append(c.args, "--csv", path)...); code != 0 {
			t.Fatalf("%v: %s", c.args, e)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		header, err := csv.NewReader(f).Read()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range header {
			got[h] = true
		}
		check(c.doc+" CSV", got)
		if slices.Contains(header, "") {
			t.Errorf("%s CSV: an empty column name", c.doc)
		}
	}
	f, err := os.Open(filepath.Join(dir, "open-deals.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, h := range header {
		got[h] = true
	}
	check("deals CSV", got)
}
