package disputes_test

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
)

// base: claim 1 by alice and claim 2 by bob, both VERIFIED in the same block; claim 3 by carol
// PENDING; claim 4 by dave REJECTED (nobody attested it).
func base(t *testing.T, c *apptest.Chain) {
	verified(t, c, alice, bob, carol)
	verified(t, c, bob, alice, carol)
	mustExec(t, c, dave, apptest.SubmitClaim(hoursAgo(c, 4), hoursAgo(c, 3), "care", "work"))
	settle(c, week)
	mustExec(t, c, carol, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", "work"))
}

func TestOpenDisputeRejections(t *testing.T) {
	tests := []struct {
		name   string
		tweak  func(*app.GenesisState)
		setup  func(t *testing.T, c *apptest.Chain)
		signer apptest.Key
		msg    *auth.Msg
		want   *core.Error
		log    string
	}{
		{name: "non-member", signer: outsider, msg: open(1, "r"), want: disputes.ErrDisputantNotMember,
			log: "only active members may open disputes: " + outsider.Addr.String() + " is not an active member; ask members to vouch for you first"},
		{name: "unknown claim", signer: dave, msg: open(99, "r"), want: disputes.ErrClaimNotFound,
			log: "claim not found: no claim 99; check the id with `commonsd query claims`"},
		{name: "pending claim", signer: dave, msg: open(4, "r"), want: disputes.ErrClaimPending,
			log: "claim is still pending: claim 4 is pending until"},
		{name: "rejected claim", signer: alice, msg: open(3, "r"), want: disputes.ErrClaimRejected,
			log: "claim was rejected: claim 3 was rejected and minted nothing; there is nothing to dispute"},
		{name: "too old", signer: dave, msg: open(1, "r"), want: disputes.ErrDisputeWindow,
			log:   "dispute window closed: claim 1 was verified at",
			setup: func(t *testing.T, c *apptest.Chain) { c.BlockInterval = 301 * time.Second }},
		{name: "own claim", signer: alice, msg: open(1, "r"), want: disputes.ErrOwnClaim,
			log: "cannot dispute your own claim: claim 1 is yours"},
		{name: "empty reason", signer: dave, msg: open(1, ""), want: disputes.ErrReasonEmpty,
			log: "dispute reason is empty: say why claim 1 should not stand"},
		{name: "reason too long", signer: dave, msg: open(1, strings.Repeat("r", 2049)), want: disputes.ErrReasonTooLong,
			log: "dispute reason too long: 2049 bytes; shorten it to at most 2048"},
		{name: "claim already disputed", signer: jurors[0], msg: open(1, "r"), want: disputes.ErrAlreadyDisputed,
			log:   "claim already has an open dispute: claim 1 is already disputed in dispute 1, which is not final yet; follow that one",
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, dave, open(1, "invented")) }},
		{name: "per-member cap", signer: dave, msg: open(2, "r"), want: disputes.ErrTooManyOpen,
			log:   "too many open disputes: you have 1 undecided disputes, the most allowed (max_open_disputes 1); wait for one to be decided",
			tweak: func(g *app.GenesisState) { g.Disputes.Params.MaxOpenDisputes = 1 },
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, dave, open(1, "invented")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := disputeChain(t, tt.tweak)
			base(t, c)
			if tt.setup != nil {
				tt.setup(t, c)
			}
			r := exec(t, c, tt.signer, tt.msg)
			wantErr(t, r.Err, tt.want)
			if got := apptest.LogOf(r.Err); !strings.HasPrefix(got, tt.log) {
				t.Fatalf("log %q, want it to start with %q", got, tt.log)
			}
		})
	}
}

func TestOpenDisputeAtWindowEdge(t *testing.T) {
	c := disputeChain(t, nil)
	base(t, c)
	// Claim 1 was finalised two blocks ago (1 s apart); 300 s after finalisation is still open.
	c.BlockInterval = 298 * time.Second
	r := mustExec(t, c, dave, open(1, "invented hours"))
	ev := event(t, r.Events, "dispute_opened")
	if ev["dispute_id"] != "1" || ev["claim_id"] != "1" || ev["disputant"] != dave.Addr.String() || ev["claimant"] != alice.Addr.String() {
		t.Fatalf("dispute_opened %v", ev)
	}
	d := disputeOf(t, c, 1).Dispute
	if d.Status != disputes.DisputeStatus_DISPUTE_STATUS_OPEN || len(d.Jurors) != 0 || d.Reason != "invented hours" {
		t.Fatalf("dispute %v", d)
	}
}
