package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/internal/atomicfile"
	"github.com/funnelsim/funnelsim/internal/firsterr"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// command describes one subcommand, in the manner of cmd/go.
type command struct {
	Name      string
	UsageLine string
	Short     string
	Long      string
	// Run parses args and does the command's work.
	Run func(ctx context.Context, env *env, args []string) error
	// Flags declares the command's flags on fs, for its help.
	Flags func(fs *pflag.FlagSet)
}

// env is what a command may touch: its output streams and whether stderr
// is a terminal (for the progress bar).
type env struct {
	// stdout and stderr escape the control characters data may carry
	// (safeText); rawStderr is for the progress bar's own.
	stdout, stderr io.Writer
	rawStdout      io.Writer // for a file written to standard output (-o -)
	rawStderr      io.Writer
	terminal       bool
}

// writeOut writes a command's output file: to standard output as it is
// where path is "-", else atomically to path.
func (e *env) writeOut(path string, data []byte) error {
	if path == "-" {
		_, err := e.rawStdout.Write(data)
		return err
	}
	return atomicfile.WriteFile(path, data)
}

// wrote says on standard error that the command wrote what, a file's
// path, where it is not standard output.
func (e *env) wrote(what string) {
	if what != "-" {
		fmt.Fprintf(e.stderr, "wrote %s\n", what)
	}
}

// report is where a command's messages go when it writes its file to
// standard output (path "-"): standard error, so that the file stays
// whole.
func (e *env) report(path string) io.Writer {
	if path == "-" {
		return e.stderr
	}
	return e.stdout
}

// usageError marks an error in how the command was called (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// commands lists the subcommands, in the order usage shows them.
func commands() []*command {
	return []*command{demoCommand(), forecastCommand(), compareCommand(), sweepCommand(), goalCommand(), optimizeCommand(),
		reportCommand(), portfolioCommand(), mergeCommand(), calibrateCommand(), backtestCommand(), qualifyCommand(), initCommand(), generateCommand()}
}

// run runs the command args name with cmds, writing to stdout and stderr,
// and returns the exit code.
func run(ctx context.Context, cmds []*command, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: safeText{stdout}, stderr: safeText{stderr}, rawStdout: stdout, rawStderr: stderr, terminal: isTerminal(stderr)}
	stdout, stderr = e.stdout, e.stderr
	if len(args) == 0 {
		usage(stderr, cmds)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "version", "--version":
		return printed(stdout, stderr, func(w io.Writer) { fmt.Fprintln(w, version()) })
	case "help", "-h", "--help":
		if len(rest) == 0 {
			return printed(stdout, stderr, func(w io.Writer) { usage(w, cmds) })
		}
		if c := lookup(cmds, rest[0]); c != nil {
			return printed(stdout, stderr, func(w io.Writer) { help(w, c) })
		}
		fmt.Fprintf(stderr, "simulate: unknown command %q\n", rest[0])
		return exitUsage
	}
	c := lookup(cmds, name)
	if c == nil {
		var names []string
		for _, c := range cmds {
			names = append(names, c.Name)
		}
		fmt.Fprintf(stderr, "simulate: unknown command %q%s; run 'simulate help'\n", name, didYouMean(name, names))
		return exitUsage
	}
	err := c.Run(ctx, e, rest)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, pflag.ErrHelp):
		return printed(stdout, stderr, func(w io.Writer) { help(w, c) })
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(stderr, "simulate %s: interrupted; nothing written\n", c.Name)
		return exitError
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "simulate %s: %v\nusage: %s\nrun 'simulate help %s' for details\n", c.Name, err, c.UsageLine, c.Name)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return exitError
	}
}

// printed writes what print prints to stdout and returns exitOK, or,
// where the writing fails (a full disk, a closed pipe), says so on stderr
// and returns exitError: the help or version a script asked for is not
// there, and exit 0 would say it is.
func printed(stdout, stderr io.Writer, print func(io.Writer)) int {
	w := &firsterr.Writer{W: stdout}
	print(w)
	if w.Err != nil {
		fmt.Fprintf(stderr, "simulate: writing to standard output: %v\n", w.Err)
		return exitError
	}
	return exitOK
}

func lookup(cmds []*command, name string) *command {
	for _, c := range cmds {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func usage(w io.Writer, cmds []*command) {
	fmt.Fprint(w, "simulate plans the combined marketing and sales funnel by Monte Carlo.\n\nUsage:\n\n\tsimulate <command> [flags]\n\nCommands:\n\n")
	for _, c := range cmds {
		fmt.Fprintf(w, "\t%-10s %s\n", c.Name, c.Short)
	}
	fmt.Fprint(w, "\nRun 'simulate help <command>' for a command's flags and examples, 'simulate --version' for the version.\n")
}

func help(w io.Writer, c *command) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.UsageLine, strings.TrimSpace(c.Long))
	if c.Flags != nil {
		fs := pflag.NewFlagSet(c.Name, pflag.ContinueOnError)
		c.Flags(fs)
		fmt.Fprintf(w, "\nFlags:\n%s", fs.FlagUsagesWrapped(80))
	}
}

// parse parses args into fs, turning pflag's errors into usage errors,
// and refuses arguments that are not flags.
func parse(fs *pflag.FlagSet, args []string) error {
	if err := parseWithArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// parseWithArgs is parse for a command that takes arguments besides its
// flags (fs.Args).
func parseWithArgs(fs *pflag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		if name, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
			if name == "deal-size" {
				return usagef("%v: deal sizes are the model's, set when it is calibrated (calibrate --deal-size) and changed by a scenario's deal_size", err)
			}
			var flags []string
			fs.VisitAll(func(f *pflag.Flag) { flags = append(flags, "--"+f.Name) })
			if s := didYouMean("--"+name, flags); s != "" {
				return usagef("%v%s", err, s)
			}
		}
		return usageError{err}
	}
	return nil
}

// writeJSON writes v to w as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// buildNote is a packager's note on the build, set at link time
// (go build -ldflags "-X main.buildNote=..."), shown by --version.
var buildNote string

// buildID identifies this program for the shards it writes: its version
// and the SHA-256 of its executable, so that two builds that differ at
// all (by a constant, a dependency or the compiler), though they carry
// the same version stamp, are told apart. It is computed once.
var buildID = sync.OnceValue(func() string {
	id := version()
	exe, err := os.Executable()
	if err != nil {
		return id
	}
	f, err := os.Open(exe)
	if err != nil {
		return id
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return id
	}
	return id + " exe " + hex.EncodeToString(h.Sum(nil))[:16]
})

// version is the program's name, module version and, where the build
// recorded it, the commit it was built from.
func version() string {
	v := "simulate"
	if buildNote != "" {
		v += " [" + buildNote + "]"
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v + " (unknown version)"
	}
	v += " " + info.Main.Version
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value[:min(12, len(s.Value))]
		case "vcs.modified":
			if s.Value == "true" {
				v += "+modified"
			}
		case "vcs.time":
			v += " " + s.Value
		}
	}
	return v + " " + info.GoVersion
}
