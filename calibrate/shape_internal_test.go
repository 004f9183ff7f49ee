package calibrate

import (
	"fmt"
	"strings"
	"testing"
)

// TestShapes: each header is read as its layout, the first in shapes that
// claims it.
func TestShapes(t *testing.T) {
	cases := []struct {
		header    string
		haveLeads bool
		want      shape
	}{
		{"lead_id,created_at,mql_at,won_at", false, wideFile{}},
		{"lead_id,mql_at", true, wideFile{}},
		{"lead_id,stage,at", false, eventLog{}},
		{"lead_id,created_at,stage,at", false, eventLog{}},
		{"lead_id,created_at,outcome,closed_at", false, dealExport{}},
		{"lead_id,outcome,closed_at", true, dealExport{}},
	}
	for _, c := range cases {
		rd := &reader{o: ReadOptions{Stages: DefaultStages}, h: &History{}, mapped: map[string]bool{}}
		if c.haveLeads {
			rd.h.Leads = make([]Lead, 1)
		}
		cols, _ := rd.columns("in.csv", strings.Split(c.header, ","))
		got, err := rd.shape("in.csv", cols)
		if err != nil || fmt.Sprintf("%T", got) != fmt.Sprintf("%T", c.want) {
			t.Errorf("%s (leads read before: %v): %T, %v; want %T", c.header, c.haveLeads, got, err, c.want)
		}
	}
}
