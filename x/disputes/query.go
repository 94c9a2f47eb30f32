package disputes

import (
	"encoding/binary"

	"github.com/commonsledger/commons/x/core"
)

// Paging bounds of QueryDisputes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// QueryDispute returns a dispute with its jury votes.
func (k Keeper) QueryDispute(r core.Reader, id uint64) (*DisputeWithVotes, bool) {
	d, ok := k.Dispute(r, id)
	if !ok {
		return nil, false
	}
	return &DisputeWithVotes{Dispute: &d, Votes: k.Votes(r, id)}, true
}

// QueryDisputes lists disputes newest first matching every filter, with offset/limit paging; Total
// counts every match. One index drives the walk (juror, claim, status, in that order of
// preference; all disputes by id without a filter) and each other filter is a point read of its
// index. Status only and no filter take Total from the counters.
func (k Keeper) QueryDisputes(r core.Reader, req *QueryDisputesRequest) (*QueryDisputesResponse, error) {
	var juror core.Address
	if req.Juror != "" {
		var err error
		if juror, err = core.ParseAddress(req.Juror); err != nil {
			return nil, err
		}
	}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	resp := &QueryDisputesResponse{}
	has := func(key []byte) bool { _, ok := r.Get(key); return ok }
	match := func(id uint64) bool {
		idKey := core.Uint64Key(id)
		switch {
		case juror != nil && !has(core.Key(byJuror(juror), idKey)):
			return false
		case req.ClaimId != 0 && !has(core.Key(byClaim(req.ClaimId), idKey)):
			return false
		case req.Status != DisputeStatus_DISPUTE_STATUS_UNSPECIFIED && !has(core.Key(byStatus(req.Status), idKey)):
			return false
		}
		return true
	}
	var ids []uint64
	walk := func(prefix []byte, counted bool) {
		var seen uint64
		core.IteratePrefix(r, prefix, true, func(key, _ []byte) bool {
			id := binary.BigEndian.Uint64(key[len(key)-8:])
			if !counted && !match(id) {
				return true
			}
			if seen >= req.Offset && uint64(len(ids)) < limit {
				ids = append(ids, id)
			}
			seen++
			if counted {
				return uint64(len(ids)) < limit
			}
			resp.Total = seen
			return true
		})
	}
	counts := k.Counts(r)
	switch {
	case juror != nil:
		walk(byJuror(juror), false)
	case req.ClaimId != 0:
		walk(byClaim(req.ClaimId), false)
	case req.Status != DisputeStatus_DISPUTE_STATUS_UNSPECIFIED:
		resp.Total = *counter(&counts, req.Status)
		walk(byStatus(req.Status), true)
	default:
		resp.Total = counts.Open + counts.Voting + counts.Upheld + counts.Dismissed
		walk(disputePrefix, true)
	}
	for _, id := range ids {
		if d, ok := k.Dispute(r, id); ok {
			resp.Disputes = append(resp.Disputes, &d)
		}
	}
	return resp, nil
}
