package abci

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	abcitypes "github.com/cometbft/cometbft/abci/types"

	"github.com/commonsledger/commons/x/core"
)

// StateMachine is all the adapter needs from the application.
type StateMachine interface {
	Info() (height int64, appHash []byte)
	// InitChain loads genesis with CometBFT's genesis validators.
	InitChain(chainID string, initialHeight int64, genesisTime time.Time, appState []byte, validators []core.ValidatorUpdate) ([]byte, error)
	CheckTx(tx []byte) core.TxResult
	// InsertTx takes a tx a peer gossiped (the app keeps the mempool) and returns its admission, or an
	// empty result when the app admits it later.
	InsertTx(tx []byte) core.TxResult
	// ReapTxs returns the mempool's txs not yet handed out for gossip, up to maxBytes (0: all), when
	// the app keeps the mempool (CometBFT's mempool.type = "app"); nil otherwise.
	ReapTxs(maxBytes uint64) [][]byte
	PrepareProposal(height int64, blockTime time.Time, txs [][]byte, maxBytes int64) [][]byte
	ProcessProposal(height int64, blockTime time.Time, txs [][]byte) error
	// FinalizeBlock executes a decided block; blockHash is its header hash (the seed of draws).
	FinalizeBlock(height int64, blockTime time.Time, blockHash []byte, txs [][]byte) (*core.BlockResult, error)
	Commit() error
	Query(path string, data []byte, height int64) ([]byte, int64, error)
}

// Observer receives block outcomes, for metrics. It may be nil.
type Observer interface {
	// ObserveFinalize sees every FinalizeBlock result and how long it took.
	ObserveFinalize(height int64, res *core.BlockResult, took time.Duration)
	// ObserveCommit sees every Commit and how long it took.
	ObserveCommit(height int64, took time.Duration)
}

// Adapter implements CometBFT's abcitypes.Application over a StateMachine.
type Adapter struct {
	abcitypes.BaseApplication
	sm       StateMachine
	log      *slog.Logger
	version  string
	protocol uint64
	observer Observer

	snapshots Snapshots // nil: no state-sync snapshots (see snapshots.go)

	lastFinalize time.Duration
	lastTxs      int
	lastHeight   int64
	lastAdopted  bool // the block's execution as a proposal was adopted (app.App.FinalizeBlock)
	halt         func(error)
}

var _ abcitypes.Application = (*Adapter)(nil)

// SetHalt sets what to call when the node must stop at a block it cannot execute (core.ErrHalt:
// a scheduled upgrade this binary does not know), so that it stops cleanly instead of sitting in a
// failed consensus routine.
func (a *Adapter) SetHalt(fn func(error)) { a.halt = fn }

// New returns an adapter. version is the software version, protocol the app protocol version.
func New(sm StateMachine, log *slog.Logger, version string, protocol uint64, obs Observer) *Adapter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Adapter{sm: sm, log: log, version: version, protocol: protocol, observer: obs}
}

// Info is called by CometBFT at start (the handshake) to learn the last height and app hash the app
// has fully committed; CometBFT then replays any later blocks it has. It must report committed
// state only, never a block that was finalized but not committed.
func (a *Adapter) Info(context.Context, *abcitypes.RequestInfo) (*abcitypes.ResponseInfo, error) {
	h, hash := a.sm.Info()
	return &abcitypes.ResponseInfo{
		Data: "commons-ledger", Version: a.version, AppVersion: a.protocol,
		LastBlockHeight: h, LastBlockAppHash: hash,
	}, nil
}

// InitChain is called once, before the first block, with the genesis document. It returns the
// genesis app hash; the genesis state itself is persisted together with the first block.
func (a *Adapter) InitChain(_ context.Context, req *abcitypes.RequestInitChain) (*abcitypes.ResponseInitChain, error) {
	vals := make([]core.ValidatorUpdate, len(req.Validators))
	for i, v := range req.Validators {
		pk := v.PubKey.GetEd25519()
		if pk == nil {
			return nil, fmt.Errorf("init chain: validator %d has a %T key; commons validators use ed25519", i, v.PubKey.Sum)
		}
		vals[i] = core.ValidatorUpdate{PubKey: pk, Power: v.Power}
	}
	hash, err := a.sm.InitChain(req.ChainId, req.InitialHeight, req.Time, req.AppStateBytes, vals)
	if err != nil {
		return nil, fmt.Errorf("init chain: %w", err)
	}
	a.log.Info("initialised chain from genesis", "chain_id", req.ChainId, "app_hash", fmt.Sprintf("%X", hash))
	return &abcitypes.ResponseInitChain{AppHash: hash}, nil
}

// CheckTx is called for every tx entering the mempool (and again, as a recheck, for each tx still in
// it after a block commits). A non-zero code keeps the tx out of the mempool. It never changes
// committed state.
func (a *Adapter) CheckTx(_ context.Context, req *abcitypes.RequestCheckTx) (*abcitypes.ResponseCheckTx, error) {
	r := a.sm.CheckTx(req.Tx)
	codespace, code, log := core.ABCIInfo(r.Err)
	if r.Err == nil {
		log = r.Note
	}
	return &abcitypes.ResponseCheckTx{Code: code, Codespace: codespace, Log: log}, nil
}

// InsertTx is called, when the app keeps the mempool (mempool.type = "app"), for each tx a peer
// gossips (the RPC's txs still come through CheckTx).
func (a *Adapter) InsertTx(_ context.Context, req *abcitypes.RequestInsertTx) (*abcitypes.ResponseInsertTx, error) {
	_, code, _ := core.ABCIInfo(a.sm.InsertTx(req.Tx).Err)
	return &abcitypes.ResponseInsertTx{Code: code}, nil
}

// ReapTxs is called, when the app keeps the mempool, every mempool.reap_interval for the txs to
// gossip to peers: those accepted since the last call.
func (a *Adapter) ReapTxs(_ context.Context, req *abcitypes.RequestReapTxs) (*abcitypes.ResponseReapTxs, error) {
	return &abcitypes.ResponseReapTxs{Txs: a.sm.ReapTxs(req.MaxBytes)}, nil
}

// PrepareProposal is called on the proposer to build a block from mempool txs. It must return txs
// that ProcessProposal will accept, within MaxTxBytes.
func (a *Adapter) PrepareProposal(_ context.Context, req *abcitypes.RequestPrepareProposal) (*abcitypes.ResponsePrepareProposal, error) {
	txs := a.sm.PrepareProposal(req.Height, req.Time, req.Txs, req.MaxTxBytes)
	if dropped := len(req.Txs) - len(txs); dropped > 0 {
		a.log.Debug("proposal left out txs that would fail", "height", req.Height, "dropped", dropped)
	}
	return &abcitypes.ResponsePrepareProposal{Txs: txs}, nil
}

// ProcessProposal is called on every validator for a proposed block. It rejects a block carrying any
// tx that fails validation or execution, which is how a byzantine proposer that bypassed CheckTx is
// stopped. It must be deterministic and must not change state.
func (a *Adapter) ProcessProposal(_ context.Context, req *abcitypes.RequestProcessProposal) (*abcitypes.ResponseProcessProposal, error) {
	if err := a.sm.ProcessProposal(req.Height, req.Time, req.Txs); err != nil {
		a.log.Warn("rejected proposal", "height", req.Height, "proposer", fmt.Sprintf("%X", req.ProposerAddress), "reason", err.Error())
		return &abcitypes.ResponseProcessProposal{Status: abcitypes.ResponseProcessProposal_REJECT}, nil
	}
	return &abcitypes.ResponseProcessProposal{Status: abcitypes.ResponseProcessProposal_ACCEPT}, nil
}

// FinalizeBlock is called once per decided block. It executes every tx (recording a code for each),
// runs end-of-block work and returns the new app hash. Nothing is persisted until Commit. The
// block's hash (req.Hash) goes to the state machine as the seed of the block's draws.
func (a *Adapter) FinalizeBlock(_ context.Context, req *abcitypes.RequestFinalizeBlock) (*abcitypes.ResponseFinalizeBlock, error) {
	start := time.Now() // metrics only; never reaches state
	res, err := a.sm.FinalizeBlock(req.Height, req.Time, req.Hash, req.Txs)
	if err != nil {
		if h := a.halt; h != nil && errors.Is(err, core.ErrHalt) {
			a.log.Error(err.Error(), "height", req.Height)
			go h(err) // stop the node from outside CometBFT's consensus routine
		}
		return nil, err
	}
	out := &abcitypes.ResponseFinalizeBlock{Events: res.Events, AppHash: res.AppHash,
		TxResults: make([]*abcitypes.ExecTxResult, len(res.TxResults))}
	for _, v := range res.ValidatorUpdates {
		out.ValidatorUpdates = append(out.ValidatorUpdates, abcitypes.UpdateValidator(v.PubKey, v.Power, "ed25519"))
	}
	for i, r := range res.TxResults {
		codespace, code, log := core.ABCIInfo(r.Err)
		events := r.Events
		if r.Signer != nil {
			msgEv := abcitypes.Event{Type: "message", Attributes: []abcitypes.EventAttribute{
				{Key: "sender", Value: r.Signer.String(), Index: true},
				{Key: "action", Value: strings.Join(r.Msgs, ",")},
			}}
			events = append([]abcitypes.Event{msgEv}, events...)
		}
		out.TxResults[i] = &abcitypes.ExecTxResult{Code: code, Codespace: codespace, Log: log, Events: events}
	}
	a.lastFinalize, a.lastTxs, a.lastHeight, a.lastAdopted = time.Since(start), len(req.Txs), req.Height, res.Adopted
	if a.observer != nil {
		a.observer.ObserveFinalize(req.Height, res, a.lastFinalize)
	}
	return out, nil
}

// Commit is called after FinalizeBlock's results are saved by CometBFT. The app persists the block
// atomically; after it returns, Info reports the new height.
func (a *Adapter) Commit(context.Context, *abcitypes.RequestCommit) (*abcitypes.ResponseCommit, error) {
	start := time.Now()
	if err := a.sm.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	took := time.Since(start)
	h, hash := a.sm.Info()
	if a.observer != nil {
		a.observer.ObserveCommit(h, took)
	}
	a.log.Info("committed block", "height", h, "txs", a.lastTxs, "app_hash", fmt.Sprintf("%X", hash),
		"finalize", a.lastFinalize.Round(time.Microsecond), "adopted", a.lastAdopted, "commit", took.Round(time.Microsecond))
	a.afterCommit(h)
	return &abcitypes.ResponseCommit{}, nil
}

// Query answers state queries at /<module>/<resource> paths with protobuf values.
func (a *Adapter) Query(_ context.Context, req *abcitypes.RequestQuery) (*abcitypes.ResponseQuery, error) {
	value, height, err := a.sm.Query(req.Path, req.Data, req.Height)
	codespace, code, log := core.ABCIInfo(err)
	return &abcitypes.ResponseQuery{Code: code, Codespace: codespace, Log: log, Value: value, Height: height}, nil
}
