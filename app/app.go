package app

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/commonsledger/commons/app/failpoint"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// Version is the application version reported by Info and `commonsd version`.
var Version = "0.1.0"

// ProtocolVersion is the app protocol version (changes when state-machine rules change): 1 the
// contribution loop; 2 hardening, juries and appeals; 3 reversal, debt, strikes, suspension, member
// records and account history (new state and params an older state lacks); 4 governance (proposals,
// votes, the validator set in state, expulsion, upgrades); 5 countersigned and private claims,
// projects, and the vouch and claims category/time indexes; 6 the app hash's lattice expands each
// pair with BLAKE3 instead of SHAKE128 (the same state has a new app hash). A registered upgrade
// raises it (RegisterUpgrade); nothing else changes it.
var ProtocolVersion uint64 = 6

// Options configure an App; none of them affect consensus.
type Options struct {
	// MaxPendingPerSender caps txs one sender may have in the mempool beyond its committed sequence.
	MaxPendingPerSender uint64
	// Pool, when its Size is set, makes the app keep the mempool (CometBFT's mempool.type = "app",
	// app/pool.go); otherwise CometBFT's own mempool keeps it.
	Pool   PoolOptions
	Logger *slog.Logger
}

// DefaultOptions are sane defaults for a node.
func DefaultOptions() Options {
	return Options{MaxPendingPerSender: 64, Logger: slog.New(slog.DiscardHandler)}
}

// App is the state machine. The node gives each ABCI connection its own lock
// (proxy.NewConnSyncLocalClientCreator), so the mempool's CheckTx runs beside the consensus
// connection's FinalizeBlock on another core instead of waiting for it. Two locks keep that safe:
// mu guards the block state (consensus calls, and queries served outside ABCI), checkMu the check
// state (CheckTx, Simulate). Whoever writes both (InitChain, Commit, Restored) takes mu first, then
// checkMu; the chain id is written only under both, so either lock suffices to read it. steps and
// commits, taken before either, keep the app-side mempool's admissions off the cores while
// consensus executes a block (blockStep). inboxMu
// and callsMu guard only the queues of gossiped txs (InsertTx) and of CheckTx calls
// (checkTogether), and neither is held with another lock.
type App struct {
	db      *store.DB
	opts    Options
	keepers Keepers
	sigs    *sigCache
	// sigChecks counts signature verifications (single, or each signature of a batch).
	sigChecks atomic.Uint64
	// batchedSigs counts, of those, the signatures verified in batches.
	batchedSigs atomic.Uint64
	// expansions lets FinalizeBlock reuse the lattice expansions of the pairs the previous block
	// wrote (a pure-function cache: it saves work, never changes the hash).
	expansions *store.ExpansionCache

	// onEndBlock, set only by this package's tests, sees each end-of-block context.
	onEndBlock func(*core.Context)

	// jsonQuery answers ABCI queries under JSONQueryPrefix (SetJSONQuery); nil answers them as unknown.
	jsonQuery atomic.Pointer[JSONQuerier]

	// pending is each sender's next sequence after its txs accepted by CheckTx since the last
	// commit; PendingAccount reads it without the app's lock (which CheckTx floods hold).
	pending pendingSeqs
	// held are the mempool's txs whose sequence is ahead of the check state's (under checkMu).
	held heldTxs
	// checkReads remembers committed values the check state read, from one commit to the next
	// (each commit's writes applied), so CheckTx reads an account it has seen from memory rather than
	// Badger; under checkMu.
	checkReads *store.ReadCache
	// pool is the app-side mempool (under checkMu); nil when CometBFT keeps the mempool. inbox are
	// the gossiped txs waiting to be admitted to it together (InsertTx), under inboxMu.
	pool       *txPool
	inboxMu    sync.Mutex
	inbox      [][]byte
	inboxBytes int       // their sizes' sum
	inboxSince time.Time // when the oldest tx in inbox arrived
	// calls are the CheckTx calls waiting to be admitted together, admitting whether a batch is
	// under way (checkTogether); under callsMu.
	callsMu   sync.Mutex
	calls     []*pendingCheck
	admitting bool
	arrivals  arrivals
	// gatherWaits counts the CheckTx calls that waited gatherWait for others (checkTogether).
	gatherWaits atomic.Uint64

	// steps is held by each of consensus's block steps (PrepareProposal, ProcessProposal,
	// FinalizeBlock, Commit), commits by FinalizeBlock and Commit only (blockStep). The admission of
	// gossiped txs takes steps shared, the RPC's CheckTx commits, so that neither competes with the
	// block for the cores. commits is taken before steps, both before mu and checkMu.
	steps, commits sync.RWMutex

	mu      sync.Mutex
	chainID string
	block   *blockState // the block being executed; nil between Commit and the next block
	// executed is the last proposal this node executed in full (PrepareProposal's block, or one
	// ProcessProposal accepted), kept so that the same block is not executed again: ProcessProposal
	// of its own prepared block, and FinalizeBlock of the decided one, adopt it (executedBlock).
	executed *executedBlock
	// processRuns and adoptions count the proposals ProcessProposal executed and the blocks
	// FinalizeBlock adopted (tests).
	processRuns, adoptions atomic.Uint64

	checkMu sync.Mutex
	check   *checkState
}

type blockState struct {
	base   *store.View      // the committed version the block builds on
	reads  *store.ReadCache // base's reads this block, so the lattice update reads no key twice
	kv     *store.Overlay
	height int64
	time   int64
	done   *store.Meta // set by FinalizeBlock: what Commit persists
	// included are the hashes of the block's txs (FinalizeBlock), which the app-side mempool drops
	// at the commit without rechecking them: a tx a block carried has its result there, even a
	// failing one, so it is never proposed again (as CometBFT's own mempool drops every committed tx).
	included [][32]byte
}

type checkState struct {
	base *store.View
	kv   *store.Overlay
	meta store.Meta
}

// checkReadsMax bounds the committed values the check state remembers from one commit to the next
// (App.checkReads), in bytes: the accounts of ~100,000 senders and recipients.
const checkReadsMax = 16 << 20

// expansionCacheSize bounds the lattice expansions kept from one block to the next (2 KiB each).
const expansionCacheSize = 8192

// New opens the app over an open store.
func New(db *store.DB, opts Options) *App {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxPendingPerSender == 0 {
		opts.MaxPendingPerSender = DefaultOptions().MaxPendingPerSender
	}
	a := &App{db: db, opts: opts, keepers: NewKeepers(), sigs: newSigCache(sigCacheBytes), expansions: store.NewExpansionCache(expansionCacheSize),
		pool: newTxPool(opts.Pool)}
	v := db.ReadLatest()
	if id, ok := v.Get(chainIDKey); ok {
		a.chainID = string(id)
	}
	v.Discard()
	a.resetCheckState(nil, nil, nil)
	return a
}

// Keepers returns the app's module keepers, for readers of state outside ABCI (the HTTP API, the
// CLI): they ask the modules, never the key layout.
func (a *App) Keepers() Keepers { return a.keepers }

// CheckProtocol refuses a state that an earlier protocol version wrote: its stored params and records
// lack what this version's rules read (a new param left at 0 would, say, refuse every claim), and
// this binary has no migration from it. A state with nothing committed yet is fine.
func (a *App) CheckProtocol() error {
	if a.db.Committed().Height == 0 {
		return nil
	}
	v := a.db.ReadLatest()
	defer v.Discard()
	wrote := storedProtocol(v)
	planned, err := upgradeAt(v, a.keepers.Gov, a.db.Committed().Height, wrote)
	if err != nil || planned {
		return err // the next block is a known upgrade's (this binary migrates it), or one it lacks
	}
	if wrote != ProtocolVersion {
		return fmt.Errorf("the state database was written by protocol version %d, and this commonsd (%s) runs protocol %d with no migration from it; "+
			"start this chain with the commonsd that wrote it, or start a new one (a devnet: make run RESET=1)", wrote, Version, ProtocolVersion)
	}
	return nil
}

// DB exposes the store (read side) to queries, export and tests.
func (a *App) DB() *store.DB { return a.db }

// ChainID is the chain id recorded at InitChain.
func (a *App) ChainID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.chainID
}

// Info reports the last fully committed height and app hash.
func (a *App) Info() (height int64, appHash []byte) {
	m := a.db.Committed()
	if m.Height == 0 {
		return 0, nil
	}
	return m.Height, m.AppHash
}

// InitChain loads genesis, and CometBFT's genesis validator set, into a fresh block overlay
// (persisted with the first block's Commit) and returns the genesis app hash.
func (a *App) InitChain(chainID string, initialHeight int64, genesisTime time.Time, appState []byte, validators []core.ValidatorUpdate) ([]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.db.Committed().Height != 0 {
		return nil, errors.New("InitChain on a non-empty state database")
	}
	g, err := ParseGenesis(appState)
	if err != nil {
		return nil, err
	}
	a.setChainID(chainID)
	a.discardBlock()
	b := a.newBlockState(initialHeight-1, genesisTime.Unix())
	ctx := core.NewContext(b.kv, b.height, b.time, chainID)
	err = a.initGenesis(ctx, g)
	if err == nil {
		err = a.keepers.Gov.InitValidators(ctx, validators)
	}
	if err != nil {
		b.base.Discard()
		return nil, err
	}
	a.block = b
	// Until block 1 commits, the mempool checks txs against the pending genesis.
	a.resetCheckState(b, nil, nil)
	l := a.expansions.Update(a.db.Committed().Lattice, b.reads, b.kv)
	return l.Hash(), nil
}

// newBlockState opens a block's state over the latest committed version, reading it through a
// per-block cache that asks the check state's cache before Badger (checkedRead).
func (a *App) newBlockState(height, unixTime int64) *blockState {
	base := a.db.ReadLatest()
	reads := store.NewPeeringReadCache(base, a.checkedRead(base.Height()))
	return &blockState{base: base, reads: reads, kv: store.NewOverlay(reads), height: height, time: unixTime}
}

// checkedRead answers a block's read of the committed version at height from the values the
// mempool's checks have read (checkReads), when that cache is of the same version: every tx of a
// block was checked first, on this node or the one that gossiped it, so the accounts and records
// a block reads are mostly there already, and a read from it is a map lookup instead of a walk
// through Badger's levels (BENCHMARKS.md, "Scale"). checkReads answers for its version exactly as
// Badger would (ReadCache.Rebase), so this changes how long a read takes, never what it returns.
// It never waits: while a check holds checkMu the block reads Badger (ok false).
func (a *App) checkedRead(height int64) func(key []byte) ([]byte, bool, bool) {
	return func(key []byte) ([]byte, bool, bool) {
		if !a.checkMu.TryLock() {
			return nil, false, false
		}
		defer a.checkMu.Unlock()
		if a.check == nil || a.check.base.Height() != height {
			return nil, false, false
		}
		return a.checkReads.Peek(key)
	}
}

func (a *App) discardBlock() {
	a.block.discard()
	a.block = nil
}

// discard releases the block state's view of committed state (none over a pending genesis).
func (b *blockState) discard() {
	if b != nil && b.base != nil {
		b.base.Discard()
	}
}

// openBlock returns the block state for height, continuing the genesis overlay if InitChain left one.
func (a *App) openBlock(height, unixTime int64) *blockState {
	if a.block != nil && a.block.done == nil && a.block.height == height-1 {
		a.block.height, a.block.time = height, unixTime
		return a.block
	}
	a.discardBlock()
	a.block = a.newBlockState(height, unixTime)
	return a.block
}

// scratchBlock opens the state a proposal at height is executed on, with the begin-block work done:
// an upgrade due at this height migrates the scratch state too, so that proposals are judged as
// FinalizeBlock will run them (a binary that lacks it stops in FinalizeBlock). For block 1 it is an
// overlay over InitChain's pending genesis, which can never become the block (block 1 continues
// that overlay); otherwise it is a block state over committed state that FinalizeBlock may adopt.
// keepable says which. The caller keeps it (keepExecuted) or discards it.
func (a *App) scratchBlock(height int64, blockTime time.Time) (b *blockState, begin []abci.Event, keepable bool) {
	if g := a.block.pendingGenesis(); g != nil {
		b = &blockState{kv: store.NewOverlay(g), height: height, time: blockTime.Unix()}
	} else {
		b = a.newBlockState(height, blockTime.Unix())
	}
	ctx := core.NewContext(b.kv, height, b.time, a.chainID)
	err := a.beginBlock(ctx)
	return b, ctx.Events(), b.base != nil && err == nil
}

// executedBlock is a proposal executed in full, every tx successfully and in order, over one
// committed height: its state (writes over its own view), the begin-block events and the txs'
// results and hashes. Execution is a function of the committed state, height, block time and txs,
// so a block equal in all four (is) would execute to exactly this again.
type executedBlock struct {
	height, time, base int64 // time in nanoseconds
	txs                [][]byte
	state              *blockState
	begin              []abci.Event
	results            []core.TxResult
	hashes             [][32]byte
}

func (e *executedBlock) is(height int64, blockTime time.Time, base int64, txs [][]byte) bool {
	if e == nil || e.height != height || e.time != blockTime.UnixNano() || e.base != base || len(e.txs) != len(txs) {
		return false
	}
	for i := range txs {
		if !bytes.Equal(e.txs[i], txs[i]) {
			return false
		}
	}
	return true
}

// blockStep starts one of consensus's block steps: it holds steps, so that no admission of
// gossiped txs starts until the step ends, and, for FinalizeBlock and Commit (commit), commits, so
// that no RPC CheckTx does either; then mu. It returns the function that releases them. CometBFT's
// own mempool holds CheckTx back in the same way while a block commits (its mempool lock); the
// app-side mempool has no such lock, and without one the RPC's and the peers' txs took the cores
// from the block on a saturated node. The RPC's calls are not held back while a proposal executes
// too: the load generator's calls then waited so long that it could not send what it offered
// (BENCHMARKS.md, round 7).
func (a *App) blockStep(commit bool) (done func()) {
	if commit {
		a.commits.Lock()
	}
	a.steps.Lock()
	a.mu.Lock()
	return func() {
		a.mu.Unlock()
		a.steps.Unlock()
		if commit {
			a.commits.Unlock()
		}
	}
}

// keepExecuted keeps e (nil: none) in place of the previous one, whose view it releases.
func (a *App) keepExecuted(e *executedBlock) {
	if a.executed != nil {
		a.executed.state.discard()
	}
	a.executed = e
}

// pendingGenesis is the genesis overlay InitChain left for block 1 to commit, or nil.
func (b *blockState) pendingGenesis() core.Reader {
	if b == nil || b.done != nil {
		return nil
	}
	return b.kv
}

// FinalizeBlock executes a decided block. Every tx is re-validated (a byzantine proposer may have
// skipped CheckTx); a failing tx is recorded with its code and changes nothing. When this node has
// just executed exactly this block as a proposal (executedBlock), it adopts that execution instead.
//
// blockHash is the block's header hash. Only end-of-block work sees it (core.Context.BlockHash):
// tx handlers never do, so a tx has one result on every path. It is not stored: a draw made at the
// end of block h+1 for an object created at h reads block h+1's hash from its context, and the
// module stores what it drew (docs/decisions.md).
func (a *App) FinalizeBlock(height int64, blockTime time.Time, blockHash []byte, txs [][]byte) (*core.BlockResult, error) {
	defer a.blockStep(true)()
	res := &core.BlockResult{}
	var b *blockState
	var begun []abci.Event
	// A kept block is never over a pending genesis (scratchBlock: not keepable), so block 1 never
	// matches here.
	if e := a.executed; e.is(height, blockTime, a.db.Committed().Height, txs) {
		// This node executed exactly this block as a proposal: adopt its state and results.
		a.adoptions.Add(1)
		res.Adopted = true
		a.discardBlock()
		a.block, a.executed = e.state, nil
		b, begun, res.TxResults = e.state, e.begin, e.results
		for _, h := range e.hashes {
			a.sigs.remove(h) // its sequence is now used, so it can never pass again
		}
		b.included = e.hashes
	} else {
		b = a.openBlock(height, blockTime.Unix())
		env := execEnv{kv: b.kv, height: height, time: b.time}
		res.TxResults = make([]core.TxResult, len(txs))
		begin := core.NewContext(b.kv, height, b.time, a.chainID)
		if err := a.beginBlock(begin); err != nil {
			a.discardBlock()
			return nil, err
		}
		begun = begin.Events()
		for i, p := range a.prepare(txs) {
			if res.TxResults[i] = a.runTx(env, &p); res.TxResults[i].Err == nil {
				// Its sequence is now used, so it can never pass again: free its cache entry.
				a.sigs.remove(p.hash)
			}
			b.included = append(b.included, p.hash)
		}
	}
	ctx := core.NewContext(b.kv, height, b.time, a.chainID)
	ctx.BlockHash = blockHash
	if err := a.endBlock(ctx); err != nil {
		return nil, fmt.Errorf("end of block %d: %w", height, err)
	}
	res.Events, res.ValidatorUpdates = append(begun, ctx.Events()...), ctx.ValidatorUpdates()
	l := a.expansions.Update(a.db.Committed().Lattice, b.reads, b.kv)
	b.done = &store.Meta{Height: height, Time: b.time, AppHash: l.Hash(), Lattice: l}
	res.AppHash = b.done.AppHash
	failpoint.Hit("after-finalize", height)
	return res, nil
}

// endBlock runs the per-block work that is not a tx: suspensions that ended are lifted; every
// claim whose attestation deadline is at or before the block time is finalised (and, when
// VERIFIED, minted), so a claim is never final before its deadline and always final at the first
// block past it; then disputes draw the juries of the disputes opened in earlier blocks, decide
// those past their voting deadline, and reverse the claims of those finally upheld; last, gov
// closes the proposals whose vote ended and executes those that passed (a params change applies
// from the next block).
func (a *App) endBlock(ctx *core.Context) error {
	if a.onEndBlock != nil {
		a.onEndBlock(ctx)
	}
	if err := a.keepers.Members.EndBlock(ctx); err != nil {
		return err
	}
	if err := a.keepers.Claims.EndBlock(ctx); err != nil {
		return err
	}
	if err := a.keepers.Disputes.EndBlock(ctx); err != nil {
		return err
	}
	return a.keepers.Gov.EndBlock(ctx)
}

// Commit persists the finalized block atomically and resets the check state.
func (a *App) Commit() error {
	defer a.blockStep(true)()
	b := a.block
	if b == nil || b.done == nil {
		return errors.New("commit without a finalized block")
	}
	failpoint.Hit("before-commit", b.height)
	if err := a.db.Commit(b.height, b.kv, *b.done); err != nil {
		return err
	}
	failpoint.Hit("after-commit", b.height)
	committed, included := b.kv, b.included
	a.discardBlock()
	a.keepExecuted(nil) // built on the state before this commit
	a.resetCheckState(nil, committed, included)
	return nil
}

// resetCheckState starts the check state afresh on the committed state, or, given the genesis
// block state InitChain left, on that pending genesis. committed is the block just committed, whose
// writes carry checkReads forward; nil when the state changed otherwise (start, InitChain, a
// restore), and checkReads starts empty. included are the hashes of the committed block's txs, which
// the app-side mempool drops. The caller holds mu.
func (a *App) resetCheckState(genesis *blockState, committed *store.Overlay, included [][32]byte) {
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	if a.check != nil {
		a.check.base.Discard()
	}
	base := a.db.ReadLatest()
	if a.checkReads == nil {
		a.checkReads = store.NewBoundedReadCache(base, checkReadsMax)
	}
	a.checkReads.Rebase(base, committed)
	a.check = &checkState{base: base, kv: store.NewOverlay(a.checkReads), meta: a.db.Committed()}
	if genesis != nil {
		// A copy of the genesis writes, not an overlay over them: block 1's FinalizeBlock goes on
		// writing to genesis.kv, under mu only, while CheckTx reads.
		genesis.kv.WriteTo(a.check.kv)
		a.check.kv = store.NewOverlay(a.check.kv)
		a.check.meta = store.Meta{Height: genesis.height, Time: genesis.time}
	}
	a.pending.reset()          // the mempool's recheck refills it
	a.held.commit()            // and holds again the txs still ahead
	a.pool.committed(included) // the app-side mempool's recheck (CometBFT runs its own otherwise)
}

// setChainID records the chain id; the caller holds mu, and CheckTx (under checkMu) reads it too.
func (a *App) setChainID(id string) {
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	a.chainID = id
}

// CheckTx validates a tx for the mempool against the check state, which accumulates the effects of
// the txs already accepted since the last commit (so sequences and balances chain correctly).
//
// It runs the cheap checks first (size, decoding, chain id, signer account, sequence, the pending-tx
// cap) and verifies the signature only after them, inside runTx, so a tx from a key without an
// account never costs a signature verification and is never cached: its decoded form is garbage as
// soon as CheckTx returns. Only txs that pass, or are held (held.go: a sequence a little ahead, the
// signature verified), are cached.
//
// When the app keeps the mempool (Options.Pool), a tx it accepts or holds joins the pool; a tx
// already there is accepted again without running.
func (a *App) CheckTx(raw []byte) core.TxResult {
	p := a.decodeOne(raw)
	if a.pool != nil {
		return a.checkTogether(p)
	}
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	return a.checkLocked(&p)
}

// checkLocked is CheckTx on the check state, the caller holding checkMu.
func (a *App) checkLocked(p *preparedTx) core.TxResult {
	cs := a.check
	env := execEnv{kv: cs.kv, height: cs.meta.Height + 1, time: cs.meta.Time, admit: a.pendingCap(), mempool: true}
	r := a.runTx(env, p)
	switch {
	case r.Err == nil:
		a.cacheExecuted(p)
		a.pending.set(p.dtx.Signer, p.dtx.Body.Sequence+1)
		a.promote(env, p.dtx.Signer, p.dtx.Body.Sequence+1)
	case isGap(r.Err):
		return a.hold(env, p, r)
	}
	return r
}

// Simulate runs raw as CheckTx would, on a scratch copy of the check state (the committed state and
// the mempool's txs on top), and discards the result: nothing enters the mempool or the state. It
// is `tx … --dry-run`.
func (a *App) Simulate(raw []byte) core.TxResult {
	p := a.decodeOne(raw)
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	cs := a.check
	env := execEnv{kv: store.NewOverlay(cs.kv), height: cs.meta.Height + 1, time: cs.meta.Time, admit: a.pendingCap(), mempool: true}
	return a.runTx(env, &p)
}

// PendingAccount is addr's committed account with its sequence moved past the txs this node's
// mempool accepted from it since the last commit: the sequence the signer's next tx must carry
// (back-to-back --async sends sign with it). It reads committed state and a small map, never
// taking the app's lock, so a query waits for no CheckTx. The balance is the committed one.
func (a *App) PendingAccount(addr core.Address) *bank.QueryAccountResponse {
	var acc bank.Account
	ok := false
	if env, done, err := a.openQuery(0); err == nil { // one height's state and block time
		acc, ok = a.keepers.Bank.AccountAt(env.r, addr, env.time)
		done()
	}
	if !ok {
		acc = bank.Account{Address: addr.String()}
	}
	if next, found := a.pending.get(addr); found && next > acc.Sequence {
		acc.Sequence = next
	}
	return &bank.QueryAccountResponse{Account: &acc, Exists: ok}
}

// pendingSeqs maps a sender to the sequence after its last tx accepted by CheckTx since the last
// commit: at most one entry per sender with a tx in the mempool, cleared at every commit.
type pendingSeqs struct {
	mu   sync.Mutex
	next map[string]uint64
}

func (p *pendingSeqs) set(addr core.Address, next uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next == nil {
		p.next = map[string]uint64{}
	}
	p.next[string(addr)] = max(p.next[string(addr)], next)
}

func (p *pendingSeqs) get(addr core.Address) (uint64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n, ok := p.next[string(addr)]
	return n, ok
}

func (p *pendingSeqs) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.next)
}

// pendingCap is the mempool's admission rule, which runTx applies after the sequence check: a sender
// may have at most MaxPendingPerSender txs beyond its committed sequence. It is reached only by the
// tx that would be accepted next (its sequence is the check state's); any other sequence gets runTx's
// precise "reused" or "skipped" error instead.
// It reads the committed account through checkReads (the caller holds checkMu).
func (a *App) pendingCap() func(signer core.Address, seq uint64) error {
	return func(signer core.Address, seq uint64) error {
		committed, _ := a.keepers.Bank.Account(a.checkReads, signer) // sequence 0 if created since the last commit
		if seq >= committed.Sequence+a.opts.MaxPendingPerSender {
			return auth.ErrMempoolFull.Wrapf("%s already has %d txs waiting; wait for them to commit", signer, a.opts.MaxPendingPerSender)
		}
		return nil
	}
}

// PrepareProposal keeps, in mempool order, the txs that execute successfully on top of each other
// and fit in maxBytes; the rest are left out so that honest proposals never carry failing txs. A tx
// met before its sender's preceding tx (held by CheckTx, or gossiped out of order) is tried again
// right after that tx is kept, so each sender's txs run in sequence order.
// maxBytes (from the consensus param block.max_bytes) is the only bound on a block: the store
// commits a block of any size (store.DB.Commit), so there is no cap on the keys a block writes.
// A left-out tx stays in the mempool (only committed txs and those failing the recheck leave it),
// so a claim over the block's claim budget (claims.MaxClaimsPerBlock, not applied by CheckTx) is
// proposed again in a later block.
func (a *App) PrepareProposal(height int64, blockTime time.Time, txs [][]byte, maxBytes int64) [][]byte {
	defer a.blockStep(false)()
	b, begin, keepable := a.scratchBlock(height, blockTime)
	env := execEnv{kv: b.kv, height: height, time: b.time}
	e := &executedBlock{height: height, time: blockTime.UnixNano(), base: a.db.Committed().Height, state: b, begin: begin}
	var size int64
	include := func(p *preparedTx) error { // runs p on top of the txs kept, and keeps it if it passes
		if size+int64(len(p.raw)) > maxBytes {
			return errNoRoom
		}
		r := a.runTx(env, p) // a failing tx writes nothing, so the state is that of the txs kept
		if r.Err != nil {
			return r.Err
		}
		a.cacheExecuted(p)
		size += int64(len(p.raw))
		e.txs, e.results, e.hashes = append(e.txs, p.raw), append(e.results, r), append(e.hashes, p.hash)
		return nil
	}
	var ahead waitingTxs // txs met before the tx preceding them (held txs, or gossip order)
	ps := a.prepare(a.poolTxs(txs))
	for i := range ps {
		p := &ps[i]
		err := include(p)
		if isGap(err) {
			ahead.add(p)
			continue
		}
		for err == nil { // p was kept: so may be its sender's txs that were waiting for it
			if p = ahead.take(p.dtx.Signer, p.dtx.Body.Sequence+1); p == nil {
				break
			}
			err = include(p)
		}
	}
	if e.txs == nil {
		e.txs = [][]byte{}
	}
	if keepable {
		a.keepExecuted(e)
	} else {
		b.discard()
	}
	return e.txs
}

// ProcessProposal accepts a proposed block only if every tx in it executes successfully in order.
// It runs the same path as CheckTx and FinalizeBlock, on a scratch block state that FinalizeBlock
// adopts if this block is decided; the block this node's PrepareProposal has just built it accepts
// without executing, as PrepareProposal executed exactly it (executedBlock.is).
func (a *App) ProcessProposal(height int64, blockTime time.Time, txs [][]byte) error {
	defer a.blockStep(false)()
	if a.executed.is(height, blockTime, a.db.Committed().Height, txs) {
		return nil // this node's own proposal: PrepareProposal executed exactly these txs
	}
	a.processRuns.Add(1)
	b, begin, keepable := a.scratchBlock(height, blockTime)
	env := execEnv{kv: b.kv, height: height, time: b.time}
	e := &executedBlock{height: height, time: blockTime.UnixNano(), base: a.db.Committed().Height, txs: txs, state: b, begin: begin,
		results: make([]core.TxResult, len(txs)), hashes: make([][32]byte, len(txs))}
	for i, p := range a.prepare(txs) {
		if e.results[i] = a.runTx(env, &p); e.results[i].Err != nil {
			b.discard()
			return fmt.Errorf("tx %d: %w", i, e.results[i].Err)
		}
		a.cacheExecuted(&p) // so FinalizeBlock need not verify it again, if it executes the block
		e.hashes[i] = p.hash
	}
	if keepable {
		a.keepExecuted(e)
	} else {
		b.discard()
	}
	return nil
}
