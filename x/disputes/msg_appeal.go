package disputes

import (
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// Appeal lets the losing side of a decided dispute (the claimant if UPHELD, the disputant if
// DISMISSED) appeal once, before its appeal deadline. The appeal jury of 2 × jury_size + 1 is drawn
// at the end of the next block (EndBlock), excluding the first jury and any redraw jury; its
// decision is final. A dismissal for too few eligible jurors is final at once and not appealable
// (the appeal pool is smaller still).
func (k Keeper) Appeal(ctx *core.Context, msg *MsgAppeal) error {
	if err := k.members.Suspension(ctx.KV, ctx.Signer); err != nil {
		return err
	}
	d, ok := k.Dispute(ctx.KV, msg.DisputeId)
	if !ok {
		return ErrDisputeNotFound.Wrapf("no dispute %d; check the id with `commonsd query disputes`", msg.DisputeId)
	}
	if Undecided(d.Status) {
		return ErrNotDecided.Wrapf("dispute %d is %s; appeal once it is decided", d.Id, StatusName(d.Status))
	}
	if d.Appellant != "" {
		return ErrAlreadyAppealed.Wrapf("dispute %d was appealed by %s at %s; an appeal's decision is final",
			d.Id, d.Appellant, core.FormatTime(d.AppealedAt))
	}
	if d.Final && d.AppealDeadline == 0 {
		return ErrDisputeFinal.Wrapf("dispute %d was %s (%s) and is not appealable", d.Id, StatusName(d.Status), d.OutcomeReason)
	}
	loser, side := d.Disputant, "disputant"
	if d.Status == DisputeStatus_DISPUTE_STATUS_UPHELD {
		loser, side = d.Claimant, "claimant"
	}
	if ctx.Signer.String() != loser {
		return ErrNotLosingSide.Wrapf("dispute %d was %s; only the %s %s may appeal", d.Id, StatusName(d.Status), side, loser)
	}
	if d.Final || ctx.Time >= d.AppealDeadline {
		return ErrAppealWindow.Wrapf("dispute %d was decided at %s; appeals closed at %s and the decision is final",
			d.Id, core.FormatTime(d.DecidedAt), core.FormatTime(d.AppealDeadline))
	}
	ctx.KV.Delete(finalQueueKey(d.AppealDeadline, d.Id))
	d.FirstOutcome, d.FirstReason, d.FirstUphold, d.FirstDismiss, d.FirstDecidedAt =
		d.Status, d.OutcomeReason, d.Uphold, d.Dismiss, d.DecidedAt
	d.FirstJurors, d.Jurors = d.Jurors, nil
	d.Round, d.Uphold, d.Dismiss, d.Deadline = AppealRound, 0, 0, 0
	d.Appellant, d.AppealedAt = loser, ctx.Time
	k.setStatus(ctx.KV, &d, DisputeStatus_DISPUTE_STATUS_APPEALED)
	k.setDispute(ctx.KV, &d)
	ctx.KV.Set(drawQueueKey(uint64(max(ctx.Height, 0)), d.Id), present)
	ctx.Emit("dispute_appealed", "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(d.ClaimId, 10),
		"appellant", loser, "first_outcome", StatusName(d.FirstOutcome))
	return nil
}
