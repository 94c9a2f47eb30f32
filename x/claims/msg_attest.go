package claims

import (
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// Attest records the signer's APPROVE or REJECT verdict on a PENDING claim before its deadline.
func (k Keeper) Attest(ctx *core.Context, msg *MsgAttest) error {
	if err := k.members.Standing(ctx.KV, ctx.Signer); err != nil {
		return err
	}
	c, ok := k.Claim(ctx.KV, msg.ClaimId)
	if !ok {
		return ErrClaimNotFound.Wrapf("no claim %d; check the id with `commonsd query claims`", msg.ClaimId)
	}
	if !k.members.IsActive(ctx.KV, ctx.Signer) {
		return ErrAttestorNotMember.Wrapf("%s is not an active member; ask members to vouch for you first", ctx.Signer)
	}
	if c.Claimant == ctx.Signer.String() {
		return ErrSelfAttestation.Wrapf("claim %d is yours; other members attest it", c.Id)
	}
	if c.Status != ClaimStatus_CLAIM_STATUS_PENDING || ctx.Time >= c.Deadline {
		return ErrWindowClosed.Wrapf("claim %d closed for attestations at %s; it is %s",
			c.Id, core.FormatTime(c.Deadline), StatusName(c.Status))
	}
	if msg.Verdict != Verdict_VERDICT_APPROVE && msg.Verdict != Verdict_VERDICT_REJECT {
		return ErrInvalidVerdict.Wrapf("verdict %d; use APPROVE or REJECT", int32(msg.Verdict))
	}
	p := k.Params(ctx.KV)
	if uint64(len(msg.Note)) > uint64(p.MaxNoteBytes) {
		return ErrNoteTooLong.Wrapf("%d bytes; shorten it to at most %d", len(msg.Note), p.MaxNoteBytes)
	}
	key := attestationKey(c.Id, ctx.Signer)
	if _, dup := ctx.KV.Get(key); dup {
		return ErrDuplicateAttest.Wrapf("you already attested claim %d; a verdict cannot be changed", c.Id)
	}
	a := &Attestation{ClaimId: c.Id, Attestor: ctx.Signer.String(), Verdict: msg.Verdict, Note: msg.Note,
		Time: ctx.Time, Height: uint64(max(ctx.Height, 0))}
	ctx.KV.Set(key, core.MustMarshal(a))
	ctx.KV.Set(core.Key(byAttestor(ctx.Signer), core.Uint64Key(c.Id)), present)
	if isReviewer(&c, a.Attestor) {
		ctx.KV.Delete(awaitingKey(ctx.Signer, c.Id))
		if msg.Verdict == Verdict_VERDICT_APPROVE {
			c.ReviewerApprovals++
		}
	}
	if msg.Verdict == Verdict_VERDICT_APPROVE {
		c.Approvals++
		k.updateRecord(ctx.KV, ctx.Signer, func(r *MemberClaimRecord) { r.ApprovalsGiven++ })
	} else {
		c.Rejections++
		k.updateRecord(ctx.KV, ctx.Signer, func(r *MemberClaimRecord) { r.RejectionsGiven++ })
	}
	k.setTally(ctx.KV, &c) // the body (summary, evidence) is not rewritten
	ctx.Emit("attested", "claim_id", strconv.FormatUint(c.Id, 10), "attestor", a.Attestor,
		"claimant", c.Claimant, "verdict", VerdictName(msg.Verdict),
		"approvals", strconv.FormatUint(uint64(c.Approvals), 10), "rejections", strconv.FormatUint(uint64(c.Rejections), 10))
	return nil
}
