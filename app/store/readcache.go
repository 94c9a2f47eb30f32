package store

import "github.com/commonsledger/commons/x/core"

// ReadCache is a Reader over an immutable parent (one committed version) that remembers each key it
// has read, found or not. A block reads the accounts and records its txs touch, and the lattice
// update then reads the old value of every key the block wrote: with the cache that second read is
// a map lookup instead of a walk through Badger's memtables and levels, which is what grows with
// the state (BENCHMARKS.md, "Scale"). The parent never changes (until Rebase, which keeps the cache
// exact), so the cache can change how long a read takes but never what it returns. Iterate is
// passed through. Not safe for concurrent use. An unbounded cache (NewReadCache) lives as long as
// the block that made it, so its size is bounded by the block's own reads.
//
// A bounded cache (NewBoundedReadCache) can outlive its parent: Rebase moves it to the next
// committed version, applying the block's writes to the keys it holds, so the mempool's check state
// reads each account it has seen from memory instead of Badger, block after block.
type ReadCache struct {
	parent core.Reader
	// peer, if set, is asked before parent on a miss: another cache of the same version of the
	// same store (Peek), which answers only what it holds (ok), so never anything parent would not.
	peer func(key []byte) (value []byte, found, ok bool)
	m    map[string]cachedRead
	// max bounds the bytes held (keys and values, plus cachedOverhead per key): the cache forgets
	// everything rather than hold more; 0: no bound. size is what it holds now (bounded caches only).
	max, size int
}

// cachedOverhead estimates a cached key's memory beyond its key and value bytes (map slot, string
// and slice headers).
const cachedOverhead = 64

type cachedRead struct {
	value []byte
	found bool
}

var _ core.Reader = (*ReadCache)(nil)

// NewReadCache returns an empty cache over parent.
func NewReadCache(parent core.Reader) *ReadCache {
	return &ReadCache{parent: parent, m: map[string]cachedRead{}}
}

// NewPeeringReadCache is NewReadCache whose misses ask peer first (a Peek of another cache of the
// same version of the same store, or nothing: ok false) and parent only when peer does not know.
func NewPeeringReadCache(parent core.Reader, peer func(key []byte) (value []byte, found, ok bool)) *ReadCache {
	return &ReadCache{parent: parent, peer: peer, m: map[string]cachedRead{}}
}

// NewBoundedReadCache returns an empty cache over parent that holds at most maxBytes (keys, values
// and cachedOverhead per key): it starts afresh when full.
func NewBoundedReadCache(parent core.Reader, maxBytes int) *ReadCache {
	return &ReadCache{parent: parent, m: map[string]cachedRead{}, max: maxBytes}
}

// Rebase moves the cache onto parent, the next committed version, which committed made from the old
// parent: every key committed writes that the cache holds takes its new value (or its deletion), so
// the cache answers for parent exactly as parent would. With committed nil (the state changed some
// other way: a restore, a genesis) it forgets everything. committed's values are its own copies and
// never change (Overlay.Set copies), so they are kept without copying.
func (c *ReadCache) Rebase(parent core.Reader, committed *Overlay) {
	c.parent = parent
	if committed == nil {
		c.forget()
		return
	}
	committed.Each(func(k, v []byte, deleted bool) bool {
		if old, ok := c.m[string(k)]; ok {
			c.m[string(k)] = cachedRead{value: v, found: !deleted}
			c.size += len(v) - len(old.value)
		}
		return true
	})
	if c.max > 0 && c.size > c.max {
		c.forget()
	}
}

func (c *ReadCache) forget() {
	clear(c.m)
	c.size = 0
}

// Get implements core.Reader. Callers must not modify the returned slice (no caller of a Reader
// does: values are decoded or copied, as Overlay.Set copies).
func (c *ReadCache) Get(key []byte) ([]byte, bool) {
	if r, ok := c.m[string(key)]; ok {
		return r.value, r.found
	}
	v, found, ok := c.peek(key)
	if !ok {
		v, found = c.parent.Get(key)
	}
	if c.max > 0 {
		n := len(key) + len(v) + cachedOverhead
		if c.size+n > c.max {
			c.forget()
		}
		c.size += n
	}
	c.m[string(key)] = cachedRead{value: v, found: found}
	return v, found
}

func (c *ReadCache) peek(key []byte) ([]byte, bool, bool) {
	if c.peer == nil {
		return nil, false, false
	}
	return c.peer(key)
}

// Peek returns what the cache holds for key without reading the parent: ok false when it holds
// nothing. The value must not be modified, like Get's.
func (c *ReadCache) Peek(key []byte) (value []byte, found, ok bool) {
	r, ok := c.m[string(key)]
	return r.value, r.found, ok
}

// Iterate implements core.Reader.
func (c *ReadCache) Iterate(start, end []byte, reverse bool, fn func(key, value []byte) bool) {
	c.parent.Iterate(start, end, reverse, fn)
}

// Len is the number of keys remembered.
func (c *ReadCache) Len() int { return len(c.m) }
