package calibrate_test

import (
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
)

// FuzzParseTime feeds arbitrary text and layouts to the date parser: it
// must not panic, and a date it accepts must print back to a date it
// accepts as the same instant.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2025-01-02", "2025-01-02T03:04", "2025-01-02 03:04:05", "2025-01-02T03:04:05Z", "2025-01-02T03:04:05+02:00", "31/02/2025", "", "9999-12-31", "0001-01-01T00:00", "2025-13-01", "2016-12-31T23:59:60Z", "2016-12-31 23:59:60"} {
		f.Add(s, "")
	}
	f.Add("02/01/2025", "02/01/2006")
	f.Fuzz(func(t *testing.T, s, layout string) {
		at, err := calibrate.ParseTime(s, layout)
		if err != nil {
			return
		}
		back, err := calibrate.ParseTime(at.Format(time.RFC3339Nano), "")
		if err == nil && !back.Equal(at) {
			t.Fatalf("%q read as %v, printed and read again as %v", s, at, back)
		}
	})
}

// TestLeapSecond: a leap second is read as the second after 23:59:59, not
// refused as a date that is not ISO.
func TestLeapSecond(t *testing.T) {
	for _, s := range []string{"2016-12-31T23:59:60Z", "2016-12-31 23:59:60", "2016-12-31T23:59:60+00:00"} {
		got, err := calibrate.ParseTime(s, "")
		if want := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC); err != nil || !got.Equal(want) {
			t.Errorf("%q: %v, %v; want %v", s, got, err, want)
		}
	}
	if _, err := calibrate.ParseTime("2016-12-31T23:59:61Z", ""); err == nil {
		t.Error("second 61 accepted")
	}
}
