package members

import (
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// CheckExpel says whether a governance proposal may expel addr (expel) or reinstate it: expelling
// needs an admitted member (active, on probation or suspended), reinstating an expelled one.
func (k Keeper) CheckExpel(r core.Reader, addr core.Address, expel bool) error {
	m, ok := k.Member(r, addr)
	switch {
	case !ok || m.Status == MemberStatus_MEMBER_STATUS_CANDIDATE:
		return ErrNoSuchMember.Wrapf("%s is not a member (or only a candidate); check it with `commonsd query member`", addr)
	case expel && m.Status == MemberStatus_MEMBER_STATUS_EXPELLED:
		return ErrExpelled.Wrapf("%s (%s) is already expelled", m.Address, m.Handle)
	case !expel && m.Status != MemberStatus_MEMBER_STATUS_EXPELLED:
		return ErrNotExpelled.Wrapf("%s (%s) is %s, not expelled; there is nothing to reinstate", m.Address, m.Handle, StatusName(m.Status))
	}
	return nil
}

// Expel makes addr EXPELLED (a passed proposal): from then on every action a member takes is
// refused with members/314, it is left out of draws and the electorate, and its suspension or
// probation clock stops. Its record, claims and history stay.
func (k Keeper) Expel(ctx *core.Context, addr core.Address, proposalID uint64) error {
	if err := k.CheckExpel(ctx.KV, addr, true); err != nil {
		return err
	}
	m, _ := k.Member(ctx.KV, addr)
	switch m.Status {
	case MemberStatus_MEMBER_STATUS_SUSPENDED:
		ctx.KV.Delete(liftKey(m.SuspendedUntil, addr))
	case MemberStatus_MEMBER_STATUS_PROBATION:
		ctx.KV.Delete(graduateKey(m.ProbationUntil, addr))
	}
	k.move(ctx.KV, addr, &m, MemberStatus_MEMBER_STATUS_EXPELLED)
	m.ExpelledAt, m.ExpelledBy = ctx.Time, proposalID
	k.setMember(ctx.KV, addr, &m)
	ctx.Emit("member_expelled", "member", m.Address, "handle", m.Handle, "proposal_id", strconv.FormatUint(proposalID, 10))
	return nil
}

// Reinstate makes an expelled member a member again (a passed proposal): on probation if its
// probation has not ended, else ACTIVE. A suspension it had is not restored: the members decided.
func (k Keeper) Reinstate(ctx *core.Context, addr core.Address, proposalID uint64) error {
	if err := k.CheckExpel(ctx.KV, addr, false); err != nil {
		return err
	}
	m, _ := k.Member(ctx.KV, addr)
	to := MemberStatus_MEMBER_STATUS_ACTIVE
	if m.ProbationUntil > ctx.Time {
		to = MemberStatus_MEMBER_STATUS_PROBATION
		ctx.KV.Set(graduateKey(m.ProbationUntil, addr), present)
	}
	k.move(ctx.KV, addr, &m, to)
	m.ExpelledBy = 0
	k.setMember(ctx.KV, addr, &m)
	ctx.Emit("member_reinstated", "member", m.Address, "handle", m.Handle, "status", StatusName(to),
		"proposal_id", strconv.FormatUint(proposalID, 10))
	return nil
}
