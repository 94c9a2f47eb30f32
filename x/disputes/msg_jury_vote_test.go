package disputes_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
)

// drawn: claim 1 by alice (approved by bob and carol) VERIFIED, disputed by dave, jury drawn.
func drawn(t *testing.T) *apptest.Chain {
	c := disputeChain(t, nil)
	verified(t, c, alice, bob, carol)
	settle(c, week)
	mustExec(t, c, dave, open(1, "invented hours"))
	c.Block() // the end of this block draws the jury
	return c
}

// nonJuror is an active member who is neither excluded nor on the jury of dispute 1.
func nonJuror(t *testing.T, c *apptest.Chain) apptest.Key {
	js := disputeOf(t, c, 1).Dispute.Jurors
	for _, k := range jurors {
		if !slices.Contains(js, k.Addr.String()) {
			return k
		}
	}
	t.Fatal("every juror key is on the jury")
	return apptest.Key{}
}

func TestJuryVoteRejections(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, c *apptest.Chain)
		who   func(t *testing.T, c *apptest.Chain) apptest.Key
		msg   *auth.Msg
		want  *core.Error
		log   string
	}{
		{name: "unknown dispute", msg: uphold(9), want: disputes.ErrDisputeNotFound,
			log: "dispute not found: no dispute 9; check the id with `commonsd query disputes`"},
		{name: "not a juror", msg: uphold(1), want: disputes.ErrNotJuror, who: nonJuror,
			log: "not a juror of this dispute: "},
		{name: "excluded member", msg: uphold(1), want: disputes.ErrNotJuror,
			who: func(*testing.T, *apptest.Chain) apptest.Key { return bob },
			log: "not a juror of this dispute: " + bob.Addr.String() + " is not on the jury of dispute 1"},
		{name: "duplicate vote", msg: dismiss(1), want: disputes.ErrDuplicateVote,
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, juryKeys(t, c, 1)[2], uphold(1)) },
			log:   "already voted on this dispute: you already voted on dispute 1; a vote cannot be changed"},
		{name: "at the deadline", msg: uphold(1), want: disputes.ErrVotingClosed,
			setup: func(t *testing.T, c *apptest.Chain) { c.BlockInterval = 30 * time.Second },
			log:   "jury voting closed: voting on dispute 1 closed at"},
		{name: "invalid vote", msg: vote(1, disputes.JuryVote_JURY_VOTE_UNSPECIFIED, ""), want: disputes.ErrInvalidVote,
			log: "invalid jury vote: vote 0; use UPHOLD or DISMISS"},
		{name: "note too long", msg: vote(1, disputes.JuryVote_JURY_VOTE_UPHOLD, strings.Repeat("n", 513)), want: disputes.ErrNoteTooLong,
			log: "note too long: 513 bytes; shorten it to at most 512"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := drawn(t)
			if tt.setup != nil {
				tt.setup(t, c)
			}
			signer := juryKeys(t, c, 1)[len(juryKeys(t, c, 1))-1]
			if tt.who != nil {
				signer = tt.who(t, c)
			}
			r := exec(t, c, signer, tt.msg)
			wantErr(t, r.Err, tt.want)
			if got := apptest.LogOf(r.Err); !strings.HasPrefix(got, tt.log) {
				t.Fatalf("log %q, want it to start with %q", got, tt.log)
			}
		})
	}
}

// A vote in the block after the dispute opened runs before that block's end draws the jury.
func TestJuryVoteBeforeDraw(t *testing.T) {
	c := disputeChain(t, nil)
	verified(t, c, alice, bob, carol)
	settle(c, week)
	mustExec(t, c, dave, open(1, "invented hours"))
	r := exec(t, c, jurors[0], uphold(1))
	wantErr(t, r.Err, disputes.ErrNotJuror, "dispute 1 has no jury yet")
	if d := disputeOf(t, c, 1).Dispute; d.Status != disputes.DisputeStatus_DISPUTE_STATUS_VOTING || len(d.Jurors) != 3 {
		t.Fatalf("after the block: %v", d)
	}
}

// After the decision a juror's vote is refused as closed.
func TestJuryVoteAfterDecision(t *testing.T) {
	c := drawn(t)
	js := juryKeys(t, c, 1)
	mustExec(t, c, js[0], uphold(1))
	mustExec(t, c, js[1], uphold(1))
	settle(c, 30*time.Second)
	wantErr(t, exec(t, c, js[2], uphold(1)).Err, disputes.ErrVotingClosed, "dispute 1 was decided upheld")
}
