// Command simulate plans the combined marketing and sales funnel: it
// forecasts a quarter's leads, wins and revenue as distributions by Monte
// Carlo simulation of a calibrated funnel model.
//
// Run `simulate help` for the commands and `simulate help COMMAND` for one.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/funnelsim/funnelsim/internal/atomicfile"
)

// stopWithin is how long an interrupted run may take to stop cleanly
// before the process ends anyway (a read blocked on a pipe with no writer
// cannot be cancelled).
const stopWithin = time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal cancels the run, which then stops cleanly (no
	// half-written file); from then on the signals' default holds, so that
	// a second one ends the process at once, and a run that has not
	// stopped within stopWithin is ended.
	go func() {
		<-ctx.Done()
		stop()
		time.Sleep(stopWithin)
		fmt.Fprintf(os.Stderr, "simulate: interrupted; not stopped within %v, ending\n", stopWithin)
		atomicfile.RemoveTemps()
		os.Exit(exitError)
	}()
	code := run(ctx, commands(), os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
