package claims

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/commonsledger/commons/x/core"
)

// MaxFinalizePerBlock bounds the claims one block finalises, so that a block after a long pause
// (every deadline in the gap falling due at once) still fits in one atomic store commit. Claims
// past the bound finalise in the next blocks, in the same order; their outcome cannot change,
// because attestations are refused from the deadline on. It is a consensus rule.
const MaxFinalizePerBlock = 2000

// EndBlock finalises the PENDING claims whose deadline is at or before the block time, in
// (deadline, id) order, the order of the queue keys, at most MaxFinalizePerBlock of them. It runs
// at the end of every block.
func (k Keeper) EndBlock(ctx *core.Context) error {
	var due []uint64
	// Collect first: finalising deletes queue keys, which must not happen under the iterator.
	// Keys below (block time + 1, *) are exactly those with deadline <= block time.
	ctx.KV.Iterate(queuePrefix, core.Key(queuePrefix, core.Int64Key(ctx.Time+1)), false, func(key, _ []byte) bool {
		due = append(due, binary.BigEndian.Uint64(key[len(key)-8:]))
		return len(due) < MaxFinalizePerBlock
	})
	p := k.Params(ctx.KV)
	k.drawReviewers(ctx, p)
	for _, id := range due {
		if err := k.Finalize(ctx, p, id); err != nil {
			return err
		}
	}
	return nil
}

// Verified is the finalisation rule: at least min_approvals approvals, and approvals more than two
// thirds of all verdicts. Integer arithmetic only.
func Verified(p Params, approvals, rejections uint32) bool {
	a, r := uint64(approvals), uint64(rejections)
	return a >= uint64(p.MinApprovals) && a*3 > (a+r)*2
}

// Finalize settles claim id: VERIFIED mints its duration to the claimant, REJECTED frees its
// interval (moving it to its reclaim level). It writes the claim's small tally record, never its
// body. The returned error is a mint failure (supply overflow), which cannot happen below
// 1.8e13 hours and stops the node rather than corrupt the supply.
func (k Keeper) Finalize(ctx *core.Context, p Params, id uint64) error {
	c, ok := k.Claim(ctx.KV, id)
	if !ok || c.Status != ClaimStatus_CLAIM_STATUS_PENDING {
		panic("claims: finalisation queue holds claim " + strconv.FormatUint(id, 10) + " that is not pending")
	}
	verified := Verified(p, c.Approvals, c.Rejections)
	needed := reviewersNeeded(p, &c)
	switch {
	case !verified:
		c.OutcomeReason = fmt.Sprintf("%d approvals and %d rejections: a claim needs at least %d approvals, more than two thirds of its verdicts",
			c.Approvals, c.Rejections, p.MinApprovals)
	case c.ReviewerApprovals < needed:
		verified = false
		c.OutcomeReason = fmt.Sprintf("%d of its approvals came from its drawn reviewers (%s); it needs %d: ask them to review it, or claim again",
			c.ReviewerApprovals, strings.Join(c.Reviewers, ", "), needed)
	}
	return k.settle(ctx, &c, verified)
}

// settle takes PENDING claim c out of the finalisation queue, the pending counts and its reviewers'
// inboxes, and makes it VERIFIED (minting its duration) or REJECTED (freeing its interval, which
// moves to its reclaim level), with c.OutcomeReason already set.
func (k Keeper) settle(ctx *core.Context, c *Claim, verified bool) error {
	ctx.KV.Delete(queueKey(c.Deadline, c.Id))
	claimant, _ := core.ParseAddress(c.Claimant)
	k.addPending(ctx.KV, set, claimant, c, -1)
	c.FinalizedAt = ctx.Time
	c.FinalizedHeight = uint64(max(ctx.Height, 0))
	clearAwaiting(ctx.KV, c)
	if verified {
		c.Minted = MintedFor(c.Start, c.End)
		if err := k.minter.Mint(ctx, claimant, c.Minted, c.Id); err != nil {
			return err
		}
		k.addVerified(ctx.KV, c, +1)
		k.updateRecord(ctx.KV, claimant, func(r *MemberClaimRecord) { r.Verified++; r.VerifiedUhours += c.Minted })
		k.setStatus(ctx.KV, c, ClaimStatus_CLAIM_STATUS_VERIFIED)
	} else {
		ctx.KV.Delete(intervalKey(claimant, c.Start))
		k.indexRejected(ctx.KV, claimant, c)
		k.setStatus(ctx.KV, c, ClaimStatus_CLAIM_STATUS_REJECTED)
	}
	k.setTally(ctx.KV, c) // the body was written once, at submission
	ctx.Emit("claim_finalized", "claim_id", strconv.FormatUint(c.Id, 10), "claimant", c.Claimant,
		"status", StatusName(c.Status), "category", c.Category,
		"approvals", strconv.FormatUint(uint64(c.Approvals), 10), "rejections", strconv.FormatUint(uint64(c.Rejections), 10),
		"minted", core.Uhour(c.Minted), "reviewer_approvals", strconv.FormatUint(uint64(c.ReviewerApprovals), 10), "reason", c.OutcomeReason)
	return nil
}
