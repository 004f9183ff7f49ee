package calibrate_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
)

// FuzzRead feeds arbitrary bytes to the reader as a history file: it must
// never panic, and every row it reads is used or rejected. go test runs
// the seeds; go test -fuzz FuzzRead ./calibrate explores further.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"",
		"\ufeff",
		"lead_id,created_at,channel,mql_at,won_at,lost_at,amount\na,2025-01-01,x,2025-01-02,,,\n",
		"lead_id;created_at;amount\na;2025-01-01;1e400\nb;2025-01-01;NaN\n",
		"lead_id,stage,at\na,created,2025-01-01\na,won,2025-01-03\na,lost,2025-01-04\n",
		"lead_id,created_at,outcome,closed_at\na,2025-01-01,won,\nb,2025-01-01,lost,2025-13-40\n",
		"lead_id,created_at\n\"a,2025-01-01\n",
		"lead_id,created_at\na,9999-12-31T23:59:59+14:00\nb,0001-01-01\n",
		"\x1f\x8b\x08\x00",
		"lead_id,created_at,mql_at,sal_at\na,2025-01-05,2025-01-04,2025-01-03\n",
	} {
		f.Add(s)
	}
	// The bad-input catalogue's files seed it too.
	if files, err := filepath.Glob(filepath.Join("..", "cmd", "simulate", "testdata", "bad", "*.csv")); err == nil {
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv", R: strings.NewReader(text)}}, calibrate.ReadOptions{})
		if err != nil {
			return
		}
		for _, file := range h.Report.Files {
			if file.Used+file.Rejected != file.Rows || file.Used < 0 {
				t.Fatalf("rows %d, used %d, rejected %d", file.Rows, file.Used, file.Rejected)
			}
		}
		if len(h.Leads) > 0 {
			calibrate.Estimate(context.Background(), h, calibrate.Options{})
		}
	})
}
