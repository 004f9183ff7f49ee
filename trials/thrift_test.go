package trials

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// TestCheckThrift walks structs the library writes to their exact length,
// and refuses claims the bytes cannot hold.
func TestCheckThrift(t *testing.T) {
	var compact thrift.CompactProtocol
	md := format.FileMetaData{
		Version:          2,
		NumRows:          1 << 40,
		CreatedBy:        "funnelsim",
		KeyValueMetadata: []format.KeyValue{{Key: "a", Value: "b"}, {Key: "c", Value: strings.Repeat("x", 300)}},
		RowGroups: []format.RowGroup{{NumRows: 7, Columns: []format.ColumnChunk{{MetaData: format.ColumnMetaData{
			Encoding: []format.Encoding{format.Plain, format.RLE}, PathInSchema: []string{"wins"}, Codec: format.Zstd,
		}}}}},
	}
	good, err := thrift.Marshal(&compact, &md)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := checkThrift(append(good, 1, 2, 3)); err != nil || n != len(good) {
		t.Fatalf("a footer of %d bytes: walked %d, %v", len(good), n, err)
	}
	// A list of 2^31-1 column chunks: the library's makeslice asked for
	// more than a terabyte.
	longList := []byte{0x19, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00}
	// Two lists of 540,672 booleans each, a byte apiece.
	list := append([]byte{0x19, 0xf1, 0x80, 0x80, 0x21}, make([]byte, 540672)...)
	tooMany := append(append(slices.Clone(list), list...), 0)
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"cut short", good[:len(good)-1], "ends inside a value"},
		{"empty", nil, "ends inside a value"},
		{"a list longer than its bytes", longList, "a list of 2147483647 elements where 1 bytes are left"},
		{"a string longer than its bytes", []byte{0x18, 0x80, 0x80, 0x80, 0x80, 0x08, 'a', 0}, "a string of 2147483648 bytes where 2 are left"},
		{"a map longer than its bytes", []byte{0x1b, 0xff, 0xff, 0x03, 0x88, 0}, "a map of 65535 elements"},
		{"nested too deep", append(bytes.Repeat([]byte{0x1c}, 40), make([]byte, 41)...), "nested more than 32 deep"},
		{"an unknown type", []byte{0x1e, 0}, "unknown type 14"},
		{"too many elements", tooMany, "more than 1048576 list elements"},
	} {
		if _, err := checkThrift(c.b); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}
