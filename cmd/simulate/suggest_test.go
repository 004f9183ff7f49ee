package main

import (
	"math"
	"strings"
	"testing"
)

func TestDidYouMean(t *testing.T) {
	cmds := []string{"demo", "forecast", "compare", "sweep", "goal", "report", "calibrate", "backtest", "generate"}
	for _, c := range []struct{ in, want string }{
		{"forcast", ` (did you mean "forecast"?)`},
		{"foercast", ` (did you mean "forecast"?)`}, // a swap
		{"swep", ` (did you mean "sweep"?)`},
		{"frobnicate", ""},
		{"forecast", ""},
		{"gaol", ` (did you mean "goal"?)`},
	} {
		if got := didYouMean(c.in, cmds); got != c.want {
			t.Errorf("didYouMean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Two candidates as near: no guess.
	if got := didYouMean("ab", []string{"ac", "ad"}); got != "" {
		t.Errorf("a tie guessed %q", got)
	}
	_, e, code := simulateCmd("forecast", "--trails", "5")
	if code != 2 || !strings.Contains(e, `unknown flag: --trails (did you mean "--trials"?)`) {
		t.Errorf("--trails: exit %d, %q", code, e)
	}
}

func TestParseMoney(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"800000", 800000}, {"800,000", 800000}, {"800k", 800000}, {"800K", 800000}, {"1.2M", 1.2e6}, {"2b", 2e9}, {"8e5", 8e5}, {" 1,000,000 ", 1e6},
	} {
		if got, err := parseMoney(c.in); err != nil || math.Abs(got-c.want) > 1e-6 {
			t.Errorf("parseMoney(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "k", "lots", "0x10", "1_000", "800kk"} {
		if _, err := parseMoney(bad); err == nil {
			t.Errorf("parseMoney(%q) accepted", bad)
		}
	}
	if out, _, code := simulateCmd("--version"); code != 0 || !strings.HasPrefix(out, "simulate ") {
		t.Errorf("--version: %d, %q", code, out)
	}
}
