package disputes

import (
	"bytes"
	"encoding/binary"
	"strconv"

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
)

// Outcome reasons recorded on decided disputes.
const (
	ReasonMajority = "majority"
	ReasonTie      = "tie"
	ReasonNoQuorum = "no quorum after a redraw"
	ReasonTooFew   = "too few eligible jurors"
	drawDomain     = "disputes/jury"
	redrawDomain   = "disputes/jury-redraw"
	firstRound     = 1
	secondRound    = 2
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
	if len(queued) == 0 && len(due) == 0 {
		return nil
	}
	p := k.Params(ctx.KV)
	active := k.members.ActiveAddresses(ctx.KV)
	for i, id := range queued {
		ctx.KV.Delete(keys[i])
		d := k.mustDispute(ctx.KV, id)
		k.draw(ctx, p, active, &d, firstRound)
	}
	for _, id := range due {
		d := k.mustDispute(ctx.KV, id)
		ctx.KV.Delete(deadlineKey(d.Deadline, d.Id))
		k.decide(ctx, p, active, &d)
	}
	return nil
}

func (k Keeper) mustDispute(r core.Reader, id uint64) Dispute {
	d, ok := k.Dispute(r, id)
	if !ok || !Undecided(d.Status) {
		panic("disputes: queue holds dispute " + strconv.FormatUint(id, 10) + " that is not undecided")
	}
	return d
}

// draw draws d's jury for round from the active members minus the exclusions, or dismisses d when
// too few are eligible.
func (k Keeper) draw(ctx *core.Context, p Params, active []core.Address, d *Dispute, round uint32) {
	var extra []string
	domain := drawDomain
	if round == secondRound {
		extra, domain = d.Jurors, redrawDomain
	}
	eligible := members.Exclude(active, k.excluded(ctx.KV, d, extra)...)
	idx, err := core.Draw(ctx.BlockHash, domain, d.Id, len(eligible), int(p.JurySize))
	if err != nil {
		k.close(ctx, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonTooFew+" ("+strconv.Itoa(len(eligible))+
			" eligible, jury_size "+strconv.FormatUint(uint64(p.JurySize), 10)+")")
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
	ctx.Emit("jury_drawn", "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(d.ClaimId, 10),
		"round", strconv.FormatUint(uint64(round), 10), "deadline", strconv.FormatInt(d.Deadline, 10),
		"jurors", joinComma(d.Jurors))
}

// decide settles d at its deadline: with a quorum (more than half the jury voted) the majority of
// cast votes, a tie dismissing; without one a redraw once, then dismissal.
func (k Keeper) decide(ctx *core.Context, p Params, active []core.Address, d *Dispute) {
	cast := d.Uphold + d.Dismiss
	if 2*cast <= uint32(len(d.Jurors)) {
		if d.Round < secondRound {
			k.draw(ctx, p, active, d, secondRound)
			return
		}
		k.close(ctx, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonNoQuorum)
		return
	}
	switch {
	case d.Uphold > d.Dismiss:
		k.close(ctx, d, DisputeStatus_DISPUTE_STATUS_UPHELD, ReasonMajority)
	case d.Uphold == d.Dismiss:
		k.close(ctx, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonTie)
	default:
		k.close(ctx, d, DisputeStatus_DISPUTE_STATUS_DISMISSED, ReasonMajority)
	}
}

// close records d's outcome and releases its per-claim and per-member slots. The claim itself is
// not changed in this step (reversal comes with appeals).
func (k Keeper) close(ctx *core.Context, d *Dispute, to DisputeStatus, reason string) {
	k.setStatus(ctx.KV, d, to)
	d.DecidedAt, d.DecidedHeight, d.OutcomeReason = ctx.Time, uint64(max(ctx.Height, 0)), reason
	k.setDispute(ctx.KV, d)
	ctx.KV.Delete(openByClaimKey(d.ClaimId))
	disputant, _ := core.ParseAddress(d.Disputant)
	k.addOpen(ctx.KV, disputant, -1)
	ctx.Emit("dispute_decided", "dispute_id", strconv.FormatUint(d.Id, 10), "claim_id", strconv.FormatUint(d.ClaimId, 10),
		"outcome", StatusName(to), "reason", reason,
		"uphold", strconv.FormatUint(uint64(d.Uphold), 10), "dismiss", strconv.FormatUint(uint64(d.Dismiss), 10))
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}
