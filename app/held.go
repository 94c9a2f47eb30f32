package app

import (
	"errors"
	"fmt"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
)

// maxHeldBlocks is how many commits a held tx may wait for the txs before it: a recheck after that
// fails it with the gap error, and the mempool evicts it.
const maxHeldBlocks = 5

// heldTxs are the txs CheckTx accepted into the mempool although their sequence is ahead of the
// check state's: with several nodes, a sender's txs can reach a peer out of order (each peer gossips
// what it has, and a recheck can reorder), and refusing such a tx loses it at that peer. A held tx is
// in the mempool, so it is gossiped and proposed, but its effects are not in the check state until
// the txs before it arrive; CheckTx then runs it (promote). PrepareProposal orders each sender's txs
// by sequence, so a block never fails a held tx for its order.
//
// Bounds, under checkMu:
//   - a sender's held sequences lie within MaxPendingPerSender of its committed sequence (pendingCap),
//     and one tx is held per (sender, sequence): at most MaxPendingPerSender per sender, and only
//     senders with an account and a valid signature get in (verified before holding);
//   - bySender is cleared at every commit and refilled by the mempool's recheck;
//   - a tx is held for at most maxHeldBlocks commits (since, two generations: a hash not rechecked
//     since the last commit is forgotten), so a sender cannot park txs forever.
type heldTxs struct {
	bySender map[string]map[uint64]preparedTx
	// since maps a held tx's hash to the check height at which it was first held; prev is the
	// previous commit's generation, consulted (and copied forward) by the recheck.
	since, prev map[[32]byte]int64
}

// firstHeld returns the height at which the tx with hash h was first held, recording height if it is
// new in this generation.
func (h *heldTxs) firstHeld(hash [32]byte, height int64) int64 {
	if s, ok := h.since[hash]; ok {
		return s
	}
	s, ok := h.prev[hash]
	if !ok {
		s = height
	}
	if h.since == nil {
		h.since = map[[32]byte]int64{}
	}
	h.since[hash] = s
	return s
}

// take removes and returns the held tx of signer at seq.
func (h *heldTxs) take(signer core.Address, seq uint64) (preparedTx, bool) {
	m := h.bySender[string(signer)]
	p, ok := m[seq]
	if ok {
		delete(m, seq)
		delete(h.since, p.hash)
	}
	return p, ok
}

// commit starts a new generation: nothing is held until the recheck holds it again.
func (h *heldTxs) commit() {
	clear(h.bySender)
	h.prev, h.since = h.since, h.prev
	clear(h.since)
}

// hold decides on a tx that runTx refused with gap (its sequence is ahead of the check state's): it
// is held if it is within the sender's pending window, not held too long already, the only tx held
// at its (sender, sequence), and correctly signed; otherwise it is refused with the reason.
func (a *App) hold(env execEnv, p *preparedTx, gap core.TxResult) core.TxResult {
	dtx, h := p.dtx, &a.held
	seq := dtx.Body.Sequence
	if env.admit(dtx.Signer, seq) != nil {
		return gap // beyond the pending window: a client that lost count is told the next sequence
	}
	acc, _ := a.keepers.Bank.Account(env.kv, dtx.Signer) // it exists: runTx checked the sequence
	if other, ok := h.bySender[string(dtx.Signer)][seq]; ok && other.hash != p.hash {
		gap.Err = auth.ErrSequenceGap.Wrapf("another tx with sequence %d of %s is already waiting for sequence %d", seq, dtx.Signer, acc.Sequence)
		return gap
	}
	if since := h.firstHeld(p.hash, env.height); env.height-since >= maxHeldBlocks {
		delete(h.since, p.hash)
		delete(h.prev, p.hash) // sent again, it starts a fresh wait
		gap.Err = auth.ErrSequenceGap.Wrapf("sequence %d of %s waited %d blocks for sequence %d, which has not arrived", seq, dtx.Signer, env.height-since, acc.Sequence)
		return gap
	}
	if err := a.checkSignature(p); err != nil {
		delete(h.since, p.hash)
		gap.Err = err
		return gap
	}
	if h.bySender == nil {
		h.bySender = map[string]map[uint64]preparedTx{}
	}
	m := h.bySender[string(dtx.Signer)]
	if m == nil {
		m = map[uint64]preparedTx{}
		h.bySender[string(dtx.Signer)] = m
	}
	m[seq] = *p
	a.cacheExecuted(p)
	gap.Err = nil
	gap.Note = fmt.Sprintf("held: sequence %d waits for sequence %d of %s (at most %d blocks)", seq, acc.Sequence, dtx.Signer, maxHeldBlocks)
	return gap
}

// promote runs, after signer's tx with sequence next-1 was accepted, its held txs from next on while
// they pass; one that fails stays in the mempool until the recheck evicts it.
func (a *App) promote(env execEnv, signer core.Address, next uint64) {
	for {
		p, ok := a.held.take(signer, next)
		if !ok {
			return
		}
		if r := a.runTx(env, &p); r.Err != nil {
			return
		}
		a.pending.set(signer, next+1)
		next++
	}
}

// isGap reports whether a tx failed only because its sequence is ahead.
func isGap(err error) bool { return errors.Is(err, auth.ErrSequenceGap) }

// errNoRoom is PrepareProposal's reason for leaving out a tx the block has no room for.
var errNoRoom = errors.New("no room left in the block")

// waitingTxs are a proposal's txs whose sequence was ahead when PrepareProposal reached them, by
// sender, in mempool order; each is tried again right after the tx before it is kept.
type waitingTxs map[string][]*preparedTx

func (w *waitingTxs) add(p *preparedTx) {
	if *w == nil {
		*w = waitingTxs{}
	}
	(*w)[string(p.dtx.Signer)] = append((*w)[string(p.dtx.Signer)], p)
}

// take removes and returns the first waiting tx of signer with sequence seq, or nil.
func (w waitingTxs) take(signer core.Address, seq uint64) *preparedTx {
	list := w[string(signer)]
	for i, p := range list {
		if p.dtx.Body.Sequence == seq {
			w[string(signer)] = append(list[:i], list[i+1:]...)
			return p
		}
	}
	return nil
}
