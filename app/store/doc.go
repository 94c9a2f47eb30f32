// Package store is Commons Ledger's state storage: Badger v4 in managed (versioned) mode.
//
// Every committed block is written as ONE Badger transaction at version = block height, together
// with the store's Meta (height, app hash, lattice). Badger replays only complete transactions after
// a crash, so the state on disk is always exactly the state after some committed block: there is no
// partially-applied block to repair. Reads at a recent height open a read transaction at that
// version; older versions are released to compaction by moving the discard timestamp.
//
// Writes never go straight to Badger: a block executes on an Overlay (an ordered write buffer over a
// read view), and each tx executes on a child Overlay that is merged into the block's only if the tx
// succeeds.
package store
