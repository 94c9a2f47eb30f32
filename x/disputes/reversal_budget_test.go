package disputes_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/disputes"
)

// Reversal work per block is bounded by the people it strikes: two claims, each approved by the same
// 2,100 members, are reversed by disputes that become final in the same block. The first reversal
// (2,101 strikes) fits MaxStrikesPerBlock (4,096); the second would pass it and waits for the next
// block, where it runs. Every approver ends with two strikes, the invariants hold throughout.
func TestReversalBudgetDefersToNextBlock(t *testing.T) {
	if testing.Short() {
		t.Skip("2,110 members")
	}
	const approvers = 2100
	var keys []apptest.Key
	for i := range approvers {
		keys = append(keys, apptest.NewKey(fmt.Sprintf("approver-%d", i)))
	}
	claimantA, claimantB, disputant := apptest.NewKey("claimant-a"), apptest.NewKey("claimant-b"), apptest.NewKey("disputant")
	pool := []apptest.Key{apptest.NewKey("pool-1"), apptest.NewKey("pool-2"), apptest.NewKey("pool-3"),
		apptest.NewKey("pool-4"), apptest.NewKey("pool-5"), apptest.NewKey("pool-6")}
	all := append(append(slices.Clone(keys), claimantA, claimantB, disputant), pool...)
	g := apptest.ContribGenesis(10_000_000, all...)
	p := disputes.DevnetParams()
	g.Disputes.Params = &p
	// Claims 1 and 2, verified at genesis, each approved by every approver.
	end := apptest.GenesisTime.Add(-time.Hour).Unix()
	minted := claims.MintedFor(end-3600, end)
	for i, k := range []apptest.Key{claimantA, claimantB} {
		id := uint64(i + 1)
		g.Claims.Claims = append(g.Claims.Claims, &claims.Claim{Id: id, Claimant: k.Addr.String(), Start: end - 3600, End: end,
			Category: "care", Status: claims.ClaimStatus_CLAIM_STATUS_VERIFIED, SubmittedAt: end, Deadline: end + 30,
			Approvals: approvers, FinalizedAt: apptest.GenesisTime.Unix(), Minted: minted})
		for _, a := range keys {
			g.Claims.Attestations = append(g.Claims.Attestations, &claims.Attestation{ClaimId: id, Attestor: a.Addr.String(),
				Verdict: claims.Verdict_VERDICT_APPROVE, Time: end, Height: 1})
		}
	}
	g.Claims.NextClaimId = 3
	var total uint64
	for _, a := range g.Bank.Accounts {
		if a.Address == claimantA.Addr.String() || a.Address == claimantB.Addr.String() {
			a.Balance += minted
		}
		total += a.Balance
	}
	g.Bank.Supply = &bank.Supply{Genesis: total - 2*minted, Minted: 2 * minted}
	c := disputeChain2(t, g)

	mustExec(t, c, disputant, open(1, "invented"))
	mustExec(t, c, disputant, open(2, "invented too"))
	c.Block() // draws both juries from the pool and the other claimant
	keyOf := func(addr string) apptest.Key {
		for _, k := range all {
			if k.Addr.String() == addr {
				return k
			}
		}
		t.Fatalf("no key for %s", addr)
		return apptest.Key{}
	}
	for _, id := range []uint64{1, 2} {
		for _, j := range disputeOf(t, c, id).Dispute.Jurors {
			mustExec(t, c, keyOf(j), uphold(id))
		}
	}
	settle(c, 30*time.Second) // decided: upheld
	settle(c, 61*time.Second) // both final in this block
	if d := disputeOf(t, c, 1).Dispute; !d.Final || !d.Reversed || d.Strikes != approvers+1 {
		t.Fatalf("dispute 1 after the block that made it final: %v", d)
	}
	if d := disputeOf(t, c, 2).Dispute; !d.Final || d.Reversed {
		t.Fatalf("dispute 2 should wait for the next block (budget spent): %v", d)
	}
	if st := apptest.ClaimOf(t, c, 2).Claim.Status; st != claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
		t.Fatalf("claim 2 is %v before its turn", st)
	}
	c.Block()
	if d := disputeOf(t, c, 2).Dispute; !d.Reversed || d.Strikes != approvers+1 {
		t.Fatalf("dispute 2 one block later: %v", d)
	}
	for _, k := range []apptest.Key{keys[0], keys[approvers-1]} {
		if r := recordOf(t, c, k); r.ActiveStrikes != 2 || r.Claims.ApprovalsReversed != 2 {
			t.Fatalf("%s: %d active strikes, %d approvals reversed", k.Name, r.ActiveStrikes, r.Claims.ApprovalsReversed)
		}
	}
	var s app.QuerySupplyResponse
	if err := c.Query("/app/supply", nil, &s); err != nil || s.Reversed != 2*minted || s.Burned != 2*minted {
		t.Fatalf("supply: %+v (%v)", &s, err)
	}
}
