package app_test

import (
	"strings"
	"testing"

	"github.com/commonsledger/commons/app/apptest"
)

// TestBlockHasNoKeyCap: a block is bounded by its bytes only (block.max_bytes, passed to
// PrepareProposal), not by the keys it writes. 30,050 transfers to fresh accounts write 60,100+
// keys, past the 60,000-key cap the app enforced while a block had to fit in one Badger
// transaction: PrepareProposal keeps them all, ProcessProposal accepts the block and it commits.
// (TestPrepareProposalRespectsMaxBytes checks the byte bound.)
func TestBlockHasNoKeyCap(t *testing.T) {
	const senders = 30_050 // a transfer to a fresh account writes 2 keys
	keys := make([]apptest.Key, senders)
	for i := range keys {
		keys[i] = apptest.NewKey("cap-" + itoa(uint64(i)))
	}
	g := apptest.Genesis(10, keys...)
	g.Bank.Params.MinNewAccountAmount = 1 // 1-uhour transfers may open accounts here
	c := apptest.NewChain(t, t.TempDir(), g)
	c.Block()
	txs := make([][]byte, senders)
	for i, k := range keys {
		fresh := apptest.NewKey("cap-recipient-" + itoa(uint64(i)))
		txs[i] = k.Sign(t, apptest.ChainID, 0, apptest.Transfer(fresh.Addr, 1))
	}
	next := c.Time.Add(c.BlockInterval)
	if kept := c.App.PrepareProposal(c.Height+1, next, txs, 1<<40); len(kept) != len(txs) {
		t.Fatalf("PrepareProposal kept %d of %d txs", len(kept), len(txs))
	}
	if err := c.App.ProcessProposal(c.Height+1, next, txs); err != nil {
		t.Fatalf("a block of %d transfers was rejected: %v", senders, err)
	}
	for i, r := range c.Block(txs...).TxResults {
		if r.Err != nil {
			t.Fatalf("tx %d: %v", i, r.Err)
		}
	}
	if got := c.Account(apptest.NewKey("cap-recipient-" + itoa(senders-1)).Addr).Balance; got != 1 {
		t.Fatalf("last recipient has %d", got)
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
