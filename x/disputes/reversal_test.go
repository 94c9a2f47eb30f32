package disputes_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/members"
)

const hourUhour = 1_000_000

func recordOf(t *testing.T, c *apptest.Chain, k apptest.Key) *app.QueryRecordResponse {
	t.Helper()
	var out app.QueryRecordResponse
	if err := c.Query("/app/record/"+k.Addr.String(), nil, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func historyOf(t *testing.T, c *apptest.Chain, k apptest.Key) []*bank.HistoryEntry {
	t.Helper()
	var out bank.QueryHistoryResponse
	if err := c.Query("/bank/history/"+k.Addr.String(), nil, &out); err != nil {
		t.Fatal(err)
	}
	if uint64(len(out.Entries)) != out.Total && len(out.Entries) < 50 {
		t.Fatalf("history of %s: %d entries, total %d", k.Name, len(out.Entries), out.Total)
	}
	return out.Entries
}

func balanceOf(t *testing.T, c *apptest.Chain, k apptest.Key) bank.Account {
	t.Helper()
	var out bank.QueryAccountResponse
	if err := c.Query("/bank/account/"+k.Addr.String(), nil, &out); err != nil {
		t.Fatal(err)
	}
	return *out.Account
}

// finishUnappealed settles the appeal window of dispute 1 so that its first decision is final (and,
// if upheld, the claim reversed at the end of that block).
func finishUnappealed(t *testing.T, c *apptest.Chain) {
	t.Helper()
	settle(c, 61*time.Second)
	if d := disputeOf(t, c, 1).Dispute; !d.Final {
		t.Fatalf("not final: %v", d)
	}
}

// The whole path of design §8: upheld, appealed by the claimant, upheld again on appeal (final):
// the claim is REVERSED, its hour burned from the claimant's balance, and the claimant and both
// approvers carry a strike; the records say so, and nothing was deleted.
func TestAppealUpheldReversesClaim(t *testing.T) {
	c := appealChain(t, nil)
	decideFirst(t, c, uphold(1))
	if cl := apptest.ClaimOf(t, c, 1).Claim; cl.Status != claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
		t.Fatalf("a first decision that can still be appealed reversed the claim: %v", cl)
	}
	mustExec(t, c, alice, appeal(1))
	c.Block() // draws the appeal jury
	before := balanceOf(t, c, alice)
	d := disputeOf(t, c, 1).Dispute
	for _, j := range d.Jurors {
		mustExec(t, c, anyKey(t, j), uphold(1))
	}
	settle(c, 30*time.Second)
	d = disputeOf(t, c, 1).Dispute
	if d.Status != disputes.DisputeStatus_DISPUTE_STATUS_UPHELD || !d.Final || !d.Reversed || d.Strikes != 3 {
		t.Fatalf("after the appeal: %v", d)
	}
	cl := apptest.ClaimOf(t, c, 1)
	if cl.Claim.Status != claims.ClaimStatus_CLAIM_STATUS_REVERSED || cl.Claim.Reversal == nil ||
		cl.Claim.Reversal.DisputeId != 1 || cl.Claim.Reversal.Burned != hourUhour || cl.Claim.Reversal.Debt != 0 ||
		cl.Claim.Minted != hourUhour || len(cl.Attestations) != 2 {
		t.Fatalf("reversed claim: %v", cl)
	}
	if after := balanceOf(t, c, alice); after.Balance != before.Balance-hourUhour || after.Debt != 0 {
		t.Fatalf("alice's balance %d → %d (debt %d), want it to fall by %d", before.Balance, after.Balance, after.Debt, hourUhour)
	}
	var s app.QuerySupplyResponse
	if err := c.Query("/app/supply", nil, &s); err != nil {
		t.Fatal(err)
	}
	if s.Burned != hourUhour || s.Reversed != hourUhour || s.OutstandingDebt != 0 || s.ClaimsReversed != 1 || s.ClaimsVerified != 0 {
		t.Fatalf("supply after the reversal: %+v", &s)
	}
	for _, k := range []apptest.Key{alice, bob, carol} {
		r := recordOf(t, c, k)
		if r.ActiveStrikes != 1 || len(r.Strikes) != 1 || r.Strikes[0].ClaimId != 1 || r.Strikes[0].DisputeId != 1 || r.Member.Strikes != 1 {
			t.Fatalf("%s's record: %v", k.Name, r)
		}
	}
	if r := recordOf(t, c, alice); r.Strikes[0].Role != members.StrikeRole_STRIKE_ROLE_CLAIMANT || r.Claims.Reversed != 1 ||
		r.Claims.Verified != 1 || r.Claims.ReversedUhours != hourUhour {
		t.Fatalf("alice's record: %v", r)
	}
	if r := recordOf(t, c, bob); r.Strikes[0].Role != members.StrikeRole_STRIKE_ROLE_APPROVER || r.Claims.ApprovalsGiven != 1 || r.Claims.ApprovalsReversed != 1 {
		t.Fatalf("bob's record: %v", r)
	}
	if r := recordOf(t, c, dave); r.Disputes.DisputesOpened != 1 || r.Disputes.DisputesUpheld != 1 || r.ActiveStrikes != 0 {
		t.Fatalf("dave's record: %v", r)
	}
	for _, j := range d.Jurors {
		if r := recordOf(t, c, anyKey(t, j)); r.Disputes.JurySeats != 1 || r.Disputes.JuryVotes != 1 || r.Disputes.JuryNoShows != 0 {
			t.Fatalf("appeal juror %s's record: %v", anyKey(t, j).Name, r.Disputes)
		}
	}
	// Provenance: the mint and the burn name claim 1.
	h := historyOf(t, c, alice)
	if len(h) < 2 || h[0].Kind != bank.EntryKind_ENTRY_KIND_BURN || h[0].ClaimId != 1 || h[0].Amount != hourUhour ||
		h[1].Kind != bank.EntryKind_ENTRY_KIND_MINT || h[1].ClaimId != 1 || len(h[1].TxHash) != 0 || h[0].Balance != h[1].Balance-hourUhour {
		t.Fatalf("alice's history: %v", h)
	}
	wantErr(t, exec(t, c, dave, open(1, "again")).Err, disputes.ErrClaimReversed, "claim 1 was reversed by dispute 1")
	roundTrip(t, c) // reversed, with strikes and records
}

// A reversal burns what the balance holds; the rest is debt, which the claimant's next mint pays
// first. burned + outstanding debt = reversed at every step.
func TestReversalDebtPaidFromLaterMints(t *testing.T) {
	c := appealChain(t, nil)
	// alice spends all but 0.1 hour before the dispute is decided.
	keep := uint64(100_000)
	mustExec(t, c, alice, apptest.Transfer(dave.Addr, balanceOf(t, c, alice).Balance-keep))
	decideFirst(t, c, uphold(1))
	finishUnappealed(t, c)
	cl := apptest.ClaimOf(t, c, 1).Claim
	if cl.Status != claims.ClaimStatus_CLAIM_STATUS_REVERSED || cl.Reversal.Burned != keep || cl.Reversal.Debt != hourUhour-keep {
		t.Fatalf("reversal: %v", cl.Reversal)
	}
	if a := balanceOf(t, c, alice); a.Balance != 0 || a.Debt != hourUhour-keep {
		t.Fatalf("alice after the reversal: %v", a)
	}
	if r := recordOf(t, c, alice); r.Debt != hourUhour-keep {
		t.Fatalf("alice's record shows debt %d", r.Debt)
	}
	// Her next verified hour pays the debt first.
	r := mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 4), hoursAgo(c, 3), "care", "work"))
	id, _ := strconv.ParseUint(event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
	mustExec(t, c, bob, apptest.Approve(id))
	mustExec(t, c, carol, apptest.Approve(id))
	settle(c, week)
	if a := balanceOf(t, c, alice); a.Debt != 0 || a.Balance != keep {
		t.Fatalf("alice after her next mint: balance %d debt %d, want %d and 0", a.Balance, a.Debt, keep)
	}
	h := historyOf(t, c, alice)
	kinds := []bank.EntryKind{}
	for _, e := range h[:4] {
		kinds = append(kinds, e.Kind)
	}
	want := []bank.EntryKind{bank.EntryKind_ENTRY_KIND_DEBT_PAID, bank.EntryKind_ENTRY_KIND_MINT, bank.EntryKind_ENTRY_KIND_DEBT, bank.EntryKind_ENTRY_KIND_BURN}
	if !slices.Equal(kinds, want) || h[0].ClaimId != id || h[0].Amount != hourUhour-keep || h[2].ClaimId != 1 {
		t.Fatalf("alice's history, newest first: %v", h[:4])
	}
	var s app.QuerySupplyResponse
	if err := c.Query("/app/supply", nil, &s); err != nil {
		t.Fatal(err)
	}
	if s.Burned != hourUhour || s.Reversed != hourUhour || s.OutstandingDebt != 0 {
		t.Fatalf("supply: burned %d reversed %d outstanding %d", s.Burned, s.Reversed, s.OutstandingDebt)
	}
	roundTrip(t, c)
}

// strikes_to_suspend strikes suspend a member for suspension_period: every action a suspension
// forbids is refused with members/311, suspended members are left out of jury draws, transfers
// still work, and the suspension lifts on time.
func TestStrikesSuspend(t *testing.T) {
	c := appealChain(t, func(g *app.GenesisState) {
		g.Members.Params.StrikesToSuspend = 1
		g.Members.Params.SuspensionPeriod = 600
	})
	// A second claim, by dave, verified before anyone is suspended.
	id2 := verified(t, c, dave, jurors[0], jurors[1])
	settle(c, week)
	decideFirst(t, c, uphold(1))
	finishUnappealed(t, c)
	for _, k := range []apptest.Key{alice, bob, carol} {
		if m := apptest.MemberOf(t, c, k).Member; m.Status != members.MemberStatus_MEMBER_STATUS_SUSPENDED || m.Suspensions != 1 ||
			m.SuspendedUntil != c.Time.Unix()+600 {
			t.Fatalf("%s after one strike: %v", k.Name, m)
		}
	}
	r := mustExec(t, c, dave, apptest.SubmitClaim(hoursAgo(c, 6), hoursAgo(c, 5), "care", "work"))
	pending, _ := strconv.ParseUint(event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
	for _, tc := range []struct {
		name string
		res  error
	}{
		{"claim", exec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 8), hoursAgo(c, 7), "care", "work")).Err},
		{"attest", exec(t, c, bob, apptest.Approve(pending)).Err},
		{"vouch", exec(t, c, carol, apptest.Vouch(erin, "erin")).Err},
		{"dispute", exec(t, c, alice, open(id2, "no")).Err},
		{"appeal", exec(t, c, alice, appeal(1)).Err},
		{"jury vote", exec(t, c, bob, uphold(1)).Err},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.res, members.ErrSuspended, "is suspended until", "query record") })
	}
	// Vouches do not end a suspension (found by the simulation: they used to re-admit).
	wantErr(t, exec(t, c, dave, apptest.Vouch(alice, "")).Err, members.ErrAlreadyMember, "vouches do not lift a suspension")
	mustExec(t, c, bob, apptest.Transfer(dave.Addr, 1)) // hours still move
	mustExec(t, c, jurors[2], open(id2, "padded"))
	c.Block()
	for _, j := range disputeOf(t, c, 2).Dispute.Jurors {
		if slices.Contains([]string{alice.Addr.String(), bob.Addr.String(), carol.Addr.String()}, j) {
			t.Fatalf("suspended %s was drawn", anyKey(t, j).Name)
		}
	}
	var s app.QuerySupplyResponse
	if err := c.Query("/app/supply", nil, &s); err != nil || s.Suspended != 3 {
		t.Fatalf("supply counts %d suspended (%v)", s.Suspended, err)
	}
	roundTrip(t, c) // suspended members, with their lifts queued
	settle(c, 600*time.Second)
	for _, k := range []apptest.Key{alice, bob, carol} {
		if m := apptest.MemberOf(t, c, k).Member; m.Status != members.MemberStatus_MEMBER_STATUS_ACTIVE {
			t.Fatalf("%s after the suspension period: %v", k.Name, m)
		}
	}
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 8), hoursAgo(c, 7), "care", "work"))
}
