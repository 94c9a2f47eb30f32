package api

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/gov"
)

type tallyView struct {
	Yes     uint32 `json:"yes"`
	No      uint32 `json:"no"`
	Abstain uint32 `json:"abstain"`
}

// paramsChangeView is what a params proposal would set: its module's whole parameter set.
type paramsChangeView struct {
	Module string `json:"module"`
	// Params are the proposed params in the shape of that module's section of /params; null when
	// they do not decode (DecodeError says why).
	Params      any    `json:"params" doc:"The proposed parameters, shaped as this module's section of /params"`
	DecodeError string `json:"decode_error,omitempty"`
}

// validatorChangeView is what a validator proposal would do: a key joins, changes power, or leaves
// (power 0).
type validatorChangeView struct {
	PubKey  string `json:"pub_key"` // base64 ed25519 consensus key, as `commonsd show-validator` prints it
	Address string `json:"address"` // CometBFT's validator address (hex), as its /validators shows it
	Power   int64  `json:"power"`
	Moniker string `json:"moniker"`
}

type proposalView struct {
	ID              uint64   `json:"id"`
	Kind            string   `json:"kind"` // params | text | validator | expel | reinstate | upgrade
	Summary         string   `json:"summary"`
	Proposer        ref      `json:"proposer"`
	Status          string   `json:"status"` // voting | passed | rejected | failed
	SubmittedAt     jsonTime `json:"submitted_at"`
	SubmittedHeight uint64   `json:"submitted_height"`
	VotingEnd       jsonTime `json:"voting_end"` // votes are accepted while block time is before it
	// Tally is the votes so far (final once closed); Threshold is what share of the yes and no
	// votes it needs: more than half (majority) or more than two thirds (two_thirds: gov's own
	// params, validators).
	Tally     tallyView `json:"tally"`
	Threshold string    `json:"threshold"` // majority | two_thirds
	// Eligible is how many members were eligible when the vote closed (the quorum's base; 0 while
	// voting).
	Eligible     uint64   `json:"eligible"`
	ClosedAt     jsonTime `json:"closed_at"`
	ClosedHeight uint64   `json:"closed_height"`
	Result       string   `json:"result"` // why it closed so; for failed the execution error
	// Params is set for kind params, Validator for kind validator, Member for expel and reinstate,
	// Upgrade for upgrade; null otherwise.
	Params    *paramsChangeView    `json:"params"`
	Validator *validatorChangeView `json:"validator"`
	Member    *memberChangeView    `json:"member"`
	Upgrade   *upgradeView         `json:"upgrade"`
}

// memberChangeView is a member proposal: whom it expels or reinstates.
type memberChangeView struct {
	Member ref    `json:"member"`
	Action string `json:"action"` // expel | reinstate
}

// upgradeView is an upgrade proposal: the release every node must run from the height on.
type upgradeView struct {
	Name   string `json:"name"`
	Height uint64 `json:"height"`
	Info   string `json:"info"`
}

// contentView is what a proposal's content would do (all nil for text).
type contentView struct {
	params    *paramsChangeView
	validator *validatorChangeView
	member    *memberChangeView
	upgrade   *upgradeView
}

type proposalVoteView struct {
	Voter  ref      `json:"voter"`
	Option string   `json:"option"` // yes | no | abstain
	Time   jsonTime `json:"time"`
	Height uint64   `json:"height"`
}

type proposalDetailView struct {
	Proposal proposalView       `json:"proposal"`
	Votes    []proposalVoteView `json:"votes"` // oldest first
}

type validatorView struct {
	PubKey      string `json:"pub_key"`
	Address     string `json:"address"`
	Power       int64  `json:"power"`
	Moniker     string `json:"moniker"`
	SinceHeight uint64 `json:"since_height"` // when it last changed (0: genesis)
	ProposalID  uint64 `json:"proposal_id"`  // the proposal that last changed it (0: genesis)
}

type validatorEventView struct {
	Height        uint64   `json:"height"` // 0: genesis
	Time          jsonTime `json:"time"`
	PubKey        string   `json:"pub_key"`
	Address       string   `json:"address"`
	Moniker       string   `json:"moniker"`
	Power         int64    `json:"power"` // 0: removed
	PreviousPower int64    `json:"previous_power"`
	ProposalID    uint64   `json:"proposal_id"` // 0: genesis
}

type validatorsView struct {
	Validators []validatorView      `json:"validators"` // by public key
	TotalPower int64                `json:"total_power"`
	History    []validatorEventView `json:"history"` // newest first, at most gov.HistoryLimit
}

// cometAddress is CometBFT's address of an ed25519 consensus key: the first 20 bytes of its
// SHA-256, in upper-case hex.
func cometAddress(pk []byte) string {
	if len(pk) != ed25519.PubKeySize {
		return ""
	}
	return ed25519.PubKey(pk).Address().String()
}

func (q *request) proposal(p *gov.Proposal) proposalView {
	v := proposalView{ID: p.Id, Kind: gov.KindName(p.Content), Summary: p.Summary, Proposer: q.ref(p.Proposer),
		Status: gov.StatusName(p.Status), SubmittedAt: jsonTime(p.SubmittedAt), SubmittedHeight: p.SubmittedHeight,
		VotingEnd: jsonTime(p.VotingEnd), Tally: tallyView{p.Yes, p.No, p.Abstain}, Threshold: "majority",
		Eligible: p.Eligible, ClosedAt: jsonTime(p.ClosedAt), ClosedHeight: p.ClosedHeight, Result: p.Result}
	if gov.Supermajority(p.Content) {
		v.Threshold = "two_thirds"
	}
	cv := q.content(p.Content)
	v.Params, v.Validator, v.Member, v.Upgrade = cv.params, cv.validator, cv.member, cv.upgrade
	return v
}

// content shows what a proposal's content would do: a params change's params, a validator change,
// a member expelled or reinstated, or an upgrade (nothing for text).
func (q *request) content(c *gov.Content) contentView {
	switch sum := c.GetSum().(type) {
	case *gov.Content_Params:
		v := &paramsChangeView{Module: sum.Params.Module}
		params, err := moduleParams(sum.Params.Module, sum.Params.Params)
		if err != nil {
			v.DecodeError = err.Error()
		} else {
			v.Params = params
		}
		return contentView{params: v}
	case *gov.Content_Validator:
		vc := sum.Validator
		return contentView{validator: &validatorChangeView{PubKey: gov.EncodeKey(vc.PubKey), Address: cometAddress(vc.PubKey), Power: vc.Power, Moniker: vc.Moniker}}
	case *gov.Content_Member:
		return contentView{member: &memberChangeView{Member: q.ref(sum.Member.Address), Action: gov.KindName(c)}}
	case *gov.Content_Upgrade:
		return contentView{upgrade: &upgradeView{Name: sum.Upgrade.Name, Height: sum.Upgrade.Height, Info: sum.Upgrade.Info}}
	}
	return contentView{}
}

// proposals answers /proposals: proposals newest first, optionally of one status.
func (s *Server) proposals(q *request) (any, error) {
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	req := &gov.QueryProposalsRequest{Offset: offset, Limit: limit}
	if st := q.param("status"); st != "" {
		var ok bool
		if req.Status, ok = core.ParseEnum(st, gov.StatusName, proposalStatuses...); !ok {
			return nil, badRequest("status %q is not one of %s", st, strings.Join(statusParam["/proposals"], ", "))
		}
	}
	resp := q.k.Gov.QueryProposals(q.view, req)
	out := listView[proposalView]{Total: resp.Total, Offset: offset, Limit: limit, Items: []proposalView{}}
	for _, p := range resp.Proposals {
		out.Items = append(out.Items, q.proposal(p))
	}
	return out, nil
}

var proposalStatuses = []gov.ProposalStatus{gov.ProposalStatus_PROPOSAL_STATUS_VOTING, gov.ProposalStatus_PROPOSAL_STATUS_PASSED,
	gov.ProposalStatus_PROPOSAL_STATUS_REJECTED, gov.ProposalStatus_PROPOSAL_STATUS_FAILED}

// proposalDetail answers /proposals/{id}: the proposal with its tally so far and its votes.
func (s *Server) proposalDetail(q *request) (any, error) {
	raw := q.r.PathValue("id")
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return nil, badRequest("proposal id %q is not a number; ids are whole numbers from 1", raw)
	}
	pw, ok := q.k.Gov.QueryProposal(q.view, id)
	if !ok {
		return nil, notFoundf("no proposal %d", id)
	}
	v := proposalDetailView{Proposal: q.proposal(pw.Proposal), Votes: []proposalVoteView{}}
	for _, x := range pw.Votes {
		v.Votes = append(v.Votes, proposalVoteView{Voter: q.ref(x.Voter), Option: gov.OptionName(x.Option), Time: jsonTime(x.Time), Height: x.Height})
	}
	// The keeper lists votes by voter; people read them in the order they were cast.
	slices.SortStableFunc(v.Votes, func(a, b proposalVoteView) int { return cmp.Compare(a.Height, b.Height) })
	return v, nil
}

// validators answers /validators: the validator set as the app keeps it and its latest changes.
func (s *Server) validators(q *request) (any, error) {
	resp := q.k.Gov.QueryValidators(q.view)
	out := validatorsView{Validators: []validatorView{}, TotalPower: resp.TotalPower, History: []validatorEventView{}}
	for _, v := range resp.Validators {
		out.Validators = append(out.Validators, validatorView{PubKey: gov.EncodeKey(v.PubKey), Address: cometAddress(v.PubKey),
			Power: v.Power, Moniker: v.Moniker, SinceHeight: v.SinceHeight, ProposalID: v.ProposalId})
	}
	for _, e := range resp.History {
		out.History = append(out.History, validatorEventView{Height: e.Height, Time: jsonTime(e.Time), PubKey: gov.EncodeKey(e.PubKey),
			Address: cometAddress(e.PubKey), Moniker: e.Moniker, Power: e.Power, PreviousPower: e.PreviousPower, ProposalID: e.ProposalId})
	}
	return out, nil
}
