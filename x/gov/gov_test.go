package gov_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
)

var (
	alice, bob, carol, dave = apptest.Alice, apptest.Bob, apptest.Carol, apptest.Dave
	erin, outsider          = apptest.Erin, apptest.Outsider
	mustExec, exec, wantErr = apptest.MustExec, apptest.Exec, apptest.WantErr

	yes, no, abstain = gov.VoteOption_VOTE_OPTION_YES, gov.VoteOption_VOTE_OPTION_NO, gov.VoteOption_VOTE_OPTION_ABSTAIN
)

const votingPeriod = time.Minute

// govChain is ContribChain (founders alice, bob, carol, dave; outsider funded) with a minute to
// vote, changed by tweak.
func govChain(t *testing.T, tweak func(*app.GenesisState)) *apptest.Chain {
	t.Helper()
	return apptest.ContribChain(t, func(g *app.GenesisState) {
		g.Gov.Params.VotingPeriod = int64(votingPeriod / time.Second)
		if tweak != nil {
			tweak(g)
		}
	})
}

func proposalID(t *testing.T, r core.TxResult) uint64 {
	t.Helper()
	id, err := strconv.ParseUint(apptest.Event(t, r.Events, "proposal_submitted")["proposal_id"], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func proposal(t *testing.T, c *apptest.Chain, id uint64) *gov.ProposalWithVotes {
	t.Helper()
	var p gov.ProposalWithVotes
	if err := c.Query("/gov/proposal/"+strconv.FormatUint(id, 10), nil, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

func claimsParams(t *testing.T, c *apptest.Chain) claims.Params {
	t.Helper()
	var p app.QueryParamsResponse
	if err := c.Query("/app/params", nil, &p); err != nil {
		t.Fatal(err)
	}
	return *p.Claims
}

func submit(t *testing.T, c *apptest.Chain, k apptest.Key, hoursAgo float64) uint64 {
	t.Helper()
	r := mustExec(t, c, k, apptest.SubmitClaim(c.HoursAgo(hoursAgo+1), c.HoursAgo(hoursAgo), "care", "soup kitchen"))
	id, _ := strconv.ParseUint(apptest.Event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
	return id
}

// Must-show 2: a params proposal raises min_approvals from 2 to 3. It executes at the end of the
// block that closes the vote. A claim is judged by the rule in force when it is finalised
// (docs/decisions.md): claim 1, submitted before the change with two approvals, is rejected, and
// says it needed 3; claim 2, submitted after with two, is rejected; claim 3, after with three, is
// verified.
func TestParamsProposalRaisesMinApprovals(t *testing.T) {
	c := govChain(t, nil)
	before := submit(t, c, dave, 10)
	mustExec(t, c, alice, apptest.Approve(before))
	mustExec(t, c, bob, apptest.Approve(before))

	p := claimsParams(t, c)
	if p.MinApprovals != 2 {
		t.Fatalf("min_approvals %d at genesis", p.MinApprovals)
	}
	p.MinApprovals = 3
	id := proposalID(t, mustExec(t, c, carol, apptest.ProposeParams("claims", &p, "Three approvals per claim: a ring of two is too easy")))
	for _, k := range []apptest.Key{alice, bob, carol} {
		mustExec(t, c, k, apptest.Vote(id, yes))
	}
	mustExec(t, c, dave, apptest.Vote(id, no))
	mustExec(t, c, dave, apptest.Vote(id, abstain)) // a vote can be changed until the end
	got := proposal(t, c, id)
	if got.Proposal.Yes != 3 || got.Proposal.No != 0 || got.Proposal.Abstain != 1 || len(got.Votes) != 4 {
		t.Fatalf("tally so far: %+v (%d votes)", got.Proposal, len(got.Votes))
	}
	if claimsParams(t, c).MinApprovals != 2 {
		t.Fatal("params changed before the vote closed")
	}
	c.Settle(votingPeriod)
	got = proposal(t, c, id)
	if got.Proposal.Status != gov.ProposalStatus_PROPOSAL_STATUS_PASSED || got.Proposal.Eligible != 4 || got.Proposal.ClosedHeight == 0 {
		t.Fatalf("after the vote: %+v", got.Proposal)
	}
	if claimsParams(t, c).MinApprovals != 3 {
		t.Fatalf("min_approvals %d after the proposal passed", claimsParams(t, c).MinApprovals)
	}
	wantErr(t, exec(t, c, bob, apptest.Vote(id, no)).Err, gov.ErrVotingClosed, "closed at")

	two := submit(t, c, dave, 8)
	three := submit(t, c, alice, 8)
	for _, k := range []apptest.Key{alice, bob} {
		mustExec(t, c, k, apptest.Approve(two))
	}
	for _, k := range []apptest.Key{bob, carol, dave} {
		mustExec(t, c, k, apptest.Approve(three))
	}
	c.Settle(8 * 24 * time.Hour) // past every attestation window
	for id, want := range map[uint64]claims.ClaimStatus{before: claims.ClaimStatus_CLAIM_STATUS_REJECTED,
		two: claims.ClaimStatus_CLAIM_STATUS_REJECTED, three: claims.ClaimStatus_CLAIM_STATUS_VERIFIED} {
		cl := apptest.ClaimOf(t, c, id).Claim
		if cl.Status != want {
			t.Fatalf("claim %d: %v, want %v (%s)", id, cl.Status, want, cl.OutcomeReason)
		}
		if want == claims.ClaimStatus_CLAIM_STATUS_REJECTED && !strings.Contains(cl.OutcomeReason, "at least 3 approvals") {
			t.Fatalf("claim %d's reason %q does not name the rule", id, cl.OutcomeReason)
		}
	}
}

// Must-show 4 (gov's share): proposals by non-members, members on probation and suspended members;
// invalid params, checked by the module, with the field named; unknown modules, no content, no
// summary; votes after the period, by non-members, with no option, on no proposal; too many open
// proposals. Each has its code and changes nothing.
func TestRejections(t *testing.T) {
	suspended := apptest.NewKey("sam")
	c := govChain(t, func(g *app.GenesisState) {
		g.Members.Members = append(g.Members.Members, &members.Member{Address: suspended.Addr.String(), Handle: "sam",
			JoinedAt: apptest.FoundersJoinedAt, Status: members.MemberStatus_MEMBER_STATUS_SUSPENDED,
			SuspendedUntil: apptest.GenesisTime.Add(90 * 24 * time.Hour).Unix(), Root: suspended.Addr.String()})
	})
	mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	mustExec(t, c, bob, apptest.Vouch(erin, "")) // erin is admitted on probation
	text := apptest.ProposeText("A signal")

	wantErr(t, exec(t, c, outsider, text).Err, gov.ErrNotEligible, "not an active member")
	wantErr(t, exec(t, c, erin, text).Err, members.ErrOnProbation, "probation")
	wantErr(t, exec(t, c, suspended, text).Err, members.ErrSuspended, "suspended until")

	bad := claimsParams(t, c)
	bad.MinApprovals = 0
	wantErr(t, exec(t, c, alice, apptest.ProposeParams("claims", &bad, "No approvals")).Err, gov.ErrInvalidParams, "claims:", "min_approvals")
	gp := gov.DefaultParams()
	gp.QuorumPermille = 1001
	wantErr(t, exec(t, c, alice, apptest.ProposeParams("gov", &gp, "Impossible quorum")).Err, gov.ErrInvalidParams, "quorum_permille")
	wantErr(t, exec(t, c, alice, apptest.ProposeParams("treasury", &gp, "No such module")).Err, gov.ErrInvalidContent, `no module "treasury"`, "claims")
	garbled := apptest.ProposeText("x")
	garbled.GetPropose().Content = &gov.Content{Sum: &gov.Content_Params{Params: &gov.ParamsChange{Module: "claims", Params: []byte{0xff, 0xff}}}}
	wantErr(t, exec(t, c, alice, garbled).Err, gov.ErrInvalidParams, "do not decode")
	empty := apptest.ProposeText("x")
	empty.GetPropose().Content = nil
	wantErr(t, exec(t, c, alice, empty).Err, gov.ErrInvalidContent, "params, text, validator, member or upgrade")
	wantErr(t, exec(t, c, alice, apptest.ProposeText("  ")).Err, gov.ErrSummary, "--summary")
	wantErr(t, exec(t, c, alice, apptest.ProposeText(strings.Repeat("x", 2049))).Err, gov.ErrSummary, "at most 2048")

	first := proposalID(t, mustExec(t, c, alice, apptest.ProposeText("First")))
	mustExec(t, c, alice, apptest.ProposeText("Second"))
	wantErr(t, exec(t, c, alice, apptest.ProposeText("Third")).Err, gov.ErrTooManyOpen, "2 proposals in their vote")

	wantErr(t, exec(t, c, outsider, apptest.Vote(first, yes)).Err, gov.ErrNotEligible)
	wantErr(t, exec(t, c, erin, apptest.Vote(first, yes)).Err, members.ErrOnProbation)
	wantErr(t, exec(t, c, suspended, apptest.Vote(first, yes)).Err, members.ErrSuspended)
	wantErr(t, exec(t, c, bob, apptest.Vote(first, gov.VoteOption_VOTE_OPTION_UNSPECIFIED)).Err, gov.ErrInvalidOption, "yes, no or abstain")
	wantErr(t, exec(t, c, bob, apptest.Vote(99, yes)).Err, gov.ErrProposalNotFound, "query proposals")
	c.Settle(votingPeriod)
	wantErr(t, exec(t, c, bob, apptest.Vote(first, yes)).Err, gov.ErrVotingClosed)
	if p := proposal(t, c, first).Proposal; p.Status != gov.ProposalStatus_PROPOSAL_STATUS_REJECTED || !strings.Contains(p.Result, "no quorum: 0 of 4") {
		t.Fatalf("a proposal nobody voted on: %+v", p)
	}
	mustExec(t, c, alice, apptest.ProposeText("Third, now that two closed"))
	var list gov.QueryProposalsResponse
	if err := c.Query("/gov/proposals", &gov.QueryProposalsRequest{Status: gov.ProposalStatus_PROPOSAL_STATUS_REJECTED}, &list); err != nil {
		t.Fatal(err)
	}
	if list.Total != 2 || len(list.Proposals) != 2 || list.Proposals[0].Id != 2 {
		t.Fatalf("rejected proposals, newest first: %+v", list)
	}
}

// The thresholds: quorum counts abstentions; a simple majority of YES over NO for claims params and
// text; more than two thirds for gov's own params.
func TestOutcome(t *testing.T) {
	p := gov.DefaultParams() // quorum 334 ‰
	for _, tc := range []struct {
		yes, no, abstain uint32
		eligible         uint64
		super, passed    bool
		reason           string
	}{
		{0, 0, 0, 0, false, false, "no quorum"},
		{1, 0, 0, 3, false, false, "no quorum"}, // one of three is 333 ‰, just under 334 ‰
		{2, 0, 0, 5, false, true, "2 yes"},
		{0, 0, 34, 100, false, false, "more than half"},
		{17, 17, 0, 100, false, false, "more than half"},
		{18, 17, 0, 100, false, true, "18 yes"},
		{2, 1, 0, 3, true, false, "two thirds"},
		{3, 1, 0, 4, true, true, "3 yes"},
	} {
		passed, reason := gov.Outcome(p, tc.yes, tc.no, tc.abstain, tc.eligible, tc.super)
		if passed != tc.passed || !strings.Contains(reason, tc.reason) {
			t.Errorf("%+v: passed %v, %q", tc, passed, reason)
		}
	}
}

// A gov-params change needs more than two thirds: 2 yes and 1 no of 4 eligible is rejected, 3 yes
// passes, and the new voting period applies to the next proposal. A text proposal executes nothing
// and passes on a simple majority. Export and import keep proposals and votes byte for byte.
func TestGovParamsSupermajorityAndExport(t *testing.T) {
	c := govChain(t, nil)
	gp := gov.DefaultParams()
	gp.VotingPeriod = 120
	weak := proposalID(t, mustExec(t, c, alice, apptest.ProposeParams("gov", &gp, "Two minutes to vote")))
	strong := proposalID(t, mustExec(t, c, bob, apptest.ProposeParams("gov", &gp, "Two minutes to vote, again")))
	text := proposalID(t, mustExec(t, c, carol, apptest.ProposeText("We thank the founders")))
	mustExec(t, c, alice, apptest.Vote(weak, yes))
	mustExec(t, c, bob, apptest.Vote(weak, yes))
	mustExec(t, c, carol, apptest.Vote(weak, no))
	for _, k := range []apptest.Key{alice, bob, carol} {
		mustExec(t, c, k, apptest.Vote(strong, yes))
	}
	mustExec(t, c, alice, apptest.Vote(text, yes))
	mustExec(t, c, dave, apptest.Vote(text, no))
	mustExec(t, c, bob, apptest.Vote(text, yes))

	exported, err := c.App.ExportGenesis(0) // proposals mid-vote
	if err != nil {
		t.Fatal(err)
	}
	c2 := apptest.NewChain(t, "", exported)
	c2.Block()
	again, err := c2.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(exported.Gov.Proposals) != 3 || len(exported.Gov.Votes) != 9 || exported.Gov.String() != again.Gov.String() {
		t.Fatalf("gov genesis: %d proposals, %d votes; differs after export, import and export: %v",
			len(exported.Gov.Proposals), len(exported.Gov.Votes), exported.Gov.String() != again.Gov.String())
	}
	c2.Settle(2 * votingPeriod) // c2 starts again at GenesisTime; the votes end where c had them
	if err := c2.Invariants(); err != nil {
		t.Fatal(err)
	}
	if p := proposal(t, c2, strong).Proposal; p.Status != gov.ProposalStatus_PROPOSAL_STATUS_PASSED {
		t.Fatalf("imported chain: proposal %d %v", strong, p.Status)
	}
	c.Settle(votingPeriod)
	for id, want := range map[uint64]gov.ProposalStatus{weak: gov.ProposalStatus_PROPOSAL_STATUS_REJECTED,
		strong: gov.ProposalStatus_PROPOSAL_STATUS_PASSED, text: gov.ProposalStatus_PROPOSAL_STATUS_PASSED} {
		if p := proposal(t, c, id).Proposal; p.Status != want {
			t.Fatalf("proposal %d: %v (%s), want %v", id, p.Status, p.Result, want)
		}
	}
	r := mustExec(t, c, dave, apptest.ProposeText("Longer votes"))
	p := proposal(t, c, proposalID(t, r)).Proposal
	if p.VotingEnd-p.SubmittedAt != 120 {
		t.Fatalf("voting period %d s after the change", p.VotingEnd-p.SubmittedAt)
	}
}

// A block closes at most MaxClosePerBlock proposals, in (voting_end, id) order; the rest close in
// the next block with the same outcome (votes were refused from voting_end on).
func TestCloseBudgetDefersToNextBlock(t *testing.T) {
	founders := make([]apptest.Key, 5)
	for i := range founders {
		founders[i] = apptest.NewKey("founder-" + strconv.Itoa(i))
	}
	g := apptest.ContribGenesis(1_000_000, founders...)
	g.Gov.Params.VotingPeriod, g.Gov.Params.MaxOpenProposals = 3600, gov.MaxOpenProposalsLimit
	c := apptest.NewChain(t, "", g)
	n := gov.MaxClosePerBlock + 6
	for i := 0; i < n; i += len(founders) {
		var txs [][]byte
		for j, k := range founders {
			if i+j < n {
				txs = append(txs, c.Tx(k, apptest.ProposeText("signal "+strconv.Itoa(i+j))))
			}
		}
		for _, r := range c.Block(txs...).TxResults {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
		}
	}
	c.Settle(time.Hour) // every vote has ended
	counts := func() (voting, rejected uint64) {
		var l gov.QueryProposalsResponse
		if err := c.Query("/gov/proposals", &gov.QueryProposalsRequest{Status: gov.ProposalStatus_PROPOSAL_STATUS_VOTING}, &l); err != nil {
			t.Fatal(err)
		}
		voting = l.Total
		if err := c.Query("/gov/proposals", &gov.QueryProposalsRequest{Status: gov.ProposalStatus_PROPOSAL_STATUS_REJECTED}, &l); err != nil {
			t.Fatal(err)
		}
		return voting, l.Total
	}
	if v, r := counts(); v != 6 || r != gov.MaxClosePerBlock {
		t.Fatalf("after the first block past the end: %d voting, %d rejected; want 6 and %d", v, r, gov.MaxClosePerBlock)
	}
	if p := proposal(t, c, uint64(n)).Proposal; p.Status != gov.ProposalStatus_PROPOSAL_STATUS_VOTING {
		t.Fatalf("the last proposal closed first: %v", p.Status)
	}
	c.Block()
	if v, r := counts(); v != 0 || r != uint64(n) {
		t.Fatalf("after the next block: %d voting, %d rejected", v, r)
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
}
