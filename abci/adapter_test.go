package abci_test

import (
	"context"
	"testing"
	"time"

	abcitypes "github.com/cometbft/cometbft/abci/types"

	"github.com/commonsledger/commons/abci"
	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// TestAdapterTranslates drives the adapter as CometBFT would and checks what crosses the wire:
// stable codes and codespaces, the message event on every tx, REJECT for a bad proposal, and Info
// reporting only committed state.
func TestAdapterTranslates(t *testing.T) {
	alice, bob := apptest.NewKey("alice"), apptest.NewKey("bob")
	c := apptest.NewChain(t, "", apptest.Genesis(5_000_000, alice))
	c.Block()
	a := abci.New(c.App, nil, app.Version, app.ProtocolVersion, nil)
	ctx := context.Background()

	good := alice.Sign(t, apptest.ChainID, 0, apptest.Transfer(bob.Addr, 1_000_000))
	broke := alice.Sign(t, apptest.ChainID, 0, apptest.Transfer(bob.Addr, 9_000_000))
	wrongChain := alice.Sign(t, "other-chain", 0, apptest.Transfer(bob.Addr, 1))

	// In order: the check state keeps accepted txs, so the valid one goes last.
	for _, tc := range []struct {
		name      string
		tx        []byte
		code      uint32
		codespace string
	}{
		{"garbage", []byte("not a tx"), auth.ErrMalformedTx.Code, "auth"},
		{"wrong chain", wrongChain, auth.ErrWrongChainID.Code, "auth"},
		{"insufficient funds", broke, bank.ErrInsufficientFunds.Code, "bank"},
		{"ok", good, 0, ""},
	} {
		t.Run("CheckTx/"+tc.name, func(t *testing.T) {
			res, err := a.CheckTx(ctx, &abcitypes.RequestCheckTx{Tx: tc.tx})
			if err != nil {
				t.Fatal(err)
			}
			if res.Code != tc.code || res.Codespace != tc.codespace || (tc.code != 0) != (res.Log != "") {
				t.Fatalf("got code %d codespace %q log %q; want %d %q", res.Code, res.Codespace, res.Log, tc.code, tc.codespace)
			}
		})
	}

	broke = alice.Sign(t, apptest.ChainID, 1, apptest.Transfer(bob.Addr, 9_000_000)) // after good
	when := c.Time.Add(time.Second)
	pp, _ := a.ProcessProposal(ctx, &abcitypes.RequestProcessProposal{Height: 2, Time: when, Txs: [][]byte{good, broke}})
	if pp.Status != abcitypes.ResponseProcessProposal_REJECT {
		t.Fatalf("proposal with a failing tx: %v", pp.Status)
	}
	pp, _ = a.ProcessProposal(ctx, &abcitypes.RequestProcessProposal{Height: 2, Time: when, Txs: [][]byte{good}})
	if pp.Status != abcitypes.ResponseProcessProposal_ACCEPT {
		t.Fatalf("valid proposal: %v", pp.Status)
	}
	before, _ := a.Info(ctx, &abcitypes.RequestInfo{})
	fb, err := a.FinalizeBlock(ctx, &abcitypes.RequestFinalizeBlock{Height: 2, Time: when, Txs: [][]byte{good, broke}})
	if err != nil {
		t.Fatal(err)
	}
	if r := fb.TxResults[0]; r.Code != 0 || r.Events[0].Type != "message" || r.Events[0].Attributes[1].Value != "transfer" {
		t.Fatalf("tx 0: %+v", r)
	}
	if r := fb.TxResults[1]; r.Code != bank.ErrInsufficientFunds.Code || len(r.Events) != 1 {
		t.Fatalf("tx 1 must fail with only its message event: %+v", r)
	}
	mid, _ := a.Info(ctx, &abcitypes.RequestInfo{})
	if mid.LastBlockHeight != before.LastBlockHeight || string(mid.LastBlockAppHash) != string(before.LastBlockAppHash) {
		t.Fatal("Info reported a finalized but uncommitted block")
	}
	if _, err := a.Commit(ctx, &abcitypes.RequestCommit{}); err != nil {
		t.Fatal(err)
	}
	after, _ := a.Info(ctx, &abcitypes.RequestInfo{})
	if after.LastBlockHeight != 2 || string(after.LastBlockAppHash) != string(fb.AppHash) {
		t.Fatalf("Info after commit: %d %X, want 2 %X", after.LastBlockHeight, after.LastBlockAppHash, fb.AppHash)
	}
	q, _ := a.Query(ctx, &abcitypes.RequestQuery{Path: "/nope"})
	if q.Code != app.ErrUnknownQuery.Code || q.Codespace != "query" {
		t.Fatalf("unknown query: %+v", q)
	}
	q, _ = a.Query(ctx, &abcitypes.RequestQuery{Path: "/bank/account/" + bob.Addr.String()})
	var acc bank.QueryAccountResponse
	if q.Code != 0 || acc.Unmarshal(q.Value) != nil || acc.Account.Balance != 1_000_000 || q.Height != 2 {
		t.Fatalf("bob's account: code %d height %d %+v", q.Code, q.Height, acc)
	}
}

// hashRecorder is a StateMachine that records the block hash FinalizeBlock is given.
type hashRecorder struct {
	abci.StateMachine
	got []byte
}

func (h *hashRecorder) FinalizeBlock(_ int64, _ time.Time, blockHash []byte, txs [][]byte) (*core.BlockResult, error) {
	h.got = blockHash
	return &core.BlockResult{TxResults: make([]core.TxResult, len(txs))}, nil
}

// TestAdapterPassesBlockHash: CometBFT's block hash (RequestFinalizeBlock.Hash) reaches the state
// machine, the seed of its draws.
func TestAdapterPassesBlockHash(t *testing.T) {
	sm := &hashRecorder{}
	a := abci.New(sm, nil, app.Version, app.ProtocolVersion, nil)
	want := []byte("0123456789abcdef0123456789abcdef")
	if _, err := a.FinalizeBlock(context.Background(), &abcitypes.RequestFinalizeBlock{Height: 1, Hash: want}); err != nil {
		t.Fatal(err)
	}
	if string(sm.got) != string(want) {
		t.Fatalf("state machine got hash %X, want %X", sm.got, want)
	}
}
