package gov

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// MaxClosePerBlock bounds the proposals one block closes; the rest close, in (voting_end, id)
// order, in the next blocks (their votes are refused from voting_end on, so the outcome cannot
// change). It is a consensus rule. Each close writes a handful of keys plus one params record.
const MaxClosePerBlock = 64

// EndBlock closes the VOTING proposals whose voting_end is at or before the block time and executes
// those that passed. It runs last in the block, so a params change applies from the next block on.
func (k Keeper) EndBlock(ctx *core.Context) error {
	var due []uint64
	ctx.KV.Iterate(endQueuePrefix, core.Key(endQueuePrefix, core.Int64Key(ctx.Time+1)), false, func(key, _ []byte) bool {
		due = append(due, binary.BigEndian.Uint64(key[len(key)-8:]))
		return len(due) < MaxClosePerBlock
	})
	if len(due) == 0 {
		return nil
	}
	p := k.Params(ctx.KV)
	eligible := k.members.ActiveCount(ctx.KV)
	for _, id := range due {
		k.close(ctx, p, eligible, id)
	}
	return nil
}

// Outcome decides a closed vote: the quorum (votes cast, abstentions included, at least
// quorum_permille of the eligible members, and at least one), then more than half of the YES and
// NO votes YES, or more than two thirds when super is set. Integer arithmetic only.
func Outcome(p Params, yes, no, abstain uint32, eligible uint64, super bool) (passed bool, reason string) {
	cast := uint64(yes) + uint64(no) + uint64(abstain)
	y, n := uint64(yes), uint64(no)
	switch {
	case cast == 0 || cast*1000 < uint64(p.QuorumPermille)*eligible:
		return false, fmt.Sprintf("no quorum: %d of %d eligible members voted; %d‰ must", cast, eligible, p.QuorumPermille)
	case super && y*3 <= (y+n)*2:
		return false, fmt.Sprintf("%d yes and %d no: this change needs more than two thirds yes", y, n)
	case !super && y*2 <= y+n:
		return false, fmt.Sprintf("%d yes and %d no: a proposal needs more than half yes", y, n)
	}
	return true, fmt.Sprintf("%d yes, %d no, %d abstain of %d eligible", y, n, abstain, eligible)
}

func (k Keeper) close(ctx *core.Context, p Params, eligible uint64, id uint64) {
	prop, ok := k.Proposal(ctx.KV, id)
	if !ok || prop.Status != ProposalStatus_PROPOSAL_STATUS_VOTING {
		panic("gov: end queue holds proposal " + strconv.FormatUint(id, 10) + " that is not voting")
	}
	ctx.KV.Delete(endQueueKey(prop.VotingEnd, prop.Id))
	proposer, _ := core.ParseAddress(prop.Proposer)
	k.addOpen(ctx.KV, proposer, -1)
	prop.Eligible, prop.ClosedAt, prop.ClosedHeight = eligible, ctx.Time, uint64(max(ctx.Height, 0))
	passed, reason := Outcome(p, prop.Yes, prop.No, prop.Abstain, eligible, supermajority(prop.Content))
	to := ProposalStatus_PROPOSAL_STATUS_REJECTED
	if passed {
		to = ProposalStatus_PROPOSAL_STATUS_PASSED
		if err := k.execute(ctx, &prop); err != nil {
			to, reason = ProposalStatus_PROPOSAL_STATUS_FAILED, fmt.Sprintf("passed (%s), but executing it failed: %v", reason, err)
		}
	}
	prop.Result = reason
	counts := k.Counts(ctx.KV)
	k.moveStatus(ctx.KV, &counts, &prop, to)
	k.setCounts(ctx.KV, counts)
	k.setProposal(ctx.KV, &prop)
	ctx.Emit("proposal_closed", "proposal_id", strconv.FormatUint(prop.Id, 10), "status", StatusName(to), "kind", KindName(prop.Content),
		"yes", strconv.FormatUint(uint64(prop.Yes), 10), "no", strconv.FormatUint(uint64(prop.No), 10),
		"abstain", strconv.FormatUint(uint64(prop.Abstain), 10), "eligible", strconv.FormatUint(eligible, 10), "result", reason)
}

// execute applies a passed proposal's content. It writes nothing when it fails: a params space
// decodes and validates before it stores, and a validator change is checked again against the set
// as it is now.
func (k Keeper) execute(ctx *core.Context, prop *Proposal) error {
	switch sum := prop.Content.GetSum().(type) {
	case *Content_Validator:
		return k.applyValidatorChange(ctx, sum.Validator, prop.Id)
	case *Content_Upgrade:
		return k.scheduleUpgrade(ctx, sum.Upgrade, prop.Id)
	case *Content_Member:
		addr, err := core.ParseAddress(sum.Member.Address)
		if err != nil {
			return err
		}
		if sum.Member.Expel {
			return k.members.Expel(ctx, addr, prop.Id)
		}
		return k.members.Reinstate(ctx, addr, prop.Id)
	case *Content_Params:
		space, ok := k.spaces[sum.Params.Module]
		if !ok {
			return fmt.Errorf("no module %q", sum.Params.Module)
		}
		if err := space.Set(ctx.KV, sum.Params.Params); err != nil {
			return err
		}
		ctx.Emit("params_changed", "module", sum.Params.Module)
	}
	return nil
}
