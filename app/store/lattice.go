package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"

	"lukechampine.com/blake3"

	"github.com/commonsledger/commons/x/core"
)

// LatticeLanes is the number of 16-bit lanes in the accumulator (2 KiB), as in Solana's lattice
// accounts hash. Lane-wise addition makes the accumulator an order-independent, incremental
// commitment to a set of (key, value) pairs that resists the generalised-birthday attacks that break
// XOR and small-sum set hashes.
const LatticeLanes = 1024

// LatticeBytes is the encoded size of a Lattice.
const LatticeBytes = LatticeLanes * 2

var latticeDomain = []byte("commons-ledger/lattice/v2\x00")

// Lattice is the additive set-hash accumulator over every (key, value) pair of state.
type Lattice [LatticeLanes]uint16

// expander maps (key, value) pairs to lattice elements. It reuses its hasher and buffers, so
// expanding allocates nothing; it is not safe for concurrent use.
type expander struct {
	h   *blake3.Hasher
	buf []byte
	raw [LatticeBytes]byte
}

func newExpander() *expander { return &expander{h: blake3.New(32, nil)} }

// expand maps one (key, value) pair to a lattice element with BLAKE3's extendable output (as
// Solana's lattice hash does), into e.raw as little-endian lanes. The key is length-prefixed, so the
// encoding is injective.
func (e *expander) expand(key, value []byte) *[LatticeBytes]byte {
	return e.expandInto(&e.raw, key, value)
}

// expandInto is expand writing into dst, so a caller that keeps the expansion needs no copy.
func (e *expander) expandInto(dst *[LatticeBytes]byte, key, value []byte) *[LatticeBytes]byte {
	e.buf = append(e.buf[:0], latticeDomain...)
	e.buf = binary.AppendUvarint(e.buf, uint64(len(key)))
	e.buf = append(e.buf, key...)
	e.buf = append(e.buf, value...)
	e.h.Reset()
	e.h.Write(e.buf)
	// Read in 1 KiB halves: the reader fills a whole 1 KiB read with one SIMD call, but spreads a
	// larger one over goroutines, which costs more than it saves at this size. The bytes are the same.
	x := e.h.XOF()
	x.Read(dst[:LatticeBytes/2])
	x.Read(dst[LatticeBytes/2:])
	return dst
}

func (l *Lattice) add(raw *[LatticeBytes]byte) {
	for i := range l {
		l[i] += binary.LittleEndian.Uint16(raw[2*i:]) // wraps mod 2^16 by design
	}
}

func (l *Lattice) sub(raw *[LatticeBytes]byte) {
	for i := range l {
		l[i] -= binary.LittleEndian.Uint16(raw[2*i:])
	}
}

var expanders = sync.Pool{New: func() any { return newExpander() }}

// Add inserts (key, value) into the set.
func (l *Lattice) Add(key, value []byte) {
	e := expanders.Get().(*expander)
	l.add(e.expand(key, value))
	expanders.Put(e)
}

// Remove deletes (key, value) from the set; it must have been added before.
func (l *Lattice) Remove(key, value []byte) {
	e := expanders.Get().(*expander)
	l.sub(e.expand(key, value))
	expanders.Put(e)
}

// Plus returns the lane-wise sum l + o.
func (l *Lattice) Plus(o *Lattice) {
	for i := range l {
		l[i] += o[i]
	}
}

// Bytes encodes the accumulator little-endian.
func (l *Lattice) Bytes() []byte {
	out := make([]byte, LatticeBytes)
	for i, v := range l {
		binary.LittleEndian.PutUint16(out[2*i:], v)
	}
	return out
}

// Hash is the 32-byte app hash: SHA-256 of the encoded accumulator.
func (l *Lattice) Hash() []byte {
	h := sha256.New()
	h.Write(latticeDomain)
	h.Write(l.Bytes())
	return h.Sum(nil)
}

// LatticeFromBytes decodes an encoded accumulator.
func LatticeFromBytes(b []byte) (Lattice, error) {
	var l Lattice
	if len(b) == 0 {
		return l, nil
	}
	if len(b) != LatticeBytes {
		return l, fmt.Errorf("lattice must be %d bytes, got %d", LatticeBytes, len(b))
	}
	for i := range l {
		l[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return l, nil
}

// latticeChange is one written key: its old value (if it had one) and its new one (unless deleted).
type latticeChange struct {
	key, old, new []byte
	hadOld, isNew bool
	oldRaw        *[LatticeBytes]byte // the old pair's expansion, when the cache had it
	newRaw        *[LatticeBytes]byte // where the new pair's expansion goes, to be cached
}

// minParallelKeys is the smallest write set worth spreading across cores.
const minParallelKeys = 64

// ExpansionCache remembers the expansions of the pairs the previous block wrote, so that when the
// next block changes the same keys again (busy accounts, counters) only their new values are
// expanded: the old pair's expansion is reused for its removal. An entry is used only if its value
// is byte-for-byte the old value, and the expansion is a pure function of (key, value), so the
// cache can change how much work a block takes but never its result (so can which keys it keeps
// when a block writes more than max: the writes are visited in map order). Not safe for concurrent
// use.
type ExpansionCache struct {
	max   int
	m     map[string]cachedExpansion
	slab  [][LatticeBytes]byte // holds the expansions m points into
	spare [][LatticeBytes]byte // the slab before it, free for the next block to overwrite
}

type cachedExpansion struct {
	value []byte
	raw   *[LatticeBytes]byte
}

// NewExpansionCache keeps up to max expansions (2 KiB each).
func NewExpansionCache(max int) *ExpansionCache {
	return &ExpansionCache{max: max, m: map[string]cachedExpansion{}}
}

// UpdateLattice applies a block's writes to the accumulator l: each written key's old pair in base
// is removed and its new pair added. The cost is proportional to the keys the block wrote, not to
// the state. Lane addition commutes, so the writes are expanded in parallel into per-worker partial
// sums that are then added up: the result does not depend on how the work was split. base is read
// from this goroutine only (a Badger read transaction is not shared across goroutines).
func UpdateLattice(l Lattice, base core.Reader, writes *Overlay) Lattice {
	return updateLattice(l, base, writes, nil)
}

// Update is UpdateLattice with the cache: it reuses cached expansions of old pairs and then holds
// the expansions of this block's new pairs.
func (c *ExpansionCache) Update(l Lattice, base core.Reader, writes *Overlay) Lattice {
	return updateLattice(l, base, writes, c)
}

func updateLattice(l Lattice, base core.Reader, writes *Overlay, cache *ExpansionCache) Lattice {
	changes := make([]latticeChange, 0, writes.Len())
	writes.each(func(e entry) bool { // any order: lane sums commute
		k := []byte(e.key)
		c := latticeChange{key: k, new: e.value, isNew: !e.deleted}
		if !e.created { // a created key has no old pair (core.Creator)
			c.old, c.hadOld = base.Get(k)
		}
		if cache != nil && c.hadOld {
			if e, ok := cache.m[string(k)]; ok && bytes.Equal(e.value, c.old) {
				c.oldRaw = e.raw
			}
		}
		changes = append(changes, c)
		return true
	})
	var slab [][LatticeBytes]byte
	if cache != nil {
		slab = cache.take(min(len(changes), cache.max))
		for i := range slab {
			if changes[i].isNew {
				changes[i].newRaw = &slab[i]
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(changes)/minParallelKeys)
	if workers <= 1 {
		applyChanges(&l, changes)
	} else {
		partial := make([]Lattice, workers)
		var wg sync.WaitGroup
		per := (len(changes) + workers - 1) / workers
		for w := range workers {
			lo, hi := w*per, min((w+1)*per, len(changes))
			wg.Add(1)
			go func() {
				defer wg.Done()
				applyChanges(&partial[w], changes[lo:hi])
			}()
		}
		wg.Wait()
		for w := range partial {
			l.Plus(&partial[w])
		}
	}
	if cache != nil {
		cache.spare, cache.slab = cache.slab, slab
		cache.m = make(map[string]cachedExpansion, len(slab))
		for _, c := range changes[:len(slab)] {
			if c.newRaw != nil {
				cache.m[string(c.key)] = cachedExpansion{value: c.new, raw: c.newRaw}
			}
		}
	}
	return l
}

// take returns n slots for this block's expansions, reusing the slab from two blocks ago (nothing
// points into it any more: the map was rebuilt since) instead of zeroing 2 KiB per key anew. Every
// slot handed out is overwritten before it is read. A new slab gets room for max slots at once, so
// blocks of varying size do not each allocate (and the GC then reclaim) a larger one: the pages a
// block never touches are never faulted in.
func (c *ExpansionCache) take(n int) [][LatticeBytes]byte {
	if cap(c.spare) >= n {
		s := c.spare[:n]
		c.spare = nil
		return s
	}
	return make([][LatticeBytes]byte, n, max(n, c.max))
}

func applyChanges(l *Lattice, changes []latticeChange) {
	e := expanders.Get().(*expander)
	defer expanders.Put(e)
	for _, c := range changes {
		switch {
		case c.oldRaw != nil:
			l.sub(c.oldRaw)
		case c.hadOld:
			l.sub(e.expand(c.key, c.old))
		}
		switch {
		case c.newRaw != nil: // kept for the next block: expanded straight into the cache's slab
			l.add(e.expandInto(c.newRaw, c.key, c.new))
		case c.isNew:
			l.add(e.expand(c.key, c.new))
		}
	}
}

// RecomputeLattice rebuilds the accumulator from scratch over every key of a state version. It must
// equal the incrementally maintained value; tests, Verify and snapshot restore check that.
func RecomputeLattice(r core.Reader) Lattice {
	var l Lattice
	r.Iterate(nil, nil, false, func(k, v []byte) bool {
		l.Add(k, v)
		return true
	})
	return l
}
