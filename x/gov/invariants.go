package gov

import (
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// CheckInvariants verifies the gov module's invariants by reading every proposal, vote and index
// entry (for tests and `commonsd debug invariants`, not for block execution):
//
//   - every proposal has content and a known status; counters per status and next id agree;
//   - each proposal's tally is the sum of its stored votes, one per voter;
//   - the status index and the end queue (VOTING only) hold exactly what the proposals say, and
//     each proposer's open count is their VOTING proposals;
//   - every validator record has a 32-byte key, stored under it, and a positive power.
func (k Keeper) CheckInvariants(r core.Reader) error {
	if err := k.checkValidatorSet(r); err != nil {
		return err
	}
	counts := ProposalCounts{NextId: 1}
	open := map[string]uint32{}
	want := map[string]bool{}
	var err error
	k.IterateProposals(r, func(p Proposal) bool {
		if KindName(p.Content) == "" || p.Status <= ProposalStatus_PROPOSAL_STATUS_UNSPECIFIED || p.Status > ProposalStatus_PROPOSAL_STATUS_FAILED {
			err = fmt.Errorf("invariant gov: proposal %d has no content or status %v", p.Id, p.Status)
			return false
		}
		*counter(&counts, p.Status)++
		counts.NextId = max(counts.NextId, p.Id+1)
		want[string(core.Key(byStatus(p.Status), core.Uint64Key(p.Id)))] = true
		if p.Status == ProposalStatus_PROPOSAL_STATUS_VOTING {
			want[string(endQueueKey(p.VotingEnd, p.Id))] = true
			open[p.Proposer]++
		}
		var sum Proposal
		for _, v := range k.Votes(r, p.Id) {
			*tally(&sum, v.Option)++
		}
		if sum.Yes != p.Yes || sum.No != p.No || sum.Abstain != p.Abstain {
			err = fmt.Errorf("invariant gov: proposal %d tallies %d/%d/%d, its votes say %d/%d/%d", p.Id, p.Yes, p.No, p.Abstain, sum.Yes, sum.No, sum.Abstain)
			return false
		}
		return true
	})
	if err != nil {
		return err
	}
	stored := k.Counts(r)
	if stored.NextId < counts.NextId || stored.Voting != counts.Voting || stored.Passed != counts.Passed ||
		stored.Rejected != counts.Rejected || stored.Failed != counts.Failed {
		return fmt.Errorf("invariant gov: counters %v, proposals say %v", &stored, &counts)
	}
	indexed := 0
	for _, prefix := range [][]byte{byStatusPrefix, endQueuePrefix} {
		core.IteratePrefix(r, prefix, false, func(key, _ []byte) bool {
			if !want[string(key)] {
				err = fmt.Errorf("invariant gov: stray index key %x", key)
				return false
			}
			indexed++
			return true
		})
		if err != nil {
			return err
		}
	}
	if indexed != len(want) {
		return fmt.Errorf("invariant gov: %d index keys, proposals imply %d", indexed, len(want))
	}
	core.IteratePrefix(r, openCountPrefix, false, func(key, v []byte) bool {
		var o OpenProposals
		core.MustUnmarshal(v, &o)
		addr := core.Address(key[len(openCountPrefix)+1:]).String()
		if open[addr] != o.Count {
			err = fmt.Errorf("invariant gov: %s has %d open proposals counted, %d voting", addr, o.Count, open[addr])
			return false
		}
		delete(open, addr)
		return true
	})
	if err != nil {
		return err
	}
	for addr, n := range open {
		return fmt.Errorf("invariant gov: %s has %d voting proposals, none counted", addr, n)
	}
	return nil
}
