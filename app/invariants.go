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
		k.Bank.CheckInvariants, k.Members.CheckInvariants, k.Claims.CheckInvariants, k.Disputes.CheckInvariants, k.Gov.CheckInvariants, k.Projects.CheckInvariants, a.checkMinted, a.checkProjectTags,
	} {
		if err := check(r); err != nil {
			return err
		}
	}
	return nil
}

// checkMinted (bank and claims): the hours the bank minted are exactly those of the VERIFIED and
// REVERSED claims (each of which minted its duration, claims.Keeper.CheckInvariants), and the
// hours it counts as reversed exactly those of the REVERSED claims: every minted unit is traceable
// to its claim.
func (a *App) checkMinted(r core.Reader) error {
	var minted, reversed uint64
	a.keepers.Claims.IterateClaims(r, func(c claims.Claim) bool {
		if claims.Minted(c.Status) {
			minted += c.Minted
		}
		if c.Status == claims.ClaimStatus_CLAIM_STATUS_REVERSED {
			reversed += c.Minted
		}
		return true
	})
	s := a.keepers.Bank.Supply(r)
	if s.Minted != minted {
		return fmt.Errorf("invariant minted: bank minted %d but VERIFIED and REVERSED claims sum to %d", s.Minted, minted)
	}
	if s.Reversed != reversed {
		return fmt.Errorf("invariant reversed: bank counts %d reversed but REVERSED claims sum to %d", s.Reversed, reversed)
	}
	return nil
}

// checkProjectTags (claims and projects): every claim's project tag names an existing project, so
// the project index holds no claims of a project that does not exist.
func (a *App) checkProjectTags(r core.Reader) error {
	var err error
	a.keepers.Claims.IterateClaims(r, func(c claims.Claim) bool {
		if c.Project != "" && !a.keepers.Projects.ProjectExists(r, c.Project) {
			err = fmt.Errorf("invariant project tags: claim %d is tagged with project %q, which does not exist", c.Id, c.Project)
		}
		return err == nil
	})
	return err
}
