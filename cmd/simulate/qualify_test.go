package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQualify compares rules on undated closed deals from the command
// line: named rules from a file and a rule given as a flag, a mapped
// outcome column with its own values, and the errors a user meets first.
func TestQualify(t *testing.T) {
	dir := t.TempDir()
	deals := filepath.Join(dir, "deals.csv")
	var b strings.Builder
	b.WriteString("Budget Known,Stage,Value\n")
	for i := range 100 {
		won := "Lost"
		if i%2 == 0 {
			won = "Won!"
		}
		b.WriteString("yes," + won + ",1000\n")
		won = "Lost"
		if i%5 == 0 {
			won = "Won!"
		}
		b.WriteString("no," + won + ",1000\n")
	}
	if err := os.WriteFile(deals, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(rules, []byte("rules:\n  - name: budget known\n    rule: Budget_Known == \"yes\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := simulateCmd("qualify", "--deals", deals, "--map", "outcome=stage,amount=value", "--outcomes", "Won!=won,Lost=lost",
		"--rules", rules, "--rule", `budget_known == "no"`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"200 closed deals, 70 won (35%)", "budget known   50%", "P(better)", "budget known: Budget_Known == \"yes\""} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"qualify", "--deals", deals, "--map", "outcome=stage", "--outcomes", "Won!=won,Lost=lost", "--rule", `budgt == "yes"`}, 1, "the attributes are budget_known, value"},
		{[]string{"qualify", "--deals", deals, "--map", "outcome=stage", "--rule", "true"}, 1, `70 of 200 rows rejected (35.0%), more than the 5% allowed (--max-rejected sets the share)`},
		{[]string{"qualify", "--deals", deals, "--map", "outcome=stage", "--rule", "true", "--max-rejected", "0.5"}, 0, `"Won!" is neither won nor lost`},
		{[]string{"qualify", "--deals", deals, "--outcomes", "Won!=maybe", "--rule", "true"}, 2, "map a value to won or lost"},
		{[]string{"qualify", "--deals", deals}, 2, "give a --rule or --rules FILE"},
	} {
		_, errOut, code := simulateCmd(c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}
