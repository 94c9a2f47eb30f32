package gov

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/commonsledger/commons/x/core"
)

// Propose opens a proposal for voting_period. The proposer must be eligible, under
// max_open_proposals, with a summary of at most max_summary_bytes; a params change must name a
// module and carry params that module accepts.
func (k Keeper) Propose(ctx *core.Context, msg *MsgPropose) error {
	if err := k.eligible(ctx.KV, ctx.Signer); err != nil {
		return err
	}
	p := k.Params(ctx.KV)
	switch {
	case strings.TrimSpace(msg.Summary) == "":
		return ErrSummary.Wrapf("say what the proposal does and why in --summary")
	case uint64(len(msg.Summary)) > uint64(p.MaxSummaryBytes) || !utf8.ValidString(msg.Summary):
		return ErrSummary.Wrapf("%d bytes; a summary is valid UTF-8 of at most %d bytes (link to a longer text)", len(msg.Summary), p.MaxSummaryBytes)
	}
	if err := k.checkContent(ctx.KV, ctx.Height, msg.Content); err != nil {
		return err
	}
	if n := k.OpenCount(ctx.KV, ctx.Signer); n >= p.MaxOpenProposals {
		return ErrTooManyOpen.Wrapf("you have %d proposals in their vote (at most %d); propose again when one closes", n, p.MaxOpenProposals)
	}
	counts := k.Counts(ctx.KV)
	prop := &Proposal{Id: counts.NextId, Proposer: ctx.Signer.String(), Content: msg.Content, Summary: msg.Summary,
		SubmittedAt: ctx.Time, SubmittedHeight: uint64(max(ctx.Height, 0)), VotingEnd: ctx.Time + p.VotingPeriod}
	counts.NextId++
	k.moveStatus(ctx.KV, &counts, prop, ProposalStatus_PROPOSAL_STATUS_VOTING)
	k.setCounts(ctx.KV, counts)
	k.setProposal(ctx.KV, prop)
	ctx.KV.Set(endQueueKey(prop.VotingEnd, prop.Id), present)
	k.addOpen(ctx.KV, ctx.Signer, +1)
	ctx.Emit("proposal_submitted", "proposal_id", strconv.FormatUint(prop.Id, 10), "proposer", prop.Proposer,
		"kind", KindName(prop.Content), "module", prop.Content.GetParams().GetModule(), "validator", validatorAttr(prop.Content), "member", prop.Content.GetMember().GetAddress(), "voting_end", strconv.FormatInt(prop.VotingEnd, 10))
	return nil
}

// checkContent validates what a proposal would do.
func (k Keeper) checkContent(r core.Reader, height int64, c *Content) error {
	switch sum := c.GetSum().(type) {
	case *Content_Text:
		return nil
	case *Content_Params:
		space, ok := k.spaces[sum.Params.Module]
		if !ok {
			return ErrInvalidContent.Wrapf("no module %q has params; use one of %s", sum.Params.Module, strings.Join(ParamModules, ", "))
		}
		if len(sum.Params.Params) > MaxParamsBytes {
			return ErrInvalidParams.Wrapf("%d bytes of params; at most %d", len(sum.Params.Params), MaxParamsBytes)
		}
		if err := space.Check(sum.Params.Params); err != nil {
			return ErrInvalidParams.Wrapf("%s: %v", sum.Params.Module, err)
		}
		return nil
	case *Content_Validator:
		return k.checkValidatorChange(r, sum.Validator)
	case *Content_Upgrade:
		return k.checkUpgrade(r, height, sum.Upgrade)
	case *Content_Member:
		addr, err := core.ParseAddress(sum.Member.Address)
		if err != nil {
			return ErrInvalidContent.Wrapf("member %q: %v", sum.Member.Address, err)
		}
		return k.members.CheckExpel(r, addr, sum.Member.Expel)
	}
	return ErrInvalidContent.Wrapf("a proposal needs content: params, text, validator, member or upgrade")
}

// ParamModules names the modules whose params governance may change, in the order help text
// lists them.
var ParamModules = []string{"bank", "members", "claims", "disputes", ModuleName, "projects"}
