package corpus

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/internal/firsterr"
)

// StageTargets are the generated worlds' stage targets, in funnel order.
var StageTargets = []string{"leads", "mql", "sal", "sql", "opportunities", "proposals"}

// Board is the corpus's aggregates.
type Board struct {
	// MedianSkill is, per target, the median over the generated worlds
	// of the model's skill against the strongest baseline.
	MedianSkill map[string]float64
	// WorstWins and WorstRevenue are the generated worlds' lowest skills
	// on wins and revenue, and where.
	WorstWins, WorstRevenue       float64
	WorstWinsWorld, WorstRevWorld string
	// Pairs counts the (world, target) pairs scored, and InBand those
	// whose 80% coverage is inside its binomial band.
	Pairs, InBand int
	// Calibrated is how many pairs a calibrated forecaster would have in
	// band, the overlap of each world's origins allowed for
	// (backtest.CalibratedInBand), where every world records its origins'
	// spacing; NaN otherwise.
	Calibrated float64
	// Worst is the world with the lowest mean skill over its targets.
	Worst     string
	WorstMean float64
	// Guard is what make validate holds on the short corpus.
	Guard Guard
	// MedianCombined is, per target, the median over the generated worlds
	// of the combination's skill against its strongest baseline, and
	// CombinedInBand the pairs whose combination covers in band.
	MedianCombined map[string]float64
	CombinedInBand int
}

// Guard is the short corpus's aggregate skill and coverage, with their
// noise: the mean over its pairs of the skill against the strongest
// baseline, with its standard error over the pairs, and the share of
// pairs in band, with its binomial standard error.
type Guard struct {
	Pairs     int     `json:"pairs"`
	MeanSkill float64 `json:"mean_skill"`
	SkillSE   float64 `json:"skill_se"`
	InBand    float64 `json:"in_band"`
	InBandSE  float64 `json:"in_band_se"`
}

// Summarise sums the worlds up.
func Summarise(all []*Scores) Board {
	b := Board{MedianSkill: map[string]float64{}, MedianCombined: map[string]float64{}, WorstWins: math.Inf(1), WorstRevenue: math.Inf(1), WorstMean: math.Inf(1)}
	per, comb := map[string][]float64{}, map[string][]float64{}
	for _, s := range all {
		var sum float64
		for _, t := range s.Targets {
			b.Pairs++
			b.Calibrated += backtest.CalibratedInBand(t.Origins, s.Every, s.Horizon)
			if t.InBand() {
				b.InBand++
			}
			if t.CombinedInBand() {
				b.CombinedInBand++
			}
			sum += t.Skill
			if !s.Generated {
				continue
			}
			per[t.Name] = append(per[t.Name], t.Skill)
			if !math.IsNaN(t.CombinedSkill) {
				comb[t.Name] = append(comb[t.Name], t.CombinedSkill)
			}
			if t.Name == "wins" && t.Skill < b.WorstWins {
				b.WorstWins, b.WorstWinsWorld = t.Skill, s.World
			}
			if t.Name == "revenue" && t.Skill < b.WorstRevenue {
				b.WorstRevenue, b.WorstRevWorld = t.Skill, s.World
			}
		}
		if n := len(s.Targets); n > 0 && sum/float64(n) < b.WorstMean {
			b.Worst, b.WorstMean = s.World, sum/float64(n)
		}
	}
	for k, xs := range per {
		slices.Sort(xs)
		b.MedianSkill[k] = stat.Quantile(0.5, stat.Empirical, xs, nil)
	}
	for k, xs := range comb {
		slices.Sort(xs)
		b.MedianCombined[k] = stat.Quantile(0.5, stat.Empirical, xs, nil)
	}
	b.Guard = guard(all)
	return b
}

func guard(all []*Scores) Guard {
	var skills, band []float64
	for _, s := range all {
		for _, t := range s.Targets {
			skills = append(skills, t.Skill)
			band = append(band, b2f(t.InBand()))
		}
	}
	g := Guard{Pairs: len(skills)}
	if g.Pairs < 2 {
		return g
	}
	n := float64(g.Pairs)
	g.MeanSkill, g.SkillSE = stat.Mean(skills, nil), stat.StdDev(skills, nil)/math.Sqrt(n)
	g.InBand = stat.Mean(band, nil)
	g.InBandSE = math.Sqrt(math.Max(g.InBand*(1-g.InBand), 0.5*0.5/n) / n)
	return g
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// guardMark starts the line of docs/ACCURACY.md that records the short
// corpus's guard.
const guardMark = "<!-- short corpus guard: "

// WriteGuard writes g as the comment line ReadGuard reads.
func WriteGuard(w io.Writer, g Guard) error {
	j, err := json.Marshal(g)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s%s -->\n", guardMark, j)
	return err
}

var guardLine = regexp.MustCompile(regexp.QuoteMeta(guardMark) + `(\{.*\}) -->`)

// ReadGuard finds the guard recorded in a scoreboard's text.
func ReadGuard(text string) (Guard, error) {
	m := guardLine.FindStringSubmatch(text)
	if m == nil {
		return Guard{}, fmt.Errorf("corpus: no line %q... in the scoreboard", strings.TrimSpace(guardMark))
	}
	var g Guard
	if err := json.Unmarshal([]byte(m[1]), &g); err != nil {
		return Guard{}, fmt.Errorf("corpus: the scoreboard's guard: %w", err)
	}
	return g, nil
}

// Check reports how the short corpus's guard now falls below the recorded
// one by more than their noise (twice the standard error of the
// difference), nil if it does not.
func (now Guard) Check(recorded Guard) error {
	var msgs []string
	if tol := 2 * math.Hypot(now.SkillSE, recorded.SkillSE); now.MeanSkill < recorded.MeanSkill-tol {
		msgs = append(msgs, fmt.Sprintf("mean skill %+.3f, recorded %+.3f (tolerance %.3f)", now.MeanSkill, recorded.MeanSkill, tol))
	}
	if tol := 2 * math.Hypot(now.InBandSE, recorded.InBandSE); now.InBand < recorded.InBand-tol {
		msgs = append(msgs, fmt.Sprintf("pairs with coverage in band %.2f, recorded %.2f (tolerance %.2f)", now.InBand, recorded.InBand, tol))
	}
	if msgs == nil {
		return nil
	}
	return fmt.Errorf("corpus: the short corpus has slipped: %s", strings.Join(msgs, "; "))
}

// WriteBoard writes the scoreboard in Markdown: the aggregates against
// the goals, then every world's targets.
func WriteBoard(w io.Writer, all []*Scores, short []*Scores) error {
	b := Summarise(all)
	p := &printer{firsterr.Writer{W: w}}
	var gen, real []*Scores
	for _, s := range all {
		if s.Generated {
			gen = append(gen, s)
		} else {
			real = append(real, s)
		}
	}
	p.f("## The aggregates\n\n")
	p.f("Over %d generated worlds, the median of the model's skill against the strongest baseline:\n\n", len(gen))
	p.f("| target | median skill | goal | the combination's |\n|---|---|---|---|\n")
	for _, t := range append(slices.Clone(StageTargets), "wins", "revenue") {
		goal := "≥ 0"
		if !(Target{Name: t}).Stage() {
			goal = "≥ +0.10"
		}
		if v, ok := b.MedianSkill[t]; ok {
			p.f("| %s | %+.2f | %s | %+.2f |\n", t, v, goal, b.MedianCombined[t])
		}
	}
	p.f("\n- The lowest skill of a generated world on wins: %+.2f (%s); on revenue: %+.2f (%s). Goal: no world below −0.20.\n", b.WorstWins, b.WorstWinsWorld, b.WorstRevenue, b.WorstRevWorld)
	p.f("- Of the %d (world, target) pairs scored, %d (%.0f%%) have their 80%% coverage inside the binomial band. Goal: at least 90%%.\n", b.Pairs, b.InBand, 100*float64(b.InBand)/float64(max(b.Pairs, 1)))
	if !math.IsNaN(b.Calibrated) {
		p.f("- A calibrated forecaster would have about %.0f of them (%.0f%%) in band: the band is the binomial's 90%% range, which assumes independent outcomes, and origins four weeks apart share 9 of their 13 weeks (simulated with errors summed over independent weeks; errors that persist longer would leave fewer in band).\n", b.Calibrated, 100*b.Calibrated/float64(max(b.Pairs, 1)))
	}
	p.f("- The worst world, by its mean skill over its targets: %s (%+.2f).\n", b.Worst, b.WorstMean)
	p.f("- The combination of the model and the baselines (weights learned on each world's past origins, out of sample): %d of the %d pairs (%.0f%%) in band.\n\n", b.CombinedInBand, b.Pairs, 100*float64(b.CombinedInBand)/float64(max(b.Pairs, 1)))
	if len(short) > 0 {
		g := Summarise(short).Guard
		p.f("The short corpus that `make validate` runs (%s) has a mean skill of %+.3f ± %.3f over its %d pairs, and %.0f%% of them in band; `make validate` fails when either falls below these by more than twice the noise.\n\n",
			names(short), g.MeanSkill, g.SkillSE, g.Pairs, 100*g.InBand)
		if err := WriteGuard(p, g); err != nil {
			return err
		}
		p.f("\n")
	}
	if len(real) > 0 {
		p.f("## Real exports\n\n")
		p.table(real)
	}
	p.f("## Generated worlds\n\n")
	p.table(gen)
	return p.Err
}

func names(ws []*Scores) string {
	var out []string
	for _, s := range ws {
		out = append(out, s.World)
	}
	return strings.Join(out, ", ")
}

type printer struct{ firsterr.Writer }

func (p *printer) f(format string, args ...any) { fmt.Fprintf(p, format, args...) }

// table writes one row per world and target: skill, the strongest
// baseline, 80% coverage against its band, PIT mean.
func (p *printer) table(ws []*Scores) {
	p.f("| world | target | origins | skill | strongest baseline | 80%% covers | band | PIT mean | combined skill | its 80%% covers |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range ws {
		for i, t := range s.Targets {
			name := ""
			if i == 0 {
				name = s.World
			}
			mark := ""
			if !t.InBand() {
				mark = " ✗"
			}
			cmark := ""
			if !t.CombinedInBand() {
				cmark = " ✗"
			}
			p.f("| %s | %s | %d | %+.2f | %s | %d%s | %d–%d | %.2f | %+.2f (%s) | %d%s |\n", name, t.Name, t.Origins, t.Skill, t.Best, t.Covered, mark, t.Lo, t.Hi, t.PIT,
				t.CombinedSkill, t.CombinedBest, t.CombinedCovered, cmark)
		}
	}
	p.f("\n")
}
