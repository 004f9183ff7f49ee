package document

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"github.com/funnelsim/funnelsim/model"
)

// Portfolio is a portfolio's document: the forecast of its total, with
// the weekly summaries, and of each part.
type Portfolio struct {
	Total *Forecast   `json:"total"`
	Parts []*Forecast `json:"parts"`
}

// NewPortfolio is the document of a portfolio's total and parts
// (model.RunPortfolio); target, where it is a number, adds the chance
// that revenue reaches it, for the total and each part.
func NewPortfolio(total *model.Result, parts []*model.Result, target float64) *Portfolio {
	p := &Portfolio{Total: NewForecast(total, target)}
	for _, r := range parts {
		p.Parts = append(p.Parts, NewForecastTotals(r, target))
	}
	return p
}

// WriteText writes the total's forecast, then a row per part.
func (p *Portfolio) WriteText(w io.Writer) error {
	if err := p.Total.WriteText(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nBY MODEL (each drawn independently of the others)\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "\trevenue P10\tP50\tP90\twins P50\t"
	if p.Total.Target != nil {
		head += fmt.Sprintf("P(revenue >= %s)\t", Thousands(*p.Total.Target))
	}
	fmt.Fprintln(tw, head)
	for _, f := range append(p.Parts, p.Total) {
		rev, wins := f.Metrics["revenue"], f.Metrics["wins"]
		name := f.Model
		if f == p.Total {
			name = "total"
		}
		row := fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t", name, Thousands(*rev["p10"]), Thousands(*rev["p50"]), Thousands(*rev["p90"]), Thousands(*wins["p50"]))
		if f.PTarget != nil && !math.IsNaN(*f.PTarget) {
			row += fmt.Sprintf("%.3f\t", *f.PTarget)
		}
		fmt.Fprintln(tw, row)
	}
	return tw.Flush()
}

// WriteCSV writes the total's and each part's forecast as one table, the
// model column telling them apart.
func (p *Portfolio) WriteCSV(w io.Writer) error {
	rows := p.Total.csvRows()
	for _, f := range p.Parts {
		rows = append(rows, f.csvRows()...)
	}
	return csvTable(w, forecastColumns(), rows)
}
