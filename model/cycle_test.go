package model_test

import (
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// TestQuarterCycleMoves checks the cycle's direction in the oracle: a
// higher hazard of advancing and a lower one of loss win more, and a push in the month the
// horizon ends in wins more than the same push at the quarter's start.
func TestQuarterCycleMoves(t *testing.T) {
	wins := func(c *model.QuarterCycle) float64 {
		m := sample.Model()
		m.Reps.Unlimited = true
		m.QuarterCycle = c
		e, err := model.Expect(m, 6) // 2026-11-20 to 2026-12-31: months 2 and 3 of 2026Q4
		if err != nil {
			t.Fatal(err)
		}
		return e.Wins
	}
	base := wins(nil)
	if got := wins(&model.QuarterCycle{Advance: [3]float64{1, 1, 1}, Loss: [3]float64{1, 1, 1}}); got != base {
		t.Errorf("a cycle of ones: %v wins, without one %v", got, base)
	}
	if faster := wins(&model.QuarterCycle{Advance: [3]float64{1.5, 1.5, 1.5}, Loss: [3]float64{0.8, 0.8, 0.8}}); faster <= base {
		t.Errorf("more advancing and fewer losses: %v wins, not more than %v", faster, base)
	}
	late := wins(&model.QuarterCycle{Advance: [3]float64{1, 1, 2}, Loss: [3]float64{1, 1, 0.5}})
	early := wins(&model.QuarterCycle{Advance: [3]float64{2, 1, 1}, Loss: [3]float64{0.5, 1, 1}})
	if late <= early || early != base {
		t.Errorf("a push in the horizon's last month: %v wins; in the quarter's first (outside the horizon): %v; none: %v", late, early, base)
	}
	for _, c := range []struct {
		day   string
		start int
		want  int
	}{{"2026-11-20", 0, 1}, {"2026-12-31", 0, 2}, {"2027-01-01", 0, 0}, {"2026-11-20", 2, 0}, {"2026-12-01", 2, 1}} {
		d, _ := time.Parse(time.DateOnly, c.day)
		if got := model.MonthOfQuarter(c.start, d); got != c.want {
			t.Errorf("%s, year from month %d: month %d of the quarter, want %d", c.day, c.start, got, c.want)
		}
	}
}
