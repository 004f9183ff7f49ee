package calibrate

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// dateLayouts are the layouts a history's dates are read in when they are
// not ISO 8601 and no date format is given: found from a file's first
// rows, each tried on every date value there. A layout's one-digit day
// and month read two digits too (02-Jan-06 as 2-Jan-06).
var dateLayouts = []string{
	"2-Jan-06", "2-Jan-2006", "2 Jan 2006", "Jan 2, 2006", "January 2, 2006", "2 January 2006",
	"1/2/2006", "2/1/2006", "1/2/06", "2/1/06", "2006/1/2", "2.1.2006", "2.1.06",
	"1/2/2006 15:04", "2/1/2006 15:04", "1/2/2006 15:04:05", "2/1/2006 15:04:05", "1/2/2006 3:04 PM", "1/2/2006 3:04:05 PM",
	"2.1.2006 15:04", "2.1.2006 15:04:05", "2-Jan-06 15:04", "2-Jan-2006 15:04",
	ExcelSerial,
}

// dayFirst pairs the layouts that read the same values month first and
// day first: where both read every value, the dates are ambiguous.
var dayFirst = map[string]string{
	"1/2/2006": "2/1/2006", "1/2/06": "2/1/06", "1/2/2006 15:04": "2/1/2006 15:04", "1/2/2006 15:04:05": "2/1/2006 15:04:05",
}

// dateColumn says whether a canonical column holds dates.
func dateColumn(name string) bool {
	return name == "created_at" || name == "at" || name == "closed_at" || strings.HasSuffix(name, "_at")
}

// detectLayout finds, where the file's dates are not ISO 8601 and no date
// format is given, the one layout that reads every date value of its
// first rows (sampleRows). It returns "" for ISO dates or none to go on,
// and an error where the values read both month first and day first.
func (rd *reader) detectLayout(name string, rows [][]string, cols columns) (string, error) {
	if rd.o.DateFormat != "" {
		return "", nil
	}
	var dates []int // the date columns, in the header's order
	for c, i := range cols {
		if dateColumn(c) {
			dates = append(dates, i)
		}
	}
	slices.Sort(dates)
	var values []string
	for _, rec := range rows {
		for _, i := range dates {
			if i < len(rec) {
				if v := strings.TrimSpace(rec[i]); v != "" {
					values = append(values, v)
				}
			}
		}
	}
	iso := true
	for _, v := range values {
		if _, err := ParseTime(v, ""); err != nil {
			iso = false
			break
		}
	}
	if iso || len(values) == 0 {
		return "", nil
	}
	var fit []string
	for _, l := range dateLayouts {
		if !slices.ContainsFunc(values, func(v string) bool { _, err := ParseTime(v, l); return err != nil }) {
			fit = append(fit, l)
		}
	}
	if len(fit) == 0 {
		return "", nil // each value says what is wrong with it
	}
	if d, ok := dayFirst[fit[0]]; ok && slices.Contains(fit, d) {
		return "", fmt.Errorf("%s: dates such as %q read both month first and day first: give %s %s or %s %s",
			name, values[0], rd.o.Names.of(SetDateFormat), fit[0], rd.o.Names.of(SetDateFormat), d)
	}
	if fit[0] == ExcelSerial {
		t, _ := ParseTime(values[0], ExcelSerial)
		rd.h.Report.warn("%s: dates read as spreadsheet serial days (such as %s, %s), the layout found from the file's first rows (%s sets it)", name, values[0], t.Format(time.DateOnly), rd.o.Names.of(SetDateFormat))
		return fit[0], nil
	}
	rd.h.Report.warn("%s: dates read as %s (such as %q), the layout found from the file's first rows (%s sets it)", name, fit[0], values[0], rd.o.Names.of(SetDateFormat))
	return fit[0], nil
}
