package app_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/core"
)

// A node executes a block it proposes in PrepareProposal, and a block it is shown in
// ProcessProposal; FinalizeBlock then adopts that execution instead of running the txs again
// (app.executedBlock). Adopting must give exactly what executing gives. The seeded simulation's
// blocks (every tx type, many invalid on purpose, governance, disputes, day-long gaps) run on two
// chains: one through the proposal steps (odd heights as the proposer: Prepare, Process,
// Finalize; even heights as a validator shown the block: Process, Finalize), one through
// FinalizeBlock alone, with the txs the proposer kept. Every height's app hash, tx results,
// events and validator updates must match.
func TestAdoptedProposalsMatchExecutedBlocks(t *testing.T) {
	rec := recordSim(t, simConfig{seed: 7, blocks: 300, founders: 8, candidates: 12})
	proposer := apptest.NewChain(t, "", rec.genesis)
	plain := apptest.NewChain(t, "", rec.genesis)
	kept := 0
	for i, b := range rec.blocks {
		h := int64(i + 1)
		txs := b.txs
		if h%2 == 1 {
			txs = proposer.App.PrepareProposal(h, b.time, b.txs, 1<<30)
		}
		kept += len(txs)
		if err := proposer.App.ProcessProposal(h, b.time, txs); err != nil {
			if h%2 == 1 {
				t.Fatalf("height %d: the node's own prepared block refused: %v", h, err)
			}
			// A shown block with a failing tx is refused; the validator would prevote nil. Carry
			// on with what a proposer would have kept.
			txs = proposer.App.PrepareProposal(h, b.time, b.txs, 1<<30)
			if err := proposer.App.ProcessProposal(h, b.time, txs); err != nil {
				t.Fatalf("height %d: prepared block refused: %v", h, err)
			}
		}
		hash := apptest.BlockHash(h, txs)
		got, err := proposer.App.FinalizeBlock(h, b.time, hash, txs)
		if err != nil {
			t.Fatal(err)
		}
		want, err := plain.App.FinalizeBlock(h, b.time, hash, txs)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.AppHash, want.AppHash) {
			t.Fatalf("height %d: adopted app hash %X, executed %X", h, got.AppHash, want.AppHash)
		}
		if g, w := describe(got), describe(want); g != w {
			t.Fatalf("height %d: adopted results differ from executed ones:\n%s\nvs\n%s", h, g, w)
		}
		for _, c := range []*apptest.Chain{proposer, plain} {
			if err := c.App.Commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if kept < len(rec.blocks) {
		t.Fatalf("only %d txs kept over %d blocks; the comparison needs real blocks", kept, len(rec.blocks))
	}
	t.Logf("%d blocks, %d txs compared", len(rec.blocks), kept)
}

// describe prints everything a block result tells CometBFT except the app hash.
func describe(r *core.BlockResult) string {
	var b bytes.Buffer
	for i, tx := range r.TxResults {
		space, code, log := core.ABCIInfo(tx.Err)
		fmt.Fprintf(&b, "tx %d: %s %s/%d %q %v %v\n", i, tx.Signer, space, code, log, tx.Msgs, tx.Events)
	}
	fmt.Fprintf(&b, "block events %v\nvalidators %v\n", r.Events, r.ValidatorUpdates)
	return b.String()
}
