package claims

import (
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// Record returns member's public record in this module: claims verified and reversed, verdicts
// given, and approvals given to claims later reversed. One point read.
func (Keeper) Record(r core.Reader, member core.Address) MemberClaimRecord {
	var rec MemberClaimRecord
	core.Load(r, recordKey(member), &rec)
	return rec
}

func (Keeper) updateRecord(kv core.KV, member core.Address, fn func(*MemberClaimRecord)) {
	core.Update(kv, recordKey(member), fn)
}

// Reverse undoes VERIFIED claim id after dispute disputeID was finally upheld: the claim becomes
// REVERSED, its minted hours are burned from the claimant's balance as far as it reaches and the
// rest becomes the claimant's debt (bank.Keeper.Burn), its category totals no longer count it, and
// the records of the claimant and of each approving attestor say so. Nothing is deleted: the claim
// keeps its attestations, and its interval stays taken (reversed time cannot be claimed again).
// It returns the approving attestors, in attestor-key order. Its cost is one read and write per
// attestation of the claim.
func (k Keeper) Reverse(ctx *core.Context, id, disputeID uint64) ([]core.Address, error) {
	c, ok := k.Claim(ctx.KV, id)
	if !ok || c.Status != ClaimStatus_CLAIM_STATUS_VERIFIED {
		return nil, ErrNotVerified.Wrapf("claim %d is not verified; only a verified claim can be reversed", id)
	}
	claimant, _ := core.ParseAddress(c.Claimant)
	burned, debt, err := k.minter.Burn(ctx, claimant, c.Minted, c.Id)
	if err != nil {
		return nil, err
	}
	c.Reversal = &Reversal{DisputeId: disputeID, Time: ctx.Time, Height: uint64(max(ctx.Height, 0)), Burned: burned, Debt: debt}
	k.addVerified(ctx.KV, &c, -1)
	counts := k.Counts(ctx.KV)
	k.moveStatus(ctx.KV, set, &counts, &c, ClaimStatus_CLAIM_STATUS_REVERSED)
	counts.ReversedUhours += c.Minted
	k.setCounts(ctx.KV, counts)
	k.setTally(ctx.KV, &c)
	k.updateRecord(ctx.KV, claimant, func(r *MemberClaimRecord) { r.Reversed++; r.ReversedUhours += c.Minted })
	var approvers []core.Address
	for _, a := range k.Attestations(ctx.KV, id) {
		if a.Verdict != Verdict_VERDICT_APPROVE {
			continue
		}
		addr, _ := core.ParseAddress(a.Attestor)
		approvers = append(approvers, addr)
		k.updateRecord(ctx.KV, addr, func(r *MemberClaimRecord) { r.ApprovalsReversed++ })
	}
	ctx.Emit("claim_reversed", "claim_id", strconv.FormatUint(c.Id, 10), "claimant", c.Claimant,
		"dispute_id", strconv.FormatUint(disputeID, 10), "minted", core.Uhour(c.Minted),
		"burned", core.Uhour(burned), "debt", core.Uhour(debt))
	return approvers, nil
}

// Minted reports whether a claim of status s minted its hours: VERIFIED, or REVERSED since.
func Minted(s ClaimStatus) bool {
	return s == ClaimStatus_CLAIM_STATUS_VERIFIED || s == ClaimStatus_CLAIM_STATUS_REVERSED
}

// addOwn counts the claimant's own claim c (VERIFIED or REVERSED) as the live path does.
func (r *MemberClaimRecord) addOwn(c *Claim) {
	r.Verified++
	r.VerifiedUhours += c.Minted
	if c.Status == ClaimStatus_CLAIM_STATUS_REVERSED {
		r.Reversed++
		r.ReversedUhours += c.Minted
	}
}

// addVerdict counts a verdict given on a claim now of status s.
func (r *MemberClaimRecord) addVerdict(v Verdict, s ClaimStatus) {
	if v != Verdict_VERDICT_APPROVE {
		r.RejectionsGiven++
		return
	}
	r.ApprovalsGiven++
	if s == ClaimStatus_CLAIM_STATUS_REVERSED {
		r.ApprovalsReversed++
	}
}
