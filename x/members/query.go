package members

import (
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
//
// It reads an index in the order it returns (handleKey, or byStatusKey when filtered by status), a
// handle prefix being a key range: member records are read only for the page. Index entries
// (20-byte addresses) are read for the skipped offset and the page; without a handle prefix the
// total comes from the member counters, with one it is the number of entries in the prefix's range.
func (k Keeper) QueryMembers(r core.Reader, req *QueryMembersRequest) *QueryMembersResponse {
	limit := req.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	prefix := strings.ToLower(req.HandlePrefix)
	resp := &QueryMembersResponse{}
	var index []byte
	counted := prefix == ""
	c := k.Counts(r)
	switch {
	case req.Status == MemberStatus_MEMBER_STATUS_UNSPECIFIED:
		index = handlePrefix
		resp.Total = c.Active + c.Candidates + c.Suspended + c.Probation
	case MemberStatus_name[int32(req.Status)] != "":
		index = core.Key(byStatusPrefix, []byte{byte(req.Status)})
		resp.Total = *statusCounter(&c, req.Status)
	default:
		return resp // no record has another status
	}
	if len(prefix) > MaxHandleLen || strings.IndexByte(prefix, 0) >= 0 || counted && req.Offset >= resp.Total {
		if !counted {
			resp.Total = 0
		}
		return resp
	}
	start := core.Key(index, []byte(prefix))
	var n uint64
	r.Iterate(start, core.PrefixEnd(start), false, func(_, addr []byte) bool {
		n++
		if n <= req.Offset {
			return true
		}
		if uint64(len(resp.Members)) == limit {
			return !counted // page full: go on only to count the prefix's matches
		}
		m, ok := k.Member(r, core.Address(addr))
		if !ok {
			panic("members: handle index points at a missing member")
		}
		resp.Members = append(resp.Members, &m)
		return true
	})
	if !counted {
		resp.Total = n
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
