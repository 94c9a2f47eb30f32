package projects

import (
	"encoding/binary"
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// MaxDistributionsPerBlock caps the distributions one block makes, so that a byzantine proposer
// filling a block with them does at most MaxDistributionsPerBlock × (max_distribution_claims index
// reads + max_distribution_contributors payments) of work. It is a consensus rule (FinalizeBlock,
// PrepareProposal, ProcessProposal), not a mempool rule, as claims.MaxClaimsPerBlock.
const MaxDistributionsPerBlock = 8

// Distribute splits the whole balance of the project's account, as of the block time (demurrage
// applied as the bank computes it), among the claimants of the project's VERIFIED claims verified
// in [from, to), in proportion to their hours (Split: largest remainder, ties by address), and
// records the distribution. Only an ACTIVE steward may distribute; the period must have ended (to
// at most the block time, so no claim can still be verified inside it) and must not overlap a
// period of the project distributed before. Its work is bounded by max_distribution_claims and
// max_distribution_contributors: a period holding more is refused, to be split into shorter ones.
func (k Keeper) Distribute(ctx *core.Context, msg *MsgDistribute) error {
	pr, ok := k.ByHandle(ctx.KV, msg.Project)
	if !ok {
		return ErrProjectNotFound.Wrapf("no project %q; see `commonsd query projects`", msg.Project)
	}
	if !IsSteward(&pr, ctx.Signer) || !k.members.IsActive(ctx.KV, ctx.Signer) {
		return ErrNotSteward.Wrapf("%s is not an active steward of %q; its stewards are %v", ctx.Signer, pr.Handle, pr.Stewards)
	}
	if err := checkPeriod(msg.From, msg.To, ctx.Time); err != nil {
		return err
	}
	counts := k.Counts(ctx.KV)
	if counts.BlockHeight != ctx.Height {
		counts.BlockHeight, counts.BlockDistributions = ctx.Height, 0
	}
	if !k.mempool && counts.BlockDistributions >= MaxDistributionsPerBlock {
		return ErrBlockDistributionsFull.Wrapf("the block already holds %d distributions; resubmit in the next block", counts.BlockDistributions)
	}
	if d, overlaps := k.overlapping(ctx.KV, pr.Id, msg.From, msg.To); overlaps {
		return ErrPeriodDistributed.Wrapf("distribution %d already paid [%s, %s); a period is distributed once, choose one after it",
			d.Id, core.FormatTime(d.From), core.FormatTime(d.To))
	}
	total := k.Balance(ctx.KV, &pr, ctx.Time)
	if total == 0 {
		return ErrNothingToDistribute.Wrapf("the account %s of %q holds nothing; pay hours into it first", pr.Account, pr.Handle)
	}
	p := k.Params(ctx.KV)
	c, limit := k.contributors(ctx.KV, pr.Handle, msg.From, msg.To, uint64(p.MaxDistributionClaims), uint64(p.MaxDistributionContributors))
	switch {
	case limit == overClaims:
		return ErrTooManyClaims.Wrapf("[%s, %s) holds more than %d verified claims of %q (max_distribution_claims); distribute a shorter period",
			core.FormatTime(msg.From), core.FormatTime(msg.To), p.MaxDistributionClaims, pr.Handle)
	case limit == overContributors:
		return ErrTooManyContributors.Wrapf("[%s, %s) has more than %d contributors to %q (max_distribution_contributors); distribute a shorter period",
			core.FormatTime(msg.From), core.FormatTime(msg.To), p.MaxDistributionContributors, pr.Handle)
	case len(c.shares) == 0:
		return ErrNoContributors.Wrapf("no verified claim of %q was verified in [%s, %s); choose a period with contributions",
			pr.Handle, core.FormatTime(msg.From), core.FormatTime(msg.To))
	}
	d := &Distribution{Id: counts.NextDistributionId, Project: pr.Handle, From: msg.From, To: msg.To, Total: total,
		Steward: ctx.Signer.String(), Time: ctx.Time, Height: uint64(max(ctx.Height, 0)), Claims: c.claims}
	if err := k.pay(ctx, &pr, d, c); err != nil {
		return err
	}
	counts.NextDistributionId++
	counts.BlockDistributions++
	counts.Distributed += total
	k.setCounts(ctx.KV, counts)
	pr.Distributed += total
	pr.Distributions++
	k.setProject(ctx.KV, &pr)
	k.record(ctx.KV, pr.Id, d)
	ctx.Emit("distribution", "distribution_id", strconv.FormatUint(d.Id, 10), "project", pr.Handle, "steward", d.Steward,
		"from", strconv.FormatInt(d.From, 10), "to", strconv.FormatInt(d.To, 10), "total", core.Uhour(total),
		"contributors", strconv.Itoa(len(d.Payouts)))
	return nil
}

// pay splits d.Total among c's contributors and pays each its part from the project's account,
// recording the payouts (every contributor, also one whose part rounds to 0) in d.
func (k Keeper) pay(ctx *core.Context, pr *Project, d *Distribution, c contributions) error {
	from := AccountAddress(pr.Id)
	for i, amount := range c.split(d.Total) {
		s := c.shares[i]
		d.Payouts = append(d.Payouts, &Payout{Address: s.Address, Uhours: s.Uhours, Amount: amount})
		if amount == 0 {
			continue
		}
		to, _ := core.ParseAddress(s.Address)
		if err := k.bank.Pay(ctx, from, to, amount); err != nil {
			return err
		}
		ctx.Emit("distribution_payout", "distribution_id", strconv.FormatUint(d.Id, 10), "project", pr.Handle,
			"recipient", s.Address, "amount", core.Uhour(amount), "uhours", core.Uhour(s.Uhours))
	}
	return nil
}

// record stores distribution d and its period index entry.
func (Keeper) record(kv core.KV, project uint64, d *Distribution) {
	kv.Set(distributionKey(d.Id), core.MustMarshal(d))
	kv.Set(periodKey(project, d.From), core.Uint64Key(d.Id))
}

// checkPeriod: a non-empty period that has ended by block time now.
func checkPeriod(from, to, now int64) error {
	if to <= from {
		return ErrInvalidPeriod.Wrapf("to %s is not after from %s; give a positive period", core.FormatTime(to), core.FormatTime(from))
	}
	if to > now {
		return ErrInvalidPeriod.Wrapf("to %s is after the block time %s; distribute only a period that has ended, so that no claim can still be verified in it",
			core.FormatTime(to), core.FormatTime(now))
	}
	return nil
}

// overlapping returns the distributed period of project that overlaps [from, to), if any. The
// distributed periods of a project do not overlap, so, ordered by start, their ends increase too:
// only the last period starting before to can reach past from. One seek.
func (k Keeper) overlapping(r core.Reader, project uint64, from, to int64) (Distribution, bool) {
	var d Distribution
	found := false
	r.Iterate(periodsOf(project), periodKey(project, to), true, func(_, v []byte) bool {
		d, found = k.Distribution(r, binary.BigEndian.Uint64(v))
		return false
	})
	return d, found && d.To > from
}
