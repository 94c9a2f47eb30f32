package disputes_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/disputes"
)

var (
	alice, bob, carol, dave = apptest.Alice, apptest.Bob, apptest.Carol, apptest.Dave
	erin, outsider          = apptest.Erin, apptest.Outsider

	mustExec = apptest.MustExec
	exec     = apptest.Exec
	wantErr  = apptest.WantErr
	event    = apptest.Event
	hoursAgo = (*apptest.Chain).HoursAgo

	// jurors are six founders beyond the four of ContribChain, so that juries can be drawn.
	jurors = []apptest.Key{apptest.NewKey("juror1"), apptest.NewKey("juror2"), apptest.NewKey("juror3"),
		apptest.NewKey("juror4"), apptest.NewKey("juror5"), apptest.NewKey("juror6")}
)

const week = 7 * 24 * time.Hour

// disputeChain starts a chain of ten founders (alice, bob, carol, dave and juror1..6) and a funded
// outsider, with the devnet dispute params (window 300 s, juries of 3, 30 s to vote) changed by
// tweak, and checks the invariants when the test ends.
func disputeChain(t testing.TB, tweak func(*app.GenesisState)) *apptest.Chain {
	t.Helper()
	g := apptest.ContribGenesis(10_000_000, append([]apptest.Key{alice, bob, carol, dave}, jurors...)...)
	g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: outsider.Addr.String(), Balance: 10_000_000})
	p := disputes.DevnetParams()
	g.Disputes.Params = &p
	if tweak != nil {
		tweak(g)
	}
	c := apptest.NewChain(t, "", g)
	t.Cleanup(func() {
		if err := c.Invariants(); err != nil {
			t.Errorf("after test: %v", err)
		}
	})
	return c
}

// verified makes claimant claim an hour that the two attestors approve, and settles it VERIFIED
// (a week's block). It returns nothing: claim ids count from 1 in submission order.
func verified(t testing.TB, c *apptest.Chain, claimant apptest.Key, attestors ...apptest.Key) uint64 {
	t.Helper()
	r := mustExec(t, c, claimant, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", "work"))
	id, _ := strconv.ParseUint(event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
	for _, a := range attestors {
		mustExec(t, c, a, apptest.Approve(id))
	}
	return id
}

func settle(c *apptest.Chain, d time.Duration) { (*apptest.Chain).Settle(c, d) }

func open(id uint64, reason string) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_OpenDispute{OpenDispute: &disputes.MsgOpenDispute{ClaimId: id, Reason: reason}}}
}

func vote(id uint64, v disputes.JuryVote, note string) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_JuryVote{JuryVote: &disputes.MsgJuryVote{DisputeId: id, Vote: v, Note: note}}}
}

func uphold(id uint64) *auth.Msg { return vote(id, disputes.JuryVote_JURY_VOTE_UPHOLD, "") }

func dismiss(id uint64) *auth.Msg { return vote(id, disputes.JuryVote_JURY_VOTE_DISMISS, "") }

func disputeOf(t testing.TB, c *apptest.Chain, id uint64) *disputes.DisputeWithVotes {
	t.Helper()
	var out disputes.DisputeWithVotes
	if err := c.Query("/disputes/dispute/"+strconv.FormatUint(id, 10), nil, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// keyOf finds the test key of an address among everyone the tests use.
func keyOf(t testing.TB, addr string) apptest.Key {
	t.Helper()
	for _, k := range append([]apptest.Key{alice, bob, carol, dave, erin, outsider}, jurors...) {
		if k.Addr.String() == addr {
			return k
		}
	}
	t.Fatalf("no key for %s", addr)
	return apptest.Key{}
}

// juryKeys returns the keys of dispute id's current jury.
func juryKeys(t testing.TB, c *apptest.Chain, id uint64) []apptest.Key {
	t.Helper()
	var out []apptest.Key
	for _, j := range disputeOf(t, c, id).Dispute.Jurors {
		out = append(out, keyOf(t, j))
	}
	return out
}

// disputeChain2 starts a chain from genesis g and checks the invariants when the test ends.
func disputeChain2(t testing.TB, g *app.GenesisState) *apptest.Chain {
	t.Helper()
	c := apptest.NewChain(t, "", g)
	t.Cleanup(func() {
		if err := c.Invariants(); err != nil {
			t.Errorf("after test: %v", err)
		}
	})
	return c
}
