package app_test

import (
	"errors"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
)

var (
	at    = apptest.Yesterday // a time of the day before genesis, the day the cap tests claim
	logOf = apptest.LogOf
)

// TestBlockClaimBudget: a block holds at most MaxClaimsPerBlock new claims. CheckTx accepts a claim
// over the budget (the mempool keeps it); PrepareProposal leaves it out (and the sender's later
// txs, whose sequence then skips); ProcessProposal rejects a block carrying it; FinalizeBlock fails
// it with 421; the next block takes it.
func TestBlockClaimBudget(t *testing.T) {
	c := contribChain(t, func(g *app.GenesisState) {
		g.Claims.Params.MinClaimDuration = 1
		g.Claims.Params.MaxPendingClaims = claims.MaxPendingClaimsLimit
	})
	c.Block()
	one := func(start time.Time, i int) *auth.Msg {
		from := start.Add(time.Duration(i) * time.Second)
		return apptest.SubmitClaim(from, from.Add(time.Second), "care", "work")
	}
	var full [][]byte
	for _, k := range []apptest.Key{alice, bob} {
		half := claims.MaxClaimsPerBlock / 2
		for i, seq := 0, uint64(0); i < half; i, seq = i+auth.MaxMsgsPerTx, seq+1 {
			var ms []*auth.Msg
			for j := i; j < min(i+auth.MaxMsgsPerTx, half); j++ {
				ms = append(ms, one(at(1, 0), j))
			}
			full = append(full, k.Sign(t, apptest.ChainID, seq, ms...))
		}
	}
	over := carol.Sign(t, apptest.ChainID, 0, one(at(1, 0), 0))
	after := carol.Sign(t, apptest.ChainID, 1, apptest.Transfer(dave.Addr, 1))
	other := dave.Sign(t, apptest.ChainID, 0, apptest.Transfer(alice.Addr, 1))
	txs := append(append([][]byte{}, full...), over, after, other)
	for i, tx := range txs {
		if r := c.App.CheckTx(tx); r.Err != nil {
			t.Fatalf("CheckTx %d: %v", i, r.Err)
		}
	}
	height, bt := c.Height+1, next(c)
	got := c.App.PrepareProposal(height, bt, txs, 1<<30)
	if len(got) != len(full)+1 || string(got[len(got)-1]) != string(other) {
		t.Fatalf("PrepareProposal kept %d of %d txs; want the %d full ones and dave's transfer", len(got), len(txs), len(full))
	}
	const log = "block holds the most new claims allowed: the block already holds 2000 new claims; resubmit in the next block"
	err := c.App.ProcessProposal(height, bt, txs)
	if !errors.Is(err, claims.ErrBlockClaimsFull) || err.Error() != "tx "+itoa(uint64(len(full)))+": "+log {
		t.Fatalf("ProcessProposal: %v", err)
	}
	res := c.Block(txs...)
	for i, r := range res.TxResults[:len(full)] {
		if r.Err != nil {
			t.Fatalf("tx %d: %v", i, r.Err)
		}
	}
	if r := res.TxResults[len(full)]; logOf(r.Err) != log {
		t.Fatalf("the claim over the budget: %v", r.Err)
	}
	wantErr(t, res.TxResults[len(full)+1].Err, auth.ErrSequenceGap)
	if r := res.TxResults[len(full)+2]; r.Err != nil {
		t.Fatal(r.Err)
	}
	// Carried over: the same txs go in the next block.
	if res := c.Block(over, after); res.TxResults[0].Err != nil || res.TxResults[1].Err != nil {
		t.Fatalf("next block: %v, %v", res.TxResults[0].Err, res.TxResults[1].Err)
	}
	if n := claimCounts(c).Pending; n != uint64(claims.MaxClaimsPerBlock)+1 {
		t.Fatalf("%d pending", n)
	}
}
