package calibrate_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/internal/fixture"
)

// TestSuggestionsOnExports: read with no mapping, every export in
// ../shared/data and the presets' test corpus gets a proposal that is
// right: the --map that reads it (for the six-year log, an event log,
// and then the --stages its stage values make), the preset it is, or,
// for a file with no dates, that it is no history. The first proposal
// for a one-date bids export used to map lead_id to its date.
func TestSuggestionsOnExports(t *testing.T) {
	for _, c := range []struct{ dir, file, want string }{
		{"maven-crm-sales-opportunities", "sales_pipeline.csv", "; perhaps ReadOptions.Map lead_id=opportunity_id,created_at=engage_date,outcome=deal_stage,closed_at=close_date,amount=close_value,rep=sales_agent"},
		{"maven-crm-sales-opportunities", "accounts.csv", "; no column holds dates, which a history needs"},
		{"maven-crm-sales-opportunities", "sales_teams.csv", "; no column holds dates, which a history needs"},
		{"maven-crm-sales-opportunities", "products.csv", "; no column holds dates, which a history needs"},
		{"olist-marketing-funnel", "olist_marketing_qualified_leads_dataset.csv", "; perhaps ReadOptions.Map lead_id=mql_id,created_at=first_contact_date,channel=origin"},
		{"olist-marketing-funnel", "olist_closed_deals_dataset.csv", "; perhaps ReadOptions.Map lead_id=mql_id,won_at=won_date"},
		{"sales-pipeline-6y", "sales-pipeline.csv", "; perhaps ReadOptions.Map 'lead_id=Lead Name,at=Date,stage=Opportunity Stage,amount=Forecasted Monthly Revenue,rep=Salesperson'"},
		{"x-education-leads", "Leads.csv", "; no column holds dates, which a history needs (at least the date each lead was created): for closed deals without dates, simulate qualify --deals FILE compares qualification rules"},
	} {
		t.Run(c.file, func(t *testing.T) {
			err := readFile(t, filepath.Join(fixture.SharedData(t, c.dir), c.file), calibrate.ReadOptions{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v\nwant %q", err, c.want)
			}
		})
	}
	err := readFile(t, filepath.Join(fixture.SharedData(t, "sales-pipeline-6y"), "sales-pipeline.csv"), calibrate.ReadOptions{MaxRejected: calibrate.DefaultMaxRejected, Map: map[string]string{
		"lead_id": "Lead Name", "at": "Date", "stage": "Opportunity Stage", "amount": "Forecasted Monthly Revenue", "rep": "Salesperson"}})
	if want := `perhaps ReadOptions.Stages lead,prospect,qualified,contracting ReadOptions.StageMap 'Closed Lost=lost,Closed Won=won'`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("six-year log mapped: %v\nwant %q", err, want)
	}
}

// TestSuggestionsOnPresets: each file of the presets' corpus, read with
// no preset, is named as its preset's export.
func TestSuggestionsOnPresets(t *testing.T) {
	for _, c := range []struct{ file, preset string }{
		{"hubspot-contacts.csv", "hubspot-contacts"},
		{"hubspot-deals.csv", "hubspot"},
		{"pipedrive-deals.csv", "pipedrive"},
		{"salesforce-dataloader.csv", "salesforce"},
		{"salesforce-opportunities.csv", "salesforce"},
	} {
		err := readFile(t, filepath.Join("testdata", "presets", c.file), calibrate.ReadOptions{})
		if want := "try ReadOptions.Preset " + c.preset; err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("%s: %v\nwant %q", c.file, err, want)
		}
	}
}

func readFile(t *testing.T, path string, o calibrate.ReadOptions) error {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = calibrate.Read(context.Background(), []calibrate.File{{Name: path, R: f}}, o)
	return err
}

// TestWrongFiles: a spend file given as a history is named as one, and a
// --map column that no file has gets the column meant.
func TestWrongFiles(t *testing.T) {
	_, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "spend.csv", R: strings.NewReader("week,channel,spend\n2025-01-06,web,100\n")}}, calibrate.ReadOptions{})
	if want := "; it looks like a spend file (week, channel, spend): give it to --spend, beside a history"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("spend as history: %v, want %q", err, want)
	}
	_, err = calibrate.Read(context.Background(), []calibrate.File{{Name: "h.csv", R: strings.NewReader("lead_id,created_at,Deal Cost\na,2025-01-06,5\n")}}, calibrate.ReadOptions{Map: map[string]string{"amount": "Deal Costs"}})
	if want := `ReadOptions.Map amount=Deal Costs: no file has a column "Deal Costs" (did you mean "Deal Cost"?)`; err == nil || err.Error() != want {
		t.Errorf("unknown column: %v, want %q", err, want)
	}
	// An amount mapped to created_at: the rejections say which column it is.
	_, err = calibrate.Read(context.Background(), []calibrate.File{{Name: "h.csv", R: strings.NewReader("id,value,when\na,1054,2025-01-06\nb,2200,2025-01-07\n")}},
		calibrate.ReadOptions{Map: map[string]string{"lead_id": "id", "created_at": "value"}, MaxRejected: calibrate.DefaultMaxRejected})
	if want := `(created_at is the column "value", whose values are numbers such as 1054, not dates: is it the column meant?)`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("an amount as created_at: %v, want %q", err, want)
	}
}
