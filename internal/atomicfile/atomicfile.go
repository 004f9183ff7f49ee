// Package atomicfile writes files whole or not at all: to a temporary
// file beside the target, renamed over it once written, and removed on an
// error, a panic or (RemoveTemps) a process that must end at once.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// WriteFile writes data to a temporary file beside path and renames
// it over path, so a reader never sees a partial file. The file's mode is
// 0666 less the umask, as os.WriteFile's. A path that names something
// other than a regular file (a symlink, a device, a FIFO, a directory) is
// refused rather than replaced.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write is WriteFile for a file written by write as it goes:
// path appears, whole, only once write has returned nil; on an error
// nothing is left behind.
func Write(path string, write func(io.Writer) error) error {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("writing %s: it is %s, not a regular file; give the path of a file to write", path, modeName(fi.Mode()))
	}
	dir, base := ".", path
	if i := strings.LastIndexByte(path, os.PathSeparator); i >= 0 {
		dir, base = path[:i+1], path[i+1:]
	}
	var f *os.File
	var err error
	for range 100 { // os.CreateTemp's 0600 would ignore the umask
		name := filepath.Join(dir, "."+base+".tmp"+strconv.Itoa(os.Getpid())+"-"+strconv.FormatUint(tmpCount.Add(1), 36))
		if f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666); !os.IsExist(err) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	live.Store(tmp, struct{}{})
	defer live.Delete(tmp)
	done := false
	defer func() {
		if !done { // write panicked
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	done = true
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// tmpCount numbers the temporary files of Write within the
// process; with the process id, it makes their names unique.
var tmpCount atomic.Uint64

// live holds the names of the temporary files being written now.
var live sync.Map

// RemoveTemps removes the temporary files of the writes still under way:
// for a process that must end before they finish (an interrupt that did
// not stop the run in time), so that it leaves no hidden file behind.
func RemoveTemps() {
	live.Range(func(name, _ any) bool {
		os.Remove(name.(string))
		return true
	})
}

// modeName says what a file that is not a regular one is.
func modeName(m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeDevice != 0, m&os.ModeCharDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}
