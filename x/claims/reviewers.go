package claims

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"

	"github.com/commonsledger/commons/x/core"
)

// reviewDomain separates reviewer draws from every other use of a block hash.
const reviewDomain = "claims/reviewers"

// drawReviewers draws the reviewers of the claims submitted in earlier blocks (queue order:
// submitted height, id), at most MaxClaimsPerBlock per block, which is what one block can submit.
// Candidates are the ACTIVE members (probation and suspension leave them out) minus the claimant
// and the claimant's vouchers. To keep each draw O(reviewers²) whatever the membership, it draws
// reviewers + |excluded| members of the whole active list without replacement and keeps the first
// reviewers of them that are not excluded: a uniform draw among the eligible.
func (k Keeper) drawReviewers(ctx *core.Context, p Params) {
	if len(ctx.BlockHash) == 0 {
		return
	}
	var ids []uint64
	var keys [][]byte
	ctx.KV.Iterate(reviewQueuePrefix, core.Key(reviewQueuePrefix, core.Uint64Key(uint64(max(ctx.Height, 0)))), false, func(key, _ []byte) bool {
		ids = append(ids, binary.BigEndian.Uint64(key[len(key)-8:]))
		keys = append(keys, bytes.Clone(key))
		return len(ids) < MaxClaimsPerBlock
	})
	if len(ids) == 0 {
		return
	}
	active := k.members.ActiveAddresses(ctx.KV)
	for i, id := range ids {
		ctx.KV.Delete(keys[i])
		c, ok := k.Claim(ctx.KV, id)
		if !ok || c.Status != ClaimStatus_CLAIM_STATUS_PENDING {
			continue // finalised before its draw (a window shorter than a block): nothing to review
		}
		claimant, _ := core.ParseAddress(c.Claimant)
		excluded := append(k.members.Vouchers(ctx.KV, claimant), claimant)
		slices.SortFunc(excluded, func(a, b core.Address) int { return bytes.Compare(a, b) })
		want := min(int(p.Reviewers), len(active))
		idx, err := core.Draw(ctx.BlockHash, reviewDomain, id, len(active), min(len(active), want+len(excluded)))
		if err != nil {
			continue
		}
		c.Reviewers = c.Reviewers[:0]
		for _, j := range idx {
			a := active[j]
			if _, ex := slices.BinarySearchFunc(excluded, a, func(e, t core.Address) int { return bytes.Compare(e, t) }); ex || len(c.Reviewers) == want {
				continue
			}
			c.Reviewers = append(c.Reviewers, a.String())
			// A reviewer may have attested before the draw: that verdict counts.
			var at Attestation
			if core.Load(ctx.KV, attestationKey(id, a), &at) {
				if at.Verdict == Verdict_VERDICT_APPROVE {
					c.ReviewerApprovals++
				}
			} else {
				ctx.KV.Set(awaitingKey(a, id), present)
			}
		}
		c.ReviewersDrawn = true
		k.setTally(ctx.KV, &c)
		ctx.Emit("reviewers_drawn", "claim_id", strconv.FormatUint(id, 10), "claimant", c.Claimant,
			"reviewers", strings.Join(c.Reviewers, ","))
	}
}

// isReviewer reports whether addr is one of c's drawn reviewers.
func isReviewer(c *Claim, addr string) bool { return slices.Contains(c.Reviewers, addr) }

// reviewersNeeded is how many reviewer approvals c needs: min_reviewer_approvals, or as many
// reviewers as were drawn when fewer were eligible.
func reviewersNeeded(p Params, c *Claim) uint32 {
	if p.Reviewers == 0 {
		return 0
	}
	return min(p.MinReviewerApprovals, uint32(len(c.Reviewers)))
}

// clearAwaiting removes c's remaining entries from the reviewers' awaiting index (at finalisation).
func clearAwaiting(kv core.KV, c *Claim) {
	for _, r := range c.Reviewers {
		if a, err := core.ParseAddress(r); err == nil {
			kv.Delete(awaitingKey(a, c.Id))
		}
	}
}

// Awaiting calls fn with the id of every PENDING claim for which reviewer was drawn and has not
// attested yet, in id order.
func (Keeper) Awaiting(r core.Reader, reviewer core.Address, fn func(id uint64) bool) {
	core.IteratePrefix(r, awaitingOf(reviewer), false, func(key, _ []byte) bool {
		return fn(binary.BigEndian.Uint64(key[len(key)-8:]))
	})
}
