package gov

import (
	"regexp"
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// upgradeName is what an upgrade may be called: it names a release, in logs and file names.
var upgradeName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// MaxUpgradeInfoBytes bounds an upgrade's info.
const MaxUpgradeInfoBytes = 512

// UpgradePlan returns the scheduled upgrade, if any.
func (Keeper) UpgradePlan(r core.Reader) (UpgradePlan, bool) {
	var p UpgradePlan
	ok := core.Load(r, upgradePlanKey, &p)
	return p, ok
}

// QueryUpgrade returns the scheduled upgrade and the applied ones, oldest first.
func (k Keeper) QueryUpgrade(r core.Reader) *QueryUpgradeResponse {
	resp := &QueryUpgradeResponse{}
	if p, ok := k.UpgradePlan(r); ok {
		resp.Plan = &p
	}
	core.IteratePrefix(r, appliedPrefix, false, func(_, v []byte) bool {
		var a AppliedUpgrade
		core.MustUnmarshal(v, &a)
		resp.Applied = append(resp.Applied, &a)
		return true
	})
	return resp
}

// checkUpgrade validates an upgrade proposal: a name a release can carry, short info, a height
// after the current block, and no other upgrade scheduled.
func (k Keeper) checkUpgrade(r core.Reader, height int64, u *UpgradeProposal) error {
	switch {
	case !upgradeName.MatchString(u.Name):
		return ErrInvalidUpgrade.Wrapf("name %q; use 1-64 lower-case letters, digits, '.', '_' or '-', such as v2", u.Name)
	case len(u.Info) > MaxUpgradeInfoBytes:
		return ErrInvalidUpgrade.Wrapf("info of %d bytes; at most %d", len(u.Info), MaxUpgradeInfoBytes)
	case u.Height <= uint64(max(height, 0)):
		return ErrInvalidUpgrade.Wrapf("height %d is not after the current block %d; pick a height after the vote ends", u.Height, height)
	}
	if p, ok := k.UpgradePlan(r); ok {
		return ErrInvalidUpgrade.Wrapf("upgrade %s is already scheduled at height %d (proposal %d)", p.Name, p.Height, p.ProposalId)
	}
	if _, done := k.applied(r, u.Name); done {
		return ErrInvalidUpgrade.Wrapf("upgrade %s was already applied", u.Name)
	}
	return nil
}

func (Keeper) applied(r core.Reader, name string) (AppliedUpgrade, bool) {
	var found AppliedUpgrade
	ok := false
	core.IteratePrefix(r, appliedPrefix, false, func(_, v []byte) bool {
		var a AppliedUpgrade
		core.MustUnmarshal(v, &a)
		if a.Name == name {
			found, ok = a, true
		}
		return !ok
	})
	return found, ok
}

// scheduleUpgrade stores a passed upgrade's plan, checked again now (the height must still be
// ahead, and no other upgrade scheduled meanwhile).
func (k Keeper) scheduleUpgrade(ctx *core.Context, u *UpgradeProposal, proposalID uint64) error {
	if err := k.checkUpgrade(ctx.KV, ctx.Height, u); err != nil {
		return err
	}
	ctx.KV.Set(upgradePlanKey, core.MustMarshal(&UpgradePlan{Name: u.Name, Height: u.Height, Info: u.Info, ProposalId: proposalID}))
	ctx.Emit("upgrade_scheduled", "name", u.Name, "height", strconv.FormatUint(u.Height, 10), "proposal_id", strconv.FormatUint(proposalID, 10))
	return nil
}

// FinishUpgrade records that this block's binary ran the scheduled upgrade's migration (protocol
// from → to) and clears the plan. The app calls it at the start of the plan's block.
func (k Keeper) FinishUpgrade(ctx *core.Context, p UpgradePlan, from, to uint64) {
	ctx.KV.Delete(upgradePlanKey)
	ctx.KV.Set(core.Key(appliedPrefix, core.Uint64Key(p.Height)), core.MustMarshal(&AppliedUpgrade{Name: p.Name, Height: p.Height,
		Time: ctx.Time, From: from, To: to, ProposalId: p.ProposalId}))
	ctx.Emit("upgrade_applied", "name", p.Name, "height", strconv.FormatUint(p.Height, 10),
		"from", strconv.FormatUint(from, 10), "to", strconv.FormatUint(to, 10))
}
