package claims_test

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// manyClaimsChain is a chain of founders whose params allow one-second claims and the most
// pending claims per member, for tests that need thousands of claims.
func manyClaimsChain(t *testing.T, founders ...apptest.Key) *apptest.Chain {
	g := apptest.ContribGenesis(0, founders...)
	g.Claims.Params.MinClaimDuration = 1
	g.Claims.Params.MaxPendingClaims = claims.MaxPendingClaimsLimit
	c := apptest.NewChain(t, "", g)
	c.Block()
	return c
}

// claimTxs signs n claims by k from start on, each of length d and adjacent to the next, perTx to a
// tx with sequences from seq; each claim is built by mk.
func claimTxs(t *testing.T, k apptest.Key, seq uint64, n, perTx int, start time.Time, d time.Duration,
	mk func(from, to time.Time) *auth.Msg) [][]byte {
	var txs [][]byte
	for i := 0; i < n; i += perTx {
		var msgs []*auth.Msg
		for j := i; j < min(i+perTx, n); j++ {
			from := start.Add(time.Duration(j) * d)
			msgs = append(msgs, mk(from, from.Add(d)))
		}
		txs = append(txs, k.Sign(t, apptest.ChainID, seq, msgs...))
		seq++
	}
	return txs
}

func oneSecond(from, to time.Time) *auth.Msg {
	return apptest.SubmitClaim(from, to, "care", "one second")
}

func mustOK(t *testing.T, res *core.BlockResult) {
	t.Helper()
	for i, r := range res.TxResults {
		if r.Err != nil {
			t.Fatalf("tx %d: %v", i, r.Err)
		}
	}
}

func claimStats(t *testing.T, c *apptest.Chain) claims.QueryClaimStatsResponse {
	t.Helper()
	var stats claims.QueryClaimStatsResponse
	if err := c.Query("/claims/stats", nil, &stats); err != nil {
		t.Fatal(err)
	}
	return stats
}

// TestFinalizeCapPerBlock: when more claims fall due at once than one block may finalise (after a
// long pause in block production), a block finalises MaxFinalizePerBlock of them and the next
// blocks the rest, in deadline order; every outcome is the one the attestations decided.
func TestFinalizeCapPerBlock(t *testing.T) {
	founders := []apptest.Key{apptest.NewKey("founder1"), apptest.NewKey("founder2"), apptest.NewKey("founder3")}
	c := manyClaimsChain(t, founders...)
	// 2,300 one-second claims (16 a tx) in two blocks, as the per-block claim budget requires:
	// 1,000 by founder1, 1,000 + 300 by founder2 (each under the 1,024 pending cap).
	total := claims.MaxFinalizePerBlock + 300
	start := c.Time.Add(-time.Hour)
	mustOK(t, c.Block(append(claimTxs(t, founders[0], 0, 1000, 16, start, time.Second, oneSecond),
		claimTxs(t, founders[1], 0, 1000, 16, start, time.Second, oneSecond)...)...))
	mustOK(t, c.Block(claimTxs(t, founders[2], 0, 300, 16, start, time.Second, oneSecond)...))
	c.BlockInterval = 30 * 24 * time.Hour // a long halt: every deadline falls due at once
	c.Block()
	c.BlockInterval = time.Second
	if stats := claimStats(t, c); stats.Rejected != uint64(claims.MaxFinalizePerBlock) || stats.Pending != 300 {
		t.Fatalf("after the pause: %d rejected, %d pending; want %d and 300", stats.Rejected, stats.Pending, claims.MaxFinalizePerBlock)
	}
	c.Block()
	if stats := claimStats(t, c); stats.Rejected != uint64(total) || stats.Pending != 0 {
		t.Fatalf("next block: %d rejected, %d pending", stats.Rejected, stats.Pending)
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
}

// maximalClaim is a claim of the largest size the default params allow: a max_summary_bytes
// summary and max_evidence evidence items with 512-byte URIs and hashes (about 5.5 KB stored).
func maximalClaim(from, to time.Time) *auth.Msg {
	p := claims.DefaultParams()
	m := apptest.SubmitClaim(from, to, "care", strings.Repeat("s", int(p.MaxSummaryBytes)))
	for i := range int(p.MaxEvidence) {
		uri := "https://evidence.example/" + strings.Repeat(string(rune('a'+i)), 512-25)
		m.GetSubmitClaim().Evidence = append(m.GetSubmitClaim().Evidence, &claims.Evidence{Uri: uri, Sha256: make([]byte, 32)})
	}
	return m
}

// TestFinalizeBlockOfMaximalClaims: MaxClaimsPerBlock claims of maximal size, submitted in one
// block, all fall due and are finalised in one block, which commits, and the state stays
// consistent. (Finalisation writes each claim's small tally, never its 5.5 KB body.)
func TestFinalizeBlockOfMaximalClaims(t *testing.T) {
	if testing.Short() {
		t.Skip("2,000 maximal claims")
	}
	a, b := apptest.NewKey("founder1"), apptest.NewKey("founder2")
	c := manyClaimsChain(t, a, b, apptest.NewKey("founder3"))
	if n := len(maximalClaim(c.Time, c.Time).GetSubmitClaim().Evidence); n != 8 {
		t.Fatalf("%d evidence items", n)
	}
	start := c.Time.Add(-24 * time.Hour)
	half := claims.MaxClaimsPerBlock / 2
	txs := append(claimTxs(t, a, 0, half, 2, start, time.Minute, maximalClaim),
		claimTxs(t, b, 0, half, 2, start, time.Minute, maximalClaim)...)
	mustOK(t, c.Block(txs...))
	if stats := claimStats(t, c); stats.Pending != uint64(claims.MaxClaimsPerBlock) {
		t.Fatalf("%d pending, want %d", stats.Pending, claims.MaxClaimsPerBlock)
	}
	c.BlockInterval = 8 * 24 * time.Hour
	res := c.Block()
	finalized := 0
	for _, e := range res.Events {
		if e.Type == "claim_finalized" {
			finalized++
		}
	}
	if finalized != claims.MaxClaimsPerBlock {
		t.Fatalf("%d finalised in one block, want %d", finalized, claims.MaxClaimsPerBlock)
	}
	if stats := claimStats(t, c); stats.Rejected != uint64(claims.MaxClaimsPerBlock) || stats.Pending != 0 {
		t.Fatalf("%d rejected, %d pending", stats.Rejected, stats.Pending)
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
}
