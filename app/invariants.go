package app

import (
	"fmt"
	"sort"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// CheckInvariants verifies the invariants of design §2 over one version of state, plus the
// consistency of the indexes and counters that the keepers maintain alongside it. It reads every
// account, claim and attestation, so it is for tests and `commonsd debug invariants`, not for
// block execution. It returns the first violation found.
func (a *App) CheckInvariants(r core.Reader) error {
	for _, check := range []func(core.Reader) error{
		a.checkSupply, a.checkMinted, a.checkOverlaps, a.checkClaimCaps, a.checkAttestations, a.checkMemberCounts,
	} {
		if err := check(r); err != nil {
			return err
		}
	}
	return nil
}

// checkSupply: the sum of stored balances equals genesis + minted - decayed, and the balance
// buckets behind the circulating supply match the accounts (bank.Keeper.CheckInvariants).
func (a *App) checkSupply(r core.Reader) error { return a.keepers.Bank.CheckInvariants(r) }

// checkMinted: minted equals the sum of the durations of VERIFIED claims, each VERIFIED claim minted exactly its duration, and the
// status counters and category totals match the claims.
func (a *App) checkMinted(r core.Reader) error {
	k := a.keepers.Claims
	var verified uint64
	var n [4]uint64
	cats := map[string]claims.CategoryStat{}
	var err error
	k.IterateClaims(r, func(c claims.Claim) bool {
		if c.Status <= 0 || int(c.Status) >= len(n) {
			err = fmt.Errorf("invariant claims: claim %d has status %v", c.Id, c.Status)
			return false
		}
		n[c.Status]++
		if c.Status == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
			if want := claims.MintedFor(c.Start, c.End); c.Minted != want {
				err = fmt.Errorf("invariant minted: claim %d minted %d, its duration gives %d", c.Id, c.Minted, want)
				return false
			}
			verified += c.Minted
			st := cats[c.Category]
			st.VerifiedUhours += c.Minted
			st.VerifiedClaims++
			cats[c.Category] = st
		} else if c.Minted != 0 {
			err = fmt.Errorf("invariant minted: claim %d is %v but minted %d", c.Id, c.Status, c.Minted)
			return false
		}
		return true
	})
	if err != nil {
		return err
	}
	counts := k.Counts(r)
	if minted := a.keepers.Bank.Supply(r).Minted; minted != verified {
		return fmt.Errorf("invariant minted: bank minted %d but VERIFIED claims sum to %d", minted, verified)
	}
	if counts.Pending != n[1] || counts.Verified != n[2] || counts.Rejected != n[3] {
		return fmt.Errorf("invariant claim counts: counters %d/%d/%d, claims %d/%d/%d (pending/verified/rejected)",
			counts.Pending, counts.Verified, counts.Rejected, n[1], n[2], n[3])
	}
	names := make([]string, 0, len(cats))
	for c := range cats {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		got := k.CategoryStat(r, c)
		if got.VerifiedUhours != cats[c].VerifiedUhours || got.VerifiedClaims != cats[c].VerifiedClaims {
			return fmt.Errorf("invariant category %q: stat %d uhour/%d claims, claims give %d/%d",
				c, got.VerifiedUhours, got.VerifiedClaims, cats[c].VerifiedUhours, cats[c].VerifiedClaims)
		}
	}
	return nil
}

// checkOverlaps: no two PENDING or VERIFIED claims of one member overlap, and the overlap index
// holds exactly those claims.
func (a *App) checkOverlaps(r core.Reader) error {
	k := a.keepers.Claims
	var live []claims.Claim
	k.IterateClaims(r, func(c claims.Claim) bool {
		if c.Status == claims.ClaimStatus_CLAIM_STATUS_PENDING || c.Status == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
			live = append(live, c)
		}
		return true
	})
	sort.Slice(live, func(i, j int) bool {
		if live[i].Claimant != live[j].Claimant {
			return live[i].Claimant < live[j].Claimant
		}
		return live[i].Start < live[j].Start
	})
	for i := 1; i < len(live); i++ {
		p, c := live[i-1], live[i]
		if p.Claimant == c.Claimant && p.End > c.Start {
			return fmt.Errorf("invariant overlap: claims %d and %d of %s overlap", p.Id, c.Id, c.Claimant)
		}
	}
	indexed := 0
	var err error
	k.IterateIntervals(r, func(_ []byte, ref claims.IntervalRef) bool {
		indexed++
		c, ok := k.Claim(r, ref.ClaimId)
		if !ok || c.End != ref.End || (c.Status != claims.ClaimStatus_CLAIM_STATUS_PENDING && c.Status != claims.ClaimStatus_CLAIM_STATUS_VERIFIED) {
			err = fmt.Errorf("invariant overlap index: entry for claim %d does not match a live claim", ref.ClaimId)
			return false
		}
		return true
	})
	if err == nil && indexed != len(live) {
		err = fmt.Errorf("invariant overlap index: %d entries for %d live claims", indexed, len(live))
	}
	return err
}

// checkClaimCaps: the rejected-interval index holds exactly the REJECTED claims, each on its
// claim's reclaim level, and the per-member pending counters add up to the PENDING claims.
func (a *App) checkClaimCaps(r core.Reader) error {
	k := a.keepers.Claims
	pending := map[string]uint32{}
	var rejected uint64
	k.IterateClaims(r, func(c claims.Claim) bool {
		switch c.Status {
		case claims.ClaimStatus_CLAIM_STATUS_PENDING:
			pending[c.Claimant]++
		case claims.ClaimStatus_CLAIM_STATUS_REJECTED:
			rejected++
		}
		return true
	})
	var indexed uint64
	var err error
	k.IterateRejected(r, func(key []byte, ref claims.IntervalRef) bool {
		indexed++
		c, ok := k.Claim(r, ref.ClaimId)
		claimant, _ := core.ParseAddress(c.Claimant)
		if !ok || c.Status != claims.ClaimStatus_CLAIM_STATUS_REJECTED || c.End != ref.End ||
			string(key) != string(claims.RejectedKey(claimant, c.ReclaimLevel, c.Start)) {
			err = fmt.Errorf("invariant reclaim index: entry for claim %d does not match a rejected claim", ref.ClaimId)
			return false
		}
		return true
	})
	if err == nil && indexed != rejected {
		err = fmt.Errorf("invariant reclaim index: %d entries for %d rejected claims", indexed, rejected)
	}
	if err != nil {
		return err
	}
	var counted uint32
	for who, n := range pending {
		addr, _ := core.ParseAddress(who)
		if got := k.PendingCount(r, addr); got != n {
			return fmt.Errorf("invariant pending claims: %s counts %d but has %d", who, got, n)
		}
		counted += n
	}
	var total uint32
	core.IteratePrefix(r, claims.PendingCountPrefix, false, func(_, v []byte) bool {
		var p claims.PendingClaims
		core.MustUnmarshal(v, &p)
		total += p.Count
		return true
	})
	if total != counted {
		return fmt.Errorf("invariant pending claims: counters add up to %d, pending claims are %d", total, counted)
	}
	return nil
}

// checkAttestations: every attestation belongs to an existing claim, is not by its claimant, and
// the claim's approval and rejection counts equal its attestations.
func (a *App) checkAttestations(r core.Reader) error {
	k := a.keepers.Claims
	var err error
	var cur claims.Claim
	var approvals, rejections uint32
	attested := map[uint64]bool{}
	flush := func() {
		if err == nil && cur.Id != 0 && (cur.Approvals != approvals || cur.Rejections != rejections) {
			err = fmt.Errorf("invariant attestations: claim %d counts %d/%d but has %d/%d attestations",
				cur.Id, cur.Approvals, cur.Rejections, approvals, rejections)
		}
	}
	// Attestations iterate grouped by claim id, so each claim's tally completes before the next.
	k.IterateAttestations(r, func(at claims.Attestation) bool {
		if at.ClaimId != cur.Id {
			flush()
			c, ok := k.Claim(r, at.ClaimId)
			if !ok {
				err = fmt.Errorf("invariant attestations: attestation by %s for missing claim %d", at.Attestor, at.ClaimId)
			}
			cur, approvals, rejections = c, 0, 0
			attested[at.ClaimId] = true
		}
		if err != nil {
			return false
		}
		if at.Attestor == cur.Claimant {
			err = fmt.Errorf("invariant attestations: claim %d attested by its claimant", cur.Id)
			return false
		}
		if at.Verdict == claims.Verdict_VERDICT_APPROVE {
			approvals++
		} else {
			rejections++
		}
		return true
	})
	flush()
	if err != nil {
		return err
	}
	// Claims without any attestation must count none.
	k.IterateClaims(r, func(c claims.Claim) bool {
		if (c.Approvals != 0 || c.Rejections != 0) && !attested[c.Id] {
			err = fmt.Errorf("invariant attestations: claim %d counts verdicts but has no attestations", c.Id)
			return false
		}
		return true
	})
	return err
}

// checkMemberCounts: the member counters and the handle and by-status indexes match the records
// (members.Keeper.CheckInvariants).
func (a *App) checkMemberCounts(r core.Reader) error { return a.keepers.Members.CheckInvariants(r) }
