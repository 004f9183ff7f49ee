package atomicfile_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/funnelsim/funnelsim/internal/atomicfile"
)

// TestWriteFileSafe: the file's mode follows the umask, and a path
// that names a symbolic link or a device is refused, not replaced.
func TestWriteFileSafe(t *testing.T) {
	dir := t.TempDir()
	old := syscall.Umask(0o027)
	path := filepath.Join(dir, "m.yaml")
	err := atomicfile.WriteFile(path, []byte("x"))
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v under umask 027, want -rw-r-----", fi.Mode())
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, "/dev/null"} {
		if err := atomicfile.WriteFile(p, []byte("y")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("%s: %v, want a refusal", p, err)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "x" {
		t.Errorf("the link's target was written: %q", b)
	}
}

// TestWriteLeavesNothing checks that a write that panics leaves no
// temporary file, and that RemoveTemps, which an interrupted process
// calls before it ends, removes the one of a write under way.
func TestWriteLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	func() {
		defer func() { recover() }()
		atomicfile.Write(path, func(w io.Writer) error {
			w.Write([]byte("half"))
			panic("the writer failed")
		})
	}()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("a panicking write left %v", left[0].Name())
	}
	started, finish := make(chan struct{}), make(chan struct{})
	errc := make(chan error)
	go func() {
		errc <- atomicfile.Write(path, func(w io.Writer) error {
			close(started)
			<-finish
			return nil
		})
	}()
	<-started
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("%d files while writing, want the temporary one", len(left))
	}
	atomicfile.RemoveTemps()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("RemoveTemps left %v", left[0].Name())
	}
	close(finish)
	if err := <-errc; err == nil {
		t.Errorf("the write whose file was removed reported no error")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("after it, the folder holds %v", left[0].Name())
	}
}
