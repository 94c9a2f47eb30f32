package disputes

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/commonsledger/commons/x/core"
)

// CheckInvariants verifies the disputes module's invariants by reading every dispute, vote and
// index entry (for tests and `commonsd debug invariants`, not for block execution):
//
//   - every dispute's claim exists, and its claimant is the dispute's;
//   - juries: distinct jurors, none of them excluded (the claimant, the claim's attestors, the
//     disputant, the claimant's vouchers), and a second jury disjoint from the first;
//   - counters: per status, per disputant (undecided disputes), next id above every id;
//   - indexes: status, claim, juror and open-claim entries, the draw queue (OPEN) and the deadline
//     queue (VOTING) hold exactly what the disputes say;
//   - votes: by a juror of their dispute, and the current round's add up to its counts;
//   - reversal: the reversal queue holds exactly the final UPHELD disputes not yet reversed, and a
//     dispute marked reversed is the one its REVERSED claim names;
//   - records: each disputant's opened, upheld and dismissed counts match the disputes, and each
//     juror's seats are their votes plus their no-shows.
func (k Keeper) CheckInvariants(r core.Reader) error {
	var counts DisputeCounts
	counts.NextId = 1
	open := map[string]uint32{}
	type tally struct{ opened, upheld, dismissed uint64 }
	recs := map[string]*tally{}
	want := map[string]bool{} // every index key the disputes imply
	var all []Dispute
	k.IterateDisputes(r, func(d Dispute) bool { all = append(all, d); return true })
	for i := range all {
		d := &all[i]
		c, ok := k.claims.Claim(r, d.ClaimId)
		if !ok {
			return fmt.Errorf("invariant disputes: dispute %d is on missing claim %d", d.Id, d.ClaimId)
		}
		if c.Claimant != d.Claimant {
			return fmt.Errorf("invariant disputes: dispute %d names claimant %s, claim %d is by %s", d.Id, d.Claimant, c.Id, c.Claimant)
		}
		if d.Status <= DisputeStatus_DISPUTE_STATUS_UNSPECIFIED || d.Status > DisputeStatus_DISPUTE_STATUS_APPEALED {
			return fmt.Errorf("invariant disputes: dispute %d has status %v", d.Id, d.Status)
		}
		if err := k.checkJury(r, d); err != nil {
			return err
		}
		*counter(&counts, d.Status)++
		counts.NextId = max(counts.NextId, d.Id+1)
		idKey := core.Uint64Key(d.Id)
		want[string(core.Key(byStatus(d.Status), idKey))] = true
		want[string(core.Key(byClaim(d.ClaimId), idKey))] = true
		for _, j := range allJurors(d) {
			a, _ := core.ParseAddress(j)
			want[string(core.Key(byJuror(a), idKey))] = true
		}
		switch d.Status {
		case DisputeStatus_DISPUTE_STATUS_VOTING:
			want[string(deadlineKey(d.Deadline, d.Id))] = true
		case DisputeStatus_DISPUTE_STATUS_APPEALED:
			if len(d.Jurors) > 0 {
				want[string(deadlineKey(d.Deadline, d.Id))] = true
			}
		}
		if awaitsFinal(d) {
			want[string(finalQueueKey(d.AppealDeadline, d.Id))] = true
		}
		if awaitsReversal(d) {
			want[string(reverseQueueKey(d.Id))] = true
		}
		if d.Reversed && (c.Reversal == nil || c.Reversal.DisputeId != d.Id) {
			return fmt.Errorf("invariant reversal: dispute %d is marked reversed but claim %d names reversal %v", d.Id, c.Id, c.Reversal)
		}
		if recs[d.Disputant] == nil {
			recs[d.Disputant] = &tally{}
		}
		recs[d.Disputant].opened++
		if d.Final && d.Status == DisputeStatus_DISPUTE_STATUS_UPHELD {
			recs[d.Disputant].upheld++
		} else if d.Final {
			recs[d.Disputant].dismissed++
		}
		if Undecided(d.Status) {
			open[d.Disputant]++
		}
		if !d.Final {
			want[string(openByClaimKey(d.ClaimId))] = true
		}
		var up, dis uint32
		for _, v := range k.Votes(r, d.Id) {
			if !slices.Contains(allJurors(d), v.Juror) {
				return fmt.Errorf("invariant votes: %s voted on dispute %d but is not a juror", v.Juror, d.Id)
			}
			if v.Round == d.Round {
				if v.Vote == JuryVote_JURY_VOTE_UPHOLD {
					up++
				} else {
					dis++
				}
			}
		}
		if up != d.Uphold || dis != d.Dismiss {
			return fmt.Errorf("invariant votes: dispute %d counts %d/%d, its votes %d/%d", d.Id, d.Uphold, d.Dismiss, up, dis)
		}
	}
	got := k.Counts(r)
	if got.Open != counts.Open || got.Voting != counts.Voting || got.Upheld != counts.Upheld || got.Dismissed != counts.Dismissed || got.Appealed != counts.Appealed || got.NextId < counts.NextId {
		return fmt.Errorf("invariant dispute counts: stored %+v, disputes give %+v", got, counts)
	}
	for _, p := range [][]byte{byStatusPrefix, byClaimPrefix, byJurorPrefix, deadlinePrefix, openByClaimPfx, finalQueuePfx, reverseQueuePfx} {
		var err error
		core.IteratePrefix(r, p, false, func(key, _ []byte) bool {
			if !want[string(key)] {
				err = fmt.Errorf("invariant disputes index: stray key %x", key)
				return false
			}
			delete(want, string(key))
			return true
		})
		if err != nil {
			return err
		}
	}
	if len(want) > 0 {
		missing := make([]string, 0, len(want))
		for k := range want {
			missing = append(missing, fmt.Sprintf("%x", k))
		}
		slices.Sort(missing)
		return fmt.Errorf("invariant disputes index: %d index entries missing, first %s", len(want), missing[0])
	}
	var err error
	core.IteratePrefix(r, drawQueuePrefix, false, func(key, _ []byte) bool {
		id := binary.BigEndian.Uint64(key[len(key)-8:])
		if d, ok := k.Dispute(r, id); !ok || !(d.Status == DisputeStatus_DISPUTE_STATUS_OPEN ||
			d.Status == DisputeStatus_DISPUTE_STATUS_APPEALED && len(d.Jurors) == 0) {
			err = fmt.Errorf("invariant disputes: draw queue holds dispute %d, which awaits no jury", id)
			return false
		}
		return true
	})
	if err != nil {
		return err
	}
	core.IteratePrefix(r, openCountPrefix, false, func(key, v []byte) bool {
		var o OpenDisputes
		core.MustUnmarshal(v, &o)
		addr := core.Address(bytes.Clone(key[len(openCountPrefix)+1:]))
		if open[addr.String()] != o.Count {
			err = fmt.Errorf("invariant open disputes: %s counts %d, has %d", addr, o.Count, open[addr.String()])
			return false
		}
		delete(open, addr.String())
		return true
	})
	if err != nil {
		return err
	}
	if len(open) > 0 {
		return fmt.Errorf("invariant open disputes: %d disputants without a counter", len(open))
	}
	core.IteratePrefix(r, recordPrefix, false, func(key, v []byte) bool {
		var rec MemberDisputeRecord
		core.MustUnmarshal(v, &rec)
		addr := core.Address(key[len(recordPrefix)+1:]).String()
		t := recs[addr]
		if t == nil {
			t = &tally{}
		}
		if rec.DisputesOpened != t.opened || rec.DisputesUpheld != t.upheld || rec.DisputesDismissed != t.dismissed ||
			rec.JuryVotes+rec.JuryNoShows != rec.JurySeats {
			err = fmt.Errorf("invariant records: %s's record is %v; disputes give %d opened, %d upheld, %d dismissed", addr, &rec, t.opened, t.upheld, t.dismissed)
			return false
		}
		delete(recs, addr)
		return true
	})
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		return fmt.Errorf("invariant records: %d disputants without a record", len(recs))
	}
	return nil
}

// checkJury: distinct jurors, none excluded, and the second jury disjoint from the first.
func (k Keeper) checkJury(r core.Reader, d *Dispute) error {
	ex := k.excluded(r, d, nil)
	seen := map[string]bool{}
	for _, j := range allJurors(d) {
		if seen[j] {
			return fmt.Errorf("invariant jury: %s sits twice on dispute %d", j, d.Id)
		}
		seen[j] = true
		a, _ := core.ParseAddress(j)
		if slices.ContainsFunc(ex, func(e core.Address) bool { return bytes.Equal(e, a) }) {
			return fmt.Errorf("invariant jury: %s is excluded from dispute %d", j, d.Id)
		}
	}
	return nil
}
