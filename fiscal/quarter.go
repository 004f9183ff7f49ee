package fiscal

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Quarter is one fiscal quarter: Year is the fiscal year (named by the
// calendar year it ends in), Q is 1 to 4, and the quarter runs from Start
// to the day before End (both midnight UTC).
type Quarter struct {
	Year, Q    int
	Start, End time.Time
}

// String writes the quarter as 2027Q1.
func (q Quarter) String() string { return fmt.Sprintf("%dQ%d", q.Year, q.Q) }

// Last is the quarter's last day.
func (q Quarter) Last() time.Time { return q.End.AddDate(0, 0, -1) }

// Calendar is a fiscal calendar: the month its year starts in.
type Calendar struct{ StartMonth time.Month }

// Calendar's zero value starts the year in January.
func (c Calendar) start() time.Month {
	if c.StartMonth == 0 {
		return time.January
	}
	return c.StartMonth
}

// Quarter returns fiscal year y's quarter q.
func (c Calendar) Quarter(y, q int) Quarter {
	m := c.start()
	// FY y ends in the calendar year y: it starts in y-1 unless it
	// starts in January.
	startYear := y
	if m != time.January {
		startYear = y - 1
	}
	s := time.Date(startYear, m+time.Month(3*(q-1)), 1, 0, 0, 0, 0, time.UTC)
	return Quarter{Year: y, Q: q, Start: s, End: s.AddDate(0, 3, 0)}
}

// Of returns the quarter that holds day t.
func (c Calendar) Of(t time.Time) Quarter {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	months := (int(t.Month()) - int(c.start()) + 12) % 12 // months into the fiscal year
	y := t.Year()
	if c.start() != time.January && t.Month() >= c.start() {
		y++
	}
	return c.Quarter(y, months/3+1)
}

// Next returns the quarter after q.
func (c Calendar) Next(q Quarter) Quarter { return c.Of(q.End) }

// Parse reads a quarter: 2027Q1 (or 2027-Q1, FY2027Q1, lower case too),
// current (the quarter holding asOf) or next (the one after it).
func (c Calendar) Parse(s string, asOf time.Time) (Quarter, error) {
	v := strings.ToUpper(strings.TrimSpace(s))
	switch v {
	case "CURRENT":
		return c.Of(asOf), nil
	case "NEXT":
		return c.Next(c.Of(asOf)), nil
	}
	v = strings.TrimPrefix(v, "FY")
	y, q, ok := strings.Cut(strings.ReplaceAll(v, "-", ""), "Q")
	year, err1 := strconv.Atoi(y)
	n, err2 := strconv.Atoi(q)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > 4 || year < 1900 || year > 2999 {
		return Quarter{}, fmt.Errorf("quarter %q is not YYYYQN (2027Q1), current or next", s)
	}
	return c.Quarter(year, n), nil
}

// ParseMonth reads a month as a number (2) or a name (feb, February).
func ParseMonth(s string) (time.Month, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 12 {
			return 0, fmt.Errorf("month %d is not 1..12", n)
		}
		return time.Month(n), nil
	}
	for m := time.January; m <= time.December; m++ {
		if name := strings.ToLower(s); name == strings.ToLower(m.String()) || name == strings.ToLower(m.String()[:3]) {
			return m, nil
		}
	}
	return 0, fmt.Errorf("%q is not a month (2, feb or february)", s)
}
