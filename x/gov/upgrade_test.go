package gov_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/gov"
)

// An upgrade proposal needs a release-like name and a height ahead; it passes with two thirds and
// schedules a plan (only one at a time). At the plan's height this binary, which knows no upgrade,
// refuses the block with an error that halts the node (core.ErrHalt) and writes nothing. A plan
// whose height passed during the vote fails, recorded.
func TestUpgradeProposal(t *testing.T) {
	c := govChain(t, nil)
	wantErr(t, exec(t, c, alice, apptest.ProposeUpgrade("V2!", 100, "", "upgrade "+"V2!")).Err, gov.ErrInvalidUpgrade, "lower-case")
	wantErr(t, exec(t, c, alice, apptest.ProposeUpgrade("v2", 1, "", "upgrade "+"v2")).Err, gov.ErrInvalidUpgrade, "not after the current block")
	late := proposalID(t, mustExec(t, c, bob, apptest.ProposeUpgrade("v2-late", uint64(c.Height)+5, "", "upgrade "+"v2-late")))
	id := proposalID(t, mustExec(t, c, alice, apptest.ProposeUpgrade("v2", uint64(c.Height)+1000, "", "upgrade "+"v2")))
	for _, k := range []apptest.Key{alice, bob, carol, dave} {
		mustExec(t, c, k, apptest.Vote(id, yes))
		mustExec(t, c, k, apptest.Vote(late, yes))
	}
	c.Settle(votingPeriod)
	if p := proposal(t, c, late).Proposal; p.Status != gov.ProposalStatus_PROPOSAL_STATUS_FAILED {
		t.Fatalf("an upgrade whose height passed during the vote: %v %s", p.Status, p.Result)
	}
	var up gov.QueryUpgradeResponse
	if err := c.Query("/gov/upgrade", nil, &up); err != nil || up.Plan == nil || up.Plan.Name != "v2" || up.Plan.ProposalId != id {
		t.Fatalf("plan: %v %+v", err, &up)
	}
	wantErr(t, exec(t, c, carol, apptest.ProposeUpgrade("v3", uint64(c.Height)+2000, "", "upgrade "+"v3")).Err, gov.ErrInvalidUpgrade, "v2 is already scheduled")
	for c.Height+1 < int64(up.Plan.Height) {
		c.Block()
	}
	_, err := c.App.FinalizeBlock(int64(up.Plan.Height), c.NextTime(), apptest.BlockHash(int64(up.Plan.Height), nil), nil)
	if !errors.Is(err, core.ErrHalt) {
		t.Fatalf("the upgrade block: %v", err)
	}
	if want := "upgrade v2 required at height"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("message %q lacks %q", err, want)
	}
}
