package calibrate_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
)

func read(t *testing.T, text string, o calibrate.ReadOptions) *calibrate.History {
	t.Helper()
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv", R: strings.NewReader(text)}}, o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestRejections checks each class of bad row: it is rejected with its
// reason and an example naming file, line and field, and every row is
// accounted for.
func TestRejections(t *testing.T) {
	const header = "lead_id,created_at,channel,mql_at,won_at,lost_at,amount\n"
	for _, c := range []struct {
		name, rows, reason, example string
	}{
		{"duplicate id", "a,2025-01-01,x,,,,\na,2025-01-02,x,,,,\n", "duplicate lead_id", `in.csv:3: lead_id: "a" first on line 2`},
		{"bad created date", "a,2025-13-01,x,,,,\n", "unparsable date", `in.csv:2: created_at: "2025-13-01" is not an ISO date (YYYY-MM-DD[THH:MM[:SS][zone]]); give ReadOptions.DateFormat`},
		{"bad stage date", "a,2025-01-01,x,soon,,,\n", "unparsable date", `in.csv:2: mql_at: "soon" is not an ISO date (YYYY-MM-DD[THH:MM[:SS][zone]]); give ReadOptions.DateFormat`},
		{"stage before creation", "a,2025-01-05,x,2025-01-01,,,\n", "stage before creation", "in.csv:2: mql_at: 2025-01-01 is before created_at 2025-01-05"},
		{"negative amount", "a,2025-01-01,x,,,,-5\n", "negative amount", "in.csv:2: amount: -5"},
		{"amount not a number", "a,2025-01-01,x,,,,12k\n", "unparsable amount", `in.csv:2: amount: "12k" is not a number`},
		{"ragged row", "a,2025-01-01,x\n", "ragged row", "in.csv:2: row: 3 fields, the header has 7"},
		{"missing id", ",2025-01-01,x,,,,\n", "missing lead_id", "in.csv:2: lead_id: empty"},
		{"missing created", "a,,x,,,,\n", "missing created_at", "in.csv:2: created_at: empty"},
		{"won and lost", "a,2025-01-01,x,,2025-02-01,2025-02-02,\n", "both won and lost", "in.csv:2: lost_at: won 2025-02-01, lost 2025-02-02"},
		{"bare quote", "a,2025-01-01,x\"y,,,,\n", "malformed CSV", `in.csv:2: row: bare " in non-quoted-field`},
		{"open quote", "a,2025-01-01,\"x,,,,\nb,2025-01-02,x,,,,\n", "malformed CSV", `in.csv:2: row: extraneous or missing " in quoted-field; lines 2 to 3 read as one row`},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := read(t, header+c.rows, calibrate.ReadOptions{Stages: []string{"lead", "mql"}})
			r := h.Report
			if len(r.Rejected) != 1 || r.Rejected[0].Reason != c.reason || r.Rejected[0].Examples[0] != c.example {
				t.Fatalf("rejected %+v, want %q with %q", r.Rejected, c.reason, c.example)
			}
			f := r.Files[0]
			if f.Used+f.Rejected != f.Rows || f.Used != len(h.Leads) {
				t.Errorf("rows %d = used %d + rejected %d, leads %d", f.Rows, f.Used, f.Rejected, len(h.Leads))
			}
		})
	}
}

func TestUnknownStage(t *testing.T) {
	h := read(t, "lead_id,stage,at\na,created,2025-01-01\na,demo,2025-01-03\n", calibrate.ReadOptions{Stages: []string{"lead", "mql"}})
	want := `in.csv:3: stage: "demo" is not one of lead, mql, won, lost (use ReadOptions.StageMap)`
	if r := h.Report.Rejected; len(r) != 1 || r[0].Examples[0] != want {
		t.Fatalf("rejected %+v, want %q", r, want)
	}
	h = read(t, "lead_id,stage,at\na,created,2025-01-01\na,demo,2025-01-03\n", calibrate.ReadOptions{Stages: []string{"lead", "mql"}, StageMap: map[string]string{"demo": "mql"}})
	if len(h.Report.Rejected) != 0 || h.Leads[0].Reached[1].IsZero() {
		t.Fatalf("StageMap demo=mql: rejected %+v, lead %+v", h.Report.Rejected, h.Leads[0])
	}
}

// TestFormats reads the same lead as a wide file with a byte-order mark
// and semicolons, as an event log, and with mapped columns and a date
// layout.
func TestFormats(t *testing.T) {
	for _, c := range []struct {
		name, text string
		o          calibrate.ReadOptions
	}{
		{"wide, BOM, semicolons", "\ufefflead_id;created_at;channel;mql_at;won_at\na;2025-01-01;x;2025-01-03T10:00;2025-02-01\n", calibrate.ReadOptions{}},
		{"event log", "lead_id,stage,at,channel\na,created,2025-01-01,x\na,mql,2025-01-03 10:00,\na,won,2025-02-01,\n", calibrate.ReadOptions{}},
		{"mapped", "id,first_contact,origin,mql_date,won_date\na,01/01/2025,x,03/01/2025,01/02/2025\n", calibrate.ReadOptions{
			Map: map[string]string{"lead_id": "id", "created_at": "first_contact", "channel": "origin", "mql_at": "mql_date", "won_at": "won_date"}, DateFormat: "02/01/2006"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.o.Stages = []string{"lead", "mql"}
			h := read(t, c.text, c.o)
			if len(h.Leads) != 1 || len(h.Report.Rejected) != 0 {
				t.Fatalf("leads %d, rejected %+v", len(h.Leads), h.Report.Rejected)
			}
			l := h.Leads[0]
			if l.ID != "a" || l.Channel != "x" || l.Created().Day() != 1 || l.Reached[1].Day() != 3 || l.Won.Month() != 2 {
				t.Errorf("lead %+v", l)
			}
		})
	}
}

// TestOneDateDeals: a deal export with one date and an outcome (bids,
// orders) reads with a map of its columns alone: each deal created and
// closed on its date, in a funnel of one stage, said in a warning. It
// used to need --map closed_at to the same column and --stages, and with
// the default six stages every later stage read as converting 1.000.
func TestOneDateDeals(t *testing.T) {
	text := "Deal,Deal Date,Status,Value\nd1,2025-01-06,Won,100\nd2,2025-01-08,Lost,50\nd3,2025-02-03,won,70\n"
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "bids.csv", R: strings.NewReader(text)}}, calibrate.ReadOptions{
		Map: map[string]string{"lead_id": "Deal", "created_at": "Deal Date", "outcome": "Status", "amount": "Value"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.Stages, []string{"opportunity"}) || len(h.Leads) != 3 {
		t.Fatalf("stages %v, %d leads", h.Stages, len(h.Leads))
	}
	if l := h.Leads[0]; !l.Won.Equal(l.Created()) || !h.Leads[1].Lost.Equal(h.Leads[1].Created()) || h.Leads[2].Won.IsZero() {
		t.Errorf("deals %+v", h.Leads)
	}
	if !slices.ContainsFunc(h.Report.Warnings, func(w string) bool { return strings.Contains(w, "one date per deal") }) {
		t.Errorf("no warning of one date per deal: %v", h.Report.Warnings)
	}
	// Stages given are kept.
	h, err = calibrate.Read(context.Background(), []calibrate.File{{Name: "bids.csv", R: strings.NewReader(text)}}, calibrate.ReadOptions{Stages: []string{"bid"},
		Map: map[string]string{"lead_id": "Deal", "created_at": "Deal Date", "outcome": "Status", "amount": "Value"}})
	if err != nil || !slices.Equal(h.Stages, []string{"bid"}) {
		t.Errorf("stages given: %v, %v", h, err)
	}
}

func TestShapeErrors(t *testing.T) {
	for _, c := range []struct {
		text, want string
		m          map[string]string
	}{
		{"", "in.csv: empty file: no header", nil},
		{"name,email\nx,y\n", `in.csv: header: no lead_id column, nor a created_at column that would make each row a lead (use ReadOptions.Map lead_id=COLUMN or created_at=COLUMN); the header is "name", "email"; no column holds dates, which a history needs (at least the date each lead was created)`, nil},
		{"lead_id,email\nx,y\n", `in.csv: header: unknown shape: an event log needs lead_id, stage and at; a deal export needs lead_id, created_at, outcome and closed_at; a wide file needs lead_id and created_at; the header is "lead_id", "email"; no column holds dates, which a history needs (at least the date each lead was created)`, nil},
		{"lead_id,created_at,mql_at,outcome\nx,2025-01-01,,won\n", `in.csv: header: an outcome column needs a closed_at column, or a created_at column alone for a deal export of one date (use ReadOptions.Map closed_at=COLUMN); the header is "lead_id", "created_at", "mql_at", "outcome"`, nil},
		{"lead_id,created_at\nx,2025-01-01\n", `ReadOptions.Map won_at=won_date: no file has a column "won_date"`, map[string]string{"won_at": "won_date"}},
		{"lead_id,created_at,Budget Known,region,BUDGET-KNOWN\nx,2025-01-01,yes,eu,no\n", `in.csv: columns 3 ("Budget Known") and 5 ("BUDGET-KNOWN") both name the attribute budget_known: rename one`, nil},
		{"lead_id,created_at,region,region\nx,2025-01-01,eu,us\n", `in.csv: columns 3 ("region") and 4 ("region") both name the attribute region: rename one`, nil},
		{"lead_id,created_at\nx,2025-01-01\n", `ReadOptions.Map source=origin: "source" is not a column name funnelsim knows (lead_id, created_at, channel, rep, amount, stage, at, won_at, lost_at, outcome, closed_at, mql_at, sal_at, sql_at, opportunity_at, proposal_at)`, map[string]string{"source": "origin"}},
	} {
		_, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv", R: strings.NewReader(c.text)}}, calibrate.ReadOptions{Map: c.m})
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}

// TestJoin joins a deals file onto a leads file on lead_id; a deal for an
// unknown lead is rejected.
func TestJoin(t *testing.T) {
	leads := "lead_id,created_at,channel\na,2025-01-01,x\nb,2025-01-02,y\n"
	deals := "lead_id,won_at,amount\na,2025-03-01,1000\nz,2025-03-02,5\n"
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "leads.csv", R: strings.NewReader(leads)}, {Name: "deals.csv", R: strings.NewReader(deals)}}, calibrate.ReadOptions{Stages: []string{"lead"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Leads) != 2 || h.Leads[0].Won.IsZero() || h.Leads[0].Amount != 1000 {
		t.Fatalf("leads %+v", h.Leads)
	}
	want := `deals.csv:3: lead_id: "z"`
	if r := h.Report.Rejected; len(r) != 1 || r[0].Reason != "lead_id not in the leads file" || r[0].Examples[0] != want {
		t.Fatalf("rejected %+v", r)
	}
}

// TestOutcome reads a deal export: one row per deal with its current
// stage or outcome and a close date, with mapped names as in a CRM.
func TestOutcome(t *testing.T) {
	const text = "id,agent,deal_stage,engage_date,close_date,value\n" +
		"a,ann,Won,2025-01-01,2025-02-01,500\n" +
		"b,bob,Lost,2025-01-02,2025-02-03,0\n" +
		"c,ann,Engaging,2025-01-03,,\n" +
		"d,bob,Engaging,2025-01-04,2025-06-30,\n" + // an expected close date: ignored
		"e,ann,Won,2025-01-05,,900\n" +
		"f,bob,Paused,2025-01-06,,\n"
	h := read(t, text, calibrate.ReadOptions{
		Stages:   []string{"engaging"},
		Map:      map[string]string{"lead_id": "id", "rep": "agent", "outcome": "deal_stage", "created_at": "engage_date", "closed_at": "close_date", "amount": "value"},
		StageMap: map[string]string{"Won": "won", "Lost": "lost", "Engaging": "engaging"},
	})
	if len(h.Leads) != 4 {
		t.Fatalf("%d leads, want 4: %+v", len(h.Leads), h.Leads)
	}
	a, b, c, d := h.Leads[0], h.Leads[1], h.Leads[2], h.Leads[3]
	if a.Won.Format(time.DateOnly) != "2025-02-01" || a.Amount != 500 || a.Rep != "ann" || a.Channel != "all" {
		t.Errorf("won deal %+v", a)
	}
	if b.Lost.Format(time.DateOnly) != "2025-02-03" || !b.Won.IsZero() {
		t.Errorf("lost deal %+v", b)
	}
	if !c.Won.IsZero() || !c.Lost.IsZero() || !d.Won.IsZero() || !d.Lost.IsZero() {
		t.Errorf("open deals %+v %+v", c, d)
	}
	want := map[string]string{
		"missing close date": "in.csv:6: closed_at: won with no close date",
		"unknown stage":      `in.csv:7: outcome: "Paused" is not one of engaging, won, lost (use ReadOptions.StageMap)`,
	}
	if len(h.Report.Rejected) != len(want) {
		t.Fatalf("rejected %+v", h.Report.Rejected)
	}
	for _, r := range h.Report.Rejected {
		if r.Examples[0] != want[r.Reason] {
			t.Errorf("%s: %q, want %q", r.Reason, r.Examples[0], want[r.Reason])
		}
	}
	if w := h.Report.Warnings; len(w) != 1 || w[0] != `in.csv: no channel column: all leads are in channel "all" (use ReadOptions.Map channel=COLUMN)` {
		t.Errorf("warnings %q", w)
	}
}

// TestGzip reads a gzipped history as the plain one.
func TestGzip(t *testing.T) {
	const text = "lead_id,created_at,channel,mql_at\na,2025-01-01,x,2025-01-02\n"
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(text))
	zw.Close()
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv.gz", R: &buf}}, calibrate.ReadOptions{Stages: []string{"lead", "mql"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Leads) != 1 || h.Leads[0].Reached[1].IsZero() {
		t.Fatalf("leads %+v", h.Leads)
	}
	_, err = calibrate.Read(context.Background(), []calibrate.File{{Name: "bad.gz", R: strings.NewReader("\x1f\x8bnot gzip")}}, calibrate.ReadOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "bad.gz: ") {
		t.Fatalf("corrupt gzip: error %v", err)
	}
}

// TestSpendRejections checks each class of bad spend row: rejected with
// its reason and an example naming file, line and field.
func TestSpendRejections(t *testing.T) {
	const header = "week,channel,spend\n"
	for _, c := range []struct{ name, rows, reason, example string }{
		{"bad week", "2025-02-30,x,100\n", "unparsable date", `spend.csv:2: week: "2025-02-30" is not an ISO date (YYYY-MM-DD[THH:MM[:SS][zone]]); give ReadOptions.DateFormat`},
		{"no channel", "2025-01-06,,100\n", "missing channel", "spend.csv:2: channel: empty"},
		{"not a number", "2025-01-06,x,1k\n", "unparsable amount", `spend.csv:2: spend: "1k" is not a number`},
		{"negative", "2025-01-06,x,-3\n", "negative amount", "spend.csv:2: spend: -3"},
		{"duplicate", "2025-01-06,x,1\n2025-01-06,x,2\n", "duplicate week and channel", "spend.csv:3: week: 2025-01-06 x first on line 2"},
		{"ragged", "2025-01-06,x\n", "ragged row", "spend.csv:2: row: 2 fields, the header has 3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := &calibrate.Report{}
			s, err := calibrate.ReadSpend(calibrate.File{Name: "spend.csv", R: strings.NewReader(header + c.rows)}, calibrate.ReadOptions{}, rep)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Rejected) != 1 || rep.Rejected[0].Reason != c.reason || rep.Rejected[0].Examples[0] != c.example {
				t.Fatalf("rejected %+v, want %q with %q", rep.Rejected, c.reason, c.example)
			}
			if f := rep.Files[0]; f.Used+f.Rejected != f.Rows || f.Used != len(s.Rows) {
				t.Errorf("rows %d = used %d + rejected %d, kept %d", f.Rows, f.Used, f.Rejected, len(s.Rows))
			}
		})
	}
	_, err := calibrate.ReadSpend(calibrate.File{Name: "spend.csv", R: strings.NewReader("week,source,spend\n")}, calibrate.ReadOptions{}, &calibrate.Report{})
	if want := "spend.csv: header: no channel column (a spend file has week, channel, spend)"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestSettingNames: a program that sets the reader's options by other
// names (a command line's flags) has its messages name them so.
func TestSettingNames(t *testing.T) {
	names := calibrate.SettingNames{calibrate.SetMap: "--map", calibrate.SetDateFormat: "--date-format"}
	_, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv", R: strings.NewReader("name,email\nx,y\n")}}, calibrate.ReadOptions{Names: names})
	if err == nil || err.Error() != `in.csv: header: no lead_id column, nor a created_at column that would make each row a lead (use --map lead_id=COLUMN or created_at=COLUMN); the header is "name", "email"; no column holds dates, which a history needs (at least the date each lead was created)` {
		t.Errorf("error %v, want it to name --map", err)
	}
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv", R: strings.NewReader("lead_id,created_at\na,soon\nb,2025-01-01\n")}}, calibrate.ReadOptions{Names: names})
	if err != nil {
		t.Fatal(err)
	}
	if r := h.Report.Rejected; len(r) != 1 || !strings.HasSuffix(r[0].Examples[0], "give --date-format") {
		t.Errorf("rejected %+v, want the date format named --date-format", r)
	}
}

// TestCancelled: reading and estimating stop with the context's error
// once it is done.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rows := "lead_id,created_at\n" + strings.Repeat("a,2025-01-01\n", 10)
	if _, err := calibrate.Read(ctx, []calibrate.File{{Name: "in.csv", R: strings.NewReader(rows)}}, calibrate.ReadOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Read: %v, want context.Canceled", err)
	}
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv", R: strings.NewReader(rows)}}, calibrate.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calibrate.Estimate(ctx, h, calibrate.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Estimate: %v, want context.Canceled", err)
	}
}

// TestMaxRejected: a history of which more than MaxRejected of the rows
// are rejected is refused, with the count of each reason, and a mapped
// lead_id whose values repeat is named as no id.
func TestMaxRejected(t *testing.T) {
	rows := "deal,created_at\n" + strings.Repeat("x,2025-01-01\n", 9) + "y,2025-01-02\n"
	read := func(max float64) error {
		_, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv", R: strings.NewReader(rows)}}, calibrate.ReadOptions{Map: map[string]string{"lead_id": "deal"}, MaxRejected: max})
		return err
	}
	err := read(0.05)
	if err == nil || !strings.Contains(err.Error(), "8 of 10 rows rejected (80.0%), more than the 5% allowed") ||
		!strings.Contains(err.Error(), "8 duplicate lead_id") || !strings.Contains(err.Error(), `lead_id is the column "deal", whose values repeat`) {
		t.Errorf("error %v", err)
	}
	if err := read(0.9); err != nil {
		t.Errorf("80%% rejected with 90%% allowed: %v", err)
	}
	if err := read(0); err != nil {
		t.Errorf("no limit: %v", err)
	}
}

// TestImportGuesses: an export with no id column and dates such as
// 27-Mar-12 (single-digit days too) is read without flags, each guess
// said in the report; dates that read both month first and day first are
// an error that names both layouts.
func TestImportGuesses(t *testing.T) {
	bids := "\ufeffcreated_at,outcome,closed_at,amount\n27-Mar-12,won,3-Apr-12,100\n3-Mar-12,lost,9-Apr-12,\n14-Mar-12,engaging,,\n"
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "bids.csv", R: strings.NewReader(bids)}}, calibrate.ReadOptions{Stages: []string{"engaging"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Leads) != 3 || h.Leads[0].ID != "2" || h.Leads[1].Reached[0].Day() != 3 || !h.Leads[0].Won.Equal(time.Date(2012, 4, 3, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("leads %+v", h.Leads)
	}
	for _, want := range []string{"no lead_id column: each row is a lead of its own", `dates read as 2-Jan-06 (such as "27-Mar-12")`} {
		if !slices.ContainsFunc(h.Report.Warnings, func(w string) bool { return strings.Contains(w, want) }) {
			t.Errorf("no warning with %q in %q", want, h.Report.Warnings)
		}
	}
	us := "lead_id,created_at\na,3/4/2012\nb,5/6/2012\n"
	_, err = calibrate.Read(context.Background(), []calibrate.File{{Name: "us.csv", R: strings.NewReader(us)}}, calibrate.ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), `dates such as "3/4/2012" read both month first and day first: give ReadOptions.DateFormat 1/2/2006 or ReadOptions.DateFormat 2/1/2006`) {
		t.Errorf("ambiguous dates: %v", err)
	}
	us += "c,12/25/2012\n" // only month first reads it
	h, err = calibrate.Read(context.Background(), []calibrate.File{{Name: "us.csv", R: strings.NewReader(us)}}, calibrate.ReadOptions{})
	if err != nil || h.Leads[2].Reached[0].Month() != time.December {
		t.Errorf("12/25/2012: %v, %+v", err, h)
	}
	// Spreadsheet serial days: 41000 is 2012-04-01, 41000.5 its noon.
	serial := "lead_id,created_at,won_at\na,41000,41007.5\nb,40999,\n"
	h, err = calibrate.Read(context.Background(), []calibrate.File{{Name: "sheet.csv", R: strings.NewReader(serial)}}, calibrate.ReadOptions{Stages: []string{"lead"}})
	if err != nil || !h.Leads[0].Reached[0].Equal(time.Date(2012, 4, 1, 0, 0, 0, 0, time.UTC)) || !h.Leads[0].Won.Equal(time.Date(2012, 4, 8, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("serial days: %v, %+v", err, h)
	}
	if want := "dates read as spreadsheet serial days (such as 41000, 2012-04-01)"; !slices.ContainsFunc(h.Report.Warnings, func(w string) bool { return strings.Contains(w, want) }) {
		t.Errorf("no warning with %q in %q", want, h.Report.Warnings)
	}
}

// TestHeaderSuggestions: a header the reader cannot place is an error that
// lists it and proposes a mapping from the closest names, or the preset
// whose export it looks like.
func TestHeaderSuggestions(t *testing.T) {
	for _, c := range []struct{ header, want string }{
		{"Deal,Created On,Result,Closed On", `the header is "Deal", "Created On", "Result", "Closed On"; perhaps ReadOptions.Map 'lead_id=Deal,created_at=Created On,outcome=Result,closed_at=Closed On'`},
		{"Id,Create Date,Deal Stage,Close Date", "it looks like HubSpot deals, from the deals view's export: try ReadOptions.Preset hubspot"},
	} {
		in := c.header + "\n1,2024-01-01,won,2024-02-01\n"
		_, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv", R: strings.NewReader(in)}}, calibrate.ReadOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("header %s: %v, want %q", c.header, err, c.want)
		}
	}
}

// TestReadProgress: the reader reports the bytes read, rising, up to the
// files' size.
func TestReadProgress(t *testing.T) {
	var b strings.Builder
	b.WriteString("lead_id,created_at\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "l%d,2025-01-%02d\n", i, 1+i%28)
	}
	text := b.String()
	var calls []int64
	o := calibrate.ReadOptions{Progress: func(read, total int64) {
		if total != int64(len(text)) {
			t.Fatalf("total %d, want %d", total, len(text))
		}
		calls = append(calls, read)
	}}
	if _, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "in.csv", R: strings.NewReader(text), Size: int64(len(text))}}, o); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 4 || !slices.IsSorted(calls) || calls[len(calls)-1] > int64(len(text)) {
		t.Errorf("progress %v over %d bytes", calls, len(text))
	}
}
