package disputes

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// Per-block bounds on reversals, consensus rules. A reversal costs one write per approving
// attestation of the claim and one strike per person struck (claimant, approvers, vouchers): a
// block runs reversals, in dispute id order, while their people struck stay within
// MaxStrikesPerBlock (always at least one), and at most MaxReversalsPerBlock of them. The rest
// wait, in order, for the next blocks.
const (
	MaxReversalsPerBlock = 64
	MaxStrikesPerBlock   = 4096
)

// Record returns member's public record in this module: disputes opened and how they ended, and
// jury service. One point read.
func (Keeper) Record(r core.Reader, member core.Address) MemberDisputeRecord {
	var rec MemberDisputeRecord
	core.Load(r, recordKey(member), &rec)
	return rec
}

func (Keeper) updateRecord(kv core.KV, member core.Address, fn func(*MemberDisputeRecord)) {
	core.Update(kv, recordKey(member), fn)
}

// endTerm records the jury service of d's current jury, whose voting time ended: a seat for each
// juror, and a vote or a no-show.
func (k Keeper) endTerm(kv core.KV, d *Dispute) {
	for _, j := range d.Jurors {
		juror, err := core.ParseAddress(j)
		if err != nil {
			continue
		}
		var v JuryVoteRecord
		voted := core.Load(kv, voteKey(d.Id, juror), &v) && v.Round == d.Round
		k.updateRecord(kv, juror, func(r *MemberDisputeRecord) {
			r.JurySeats++
			if voted {
				r.JuryVotes++
			} else {
				r.JuryNoShows++
			}
		})
	}
}

// processReversals reverses the claims of finally upheld disputes, in id order, within the block's
// budget.
func (k Keeper) processReversals(ctx *core.Context) error {
	var ids []uint64
	var keys [][]byte
	core.IteratePrefix(ctx.KV, reverseQueuePfx, false, func(key, _ []byte) bool {
		ids = append(ids, binary.BigEndian.Uint64(key[len(key)-8:]))
		keys = append(keys, bytes.Clone(key))
		return len(ids) < MaxReversalsPerBlock
	})
	spent := 0
	for i, id := range ids {
		d, _ := k.Dispute(ctx.KV, id)
		c, _ := k.claims.Claim(ctx.KV, d.ClaimId)
		claimant, _ := core.ParseAddress(d.Claimant)
		cost := 1 + int(c.Approvals) + len(k.members.Vouchers(ctx.KV, claimant))
		if spent > 0 && spent+cost > MaxStrikesPerBlock {
			break
		}
		spent += cost
		ctx.KV.Delete(keys[i])
		if err := k.reverse(ctx, &d, claimant); err != nil {
			return err
		}
	}
	return nil
}

// reverse reverses d's claim and strikes the claimant, each approving attestor and the claimant's
// vouchers, one strike per person (the first role that applies). A claim another dispute already
// reversed is left as it is.
func (k Keeper) reverse(ctx *core.Context, d *Dispute, claimant core.Address) error {
	approvers, err := k.claims.Reverse(ctx, d.ClaimId, d.Id)
	if errors.Is(err, claims.ErrNotVerified) {
		d.ReversalSkipped = true
		k.setDispute(ctx.KV, d)
		ctx.Emit("reversal_skipped", "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(d.ClaimId, 10),
			"reason", "the claim is no longer verified")
		return nil
	}
	if err != nil {
		return err
	}
	struck := []core.Address{}
	strike := func(a core.Address, role members.StrikeRole) {
		if slices.ContainsFunc(struck, func(s core.Address) bool { return s.Equal(a) }) {
			return
		}
		struck = append(struck, a)
		k.members.Strike(ctx, a, role, d.ClaimId, d.Id)
	}
	strike(claimant, members.StrikeRole_STRIKE_ROLE_CLAIMANT)
	for _, a := range approvers {
		strike(a, members.StrikeRole_STRIKE_ROLE_APPROVER)
	}
	for _, v := range k.members.Vouchers(ctx.KV, claimant) {
		strike(v, members.StrikeRole_STRIKE_ROLE_VOUCHER)
	}
	d.Reversed, d.Strikes = true, uint32(len(struck))
	k.setDispute(ctx.KV, d)
	ctx.Emit("dispute_reversal", "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(d.ClaimId, 10),
		"strikes", strconv.Itoa(len(struck)))
	return nil
}
