package disputes

import "github.com/commonsledger/commons/x/core"

// DrawForTest runs the jury draw of EndBlock on d (round 1 or 2), for the frequency test.
func (k Keeper) DrawForTest(ctx *core.Context, p Params, active []core.Address, d *Dispute, round uint32) {
	k.draw(ctx, p, active, d, round)
}
