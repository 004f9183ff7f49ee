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
// no console errors, its DOM holds the answer, the fan chart, the
// scenarios and the drivers, it prints on one page of A4 and one of
// Letter, and the screenshot is not blank. The report with --appendix
// holds every chart and table after the first page.
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
	if n := strings.Count(dom, "<svg"); n != 1 {
		t.Errorf("the rendered page has %d charts, want the fan chart alone", n)
	}
	for _, want := range []string{"Revenue will most likely be about", "Chance of reaching 800k", "The scenarios, the one that adds most revenue first", "What the forecast leans on most"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
	for _, size := range []string{"A4", "letter"} {
		if n := printedPages(t, filepath.Join(dir, "report.html"), size); n != 1 {
			t.Errorf("the report prints on %d pages of %s, want 1", n, size)
		}
	}
	full := filepath.Join(dir, "full.html")
	if out, err := exec.Command(sim, "report", "--trials", "2000", "--target", "800k", "--scenarios", "../examples/sample-scenarios.yaml", "--appendix", "-o", full).CombinedOutput(); err != nil {
		t.Fatalf("report --appendix: %v\n%s", err, out)
	}
	dom, _ = chromium(t, "--dump-dom", "file://"+full)
	// The fan on page one, and the appendix's captioned charts, each
	// channel's response to spend among them.
	if n := strings.Count(dom, "<svg"); n != 7 {
		t.Errorf("the report with its appendix has %d charts, want 7", n)
	}
	for _, want := range []string{"Appendix", "Forecast", "Scenarios against the baseline", "The funnel's rates"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the appendix lacks %q", want)
		}
	}
	// Page one, then the appendix's six charts three to a page and its
	// tables: four pages of A4 (five, with half-empty ones, when the
	// charts printed at full width).
	if n := printedPages(t, full, "A4"); n < 2 || n > 4 {
		t.Errorf("the report with its appendix prints on %d pages of A4, want 2 to 4", n)
	}
	shot := filepath.Join(dir, "report.png")
	_, logs = chromium(t, "--hide-scrollbars", "--window-size=1000,1300", "--screenshot="+shot, url)
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

// printedPages prints the HTML file on paper of size (a CSS page size)
// through Chromium and counts the PDF's pages.
func printedPages(t *testing.T, html, size string) int {
	t.Helper()
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	sized := strings.Replace(string(b), "@page { size: auto;", "@page { size: "+size+";", 1)
	if sized == string(b) {
		t.Fatal("the report's @page rule is not where this test looks for it")
	}
	page := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(page, []byte(sized), 0o644); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "page.pdf")
	chromium(t, "--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+page)
	out, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	return len(pdfPage.FindAll(out, -1))
}

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

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
