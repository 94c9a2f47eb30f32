package members

import (
	"github.com/commonsledger/commons/x/core"
)

// DefaultGenesis has default params and no members. A network lists its founders in genesis.
func DefaultGenesis() *GenesisState {
	p := DefaultParams()
	return &GenesisState{Params: &p}
}

// Validate checks a genesis state. A member with status UNSPECIFIED is a founding member and starts
// ACTIVE; exported state also carries CANDIDATE and SUSPENDED records, and unexpired strikes.
func (g *GenesisState) Validate() error {
	if g.Params == nil {
		return ErrInvalidGenesis.Wrapf("params missing")
	}
	if err := g.Params.Validate(); err != nil {
		return ErrInvalidGenesis.Wrapf("%v", err)
	}
	addrs, handles := map[string]bool{}, map[string]bool{}
	for i, m := range g.Members {
		if m == nil {
			return ErrInvalidGenesis.Wrapf("member %d is empty", i)
		}
		addr, err := core.ParseAddress(m.Address)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("member %d: %v", i, err)
		}
		if addrs[string(addr)] {
			return ErrInvalidGenesis.Wrapf("member %s listed twice", m.Address)
		}
		addrs[string(addr)] = true
		if err := ValidateHandle(m.Handle); err != nil {
			return ErrInvalidGenesis.Wrapf("member %s: %v", m.Address, err)
		}
		if handles[m.Handle] {
			return ErrInvalidGenesis.Wrapf("handle %q used twice", m.Handle)
		}
		handles[m.Handle] = true
		if m.Status == MemberStatus_MEMBER_STATUS_CANDIDATE && uint64(len(m.Vouchers)) >= uint64(g.Params.VouchesToJoin) {
			return ErrInvalidGenesis.Wrapf("candidate %s has %d vouches, enough to be active", m.Address, len(m.Vouchers))
		}
		for _, v := range m.Vouchers {
			if _, err := core.ParseAddress(v); err != nil {
				return ErrInvalidGenesis.Wrapf("member %s voucher: %v", m.Address, err)
			}
		}
		if m.Status == MemberStatus_MEMBER_STATUS_SUSPENDED && m.SuspendedUntil <= 0 {
			return ErrInvalidGenesis.Wrapf("suspended member %s needs suspended_until", m.Address)
		}
		if m.Status == MemberStatus_MEMBER_STATUS_PROBATION && m.ProbationUntil <= 0 {
			return ErrInvalidGenesis.Wrapf("member %s on probation needs probation_until", m.Address)
		}
		if MemberStatus_name[int32(m.Status)] == "" {
			return ErrInvalidGenesis.Wrapf("member %s has status %d", m.Address, m.Status)
		}
	}
	for _, m := range g.Members {
		if m.Root == "" || m.Root == m.Address {
			continue
		}
		root, err := core.ParseAddress(m.Root)
		if err != nil || !addrs[string(root)] {
			return ErrInvalidGenesis.Wrapf("member %s has root %q, not a member in this genesis", m.Address, m.Root)
		}
	}
	for i, t := range g.Trees {
		root, err := core.ParseAddress(t.GetRoot())
		if t == nil || t.Admissions == nil || err != nil || !addrs[string(root)] {
			return ErrInvalidGenesis.Wrapf("tree %d: root %q is not a member in this genesis", i, t.GetRoot())
		}
	}
	for i, s := range g.Strikes {
		if s == nil {
			return ErrInvalidGenesis.Wrapf("strike %d is empty", i)
		}
		addr, err := core.ParseAddress(s.Member)
		if err != nil || !addrs[string(addr)] {
			return ErrInvalidGenesis.Wrapf("strike %d is against %q, not a member in this genesis", i, s.Member)
		}
		if s.Role == StrikeRole_STRIKE_ROLE_UNSPECIFIED || StrikeRole_name[int32(s.Role)] == "" {
			return ErrInvalidGenesis.Wrapf("strike %d has no valid role", i)
		}
	}
	return nil
}

// InitGenesis writes the genesis state, in the order listed, and creates every member's account.
func (k Keeper) InitGenesis(ctx *core.Context, g *GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	ctx.KV.Set(paramsKey, core.MustMarshal(g.Params))
	k.ImportMembers(ctx, g.Members)
	for _, s := range g.Strikes {
		addr, _ := core.ParseAddress(s.Member)
		ctx.KV.Set(strikeKey(addr, s), core.MustMarshal(s))
	}
	for _, t := range g.Trees {
		root, _ := core.ParseAddress(t.Root)
		ctx.KV.Set(treeKey(root), core.MustMarshal(t.Admissions))
	}
	return nil
}

// ImportMembers stores members as InitGenesis does (record, handle and status indexes, probation
// and suspension queues, an account each), added to the counters already in the state. It does not
// validate them (InitGenesis validates the whole genesis first). Benchmarks use it to load states
// too large for one commit in several.
func (k Keeper) ImportMembers(ctx *core.Context, ms []*Member) {
	c := k.Counts(ctx.KV)
	for _, gm := range ms {
		m := *gm
		addr, _ := core.ParseAddress(m.Address)
		m.Address = addr.String()
		m.Vouchers = append([]string(nil), gm.Vouchers...)
		for _, v := range m.Vouchers {
			voucher, _ := core.ParseAddress(v) // validated
			ctx.KV.Set(vouchedKey(voucher, addr), present)
		}
		if m.Root == "" {
			m.Root = m.Address // a founder, or a record from before sponsor trees: its own tree
		}
		switch m.Status {
		case MemberStatus_MEMBER_STATUS_CANDIDATE:
			c.Candidates++
		case MemberStatus_MEMBER_STATUS_SUSPENDED:
			c.Suspended++
			ctx.KV.Set(liftKey(m.SuspendedUntil, addr), present)
		case MemberStatus_MEMBER_STATUS_PROBATION:
			c.Probation++
			ctx.KV.Set(graduateKey(m.ProbationUntil, addr), present)
		case MemberStatus_MEMBER_STATUS_EXPELLED:
			c.Expelled++
		default:
			m.Status = MemberStatus_MEMBER_STATUS_ACTIVE
			if m.JoinedAt == 0 {
				m.JoinedAt = ctx.Time
			}
			c.Active++
		}
		k.setMember(ctx.KV, addr, &m)
		ctx.KV.Set(handleKey(m.Handle), addr)
		ctx.KV.Set(byStatusKey(m.Status, m.Handle), addr)
		k.accounts.EnsureAccount(ctx, addr)
	}
	k.setCounts(ctx.KV, c)
}

// ExportGenesis writes the state as a genesis, members in alphabetical handle order.
func (k Keeper) ExportGenesis(r core.Reader) *GenesisState {
	p := k.Params(r)
	g := &GenesisState{Params: &p}
	k.IterateMembers(r, func(m Member) bool {
		g.Members = append(g.Members, &m)
		return true
	})
	k.IterateStrikes(r, func(s Strike) bool {
		g.Strikes = append(g.Strikes, &s)
		return true
	})
	core.IteratePrefix(r, treePrefix, false, func(key, v []byte) bool {
		t := &TreeAdmissions{}
		core.MustUnmarshal(v, t)
		g.Trees = append(g.Trees, &GenesisTree{Root: core.Address(key[len(treePrefix)+1:]).String(), Admissions: t})
		return true
	})
	return g
}
