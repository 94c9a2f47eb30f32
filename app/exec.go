package app

import (
	"fmt"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
	"github.com/commonsledger/commons/x/projects"
)

// execEnv is where a tx runs: the state it reads and writes, and the block height and time it sees.
type execEnv struct {
	kv     core.KV
	height int64
	time   int64
	// admit, when set (CheckTx), is the mempool's admission rule: it runs after the sequence check and
	// before the signature's, and refuses the tx with its error.
	admit func(signer core.Address, seq uint64) error
	// mempool is set by CheckTx: its state accumulates every tx since the last commit rather than
	// one block, so block-level budgets (claims.MaxClaimsPerBlock) are left to the proposal steps
	// and FinalizeBlock.
	mempool bool
}

// runTx is the single validity path shared by CheckTx, PrepareProposal, ProcessProposal and
// FinalizeBlock. On top of the stateless checks done by decoding, it checks, in this order, each
// failure returning its error: chain id, signer account, sequence, (CheckTx only) the pending-tx
// cap, the signature, then the messages, which run on a child overlay. On any failure nothing is
// written. The cheap checks come before the signature so that txs from unknown keys, or with a stale
// sequence, cost no verification; the order is part of the protocol (it decides which error a tx
// with several faults reports in a block's results), and does not depend on whether the signature
// was verified ahead of time (prepare) or from the cache.
func (a *App) runTx(env execEnv, p *preparedTx) core.TxResult {
	if p.err != nil {
		return core.TxResult{Err: p.err}
	}
	dtx := p.dtx
	res := core.TxResult{Signer: dtx.Signer}
	for _, m := range dtx.Body.Msgs {
		res.Msgs = append(res.Msgs, auth.MsgName(m))
	}
	if dtx.Body.ChainId != a.chainID {
		res.Err = auth.ErrWrongChainID.Wrapf("tx is for chain %q but this chain is %q; omit --chain-id to read it from the node", dtx.Body.ChainId, a.chainID)
		return res
	}
	acc, ok := a.keepers.Bank.Account(env.kv, dtx.Signer)
	if !ok {
		res.Err = auth.ErrUnknownSigner.Wrapf("%s has no account yet; it must first receive hours or be vouched for", dtx.Signer)
		return res
	}
	if s := dtx.Body.Sequence; s != acc.Sequence {
		if s < acc.Sequence {
			res.Err = auth.ErrSequenceReused.Wrapf("sequence %d of %s was already used; the next one is %d", s, dtx.Signer, acc.Sequence)
		} else {
			res.Err = auth.ErrSequenceGap.Wrapf("sequence %d of %s skips ahead; the next one is %d", s, dtx.Signer, acc.Sequence)
		}
		return res
	}
	if env.admit != nil {
		if res.Err = env.admit(dtx.Signer, dtx.Body.Sequence); res.Err != nil {
			return res
		}
	}
	if res.Err = a.checkSignature(p); res.Err != nil {
		return res
	}
	txkv := store.NewOverlay(env.kv)
	ctx := core.NewContext(txkv, env.height, env.time, a.chainID)
	ctx.Signer = dtx.Signer
	ctx.TxHash = p.hash[:]
	if err := a.runMsgs(ctx, env.mempool, dtx.Body.Msgs); err != nil {
		res.Err = err
		return res
	}
	a.keepers.Bank.BumpSequence(txkv, dtx.Signer) // on the record as the messages left it
	txkv.WriteTo(env.kv)
	res.Events = ctx.Events()
	return res
}

// runMsgs runs the messages in order. A panic in a handler is recovered into ErrPanic with a
// deterministic message, so a bug triggered by one tx fails that tx instead of halting the chain.
// Storage failures (*store.FatalError) are re-raised: the node must stop on them.
func (a *App) runMsgs(ctx *core.Context, mempool bool, msgs []*auth.Msg) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if fe, ok := r.(*store.FatalError); ok {
				panic(fe)
			}
			err = core.ErrPanic.Wrapf("%v; please report this as a bug", r)
		}
	}()
	for i, m := range msgs {
		if err := a.route(ctx, mempool, m); err != nil {
			if len(msgs) > 1 {
				return fmt.Errorf("message %d (%s): %w", i, auth.MsgName(m), err)
			}
			return err
		}
	}
	return nil
}

// route dispatches one message to its module; mempool is set under CheckTx.
func (a *App) route(ctx *core.Context, mempool bool, m *auth.Msg) error {
	cl, pr := a.keepers.Claims, a.keepers.Projects
	if mempool {
		cl, pr = cl.ForMempool(), pr.ForMempool()
	}
	switch sum := m.Sum.(type) {
	case *auth.Msg_Transfer:
		return a.keepers.Bank.Transfer(ctx, sum.Transfer)
	case *auth.Msg_Vouch:
		return a.keepers.Members.Vouch(ctx, sum.Vouch)
	case *auth.Msg_SubmitClaim:
		return cl.SubmitClaim(ctx, sum.SubmitClaim)
	case *auth.Msg_Attest:
		return cl.Attest(ctx, sum.Attest)
	case *auth.Msg_WithdrawClaim:
		return cl.WithdrawClaim(ctx, sum.WithdrawClaim)
	case *auth.Msg_OpenDispute:
		return a.keepers.Disputes.OpenDispute(ctx, sum.OpenDispute)
	case *auth.Msg_JuryVote:
		return a.keepers.Disputes.JuryVote(ctx, sum.JuryVote)
	case *auth.Msg_Appeal:
		return a.keepers.Disputes.Appeal(ctx, sum.Appeal)
	case *auth.Msg_Propose:
		return a.keepers.Gov.Propose(ctx, sum.Propose)
	case *auth.Msg_Vote:
		return a.keepers.Gov.Vote(ctx, sum.Vote)
	case *auth.Msg_CreateProject:
		return a.keepers.Projects.CreateProject(ctx, sum.CreateProject)
	case *auth.Msg_Distribute:
		return pr.Distribute(ctx, sum.Distribute)
	default:
		return auth.ErrUnknownMessage.Wrapf("%s is not enabled on this chain", auth.MsgName(m))
	}
}

// Keepers are the module keepers, built once by New (NewKeepers) and shared by block execution,
// queries, invariants and the HTTP API. Keepers hold no state (it all lives in the KV they are
// handed), so one set serves every caller; the wiring is here only: members create candidates'
// accounts through the bank; claims check membership and mint through the bank; disputes read members (eligibility, vouchers)
// and claims (status, attestors); projects reads members (creators, stewards), the bank (project
// accounts, payouts) and claims (the project index), and claims asks projects whether a claim's
// project exists; gov reads members (eligibility, the electorate) and sets every module's params
// through its ParamSpace.
type Keepers struct {
	Bank     bank.Keeper
	Members  members.Keeper
	Claims   claims.Keeper
	Disputes disputes.Keeper
	Gov      gov.Keeper
	Projects projects.Keeper
}

// NewKeepers wires the module keepers together.
func NewKeepers() Keepers {
	b := bank.Keeper{}
	m := members.NewKeeper(b)
	// claims and projects see each other: projects reads the project index through a claims keeper
	// (which needs no projects for that), and claims checks tags through projects.
	p := projects.NewKeeper(m, b, claims.NewKeeper(m, b))
	c := claims.NewKeeper(m, b).WithProjects(p)
	d := disputes.NewKeeper(m, c)
	spaces := map[string]gov.ParamSpace{
		"bank":     spaceOf(b.SetParams),
		"members":  spaceOf(m.SetParams),
		"claims":   spaceOf(c.SetParams),
		"disputes": spaceOf(d.SetParams),
		"gov":      spaceOf(gov.Keeper{}.SetParams),
		"projects": spaceOf(p.SetParams),
	}
	return Keepers{Bank: b, Members: m, Claims: c, Disputes: d, Gov: gov.NewKeeper(m, spaces), Projects: p}
}

// spaceOf is the gov.ParamSpace of a module's SetParams.
func spaceOf[P any, PP interface {
	*P
	Unmarshal([]byte) error
	Validate() error
}](set func(core.KV, P) error) gov.ParamSpace {
	return paramSpace[P, PP](set)
}

// paramSpace adapts a module's SetParams (which validates and stores) to gov.ParamSpace: governance
// hands it the module's Params encoded.
type paramSpace[P any, PP interface {
	*P
	Unmarshal([]byte) error
	Validate() error
}] func(core.KV, P) error

func (paramSpace[P, PP]) decode(bz []byte) (P, error) {
	var p P
	if err := PP(&p).Unmarshal(bz); err != nil {
		return p, fmt.Errorf("params do not decode: %w", err)
	}
	return p, PP(&p).Validate()
}

func (s paramSpace[P, PP]) Check(bz []byte) error {
	_, err := s.decode(bz)
	return err
}

func (s paramSpace[P, PP]) Set(kv core.KV, bz []byte) error {
	p, err := s.decode(bz)
	if err != nil {
		return err
	}
	return s(kv, p)
}
