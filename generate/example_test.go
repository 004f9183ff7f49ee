package generate_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/sample"
)

// Generate draws a history from a truth whose funnel is known, and
// WriteCSV writes it as the CRM export calibrate reads.
func ExampleGenerate() {
	truth := sample.Company()
	h, err := generate.Generate(context.Background(), truth, generate.Options{Weeks: 8, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	var csv bytes.Buffer
	if err := h.WriteCSV(context.Background(), &csv, truth.AsOf.Time); err != nil {
		fmt.Println(err)
		return
	}
	header, _, _ := strings.Cut(csv.String(), "\n")
	fmt.Println(h.Start.Format("2006-01-02"), "to", truth.AsOf.Time.Format("2006-01-02"), "rows:", strings.Count(csv.String(), "\n")-1)
	fmt.Println(header)
	// Output:
	// 2026-09-25 to 2026-11-20 rows: 1245
	// lead_id,created_at,channel,mql_at,sal_at,sql_at,opportunity_at,proposal_at,won_at,lost_at,amount,rep,job_level,company_size,lead_score
}
