// Package app is the Commons Ledger state machine: module wiring, tx routing and execution, genesis,
// the app hash, queries and invariants. It knows nothing of ABCI wire types beyond events; package
// abci adapts it to CometBFT.
//
// Execution model. A block executes on a store.Overlay over the last committed version; each tx
// executes on a child overlay merged only on success, so a failing tx changes nothing. CheckTx runs
// the same code on a separate check overlay that is reset at every Commit and rebuilt by CometBFT's
// recheck.
//
// App hash. The app hash commits to the whole state: it is the hash of a lattice accumulator
// (store.Lattice) over every (key, value) pair, updated from the keys a block wrote and nothing
// else. There is one path: InitChain and FinalizeBlock both call App.expansions.Update
// (store.ExpansionCache), which removes each written key's old pair and adds its new one, reusing
// the expansions of pairs the previous block wrote. store.RecomputeLattice computes the same value
// from scratch; tests, `commonsd debug verify` and state sync use it to check the incremental one.
package app
