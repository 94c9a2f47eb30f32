package app

import (
	"sync/atomic"
	"time"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
)

// txPool is the app-side mempool, used when the node runs CometBFT's `mempool.type = "app"`
// (Options.Pool). CometBFT then keeps no txs of its own: it hands the app every tx it receives
// (CheckTx from the RPC, InsertTx from peers), asks it for new txs to gossip (ReapTxs, in batches),
// and leaves the block's txs to PrepareProposal. The app keeps here, in arrival order, the txs its
// CheckTx accepted or held; after each commit it drops those the block included and rechecks the
// rest on the new check state, keeping those that still pass.
//
// Bounds: at most Size txs and MaxBytes bytes (a full pool refuses with auth/115); each
// sender's share is bounded by the pending-tx cap as before; held txs leave after maxHeldBlocks.
// All of it is under App.checkMu.
type txPool struct {
	opts    PoolOptions
	entries []poolEntry // arrival order
	hashes  map[[32]byte]struct{}
	bytes   int64
	reaped  int // entries[:reaped] have been handed out for gossip
	// stale: a commit has reset the check state since the last recheck; included are the hashes of
	// the txs committed since then, which the recheck drops without running (freshen).
	stale    bool
	included map[[32]byte]struct{}
}

type poolEntry struct {
	raw  []byte
	hash [32]byte
}

// PoolOptions size the app-side mempool; a zero Size means CometBFT keeps the mempool.
type PoolOptions struct {
	Size     int   // txs
	MaxBytes int64 // sum of the txs' sizes
	// InboxWait is how long gossiped txs may wait in the queue for more to verify with before a
	// gossip round admits them (0: every round admits the queue); DefaultInboxWait on a node.
	InboxWait time.Duration
}

// DefaultInboxWait lets the queue of gossiped txs gather many gossip rounds' worth (commonsd init
// has CometBFT reap every 10 ms), so that their signatures are verified in batches of a hundred or
// more rather than a few. A queued tx still reaches a block at once: a proposal admits the queue first.
const DefaultInboxWait = 200 * time.Millisecond

func newTxPool(o PoolOptions) *txPool {
	if o.Size <= 0 {
		return nil
	}
	return &txPool{opts: o, hashes: map[[32]byte]struct{}{}}
}

func (p *txPool) has(hash [32]byte) bool {
	_, ok := p.hashes[hash]
	return ok
}

// room says whether a tx of n bytes fits.
func (p *txPool) room(n int) bool {
	return len(p.entries) < p.opts.Size && (p.opts.MaxBytes <= 0 || p.bytes+int64(n) <= p.opts.MaxBytes)
}

func (p *txPool) add(raw []byte, hash [32]byte) {
	p.entries = append(p.entries, poolEntry{raw: raw, hash: hash})
	p.hashes[hash] = struct{}{}
	p.bytes += int64(len(raw))
}

// reap returns the txs not yet handed out for gossip, in arrival order, up to maxBytes (0: all).
func (p *txPool) reap(maxBytes uint64) [][]byte {
	var out [][]byte
	var size uint64
	for ; p.reaped < len(p.entries); p.reaped++ {
		raw := p.entries[p.reaped].raw
		if maxBytes > 0 && size+uint64(len(raw)) > maxBytes && len(out) > 0 {
			break
		}
		out = append(out, raw)
		size += uint64(len(raw))
	}
	return out
}

// txs returns every tx in arrival order (the proposer's candidates).
func (p *txPool) txs() [][]byte {
	out := make([][]byte, len(p.entries))
	for i, e := range p.entries {
		out[i] = e.raw
	}
	return out
}

// drain empties the pool and returns its entries and how many of them were handed out for gossip,
// for the recheck to add back those that still pass (refill).
func (p *txPool) drain() (entries []poolEntry, reaped int) {
	entries, reaped = p.entries, p.reaped
	p.entries, p.reaped, p.bytes = nil, 0, 0
	clear(p.hashes)
	return entries, reaped
}

// refill adds back a drained entry that passed the recheck; gossiped says it was handed out for
// gossip before (entries are added back in their order, so the gossiped ones stay a prefix).
func (p *txPool) refill(e poolEntry, gossiped bool) {
	p.add(e.raw, e.hash)
	if gossiped {
		p.reaped = len(p.entries)
	}
}

// committed records, at a commit, that the pool needs a recheck and which txs the block included.
// The recheck itself waits for the next use of the pool (freshen), so that the commit does not wait
// for it, as CometBFT's own mempool rechecks after the commit too. The caller holds checkMu.
func (p *txPool) committed(included [][32]byte) {
	if p == nil {
		return
	}
	p.stale = true
	if p.included == nil {
		p.included = map[[32]byte]struct{}{}
	}
	for _, h := range included {
		p.included[h] = struct{}{}
	}
}

// freshen rechecks the pool if a commit made it stale: it drops the included txs and runs every
// other pooled tx again on the fresh check state, in arrival order, keeping those that pass or are
// held. Every use of the pool calls it first, under checkMu.
func (a *App) freshen() {
	if !a.pool.stale {
		return
	}
	a.pool.stale = false
	skip := a.pool.included
	defer clear(skip)
	entries, reaped := a.pool.drain()
	for i, e := range entries {
		if _, in := skip[e.hash]; in {
			continue
		}
		p := a.decodeHashed(e.raw, e.hash)
		if r := a.checkLocked(&p); r.Err == nil {
			a.pool.refill(e, i < reaped)
		}
	}
}

// admitLocked is CheckTx with the app-side mempool: a tx already pooled is accepted again without
// running; one that does not fit is refused (115); one that CheckTx accepts or holds joins the pool.
// The caller holds checkMu.
func (a *App) admitLocked(p *preparedTx) core.TxResult {
	a.freshen()
	switch {
	case p.err == nil && a.pool.has(p.hash):
		return core.TxResult{Signer: p.dtx.Signer, Note: "already in this node's mempool"}
	case !a.pool.room(len(p.raw)):
		return core.TxResult{Err: a.poolFull()}
	}
	r := a.checkLocked(p)
	if r.Err == nil {
		a.pool.add(p.raw, p.hash)
	}
	return r
}

// inboxBatch is how many gossiped txs InsertTx gathers before admitting them together.
const inboxBatch = 256

// InsertTx takes a tx a peer gossiped. With the app-side mempool it is queued, and admitted with the
// others queued (admitInbox) when inboxBatch have gathered, at the first gossip round (ReapTxs) after
// the oldest has waited PoolOptions.InboxWait, or at the next proposal (PrepareProposal), so that
// their signatures are verified in one batch, about half the cost of verifying each. While a block
// step is under way the first two wait for it to end, unless the queue has reached inboxMaxBytes
// (admitInboxUnlessBusy). The peer needs no outcome, so the result is empty. Without the pool it is
// CheckTx.
func (a *App) InsertTx(raw []byte) core.TxResult {
	if a.pool == nil {
		return a.CheckTx(raw)
	}
	a.inboxMu.Lock()
	if len(a.inbox) == 0 {
		a.inboxSince = time.Now() // when to admit, never what: no clock reaches state
	}
	a.inbox = append(a.inbox, raw)
	a.inboxBytes += len(raw)
	full, over := len(a.inbox) >= inboxBatch, a.inboxBytes >= inboxMaxBytes
	a.inboxMu.Unlock()
	if full || over {
		a.admitInboxUnlessBusy(over)
	}
	return core.TxResult{}
}

// inboxMaxBytes bounds the queue of gossiped txs while blocks execute: past it, InsertTx waits for
// the block step to end and admits the queue, so a peer's gossip cannot grow it further.
const inboxMaxBytes = 4 << 20

// admitInboxUnlessBusy admits the queue of gossiped txs, unless a block step is under way (blockStep):
// then the queue waits for a later gossip round or InsertTx, or, when over its bound, this call waits
// for the step to end.
func (a *App) admitInboxUnlessBusy(over bool) {
	if over {
		a.steps.RLock()
	} else if !a.steps.TryRLock() {
		return
	}
	defer a.steps.RUnlock()
	a.admitInbox()
}

// admitInbox admits the queued gossiped txs in arrival order (admitAll).
func (a *App) admitInbox() {
	a.inboxMu.Lock()
	txs := a.inbox
	a.inbox, a.inboxBytes = nil, 0
	a.inboxMu.Unlock()
	if len(txs) > 0 {
		a.admitAll(a.decodeAll(txs))
	}
}

// inboxDue says whether the queue's oldest tx has waited InboxWait.
func (a *App) inboxDue() bool {
	a.inboxMu.Lock()
	defer a.inboxMu.Unlock()
	return len(a.inbox) > 0 && time.Since(a.inboxSince) >= a.opts.Pool.InboxWait
}

// admitAll admits decoded txs in order, as CheckTx admits one (admitLocked), and returns each
// outcome. Those that pass the cheap checks on the check state (worthVerifying) are batch-verified
// first, outside the lock; admitLocked then checks everything again, since the state may have moved
// on in between, and verifies a tx not verified ahead if it gets that far. So txs from unknown keys
// cost no signature verification, as in CheckTx.
func (a *App) admitAll(ps []preparedTx) []core.TxResult {
	worth := make([]bool, len(ps))
	a.checkMu.Lock()
	a.freshen()
	for i := range ps {
		worth[i] = a.worthVerifying(&ps[i])
	}
	a.checkMu.Unlock()
	a.verifyAll(ps, func(i int) bool { return worth[i] })
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	out := make([]core.TxResult, len(ps))
	for i := range ps {
		out[i] = a.admitLocked(&ps[i])
	}
	return out
}

// pendingCheck is a CheckTx call waiting to be admitted with the calls that arrived beside it
// (checkTogether).
type pendingCheck struct {
	p    preparedTx
	done chan core.TxResult // its outcome
	lead chan struct{}      // its turn to admit the waiting calls
}

// checkTogether is CheckTx with the app-side mempool, whose RPC calls CometBFT makes concurrently:
// calls that arrive while another is being admitted wait, and the first of them then admits them all
// at once (admitAll), so their signatures are verified in one batch. A call that finds nothing under
// way is admitted alone at once, so nothing waits when the node is not busy, unless calls are
// arriving together fast enough (arrivals.arrive): then it waits gatherWait for others first, since
// otherwise most calls of a steady stream would each find nothing under way and be verified alone.
// No admission starts while FinalizeBlock or Commit runs (blockStep): the calls gather meanwhile.
// Timing decides only how calls are grouped: each is admitted exactly as it would be alone, in
// arrival order.
func (a *App) checkTogether(p preparedTx) core.TxResult {
	a.callsMu.Lock()
	gather := a.arrivals.arrive(time.Now()) // when to admit, never what: no clock reaches state
	defer a.arrivals.leave()
	if !a.admitting && !gather {
		a.admitting = true
		a.callsMu.Unlock()
		a.commits.RLock()
		a.checkMu.Lock()
		r := a.admitLocked(&p)
		a.checkMu.Unlock()
		a.commits.RUnlock()
		a.passOn()
		return r
	}
	c := &pendingCheck{p: p, done: make(chan core.TxResult, 1), lead: make(chan struct{}, 1)}
	a.calls = append(a.calls, c)
	first := !a.admitting
	a.admitting = true
	a.callsMu.Unlock()
	if first {
		a.gatherWaits.Add(1)
		time.Sleep(gatherWait)
	} else {
		select {
		case r := <-c.done:
			return r
		case <-c.lead:
		}
	}
	a.admitWaiting()
	return <-c.done
}

// admitWaiting admits the CheckTx calls waiting (checkTogether) together and hands each its outcome.
func (a *App) admitWaiting() {
	a.commits.RLock() // the calls gather while a block commits
	a.callsMu.Lock()
	batch := a.calls
	a.calls = nil
	a.callsMu.Unlock()
	ps := make([]preparedTx, len(batch))
	for i, b := range batch {
		ps[i] = b.p
	}
	for i, r := range a.admitAll(ps) {
		batch[i].done <- r
	}
	a.commits.RUnlock()
	a.passOn()
}

// gatherWait is how long a CheckTx call that finds no admission under way waits for others to be
// admitted with it, when calls are arriving together (arrivals.arrive). At a few thousand calls a
// second it gathers a batch worth verifying together (minBatch), for a millisecond more latency.
const gatherWait = time.Millisecond

// gatherSpan is how recently calls must have overlapped for a lone call to wait for others.
const gatherSpan = 10 * time.Millisecond

// arrivals follows the RPC's CheckTx calls (under callsMu) to tell when they arrive together fast
// enough that a lone call should wait gatherWait for others (checkTogether). A sender that waits for
// each answer before sending again never overlaps itself, so it never waits.
type arrivals struct {
	last    time.Time     // when the last call arrived
	gap     time.Duration // moving average of the gaps between arrivals (each capped at gatherSpan)
	overlap time.Time     // when a call last arrived while another was under way (zero: never)
	under   atomic.Int32  // calls under way
}

// arrive records a call's arrival at now and says whether it should gather: calls have overlapped
// within gatherSpan (more than one sender is at work), and they arrive often enough that gatherWait
// gathers minBatch of them.
func (w *arrivals) arrive(now time.Time) bool {
	if w.under.Add(1) > 1 {
		w.overlap = now
	}
	w.gap += (min(now.Sub(w.last), gatherSpan) - w.gap) / 8
	w.last = now
	return !w.overlap.IsZero() && now.Sub(w.overlap) < gatherSpan && w.gap*(minBatch-1) <= gatherWait
}

// leave records a call's end.
func (w *arrivals) leave() { w.under.Add(-1) }

// passOn ends an admission: the calls that waited meanwhile are the first one's to admit next.
func (a *App) passOn() {
	a.callsMu.Lock()
	defer a.callsMu.Unlock()
	if len(a.calls) > 0 {
		a.calls[0].lead <- struct{}{}
	} else {
		a.admitting = false
	}
}

// worthVerifying says whether a decoded tx passes the checks runTx makes before the signature's, on
// the check state: not pooled already, this chain, a signer with an account, a sequence not used
// and within the sender's pending window. The caller holds checkMu.
func (a *App) worthVerifying(p *preparedTx) bool {
	if p.err != nil || a.pool.has(p.hash) || p.dtx.Body.ChainId != a.chainID {
		return false
	}
	acc, ok := a.keepers.Bank.Account(a.check.kv, p.dtx.Signer)
	seq := p.dtx.Body.Sequence
	return ok && seq >= acc.Sequence && a.pendingCap()(p.dtx.Signer, seq) == nil
}

// ReapTxs returns, for gossip, the pooled txs not handed out before, up to maxBytes (0: all); nil
// when CometBFT keeps the mempool. It first admits the queue of gossiped txs if it is due.
func (a *App) ReapTxs(maxBytes uint64) (txs [][]byte) {
	if a.inboxDue() {
		a.admitInboxUnlessBusy(false)
	}
	a.withPool(func(p *txPool) { txs = p.reap(maxBytes) })
	return txs
}

// poolTxs are the proposer's candidate txs: the pool's in arrival order, or, when CometBFT keeps the
// mempool, the txs it offered.
func (a *App) poolTxs(offered [][]byte) [][]byte {
	a.admitInbox()
	txs := offered
	a.withPool(func(p *txPool) { txs = p.txs() })
	return txs
}

// PoolSize is the app-side mempool's size, in txs and bytes (0 when CometBFT keeps the mempool).
func (a *App) PoolSize() (txs int, bytes int64) {
	a.withPool(func(p *txPool) { txs, bytes = len(p.entries), p.bytes })
	return txs, bytes
}

// withPool calls fn with the app-side mempool, rechecked if a commit made it stale, under checkMu;
// it does nothing when CometBFT keeps the mempool.
func (a *App) withPool(fn func(p *txPool)) {
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	if a.pool != nil {
		a.freshen()
		fn(a.pool)
	}
}

// poolFull is the error for a tx that does not fit in the pool.
func (a *App) poolFull() error {
	return auth.ErrPoolFull.Wrapf("this node's mempool holds %d txs (%d bytes), its limit; send the tx again after the next block", len(a.pool.entries), a.pool.bytes)
}
