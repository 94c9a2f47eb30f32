package app

import (
	"testing"
	"time"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
)

// CometBFT asks the proposer's app to process the block it has just prepared. That block is
// accepted without executing it again; any other proposal (other txs, another time, or after a
// commit) is executed, and one that fails is refused. FinalizeBlock adopts the last block executed
// in full when it is the decided one, and executes any other.
func TestProcessProposalTrustsOnlyItsOwnPreparedBlock(t *testing.T) {
	alice, bob := newPanicKey("alice"), newPanicKey("bob")
	a := newPanicApp(t, alice, bob)
	send := func(seq uint64) []byte {
		return alice.sign(t, seq, &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bob.addr.String(), Amount: 1}}})
	}
	when := panicGenesisTime.Add(2 * time.Second)
	txs := a.PrepareProposal(2, when, [][]byte{send(0), send(1), send(5)}, 1<<20)
	if len(txs) != 2 {
		t.Fatalf("prepared %d txs; want the 2 that execute (sequence 5 skips ahead)", len(txs))
	}
	runs := func() uint64 { return a.processRuns.Load() }
	if err := a.ProcessProposal(2, when, txs); err != nil || runs() != 0 {
		t.Fatalf("own prepared block: err %v, executed %d times; want accepted without executing", err, runs())
	}
	if err := a.ProcessProposal(2, when.Add(time.Second), txs); err != nil || runs() != 1 {
		t.Fatalf("same txs at another time: err %v, executed %d times; want executed once and accepted", err, runs())
	}
	if err := a.ProcessProposal(2, when, [][]byte{txs[1], txs[0]}); err == nil || runs() != 2 {
		t.Fatalf("reordered txs: err %v, executed %d times; want executed and refused", err, runs())
	}
	if err := a.ProcessProposal(2, when, append(txs, send(5))); err == nil || runs() != 3 {
		t.Fatalf("an extra failing tx: err %v, executed %d times; want executed and refused", err, runs())
	}
	// The last block executed in full was the one at another time: deciding the prepared block
	// executes it again; deciding that one adopts it.
	if _, err := a.FinalizeBlock(2, when, testBlockHash(2), txs); err != nil || a.adoptions.Load() != 0 {
		t.Fatalf("finalize: err %v, adopted %d; want executed afresh", err, a.adoptions.Load())
	}
	if _, err := a.FinalizeBlock(2, when.Add(time.Second), testBlockHash(2), txs); err != nil || a.adoptions.Load() != 1 {
		t.Fatalf("finalize the processed block: err %v, adopted %d; want adopted", err, a.adoptions.Load())
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	if a.executed != nil {
		t.Fatal("an executed proposal outlived the commit it was built before")
	}
	// The same height and txs over a newer committed state are no longer the prepared block.
	if err := a.ProcessProposal(2, when, txs); err == nil || runs() != 4 {
		t.Fatalf("the prepared block after a commit: err %v, executed %d times; want executed and refused (sequences used)", err, runs())
	}
}
