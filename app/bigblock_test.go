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

// TestMaximalClaimBlockCommits: the review's 1,300 txs of 3 maximal claims each (~20 MB) can no
// longer make one block: max_pending_claims (16) keeps 5 txs per member and ProcessProposal refuses
// the whole set, naming the first claim over the cap. The claims that fit then draw a block of
// 2,470 attestation txs with maximal notes, ~22 MB, more than the ~20 MB Badger takes in one
// transaction, which a block had to fit in before the store split a block's writes over several
// Badger transactions ("Txn is too big" halted a real node for good). PrepareProposal keeps it
// whole, ProcessProposal accepts it, and it executes and commits on an on-disk store with production
// options. After a restart the app reports the same height and app hash, every claim and
// attestation is queryable, and the block that finalises all 1,950 claims past the attestation
// window commits too.
func TestMaximalClaimBlockCommits(t *testing.T) {
	const members, txsPer, claimsPerTx = 130, 10, 3
	keys := make([]apptest.Key, members)
	for i := range keys {
		keys[i] = apptest.NewKey(fmt.Sprintf("Big%03d", i))
	}
	dir := t.TempDir()
	c := apptest.NewChain(t, dir, apptest.ContribGenesis(1_000_000, keys...))
	c.Block()
	p := claims.DefaultParams()

	// Member m's claims are consecutive hours ending an hour before the block, well inside
	// max_claim_age.
	blockTime := c.Time.Add(c.BlockInterval)
	var txs [][]byte
	for m, k := range keys {
		for s := range txsPer {
			var msgs []*auth.Msg
			for j := range claimsPerTx {
				n := s*claimsPerTx + j
				start := blockTime.Add(-time.Duration(n+2) * time.Hour)
				msgs = append(msgs, apptest.MaximalClaim(apptest.ChainID, k.Addr, start, start.Add(time.Hour), fmt.Sprintf("m%03d-c%02d", m, n)))
			}
			tx := k.Sign(t, apptest.ChainID, uint64(s), msgs...)
			if len(tx) > auth.MaxTxBytes {
				t.Fatalf("a tx of 3 maximal claims has %d bytes, above %d", len(tx), auth.MaxTxBytes)
			}
			txs = append(txs, tx)
		}
	}
	height := c.Height + 1
	err := c.App.ProcessProposal(height, blockTime, txs)
	if err == nil || !strings.Contains(err.Error(), "tx 5: ") || !strings.Contains(err.Error(), "too many pending claims") {
		t.Fatalf("ProcessProposal of the review's 1,300 claim txs: %v; want tx 5 refused for too many pending claims", err)
	}
	perMember := int(p.MaxPendingClaims) / claimsPerTx // 5
	kept := c.App.PrepareProposal(height, blockTime, txs, 53<<20)
	if len(kept) != members*perMember {
		t.Fatalf("PrepareProposal kept %d of %d txs; want %d", len(kept), len(txs), members*perMember)
	}
	if err := c.App.ProcessProposal(height, blockTime, kept); err != nil {
		t.Fatalf("ProcessProposal of what PrepareProposal kept: %v", err)
	}
	for i, r := range c.Block(kept...).TxResults {
		if r.Err != nil {
			t.Fatalf("claim tx %d: %v", i, r.Err)
		}
	}
	total := uint64(members * perMember * claimsPerTx) // 1,950; member m holds ids m*15+1 … m*15+15

	// Every member approves 19 × 16 claims of others, each with a maximal note.
	const attestTxsPer = 19
	note := strings.Repeat("n", int(p.MaxNoteBytes))
	var attests [][]byte
	var attestBytes int
	for m, k := range keys {
		own := uint64(m * perMember * claimsPerTx)
		id := own + uint64(perMember*claimsPerTx) // the next member's first claim - 1
		for s := range attestTxsPer {
			var msgs []*auth.Msg
			for len(msgs) < auth.MaxMsgsPerTx {
				id = id%total + 1
				if id > own && id <= own+uint64(perMember*claimsPerTx) {
					continue
				}
				msgs = append(msgs, &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: id, Verdict: claims.Verdict_VERDICT_APPROVE, Note: note}}})
			}
			raw, err := auth.Sign(k.Priv, &auth.TxBody{ChainId: apptest.ChainID, Sequence: uint64(perMember + s), Msgs: msgs, Memo: strings.Repeat("m", auth.MaxMemoBytes)})
			if err != nil {
				t.Fatal(err)
			}
			attests = append(attests, raw)
			attestBytes += len(raw)
		}
	}
	t.Logf("%d attestation txs, %.1f MB", len(attests), float64(attestBytes)/1e6)
	if attestBytes <= 20_000_000 {
		t.Fatalf("the attestation block has %d bytes; the test needs more than one Badger transaction holds", attestBytes)
	}
	height, blockTime = c.Height+1, c.Time.Add(c.BlockInterval)
	if kept := c.App.PrepareProposal(height, blockTime, attests, 53<<20); len(kept) != len(attests) {
		t.Fatalf("PrepareProposal kept %d of %d attestation txs", len(kept), len(attests))
	}
	if err := c.App.ProcessProposal(height, blockTime, attests); err != nil {
		t.Fatalf("ProcessProposal: %v", err)
	}
	start := time.Now()
	res := c.Block(attests...) // FinalizeBlock and Commit; a failed Commit fails the test here
	t.Logf("FinalizeBlock+Commit of the attestation block: %v", time.Since(start).Round(time.Millisecond))
	for i, r := range res.TxResults {
		if r.Err != nil {
			t.Fatalf("attestation tx %d: %v", i, r.Err)
		}
	}

	c = reopen(t, c, dir) // checks Info: same height and app hash
	c.BlockInterval = time.Second
	var stats claims.QueryClaimStatsResponse
	if err := c.Query("/claims/stats", nil, &stats); err != nil || stats.Pending != total {
		t.Fatalf("after restart: %v, %v; want %d pending claims", err, &stats, total)
	}
	attested := 0
	for id := uint64(1); id <= total; id++ {
		cw := claimOf(t, c, id)
		cl := cw.Claim
		if cl == nil || len(cl.Summary) != 1024 || len(cl.Evidence) != 8 || len(cl.Evidence[7].Uri) != 512 ||
			cl.Status != claims.ClaimStatus_CLAIM_STATUS_PENDING || int(cl.Approvals) != len(cw.Attestations) {
			t.Fatalf("claim %d after restart: %v", id, cl)
		}
		attested += len(cw.Attestations)
	}
	if attested != members*attestTxsPer*auth.MaxMsgsPerTx {
		t.Fatalf("%d attestations stored; want %d", attested, members*attestTxsPer*auth.MaxMsgsPerTx)
	}

	// Past the attestation window every claim finalises, VERIFIED, in one block.
	c.BlockInterval = time.Duration(p.AttestationWindow+1) * time.Second
	c.Block()
	c.BlockInterval = time.Second
	if err := c.Query("/claims/stats", nil, &stats); err != nil || stats.Pending != 0 || stats.Verified != total {
		t.Fatalf("after finalisation: %v, %v; want %d verified", err, &stats, total)
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
	c = reopen(t, c, dir)
	if err := c.DB.Verify(); err != nil {
		t.Fatal(err)
	}
	if cl := claimOf(t, c, total).Claim; cl.Status != claims.ClaimStatus_CLAIM_STATUS_VERIFIED || len(cl.Summary) != 1024 {
		t.Fatalf("last claim after finalisation and restart: %v", cl)
	}
}
