package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/model"
)

func initCommand() *command {
	return &command{
		Name:      "init",
		UsageLine: "simulate init [-o plan.yaml] [--start YYYY-MM-DD] [--force]",
		Short:     "write a planner's funnel file to fill in, for planning without CRM history",
		Long: `
Init writes a short, commented planner's funnel file: weekly leads and
cost per lead per channel, each stage's conversion and median weeks, the
deal size, and the sales team with its capacity, ramp and hires. Each
number can be a range [low, high] that the planner is 80% sure of, and
the forecast's spread carries it. Fill it in with your own numbers: every
command that takes --model takes the file in its place, so a team with no
CRM history (a new team, a new product) can forecast, compare scenarios
and seek goals from what it believes. Once history exists, calibrate
from it instead.

The file starts planning on --start (default: the next Monday). An
existing file is kept unless --force is given.

Examples:

	simulate init -o plan.yaml
	simulate forecast --model plan.yaml --target 150k
	simulate goal --model plan.yaml --lever leads --target 200k --weeks 26

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runInit,
		Flags: func(fs *pflag.FlagSet) { new(initFlags).declare(fs) },
	}
}

type initFlags struct {
	out   string
	start string
	force bool
}

func (f *initFlags) declare(fs *pflag.FlagSet) {
	fs.StringVarP(&f.out, "out", "o", "plan.yaml", "planner's file to write (- for standard output)")
	fs.StringVar(&f.start, "start", "", "first week planned, YYYY-MM-DD (default: the next Monday)")
	fs.BoolVar(&f.force, "force", false, "replace the file if it exists")
}

// samplePlanStart is the start date in the sample plan, replaced by --start.
const samplePlanStart = "start: 2027-01-04"

func runInit(_ context.Context, e *env, args []string) error {
	var f initFlags
	flags := pflag.NewFlagSet("init", pflag.ContinueOnError)
	f.declare(flags)
	if err := parse(flags, args); err != nil {
		return err
	}
	start := nextMonday(time.Now().UTC())
	if f.start != "" {
		d, err := model.ParseDate(f.start)
		if err != nil {
			return usagef("--start: %v", err)
		}
		start = d.Time
	}
	text := examples.PlanYAML()
	if !bytes.Contains(text, []byte(samplePlanStart)) {
		return errors.New("init: the sample plan has no start line")
	}
	text = bytes.Replace(text, []byte(samplePlanStart), []byte("start: "+start.Format(time.DateOnly)), 1)
	if _, err := model.Decode(text); err != nil {
		return fmt.Errorf("init: the sample plan does not read back: %w", err)
	}
	if f.out != "-" && !f.force {
		if _, err := os.Lstat(f.out); err == nil {
			return fmt.Errorf("%s exists; --force replaces it", f.out)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := e.writeOut(f.out, text); err != nil {
		return err
	}
	e.wrote(f.out)
	return nil
}

// nextMonday returns the Monday after t's day (t itself if a Monday), at
// midnight UTC.
func nextMonday(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, (8-int(d.Weekday()))%7)
}
