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
