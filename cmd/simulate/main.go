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
	code := run(ctx, commands(), os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
