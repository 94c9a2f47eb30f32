package disputes

import (
	"encoding/binary"
	"strconv"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// OpenDispute opens a dispute on a VERIFIED claim within dispute_window of its finalisation. The
// dispute is OPEN with no jury: the end of the next block draws it (EndBlock), because a tx
// handler has no randomness.
func (k Keeper) OpenDispute(ctx *core.Context, msg *MsgOpenDispute) error {
	if err := k.members.Standing(ctx.KV, ctx.Signer); err != nil {
		return err
	}
	if !k.members.IsActive(ctx.KV, ctx.Signer) {
		return ErrDisputantNotMember.Wrapf("%s is not an active member; ask members to vouch for you first", ctx.Signer)
	}
	c, ok := k.claims.Claim(ctx.KV, msg.ClaimId)
	if !ok {
		return ErrClaimNotFound.Wrapf("no claim %d; check the id with `commonsd query claims`", msg.ClaimId)
	}
	switch c.Status {
	case claims.ClaimStatus_CLAIM_STATUS_VERIFIED:
	case claims.ClaimStatus_CLAIM_STATUS_PENDING:
		return ErrClaimPending.Wrapf("claim %d is pending until %s; attest it with REJECT instead", c.Id, core.FormatTime(c.Deadline))
	case claims.ClaimStatus_CLAIM_STATUS_REVERSED:
		return ErrClaimReversed.Wrapf("claim %d was reversed by dispute %d; its hours are already undone", c.Id, c.Reversal.GetDisputeId())
	default:
		return ErrClaimRejected.Wrapf("claim %d was rejected and minted nothing; there is nothing to dispute", c.Id)
	}
	p := k.Params(ctx.KV)
	if ctx.Time-c.FinalizedAt > p.DisputeWindow {
		return ErrDisputeWindow.Wrapf("claim %d was verified at %s; disputes closed at %s",
			c.Id, core.FormatTime(c.FinalizedAt), core.FormatTime(c.FinalizedAt+p.DisputeWindow))
	}
	if c.Claimant == ctx.Signer.String() {
		return ErrOwnClaim.Wrapf("claim %d is yours", c.Id)
	}
	if len(msg.Reason) == 0 {
		return ErrReasonEmpty.Wrapf("say why claim %d should not stand", c.Id)
	}
	if uint64(len(msg.Reason)) > uint64(p.MaxReasonBytes) {
		return ErrReasonTooLong.Wrapf("%d bytes; shorten it to at most %d", len(msg.Reason), p.MaxReasonBytes)
	}
	if v, open := ctx.KV.Get(openByClaimKey(c.Id)); open {
		return ErrAlreadyDisputed.Wrapf("claim %d is already disputed in dispute %d, which is not final yet; follow that one", c.Id, binary.BigEndian.Uint64(v))
	}
	if n := k.OpenCount(ctx.KV, ctx.Signer); n >= p.MaxOpenDisputes {
		return ErrTooManyOpen.Wrapf("you have %d undecided disputes, the most allowed (max_open_disputes %d); wait for one to be decided", n, p.MaxOpenDisputes)
	}
	counts := k.Counts(ctx.KV)
	d := &Dispute{Id: counts.NextId, ClaimId: c.Id, Disputant: ctx.Signer.String(), Claimant: c.Claimant,
		Reason: msg.Reason, OpenedAt: ctx.Time, OpenedHeight: uint64(max(ctx.Height, 0))}
	counts.NextId++
	k.moveStatus(ctx.KV, &counts, d, DisputeStatus_DISPUTE_STATUS_OPEN)
	k.setCounts(ctx.KV, counts)
	k.setDispute(ctx.KV, d)
	k.indexNew(ctx.KV, d)
	ctx.KV.Set(drawQueueKey(d.OpenedHeight, d.Id), present)
	k.addOpen(ctx.KV, ctx.Signer, +1)
	k.updateRecord(ctx.KV, ctx.Signer, func(r *MemberDisputeRecord) { r.DisputesOpened++ })
	ctx.Emit("dispute_opened", "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(c.Id, 10),
		"disputant", d.Disputant, "claimant", d.Claimant)
	return nil
}

// indexNew writes the indexes of an undecided dispute: by claim, and the claim's open marker.
func (Keeper) indexNew(kv core.KV, d *Dispute) {
	kv.Set(core.Key(byClaim(d.ClaimId), core.Uint64Key(d.Id)), present)
	kv.Set(openByClaimKey(d.ClaimId), core.Uint64Key(d.Id))
}
