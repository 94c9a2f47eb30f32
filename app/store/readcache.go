package store

import "github.com/commonsledger/commons/x/core"

// ReadCache is a Reader over an immutable parent (one committed version) that remembers each key it
// has read, found or not. A block reads the accounts and records its txs touch, and the lattice
// update then reads the old value of every key the block wrote: with the cache that second read is
// a map lookup instead of a walk through Badger's memtables and levels, which is what grows with
// the state (BENCHMARKS.md, "Scale"). The parent never changes, so the cache can change how long a
// read takes but never what it returns. Iterate is passed through. Not safe for concurrent use; it
// lives as long as the block that made it, so its size is bounded by the block's own reads.
type ReadCache struct {
	parent core.Reader
	m      map[string]cachedRead
}

type cachedRead struct {
	value []byte
	found bool
}

var _ core.Reader = (*ReadCache)(nil)

// NewReadCache returns an empty cache over parent.
func NewReadCache(parent core.Reader) *ReadCache {
	return &ReadCache{parent: parent, m: map[string]cachedRead{}}
}

// Get implements core.Reader. Callers must not modify the returned slice (no caller of a Reader
// does: values are decoded or copied, as Overlay.Set copies).
func (c *ReadCache) Get(key []byte) ([]byte, bool) {
	if r, ok := c.m[string(key)]; ok {
		return r.value, r.found
	}
	v, found := c.parent.Get(key)
	c.m[string(key)] = cachedRead{value: v, found: found}
	return v, found
}

// Iterate implements core.Reader.
func (c *ReadCache) Iterate(start, end []byte, reverse bool, fn func(key, value []byte) bool) {
	c.parent.Iterate(start, end, reverse, fn)
}

// Len is the number of keys remembered.
func (c *ReadCache) Len() int { return len(c.m) }
