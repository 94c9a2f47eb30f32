// Package app is the Commons Ledger state machine: module wiring, tx routing and execution, genesis,
// the app hash, queries and invariants. It knows nothing of ABCI wire types beyond events; package
// abci adapts it to CometBFT.
//
// Execution model. A block executes on a store.Overlay over the last committed version; each tx
// executes on a child overlay merged only on success, so a failing tx changes nothing. CheckTx runs
// the same code on a separate check overlay that is reset at every Commit and rebuilt by CometBFT's
// recheck. The app hash is a lattice hash updated from the block's written keys only.
package app
