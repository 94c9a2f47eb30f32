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
	// created: the key's first write in this overlay was a Create, so the state under the overlay
	// has no value for it and the app hash update need not read one.
	created bool
}

func entryLess(a, b entry) bool { return a.key < b.key }

// Overlay is an ordered write buffer over a parent Reader. Reads see the overlay's own writes first.
// It is not safe for concurrent use.
//
// A tx writes a handful of keys, so an overlay starts as a small sorted slice and moves its entries
// into a B-tree only once it outgrows smallOverlay; a per-tx overlay then costs one small
// allocation instead of a B-tree. Both forms hold the same entries in the same key order.
//
// A large overlay (a block's, or the mempool's check state) holds its entries in a map, so a read or
// a write is one hash lookup instead of a walk down a tree comparing long shared key prefixes. The
// B-tree then only orders the keys, and only when something iterates: a key new to the overlay waits
// in fresh until the next iteration inserts it. So the check state, which CheckTx writes for every
// tx and hardly ever iterates, seldom pays for ordering its keys.
type Overlay struct {
	parent core.Reader
	small  []entry              // sorted by key; used while tree is nil
	tree   *btree.BTreeG[entry] // nil until the overlay outgrows smallOverlay; keys only (see byKey)
	byKey  map[string]entry     // with tree: every entry, by key
	fresh  []string             // with tree: keys in byKey not yet in tree
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
		e, ok := o.byKey[key]
		return e, ok
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

// put writes e. A key's created flag is the one its first write in this overlay gave it: a write
// after a Create leaves the key created, and a Create after a Set does not make it so.
func (o *Overlay) put(e entry) {
	if o.tree != nil {
		if old, ok := o.byKey[e.key]; !ok {
			o.fresh = append(o.fresh, e.key)
		} else {
			e.created = old.created
		}
		o.byKey[e.key] = e
		return
	}
	i, ok := o.search(e.key)
	if ok {
		e.created = o.small[i].created
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
	o.byKey = make(map[string]entry, 2*smallOverlay)
	for _, x := range o.small {
		o.tree.ReplaceOrInsert(entry{key: x.key})
		o.byKey[x.key] = x
	}
	o.small = nil
	o.put(e)
}

// order inserts the fresh keys into the tree, so that it orders every key of byKey.
func (o *Overlay) order() {
	for _, k := range o.fresh {
		o.tree.ReplaceOrInsert(entry{key: k})
	}
	o.fresh = o.fresh[:0]
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

// Create implements core.Creator: Set, for a key the caller knows has no value under the overlay.
func (o *Overlay) Create(key, value []byte) {
	o.put(entry{key: string(key), value: append([]byte{}, value...), created: true})
}

// Delete implements core.KV.
func (o *Overlay) Delete(key []byte) {
	o.put(entry{key: string(key), deleted: true})
}

// Len is the number of keys written (set or deleted) in this overlay.
func (o *Overlay) Len() int {
	if o.tree != nil {
		return len(o.byKey)
	}
	return len(o.small)
}

// ascend calls fn for the entries with lo <= key < hi (hi "" with noHi: no upper bound), in order.
func (o *Overlay) ascend(lo string, hi string, noHi bool, fn func(e entry) bool) {
	if o.tree != nil {
		o.order()
		visit := func(k entry) bool { return fn(o.byKey[k.key]) }
		if noHi {
			o.tree.AscendGreaterOrEqual(entry{key: lo}, visit)
		} else {
			o.tree.AscendRange(entry{key: lo}, entry{key: hi}, visit)
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

// Each calls fn for every written key in no particular order (a large overlay's map order, which
// varies from run to run); value is nil for a delete. It is for callers whose result cannot depend
// on the order (a commutative sum, a batch of distinct keys, a cache update), and spares a large
// overlay ordering its keys and a map lookup per key.
func (o *Overlay) Each(fn func(key, value []byte, deleted bool) bool) {
	o.each(func(e entry) bool { return fn([]byte(e.key), e.value, e.deleted) })
}

// each is Each over the entries themselves.
func (o *Overlay) each(fn func(e entry) bool) {
	if o.tree == nil {
		for _, e := range o.small {
			if !fn(e) {
				return
			}
		}
		return
	}
	for _, e := range o.byKey {
		if !fn(e) {
			return
		}
	}
}

// WriteTo applies this overlay's writes to dst (usually the parent overlay).
func (o *Overlay) WriteTo(dst core.KV) {
	if p, ok := dst.(*Overlay); ok {
		// An overlay never changes an entry's key or value in place (a write replaces the entry),
		// so the destination can share them rather than copy each again.
		o.ascend("", "", true, func(e entry) bool { p.put(e); return true })
		return
	}
	o.Writes(func(k, v []byte, deleted bool) bool {
		if deleted {
			dst.Delete(k)
		} else {
			dst.Set(k, v)
		}
		return true
	})
}

// Iterate implements core.Reader by merging the overlay's entries in range with the parent's. The
// overlay's own entries are read a batch at a time (see overlayCursor), so an iteration that stops
// after k items costs O(k + log n) however many entries the overlay holds in the range: a reverse
// "last key before x" seek over a block overlay of 50,000 writes reads one batch, not 50,000.
// fn must not write to o (no caller does; every writer collects keys first).
func (o *Overlay) Iterate(start, end []byte, reverse bool, fn func(key, value []byte) bool) {
	cur := overlayCursor{o: o, lo: string(start), hi: string(end), noHi: end == nil, reverse: reverse, batch: firstBatch}
	// before reports whether overlay key a comes before parent key b in iteration order.
	before := func(a string, b []byte) bool {
		c := bytes.Compare([]byte(a), b)
		if reverse {
			return c > 0
		}
		return c < 0
	}
	stopped := false
	emit := func(e entry) bool {
		if e.deleted {
			return true
		}
		return fn([]byte(e.key), e.value)
	}
	o.parent.Iterate(start, end, reverse, func(k, v []byte) bool {
		for {
			e, ok := cur.peek()
			if !ok || !before(e.key, k) {
				break
			}
			cur.next()
			if !emit(e) {
				stopped = true
				return false
			}
		}
		if e, ok := cur.peek(); ok && e.key == string(k) {
			cur.next()
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
	for !stopped {
		e, ok := cur.peek()
		if !ok {
			return
		}
		cur.next()
		if !emit(e) {
			return
		}
	}
}

// Batch sizes of overlayCursor: the first batch is small (most iterations stop early), and each
// refill doubles up to maxBatch, so a full scan makes O(log n + n/maxBatch) tree descents.
var (
	firstBatch = 8
	maxBatch   = 1024
)

// overlayCursor yields an overlay's own entries within [lo, hi) in iteration order, reading them
// from the tree a batch at a time. Between batches it holds no tree iterator, only the last key it
// returned, which bounds the next batch.
type overlayCursor struct {
	o        *Overlay
	lo, hi   string
	noHi     bool
	reverse  bool
	batch    int
	buf      []entry
	i        int
	last     string // the last key read into buf; the next batch starts strictly after it
	started  bool
	finished bool // the range holds nothing after last
}

func (c *overlayCursor) peek() (entry, bool) {
	if c.i == len(c.buf) && !c.finished {
		c.fill()
	}
	if c.i < len(c.buf) {
		return c.buf[c.i], true
	}
	return entry{}, false
}

func (c *overlayCursor) next() { c.i++ }

func (c *overlayCursor) fill() {
	c.buf, c.i = c.buf[:0], 0
	n := c.batch
	c.batch = min(2*c.batch, maxBatch)
	add := func(e entry) bool {
		if c.started && e.key == c.last {
			return true // the bound itself was returned by the previous batch
		}
		c.buf = append(c.buf, e)
		return len(c.buf) < n
	}
	if c.reverse {
		hi, noHi := c.hi, c.noHi
		if c.started {
			hi, noHi = c.last, false
		}
		c.o.descend(c.lo, hi, noHi, add)
	} else {
		lo := c.lo
		if c.started {
			lo = c.last
		}
		c.o.ascend(lo, c.hi, c.noHi, add)
	}
	if len(c.buf) < n {
		c.finished = true
	}
	if len(c.buf) > 0 {
		c.last, c.started = c.buf[len(c.buf)-1].key, true
	}
}

// descend calls fn for the entries with lo <= key < hi (noHi: no upper bound), in descending order.
func (o *Overlay) descend(lo, hi string, noHi bool, fn func(e entry) bool) {
	if o.tree != nil {
		o.order()
		visit := func(k entry) bool {
			if k.key < lo {
				return false
			}
			if !noHi && k.key >= hi {
				return true // DescendLessOrEqual includes hi itself; the range excludes it
			}
			return fn(o.byKey[k.key])
		}
		if noHi {
			o.tree.Descend(visit)
		} else {
			o.tree.DescendLessOrEqual(entry{key: hi}, visit)
		}
		return
	}
	i := len(o.small)
	if !noHi {
		i, _ = o.search(hi)
	}
	for i--; i >= 0 && o.small[i].key >= lo; i-- {
		if !fn(o.small[i]) {
			return
		}
	}
}
