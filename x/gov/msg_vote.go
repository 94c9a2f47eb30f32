package gov

import (
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// Vote records or changes an eligible member's vote on a VOTING proposal before its voting_end.
func (k Keeper) Vote(ctx *core.Context, msg *MsgVote) error {
	if err := k.eligible(ctx.KV, ctx.Signer); err != nil {
		return err
	}
	prop, ok := k.Proposal(ctx.KV, msg.ProposalId)
	if !ok {
		return ErrProposalNotFound.Wrapf("no proposal %d; list them with `commonsd query proposals`", msg.ProposalId)
	}
	if prop.Status != ProposalStatus_PROPOSAL_STATUS_VOTING || ctx.Time >= prop.VotingEnd {
		return ErrVotingClosed.Wrapf("voting on proposal %d closed at %s", prop.Id, core.FormatTime(prop.VotingEnd))
	}
	if msg.Option < VoteOption_VOTE_OPTION_YES || msg.Option > VoteOption_VOTE_OPTION_ABSTAIN {
		return ErrInvalidOption.Wrapf("option %d; vote yes, no or abstain", int32(msg.Option))
	}
	key := voteKey(prop.Id, ctx.Signer)
	var prev VoteRecord
	if core.Load(ctx.KV, key, &prev) {
		*tally(&prop, prev.Option)--
	}
	*tally(&prop, msg.Option)++
	k.setProposal(ctx.KV, &prop)
	ctx.KV.Set(key, core.MustMarshal(&VoteRecord{ProposalId: prop.Id, Voter: ctx.Signer.String(), Option: msg.Option,
		Time: ctx.Time, Height: uint64(max(ctx.Height, 0))}))
	ctx.Emit("proposal_vote", "proposal_id", strconv.FormatUint(prop.Id, 10), "voter", ctx.Signer.String(),
		"option", OptionName(msg.Option), "changed", strconv.FormatBool(prev.Option != VoteOption_VOTE_OPTION_UNSPECIFIED))
	return nil
}

func tally(p *Proposal, o VoteOption) *uint32 {
	switch o {
	case VoteOption_VOTE_OPTION_YES:
		return &p.Yes
	case VoteOption_VOTE_OPTION_NO:
		return &p.No
	default:
		return &p.Abstain
	}
}
