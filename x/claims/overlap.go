package claims

import (
	"math"
	"sort"
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// The overlap rule: two intervals [aStart, aEnd) and [bStart, bEnd) overlap when they share an
// instant; adjacent intervals ([9:00,10:00) and [10:00,11:00)) do not. A claimant's PENDING and
// VERIFIED claims never overlap each other, and the REJECTED claims on one reclaim level never
// overlap each other nor a PENDING claim of that level (see reclaim.go). This file holds the rule
// and its three users' entry points, so the handler (checkOverlap, reclaimLevel), genesis
// validation and the invariants apply the same rule:
//
//   - overlaps is the rule itself;
//   - checkOverlap and lastBefore apply it to the indexes with one seek (the handler);
//   - firstOverlap and firstLevelConflict apply it to a list of claims (genesis and invariants).

// overlaps reports whether [aStart, aEnd) and [bStart, bEnd) share an instant.
func overlaps(aStart, aEnd, bStart, bEnd int64) bool { return aStart < bEnd && bStart < aEnd }

// live reports whether a claim holds its time: PENDING, VERIFIED, or REVERSED (time found to be
// falsely claimed cannot be claimed again).
func live(c *Claim) bool {
	return c.Status == ClaimStatus_CLAIM_STATUS_PENDING || Minted(c.Status)
}

// firstOverlap returns two live claims of one claimant that overlap, if any. It sorts the live
// claims by (claimant, start) and checks neighbours, which finds any overlap.
func firstOverlap(claims []*Claim) (a, b *Claim, found bool) {
	var xs []*Claim
	for _, c := range claims {
		if live(c) {
			xs = append(xs, c)
		}
	}
	sort.Slice(xs, func(i, j int) bool {
		if xs[i].Claimant != xs[j].Claimant {
			return xs[i].Claimant < xs[j].Claimant
		}
		return xs[i].Start < xs[j].Start
	})
	for i := 1; i < len(xs); i++ {
		a, b := xs[i-1], xs[i]
		if a.Claimant == b.Claimant && overlaps(a.Start, a.End, b.Start, b.End) {
			return a, b, true
		}
	}
	return nil, nil, false
}

// firstLevelConflict checks the reclaim levels: on each (claimant, level), the REJECTED claims do
// not overlap each other, and no PENDING claim overlaps a REJECTED one (it would join that level if
// rejected). It returns a claim c and the REJECTED claim it overlaps on its level, if any. Sorting
// by (claimant, level, start) with rejected before pending at equal keys and checking each interval
// against the latest-ending rejected one before it finds any such overlap.
func firstLevelConflict(claims []*Claim) (c, rejected *Claim, found bool) {
	var xs []*Claim
	for _, c := range claims {
		if c.Status == ClaimStatus_CLAIM_STATUS_REJECTED || c.Status == ClaimStatus_CLAIM_STATUS_PENDING {
			xs = append(xs, c)
		}
	}
	sort.Slice(xs, func(i, j int) bool {
		a, b := xs[i], xs[j]
		if a.Claimant != b.Claimant {
			return a.Claimant < b.Claimant
		}
		if a.ReclaimLevel != b.ReclaimLevel {
			return a.ReclaimLevel < b.ReclaimLevel
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Status > b.Status // REJECTED (3) before PENDING (1)
	})
	var last *Claim // the latest-ending REJECTED claim so far on the current (claimant, level)
	for _, c := range xs {
		if last != nil && (last.Claimant != c.Claimant || last.ReclaimLevel != c.ReclaimLevel) {
			last = nil
		}
		if last != nil && overlaps(last.Start, last.End, c.Start, c.End) {
			return c, last, true
		}
		if c.Status == ClaimStatus_CLAIM_STATUS_REJECTED && (last == nil || c.End > last.End) {
			last = c
		}
	}
	return nil, nil, false
}

// overlapError reads "claim overlaps claim 12 (2026-11-20 09:00–11:00 UTC); …" and matches
// ErrClaimOverlaps under errors.Is/As.
type overlapError struct{ msg string }

func (e *overlapError) Error() string { return e.msg }
func (e *overlapError) Unwrap() error { return ErrClaimOverlaps }

// checkOverlap finds a PENDING or VERIFIED claim of claimant that overlaps [start, end) with one
// single-item reverse seek. A member's live intervals never overlap each other, so they are ordered
// by start and by end alike: the one starting last before end has the latest end of all those
// starting before end, and [start, end) overlaps some live claim iff it overlaps that one. The seek
// is bounded below by start - lookback (lookback: the longest claim ever stored, at least
// max_claim_duration), since an overlapping claim starts after start - its length; the bound keeps
// a reverse iteration over an overlay holding many of the member's intervals from visiting them
// all.
func (k Keeper) checkOverlap(r core.Reader, lookback int64, claimant core.Address, start, end int64) error {
	from, ref, ok := lastBefore(r, intervalKey(claimant, satSub(start, lookback)), intervalKey(claimant, end))
	if !ok || !overlaps(from, ref.End, start, end) {
		return nil
	}
	return &overlapError{msg: "claim overlaps claim " + strconv.FormatUint(ref.ClaimId, 10) +
		" (" + core.FormatInterval(from, ref.End) + "); claim only time not already claimed"}
}

// lastBefore returns the start and value of the last interval-index entry in [lo, hi), whose keys
// end with an Int64Key start. It asks the reader for one item.
func lastBefore(r core.Reader, lo, hi []byte) (start int64, ref IntervalRef, ok bool) {
	r.Iterate(lo, hi, true, func(key, v []byte) bool {
		core.MustUnmarshal(v, &ref)
		start, ok = core.DecodeInt64Key(key[len(key)-8:]), true
		return false
	})
	return start, ref, ok
}

// satSub is a - b clamped at the smallest int64 (b >= 0).
func satSub(a, b int64) int64 {
	if a < math.MinInt64+b {
		return math.MinInt64
	}
	return a - b
}
