package api

import (
	"slices"
	"strings"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// members answers /members: members and candidates in handle order, optionally those whose handle
// starts with ?handle= and those with ?status=active|candidate.
func (s *Server) members(q *request) (any, error) {
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	req := &members.QueryMembersRequest{HandlePrefix: strings.ToLower(q.param("handle")), Offset: offset, Limit: limit}
	if !validHandlePrefix(req.HandlePrefix) {
		return nil, badRequest("handle %q is not a handle prefix; use up to %d characters of a-z, 0-9 and -", q.param("handle"), members.MaxHandleLen)
	}
	if st := q.param("status"); st != "" {
		var ok bool
		if req.Status, ok = members.ParseStatus(st); !ok {
			return nil, badRequest("status %q is not one of active, candidate", st)
		}
	}
	resp := q.k.Members.QueryMembers(q.view, req)
	out := listView[memberView]{Total: resp.Total, Offset: offset, Limit: limit, Items: []memberView{}}
	for _, m := range resp.Members {
		out.Items = append(out.Items, q.member(m))
	}
	return out, nil
}

func validHandlePrefix(p string) bool {
	if len(p) > members.MaxHandleLen {
		return false
	}
	for _, r := range p {
		if !((r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-') {
			return false
		}
	}
	return true
}

type claimSummary struct {
	Total          uint64 `json:"total"`
	Pending        uint64 `json:"pending"`
	Verified       uint64 `json:"verified"`
	Rejected       uint64 `json:"rejected"`
	VerifiedUhours uint64 `json:"verified_uhours"`
	VerifiedHours  string `json:"verified_hours"`
}

type memberDetailView struct {
	memberView
	// VouchedFor are the members and candidates this address vouched for, in handle order.
	VouchedFor   []vouchedView `json:"vouched_for"`
	Claims       claimSummary  `json:"claims"`
	Balance      uint64        `json:"balance"`
	BalanceHours string        `json:"balance_hours"`
}

type vouchedView struct {
	ref
	Status string `json:"status"`
}

// member answers /members/{address}: the record with its vouchers, the records it vouched for and
// a summary of its claims.
func (s *Server) member(q *request) (any, error) {
	addr, err := parseAddress("address", q.r.PathValue("address"))
	if err != nil {
		return nil, err
	}
	m, ok := q.k.Members.Member(q.view, addr)
	if !ok {
		return nil, notFoundf("%s is not a member or candidate", addr)
	}
	v := memberDetailView{memberView: q.member(&m), VouchedFor: vouchedFor(q, addr.String()), Claims: claimsOf(q, addr)}
	acc, _ := q.k.Bank.AccountAt(q.view, addr, q.time)
	v.Balance, v.BalanceHours = acc.Balance, core.FormatHours(acc.Balance)
	return v, nil
}

// vouchedFor scans the member records for those addr vouched for. Records are few (people, not
// txs), and the members module keeps no reverse index.
func vouchedFor(q *request, addr string) []vouchedView {
	out := []vouchedView{}
	q.k.Members.IterateMembers(q.view, func(m members.Member) bool {
		if slices.Contains(m.Vouchers, addr) {
			out = append(out, vouchedView{ref{m.Address, m.Handle}, members.StatusName(m.Status)})
		}
		return true
	})
	slices.SortFunc(out, func(a, b vouchedView) int { return strings.Compare(a.Handle, b.Handle) })
	return out
}

// claimsOf counts addr's claims per status (the claims module reads them through its by-claimant
// index).
func claimsOf(q *request, addr core.Address) claimSummary {
	var sum claimSummary
	q.k.Claims.ClaimsOf(q.view, addr, func(c claims.Claim) bool {
		sum.Total++
		switch c.Status {
		case claims.ClaimStatus_CLAIM_STATUS_PENDING:
			sum.Pending++
		case claims.ClaimStatus_CLAIM_STATUS_VERIFIED:
			sum.Verified++
			sum.VerifiedUhours += c.Minted
		case claims.ClaimStatus_CLAIM_STATUS_REJECTED:
			sum.Rejected++
		}
		return true
	})
	sum.VerifiedHours = core.FormatHours(sum.VerifiedUhours)
	return sum
}
