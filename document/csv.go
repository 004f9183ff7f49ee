package document

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/funnelsim/funnelsim/internal/cell"
	"github.com/funnelsim/funnelsim/model"
)

// The CSV files are for spreadsheets: one table each, a header row of
// snake_case names, numbers plain (no thousands separators, a point for
// decimals, as many digits as they need), an empty cell for a number that
// is not defined, and text from the data (names of scenarios, channels,
// stages) written so that a spreadsheet shows it rather than running it
// as a formula. Every row says which run it is from.

// csvNum is x as a CSV cell.
func csvNum(x *float64) string {
	if x == nil {
		return ""
	}
	return csvFloat(*x)
}

func csvFloat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// csvTable writes a header and rows, text cells made safe.
func csvTable(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		for i := range r {
			r[i] = cell.Safe(r[i])
		}
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// summaryKeys are a Summary's numbers in the CSV's column order.
var summaryKeys = []string{"mean", "mean_mcse", "sd", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p50_mcse"}

// run is the columns that say which run a row is from.
func (f *Forecast) run() []string {
	return []string{f.Model, f.Start, strconv.Itoa(f.Weeks), strconv.Itoa(f.Trials), strconv.FormatUint(f.Seed, 10)}
}

var runColumns = []string{"model", "start", "weeks", "trials", "seed"}

// WriteCSV writes the forecast as a table: a row per metric (its label,
// side, unit and summary) and, with a target, a row p_target whose mean
// is the chance revenue reaches it.
func (f *Forecast) WriteCSV(w io.Writer) error {
	return csvTable(w, forecastColumns(), f.csvRows())
}

func forecastColumns() []string {
	header := append(append([]string{}, runColumns...), "metric", "label", "side", "unit")
	return append(header, summaryKeys...)
}

// csvRows are the forecast's rows of its CSV table.
func (f *Forecast) csvRows() [][]string {
	var rows [][]string
	for _, m := range f.result.Metrics {
		row := append(f.run(), m.Name, m.Label, m.Side.String(), m.Unit.String())
		s := f.Metrics[m.Name]
		for _, k := range summaryKeys {
			row = append(row, csvNum(s[k]))
		}
		rows = append(rows, row)
	}
	if f.PTarget != nil {
		row := append(f.run(), "p_target", fmt.Sprintf("chance revenue reaches %s", csvNum(f.Target)), "sales", model.Ratio.String(), csvNum(f.PTarget), csvNum(f.PTargetMCSE))
		rows = append(rows, append(row, make([]string, len(summaryKeys)-2)...))
	}
	if f.Quarter != nil {
		rows = append(rows, f.Quarter.csvRows(f.run())...)
	}
	for _, m := range f.result.Metrics {
		if s, ok := f.Raw[m.Name]; ok {
			row := append(f.run(), "raw."+m.Name, m.Label+" (model alone)", m.Side.String(), m.Unit.String())
			for _, k := range summaryKeys {
				row = append(row, csvNum(s[k]))
			}
			rows = append(rows, row)
		}
	}
	return append(rows, trustRows(f.run(), f.Combined, f.TrackRecord, 2+len(summaryKeys))...)
}

// trustRows are the CSV rows of the combination's note and the track
// record's lines: prefix, then "combined" or "track_record" in the metric
// column and the text in the label column, then blanks empty cells.
func trustRows(prefix []string, combined string, lines []string, blanks int) [][]string {
	var rows [][]string
	add := func(metric, text string) {
		row := append(slices.Clone(prefix), metric, text)
		rows = append(rows, append(row, make([]string, blanks)...))
	}
	if combined != "" {
		add("combined", combined)
	}
	for _, l := range lines {
		add("track_record", l)
	}
	return rows
}

// WriteCSV writes the comparison as a table: a row per run and metric,
// each scenario's with its paired difference from the baseline (mean,
// P10, P50, P90 and standard error) and the shares of trials in which it
// does better and worse (the rest are ties).
func (c *Compare) WriteCSV(w io.Writer) error {
	header := append(append([]string{}, runColumns...), "scenario", "metric", "label", "unit", "mean", "p10", "p50", "p90",
		"delta_mean", "delta_p10", "delta_p50", "delta_p90", "delta_paired_se", "p_better", "p_worse")
	var rows [][]string
	add := func(name string, f *Forecast, s *Scenario) {
		for _, m := range c.Baseline.result.Metrics {
			v := f.Metrics[m.Name]
			row := append(c.Baseline.run(), name, m.Name, m.Label, m.Unit.String(), csvNum(v["mean"]), csvNum(v["p10"]), csvNum(v["p50"]), csvNum(v["p90"]))
			if s == nil {
				rows = append(rows, append(row, make([]string, 7)...))
				continue
			}
			d := s.Delta[m.Name]
			rows = append(rows, append(row, csvNum(d.Summary["mean"]), csvNum(d.Summary["p10"]), csvNum(d.Summary["p50"]), csvNum(d.Summary["p90"]),
				csvNum(d.PairedSE), csvNum(d.PBetter), csvNum(d.PWorse)))
		}
	}
	add(c.comparison.Baseline.Model, c.Baseline, nil)
	for i := range c.Scenarios {
		add(c.Scenarios[i].Name, c.Scenarios[i].Forecast, &c.Scenarios[i])
	}
	rows = append(rows, trustRows(append(c.Baseline.run(), c.comparison.Baseline.Model), c.Baseline.Combined, c.Baseline.TrackRecord, 12)...)
	return csvTable(w, header, rows)
}

// WriteCSV writes the sweep as a table: a row per lever value, with
// revenue's P10, P50 and P90, wins' P50 and, with a target, the chance
// revenue reaches it.
func (s *Sweep) WriteCSV(w io.Writer) error {
	header := []string{"lever", "trials", "seed", "value", "revenue_p10", "revenue_p50", "revenue_p90", "revenue_p50_mcse", "wins_p50", "target", "p_target", "p_target_mcse"}
	var rows [][]string
	for _, p := range s.Points {
		rows = append(rows, []string{s.Lever, strconv.Itoa(s.Trials), strconv.FormatUint(s.Seed, 10), csvFloat(p.Value),
			csvNum(p.Revenue["p10"]), csvNum(p.Revenue["p50"]), csvNum(p.Revenue["p90"]), csvNum(p.Revenue["p50_mcse"]), csvNum(p.Wins["p50"]),
			csvFloat(s.run.Target), csvNum(p.PTarget), csvNum(p.PTargetMCSE)})
	}
	return csvTable(w, header, rows)
}

// WriteCSV writes the goal seek's answer as one row.
func (d *Goal) WriteCSV(w io.Writer) error {
	header := []string{"lever", "trials", "seed", "target", "confidence", "reached", "value", "p_target", "p_target_mcse", "below_value", "below_p_target", "runs", "track_record"}
	row := []string{d.Lever, strconv.Itoa(d.run.Trials), strconv.FormatUint(d.run.Seed, 10), csvFloat(d.Target), csvFloat(d.Confidence), strconv.FormatBool(d.Reached), csvNum(d.Value)}
	if d.At != nil {
		row = append(row, csvNum(d.At.PTarget), csvNum(d.At.PTargetMCSE))
	} else {
		row = append(row, "", "")
	}
	if d.Below != nil {
		row = append(row, csvFloat(d.Below.Value), csvNum(d.Below.PTarget))
	} else {
		row = append(row, "", "")
	}
	return csvTable(w, header, [][]string{append(row, strconv.Itoa(d.Runs), strings.Join(d.TrackRecord, " | "))})
}

// WriteCSV writes the backtest's summary as a table: a row per target and
// method.
func (d *Backtest) WriteCSV(w io.Writer) error {
	res := d.res
	header := []string{"first_origin", "last_origin", "origins", "target", "method", "n", "crps", "scaled_crps", "pinball", "model_skill", "cover50", "cover80", "cover90", "pit_mean"}
	var rows [][]string
	first, last := res.Origins[0].Format(time.DateOnly), res.Origins[len(res.Origins)-1].Format(time.DateOnly)
	for _, s := range res.Summary() {
		for k, m := range s.Methods {
			skill := ""
			if k > 0 {
				skill = csvFloat(m.Skill)
			}
			rows = append(rows, []string{first, last, strconv.Itoa(len(res.Origins)), s.Target, jsonName(m.Method), strconv.Itoa(m.N), csvFloat(m.CRPS), csvFloat(m.Scaled), csvFloat(m.Pinball),
				skill, csvFloat(m.Cover50), csvFloat(m.Cover80), csvFloat(m.Cover90), csvFloat(m.PITMean)})
		}
	}
	return csvTable(w, header, rows)
}

// WriteCSV writes the model's funnel rates as a table: a row per stage,
// over all channels (channel empty) and for each, with the eventual
// conversion, its 90% interval and the median weeks in the stage.
func (c *Calibration) WriteCSV(w io.Writer) error {
	m := c.m
	header := []string{"model", "as_of", "stage", "channel", "conversion", "conversion_p5", "conversion_p95", "median_weeks"}
	var rows [][]string
	for _, k := range c.conv {
		rows = append(rows, []string{m.Name, m.AsOf.String(), k.Stage, k.Channel, csvFloat(k.Mean), csvFloat(k.P5), csvFloat(k.P95), csvFloat(k.MedianWeeks)})
	}
	return csvTable(w, header, rows)
}
