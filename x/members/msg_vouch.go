package members

import (
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// Vouch records the signer's vouch for msg.Candidate and admits the candidate once enough active
// members have vouched. The first vouch creates the candidate record, its handle and its account.
func (k Keeper) Vouch(ctx *core.Context, msg *MsgVouch) error {
	if err := k.Standing(ctx.KV, ctx.Signer); err != nil {
		return err
	}
	voucher, ok := k.Member(ctx.KV, ctx.Signer)
	if !ok || voucher.Status != MemberStatus_MEMBER_STATUS_ACTIVE {
		return ErrNotMember.Wrapf("%s is not an active member; ask members to vouch for you first", ctx.Signer)
	}
	cand, err := core.ParseAddress(msg.Candidate)
	if err != nil {
		return err
	}
	if cand.Equal(ctx.Signer) {
		return ErrSelfVouch.Wrapf("%s is the signer; vouch for someone else", msg.Candidate)
	}
	p := k.Params(ctx.KV)
	if voucher.LastVouchAt != 0 && ctx.Time < voucher.LastVouchAt+p.VouchCooldown {
		next := voucher.LastVouchAt + p.VouchCooldown
		return ErrVouchCooldown.Wrapf("you last vouched at %s; you may vouch again from %s (in %ds)",
			core.FormatTime(voucher.LastVouchAt), core.FormatTime(next), next-ctx.Time)
	}
	rec, exists := k.Member(ctx.KV, cand)
	if exists {
		if err := checkExisting(&rec, ctx.Signer, msg.Handle); err != nil {
			return err
		}
	} else {
		if rec, err = k.newCandidate(ctx, cand, msg.Handle); err != nil {
			return err
		}
		rec.Root = voucher.Root // the first voucher's tree
	}
	if uint64(len(rec.Vouchers))+1 >= uint64(p.VouchesToJoin) {
		if err := k.checkTree(ctx, p, &rec); err != nil {
			return err
		}
	}
	rec.Vouchers = append(rec.Vouchers, ctx.Signer.String())
	ctx.KV.Set(vouchedKey(ctx.Signer, cand), present)
	voucher.LastVouchAt = ctx.Time
	k.setMember(ctx.KV, ctx.Signer, &voucher)
	ctx.Emit("member_vouched", "voucher", voucher.Address, "candidate", rec.Address, "handle", rec.Handle,
		"vouches", strconv.Itoa(len(rec.Vouchers)), "needed", strconv.FormatUint(uint64(p.VouchesToJoin), 10))
	if uint64(len(rec.Vouchers)) >= uint64(p.VouchesToJoin) {
		k.admit(ctx, cand, &rec)
	}
	k.setMember(ctx.KV, cand, &rec)
	return nil
}

// checkExisting rejects a vouch for an existing member, a repeated vouch and a conflicting handle.
func checkExisting(rec *Member, voucher core.Address, handle string) error {
	switch rec.Status {
	case MemberStatus_MEMBER_STATUS_ACTIVE, MemberStatus_MEMBER_STATUS_PROBATION:
		return ErrAlreadyMember.Wrapf("%s (%s) is already a member (%s); no vouch needed", rec.Address, rec.Handle, StatusName(rec.Status))
	case MemberStatus_MEMBER_STATUS_EXPELLED:
		return ErrExpelled.Wrapf("%s (%s) was expelled by proposal %d; vouches cannot readmit them, only a proposal to reinstate them",
			rec.Address, rec.Handle, rec.ExpelledBy)
	case MemberStatus_MEMBER_STATUS_SUSPENDED:
		// Vouches cannot end a suspension early: only its period does (or governance).
		return ErrAlreadyMember.Wrapf("%s (%s) is a member, suspended until %s; vouches do not lift a suspension",
			rec.Address, rec.Handle, core.FormatTime(rec.SuspendedUntil))
	}
	for _, v := range rec.Vouchers {
		if v == voucher.String() {
			return ErrDuplicateVouch.Wrapf("you already vouched for %s (%s); other members must vouch now", rec.Address, rec.Handle)
		}
	}
	if handle != "" && handle != rec.Handle {
		return ErrHandleMismatch.Wrapf("candidate %s has handle %q; repeat it or leave the handle empty", rec.Address, rec.Handle)
	}
	return nil
}

// newCandidate creates a candidate record with a fresh, unique handle, and its bank account.
func (k Keeper) newCandidate(ctx *core.Context, cand core.Address, handle string) (Member, error) {
	if handle == "" {
		return Member{}, ErrHandleRequired.Wrapf("%s has no record yet; give it a handle (3–32 of a-z, 0-9, -)", cand)
	}
	if err := ValidateHandle(handle); err != nil {
		return Member{}, err
	}
	if owner, taken := k.ByHandle(ctx.KV, handle); taken {
		return Member{}, ErrHandleTaken.Wrapf("%q belongs to %s; choose another handle", handle, owner.Address)
	}
	ctx.KV.Set(handleKey(handle), cand)
	ctx.KV.Set(byStatusKey(MemberStatus_MEMBER_STATUS_CANDIDATE, handle), cand)
	c := k.Counts(ctx.KV)
	c.Candidates++
	k.setCounts(ctx.KV, c)
	k.accounts.EnsureAccount(ctx, cand)
	return Member{Address: cand.String(), Handle: handle, Status: MemberStatus_MEMBER_STATUS_CANDIDATE, FirstVouchedAt: ctx.Time}, nil
}

// admit turns a candidate into an active member.
func (k Keeper) admit(ctx *core.Context, addr core.Address, rec *Member) {
	rec.JoinedAt = ctx.Time
	rec.JoinedHeight = uint64(max(ctx.Height, 0))
	status := MemberStatus_MEMBER_STATUS_ACTIVE
	if probation := k.Params(ctx.KV).Probation; probation > 0 {
		status = MemberStatus_MEMBER_STATUS_PROBATION
		rec.ProbationUntil = rec.JoinedAt + probation
		ctx.KV.Set(graduateKey(rec.ProbationUntil, addr), present)
	}
	k.move(ctx.KV, addr, rec, status)
	k.countAdmission(ctx, rec)
	ctx.Emit("member_admitted", "member", rec.Address, "handle", rec.Handle,
		"vouchers", strconv.Itoa(len(rec.Vouchers)), "status", StatusName(status))
}

// Tree returns the admissions of root's sponsor tree in the period of block time now (zero for
// another period).
func (k Keeper) Tree(r core.Reader, root core.Address, now int64) TreeAdmissions {
	p := k.Params(r)
	t := TreeAdmissions{Period: now / p.AdmissionPeriod}
	var stored TreeAdmissions
	if core.Load(r, treeKey(root), &stored) && stored.Period == t.Period {
		t.Count = stored.Count
	}
	return t
}

// checkTree refuses the vouch that would admit rec when its sponsor tree has admitted
// admissions_per_period members in this period: a ring, whatever its size, then grows by at most
// that many members per period for each founder above it, linearly in time.
func (k Keeper) checkTree(ctx *core.Context, p Params, rec *Member) error {
	root, _ := core.ParseAddress(rec.Root)
	if t := k.Tree(ctx.KV, root, ctx.Time); t.Count >= p.AdmissionsPerPeriod {
		founder, _ := k.Member(ctx.KV, root)
		next := (t.Period + 1) * p.AdmissionPeriod
		return ErrAdmissionLimit.Wrapf("the sponsor tree of %s (%s) admitted %d members since %s, the most per %s; vouch for %s again from %s",
			founder.Handle, rec.Root, t.Count, core.FormatTime(t.Period*p.AdmissionPeriod), core.FormatDuration(p.AdmissionPeriod),
			rec.Handle, core.FormatTime(next))
	}
	return nil
}

// countAdmission counts rec's admission in its tree's current period.
func (k Keeper) countAdmission(ctx *core.Context, rec *Member) {
	root, _ := core.ParseAddress(rec.Root)
	t := k.Tree(ctx.KV, root, ctx.Time)
	t.Count++
	ctx.KV.Set(treeKey(root), core.MustMarshal(&t))
}
