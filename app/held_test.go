package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
)

// TestCheckTxHoldsTxsAhead: txs that reach the mempool before the tx preceding them (gossip order) are
// held, not refused; when it arrives they run on the check state in order, and the proposal puts
// each sender's txs in sequence order, so the block executes them all.
func TestCheckTxHoldsTxsAhead(t *testing.T) {
	a, b := apptest.NewKey("held-alice"), apptest.NewKey("held-bob")
	c := newChainWithOptions(t, app.DefaultOptions(), apptest.Genesis(10_000_000, a, b))
	c.Block()
	tx := func(seq uint64) []byte { return a.Sign(t, apptest.ChainID, seq, apptest.Transfer(b.Addr, 1_000_000)) }
	pending := func() uint64 { return c.App.PendingAccount(a.Addr).Account.Sequence }
	fromBob := b.Sign(t, apptest.ChainID, 0, apptest.Transfer(a.Addr, 1))
	mempool := [][]byte{tx(2), fromBob, tx(1), tx(0), tx(3)} // the order the txs reach the mempool
	for _, seq := range []uint64{2, 1} {
		r := c.App.CheckTx(tx(seq))
		if r.Err != nil || !strings.Contains(r.Note, "held: sequence "+itoa(seq)+" waits for sequence 0") {
			t.Fatalf("seq %d: err %v note %q; want held", seq, r.Err, r.Note)
		}
	}
	if err := c.App.CheckTx(fromBob).Err; err != nil {
		t.Fatalf("bob: %v", err)
	}
	if got := pending(); got != 0 {
		t.Fatalf("pending sequence %d with only held txs; want 0 (they have not run)", got)
	}
	if r := c.App.CheckTx(tx(0)); r.Err != nil || r.Note != "" {
		t.Fatalf("seq 0: err %v note %q", r.Err, r.Note)
	}
	if got := pending(); got != 3 {
		t.Fatalf("pending sequence %d after seq 0 arrived; want 3 (seq 1 and 2 ran behind it)", got)
	}
	if r := c.App.CheckTx(tx(3)); r.Err != nil || r.Note != "" { // checked on top of 0, 1 and 2
		t.Fatalf("seq 3: err %v note %q", r.Err, r.Note)
	}
	// The proposal runs each sender's txs in sequence order, keeping the other senders' places.
	next := c.Time.Add(c.BlockInterval)
	got := c.App.PrepareProposal(c.Height+1, next, mempool, 1<<20)
	want := [][]byte{fromBob, tx(0), tx(1), tx(2), tx(3)}
	if len(got) != len(want) {
		t.Fatalf("proposal has %d txs; want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("proposal tx %d is not the expected one", i)
		}
	}
	if err := c.App.ProcessProposal(c.Height+1, next, got); err != nil {
		t.Fatal(err)
	}
	for i, r := range c.Block(got...).TxResults {
		if r.Err != nil {
			t.Fatalf("tx %d: %v", i, r.Err)
		}
	}
	if acc := c.Account(a.Addr); acc.Sequence != 4 || acc.Balance != 6_000_001 {
		t.Fatalf("alice after the block: %+v; want sequence 4, 6.000001 hours", acc)
	}
	// A tx whose predecessor is missing is left out of the proposal (it stays in the mempool).
	if got := c.App.PrepareProposal(c.Height+1, c.Time.Add(c.BlockInterval), [][]byte{tx(5)}, 1<<20); len(got) != 0 {
		t.Fatalf("proposal of a tx whose predecessor is missing has %d txs", len(got))
	}
}

// TestHeldTxsAreBounded: what a sender can park with txs ahead of its sequence is bounded: only within
// its pending window, one tx per sequence, correctly signed, and for at most 5 commits.
func TestHeldTxsAreBounded(t *testing.T) {
	a, b := apptest.NewKey("hbound-alice"), apptest.NewKey("hbound-bob")
	c := newChainWithOptions(t, app.Options{MaxPendingPerSender: 3}, apptest.Genesis(10_000_000, a, b))
	c.Block()
	send := func(seq, amount uint64) []byte {
		return a.Sign(t, apptest.ChainID, seq, apptest.Transfer(b.Addr, amount))
	}
	_, _, v0 := c.App.SigStats()
	wantCode(t, c.App.CheckTx(send(3, 1)).Err, 106, "sequence 3 of "+a.Addr.String()+" skips ahead; the next one is 0")
	if _, _, v := c.App.SigStats(); v != v0 {
		t.Fatal("a tx beyond the pending window cost a signature verification")
	}
	wantCode(t, c.App.CheckTx(badSig(t, send(2, 1))).Err, 103, "signature")
	held := send(2, 1)
	if err := c.App.CheckTx(held).Err; err != nil {
		t.Fatalf("a correctly signed tx at the sequence a bad one was refused: %v", err)
	}
	wantCode(t, c.App.CheckTx(send(2, 2)).Err, 106, "another tx with sequence 2 of "+a.Addr.String()+" is already waiting for sequence 0")
	// The recheck after each commit holds it again, for 5 commits in all; then it is refused, so
	// the mempool evicts it.
	for k := 1; k < 5; k++ {
		c.Block()
		if r := c.App.CheckTx(held); r.Err != nil || !strings.Contains(r.Note, "held") {
			t.Fatalf("recheck after commit %d: err %v note %q; want still held", k, r.Err, r.Note)
		}
	}
	c.Block()
	wantCode(t, c.App.CheckTx(held).Err, 106, "sequence 2 of "+a.Addr.String()+" waited 5 blocks for sequence 0, which has not arrived")
	// Sent again later, it waits afresh; a tx not rechecked at a commit is forgotten.
	if r := c.App.CheckTx(held); r.Err != nil {
		t.Fatalf("sent again: %v", r.Err)
	}
	c.Block()
	c.Block()
	if r := c.App.CheckTx(send(1, 1)); r.Err != nil || !strings.Contains(r.Note, "held") {
		t.Fatalf("seq 1: err %v note %q", r.Err, r.Note)
	}
	if err := c.App.CheckTx(send(0, 1)).Err; err != nil {
		t.Fatal(err)
	}
	if got := c.App.PendingAccount(a.Addr).Account.Sequence; got != 2 {
		t.Fatalf("pending sequence %d; want 2: seq 1 ran behind seq 0, and seq 2, not rechecked since two commits, was forgotten", got)
	}
}
