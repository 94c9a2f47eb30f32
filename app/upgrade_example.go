//go:build upgradetest

package app

import (
	"slices"

	"github.com/commonsledger/commons/x/core"
)

// The example upgrade, compiled in only with -tags upgradetest: the "next release" of the upgrade
// test (cmd/commonsd TestUpgradeStopsAndMigrates) and of docs/operating.md's upgrading runbook
// rehearsal. It adds a "repair" category to the claims params, a change an older binary's state
// lacks, and takes the state from protocol 6 to 7.
func init() {
	RegisterUpgrade(Upgrade{Name: "v7-repair", From: 6, To: 7, Migrate: func(ctx *core.Context, k Keepers) error {
		p := k.Claims.Params(ctx.KV)
		if !slices.Contains(p.Categories, "repair") {
			p.Categories = append(p.Categories, "repair")
		}
		return k.Claims.SetParams(ctx.KV, p)
	}})
}
