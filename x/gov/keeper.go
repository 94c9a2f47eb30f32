package gov

import "github.com/commonsledger/commons/x/core"

// Membership is what gov needs from the members module.
type Membership interface {
	// Standing is a suspension error, then an error if addr is on probation.
	Standing(r core.Reader, addr core.Address) error
	IsActive(r core.Reader, addr core.Address) bool
	// ActiveCount is how many members are ACTIVE: the electorate a quorum is measured against.
	ActiveCount(r core.Reader) uint64
	// CheckExpel says whether addr may be expelled (expel) or reinstated; Expel and Reinstate do it.
	CheckExpel(r core.Reader, addr core.Address, expel bool) error
	Expel(ctx *core.Context, addr core.Address, proposalID uint64) error
	Reinstate(ctx *core.Context, addr core.Address, proposalID uint64) error
}

// ParamSpace is one module's parameters as governance changes them; the app wires one per module.
type ParamSpace interface {
	// Check decodes bz as the module's Params and validates it, with an error naming the field.
	Check(bz []byte) error
	// Set decodes, validates and stores bz.
	Set(kv core.KV, bz []byte) error
}

// Keeper is the gov state API. It holds no state itself.
type Keeper struct {
	members Membership
	spaces  map[string]ParamSpace // looked up by name only, never iterated into state
}

// NewKeeper returns a Keeper over the members module and the modules' parameter spaces, by module
// name (gov's own included).
func NewKeeper(members Membership, spaces map[string]ParamSpace) Keeper {
	return Keeper{members: members, spaces: spaces}
}

// ModuleName names gov's own parameter space.
const ModuleName = "gov"

var present = []byte{}

// Params returns the module parameters.
func (Keeper) Params(r core.Reader) Params {
	var p Params
	core.Load(r, paramsKey, &p)
	return p
}

// SetParams validates p and stores it (a passed params proposal).
func (Keeper) SetParams(kv core.KV, p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	kv.Set(paramsKey, core.MustMarshal(&p))
	return nil
}

// Counts returns the proposal counters.
func (Keeper) Counts(r core.Reader) ProposalCounts {
	c := ProposalCounts{NextId: 1}
	core.Load(r, countsKey, &c)
	return c
}

func (Keeper) setCounts(kv core.KV, c ProposalCounts) { kv.Set(countsKey, core.MustMarshal(&c)) }

// Proposal returns proposal id.
func (Keeper) Proposal(r core.Reader, id uint64) (Proposal, bool) {
	var p Proposal
	ok := core.Load(r, proposalKey(id), &p)
	return p, ok
}

func (Keeper) setProposal(kv core.KV, p *Proposal) { kv.Set(proposalKey(p.Id), core.MustMarshal(p)) }

// Votes returns the votes on proposal id in voter-key order.
func (Keeper) Votes(r core.Reader, id uint64) []*VoteRecord {
	var out []*VoteRecord
	core.IteratePrefix(r, votesPrefix(id), false, func(_, v []byte) bool {
		var x VoteRecord
		core.MustUnmarshal(v, &x)
		out = append(out, &x)
		return true
	})
	return out
}

// IterateProposals calls fn for every proposal in id order.
func (Keeper) IterateProposals(r core.Reader, fn func(Proposal) bool) {
	core.IteratePrefix(r, proposalPrefix, false, func(_, v []byte) bool {
		var p Proposal
		core.MustUnmarshal(v, &p)
		return fn(p)
	})
}

// OpenCount returns how many VOTING proposals member has made.
func (Keeper) OpenCount(r core.Reader, member core.Address) uint32 {
	var o OpenProposals
	core.Load(r, openCountKey(member), &o)
	return o.Count
}

func (k Keeper) addOpen(kv core.KV, member core.Address, delta int) {
	n := int64(k.OpenCount(kv, member)) + int64(delta)
	if n <= 0 {
		kv.Delete(openCountKey(member))
	} else {
		kv.Set(openCountKey(member), core.MustMarshal(&OpenProposals{Count: uint32(n)}))
	}
}

// moveStatus moves p between the per-status index and counters (from UNSPECIFIED for a new one).
func (Keeper) moveStatus(kv core.KV, counts *ProposalCounts, p *Proposal, to ProposalStatus) {
	if p.Status != ProposalStatus_PROPOSAL_STATUS_UNSPECIFIED {
		kv.Delete(core.Key(byStatus(p.Status), core.Uint64Key(p.Id)))
		*counter(counts, p.Status)--
	}
	kv.Set(core.Key(byStatus(to), core.Uint64Key(p.Id)), present)
	*counter(counts, to)++
	p.Status = to
}

func counter(c *ProposalCounts, s ProposalStatus) *uint64 {
	switch s {
	case ProposalStatus_PROPOSAL_STATUS_VOTING:
		return &c.Voting
	case ProposalStatus_PROPOSAL_STATUS_PASSED:
		return &c.Passed
	case ProposalStatus_PROPOSAL_STATUS_REJECTED:
		return &c.Rejected
	default:
		return &c.Failed
	}
}

// StatusName is the lower-case name of a status: "voting", "passed", "rejected", "failed".
func StatusName(s ProposalStatus) string { return core.EnumName(s, "PROPOSAL_STATUS_") }

// OptionName is the lower-case name of a vote option: "yes", "no", "abstain".
func OptionName(o VoteOption) string { return core.EnumName(o, "VOTE_OPTION_") }

// KindName is a proposal's kind: "params", "text", "validator", "expel", "reinstate" or "upgrade"
// ("" for none).
func KindName(c *Content) string {
	switch c.GetSum().(type) {
	case *Content_Params:
		return "params"
	case *Content_Text:
		return "text"
	case *Content_Validator:
		return "validator"
	case *Content_Upgrade:
		return "upgrade"
	case *Content_Member:
		if sum := c.GetMember(); sum.Expel {
			return "expel"
		}
		return "reinstate"
	}
	return ""
}

// eligible is nil if addr may propose and vote: an ACTIVE member (past probation, not suspended).
func (k Keeper) eligible(r core.Reader, addr core.Address) error {
	if err := k.members.Standing(r, addr); err != nil {
		return err
	}
	if !k.members.IsActive(r, addr) {
		return ErrNotEligible.Wrapf("%s is not an active member; members are vouched in with `commonsd tx vouch`", addr)
	}
	return nil
}

// supermajority reports whether c needs more than two thirds of the non-abstaining votes: a
// change of gov's own params, of the validator set, or of the software.
func supermajority(c *Content) bool {
	return c.GetParams().GetModule() == ModuleName || c.GetValidator() != nil || c.GetUpgrade() != nil
}

// Supermajority is supermajority for the API: whether c needs more than two thirds of the yes and
// no votes.
func Supermajority(c *Content) bool { return supermajority(c) }
