package snapshot

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
)

// OfferResult is the answer to a snapshot offer; abci maps it to CometBFT's.
type OfferResult int

// Offer results.
const (
	OfferAccept       OfferResult = iota // restore this snapshot; chunks follow
	OfferAbort                           // state sync cannot work on this node at all
	OfferReject                          // not this snapshot; try another
	OfferRejectFormat                    // no snapshot of this format
)

// ApplyStatus is the answer to one chunk; abci maps it to CometBFT's.
type ApplyStatus int

// Apply statuses.
const (
	ApplyAccept         ApplyStatus = iota // chunk applied (the last one completes the restore)
	ApplyAbort                             // stop state sync: a local failure
	ApplyRetry                             // fetch this chunk again (see ApplyResult.Refetch)
	ApplyRetrySnapshot                     // offer the snapshot again from the start
	ApplyRejectSnapshot                    // this snapshot is bad; try another
)

// ApplyResult is the answer to one chunk.
type ApplyResult struct {
	Status        ApplyStatus
	Refetch       []uint32 // chunk indexes to fetch again
	RejectSenders []string // peers that sent bad chunks
}

// restoring is the restore in progress.
type restoring struct {
	md      *Metadata
	appHash []byte // verified by CometBFT's light client for md.Height
	w       *store.Restore
	next    uint32 // CometBFT applies chunks in index order
}

// Offer is called when CometBFT's state sync offers a snapshot from a peer, with the app hash its
// light client verified for the snapshot's height. It accepts only format 1 with metadata that
// decodes, agrees with the descriptor, and whose lattice hashes to that app hash; then it wipes
// the store and gets ready for chunks.
func (m *Manager) Offer(d Descriptor, appHash []byte) OfferResult {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.abortRestore()
	if d.Format != Format {
		return OfferRejectFormat
	}
	md, err := DecodeMetadata(d.Metadata)
	if err == nil {
		err = checkDescriptor(d, md, appHash)
	}
	if err != nil {
		m.log.Warn("rejected snapshot", "height", d.Height, "err", err)
		return OfferReject
	}
	w, err := m.db.BeginRestore(md.Height)
	if err != nil {
		m.log.Error("cannot restore a snapshot into this node; to state sync, start from an empty "+
			"data directory", "height", d.Height, "err", err)
		return OfferAbort
	}
	m.rs = &restoring{md: md, appHash: bytes.Clone(appHash), w: w}
	m.log.Info("restoring snapshot", "height", md.Height, "chunks", len(md.ChunkHashes))
	return OfferAccept
}

func checkDescriptor(d Descriptor, md *Metadata, appHash []byte) error {
	switch h := sha256.Sum256(d.Metadata); {
	case uint64(md.Height) != d.Height:
		return fmt.Errorf("metadata is for height %d", md.Height)
	case uint64(len(md.ChunkHashes)) != uint64(d.Chunks):
		return fmt.Errorf("metadata lists %d chunks, the offer %d", len(md.ChunkHashes), d.Chunks)
	case !bytes.Equal(h[:], d.Hash):
		return fmt.Errorf("snapshot hash %X is not the SHA-256 of its metadata (%X)", d.Hash, h)
	case !bytes.Equal(md.AppHash(), appHash):
		return fmt.Errorf("snapshot lattice hashes to %X, the chain's app hash at %d is %X", md.AppHash(), md.Height, appHash)
	}
	return nil
}

// ApplyChunk is called with each chunk of the accepted snapshot, in index order. A chunk whose
// SHA-256 differs from the metadata is refused and fetched again from another peer. After the last
// chunk the lattice is recomputed from the restored store; only if its hash is the verified app
// hash does the store's Meta get written and the app reload. Any failure wipes the store.
func (m *Manager) ApplyChunk(index uint32, chunk []byte, sender string) ApplyResult {
	m.mu.Lock()
	defer m.mu.Unlock()
	rs := m.rs
	if rs == nil {
		m.log.Error("snapshot chunk arrived with no snapshot being restored", "chunk", index)
		return ApplyResult{Status: ApplyAbort}
	}
	if index != rs.next {
		m.log.Warn("snapshot chunk out of order; restarting the snapshot", "chunk", index, "want", rs.next)
		m.abortRestore()
		return ApplyResult{Status: ApplyRetrySnapshot}
	}
	if sha256.Sum256(chunk) != rs.md.ChunkHashes[index] {
		m.log.Warn("snapshot chunk does not match its hash; fetching it again", "chunk", index, "sender", sender)
		res := ApplyResult{Status: ApplyRetry, Refetch: []uint32{index}}
		if sender != "" {
			res.RejectSenders = []string{sender}
		}
		return res
	}
	if err := decodePairs(chunk, rs.w.Set); err != nil {
		// The chunk is the one the metadata names, so the snapshot itself is malformed.
		m.log.Warn("snapshot chunk is malformed; rejecting the snapshot", "chunk", index, "err", err)
		m.abortRestore()
		return ApplyResult{Status: ApplyRejectSnapshot}
	}
	if rs.next++; int(rs.next) < len(rs.md.ChunkHashes) {
		return ApplyResult{Status: ApplyAccept}
	}
	return m.finishRestore()
}

// finishRestore checks the restored state against the verified app hash and makes it visible.
func (m *Manager) finishRestore() ApplyResult {
	rs := m.rs
	if err := rs.w.Flush(); err != nil {
		m.log.Error("cannot write the restored state", "err", err)
		m.abortRestore()
		return ApplyResult{Status: ApplyAbort}
	}
	lattice, err := recompute(rs.w)
	if err != nil {
		m.log.Error("cannot read back the restored state", "err", err)
		m.abortRestore()
		return ApplyResult{Status: ApplyAbort}
	}
	if got := lattice.Hash(); !bytes.Equal(got, rs.appHash) {
		m.log.Warn("restored state does not match the chain's app hash; rejecting the snapshot",
			"height", rs.md.Height, "got", fmt.Sprintf("%X", got), "want", fmt.Sprintf("%X", rs.appHash))
		m.abortRestore()
		return ApplyResult{Status: ApplyRejectSnapshot}
	}
	meta := store.Meta{Height: rs.md.Height, Time: rs.md.Time, AppHash: rs.appHash, Lattice: lattice}
	if err := rs.w.Finish(meta); err != nil {
		m.log.Error("cannot commit the restored state", "err", err)
		m.abortRestore()
		return ApplyResult{Status: ApplyAbort}
	}
	m.rs = nil
	m.app.Restored()
	m.log.Info("snapshot restored", "height", rs.md.Height, "pairs", rs.w.Pairs(), "app_hash", fmt.Sprintf("%X", rs.appHash))
	return ApplyResult{Status: ApplyAccept}
}

// recompute rebuilds the lattice from what the store now holds at the restore height.
func recompute(w *store.Restore) (l store.Lattice, err error) {
	v := w.View()
	defer v.Discard()
	defer core.RecoverFatal(&err)
	return store.RecomputeLattice(v), nil
}

// abortRestore drops the restore in progress, if any, and wipes what it wrote.
func (m *Manager) abortRestore() {
	if m.rs == nil {
		return
	}
	if err := m.rs.w.Abort(); err != nil {
		m.log.Error("cannot wipe an aborted restore; remove the state database before restarting", "err", err)
	}
	m.rs = nil
}
