package app

import (
	"fmt"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// CheckInvariants verifies the invariants of design §2 over one version of state, plus the
// consistency of the indexes and counters that the keepers maintain alongside it. Each module
// checks its own (bank, members and claims Keeper.CheckInvariants); the app checks those that
// involve several modules. It reads every account, member, claim and attestation, so it is for
// tests and `commonsd debug invariants`, not for block execution. It returns the first violation
// found.
func (a *App) CheckInvariants(r core.Reader) error {
	k := a.keepers
	for _, check := range []func(core.Reader) error{
		k.Bank.CheckInvariants, k.Members.CheckInvariants, k.Claims.CheckInvariants, k.Disputes.CheckInvariants, a.checkMinted,
	} {
		if err := check(r); err != nil {
			return err
		}
	}
	return nil
}

// checkMinted (bank and claims): the hours the bank minted are exactly those of the VERIFIED claims
// (each of which minted its duration, claims.Keeper.CheckInvariants).
func (a *App) checkMinted(r core.Reader) error {
	var verified uint64
	a.keepers.Claims.IterateClaims(r, func(c claims.Claim) bool {
		if c.Status == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
			verified += c.Minted
		}
		return true
	})
	if minted := a.keepers.Bank.Supply(r).Minted; minted != verified {
		return fmt.Errorf("invariant minted: bank minted %d but VERIFIED claims sum to %d", minted, verified)
	}
	return nil
}
