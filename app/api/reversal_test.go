package api_test

import (
	"crypto/sha256"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/members"
)

// TestReversalEndpoints: alice's 2 h claim, approved by bob and carol, is disputed by dave, upheld
// by a jury of one and not appealed. Alice had sent 11 of her 12 h away, so the reversal burns 1 h
// and leaves 1 h of debt; with strikes_to_suspend 1 it suspends alice, bob and carol. The claim,
// the dispute, the members' records, alice's history and the supply say so, to the micro-hour.
func TestReversalEndpoints(t *testing.T) {
	const window, suspension = 3600, 86400 // seconds: attestation, jury and appeal windows; suspension
	a, b, c, d, e, f, out := apptest.Alice, apptest.Bob, apptest.Carol, apptest.Dave, apptest.Erin, apptest.Frank, apptest.Outsider
	chain := apptest.ContribChain(t, func(g *app.GenesisState) {
		g.Bank.Params.DemurragePpmPerYear = 0   // no decay entries between the ones the test makes
		for _, k := range []apptest.Key{e, f} { // jurors: the only members neither party nor attestor
			g.Members.Members = append(g.Members.Members, &members.Member{Address: k.Addr.String(), Handle: apptest.Handle(k)})
		}
		g.Members.Params.StrikesToSuspend, g.Members.Params.SuspensionPeriod = 1, suspension
		g.Claims.Params.AttestationWindow = window
		g.Disputes.Params.JurySize, g.Disputes.Params.JuryWindow, g.Disputes.Params.AppealWindow = 1, window, window
	})
	chain.Block()
	start := apptest.Yesterday(9, 0)
	mustBlock(t, chain, [][]byte{chain.Tx(a, apptest.SubmitClaim(start, start.Add(2*time.Hour), "care", "Cooked for the shelter"))})
	mustBlock(t, chain, [][]byte{chain.Tx(b, apptest.Approve(1)), chain.Tx(c, apptest.Approve(1))})
	chain.Settle(window * time.Second)
	transfer := chain.Tx(a, apptest.Transfer(out.Addr, 11_000_000))
	mustBlock(t, chain, [][]byte{transfer, chain.Tx(d, &auth.Msg{Sum: &auth.Msg_OpenDispute{OpenDispute: &disputes.MsgOpenDispute{ClaimId: 1, Reason: "no shelter"}}})})
	mustBlock(t, chain, nil) // draws the jury
	var dw disputes.DisputeWithVotes
	if err := chain.Query("/disputes/dispute/1", nil, &dw); err != nil || len(dw.Dispute.Jurors) != 1 {
		t.Fatalf("dispute 1: %v %+v", err, &dw)
	}
	juror := e
	if dw.Dispute.Jurors[0] == f.Addr.String() {
		juror = f
	}
	mustBlock(t, chain, [][]byte{chain.Tx(juror, &auth.Msg{Sum: &auth.Msg_JuryVote{JuryVote: &disputes.MsgJuryVote{DisputeId: 1, Vote: disputes.JuryVote_JURY_VOTE_UPHOLD}}})})
	chain.Settle(window * time.Second) // upheld
	chain.Settle(window * time.Second) // final, and reversed at the end of the block
	var cw claims.ClaimWithAttestations
	if err := chain.Query("/claims/claim/1", nil, &cw); err != nil || cw.Claim.Status != claims.ClaimStatus_CLAIM_STATUS_REVERSED {
		t.Fatalf("claim 1: %v %v", err, cw.Claim)
	}
	srv := httptest.NewServer(api.New(chain.App, api.Options{}))
	t.Cleanup(srv.Close)
	l := &ledger{chain: chain, srv: srv}

	txHash := fmt.Sprintf("%X", sha256.Sum256(transfer))
	reversedAt := time.Unix(cw.Claim.Reversal.Time, 0).UTC().Format(time.RFC3339)
	alice, bob := a.Addr.String(), b.Addr.String()
	tests := []struct {
		path   string
		checks map[string]any
	}{
		{"/api/v1/claims/1", map[string]any{"claim.status": "reversed", "claim.minted_hours": "2", "claim.reversal.dispute_id": 1.0,
			"claim.reversal.time": reversedAt, "claim.reversal.burned": 1_000_000.0, "claim.reversal.burned_hours": "1",
			"claim.reversal.debt": 1_000_000.0, "claim.reversal.debt_hours": "1", "timeline.#": 5, "timeline.3.event": "finalized",
			"timeline.3.status": "verified", "timeline.4.event": "reversed", "timeline.4.status": "reversed", "timeline.4.dispute_id": 1.0}},
		{"/api/v1/claims", map[string]any{"total": 1.0, "items.#": 1, "items.0.status": "reversed"}},
		{"/api/v1/claims?status=reversed", map[string]any{"total": 1.0, "items.0.id": 1.0, "items.0.reversal.debt": 1_000_000.0}},
		{"/api/v1/claims?status=verified", map[string]any{"total": 0.0}},
		{"/api/v1/disputes/1", map[string]any{"dispute.status": "upheld", "dispute.final": true, "dispute.reversed": true, "dispute.strikes": 3.0}},
		{"/api/v1/accounts/" + alice, map[string]any{"balance": 0.0, "debt": 1_000_000.0, "debt_hours": "1", "history_entries": 4.0,
			"member.status": "suspended", "member.founder": true}},
		{"/api/v1/accounts/" + alice + "/history", map[string]any{"total": 4.0, "items.#": 4,
			"items.0.seq": 3.0, "items.0.kind": "debt", "items.0.amount_hours": "1", "items.0.claim_id": 1.0, "items.0.balance": 0.0, "items.0.debt_hours": "1",
			"items.0.counterparty": nil, "items.0.tx_hash": nil,
			"items.1.kind": "burn", "items.1.amount": 1_000_000.0, "items.1.claim_id": 1.0, "items.1.balance": 0.0, "items.1.debt": 0.0,
			"items.2.kind": "transfer_out", "items.2.amount_hours": "11", "items.2.counterparty.address": out.Addr.String(),
			"items.2.tx_hash": txHash, "items.2.balance_hours": "1", "items.2.claim_id": nil,
			"items.3.kind": "mint", "items.3.amount_hours": "2", "items.3.claim_id": 1.0, "items.3.balance_hours": "12"}},
		{"/api/v1/accounts/" + alice + "/history?offset=1&limit=2", map[string]any{"total": 4.0, "offset": 1.0, "items.#": 2,
			"items.0.kind": "burn", "items.1.kind": "transfer_out"}},
		{"/api/v1/accounts/" + out.Addr.String() + "/history", map[string]any{"total": 1.0, "items.0.kind": "transfer_in",
			"items.0.counterparty.handle": "alice", "items.0.tx_hash": txHash, "items.0.balance_hours": "21"}},
		{"/api/v1/members/" + alice, map[string]any{"status": "suspended", "claims.reversed": 1.0, "claims.verified": 0.0,
			"record.claims_verified": 1.0, "record.verified_hours": "2", "record.claims_reversed": 1.0, "record.reversed_hours": "2",
			"record.active_strikes": 1.0, "record.strikes_ever": 1.0, "record.strikes_to_suspend": 1.0, "record.suspensions": 1.0,
			"record.suspended_until": time.Unix(cw.Claim.Reversal.Time+suspension, 0).UTC().Format(time.RFC3339),
			"record.strikes.#":       1, "record.strikes.0.role": "claimant", "record.strikes.0.claim_id": 1.0, "record.strikes.0.dispute_id": 1.0,
			"record.strikes.0.active": true, "record.strikes.0.time": reversedAt, "record.debt_hours": "1"}},
		{"/api/v1/members/" + bob, map[string]any{"status": "suspended", "record.approvals_given": 1.0, "record.approvals_reversed": 1.0,
			"record.strikes.0.role": "approver", "record.debt": 0.0}},
		{"/api/v1/members/" + d.Addr.String(), map[string]any{"status": "active", "record.disputes_opened": 1.0, "record.disputes_upheld": 1.0,
			"record.disputes_dismissed": 0.0, "record.strikes.#": 0, "record.suspended_until": nil}},
		{"/api/v1/members/" + juror.Addr.String(), map[string]any{"record.jury_seats": 1.0, "record.jury_votes": 1.0, "record.jury_no_shows": 0.0}},
		{"/api/v1/members?status=suspended", map[string]any{"total": 3.0, "items.#": 3, "items.0.handle": "alice", "items.2.handle": "carol"}},
		{"/api/v1/members", map[string]any{"total": 6.0, "items.#": 6, "items.0.status": "suspended"}},
		{"/api/v1/supply", map[string]any{"minted": 2_000_000.0, "burned": 1_000_000.0, "burned_hours": "1", "reversed": 2_000_000.0,
			"reversed_hours": "2", "outstanding_debt": 1_000_000.0, "outstanding_debt_hours": "1", "members": 3.0, "suspended": 3.0,
			"claims.verified": 0.0, "claims.reversed": 1.0, "circulating": 51_000_000.0, "categories.0.verified_uhours": 0.0}},
		{"/api/v1/supply/history", map[string]any{"days.-1.burned": 1_000_000.0, "days.-1.circulating": 51_000_000.0}},
		{"/api/v1/stats/categories", map[string]any{"claims.reversed": 1.0, "claims.verified": 0.0}},
	}
	for _, tc := range tests {
		var body any
		if code := l.get(t, tc.path, &body); code != 200 {
			t.Errorf("GET %s: %d %v", tc.path, code, body)
			continue
		}
		for path, want := range tc.checks {
			got, ok := lookupJSON(body, path)
			if want == nil {
				if ok && got != nil {
					t.Errorf("GET %s: %s = %v, want absent or null", tc.path, path, got)
				}
				continue
			}
			if !ok || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("GET %s: %s = %v (found %t), want %v", tc.path, path, got, ok, want)
			}
		}
	}
	for path, want := range map[string]string{
		"/api/v1/accounts/" + apptest.NewKey("nobody").Addr.String() + "/history": "no account",
		"/api/v1/accounts/" + alice + "/history?limit=101":                        "limit 101 is out of range; use 1 to 100",
		"/api/v1/claims?status=undone":                                            `status "undone" is not one of pending, verified, rejected, reversed`,
		"/api/v1/members?status=gone":                                             `status "gone" is not one of active, candidate, suspended`,
	} {
		var body struct{ Message string }
		if code := l.get(t, path, &body); code/100 != 4 || !strings.Contains(body.Message, want) {
			t.Errorf("GET %s: %d %q, want %q", path, code, body.Message, want)
		}
	}
}

// lookupJSON follows a dotted path into decoded JSON: a number indexes an array (-1 is the last),
// "#" is an array's length.
func lookupJSON(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		switch cur := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = cur[part]; !ok {
				return nil, false
			}
		case []any:
			if part == "#" {
				return len(cur), true
			}
			var i int
			if _, err := fmt.Sscan(part, &i); err != nil {
				return nil, false
			}
			if i < 0 {
				i += len(cur)
			}
			if i < 0 || i >= len(cur) {
				return nil, false
			}
			v = cur[i]
		default:
			return nil, false
		}
	}
	return v, true
}
