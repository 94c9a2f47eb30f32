package disputes

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"

	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// Per-block bounds, consensus rules: a block draws at most MaxDrawsPerBlock juries (each reads the
// active member list once per block and O(jury²) words of the draw stream) and decides at most
// MaxDecisionsPerBlock disputes (a redraw counts as a draw). The rest wait, in order, for the next
// blocks.
const (
	MaxDrawsPerBlock     = 64
	MaxDecisionsPerBlock = 256
	// MaxFinalsPerBlock bounds how many unappealed disputes whose appeal window passed a block
	// marks final; the rest wait, in order, for the next blocks (they can no longer be appealed).
	MaxFinalsPerBlock = 256
)

// Outcome reasons recorded on decided disputes.
const (
	ReasonMajority = "majority"
	ReasonTie      = "tie"
	ReasonNoQuorum = "no quorum after a redraw"
	ReasonTooFew   = "too few eligible jurors"
	// ReasonAppealNoQuorum: an appeal jury without a quorum dismisses (no redraw on appeal).
	ReasonAppealNoQuorum = "no quorum on appeal"
	drawDomain           = "disputes/jury"
	redrawDomain         = "disputes/jury-redraw"
	appealDomain         = "disputes/jury-appeal"
	firstRound           = 1
	secondRound          = 2
	// AppealRound is the round of the appeal jury.
	AppealRound = 3
)

// EndBlock draws the juries of the disputes opened in earlier blocks, then decides the disputes
// whose voting deadline is at or before the block time. It needs ctx.BlockHash (end of
// FinalizeBlock); without it (never in a real block) it does nothing.
func (k Keeper) EndBlock(ctx *core.Context) error {
	if len(ctx.BlockHash) == 0 {
		return nil
	}
	var queued []uint64
	var keys [][]byte
	// Keys below (this height, *) were queued by earlier blocks.
	ctx.KV.Iterate(drawQueuePrefix, core.Key(drawQueuePrefix, core.Uint64Key(uint64(max(ctx.Height, 0)))), false, func(key, _ []byte) bool {
		queued = append(queued, binary.BigEndian.Uint64(key[len(key)-8:]))
		keys = append(keys, bytes.Clone(key))
		return len(queued) < MaxDrawsPerBlock
	})
	var due []uint64
	ctx.KV.Iterate(deadlinePrefix, core.Key(deadlinePrefix, core.Int64Key(ctx.Time+1)), false, func(key, _ []byte) bool {
		due = append(due, binary.BigEndian.Uint64(key[len(key)-8:]))
		return len(due) < MaxDecisionsPerBlock
	})
	var finals []uint64
	var finalKeys [][]byte
	ctx.KV.Iterate(finalQueuePfx, core.Key(finalQueuePfx, core.Int64Key(ctx.Time+1)), false, func(key, _ []byte) bool {
		finals = append(finals, binary.BigEndian.Uint64(key[len(key)-8:]))
		finalKeys = append(finalKeys, bytes.Clone(key))
		return len(finals) < MaxFinalsPerBlock
	})
	if len(queued) == 0 && len(due) == 0 && len(finals) == 0 {
		return k.processReversals(ctx)
	}
	p := k.Params(ctx.KV)
	active := k.members.ActiveAddresses(ctx.KV)
	for i, id := range queued {
		ctx.KV.Delete(keys[i])
		d := k.mustDispute(ctx.KV, id)
		round := uint32(firstRound)
		if d.Status == DisputeStatus_DISPUTE_STATUS_APPEALED {
			round = AppealRound
		}
		k.draw(ctx, p, active, &d, round)
	}
	for _, id := range due {
		d := k.mustDispute(ctx.KV, id)
		ctx.KV.Delete(deadlineKey(d.Deadline, d.Id))
		k.decide(ctx, p, active, &d)
	}
	for i, id := range finals {
		ctx.KV.Delete(finalKeys[i])
		d, _ := k.Dispute(ctx.KV, id)
		k.markFinal(ctx, &d)
	}
	return k.processReversals(ctx)
}

// markFinal records that d's decision can no longer change, counts it in the disputant's record,
// and queues a final UPHELD for reversal (processReversals, at the end of this block).
func (k Keeper) markFinal(ctx *core.Context, d *Dispute) {
	d.Final = true
	k.setDispute(ctx.KV, d)
	ctx.KV.Delete(openByClaimKey(d.ClaimId))
	upheld := d.Status == DisputeStatus_DISPUTE_STATUS_UPHELD
	if upheld {
		ctx.KV.Set(reverseQueueKey(d.Id), present)
	}
	disputant, _ := core.ParseAddress(d.Disputant)
	k.updateRecord(ctx.KV, disputant, func(r *MemberDisputeRecord) {
		if upheld {
			r.DisputesUpheld++
		} else {
			r.DisputesDismissed++
		}
	})
	ctx.Emit("dispute_final", "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(d.ClaimId, 10),
		"outcome", StatusName(d.Status), "appealed", strconv.FormatBool(d.Appellant != ""))
}

func (k Keeper) mustDispute(r core.Reader, id uint64) Dispute {
	d, ok := k.Dispute(r, id)
	if !ok || !InProgress(d.Status) {
		panic("disputes: queue holds dispute " + strconv.FormatUint(id, 10) + " that is not in progress")
	}
	return d
}

// draw draws d's jury for round from the active members minus the exclusions, or dismisses d when
// too few are eligible.
func (k Keeper) draw(ctx *core.Context, p Params, active []core.Address, d *Dispute, round uint32) {
	var extra []string
	domain, size := drawDomain, int(p.JurySize)
	switch round {
	case secondRound:
		extra, domain = d.Jurors, redrawDomain
	case AppealRound:
		extra, domain, size = append(slices.Clone(d.FirstJurors), d.PreviousJurors...), appealDomain, 2*size+1
	}
	eligible := members.Exclude(active, k.excluded(ctx.KV, d, extra)...)
	idx, err := core.Draw(ctx.BlockHash, domain, d.Id, len(eligible), size)
	if err != nil {
		reason := ReasonTooFew + " (" + strconv.Itoa(len(eligible)) + " eligible, jury_size " + strconv.Itoa(size) + ")"
		if round == AppealRound {
			reason = ReasonTooFew + " (" + strconv.Itoa(len(eligible)) + " eligible, appeal jury of " + strconv.Itoa(size) + ")"
			// The first decision stands, final.
			k.closeAppeal(ctx, d, d.FirstOutcome, reason)
			return
		}
		k.close(ctx, p, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, reason)
		return
	}
	if round == secondRound {
		d.PreviousJurors = d.Jurors
	}
	d.Jurors = make([]string, len(idx))
	for i, j := range idx {
		d.Jurors[i] = eligible[j].String()
		ctx.KV.Set(core.Key(byJuror(eligible[j]), core.Uint64Key(d.Id)), present)
	}
	d.Round, d.Uphold, d.Dismiss = round, 0, 0
	d.Deadline = ctx.Time + p.JuryWindow
	ctx.KV.Set(deadlineKey(d.Deadline, d.Id), present)
	if d.Status == DisputeStatus_DISPUTE_STATUS_OPEN {
		k.setStatus(ctx.KV, d, DisputeStatus_DISPUTE_STATUS_VOTING)
	}
	k.setDispute(ctx.KV, d)
	event := "jury_drawn"
	if round == AppealRound {
		event = "appeal_jury_drawn"
	}
	ctx.Emit(event, "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(d.ClaimId, 10),
		"round", strconv.FormatUint(uint64(round), 10), "deadline", strconv.FormatInt(d.Deadline, 10),
		"jurors", strings.Join(d.Jurors, ","))
}

// decide settles d at its deadline: with a quorum (more than half the jury voted) the majority of
// cast votes, a tie dismissing; without one a redraw once, then dismissal.
func (k Keeper) decide(ctx *core.Context, p Params, active []core.Address, d *Dispute) {
	k.endTerm(ctx.KV, d)
	cast := d.Uphold + d.Dismiss
	if d.Round == AppealRound {
		switch {
		case 2*cast <= uint32(len(d.Jurors)):
			k.closeAppeal(ctx, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonAppealNoQuorum)
		case d.Uphold > d.Dismiss:
			k.closeAppeal(ctx, d, DisputeStatus_DISPUTE_STATUS_UPHELD, ReasonMajority)
		case d.Uphold == d.Dismiss:
			k.closeAppeal(ctx, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonTie)
		default:
			k.closeAppeal(ctx, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonMajority)
		}
		return
	}
	if 2*cast <= uint32(len(d.Jurors)) {
		if d.Round < secondRound {
			k.draw(ctx, p, active, d, secondRound)
			return
		}
		k.close(ctx, p, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonNoQuorum)
		return
	}
	switch {
	case d.Uphold > d.Dismiss:
		k.close(ctx, p, d, DisputeStatus_DISPUTE_STATUS_UPHELD, ReasonMajority)
	case d.Uphold == d.Dismiss:
		k.close(ctx, p, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonTie)
	default:
		k.close(ctx, p, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonMajority)
	}
}

// close records d's first outcome, releases the disputant's per-member slot, and opens the appeal
// window (a dismissal for too few eligible jurors is final at once). The claim itself is not
// changed in this step, and the claim's dispute slot stays taken until the decision is final.
func (k Keeper) close(ctx *core.Context, p Params, d *Dispute, to DisputeStatus, reason string) {
	k.setStatus(ctx.KV, d, to)
	d.DecidedAt, d.DecidedHeight, d.OutcomeReason = ctx.Time, uint64(max(ctx.Height, 0)), reason
	tooFew := strings.HasPrefix(reason, ReasonTooFew)
	if !tooFew {
		d.AppealDeadline = ctx.Time + p.AppealWindow
		ctx.KV.Set(finalQueueKey(d.AppealDeadline, d.Id), present)
	}
	k.setDispute(ctx.KV, d)
	disputant, _ := core.ParseAddress(d.Disputant)
	k.addOpen(ctx.KV, disputant, -1)
	ctx.Emit("dispute_decided", "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(d.ClaimId, 10),
		"outcome", StatusName(to), "reason", reason,
		"uphold", strconv.FormatUint(uint64(d.Uphold), 10), "dismiss", strconv.FormatUint(uint64(d.Dismiss), 10))
	if tooFew {
		k.markFinal(ctx, d)
	}
}

// closeAppeal records the appeal's outcome, which replaces the first decision and is final.
func (k Keeper) closeAppeal(ctx *core.Context, d *Dispute, to DisputeStatus, reason string) {
	k.setStatus(ctx.KV, d, to)
	d.DecidedAt, d.DecidedHeight, d.AppealReason = ctx.Time, uint64(max(ctx.Height, 0)), reason
	if strings.HasPrefix(reason, ReasonTooFew) {
		d.OutcomeReason = d.FirstReason + "; appeal not drawn: " + reason
	} else {
		d.OutcomeReason = "appeal: " + reason
	}
	ctx.Emit("appeal_decided", "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(d.ClaimId, 10),
		"outcome", StatusName(to), "first_outcome", StatusName(d.FirstOutcome), "reason", reason,
		"uphold", strconv.FormatUint(uint64(d.Uphold), 10), "dismiss", strconv.FormatUint(uint64(d.Dismiss), 10))
	k.markFinal(ctx, d)
}
