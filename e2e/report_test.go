//go:build e2e

package e2e

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// chromium runs headless Chromium with the flags this machine's closed
// network needs, and returns its standard output and error.
func chromium(t *testing.T, args ...string) (string, string) {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("no chromium: run make e2e, which installs it")
	}
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}
	cmd := exec.Command(bin, append(base, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errOut.String())
	}
	return out.String(), errOut.String()
}

// consoleError matches what Chromium logs for any console message of the
// page (it logs console.error and uncaught exceptions alike as
// ":CONSOLE:"): the report has no script, so any is an error.
var consoleError = regexp.MustCompile(`:CONSOLE:.*`)

// TestDemoReport renders the demo's report headless: the page loads with
// no console errors, its DOM holds every chart and table, and the
// screenshot is not blank.
func TestDemoReport(t *testing.T) {
	dir := t.TempDir()
	sim := filepath.Join(dir, "simulate")
	if out, err := exec.Command("go", "build", "-o", sim, "../cmd/simulate").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if out, err := exec.Command(sim, "demo", "--trials", "2000", "--out", dir).CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	url := "file://" + filepath.Join(dir, "report.html")
	dom, logs := chromium(t, "--dump-dom", url)
	if m := consoleError.FindString(logs); m != "" {
		t.Errorf("console error while loading the report: %s", m)
	}
	if n := strings.Count(dom, "<svg"); n != 7 {
		t.Errorf("the rendered page has %d charts, want 7", n)
	}
	for _, want := range []string{"Chance of reaching 800k", "Forecast", "Scenarios against the baseline"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
	shot := filepath.Join(dir, "report.png")
	_, logs = chromium(t, "--hide-scrollbars", "--window-size=1100,2400", "--screenshot="+shot, url)
	if m := consoleError.FindString(logs); m != "" {
		t.Errorf("console error while drawing the report: %s", m)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if share := inked(img); share < 0.05 {
		t.Errorf("the screenshot is nearly blank: %.1f%% of pixels are not white", 100*share)
	} else {
		t.Logf("%.1f%% of the screenshot's pixels are not white", 100*share)
	}
}

// inked is the share of pixels that are not near white.
func inked(img image.Image) float64 {
	b := img.Bounds()
	n, k := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			n++
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				k++
			}
		}
	}
	return float64(k) / float64(n)
}
