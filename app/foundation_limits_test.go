package app_test

import (
	"strings"
	"testing"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
)

// TestBlockWriteCap: PrepareProposal stops adding txs once a block has written MaxBlockWrites keys,
// and ProcessProposal rejects a block that goes past the same cut-off, so every committed block
// fits in the store's single atomic transaction.
func TestBlockWriteCap(t *testing.T) {
	const senders = app.MaxBlockWrites/2 + 50 // a transfer to a fresh account writes 2 keys (and the day's balance bucket)
	keys := make([]apptest.Key, senders)
	for i := range keys {
		keys[i] = apptest.NewKey("cap-" + itoa(uint64(i)))
	}
	g := apptest.Genesis(10, keys...)
	g.Bank.Params.MinNewAccountAmount = 1 // 1-uhour transfers may open accounts here
	c := apptest.NewChain(t, "", g)
	c.Block()
	txs := make([][]byte, senders)
	for i, k := range keys {
		fresh := apptest.NewKey("cap-recipient-" + itoa(uint64(i)))
		txs[i] = k.Sign(t, apptest.ChainID, 0, apptest.Transfer(fresh.Addr, 1))
	}
	kept := c.App.PrepareProposal(c.Height+1, c.Time, txs, 1<<40)
	if len(kept) == 0 || len(kept) >= len(txs) {
		t.Fatalf("PrepareProposal kept %d of %d txs; want a strict, non-empty prefix", len(kept), len(txs))
	}
	if err := c.App.ProcessProposal(c.Height+1, c.Time, kept); err != nil {
		t.Fatalf("an honest capped block was rejected: %v", err)
	}
	err := c.App.ProcessProposal(c.Height+1, c.Time, txs)
	if err == nil || !strings.Contains(err.Error(), "the limit is") {
		t.Fatalf("an over-cap block: want rejection naming the limit, got %v", err)
	}
}

// TestCheckTxFarAheadIsAGapNotAFullMempool: a client far ahead of its sequence (say, after losing
// track in a crash) is told the sequence is skipped, not that its mempool slots are full.
func TestCheckTxFarAheadIsAGapNotAFullMempool(t *testing.T) {
	alice, bob := apptest.NewKey("alice"), apptest.NewKey("bob")
	c := apptest.NewChain(t, "", apptest.Genesis(10_000_000, alice))
	c.Block()
	r := c.App.CheckTx(alice.Sign(t, apptest.ChainID, 500, apptest.Transfer(bob.Addr, 1)))
	if r.Err == nil || !strings.Contains(r.Err.Error(), "sequence 500") || !strings.Contains(r.Err.Error(), "the next one is 0") {
		t.Fatalf("got %v; want a sequence-skipped error naming the next sequence", r.Err)
	}
}
