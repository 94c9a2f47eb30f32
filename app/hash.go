package app

import (
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
)

// updateLattice applies a block's writes to the accumulator: each changed key's old pair is removed
// and its new pair added. The cost is proportional to the keys the block wrote, not to the state.
// Lane addition commutes, so the order of writes does not matter.
func updateLattice(l store.Lattice, base core.Reader, writes *store.Overlay) store.Lattice {
	writes.Writes(func(k, v []byte, deleted bool) bool {
		if old, ok := base.Get(k); ok {
			l.Remove(k, old)
		}
		if !deleted {
			l.Add(k, v)
		}
		return true
	})
	return l
}

// RecomputeLattice rebuilds the accumulator from scratch over every key of a state version. It must
// equal the incrementally maintained value; tests and snapshot restore check that.
func RecomputeLattice(r core.Reader) store.Lattice {
	var l store.Lattice
	r.Iterate(nil, nil, false, func(k, v []byte) bool {
		l.Add(k, v)
		return true
	})
	return l
}
