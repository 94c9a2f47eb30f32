package members

import (
	"bytes"
	"slices"

	"github.com/commonsledger/commons/x/core"
)

// ActiveMembers calls fn with the address of every ACTIVE member, in alphabetical handle order,
// until fn returns false. It reads only the active part of the (status, handle) index: no member
// record and no entry of another status. This order is the deterministic candidate list a draw
// (core.Draw) indexes into; the caller applies its own eligibility rules (probation, suspension)
// and exclusions (Exclude).
func (Keeper) ActiveMembers(r core.Reader, fn func(core.Address) bool) {
	core.IteratePrefix(r, core.Key(byStatusPrefix, []byte{byte(MemberStatus_MEMBER_STATUS_ACTIVE)}), false,
		func(_, addr []byte) bool { return fn(core.Address(bytes.Clone(addr))) })
}

// ActiveAddresses is ActiveMembers collected into a list.
func (k Keeper) ActiveAddresses(r core.Reader) []core.Address {
	var out []core.Address
	k.ActiveMembers(r, func(a core.Address) bool { out = append(out, a); return true })
	return out
}

// Exclude returns the addresses of list not in excluded, in list's order (a new slice; list is not
// changed). Excluded addresses may repeat or be absent from list. It uses a sorted copy of excluded
// and binary search, not a map, so it is deterministic and O((n + m) log m).
func Exclude(list []core.Address, excluded ...core.Address) []core.Address {
	ex := slices.Clone(excluded)
	slices.SortFunc(ex, func(a, b core.Address) int { return bytes.Compare(a, b) })
	out := make([]core.Address, 0, len(list))
	for _, a := range list {
		if _, found := slices.BinarySearchFunc(ex, a, func(e, t core.Address) int { return bytes.Compare(e, t) }); !found {
			out = append(out, a)
		}
	}
	return out
}

// Vouchers returns the addresses of the members who vouched for addr, in the order their vouches
// landed (none for a founder or an unknown address). Draws exclude them from judging addr's work.
func (k Keeper) Vouchers(r core.Reader, addr core.Address) []core.Address {
	m, ok := k.Member(r, addr)
	if !ok {
		return nil
	}
	out := make([]core.Address, 0, len(m.Vouchers))
	for _, v := range m.Vouchers {
		if a, err := core.ParseAddress(v); err == nil {
			out = append(out, a)
		}
	}
	return out
}
