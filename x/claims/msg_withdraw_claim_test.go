package claims_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
)

func withdraw(id uint64) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_WithdrawClaim{WithdrawClaim: &claims.MsgWithdrawClaim{ClaimId: id}}}
}

// A claimant withdraws their own pending claim: it is REJECTED at once and marked withdrawn,
// nothing is minted, the approvals it had stay, its reviewers' inboxes drop it, and its interval
// can be claimed again, as a rejected claim's can, up to max_reclaims times. Nobody else may
// withdraw it, and a settled claim cannot be withdrawn.
func TestWithdrawClaim(t *testing.T) {
	c := contribChain(t, func(g *app.GenesisState) {
		g.Claims.Params.Reviewers, g.Claims.Params.MinReviewerApprovals = 2, 1
		g.Claims.Params.MaxReclaims = 1
	})
	from, to := hoursAgo(c, 3), hoursAgo(c, 2)
	r := mustExec(t, c, carol, apptest.SubmitClaim(from, to, "care", "a mistake"))
	id, _ := strconv.ParseUint(event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
	mustExec(t, c, alice, apptest.Approve(id))
	c.Block() // reviewers drawn
	before := claimOf(t, c, id).Claim
	if len(before.Reviewers) != 2 {
		t.Fatalf("reviewers %v", before.Reviewers)
	}
	wantErr(t, exec(t, c, alice, withdraw(id)).Err, claims.ErrNotClaimant, "only its claimant")
	wantErr(t, exec(t, c, carol, withdraw(99)).Err, claims.ErrClaimNotFound)
	r = mustExec(t, c, carol, withdraw(id))
	if ev := event(t, r.Events, "claim_finalized"); ev["status"] != "rejected" || ev["minted"] != "0uhour" {
		t.Fatalf("claim_finalized %v", ev)
	}
	event(t, r.Events, "claim_withdrawn")
	got := claimOf(t, c, id).Claim
	if got.Status != claims.ClaimStatus_CLAIM_STATUS_REJECTED || !got.Withdrawn || got.Approvals != 1 || got.Minted != 0 ||
		!strings.Contains(got.OutcomeReason, "withdrawn by the claimant") {
		t.Fatalf("after withdrawal: %+v", got)
	}
	var inbox claims.QueryClaimsResponse
	for _, rv := range before.Reviewers {
		if err := c.Query("/claims/claims", &claims.QueryClaimsRequest{Awaiting: rv}, &inbox); err != nil || inbox.Total != 0 {
			t.Fatalf("reviewer %s still awaits it: %v %d", rv, err, inbox.Total)
		}
	}
	wantErr(t, exec(t, c, carol, withdraw(id)).Err, claims.ErrNotPending, "only a pending claim")
	// The interval is free again, once (max_reclaims 1): claimed, withdrawn, claimed, then refused.
	r = mustExec(t, c, carol, apptest.SubmitClaim(from, to, "care", "again"))
	id2, _ := strconv.ParseUint(event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
	mustExec(t, c, carol, withdraw(id2))
	wantErr(t, exec(t, c, carol, apptest.SubmitClaim(from, to, "care", "third time")).Err, claims.ErrReclaimLimit)
	c.Settle(8 * 24 * time.Hour)
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
}
