package trials_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/trials"
)

// FuzzShard reads any bytes as a shard and merges what reads: the result
// or an error naming the file, never a panic or an allocation the file
// only claims.
func FuzzShard(f *testing.F) {
	f.Add(forecastFile(f, model.Options{Trials: 8, Weeks: 2, Seed: 1}, 8))
	f.Add([]byte("PAR1"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := trials.Read("shard.parquet", bytes.NewReader(b), int64(len(b)))
		if err == nil {
			var m *trials.Merged
			if m, err = trials.Merge(context.Background(), []*trials.File{file}, dir); err == nil {
				m.Close()
				return
			}
		}
		if !strings.Contains(err.Error(), "shard.parquet") {
			t.Errorf("an error that does not name the file: %v", err)
		}
	})
}
