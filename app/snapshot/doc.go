// Package snapshot produces, serves and restores the state-sync snapshots that let a new node join
// a running network without replaying every block.
//
// A snapshot is the application state at one committed height H: every (key, value) pair of the
// store in key order, cut into chunks of a few MiB, plus metadata that names the height, the block
// time, the SHA-256 of every chunk and the lattice (the accumulator whose hash is the app hash).
// The layout on disk and on the wire is documented in docs/statesync.md.
//
// Producing one never stalls blocks: after Commit of H the Manager reads the store at version H in
// a background goroutine. Badger's managed mode keeps that version readable while later blocks
// commit, and the Manager recomputes the lattice over what it read, so a snapshot whose data does
// not hash to the app hash of H is never published.
//
// Restoring trusts nothing a peer sent: each chunk is checked against the metadata's SHA-256 on
// arrival, and after the last chunk the lattice is recomputed from the restored store and compared
// with the app hash CometBFT's light client verified for H. Only then is the store's Meta written,
// which is what makes the restored state visible; on any failure the store is wiped.
package snapshot
