package document

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
)

// Calibration is the summary of a calibrated model, a document: per
// channel, its weekly leads, trend and spend and what the next lead
// costs; the arrival shock; per stage, the eventual conversion with its
// 90% interval, median weeks in stage and the hazards' half-life; the
// windows the history records each kind of event over; the close
// capacity; the open pipeline and the deal sizes; the track record.
// NewCalibration makes the posterior draws behind its intervals, once;
// WriteText and WriteCSV only print.
type Calibration struct {
	m    *model.Model
	path string
	conv []model.Conversion
	next []string // per channel, what the next lead costs, as printed
}

// NewCalibration is the summary of model m, calibrated into the file at
// path, its intervals' posterior draws keyed by seed.
func NewCalibration(m *model.Model, path string, seed uint64) (*Calibration, error) {
	conv, err := model.Conversions(m, 1000, seed)
	if err != nil {
		return nil, err
	}
	c := &Calibration{m: m, path: path, conv: conv, next: make([]string, len(m.Channels))}
	st := rng.NewStream()
	for i, ch := range m.Channels {
		c.next[i] = "-"
		st.Reset(seed, uint64(i))
		if v, lo, hi, ok := calibrate.MarginalCost(ch, 2000, st); ok {
			c.next[i] = fmt.Sprintf("%.0f (%.0f–%.0f)", v, lo, hi)
			if ch.Response.Source == "default" {
				c.next[i] = fmt.Sprintf("%.0f (default curve)", v)
			}
		}
	}
	return c, nil
}

// WriteText writes the summary as text tables.
func (c *Calibration) WriteText(w io.Writer) error {
	m, path, conv, next := c.m, c.path, c.conv, c.next
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s: %s, as of %s\n\n", path, m.Name, m.AsOf)
	fmt.Fprint(tw, "channel\tleads/week\tdispersion\ttrend/week\tdamping\tspend/week\tcost/lead\tnext lead costs (90%)\t\n")
	for i, c := range m.Channels {
		spend, cost := "-", "-"
		if c.WeeklySpend > 0 {
			spend = fmt.Sprintf("%.0f", c.WeeklySpend)
			if c.WeeklyLeads > 0 {
				cost = fmt.Sprintf("%.0f", c.WeeklySpend/c.WeeklyLeads)
			}
		}
		damping := "-"
		if c.Trend != 0 && c.Damping > 0 && c.Damping < 1 {
			damping = fmt.Sprintf("%.2f", c.Damping)
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%s\t%+.3f\t%s\t%s\t%s\t%s\t\n", c.Name, c.WeeklyLeads, dispersion(c), c.Trend, damping, spend, cost, next[i])
	}
	fmt.Fprintf(tw, "arrival shock: CV %.3f a quarter, shared by the channels (%.1f degrees of freedom)\n", m.ArrivalShockCV, m.ArrivalShockDF)
	if s := m.ArrivalSeason; s != nil {
		ratio, peak := s.Amplitude()
		fmt.Fprintf(tw, "yearly season: leads ×%.2f from the slowest week to the busiest, around %s; leads/week above are seasonally adjusted\n",
			ratio, time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(peak*365*24*float64(time.Hour))).Format("January 2"))
	}
	fmt.Fprint(tw, "\nstage\tconversion\t90% interval\tmedian weeks\thazards' half-life\t\n")
	for _, k := range conv {
		if k.Channel != "" {
			continue
		}
		hl := "-"
		if i := m.StageIndex(k.Stage); i >= 0 && m.Stages[i].HalfLifeWeeks > 0 {
			hl = fmt.Sprintf("%.0f weeks", m.Stages[i].HalfLifeWeeks)
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f–%.3f\t%s\t%s\t\n", k.Stage, k.Mean, k.P5, k.P95, model.FormatWeeks(k.MedianWeeks), hl)
	}
	open := 0
	for _, c := range m.Pipeline.Open {
		open += c.Count
	}
	if len(m.Provenance.Windows) > 0 {
		fmt.Fprint(tw, "\nevents\tfrom\tto\tcount\t\n")
		for _, k := range m.Provenance.Windows {
			cut := ""
			if k.Truncated {
				cut = " (recorded from here)"
			}
			fmt.Fprintf(tw, "%s\t%s%s\t%s\t%d\t\n", k.Kind, k.From, cut, k.To, k.Events)
		}
	}
	if r := m.Reps; r.CloseCapacity > 0 && !r.Unlimited {
		fmt.Fprintf(tw, "\nclose capacity: %.1f closes a rep a week from %s on (%d reps)\n", r.CloseCapacity, m.OpportunityStage, r.Count)
	}
	known := 0
	for _, d := range m.Pipeline.Deals {
		if d.Amount > 0 {
			known++
		}
	}
	fmt.Fprintf(tw, "\nopen pipeline: %d leads, %d deals (%d with amounts); ", open, len(m.Pipeline.Deals), known)
	switch d := m.DealSize; {
	case d.Deals == 1 && d.LogSD == 0:
		fmt.Fprintf(tw, "deal size %.0f %s, assumed\n", math.Exp(d.LogMean), m.Currency)
	case len(d.Amounts) > 0:
		sum := 0.0
		for _, a := range d.Amounts {
			sum += a
		}
		fmt.Fprintf(tw, "deal sizes drawn from the %d won amounts (mean %.0f %s)\n", len(d.Amounts), sum/float64(len(d.Amounts)), m.Currency)
	default:
		fmt.Fprintf(tw, "deal size lognormal, median %.0f %s (%.0f won deals)\n", math.Exp(d.LogMean), m.Currency, d.Deals)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	tr := m.TrackRecord
	horizon := 13
	if tr != nil && tr.HorizonWeeks > 0 {
		horizon = tr.HorizonWeeks
	}
	writeTrust(w, "", tr.Lines(horizon))
	return nil
}

// dispersion is how a channel's weekly counts spread, for the summary: the
// negative binomial's dispersion, "Poisson" where there is no excess over
// Poisson (an infinite dispersion), and "-" for a channel with no leads.
func dispersion(c model.Channel) string {
	switch {
	case !(c.WeeklyLeads > 0):
		return "-"
	case math.IsInf(c.Dispersion, 1):
		return "Poisson"
	}
	return fmt.Sprintf("%.3g", c.Dispersion)
}
