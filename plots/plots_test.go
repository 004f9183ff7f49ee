package plots_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/sample"
)

var update = flag.Bool("update", false, "rewrite the golden charts in testdata")

func run(t *testing.T, m *model.Model) *model.Result {
	t.Helper()
	r, err := model.Run(context.Background(), m, model.Options{Trials: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// golden compares the chart's SVG with testdata/name.svg (rewritten with
// -update) and writes name.png beside it for a person to look at.
func golden(t *testing.T, name string, p *plot.Plot) {
	t.Helper()
	wt, err := p.WriterTo(plots.Size.W, plots.Size.H, "svg")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := wt.WriteTo(&got); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".svg")
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := plots.Save(p, filepath.Join("testdata", name+".png")); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./plots -update)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("%s differs from %s; if the change is intended, run go test ./plots -update and look at the PNGs", name, path)
	}
}

func TestCharts(t *testing.T) {
	m := sample.Model()
	base := run(t, m)
	scen := *m
	f := 1.3
	scen.Changes = []model.Change{{Channel: "paid_search", Leads: &f}}
	scen.Name = "paid search +30%"
	sr := run(t, &scen)
	fan, err := plots.Fan(base, 800000)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "fan", fan)
	// The current quarter from the sample's as-of date (2026-11-20): booked
	// on three days of it, then the run's six weeks to 2026-12-31.
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	six := *m
	six.HorizonWeeks = 6
	qp := plots.NewQuarterPath("2026Q4", day("2026-10-01"), day("2027-01-01"), run(t, &six), 0,
		[]time.Time{day("2026-10-09"), day("2026-10-30"), day("2026-11-12")}, []float64{60e3, 150e3, 230e3})
	qfan, err := plots.QuarterFan(qp, 700000)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "quarter-fan", qfan)
	hist, err := plots.Histogram(base, 800000)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "histogram", hist)
	fun, err := plots.Funnel(m, base, sr, scen.Name)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "funnel", fun)
	sc, err := plots.Scenarios(revenueInfo, "USD", []plots.Delta{
		{Name: "SQL definition workshop", Mean: 48000, P10: -90000, P90: 190000, PBetter: 0.6, PWorse: 0.4},
		{Name: "Two more AEs from week 3", Mean: 1700, P10: 0, P90: 12000, PBetter: 0.25, PWorse: 0.02},
	})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "scenarios", sc)
	sw, err := plots.Sweep("reps", model.Count, "USD", []plots.SweepPoint{{2, 438e3, 652e3, 932e3}, {4, 483e3, 707e3, 992e3}, {6, 513e3, 748e3, 1046e3}, {8, 516e3, 748e3, 1049e3}}, 800000, 6)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sweep", sw)
	front := []plots.FrontierPoint{{16250, 0.365, 0.0035, 0.409, 0.0035}, {24375, 0.384, 0.0035, 0.411, 0.0035}, {32500, 0.395, 0.0035, 0.410, 0.0035},
		{40625, 0.402, 0.0035, 0.417, 0.0035}, {48750, 0.406, 0.0035, 0.423, 0.0035}}
	fr, err := plots.Frontier("P(revenue >= 800,000)", "USD", true, front, front[2], front[2])
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "frontier", fr)
	grid, err := plots.Grid(plots.GridAxis{Name: "reps", Unit: model.Count, Values: []float64{4, 6, 8}, Current: 6},
		plots.GridAxis{Name: "budget", Unit: model.Money, Values: []float64{30e3, 45e3, 60e3, 75e3}, Current: 32500}, "USD",
		[][]float64{{0.31, 0.31, 0.32, 0.31}, {0.34, 0.38, 0.39, 0.40}, {0.34, 0.39, 0.42, 0.43}}, 800000)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "grid", grid)
	tor, err := plots.Tornado("revenue", "USD", 750e3, []plots.Swing{{"deal size ±10%", 680e3, 825e3}, {"proposal conversion ±10%", 710e3, 790e3}, {"reps ±1", 740e3, 752e3}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "tornado", tor)
	resp, err := plots.Response(m)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "response", resp)
	cal, err := plots.Calibration([]string{"mql", "sql"},
		[][]float64{{0, 0.3, 0.5, 0.58, 0.6}, {0, 0.1, 0.3, 0.42, 0.5}},
		[][]float64{{0, 0.31, 0.49, 0.57, 0.6}, {0, 0.12, 0.28, 0.4, 0.49}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "calibration", cal)
	fva, err := plots.ForecastVsActual("wins", "", []plots.Origin{{"2025-03-07", 20, 27, 34, 25}, {"2025-04-04", 21, 28, 35, 31}, {"2025-05-02", 22, 28, 35, 36}, {"2025-05-30", 20, 27, 33, 22}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "forecast-vs-actual", fva)
	cov, err := plots.Coverage([]string{"leads", "wins", "revenue"}, [][3]float64{{0.4, 0.85, 0.9}, {0.65, 0.9, 0.95}, {0.55, 0.85, 0.95}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "coverage", cov)
	pit, err := plots.PITHistogram([]float64{0.05, 0.12, 0.33, 0.41, 0.47, 0.52, 0.58, 0.66, 0.74, 0.91, 0.95, 0.27})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "pit", pit)
	nan := math.NaN()
	roll, err := plots.RollingCoverage([]string{"2025-03-07", "2025-04-04", "2025-05-02", "2025-05-30", "2025-06-27", "2025-07-25"},
		[]plots.CoverageSeries{{Target: "every target", Covered: []float64{1, 0.75, 1, 0.5, 1, 1}}, {Target: "wins", Covered: []float64{1, nan, 0, 1, 1, 0}}}, 4)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "coverage-over-time", roll)
}

// TestChartsRefuseBadData checks that NaN or empty data give a clear
// error, not a broken chart.
func TestChartsRefuseBadData(t *testing.T) {
	nan := math.NaN()
	if _, err := plots.Scenarios(revenueInfo, "USD", nil); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("no scenarios: %v", err)
	}
	if _, err := plots.Scenarios(revenueInfo, "USD", []plots.Delta{{Name: "x", Mean: nan}}); err == nil || err.Error() != "plots: scenarios: x: plots: no finite data to draw" {
		t.Errorf("NaN scenario: %v", err)
	}
	if _, err := plots.Sweep("reps", model.Count, "USD", []plots.SweepPoint{{1, 1, 2, 3}}, nan, nan); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("one sweep point: %v", err)
	}
	if _, err := plots.Sweep("reps", model.Count, "USD", []plots.SweepPoint{{1, 1, 2, 3}, {2, nan, 2, 3}}, nan, nan); err == nil || err.Error() != "plots: sweep: value 2: plots: no finite data to draw" {
		t.Errorf("NaN sweep point: %v", err)
	}
	reps, budget := plots.GridAxis{Name: "reps", Values: []float64{4, 6}}, plots.GridAxis{Name: "budget", Values: []float64{1, 2}}
	if _, err := plots.Grid(reps, budget, "USD", [][]float64{{0.1, 0.2}, {nan, 0.3}}, 0.5); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("NaN grid cell: %v", err)
	}
	if _, err := plots.Grid(reps, budget, "USD", [][]float64{{0.1, 0.2}, {0.3}}, 0.5); err == nil || err.Error() != "plots: grid: row 1 has 1 cells for 2 values" {
		t.Errorf("short grid row: %v", err)
	}
	r := &model.Result{Weeks: 0}
	if _, err := plots.Fan(r, nan); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("empty fan: %v", err)
	}
	if _, err := plots.QuarterFan(&plots.QuarterPath{}, nan); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("empty quarter fan: %v", err)
	}
	if _, err := plots.Tornado("revenue", "USD", 1, nil); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("no swings: %v", err)
	}
	if _, err := plots.Calibration([]string{"mql"}, [][]float64{{0, nan}}, [][]float64{{0, 0.1}}); err == nil || err.Error() != "plots: calibration: stage mql, week 1: plots: no finite data to draw" {
		t.Errorf("NaN calibration: %v", err)
	}
	// A result whose every trial is NaN: the histogram and funnel refuse it.
	m := sample.Model()
	bad := &model.Result{Weeks: 13, Trials: 3, Currency: "USD", Model: "x"}
	for _, st := range m.Stages {
		bad.Metrics = append(bad.Metrics, model.MetricInfo{Name: st.MetricName()})
		bad.Values = append(bad.Values, []float64{nan, nan, nan})
	}
	bad.Metrics = append(bad.Metrics, model.MetricInfo{Name: "revenue"})
	bad.Values = append(bad.Values, []float64{nan, nan, nan})
	if _, err := plots.Histogram(bad, nan); err == nil || err.Error() != "plots: histogram: plots: no finite data to draw" {
		t.Errorf("NaN histogram: %v", err)
	}
	if _, err := plots.Funnel(m, bad, nil, ""); err == nil || err.Error() != "plots: funnel: stage lead: plots: no finite data to draw" {
		t.Errorf("NaN funnel: %v", err)
	}
	if _, err := plots.ForecastVsActual("wins", "", []plots.Origin{{"a", 1, 2, 3, 2}, {"b", 1, nan, 3, 2}}); err == nil || err.Error() != "plots: forecast against actual: origin b: plots: no finite data to draw" {
		t.Errorf("NaN origin: %v", err)
	}
	if _, err := plots.Coverage(nil, nil); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("no coverage: %v", err)
	}
	if _, err := plots.RollingCoverage([]string{"a", "b"}, []plots.CoverageSeries{{Target: "wins", Covered: []float64{1, nan}}}, 4); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("too few scored origins for a rolling coverage: %v", err)
	}
	if _, err := plots.PITHistogram([]float64{nan}); !errors.Is(err, plots.ErrNoData) {
		t.Errorf("no PIT: %v", err)
	}
	if err := plots.Save(nil, "chart.gif"); err == nil || err.Error() != "plots: chart.gif: the format must be png, svg or pdf" {
		t.Errorf("gif: %v", err)
	}
}

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{0, "0"}, {920, "920"}, {850000, "850k"}, {1200000, "1.2M"}, {1250000, "1.25M"}, {2e9, "2B"}, {-30000, "-30k"}} {
		if got := plots.Money(c.x); got != c.want {
			t.Errorf("Money(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}

// revenueInfo describes the revenue metric, for the scenario charts.
var revenueInfo = model.MetricInfo{Name: "revenue", Label: "revenue", Unit: model.Money}

// TestControlCharacters saves a chart whose labels carry the control
// characters a CRM export's names can (ESC, BEL, a lone byte that is not
// UTF-8) as SVG, and checks that the file is well-formed XML with the
// rest of each label kept.
func TestControlCharacters(t *testing.T) {
	p := plot.New()
	p.Title.Text = "paid\x1b[31m social\a \xff"
	p.X.Label.Text = "weeks\x00"
	path := filepath.Join(t.TempDir(), "c.svg")
	if err := plots.SavePage(p, path, plots.Page{W: 4 * vg.Inch, H: 3 * vg.Inch, DPI: 72}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
	if !bytes.Contains(b, []byte("paid\uFFFD[31m social\uFFFD \uFFFD")) {
		t.Errorf("the title's text is not kept with its controls replaced")
	}
}
