//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// readmeCommand is a command line of the README's examples: an indented
// line that runs the program, or makes a folder and then runs it.
var readmeCommand = regexp.MustCompile(`^    ((bin/simulate|mkdir -p) .*)$`)

// TestReadmeCommands runs every example command of the README, in order,
// in a folder holding the program, the repository's examples and the
// presets' test files, a deals file for qualify and Maven's public export
// (the files the README asks the reader to bring; the commands on Maven's
// are left out where ../shared/data does not hold it). Each must exit 0,
// and each goal seek
// must give an answer: the value that reaches the target, or that more of
// the lever stops helping and why. Commands that need a cluster
// (deploy/) are left out.
func TestReadmeCommands(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "bin", "simulate"), "./cmd/simulate")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, p := range []string{"examples", "calibrate"} {
		if err := os.Symlink(filepath.Join(root, p), filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	closed := "deal,stage,value,budget_known,company_size\n"
	for i := range 60 {
		stage, budget, size := "lost", "no", "1-50"
		if i%3 == 0 {
			stage = "won"
		}
		if i%2 == 0 {
			budget = "yes"
		}
		if i%5 == 0 {
			size = "51-200"
		}
		closed += fmt.Sprintf("d%d,%s,1000,%s,%s\n", i, stage, budget, size)
	}
	if err := os.WriteFile(filepath.Join(dir, "closed.csv"), []byte(closed), 0o644); err != nil {
		t.Fatal(err)
	}
	maven := filepath.Join(root, "..", "shared", "data", "maven-crm-sales-opportunities", "sales_pipeline.csv")
	_, err = os.Stat(maven)
	haveMaven := err == nil
	if haveMaven {
		if err := os.Symlink(maven, filepath.Join(dir, "sales_pipeline.csv")); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	ran := 0
	for sc.Scan() {
		m := readmeCommand.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		line := m[1] // a comment after it is the shell's
		if !haveMaven && (strings.Contains(line, "sales_pipeline.csv") || strings.Contains(line, "maven.yaml")) {
			t.Logf("%s: left out, ../shared/data has no Maven export here", line)
			continue
		}
		ran++
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		cmd := exec.CommandContext(ctx, "sh", "-c", line)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		cancel()
		t.Logf("%s (%.1f s)", line, time.Since(start).Seconds())
		if err != nil {
			t.Errorf("%s: %v\n%s", line, err, out)
			continue
		}
		if strings.HasPrefix(line, "bin/simulate goal") && !strings.Contains(string(out), "is the smallest value reaching") && !strings.Contains(string(out), "stops helping") {
			t.Errorf("%s gives no answer:\n%s", line, out)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if ran < 20 {
		t.Errorf("ran %d of the README's commands; the pattern misses them", ran)
	}
}
