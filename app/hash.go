package app

import (
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
)

// expansionCacheSize bounds the lattice expansions kept from one block to the next (2 KiB each).
const expansionCacheSize = 8192

// updateLattice applies a block's writes to the accumulator (see store.UpdateLattice).
func updateLattice(l store.Lattice, base core.Reader, writes *store.Overlay) store.Lattice {
	return store.UpdateLattice(l, base, writes)
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
