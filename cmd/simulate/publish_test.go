package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestPublish checks the demo's move into an existing --out: where one of
// its entries cannot replace its namesake (a file where the demo has its
// charts folder), it fails with the folder as it was, no new file beside
// the old ones; and the folder it makes has the umask's mode, not 0700.
func TestPublish(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	parent := t.TempDir()
	tmp, err := mkdirFresh(parent, ".out.tmp")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(tmp); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("the new folder's mode: %v, %v; want 0755", fi.Mode().Perm(), err)
	}
	for _, name := range []string{"model.yaml", "charts/fan.png"} {
		os.MkdirAll(filepath.Dir(filepath.Join(tmp, name)), 0o777)
		os.WriteFile(filepath.Join(tmp, name), []byte("new"), 0o666)
	}
	out := filepath.Join(parent, "out")
	os.Mkdir(out, 0o777)
	os.WriteFile(filepath.Join(out, "charts"), []byte("a file where the charts go"), 0o666)
	err = publish(tmp, out)
	if err == nil || !strings.Contains(err.Error(), "charts: it is a file, which the demo's folder cannot replace") {
		t.Errorf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "model.yaml")); !os.IsNotExist(err) {
		t.Errorf("a failed publish moved model.yaml in: %v", err)
	}
	os.Remove(filepath.Join(out, "charts"))
	if err := publish(tmp, out); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "charts", "fan.png")); err != nil || string(b) != "new" {
		t.Errorf("after it: %q, %v", b, err)
	}
}
