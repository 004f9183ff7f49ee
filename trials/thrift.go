package trials

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The Parquet library decodes a file's footer and page headers (Thrift's
// compact protocol) trusting the sizes they claim: four changed bytes in a
// list's length made it allocate 150 GB. checkThrift walks such a struct
// first, within its bytes, and refuses what no trials file holds.
const (
	// maxThriftDepth bounds the nesting of structs, lists and maps; the
	// Parquet metadata nests five deep.
	maxThriftDepth = 32
	// maxThriftElements bounds the elements of all lists and maps in one
	// struct. The library allocates each element in memory (a column
	// chunk's metadata, the largest, is 560 bytes), where the file can
	// encode one in a byte. A shard of model.MaxTrials trials has about 800
	// row groups of some 30 columns, each listing a few encodings: about
	// 100,000 elements.
	maxThriftElements = 1 << 20
)

// thriftWalker reads one compact-protocol value at a time from b.
type thriftWalker struct {
	b        []byte
	pos      int
	elements int
}

// checkThrift walks the compact-protocol struct at the start of b and
// returns its length in bytes, or an error where it runs past b, nests
// deeper than maxThriftDepth, or claims a list, map or string longer than
// the bytes left to hold it.
func checkThrift(b []byte) (int, error) {
	w := thriftWalker{b: b}
	if err := w.value(12, 0); err != nil {
		return 0, err
	}
	return w.pos, nil
}

var errThriftShort = errors.New("ends inside a value")

func (w *thriftWalker) byte() (byte, error) {
	if w.pos >= len(w.b) {
		return 0, errThriftShort
	}
	c := w.b[w.pos]
	w.pos++
	return c, nil
}

func (w *thriftWalker) uvarint() (uint64, error) {
	v, n := binary.Uvarint(w.b[w.pos:])
	if n <= 0 {
		return 0, errThriftShort
	}
	w.pos += n
	return v, nil
}

// skip advances n bytes, refusing a length past the end.
func (w *thriftWalker) skip(n uint64, what string) error {
	if n > uint64(len(w.b)-w.pos) {
		return fmt.Errorf("a %s of %d bytes where %d are left", what, n, len(w.b)-w.pos)
	}
	w.pos += int(n)
	return nil
}

// count claims n elements, each at least a byte, against the bytes left
// and the elements' budget.
func (w *thriftWalker) count(n uint64, what string) error {
	if n > uint64(len(w.b)-w.pos) {
		return fmt.Errorf("a %s of %d elements where %d bytes are left", what, n, len(w.b)-w.pos)
	}
	if w.elements += int(n); w.elements > maxThriftElements {
		return fmt.Errorf("more than %d list elements", maxThriftElements)
	}
	return nil
}

// value walks one value of compact type t.
func (w *thriftWalker) value(t byte, depth int) error {
	if depth > maxThriftDepth {
		return fmt.Errorf("nested more than %d deep", maxThriftDepth)
	}
	switch t {
	case 1, 2: // a boolean: in a list it takes a byte, in a field none
		return nil
	case 3:
		return w.skip(1, "byte")
	case 4, 5, 6:
		_, err := w.uvarint()
		return err
	case 7:
		return w.skip(8, "double")
	case 8:
		n, err := w.uvarint()
		if err != nil {
			return err
		}
		return w.skip(n, "string")
	case 9, 10:
		h, err := w.byte()
		if err != nil {
			return err
		}
		n := uint64(h >> 4)
		if n == 15 {
			if n, err = w.uvarint(); err != nil {
				return err
			}
		}
		if err := w.count(n, "list"); err != nil {
			return err
		}
		et := h & 0x0f
		for range n {
			if et == 1 || et == 2 {
				if err := w.skip(1, "boolean"); err != nil {
					return err
				}
				continue
			}
			if err := w.value(et, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 11:
		n, err := w.uvarint()
		if err != nil || n == 0 {
			return err
		}
		kv, err := w.byte()
		if err != nil {
			return err
		}
		if err := w.count(n, "map"); err != nil {
			return err
		}
		w.elements += int(n) // keys and values
		for range n {
			if err := w.value(kv>>4, depth+1); err != nil {
				return err
			}
			if err := w.value(kv&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 12:
		for {
			h, err := w.byte()
			if err != nil {
				return err
			}
			if h == 0 {
				return nil
			}
			if h>>4 == 0 { // a field id that is not a delta
				if _, err := w.uvarint(); err != nil {
					return err
				}
			}
			if err := w.value(h&0x0f, depth+1); err != nil {
				return err
			}
		}
	case 13:
		return w.skip(16, "UUID")
	default:
		return fmt.Errorf("a value of unknown type %d at byte %d", t, w.pos)
	}
}
