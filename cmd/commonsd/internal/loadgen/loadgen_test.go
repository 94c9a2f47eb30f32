package loadgen

import (
	"bytes"
	"testing"
	"time"

	"github.com/commonsledger/commons/x/auth"
)

// TestKVTxsAreValidKVStoreTxs checks the kvstore txs against kvstore's own rule (exactly one '=',
// not at either end, no ':') and the requested size.
func TestKVTxsAreValidKVStoreTxs(t *testing.T) {
	g := newKVGen(Config{TxSize: 177})
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		tx, _ := g.next(0)
		if len(tx) != 177 || bytes.Count(tx, []byte("=")) != 1 || bytes.Contains(tx, []byte(":")) ||
			tx[0] == '=' || tx[len(tx)-1] == '=' {
			t.Fatalf("invalid kvstore tx %q", tx)
		}
		if seen[string(tx)] {
			t.Fatal("repeated kvstore tx")
		}
		seen[string(tx)] = true
	}
}

// TestPresignedTransfersFollowSequences checks that presigned transfers carry consecutive
// sequences and that a refused tx is sent again from its presigned bytes, as are the ones after it:
// signing afresh during a step would cost the nodes' cores what the presigning saves.
func TestPresignedTransfersFollowSequences(t *testing.T) {
	g := &signedGen{chainID: "c"}
	for i := 0; i < 3; i++ {
		g.accounts = append(g.accounts, newSigner(loadKey("t", i)))
	}
	g.presign(9)
	ready := g.accounts[1].ready // sequences 0-3
	seqOf := func(tx []byte) uint64 {
		d, err := auth.Decode(tx)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.VerifySignature(); err != nil {
			t.Fatal(err)
		}
		return d.Body.Sequence
	}
	for want := uint64(0); want < 3; want++ {
		if tx, _ := g.next(1); seqOf(tx) != want {
			t.Fatalf("sequence %d, want %d", seqOf(tx), want)
		}
	}
	g.rejected(1) // sequence 2 was refused
	for want := uint64(2); want < 5; want++ {
		tx, _ := g.next(1)
		if seqOf(tx) != want {
			t.Fatalf("after a refusal: sequence %d, want %d", seqOf(tx), want)
		}
		fromReady := want < uint64(len(ready)) && &tx[0] == &ready[want][0]
		if fromReady != (want < uint64(len(ready))) {
			t.Fatalf("sequence %d: %d presigned, sent from them: %v", want, len(ready), fromReady)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if p := percentile(d, 50); p != 50 {
		t.Fatalf("p50 = %v", p)
	}
	if p := percentile(d, 99); p != 99 {
		t.Fatalf("p99 = %v", p)
	}
	if p := percentile(nil, 99); p != 0 {
		t.Fatalf("p99 of nothing = %v", p)
	}
}

// TestStepVerdicts: a step whose node refused some txs (sent again later) but committed its offer
// is saturated, so its latency is not compared, but not behind, so --stop-at-saturation goes on;
// a step that commits less than 90 % of its offer is both.
func TestStepVerdicts(t *testing.T) {
	r := &runner{cfg: Config{Duration: 10 * time.Second}}
	step := func(committedPerBlock, refused int) *Step {
		st := &stepState{step: &Step{Sent: 70000, Rejected: map[string]int{"checktx:auth/115": refused}}}
		t0 := time.Unix(0, 0)
		for i := 0; i < 12; i++ { // one block a second
			st.blocks = append(st.blocks, blockObs{seen: t0.Add(time.Duration(i) * time.Second), txs: committedPerBlock})
		}
		st.latencies = make([]time.Duration, 70000)
		return r.summarize(st, 7000)
	}
	if s := step(6900, 2000); !s.Saturated || s.Behind {
		t.Fatalf("6,900 of 7,000 tx/s committed, 2,000 refused: saturated %v (want true), behind %v (want false)", s.Saturated, s.Behind)
	}
	if s := step(6900, 0); s.Saturated || s.Behind {
		t.Fatalf("6,900 of 7,000 tx/s committed, none refused: saturated %v, behind %v (want neither)", s.Saturated, s.Behind)
	}
	if s := step(6000, 0); !s.Saturated || !s.Behind {
		t.Fatalf("6,000 of 7,000 tx/s committed: saturated %v, behind %v (want both)", s.Saturated, s.Behind)
	}
}
