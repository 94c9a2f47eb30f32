package apptest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
)

// Vouch is a vouch for candidate; handle may be empty after the first vouch.
func Vouch(candidate Key, handle string) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: candidate.Addr.String(), Handle: handle}}}
}

// SubmitClaim is a claim of [start, end) in category.
func SubmitClaim(start, end time.Time, category, summary string) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{
		Start: start.Unix(), End: end.Unix(), Category: category, Summary: summary}}}
}

// Countersigned adds to claim m (a SubmitClaim) the countersignature of beneficiary for claimant
// on ChainID, and returns m.
func Countersigned(m *auth.Msg, claimant, beneficiary Key) *auth.Msg {
	return CountersignedFor(m, ChainID, claimant.Addr, beneficiary)
}

// CountersignedFor is Countersigned on chain chainID.
func CountersignedFor(m *auth.Msg, chainID string, claimant core.Address, beneficiary Key) *auth.Msg {
	sc := m.GetSubmitClaim()
	cs, err := claims.Countersign(beneficiary.Priv, claims.StatementOf(chainID, claimant.String(), sc))
	if err != nil {
		panic(err) // ed25519 signing does not fail
	}
	sc.Countersignature = cs
	return m
}

// Approve and Reject are attestations of claim id.
func Approve(id uint64) *auth.Msg { return attest(id, claims.Verdict_VERDICT_APPROVE) }

func Reject(id uint64) *auth.Msg { return attest(id, claims.Verdict_VERDICT_REJECT) }

func attest(id uint64, v claims.Verdict) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: id, Verdict: v}}}
}

// Handle is the handle ContribGenesis gives a key: its name, lower-cased.
func Handle(k Key) string { return strings.ToLower(k.Name) }

// FoundersJoinedAt is when test chains' founders joined: 30 days (the default max_claim_age)
// before GenesisTime, so that they may claim any recent time (nobody may claim time before joining).
var FoundersJoinedAt = GenesisTime.Add(-30 * 24 * time.Hour).Unix()

// ContribGenesis funds each founder with balance micro-hours and lists it as a founding member with
// handle Handle(k), joined at FoundersJoinedAt, on default params without drawn reviewers, so that
// any two members verify a claim (the tests of drawn reviewers turn them on).
func ContribGenesis(balance uint64, founders ...Key) *app.GenesisState {
	g := Genesis(balance, founders...)
	g.Claims.Params.Reviewers, g.Claims.Params.MinReviewerApprovals = 0, 0
	for _, k := range founders {
		g.Members.Members = append(g.Members.Members, &members.Member{Address: k.Addr.String(), Handle: Handle(k), JoinedAt: FoundersJoinedAt})
	}
	return g
}

// Tx signs msgs by k with its next committed sequence.
func (c *Chain) Tx(k Key, msgs ...*auth.Msg) []byte {
	c.TB.Helper()
	return k.Sign(c.TB, ChainID, c.Seq(k.Addr), msgs...)
}

// Query runs an ABCI query on committed state and decodes the answer into out.
func (c *Chain) Query(path string, req interface{ Marshal() ([]byte, error) }, out interface{ Unmarshal([]byte) error }) error {
	c.TB.Helper()
	var data []byte
	if req != nil {
		var err error
		if data, err = req.Marshal(); err != nil {
			c.TB.Fatal(err)
		}
	}
	bz, _, err := c.App.Query(path, data, 0)
	if err != nil {
		return err
	}
	if r, ok := out.(interface{ Reset() }); ok {
		r.Reset() // protobuf Unmarshal merges into what is there, and zero fields are not on the wire
	}
	return out.Unmarshal(bz)
}

// Invariants checks the app invariants on the latest committed state.
func (c *Chain) Invariants() error {
	v := c.DB.ReadLatest()
	defer v.Discard()
	return c.App.CheckInvariants(v)
}

// The cast of ContribChain: Alice, Bob, Carol and Dave are its founding members, Erin and Frank
// newcomers to vouch in, and Outsider a funded non-member.
var (
	Alice, Bob, Carol, Dave = NewKey("alice"), NewKey("bob"), NewKey("carol"), NewKey("dave")
	Erin, Frank, Outsider   = NewKey("erin"), NewKey("frank"), NewKey("outsider")
)

// ContribChain starts a chain with the four founders Alice, Bob, Carol and Dave and the funded
// non-member Outsider (10 hours each), on default params changed by tweak (which may be nil). When
// the test ends it checks the app invariants.
func ContribChain(tb testing.TB, tweak func(*app.GenesisState)) *Chain {
	tb.Helper()
	g := ContribGenesis(10_000_000, Alice, Bob, Carol, Dave)
	g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: Outsider.Addr.String(), Balance: 10_000_000})
	if tweak != nil {
		tweak(g)
	}
	c := NewChain(tb, "", g)
	tb.Cleanup(func() {
		if err := c.Invariants(); err != nil {
			tb.Errorf("after test: %v", err)
		}
	})
	return c
}

// NoCooldown sets the shortest vouch cooldown, one second: a test chain's blocks are a second apart,
// so a member may vouch in every block. It is a ContribChain tweak.
func NoCooldown(g *app.GenesisState) { g.Members.Params.VouchCooldown = members.MinVouchCooldown }

// NextTime is the block time of the next block.
func (c *Chain) NextTime() time.Time { return c.Time.Add(c.BlockInterval) }

// HoursAgo is h hours before the next block's time.
func (c *Chain) HoursAgo(h float64) time.Time {
	return c.NextTime().Add(-time.Duration(h * float64(time.Hour)))
}

// Settle runs one block window after the last and then goes back to BlockInterval. With window at
// least the attestation window, every claim pending before it is finalised (REJECTED if nobody
// attested it).
func (c *Chain) Settle(window time.Duration) {
	iv := c.BlockInterval
	c.BlockInterval = window
	c.Block()
	c.BlockInterval = iv
}

// Yesterday is the time hh:mm of the day before GenesisTime, a day whose hours a test chain's
// members may claim.
func Yesterday(hh, mm int) time.Time {
	d := GenesisTime.Add(-24 * time.Hour)
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, time.UTC)
}

// ClaimOf queries claim id with its attestations, failing the test on an error.
func ClaimOf(tb testing.TB, c *Chain, id uint64) *claims.ClaimWithAttestations {
	tb.Helper()
	var out claims.ClaimWithAttestations
	if err := c.Query("/claims/claim/"+strconv.FormatUint(id, 10), nil, &out); err != nil {
		tb.Fatal(err)
	}
	return &out
}

// MemberOf queries the member record of k, failing the test on an error.
func MemberOf(tb testing.TB, c *Chain, k Key) *members.QueryMemberResponse {
	tb.Helper()
	var out members.QueryMemberResponse
	if err := c.Query("/members/member/"+k.Addr.String(), nil, &out); err != nil {
		tb.Fatal(err)
	}
	return &out
}

// ProposeParams is a proposal to set module's params to p.
func ProposeParams(module string, p interface{ Marshal() ([]byte, error) }, summary string) *auth.Msg {
	bz, err := p.Marshal()
	if err != nil {
		panic(err)
	}
	return propose(summary, &gov.Content{Sum: &gov.Content_Params{Params: &gov.ParamsChange{Module: module, Params: bz}}})
}

// ProposeText is a text proposal.
func ProposeText(summary string) *auth.Msg {
	return propose(summary, &gov.Content{Sum: &gov.Content_Text{Text: &gov.TextProposal{}}})
}

// Vote is a vote on proposal id.
func Vote(id uint64, o gov.VoteOption) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Vote{Vote: &gov.MsgVote{ProposalId: id, Option: o}}}
}

// ProposeValidator is a proposal to set the validator with ed25519 key pk to power (0 removes it).
func ProposeValidator(pk []byte, power int64, moniker, summary string) *auth.Msg {
	return propose(summary, &gov.Content{Sum: &gov.Content_Validator{Validator: &gov.ValidatorChange{PubKey: pk, Power: power, Moniker: moniker}}})
}

// ProposeMember is a proposal to expel k (expel) or reinstate it.
func ProposeMember(k Key, expel bool, summary string) *auth.Msg {
	return propose(summary, &gov.Content{Sum: &gov.Content_Member{Member: &gov.MemberChange{Address: k.Addr.String(), Expel: expel}}})
}

// ProposeUpgrade is a proposal to upgrade to release name at height.
func ProposeUpgrade(name string, height uint64, info, summary string) *auth.Msg {
	return propose(summary, &gov.Content{Sum: &gov.Content_Upgrade{Upgrade: &gov.UpgradeProposal{Name: name, Height: height, Info: info}}})
}

func propose(summary string, c *gov.Content) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Propose{Propose: &gov.MsgPropose{Summary: summary, Content: c}}}
}
