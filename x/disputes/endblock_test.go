package disputes_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
)

// The full loop: erin is vouched in by alice and bob, claims an hour that carol and dave approve;
// juror1 disputes it; the end of the next block draws a jury of 3 from the only eligible members
// (juror2..6: not erin, her vouchers, her attestors or the disputant); two jurors uphold, one
// dismisses; the first block at the deadline decides UPHELD. The claim stays VERIFIED (no
// reversal yet).
func TestDisputeFullLoop(t *testing.T) {
	c := disputeChain(t, nil)
	mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	mustExec(t, c, bob, apptest.Vouch(erin, ""))
	settle(c, 3*time.Hour) // erin's claimed hour starts after she joined
	id := verified(t, c, erin, carol, dave)
	id2 := verified(t, c, alice, carol, dave)
	settle(c, week)
	if st := apptest.ClaimOf(t, c, id).Claim.Status; st != claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
		t.Fatalf("claim %v", st)
	}
	disputant := jurors[0]
	mustExec(t, c, disputant, open(id, "she was with me all that hour"))

	res := c.Block() // draws
	ev := event(t, res.Events, "jury_drawn")
	d := disputeOf(t, c, 1).Dispute
	if d.Status != disputes.DisputeStatus_DISPUTE_STATUS_VOTING || d.Round != 1 || len(d.Jurors) != 3 ||
		d.Deadline != c.Time.Unix()+30 || ev["jurors"] != strings.Join(d.Jurors, ",") || ev["dispute_id"] != "1" {
		t.Fatalf("after the draw: %v, event %v", d, ev)
	}
	eligible := []string{}
	for _, k := range jurors[1:] {
		eligible = append(eligible, k.Addr.String())
	}
	for _, j := range d.Jurors {
		if !slices.Contains(eligible, j) {
			t.Fatalf("juror %s is excluded (eligible: juror2..6)", keyOf(t, j).Name)
		}
	}

	js := juryKeys(t, c, 1)
	r := mustExec(t, c, js[0], uphold(1))
	if ev := event(t, r.Events, "jury_vote"); ev["vote"] != "uphold" || ev["juror"] != js[0].Addr.String() || ev["round"] != "1" {
		t.Fatalf("jury_vote %v", ev)
	}
	mustExec(t, c, js[1], dismiss(1))
	c.BlockInterval = 27 * time.Second // the last second before the deadline
	mustExec(t, c, js[2], vote(1, disputes.JuryVote_JURY_VOTE_UPHOLD, "she was not"))
	c.BlockInterval = time.Second
	if d := disputeOf(t, c, 1).Dispute; d.Status != disputes.DisputeStatus_DISPUTE_STATUS_VOTING {
		t.Fatalf("decided before the deadline: %v", d)
	}
	res = c.Block() // at the deadline
	ev = event(t, res.Events, "dispute_decided")
	if ev["outcome"] != "upheld" || ev["reason"] != disputes.ReasonMajority || ev["uphold"] != "2" || ev["dismiss"] != "1" {
		t.Fatalf("dispute_decided %v", ev)
	}
	got := disputeOf(t, c, 1)
	if d := got.Dispute; d.Status != disputes.DisputeStatus_DISPUTE_STATUS_UPHELD || d.DecidedAt != c.Time.Unix() ||
		d.DecidedHeight != uint64(c.Height) || d.OutcomeReason != disputes.ReasonMajority || len(got.Votes) != 3 {
		t.Fatalf("decided: %v", got)
	}
	if st := apptest.ClaimOf(t, c, id).Claim.Status; st != claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
		t.Fatalf("claim %v: reversal is the next step", st)
	}
	// The claim stays taken until the decision is final (it can still be appealed); the
	// disputant's own slot is released.
	wantErr(t, exec(t, c, disputant, open(id, "again")).Err, disputes.ErrAlreadyDisputed, "which is not final yet")
	mustExec(t, c, disputant, open(id2, "again"))

	// Queries: by status, claim and juror, from the indexes.
	var l disputes.QueryDisputesResponse
	for _, q := range []struct {
		req  *disputes.QueryDisputesRequest
		want []uint64
	}{
		{&disputes.QueryDisputesRequest{}, []uint64{2, 1}},
		{&disputes.QueryDisputesRequest{Status: disputes.DisputeStatus_DISPUTE_STATUS_UPHELD}, []uint64{1}},
		{&disputes.QueryDisputesRequest{Status: disputes.DisputeStatus_DISPUTE_STATUS_OPEN}, []uint64{2}},
		{&disputes.QueryDisputesRequest{ClaimId: id}, []uint64{1}},
		{&disputes.QueryDisputesRequest{ClaimId: id2}, []uint64{2}},
		{&disputes.QueryDisputesRequest{Offset: 1}, []uint64{1}},
		{&disputes.QueryDisputesRequest{Limit: 1}, []uint64{2}},
		{&disputes.QueryDisputesRequest{Juror: js[0].Addr.String()}, []uint64{1}},
		{&disputes.QueryDisputesRequest{Juror: alice.Addr.String()}, nil},
		{&disputes.QueryDisputesRequest{Juror: js[0].Addr.String(), Status: disputes.DisputeStatus_DISPUTE_STATUS_OPEN}, nil},
	} {
		if err := c.Query("/disputes/disputes", q.req, &l); err != nil {
			t.Fatal(err)
		}
		var ids []uint64
		for _, d := range l.Disputes {
			ids = append(ids, d.Id)
		}
		if !slices.Equal(ids, q.want) {
			t.Fatalf("%v: got %v, want %v", q.req, ids, q.want)
		}
	}
	if err := c.Query("/disputes/dispute/7", nil, &disputes.DisputeWithVotes{}); err == nil {
		t.Fatal("dispute 7 found")
	}

	// Export → import → export round-trips byte for byte, with a decided and a VOTING dispute.
	c.Block() // draws dispute 2
	mustExec(t, c, juryKeys(t, c, 2)[0], dismiss(2))
	exported, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	c2 := apptest.NewChain(t, "", exported)
	c2.Block() // at genesis time, long before dispute 2's deadline
	again, err := c2.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := exported.Disputes.Marshal()
	b2, _ := again.Disputes.Marshal()
	if !bytes.Equal(b1, b2) || len(exported.Disputes.Disputes) != 2 || len(exported.Disputes.Votes) != 4 {
		t.Fatalf("disputes genesis differs after the round trip, or is incomplete (%d disputes, %d votes)",
			len(exported.Disputes.Disputes), len(exported.Disputes.Votes))
	}
	if err := c2.Invariants(); err != nil {
		t.Fatal(err)
	}
	var l1, l2 disputes.QueryDisputesResponse
	for _, req := range []*disputes.QueryDisputesRequest{{}, {Juror: js[0].Addr.String()}, {Status: disputes.DisputeStatus_DISPUTE_STATUS_VOTING}} {
		if err := c.Query("/disputes/disputes", req, &l1); err != nil {
			t.Fatal(err)
		}
		if err := c2.Query("/disputes/disputes", req, &l2); err != nil {
			t.Fatal(err)
		}
		if l1.String() != l2.String() {
			t.Fatalf("%v: listings differ after the round trip", req)
		}
	}
}

// Without quorum a new jury, disjoint from the first, is drawn once; without quorum again the
// dispute is dismissed.
func TestDisputeNoQuorumRedrawThenDismiss(t *testing.T) {
	c := drawn(t) // eligible: juror1..6, so two disjoint juries of 3 exist
	first := disputeOf(t, c, 1).Dispute.Jurors
	mustExec(t, c, juryKeys(t, c, 1)[0], uphold(1)) // one vote of three: no quorum
	res := (func() *core.BlockResult {
		c.BlockInterval = 30 * time.Second
		r := c.Block()
		c.BlockInterval = time.Second
		return r
	})()
	ev := event(t, res.Events, "jury_drawn")
	d := disputeOf(t, c, 1).Dispute
	if ev["round"] != "2" || d.Round != 2 || d.Status != disputes.DisputeStatus_DISPUTE_STATUS_VOTING ||
		!slices.Equal(d.PreviousJurors, first) || d.Uphold != 0 || d.Deadline != c.Time.Unix()+30 {
		t.Fatalf("after the first deadline: %v", d)
	}
	for _, j := range d.Jurors {
		if slices.Contains(first, j) {
			t.Fatalf("juror %s sits on both juries", j)
		}
	}
	// A first-round juror may not vote again.
	wantErr(t, exec(t, c, keyOf(t, first[1]), uphold(1)).Err, disputes.ErrNotJuror)
	mustExec(t, c, juryKeys(t, c, 1)[0], dismiss(1))
	c.BlockInterval = 30 * time.Second
	res = c.Block()
	ev = event(t, res.Events, "dispute_decided")
	if ev["outcome"] != "dismissed" || ev["reason"] != disputes.ReasonNoQuorum {
		t.Fatalf("dispute_decided %v", ev)
	}
	if got := disputeOf(t, c, 1); got.Dispute.Status != disputes.DisputeStatus_DISPUTE_STATUS_DISMISSED || len(got.Votes) != 2 {
		t.Fatalf("decided %v", got)
	}
}

// A tie of cast votes (with quorum) dismisses; so does a jury that cannot be filled.
func TestDisputeTieAndTooFewJurors(t *testing.T) {
	c := disputeChain(t, func(g *app.GenesisState) { g.Disputes.Params.JurySize = 5 })
	verified(t, c, alice, bob, carol)
	settle(c, week)
	mustExec(t, c, dave, open(1, "r"))
	c.Block()
	js := juryKeys(t, c, 1)
	mustExec(t, c, js[0], uphold(1))
	mustExec(t, c, js[1], dismiss(1))
	mustExec(t, c, js[2], uphold(1))
	mustExec(t, c, js[3], dismiss(1))
	c.BlockInterval = 30 * time.Second
	if ev := event(t, c.Block().Events, "dispute_decided"); ev["outcome"] != "dismissed" || ev["reason"] != disputes.ReasonTie {
		t.Fatalf("tie: %v", ev)
	}

	c = disputeChain(t, func(g *app.GenesisState) { g.Disputes.Params.JurySize = 7 }) // 6 eligible
	verified(t, c, alice, bob, carol)
	settle(c, week)
	mustExec(t, c, dave, open(1, "r"))
	ev := event(t, c.Block().Events, "dispute_decided")
	if ev["outcome"] != "dismissed" || ev["reason"] != "too few eligible jurors (6 eligible, jury_size 7)" {
		t.Fatalf("too few: %v", ev)
	}
}

// Two chains fed the same blocks draw the same juries and reach the same app hashes; a chain whose
// blocks differ (another tx in the opening block) draws from another seed.
func TestDisputeDrawDeterministic(t *testing.T) {
	run := func() *apptest.Chain {
		c := disputeChain(t, nil)
		verified(t, c, alice, bob, carol)
		verified(t, c, bob, alice, carol)
		settle(c, week)
		c.Block(c.Tx(dave, open(1, "r")), c.Tx(jurors[0], open(2, "r")))
		c.Block()
		return c
	}
	a, b := run(), run()
	for id := uint64(1); id <= 2; id++ {
		ja, jb := disputeOf(t, a, id).Dispute.Jurors, disputeOf(t, b, id).Dispute.Jurors
		if len(ja) != 3 || !slices.Equal(ja, jb) {
			t.Fatalf("dispute %d: juries %v and %v", id, ja, jb)
		}
	}
	if !bytes.Equal(a.Hashes[len(a.Hashes)-1], b.Hashes[len(b.Hashes)-1]) {
		t.Fatal("app hashes differ")
	}
}
