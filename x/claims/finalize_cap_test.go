package claims_test

import (
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
)

// TestFinalizeCapPerBlock: when more claims fall due at once than one block may finalise (after a
// long pause in block production), a block finalises MaxFinalizePerBlock of them and the next
// blocks the rest, in deadline order; every outcome is the one the attestations decided.
func TestFinalizeCapPerBlock(t *testing.T) {
	founders := []apptest.Key{apptest.NewKey("founder1"), apptest.NewKey("founder2"), apptest.NewKey("founder3")}
	c := apptest.NewChain(t, "", apptest.ContribGenesis(0, founders...))
	c.Block()
	// Each claim is 1 second long so many fit; txs carry up to 16 claims each.
	total := claims.MaxFinalizePerBlock + 300
	start := c.Time.Add(-time.Duration(total+10) * time.Second)
	var txs [][]byte
	seq := uint64(0)
	for i := 0; i < total; i += 16 {
		var msgs []*auth.Msg
		for j := i; j < min(i+16, total); j++ {
			from := start.Add(time.Duration(j) * time.Second)
			msgs = append(msgs, apptest.SubmitClaim(from, from.Add(time.Second), "care", "one second"))
		}
		txs = append(txs, founders[0].Sign(t, apptest.ChainID, seq, msgs...))
		seq++
	}
	res := c.Block(txs...)
	for i, r := range res.TxResults {
		if r.Err != nil {
			t.Fatalf("claim tx %d: %v", i, r.Err)
		}
	}
	c.BlockInterval = 30 * 24 * time.Hour // a long halt: every deadline falls due at once
	c.Block()
	c.BlockInterval = time.Second
	var stats claims.QueryClaimStatsResponse
	if err := c.Query("/claims/stats", nil, &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Rejected != uint64(claims.MaxFinalizePerBlock) || stats.Pending != 300 {
		t.Fatalf("after the pause: %d rejected, %d pending; want %d and 300", stats.Rejected, stats.Pending, claims.MaxFinalizePerBlock)
	}
	c.Block()
	if err := c.Query("/claims/stats", nil, &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Rejected != uint64(total) || stats.Pending != 0 {
		t.Fatalf("next block: %d rejected, %d pending", stats.Rejected, stats.Pending)
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
}
