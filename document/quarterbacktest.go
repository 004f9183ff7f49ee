package document

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnelsim/backtest"
)

// QuarterBacktest is a quarter-aligned backtest's document: per target and
// offset into the quarter, the model's coverage, error and skill; and
// every outcome.
type QuarterBacktest struct {
	Methods  []string              `json:"methods"`
	Summary  []QuarterBacktestRow  `json:"summary"`
	Outcomes []QuarterBacktestItem `json:"outcomes"`
	Notes    []string              `json:"notes"`
}

// QuarterBacktestRow is one target's forecasts from one offset.
type QuarterBacktestRow struct {
	Target      string              `json:"target"`
	OffsetWeeks int                 `json:"offset_weeks"`
	N           int                 `json:"n"`
	Covered80   int                 `json:"covered_80"`
	BandLo      int                 `json:"band_lo"`
	BandHi      int                 `json:"band_hi"`
	ScaledCRPS  *float64            `json:"scaled_crps"`
	MedianError *float64            `json:"median_abs_error"`
	Skill       map[string]*float64 `json:"skill"`
}

// QuarterBacktestItem is one forecast, scored.
type QuarterBacktestItem struct {
	Quarter     string   `json:"quarter"`
	OffsetWeeks int      `json:"offset_weeks"`
	Origin      string   `json:"origin"`
	Target      string   `json:"target"`
	Booked      float64  `json:"booked"`
	Actual      float64  `json:"actual"`
	P10         *float64 `json:"p10"`
	P50         *float64 `json:"p50"`
	P90         *float64 `json:"p90"`
	CRPS        *float64 `json:"crps"`
}

// NewQuarterBacktest is res's document.
func NewQuarterBacktest(res *backtest.QuarterResult) *QuarterBacktest {
	d := &QuarterBacktest{Notes: res.Notes}
	for _, m := range backtest.QuarterMethods {
		d.Methods = append(d.Methods, strings.ReplaceAll(m, "-", "_"))
	}
	if d.Notes == nil {
		d.Notes = []string{}
	}
	for _, s := range res.Summary() {
		row := QuarterBacktestRow{Target: s.Target, OffsetWeeks: s.Offset, N: s.N, Covered80: s.Covered, BandLo: s.Lo, BandHi: s.Hi,
			ScaledCRPS: Num(s.Scaled), MedianError: Num(s.MedianError), Skill: map[string]*float64{}}
		for j, x := range s.Skill {
			row.Skill[d.Methods[j+1]] = Num(x)
		}
		d.Summary = append(d.Summary, row)
	}
	for _, o := range res.Outcomes {
		m := o.Scores[0]
		d.Outcomes = append(d.Outcomes, QuarterBacktestItem{Quarter: o.Quarter, OffsetWeeks: o.Offset, Origin: o.Origin.Format(time.DateOnly), Target: o.Target,
			Booked: o.Booked, Actual: o.Actual, P10: Num(m.P10), P50: Num(m.P50), P90: Num(m.P90), CRPS: Num(m.CRPS)})
	}
	return d
}

// WriteText writes the summary table: per target and offset, the
// forecasts scored, the model's 80% coverage against its band, its scaled
// CRPS, the median absolute error of its median, and its skill against
// each baseline.
func (d *QuarterBacktest) WriteText(w io.Writer) error {
	fmt.Fprintln(w, "Quarter-end forecasts (booked to date plus the rest), by weeks into the quarter")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "target\tweek\tquarters\t80% covered\tband\tscaled CRPS\tmedian error\t")
	for _, m := range d.Methods[1:] {
		fmt.Fprintf(tw, "skill vs %s\t", m)
	}
	fmt.Fprintln(tw)
	for _, r := range d.Summary {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d-%d\t%s\t%s\t", r.Target, r.OffsetWeeks, r.N, r.Covered80, r.BandLo, r.BandHi, fixed(r.ScaledCRPS, 3), percent(r.MedianError))
		for _, m := range d.Methods[1:] {
			fmt.Fprintf(tw, "%s\t", skillText(orNaN(r.Skill[m])))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nscaled CRPS: the CRPS over the mean outcome (lower is better); median error: the median of |P50 - actual| / actual; skill: 1 - CRPS(model)/CRPS(baseline), positive when the model is better.")
	for _, n := range d.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

func fixed(x *float64, digits int) string {
	if x == nil {
		return "-"
	}
	return strconv.FormatFloat(*x, 'f', digits, 64)
}

func percent(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100**x)
}

// orNaN is *x, or NaN for none.
func orNaN(x *float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x
}

// WriteCSV writes every scored forecast, a row each.
func (d *QuarterBacktest) WriteCSV(w io.Writer) error {
	header := []string{"quarter", "offset_weeks", "origin", "target", "booked", "actual", "p10", "p50", "p90", "crps"}
	var rows [][]string
	for _, o := range d.Outcomes {
		rows = append(rows, []string{o.Quarter, strconv.Itoa(o.OffsetWeeks), o.Origin, o.Target, csvFloat(o.Booked), csvFloat(o.Actual), csvNum(o.P10), csvNum(o.P50), csvNum(o.P90), csvNum(o.CRPS)})
	}
	return csvTable(w, header, rows)
}
