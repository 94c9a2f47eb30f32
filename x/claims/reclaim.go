package claims

import (
	"strconv"
	"strings"

	"github.com/commonsledger/commons/x/core"
)

// Reclaims (design §8, "a rejected interval may be claimed again only max_reclaims times").
//
// REJECTED intervals are kept in max_reclaims + 1 levels per member, (claimant, level, start) →
// (id, end), and the intervals on one level never overlap each other. A new claim takes the lowest
// level on which it overlaps no rejected interval, found with one single-item reverse seek per
// level (the same argument as checkOverlap); it is refused with ErrReclaimLimit when every level has
// a rejected interval overlapping it. The claim records its level, and if it is REJECTED its
// interval joins that level, which is still free there: only a claim overlapping it could have
// been rejected into that level since, and no such claim could be live at the same time.
//
// What this guarantees, for every instant t of a member's time:
//   - t is covered by at most max_reclaims + 1 REJECTED claims (one per level), and a claim is
//     accepted only onto a free level, so t is claimed at most max_reclaims + 1 times in all (the
//     first claim and max_reclaims re-claims; the last may be PENDING or VERIFIED); with
//     max_reclaims = 0, time that was claimed and rejected can never be claimed again;
//   - a claim none of whose time was ever claimed and rejected is never refused by this rule (level
//     0 is free for it), and an interval all of whose instants lie in the same k <= max_reclaims
//     rejected claims, and in no other, can always be claimed again (it meets only k levels).
//
// The rule is conservative for a claim that spans several rejected claims on different levels: it
// can be refused although no single instant of it was rejected max_reclaims + 1 times (it overlaps
// some rejected interval on every level, at different instants). The error then names the rejected
// claims it meets, and splitting the claim at their boundaries makes each part acceptable whenever
// the per-instant count allows it. In exchange, a submission costs max_reclaims + 1 seeks, whatever
// the number of claims, and the index holds one entry per REJECTED claim.

// reclaimLevel returns the lowest reclaim level free for [start, end), or ErrReclaimLimit.
func (k Keeper) reclaimLevel(r core.Reader, p Params, lookback int64, claimant core.Address, start, end int64) (uint32, error) {
	type blocker struct {
		start int64
		ref   IntervalRef
	}
	var blockers []blocker
	for level := uint32(0); level <= p.MaxReclaims; level++ {
		from, ref, ok := lastBefore(r, rejectedKey(claimant, level, satSub(start, lookback)), rejectedKey(claimant, level, end))
		if !ok || !overlaps(from, ref.End, start, end) {
			return level, nil
		}
		blockers = append(blockers, blocker{from, ref})
	}
	// Every level is taken somewhere in [start, end). If the blockers share an instant, that time
	// really was rejected max_reclaims + 1 times; say so, else name them so the user can split.
	lo, hi := start, end
	var names []string
	for _, b := range blockers {
		lo, hi = max(lo, b.start), min(hi, b.ref.End)
		names = append(names, strconv.FormatUint(b.ref.ClaimId, 10)+" ("+core.FormatInterval(b.start, b.ref.End)+")")
	}
	times := strconv.Itoa(len(blockers)) + " times"
	if len(blockers) == 1 {
		times = "once"
	}
	if lo < hi {
		return 0, ErrReclaimLimit.Wrapf("time %s was already claimed and rejected %s (claims %s); it cannot be claimed again",
			core.FormatInterval(lo, hi), times, strings.Join(names, ", "))
	}
	return 0, ErrReclaimLimit.Wrapf("the claim overlaps rejected claims %s, and time may be claimed and rejected at most %s; "+
		"claim the time between those claims separately", strings.Join(names, ", "), times)
}

// indexRejected adds a REJECTED claim's interval to its reclaim level.
func (Keeper) indexRejected(kv core.KV, claimant core.Address, c *Claim) {
	kv.Set(rejectedKey(claimant, c.ReclaimLevel, c.Start), core.MustMarshal(&IntervalRef{ClaimId: c.Id, End: c.End}))
}
