package fiscal

import (
	"fmt"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParse(t *testing.T) {
	asOf := day("2026-11-20")
	for _, tc := range []struct {
		in         string
		start      time.Month
		want       string
		first, end string
	}{
		{"2027Q1", 0, "2027Q1", "2027-01-01", "2027-04-01"},
		{"2017q4", 0, "2017Q4", "2017-10-01", "2018-01-01"},
		{"FY2027-Q1", time.February, "2027Q1", "2026-02-01", "2026-05-01"},
		{"current", 0, "2026Q4", "2026-10-01", "2027-01-01"},
		{"next", 0, "2027Q1", "2027-01-01", "2027-04-01"},
		{"current", time.February, "2027Q4", "2026-11-01", "2027-02-01"},
		{"next", time.February, "2028Q1", "2027-02-01", "2027-05-01"},
		{"current", time.July, "2027Q2", "2026-10-01", "2027-01-01"},
		{"2027Q4", time.July, "2027Q4", "2027-04-01", "2027-07-01"},
	} {
		c := Calendar{StartMonth: tc.start}
		q, err := c.Parse(tc.in, asOf)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if q.String() != tc.want || !q.Start.Equal(day(tc.first)) || !q.End.Equal(day(tc.end)) {
			t.Errorf("%s (start %v): got %s %s to %s, want %s %s to %s", tc.in, tc.start, q, q.Start.Format(time.DateOnly), q.End.Format(time.DateOnly), tc.want, tc.first, tc.end)
		}
	}
	for _, bad := range []string{"", "2027", "2027Q5", "Q1", "27Q1x", "last"} {
		if _, err := (Calendar{}).Parse(bad, asOf); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// Every day belongs to the quarter Of returns, and Next follows it with no
// gap, for every start month.
func TestOfCoversEveryDay(t *testing.T) {
	for m := time.January; m <= time.December; m++ {
		c := Calendar{StartMonth: m}
		for d := day("2024-01-01"); d.Before(day("2027-01-01")); d = d.AddDate(0, 0, 1) {
			q := c.Of(d)
			if d.Before(q.Start) || !d.Before(q.End) {
				t.Fatalf("start %v: %s not in %s", m, d.Format(time.DateOnly), q)
			}
			if n := c.Next(q); !n.Start.Equal(q.End) {
				t.Fatalf("start %v: %s then %s", m, q, n)
			}
			if q.Q == 1 && !q.Start.Equal(time.Date(q.Start.Year(), m, 1, 0, 0, 0, 0, time.UTC)) {
				t.Fatalf("start %v: %s starts %s", m, q, q.Start)
			}
			if q.Q == 4 && q.Last().Year() != q.Year {
				t.Fatalf("start %v: %s ends in %d", m, q, q.Last().Year())
			}
		}
	}
}

func ExampleCalendar_Parse() {
	c := Calendar{StartMonth: time.February}
	q, _ := c.Parse("2027Q1", time.Now())
	fmt.Println(q, q.Start.Format(time.DateOnly), q.Last().Format(time.DateOnly))
	// Output: 2027Q1 2026-02-01 2026-04-30
}
