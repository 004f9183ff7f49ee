package document

import "io"

// Document is what a command writes: a table for people (WriteText), the
// same results as a CSV table for spreadsheets (WriteCSV), and, marshalled
// by encoding/json, as JSON.
type Document interface {
	WriteText(w io.Writer) error
	WriteCSV(w io.Writer) error
}

var (
	_ Document = (*Backtest)(nil)
	_ Document = (*Compare)(nil)
	_ Document = (*Forecast)(nil)
	_ Document = (*Goal)(nil)
	_ Document = (*Grid)(nil)
	_ Document = (*Optimum)(nil)
	_ Document = (*Portfolio)(nil)
	_ Document = (*Qualify)(nil)
	_ Document = (*QuarterBacktest)(nil)
	_ Document = (*Sweep)(nil)
	_ Document = (*Calibration)(nil)
)
