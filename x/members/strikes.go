package members

import (
	"bytes"
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// MaxLiftsPerBlock bounds how many suspensions one block lifts; the rest are lifted, in order, in
// the next blocks (a consensus rule).
const MaxLiftsPerBlock = 256

// Suspension returns ErrSuspended, saying until when and why, if addr is a suspended member, and
// nil otherwise. Every action a suspension forbids (claim, attest, vouch, dispute, appeal, jury
// vote) checks it first, so a suspended member gets this error whatever they try.
func (k Keeper) Suspension(r core.Reader, addr core.Address) error {
	m, _ := k.Member(r, addr)
	return k.suspended(r, &m)
}

// suspended is Suspension's answer for the loaded record m (nil unless SUSPENDED or EXPELLED).
func (k Keeper) suspended(r core.Reader, m *Member) error {
	if m.Status == MemberStatus_MEMBER_STATUS_EXPELLED {
		return ErrExpelled.Wrapf("%s was expelled by proposal %d at %s; only a proposal to reinstate them (`commonsd tx gov propose member`) ends it",
			m.Address, m.ExpelledBy, core.FormatTime(m.ExpelledAt))
	}
	if m.Status != MemberStatus_MEMBER_STATUS_SUSPENDED {
		return nil
	}
	p := k.Params(r)
	return ErrSuspended.Wrapf("%s is suspended until %s after %d strikes within %s (claims of theirs, or that they approved or vouched for, were reversed); until then they may not claim, attest, vouch, dispute, appeal or serve on a jury; see `commonsd query record %s`",
		m.Address, core.FormatTime(m.SuspendedUntil), p.StrikesToSuspend, core.FormatDuration(p.StrikeWindow), m.Address)
}

// Strikes returns member's stored strikes, oldest first. Only those of the last strike_window
// count (ActiveStrikes); older ones are pruned when the member is next struck.
func (Keeper) Strikes(r core.Reader, member core.Address) []*Strike {
	var out []*Strike
	core.IteratePrefix(r, strikesOf(member), false, func(_, v []byte) bool {
		var s Strike
		core.MustUnmarshal(v, &s)
		out = append(out, &s)
		return true
	})
	return out
}

// ActiveStrikes counts member's strikes within strike_window before now.
func (k Keeper) ActiveStrikes(r core.Reader, member core.Address, now int64) uint32 {
	var n uint32
	from := now - k.Params(r).StrikeWindow
	for _, s := range k.Strikes(r, member) {
		if s.Time > from {
			n++
		}
	}
	return n
}

// Strike records a strike against member for reversed claim claimID (dispute disputeID) in role.
// It prunes member's expired strikes, and suspends member for suspension_period when the strikes
// within strike_window reach strikes_to_suspend (a suspended member's suspension is extended). An
// address without a member record is not struck. Its cost is proportional to member's unexpired
// strikes.
func (k Keeper) Strike(ctx *core.Context, member core.Address, role StrikeRole, claimID, disputeID uint64) {
	m, ok := k.Member(ctx.KV, member)
	if !ok || m.Status == MemberStatus_MEMBER_STATUS_CANDIDATE {
		return
	}
	p := k.Params(ctx.KV)
	from := ctx.Time - p.StrikeWindow
	active := uint32(1)
	for _, old := range k.Strikes(ctx.KV, member) {
		if old.Time > from {
			active++
		} else {
			ctx.KV.Delete(strikeKey(member, old))
		}
	}
	s := &Strike{Member: m.Address, Time: ctx.Time, Height: uint64(max(ctx.Height, 0)), ClaimId: claimID, DisputeId: disputeID, Role: role}
	ctx.KV.Set(strikeKey(member, s), core.MustMarshal(s))
	m.Strikes++
	ctx.Emit("strike", "member", m.Address, "role", core.EnumName(role, "STRIKE_ROLE_"), "claim_id", strconv.FormatUint(claimID, 10),
		"dispute_id", strconv.FormatUint(disputeID, 10), "active_strikes", strconv.FormatUint(uint64(active), 10))
	if active >= p.StrikesToSuspend && m.Status != MemberStatus_MEMBER_STATUS_EXPELLED { // expulsion outranks suspension
		k.suspend(ctx, member, &m, ctx.Time+p.SuspensionPeriod)
	}
	k.setMember(ctx.KV, member, &m)
}

// suspend makes m SUSPENDED until until (or extends its suspension to until).
func (k Keeper) suspend(ctx *core.Context, addr core.Address, m *Member, until int64) {
	switch m.Status {
	case MemberStatus_MEMBER_STATUS_SUSPENDED:
		ctx.KV.Delete(liftKey(m.SuspendedUntil, addr))
	case MemberStatus_MEMBER_STATUS_PROBATION:
		ctx.KV.Delete(graduateKey(m.ProbationUntil, addr))
		fallthrough
	default:
		k.move(ctx.KV, addr, m, MemberStatus_MEMBER_STATUS_SUSPENDED)
		m.Suspensions++
	}
	m.SuspendedUntil = until
	ctx.KV.Set(liftKey(until, addr), present)
	ctx.Emit("member_suspended", "member", m.Address, "handle", m.Handle, "until", strconv.FormatInt(until, 10))
}

// move moves m between statuses in the by-status index and the counters (the caller stores m).
func (k Keeper) move(kv core.KV, addr core.Address, m *Member, to MemberStatus) {
	kv.Delete(byStatusKey(m.Status, m.Handle))
	kv.Set(byStatusKey(to, m.Handle), addr)
	c := k.Counts(kv)
	*statusCounter(&c, m.Status)--
	*statusCounter(&c, to)++
	k.setCounts(kv, c)
	m.Status = to
}

func statusCounter(c *MemberCounts, s MemberStatus) *uint64 {
	switch s {
	case MemberStatus_MEMBER_STATUS_ACTIVE:
		return &c.Active
	case MemberStatus_MEMBER_STATUS_SUSPENDED:
		return &c.Suspended
	case MemberStatus_MEMBER_STATUS_PROBATION:
		return &c.Probation
	case MemberStatus_MEMBER_STATUS_EXPELLED:
		return &c.Expelled
	default:
		return &c.Candidates
	}
}

// EndBlock lifts the suspensions and ends the probations due at or before the block time, at most
// MaxLiftsPerBlock of each; the rest follow, in order, in the next blocks.
func (k Keeper) EndBlock(ctx *core.Context) error {
	for _, addr := range dueMembers(ctx, liftPrefix) {
		m := k.mustStatus(ctx.KV, addr, MemberStatus_MEMBER_STATUS_SUSPENDED)
		if m.ProbationUntil > ctx.Time {
			k.move(ctx.KV, addr, &m, MemberStatus_MEMBER_STATUS_PROBATION) // its probation is not over yet
			ctx.KV.Set(graduateKey(m.ProbationUntil, addr), present)
		} else {
			k.move(ctx.KV, addr, &m, MemberStatus_MEMBER_STATUS_ACTIVE)
		}
		k.setMember(ctx.KV, addr, &m)
		ctx.Emit("suspension_lifted", "member", m.Address, "handle", m.Handle, "status", StatusName(m.Status))
	}
	for _, addr := range dueMembers(ctx, graduatePrefix) {
		m := k.mustStatus(ctx.KV, addr, MemberStatus_MEMBER_STATUS_PROBATION)
		k.move(ctx.KV, addr, &m, MemberStatus_MEMBER_STATUS_ACTIVE)
		k.setMember(ctx.KV, addr, &m)
		ctx.Emit("probation_ended", "member", m.Address, "handle", m.Handle)
	}
	return nil
}

// dueMembers takes (deletes and returns) up to MaxLiftsPerBlock members queued under prefix |
// time | lp(member) at or before the block time, in order.
func dueMembers(ctx *core.Context, prefix []byte) []core.Address {
	var due []core.Address
	var keys [][]byte
	ctx.KV.Iterate(prefix, core.Key(prefix, core.Int64Key(ctx.Time+1)), false, func(key, _ []byte) bool {
		keys = append(keys, bytes.Clone(key))
		n := len(prefix) + 8
		due = append(due, core.Address(bytes.Clone(key[n+1:n+1+int(key[n])])))
		return len(due) < MaxLiftsPerBlock
	})
	for _, key := range keys {
		ctx.KV.Delete(key)
	}
	return due
}

// mustStatus loads a queued member, which must have status s.
func (k Keeper) mustStatus(r core.Reader, addr core.Address, s MemberStatus) Member {
	m, ok := k.Member(r, addr)
	if !ok || m.Status != s {
		panic("members: queue holds " + addr.String() + ", not " + StatusName(s))
	}
	return m
}

// Probation returns ErrOnProbation, saying until when, if addr is on probation, and nil
// otherwise. Vouching, attesting and disputing check it (after Suspension).
func (k Keeper) Probation(r core.Reader, addr core.Address) error {
	m, ok := k.Member(r, addr)
	if !ok || m.Status != MemberStatus_MEMBER_STATUS_PROBATION {
		return nil
	}
	return ErrOnProbation.Wrapf("%s joined at %s and is on probation until %s; until then they may claim their own work but not vouch, attest, dispute or serve on a jury",
		m.Address, core.FormatTime(m.JoinedAt), core.FormatTime(m.ProbationUntil))
}

// Standing is Suspension, then Probation: the check before every action but claiming and
// appealing.
func (k Keeper) Standing(r core.Reader, addr core.Address) error {
	if err := k.Suspension(r, addr); err != nil {
		return err
	}
	return k.Probation(r, addr)
}

// Claimant answers, with one read of addr's record, what claiming needs: Suspension's error if addr
// is suspended; otherwise whether addr is admitted (ACTIVE, or on PROBATION) and when it joined
// (nobody may claim time before it).
func (k Keeper) Claimant(r core.Reader, addr core.Address) (joinedAt int64, admitted bool, err error) {
	m, _ := k.Member(r, addr)
	if err := k.suspended(r, &m); err != nil {
		return 0, false, err
	}
	admitted = m.Status == MemberStatus_MEMBER_STATUS_ACTIVE || m.Status == MemberStatus_MEMBER_STATUS_PROBATION
	return m.JoinedAt, admitted, nil
}

// IterateStrikes calls fn for every stored strike in key order.
func (Keeper) IterateStrikes(r core.Reader, fn func(Strike) bool) {
	core.IteratePrefix(r, strikePrefix, false, func(_, v []byte) bool {
		var s Strike
		core.MustUnmarshal(v, &s)
		return fn(s)
	})
}

// present is the value of index entries whose key says everything.
var present = []byte{}
