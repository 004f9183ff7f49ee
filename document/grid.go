package document

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/funnelsim/funnelsim/scenarios"
)

// Cell is one pair of a grid's lever values and what it gives: revenue,
// wins and P(target).
type Cell struct {
	A           float64  `json:"a"`
	B           float64  `json:"b"`
	Revenue     Summary  `json:"revenue"`
	Wins        Summary  `json:"wins"`
	PTarget     *float64 `json:"p_target,omitempty"`
	PTargetMCSE *float64 `json:"p_target_mcse,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
}

// Grid is a two-lever sweep's document: a cell per pair of values, the
// same trials in every cell.
type Grid struct {
	LeverA       string    `json:"lever_a"`
	LeverB       string    `json:"lever_b"`
	ValuesA      []float64 `json:"values_a"`
	ValuesB      []float64 `json:"values_b"`
	Cells        []*Cell   `json:"cells"`
	Model        string    `json:"model"`
	Recalibrated string    `json:"recalibrated"`
	Seed         uint64    `json:"seed"`
	Start        string    `json:"start"`
	Target       *float64  `json:"target,omitempty"`
	Trials       int       `json:"trials"`
	Weeks        int       `json:"weeks"`

	run   Run
	cells []scenarios.Cell
}

// NewGrid is the document of a grid of levers run.Lever (at as) and b (at
// bs) that ran as run says; cells are in scenarios.Grid's order.
func NewGrid(run Run, b string, as, bs []float64, cells []scenarios.Cell) *Grid {
	g := &Grid{LeverA: run.Lever, LeverB: b, ValuesA: as, ValuesB: bs, Model: run.Model, Recalibrated: run.Recalibrated, Seed: run.Seed,
		Start: run.Start, Target: Num(run.Target), Trials: run.Trials, Weeks: run.Weeks, run: run, cells: cells}
	for i := range cells {
		p := PointOf(&cells[i].Point)
		g.Cells = append(g.Cells, &Cell{A: cells[i].A, B: cells[i].B, Revenue: p.Revenue, Wins: p.Wins, PTarget: p.PTarget, PTargetMCSE: p.PTargetMCSE, Warnings: p.Warnings})
	}
	return g
}

// WriteText writes the grid as tables, the first lever down and the
// second across: median revenue, then with a target the chance of
// reaching it; then the warnings, each once.
func (g *Grid) WriteText(w io.Writer) error {
	f := g.run
	fmt.Fprintf(w, "grid of %s and %s, %d trials a cell, seed %d, the same trials in every cell\n", g.LeverA, g.LeverB, f.Trials, f.Seed)
	table := func(title string, cell func(p *scenarios.Point) string) error {
		fmt.Fprintf(w, "\n%s\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := g.LeverA + " \\ " + g.LeverB + "\t"
		for _, b := range g.ValuesB {
			head += LeverValue(b) + "\t"
		}
		fmt.Fprintln(tw, head)
		for i, a := range g.ValuesA {
			row := LeverValue(a) + "\t"
			for j := range g.ValuesB {
				row += cell(&g.cells[i*len(g.ValuesB)+j].Point) + "\t"
			}
			fmt.Fprintln(tw, row)
		}
		return tw.Flush()
	}
	if err := table("median revenue (P50)", func(p *scenarios.Point) string { return Thousands(*SummaryOf(p.Revenue)["p50"]) }); err != nil {
		return err
	}
	if !math.IsNaN(f.Target) {
		if err := table(fmt.Sprintf("P(revenue >= %s)", Thousands(f.Target)), func(p *scenarios.Point) string { return fmt.Sprintf("%.3f", p.PTarget) }); err != nil {
			return err
		}
	}
	var warnings [][]string
	for _, c := range g.cells {
		warnings = append(warnings, c.Point.Warnings)
	}
	writeNotes(w, warnings, f.Recalibrated)
	return nil
}

// WriteCSV writes the grid as a table, a row per cell.
func (g *Grid) WriteCSV(w io.Writer) error {
	header := []string{"lever_a", "lever_b", "trials", "seed", "a", "b", "revenue_p10", "revenue_p50", "revenue_p90", "revenue_p50_mcse", "wins_p50", "target", "p_target", "p_target_mcse"}
	var rows [][]string
	for _, c := range g.Cells {
		rows = append(rows, []string{g.LeverA, g.LeverB, strconv.Itoa(g.Trials), strconv.FormatUint(g.Seed, 10), csvFloat(c.A), csvFloat(c.B),
			csvNum(c.Revenue["p10"]), csvNum(c.Revenue["p50"]), csvNum(c.Revenue["p90"]), csvNum(c.Revenue["p50_mcse"]), csvNum(c.Wins["p50"]),
			csvFloat(g.run.Target), csvNum(c.PTarget), csvNum(c.PTargetMCSE)})
	}
	return csvTable(w, header, rows)
}
