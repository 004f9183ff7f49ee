package calibrate

import (
	"fmt"
	"slices"
	"strings"
)

// Preset is how a CRM's standard export reads: the header names its
// columns go by (for each canonical column, the first found in a file is
// used; a column mapped by ReadOptions.Map wins), the funnel's stages, and
// the stage values of its outcome column (compared without regard to
// case). An outcome value that is neither a stage nor in StageMap is a
// deal open in the stage Open.
type Preset struct {
	Name     string
	About    string // the export it reads, for the documentation
	Columns  map[string][]string
	Stages   []string
	StageMap map[string]string
	Open     string
}

// Presets are the exports funnelsim reads with no column mapping.
var Presets = []*Preset{
	{
		Name:  "salesforce",
		About: "Salesforce opportunities, from a report export (Details Only, CSV) or a Data Loader export of Opportunity",
		Columns: map[string][]string{
			"lead_id":    {"Opportunity ID", "Id"},
			"created_at": {"Created Date", "CreatedDate"},
			"outcome":    {"Stage", "StageName"},
			"closed_at":  {"Close Date", "CloseDate"},
			"amount":     {"Amount"},
			"channel":    {"Lead Source", "LeadSource"},
			"rep":        {"Opportunity Owner", "Owner", "OwnerId"},
		},
		Stages:   []string{"opportunity"},
		StageMap: map[string]string{"Closed Won": "won", "Closed Lost": "lost"},
		Open:     "opportunity",
	},
	{
		Name:  "hubspot",
		About: "HubSpot deals, from the deals view's export",
		Columns: map[string][]string{
			"lead_id":    {"Record ID", "Deal ID"},
			"created_at": {"Create Date"},
			"outcome":    {"Deal Stage"},
			"closed_at":  {"Close Date"},
			"amount":     {"Amount"},
			"channel":    {"Original Source Type", "Original Traffic Source", "Original Source"},
			"rep":        {"Deal owner", "Deal Owner"},
		},
		Stages:   []string{"opportunity"},
		StageMap: map[string]string{"Closed Won": "won", "Closed Lost": "lost"},
		Open:     "opportunity",
	},
	{
		Name:  "hubspot-contacts",
		About: "HubSpot contacts, from the contacts view's export with the lifecycle stage dates",
		Columns: map[string][]string{
			"lead_id":        {"Record ID", "Contact ID"},
			"created_at":     {"Create Date"},
			"mql_at":         {"Became a Marketing Qualified Lead Date"},
			"sql_at":         {"Became a Sales Qualified Lead Date"},
			"opportunity_at": {"Became an Opportunity Date"},
			"won_at":         {"Became a Customer Date"},
			"channel":        {"Original Source", "Original Traffic Source"},
			"rep":            {"Contact owner", "Contact Owner"},
		},
		Stages: []string{"lead", "mql", "sql", "opportunity"},
	},
	{
		Name:  "pipedrive",
		About: "Pipedrive deals, from the deals list's export",
		Columns: map[string][]string{
			"lead_id":    {"Deal - ID", "ID"},
			"created_at": {"Deal - Deal created", "Deal created"},
			"won_at":     {"Deal - Won time", "Won time"},
			"lost_at":    {"Deal - Lost time", "Lost time"},
			"amount":     {"Deal - Value", "Value"},
			"channel":    {"Deal - Source channel", "Source channel", "Deal - Source origin"},
			"rep":        {"Deal - Owner", "Owner"},
		},
		Stages: []string{"opportunity"},
	},
}

// PresetNamed returns the preset of that name, or an error listing them.
func PresetNamed(name string) (*Preset, error) {
	var names []string
	for _, p := range Presets {
		if strings.EqualFold(p.Name, name) {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("unknown preset %q; presets are %s", name, strings.Join(names, ", "))
}

// column returns the header index of canonical column c under the
// preset, from the lower-cased header's index.
func (p *Preset) column(c string, index map[string]int) (int, bool) {
	if p == nil {
		return 0, false
	}
	for _, name := range p.Columns[c] {
		if i, ok := index[strings.ToLower(name)]; ok {
			return i, true
		}
	}
	return 0, false
}

// outcome maps an outcome value to a stage, won or lost under the
// preset; ok is false where the preset says nothing of it.
func (p *Preset) outcome(v string, stages []string) (string, bool) {
	if p == nil {
		return "", false
	}
	for k, s := range p.StageMap {
		if strings.EqualFold(k, v) {
			return s, true
		}
	}
	lv := strings.ToLower(v)
	if p.Open != "" && lv != "won" && lv != "lost" && !slices.Contains(stages, lv) && v != "" {
		return p.Open, true
	}
	return "", false
}
