package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
)

// maximalClaim is a claim of [start, start+1h) as large as default params allow: a 1,024-byte
// summary and 8 evidence items with 512-byte uris (no sha256, so that 3 fit in one 16 KiB tx).
func maximalClaim(start time.Time, tag string) *auth.Msg {
	m := apptest.SubmitClaim(start, start.Add(time.Hour), "care", tag+strings.Repeat("s", 1024-len(tag)))
	sc := m.GetSubmitClaim()
	for i := range 8 {
		u := fmt.Sprintf("https://evidence.example/%s/%d/", tag, i)
		sc.Evidence = append(sc.Evidence, &claims.Evidence{Uri: u + strings.Repeat("e", 512-len(u))})
	}
	return m
}

// TestMaximalClaimBlockCommits: the largest claim block consensus can decide under ~53 MiB
// block.max_bytes (CometBFT's default) — 1,300 txs of 3 maximal claims each, ~20 MB of txs — is
// kept whole by PrepareProposal, accepted by ProcessProposal, executed and committed on an on-disk
// store with production options. Before the store split a block's writes over several Badger
// transactions, this Commit failed with "Txn is too big", which halts a real node for good. After a
// restart the app reports the same height and app hash, all 3,900 claims are queryable in full,
// and the blocks that finalise them (2,000, then 1,900, past the attestation window) commit too.
func TestMaximalClaimBlockCommits(t *testing.T) {
	const members, txsPer, claimsPerTx = 130, 10, 3
	const total = members * txsPer * claimsPerTx // 3,900
	keys := make([]apptest.Key, members)
	for i := range keys {
		keys[i] = apptest.NewKey(fmt.Sprintf("Big%03d", i))
	}
	dir := t.TempDir()
	c := apptest.NewChain(t, dir, apptest.ContribGenesis(1_000_000, keys...))
	c.Block()

	// Member m's claims are consecutive hours ending an hour before the block: 30 of them fit in
	// 30 hours, well inside max_claim_age.
	blockTime := c.Time.Add(c.BlockInterval)
	var txs [][]byte
	var txBytes int
	for m, k := range keys {
		for s := range txsPer {
			var msgs []*auth.Msg
			for j := range claimsPerTx {
				n := s*claimsPerTx + j
				start := blockTime.Add(-time.Duration(n+2) * time.Hour)
				msgs = append(msgs, maximalClaim(start, fmt.Sprintf("m%03d-c%02d", m, n)))
			}
			tx := k.Sign(t, apptest.ChainID, uint64(s), msgs...)
			if len(tx) > auth.MaxTxBytes {
				t.Fatalf("a tx of 3 maximal claims has %d bytes, above %d", len(tx), auth.MaxTxBytes)
			}
			txs = append(txs, tx)
			txBytes += len(tx)
		}
	}
	t.Logf("%d txs, %d claims, %.1f MB of txs", len(txs), total, float64(txBytes)/1e6)

	height := c.Height + 1
	kept := c.App.PrepareProposal(height, blockTime, txs, 53<<20)
	if len(kept) != len(txs) {
		t.Fatalf("PrepareProposal kept %d of %d txs", len(kept), len(txs))
	}
	if err := c.App.ProcessProposal(height, blockTime, kept); err != nil {
		t.Fatalf("ProcessProposal: %v", err)
	}
	start := time.Now()
	res := c.Block(kept...) // FinalizeBlock and Commit; a failed Commit fails the test here
	t.Logf("FinalizeBlock+Commit of the claim block: %v", time.Since(start).Round(time.Millisecond))
	for i, r := range res.TxResults {
		if r.Err != nil {
			t.Fatalf("tx %d: %v", i, r.Err)
		}
	}

	c = reopen(t, c, dir) // checks Info: same height and app hash
	c.BlockInterval = time.Second
	var stats claims.QueryClaimStatsResponse
	if err := c.Query("/claims/stats", nil, &stats); err != nil || stats.Pending != total {
		t.Fatalf("after restart: %v, %v; want %d pending claims", err, &stats, total)
	}
	for id := uint64(1); id <= total; id++ {
		cl := claimOf(t, c, id).Claim
		if cl == nil || len(cl.Summary) != 1024 || len(cl.Evidence) != 8 || len(cl.Evidence[7].Uri) != 512 ||
			cl.Status != claims.ClaimStatus_CLAIM_STATUS_PENDING {
			t.Fatalf("claim %d after restart: %v", id, cl)
		}
	}

	// Two approvals for the first claims, so that finalisation also mints.
	const approved = 20
	var attests [][]byte
	for id := uint64(1); id <= approved; id++ {
		claimant := (id - 1) / (txsPer * claimsPerTx) // claims are numbered in tx order
		for _, k := range []apptest.Key{keys[(claimant+1)%members], keys[(claimant+2)%members]} {
			attests = append(attests, k.Sign(t, apptest.ChainID, c.Seq(k.Addr)+countSigned(attests, k), apptest.Approve(id)))
		}
	}
	for i, r := range c.Block(attests...).TxResults {
		if r.Err != nil {
			t.Fatalf("attestation %d: %v", i, r.Err)
		}
	}
	// Past the attestation window: 2,000 claims finalise in this block, the other 1,900 next.
	c.BlockInterval = time.Duration(claims.DefaultParams().AttestationWindow+1) * time.Second
	c.Block()
	c.BlockInterval = time.Second
	if err := c.Query("/claims/stats", nil, &stats); err != nil || stats.Pending != total-claims.MaxFinalizePerBlock {
		t.Fatalf("after the first finalising block: %v, %v", err, &stats)
	}
	c.Block()
	if err := c.Query("/claims/stats", nil, &stats); err != nil || stats.Pending != 0 || stats.Verified != approved || stats.Rejected != total-approved {
		t.Fatalf("after finalisation: %v, %v; want %d verified and %d rejected", err, &stats, approved, total-approved)
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
	c = reopen(t, c, dir)
	if err := c.DB.Verify(); err != nil {
		t.Fatal(err)
	}
	if cl := claimOf(t, c, total).Claim; cl.Status != claims.ClaimStatus_CLAIM_STATUS_REJECTED || len(cl.Summary) != 1024 {
		t.Fatalf("last claim after finalisation and restart: %v", cl)
	}
}

// countSigned is how many of txs k signed already (the next sequence in a block built ahead).
func countSigned(txs [][]byte, k apptest.Key) uint64 {
	var n uint64
	for _, raw := range txs {
		if tx, err := auth.Decode(raw); err == nil && tx.Signer.Equal(k.Addr) {
			n++
		}
	}
	return n
}
