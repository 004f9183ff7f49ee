// Command simulate plans the combined marketing and sales funnel: it
// forecasts a quarter's leads, wins and revenue as distributions by Monte
// Carlo simulation of a calibrated funnel model.
//
// Run `simulate help` for the commands and `simulate help COMMAND` for one.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal cancels the run, which then stops cleanly (no
	// half-written file); from then on the signals' default holds, so that
	// a second one ends the process at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, commands(), os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
