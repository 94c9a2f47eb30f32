package disputes_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
)

// moreJurors are six more founders, so that an appeal jury of 7 can be drawn beside a first jury
// of 3 (12 eligible: juror1..12).
var moreJurors = []apptest.Key{apptest.NewKey("juror7"), apptest.NewKey("juror8"), apptest.NewKey("juror9"),
	apptest.NewKey("juror10"), apptest.NewKey("juror11"), apptest.NewKey("juror12")}

func appeal(id uint64) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Appeal{Appeal: &disputes.MsgAppeal{DisputeId: id}}}
}

// appealChain: sixteen founders, devnet params (juries of 3, 30 s to vote, 60 s to appeal) changed
// by tweak; claim 1 by alice (approved by bob and carol) VERIFIED and disputed by dave, its jury drawn.
func appealChain(t *testing.T, tweak func(*app.GenesisState)) *apptest.Chain {
	t.Helper()
	g := apptest.ContribGenesis(10_000_000, append(append([]apptest.Key{alice, bob, carol, dave}, jurors...), moreJurors...)...)
	p := disputes.DevnetParams()
	g.Disputes.Params = &p
	if tweak != nil {
		tweak(g)
	}
	c := disputeChain2(t, g)
	verified(t, c, alice, bob, carol)
	settle(c, week)
	mustExec(t, c, dave, open(1, "invented hours"))
	c.Block() // draws
	return c
}

func anyKey(t *testing.T, addr string) apptest.Key {
	t.Helper()
	for _, k := range append(append([]apptest.Key{alice, bob, carol, dave}, jurors...), moreJurors...) {
		if k.Addr.String() == addr {
			return k
		}
	}
	t.Fatalf("no key for %s", addr)
	return apptest.Key{}
}

// decideFirst has the whole first jury vote v and decides dispute 1 at its deadline.
func decideFirst(t *testing.T, c *apptest.Chain, v *auth.Msg) {
	t.Helper()
	for _, j := range disputeOf(t, c, 1).Dispute.Jurors {
		mustExec(t, c, anyKey(t, j), v)
	}
	settle(c, 30*time.Second)
	if d := disputeOf(t, c, 1).Dispute; disputes.Undecided(d.Status) {
		t.Fatalf("not decided: %v", d)
	}
}

func TestAppealRejections(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(*app.GenesisState)
		setup func(t *testing.T, c *apptest.Chain)
		who   apptest.Key
		msg   *auth.Msg
		want  *core.Error
		log   string
	}{
		{name: "unknown dispute", who: alice, msg: appeal(9), want: disputes.ErrDisputeNotFound,
			log: "dispute not found: no dispute 9; check the id with `commonsd query disputes`"},
		{name: "not decided", who: alice, msg: appeal(1), want: disputes.ErrNotDecided,
			log: "dispute not decided yet: dispute 1 is voting; appeal once it is decided"},
		{name: "disputant after upheld", who: dave, msg: appeal(1), want: disputes.ErrNotLosingSide,
			setup: func(t *testing.T, c *apptest.Chain) { decideFirst(t, c, uphold(1)) },
			log:   "only the losing side may appeal: dispute 1 was upheld; only the claimant " + alice.Addr.String() + " may appeal"},
		{name: "claimant after dismissed", who: alice, msg: appeal(1), want: disputes.ErrNotLosingSide,
			setup: func(t *testing.T, c *apptest.Chain) { decideFirst(t, c, dismiss(1)) },
			log:   "only the losing side may appeal: dispute 1 was dismissed; only the disputant " + dave.Addr.String() + " may appeal"},
		{name: "outsider", who: jurors[0], msg: appeal(1), want: disputes.ErrNotLosingSide,
			setup: func(t *testing.T, c *apptest.Chain) { decideFirst(t, c, uphold(1)) },
			log:   "only the losing side may appeal: dispute 1 was upheld"},
		{name: "at the window's end", who: alice, msg: appeal(1), want: disputes.ErrAppealWindow,
			setup: func(t *testing.T, c *apptest.Chain) { decideFirst(t, c, uphold(1)); c.BlockInterval = 60 * time.Second },
			log:   "appeal window closed: dispute 1 was decided at"},
		{name: "after the window (final)", who: alice, msg: appeal(1), want: disputes.ErrAppealWindow,
			setup: func(t *testing.T, c *apptest.Chain) { decideFirst(t, c, uphold(1)); settle(c, time.Hour) },
			log:   "appeal window closed: dispute 1 was decided at"},
		{name: "already appealed", who: alice, msg: appeal(1), want: disputes.ErrAlreadyAppealed,
			setup: func(t *testing.T, c *apptest.Chain) { decideFirst(t, c, uphold(1)); mustExec(t, c, alice, appeal(1)) },
			log:   "dispute already appealed: dispute 1 was appealed by " + alice.Addr.String() + " at"},
		{name: "too few jurors is final", who: dave, msg: appeal(1), want: disputes.ErrDisputeFinal,
			tweak: func(g *app.GenesisState) { g.Disputes.Params.JurySize = 13 }, // 12 eligible
			log:   "dispute decision is final: dispute 1 was dismissed (too few eligible jurors (12 eligible, jury_size 13)) and is not appealable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := appealChain(t, tt.tweak)
			if tt.setup != nil {
				tt.setup(t, c)
			}
			r := exec(t, c, tt.who, tt.msg)
			wantErr(t, r.Err, tt.want)
			if got := apptest.LogOf(r.Err); !strings.HasPrefix(got, tt.log) {
				t.Fatalf("log %q, want it to start with %q", got, tt.log)
			}
		})
	}
}

// The first jury upholds; alice (the claimant) appeals; the end of the next block draws an appeal
// jury of 7 excluding the first jury and the exclusions; a first juror cannot vote on appeal; four
// appeal jurors dismiss; at the deadline the appeal decides DISMISSED, final, both outcomes recorded.
func TestAppealLoop(t *testing.T) {
	c := appealChain(t, nil)
	first := slices.Clone(disputeOf(t, c, 1).Dispute.Jurors)
	decideFirst(t, c, uphold(1))
	r := mustExec(t, c, alice, appeal(1))
	if ev := event(t, r.Events, "dispute_appealed"); ev["appellant"] != alice.Addr.String() || ev["first_outcome"] != "upheld" {
		t.Fatalf("dispute_appealed %v", ev)
	}
	d := disputeOf(t, c, 1).Dispute
	if d.Status != disputes.DisputeStatus_DISPUTE_STATUS_APPEALED || len(d.Jurors) != 0 || !slices.Equal(d.FirstJurors, first) {
		t.Fatalf("after the appeal: %v", d)
	}
	// Exported while awaiting the appeal jury, the import draws it at the end of its first block.
	exported, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	c2 := disputeChain2(t, exported)
	c2.Block()
	if d2 := disputeOf(t, c2, 1).Dispute; d2.Status != disputes.DisputeStatus_DISPUTE_STATUS_APPEALED || len(d2.Jurors) != 7 {
		t.Fatalf("imported appeal not drawn: %v", d2)
	}
	// Before the draw nobody can vote.
	wantErr(t, exec(t, c, anyKey(t, first[0]), dismiss(1)).Err, disputes.ErrNotJuror, "no appeal jury yet")
	d = disputeOf(t, c, 1).Dispute // drawn at the end of that block
	if d.Round != disputes.AppealRound || len(d.Jurors) != 7 || d.Deadline == 0 {
		t.Fatalf("appeal jury: %v", d)
	}
	excluded := append(slices.Clone(first), alice.Addr.String(), bob.Addr.String(), carol.Addr.String(), dave.Addr.String())
	for _, j := range d.Jurors {
		if slices.Contains(excluded, j) {
			t.Fatalf("appeal juror %s is excluded", anyKey(t, j).Name)
		}
	}
	wantErr(t, exec(t, c, anyKey(t, first[1]), dismiss(1)).Err, disputes.ErrNotJuror, "is not on the jury of dispute 1")
	for _, j := range d.Jurors[:4] {
		mustExec(t, c, anyKey(t, j), dismiss(1))
	}
	mustExec(t, c, anyKey(t, d.Jurors[4]), uphold(1))
	roundTrip(t, c) // the appeal jury voting
	var res *core.BlockResult
	for res = c.Block(); disputeOf(t, c, 1).Dispute.Status == disputes.DisputeStatus_DISPUTE_STATUS_APPEALED; res = c.Block() {
		if c.Time.Unix() > d.Deadline {
			t.Fatal("appeal not decided at its deadline")
		}
	}
	if ev := event(t, res.Events, "appeal_decided"); ev["outcome"] != "dismissed" || ev["first_outcome"] != "upheld" ||
		ev["dismiss"] != "4" || ev["uphold"] != "1" {
		t.Fatalf("appeal_decided %v", ev)
	}
	if ev := event(t, res.Events, "dispute_final"); ev["outcome"] != "dismissed" || ev["appealed"] != "true" {
		t.Fatalf("dispute_final %v", ev)
	}
	got := disputeOf(t, c, 1)
	d = got.Dispute
	if d.Status != disputes.DisputeStatus_DISPUTE_STATUS_DISMISSED || !d.Final || d.FirstOutcome != disputes.DisputeStatus_DISPUTE_STATUS_UPHELD ||
		d.FirstUphold != 3 || d.FirstReason != disputes.ReasonMajority || d.AppealReason != disputes.ReasonMajority ||
		d.Dismiss != 4 || d.Uphold != 1 || len(got.Votes) != 8 {
		t.Fatalf("final: %v", got)
	}
	roundTrip(t, c) // final after an appeal
	wantErr(t, exec(t, c, alice, appeal(1)).Err, disputes.ErrAlreadyAppealed)
	wantErr(t, exec(t, c, dave, appeal(1)).Err, disputes.ErrAlreadyAppealed)
}

// A dispute nobody appeals becomes final with its first decision at the end of its appeal window.
func TestUnappealedBecomesFinal(t *testing.T) {
	c := appealChain(t, nil)
	decideFirst(t, c, dismiss(1))
	d := disputeOf(t, c, 1).Dispute
	if d.Final || d.AppealDeadline != d.DecidedAt+60 {
		t.Fatalf("decided: %v", d)
	}
	roundTrip(t, c) // decided, in its appeal window
	c.BlockInterval = 59 * time.Second
	c.Block()
	if disputeOf(t, c, 1).Dispute.Final {
		t.Fatal("final before the appeal window closed")
	}
	c.BlockInterval = time.Second
	ev := event(t, c.Block().Events, "dispute_final")
	if ev["outcome"] != "dismissed" || ev["appealed"] != "false" || ev["dispute_id"] != "1" {
		t.Fatalf("dispute_final %v", ev)
	}
	if d := disputeOf(t, c, 1).Dispute; !d.Final || d.Status != disputes.DisputeStatus_DISPUTE_STATUS_DISMISSED || d.Appellant != "" {
		t.Fatalf("final: %v", d)
	}
}

// roundTrip exports c's state, imports it into a new chain, and checks that the disputes genesis
// exports again byte for byte and the invariants hold.
func roundTrip(t *testing.T, c *apptest.Chain) {
	t.Helper()
	exported, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	c2 := apptest.NewChain(t, "", exported)
	c2.Block() // at genesis time, before every deadline in the state
	again, err := c2.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := exported.Disputes.Marshal()
	b2, _ := again.Disputes.Marshal()
	if !bytes.Equal(b1, b2) {
		t.Fatal("disputes genesis differs after the round trip")
	}
	if err := c2.Invariants(); err != nil {
		t.Fatal(err)
	}
}

// With too few eligible for the appeal jury (juries of 5: 12 eligible, 5 on the first jury, 11
// needed), the first decision stands, final, and the appeal reason says why.
func TestAppealTooFewJurors(t *testing.T) {
	c := appealChain(t, func(g *app.GenesisState) { g.Disputes.Params.JurySize = 5 })
	decideFirst(t, c, uphold(1))
	mustExec(t, c, alice, appeal(1))
	ev := event(t, c.Block().Events, "dispute_final")
	if ev["outcome"] != "upheld" || ev["appealed"] != "true" {
		t.Fatalf("dispute_final %v", ev)
	}
	d := disputeOf(t, c, 1).Dispute
	if d.Status != disputes.DisputeStatus_DISPUTE_STATUS_UPHELD || !d.Final || len(d.Jurors) != 0 ||
		d.AppealReason != "too few eligible jurors (7 eligible, appeal jury of 11)" ||
		d.OutcomeReason != "majority; appeal not drawn: too few eligible jurors (7 eligible, appeal jury of 11)" {
		t.Fatalf("after the failed draw: %v", d)
	}
	wantErr(t, exec(t, c, alice, appeal(1)).Err, disputes.ErrAlreadyAppealed)
}
