package claims

import (
	"container/heap"
	"encoding/binary"

	"github.com/commonsledger/commons/x/core"
)

// Paging bounds of QueryClaims.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// QueryClaim returns a claim with its attestations.
func (k Keeper) QueryClaim(r core.Reader, id uint64) (*ClaimWithAttestations, bool) {
	c, ok := k.Claim(r, id)
	if !ok {
		return nil, false
	}
	return &ClaimWithAttestations{Claim: &c, Attestations: k.Attestations(r, id)}, true
}

// QueryClaims lists claims newest first (descending id) matching every filter of req, with
// offset/limit paging; Total counts every match. It never decodes a claim outside the page except
// to test a time filter under a claimant, attestor or status filter, and never walks all claims:
//
//   - no filter: Total from the status counters; when ids are dense (the counters add up to
//     next_id - 1, always so unless a genesis left gaps) the page is read by id directly;
//   - status only: Total from its counter, the page from the status index;
//   - category, with or without status: Total from the category-status counters, the page from the
//     category or category-status index (offset + limit keys);
//   - time (start in [from_time, to_time)), with or without category: Total from the start
//     counters of the range's whole days, hours, minutes and seconds, the page by branch and bound
//     over those buckets (cindex.go); with a status too, the smaller of the status index and the
//     range is walked to count;
//   - otherwise one index drives the walk (awaiting, claimant, attestor, in that order of
//     preference) and each other filter is one point read of its index, so the cost is that of the
//     driving index's entries, which are small keys.
func (k Keeper) QueryClaims(r core.Reader, req *QueryClaimsRequest) (*QueryClaimsResponse, error) {
	f, err := newClaimFilter(req)
	if err != nil {
		return nil, err
	}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	resp := &QueryClaimsResponse{}
	if f.empty() {
		return resp, nil
	}
	page := func(ids []uint64) {
		for _, id := range ids {
			if c, ok := k.Claim(r, id); ok {
				resp.Claims = append(resp.Claims, &c)
			}
		}
	}
	// In id order: collect the page while counting every match.
	var ids []uint64
	visit := func(id uint64) bool {
		if !f.match(k, r, id) {
			return true
		}
		if resp.Total >= req.Offset && uint64(len(ids)) < limit {
			ids = append(ids, id)
		}
		resp.Total++
		return true
	}
	walk := func(prefix []byte) {
		core.IteratePrefix(r, prefix, true, func(key, _ []byte) bool {
			return visit(binary.BigEndian.Uint64(key[len(key)-8:]))
		})
	}
	counts := k.Counts(r)
	switch {
	case f.awaiting != nil:
		walk(awaitingOf(f.awaiting))
	case f.claimant != nil:
		walk(byClaimant(f.claimant))
	case f.attestor != nil:
		walk(byAttestor(f.attestor))
	case req.FromTime != 0 || req.ToTime != 0:
		ids = k.byTime(r, f, counts, req.Offset, limit, &resp.Total)
	case req.Category != "":
		resp.Total = k.CategoryCount(r, req.Category, req.Status)
		prefix := byCategory(req.Category)
		if req.Status != ClaimStatus_CLAIM_STATUS_UNSPECIFIED {
			prefix = byCatStatus(req.Category, req.Status)
		}
		k.walkPage(r, prefix, req.Offset, limit, func(id uint64) { ids = append(ids, id) })
	case req.Status != ClaimStatus_CLAIM_STATUS_UNSPECIFIED:
		resp.Total = *counter(&counts, req.Status)
		k.walkPage(r, byStatus(req.Status), req.Offset, limit, func(id uint64) { ids = append(ids, id) })
	default:
		resp.Total = counts.Pending + counts.Verified + counts.Rejected + counts.Reversed
		if resp.Total == counts.NextId-1 { // ids are exactly 1 … next_id-1
			for id := resp.Total - min(req.Offset, resp.Total); id >= 1 && uint64(len(ids)) < limit; id-- {
				ids = append(ids, id)
			}
		} else {
			k.walkPage(r, claimPrefix, req.Offset, limit, func(id uint64) { ids = append(ids, id) })
		}
	}
	page(ids)
	return resp, nil
}

// walkPage calls fn for the ids of the page [offset, offset+limit) of an index whose keys end with
// the id, newest first. It visits offset + limit entries at most.
func (Keeper) walkPage(r core.Reader, prefix []byte, offset, limit uint64, fn func(uint64)) {
	var skipped, taken uint64
	core.IteratePrefix(r, prefix, true, func(key, _ []byte) bool {
		if skipped < offset {
			skipped++
			return true
		}
		fn(binary.BigEndian.Uint64(key[len(key)-8:]))
		taken++
		return taken < limit
	})
}

// byTime answers a time filter (start in [from_time, to_time)) with or without category and status
// (no claimant, attestor or awaiting filter): it counts the matches into total and returns the ids
// of the page in descending id order. Without a status both come from the category and time
// indexes (cindex.go): the total from the start counters of the range's buckets, the page from
// topIDs. With a status, which those indexes do not hold, it walks whichever is smaller, the
// claims of that status (and category) or the claims in the range, to count.
func (k Keeper) byTime(r core.Reader, f *claimFilter, counts ClaimCounts, offset, limit uint64, total *uint64) []uint64 {
	q := f.req
	lo, hi, ok := startRange(q)
	if !ok {
		return nil
	}
	nodes := startNodes(r, nil, dayLevel, lo, hi, q.Category)
	var inRange uint64
	for _, nd := range nodes {
		inRange += nd.n
	}
	keep := offset + limit
	page := func(ids []uint64) []uint64 {
		if offset >= uint64(len(ids)) {
			return nil
		}
		return ids[offset:]
	}
	if q.Status == ClaimStatus_CLAIM_STATUS_UNSPECIFIED {
		*total = inRange
		if offset >= inRange {
			return nil
		}
		return page(topIDs(r, nodes, keep))
	}
	status, withStatus := byStatus(q.Status), *counter(&counts, q.Status)
	if q.Category != "" {
		status, withStatus = byCatStatus(q.Category, q.Status), catCount(r, q.Category, q.Status)
	}
	if withStatus <= inRange {
		var ids []uint64
		core.IteratePrefix(r, status, true, func(key, _ []byte) bool {
			id := binary.BigEndian.Uint64(key[len(key)-8:])
			var c Claim
			if !core.Load(r, claimKey(id), &c) || c.Start < lo || c.Start >= hi {
				return true
			}
			if *total >= offset && uint64(len(ids)) < limit {
				ids = append(ids, id)
			}
			*total++
			return true
		})
		return ids
	}
	has := func(id uint64) bool { _, ok := r.Get(core.Key(status, core.Uint64Key(id))); return ok }
	ids, n := scanStarts(r, lo, hi, q.Category, keep, has)
	*total = n
	return page(ids)
}

// idHeap is a min-heap of claim ids.
type idHeap []uint64

func (h idHeap) Len() int           { return len(h) }
func (h idHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h idHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *idHeap) Push(x any)        { *h = append(*h, x.(uint64)) }

// offer keeps id if it is among the keep largest offered so far.
func (h *idHeap) offer(id, keep uint64) {
	if uint64(h.Len()) < keep {
		heap.Push(h, id)
	} else if h.Len() > 0 && id > (*h)[0] {
		(*h)[0] = id
		heap.Fix(h, 0)
	}
}

func (h *idHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type claimFilter struct {
	req                          *QueryClaimsRequest
	claimant, attestor, awaiting core.Address
}

func newClaimFilter(req *QueryClaimsRequest) (*claimFilter, error) {
	f := &claimFilter{req: req}
	var err error
	if req.Claimant != "" {
		if f.claimant, err = core.ParseAddress(req.Claimant); err != nil {
			return nil, err
		}
	}
	if req.Attestor != "" {
		if f.attestor, err = core.ParseAddress(req.Attestor); err != nil {
			return nil, err
		}
	}
	if req.Awaiting != "" {
		if f.awaiting, err = core.ParseAddress(req.Awaiting); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// empty reports filters that no claim can match (an impossible category or time range).
func (f *claimFilter) empty() bool {
	q := f.req
	return (q.Category != "" && !ValidCategory(q.Category)) ||
		(q.FromTime != 0 && q.ToTime != 0 && q.FromTime >= q.ToTime)
}

// match tests claim id against every filter with point reads of the indexes; the time filter, when
// the (start, id) index is not the one being walked, reads the claim's body.
func (f *claimFilter) match(k Keeper, r core.Reader, id uint64) bool {
	q := f.req
	has := func(key []byte) bool { _, ok := r.Get(key); return ok }
	idKey := core.Uint64Key(id)
	switch {
	case f.claimant != nil && !has(core.Key(byClaimant(f.claimant), idKey)):
		return false
	case f.attestor != nil && !has(attestationKey(id, f.attestor)):
		return false
	case f.awaiting != nil && !has(awaitingKey(f.awaiting, id)):
		return false
	case q.Category != "" && !has(core.Key(byCategory(q.Category), idKey)):
		return false
	case q.Status != ClaimStatus_CLAIM_STATUS_UNSPECIFIED && !has(core.Key(byStatus(q.Status), idKey)):
		return false
	}
	if (q.FromTime != 0 || q.ToTime != 0) && (f.claimant != nil || f.attestor != nil || f.awaiting != nil) {
		var c Claim
		if !core.Load(r, claimKey(id), &c) {
			return false
		}
		if (q.FromTime != 0 && c.Start < q.FromTime) || (q.ToTime != 0 && c.Start >= q.ToTime) {
			return false
		}
	}
	return true
}

// QueryStats returns the verified totals of every configured category (in params order, zeros
// included), then of any other category with verified claims, and the claim counts per status.
func (k Keeper) QueryStats(r core.Reader) *QueryClaimStatsResponse {
	counts := k.Counts(r)
	resp := &QueryClaimStatsResponse{Pending: counts.Pending, Verified: counts.Verified, Rejected: counts.Rejected,
		Reversed: counts.Reversed, ReversedUhours: counts.ReversedUhours}
	p := k.Params(r)
	for _, cat := range p.Categories {
		s := k.CategoryStat(r, cat)
		resp.Categories = append(resp.Categories, &s)
	}
	core.IteratePrefix(r, categoryPrefix, false, func(_, v []byte) bool {
		var s CategoryStat
		core.MustUnmarshal(v, &s)
		if !p.hasCategory(s.Category) {
			resp.Categories = append(resp.Categories, &s)
		}
		return true
	})
	return resp
}
