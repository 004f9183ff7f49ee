// Package examples embeds the sample files that ship with funnelsim: the
// sample company's truth and a two-year CRM history generated from it,
// from which `simulate demo` calibrates and forecasts.
package examples

import (
	_ "embed"
)

// The sample history is what
//
//	simulate generate --seed 1 --write-truth examples/sample-truth.yaml -o examples/sample-history.csv.gz
//
// writes: HistoryWeeks weeks of leads to the truth's as-of date, with the
// default share of unrecorded losses and dirty rows.
const (
	HistorySeed  = 1
	HistoryWeeks = 104
)

var (
	//go:embed sample-history.csv.gz
	historyGz []byte
	//go:embed sample-truth.yaml
	truthYAML []byte
)

// HistoryGz returns the gzipped sample history (CSV).
func HistoryGz() []byte { return historyGz }

// TruthYAML returns the sample truth file.
func TruthYAML() []byte { return truthYAML }
