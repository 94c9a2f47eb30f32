package core

// Reader is read access to one consistent version of state.
type Reader interface {
	// Get returns the value stored under key and whether it exists.
	Get(key []byte) ([]byte, bool)
	// Iterate calls fn for each key in [start, end) in ascending key order (descending when reverse),
	// until fn returns false. A nil end means "to the end of the keyspace". The slices passed to fn
	// are only valid during the call.
	Iterate(start, end []byte, reverse bool, fn func(key, value []byte) bool)
}

// KV is read-write access to state. Writes are buffered by the caller's overlay and become durable
// only when the block commits.
type KV interface {
	Reader
	Set(key, value []byte)
	Delete(key []byte)
}

// Creator is a KV that can be told a write creates its key: the key has no value in the state the
// block started from, nor in any write before this one. The store then does not read the key's
// old value when it updates the app hash (a lookup that finds nothing, but costs as much as one
// that finds something). Only a key a module's invariant proves absent may be created, such as a
// history entry numbered from its account's count (bank); creating a key that has a value breaks
// the app hash, which TestDeterminism's recomputed lattice would show.
type Creator interface {
	Create(key, value []byte)
}

// Create writes value under key, a key the caller knows is absent (Creator); on a KV that is not a
// Creator it is Set.
func Create(kv KV, key, value []byte) {
	if c, ok := kv.(Creator); ok {
		c.Create(key, value)
		return
	}
	kv.Set(key, value)
}

// PrefixEnd returns the smallest key greater than every key with the given prefix, for use as the
// exclusive end of a prefix scan. It returns nil when no such key exists (all 0xff).
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// IteratePrefix iterates over all keys with the given prefix.
func IteratePrefix(r Reader, prefix []byte, reverse bool, fn func(key, value []byte) bool) {
	r.Iterate(prefix, PrefixEnd(prefix), reverse, fn)
}
