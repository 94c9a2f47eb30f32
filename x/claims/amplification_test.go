package claims_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// TestAttestationWritesOnlySmallRecords: 262 attestations (with maximal notes) on 131 PENDING claims
// of maximal size (about 5.5 KB each) write well under 1 KB each: the attestation, the attestor
// index entry and the claim's tally, never the claim's body. They all then execute in one block,
// and finalisation likewise leaves every body untouched.
func TestAttestationWritesOnlySmallRecords(t *testing.T) {
	a, b, d := apptest.NewKey("founder1"), apptest.NewKey("founder2"), apptest.NewKey("founder3")
	c := manyClaimsChain(t, a, b, d)
	const n = 131
	mustOK(t, c.Block(claimTxs(t, a, 0, n, 2, c.Time.Add(-24*time.Hour), time.Minute, maximalClaim)...))
	v := c.DB.ReadLatest()
	body, ok := v.Get(claims.ClaimKey(1))
	if !ok || len(body) < 5000 {
		t.Fatalf("claim body %d bytes, want a maximal claim over 5,000", len(body))
	}
	note := strings.Repeat("n", int(claims.DefaultParams().MaxNoteBytes))
	var txs [][]byte
	var most int
	for i, attestor := range []apptest.Key{b, d} {
		for id := uint64(1); id <= n; id++ {
			msg := &claims.MsgAttest{ClaimId: id, Verdict: claims.Verdict(1 + i), Note: note}
			kv := store.NewOverlay(v)
			ctx := core.NewContext(kv, c.Height+1, c.Time.Add(c.BlockInterval).Unix(), apptest.ChainID)
			ctx.Signer = attestor.Addr
			if err := keeper().Attest(ctx, msg); err != nil {
				t.Fatal(err)
			}
			written := 0
			kv.Writes(func(k, val []byte, _ bool) bool {
				if bytes.Equal(k, claims.ClaimKey(id)) {
					t.Fatalf("attestation of claim %d rewrote its body", id)
				}
				written += len(k) + len(val)
				return true
			})
			most = max(most, written)
			txs = append(txs, attestor.Sign(t, apptest.ChainID, id-1, &auth.Msg{Sum: &auth.Msg_Attest{Attest: msg}}))
		}
	}
	v.Discard()
	t.Logf("largest attestation write set: %d bytes (claim body %d bytes)", most, len(body))
	// An attestation tx also rewrites the signer's account (about 80 bytes).
	if most > 800 {
		t.Fatalf("an attestation wrote %d bytes; want under 800 (the claim body is %d)", most, len(body))
	}
	if len(txs) != 262 {
		t.Fatalf("%d attestation txs", len(txs))
	}
	mustOK(t, c.Block(txs...))
	c.BlockInterval = 8 * 24 * time.Hour
	c.Block() // finalise all 131
	v = c.DB.ReadLatest()
	defer v.Discard()
	if after, _ := v.Get(claims.ClaimKey(1)); !bytes.Equal(after, body) {
		t.Fatal("the claim body changed after attestations and finalisation")
	}
	var cl claims.ClaimWithAttestations
	if err := c.Query("/claims/claim/1", nil, &cl); err != nil {
		t.Fatal(err)
	}
	if cl.Claim.Approvals != 1 || cl.Claim.Rejections != 1 || cl.Claim.Status != claims.ClaimStatus_CLAIM_STATUS_REJECTED ||
		len(cl.Claim.Summary) != 1024 || len(cl.Claim.Evidence) != 8 || len(cl.Attestations) != 2 {
		t.Fatalf("assembled claim: %d/%d %v, summary %d bytes, %d evidence, %d attestations", cl.Claim.Approvals,
			cl.Claim.Rejections, cl.Claim.Status, len(cl.Claim.Summary), len(cl.Claim.Evidence), len(cl.Attestations))
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
}
