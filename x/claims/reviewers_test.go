package claims_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// reviewChain: alice, bob, carol, dave and six more founders; each claim gets 3 drawn reviewers
// and needs 1 approval from them.
func reviewChain(t *testing.T) (*apptest.Chain, []apptest.Key) {
	t.Helper()
	more := []apptest.Key{}
	for i := range 6 {
		more = append(more, apptest.NewKey(fmt.Sprintf("rev%d", i)))
	}
	all := append([]apptest.Key{alice, bob, carol, dave}, more...)
	c := contribChain(t, func(g *app.GenesisState) {
		g.Members.Members = nil
		for _, k := range all {
			g.Members.Members = append(g.Members.Members, &members.Member{Address: k.Addr.String(), Handle: apptest.Handle(k), JoinedAt: apptest.FoundersJoinedAt})
		}
		g.Claims.Params.Reviewers, g.Claims.Params.MinReviewerApprovals = 3, 1
		g.Members.Params.VouchCooldown = members.MinVouchCooldown
	})
	return c, all
}

func keyFor(t *testing.T, keys []apptest.Key, addr string) apptest.Key {
	t.Helper()
	for _, k := range keys {
		if k.Addr.String() == addr {
			return k
		}
	}
	t.Fatalf("no key for %s", addr)
	return apptest.Key{}
}

func awaiting(t *testing.T, c *apptest.Chain, k apptest.Key) []uint64 {
	t.Helper()
	var l claims.QueryClaimsResponse
	if err := c.Query("/claims/claims", &claims.QueryClaimsRequest{Awaiting: k.Addr.String()}, &l); err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, cl := range l.Claims {
		ids = append(ids, cl.Id)
	}
	return ids
}

// Two approvals that are not from the drawn reviewers do not verify a claim; the claimant is told
// why. One reviewer's approval does. The reviewers see the claim in their awaiting list until they
// attest or it is finalised.
func TestDrawnReviewers(t *testing.T) {
	c, all := reviewChain(t)
	r := mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", "work"))
	id, _ := strconv.ParseUint(event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
	ev := event(t, c.Block().Events, "reviewers_drawn") // the end of the next block draws
	cl := claimOf(t, c, id).Claim
	if !cl.ReviewersDrawn || len(cl.Reviewers) != 3 || ev["reviewers"] != strings.Join(cl.Reviewers, ",") || slices.Contains(cl.Reviewers, alice.Addr.String()) {
		t.Fatalf("reviewers %v, event %v", cl.Reviewers, ev)
	}
	for _, rv := range cl.Reviewers {
		if got := awaiting(t, c, keyFor(t, all, rv)); !slices.Equal(got, []uint64{id}) {
			t.Fatalf("reviewer's awaiting list %v", got)
		}
	}
	// Two approvals by non-reviewers: enough for the §2 rule, not for the reviewers' rule.
	var others []apptest.Key
	for _, k := range all {
		if k.Addr.String() != alice.Addr.String() && !slices.Contains(cl.Reviewers, k.Addr.String()) {
			others = append(others, k)
		}
	}
	mustExec(t, c, others[0], apptest.Approve(id))
	mustExec(t, c, others[1], apptest.Approve(id))
	fin := event(t, finalizeBlock(c).Events, "claim_finalized")
	if fin["status"] != "rejected" || fin["reviewer_approvals"] != "0" ||
		!strings.Contains(fin["reason"], "0 of its approvals came from its drawn reviewers") || !strings.Contains(fin["reason"], "it needs 1") {
		t.Fatalf("claim_finalized %v", fin)
	}
	if got := claimOf(t, c, id).Claim; got.Status != claims.ClaimStatus_CLAIM_STATUS_REJECTED || !strings.Contains(got.OutcomeReason, "drawn reviewers") {
		t.Fatalf("claim after finalisation: %v", got)
	}
	for _, rv := range cl.Reviewers {
		if got := awaiting(t, c, keyFor(t, all, rv)); len(got) != 0 {
			t.Fatalf("a finalised claim is still awaiting its reviewer: %v", got)
		}
	}

	// A second claim: one reviewer approves (leaving that reviewer's awaiting list), one other
	// member approves: VERIFIED.
	r = mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 4), hoursAgo(c, 3), "care", "work"))
	id2, _ := strconv.ParseUint(event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
	c.Block()
	cl2 := claimOf(t, c, id2).Claim
	reviewer := keyFor(t, all, cl2.Reviewers[0])
	mustExec(t, c, reviewer, apptest.Approve(id2))
	if got := awaiting(t, c, reviewer); len(got) != 0 {
		t.Fatalf("after attesting, the reviewer still awaits %v", got)
	}
	for _, k := range all {
		if k.Addr.String() != alice.Addr.String() && k.Addr.String() != reviewer.Addr.String() {
			mustExec(t, c, k, apptest.Approve(id2))
			break
		}
	}
	fin = event(t, finalizeBlock(c).Events, "claim_finalized")
	if fin["status"] != "verified" || fin["reviewer_approvals"] != "1" || fin["reason"] != "" {
		t.Fatalf("claim_finalized %v", fin)
	}
}

// Reviewers are never the claimant or its vouchers, and spread over the eligible members.
func TestReviewerExclusions(t *testing.T) {
	c, all := reviewChain(t)
	mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	mustExec(t, c, bob, apptest.Vouch(erin, ""))
	c.Settle(3 * time.Hour)
	var ids []uint64
	for i := range 12 {
		start := hoursAgo(c, 2).Add(time.Duration(i) * time.Minute * 5)
		r := mustExec(t, c, erin, apptest.SubmitClaim(start, start.Add(2*time.Minute), "care", "work"))
		id, _ := strconv.ParseUint(event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
		ids = append(ids, id)
		if i%4 == 3 {
			c.Settle(4 * 24 * time.Hour) // finalise, so erin stays below max_pending_claims
		}
	}
	c.Block()
	banned := []string{erin.Addr.String(), alice.Addr.String(), bob.Addr.String()}
	seen := map[string]bool{}
	for _, id := range ids {
		cl := claimOf(t, c, id).Claim
		if !cl.ReviewersDrawn || len(cl.Reviewers) != 3 {
			t.Fatalf("claim %d reviewers %v", id, cl.Reviewers)
		}
		for _, rv := range cl.Reviewers {
			if slices.Contains(banned, rv) {
				t.Fatalf("claim %d drew %s, who is the claimant or vouched for her", id, keyFor(t, append(all, erin), rv).Name)
			}
			seen[rv] = true
		}
	}
	if len(seen) < 5 { // 8 eligible; 36 places
		t.Fatalf("only %d distinct reviewers over 12 claims", len(seen))
	}
}

// finalizeBlock runs a block a week later (past every attestation window) and returns its result.
func finalizeBlock(c *apptest.Chain) *core.BlockResult {
	iv := c.BlockInterval
	c.BlockInterval = 7 * 24 * time.Hour
	defer func() { c.BlockInterval = iv }()
	return c.Block()
}
