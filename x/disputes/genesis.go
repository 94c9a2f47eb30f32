package disputes

import (
	"encoding/binary"
	"slices"

	"github.com/commonsledger/commons/x/core"
)

// DefaultGenesis has default params and no disputes.
func DefaultGenesis() *GenesisState {
	p := DefaultParams()
	return &GenesisState{Params: &p, NextDisputeId: 1}
}

// Validate checks a genesis state on its own: params, unique ids below next_dispute_id, statuses,
// juries of jury_size distinct members for VOTING disputes, at most one undecided dispute per
// claim, and votes by a juror of their dispute that add up to its counts. That each claim exists and
// the exclusions hold is checked against the other modules by the invariants after import.
func (g *GenesisState) Validate() error {
	if g.Params == nil {
		return ErrInvalidGenesis.Wrapf("params missing")
	}
	if err := g.Params.Validate(); err != nil {
		return ErrInvalidGenesis.Wrapf("%v", err)
	}
	byID := map[uint64]*Dispute{}
	openClaim := map[uint64]bool{}
	for i, d := range g.Disputes {
		if d == nil || d.Id == 0 || d.Id >= g.NextDisputeId {
			return ErrInvalidGenesis.Wrapf("dispute %d: missing or id not in 1..next_dispute_id-1", i)
		}
		if byID[d.Id] != nil {
			return ErrInvalidGenesis.Wrapf("dispute id %d listed twice", d.Id)
		}
		byID[d.Id] = d
		if _, err := core.ParseAddress(d.Disputant); err != nil {
			return ErrInvalidGenesis.Wrapf("dispute %d disputant: %v", d.Id, err)
		}
		if _, err := core.ParseAddress(d.Claimant); err != nil {
			return ErrInvalidGenesis.Wrapf("dispute %d claimant: %v", d.Id, err)
		}
		if d.Status <= DisputeStatus_DISPUTE_STATUS_UNSPECIFIED || d.Status > DisputeStatus_DISPUTE_STATUS_APPEALED {
			return ErrInvalidGenesis.Wrapf("dispute %d has status %v", d.Id, d.Status)
		}
		for _, j := range allJurors(d) {
			if _, err := core.ParseAddress(j); err != nil {
				return ErrInvalidGenesis.Wrapf("dispute %d juror: %v", d.Id, err)
			}
		}
		if (d.Status == DisputeStatus_DISPUTE_STATUS_VOTING || d.Status == DisputeStatus_DISPUTE_STATUS_APPEALED && len(d.Jurors) > 0) &&
			(len(d.Jurors) == 0 || d.Deadline == 0) {
			return ErrInvalidGenesis.Wrapf("dispute %d is voting without a jury or deadline", d.Id)
		}
		if !d.Final {
			if openClaim[d.ClaimId] {
				return ErrInvalidGenesis.Wrapf("claim %d has two disputes that are not final", d.ClaimId)
			}
			openClaim[d.ClaimId] = true
		}
	}
	type key struct {
		id    uint64
		juror string
	}
	seen := map[key]bool{}
	uphold, dismiss := map[uint64]uint32{}, map[uint64]uint32{}
	for i, v := range g.Votes {
		if v == nil || byID[v.DisputeId] == nil {
			return ErrInvalidGenesis.Wrapf("vote %d is for a missing dispute", i)
		}
		d := byID[v.DisputeId]
		if !slices.Contains(allJurors(d), v.Juror) {
			return ErrInvalidGenesis.Wrapf("vote %d is by %s, not a juror of dispute %d", i, v.Juror, d.Id)
		}
		if seen[key{v.DisputeId, v.Juror}] {
			return ErrInvalidGenesis.Wrapf("%s votes on dispute %d twice", v.Juror, v.DisputeId)
		}
		seen[key{v.DisputeId, v.Juror}] = true
		if v.Round != d.Round {
			continue // a vote of the first jury: kept for the record, not in the counts
		}
		switch v.Vote {
		case JuryVote_JURY_VOTE_UPHOLD:
			uphold[d.Id]++
		case JuryVote_JURY_VOTE_DISMISS:
			dismiss[d.Id]++
		default:
			return ErrInvalidGenesis.Wrapf("vote %d has no vote", i)
		}
	}
	for _, d := range g.Disputes {
		if d.Uphold != uphold[d.Id] || d.Dismiss != dismiss[d.Id] {
			return ErrInvalidGenesis.Wrapf("dispute %d counts %d/%d votes but has %d/%d", d.Id, d.Uphold, d.Dismiss, uphold[d.Id], dismiss[d.Id])
		}
	}
	queued := map[uint64]bool{}
	for _, id := range g.ReversalQueue {
		d := byID[id]
		if d == nil || !awaitsReversal(d) || queued[id] {
			return ErrInvalidGenesis.Wrapf("reversal queue holds dispute %d, which is not a final, unreversed UPHELD dispute (or is listed twice)", id)
		}
		queued[id] = true
	}
	recs := map[string]bool{}
	for i, r := range g.Records {
		if r == nil || r.Record == nil {
			return ErrInvalidGenesis.Wrapf("record %d is empty", i)
		}
		if _, err := core.ParseAddress(r.Member); err != nil || recs[r.Member] {
			return ErrInvalidGenesis.Wrapf("record %d: bad or repeated member %q", i, r.Member)
		}
		recs[r.Member] = true
	}
	return nil
}

// awaitsReversal reports whether d is finally UPHELD and its reversal has not run.
func awaitsReversal(d *Dispute) bool {
	return d.Final && d.Status == DisputeStatus_DISPUTE_STATUS_UPHELD && !d.Reversed && !d.ReversalSkipped
}

// InitGenesis writes the genesis state and rebuilds every index and counter. OPEN disputes go to
// the draw queue at height 0 (drawn at the end of the first block), VOTING ones to the deadline
// queue.
func (k Keeper) InitGenesis(ctx *core.Context, g *GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	ctx.KV.Set(paramsKey, core.MustMarshal(g.Params))
	counts := DisputeCounts{NextId: max(g.NextDisputeId, 1)}
	for _, gd := range g.Disputes {
		d := *gd
		status := d.Status
		d.Status = DisputeStatus_DISPUTE_STATUS_UNSPECIFIED
		k.moveStatus(ctx.KV, &counts, &d, status)
		k.setDispute(ctx.KV, &d)
		ctx.KV.Set(core.Key(byClaim(d.ClaimId), core.Uint64Key(d.Id)), present)
		for _, j := range allJurors(&d) {
			a, _ := core.ParseAddress(j)
			ctx.KV.Set(core.Key(byJuror(a), core.Uint64Key(d.Id)), present)
		}
		switch d.Status {
		case DisputeStatus_DISPUTE_STATUS_OPEN:
			ctx.KV.Set(drawQueueKey(0, d.Id), present)
		case DisputeStatus_DISPUTE_STATUS_VOTING:
			ctx.KV.Set(deadlineKey(d.Deadline, d.Id), present)
		case DisputeStatus_DISPUTE_STATUS_APPEALED:
			if len(d.Jurors) == 0 {
				ctx.KV.Set(drawQueueKey(0, d.Id), present)
			} else {
				ctx.KV.Set(deadlineKey(d.Deadline, d.Id), present)
			}
		default:
			if awaitsFinal(&d) {
				ctx.KV.Set(finalQueueKey(d.AppealDeadline, d.Id), present)
			}
		}
		if !d.Final {
			ctx.KV.Set(openByClaimKey(d.ClaimId), core.Uint64Key(d.Id))
		}
		if Undecided(d.Status) {
			disputant, _ := core.ParseAddress(d.Disputant)
			k.addOpen(ctx.KV, disputant, +1)
		}
	}
	k.setCounts(ctx.KV, counts)
	for _, v := range g.Votes {
		juror, _ := core.ParseAddress(v.Juror)
		ctx.KV.Set(voteKey(v.DisputeId, juror), core.MustMarshal(v))
	}
	for _, id := range g.ReversalQueue {
		ctx.KV.Set(reverseQueueKey(id), present)
	}
	for _, r := range g.Records {
		m, _ := core.ParseAddress(r.Member)
		ctx.KV.Set(recordKey(m), core.MustMarshal(r.Record))
	}
	return nil
}

// ExportGenesis writes the state as a genesis: disputes in id order, votes in (dispute, juror) order.
func (k Keeper) ExportGenesis(r core.Reader) *GenesisState {
	p := k.Params(r)
	g := &GenesisState{Params: &p, NextDisputeId: k.Counts(r).NextId}
	k.IterateDisputes(r, func(d Dispute) bool {
		g.Disputes = append(g.Disputes, &d)
		return true
	})
	core.IteratePrefix(r, votePrefix, false, func(_, v []byte) bool {
		var x JuryVoteRecord
		core.MustUnmarshal(v, &x)
		g.Votes = append(g.Votes, &x)
		return true
	})
	core.IteratePrefix(r, reverseQueuePfx, false, func(key, _ []byte) bool {
		g.ReversalQueue = append(g.ReversalQueue, binary.BigEndian.Uint64(key[len(key)-8:]))
		return true
	})
	core.IteratePrefix(r, recordPrefix, false, func(key, v []byte) bool {
		rec := &MemberDisputeRecord{}
		core.MustUnmarshal(v, rec)
		g.Records = append(g.Records, &GenesisRecord{Member: core.Address(key[len(recordPrefix)+1:]).String(), Record: rec})
		return true
	})
	return g
}

// allJurors lists every jury of d: the current one, a first jury replaced by a redraw, and the
// jury of the first decision once appealed.
func allJurors(d *Dispute) []string {
	out := append(slices.Clone(d.Jurors), d.PreviousJurors...)
	return append(out, d.FirstJurors...)
}

// awaitsFinal reports whether d is decided, not final and still in its appeal window's queue.
func awaitsFinal(d *Dispute) bool {
	return !InProgress(d.Status) && !d.Final && d.AppealDeadline != 0
}
