package api_test

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/claims"
)

// TestReviewerEndpoints: with 3 drawn reviewers per claim (1 approval of theirs needed) among 7
// founders, a claim lists its reviewers, their approvals and verdicts; ?awaiting= is a reviewer's
// inbox (until they attest or the claim is finalised), empty for anyone else; a claim approved by
// no reviewer is rejected and says why.
func TestReviewerEndpoints(t *testing.T) {
	var founders []apptest.Key
	for i := range 7 {
		founders = append(founders, apptest.NewKey(fmt.Sprintf("founder%02d", i)))
	}
	g := apptest.ContribGenesis(100_000_000, founders...)
	g.Claims.Params.MinApprovals, g.Claims.Params.AttestationWindow = 1, 3600
	g.Claims.Params.Reviewers, g.Claims.Params.MinReviewerApprovals = 3, 1
	chain := apptest.NewChain(t, "", g)
	chain.Block()
	srv := httptest.NewServer(api.New(chain.App, api.Options{}))
	t.Cleanup(srv.Close)
	l := &ledger{chain: chain, founders: founders, srv: srv}
	claimant := founders[0]
	byAddr := func(addr string) apptest.Key {
		t.Helper()
		for _, k := range founders {
			if k.Addr.String() == addr {
				return k
			}
		}
		t.Fatalf("no founder %s", addr)
		return apptest.Key{}
	}
	check := func(path string, checks map[string]any) {
		t.Helper()
		var body any
		if code := l.get(t, path, &body); code != 200 {
			t.Fatalf("GET %s: %d %v", path, code, body)
		}
		for p, want := range checks {
			got, ok := lookupJSON(body, p)
			if want == nil {
				if ok && got != nil {
					t.Errorf("GET %s: %s = %v, want absent or null", path, p, got)
				}
				continue
			}
			if !ok || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("GET %s: %s = %v (found %t), want %v", path, p, got, ok, want)
			}
		}
	}
	awaiting := func(k apptest.Key) string { return "/api/v1/claims?awaiting=" + k.Addr.String() }

	// Claim 1: no reviewers until the end of the next block.
	start := apptest.Yesterday(9, 0)
	mustBlock(t, chain, [][]byte{chain.Tx(claimant, apptest.SubmitClaim(start, start.Add(time.Hour), "care", "Cooked for the shelter"))})
	check("/api/v1/claims/1", map[string]any{"claim.reviewers.#": 0, "claim.reviewer_approvals": 0.0, "claim.outcome_reason": "", "reviewers.#": 0})
	mustBlock(t, chain, nil) // draws the reviewers
	reviewers := apptest.ClaimOf(t, chain, 1).Claim.Reviewers
	if len(reviewers) != 3 || slices.Contains(reviewers, claimant.Addr.String()) {
		t.Fatalf("claim 1's reviewers %v", reviewers)
	}
	var outsider apptest.Key // a founder who is neither claimant nor reviewer
	for _, k := range founders[1:] {
		if !slices.Contains(reviewers, k.Addr.String()) {
			outsider = k
			break
		}
	}
	first, second := byAddr(reviewers[0]), byAddr(reviewers[1])
	want := map[string]any{"claim.reviewers.#": 3, "claim.reviewer_approvals": 0.0, "claim.outcome_reason": "", "reviewers.#": 3}
	for i, r := range reviewers {
		k := byAddr(r)
		want[fmt.Sprintf("claim.reviewers.%d.address", i)] = r
		want[fmt.Sprintf("claim.reviewers.%d.handle", i)] = apptest.Handle(k)
		want[fmt.Sprintf("reviewers.%d.address", i)] = r
		want[fmt.Sprintf("reviewers.%d.handle", i)] = apptest.Handle(k)
		want[fmt.Sprintf("reviewers.%d.attested", i)] = false
		want[fmt.Sprintf("reviewers.%d.verdict", i)] = nil
	}
	check("/api/v1/claims/1", want)
	check("/api/v1/claims", map[string]any{"total": 1.0, "items.0.reviewers.#": 3, "items.0.reviewers.0.handle": apptest.Handle(first),
		"items.0.reviewer_approvals": 0.0, "items.0.outcome_reason": ""})
	for _, k := range []apptest.Key{first, second} {
		check(awaiting(k), map[string]any{"total": 1.0, "offset": 0.0, "limit": 20.0, "items.#": 1, "items.0.id": 1.0,
			"items.0.status": "pending", "items.0.reviewers.#": 3})
	}
	for _, k := range []apptest.Key{outsider, claimant} {
		check(awaiting(k), map[string]any{"total": 0.0, "items.#": 0})
	}

	// The first reviewer approves: their inbox empties, the claim counts the approval and shows
	// their verdict; the others still await it.
	mustBlock(t, chain, [][]byte{chain.Tx(first, apptest.Approve(1))})
	check(awaiting(first), map[string]any{"total": 0.0, "items.#": 0})
	check(awaiting(second), map[string]any{"total": 1.0, "items.0.id": 1.0})
	check(awaiting(second)+"&status=pending", map[string]any{"total": 1.0})
	check(awaiting(second)+"&status=verified", map[string]any{"total": 0.0, "items.#": 0})
	check(awaiting(second)+"&offset=1", map[string]any{"total": 1.0, "offset": 1.0, "items.#": 0})
	check("/api/v1/claims/1", map[string]any{"claim.reviewer_approvals": 1.0, "reviewers.0.attested": true, "reviewers.0.verdict": "approve",
		"reviewers.1.attested": false, "reviewers.1.verdict": nil, "reviewers.2.attested": false, "attestations.#": 1})

	// Claim 2, approved only by a member who is not one of its reviewers: rejected, with the reason.
	start2 := apptest.Yesterday(11, 0)
	mustBlock(t, chain, [][]byte{chain.Tx(claimant, apptest.SubmitClaim(start2, start2.Add(time.Hour), "care", "Fixed the shelter's door"))})
	mustBlock(t, chain, nil)
	reviewers2 := apptest.ClaimOf(t, chain, 2).Claim.Reviewers
	var other apptest.Key
	for _, k := range founders[1:] {
		if !slices.Contains(reviewers2, k.Addr.String()) {
			other = k
			break
		}
	}
	mustBlock(t, chain, [][]byte{chain.Tx(other, apptest.Approve(2))})
	chain.Settle(time.Hour)
	if cl := apptest.ClaimOf(t, chain, 2).Claim; cl.Status != claims.ClaimStatus_CLAIM_STATUS_REJECTED {
		t.Fatalf("claim 2: %v", cl)
	}
	var list struct {
		Total uint64
		Items []struct {
			ID                uint64 `json:"id"`
			ReviewerApprovals uint32 `json:"reviewer_approvals"`
			OutcomeReason     string `json:"outcome_reason"`
		}
	}
	if code := l.get(t, "/api/v1/claims?status=rejected", &list); code != 200 || list.Total != 1 || list.Items[0].ID != 2 ||
		list.Items[0].ReviewerApprovals != 0 || !strings.Contains(list.Items[0].OutcomeReason, "0 of its approvals came from its drawn reviewers") {
		t.Fatalf("GET /claims?status=rejected: %d %+v", code, list)
	}
	check("/api/v1/claims/1", map[string]any{"claim.status": "verified", "claim.outcome_reason": "", "claim.reviewer_approvals": 1.0})
	for _, k := range founders { // finalisation empties every inbox
		check(awaiting(k), map[string]any{"total": 0.0})
	}

	// A malformed address is the API's usual 400.
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if code := l.get(t, "/api/v1/claims?awaiting=commons1nope", &e); code != 400 || e.Code != 400 ||
		!strings.HasPrefix(e.Message, `awaiting: invalid address: "commons1nope"`) {
		t.Errorf("GET /claims?awaiting=commons1nope: %d %+v", code, e)
	}
	if err := chain.Invariants(); err != nil {
		t.Error(err)
	}
}
