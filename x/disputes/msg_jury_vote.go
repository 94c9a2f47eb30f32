package disputes

import (
	"slices"
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// JuryVote records a drawn juror's UPHOLD or DISMISS vote, once, before the voting deadline.
func (k Keeper) JuryVote(ctx *core.Context, msg *MsgJuryVote) error {
	if err := k.members.Suspension(ctx.KV, ctx.Signer); err != nil {
		return err
	}
	d, ok := k.Dispute(ctx.KV, msg.DisputeId)
	if !ok {
		return ErrDisputeNotFound.Wrapf("no dispute %d; check the id with `commonsd query disputes`", msg.DisputeId)
	}
	me := ctx.Signer.String()
	if d.Status == DisputeStatus_DISPUTE_STATUS_OPEN {
		return ErrNotJuror.Wrapf("dispute %d has no jury yet; it is drawn at the end of the block after the dispute opened", d.Id)
	}
	appealed := d.Status == DisputeStatus_DISPUTE_STATUS_APPEALED
	if appealed && len(d.Jurors) == 0 {
		return ErrNotJuror.Wrapf("dispute %d has no appeal jury yet; it is drawn at the end of the block after the appeal", d.Id)
	}
	voting := d.Status == DisputeStatus_DISPUTE_STATUS_VOTING || appealed
	if !slices.Contains(d.Jurors, me) {
		if voting {
			return ErrNotJuror.Wrapf("%s is not on the jury of dispute %d", me, d.Id)
		}
		return ErrVotingClosed.Wrapf("dispute %d was decided %s at %s", d.Id, StatusName(d.Status), core.FormatTime(d.DecidedAt))
	}
	if !voting {
		return ErrVotingClosed.Wrapf("dispute %d was decided %s at %s", d.Id, StatusName(d.Status), core.FormatTime(d.DecidedAt))
	}
	if ctx.Time >= d.Deadline {
		return ErrVotingClosed.Wrapf("voting on dispute %d closed at %s; it is decided in this block", d.Id, core.FormatTime(d.Deadline))
	}
	if msg.Vote != JuryVote_JURY_VOTE_UPHOLD && msg.Vote != JuryVote_JURY_VOTE_DISMISS {
		return ErrInvalidVote.Wrapf("vote %d; use UPHOLD or DISMISS", int32(msg.Vote))
	}
	p := k.Params(ctx.KV)
	if uint64(len(msg.Note)) > uint64(p.MaxNoteBytes) {
		return ErrNoteTooLong.Wrapf("%d bytes; shorten it to at most %d", len(msg.Note), p.MaxNoteBytes)
	}
	key := voteKey(d.Id, ctx.Signer)
	if _, dup := ctx.KV.Get(key); dup {
		return ErrDuplicateVote.Wrapf("you already voted on dispute %d; a vote cannot be changed", d.Id)
	}
	v := &JuryVoteRecord{DisputeId: d.Id, Juror: me, Round: d.Round, Vote: msg.Vote, Note: msg.Note,
		Time: ctx.Time, Height: uint64(max(ctx.Height, 0))}
	ctx.KV.Set(key, core.MustMarshal(v))
	if msg.Vote == JuryVote_JURY_VOTE_UPHOLD {
		d.Uphold++
	} else {
		d.Dismiss++
	}
	k.setDispute(ctx.KV, &d)
	ctx.Emit("jury_vote", "dispute_id", strconv.FormatUint(d.Id, 10), "juror", me, "vote", VoteName(msg.Vote),
		"round", strconv.FormatUint(uint64(d.Round), 10))
	return nil
}
