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
//
// A tx writes a handful of keys, so an overlay starts as a small sorted slice and moves its entries
// into a B-tree only once it outgrows smallOverlay; a per-tx overlay then costs one small
// allocation instead of a B-tree. Both forms hold the same entries in the same key order.
type Overlay struct {
	parent core.Reader
	small  []entry              // sorted by key; used while tree is nil
	tree   *btree.BTreeG[entry] // nil until the overlay outgrows smallOverlay
}

// smallOverlay is the most entries kept in the sorted slice.
const smallOverlay = 32

var _ core.KV = (*Overlay)(nil)

// NewOverlay returns an empty overlay over parent.
func NewOverlay(parent core.Reader) *Overlay {
	return &Overlay{parent: parent}
}

// find returns the entry for key and whether it is written in this overlay.
func (o *Overlay) find(key string) (entry, bool) {
	if o.tree != nil {
		return o.tree.Get(entry{key: key})
	}
	i, ok := o.search(key)
	if !ok {
		return entry{}, false
	}
	return o.small[i], true
}

// search is sort.Search over small for key.
func (o *Overlay) search(key string) (int, bool) {
	lo, hi := 0, len(o.small)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if o.small[m].key < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(o.small) && o.small[lo].key == key
}

func (o *Overlay) put(e entry) {
	if o.tree != nil {
		o.tree.ReplaceOrInsert(e)
		return
	}
	i, ok := o.search(e.key)
	if ok {
		o.small[i] = e
		return
	}
	if len(o.small) < smallOverlay {
		o.small = append(o.small, entry{})
		copy(o.small[i+1:], o.small[i:])
		o.small[i] = e
		return
	}
	o.tree = btree.NewG(16, entryLess)
	for _, x := range o.small {
		o.tree.ReplaceOrInsert(x)
	}
	o.small = nil
	o.tree.ReplaceOrInsert(e)
}

// Get implements core.Reader.
func (o *Overlay) Get(key []byte) ([]byte, bool) {
	if e, ok := o.find(string(key)); ok {
		if e.deleted {
			return nil, false
		}
		return e.value, true
	}
	return o.parent.Get(key)
}

// Set implements core.KV. The overlay keeps its own copy of value.
func (o *Overlay) Set(key, value []byte) {
	o.put(entry{key: string(key), value: append([]byte{}, value...)})
}

// Delete implements core.KV.
func (o *Overlay) Delete(key []byte) {
	o.put(entry{key: string(key), deleted: true})
}

// Len is the number of keys written (set or deleted) in this overlay.
func (o *Overlay) Len() int {
	if o.tree != nil {
		return o.tree.Len()
	}
	return len(o.small)
}

// ascend calls fn for the entries with lo <= key < hi (hi "" with noHi: no upper bound), in order.
func (o *Overlay) ascend(lo string, hi string, noHi bool, fn func(e entry) bool) {
	if o.tree != nil {
		if noHi {
			o.tree.AscendGreaterOrEqual(entry{key: lo}, fn)
		} else {
			o.tree.AscendRange(entry{key: lo}, entry{key: hi}, fn)
		}
		return
	}
	i, _ := o.search(lo)
	for ; i < len(o.small); i++ {
		if !noHi && o.small[i].key >= hi {
			return
		}
		if !fn(o.small[i]) {
			return
		}
	}
}

// Writes calls fn for every written key in ascending order; value is nil for a delete.
func (o *Overlay) Writes(fn func(key, value []byte, deleted bool) bool) {
	o.ascend("", "", true, func(e entry) bool { return fn([]byte(e.key), e.value, e.deleted) })
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
	o.ascend(string(start), string(end), end == nil, collect)
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
