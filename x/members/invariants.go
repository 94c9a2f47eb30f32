package members

import (
	"bytes"
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// CheckInvariants verifies the member counters and indexes against the records, reading every
// record (for tests and `commonsd debug invariants`): the counters match the records' statuses;
// each record is in the handle index and in the by-status index under its own handle and status;
// neither index holds any other entry; the lift queue holds exactly the suspended members, each at
// its suspended_until; every strike is against a member; the vouch index holds exactly the records'
// vouches. It returns the first violation found.
func (k Keeper) CheckInvariants(r core.Reader) error {
	var active, cands, suspended, probation, expelled, records, vouches uint64
	var err error
	core.IteratePrefix(r, memberPrefix, false, func(_, v []byte) bool {
		var m Member
		core.MustUnmarshal(v, &m)
		records++
		switch m.Status {
		case MemberStatus_MEMBER_STATUS_ACTIVE:
			active++
		case MemberStatus_MEMBER_STATUS_CANDIDATE:
			cands++
		case MemberStatus_MEMBER_STATUS_SUSPENDED:
			suspended++
		case MemberStatus_MEMBER_STATUS_PROBATION:
			probation++
		case MemberStatus_MEMBER_STATUS_EXPELLED:
			expelled++
		default:
			err = fmt.Errorf("invariant members: %s has status %v", m.Address, m.Status)
			return false
		}
		addr, perr := core.ParseAddress(m.Address)
		if perr != nil {
			err = fmt.Errorf("invariant members: record with address %q: %v", m.Address, perr)
			return false
		}
		if got, ok := r.Get(handleKey(m.Handle)); !ok || !bytes.Equal(got, addr) {
			err = fmt.Errorf("invariant member index: handle %q of %s is not indexed to it", m.Handle, m.Address)
			return false
		}
		if got, ok := r.Get(byStatusKey(m.Status, m.Handle)); !ok || !bytes.Equal(got, addr) {
			err = fmt.Errorf("invariant member index: %s (%s) is not in the %v index", m.Address, m.Handle, m.Status)
			return false
		}
		if _, ok := r.Get(liftKey(m.SuspendedUntil, addr)); m.Status == MemberStatus_MEMBER_STATUS_SUSPENDED && !ok {
			err = fmt.Errorf("invariant suspension: %s is suspended but its lift at %d is not queued", m.Address, m.SuspendedUntil)
			return false
		}
		if root, perr := core.ParseAddress(m.Root); perr != nil {
			err = fmt.Errorf("invariant trees: %s has no valid root (%q)", m.Address, m.Root)
			return false
		} else if f, ok := k.Member(r, root); !ok || f.Root != f.Address {
			err = fmt.Errorf("invariant trees: %s's root %s is not a founder at the root of its own tree", m.Address, m.Root)
			return false
		}
		for _, v := range m.Vouchers {
			voucher, perr := core.ParseAddress(v)
			if _, ok := r.Get(vouchedKey(voucher, addr)); perr != nil || !ok {
				err = fmt.Errorf("invariant vouch index: %s's vouch from %s is not indexed", m.Address, v)
				return false
			}
			vouches++
		}
		if _, ok := r.Get(graduateKey(m.ProbationUntil, addr)); m.Status == MemberStatus_MEMBER_STATUS_PROBATION && !ok {
			err = fmt.Errorf("invariant probation: %s is on probation but its end at %d is not queued", m.Address, m.ProbationUntil)
			return false
		}
		return true
	})
	if err != nil {
		return err
	}
	if c := k.Counts(r); c.Active != active || c.Candidates != cands || c.Suspended != suspended || c.Probation != probation || c.Expelled != expelled {
		return fmt.Errorf("invariant members: counters %d active/%d candidates/%d suspended/%d on probation/%d expelled, records %d/%d/%d/%d/%d",
			c.Active, c.Candidates, c.Suspended, c.Probation, c.Expelled, active, cands, suspended, probation, expelled)
	}
	var indexed uint64
	core.IteratePrefix(r, vouchedPrefix, false, func(_, _ []byte) bool { indexed++; return true })
	if indexed != vouches {
		return fmt.Errorf("invariant vouch index: %d entries for %d vouches on the records", indexed, vouches)
	}
	var lifts uint64
	core.IteratePrefix(r, liftPrefix, false, func(_, _ []byte) bool { lifts++; return true })
	if lifts != suspended {
		return fmt.Errorf("invariant suspension: %d lifts queued for %d suspended members", lifts, suspended)
	}
	var ends uint64
	core.IteratePrefix(r, graduatePrefix, false, func(_, _ []byte) bool { ends++; return true })
	if ends != probation {
		return fmt.Errorf("invariant probation: %d probation ends queued for %d members on probation", ends, probation)
	}
	k.IterateStrikes(r, func(s Strike) bool {
		addr, perr := core.ParseAddress(s.Member)
		if _, ok := k.Member(r, addr); perr != nil || !ok {
			err = fmt.Errorf("invariant strikes: a strike against %q, who is not a member", s.Member)
			return false
		}
		return true
	})
	if err != nil {
		return err
	}
	for _, idx := range []struct {
		name   string
		prefix []byte
	}{{"handle", handlePrefix}, {"by-status", byStatusPrefix}} {
		var n uint64
		core.IteratePrefix(r, idx.prefix, false, func(_, _ []byte) bool { n++; return true })
		if n != records {
			return fmt.Errorf("invariant member index: the %s index has %d entries for %d records", idx.name, n, records)
		}
	}
	return nil
}
