package gov_test

import (
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
)

func status(t *testing.T, c *apptest.Chain, k apptest.Key) members.MemberStatus {
	t.Helper()
	return apptest.MemberOf(t, c, k).Member.Status
}

// A member proposal expels carol on a simple majority: from the next block every member action of
// hers is refused with members/314 (claim, attest, vouch, propose, vote) and nobody can vouch her
// back in; the electorate shrinks; export and import keep her expelled. A second proposal
// reinstates her. A suspended member can be expelled too (its suspension stops), and the
// proposals that make no sense are refused when made.
func TestExpelAndReinstate(t *testing.T) {
	sam := apptest.NewKey("sam")
	c := govChain(t, func(g *app.GenesisState) {
		g.Members.Members = append(g.Members.Members, &members.Member{Address: sam.Addr.String(), Handle: "sam",
			JoinedAt: apptest.FoundersJoinedAt, Status: members.MemberStatus_MEMBER_STATUS_SUSPENDED,
			SuspendedUntil: apptest.GenesisTime.Add(90 * 24 * time.Hour).Unix(), Root: sam.Addr.String()})
	})
	wantErr(t, exec(t, c, alice, apptest.ProposeMember(erin, true, "member "+erin.Name)).Err, members.ErrNoSuchMember, "not a member")
	wantErr(t, exec(t, c, alice, apptest.ProposeMember(carol, false, "member "+carol.Name)).Err, members.ErrNotExpelled, "nothing to reinstate")
	bad := apptest.ProposeMember(carol, true, "member "+carol.Name)
	bad.GetPropose().Content.GetMember().Address = "commons1nope"
	wantErr(t, exec(t, c, alice, bad).Err, gov.ErrInvalidContent, "member")

	id := proposalID(t, mustExec(t, c, alice, apptest.ProposeMember(carol, true, "member "+carol.Name)))
	ids := proposalID(t, mustExec(t, c, bob, apptest.ProposeMember(sam, true, "member "+sam.Name)))
	for _, k := range []apptest.Key{alice, bob, dave} {
		mustExec(t, c, k, apptest.Vote(id, yes))
		mustExec(t, c, k, apptest.Vote(ids, yes))
	}
	mustExec(t, c, carol, apptest.Vote(id, no))
	c.Settle(votingPeriod)
	if p := proposal(t, c, id).Proposal; p.Status != gov.ProposalStatus_PROPOSAL_STATUS_PASSED || gov.KindName(p.Content) != "expel" {
		t.Fatalf("expel carol: %v (%s)", p.Status, p.Result)
	}
	if status(t, c, carol) != members.MemberStatus_MEMBER_STATUS_EXPELLED || status(t, c, sam) != members.MemberStatus_MEMBER_STATUS_EXPELLED {
		t.Fatalf("carol %v, sam %v", status(t, c, carol), status(t, c, sam))
	}
	for _, m := range []*auth.Msg{
		apptest.SubmitClaim(c.HoursAgo(3), c.HoursAgo(2), "care", "x"),
		apptest.Vouch(erin, "erin"),
		apptest.ProposeText("let me back"),
	} {
		wantErr(t, exec(t, c, carol, m).Err, members.ErrExpelled, "expelled by proposal 1", "reinstate")
	}
	mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	wantErr(t, exec(t, c, bob, apptest.Vouch(carol, "")).Err, members.ErrExpelled, "vouches cannot readmit")

	back := proposalID(t, mustExec(t, c, alice, apptest.ProposeMember(carol, false, "member "+carol.Name)))
	exported, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	c2 := apptest.NewChain(t, "", exported)
	c2.Block()
	if status(t, c2, carol) != members.MemberStatus_MEMBER_STATUS_EXPELLED {
		t.Fatalf("imported: carol %v", status(t, c2, carol))
	}
	if err := c2.Invariants(); err != nil {
		t.Fatal(err)
	}
	for _, k := range []apptest.Key{alice, bob} {
		mustExec(t, c, k, apptest.Vote(back, yes))
	}
	c.Settle(votingPeriod)
	p := proposal(t, c, back).Proposal
	if p.Status != gov.ProposalStatus_PROPOSAL_STATUS_PASSED || p.Eligible != 3 {
		t.Fatalf("reinstate carol: %v, %d eligible (alice, bob, dave) (%s)", p.Status, p.Eligible, p.Result)
	}
	if status(t, c, carol) != members.MemberStatus_MEMBER_STATUS_ACTIVE {
		t.Fatalf("carol after reinstatement: %v", status(t, c, carol))
	}
	mustExec(t, c, carol, apptest.ProposeText("thank you"))
	c.Settle(100 * 24 * time.Hour) // sam's old suspension end passes: nothing is lifted
	if status(t, c, sam) != members.MemberStatus_MEMBER_STATUS_EXPELLED {
		t.Fatalf("sam after his suspension would have ended: %v", status(t, c, sam))
	}
}
