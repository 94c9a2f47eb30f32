package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// TestCrashRecoverySIGKILL kills the node with SIGKILL at random instants while it commits blocks
// under load, restarts it each time, and checks that no committed tx is lost, that the app-hash
// history is unchanged, and that the balances add up.
func TestCrashRecoverySIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("process-level crash test")
	}
	p := newProcNode(t)
	p.start()
	p.waitHeight(2)
	rng := rand.New(rand.NewSource(1))
	var seq uint64
	allTried := map[string]uint64{} // every tx broadcast: one whose answer was lost may still commit
	for round := 0; round < 3; round++ {
		l := startLoad(p, seq)
		time.Sleep(time.Duration(500+rng.Intn(1500)) * time.Millisecond)
		before := p.height()
		hashes := p.appHashes(before - 1)
		known := p.committed(l.sentTxs())
		p.kill()
		l.halt()
		for h, a := range l.triedTxs() {
			allTried[h] = a
		}
		p.start()
		p.waitHeight(before + 3)
		for h, hash := range p.appHashes(before - 1) {
			if hashes[h] != hash {
				t.Fatalf("round %d: app hash at height %d changed across the crash: %s → %s", round, h, hashes[h], hash)
			}
		}
		after := p.committed(l.sentTxs())
		for hash, height := range known {
			if after[hash] != height {
				t.Fatalf("round %d: tx %s committed at height %d before the crash is now at %d", round, hash, height, after[hash])
			}
		}
		t.Logf("round %d: killed at height %d with %d txs sent, %d known committed; resumed to %d", round, before, len(l.sentTxs()), len(known), p.height())
		// Resume the sequence from the chain: txs in the killed node's mempool may be lost (never committed).
		acc, _, err := p.c.Account(context.Background(), core.AddressFromPubKey(p.key("alice").PubKey().Bytes()), 0)
		if err != nil {
			t.Fatal(err)
		}
		seq = acc.Account.Sequence
	}
	// Balances: bob received exactly the transfers in his account history, each one a tx we sent,
	// with its amount; every tx the node's index reports committed is among them; nothing was
	// created or lost. (The history is state, covered by the app hash; CometBFT's tx index is
	// written after the commit and can miss the last block before a kill, so it only bounds from
	// below.)
	bobAddr := core.AddressFromPubKey(p.key("bob").PubKey().Bytes())
	received := map[string]uint64{}
	var moved uint64
	for offset := uint64(0); ; offset += bank.MaxHistoryPage {
		var h bank.QueryHistoryResponse
		req, _ := (&bank.QueryHistoryRequest{Offset: offset, Limit: bank.MaxHistoryPage}).Marshal()
		if _, err := p.c.QueryProto(context.Background(), "/bank/history/"+bobAddr.String(), req, 0, &h); err != nil {
			t.Fatal(err)
		}
		for _, e := range h.Entries {
			if e.Kind != bank.EntryKind_ENTRY_KIND_TRANSFER_IN {
				continue
			}
			hash := strings.ToUpper(hex.EncodeToString(e.TxHash))
			if want, ok := allTried[hash]; !ok || want != e.Amount {
				t.Fatalf("bob's history holds a transfer of %d in tx %s, which the loader did not send with that amount", e.Amount, hash)
			}
			received[hash] = e.Amount
			moved += e.Amount
		}
		if offset+bank.MaxHistoryPage >= h.Total {
			break
		}
	}
	for hash := range p.committed(allTried) {
		if _, ok := received[hash]; !ok {
			t.Fatalf("tx %s is indexed as committed but not in bob's history", hash)
		}
	}
	bob, _, _ := p.c.Account(context.Background(), bobAddr, 0)
	alice, _, _ := p.c.Account(context.Background(), core.AddressFromPubKey(p.key("alice").PubKey().Bytes()), 0)
	if bob.Account.Balance != 100*core.MicroPerHour+moved || alice.Account.Balance+bob.Account.Balance != 200*core.MicroPerHour {
		t.Fatalf("balances after crashes: alice %d, bob %d, transfers in bob's history %d", alice.Account.Balance, bob.Account.Balance, moved)
	}
	t.Logf("bob's history: %d transfers from alice, %s", len(received), core.FormatAmount(moved))
}

// TestCrashPoints stops the process at each failpoint of block execution and commit, and checks
// that the restarted node continues the same chain with the committed tx in place.
func TestCrashPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("process-level crash test")
	}
	for _, point := range []string{"after-finalize", "before-commit", "mid-commit", "after-commit"} {
		t.Run(point, func(t *testing.T) {
			p := newProcNode(t)
			p.start()
			p.waitHeight(2)
			h := p.height() + 5 // crash a few blocks after the restart below
			p.kill()
			p.start(crashEnv(point, h))
			p.waitHeight(h - 4)
			// Send a tx so the crashing block is not empty; it may land before or in height h.
			alice := p.key("alice")
			bob := core.AddressFromPubKey(p.key("bob").PubKey().Bytes())
			res, err := p.c.SignAndBroadcast(context.Background(), alice, DevnetChainID, "", true,
				&auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bob.String(), Amount: 7}}})
			if err != nil {
				t.Fatal(err)
			}
			if err := p.cmd.Wait(); err == nil {
				t.Fatalf("node did not stop at crash point %s", point)
			}
			if code := p.cmd.ProcessState.ExitCode(); code != 137 {
				t.Fatalf("exit code %d, want 137 from the crash point", code)
			}
			p.log.Close()
			p.start()
			p.waitHeight(h + 3)
			tx, err := p.c.Tx(context.Background(), res.Hash)
			if err != nil || tx.TxResult.Code != 0 {
				t.Fatalf("tx sent before the crash: %v %+v", err, tx)
			}
			acc, _, _ := p.c.Account(context.Background(), bob, 0)
			if acc.Account.Balance != 100*core.MicroPerHour+7 {
				t.Fatalf("bob balance %d after restart", acc.Account.Balance)
			}
		})
	}
}

func crashEnv(point string, h int64) string {
	return fmt.Sprintf("COMMONSD_CRASH_AT=%s@%d", point, h)
}
