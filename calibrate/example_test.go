package calibrate_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/model"
)

// Estimate calibrates a model from a CRM history: here the sample
// company's two years of leads, read as a gzipped CSV (Read detects the
// shape from the header), with leads idle 26 weeks in a stage counted as
// lost. Each stage's conversion is estimated with open leads censored.
func ExampleEstimate() {
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "sample-history.csv.gz", R: bytes.NewReader(examples.HistoryGz())}}, calibrate.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{StaleAfter: 26 * 7 * 24 * time.Hour})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("as of %s, %d channels\n", m.AsOf, len(m.Channels))
	conv, err := model.Conversions(m, 200, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range conv {
		if c.Channel == "" { // all channels
			fmt.Printf("%-12s converts %.2f (90%%: %.2f to %.2f)\n", c.Stage, c.Mean, c.P5, c.P95)
		}
	}
	// Output:
	// as of 2026-11-20, 5 channels
	// lead         converts 0.41 (90%: 0.41 to 0.42)
	// mql          converts 0.64 (90%: 0.63 to 0.65)
	// sal          converts 0.48 (90%: 0.47 to 0.50)
	// sql          converts 0.59 (90%: 0.57 to 0.61)
	// opportunity  converts 0.54 (90%: 0.52 to 0.57)
	// proposal     converts 0.39 (90%: 0.35 to 0.43)
}
