package abci

import (
	"context"

	abcitypes "github.com/cometbft/cometbft/abci/types"

	"github.com/commonsledger/commons/app/snapshot"
)

// Snapshots is what the adapter needs to serve and restore state-sync snapshots, and to have one
// taken after a commit. *snapshot.Manager implements it.
type Snapshots interface {
	Committed(height int64)
	List() []snapshot.Descriptor
	LoadChunk(height uint64, format, index uint32) []byte
	Offer(d snapshot.Descriptor, appHash []byte) snapshot.OfferResult
	ApplyChunk(index uint32, chunk []byte, sender string) snapshot.ApplyResult
}

// SetSnapshots enables state-sync snapshots. Without it the adapter lists none and refuses offers.
// Call it before the node starts.
func (a *Adapter) SetSnapshots(s Snapshots) { a.snapshots = s }

// afterCommit lets the snapshot manager start a snapshot of the height just committed. It returns
// at once: the snapshot is written in the background.
func (a *Adapter) afterCommit(height int64) {
	if a.snapshots != nil {
		a.snapshots.Committed(height)
	}
}

// ListSnapshots is called when a peer asks this node which snapshots it can serve (CometBFT sends
// the newest ten). It must be cheap and never change state.
func (a *Adapter) ListSnapshots(context.Context, *abcitypes.RequestListSnapshots) (*abcitypes.ResponseListSnapshots, error) {
	res := &abcitypes.ResponseListSnapshots{}
	if a.snapshots == nil {
		return res, nil
	}
	for _, d := range a.snapshots.List() {
		res.Snapshots = append(res.Snapshots, &abcitypes.Snapshot{
			Height: d.Height, Format: d.Format, Chunks: d.Chunks, Hash: d.Hash, Metadata: d.Metadata})
	}
	return res, nil
}

// LoadSnapshotChunk is called when a peer asks for one chunk of a snapshot this node listed. An
// empty chunk tells CometBFT this node does not have it, and the peer asks another.
func (a *Adapter) LoadSnapshotChunk(_ context.Context, req *abcitypes.RequestLoadSnapshotChunk) (*abcitypes.ResponseLoadSnapshotChunk, error) {
	if a.snapshots == nil {
		return &abcitypes.ResponseLoadSnapshotChunk{}, nil
	}
	return &abcitypes.ResponseLoadSnapshotChunk{Chunk: a.snapshots.LoadChunk(req.Height, req.Format, req.Chunk)}, nil
}

// OfferSnapshot is called on a state-syncing node for each snapshot peers advertise, with the app
// hash its light client verified for the snapshot's height. Accepting it wipes the app's store
// and prepares the restore; chunks then arrive through ApplySnapshotChunk.
func (a *Adapter) OfferSnapshot(_ context.Context, req *abcitypes.RequestOfferSnapshot) (*abcitypes.ResponseOfferSnapshot, error) {
	if a.snapshots == nil || req.Snapshot == nil {
		return &abcitypes.ResponseOfferSnapshot{Result: abcitypes.ResponseOfferSnapshot_REJECT}, nil
	}
	s := req.Snapshot
	r := a.snapshots.Offer(snapshot.Descriptor{Height: s.Height, Format: s.Format, Chunks: s.Chunks, Hash: s.Hash, Metadata: s.Metadata}, req.AppHash)
	out := abcitypes.ResponseOfferSnapshot_REJECT
	switch r {
	case snapshot.OfferAccept:
		out = abcitypes.ResponseOfferSnapshot_ACCEPT
	case snapshot.OfferAbort:
		out = abcitypes.ResponseOfferSnapshot_ABORT
	case snapshot.OfferRejectFormat:
		out = abcitypes.ResponseOfferSnapshot_REJECT_FORMAT
	}
	return &abcitypes.ResponseOfferSnapshot{Result: out}, nil
}

// ApplySnapshotChunk is called with each chunk of the accepted snapshot, in order. After the last
// one the app has checked the restored state against the app hash and reports the snapshot height
// from Info; CometBFT verifies that before the node follows blocks.
func (a *Adapter) ApplySnapshotChunk(_ context.Context, req *abcitypes.RequestApplySnapshotChunk) (*abcitypes.ResponseApplySnapshotChunk, error) {
	if a.snapshots == nil {
		return &abcitypes.ResponseApplySnapshotChunk{Result: abcitypes.ResponseApplySnapshotChunk_ABORT}, nil
	}
	r := a.snapshots.ApplyChunk(req.Index, req.Chunk, req.Sender)
	out := abcitypes.ResponseApplySnapshotChunk_ABORT
	switch r.Status {
	case snapshot.ApplyAccept:
		out = abcitypes.ResponseApplySnapshotChunk_ACCEPT
	case snapshot.ApplyRetry:
		out = abcitypes.ResponseApplySnapshotChunk_RETRY
	case snapshot.ApplyRetrySnapshot:
		out = abcitypes.ResponseApplySnapshotChunk_RETRY_SNAPSHOT
	case snapshot.ApplyRejectSnapshot:
		out = abcitypes.ResponseApplySnapshotChunk_REJECT_SNAPSHOT
	}
	return &abcitypes.ResponseApplySnapshotChunk{Result: out, RefetchChunks: r.Refetch, RejectSenders: r.RejectSenders}, nil
}
