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

func TestAttestRejections(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, c *apptest.Chain)
		signer apptest.Key
		msg    *auth.Msg
		want   *core.Error
		frags  []string
	}{
		{name: "claim not found", signer: bob, msg: apptest.Approve(99), want: claims.ErrClaimNotFound, frags: []string{"no claim 99"}},
		{name: "non-member attestor", signer: outsider, msg: apptest.Approve(1), want: claims.ErrAttestorNotMember},
		{name: "self attestation", signer: alice, msg: apptest.Approve(1), want: claims.ErrSelfAttestation},
		{name: "duplicate attestation", signer: bob, msg: apptest.Reject(1), want: claims.ErrDuplicateAttest,
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, bob, apptest.Approve(1)) }},
		{name: "at the deadline", signer: bob, msg: apptest.Approve(1), want: claims.ErrWindowClosed,
			frags: []string{"closed for attestations at 2026-11-27 09:00:01 UTC"},
			setup: func(t *testing.T, c *apptest.Chain) { c.BlockInterval = 7 * 24 * time.Hour }},
		{name: "invalid verdict", signer: bob, msg: &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: 1}}},
			want: claims.ErrInvalidVerdict},
		{name: "note too long", signer: bob, want: claims.ErrNoteTooLong,
			msg: &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: 1, Verdict: claims.Verdict_VERDICT_APPROVE, Note: strings.Repeat("n", 513)}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := contribChain(t, nil)
			mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", "work"))
			if tt.setup != nil {
				tt.setup(t, c)
			}
			wantErr(t, exec(t, c, tt.signer, tt.msg).Err, tt.want, tt.frags...)
		})
	}
}

func TestAttestLastSecondCounts(t *testing.T) {
	c := contribChain(t, nil)
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", "work"))
	mustExec(t, c, bob, apptest.Approve(1))
	c.BlockInterval = 7*24*time.Hour - 2*time.Second // one second before the deadline
	r := mustExec(t, c, carol, apptest.Approve(1))
	if ev := event(t, r.Events, "attested"); ev["verdict"] != "approve" || ev["approvals"] != "2" || ev["claim_id"] != "1" {
		t.Fatalf("attested %v", ev)
	}
	c.BlockInterval = time.Second
	res := c.Block()
	if ev := event(t, res.Events, "claim_finalized"); ev["status"] != "verified" || ev["minted"] != "1000000uhour" {
		t.Fatalf("claim_finalized %v", ev)
	}
}
