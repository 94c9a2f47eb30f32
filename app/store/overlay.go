package store

import (
	"bytes"

	"github.com/google/btree"

	"github.com/commonsledger/commons/x/core"
)

type entry struct {
	key     string
	value   []byte
	deleted bool
}

func entryLess(a, b entry) bool { return a.key < b.key }

// Overlay is an ordered write buffer over a parent Reader. Reads see the overlay's own writes first.
// It is not safe for concurrent use.
type Overlay struct {
	parent core.Reader
	tree   *btree.BTreeG[entry]
}

var _ core.KV = (*Overlay)(nil)

// NewOverlay returns an empty overlay over parent.
func NewOverlay(parent core.Reader) *Overlay {
	return &Overlay{parent: parent, tree: btree.NewG(16, entryLess)}
}

// Get implements core.Reader.
func (o *Overlay) Get(key []byte) ([]byte, bool) {
	if e, ok := o.tree.Get(entry{key: string(key)}); ok {
		if e.deleted {
			return nil, false
		}
		return e.value, true
	}
	return o.parent.Get(key)
}

// Set implements core.KV. The overlay keeps its own copy of value.
func (o *Overlay) Set(key, value []byte) {
	o.tree.ReplaceOrInsert(entry{key: string(key), value: append([]byte{}, value...)})
}

// Delete implements core.KV.
func (o *Overlay) Delete(key []byte) {
	o.tree.ReplaceOrInsert(entry{key: string(key), deleted: true})
}

// Len is the number of keys written (set or deleted) in this overlay.
func (o *Overlay) Len() int { return o.tree.Len() }

// Writes calls fn for every written key in ascending order; value is nil for a delete.
func (o *Overlay) Writes(fn func(key, value []byte, deleted bool) bool) {
	o.tree.Ascend(func(e entry) bool { return fn([]byte(e.key), e.value, e.deleted) })
}

// WriteTo applies this overlay's writes to dst (usually the parent overlay).
func (o *Overlay) WriteTo(dst core.KV) {
	o.Writes(func(k, v []byte, deleted bool) bool {
		if deleted {
			dst.Delete(k)
		} else {
			dst.Set(k, v)
		}
		return true
	})
}

// Iterate implements core.Reader by merging the overlay's entries in range with the parent's.
func (o *Overlay) Iterate(start, end []byte, reverse bool, fn func(key, value []byte) bool) {
	var mine []entry
	collect := func(e entry) bool { mine = append(mine, e); return true }
	lo := entry{key: string(start)}
	switch {
	case end == nil && !reverse:
		o.tree.AscendGreaterOrEqual(lo, collect)
	case end == nil:
		o.tree.AscendGreaterOrEqual(lo, collect)
	default:
		o.tree.AscendRange(lo, entry{key: string(end)}, collect)
	}
	if reverse {
		for i, j := 0, len(mine)-1; i < j; i, j = i+1, j-1 {
			mine[i], mine[j] = mine[j], mine[i]
		}
	}
	// before reports whether overlay key a comes before parent key b in iteration order.
	before := func(a string, b []byte) bool {
		c := bytes.Compare([]byte(a), b)
		if reverse {
			return c > 0
		}
		return c < 0
	}
	i, stopped := 0, false
	emit := func(e entry) bool {
		if e.deleted {
			return true
		}
		return fn([]byte(e.key), e.value)
	}
	o.parent.Iterate(start, end, reverse, func(k, v []byte) bool {
		for i < len(mine) && before(mine[i].key, k) {
			if !emit(mine[i]) {
				stopped = true
				return false
			}
			i++
		}
		if i < len(mine) && mine[i].key == string(k) {
			e := mine[i]
			i++
			if !emit(e) {
				stopped = true
				return false
			}
			return true
		}
		if !fn(k, v) {
			stopped = true
			return false
		}
		return true
	})
	for ; !stopped && i < len(mine); i++ {
		if !emit(mine[i]) {
			return
		}
	}
}
