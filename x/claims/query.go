package claims

import (
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
// offset/limit paging; Total counts every match. It walks the narrowest index the filters allow:
// claimant, then attestor, then status, else all claims.
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
	visit := func(c Claim) {
		if !f.match(r, &c) {
			return
		}
		if resp.Total >= req.Offset && uint64(len(resp.Claims)) < limit {
			resp.Claims = append(resp.Claims, &c)
		}
		resp.Total++
	}
	if idx := f.index(); idx != nil {
		core.IteratePrefix(r, idx, true, func(key, _ []byte) bool {
			c, ok := k.Claim(r, binary.BigEndian.Uint64(key[len(key)-8:]))
			if ok {
				visit(c)
			}
			return true
		})
		return resp, nil
	}
	core.IteratePrefix(r, ClaimPrefix, true, func(_, v []byte) bool {
		var c Claim
		core.MustUnmarshal(v, &c)
		visit(c)
		return true
	})
	return resp, nil
}

type claimFilter struct {
	req                *QueryClaimsRequest
	claimant, attestor core.Address
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
	return f, nil
}

// index is the key prefix of the narrowest index for the filters, or nil for a full scan.
func (f *claimFilter) index() []byte {
	switch {
	case f.claimant != nil:
		return byClaimant(f.claimant)
	case f.attestor != nil:
		return byAttestor(f.attestor)
	case f.req.Status != ClaimStatus_CLAIM_STATUS_UNSPECIFIED:
		return byStatus(f.req.Status)
	}
	return nil
}

func (f *claimFilter) match(r core.Reader, c *Claim) bool {
	q := f.req
	switch {
	case f.claimant != nil && c.Claimant != f.claimant.String():
		return false
	case q.Status != ClaimStatus_CLAIM_STATUS_UNSPECIFIED && c.Status != q.Status:
		return false
	case q.Category != "" && c.Category != q.Category:
		return false
	case q.FromTime != 0 && c.Start < q.FromTime:
		return false
	case q.ToTime != 0 && c.Start >= q.ToTime:
		return false
	}
	if f.attestor != nil {
		if _, ok := r.Get(AttestationKey(c.Id, f.attestor)); !ok {
			return false
		}
	}
	return true
}

// QueryStats returns the verified totals of every configured category (in params order, zeros
// included), then of any other category with verified claims, and the claim counts per status.
func (k Keeper) QueryStats(r core.Reader) *QueryClaimStatsResponse {
	counts := k.Counts(r)
	resp := &QueryClaimStatsResponse{Pending: counts.Pending, Verified: counts.Verified, Rejected: counts.Rejected}
	p := k.Params(r)
	for _, cat := range p.Categories {
		s := k.CategoryStat(r, cat)
		resp.Categories = append(resp.Categories, &s)
	}
	core.IteratePrefix(r, CategoryPrefix, false, func(_, v []byte) bool {
		var s CategoryStat
		core.MustUnmarshal(v, &s)
		if !p.hasCategory(s.Category) {
			resp.Categories = append(resp.Categories, &s)
		}
		return true
	})
	return resp
}
