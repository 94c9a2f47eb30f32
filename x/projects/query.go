package projects

import (
	"math"

	"github.com/commonsledger/commons/x/core"
)

// Paging bounds of the list queries.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// QueryProject returns project handle with its account's balance at block time now and its
// contributors of all time (hours and share), walking at most max_distribution_claims claims and
// max_distribution_contributors claimants (beyond, the list is marked truncated).
func (k Keeper) QueryProject(r core.Reader, handle string, now int64) (*ProjectView, bool) {
	pr, ok := k.ByHandle(r, handle)
	if !ok {
		return nil, false
	}
	p := k.Params(r)
	c, limit := k.contributors(r, handle, math.MinInt64, math.MaxInt64, uint64(p.MaxDistributionClaims), uint64(p.MaxDistributionContributors))
	return &ProjectView{Project: &pr, Balance: k.Balance(r, &pr, now), Contributors: c.withPPM(),
		ContributorsTruncated: limit != withinLimits}, true
}

// QueryShares returns the contributors of project handle over [from, to) of verification times
// with their hours and parts per million: the split a distribution of that period would make of
// 1,000,000 (Split), for revenue shared outside the chain. It is bounded as a distribution is and
// refused with the same codes beyond.
func (k Keeper) QueryShares(r core.Reader, handle string, from, to int64) (*QuerySharesResponse, error) {
	if _, ok := k.ByHandle(r, handle); !ok {
		return nil, ErrProjectNotFound.Wrapf("no project %q; see `commonsd query projects`", handle)
	}
	if to <= from {
		return nil, ErrInvalidPeriod.Wrapf("to %d is not after from %d; give a positive period", to, from)
	}
	p := k.Params(r)
	c, limit := k.contributors(r, handle, from, to, uint64(p.MaxDistributionClaims), uint64(p.MaxDistributionContributors))
	switch limit {
	case overClaims:
		return nil, ErrTooManyClaims.Wrapf("the period holds more than %d verified claims of %q; ask for a shorter period", p.MaxDistributionClaims, handle)
	case overContributors:
		return nil, ErrTooManyContributors.Wrapf("the period has more than %d contributors to %q; ask for a shorter period", p.MaxDistributionContributors, handle)
	}
	return &QuerySharesResponse{Project: handle, From: from, To: to, Uhours: c.uhours, Claims: c.claims, Shares: c.withPPM()}, nil
}

// QueryProjects lists projects by id with offset/limit paging; Total counts them all (projects are
// never deleted, so it is the counter).
func (k Keeper) QueryProjects(r core.Reader, req *QueryProjectsRequest) *QueryProjectsResponse {
	resp := &QueryProjectsResponse{Total: k.Counts(r).NextProjectId - 1}
	if req.Offset >= resp.Total {
		return resp
	}
	limit := pageLimit(req.Limit)
	r.Iterate(projectKey(req.Offset+1), core.PrefixEnd(projectPrefix), false, func(_, v []byte) bool {
		var p Project
		core.MustUnmarshal(v, &p)
		resp.Projects = append(resp.Projects, &p)
		return uint64(len(resp.Projects)) < limit
	})
	return resp
}

// QueryDistributions lists the distributions of project handle, newest period first, with
// offset/limit paging; Total is the project's count.
func (k Keeper) QueryDistributions(r core.Reader, handle string, req *QueryDistributionsRequest) (*QueryDistributionsResponse, error) {
	pr, ok := k.ByHandle(r, handle)
	if !ok {
		return nil, ErrProjectNotFound.Wrapf("no project %q; see `commonsd query projects`", handle)
	}
	resp := &QueryDistributionsResponse{Total: pr.Distributions}
	limit := pageLimit(req.Limit)
	k.DistributionsOf(r, pr.Id, true, req.Offset, func(d Distribution) bool {
		resp.Distributions = append(resp.Distributions, &d)
		return uint64(len(resp.Distributions)) < limit
	})
	return resp, nil
}

func pageLimit(limit uint64) uint64 {
	if limit == 0 {
		return DefaultLimit
	}
	return min(limit, MaxLimit)
}
