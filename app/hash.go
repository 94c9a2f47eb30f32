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
