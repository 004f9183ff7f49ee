package qualify_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/qualify"
)

// deals writes n deals of each kind: budget known (yes) winning one in
// two, budget unknown (no) one in five; won deals are worth 1000 (yes) or
// 3000 (no). Two rows are bad: an outcome that is neither, and an amount
// that is not a number.
func deals(n int) string {
	var b strings.Builder
	b.WriteString("Budget_Known,Region,Stage,Value\n")
	for i := range n {
		won := "Closed Lost"
		if i%2 == 0 {
			won = "Closed Won"
		}
		fmt.Fprintf(&b, "yes,north,%s,1000\n", won)
		won = "Closed Lost"
		if i%5 == 0 {
			won = "Closed Won"
		}
		fmt.Fprintf(&b, "no,south,%s,3000\n", won)
	}
	b.WriteString("yes,north,Paused,1000\nno,south,Closed Won,lots\n")
	return b.String()
}

func read(t *testing.T, n int) *qualify.Deals {
	t.Helper()
	d, err := qualify.Read(context.Background(), calibrate.File{Name: "deals.csv", R: strings.NewReader(deals(n))},
		qualify.ReadOptions{Map: map[string]string{"outcome": "Stage", "amount": "Value"}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCompare: the rule's two sides are counted and summarized exactly,
// whatever the case of the names in the rule; deals with budget known win
// more often, surely; revenue per deal is the won amounts over the deals.
func TestCompare(t *testing.T) {
	d := read(t, 200)
	if got := d.History.Report.RejectedRows(); got != 2 {
		t.Errorf("%d rows rejected, want 2 (%+v)", got, d.History.Report.Rejected)
	}
	res, err := qualify.Compare(d, []qualify.Definition{{Name: "budget", Rule: `BUDGET_KNOWN == "yes"`}, {Name: "all", Rule: "true"}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.Pass.Deals != 200 || r.Pass.Wins != 100 || r.Fail.Deals != 200 || r.Fail.Wins != 40 {
		t.Fatalf("pass %+v, fail %+v", r.Pass, r.Fail)
	}
	if want := 100.5 / 201; math.Abs(r.Pass.WinRate-want) > 1e-12 || !(r.Pass.WinLo < 0.5 && r.Pass.WinHi > 0.5) {
		t.Errorf("pass win rate %v (%v–%v), want %v around 0.5", r.Pass.WinRate, r.Pass.WinLo, r.Pass.WinHi, want)
	}
	if r.Share != 0.5 || math.Abs(r.WinsKept-100.0/140) > 1e-12 {
		t.Errorf("share %v, wins kept %v", r.Share, r.WinsKept)
	}
	if r.PBetter < 0.999 {
		t.Errorf("P(better) %v, want about 1", r.PBetter)
	}
	if r.Pass.Revenue != 500 || r.Fail.Revenue != 600 || !(r.Pass.RevLo < 500 && r.Pass.RevHi > 500) {
		t.Errorf("revenue per deal: pass %v (%v–%v), fail %v", r.Pass.Revenue, r.Pass.RevLo, r.Pass.RevHi, r.Fail.Revenue)
	}
	if all := res[1]; all.Share != 1 || !math.IsNaN(all.PBetter) || all.Fail.Deals != 0 {
		t.Errorf("the rule everyone passes: %+v", all)
	}
	if _, err := qualify.Compare(d, []qualify.Definition{{Name: "typo", Rule: `budgt_known == "yes"`}}, 1); err == nil || !strings.Contains(err.Error(), "the attributes are budget_known, region") {
		t.Errorf("an unknown name: %v", err)
	}
}

// TestPBetterCalibrated: where both sides win alike, P(better) is
// near one half, within its Monte Carlo error.
func TestPBetterCalibrated(t *testing.T) {
	d, err := qualify.Read(context.Background(), calibrate.File{Name: "d.csv", R: strings.NewReader("g,outcome\n" + strings.Repeat("a,won\na,lost\nb,won\nb,lost\n", 50))}, qualify.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := qualify.Compare(d, []qualify.Definition{{Name: "a", Rule: `g == "a"`}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if r := res[0]; math.Abs(r.PBetter-0.5) > 4*r.PBetterMCSE {
		t.Errorf("P(better) %v ± %v, want 0.5", r.PBetter, r.PBetterMCSE)
	}
}
