package qualify_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model/rng"
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
	many := slices.Repeat([]qualify.Definition{{Name: "all", Rule: "true"}}, qualify.MaxRules+1)
	if _, err := qualify.Compare(d, many, 1); err == nil || err.Error() != "1001 rules to compare, more than the 1000 one comparison may take; compare them in several runs" {
		t.Errorf("too many rules: %v", err)
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

// TestRecoversTruth generates closed deals whose truth is known, in
// replicates: budget known (a third of deals) wins with 0.35, unknown with
// 0.15, whatever the region. Each replicate's 90% interval of each
// group's win rate must hold the truth in 85 to 95% of the 200 replicates
// (the binomial's 99.8% range about 0.9), and the rule naming the wrong
// case of the attribute counts the same deals.
func TestRecoversTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("200 replicates; make test runs it without the race detector")
	}
	const reps, n = 200, 300
	truth := map[string]float64{"yes": 0.35, "no": 0.15}
	st := rng.NewStream()
	cover := map[string]int{}
	for r := range reps {
		st.Reset(11, uint64(r))
		var b strings.Builder
		b.WriteString("Budget_Known,Region,Outcome,Amount\n")
		for range n {
			known := "no"
			if st.Float64() < 1.0/3 {
				known = "yes"
			}
			out := "lost"
			if st.Float64() < truth[known] {
				out = "won"
			}
			fmt.Fprintf(&b, "%s,%s,%s,%d\n", known, []string{"north", "south"}[st.IntN(2)], out, 1000+st.IntN(9000))
		}
		d, err := qualify.Read(context.Background(), calibrate.File{Name: "deals.csv", R: strings.NewReader(b.String())}, qualify.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := qualify.Compare(d, []qualify.Definition{{Name: "known", Rule: `budget_known == "yes"`}, {Name: "case", Rule: `BUDGET_KNOWN == "yes"`}}, uint64(r))
		if err != nil {
			t.Fatal(err)
		}
		pass, fail := res[0].Pass, res[0].Fail
		if res[1].Pass.Deals != pass.Deals || res[1].Pass.Wins != pass.Wins {
			t.Fatalf("replicate %d: the rule in upper case counts %+v, in lower %+v", r, res[1].Pass, pass)
		}
		if pass.WinLo <= truth["yes"] && truth["yes"] <= pass.WinHi {
			cover["yes"]++
		}
		if fail.WinLo <= truth["no"] && truth["no"] <= fail.WinHi {
			cover["no"]++
		}
	}
	for g, c := range cover {
		t.Logf("budget known %s: the 90%% interval holds the truth in %d of %d", g, c, reps)
	}
	for _, g := range []string{"yes", "no"} {
		if f := float64(cover[g]) / reps; f < 0.85 || f > 0.95 {
			t.Errorf("budget known %s: 90%% intervals hold the truth in %.3f of replicates, want 0.85 to 0.95", g, f)
		}
	}
}

// TestFindOutcome: a deals file without a column named outcome has it
// found from its values, a column of Won and Lost before one of Yes and
// No, and where none or several fit, the error says what to do.
func TestFindOutcome(t *testing.T) {
	for _, c := range []struct {
		name, file string
		m          map[string]string
		want, err  string
	}{
		{"named", "Outcome,x\nwon,1\n", nil, "outcome", ""},
		{"mapped", "a,b\n1,2\n", map[string]string{"outcome": "b"}, "b", ""},
		{"by its values", "Deal,Stage,Amount\n1,Closed Won,5\n2,Closed Lost,6\n3,Open,7\n", nil, "Stage", ""},
		{"won and lost before yes and no", "Budget Known,Result\nYes,WON\nNo,lost\nyes,Lost\n", nil, "Result", ""},
		{"none", "a,b\n1,2\n3,4\n", nil, "", "d.csv: no outcome column: no column is named outcome, and none holds won and lost values (won/lost, closed won/closed lost, yes/no, true/false, 1/0 in any case); the columns are a, b: name one with --map outcome=COLUMN, and its values with --outcomes VALUE=won,VALUE=lost"},
		{"several", "won_flag,paid\nyes,yes\nno,no\n", nil, "", "d.csv: no column is named outcome, and 2 hold won and lost values (won_flag, paid): name one with --map outcome=COLUMN"},
		{"open deals outnumber", "Stage\nWon\nLost\nOpen\nOpen\nOpen\n", nil, "", "d.csv: no outcome column"},
	} {
		got, err := qualify.FindOutcome(context.Background(), calibrate.File{Name: "d.csv", R: strings.NewReader(c.file)}, qualify.ReadOptions{Map: c.m})
		if c.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%s: %q, %v; want the error %q", c.name, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}
