package app

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
)

// TestArrivalsGather: a lone CheckTx call waits for others only while calls overlap and arrive
// close together; a sender that waits for each answer never does, however fast.
func TestArrivalsGather(t *testing.T) {
	var w arrivals
	now := time.Unix(1_800_000_000, 0)
	// One sender, a call every 20 µs, each answered before the next: never.
	for i := range 100 {
		now = now.Add(20 * time.Microsecond)
		if w.arrive(now) {
			t.Fatalf("sequential call %d would wait", i)
		}
		w.leave()
	}
	// Two calls under way at a time, every 20 µs: once the average gap has settled, it waits.
	w.arrive(now)
	gathered := 0
	for range 100 {
		now = now.Add(20 * time.Microsecond)
		if w.arrive(now) {
			gathered++
		}
		w.leave()
	}
	w.leave()
	if gathered < 80 {
		t.Fatalf("overlapping calls 20 µs apart: %d of 100 would wait; want most", gathered)
	}
	// Overlapping, but 2 ms apart: a millisecond's wait would gather too few, so never.
	w.arrive(now)
	for i := range 100 {
		now = now.Add(2 * time.Millisecond)
		if w.arrive(now) && i >= 20 {
			t.Fatalf("overlapping calls 2 ms apart: call %d would wait", i)
		}
		w.leave()
	}
	w.leave()
	// Fast again but alone, the last overlap more than gatherSpan ago: never.
	now = now.Add(gatherSpan)
	for i := range 100 {
		now = now.Add(20 * time.Microsecond)
		if w.arrive(now) {
			t.Fatalf("sequential call %d after the overlaps ended would wait", i)
		}
		w.leave()
	}
}

// signedTxs returns n validly signed, decoded txs from distinct keys.
func signedTxs(t *testing.T, n int) []preparedTx {
	t.Helper()
	out := make([]preparedTx, n)
	for i := range out {
		seed := sha256.Sum256(fmt.Appendf(nil, "gather-%d", i))
		priv := ed25519.GenPrivKeyFromSecret(seed[:])
		raw, err := auth.Sign(priv, &auth.TxBody{ChainId: "c", Msgs: []*auth.Msg{{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: testAddr, Amount: 1}}}}})
		if err != nil {
			t.Fatal(err)
		}
		if out[i].dtx, err = auth.Decode(raw); err != nil {
			t.Fatal(err)
		}
		out[i].raw = raw
	}
	return out
}

// TestVerifyAllBatchesSmallSets: a gathered set of minBatch or more signatures is verified as one
// batch however many cores there are (a set of 7 split as 4 + 3 would check 3 one by one); fewer
// are verified one by one. Each is verified exactly once.
func TestVerifyAllBatchesSmallSets(t *testing.T) {
	for _, c := range []struct{ n, batched int }{{minBatch - 1, 0}, {minBatch, minBatch}, {2*minBatch - 1, 2*minBatch - 1}} {
		a := &App{}
		ps := signedTxs(t, c.n)
		a.verifyAll(ps, func(int) bool { return true })
		for i, p := range ps {
			if !p.verified || p.sigErr != nil {
				t.Fatalf("%d txs: tx %d not verified (%v)", c.n, i, p.sigErr)
			}
		}
		if got := a.batchedSigs.Load(); got != uint64(c.batched) {
			t.Fatalf("%d txs: %d signatures verified in batches; want %d", c.n, got, c.batched)
		}
		if got := a.sigChecks.Load(); got != uint64(c.n) {
			t.Fatalf("%d txs: %d verifications; want %d", c.n, got, c.n)
		}
	}
}
