package app

import (
	"encoding/binary"
	"fmt"

	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/gov"
)

// Upgrade is a software upgrade this binary knows (design §9): governance schedules it by name at
// a height; at the start of that block this binary runs Migrate once, taking the state from
// protocol version From to To (the version is stored in the app's state, protocolKey). A binary
// that does not know the name stops there instead (UpgradeNeededError). Migrate must be a
// deterministic function of the state that writes only through ctx.KV: it also runs on the
// scratch state PrepareProposal and ProcessProposal judge that block's txs on, which is discarded.
type Upgrade struct {
	Name     string
	From, To uint64
	Migrate  func(ctx *core.Context, k Keepers) error
}

// upgrades are the upgrades this binary knows, registered by init functions (RegisterUpgrade).
var upgrades = map[string]Upgrade{}

// RegisterUpgrade makes u known to this binary, and makes its To this binary's ProtocolVersion. It
// is for init functions only.
func RegisterUpgrade(u Upgrade) {
	if _, dup := upgrades[u.Name]; dup || u.To != u.From+1 || u.Migrate == nil {
		panic("app: bad or repeated upgrade " + u.Name)
	}
	upgrades[u.Name] = u
	ProtocolVersion = max(ProtocolVersion, u.To)
}

// UpgradeNeededError stops a node at a scheduled upgrade its binary does not know.
type UpgradeNeededError struct {
	Name   string
	Height uint64
	Info   string
}

// Unwrap makes it a core.ErrHalt: the node stops at this block.
func (e *UpgradeNeededError) Unwrap() error { return core.ErrHalt }

func (e *UpgradeNeededError) Error() string {
	msg := fmt.Sprintf("upgrade %s required at height %d: this commonsd (%s, protocol %d) does not know it; install the release that does and start the node again",
		e.Name, e.Height, Version, ProtocolVersion)
	if e.Info != "" {
		msg += " (" + e.Info + ")"
	}
	return msg
}

// beginBlock runs at the start of every block, before its txs, on the block's state (and on the
// scratch state of proposals): when an upgrade is scheduled for this height, it runs the
// upgrade's migration, or returns UpgradeNeededError if this binary does not know it.
func (a *App) beginBlock(ctx *core.Context) error {
	plan, ok := a.keepers.Gov.UpgradePlan(ctx.KV)
	if !ok || int64(plan.Height) > ctx.Height {
		return nil
	}
	u, known := upgrades[plan.Name]
	if !known {
		return &UpgradeNeededError{Name: plan.Name, Height: plan.Height, Info: plan.Info}
	}
	if wrote := storedProtocol(ctx.KV); wrote != u.From {
		return fmt.Errorf("upgrade %s migrates protocol %d, but the state is at protocol %d", u.Name, u.From, wrote)
	}
	if err := u.Migrate(ctx, a.keepers); err != nil {
		return fmt.Errorf("upgrade %s: migration failed: %w", u.Name, err)
	}
	ctx.KV.Set(protocolKey, binary.BigEndian.AppendUint64(nil, u.To))
	a.keepers.Gov.FinishUpgrade(ctx, plan, u.From, u.To)
	return nil
}

// storedProtocol is the protocol version that wrote the state (1 for states from before it was
// recorded).
func storedProtocol(r core.Reader) uint64 {
	if b, ok := r.Get(protocolKey); ok && len(b) == 8 {
		return binary.BigEndian.Uint64(b)
	}
	return 1
}

// upgradeAt says what this binary will do with the upgrade scheduled for the block after
// committed, if any: nil when there is none, or it is known and migrates from wrote to this
// binary's protocol; UpgradeNeededError when this binary does not know it.
func upgradeAt(r core.Reader, k gov.Keeper, committed int64, wrote uint64) (planned bool, err error) {
	plan, ok := k.UpgradePlan(r)
	if !ok {
		return false, nil
	}
	if u, known := upgrades[plan.Name]; known && int64(plan.Height) > committed+1 && u.From == wrote {
		return true, fmt.Errorf("this commonsd (%s) runs upgrade %s, scheduled at height %d; the chain is at %d: keep running the release that wrote it (protocol %d) until it stops at height %d, then start this one",
			Version, plan.Name, plan.Height, committed, wrote, plan.Height)
	}
	if int64(plan.Height) != committed+1 {
		return false, nil
	}
	u, known := upgrades[plan.Name]
	if !known {
		return true, &UpgradeNeededError{Name: plan.Name, Height: plan.Height, Info: plan.Info}
	}
	if u.From != wrote || u.To != ProtocolVersion {
		return true, fmt.Errorf("upgrade %s at height %d migrates protocol %d to %d; the state is at %d and this commonsd runs %d",
			u.Name, plan.Height, u.From, u.To, wrote, ProtocolVersion)
	}
	return true, nil
}
