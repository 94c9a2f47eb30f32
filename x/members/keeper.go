package members

import (
	"github.com/commonsledger/commons/x/core"
)

// Accounts is what members needs from the bank: creating an empty account for a vouched candidate
// so that it can sign txs once admitted.
type Accounts interface {
	EnsureAccount(ctx *core.Context, addr core.Address)
}

// Keeper is the members state API. It holds no state itself; all state is in the KV it is given.
type Keeper struct {
	accounts Accounts
}

// NewKeeper returns a Keeper that creates candidates' accounts through accounts.
func NewKeeper(accounts Accounts) Keeper { return Keeper{accounts: accounts} }

// SetParams validates p and stores it (a passed params proposal).
func (Keeper) SetParams(kv core.KV, p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	kv.Set(paramsKey, core.MustMarshal(&p))
	return nil
}

// Params returns the module parameters.
func (Keeper) Params(r core.Reader) Params {
	var p Params
	core.Load(r, paramsKey, &p)
	return p
}

// Counts returns the running member totals.
func (Keeper) Counts(r core.Reader) MemberCounts {
	var c MemberCounts
	core.Load(r, countsKey, &c)
	return c
}

func (Keeper) setCounts(kv core.KV, c MemberCounts) { kv.Set(countsKey, core.MustMarshal(&c)) }

// Member returns the record of addr (member or candidate).
func (Keeper) Member(r core.Reader, addr core.Address) (Member, bool) {
	var m Member
	ok := core.Load(r, memberKey(addr), &m)
	return m, ok
}

// ActiveCount is how many members are ACTIVE (past probation, not suspended): governance's
// electorate.
func (k Keeper) ActiveCount(r core.Reader) uint64 { return k.Counts(r).Active }

// IsActive reports whether addr is an active member: the gate for vouching, claiming and attesting.
func (k Keeper) IsActive(r core.Reader, addr core.Address) bool {
	m, ok := k.Member(r, addr)
	return ok && m.Status == MemberStatus_MEMBER_STATUS_ACTIVE
}

// ByHandle returns the record owning handle.
func (k Keeper) ByHandle(r core.Reader, handle string) (Member, bool) {
	if len(handle) > MaxHandleLen {
		return Member{}, false
	}
	addr, ok := r.Get(handleKey(handle))
	if !ok {
		return Member{}, false
	}
	return k.Member(r, core.Address(addr))
}

func (Keeper) setMember(kv core.KV, addr core.Address, m *Member) {
	kv.Set(memberKey(addr), core.MustMarshal(m))
}

// VouchedFor calls fn with each member or candidate that voucher vouched for, in address order
// (a key range of the vouch index), until fn returns false.
func (k Keeper) VouchedFor(r core.Reader, voucher core.Address, fn func(Member) bool) {
	prefix := core.Key(vouchedPrefix, core.LenPrefixed(voucher))
	core.IteratePrefix(r, prefix, false, func(key, _ []byte) bool {
		rest := key[len(prefix):] // lp(candidate)
		if len(rest) == 0 || int(rest[0]) != len(rest)-1 {
			panic("members: malformed vouch index key")
		}
		m, found := k.Member(r, core.Address(rest[1:]))
		if !found {
			panic("members: vouch index points at a missing member")
		}
		return fn(m)
	})
}

// IterateMembers calls fn for every record (members and candidates) in alphabetical handle order
// (the handle index).
func (k Keeper) IterateMembers(r core.Reader, fn func(Member) bool) {
	core.IteratePrefix(r, handlePrefix, false, func(_, addr []byte) bool {
		m, ok := k.Member(r, core.Address(addr))
		if !ok {
			panic("members: handle index points at a missing member")
		}
		return fn(m)
	})
}
