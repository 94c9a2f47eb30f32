package claims

import (
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// WithdrawClaim settles the signer's own PENDING claim REJECTED at once, marked withdrawn: nothing
// is minted, the attestations so far stay on it, its reviewers' inboxes drop it, and its interval
// is freed as a rejected claim's is (it joins its reclaim level, so withdrawing counts towards
// max_reclaims like a rejection: submit-and-withdraw cannot make reviewers work without end).
// It needs no standing: a suspended or expelled member may still take back their own claim.
func (k Keeper) WithdrawClaim(ctx *core.Context, msg *MsgWithdrawClaim) error {
	c, ok := k.Claim(ctx.KV, msg.ClaimId)
	if !ok {
		return ErrClaimNotFound.Wrapf("no claim %d; check the id with `commonsd query claims`", msg.ClaimId)
	}
	if c.Claimant != ctx.Signer.String() {
		return ErrNotClaimant.Wrapf("claim %d is %s's; only its claimant may withdraw it", c.Id, c.Claimant)
	}
	if c.Status != ClaimStatus_CLAIM_STATUS_PENDING {
		return ErrNotPending.Wrapf("claim %d is %s since %s; only a pending claim can be withdrawn", c.Id, StatusName(c.Status), core.FormatTime(c.FinalizedAt))
	}
	c.Withdrawn = true
	c.OutcomeReason = "withdrawn by the claimant at " + core.FormatTime(ctx.Time)
	ctx.Emit("claim_withdrawn", "claim_id", strconv.FormatUint(c.Id, 10), "claimant", c.Claimant)
	return k.settle(ctx, &c, false)
}
