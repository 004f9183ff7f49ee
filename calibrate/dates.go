package calibrate

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// isoLayouts are the ISO 8601 dates and date-times recognised without a
// --date-format.
var isoLayouts = []string{
	time.DateOnly,
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	time.DateTime,
	"2006-01-02 15:04",
	"2006-01-02 15:04:05.999999999",
}

// ParseTime parses an ISO 8601 date or date-time, or, when layout is not
// empty, a value in that Go time layout. Times without a zone are UTC. Its
// error is a *DateError.
func ParseTime(s, layout string) (time.Time, error) {
	if layout == ExcelSerial {
		return excelSerial(s)
	}
	if layout != "" {
		t, err := time.Parse(layout, s)
		if err != nil {
			return time.Time{}, &DateError{Value: s, Layout: layout}
		}
		return t.UTC(), nil
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	if t, ok := leapSecond(s); ok {
		return t, nil
	}
	return time.Time{}, &DateError{Value: s}
}

// DateError is a value that is not a date in the layout given, or, with
// none, not an ISO 8601 date.
type DateError struct {
	Value, Layout string
	// Names names the date format setting in the message.
	Names SettingNames
}

func (e *DateError) Error() string {
	if e.Layout != "" {
		return fmt.Sprintf("%q does not match %s %q", e.Value, e.Names.of(SetDateFormat), e.Layout)
	}
	return fmt.Sprintf("%q is not an ISO date (YYYY-MM-DD[THH:MM[:SS][zone]]); give %s", e.Value, e.Names.of(SetDateFormat))
}

// leapSecond parses an ISO date-time at a leap second (23:59:60), which
// Go's time does not represent, as the second after 23:59:59.
func leapSecond(s string) (time.Time, bool) {
	i := strings.Index(s, "23:59:60")
	if i < 11 {
		return time.Time{}, false
	}
	t, err := ParseTime(s[:i]+"23:59:59"+s[i+8:], "")
	if err != nil {
		return time.Time{}, false
	}
	return t.Add(time.Second), true
}

// ExcelSerial is the date format of spreadsheet serial days: days since
// 1899-12-30 (Excel's and LibreOffice's day 0 in the 1900 system, past
// its phantom 29 February 1900), a fraction being the time of day.
const ExcelSerial = "excel"

// excelSerialRange bounds the serial days read as dates: 1954 to 2119, so
// that counts and amounts are not taken for dates.
var excelSerialRange = [2]float64{20000, 80000}

func excelSerial(s string) (time.Time, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(v >= excelSerialRange[0] && v < excelSerialRange[1]) {
		return time.Time{}, &DateError{Value: s, Layout: ExcelSerial}
	}
	day := math.Floor(v)
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(day))
	return t.Add(time.Duration(math.Round((v-day)*86400)) * time.Second), nil
}
