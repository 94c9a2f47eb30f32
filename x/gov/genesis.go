package gov

import "github.com/commonsledger/commons/x/core"

// DefaultGenesis has default params and no proposals.
func DefaultGenesis() *GenesisState {
	p := DefaultParams()
	return &GenesisState{Params: &p, NextProposalId: 1}
}

// Validate checks a genesis state on its own: params, unique ids below next_proposal_id, statuses,
// content, and one vote per (proposal, voter) that add up to each proposal's tally.
func (g *GenesisState) Validate() error {
	if g.Params == nil {
		return ErrInvalidGenesis.Wrapf("params missing")
	}
	if err := g.Params.Validate(); err != nil {
		return ErrInvalidGenesis.Wrapf("%v", err)
	}
	if p := g.UpgradePlan; p != nil && !upgradeName.MatchString(p.Name) {
		return ErrInvalidGenesis.Wrapf("upgrade plan name %q", p.Name)
	}
	byID := map[uint64]*Proposal{}
	for i, p := range g.Proposals {
		if p == nil || p.Id == 0 || p.Id >= g.NextProposalId {
			return ErrInvalidGenesis.Wrapf("proposal %d: missing or id not in 1..next_proposal_id-1", i)
		}
		if byID[p.Id] != nil {
			return ErrInvalidGenesis.Wrapf("proposal id %d listed twice", p.Id)
		}
		byID[p.Id] = p
		if _, err := core.ParseAddress(p.Proposer); err != nil {
			return ErrInvalidGenesis.Wrapf("proposal %d proposer: %v", p.Id, err)
		}
		if p.Status <= ProposalStatus_PROPOSAL_STATUS_UNSPECIFIED || p.Status > ProposalStatus_PROPOSAL_STATUS_FAILED {
			return ErrInvalidGenesis.Wrapf("proposal %d has status %v", p.Id, p.Status)
		}
		if KindName(p.Content) == "" {
			return ErrInvalidGenesis.Wrapf("proposal %d has no content", p.Id)
		}
	}
	type key struct {
		id    uint64
		voter string
	}
	seen := map[key]bool{}
	sums := map[uint64]*Proposal{}
	for i, v := range g.Votes {
		if v == nil || byID[v.ProposalId] == nil {
			return ErrInvalidGenesis.Wrapf("vote %d is for a missing proposal", i)
		}
		if _, err := core.ParseAddress(v.Voter); err != nil {
			return ErrInvalidGenesis.Wrapf("vote %d voter: %v", i, err)
		}
		if seen[key{v.ProposalId, v.Voter}] {
			return ErrInvalidGenesis.Wrapf("%s votes on proposal %d twice", v.Voter, v.ProposalId)
		}
		seen[key{v.ProposalId, v.Voter}] = true
		if v.Option < VoteOption_VOTE_OPTION_YES || v.Option > VoteOption_VOTE_OPTION_ABSTAIN {
			return ErrInvalidGenesis.Wrapf("vote %d has option %v", i, v.Option)
		}
		if sums[v.ProposalId] == nil {
			sums[v.ProposalId] = &Proposal{}
		}
		*tally(sums[v.ProposalId], v.Option)++
	}
	for _, p := range g.Proposals {
		s := sums[p.Id]
		if s == nil {
			s = &Proposal{}
		}
		if p.Yes != s.Yes || p.No != s.No || p.Abstain != s.Abstain {
			return ErrInvalidGenesis.Wrapf("proposal %d counts %d/%d/%d votes but has %d/%d/%d", p.Id, p.Yes, p.No, p.Abstain, s.Yes, s.No, s.Abstain)
		}
	}
	return nil
}

// InitGenesis writes the genesis state and rebuilds every index and counter.
func (k Keeper) InitGenesis(ctx *core.Context, g *GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	ctx.KV.Set(paramsKey, core.MustMarshal(g.Params))
	counts := ProposalCounts{NextId: max(g.NextProposalId, 1)}
	for _, gp := range g.Proposals {
		p := *gp
		status := p.Status
		p.Status = ProposalStatus_PROPOSAL_STATUS_UNSPECIFIED
		k.moveStatus(ctx.KV, &counts, &p, status)
		k.setProposal(ctx.KV, &p)
		if p.Status == ProposalStatus_PROPOSAL_STATUS_VOTING {
			ctx.KV.Set(endQueueKey(p.VotingEnd, p.Id), present)
			proposer, _ := core.ParseAddress(p.Proposer)
			k.addOpen(ctx.KV, proposer, +1)
		}
	}
	k.setCounts(ctx.KV, counts)
	if g.UpgradePlan != nil {
		ctx.KV.Set(upgradePlanKey, core.MustMarshal(g.UpgradePlan))
	}
	for _, a := range g.AppliedUpgrades {
		ctx.KV.Set(core.Key(appliedPrefix, core.Uint64Key(a.Height)), core.MustMarshal(a))
	}
	for _, v := range g.Votes {
		voter, _ := core.ParseAddress(v.Voter)
		ctx.KV.Set(voteKey(v.ProposalId, voter), core.MustMarshal(v))
	}
	return nil
}

// ExportGenesis writes the state as a genesis: proposals in id order, votes in (proposal, voter)
// order.
func (k Keeper) ExportGenesis(r core.Reader) *GenesisState {
	p := k.Params(r)
	u := k.QueryUpgrade(r)
	g := &GenesisState{Params: &p, NextProposalId: k.Counts(r).NextId, UpgradePlan: u.Plan, AppliedUpgrades: u.Applied}
	k.IterateProposals(r, func(x Proposal) bool {
		g.Proposals = append(g.Proposals, &x)
		return true
	})
	core.IteratePrefix(r, votePrefix, false, func(_, v []byte) bool {
		var x VoteRecord
		core.MustUnmarshal(v, &x)
		g.Votes = append(g.Votes, &x)
		return true
	})
	return g
}
