package members

import (
	"sort"
	"strings"

	"github.com/commonsledger/commons/x/core"
)

// Paging bounds shared by list queries.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// QueryMembers lists members and candidates in alphabetical handle order, filtered by handle prefix
// and status, with offset/limit paging. Total counts every match.
func (k Keeper) QueryMembers(r core.Reader, req *QueryMembersRequest) *QueryMembersResponse {
	var all []Member
	k.IterateMembers(r, func(m Member) bool {
		if req.Status != MemberStatus_MEMBER_STATUS_UNSPECIFIED && m.Status != req.Status {
			return true
		}
		if !strings.HasPrefix(m.Handle, strings.ToLower(req.HandlePrefix)) {
			return true
		}
		all = append(all, m)
		return true
	})
	// The index is ordered by (length, handle); a query sorts alphabetically. Handles are unique.
	sort.Slice(all, func(i, j int) bool { return all[i].Handle < all[j].Handle })
	resp := &QueryMembersResponse{Total: uint64(len(all))}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	for i := req.Offset; i < uint64(len(all)) && uint64(len(resp.Members)) < limit; i++ {
		resp.Members = append(resp.Members, &all[i])
	}
	return resp
}

// QueryMember answers one address.
func (k Keeper) QueryMember(r core.Reader, addr core.Address) *QueryMemberResponse {
	m, ok := k.Member(r, addr)
	if !ok {
		return &QueryMemberResponse{Member: &Member{Address: addr.String()}}
	}
	return &QueryMemberResponse{Member: &m, Exists: true}
}
